// zx_object_* syscalls other than get_info: properties, signals and waits. Rights and errors:
// src/abi/syscalls/object.ts.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_WRONG_TYPE,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PROP_NAME,
  ZX_PROP_VMO_CONTENT_SIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_USER_SIGNAL_ALL,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import { OBJECT_SYSCALLS as S } from '../abi/syscalls/object.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import {
  fail,
  handleWithRights,
  lacksRights,
  objectWithRights,
  type SyscallContext,
} from './context.ts';
import type { HandleOut } from './impl.ts';
import { copyIn, copyOutBytes, type UserBuffer } from './user.ts';

// Reasons (src/util/reason.ts): each formatter gets the values it prints as arguments.

const NULL_VALUE = 'value is NULL';
const DEAD_THREAD_NAME = 'the thread is dead: its name went with its core thread';

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
      const named = object.nameStatus();
      if (named === ZX_ERR_WRONG_TYPE) {
        return fail(ctx, ZX_ERR_WRONG_TYPE, noProperty, object.type, property);
      }
      if (named !== ZX_OK) return fail(ctx, named, DEAD_THREAD_NAME);
      const bytes = new Uint8Array(ZX_MAX_NAME_LEN); // NUL-padded, as Zircon copies it
      bytes.set(object.getName()!.subarray(0, ZX_MAX_NAME_LEN - 1));
      return copyOutBytes(ctx.user, value, bytes);
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
      if (valueSize < 8n) return fail(ctx, ZX_ERR_BUFFER_TOO_SMALL, tooSmall, valueSize, 8);
      if (object.type !== ZX_OBJ_TYPE_VMO) {
        return fail(ctx, ZX_ERR_WRONG_TYPE, noProperty, object.type, property);
      }
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, (object as VmObjectDispatcher).streamSize, true);
      return copyOutBytes(ctx.user, value, bytes);
    }
    default:
      return fail(ctx, ZX_ERR_NOT_SUPPORTED, unknownProperty, property);
  }
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
      const named = object.nameStatus();
      if (named === ZX_ERR_WRONG_TYPE) {
        return fail(ctx, ZX_ERR_WRONG_TYPE, noProperty, object.type, property);
      }
      if (named !== ZX_OK) return fail(ctx, named, DEAD_THREAD_NAME);
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
