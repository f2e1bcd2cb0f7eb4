// Records of threads, ports and channels: zx_port_packet_t and its union members
// (syscalls/port.h), zx_info_thread_t (syscalls/object.h), zx_channel_call_args_t and
// zx_channel_iovec_t (types.h). Pointers inside structs are virtual addresses (u64).

import { ZX_PKT_TYPE_PAGE_REQUEST, ZX_PKT_TYPE_SIGNAL_ONE } from './constants.ts';
import {
  decodeStruct,
  defineStruct,
  encodeStruct,
  type FieldSpec,
  type StructLayout,
} from './structs-layout.ts';

// ---------------------------------------------------------------------------------------------
// zx_port_packet_t: key, type, status and a 32-byte union. Each union member gets its own
// 32-byte layout; the packet is laid out once per member (the C union overlays them).

/** zx_packet_user_t, seen as its uint64_t[4] member. */
export const ZX_PACKET_USER_LAYOUT: StructLayout = defineStruct('zx_packet_user_t', [
  ['u64_0', 'u64'],
  ['u64_1', 'u64'],
  ['u64_2', 'u64'],
  ['u64_3', 'u64'],
]);

export const ZX_PACKET_USER_SIZE: number = ZX_PACKET_USER_LAYOUT.size;

export const ZX_PACKET_SIGNAL_LAYOUT: StructLayout = defineStruct('zx_packet_signal_t', [
  ['trigger', 'u32'],
  ['observed', 'u32'],
  ['count', 'u64'],
  ['timestamp', 'i64'],
  ['reserved1', 'u64'],
]);

export const ZX_PACKET_SIGNAL_SIZE: number = ZX_PACKET_SIGNAL_LAYOUT.size;

export const ZX_PACKET_PAGE_REQUEST_LAYOUT: StructLayout = defineStruct(
  'zx_packet_page_request_t',
  [
    ['command', 'u16'],
    ['flags', 'u16'],
    ['reserved0', 'u32'],
    ['offset', 'u64'],
    ['length', 'u64'],
    ['reserved1', 'u64'],
  ],
);

export const ZX_PACKET_PAGE_REQUEST_SIZE: number = ZX_PACKET_PAGE_REQUEST_LAYOUT.size;

const PACKET_HEADER: readonly FieldSpec[] = [
  ['key', 'u64'],
  ['type', 'u32'],
  ['status', 'i32'],
];

/** The packet with its union read as the user payload (the union's first member). */
export const ZX_PORT_PACKET_LAYOUT: StructLayout = defineStruct('zx_port_packet_t', [
  ...PACKET_HEADER,
  ['user', ZX_PACKET_USER_LAYOUT],
]);
export const ZX_PORT_PACKET_SIZE: number = ZX_PORT_PACKET_LAYOUT.size;

const SIGNAL_PACKET_LAYOUT = defineStruct('zx_port_packet_t', [
  ...PACKET_HEADER,
  ['signal', ZX_PACKET_SIGNAL_LAYOUT],
]);
const PAGE_REQUEST_PACKET_LAYOUT = defineStruct('zx_port_packet_t', [
  ...PACKET_HEADER,
  ['page_request', ZX_PACKET_PAGE_REQUEST_LAYOUT],
]);

export interface ZxPacketSignal {
  trigger: number;
  observed: number;
  count: bigint;
  timestamp: bigint;
  reserved1: bigint;
}

export interface ZxPacketPageRequest {
  command: number;
  flags: number;
  reserved0: number;
  offset: bigint;
  length: bigint;
  reserved1: bigint;
}

/**
 * A decoded packet. `user` always holds the 32 union bytes; `signal` and `page_request` are
 * the union read as that member, present when `type` says the packet is one.
 */
export interface ZxPortPacket {
  key: bigint;
  type: number;
  status: number;
  user: Uint8Array;
  signal?: ZxPacketSignal;
  page_request?: ZxPacketPageRequest;
}

/** What encodeZxPortPacket takes: the header and at most one union member (else zeros). */
export interface ZxPortPacketInput {
  key: bigint;
  type: number;
  status: number;
  user?: Uint8Array;
  signal?: ZxPacketSignal;
  page_request?: ZxPacketPageRequest;
}

/** Where the page-request packet's fields sit (from the layouts above). */
const field = (layout: typeof PAGE_REQUEST_PACKET_LAYOUT, name: string) =>
  layout.fields.find((f) => f.name === name)!.offset;
