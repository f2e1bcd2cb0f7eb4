// PinnedMemoryTokenDispatcher: a pinned memory token (PMT). It holds the pages zx_bti_pin
// pinned, and the VMO they belong to, until zx_pmt_unpin. A PMT whose handle is
// closed without unpinning stays pinned: it goes to its BTI's quarantine, where it stays until
// zx_bti_release_quarantine (or forever, once the BTI's handles are gone too).

import { ZX_ERR_INVALID_ARGS, ZX_OBJ_TYPE_PMT } from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { PAGE_SIZE, PAGE_SIZE_N } from '../util/u64.ts';
import { unpinPages } from '../vm/physical.ts';
import type { BusTransactionInitiatorDispatcher } from './bti-dispatcher.ts';
import { Dispatcher } from './dispatcher.ts';
import type { Koid } from './types.ts';
import type { VmObjectDispatcher } from './vm-object-dispatcher.ts';

function wrongCount(count: bigint, wanted: number): string {
  return `num_addrs is ${count}; the options ask for ${wanted} addresses`;
}

export class PinnedMemoryTokenDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_PMT;
  readonly bti: BusTransactionInitiatorDispatcher;
  readonly vmo: VmObjectDispatcher;
  /** The pinned frames, one per page. */
  readonly frames: readonly number[];
  private pinned = true;

  /** Takes a reference on `vmo` (as a handle would) so it outlives its handles while pinned. */
  constructor(
    koid: Koid,
    bti: BusTransactionInitiatorDispatcher,
    vmo: VmObjectDispatcher,
    frames: readonly number[],
  ) {
    super(koid);
    this.bti = bti;
    this.vmo = vmo;
    this.frames = frames;
    vmo.retain();
    bti.pmts.add(this);
  }

  get isPinned(): boolean {
    return this.pinned;
  }

  /**
   * The device addresses zx_bti_pin returns, `count` of them: one per page; with `compress` one
   * per IOMMU minimum-contiguity run; with `contiguous` one for the whole run. A count that
   * is not the one the options ask for is ZX_ERR_INVALID_ARGS.
   */
  encodeAddrs(compress: boolean, contiguous: boolean, count: bigint): bigint[] | number {
    const minimum = this.bti.iommu.minimumContiguity;
    const pages = this.frames.length;
    const wanted = contiguous ? 1 : compress ? Math.ceil((pages * PAGE_SIZE) / minimum) : pages;
    if (count !== BigInt(wanted)) return because(ZX_ERR_INVALID_ARGS, wrongCount, count, wanted);
    const addrs: bigint[] = new Array(wanted);
    for (let i = 0; i < wanted; i++) {
      // The stub IOMMU's device addresses are physical addresses.
      const frame = contiguous ? this.frames[0]! : this.frames[(i * minimum) / PAGE_SIZE]!;
      addrs[i] = BigInt(frame) * PAGE_SIZE_N;
    }
    return addrs;
  }

  /** zx_pmt_unpin, or the release of a quarantined PMT: the pages may move and go again. */
  unpin(): void {
    if (!this.pinned) return;
    this.pinned = false;
    unpinPages(this.vmo.vmo, this.frames);
    this.bti.pmts.delete(this);
    this.bti.quarantine.delete(this);
    this.vmo.release();
  }

  /** No handle could be made for it: nobody was handed the pin, so it is undone. */
  override abandon(): void {
    if (this.handleCount === 0) this.unpin();
  }

  /** Closed without unpinning: the pages stay pinned, in the BTI's quarantine. */
  override onZeroHandles(): void {
    if (this.pinned) this.bti.quarantine.add(this);
  }
}
