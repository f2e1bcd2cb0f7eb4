// zx_object_* syscalls other than get_info: properties, signals and waits.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PROP_NAME,
  ZX_PROP_VMO_CONTENT_SIZE,
  ZX_RIGHT_GET_PROPERTY,
  ZX_RIGHT_SET_PROPERTY,
  ZX_RIGHT_SIGNAL,
  ZX_RIGHT_WAIT,
  ZX_RIGHT_WRITE,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_ALL,
} from '../abi/constants.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { beginWait } from '../object/wait.ts';
import { handleValue, i64, u32, u64, writeOut } from './args.ts';
import { ANY_TYPE, lookupWithRights, type SyscallContext } from './context.ts';
import { getName, hasName, setName } from './names.ts';
import { beginCopyOut, copyIn, finishCopyOut, isUserBuffer, type UserBuffer } from './user.ts';

function lookupAny(ctx: SyscallContext, value: unknown, rights: number) {
  return lookupWithRights(ctx, handleValue(value), ANY_TYPE, rights);
}

/**
 * zx_object_get_property(handle, property, value, value_size)
 * Rights: ZX_RIGHT_GET_PROPERTY.
 * Errors: ZX_ERR_INVALID_ARGS (value NULL, checked first); ZX_ERR_BAD_HANDLE;
 * ZX_ERR_ACCESS_DENIED; ZX_ERR_BUFFER_TOO_SMALL (value_size below the property's size);
 * ZX_ERR_WRONG_TYPE (property not held by this object type); ZX_ERR_NOT_SUPPORTED (unknown
 * property); ZX_ERR_NOT_FOUND (host buffer shorter than value_size).
 */
export function zx_object_get_property(
  ctx: SyscallContext,
  handle: unknown,
  property: unknown,
  value: unknown,
  valueSize: unknown,
): number {
  const prop = u32(property);
  const size = u64(valueSize);
  if (prop === undefined || size === undefined || !isUserBuffer(value)) return ZX_ERR_INVALID_ARGS;
  if (value === null) return ZX_ERR_INVALID_ARGS;
  const found = lookupAny(ctx, handle, ZX_RIGHT_GET_PROPERTY);
  if (typeof found === 'number') return found;
  const object = found.object;
  switch (prop) {
    case ZX_PROP_NAME: {
      if (size < BigInt(ZX_MAX_NAME_LEN)) return ZX_ERR_BUFFER_TOO_SMALL;
      if (!hasName(object)) return ZX_ERR_WRONG_TYPE;
      const bytes = new Uint8Array(ZX_MAX_NAME_LEN);
      bytes.set(getName(object));
      return copyOutBytes(ctx, value, bytes);
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
      if (size < 8n) return ZX_ERR_BUFFER_TOO_SMALL;
      if (object.type !== ZX_OBJ_TYPE_VMO) return ZX_ERR_WRONG_TYPE;
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, (object as VmObjectDispatcher).streamSize, true);
      return copyOutBytes(ctx, value, bytes);
    }
    default:
      return ZX_ERR_NOT_SUPPORTED;
  }
}

function copyOutBytes(ctx: SyscallContext, buffer: UserBuffer, bytes: Uint8Array): number {
  const out = beginCopyOut(buffer, bytes.length);
  if (typeof out === 'number') return out;
  if (out !== bytes) out.set(bytes);
  return finishCopyOut(ctx.user, buffer, out === buffer ? bytes : out);
}

/**
 * zx_object_set_property(handle, property, value, value_size)
 * Rights: ZX_RIGHT_SET_PROPERTY; ZX_PROP_VMO_CONTENT_SIZE also needs ZX_RIGHT_WRITE.
 * Errors: ZX_ERR_INVALID_ARGS (value NULL, checked first); ZX_ERR_BAD_HANDLE;
 * ZX_ERR_ACCESS_DENIED (also: content size without ZX_RIGHT_WRITE, before the size and type
 * checks); ZX_ERR_BUFFER_TOO_SMALL; ZX_ERR_WRONG_TYPE; ZX_ERR_NOT_SUPPORTED (unknown property;
 * content size of a physical or contiguous VMO);
 * ZX_ERR_NOT_FOUND (host buffer shorter than value_size).
 */