const PR_BASE = field(PAGE_REQUEST_PACKET_LAYOUT, 'page_request');
const PR = {
  key: field(PAGE_REQUEST_PACKET_LAYOUT, 'key'),
  type: field(PAGE_REQUEST_PACKET_LAYOUT, 'type'),
  status: field(PAGE_REQUEST_PACKET_LAYOUT, 'status'),
  command: PR_BASE + field(ZX_PACKET_PAGE_REQUEST_LAYOUT, 'command'),
  offset: PR_BASE + field(ZX_PACKET_PAGE_REQUEST_LAYOUT, 'offset'),
  length: PR_BASE + field(ZX_PACKET_PAGE_REQUEST_LAYOUT, 'length'),
};

/** A port key as the 8 bytes a packet holds it in (see encodePageRequestPacket). */
export function packetKeyBytes(key: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, key, true);
  return bytes;
}

/** Stores `value` (below 2^53) as a little-endian u64 at bytes[at...]. */
function storeU64(bytes: Uint8Array, at: number, value: number): void {
  let lo = value % 2 ** 32;
  let hi = Math.floor(value / 2 ** 32);
  for (let i = 0; i < 4; i++) {
    bytes[at + i] = lo & 0xff;
    bytes[at + 4 + i] = hi & 0xff;
    lo >>>= 8;
    hi >>>= 8;
  }
}

/**
 * A ZX_PKT_TYPE_PAGE_REQUEST packet with status ZX_OK, flags and reserved fields 0, written into
 * the zeroed `bytes` (key from packetKeyBytes; offset and length byte counts below 2^53): what
 * encodeZxPortPacket writes for it, without building a record or a view (the kernel sends one
 * per page request).
 */
export function encodePageRequestPacket(
  bytes: Uint8Array,
  key: Uint8Array,
  command: number,
  offset: number,
  length: number,
): void {
  bytes.set(key, PR.key);
  bytes[PR.type] = ZX_PKT_TYPE_PAGE_REQUEST;
  bytes[PR.command] = command & 0xff;
  bytes[PR.command + 1] = command >>> 8;
  storeU64(bytes, PR.offset, offset);
  storeU64(bytes, PR.length, length);
}

export function encodeZxPortPacket(view: DataView, offset: number, packet: ZxPortPacketInput) {
  const header = { key: packet.key, type: packet.type, status: packet.status };
  if (packet.signal !== undefined) {
    encodeStruct(SIGNAL_PACKET_LAYOUT, view, offset, { ...header, signal: packet.signal });
  } else if (packet.page_request !== undefined) {
    encodeStruct(PAGE_REQUEST_PACKET_LAYOUT, view, offset, {
      ...header,
      page_request: packet.page_request,
    });
  } else {
    const zero = { u64_0: 0n, u64_1: 0n, u64_2: 0n, u64_3: 0n };
    encodeStruct(ZX_PORT_PACKET_LAYOUT, view, offset, { ...header, user: zero });
    if (packet.user !== undefined) {
      const bytes = new Uint8Array(view.buffer, view.byteOffset + offset + 16, 32);
      bytes.set(packet.user.subarray(0, 32));
    }
  }
}

export function decodeZxPortPacket(bytes: Uint8Array): ZxPortPacket {
  const head = decodeStruct(ZX_PORT_PACKET_LAYOUT, bytes);
  const packet: ZxPortPacket = {
    key: head.key as bigint,
    type: head.type as number,
    status: head.status as number,
    user: bytes.slice(16, 48),
  };
  if (packet.type === ZX_PKT_TYPE_SIGNAL_ONE) {
    packet.signal = decodeStruct(SIGNAL_PACKET_LAYOUT, bytes).signal as ZxPacketSignal;
  } else if (packet.type === ZX_PKT_TYPE_PAGE_REQUEST) {
    packet.page_request = decodeStruct(PAGE_REQUEST_PACKET_LAYOUT, bytes)
      .page_request as ZxPacketPageRequest;
  }
  return packet;
}

// ---------------------------------------------------------------------------------------------
// zx_info_thread_t (ZX_INFO_THREAD)

export const ZX_CPU_SET_LAYOUT: StructLayout = defineStruct(
  'zx_cpu_set_t',
  Array.from({ length: 8 }, (_, i): FieldSpec => [`mask_${i}`, 'u64']),
);

export const ZX_CPU_SET_SIZE: number = ZX_CPU_SET_LAYOUT.size;

export const ZX_INFO_THREAD_LAYOUT: StructLayout = defineStruct('zx_info_thread_t', [
  ['state', 'u32'],
  ['wait_exception_channel_type', 'u32'],
  ['cpu_affinity_mask', ZX_CPU_SET_LAYOUT],
]);
export const ZX_INFO_THREAD_SIZE: number = ZX_INFO_THREAD_LAYOUT.size;

