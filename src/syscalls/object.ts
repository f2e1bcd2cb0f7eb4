// zx_object_* syscalls other than get_info and the waits: properties and signals (the waits
// are in object-wait.ts).

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
  ZX_RIGHT_GET_PROPERTY,
  ZX_RIGHT_SET_PROPERTY,
  ZX_RIGHT_SIGNAL,
  ZX_RIGHT_WRITE,
  ZX_USER_SIGNAL_ALL,
} from '../abi/constants.ts';
import type { VmoObject } from '../object/vmo-object.ts';
import { handleValue, u32, u64 } from './args.ts';
import { ANY_TYPE, lookupWithRights, type SyscallContext } from './context.ts';
import { getName, nameStatus, setName } from './names.ts';
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
      const named = nameStatus(object);
      if (named !== ZX_OK) return named;
      const bytes = new Uint8Array(ZX_MAX_NAME_LEN);
      bytes.set(getName(object));
      return copyOutBytes(ctx, value, bytes);
    }
    case ZX_PROP_VMO_CONTENT_SIZE: {
      if (size < 8n) return ZX_ERR_BUFFER_TOO_SMALL;
      if (object.type !== ZX_OBJ_TYPE_VMO) return ZX_ERR_WRONG_TYPE;
      const bytes = new Uint8Array(8);
      new DataView(bytes.buffer).setBigUint64(0, (object as VmoObject).streamSize, true);
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
      const named = nameStatus(object);
      if (named !== ZX_OK) return named;
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
      // The 2025 kernel accepts any value (even past the VMO's end) and zeroes what lies past it.
      const vmo = object as VmoObject;
      if (vmo.vmo.isDeviceMemory) return ZX_ERR_NOT_SUPPORTED;
      if (content < vmo.vmo.sizeBytes) vmo.vmo.zero(content, vmo.vmo.sizeBytes);
      vmo.contentSize = content;
      return ZX_OK;
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
