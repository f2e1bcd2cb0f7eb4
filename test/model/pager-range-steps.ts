// Steps of the pager model test (pager-model.test.ts) over a range of one VMO: the DONT_NEED
// hint (the root pages it shows are evicted first), the ALWAYS_NEED hint (fetches the range and
// keeps the root pages it shows out of ordinary eviction), and DECOMMIT, which no VMO of a
// pager-backed tree allows.

import {
  ZX_ERR_IO,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
} from '../../src/abi/constants.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import type { ThreadSys } from '../../src/thread.ts';
import { PAGE } from '../helpers.ts';
import { tally, type World, withPager } from './pager-world.ts';
import { expectStatus, statusName } from './real.ts';

export type RangeStep =
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
