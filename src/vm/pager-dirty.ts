// Dirty tracking and writeback of pager-backed VMOs (Zircon's VmCowPages DirtyPages,
// WritebackBegin/End, EnumerateDirtyRanges, and the DIRTY requests of a VMO created with
// ZX_VMO_TRAP_DIRTY; core tests in zircon/system/utest/core/pager-writeback/).
//
// A page of the root is Clean (it holds an entry and no run), Dirty, or AwaitingClean between
// WRITEBACK_BEGIN and WRITEBACK_END; a run tagged ZERO has no page and reads as zero (a growth,
// ZERO, a stream-size change): it is dirty too, and once written back its pages are missing
// again, for the pager to supply. Pages past the stream size are UNTRACKED zeros: they read as
// zero and are not dirty. The state lives in runs (dirty-ranges.ts), so every operation here
// costs the runs and entries of its range.
//
// A write to pages that are not Dirty (clean, awaiting clean, zero) of a TRAP_DIRTY VMO first
// sends one DIRTY request for the run of such pages that are present, and waits until the pager
// dirties (ZX_PAGER_OP_DIRTY) or fails them; a missing page in the way gets a READ request
// first. Writes of zx_vmo_write go 16 pages at a time, as upstream's kMaxWriteWaitPages.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_OK,
  ZX_PAGER_VMO_DIRTY,
} from '../abi/constants.ts';
import { FrameUse } from '../pmm/pmm.ts';
import { assert } from '../util/assert.ts';
import { because } from '../util/reason.ts';
import { PAGE_SHIFT_N, PAGE_SIZE, roundUpPageU64 } from '../util/u64.ts';
import type { PageRange, VmCowPages } from './cow-pages.ts';
import {
  AWAITING_CLEAN,
  CLEAN_ZERO,
  DIRTY,
  isDirty,
  type PageRuns,
  readsZero,
  UNTRACKED,
  ZERO,
} from './dirty-ranges.ts';
import { entryFrame, isFrame, ZERO_MARKER } from './page-list.ts';
import type { PageSource } from './page-source.ts';
import type { VmObjectPaged } from './vm-object-paged.ts';

/** Pages a zx_vmo_write waits for at a time (VmObjectPaged's kMaxWriteWaitPages). */
const MAX_WRITE_WAIT_PAGES = 16;

const DETACHED = 'the VMO is detached from its pager: no DIRTY request can be sent';

/** The first page of [start, end) whose tag passes `test`, or `end`. */
function firstWhere(runs: PageRuns, start: number, end: number, test: (tag: number) => boolean) {
  let found = end;
  runs.forEachPiece(start, end, (from, _to, tag) => {
    if (found === end && test(tag)) found = from;
  });
  return found;
}

/**
 * The wait before pages [start, end) of a pager-backed root change, or ZX_OK: on a TRAP_DIRTY
 * VMO the first run of pages whose tag `needsDirty` picks (before the first missing page) gets
 * one DIRTY request; a missing page gets a READ request.
 */
function awaitPrepared(
  node: VmCowPages,
  source: PageSource,
  start: number,
  end: number,
  needsDirty: (tag: number) => boolean,
): number {
  const missing = source.firstMissing(node.pages, start, end);
  if (source.trapDirty) {
    const first = firstWhere(source.runs, start, missing, needsDirty);
    if (first < missing) {
      if (source.detached) return because(ZX_ERR_BAD_STATE, DETACHED);
      const last = firstWhere(source.runs, first, missing, (tag) => !needsDirty(tag));
      return source.ask(ZX_PAGER_VMO_DIRTY, first, last);
    }
  }
  return missing < end ? source.require(node.pages, missing, end) : ZX_OK;
}

/**
 * Pages [start, end) of a pager-backed root are about to be written: ZX_OK once they are all
 * present and may be written, marking them dirty (and the VMO modified); otherwise the READ or
 * DIRTY request's wait (ZX_ERR_SHOULD_WAIT), or a status. Pages not exactly Dirty (clean,
 * awaiting clean, zero) need dirtying.
 */
