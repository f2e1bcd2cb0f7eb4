// zx_vmo_* syscalls on VMOs: create, read, write, sizes and stream size, cache policy,
// replace_as_executable. zx_vmo_op_range lives in vmo-op-range.ts. The order of the checks in
// each function is Zircon's (docs/zircon-notes/vmo-syscalls.md): it decides which status wins.

import {
  ZX_CACHE_POLICY_CACHED,
  ZX_CACHE_POLICY_MASK,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_HANDLE_INVALID,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_POL_AMBIENT_MARK_VMO_EXEC,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_WRITE,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_VMEX_BASE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_RESIZABLE,
  ZX_VMO_UNBOUNDED,
} from '../abi/constants.ts';
import type { VmoObject } from '../object/vmo-object.ts';
import { roundUpPageU64, U64_MAX } from '../util/u64.ts';
import { VMO_MAX_SIZE } from '../vm/vm-object.ts';
import { handleValue, smallU64, u32, u64, writeOut } from './args.ts';
import { addHandleAndCopyOut, lookup, lookupWithRights, type SyscallContext } from './context.ts';
import { enforcePolicy } from './policy.ts';
import { validateRangedResource } from './resource.ts';
import { isUserBuffer } from './user.ts';
import { createPagedVmo } from './vmo-create.ts';
import { readToUser, writeFromUser } from './vmo-io.ts';

const VMO_CREATE_OPTIONS = ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE | ZX_VMO_UNBOUNDED;

/**
 * zx_vmo_create(size, options, out)
 * Rights: the caller's job policy must allow ZX_POL_NEW_VMO (checked before anything else).
 * Errors: ZX_ERR_ACCESS_DENIED (policy); ZX_ERR_INVALID_ARGS (RESIZABLE with UNBOUNDED; unknown
 * option bits; out unusable: the handle is then leaked, as Zircon leaks it);
 * ZX_ERR_OUT_OF_RANGE (size rounds past 2^64, or past the largest VMO); ZX_ERR_NO_MEMORY.
 * UNBOUNDED makes the VMO as large as a VMO can be; the size argument becomes the content size
 * (Zircon's kernel and core tests accept any size with UNBOUNDED, whatever the page says).
 */
export function zx_vmo_create(
  ctx: SyscallContext,
  size: unknown,
  options: unknown,
  out: unknown,
): number {
  const size64 = u64(size);
  const opts = u32(options);
  if (size64 === undefined || opts === undefined) return ZX_ERR_INVALID_ARGS;
  const policy = enforcePolicy(ctx, ZX_POL_NEW_VMO);
  if (policy !== ZX_OK) return policy;
  const resizable = (opts & ZX_VMO_RESIZABLE) !== 0;
  const unbounded = (opts & ZX_VMO_UNBOUNDED) !== 0;
  if (resizable && unbounded) return ZX_ERR_INVALID_ARGS;
  const vmoSize = unbounded ? VMO_MAX_SIZE : roundUpPageU64(size64);
  if (vmoSize === null) return ZX_ERR_OUT_OF_RANGE;
  if ((opts & ~VMO_CREATE_OPTIONS) !== 0) return ZX_ERR_INVALID_ARGS;
  const created = createPagedVmo(ctx.core, vmoSize, size64, {
    resizable,
    discardable: (opts & ZX_VMO_DISCARDABLE) !== 0,
    unbounded,
  });
  if (typeof created === 'number') return created;
  const rights = ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0);
  return addHandleAndCopyOut(ctx, created, rights, out);
}

/**
 * zx_vmo_read(handle, buffer, offset, buffer_size)
 * Reading never commits: pages never written read as zeros.
 * Rights: handle must be a VMO with ZX_RIGHT_READ.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED; ZX_ERR_OUT_OF_RANGE
 * (offset + buffer_size overflows 64 bits); ZX_ERR_BAD_STATE (the VMO is uncached);
 * ZX_ERR_OUT_OF_RANGE (the range passes the end); ZX_ERR_NOT_FOUND (the VMO was discarded, or
 * the buffer is NULL, unmapped, or a host array shorter than buffer_size).
 */
