// The multi-record zx_object_get_info topics of a process and a VMAR: ZX_INFO_PROCESS_VMOS
// (V1..current), ZX_INFO_PROCESS_MAPS and ZX_INFO_VMAR_MAPS (current zx_info_maps_t layout only:
// ZX_INFO_PROCESS_MAPS_V1/V2 are not modelled), as object_info.cc and object/diagnostics.cc
// build them. Multi-record topics write min(avail, buffer_size / sizeof(record)) records, then
// actual and avail, and succeed even when the buffer holds none of them.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_MAPS_TYPE_ASPACE,
  ZX_INFO_MAPS_TYPE_MAPPING,
  ZX_INFO_MAPS_TYPE_VMAR,
  ZX_INFO_PROCESS_MAPS,
  ZX_INFO_PROCESS_VMOS,
  ZX_INFO_PROCESS_VMOS_V1,
  ZX_INFO_PROCESS_VMOS_V2,
  ZX_INFO_PROCESS_VMOS_V3,
  ZX_INFO_VMAR_MAPS,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_INFO_VMO_VIA_MAPPING,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_INSPECT,
} from '../abi/constants.ts';
import {
  encodeZxInfoMaps,
  ZX_INFO_MAPS_LAYOUT,
  ZX_INFO_MAPS_SIZE,
  ZX_INFO_VMO_SIZE,
  ZX_INFO_VMO_V1_SIZE,
  ZX_INFO_VMO_V2_SIZE,
  ZX_INFO_VMO_V3_SIZE,
  type ZxInfoMapsMapping,
} from '../abi/structs.ts';
import type { Handle } from '../object/handle.ts';
import type { ProcessObject, VmAddressRegionDispatcher } from '../object/process.ts';
import type { VmoObject } from '../object/vmo-object.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import { NO_ATTRIBUTION, nodeAttribution } from '../vm/cow-attribution.ts';
import type { VmAddressRegion } from '../vm/vm-address-region.ts';
import type { VmMapping } from '../vm/vm-mapping.ts';
import { writeOut } from './args.ts';
import type { SyscallContext } from './context.ts';
import { encodeVmObjectInfo } from './info-vmo.ts';
import { beginCopyOut, finishCopyOut, type UserBuffer } from './user.ts';

/** The record size of each ZX_INFO_PROCESS_VMOS version: a prefix of the newest zx_info_vmo_t. */
const PROCESS_VMOS_SIZES = new Map<number, number>([
  [ZX_INFO_PROCESS_VMOS_V1, ZX_INFO_VMO_V1_SIZE],
  [ZX_INFO_PROCESS_VMOS_V2, ZX_INFO_VMO_V2_SIZE],
  [ZX_INFO_PROCESS_VMOS_V3, ZX_INFO_VMO_V3_SIZE],
  [ZX_INFO_PROCESS_VMOS, ZX_INFO_VMO_SIZE],
]);

/** The topics answered here (info.ts adds them to its known topics). */
export const PROCESS_INFO_TOPICS: readonly number[] = [
  ...PROCESS_VMOS_SIZES.keys(),
  ZX_INFO_PROCESS_MAPS,
  ZX_INFO_VMAR_MAPS,
];

/**
 * Answers ZX_INFO_PROCESS_VMOS*, ZX_INFO_PROCESS_MAPS (a process) and ZX_INFO_VMAR_MAPS (a
 * VMAR) through `found`, the looked-up handle: ZX_ERR_WRONG_TYPE for another object,
 * ZX_ERR_ACCESS_DENIED without ZX_RIGHT_INSPECT, ZX_ERR_BAD_STATE for a destroyed VMAR, for the
 * VMOs of a process that is not running and for the maps of a dead one;
 * otherwise the records go out through multiRecord. Returns undefined for any other topic.
 */
export function processInfo(
  ctx: SyscallContext,
  found: Handle,
  topic: number,
  buffer: UserBuffer,
  bufferSize: bigint,
  actual: unknown,
  avail: unknown,
): number | undefined {
  const reply = (records: readonly Uint8Array[], recordSize: number) =>
    multiRecord(ctx, buffer, bufferSize, actual, avail, records, recordSize);
  if (topic === ZX_INFO_VMAR_MAPS) {
    if (found.object.type !== ZX_OBJ_TYPE_VMAR) return ZX_ERR_WRONG_TYPE;
    if ((found.rights & ZX_RIGHT_INSPECT) === 0) return ZX_ERR_ACCESS_DENIED;
    const region = (found.object as VmAddressRegionDispatcher).region;
    if (!region.alive) return ZX_ERR_BAD_STATE;
    return reply(vmarMapRecords(region, 0), ZX_INFO_MAPS_SIZE);
  }
  const vmoSize = PROCESS_VMOS_SIZES.get(topic);
  if (vmoSize === undefined && topic !== ZX_INFO_PROCESS_MAPS) return undefined;
  if (found.object.type !== ZX_OBJ_TYPE_PROCESS) return ZX_ERR_WRONG_TYPE;
  if ((found.rights & ZX_RIGHT_INSPECT) === 0) return ZX_ERR_ACCESS_DENIED;
  const process = found.object as ProcessObject;
  // ProcessDispatcher::GetVmos answers only a running process, GetAspaceMaps only one whose
  // address space is not yet destroyed; both still write actual and avail (as 0).
  const refused = vmoSize !== undefined ? process.state !== 'running' : process.state === 'dead';
  if (refused) return noRecords(actual, avail);
  if (vmoSize !== undefined) return reply(processVmoRecords(process), vmoSize);
  return reply(processMapRecords(process), ZX_INFO_MAPS_SIZE);
}

