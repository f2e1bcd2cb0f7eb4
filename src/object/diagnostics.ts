// What a process and a VMAR tell about themselves through zx_object_get_info, as Zircon's
// object/diagnostics.cc gathers it: the VMOs a process reaches (ZX_INFO_PROCESS_VMOS) and the
// zx_info_maps_t records of an address space (ZX_INFO_PROCESS_MAPS) or a VMAR
// (ZX_INFO_VMAR_MAPS). Only the current zx_info_maps_t layout is modelled.

import {
  ZX_ERR_BAD_STATE,
  ZX_INFO_MAPS_TYPE_ASPACE,
  ZX_INFO_MAPS_TYPE_MAPPING,
  ZX_INFO_MAPS_TYPE_VMAR,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_INFO_VMO_VIA_MAPPING,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_VMO,
} from '../abi/constants.ts';
import {
  encodeZxInfoMaps,
  ZX_INFO_MAPS_LAYOUT,
  ZX_INFO_MAPS_SIZE,
  type ZxInfoMapsMapping,
} from '../abi/structs.ts';
import { because } from '../util/reason.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import type { VmAddressRegion } from '../vm/vm-address-region.ts';
import type { VmMapping } from '../vm/vm-mapping.ts';
import type { VmObject } from '../vm/vm-object.ts';
import type { ProcessDispatcher } from './process-dispatcher.ts';
import type { VmAddressRegionDispatcher } from './vm-address-region-dispatcher.ts';
import type { VmObjectDispatcher } from './vm-object-dispatcher.ts';

/** One VMO a process reaches: through a handle (with its rights) or through a mapping. */
export interface VmoReach {
  readonly vmo: VmObject;
  readonly rights: number;
  /** ZX_INFO_VMO_VIA_HANDLE or ZX_INFO_VMO_VIA_MAPPING. */
  readonly via: number;
}

/**
 * Every VMO the process reaches (ProcessDispatcher::GetVmos): first one per VMO handle in its
 * table, newest handle first as Zircon's handle list (which pushes new handles at its front) is
 * walked; then one per mapping in address order, with rights 0. Duplicates are left for
 * userspace to fold, as Zircon does.
 */
export function processVmos(process: ProcessDispatcher): VmoReach[] {
  const found: VmoReach[] = [];
  for (const value of [...process.handles.values()].reverse()) {
    const handle = process.handles.get(value)!;
    if (handle.object.type !== ZX_OBJ_TYPE_VMO) continue;
    const vmo = (handle.object as VmObjectDispatcher).vmo;
    found.push({ vmo, rights: handle.rights, via: ZX_INFO_VMO_VIA_HANDLE });
  }
  const root = process.aspace.root;
  if (root.alive) {
    for (const mapping of root.mappingsIn(root.base, root.end)) {
      found.push({ vmo: mapping.vmo, rights: 0, via: ZX_INFO_VMO_VIA_MAPPING });
    }
  }
  return found;
}

const encoder = new TextEncoder();

/**
 * The zx_info_maps_t records of the process's address space (ProcessDispatcher::GetAspaceMaps):
 * the aspace itself (depth 0, named "proc:<koid>"), then the root VMAR's records one level down.
 */
export function aspaceMaps(process: ProcessDispatcher): Uint8Array[] {
  const root = process.aspace.root;
  if (!root.alive) return [];
  const name = encoder.encode(`proc:${process.koid}`);
  return [
    mapsRecord(name, root.base, root.size, 0, ZX_INFO_MAPS_TYPE_ASPACE),
    ...regionMaps(root, 1),
  ];
}

/** The records under a VMAR, from depth 0 (GetVmarMaps); ZX_ERR_BAD_STATE once destroyed. */
export function vmarMaps(vmar: VmAddressRegionDispatcher): Uint8Array[] | number {
  if (!vmar.region.alive) return because(ZX_ERR_BAD_STATE, 'the VMAR is destroyed');
  return regionMaps(vmar.region, 0);
}

/**
 * Depth-first in address order, as VmAddressRegion::EnumerateChildren visits them: the VMAR
 * itself at `depth` (named "root" for an aspace's root VMAR, "useralloc" for one made by
 * zx_vmar_allocate), then each sub-VMAR and each protection range of each mapping (named after
 * its VMO) one level below the VMAR holding it.
 */
function regionMaps(vmar: VmAddressRegion, depth: number): Uint8Array[] {
  const records: Uint8Array[] = [];
  const walk = (region: VmAddressRegion, at: number) => {
    const name = encoder.encode(region.isRoot ? 'root' : 'useralloc');
    records.push(mapsRecord(name, region.base, region.size, at, ZX_INFO_MAPS_TYPE_VMAR));
    for (const child of region.children.toArray()) {
      if (child.isMapping) mappingRecords(child as VmMapping, at + 1, records);
      else walk(child as VmAddressRegion, at + 1);
    }
  };
  walk(vmar, depth);
  return records;
}

/** One record per protection range of `mapping`, its memory counted over that range only. */
function mappingRecords(mapping: VmMapping, depth: number, records: Uint8Array[]): void {
  const vmo = mapping.vmo;
  for (const [from, to, perms] of mapping.protectionsIn(mapping.base, mapping.end)) {
    const firstPage = mapping.vmoPage + (from - mapping.base) / PAGE_SIZE;
    const a = vmo.attributionInRange(firstPage, firstPage + (to - from) / PAGE_SIZE);
    const details: ZxInfoMapsMapping = {
      mmu_flags: perms,
      vmo_koid: BigInt(vmo.userId),
      vmo_offset: BigInt(firstPage) * BigInt(PAGE_SIZE),
      committed_bytes: a.committedBytes,
      populated_bytes: a.populatedBytes,
      committed_private_bytes: a.committedPrivateBytes,
      populated_private_bytes: a.populatedPrivateBytes,
      committed_scaled_bytes: a.committedScaledBytes,
      populated_scaled_bytes: a.populatedScaledBytes,
      committed_fractional_scaled_bytes: a.committedFractionalScaledBytes,
      populated_fractional_scaled_bytes: a.populatedFractionalScaledBytes,
    };
    records.push(mapsRecord(vmo.name, from, to - from, depth, ZX_INFO_MAPS_TYPE_MAPPING, details));
  }
}

const NO_MAPPING: ZxInfoMapsMapping = {
  mmu_flags: 0,
  vmo_koid: 0n,
  vmo_offset: 0n,
  committed_bytes: 0n,
  populated_bytes: 0n,
  committed_private_bytes: 0n,
  populated_private_bytes: 0n,
  committed_scaled_bytes: 0n,
  populated_scaled_bytes: 0n,
  committed_fractional_scaled_bytes: 0n,
  populated_fractional_scaled_bytes: 0n,
};

const MAPS_NAME_OFFSET = ZX_INFO_MAPS_LAYOUT.fields.find((f) => f.name === 'name')!.offset;

function mapsRecord(
  name: Uint8Array,
  base: number,
  size: number,
  depth: number,
  type: number,
  mapping: ZxInfoMapsMapping = NO_MAPPING,
): Uint8Array {
  const bytes = new Uint8Array(ZX_INFO_MAPS_SIZE);
  encodeZxInfoMaps(new DataView(bytes.buffer), 0, {
    name: '',
    base: BigInt(base),
    size: BigInt(size),
    depth: BigInt(depth),
    type,
    u: { mapping },
  });
  // Names are raw bytes in Zircon (a VMO's may not be UTF-8); copy them as they are.
  bytes.set(name.subarray(0, ZX_MAX_NAME_LEN - 1), MAPS_NAME_OFFSET);
  return bytes;
}
