// The zx_info_vmo_t record of a VMO (ZX_INFO_VMO and its older versions, which are prefixes).

import {
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_DISCARDABLE,
  ZX_INFO_VMO_IMMUTABLE,
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_INFO_VMO_RESIZABLE,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_TYPE_PHYSICAL,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_MAX_NAME_LEN,
} from '../abi/constants.ts';
import { encodeZxInfoVmo, ZX_INFO_VMO_LAYOUT, ZX_INFO_VMO_SIZE } from '../abi/structs.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';

const NAME_OFFSET = ZX_INFO_VMO_LAYOUT.fields.find((f) => f.name === 'name')!.offset;

/** ZX_INFO_VMO_* flags that describe the VMO itself (VIA_HANDLE is added by the caller). */
export function vmoFlags(object: VmObjectDispatcher): number {
  return vmObjectFlags(object.vmo);
}

function vmObjectFlags(vmo: VmObjectPaged): number {
  let flags = vmo.isPhysical ? ZX_INFO_VMO_TYPE_PHYSICAL : ZX_INFO_VMO_TYPE_PAGED;
  if (vmo.isContiguous) flags |= ZX_INFO_VMO_CONTIGUOUS;
  if (vmo.options.resizable) flags |= ZX_INFO_VMO_RESIZABLE;
  if (vmo.options.discardable) flags |= ZX_INFO_VMO_DISCARDABLE;
  if (vmo.isCowClone) flags |= ZX_INFO_VMO_IS_COW_CLONE;
  if (vmo.immutable) flags |= ZX_INFO_VMO_IMMUTABLE;
  return flags;
}

/** Encodes the newest zx_info_vmo_t for `object` seen through a handle with `rights`. */
export function encodeVmoInfo(object: VmObjectDispatcher, rights: number): Uint8Array {
  return encodeVmObjectInfo(object.vmo, rights, ZX_INFO_VMO_VIA_HANDLE);
}

/**
 * Encodes the newest zx_info_vmo_t for `vmo` reached as `via` (ZX_INFO_VMO_VIA_HANDLE with the
 * handle's rights, or ZX_INFO_VMO_VIA_MAPPING with rights 0), as Zircon's VmoToInfoEntry.
 */
export function encodeVmObjectInfo(vmo: VmObjectPaged, rights: number, via: number): Uint8Array {
  const a = vmo.attribution();
  const bytes = new Uint8Array(ZX_INFO_VMO_SIZE);
  encodeZxInfoVmo(new DataView(bytes.buffer), 0, {
    koid: BigInt(vmo.userId),
    name: '',
    size_bytes: vmo.sizeBytes,
    parent_koid: BigInt(vmo.parent?.userId ?? 0),
    num_children: BigInt(vmo.childCount),
    num_mappings: BigInt(vmo.mappingCount),
    share_count: BigInt(vmo.shareCount),
    flags: vmObjectFlags(vmo) | via,
    committed_bytes: a.committedBytes,
    handle_rights: rights,
    cache_policy: vmo.cachePolicy,
    metadata_bytes: BigInt(vmo.metadataBytes),
    committed_change_events: BigInt(vmo.changeEvents),
    populated_bytes: a.populatedBytes,
    committed_private_bytes: a.committedPrivateBytes,
    populated_private_bytes: a.populatedPrivateBytes,
    committed_scaled_bytes: a.committedScaledBytes,
    populated_scaled_bytes: a.populatedScaledBytes,
    committed_fractional_scaled_bytes: a.committedFractionalScaledBytes,
    populated_fractional_scaled_bytes: a.populatedFractionalScaledBytes,
  });
  // Names are raw bytes in Zircon; copy them as they are.
  bytes.set(vmo.name.subarray(0, ZX_MAX_NAME_LEN - 1), NAME_OFFSET);
  return bytes;
}
