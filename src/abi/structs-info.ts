// Non-VMO records returned by zx_object_get_info() (syscalls/object.h) and the job policy input
// records (syscalls/policy.h).

import {
  decodeStruct,
  defineStruct,
  encodeStruct,
  type FieldSpec,
  type StructLayout,
} from './structs-layout.ts';

// ---------------------------------------------------------------------------------------------
// zx_info_handle_basic_t (ZX_INFO_HANDLE_BASIC)

export const ZX_INFO_HANDLE_BASIC_LAYOUT: StructLayout = defineStruct('zx_info_handle_basic_t', [
  ['koid', 'u64'],
  ['rights', 'u32'],
  ['type', 'u32'],
  ['related_koid', 'u64'],
  ['reserved', 'u32'],
  ['padding1', 'pad', 4],
]);
export const ZX_INFO_HANDLE_BASIC_SIZE: number = ZX_INFO_HANDLE_BASIC_LAYOUT.size;

export interface ZxInfoHandleBasic {
  koid: bigint;
  rights: number;
  /** One of ZX_OBJ_TYPE_*. */
  type: number;
  /** Koid of the peer or parent object, or 0n when there is none. */
  related_koid: bigint;
  reserved: number;
}

export function encodeZxInfoHandleBasic(
  view: DataView,
  offset: number,
  value: ZxInfoHandleBasic,
): void {
  encodeStruct(ZX_INFO_HANDLE_BASIC_LAYOUT, view, offset, value);
}
export function decodeZxInfoHandleBasic(bytes: Uint8Array): ZxInfoHandleBasic {
  return decodeStruct(ZX_INFO_HANDLE_BASIC_LAYOUT, bytes) as unknown as ZxInfoHandleBasic;
}

// ---------------------------------------------------------------------------------------------
// zx_info_handle_count_t (ZX_INFO_HANDLE_COUNT)

export const ZX_INFO_HANDLE_COUNT_LAYOUT: StructLayout = defineStruct('zx_info_handle_count_t', [
  ['handle_count', 'u32'],
]);
export const ZX_INFO_HANDLE_COUNT_SIZE: number = ZX_INFO_HANDLE_COUNT_LAYOUT.size;

export interface ZxInfoHandleCount {
  handle_count: number;
}

export function encodeZxInfoHandleCount(
  view: DataView,
  offset: number,
  value: ZxInfoHandleCount,
): void {
  encodeStruct(ZX_INFO_HANDLE_COUNT_LAYOUT, view, offset, value);
}
export function decodeZxInfoHandleCount(bytes: Uint8Array): ZxInfoHandleCount {
  return decodeStruct(ZX_INFO_HANDLE_COUNT_LAYOUT, bytes) as unknown as ZxInfoHandleCount;
}

// ---------------------------------------------------------------------------------------------
// zx_info_kmem_stats_t (ZX_INFO_KMEM_STATS) and zx_info_kmem_stats_v1_t (ZX_INFO_KMEM_STATS_V1).
// Unlike zx_info_vmo_t, v2 is not a prefix extension of v1: fields were inserted in the middle.

const KMEM_STATS_FIELDS = [
  'total_bytes',
  'free_bytes',
  'free_loaned_bytes',
  'wired_bytes',
  'total_heap_bytes',
  'free_heap_bytes',
  'vmo_bytes',
  'mmu_overhead_bytes',
  'ipc_bytes',
  'cache_bytes',
  'slab_bytes',
  'zram_bytes',
  'other_bytes',
  'vmo_reclaim_total_bytes',
  'vmo_reclaim_newest_bytes',
  'vmo_reclaim_oldest_bytes',
  'vmo_reclaim_disabled_bytes',
  'vmo_discardable_locked_bytes',
  'vmo_discardable_unlocked_bytes',
] as const;

const KMEM_STATS_V1_FIELDS = [
  'total_bytes',
  'free_bytes',
  'wired_bytes',
  'total_heap_bytes',
  'free_heap_bytes',
  'vmo_bytes',
  'mmu_overhead_bytes',
  'ipc_bytes',
  'other_bytes',
] as const;

function allU64(names: readonly string[]): FieldSpec[] {
  return names.map((n): FieldSpec => [n, 'u64']);
}

export const ZX_INFO_KMEM_STATS_LAYOUT: StructLayout = defineStruct(
  'zx_info_kmem_stats_t',
  allU64(KMEM_STATS_FIELDS),
);
export const ZX_INFO_KMEM_STATS_SIZE: number = ZX_INFO_KMEM_STATS_LAYOUT.size;

