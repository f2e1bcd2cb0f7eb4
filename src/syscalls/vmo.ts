// zx_vmo_* syscalls on VMOs: create, read, write, sizes and stream size, cache policy,
// replace_as_executable (zx_vmo_op_range, create_child and transfer_data have files of their
// own). Each checks its arguments and rights in Zircon's order and calls one method of the
// VMO's kernel object (VmObjectDispatcher), as Zircon's sys_vmo_* functions do.

import {
  ZX_CACHE_POLICY_MASK,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_HANDLE_INVALID,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_POL_AMBIENT_MARK_VMO_EXEC,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_RESIZE,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_VMEX_BASE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_RESIZABLE,
  ZX_VMO_UNBOUNDED,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import type { HandleParam } from '../abi/syscall-spec.ts';
import { VMO_SYSCALLS as S } from '../abi/syscalls/vmo.ts';
import type { Handle } from '../object/handle.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { hostByteLength, isHostBytes } from '../util/host-bytes.ts';
import { hex } from '../util/reason.ts';
import { roundUpPageU64 } from '../util/u64.ts';
import { VMO_MAX_SIZE } from '../vm/vm-object.ts';
import { isSmallRange, smallU64, u64 } from './args.ts';
import {
  fail,
  handleWithRights,
  lacksRights,
  objectOfParam,
  objectWithRights,
  type SyscallContext,
  unwritable,
} from './context.ts';
import { notInteger } from './explain.ts';
import type { HandleOut, UserOut } from './impl.ts';
import { enforcePolicy } from './policy.ts';
import { validateRangedResource } from './ranged-resource.ts';
import { copyOutU64, type UserBuffer } from './user.ts';
import { createPagedVmo } from './vmo-create.ts';
import { readToUser, writeFromUser } from './vmo-io.ts';
import { roundsPast, unknownBits } from './why.ts';

const VMO_CREATE_OPTIONS = ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE | ZX_VMO_UNBOUNDED;
const VMEX = S.zx_vmo_replace_as_executable.params[1];
const READ = S.zx_vmo_read.params[0];
const WRITE = S.zx_vmo_write.params[0];

// Reasons (src/util/reason.ts): each formatter gets the values it prints as arguments.

function undecodable(offset: unknown, bufferSize: unknown): string {
  const bad = u64(offset) === undefined ? 'offset' : 'buffer_size';
  return notInteger(bad, bad === 'offset' ? offset : bufferSize, 'a uint64_t');
}

function noResize(rights: number): string {
  return `${lacksRights('handle', rights, ZX_RIGHT_RESIZE)}, which a resizable VMO needs`;
}

function outsideMask(policy: number): string {
  return `cache_policy (${hex(policy)}) has bits outside ZX_CACHE_POLICY_MASK`;
}

function notVmo(type: number): string {
  return `handle is ${nameFlags('obj_type', type)}, not a VMO (it is closed all the same)`;
}

/**
 * zx_vmo_create(size, options, out): a paged VMO of `size` rounded up to pages. UNBOUNDED makes
 * it as large as a VMO can be and `size` only its content size (Zircon's kernel and core tests
 * accept any size with UNBOUNDED, whatever the page says).
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_create(
  ctx: SyscallContext,
  size: bigint,
  options: number,
  out: HandleOut,
): number {
  const policy = enforcePolicy(ctx, ZX_POL_NEW_VMO);
  if (policy !== ZX_OK) return policy;
  const resizable = (options & ZX_VMO_RESIZABLE) !== 0;
  const unbounded = (options & ZX_VMO_UNBOUNDED) !== 0;
  if (resizable && unbounded) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, 'options has both ZX_VMO_RESIZABLE and ZX_VMO_UNBOUNDED');
  }
  const vmoSize = unbounded ? VMO_MAX_SIZE : roundUpPageU64(size);
  if (vmoSize === null) return fail(ctx, ZX_ERR_OUT_OF_RANGE, roundsPast, 'size', size);
  const unknown = options & ~VMO_CREATE_OPTIONS;
  if (unknown !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, unknownBits, 'options', unknown);
  const created = createPagedVmo(ctx.core, vmoSize, size, {
    resizable,
    discardable: (options & ZX_VMO_DISCARDABLE) !== 0,
    unbounded,
  });
  if (typeof created === 'number') return created;
  return out.set(created, ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0));
}

/**
 * zx_vmo_read(handle, buffer, offset, buffer_size): reading never commits; pages never
 * written read as zeros.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_read(
  ctx: SyscallContext,
  handle: number,
  buffer: UserBuffer,
  offset: unknown,
  bufferSize: unknown,
): number {
  return isHostBytes(buffer)
    ? readHostMemory(ctx, handle, buffer, offset, bufferSize)
    : transfer(ctx, handle, buffer, offset, bufferSize, READ, false);
}

/**
 * zx_vmo_write(handle, buffer, offset, buffer_size): commits (or forks) the pages written; when
 * frames run out nothing is written.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_write(
  ctx: SyscallContext,
  handle: number,
  buffer: UserBuffer,
  offset: unknown,
  bufferSize: unknown,
): number {
  return isHostBytes(buffer)
    ? writeHostMemory(ctx, handle, buffer, offset, bufferSize)
    : transfer(ctx, handle, buffer, offset, bufferSize, WRITE, true);
}

// zx_vmo_read and zx_vmo_write with host memory as the buffer (the binder calls these straight
// for a number handle). Host memory long enough at number offsets goes straight to the VMO
// (readHost and writeHost make the copy loops' checks in the same order); the rest goes through
// transfer. Each is small, so that the JIT inlines all of it into the call, and calls its
// helpers through this module's own constants, which V8 folds (an imported function is read
// from its cell and checked on every call).

const smallRange = isSmallRange;
const byteLength = hostByteLength;
const vmoOf = objectOfParam<VmObjectDispatcher>;

export function readHostMemory(
  ctx: SyscallContext,
  handle: number,
  buffer: Uint8Array,
  offset: unknown,
  bufferSize: unknown,
): number {
  if (!smallRange(offset, bufferSize) || byteLength(buffer) < (bufferSize as number)) {
    return transfer(ctx, handle, buffer, offset, bufferSize, READ, false);
  }
  const object = vmoOf(ctx, handle, READ);
  return typeof object === 'number'
    ? object
    : object.vmo.readHost(offset as number, bufferSize as number, buffer);
}

export function writeHostMemory(
  ctx: SyscallContext,
  handle: number,
  buffer: Uint8Array,
  offset: unknown,
  bufferSize: unknown,
): number {
  if (!smallRange(offset, bufferSize) || byteLength(buffer) < (bufferSize as number)) {
    return transfer(ctx, handle, buffer, offset, bufferSize, WRITE, true);
  }
  const object = vmoOf(ctx, handle, WRITE);
  return typeof object === 'number'
    ? object
    : object.vmo.writeHost(offset as number, bufferSize as number, buffer);
}

/**
 * zx_vmo_read and zx_vmo_write other than into or out of host memory at number offsets. The
 * table declares offset and length raw: two numbers whose sum is a safe integer stay numbers;
 * anything else (bigints, numbers whose sum a double cannot hold exactly) becomes two exact
 * bigints, or ZX_ERR_INVALID_ARGS before the handle is looked up.
 */
function transfer(
  ctx: SyscallContext,
  handle: number,
  buffer: UserBuffer,
  offset: unknown,
  bufferSize: unknown,
  param: HandleParam,
  write: boolean,
): number {
  let off: number | bigint = smallU64(offset);
  let len: number | bigint = smallU64(bufferSize);
  if (off < 0 || len < 0 || off + len > Number.MAX_SAFE_INTEGER) {
    const exactOff = u64(offset);
    const exactLen = u64(bufferSize);
    if (exactOff === undefined || exactLen === undefined) {
      return fail(ctx, ZX_ERR_INVALID_ARGS, undecodable, offset, bufferSize);
    }
    off = exactOff;
    len = exactLen;
  }
  const object = objectWithRights<VmObjectDispatcher>(ctx, handle, param);
  if (typeof object === 'number') return object;
  return write
    ? object.write(off, len, writeFromUser, ctx.user, buffer)
    : object.read(off, len, readToUser, ctx.user, buffer);
}

/**
 * zx_vmo_get_size(handle, size): the size in whole pages.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_get_size(ctx: SyscallContext, handle: number, size: UserOut): number {
  const object = objectWithRights<VmObjectDispatcher>(ctx, handle, S.zx_vmo_get_size.params[0]);
  if (typeof object === 'number') return object;
  if (copyOutU64(ctx.user, size, object.vmo.sizeBytes)) return ZX_OK;
  return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'size', size);
}

/**
 * zx_vmo_set_size(handle, size): rounds up to pages, zeroes the tail of the last page, sets the
 * content size to `size`. RESIZE is asked only of resizable VMOs: the others answer
 * UNAVAILABLE whatever the rights.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_set_size(ctx: SyscallContext, handle: number, size: bigint): number {
  const found = handleWithRights(ctx, handle, S.zx_vmo_set_size.params[0]);
  if (typeof found === 'number') return found;
  const object = found.object as VmObjectDispatcher;
  if (object.vmo.isResizable && (found.rights & ZX_RIGHT_RESIZE) === 0) {
    return fail(ctx, ZX_ERR_ACCESS_DENIED, noResize, found.rights);
  }
  return object.setSize(size);
}

/**
 * zx_vmo_get_stream_size(handle, size): the content size, unrounded.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_get_stream_size(ctx: SyscallContext, handle: number, size: UserOut): number {
  const param = S.zx_vmo_get_stream_size.params[0];
  const object = objectWithRights<VmObjectDispatcher>(ctx, handle, param);
  if (typeof object === 'number') return object;
  if (copyOutU64(ctx.user, size, object.streamSize)) return ZX_OK;
  return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'size', size);
}

/**
 * zx_vmo_set_stream_size(handle, size): sets the content size without resizing the VMO, and
 * zeroes from the lower of the old and new sizes to the end of the VMO.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_set_stream_size(ctx: SyscallContext, handle: number, size: bigint): number {
  const param = S.zx_vmo_set_stream_size.params[0];
  const object = objectWithRights<VmObjectDispatcher>(ctx, handle, param);
  if (typeof object === 'number') return object;
  return object.setStreamSize(size);
}

/**
 * zx_vmo_set_cache_policy(handle, cache_policy): the policy is checked before the handle.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_set_cache_policy(
  ctx: SyscallContext,
  handle: number,
  cachePolicy: number,
): number {
  if ((cachePolicy & ~ZX_CACHE_POLICY_MASK) !== 0) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, outsideMask, cachePolicy);
  }
  const param = S.zx_vmo_set_cache_policy.params[0];
  const object = objectWithRights<VmObjectDispatcher>(ctx, handle, param);
  if (typeof object === 'number') return object;
  return object.setMappingCachePolicy(cachePolicy);
}

/**
 * zx_vmo_replace_as_executable(handle, vmex, out): `handle` left the table before this runs
 * (the binder consumes it, as Zircon removes it whatever follows). Zircon validates vmex first
 * but reports its status only once the consumed handle has proved to be a VMO.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_replace_as_executable(
  ctx: SyscallContext,
  handle: Handle,
  vmex: number,
  out: HandleOut,
): number {
  const vmexStatus =
    vmex === ZX_HANDLE_INVALID
      ? enforcePolicy(ctx, ZX_POL_AMBIENT_MARK_VMO_EXEC)
      : validateRangedResource(ctx, vmex, ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE, 1n, VMEX);
  // Zircon's RemoveHandle takes any object; one that is not a VMO is a bad handle here.
  if (handle.object.type !== ZX_OBJ_TYPE_VMO) {
    return fail(ctx, ZX_ERR_BAD_HANDLE, notVmo, handle.object.type);
  }
  if (vmexStatus !== ZX_OK) return vmexStatus;
  return out.set(handle.object, handle.rights | ZX_RIGHT_EXECUTE);
}
