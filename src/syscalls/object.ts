// zx_object_* syscalls other than get_info: properties, signals and waits. Rights and errors:
// src/abi/syscalls/object.ts.

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
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_ALL,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import { OBJECT_SYSCALLS as S } from '../abi/syscalls/object.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { beginWait, type WaitResult } from '../object/wait.ts';
import {
  fail,
  handleWithRights,
  lacksRights,
  objectWithRights,
  type SyscallContext,
  unwritable,
} from './context.ts';
import type { HandleOut, UserOut } from './impl.ts';
import { beginCopyOut, copyIn, copyOutU32, finishCopyOut, type UserBuffer } from './user.ts';

// Reasons (src/util/reason.ts): each formatter gets the values it prints as arguments.

const NULL_VALUE = 'value is NULL';
const NOTHING_COULD_END =
  'an infinite wait that nothing could end: the host blocks no thread (Process.waitOne parks one)';

function tooSmall(size: bigint, needed: number): string {
  return `value_size (${size}) is below the property's ${needed} bytes`;
}

function noProperty(type: number, property: number): string {
  return `${nameFlags('obj_type', type)} has no ${nameFlags('property', property)}`;
}

function unknownProperty(property: number): string {
  return `property (${property}) is not a ZX_PROP_* zxvm knows`;
}

function notUserSignals(clear: number, set: number): string {
  const bad = ((clear | set) & ~ZX_USER_SIGNAL_ALL) >>> 0;
  return `a mask has bits outside ZX_USER_SIGNAL_ALL (${nameFlags('signals', bad)})`;
}

function timedOut(deadline: bigint): string {
  return `the deadline (${deadline} ns) passed before any of the signals was active`;
}

/**
 * zx_object_get_property(handle, property, value, value_size): copies out the object's name
 * (NUL-padded to 32 bytes) or a VMO's content (stream) size.
 * Rights and errors: its entry in src/abi/syscalls/object.ts.
 */
export function zx_object_get_property(
  ctx: SyscallContext,
  handle: number,
  property: number,
  value: UserBuffer,
  valueSize: bigint,
): number {
  if (value === null) return fail(ctx, ZX_ERR_INVALID_ARGS, NULL_VALUE);
  const object = objectWithRights(ctx, handle, S.zx_object_get_property.params[0]);
  if (typeof object === 'number') return object;
  switch (property) {
    case ZX_PROP_NAME: {
      if (valueSize < BigInt(ZX_MAX_NAME_LEN)) {
        return fail(ctx, ZX_ERR_BUFFER_TOO_SMALL, tooSmall, valueSize, ZX_MAX_NAME_LEN);
      }
      const name = object.getName();
      if (name === null) return fail(ctx, ZX_ERR_WRONG_TYPE, noProperty, object.type, property);
      const bytes = new Uint8Array(ZX_MAX_NAME_LEN); // NUL-padded, as Zircon copies it
      bytes.set(name.subarray(0, ZX_MAX_NAME_LEN - 1));
      return copyOutBytes(ctx, value, bytes);
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
      if (valueSize < 8n) return fail(ctx, ZX_ERR_BUFFER_TOO_SMALL, tooSmall, valueSize, 8);
      if (object.type !== ZX_OBJ_TYPE_VMO) {
        return fail(ctx, ZX_ERR_WRONG_TYPE, noProperty, object.type, property);
      }
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, (object as VmObjectDispatcher).streamSize, true);
      return copyOutBytes(ctx, value, bytes);
    }
    default:
      return fail(ctx, ZX_ERR_NOT_SUPPORTED, unknownProperty, property);
  }
}

function copyOutBytes(ctx: SyscallContext, buffer: UserBuffer, bytes: Uint8Array): number {
  const out = beginCopyOut(buffer, bytes.length);
  if (typeof out === 'number') return out;
  if (out !== bytes) out.set(bytes);
  return finishCopyOut(ctx.user, buffer, out === buffer ? bytes : out);
}

/**
 * zx_object_set_property(handle, property, value, value_size): sets the object's name (cut to
 * 31 bytes, ending at the first NUL) or a VMO's content size.
 * Rights and errors: its entry in src/abi/syscalls/object.ts.
 */