export const ZX_INFO_KMEM_STATS_V1_LAYOUT: StructLayout = defineStruct(
  'zx_info_kmem_stats_v1_t',
  allU64(KMEM_STATS_V1_FIELDS),
);
export const ZX_INFO_KMEM_STATS_V1_SIZE: number = ZX_INFO_KMEM_STATS_V1_LAYOUT.size;

/** zx_info_kmem_stats_t: system-wide memory accounting, every field in bytes. */
export type ZxInfoKmemStats = { [K in (typeof KMEM_STATS_FIELDS)[number]]: bigint };

/** zx_info_kmem_stats_v1_t. */
export type ZxInfoKmemStatsV1 = { [K in (typeof KMEM_STATS_V1_FIELDS)[number]]: bigint };

export function encodeZxInfoKmemStats(
  view: DataView,
  offset: number,
  value: ZxInfoKmemStats,
): void {
  encodeStruct(ZX_INFO_KMEM_STATS_LAYOUT, view, offset, value);
}
export function decodeZxInfoKmemStats(bytes: Uint8Array): ZxInfoKmemStats {
  return decodeStruct(ZX_INFO_KMEM_STATS_LAYOUT, bytes) as unknown as ZxInfoKmemStats;
}

export function encodeZxInfoKmemStatsV1(
  view: DataView,
  offset: number,
  value: ZxInfoKmemStatsV1,
): void {
  encodeStruct(ZX_INFO_KMEM_STATS_V1_LAYOUT, view, offset, value);
}
export function decodeZxInfoKmemStatsV1(bytes: Uint8Array): ZxInfoKmemStatsV1 {
  return decodeStruct(ZX_INFO_KMEM_STATS_V1_LAYOUT, bytes) as unknown as ZxInfoKmemStatsV1;
}

// ---------------------------------------------------------------------------------------------
// zx_info_vmar_t (ZX_INFO_VMAR)

export const ZX_INFO_VMAR_LAYOUT: StructLayout = defineStruct('zx_info_vmar_t', [
  ['base', 'u64'],
  ['len', 'u64'],
]);
export const ZX_INFO_VMAR_SIZE: number = ZX_INFO_VMAR_LAYOUT.size;

export interface ZxInfoVmar {
  base: bigint;
  len: bigint;
}

export function encodeZxInfoVmar(view: DataView, offset: number, value: ZxInfoVmar): void {
  encodeStruct(ZX_INFO_VMAR_LAYOUT, view, offset, value);
}
export function decodeZxInfoVmar(bytes: Uint8Array): ZxInfoVmar {
  return decodeStruct(ZX_INFO_VMAR_LAYOUT, bytes) as unknown as ZxInfoVmar;
}

// ---------------------------------------------------------------------------------------------
// zx_info_maps_t (ZX_INFO_PROCESS_MAPS, ZX_INFO_VMAR_MAPS), current version only. The C record
// ends in a union whose only member is the mapping description; it is modelled as a nested
// struct named `u` holding a `mapping`, and is meaningful only for ZX_INFO_MAPS_TYPE_MAPPING.

export const ZX_INFO_MAPS_MAPPING_LAYOUT: StructLayout = defineStruct('zx_info_maps_mapping_t', [
  ['mmu_flags', 'u32'],
  ['padding1', 'pad', 4],
  ['vmo_koid', 'u64'],
  ['vmo_offset', 'u64'],
  ['committed_bytes', 'u64'],
  ['populated_bytes', 'u64'],
  ['committed_private_bytes', 'u64'],
  ['populated_private_bytes', 'u64'],
  ['committed_scaled_bytes', 'u64'],
  ['populated_scaled_bytes', 'u64'],
  ['committed_fractional_scaled_bytes', 'u64'],
  ['populated_fractional_scaled_bytes', 'u64'],
]);
export const ZX_INFO_MAPS_MAPPING_SIZE: number = ZX_INFO_MAPS_MAPPING_LAYOUT.size;

const INFO_MAPS_UNION_LAYOUT: StructLayout = defineStruct('zx_info_maps_t::u', [
  ['mapping', ZX_INFO_MAPS_MAPPING_LAYOUT],
]);

export const ZX_INFO_MAPS_LAYOUT: StructLayout = defineStruct('zx_info_maps_t', [
  ['name', 'name'],
  ['base', 'u64'],
  ['size', 'u64'],
  ['depth', 'u64'],
  ['type', 'u32'],
  ['padding1', 'pad', 4],
  ['u', INFO_MAPS_UNION_LAYOUT],
]);
export const ZX_INFO_MAPS_SIZE: number = ZX_INFO_MAPS_LAYOUT.size;

