// zx_vmo_op_range: every ZX_VMO_OP_* operation. Rights depend on the op, so the handle is
// looked up without rights and each op checks its own, as Zircon's dispatcher does.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_CACHE_CLEAN,
  ZX_VMO_OP_CACHE_CLEAN_INVALIDATE,
  ZX_VMO_OP_CACHE_INVALIDATE,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
} from '../abi/constants.ts';
import { encodeZxVmoLockState, ZX_VMO_LOCK_STATE_SIZE } from '../abi/structs.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { roundUpPageU64, U64_MAX } from '../util/u64.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';
import { handleValue, u32, u64 } from './args.ts';
import { lookupWithRights, type SyscallContext } from './context.ts';
import { beginCopyOut, finishCopyOut, isUserBuffer, type UserBuffer } from './user.ts';

/**
 * zx_vmo_op_range(handle, op, offset, size, buffer, buffer_size)
 * Rights: COMMIT, DECOMMIT, ZERO need ZX_RIGHT_WRITE; CACHE_SYNC, CACHE_CLEAN,
 * CACHE_CLEAN_INVALIDATE and PREFETCH need ZX_RIGHT_READ; LOCK, TRY_LOCK and UNLOCK need
 * ZX_RIGHT_READ or ZX_RIGHT_WRITE; DONT_NEED and ALWAYS_NEED need none.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE; ZX_ERR_INVALID_ARGS (unknown op, after the handle
 * check; cache op of size 0; misaligned DECOMMIT; LOCK buffer smaller than zx_vmo_lock_state_t
 * or NULL); ZX_ERR_ACCESS_DENIED (the op's rights); ZX_ERR_OUT_OF_RANGE (range overflowing or
 * past the end; lock ops on anything but the whole VMO); ZX_ERR_NOT_SUPPORTED (CACHE_INVALIDATE,
 * as on a production kernel, before rights; lock ops on a VMO that is not discardable;
 * DECOMMIT of a snapshot child or of a VMO with snapshot children); ZX_ERR_BAD_STATE (UNLOCK
 * of a VMO not locked; ZERO of partial pages of an uncached VMO; DECOMMIT over pinned pages);
 * ZX_ERR_UNAVAILABLE (TRY_LOCK of a discarded VMO); ZX_ERR_NOT_FOUND (COMMIT or partial ZERO
 * of a discarded VMO); ZX_ERR_NO_MEMORY (COMMIT).
 */