export function zx_vmo_read(
  ctx: SyscallContext,
  handle: unknown,
  buffer: unknown,
  offset: unknown,
  bufferSize: unknown,
): number {
  return transfer(ctx, handle, buffer, offset, bufferSize, ZX_RIGHT_READ);
}

/**
 * zx_vmo_write(handle, buffer, offset, buffer_size)
 * Rights: handle must be a VMO with ZX_RIGHT_WRITE.
 * Errors: as zx_vmo_read, plus ZX_ERR_NO_MEMORY (no frames for the pages written; nothing is
 * written then).
 */
export function zx_vmo_write(
  ctx: SyscallContext,
  handle: unknown,
  buffer: unknown,
  offset: unknown,
  bufferSize: unknown,
): number {
  return transfer(ctx, handle, buffer, offset, bufferSize, ZX_RIGHT_WRITE);
}

function transfer(
  ctx: SyscallContext,
  handle: unknown,
  buffer: unknown,
  offset: unknown,
  bufferSize: unknown,
  right: number,
): number {
  if (!isUserBuffer(buffer)) return ZX_ERR_INVALID_ARGS;
  // Fast path: offsets and lengths that are safe integers need no bigint arithmetic.
  const offNum = smallU64(offset);
  const lenNum = smallU64(bufferSize);
  let small = offNum >= 0 && lenNum >= 0;
  let off64 = 0n;
  let len64 = 0n;
  if (!small) {
    const o = u64(offset);
    const l = u64(bufferSize);
    if (o === undefined || l === undefined) return ZX_ERR_INVALID_ARGS;
    off64 = o;
    len64 = l;
  }
  const object = lookup<VmoObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_VMO, right);
  if (typeof object === 'number') return object;
  const vmo = object.vmo;
  // Device memory is only reached through mappings.
  if (vmo.isPhysical) return ZX_ERR_NOT_SUPPORTED;
  if (small) {
    if (!vmo.isCached) return ZX_ERR_BAD_STATE;
    if (offNum + lenNum > vmo.sizePages * 4096) {
      // Past the end, unless exactness is in doubt for huge VMOs: then redo it exactly.
      if (offNum + lenNum <= Number.MAX_SAFE_INTEGER) return ZX_ERR_OUT_OF_RANGE;
      small = false;
      off64 = BigInt(offNum);
      len64 = BigInt(lenNum);
    }
  }
  if (!small) {
    const end = off64 + len64;
    if (end > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
    if (!vmo.isCached) return ZX_ERR_BAD_STATE;
    if (end > vmo.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
  }
  const length = small ? lenNum : Number(len64);
  if (length === 0) return ZX_OK;
  const at = small ? offNum : off64;
  return right === ZX_RIGHT_READ
    ? readToUser(vmo, ctx.user, buffer, at, length)
    : writeFromUser(vmo, ctx.user, buffer, at, length);
}

/**
 * zx_vmo_get_size(handle, size)
 * Rights: handle must be a VMO (no right needed).
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE; ZX_ERR_INVALID_ARGS (size unusable).
 */
export function zx_vmo_get_size(ctx: SyscallContext, handle: unknown, size: unknown): number {
  const object = lookup<VmoObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE);
  if (typeof object === 'number') return object;
  return writeOut(size, object.vmo.sizeBytes) ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

/**
 * zx_vmo_set_size(handle, size)
 * Rounds up to pages, zeroes the tail of the last page, sets the content size to `size`.
 * Rights: handle must be a VMO with ZX_RIGHT_WRITE, and ZX_RIGHT_RESIZE when the VMO is
 * resizable (a VMO that is not resizable answers UNAVAILABLE whatever the rights).
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED (no WRITE; resizable VMO and
 * no RESIZE); ZX_ERR_OUT_OF_RANGE (size rounds past 2^64); ZX_ERR_UNAVAILABLE (not resizable);
 * ZX_ERR_OUT_OF_RANGE (past the largest VMO); ZX_ERR_BAD_STATE (pinned pages would be cut).
 */
export function zx_vmo_set_size(ctx: SyscallContext, handle: unknown, size: unknown): number {
  const size64 = u64(size);
  if (size64 === undefined) return ZX_ERR_INVALID_ARGS;
  const found = lookupWithRights(ctx, handleValue(handle), ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
  if (typeof found === 'number') return found;
  const object = found.object as VmoObject;
  const vmo = object.vmo;
  if (vmo.options.resizable && (found.rights & ZX_RIGHT_RESIZE) === 0) {
    return ZX_ERR_ACCESS_DENIED;
  }
  // Physical and contiguous VMOs never change size.
  if (vmo.isContiguous) return ZX_ERR_UNAVAILABLE;
  const rounded = roundUpPageU64(size64);
  if (rounded === null) return ZX_ERR_OUT_OF_RANGE;
  if (!vmo.options.resizable) return ZX_ERR_UNAVAILABLE;
  if (rounded > VMO_MAX_SIZE) return ZX_ERR_OUT_OF_RANGE;
  const status = vmo.resize(Number(rounded >> 12n));
  if (status !== ZX_OK) return status;
  if (size64 < rounded) vmo.zero(size64, rounded);
  object.contentSize = size64;
  return ZX_OK;
}

/**
 * zx_vmo_get_stream_size(handle, size)
 * Rights: handle must be a VMO (no right needed).
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE; ZX_ERR_INVALID_ARGS (size unusable).
 */
export function zx_vmo_get_stream_size(
  ctx: SyscallContext,
  handle: unknown,
  size: unknown,
): number {
  const object = lookup<VmoObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE);
  if (typeof object === 'number') return object;
  return writeOut(size, object.streamSize) ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

/**
 * zx_vmo_set_stream_size(handle, size)
 * Sets the stream (content) size without resizing the VMO, and zeroes from the lower of the old
 * and new stream sizes to the end of the VMO, so bytes past the stream always read as zero.
 * Rights: handle must be a VMO with ZX_RIGHT_WRITE.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED; ZX_ERR_OUT_OF_RANGE (size
 * past the VMO's size).
 */
export function zx_vmo_set_stream_size(
  ctx: SyscallContext,
  handle: unknown,
  size: unknown,
): number {
  const size64 = u64(size);
  if (size64 === undefined) return ZX_ERR_INVALID_ARGS;
  const object = lookup<VmoObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
  if (typeof object === 'number') return object;
  // Physical and contiguous VMOs have no stream.
  if (object.vmo.isContiguous) return ZX_ERR_NOT_SUPPORTED;
  return setStreamSize(object, size64);
}

/** Shared by zx_vmo_set_stream_size. */
export function setStreamSize(object: VmoObject, size: bigint): number {
  if (size === object.contentSize) return ZX_OK;
  const vmo = object.vmo;
  if (size > vmo.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
  const from = size < object.contentSize ? size : object.contentSize;
  if (from < vmo.sizeBytes) {
    const status = vmo.zero(from, vmo.sizeBytes);
    if (status !== ZX_OK) return status;
  }
  object.contentSize = size;
  return ZX_OK;
}

/**
 * zx_vmo_set_cache_policy(handle, cache_policy)
 * Rights: handle must be a VMO with ZX_RIGHT_MAP.
 * Errors: ZX_ERR_INVALID_ARGS (bits outside ZX_CACHE_POLICY_MASK; checked before the handle);
 * ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED; ZX_ERR_BAD_STATE (committed pages
 * while not cached; pinned pages; mapped; has children; is a child, a reference or a slice;
 * discardable VMO made uncached).
 */
export function zx_vmo_set_cache_policy(
  ctx: SyscallContext,
  handle: unknown,
  cachePolicy: unknown,
): number {
  const policy = u32(cachePolicy);
  if (policy === undefined || (policy & ~ZX_CACHE_POLICY_MASK) !== 0) return ZX_ERR_INVALID_ARGS;
  const object = lookup<VmoObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP);
  if (typeof object === 'number') return object;
  const vmo = object.vmo;
  if (vmo.isPhysical) {
    // The same policy again is a no-op, mapped or not; a change needs an unmapped, childless
    // VMO that is not a slice.
    if (policy === vmo.cachePolicy) return ZX_OK;
    if (vmo.mappingCount > 0 || vmo.childCount > 0 || vmo.isChild) return ZX_ERR_BAD_STATE;
    vmo.cachePolicy = policy;
    return ZX_OK;
  }
  if (!vmo.isCached && vmo.cow.frameCount > 0) return ZX_ERR_BAD_STATE;
  if (vmo.pinnedCount > 0 || vmo.mappingCount > 0) return ZX_ERR_BAD_STATE;
  if (vmo.childCount > 0 || vmo.isChild) return ZX_ERR_BAD_STATE;
  // References and slices see their parent's pages, even once that parent is gone.
  if (vmo.isReference || vmo.isSlice) return ZX_ERR_BAD_STATE;
  if (vmo.discardable !== null && policy !== ZX_CACHE_POLICY_CACHED && vmo.isCached) {
    return ZX_ERR_BAD_STATE;
  }
  vmo.cachePolicy = policy;
  return ZX_OK;
}

/**
 * zx_vmo_replace_as_executable(handle, vmex, out)
 * `handle` is consumed whenever it names a handle, even when the call then fails.
 * Rights: handle must be a VMO (no right needed); vmex must be a ZX_RSRC_KIND_SYSTEM resource
 * covering ZX_RSRC_SYSTEM_VMEX_BASE (no right needed), or ZX_HANDLE_INVALID when the job policy
 * allows ZX_POL_AMBIENT_MARK_VMO_EXEC.
 * Errors: ZX_ERR_BAD_HANDLE (handle invalid or not a VMO; vmex invalid); ZX_ERR_WRONG_TYPE (vmex
 * is not a SYSTEM resource); ZX_ERR_OUT_OF_RANGE (vmex does not cover VMEX);
 * ZX_ERR_ACCESS_DENIED (ambient policy denies); ZX_ERR_INVALID_ARGS (out unusable: the new
 * handle is leaked, as in Zircon); ZX_ERR_NO_MEMORY (the kernel's handle arena is full).
 */
export function zx_vmo_replace_as_executable(
  ctx: SyscallContext,
  handle: unknown,
  vmex: unknown,
  out: unknown,
): number {
  const vmexValue = handleValue(vmex);
  const vmexStatus =
    vmexValue === ZX_HANDLE_INVALID
      ? enforcePolicy(ctx, ZX_POL_AMBIENT_MARK_VMO_EXEC)
      : validateRangedResource(ctx, vmexValue, ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE, 1n);
  // Taken out of the table first, and closed last: it keeps the object (and its arena slot)
  // while the new handle is made, as in Zircon, so a full arena gives ZX_ERR_NO_MEMORY.
  const removed = ctx.process.handles.take(handleValue(handle));
  if (removed === undefined) return ZX_ERR_BAD_HANDLE;
  const object = removed.object;
  try {
    if (object.type !== ZX_OBJ_TYPE_VMO) return ZX_ERR_BAD_HANDLE;
    if (vmexStatus !== ZX_OK) return vmexStatus;
    return addHandleAndCopyOut(ctx, object, removed.rights | ZX_RIGHT_EXECUTE, out);
  } finally {
    ctx.core.handleArena.destroy(removed);
  }
}