export interface ZxInfoMapsMapping {
  /** ZX_VM_PERM_* bits. */
  mmu_flags: number;
  vmo_koid: bigint;
  vmo_offset: bigint;
  committed_bytes: bigint;
  populated_bytes: bigint;
  committed_private_bytes: bigint;
  populated_private_bytes: bigint;
  committed_scaled_bytes: bigint;
  populated_scaled_bytes: bigint;
  committed_fractional_scaled_bytes: bigint;
  populated_fractional_scaled_bytes: bigint;
}

export interface ZxInfoMaps {
  name: string;
  base: bigint;
  size: bigint;
  /** Depth in the aspace / VMAR / mapping tree, entries being in depth-first pre-order. */
  depth: bigint;
  /** One of ZX_INFO_MAPS_TYPE_*. */
  type: number;
  /** Zero-filled unless `type` is ZX_INFO_MAPS_TYPE_MAPPING. */
  u: { mapping: ZxInfoMapsMapping };
}

export function encodeZxInfoMaps(view: DataView, offset: number, value: ZxInfoMaps): void {
  encodeStruct(ZX_INFO_MAPS_LAYOUT, view, offset, value);
}
export function decodeZxInfoMaps(bytes: Uint8Array): ZxInfoMaps {
  return decodeStruct(ZX_INFO_MAPS_LAYOUT, bytes) as unknown as ZxInfoMaps;
}

// ---------------------------------------------------------------------------------------------
// Job policy input records: zx_policy_basic_t (the v1 record, ZX_JOB_POL_BASIC_V1) and
// zx_policy_basic_v2_t (ZX_JOB_POL_BASIC_V2).

export const ZX_POLICY_BASIC_LAYOUT: StructLayout = defineStruct('zx_policy_basic_v1_t', [
  ['condition', 'u32'],
  ['policy', 'u32'],
]);
export const ZX_POLICY_BASIC_SIZE: number = ZX_POLICY_BASIC_LAYOUT.size;
export const ZX_POLICY_BASIC_V1_LAYOUT: StructLayout = ZX_POLICY_BASIC_LAYOUT;
export const ZX_POLICY_BASIC_V1_SIZE: number = ZX_POLICY_BASIC_SIZE;

export const ZX_POLICY_BASIC_V2_LAYOUT: StructLayout = defineStruct('zx_policy_basic_v2_t', [
  ['condition', 'u32'],
  ['action', 'u32'],
  ['flags', 'u32'],
]);
export const ZX_POLICY_BASIC_V2_SIZE: number = ZX_POLICY_BASIC_V2_LAYOUT.size;

/** zx_policy_basic_t / zx_policy_basic_v1_t. */
export interface ZxPolicyBasic {
  /** One of ZX_POL_*. */
  condition: number;
  /** One of ZX_POL_ACTION_*. */
  policy: number;
}
export type ZxPolicyBasicV1 = ZxPolicyBasic;

export interface ZxPolicyBasicV2 {
  /** One of ZX_POL_*. */
  condition: number;
  /** One of ZX_POL_ACTION_*. */
  action: number;
  /** One of ZX_POL_OVERRIDE_*. */
  flags: number;
}

export function encodeZxPolicyBasic(view: DataView, offset: number, value: ZxPolicyBasic): void {
  encodeStruct(ZX_POLICY_BASIC_LAYOUT, view, offset, value);
}
export function decodeZxPolicyBasic(bytes: Uint8Array): ZxPolicyBasic {
  return decodeStruct(ZX_POLICY_BASIC_LAYOUT, bytes) as unknown as ZxPolicyBasic;
}
export const encodeZxPolicyBasicV1: typeof encodeZxPolicyBasic = encodeZxPolicyBasic;
export const decodeZxPolicyBasicV1: typeof decodeZxPolicyBasic = decodeZxPolicyBasic;

export function encodeZxPolicyBasicV2(
  view: DataView,
  offset: number,
  value: ZxPolicyBasicV2,
): void {
  encodeStruct(ZX_POLICY_BASIC_V2_LAYOUT, view, offset, value);
}
export function decodeZxPolicyBasicV2(bytes: Uint8Array): ZxPolicyBasicV2 {
  return decodeStruct(ZX_POLICY_BASIC_V2_LAYOUT, bytes) as unknown as ZxPolicyBasicV2;
}