export function zx_object_set_property(
  ctx: SyscallContext,
  handle: number,
  property: number,
  value: UserBuffer,
  valueSize: bigint,
): number {
  if (value === null) return fail(ctx, ZX_ERR_INVALID_ARGS, NULL_VALUE);
  const found = handleWithRights(ctx, handle, S.zx_object_set_property.params[0]);
  if (typeof found === 'number') return found;
  const object = found.object;
  switch (property) {
    case ZX_PROP_NAME: {
      // Any size goes: longer names are cut to 31 bytes, and the name ends at its first NUL.
      const length = valueSize >= BigInt(ZX_MAX_NAME_LEN) ? ZX_MAX_NAME_LEN - 1 : Number(valueSize);
      const bytes = copyIn(ctx.user, value, length);
      if (typeof bytes === 'number') return bytes;
      const name = bytes.subarray(0, length);
      const nul = name.indexOf(0);
      if (object.setName(nul < 0 ? name : name.subarray(0, nul))) return ZX_OK;
      return fail(ctx, ZX_ERR_WRONG_TYPE, noProperty, object.type, property);
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
      // The 2025 kernel asks for WRITE first, before the size and the type of the object.
      if ((found.rights & ZX_RIGHT_WRITE) === 0) {
        return fail(ctx, ZX_ERR_ACCESS_DENIED, lacksRights, 'handle', found.rights, ZX_RIGHT_WRITE);
      }
      if (valueSize < 8n) return fail(ctx, ZX_ERR_BUFFER_TOO_SMALL, tooSmall, valueSize, 8);
      if (object.type !== ZX_OBJ_TYPE_VMO) {
        return fail(ctx, ZX_ERR_WRONG_TYPE, noProperty, object.type, property);
      }
      const bytes = copyIn(ctx.user, value, 8);
      if (typeof bytes === 'number') return bytes;
      const size = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
      return (object as VmObjectDispatcher).setContentSize(size);
    }
    default:
      return fail(ctx, ZX_ERR_NOT_SUPPORTED, unknownProperty, property);
  }
}

/**
 * zx_object_signal(handle, clear_mask, set_mask): clears then sets user signals (set wins for a
 * bit in both); no other signal may change.
 * Rights and errors: its entry in src/abi/syscalls/object.ts.
 */
export function zx_object_signal(
  ctx: SyscallContext,
  handle: number,
  clearMask: number,
  setMask: number,
): number {
  const object = objectWithRights(ctx, handle, S.zx_object_signal.params[0]);
  if (typeof object === 'number') return object;
  if (((clearMask | setMask) & ~ZX_USER_SIGNAL_ALL) !== 0) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, notUserSignals, clearMask, setMask);
  }
  object.updateSignals(clearMask, setMask);
  return ZX_OK;
}

/**
 * zx_object_wait_one(handle, signals, deadline, observed): returns at once when a signal is
 * active, or ZX_ERR_TIMED_OUT (observed written too) once the deadline has passed. A caller of
 * this synchronous form is the only thread that could act, so a wait with a finite deadline
 * sleeps until it (the kernel clock moves there, firing timers); one with ZX_TIME_INFINITE that
 * nothing could end gives ZX_ERR_SHOULD_WAIT instead of hanging (Process.waitOne parks the wait
 * as a continuation instead).
 * Rights and errors: its entry in src/abi/syscalls/object.ts.
 */
export function zx_object_wait_one(
  ctx: SyscallContext,
  handle: number,
  signals: number,
  deadline: bigint,
  observed: UserOut,
): number {
  const found = handleWithRights(ctx, handle, S.zx_object_wait_one.params[0]);
  if (typeof found === 'number') return found;
  let result: WaitResult | null = null;
  const started = beginWait(ctx.core.timers, found, signals, deadline, (r) => {
    result = r;
  });
  if ('status' in started) result = started;
  else if (deadline >= ZX_TIME_INFINITE) {
    started.abandon();
    return fail(ctx, ZX_ERR_SHOULD_WAIT, NOTHING_COULD_END);
  } else {
    ctx.core.timers.advanceTo(deadline);
  }
  const final = result as WaitResult | null;
  if (final === null) return fail(ctx, ZX_ERR_TIMED_OUT, timedOut, deadline);
  // observed goes out on every result, and a failed copy wins over it.
  if (observed !== null && !copyOutU32(ctx.user, observed, final.observed)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'observed', observed);
  }
  if (final.status === ZX_ERR_TIMED_OUT) return fail(ctx, ZX_ERR_TIMED_OUT, timedOut, deadline);
  return final.status;
}

/**
 * zx_object_get_child(handle, koid, rights, out): as Zircon's sys_object_get_child, the new
 * handle's rights come from the parent handle's, not from the child's defaults.
 */
export function zx_object_get_child(
  ctx: SyscallContext,
  handle: number,
  koid: bigint,
  rights: number,
  out: HandleOut,
): number {
  const parent = handleWithRights(ctx, handle, S.zx_object_get_child.params[0]);
  if (typeof parent === 'number') return parent;
  const granted = rights === ZX_RIGHT_SAME_RIGHTS ? parent.rights : rights;
  if ((parent.rights & granted) !== granted) {
    return fail(ctx, ZX_ERR_ACCESS_DENIED, lacksRights, 'handle', parent.rights, granted);
  }
  const child = parent.object.lookupChild(koid);
  if (typeof child === 'number') return child;
  return out.set(child, granted);
}
