// The operations a user pager makes on the VMOs it backs (Zircon's VmObjectPaged::SupplyPages,
// FailPageRequests and DetachSource for a user pager): placing supplied pages, failing
// requests, detaching. The VMO itself is a VmObjectPaged whose root node has a PageSource.

import { ZX_ERR_BAD_STATE, ZX_OK } from '../abi/constants.ts';
import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import { assert } from '../util/assert.ts';
import { because } from '../util/reason.ts';
import { PAGE_SHIFT_N, U64_MAX } from '../util/u64.ts';
import { CowSplice } from './cow-splice.ts';
import type { DiscardableList } from './discardable.ts';
import { EMPTY, entryFrame, isFrame, ZERO_MARKER } from './page-list.ts';
import type { PageSource } from './page-source.ts';
import type { PageSplice, VmObject, VmoCreateOptions } from './vm-object.ts';
import { VmObjectPaged } from './vm-object-paged.ts';
import { outOfRange, overflow } from './vm-reasons.ts';

/** How the pager syscalls name the range of the pager VMO. */
const RANGE = 'offset + length';
const DETACHED = 'the VMO is detached from its pager';

/** A pager-backed VMO of `sizePages`: every page missing until supplied. */
export function createPagerVmo(
  pmm: PhysicalMemory,
  sizePages: number,
  options: VmoCreateOptions,
  discardables: DiscardableList,
  source: PageSource,
): VmObjectPaged {
  const vmo = new VmObjectPaged(pmm, sizePages, options, discardables);
  vmo.cow.source = source;
  return vmo;
}

/** The source of a VMO whose pages come from a pager (a slice or reference sees its parent's). */
export function pageSourceOf(vmo: VmObject): PageSource | null {
  return vmo instanceof VmObjectPaged ? vmo.cow.source : null;
}

/** The byte range [offset, offset + length) as root pages, or OUT_OF_RANGE. */
function rootPages(vmo: VmObjectPaged, offset: bigint, length: bigint): [number, number] | number {
  const end = offset + length;
  if (end > U64_MAX) return overflow(RANGE, offset, length);
  if (end > vmo.sizeBytes) return outOfRange(RANGE, end, vmo.sizeBytes);
  const start = Number(offset >> PAGE_SHIFT_N) + vmo.cowOffset;
  return [start, start + Number(length >> PAGE_SHIFT_N)];
}

/**
 * zx_pager_supply_pages into `vmo`: each page of the range still missing takes the splice's
 * frame (a zero marker where the aux VMO had nothing); present pages keep theirs and the
 * splice's frame is freed. Requests the pages complete end, and their waiters go on.
 */
export function supplyPagerPages(
  vmo: VmObjectPaged,
  offset: bigint,
  length: bigint,
  pages: PageSplice,
): number {
  const source = vmo.cow.source;
  assert(source !== null, 'supplying a VMO without a pager');
  const range = rootPages(vmo, offset, length);
  if (typeof range === 'number') return range;
  if (source.detached) return because(ZX_ERR_BAD_STATE, DETACHED);
  assert(pages instanceof CowSplice, 'pages taken from another kind of VMO');
  const [start, end] = range;
  const list = pages.take();
  const node = vmo.cow;
  let next = 0;
  const supplyEnd = Math.min(end, source.zeroFrom);
  for (let page = start; page < end; page++) {
    let entry = ZERO_MARKER;
    if (next < list.offsets.length && list.offsets[next] === page - start) {
      entry = list.entries[next++]!;
    }
    // Pages past zeroFrom are the VMO's own zeros (Zircon's dirty zero range): kept, like any
    // page already present.
    if (page < supplyEnd && node.pages.get(page) === EMPTY) node.pages.set(page, entry);
    else if (isFrame(entry)) node.pmm.free(entryFrame(entry), FrameUse.vmo);
  }
  source.supplied(start, end);
  return ZX_OK;
}

/**
 * zx_pager_op_range FAIL: requests whose next needed page is in the range fail with `status`;
 * BAD_STATE once detached (Pager.FailAfterDetach).
 */
export function failPagerRange(
  vmo: VmObjectPaged,
  offset: bigint,
  length: bigint,
  status: number,
): number {
  const source = vmo.cow.source;
  assert(source !== null, 'failing requests of a VMO without a pager');
  const range = rootPages(vmo, offset, length);
  if (typeof range === 'number') return range;
  if (source.detached) return because(ZX_ERR_BAD_STATE, DETACHED);
  source.failed(range[0], range[1], status);
  return ZX_OK;
}

/**
 * zx_pager_detach_vmo: waiters fail with BAD_STATE, COMPLETE is sent, and the clean pages are
 * dropped; dirty ones (written, or past a growth) and pinned ones stay.
 */
export function detachPagerVmo(vmo: VmObjectPaged): void {
  const node = vmo.cow;
  const source = node.source;
  assert(source !== null, 'detaching a VMO without a pager');
  source.detach(true);
  const pmm = node.pmm;
  const clean: number[] = [];
  node.pages.forEach(0, Math.min(node.sizePages, source.zeroFrom), (page, entry) => {
    if (source.dirty.has(page)) return;
    if (!isFrame(entry) || pmm.pinCount(entryFrame(entry)) === 0) clean.push(page);
  });
  for (const page of clean) node.decommit(page, page + 1);
}
