// The records of threads, ports and channels: zx_port_packet_t with each union member at the
// offsets of syscalls/port.h, zx_info_thread_t, zx_channel_call_args_t, zx_channel_iovec_t and
// handle arrays, round-tripped through their encoders and decoders.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_PKT_TYPE_USER,
  ZX_THREAD_STATE_BLOCKED_PORT,
} from '../../src/abi/constants.ts';
import {
  decodeHandles,
  decodeZxChannelCallArgs,
  decodeZxChannelIovec,
  decodeZxInfoThread,
  decodeZxPortPacket,
  encodeHandles,
  encodePageRequestPacket,
  encodeZxChannelCallArgs,
  encodeZxChannelIovec,
  encodeZxInfoThread,
  encodeZxPortPacket,
  packetKeyBytes,
  ZX_CHANNEL_CALL_ARGS_SIZE,
  ZX_INFO_THREAD_SIZE,
  ZX_PORT_PACKET_SIZE,
} from '../../src/abi/structs.ts';

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

describe('zx_port_packet_t', () => {
  it('a signal packet: trigger at 16, observed at 20, count at 24, timestamp at 32', () => {
    const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
    const signal = { trigger: 0x8, observed: 0x9, count: 1n, timestamp: -5n, reserved1: 0n };
    encodeZxPortPacket(view(bytes), 0, {
      key: 77n,
      type: ZX_PKT_TYPE_SIGNAL_ONE,
      status: -3,
      signal,
    });
    const v = view(bytes);
    assert.equal(v.getBigUint64(0, true), 77n);
    assert.equal(v.getUint32(8, true), ZX_PKT_TYPE_SIGNAL_ONE);
    assert.equal(v.getInt32(12, true), -3);
    assert.equal(v.getUint32(16, true), 0x8);
    assert.equal(v.getUint32(20, true), 0x9);
    assert.equal(v.getBigUint64(24, true), 1n);
    assert.equal(v.getBigInt64(32, true), -5n);
    const back = decodeZxPortPacket(bytes);
    assert.deepEqual(back.signal, signal);
    assert.equal(back.page_request, undefined);
  });

  it('a page request: command at 16, flags at 18, offset at 24, length at 32', () => {
    const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
    const request = {
      command: 2,
      flags: 0,
      reserved0: 0,
      offset: 4096n,
      length: 8192n,
      reserved1: 0n,
    };
    encodeZxPortPacket(view(bytes), 0, {
      key: 5n,
      type: ZX_PKT_TYPE_PAGE_REQUEST,
      status: 0,
      page_request: request,
    });
    const v = view(bytes);
    assert.equal(v.getUint16(16, true), 2);
    assert.equal(v.getBigUint64(24, true), 4096n);
    assert.equal(v.getBigUint64(32, true), 8192n);
    assert.deepEqual(decodeZxPortPacket(bytes).page_request, request);
  });

  it("the kernel's page-request packets are the bytes encodeZxPortPacket writes", () => {
    for (const [command, offset, length] of [
      [1, 0, 4096],
      [2, 0, 0],
      [1, 0xffff_f000, 2 ** 40],
      [1, 2 ** 52 - 4096, 4096],
    ] as const) {
      const fast = new Uint8Array(ZX_PORT_PACKET_SIZE);
      encodePageRequestPacket(
        fast,
        packetKeyBytes(0x1234_5678_9abc_def0n),
        command,
        offset,
        length,
      );
      const slow = new Uint8Array(ZX_PORT_PACKET_SIZE);
      encodeZxPortPacket(view(slow), 0, {
        key: 0x1234_5678_9abc_def0n,
        type: ZX_PKT_TYPE_PAGE_REQUEST,
        status: 0,
        page_request: {
          command,
          flags: 0,
          reserved0: 0,
          offset: BigInt(offset),
          length: BigInt(length),
          reserved1: 0n,
        },
      });
      assert.deepEqual(fast, slow);
    }
  });

  it('a user packet keeps its 32 payload bytes', () => {
    const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
    const user = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    encodeZxPortPacket(view(bytes), 0, { key: 1n, type: ZX_PKT_TYPE_USER, status: 0, user });
    assert.deepEqual(bytes.subarray(16), user);
    const back = decodeZxPortPacket(bytes);
    assert.deepEqual(back.user, user);
    assert.equal(back.signal, undefined);
  });
});

describe('zx_info_thread_t', () => {
  it('state at 0, exception channel type at 4, the eight affinity words from 8', () => {
    const bytes = new Uint8Array(ZX_INFO_THREAD_SIZE);
    const info = {
      state: ZX_THREAD_STATE_BLOCKED_PORT,
      wait_exception_channel_type: 0,
      cpu_affinity_mask: [1n, 0n, 0n, 0n, 0n, 0n, 0n, 2n ** 63n],
    };
    encodeZxInfoThread(view(bytes), 0, info);
    assert.equal(view(bytes).getUint32(0, true), ZX_THREAD_STATE_BLOCKED_PORT);
    assert.equal(view(bytes).getBigUint64(8, true), 1n);
    assert.equal(view(bytes).getBigUint64(64, true), 2n ** 63n);
    assert.deepEqual(decodeZxInfoThread(bytes), info);
  });
});

describe('zx_channel_call_args_t, zx_channel_iovec_t and handle arrays', () => {
  it('round-trip at the header offsets', () => {
    const args = {
      wr_bytes: 0x1000n,
      wr_handles: 0x2000n,
      rd_bytes: 0x3000n,
      rd_handles: 0x4000n,
      wr_num_bytes: 5,
      wr_num_handles: 6,
      rd_num_bytes: 7,
      rd_num_handles: 8,
    };
    const bytes = new Uint8Array(ZX_CHANNEL_CALL_ARGS_SIZE);
    encodeZxChannelCallArgs(view(bytes), 0, args);
    assert.equal(view(bytes).getUint32(32, true), 5);
    assert.equal(view(bytes).getUint32(44, true), 8);
    assert.deepEqual(decodeZxChannelCallArgs(bytes), args);
    const iovec = new Uint8Array(16);
    encodeZxChannelIovec(view(iovec), 0, { buffer: 0x9000n, capacity: 12, reserved: 0 });
    assert.deepEqual(decodeZxChannelIovec(iovec), { buffer: 0x9000n, capacity: 12, reserved: 0 });
    const handles = encodeHandles([0x13, 0xffff_fff3]);
    assert.equal(handles.length, 8);
    assert.deepEqual(decodeHandles(handles, 2), [0x13, 0xffff_fff3]);
  });
});