export interface ZxInfoThread {
  /** ZX_THREAD_STATE_* */
  state: number;
  /** ZX_EXCEPTION_CHANNEL_TYPE_* */
  wait_exception_channel_type: number;
  /** zx_cpu_set_t: eight 64-bit words, bit i of the set in word i / 64. */
  cpu_affinity_mask: bigint[];
}

export function encodeZxInfoThread(view: DataView, offset: number, value: ZxInfoThread): void {
  const mask = Object.fromEntries(value.cpu_affinity_mask.map((w, i) => [`mask_${i}`, w]));
  encodeStruct(ZX_INFO_THREAD_LAYOUT, view, offset, { ...value, cpu_affinity_mask: mask });
}

export function decodeZxInfoThread(bytes: Uint8Array): ZxInfoThread {
  const raw = decodeStruct(ZX_INFO_THREAD_LAYOUT, bytes);
  const mask = raw.cpu_affinity_mask as Record<string, bigint>;
  return {
    state: raw.state as number,
    wait_exception_channel_type: raw.wait_exception_channel_type as number,
    cpu_affinity_mask: Array.from({ length: 8 }, (_, i) => mask[`mask_${i}`]!),
  };
}

// ---------------------------------------------------------------------------------------------
// zx_channel_call_args_t and zx_channel_iovec_t: their pointers are user virtual addresses.

export const ZX_CHANNEL_CALL_ARGS_LAYOUT: StructLayout = defineStruct('zx_channel_call_args_t', [
  ['wr_bytes', 'u64'],
  ['wr_handles', 'u64'],
  ['rd_bytes', 'u64'],
  ['rd_handles', 'u64'],
  ['wr_num_bytes', 'u32'],
  ['wr_num_handles', 'u32'],
  ['rd_num_bytes', 'u32'],
  ['rd_num_handles', 'u32'],
]);
export const ZX_CHANNEL_CALL_ARGS_SIZE: number = ZX_CHANNEL_CALL_ARGS_LAYOUT.size;

export interface ZxChannelCallArgs {
  wr_bytes: bigint;
  wr_handles: bigint;
  rd_bytes: bigint;
  rd_handles: bigint;
  wr_num_bytes: number;
  wr_num_handles: number;
  rd_num_bytes: number;
  rd_num_handles: number;
}

export function encodeZxChannelCallArgs(view: DataView, offset: number, args: ZxChannelCallArgs) {
  encodeStruct(ZX_CHANNEL_CALL_ARGS_LAYOUT, view, offset, args);
}

export function decodeZxChannelCallArgs(bytes: Uint8Array): ZxChannelCallArgs {
  return decodeStruct(ZX_CHANNEL_CALL_ARGS_LAYOUT, bytes) as unknown as ZxChannelCallArgs;
}

export const ZX_CHANNEL_IOVEC_LAYOUT: StructLayout = defineStruct('zx_channel_iovec_t', [
  ['buffer', 'u64'],
  ['capacity', 'u32'],
  ['reserved', 'u32'],
]);
export const ZX_CHANNEL_IOVEC_SIZE: number = ZX_CHANNEL_IOVEC_LAYOUT.size;

export interface ZxChannelIovec {
  buffer: bigint;
  capacity: number;
  reserved: number;
}

export function encodeZxChannelIovec(view: DataView, offset: number, iovec: ZxChannelIovec) {
  encodeStruct(ZX_CHANNEL_IOVEC_LAYOUT, view, offset, iovec);
}

export function decodeZxChannelIovec(bytes: Uint8Array): ZxChannelIovec {
  return decodeStruct(ZX_CHANNEL_IOVEC_LAYOUT, bytes) as unknown as ZxChannelIovec;
}

// ---------------------------------------------------------------------------------------------
// zx_handle_t arrays (the handles of a channel message): 4 bytes each, little-endian.

/** One zx_handle_t, as the element of a handle array buffer. */
export const ZX_HANDLE_LAYOUT: StructLayout = defineStruct('zx_handle_t', [['value', 'u32']]);

/** Handle values as the bytes of a `zx_handle_t[]` buffer. */
export function encodeHandles(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => {
    view.setUint32(i * 4, v >>> 0, true);
  });
  return bytes;
}

/** The first `count` handle values of a `zx_handle_t[]` buffer. */
export function decodeHandles(bytes: Uint8Array, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: count }, (_, i) => view.getUint32(i * 4, true));
}