export function zx_vmo_op_range(
  ctx: SyscallContext,
  handle: unknown,
  op: unknown,
  offset: unknown,
  size: unknown,
  buffer: unknown,
  bufferSize: unknown,
): number {
  const op32 = u32(op);
  const off = u64(offset);
  const len = u64(size);
  const bufLen = u64(bufferSize);
  if (op32 === undefined || off === undefined || len === undefined || bufLen === undefined) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (!isUserBuffer(buffer)) return ZX_ERR_INVALID_ARGS;
  const found = lookupWithRights(ctx, handleValue(handle), ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE);
  if (typeof found === 'number') return found;
  const vmo = (found.object as VmObjectDispatcher).vmo;
  const rights = found.rights;
  const has = (needed: number): boolean => (rights & needed) !== 0;
  switch (op32) {
    case ZX_VMO_OP_COMMIT: {
      if (!has(ZX_RIGHT_WRITE)) return ZX_ERR_ACCESS_DENIED;
      if (vmo.isPhysical) return ZX_ERR_NOT_SUPPORTED;
      const pages = roundedPages(vmo, off, len);
      if (typeof pages === 'number') return pages;
      if (pages[0] === pages[1]) return ZX_OK;
      return vmo.commit(pages[0], pages[1]);
    }
    case ZX_VMO_OP_DECOMMIT: {
      if (!has(ZX_RIGHT_WRITE)) return ZX_ERR_ACCESS_DENIED;
      // Contiguous (and physical) pages never go back: refused before the range is looked at.
      if (vmo.isContiguous) return ZX_ERR_NOT_SUPPORTED;
      const end = off + len;
      if (end > U64_MAX || end > vmo.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
      if (len === 0n) return ZX_OK;
      if (!vmo.canDecommit) return ZX_ERR_NOT_SUPPORTED;
      if ((off & 4095n) !== 0n || (len & 4095n) !== 0n) return ZX_ERR_INVALID_ARGS;
      return vmo.decommit(Number(off >> 12n), Number(end >> 12n));
    }
    case ZX_VMO_OP_ZERO: {
      if (!has(ZX_RIGHT_WRITE)) return ZX_ERR_ACCESS_DENIED;
      if (vmo.isPhysical) return ZX_ERR_NOT_SUPPORTED;
      if (len === 0n) return ZX_OK;
      const end = off + len;
      if (end > U64_MAX || end > vmo.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
      return vmo.zero(off, end);
    }
    case ZX_VMO_OP_LOCK:
    case ZX_VMO_OP_TRY_LOCK:
    case ZX_VMO_OP_UNLOCK:
      if (!has(ZX_RIGHT_READ | ZX_RIGHT_WRITE)) return ZX_ERR_ACCESS_DENIED;
      return lockOp(ctx, vmo, op32, off, len, buffer, bufLen);
    case ZX_VMO_OP_CACHE_SYNC:
    case ZX_VMO_OP_CACHE_CLEAN:
    case ZX_VMO_OP_CACHE_CLEAN_INVALIDATE: {
      if (!has(ZX_RIGHT_READ)) return ZX_ERR_ACCESS_DENIED;
      if (vmo.isPhysical) return ZX_ERR_NOT_SUPPORTED;
      if (len === 0n) return ZX_ERR_INVALID_ARGS;
      const end = off + len;
      return end > U64_MAX || end > vmo.sizeBytes ? ZX_ERR_OUT_OF_RANGE : ZX_OK;
    }
    case ZX_VMO_OP_CACHE_INVALIDATE:
      // Only kernels booted with kernel.enable-debugging-syscalls allow it.
      return ZX_ERR_NOT_SUPPORTED;
    case ZX_VMO_OP_DONT_NEED:
    case ZX_VMO_OP_ALWAYS_NEED:
      // Hints about reclaiming pager-backed pages: anonymous memory takes them as no-ops.
      return ZX_OK;
    case ZX_VMO_OP_PREFETCH: {
      if (!has(ZX_RIGHT_READ)) return ZX_ERR_ACCESS_DENIED;
      const pages = roundedPages(vmo, off, len);
      return typeof pages === 'number' ? pages : ZX_OK;
    }
    default:
      return ZX_ERR_INVALID_ARGS;
  }
}

/**
 * The pages covering [offset, offset + length), rounded out to page boundaries, or
 * ZX_ERR_OUT_OF_RANGE when the range overflows or passes the end of the VMO.
 */
function roundedPages(
  vmo: VmObjectPaged,
  offset: bigint,
  length: bigint,
): [number, number] | number {
  const end = offset + length;
  if (end > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
  const roundedEnd = roundUpPageU64(end);
  if (roundedEnd === null || roundedEnd > vmo.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
  return [Number(offset >> 12n), Number(roundedEnd >> 12n)];
}

function lockOp(
  ctx: SyscallContext,
  vmo: VmObjectPaged,
  op: number,
  offset: bigint,
  length: bigint,
  buffer: UserBuffer,
  bufferSize: bigint,
): number {
  if (vmo.discardable === null) return ZX_ERR_NOT_SUPPORTED;
  if (offset + length > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
  // Only the whole VMO is ever locked or unlocked.
  if (offset !== 0n || length !== vmo.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
  if (op === ZX_VMO_OP_TRY_LOCK) return vmo.tryLock();
  if (op === ZX_VMO_OP_UNLOCK) return vmo.unlock();
  // LOCK takes the lock first and gives it back if the state cannot be copied out.
  const wasDiscarded = vmo.lock();
  if (bufferSize < BigInt(ZX_VMO_LOCK_STATE_SIZE)) {
    vmo.unlock();
    return ZX_ERR_INVALID_ARGS;
  }
  const out = beginCopyOut(buffer, ZX_VMO_LOCK_STATE_SIZE);
  let status = typeof out === 'number' ? out : ZX_OK;
  if (typeof out !== 'number') {
    encodeZxVmoLockState(new DataView(out.buffer, out.byteOffset, ZX_VMO_LOCK_STATE_SIZE), 0, {
      offset,
      size: length,
      discarded_offset: 0n,
      discarded_size: wasDiscarded ? length : 0n,
    });
    status = finishCopyOut(ctx.user, buffer, out);
  }
  if (status !== ZX_OK) vmo.unlock();
  return status;
}
