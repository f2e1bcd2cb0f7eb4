// VMO-related ABI structs: every version of zx_info_vmo_t (syscalls/object.h), the
// ZX_VMO_OP_LOCK result zx_vmo_lock_state_t and the pager's zx_pager_vmo_stats_t (types.h), and
// zx_vmo_dirty_range_t (syscalls-next.h).
//
// Each version of zx_info_vmo_t extends the previous one by appending fields, which is what lets
// the kernel answer an older topic (ZX_INFO_VMO_V1 ...) by copying a prefix of the newest record.

import {
  decodeStruct,
  defineStruct,
  encodeStruct,
  type FieldSpec,
  type StructLayout,
} from './structs-layout.ts';

// ---------------------------------------------------------------------------------------------
// zx_info_vmo_t and its older versions

const INFO_VMO_V1_FIELDS: readonly FieldSpec[] = [
  ['koid', 'u64'],
  ['name', 'name'],
  ['size_bytes', 'u64'],
  ['parent_koid', 'u64'],
  ['num_children', 'u64'],
  ['num_mappings', 'u64'],
  ['share_count', 'u64'],
  ['flags', 'u32'],
  ['padding1', 'pad', 4],
  ['committed_bytes', 'u64'],
  ['handle_rights', 'u32'],
  ['cache_policy', 'u32'],
];

const INFO_VMO_V2_FIELDS: readonly FieldSpec[] = [
  ...INFO_VMO_V1_FIELDS,
  ['metadata_bytes', 'u64'],
  ['committed_change_events', 'u64'],
];

const INFO_VMO_V3_FIELDS: readonly FieldSpec[] = [
  ...INFO_VMO_V2_FIELDS,
  ['populated_bytes', 'u64'],
];

const INFO_VMO_FIELDS: readonly FieldSpec[] = [
  ...INFO_VMO_V3_FIELDS,
  ['committed_private_bytes', 'u64'],
  ['populated_private_bytes', 'u64'],
  ['committed_scaled_bytes', 'u64'],
  ['populated_scaled_bytes', 'u64'],
  ['committed_fractional_scaled_bytes', 'u64'],
  ['populated_fractional_scaled_bytes', 'u64'],
];

export const ZX_INFO_VMO_V1_LAYOUT: StructLayout = defineStruct(
  'zx_info_vmo_v1_t',
  INFO_VMO_V1_FIELDS,
);
export const ZX_INFO_VMO_V2_LAYOUT: StructLayout = defineStruct(
  'zx_info_vmo_v2_t',
  INFO_VMO_V2_FIELDS,
);
export const ZX_INFO_VMO_V3_LAYOUT: StructLayout = defineStruct(
  'zx_info_vmo_v3_t',
  INFO_VMO_V3_FIELDS,
);
export const ZX_INFO_VMO_LAYOUT: StructLayout = defineStruct('zx_info_vmo_t', INFO_VMO_FIELDS);

export const ZX_INFO_VMO_V1_SIZE: number = ZX_INFO_VMO_V1_LAYOUT.size;
export const ZX_INFO_VMO_V2_SIZE: number = ZX_INFO_VMO_V2_LAYOUT.size;
export const ZX_INFO_VMO_V3_SIZE: number = ZX_INFO_VMO_V3_LAYOUT.size;
export const ZX_INFO_VMO_SIZE: number = ZX_INFO_VMO_LAYOUT.size;

/** zx_info_vmo_v1_t, answered for ZX_INFO_VMO_V1 and ZX_INFO_PROCESS_VMOS_V1. */
export interface ZxInfoVmoV1 {
  koid: bigint;
  /** Object name, at most ZX_MAX_NAME_LEN - 1 bytes of UTF-8. */
  name: string;
  size_bytes: bigint;
  parent_koid: bigint;
  num_children: bigint;
  num_mappings: bigint;
  share_count: bigint;
  /** ZX_INFO_VMO_* bits. */
  flags: number;
  committed_bytes: bigint;
  handle_rights: number;
  /** One of ZX_CACHE_POLICY_*. */
  cache_policy: number;
}

/** zx_info_vmo_v2_t: v1 plus kernel metadata accounting. */
export interface ZxInfoVmoV2 extends ZxInfoVmoV1 {
  metadata_bytes: bigint;
  committed_change_events: bigint;
}

/** zx_info_vmo_v3_t: v2 plus populated (possibly compressed) content. */
export interface ZxInfoVmoV3 extends ZxInfoVmoV2 {
  populated_bytes: bigint;
}

/** zx_info_vmo_t, the current version (ZX_INFO_VMO, ZX_INFO_PROCESS_VMOS): v3 plus sharing. */
export interface ZxInfoVmo extends ZxInfoVmoV3 {
  committed_private_bytes: bigint;
  populated_private_bytes: bigint;
  committed_scaled_bytes: bigint;
  populated_scaled_bytes: bigint;
  /** Fraction of a byte in 63-bit fixed point; 0x8000000000000000n is one whole byte. */
  committed_fractional_scaled_bytes: bigint;
  populated_fractional_scaled_bytes: bigint;
}