export function zx_object_set_property(
  ctx: SyscallContext,
  handle: unknown,
  property: unknown,
  value: unknown,
  valueSize: unknown,
): number {
  const prop = u32(property);
  const size = u64(valueSize);
  if (prop === undefined || size === undefined || !isUserBuffer(value)) return ZX_ERR_INVALID_ARGS;
  if (value === null) return ZX_ERR_INVALID_ARGS;
  const found = lookupAny(ctx, handle, ZX_RIGHT_SET_PROPERTY);
  if (typeof found === 'number') return found;
  const object = found.object;
  switch (prop) {
    case ZX_PROP_NAME: {
      const length = size >= BigInt(ZX_MAX_NAME_LEN) ? ZX_MAX_NAME_LEN - 1 : Number(size);
      const bytes = copyIn(ctx.user, value, length);
      if (typeof bytes === 'number') return bytes;
      if (!hasName(object)) return ZX_ERR_WRONG_TYPE;
      setName(object, bytes.subarray(0, length));
      return ZX_OK;
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
      if ((found.rights & ZX_RIGHT_WRITE) === 0) return ZX_ERR_ACCESS_DENIED;
      if (size < 8n) return ZX_ERR_BUFFER_TOO_SMALL;
      if (object.type !== ZX_OBJ_TYPE_VMO) return ZX_ERR_WRONG_TYPE;
      const bytes = copyIn(ctx.user, value, 8);
      if (typeof bytes === 'number') return bytes;
      const content = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
      return (object as VmObjectDispatcher).setContentSize(content);
    }
    default:
      return ZX_ERR_NOT_SUPPORTED;
  }
}

/**
 * zx_object_signal(handle, clear_mask, set_mask)
 * Rights: ZX_RIGHT_SIGNAL.
 * Errors: ZX_ERR_BAD_HANDLE; ZX_ERR_ACCESS_DENIED; ZX_ERR_INVALID_ARGS (a mask holds bits outside
 * ZX_USER_SIGNAL_ALL).
 */
export function zx_object_signal(
  ctx: SyscallContext,
  handle: unknown,
  clearMask: unknown,
  setMask: unknown,
): number {
  const clear = u32(clearMask);
  const set = u32(setMask);
  if (clear === undefined || set === undefined) return ZX_ERR_INVALID_ARGS;
  const found = lookupAny(ctx, handle, ZX_RIGHT_SIGNAL);
  if (typeof found === 'number') return found;
  if (((clear | set) & ~ZX_USER_SIGNAL_ALL) !== 0) return ZX_ERR_INVALID_ARGS;
  found.object.updateSignals(clear, set);
  return ZX_OK;
}

/**
 * zx_object_wait_one(handle, signals, deadline, observed)
 * Returns at once when a signal is active, or ZX_ERR_TIMED_OUT (with observed written) once the
 * deadline has passed. A caller of this synchronous form is the only thread that could act, so
 * a wait with a finite deadline sleeps until it (the kernel clock moves there, firing timers);
 * one with ZX_TIME_INFINITE that nothing could end gives ZX_ERR_SHOULD_WAIT instead of hanging
 * (Process.waitOne parks the wait as a continuation instead).
 * Rights: ZX_RIGHT_WAIT.
 * Errors: ZX_ERR_BAD_HANDLE; ZX_ERR_ACCESS_DENIED; ZX_ERR_TIMED_OUT; ZX_ERR_CANCELED (the handle
 * was closed while waiting); ZX_ERR_INVALID_ARGS (observed unusable).
 */
export function zx_object_wait_one(
  ctx: SyscallContext,
  handle: unknown,
  signals: unknown,
  deadline: unknown,
  observed: unknown,
): number {
  const mask = u32(signals);
  const until = i64(deadline);
  if (mask === undefined || until === undefined) return ZX_ERR_INVALID_ARGS;
  const found = lookupAny(ctx, handle, ZX_RIGHT_WAIT);
  if (typeof found === 'number') return found;
  let result: { status: number; observed: number } | null = null;
  const started = beginWait(ctx.core.timers, found, mask, until, (r) => {
    result = r;
  });
  if ('status' in started) result = started;
  else if (until >= ZX_TIME_INFINITE) {
    started.abandon();
    return ZX_ERR_SHOULD_WAIT;
  } else {
    ctx.core.timers.advanceTo(until);
  }
  const final = result as { status: number; observed: number } | null;
  if (final === null) return ZX_ERR_TIMED_OUT;
  if (observed !== null && !writeOut(observed, final.observed)) return ZX_ERR_INVALID_ARGS;
  return final.status;
}
