// Steps of the pager model test (pager-model.test.ts) over a range of one VMO: the DONT_NEED
// hint (the root pages it shows are evicted first), the ALWAYS_NEED hint (fetches the range and
// keeps the root pages it shows out of ordinary eviction), and DECOMMIT, which no VMO of a
// pager-backed tree allows.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_ZERO,
} from '../../src/abi/constants.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import type { ThreadSys } from '../../src/thread.ts';
import { PAGE } from '../helpers.ts';
import { tally, type World, withPager } from './pager-world.ts';
import { expectStatus, statusName } from './real.ts';

export type RangeStep =
  | { kind: 'zero'; vmo: number; offset: number; length: number; whole: boolean }
  | { kind: 'dontNeed'; vmo: number; start: number; count: number }
  | { kind: 'decommit'; vmo: number; start: number; count: number }
  | { kind: 'alwaysNeed'; vmo: number; start: number; count: number };

/** zx_vmo_op_range of `op` on pages [start, end) of `handle` (by a thread, or not). */
export function vmoOp(
  sys: Syscalls,
  handle: number,
  op: number,
  start: number,
  end: number,
): number;
export function vmoOp(
  sys: ThreadSys,
  handle: number,
  op: number,
  start: number,
  end: number,
): number | Promise<number>;
export function vmoOp(
  sys: Syscalls | ThreadSys,
  handle: number,
  op: number,
  start: number,
  end: number,
): number | Promise<number> {
  return sys.zx_vmo_op_range(handle, op, start * PAGE, (end - start) * PAGE, null, 0);
}

/** Pages [start, end) of a view of `pages` pages; `end` sometimes past the end. */
function viewRange(pages: number, start: number, count: number): [number, number] {
  const s = start % (pages + 1);
  return [s, Math.min(s + count, pages + (count & 1))];
}

export async function runRangeStep(w: World, step: RangeStep, what: string): Promise<void> {
  if (step.kind === 'zero') return runZero(w, step, what);
  const v = w.pick(step.vmo);
  const pages = w.pagesOf(v);
  const [start, end] = viewRange(pages, step.start, step.count);
  const outOfRange = end > pages;
  switch (step.kind) {
    case 'dontNeed': {
      const status = vmoOp(w.sys, v.handle, ZX_VMO_OP_DONT_NEED, start, end);
      expectStatus(status, outOfRange ? ZX_ERR_OUT_OF_RANGE : ZX_OK, what);
      tally(`dontNeed of ${v.kind} ${statusName(status)}`);
      if (status === ZX_OK) w.oracle.dontNeed(v.node, v.offset + start, v.offset + end);
      return;
    }
    case 'decommit': {
      // Upstream VmCowPages::DecommitRange: can_decommit_locked() is false for every node of a
      // user-pager-backed tree (ZX_ERR_NOT_SUPPORTED, after the range checks); nothing changes.
      const expected = outOfRange
        ? ZX_ERR_OUT_OF_RANGE
        : end === start
          ? ZX_OK
          : ZX_ERR_NOT_SUPPORTED;
      const status = vmoOp(w.sys, v.handle, ZX_VMO_OP_DECOMMIT, start, end);
      expectStatus(status, expected, what);
      tally(`decommit of ${v.kind} ${statusName(status)}`);
      return;
    }
    case 'alwaysNeed': {
      // A thread hints: the missing pages it shows are asked for (every request answered), then
      // the root pages it shows are marked. Once detached, a missing page would fail the call.
      if (w.oracle.detached && !outOfRange) return;
      const { result } = await withPager(
        w,
        (th) => vmoOp(th, v.handle, ZX_VMO_OP_ALWAYS_NEED, start, end),
        0xffffff,
        ZX_ERR_IO,
        what,
      );
      expectStatus(result, outOfRange ? ZX_ERR_OUT_OF_RANGE : ZX_OK, what);
      tally(`alwaysNeed of ${v.kind} ${statusName(result)}`);
      if (result === ZX_OK) w.oracle.alwaysNeed(v.node, v.offset + start, v.offset + end);
      return;
    }
  }
}

/**
 * ZX_VMO_OP_ZERO by a thread on bytes of the root (or of a slice or reference of it), every
 * request answered, in upstream's order (VmObjectPaged::ZeroRangeInternal): a partial head page,
 * whole pages, a partial tail page. A partial page that already reads zero (a zero marker or a
 * dirty zero range) is left alone (ZeroPartialPage: PageWouldReadZeroLocked); another is written
 * (fetched first, and asked DIRTY on TRAP_DIRTY). Whole pages become a dirty zero range without
 * asking the pager. Snapshots are not zeroed here (their zero markers hide their ancestors'
 * pages; children-model.test.ts drives ZERO on anonymous clones).
 */
async function runZero(
  w: World,
  step: Extract<RangeStep, { kind: 'zero' }>,
  what: string,
): Promise<void> {
  const v = w.pick(step.vmo);
  const oracle = w.oracle;
  if (v.node !== oracle.root) return;
  const size = w.pagesOf(v) * PAGE;
  let offset = step.offset % (size + (step.offset & 1 ? PAGE : 1));
  let length = step.length;
  if (step.whole) {
    // Whole pages inside the VMO (one at least when it has any).
    offset = Math.floor(offset / PAGE) * PAGE;
    if (offset >= size) offset = Math.max(0, size - PAGE);
    length = Math.min(Math.max(PAGE, Math.ceil(length / PAGE) * PAGE), size - offset);
  }
  const end = offset + length;
  const outOfRange = length > 0 && end > size;
  const { result } = await withPager(
    w,
    (th) => th.zx_vmo_op_range(v.handle, ZX_VMO_OP_ZERO, offset, length, null, 0),
    0xffffff,
    ZX_ERR_IO,
    what,
  );
  // Upstream's order: each piece done before the next is looked at; a partial page the
  // detached pager cannot provide ends the call, what came before it zeroed.
  const pieces = outOfRange ? [] : zeroPieces(offset, end);
  let expected = outOfRange ? ZX_ERR_OUT_OF_RANGE : ZX_OK;
  for (const [page, from, to] of pieces) {
    const index = v.offset + page;
    if (to - from === PAGE) {
      oracle.zeroPages(index, index + 1);
      continue;
    }
    const kind = oracle.pages[index]?.kind;
    if (kind === 'marker' || kind === 'zero') continue;
    if (oracle.writeBlocked(v.node, index) === 'detached') {
      expected = ZX_ERR_BAD_STATE;
      break;
    }
    oracle.write(v.node, index, from, new Uint8Array(to - from));
  }
  expectStatus(result, expected, what);
  const kind = pieces.some(([, f, t]) => t - f < PAGE) ? 'partial' : 'whole';
  tally(`zero ${length === 0 ? 'empty' : kind} of ${v.kind} ${statusName(result)}`);
}

/** The pages bytes [offset, end) cover, in order, as [page, from, to] (bytes within the page). */
function zeroPieces(offset: number, end: number): [number, number, number][] {
  const pieces: [number, number, number][] = [];
  for (let at = offset; at < end; ) {
    const page = Math.floor(at / PAGE);
    const to = Math.min(end, (page + 1) * PAGE);
    pieces.push([page, at - page * PAGE, to - page * PAGE]);
    at = to;
  }
  return pieces;
}
