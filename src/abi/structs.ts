// Zircon ABI struct layouts with little-endian encoders and decoders. The definitions live in
// structs-vmo.ts and structs-info.ts, each struct described once and its codec derived from
// that description (structs-layout.ts); this module re-exports them and adds STRUCT_LAYOUTS,
// a table of every layout keyed by its C typedef name.
//
// Conventions: 64-bit fields (including size_t and uintptr_t, since the target is LP64) are
// bigint, narrower integer fields are number, and char[ZX_MAX_NAME_LEN] names are strings.
// Explicit padding fields of the C structs appear in the layouts but not in the TS interfaces;
// encoders zero them and decoders skip them.

import { INFO_LAYOUTS } from './structs-info.ts';
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
import { VMO_LAYOUTS } from './structs-vmo.ts';

export * from './structs-info.ts';
export * from './structs-ipc.ts';
export type { FieldLayout, FieldSpec, ScalarType, StructLayout } from './structs-layout.ts';
export { decodeName, decodeStruct, encodeName, encodeStruct } from './structs-layout.ts';
export * from './structs-vmo.ts';

/** Every layout defined in this layer, keyed by C typedef name. */
export const STRUCT_LAYOUTS: Readonly<Record<string, StructLayout>> = {
  ...VMO_LAYOUTS,
  ...INFO_LAYOUTS,
  zx_port_packet_t: ZX_PORT_PACKET_LAYOUT,
  zx_packet_user_t: ZX_PACKET_USER_LAYOUT,
  zx_packet_signal_t: ZX_PACKET_SIGNAL_LAYOUT,
  zx_packet_page_request_t: ZX_PACKET_PAGE_REQUEST_LAYOUT,
  zx_info_thread_t: ZX_INFO_THREAD_LAYOUT,
  zx_cpu_set_t: ZX_CPU_SET_LAYOUT,
  zx_channel_call_args_t: ZX_CHANNEL_CALL_ARGS_LAYOUT,
  zx_channel_iovec_t: ZX_CHANNEL_IOVEC_LAYOUT,
};
