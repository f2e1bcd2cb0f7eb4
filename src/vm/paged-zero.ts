// ZERO of a paged VMO's bytes (zx_vmo_op_range ZERO, zx_vmar_op_range ZERO, and the zeroing
// of zx_vmo_set_size and the stream size): Zircon's ZeroRangeInternal. Partial pages are zeroed
// in place, whole pages given back (a pager-backed VMO keeps them as its own dirty zeros), and
// pinned or contiguous pages cleared where they are.

import { ZX_ERR_BAD_STATE, ZX_ERR_NOT_FOUND, ZX_OK } from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, PAGE_SIZE } from '../util/u64.ts';
import { entryFrame, isFrame } from './page-list.ts';
import { awaitPages } from './page-source.ts';
import { markWritten, zeroPagerPages } from './pager-dirty.ts';
import type { VmObjectPaged } from './vm-object-paged.ts';
import * as why from './vm-reasons.ts';

/**
 * Whole pages [start, end) zeroed by ZERO: their frames go back to the PMM, except pinned
 * ones and those of a contiguous VMO, which are cleared in place (they may not move). A pinned
 * page of a pager-backed VMO cleared in place is written, so it is dirtied first: a TRAP_DIRTY
 * VMO asks DIRTY for it, the pages before it already zeroed (PagerWriteback.OpZeroPinned).
 */
function zeroWholePages(vmo: VmObjectPaged, start: number, end: number): number {
  // Node coordinates from here on. zeroPages frees (a snapshot also hides its ancestors'
  // pages behind zero markers, since dropping them would let those show through).
  const off = vmo.cowOffset;
  const cow = vmo.cow;
  // A pager-backed VMO keeps them as its own zeros: dropped, they would be asked for again.
  const free = (from: number, to: number) => {
    if (cow.source !== null) zeroPagerPages(cow, from, to);
    else cow.zeroPages(from, to);
  };
  if (!vmo.isContiguous && !vmo.hasPinnedPages(start, end)) {
    free(start + off, end + off);
    return ZX_OK;
  }
  const pmm = cow.pmm;
  const kept: number[] = [];
  cow.pages.forEach(start + off, end + off, (page, entry) => {
    if (isFrame(entry) && (vmo.isContiguous || pmm.pinCount(entryFrame(entry)) > 0)) {
      kept.push(page);
    }
  });
  let from = start + off;
  for (const page of kept) {
    if (from < page) free(from, page);
    from = page + 1;
    if (cow.source === null) {
      cow.zeroWithinPage(page, 0, PAGE_SIZE);
      continue;
    }
    const wait = awaitPages(cow, page, page + 1, true);
    if (wait !== ZX_OK) return wait;
    cow.zeroWithinPage(page, 0, PAGE_SIZE);
    markWritten(cow, page, page + 1);
  }
  if (from < end + off) free(from, end + off);
  return ZX_OK;
}

/**
 * Zeroes bytes [start, end) (both within the VMO): partial pages are zeroed in place, whole
 * pages are given back to the PMM (a plain VMO has nothing beneath them to hide). Partial
 * pages that hold data fail with BAD_STATE on an uncached VMO and NOT_FOUND on a discarded
 * one, as Zircon's partial-page path does; every check happens before anything changes.
 */
export function zeroPagedRange(vmo: VmObjectPaged, start: bigint, end: bigint): number {
  if (start >= end) return ZX_OK;
  // Contiguous pages cannot be decommitted, and zeroing them in place needs a cached VMO.
  if (vmo.isContiguous && !vmo.isCached) return because(ZX_ERR_BAD_STATE, why.NOT_CACHED);
  const firstPage = Number(start >> PAGE_SHIFT_N);
  const lastPage = Number((end - 1n) >> PAGE_SHIFT_N);
  const headOffset = Number(start & PAGE_MASK_N);
  const tailEnd = Number(((end - 1n) & PAGE_MASK_N) + 1n);
  const headPartial = headOffset !== 0 || (firstPage === lastPage && tailEnd !== PAGE_SIZE);
  const tailPartial = tailEnd !== PAGE_SIZE && (firstPage !== lastPage || !headPartial);
  for (const [partial, page] of [
    [headPartial, firstPage],
    [tailPartial, lastPage],
  ] as const) {
    if (!partial) continue;
    if (vmo.isDiscarded) return because(ZX_ERR_NOT_FOUND, why.DISCARDED);
    // A partial page of a pager-backed VMO needs its content first.
    const wait = awaitPages(vmo.cow, page + vmo.cowOffset, page + vmo.cowOffset + 1, true);
    if (wait !== ZX_OK) return wait;
    if (!vmo.isCached && vmo.cow.hasContent(page + vmo.cowOffset)) {
      return because(ZX_ERR_BAD_STATE, why.UNCACHED_PARTIAL);
    }
  }
  // A partial page that shows an ancestor's page is forked first (ZX_ERR_NO_MEMORY possible).
  const off = vmo.cowOffset;
  if (firstPage === lastPage) {
    if (headPartial)
      return vmo.cow.zeroWithinPage(firstPage + off, headOffset, tailEnd - headOffset);
    return zeroWholePages(vmo, firstPage, firstPage + 1);
  }
  let wholeStart = firstPage;
  if (headOffset !== 0) {
    const status = vmo.cow.zeroWithinPage(firstPage + off, headOffset, PAGE_SIZE - headOffset);
    if (status !== ZX_OK) return status;
    wholeStart++;
  }
  let wholeEnd = lastPage + 1;
  if (tailEnd !== PAGE_SIZE) {
    const status = vmo.cow.zeroWithinPage(lastPage + off, 0, tailEnd);
    if (status !== ZX_OK) return status;
    wholeEnd--;
  }
  return zeroWholePages(vmo, wholeStart, wholeEnd);
}