/** ZX_ERR_BAD_STATE after writing actual and avail as 0 (whose own failure then wins). */
function noRecords(actual: unknown, avail: unknown): number {
  if (actual !== null && !writeOut(actual, 0n)) return ZX_ERR_INVALID_ARGS;
  if (avail !== null && !writeOut(avail, 0n)) return ZX_ERR_INVALID_ARGS;
  return ZX_ERR_BAD_STATE;
}

/**
 * The newest zx_info_vmo_t of every VMO the process reaches: first one per VMO handle in its
 * table (VIA_HANDLE, that handle's rights), newest handle first as Zircon's handle list (which
 * pushes new handles at its front) is walked; then one per mapping in address order
 * (VIA_MAPPING, rights 0). Duplicates are left for userspace to fold, as Zircon does.
 */
export function processVmoRecords(process: ProcessObject): Uint8Array[] {
  const records: Uint8Array[] = [];
  for (const value of [...process.handles.values()].reverse()) {
    const handle = process.handles.get(value)!;
    if (handle.object.type !== ZX_OBJ_TYPE_VMO) continue;
    const vmo = (handle.object as VmoObject).vmo;
    records.push(encodeVmObjectInfo(vmo, handle.rights, ZX_INFO_VMO_VIA_HANDLE));
  }
  const root = process.aspace.root;
  if (root.alive) {
    for (const mapping of root.mappingsIn(root.base, root.end)) {
      records.push(encodeVmObjectInfo(mapping.vmo, 0, ZX_INFO_VMO_VIA_MAPPING));
    }
  }
  return records;
}

const encoder = new TextEncoder();

/**
 * The zx_info_maps_t records of the process's address space: the aspace itself (depth 0, named
 * "proc:<koid>" as ProcessDispatcher names it), then vmarMapRecords of the root VMAR one level
 * down.
 */
export function processMapRecords(process: ProcessObject): Uint8Array[] {
  const root = process.aspace.root;
  if (!root.alive) return [];
  const name = encoder.encode(`proc:${process.koid}`);
  return [
    mapsRecord(name, root.base, root.size, 0, ZX_INFO_MAPS_TYPE_ASPACE),
    ...vmarMapRecords(root, 1),
  ];
}

/**
 * The zx_info_maps_t records under a VMAR, depth-first in address order as
 * VmAddressRegion::EnumerateChildren visits them: the VMAR itself at `depth` (named "root" for
 * an aspace's root VMAR, "useralloc" for one made by zx_vmar_allocate), then each sub-VMAR and
 * each protection range of each mapping (named after its VMO) one level below the VMAR holding
 * it.
 */
export function vmarMapRecords(vmar: VmAddressRegion, depth: number): Uint8Array[] {
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
    const pages = (to - from) / PAGE_SIZE;
    const counts = rangeAttribution(mapping, firstPage, firstPage + pages);
    const details: ZxInfoMapsMapping = {
      mmu_flags: perms,
      vmo_koid: BigInt(vmo.userId),
      vmo_offset: BigInt(firstPage) * BigInt(PAGE_SIZE),
      ...counts,
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

type RangeCounts = Omit<ZxInfoMapsMapping, 'mmu_flags' | 'vmo_koid' | 'vmo_offset'>;

/**
 * Zircon's GetAttributedMemoryInRange over VMO pages [start, end) of a mapping's VMO: the
 * attribution rules of cow-attribution.ts applied to the pages of that range only. Slices and
 * references are charged nothing, as in their zx_info_vmo_t.
 */
function rangeAttribution(mapping: VmMapping, start: number, end: number): RangeCounts {
  const vmo = mapping.vmo;
  const node = vmo.cow;
  const from = Math.min(start + vmo.cowOffset, node.sizePages);
  const to = Math.min(end + vmo.cowOffset, node.sizePages);
  const a = vmo.isSlice || vmo.isReference ? NO_ATTRIBUTION : nodeAttribution(node, from, to);
  return {
    committed_bytes: a.committedBytes,
    populated_bytes: a.populatedBytes,
    committed_private_bytes: a.committedPrivateBytes,
    populated_private_bytes: a.populatedPrivateBytes,
    committed_scaled_bytes: a.committedScaledBytes,
    populated_scaled_bytes: a.populatedScaledBytes,
    committed_fractional_scaled_bytes: a.committedFractionalScaledBytes,
    populated_fractional_scaled_bytes: a.populatedFractionalScaledBytes,
  };
}

/**
 * Copies out the first min(records, buffer_size / recordSize) records (each the first
 * `recordSize` bytes of its encoding), then actual and avail; ZX_OK even when none fit.
 */
export function multiRecord(
  ctx: SyscallContext,
  buffer: UserBuffer,
  bufferSize: bigint,
  actual: unknown,
  avail: unknown,
  records: readonly Uint8Array[],
  recordSize: number,
): number {
  const fit = bufferSize / BigInt(recordSize);
  let count = Number(fit < BigInt(records.length) ? fit : BigInt(records.length));
  let copied = ZX_OK;
  if (count > 0) {
    const out = beginCopyOut(buffer, count * recordSize);
    if (typeof out === 'number') copied = out;
    else {
      for (let i = 0; i < count; i++) out.set(records[i]!.subarray(0, recordSize), i * recordSize);
      copied = finishCopyOut(ctx.user, buffer, out);
    }
    if (copied !== ZX_OK) count = 0;
  }
  // Zircon's walkers write actual and avail even when copying the records failed; the copy's
  // error then wins.
  if (actual !== null && !writeOut(actual, BigInt(count))) return ZX_ERR_INVALID_ARGS;
  if (avail !== null && !writeOut(avail, BigInt(records.length))) return ZX_ERR_INVALID_ARGS;
  return copied;
}
