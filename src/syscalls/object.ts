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
import { OBJECT_SYSCALLS as S } from '../abi/syscalls/object.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { handleWithRights, objectWithRights, type SyscallContext } from './context.ts';
import type { HandleOut } from './impl.ts';
import { beginCopyOut, copyIn, finishCopyOut, type UserBuffer } from './user.ts';

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
  if (value === null) return ZX_ERR_INVALID_ARGS;
  const object = objectWithRights(ctx, handle, S.zx_object_get_property.params[0]);
  if (typeof object === 'number') return object;
  switch (property) {
    case ZX_PROP_NAME: {
      if (valueSize < BigInt(ZX_MAX_NAME_LEN)) return ZX_ERR_BUFFER_TOO_SMALL;
      const named = object.nameStatus();
      if (named !== ZX_OK) return named;
      const bytes = new Uint8Array(ZX_MAX_NAME_LEN); // NUL-padded, as Zircon copies it
      bytes.set(object.getName()!.subarray(0, ZX_MAX_NAME_LEN - 1));
      return copyOutBytes(ctx, value, bytes);
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
      if (valueSize < 8n) return ZX_ERR_BUFFER_TOO_SMALL;
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
  if (value === null) return ZX_ERR_INVALID_ARGS;
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
      if (named !== ZX_OK) return named;
      const name = bytes.subarray(0, length);
      const nul = name.indexOf(0);
      return object.setName(nul < 0 ? name : name.subarray(0, nul)) ? ZX_OK : ZX_ERR_WRONG_TYPE;
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
      // The 2025 kernel asks for WRITE first, before the size and the type of the object.
      if ((found.rights & ZX_RIGHT_WRITE) === 0) return ZX_ERR_ACCESS_DENIED;
      if (valueSize < 8n) return ZX_ERR_BUFFER_TOO_SMALL;
      if (object.type !== ZX_OBJ_TYPE_VMO) return ZX_ERR_WRONG_TYPE;
      const bytes = copyIn(ctx.user, value, 8);
      if (typeof bytes === 'number') return bytes;
      const size = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
      return (object as VmObjectDispatcher).setContentSize(size);
    }
    default:
      return ZX_ERR_NOT_SUPPORTED;
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
  if (((clearMask | setMask) & ~ZX_USER_SIGNAL_ALL) !== 0) return ZX_ERR_INVALID_ARGS;
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
  if ((parent.rights & granted) !== granted) return ZX_ERR_ACCESS_DENIED;
  const child = parent.object.lookupChild(koid);
  if (typeof child === 'number') return child;
  return out.set(child, granted);
}
