// ZERO of a paged VMO's bytes (zx_vmo_op_range ZERO, zx_vmar_op_range ZERO, and the zeroing
// of zx_vmo_set_size and the stream size): Zircon's ZeroRangeInternal. Partial pages are zeroed
// in place, whole pages given back (a pager-backed VMO keeps them as its own dirty zeros), and
// pinned or contiguous pages cleared where they are.

import { ZX_ERR_BAD_STATE, ZX_ERR_NOT_FOUND, ZX_OK } from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, PAGE_SIZE } from '../util/u64.ts';
import { readsZero } from './dirty-ranges.ts';
import { entryFrame, isFrame, ZERO_MARKER } from './page-list.ts';
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
 * A partial page's checks and wait before it is zeroed: NOT_FOUND when discarded; under a pager
 * its content (and, on TRAP_DIRTY, its dirtying); BAD_STATE when it holds data on an uncached
 * VMO.
 */
function preparePartial(vmo: VmObjectPaged, page: number): number {
  if (vmo.isDiscarded) return because(ZX_ERR_NOT_FOUND, why.DISCARDED);
  const index = page + vmo.cowOffset;
  const wait = awaitPages(vmo.cow, index, index + 1, true);
  if (wait !== ZX_OK) return wait;
  if (!vmo.isCached && vmo.cow.hasContent(index)) {
    return because(ZX_ERR_BAD_STATE, why.UNCACHED_PARTIAL);
  }
  return ZX_OK;
}

/**
 * A page of a pager-backed root that reads zero without a frame (supplied as zero, a dirty zero
 * range, past the stream size): upstream's ZeroPartialPage leaves it alone
 * (PageWouldReadZeroLocked), asking the pager nothing.
 */
function pagerPageReadsZero(vmo: VmObjectPaged, page: number): boolean {
  const source = vmo.cow.source;
  if (source === null) return false;
  const index = page + vmo.cowOffset;
  const entry = vmo.cow.pages.get(index);
  return entry === ZERO_MARKER || (!isFrame(entry) && readsZero(source.runs.tagAt(index)));
}

/**
 * Zeroes bytes [start, end) (both within the VMO): partial pages are zeroed in place, whole
 * pages are given back to the PMM (a plain VMO has nothing beneath them to hide). Partial
 * pages that hold data fail with BAD_STATE on an uncached VMO and NOT_FOUND on a discarded
 * one, as Zircon's partial-page path does; on a VMO without a pager every check happens before
 * anything changes. Under a pager the pieces go in upstream's order (ZeroRangeInternal): the
 * head page, the whole pages, the tail page, each waited for when its turn comes, so a failure
 * on the tail leaves the rest zeroed.
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
  const inTurn = vmo.cow.pagerTree;
  if (!inTurn) {
    for (const [partial, page] of [
      [headPartial, firstPage],
      [tailPartial, lastPage],
    ] as const) {
      if (!partial) continue;
      const status = preparePartial(vmo, page);
      if (status !== ZX_OK) return status;
    }
  }
  // A partial page that shows an ancestor's page is forked first (ZX_ERR_NO_MEMORY possible).
  const off = vmo.cowOffset;
  const zeroPartial = (page: number, from: number, length: number) => {
    if (pagerPageReadsZero(vmo, page)) return ZX_OK;
    if (inTurn) {
      const status = preparePartial(vmo, page);
      if (status !== ZX_OK) return status;
    }
    return vmo.cow.zeroWithinPage(page + off, from, length);
  };
  if (firstPage === lastPage) {
    if (headPartial) return zeroPartial(firstPage, headOffset, tailEnd - headOffset);
    return zeroWholePages(vmo, firstPage, firstPage + 1);
  }
  let wholeStart = firstPage;
  if (headOffset !== 0) {
    const status = zeroPartial(firstPage, headOffset, PAGE_SIZE - headOffset);
    if (status !== ZX_OK) return status;
    wholeStart++;
  }
  const wholeEnd = tailEnd !== PAGE_SIZE ? lastPage : lastPage + 1;
  const status = zeroWholePages(vmo, wholeStart, wholeEnd);
  if (status !== ZX_OK || tailEnd === PAGE_SIZE) return status;
  return zeroPartial(lastPage, 0, tailEnd);
}
