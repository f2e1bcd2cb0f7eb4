// VMO-related ABI structs: every version of zx_info_vmo_t (syscalls/object.h), the
// ZX_VMO_OP_LOCK result zx_vmo_lock_state_t and the pager's zx_pager_vmo_stats_t (types.h), and
// zx_vmo_dirty_range_t (syscalls-next.h).
//
// Each version of zx_info_vmo_t extends the previous one by appending fields, which is what lets
// the kernel answer an older topic (ZX_INFO_VMO_V1 ...) by copying a prefix of the newest record.
// Each struct is described once (defineCodec); its size, encoder and decoder are exported under
// the names the rest of zxvm uses.

import { defineCodec, type FieldSpec, type StructLayout } from './structs-layout.ts';

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

const INFO_VMO_V1 = defineCodec<ZxInfoVmoV1>('zx_info_vmo_v1_t', INFO_VMO_V1_FIELDS);
export const {
  size: ZX_INFO_VMO_V1_SIZE,
  encode: encodeZxInfoVmoV1,
  decode: decodeZxInfoVmoV1,
} = INFO_VMO_V1;

const INFO_VMO_V2 = defineCodec<ZxInfoVmoV2>('zx_info_vmo_v2_t', INFO_VMO_V2_FIELDS);
export const {
  size: ZX_INFO_VMO_V2_SIZE,
  encode: encodeZxInfoVmoV2,
  decode: decodeZxInfoVmoV2,
} = INFO_VMO_V2;

const INFO_VMO_V3 = defineCodec<ZxInfoVmoV3>('zx_info_vmo_v3_t', INFO_VMO_V3_FIELDS);
export const {
  size: ZX_INFO_VMO_V3_SIZE,
  encode: encodeZxInfoVmoV3,
  decode: decodeZxInfoVmoV3,
} = INFO_VMO_V3;

const INFO_VMO = defineCodec<ZxInfoVmo>('zx_info_vmo_t', INFO_VMO_FIELDS);
export const {
  layout: ZX_INFO_VMO_LAYOUT,
  size: ZX_INFO_VMO_SIZE,
  encode: encodeZxInfoVmo,
  decode: decodeZxInfoVmo,
} = INFO_VMO;

// ---------------------------------------------------------------------------------------------
// zx_vmo_lock_state_t: filled in by zx_vmo_op_range(ZX_VMO_OP_LOCK / ZX_VMO_OP_TRY_LOCK)

export interface ZxVmoLockState {
  /** The locked range. */
  offset: bigint;
  size: bigint;
  /** Smallest range covering pages discarded before the lock; both zero when none were. */
  discarded_offset: bigint;
  discarded_size: bigint;
}

const LOCK_STATE = defineCodec<ZxVmoLockState>('zx_vmo_lock_state_t', [
  ['offset', 'u64'],
  ['size', 'u64'],
  ['discarded_offset', 'u64'],
  ['discarded_size', 'u64'],
]);
export const {
  size: ZX_VMO_LOCK_STATE_SIZE,
  encode: encodeZxVmoLockState,
  decode: decodeZxVmoLockState,
} = LOCK_STATE;

// ---------------------------------------------------------------------------------------------
// zx_pager_vmo_stats_t: result of zx_pager_query_vmo_stats()

export interface ZxPagerVmoStats {
  /** ZX_PAGER_VMO_STATS_MODIFIED or 0. */
  modified: number;
}

const PAGER_VMO_STATS = defineCodec<ZxPagerVmoStats>('zx_pager_vmo_stats_t', [['modified', 'u32']]);
export const {
  size: ZX_PAGER_VMO_STATS_SIZE,
  encode: encodeZxPagerVmoStats,
  decode: decodeZxPagerVmoStats,
} = PAGER_VMO_STATS;

// ---------------------------------------------------------------------------------------------
// zx_vmo_dirty_range_t: one entry of zx_pager_query_dirty_ranges()

export interface ZxVmoDirtyRange {
  offset: bigint;
  length: bigint;
  /** ZX_VMO_DIRTY_RANGE_IS_ZERO or 0n. */
  options: bigint;
}

const DIRTY_RANGE = defineCodec<ZxVmoDirtyRange>('zx_vmo_dirty_range_t', [
  ['offset', 'u64'],
  ['length', 'u64'],
  ['options', 'u64'],
]);
export const {
  size: ZX_VMO_DIRTY_RANGE_SIZE,
  encode: encodeZxVmoDirtyRange,
  decode: decodeZxVmoDirtyRange,
} = DIRTY_RANGE;

/** The layouts of this module, by C typedef name (for STRUCT_LAYOUTS). */
export const VMO_LAYOUTS: Readonly<Record<string, StructLayout>> = {
  zx_info_vmo_v1_t: INFO_VMO_V1.layout,
  zx_info_vmo_v2_t: INFO_VMO_V2.layout,
  zx_info_vmo_v3_t: INFO_VMO_V3.layout,
  zx_info_vmo_t: INFO_VMO.layout,
  zx_vmo_lock_state_t: LOCK_STATE.layout,
  zx_pager_vmo_stats_t: PAGER_VMO_STATS.layout,
  zx_vmo_dirty_range_t: DIRTY_RANGE.layout,
};