export function awaitDirty(node: VmCowPages, source: PageSource, start: number, end: number) {
  const wait = awaitPrepared(node, source, start, end, (tag) => tag !== DIRTY);
  if (wait !== ZX_OK) return wait;
  source.modified = true;
  // Zero pages stay zero until the write commits them (markWritten).
  source.runs.update(start, end, (tag) => (readsZero(tag) ? DIRTY | ZERO : DIRTY));
  return ZX_OK;
}

/**
 * Pages [start, end) of a pager-backed root are about to be committed (COMMIT, pin): ZX_OK once
 * they are all present. Committing a page of a zero range gives it a frame, which writes it
 * (VmCowPages::CommitRangeLocked prepares such pages for write): a TRAP_DIRTY VMO first sends
 * one DIRTY request for the run of zero-range pages that comes first, as a write would. Clean
 * pages need nothing, and nothing marks the VMO modified (a commit is not a write).
 */
export function awaitZeroCommit(node: VmCowPages, source: PageSource, start: number, end: number) {
  return awaitPrepared(node, source, start, end, (tag) => (tag & ZERO) !== 0);
}

/**
 * Commits pages [start, end) of `node`; under a pager the zero-range pages among them are Dirty,
 * and pages supplied as zero get a clean frame of zeros (upstream's LookupCursor: "Markers start
 * clean"), evictable and dropped on detach like any clean page.
 */
export function commitPagerPages(node: VmCowPages, start: number, end: number): number {
  const status = node.commit(start, end);
  if (status === ZX_OK) node.source?.runs.update(start, end, committedTag);
  return status;
}

const committedTag = (tag: number) => ((tag & ZERO) !== 0 ? DIRTY : tag === CLEAN_ZERO ? 0 : tag);

/** Pages [start, end) of `node` now hold the bytes written to them (committed): Dirty. */
export function markWritten(node: VmCowPages, start: number, end: number): void {
  node.source?.runs.set(start, end, DIRTY);
}

/**
 * zx_vmo_write's pages of a pager-backed VMO, batch by batch: `step` waits for and writes one
 * batch (its range, and where its bytes start in the source). What was written before a wait or
 * a failure stays written, as upstream's partial writes.
 */
export function forEachWriteBatch(
  range: PageRange,
  step: (batch: PageRange, srcDelta: number) => number,
): number {
  let done = 0;
  let page = range.page;
  let inPage = range.inPage;
  while (done < range.length) {
    const room = MAX_WRITE_WAIT_PAGES * PAGE_SIZE - inPage;
    const length = Math.min(room, range.length - done);
    const status = step({ page, inPage, length }, done);
    if (status !== ZX_OK) return status;
    done += length;
    page += MAX_WRITE_WAIT_PAGES;
    inPage = 0;
  }
  return ZX_OK;
}

/**
 * ZERO of whole pages [start, end) of a pager-backed root, without asking the pager: they
 * become a dirty zero range (their frames freed). Supplied zero pages that are clean stay as
 * they are, and so do pages past the stream size; readers waiting for the pages go on.
 */
