// Zircon ABI struct layouts with little-endian encoders and decoders. The definitions live in
// structs-vmo.ts and structs-info.ts; this module re-exports them and adds STRUCT_LAYOUTS, a
// table of every layout keyed by its C typedef name.
//
// Conventions: 64-bit fields (including size_t and uintptr_t, since the target is LP64) are
// bigint, narrower integer fields are number, and char[ZX_MAX_NAME_LEN] names are strings.
// Explicit padding fields of the C structs appear in the layouts but not in the TS interfaces;
// encoders zero them and decoders skip them.

import {
  ZX_INFO_HANDLE_BASIC_LAYOUT,
  ZX_INFO_HANDLE_COUNT_LAYOUT,
  ZX_INFO_KMEM_STATS_LAYOUT,
  ZX_INFO_KMEM_STATS_V1_LAYOUT,
  ZX_INFO_MAPS_LAYOUT,
  ZX_INFO_MAPS_MAPPING_LAYOUT,
  ZX_INFO_VMAR_LAYOUT,
  ZX_POLICY_BASIC_LAYOUT,
  ZX_POLICY_BASIC_V2_LAYOUT,
} from './structs-info.ts';
import {
  ZX_CHANNEL_CALL_ARGS_LAYOUT,
  ZX_CHANNEL_IOVEC_LAYOUT,
  ZX_CPU_SET_LAYOUT,
  ZX_INFO_THREAD_LAYOUT,
  ZX_PACKET_PAGE_REQUEST_LAYOUT,
  ZX_PACKET_SIGNAL_LAYOUT,
  ZX_PACKET_USER_LAYOUT,
  ZX_PORT_PACKET_LAYOUT,
} from './structs-ipc.ts';
import type { StructLayout } from './structs-layout.ts';
import {
  ZX_INFO_VMO_LAYOUT,
  ZX_INFO_VMO_V1_LAYOUT,
  ZX_INFO_VMO_V2_LAYOUT,
  ZX_INFO_VMO_V3_LAYOUT,
  ZX_PAGER_VMO_STATS_LAYOUT,
  ZX_VMO_DIRTY_RANGE_LAYOUT,
  ZX_VMO_LOCK_STATE_LAYOUT,
} from './structs-vmo.ts';

export * from './structs-info.ts';
export * from './structs-ipc.ts';
export type { FieldLayout, FieldSpec, ScalarType, StructLayout } from './structs-layout.ts';
export { decodeName, decodeStruct, encodeName, encodeStruct } from './structs-layout.ts';
export * from './structs-vmo.ts';

/** Every layout defined in this layer, keyed by C typedef name. */
export const STRUCT_LAYOUTS: Readonly<Record<string, StructLayout>> = {
  zx_info_vmo_v1_t: ZX_INFO_VMO_V1_LAYOUT,
  zx_info_vmo_v2_t: ZX_INFO_VMO_V2_LAYOUT,
  zx_info_vmo_v3_t: ZX_INFO_VMO_V3_LAYOUT,
  zx_info_vmo_t: ZX_INFO_VMO_LAYOUT,
  zx_vmo_lock_state_t: ZX_VMO_LOCK_STATE_LAYOUT,
  zx_pager_vmo_stats_t: ZX_PAGER_VMO_STATS_LAYOUT,
  zx_vmo_dirty_range_t: ZX_VMO_DIRTY_RANGE_LAYOUT,
  zx_info_handle_basic_t: ZX_INFO_HANDLE_BASIC_LAYOUT,
  zx_info_handle_count_t: ZX_INFO_HANDLE_COUNT_LAYOUT,
  zx_info_kmem_stats_t: ZX_INFO_KMEM_STATS_LAYOUT,
  zx_info_kmem_stats_v1_t: ZX_INFO_KMEM_STATS_V1_LAYOUT,
  zx_info_vmar_t: ZX_INFO_VMAR_LAYOUT,
  zx_info_maps_mapping_t: ZX_INFO_MAPS_MAPPING_LAYOUT,
  zx_info_maps_t: ZX_INFO_MAPS_LAYOUT,
  zx_policy_basic_t: ZX_POLICY_BASIC_LAYOUT,
  zx_policy_basic_v1_t: ZX_POLICY_BASIC_LAYOUT,
  zx_policy_basic_v2_t: ZX_POLICY_BASIC_V2_LAYOUT,
  zx_port_packet_t: ZX_PORT_PACKET_LAYOUT,
  zx_packet_user_t: ZX_PACKET_USER_LAYOUT,
  zx_packet_signal_t: ZX_PACKET_SIGNAL_LAYOUT,
  zx_packet_page_request_t: ZX_PACKET_PAGE_REQUEST_LAYOUT,
  zx_info_thread_t: ZX_INFO_THREAD_LAYOUT,
  zx_cpu_set_t: ZX_CPU_SET_LAYOUT,
  zx_channel_call_args_t: ZX_CHANNEL_CALL_ARGS_LAYOUT,
  zx_channel_iovec_t: ZX_CHANNEL_IOVEC_LAYOUT,
};