export function encodeZxInfoVmoV1(view: DataView, offset: number, value: ZxInfoVmoV1): void {
  encodeStruct(ZX_INFO_VMO_V1_LAYOUT, view, offset, value);
}
export function decodeZxInfoVmoV1(bytes: Uint8Array): ZxInfoVmoV1 {
  return decodeStruct(ZX_INFO_VMO_V1_LAYOUT, bytes) as unknown as ZxInfoVmoV1;
}

export function encodeZxInfoVmoV2(view: DataView, offset: number, value: ZxInfoVmoV2): void {
  encodeStruct(ZX_INFO_VMO_V2_LAYOUT, view, offset, value);
}
export function decodeZxInfoVmoV2(bytes: Uint8Array): ZxInfoVmoV2 {
  return decodeStruct(ZX_INFO_VMO_V2_LAYOUT, bytes) as unknown as ZxInfoVmoV2;
}

export function encodeZxInfoVmoV3(view: DataView, offset: number, value: ZxInfoVmoV3): void {
  encodeStruct(ZX_INFO_VMO_V3_LAYOUT, view, offset, value);
}
export function decodeZxInfoVmoV3(bytes: Uint8Array): ZxInfoVmoV3 {
  return decodeStruct(ZX_INFO_VMO_V3_LAYOUT, bytes) as unknown as ZxInfoVmoV3;
}

export function encodeZxInfoVmo(view: DataView, offset: number, value: ZxInfoVmo): void {
  encodeStruct(ZX_INFO_VMO_LAYOUT, view, offset, value);
}
export function decodeZxInfoVmo(bytes: Uint8Array): ZxInfoVmo {
  return decodeStruct(ZX_INFO_VMO_LAYOUT, bytes) as unknown as ZxInfoVmo;
}

// ---------------------------------------------------------------------------------------------
// zx_vmo_lock_state_t: filled in by zx_vmo_op_range(ZX_VMO_OP_LOCK / ZX_VMO_OP_TRY_LOCK)

export const ZX_VMO_LOCK_STATE_LAYOUT: StructLayout = defineStruct('zx_vmo_lock_state_t', [
  ['offset', 'u64'],
  ['size', 'u64'],
  ['discarded_offset', 'u64'],
  ['discarded_size', 'u64'],
]);
export const ZX_VMO_LOCK_STATE_SIZE: number = ZX_VMO_LOCK_STATE_LAYOUT.size;

export interface ZxVmoLockState {
  /** The locked range. */
  offset: bigint;
  size: bigint;
  /** Smallest range covering pages discarded before the lock; both zero when none were. */
  discarded_offset: bigint;
  discarded_size: bigint;
}

export function encodeZxVmoLockState(view: DataView, offset: number, value: ZxVmoLockState): void {
  encodeStruct(ZX_VMO_LOCK_STATE_LAYOUT, view, offset, value);
}
export function decodeZxVmoLockState(bytes: Uint8Array): ZxVmoLockState {
  return decodeStruct(ZX_VMO_LOCK_STATE_LAYOUT, bytes) as unknown as ZxVmoLockState;
}

// ---------------------------------------------------------------------------------------------
// zx_pager_vmo_stats_t: result of zx_pager_query_vmo_stats()

export const ZX_PAGER_VMO_STATS_LAYOUT: StructLayout = defineStruct('zx_pager_vmo_stats_t', [
  ['modified', 'u32'],
]);
export const ZX_PAGER_VMO_STATS_SIZE: number = ZX_PAGER_VMO_STATS_LAYOUT.size;

export interface ZxPagerVmoStats {
  /** ZX_PAGER_VMO_STATS_MODIFIED or 0. */
  modified: number;
}

export function encodeZxPagerVmoStats(
  view: DataView,
  offset: number,
  value: ZxPagerVmoStats,
): void {
  encodeStruct(ZX_PAGER_VMO_STATS_LAYOUT, view, offset, value);
}
export function decodeZxPagerVmoStats(bytes: Uint8Array): ZxPagerVmoStats {
  return decodeStruct(ZX_PAGER_VMO_STATS_LAYOUT, bytes) as unknown as ZxPagerVmoStats;
}

// ---------------------------------------------------------------------------------------------
// zx_vmo_dirty_range_t: one entry of zx_pager_query_dirty_ranges()

export const ZX_VMO_DIRTY_RANGE_LAYOUT: StructLayout = defineStruct('zx_vmo_dirty_range_t', [
  ['offset', 'u64'],
  ['length', 'u64'],
  ['options', 'u64'],
]);
export const ZX_VMO_DIRTY_RANGE_SIZE: number = ZX_VMO_DIRTY_RANGE_LAYOUT.size;

export interface ZxVmoDirtyRange {
  offset: bigint;
  length: bigint;
  /** ZX_VMO_DIRTY_RANGE_IS_ZERO or 0n. */
  options: bigint;
}

export function encodeZxVmoDirtyRange(
  view: DataView,
  offset: number,
  value: ZxVmoDirtyRange,
): void {
  encodeStruct(ZX_VMO_DIRTY_RANGE_LAYOUT, view, offset, value);
}
export function decodeZxVmoDirtyRange(bytes: Uint8Array): ZxVmoDirtyRange {
  return decodeStruct(ZX_VMO_DIRTY_RANGE_LAYOUT, bytes) as unknown as ZxVmoDirtyRange;
}