export function zeroPagerPages(node: VmCowPages, start: number, end: number): void {
  const source = node.source;
  assert(source !== null, 'zeroing pager pages of a node without a pager');
  if (start >= end) return;
  // Clean zero markers, as [from, to) runs: each run is restored with one run update.
  const kept: number[] = [];
  source.runs.forEachPiece(start, end, (from, to, tag) => {
    if (tag !== 0) return;
    node.pages.forEach(from, to, (page, entry) => {
      if (entry !== ZERO_MARKER) return;
      const n = kept.length;
      if (n > 0 && kept[n - 1] === page) kept[n - 1] = page + 1;
      else kept.push(page, page + 1);
    });
  });
  node.pages.clearDescending(start, end, (_index, entry) => {
    if (isFrame(entry)) node.pmm.free(entryFrame(entry), FrameUse.vmo);
  });
  source.runs.update(start, end, (tag) =>
    tag === UNTRACKED || tag === CLEAN_ZERO ? tag : DIRTY | ZERO,
  );
  for (let i = 0; i < kept.length; i += 2) {
    for (let page = kept[i]!; page < kept[i + 1]!; page++) node.pages.set(page, ZERO_MARKER);
    source.runs.set(kept[i]!, kept[i + 1]!, 0);
  }
  // A zero range awaiting clean that this one extends is dirty again as a whole: the writeback
  // the pager began does not cover the pages zeroed now (PagerWriteback.OpZeroWriteback).
  if (source.runs.tagAt(start) === (DIRTY | ZERO)) resetAwaitingZero(source.runs, start - 1);
  if (source.runs.tagAt(end - 1) === (DIRTY | ZERO)) resetAwaitingZero(source.runs, end);
  source.modified = true;
  node.notifyRemoved(start, end);
  source.supplied(start, end);
}

/** The zero range awaiting clean that holds `page` (if any) is dirty again, all of it. */
function resetAwaitingZero(runs: PageRuns, page: number): void {
  const run = page < 0 ? null : runs.runAt(page);
  if (run !== null && run[2] === (AWAITING_CLEAN | ZERO)) runs.set(run[0], run[1], DIRTY | ZERO);
}

/**
 * The stream size went from `oldPages` to `newPages` (rounded up): pages past it become
 * untracked zeros (what they held is dropped), and pages between an old stream size and a
 * larger new one a dirty zero range.
 */
function pagerStreamSizeChanged(
  node: VmCowPages,
  oldPages: number,
  newPages: number,
  endPage: number,
): void {
  const source = node.source;
  assert(source !== null, 'a stream size of pager pages without a pager');
  const dropFrom = Math.min(oldPages, newPages);
  if (dropFrom < endPage) {
    // Pinned pages may not go: they are kept, cleared in place.
    const pinned: [number, number][] = [];
    node.pages.clearDescending(dropFrom, endPage, (index, entry) => {
      if (!isFrame(entry)) return;
      if (node.pmm.pinCount(entryFrame(entry)) > 0) pinned.push([index, entry]);
      else node.pmm.free(entryFrame(entry), FrameUse.vmo);
    });
    for (const [index, entry] of pinned) {
      node.pages.set(index, entry);
      node.zeroWithinPage(index, 0, PAGE_SIZE);
    }
    node.notifyRemoved(dropFrom, endPage);
  }
  if (newPages > oldPages) source.runs.set(oldPages, Math.min(newPages, endPage), DIRTY | ZERO);
  if (newPages < endPage) source.runs.set(newPages, endPage, UNTRACKED);
  source.modified = true;
  source.supplied(dropFrom, endPage);
}

/**
 * ZX_PAGER_OP_DIRTY on pages [start, end): every page must be present (a supplied page or a
 * zero range), else ZX_ERR_NOT_FOUND and the DIRTY requests there are retried (their callers
 * ask again, for READ first). The pages are committed and Dirty; DIRTY requests are answered.
 */
export function dirtyPagerPages(node: VmCowPages, start: number, end: number): number {
  const source = node.source;
  assert(source !== null, 'dirtying pages of a node without a pager');
  if (!source.trapDirty) {
    return because(ZX_ERR_NOT_SUPPORTED, 'DIRTY needs a VMO created with ZX_VMO_TRAP_DIRTY');
  }
  if (start === end) return ZX_OK;
  if (source.firstMissing(node.pages, start, end) < end) {
    source.retryDirty(start, end);
    return because(ZX_ERR_NOT_FOUND, 'a page of the range was never supplied');
  }
  const status = node.commit(start, end);
  if (status !== ZX_OK) return status;
  source.runs.set(start, end, DIRTY);
  source.dirtied(start, end);
  return ZX_OK;
}

