// Helpers for the thread, port and channel tests: ports and channels that must be made, user
// packets, thread states, and user memory for the structs whose pointers are user addresses
// (zx_channel_call_args_t, zx_channel_iovec_t).

import assert from 'node:assert/strict';

import {
  ZX_INFO_THREAD,
  ZX_OK,
  ZX_PKT_TYPE_USER,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
} from '../../src/abi/constants.ts';
import {
  decodeZxInfoThread,
  decodeZxPortPacket,
  encodeHandles,
  encodeZxChannelCallArgs,
  encodeZxPortPacket,
  ZX_CHANNEL_CALL_ARGS_SIZE,
  ZX_INFO_THREAD_SIZE,
  ZX_PORT_PACKET_SIZE,
  type ZxChannelCallArgs,
  type ZxInfoThread,
  type ZxPortPacket,
} from '../../src/abi/structs.ts';
import type { Process } from '../../src/process.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import { createVmo, expectStatus, out } from '../helpers.ts';

export function createPort(sys: Syscalls, options = 0): number {
  const port = out(0);
  expectStatus(sys.zx_port_create(options, port), ZX_OK, 'zx_port_create');
  return port.value;
}

export function createChannel(sys: Syscalls): [number, number] {
  const a = out(0);
  const b = out(0);
  expectStatus(sys.zx_channel_create(0, a, b), ZX_OK, 'zx_channel_create');
  return [a.value, b.value];
}

/** The bytes of a user packet with `key` (and optional payload, status and type). */
export function userPacket(
  key: bigint,
  options: { status?: number; type?: number; payload?: Uint8Array } = {},
): Uint8Array {
  const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
  encodeZxPortPacket(new DataView(bytes.buffer), 0, {
    key,
    type: options.type ?? ZX_PKT_TYPE_USER,
    status: options.status ?? 0,
    user: options.payload,
  });
  return bytes;
}

/** zx_port_wait that must find a packet at once (deadline in the past). */
export function takePacket(sys: Syscalls, port: number): ZxPortPacket {
  const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
  expectStatus(sys.zx_port_wait(port, 0, bytes), ZX_OK, 'zx_port_wait');
  return decodeZxPortPacket(bytes);
}

/** Every packet queued now, oldest first. */
export function drainPackets(sys: Syscalls, port: number): ZxPortPacket[] {
  const packets: ZxPortPacket[] = [];
  const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
  while (sys.zx_port_wait(port, 0, bytes) === ZX_OK) packets.push(decodeZxPortPacket(bytes));
  return packets;
}

/** ZX_INFO_THREAD of a thread handle, which must succeed. */
export function threadInfo(sys: Syscalls, thread: number): ZxInfoThread {
  const bytes = new Uint8Array(ZX_INFO_THREAD_SIZE);
  const status = sys.zx_object_get_info(thread, ZX_INFO_THREAD, bytes, bytes.length, null, null);
  expectStatus(status, ZX_OK, 'zx_object_get_info(ZX_INFO_THREAD)');
  return decodeZxInfoThread(bytes);
}

/** The thread's ZX_THREAD_STATE_*. */
export function threadState(sys: Syscalls, thread: number): number {
  return threadInfo(sys, thread).state;
}

/**
 * User memory of `proc`: a mapped read-write VMO of `pages` pages, with helpers to place bytes,
 * handle arrays and call arguments at addresses in it (C code would use its stack).
 */
export class Scratch {
  readonly base: bigint;
  private next = 0n;
  private readonly proc: Process;

  constructor(proc: Process, pages = 16) {
    this.proc = proc;
    const sys = proc.syscalls;
    const vmo = createVmo(sys, pages * 4096);
    const addr = out(0n);
    const status = sys.zx_vmar_map(
      proc.rootVmar,
      ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
      0,
      vmo,
      0,
      pages * 4096,
      addr,
    );
    expectStatus(status, ZX_OK, 'zx_vmar_map');
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    this.base = addr.value;
  }

  /** `size` bytes of fresh scratch memory (zeroed), 16-byte aligned. */
  alloc(size: number): bigint {
    const at = this.base + this.next;
    this.next += BigInt((size + 15) & ~15);
    return at;
  }

  /** Places `bytes` in scratch memory; returns their address. */
  put(bytes: Uint8Array): bigint {
    const at = this.alloc(bytes.length);
    expectStatus(this.proc.store(at, bytes), ZX_OK, 'store');
    return at;
  }

  /** Places handle values as a zx_handle_t array. */
  putHandles(values: readonly number[]): bigint {
    return this.put(encodeHandles(values));
  }

  read(at: bigint, length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    expectStatus(this.proc.load(at, bytes), ZX_OK, 'load');
    return bytes;
  }

  readU32s(at: bigint, count: number): number[] {
    const bytes = this.read(at, count * 4);
    const view = new DataView(bytes.buffer);
    return Array.from({ length: count }, (_, i) => view.getUint32(i * 4, true));
  }
}

/** A zx_channel_call_args_t, as host bytes. */
export function callArgs(args: Partial<ZxChannelCallArgs>): Uint8Array {
  const bytes = new Uint8Array(ZX_CHANNEL_CALL_ARGS_SIZE);
  encodeZxChannelCallArgs(new DataView(bytes.buffer), 0, {
    wr_bytes: 0n,
    wr_handles: 0n,
    rd_bytes: 0n,
    rd_handles: 0n,
    wr_num_bytes: 0,
    wr_num_handles: 0,
    rd_num_bytes: 0,
    rd_num_handles: 0,
    ...args,
  });
  return bytes;
}

/** Bytes of a message whose first four bytes are `txid`. */
export function withTxid(txid: number, rest: readonly number[] = []): Uint8Array {
  const bytes = new Uint8Array(4 + rest.length);
  new DataView(bytes.buffer).setUint32(0, txid >>> 0, true);
  bytes.set(rest, 4);
  return bytes;
}

/** The txid (first four bytes, little-endian) of message bytes. */
export function txidOf(bytes: Uint8Array): number {
  assert.ok(bytes.length >= 4);
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
}

/** Reads one message that must be there: its bytes and handle values. */
export function readMessage(
  sys: Syscalls,
  channel: number,
  maxBytes = 65536,
  maxHandles = 64,
): { bytes: Uint8Array; handles: number[] } {
  const bytes = new Uint8Array(maxBytes);
  const handles = new Uint8Array(maxHandles * 4);
  const actualBytes = out(0);
  const actualHandles = out(0);
  const status = sys.zx_channel_read(
    channel,
    0,
    bytes,
    handles,
    maxBytes,
    maxHandles,
    actualBytes,
    actualHandles,
  );
  expectStatus(status, ZX_OK, 'zx_channel_read');
  const view = new DataView(handles.buffer);
  return {
    bytes: bytes.slice(0, actualBytes.value),
    handles: Array.from({ length: actualHandles.value }, (_, i) => view.getUint32(i * 4, true)),
  };
}
