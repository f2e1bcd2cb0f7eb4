// Non-VMO records returned by zx_object_get_info() (syscalls/object.h) and the job policy input
// records (syscalls/policy.h). Each struct is described once (defineCodec); its size, encoder
// and decoder are exported under the names the rest of zxvm uses.

import { defineCodec, type FieldSpec, type StructLayout } from './structs-layout.ts';

// ---------------------------------------------------------------------------------------------
// zx_info_handle_basic_t (ZX_INFO_HANDLE_BASIC)

export interface ZxInfoHandleBasic {
  koid: bigint;
  rights: number;
  /** One of ZX_OBJ_TYPE_*. */
  type: number;
  /** Koid of the peer or parent object, or 0n when there is none. */
  related_koid: bigint;
  reserved: number;
}

const HANDLE_BASIC = defineCodec<ZxInfoHandleBasic>('zx_info_handle_basic_t', [
  ['koid', 'u64'],
  ['rights', 'u32'],
  ['type', 'u32'],
  ['related_koid', 'u64'],
  ['reserved', 'u32'],
  ['padding1', 'pad', 4],
]);
export const {
  size: ZX_INFO_HANDLE_BASIC_SIZE,
  encode: encodeZxInfoHandleBasic,
  decode: decodeZxInfoHandleBasic,
} = HANDLE_BASIC;

// ---------------------------------------------------------------------------------------------
// zx_info_handle_count_t (ZX_INFO_HANDLE_COUNT)

export interface ZxInfoHandleCount {
  handle_count: number;
}

const HANDLE_COUNT = defineCodec<ZxInfoHandleCount>('zx_info_handle_count_t', [
  ['handle_count', 'u32'],
]);
export const {
  size: ZX_INFO_HANDLE_COUNT_SIZE,
  encode: encodeZxInfoHandleCount,
  decode: decodeZxInfoHandleCount,
} = HANDLE_COUNT;

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

/** zx_info_kmem_stats_t: system-wide memory accounting, every field in bytes. */
export type ZxInfoKmemStats = { [K in (typeof KMEM_STATS_FIELDS)[number]]: bigint };

/** zx_info_kmem_stats_v1_t. */
export type ZxInfoKmemStatsV1 = { [K in (typeof KMEM_STATS_V1_FIELDS)[number]]: bigint };

function allU64(names: readonly string[]): FieldSpec[] {
  return names.map((n): FieldSpec => [n, 'u64']);
}

const KMEM_STATS = defineCodec<ZxInfoKmemStats>('zx_info_kmem_stats_t', allU64(KMEM_STATS_FIELDS));
export const {
  size: ZX_INFO_KMEM_STATS_SIZE,
  encode: encodeZxInfoKmemStats,
  decode: decodeZxInfoKmemStats,
} = KMEM_STATS;

const KMEM_STATS_V1 = defineCodec<ZxInfoKmemStatsV1>(
  'zx_info_kmem_stats_v1_t',
  allU64(KMEM_STATS_V1_FIELDS),
);
export const {
  size: ZX_INFO_KMEM_STATS_V1_SIZE,
  encode: encodeZxInfoKmemStatsV1,
  decode: decodeZxInfoKmemStatsV1,
} = KMEM_STATS_V1;

// ---------------------------------------------------------------------------------------------
// zx_info_vmar_t (ZX_INFO_VMAR)

export interface ZxInfoVmar {
  base: bigint;
  len: bigint;
}

const VMAR = defineCodec<ZxInfoVmar>('zx_info_vmar_t', [
  ['base', 'u64'],
  ['len', 'u64'],
]);
export const { size: ZX_INFO_VMAR_SIZE, encode: encodeZxInfoVmar, decode: decodeZxInfoVmar } = VMAR;

// ---------------------------------------------------------------------------------------------
// zx_info_maps_t (ZX_INFO_PROCESS_MAPS, ZX_INFO_VMAR_MAPS), current version only. The C record
// ends in a union whose only member is the mapping description; it is modelled as a nested
// struct named `u` holding a `mapping`, and is meaningful only for ZX_INFO_MAPS_TYPE_MAPPING.

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

const MAPS_MAPPING = defineCodec<ZxInfoMapsMapping>('zx_info_maps_mapping_t', [
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
export const ZX_INFO_MAPS_MAPPING_SIZE: number = MAPS_MAPPING.size;

const MAPS_UNION = defineCodec<ZxInfoMaps['u']>('zx_info_maps_t::u', [
  ['mapping', MAPS_MAPPING.layout],
]);

const MAPS = defineCodec<ZxInfoMaps>('zx_info_maps_t', [
  ['name', 'name'],
  ['base', 'u64'],
  ['size', 'u64'],
  ['depth', 'u64'],
  ['type', 'u32'],
  ['padding1', 'pad', 4],
  ['u', MAPS_UNION.layout],
]);
export const {
  layout: ZX_INFO_MAPS_LAYOUT,
  size: ZX_INFO_MAPS_SIZE,
  encode: encodeZxInfoMaps,
  decode: decodeZxInfoMaps,
} = MAPS;

// ---------------------------------------------------------------------------------------------
// Job policy input records: zx_policy_basic_t (the v1 record, ZX_JOB_POL_BASIC_V1) and
// zx_policy_basic_v2_t (ZX_JOB_POL_BASIC_V2).

/** zx_policy_basic_t / zx_policy_basic_v1_t. */
export interface ZxPolicyBasic {
  /** One of ZX_POL_*. */
  condition: number;
  /** One of ZX_POL_ACTION_*. */
  policy: number;
}

export interface ZxPolicyBasicV2 {
  /** One of ZX_POL_*. */
  condition: number;
  /** One of ZX_POL_ACTION_*. */
  action: number;
  /** One of ZX_POL_OVERRIDE_*. */
  flags: number;
}

const POLICY_BASIC = defineCodec<ZxPolicyBasic>('zx_policy_basic_v1_t', [
  ['condition', 'u32'],
  ['policy', 'u32'],
]);
export const {
  size: ZX_POLICY_BASIC_SIZE,
  encode: encodeZxPolicyBasic,
  decode: decodeZxPolicyBasic,
} = POLICY_BASIC;
export const ZX_POLICY_BASIC_V1_SIZE: number = POLICY_BASIC.size;

const POLICY_BASIC_V2 = defineCodec<ZxPolicyBasicV2>('zx_policy_basic_v2_t', [
  ['condition', 'u32'],
  ['action', 'u32'],
  ['flags', 'u32'],
]);
export const {
  size: ZX_POLICY_BASIC_V2_SIZE,
  encode: encodeZxPolicyBasicV2,
  decode: decodeZxPolicyBasicV2,
} = POLICY_BASIC_V2;

/** The layouts of this module, by C typedef name (for STRUCT_LAYOUTS). */
export const INFO_LAYOUTS: Readonly<Record<string, StructLayout>> = {
  zx_info_handle_basic_t: HANDLE_BASIC.layout,
  zx_info_handle_count_t: HANDLE_COUNT.layout,
  zx_info_kmem_stats_t: KMEM_STATS.layout,
  zx_info_kmem_stats_v1_t: KMEM_STATS_V1.layout,
  zx_info_vmar_t: VMAR.layout,
  zx_info_maps_mapping_t: MAPS_MAPPING.layout,
  zx_info_maps_t: MAPS.layout,
  zx_policy_basic_t: POLICY_BASIC.layout,
  zx_policy_basic_v1_t: POLICY_BASIC.layout,
  zx_policy_basic_v2_t: POLICY_BASIC_V2.layout,
};
