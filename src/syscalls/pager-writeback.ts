// Dirty tracking and writeback of the pager syscalls (Zircon's PagerDispatcher::RangeOp for
// DIRTY, WRITEBACK_BEGIN and WRITEBACK_END, and QueryDirtyRanges): zx_pager_op_range's
// writeback ops and zx_pager_query_dirty_ranges. Rights and errors: src/abi/syscalls/pager.ts.

import {
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
} from '../abi/constants.ts';
import { encodeZxVmoDirtyRange, ZX_VMO_DIRTY_RANGE_SIZE } from '../abi/structs.ts';
import { because } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, PAGE_SIZE } from '../util/u64.ts';
import {
  type DirtyRange,
  dirtyPagerPages,
  forEachDirtyRange,
  writebackBegin,
  writebackEnd,
} from '../vm/pager-dirty.ts';
import { rootPages } from '../vm/pager-vmo.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';
import type { SyscallContext } from './context.ts';
import type { UserOut } from './impl.ts';
import { beginCopyOut, copyOutU64, finishCopyOut, type UserBuffer } from './user.ts';

function unknownOp(op: number): string {
  return `op ${op} is not a ZX_PAGER_OP_* (FAIL, DIRTY, WRITEBACK_BEGIN or WRITEBACK_END)`;
}

function beginData(data: bigint): string {
  return `data (${data}) is neither 0 nor ZX_VMO_DIRTY_RANGE_IS_ZERO`;
}

function dataNotZero(data: bigint): string {
  return `data (${data}) must be 0 for DIRTY and WRITEBACK_END`;
}

/**
 * zx_pager_op_range's DIRTY, WRITEBACK_BEGIN and WRITEBACK_END on the pager's VMO `paged`
 * (handles already checked): data first, then the range, then the op.
 */
export function writebackOp(
  paged: VmObjectPaged,
  op: number,
  offset: bigint,
  length: bigint,
  data: bigint,
): number {
  const zeroRange = data === ZX_VMO_DIRTY_RANGE_IS_ZERO;
  switch (op) {
    case ZX_PAGER_OP_DIRTY:
    case ZX_PAGER_OP_WRITEBACK_END:
      if (data !== 0n) return because(ZX_ERR_INVALID_ARGS, dataNotZero, data);
      break;
    case ZX_PAGER_OP_WRITEBACK_BEGIN:
      if (data !== 0n && !zeroRange) {
        return because(ZX_ERR_INVALID_ARGS, beginData, data);
      }
      break;
    default:
      return because(ZX_ERR_NOT_SUPPORTED, unknownOp, op >>> 0);
  }
  const range = rootPages(paged, offset, length);
  if (typeof range === 'number') return range;
  const [start, end] = range;
  if (op === ZX_PAGER_OP_DIRTY) return dirtyPagerPages(paged.cow, start, end);
  if (op === ZX_PAGER_OP_WRITEBACK_BEGIN) return writebackBegin(paged.cow, start, end, zeroRange);
  return writebackEnd(paged.cow, start, end);
}

/**
 * The VMO the pager made itself: a slice or reference of it shares its pages but is refused by
 * the queries (upstream's SliceWrite: INVALID_ARGS).
 */
export function pagersOwnVmo(paged: VmObjectPaged): VmObjectPaged | number {
  if (paged.isSlice || paged.isReference) {
    return because(ZX_ERR_INVALID_ARGS, 'pager_vmo is a slice or reference of the pager VMO');
  }
  return paged;
}

/**
 * zx_pager_query_dirty_ranges once the pager and its VMO are known: the dirty ranges of
 * [offset, offset + length), as many as buffer holds, with actual (copied) and avail (all).
 */
export function queryDirtyRanges(
  ctx: SyscallContext,
  paged: VmObjectPaged,
  offset: bigint,
  length: bigint,
  buffer: UserBuffer,
  bufferSize: bigint,
  actual: UserOut,
  avail: UserOut,
): number {
  if (((offset | length) & PAGE_MASK_N) !== 0n) {
    return because(ZX_ERR_INVALID_ARGS, 'offset and length must be page aligned');
  }
  const range = rootPages(paged, offset, length);
  if (typeof range === 'number') return range;
  const source = paged.cow.source!;
  const capacity = Number(bufferSize / BigInt(ZX_VMO_DIRTY_RANGE_SIZE));
  const found: DirtyRange[] = [];
  let total = 0;
  forEachDirtyRange(source, range[0], range[1], (r) => {
    if (total++ < capacity) found.push({ ...r });
  });
  if (found.length > 0) {
    const bytes = found.length * ZX_VMO_DIRTY_RANGE_SIZE;
    const dst = beginCopyOut(buffer, bytes);
    if (typeof dst === 'number') return dst;
    const view = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
    const base = BigInt(paged.cowOffset);
    found.forEach((r, i) => {
      encodeZxVmoDirtyRange(view, i * ZX_VMO_DIRTY_RANGE_SIZE, {
        offset: (BigInt(r.start) - base) << PAGE_SHIFT_N,
        length: BigInt(r.end - r.start) * BigInt(PAGE_SIZE),
        options: r.zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0n,
      });
    });
    const status = finishCopyOut(ctx.user, buffer, dst);
    if (status !== ZX_OK) return status;
  }
  const cantWrite = 'actual or avail cannot be written';
  if (actual !== null && !copyOutU64(ctx.user, actual, BigInt(found.length))) {
    return because(ZX_ERR_INVALID_ARGS, cantWrite);
  }
  if (avail !== null && !copyOutU64(ctx.user, avail, BigInt(total))) {
    return because(ZX_ERR_INVALID_ARGS, cantWrite);
  }
  return ZX_OK;
}