/**
 * ZX_PAGER_OP_WRITEBACK_BEGIN on [start, end): Dirty pages and dirty zero ranges await clean
 * (mappings lose write, so the next write is seen); with `zeroRange` (the pager writes zeros)
 * pages that hold data stay Dirty. Pinned pages are never cleaned.
 */
export function writebackBegin(node: VmCowPages, start: number, end: number, zeroRange: boolean) {
  const source = node.source;
  assert(source !== null, 'writeback of a node without a pager');
  const pmm = node.pmm;
  const begin: [number, number][] = [];
  source.runs.forEachPiece(start, end, (from, to, tag) => {
    if (tag === (DIRTY | ZERO)) begin.push([from, to]);
    if (tag !== DIRTY || zeroRange) return;
    let at = from;
    node.pages.forEach(from, to, (page, entry) => {
      if (!isFrame(entry) || pmm.pinCount(entryFrame(entry)) === 0) return;
      if (at < page) begin.push([at, page]);
      at = page + 1;
    });
    if (at < to) begin.push([at, to]);
  });
  for (const [from, to] of begin) {
    source.runs.update(from, to, (tag) => (tag & ZERO) | AWAITING_CLEAN);
    node.notifyWriteProtected(from, to);
  }
  return ZX_OK;
}

/**
 * ZX_PAGER_OP_WRITEBACK_END on [start, end): pages still awaiting clean are clean; a zero range
 * awaiting clean is forgotten, its pages missing again (the pager supplies them from now on).
 */
export function writebackEnd(node: VmCowPages, start: number, end: number): number {
  const source = node.source;
  assert(source !== null, 'writeback of a node without a pager');
  source.runs.update(start, end, (tag) => ((tag & AWAITING_CLEAN) !== 0 ? 0 : tag));
  return ZX_OK;
}

/** One zx_vmo_dirty_range_t, in pages. */
export interface DirtyRange {
  start: number;
  end: number;
  zero: boolean;
}

/**
 * The dirty ranges of [start, end), sorted and coalesced (Dirty and AwaitingClean alike, zero
 * ranges apart), each handed to `visit`; costs the runs in the range.
 */
export function forEachDirtyRange(
  source: PageSource,
  start: number,
  end: number,
  visit: (range: DirtyRange) => void,
): void {
  let open: DirtyRange | null = null;
  source.runs.forEachPiece(start, end, (from, to, tag) => {
    if (!isDirty(tag)) return;
    const zero = (tag & ZERO) !== 0;
    if (open !== null && open.end === from && open.zero === zero) {
      open.end = to;
      return;
    }
    if (open !== null) visit(open);
    open = { start: from, end: to, zero };
  });
  if (open !== null) visit(open);
}

/**
 * The pages of [start, end) a detach drops: clean ones, unless pinned (dirty ones, zero ranges
 * and pinned pages stay).
 */
export function cleanPagesIn(node: VmCowPages, start: number, end: number): number[] {
  const source = node.source;
  assert(source !== null, 'a detach of a node without a pager');
  const pmm = node.pmm;
  const clean: number[] = [];
  source.runs.forEachPiece(start, end, (from, to, tag) => {
    if (tag !== 0) return;
    node.pages.forEach(from, to, (page, entry) => {
      if (!isFrame(entry) || pmm.pinCount(entryFrame(entry)) === 0) clean.push(page);
    });
  });
  return clean;
}

/** zx_vmo_set_stream_size of a pager-backed VMO, from `oldSize` to `newSize` bytes. */
export function pagerStreamSize(vmo: VmObjectPaged, oldSize: bigint, newSize: bigint): void {
  const size = vmo.sizePages;
  const pages = (bytes: bigint) => {
    const rounded = roundUpPageU64(bytes);
    return rounded === null ? size : Math.min(size, Number(rounded >> PAGE_SHIFT_N));
  };
  const off = vmo.cowOffset;
  pagerStreamSizeChanged(vmo.cow, off + pages(oldSize), off + pages(newSize), off + size);
}
