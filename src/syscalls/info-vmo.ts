// The bytes of zx_info_vmo_t (ZX_INFO_VMO and its older versions, which are prefixes of it).

import { ZX_MAX_NAME_LEN } from '../abi/constants.ts';
import { encodeZxInfoVmo, ZX_INFO_VMO_LAYOUT, ZX_INFO_VMO_SIZE } from '../abi/structs.ts';
import { type VmoInfo, vmoToInfoEntry } from '../object/vm-object-dispatcher.ts';
import type { VmObject } from '../vm/vm-object.ts';

const NAME_OFFSET = ZX_INFO_VMO_LAYOUT.fields.find((f) => f.name === 'name')!.offset;

/** Encodes the newest zx_info_vmo_t from its fields (VmObjectDispatcher.getVmoInfo). */
export function encodeVmoInfo(info: VmoInfo): Uint8Array {
  const bytes = new Uint8Array(ZX_INFO_VMO_SIZE);
  encodeZxInfoVmo(new DataView(bytes.buffer), 0, { ...info, name: '' });
  // Names are raw bytes in Zircon; copy them as they are.
  bytes.set(info.name.subarray(0, ZX_MAX_NAME_LEN - 1), NAME_OFFSET);
  return bytes;
}

/**
 * Encodes the newest zx_info_vmo_t for `vmo` reached as `via` (ZX_INFO_VMO_VIA_HANDLE with the
 * handle's rights, or ZX_INFO_VMO_VIA_MAPPING with rights 0), as Zircon's VmoToInfoEntry.
 */
export function encodeVmObjectInfo(vmo: VmObject, rights: number, via: number): Uint8Array {
  return encodeVmoInfo(vmoToInfoEntry(vmo, via, rights));
}
