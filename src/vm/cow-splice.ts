// CowSplice: pages taken out of a node (zx_vmo_transfer_data, zx_pager_supply_pages) until
// they are supplied elsewhere or freed.

import { assert } from '../util/assert.ts';
import type { VmCowPages } from './cow-pages.ts';
import { dropSpliceList, type SpliceList } from './cow-transfer.ts';
import type { PageSplice } from './vm-object.ts';

/** Pages taken out of a node, until supplied elsewhere or freed. */
export class CowSplice implements PageSplice {
  private list: SpliceList | null;
  private readonly node: VmCowPages;

  constructor(node: VmCowPages, list: SpliceList) {
    this.node = node;
    this.list = list;
  }

  /** The pages, now the taker's to place. */
  take(): SpliceList {
    const list = this.list;
    assert(list !== null, 'a splice list supplied twice');
    this.list = null;
    return list;
  }

  release(): void {
    if (this.list !== null) dropSpliceList(this.node, this.take());
  }
}
