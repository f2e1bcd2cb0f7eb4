// zx_channel_create, zx_channel_read and zx_channel_write: every error of their reference pages,
// handles moving with messages (and leaving the writer's table even when the write fails),
// peer-closed signals, and the upstream core tests (zircon/system/utest/core/channel/channel.cc)
// that need no hardware or real parallelism. zxvm has no events: VMOs stand in for them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CHANNEL_MAX_MSG_BYTES,
  ZX_CHANNEL_MAX_MSG_HANDLES,
  ZX_CHANNEL_PEER_CLOSED,
  ZX_CHANNEL_READ_MAY_DISCARD,
  ZX_CHANNEL_READABLE,
  ZX_CHANNEL_WRITABLE,
  ZX_CHANNEL_WRITE_USE_IOVEC,
  ZX_DEFAULT_CHANNEL_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_PEER_CLOSED,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_CHANNEL,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_POL_ACTION_DENY,
  ZX_POL_NEW_CHANNEL,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_TRANSFER,
  ZX_RIGHT_WRITE,
  ZX_TIME_INFINITE,
  ZX_TIME_INFINITE_PAST,
} from '../../../src/abi/constants.ts';
import { encodeHandles, encodeZxChannelIovec } from '../../../src/abi/structs.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  handleBasic,
  newKernel,
  newProcess,
  out,
  processWithPolicy,
} from '../../helpers.ts';
import { createChannel, readMessage, Scratch } from '../ipc-helpers.ts';

const DATA = new Uint8Array([0xef, 0xbe, 0xad, 0xde]);

function signalsOf(sys: Parameters<typeof readMessage>[0], handle: number): number {
  const observed = out(0);
  const status = sys.zx_object_wait_one(handle, 0, ZX_TIME_INFINITE_PAST, observed);
  expectStatus(status, ZX_ERR_TIMED_OUT);
  return observed.value;
}

function replace(sys: Parameters<typeof readMessage>[0], handle: number, rights: number): number {
  const replaced = out(0);
  expectStatus(sys.zx_handle_replace(handle, rights, replaced), ZX_OK);
  return replaced.value;
}

function isHandle(sys: Parameters<typeof readMessage>[0], handle: number): boolean {
  return sys.zx_handle_check_valid(handle) === ZX_OK;
}

describe('zx_channel_create', () => {
  // ChannelTest.CreateIsOkAndEndpointsAreRelated
  it('makes two endpoints, each related to the other, with ZX_DEFAULT_CHANNEL_RIGHTS', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    const infoA = handleBasic(sys, a);
    const infoB = handleBasic(sys, b);
    assert.notEqual(infoA.koid, 0n);
    assert.equal(infoA.related_koid, infoB.koid);
    assert.equal(infoB.related_koid, infoA.koid);
    assert.equal(infoA.type, ZX_OBJ_TYPE_CHANNEL);
    assert.equal(infoA.rights, ZX_DEFAULT_CHANNEL_RIGHTS);
  });

  // ChannelTest.IsWriteableByDefault
  it('makes endpoints that are writable and nothing else', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    assert.equal(signalsOf(sys, a), ZX_CHANNEL_WRITABLE);
    assert.equal(signalsOf(sys, b), ZX_CHANNEL_WRITABLE);
  });

  it('gives INVALID_ARGS for options other than 0 (first) and for unusable outs', () => {
    const { proc, sys } = newProcess();
    const before = proc.object.handles.size;
    expectStatus(sys.zx_channel_create(1, out(0), out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_channel_create(0, out(0), null), ZX_ERR_INVALID_ARGS);
    expectStatus(
      sys.zx_channel_create(0, Object.freeze({ value: 0 }), out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    assert.equal(proc.object.handles.size, before, 'both endpoints are destroyed');
  });

  it("gives ACCESS_DENIED when the job's policy denies ZX_POL_NEW_CHANNEL", () => {
    const { kernel, proc } = newProcess();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_NEW_CHANNEL, action: ZX_POL_ACTION_DENY },
    ]);
    expectStatus(child.sys.zx_channel_create(0, out(0), out(0)), ZX_ERR_ACCESS_DENIED);
    expectStatus(child.sys.zx_channel_create(1, out(0), out(0)), ZX_ERR_INVALID_ARGS);
  });
});

describe('zx_channel_write and zx_channel_read', () => {
  // ChannelTest.WriteToEndpointCausesOtherToBecomeReadable
  it('makes the other endpoint readable, and reads what was written', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    expectStatus(sys.zx_channel_write(a, 0, DATA, 4, null, 0), ZX_OK);
    assert.equal(signalsOf(sys, a), ZX_CHANNEL_WRITABLE);
    assert.equal(signalsOf(sys, b), ZX_CHANNEL_WRITABLE | ZX_CHANNEL_READABLE);
    const message = readMessage(sys, b);
    assert.deepEqual(message.bytes, DATA);
    assert.deepEqual(message.handles, []);
    assert.equal(signalsOf(sys, b), ZX_CHANNEL_WRITABLE);
  });

  it('reads messages first in, first out, and copies what was written, not the buffer later', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    const bytes = new Uint8Array([1]);
    expectStatus(sys.zx_channel_write(a, 0, bytes, 1, null, 0), ZX_OK);
    bytes[0] = 2;
    expectStatus(sys.zx_channel_write(a, 0, bytes, 1, null, 0), ZX_OK);
    assert.deepEqual(readMessage(sys, b).bytes, new Uint8Array([1]));
    assert.deepEqual(readMessage(sys, b).bytes, new Uint8Array([2]));
  });

  it('moves handles: they leave the writer and arrive with the same rights', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    const vmo = createVmo(sys, 4096);
    const weak = duplicate(sys, vmo, ZX_RIGHT_READ | ZX_RIGHT_TRANSFER);
    const koid = handleBasic(sys, vmo).koid;
    expectStatus(sys.zx_channel_write(a, 0, DATA, 4, encodeHandles([vmo, weak]), 2), ZX_OK);
    assert.equal(isHandle(sys, vmo), false);
    assert.equal(isHandle(sys, weak), false);
    const message = readMessage(sys, b);
    assert.equal(message.handles.length, 2);
    const [h0, h1] = message.handles.map((h) => handleBasic(sys, h));
    assert.equal(h0!.koid, koid);
    assert.equal(h0!.type, ZX_OBJ_TYPE_VMO);
    assert.equal(h0!.rights, ZX_DEFAULT_VMO_RIGHTS);
    assert.equal(h1!.rights, ZX_RIGHT_READ | ZX_RIGHT_TRANSFER);
  });

  it('moves handles between processes: the reader gets values of its own table', () => {
    const { kernel, proc, sys } = newProcess();
    const other = kernel.createProcess({ name: 'other' });
    const [a, b] = createChannel(sys);
    const inOther = kernel.transferHandle(proc, b, other);
    const vmo = createVmo(sys, 4096);
    const koid = handleBasic(sys, vmo).koid;
    expectStatus(sys.zx_channel_write(a, 0, DATA, 4, encodeHandles([vmo]), 1), ZX_OK);
    const message = readMessage(other.syscalls, inOther);
    assert.equal(message.handles.length, 1);
    assert.equal(handleBasic(other.syscalls, message.handles[0]!).koid, koid);
    assert.equal(
      isHandle(sys, message.handles[0]!),
      false,
      'the value names nothing in the writer',
    );
  });

  // ChannelTest.ReadWhenEmptyReturnsShouldWait, ReadWhenEmptyAndClosedReturnsPeerClosed
  it('gives SHOULD_WAIT when empty, PEER_CLOSED once the peer is gone', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    expectStatus(sys.zx_channel_read(b, 0, null, null, 0, 0, null, null), ZX_ERR_SHOULD_WAIT);
    expectStatus(sys.zx_handle_close(a), ZX_OK);
    expectStatus(sys.zx_channel_read(b, 0, null, null, 0, 0, null, null), ZX_ERR_PEER_CLOSED);
  });

  // ChannelTest.ReadRemainingMessagesWhenPeerIsClosed
  it('reads the messages still queued after the peer closed', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    for (let i = 0; i < 4; i++) expectStatus(sys.zx_channel_write(a, 0, DATA, 4, null, 0), ZX_OK);
    expectStatus(sys.zx_handle_close(a), ZX_OK);
    assert.equal(signalsOf(sys, b), ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED);
    for (let i = 0; i < 4; i++) assert.deepEqual(readMessage(sys, b).bytes, DATA);
    expectStatus(
      sys.zx_object_wait_one(b, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE_PAST, null),
      ZX_ERR_TIMED_OUT,
    );
  });

  // ChannelTest.CloseSignalsPeerClosed, ChannelTest.CloseClearsSignalsWriteable
  it('closing an endpoint: the peer loses WRITABLE and gains PEER_CLOSED', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    expectStatus(sys.zx_handle_close(a), ZX_OK);
    const observed = out(0);
    expectStatus(
      sys.zx_object_wait_one(b, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, observed),
      ZX_OK,
    );
    assert.equal(observed.value, ZX_CHANNEL_PEER_CLOSED);
    expectStatus(sys.zx_channel_write(b, 0, DATA, 4, null, 0), ZX_ERR_PEER_CLOSED);
  });

  // ChannelTest.OnFlightHandlesSignalledWhenPeerIsClosed
  it('destroys the messages queued on a closed endpoint, closing the handles they carry', () => {
    const { sys } = newProcess();
    const [local, remote] = createChannel(sys);
    const [flightLocal0, flightRemote0] = createChannel(sys);
    const [flightLocal1, flightRemote1] = createChannel(sys);
    expectStatus(sys.zx_channel_write(local, 0, null, 0, encodeHandles([flightRemote0]), 1), ZX_OK);
    expectStatus(
      sys.zx_channel_write(remote, 0, null, 0, encodeHandles([flightRemote1]), 1),
      ZX_OK,
    );
    expectStatus(sys.zx_handle_close(local), ZX_OK);
    // The message written by remote sat on local: its handle is closed.
    expectStatus(
      sys.zx_object_wait_one(flightLocal1, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, null),
      ZX_OK,
    );
    // The one written by local sits on remote, still open.
    assert.notEqual(signalsOf(sys, flightLocal0) & ZX_CHANNEL_WRITABLE, 0);
    expectStatus(sys.zx_handle_close(remote), ZX_OK);
    expectStatus(
      sys.zx_object_wait_one(flightLocal0, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE, null),
      ZX_OK,
    );
  });

  // ChannelTest.NestingIsOk
  it('destroys 200 channels nested in each other when the outermost closes', () => {
    const { kernel, sys } = newProcess();
    const before = kernel.core.handleArena.count;
    const pairs = Array.from({ length: 200 }, () => createChannel(sys));
    for (let i = 199; i > 0; i--) {
      const [l, r] = pairs[i]!;
      expectStatus(
        sys.zx_channel_write(pairs[i - 1]![0], 0, null, 0, encodeHandles([l, r]), 2),
        ZX_OK,
      );
    }
    expectStatus(sys.zx_handle_close(pairs[0]![0]), ZX_OK);
    expectStatus(sys.zx_handle_close(pairs[0]![1]), ZX_OK);
    assert.equal(kernel.core.handleArena.count, before, 'every handle is gone');
  });

  it('gathers the bytes of iovecs (ZX_CHANNEL_WRITE_USE_IOVEC), their pointers user addresses', () => {
    const { proc, sys } = newProcess();
    const [a, b] = createChannel(sys);
    const scratch = new Scratch(proc, 2);
    const parts = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array([4, 5])];
    const iovecs = new Uint8Array(16 * parts.length);
    parts.forEach((part, i) => {
      const buffer = part.length === 0 ? 0n : scratch.put(part);
      encodeZxChannelIovec(new DataView(iovecs.buffer), i * 16, {
        buffer,
        capacity: part.length,
        reserved: 0,
      });
    });
    expectStatus(sys.zx_channel_write(a, ZX_CHANNEL_WRITE_USE_IOVEC, iovecs, 3, null, 0), ZX_OK);
    assert.deepEqual(readMessage(sys, b).bytes, new Uint8Array([1, 2, 3, 4, 5]));
    // More than 16 iovecs go chunk by chunk, to the same result.
    const many = new Uint8Array(16 * 40);
    const one = scratch.put(new Uint8Array([9]));
    for (let i = 0; i < 40; i++) {
      encodeZxChannelIovec(new DataView(many.buffer), i * 16, {
        buffer: one,
        capacity: 1,
        reserved: 0,
      });
    }
    expectStatus(sys.zx_channel_write(a, ZX_CHANNEL_WRITE_USE_IOVEC, many, 40, null, 0), ZX_OK);
    assert.deepEqual(readMessage(sys, b).bytes, new Uint8Array(40).fill(9));
  });

  it('writes and reads through user memory at virtual addresses', () => {
    const { proc, sys } = newProcess();
    const [a, b] = createChannel(sys);
    const scratch = new Scratch(proc, 1);
    const vmo = createVmo(sys, 0);
    const src = scratch.put(DATA);
    const list = scratch.putHandles([vmo]);
    expectStatus(sys.zx_channel_write(a, 0, src, 4, list, 1), ZX_OK);
    const dst = scratch.alloc(16);
    const got = scratch.alloc(8);
    const actualBytes = out(0);
    const actualHandles = out(0);
    expectStatus(sys.zx_channel_read(b, 0, dst, got, 16, 2, actualBytes, actualHandles), ZX_OK);
    assert.deepEqual(scratch.read(dst, 4), DATA);
    assert.equal(actualHandles.value, 1);
    assert.equal(handleBasic(sys, scratch.readU32s(got, 1)[0]!).type, ZX_OBJ_TYPE_VMO);
  });
});

describe('zx_channel_write errors', () => {
  it('gives INVALID_ARGS for options other than USE_IOVEC, still taking the handles', () => {
    const { sys } = newProcess();
    const [a] = createChannel(sys);
    const vmo = createVmo(sys, 0);
    expectStatus(sys.zx_channel_write(a, 4, DATA, 4, encodeHandles([vmo]), 1), ZX_ERR_INVALID_ARGS);
    assert.equal(isHandle(sys, vmo), false);
  });

  it('gives BAD_HANDLE, WRONG_TYPE and ACCESS_DENIED (no WRITE) for the channel, taking the handles', () => {
    const { sys } = newProcess();
    const [a] = createChannel(sys);
    const handles = [0, 1, 2].map(() => createVmo(sys, 0));
    expectStatus(
      sys.zx_channel_write(0, 0, null, 0, encodeHandles([handles[0]!]), 1),
      ZX_ERR_BAD_HANDLE,
    );
    expectStatus(
      sys.zx_channel_write(createVmo(sys, 0), 0, null, 0, encodeHandles([handles[1]!]), 1),
      ZX_ERR_WRONG_TYPE,
    );
    // Channel handles cannot be duplicated (no ZX_RIGHT_DUPLICATE): replace sheds the right.
    const readOnly = replace(sys, a, ZX_DEFAULT_CHANNEL_RIGHTS & ~ZX_RIGHT_WRITE);
    expectStatus(
      sys.zx_channel_write(readOnly, 0, null, 0, encodeHandles([handles[2]!]), 1),
      ZX_ERR_ACCESS_DENIED,
    );
    for (const h of handles) assert.equal(isHandle(sys, h), false);
  });

  // ChannelTest.WriteConsumesAllHandles
  it('gives OUT_OF_RANGE past 65536 bytes or 64 handles, and takes all of them anyway', () => {
    const { sys } = newProcess();
    const [a] = createChannel(sys);
    const handles = Array.from({ length: ZX_CHANNEL_MAX_MSG_HANDLES + 1 }, () => createVmo(sys, 0));
    expectStatus(
      sys.zx_channel_write(a, 0, null, 0, encodeHandles(handles), handles.length),
      ZX_ERR_OUT_OF_RANGE,
    );
    for (const h of handles) expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
    const big = new Uint8Array(ZX_CHANNEL_MAX_MSG_BYTES + 1);
    expectStatus(sys.zx_channel_write(a, 0, big, big.length, null, 0), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_channel_write(a, 0, big, ZX_CHANNEL_MAX_MSG_BYTES, null, 0), ZX_OK);
  });

  it('gives INVALID_ARGS for unreadable bytes, NOT_FOUND for short host memory', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    expectStatus(sys.zx_channel_write(a, 0, null, 4, null, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_channel_write(a, 0, 0x1000, 4, null, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_channel_write(a, 0, new Uint8Array(3), 4, null, 0), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_channel_write(a, 0, DATA, 4, new Uint8Array(4), 2), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_channel_write(a, 0, DATA, 4, null, 1), ZX_ERR_INVALID_ARGS);
    // NULL is fine when nothing is to be read.
    expectStatus(sys.zx_channel_write(a, 0, null, 0, null, 0), ZX_OK);
    assert.equal(readMessage(sys, b).bytes.length, 0);
  });

  it('with USE_IOVEC: OUT_OF_RANGE past 8192 iovecs or 65536 bytes, INVALID_ARGS for reserved bits', () => {
    const { proc, sys } = newProcess();
    const [a] = createChannel(sys);
    const scratch = new Scratch(proc, 1);
    const at = scratch.put(new Uint8Array(8));
    const iovec = (capacity: number, reserved = 0, buffer = at) => {
      const bytes = new Uint8Array(16);
      encodeZxChannelIovec(new DataView(bytes.buffer), 0, { buffer, capacity, reserved });
      return bytes;
    };
    expectStatus(
      sys.zx_channel_write(a, ZX_CHANNEL_WRITE_USE_IOVEC, null, 8193, null, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(
      sys.zx_channel_write(a, ZX_CHANNEL_WRITE_USE_IOVEC, iovec(65537), 1, null, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(
      sys.zx_channel_write(a, ZX_CHANNEL_WRITE_USE_IOVEC, iovec(4, 1), 1, null, 0),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_channel_write(a, ZX_CHANNEL_WRITE_USE_IOVEC, iovec(4, 0, 0x1000n), 1, null, 0),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_channel_write(a, ZX_CHANNEL_WRITE_USE_IOVEC, null, 1, null, 0),
      ZX_ERR_INVALID_ARGS,
    );
  });

  // ChannelTest.WriteRepeatedHandlesReturnsBadHandlesAndClosesHandle
  it('gives BAD_HANDLE for a handle listed twice, and closes it', () => {
    const { sys } = newProcess();
    const [a] = createChannel(sys);
    const vmo = createVmo(sys, 0);
    expectStatus(
      sys.zx_channel_write(a, 0, null, 0, encodeHandles([vmo, vmo]), 2),
      ZX_ERR_BAD_HANDLE,
    );
    expectStatus(sys.zx_handle_close(vmo), ZX_ERR_BAD_HANDLE);
  });

  // ChannelTest.WriteNonTransferableHandleReturnsAccessDeniedAndClosesHandle and
  // ChannelWriteTest.MoveHandlesWithRightsCheckFailure
  it('gives ACCESS_DENIED for a handle without TRANSFER; every listed handle is gone', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    const vmo = createVmo(sys, 0);
    const stuck = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_TRANSFER);
    expectStatus(
      sys.zx_channel_write(a, 0, DATA, 4, encodeHandles([vmo, stuck]), 2),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(sys.zx_handle_check_valid(vmo), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_handle_check_valid(stuck), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_channel_read(b, 0, null, null, 0, 0, null, null), ZX_ERR_SHOULD_WAIT);
  });

  // ChannelTest.WriteSelfHandleReturnsNotSupported
  it('gives NOT_SUPPORTED for the channel written to, closing that handle', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    expectStatus(sys.zx_channel_write(a, 0, null, 0, encodeHandles([a]), 1), ZX_ERR_NOT_SUPPORTED);
    const observed = out(0);
    expectStatus(
      sys.zx_object_wait_one(b, ZX_CHANNEL_PEER_CLOSED, ZX_TIME_INFINITE_PAST, observed),
      ZX_OK,
    );
    assert.equal(observed.value, ZX_CHANNEL_PEER_CLOSED);
  });

  it('reports the first failure in list order (BAD_HANDLE before ACCESS_DENIED)', () => {
    const { sys } = newProcess();
    const [a] = createChannel(sys);
    const vmo = createVmo(sys, 0);
    const stuck = duplicate(sys, vmo, ZX_RIGHT_READ);
    expectStatus(
      sys.zx_channel_write(a, 0, null, 0, encodeHandles([0x7777, stuck]), 2),
      ZX_ERR_BAD_HANDLE,
    );
  });

  it('gives PEER_CLOSED when the peer is gone, closing the handles of the message', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    const [c, d] = createChannel(sys);
    expectStatus(sys.zx_handle_close(b), ZX_OK);
    expectStatus(sys.zx_channel_write(a, 0, DATA, 4, encodeHandles([c]), 1), ZX_ERR_PEER_CLOSED);
    expectStatus(sys.zx_object_wait_one(d, ZX_CHANNEL_PEER_CLOSED, 0, null), ZX_OK);
  });
});

describe('zx_channel_read errors', () => {
  it('gives BAD_HANDLE, WRONG_TYPE and ACCESS_DENIED (no READ)', () => {
    const { sys } = newProcess();
    const [a] = createChannel(sys);
    expectStatus(sys.zx_channel_read(0, 0, null, null, 0, 0, null, null), ZX_ERR_BAD_HANDLE);
    expectStatus(
      sys.zx_channel_read(createVmo(sys, 0), 0, null, null, 0, 0, null, null),
      ZX_ERR_WRONG_TYPE,
    );
    const writeOnly = replace(sys, a, ZX_DEFAULT_CHANNEL_RIGHTS & ~ZX_RIGHT_READ);
    expectStatus(
      sys.zx_channel_read(writeOnly, 0, null, null, 0, 0, null, null),
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('gives NOT_SUPPORTED for options other than MAY_DISCARD (after the handle)', () => {
    const { sys } = newProcess();
    const [, b] = createChannel(sys);
    expectStatus(sys.zx_channel_read(b, 2, null, null, 0, 0, null, null), ZX_ERR_NOT_SUPPORTED);
    expectStatus(sys.zx_channel_read(0, 2, null, null, 0, 0, null, null), ZX_ERR_BAD_HANDLE);
  });

  it('gives BUFFER_TOO_SMALL with the sizes written; the message stays queued', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    const vmo = createVmo(sys, 0);
    expectStatus(sys.zx_channel_write(a, 0, DATA, 4, encodeHandles([vmo]), 1), ZX_OK);
    const actualBytes = out(0);
    const actualHandles = out(0);
    expectStatus(
      sys.zx_channel_read(b, 0, new Uint8Array(3), null, 3, 0, actualBytes, actualHandles),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
    assert.equal(actualBytes.value, 4);
    assert.equal(actualHandles.value, 1);
    const message = readMessage(sys, b);
    assert.equal(message.handles.length, 1);
  });

  // ChannelTest.ReadMayDiscard* (every size and NULL buffer combination)
  it('with MAY_DISCARD, discards a message too large and closes its handles', () => {
    const cases = [
      { bytes: 1, handles: 1, room: [0, 0], nullBuffers: true },
      { bytes: 2, handles: 0, room: [1, 0], nullBuffers: true },
      { bytes: 0, handles: 2, room: [0, 1], nullBuffers: true },
      { bytes: 11, handles: 2, room: [10, 1], nullBuffers: false },
    ];
    for (const c of cases) {
      const { kernel, sys } = newProcess();
      const [a, b] = createChannel(sys);
      const vmo = createVmo(sys, 0);
      const handlesBefore = kernel.core.handleArena.count;
      const dups = Array.from({ length: c.handles }, () =>
        duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS),
      );
      expectStatus(
        sys.zx_channel_write(
          a,
          0,
          new Uint8Array(c.bytes),
          c.bytes,
          encodeHandles(dups),
          c.handles,
        ),
        ZX_OK,
      );
      const actualBytes = out(-1);
      const actualHandles = out(-1);
      const [roomBytes, roomHandles] = c.room as [number, number];
      const bytes = c.nullBuffers ? null : new Uint8Array(roomBytes);
      const handles = c.nullBuffers ? null : new Uint8Array(roomHandles * 4);
      expectStatus(
        sys.zx_channel_read(
          b,
          ZX_CHANNEL_READ_MAY_DISCARD,
          bytes,
          handles,
          roomBytes,
          roomHandles,
          actualBytes,
          actualHandles,
        ),
        ZX_ERR_BUFFER_TOO_SMALL,
      );
      assert.equal(actualBytes.value, c.bytes);
      assert.equal(actualHandles.value, c.handles);
      expectStatus(sys.zx_object_wait_one(b, ZX_CHANNEL_READABLE, 0, null), ZX_ERR_TIMED_OUT);
      // CheckHandleCount: only the original handle to the object is left.
      assert.equal(kernel.core.handleArena.count, handlesBefore, 'the carried handles are closed');
    }
  });

  it('gives INVALID_ARGS when an actual cannot be written or a buffer is unusable (the message is lost)', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    const send = () => expectStatus(sys.zx_channel_write(a, 0, DATA, 4, null, 0), ZX_OK);
    send();
    expectStatus(
      sys.zx_channel_read(b, 0, new Uint8Array(4), null, 4, 0, Object.freeze({ value: 0 }), null),
      ZX_ERR_INVALID_ARGS,
    );
    send();
    expectStatus(sys.zx_channel_read(b, 0, null, null, 4, 0, null, null), ZX_ERR_INVALID_ARGS);
    send();
    expectStatus(sys.zx_channel_read(b, 0, 0x1000, null, 4, 0, null, null), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_channel_read(b, 0, null, null, 0, 0, null, null), ZX_ERR_SHOULD_WAIT);
  });

  it('gives NOT_FOUND for host memory shorter than num_bytes or num_handles', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    const vmo = createVmo(sys, 0);
    expectStatus(sys.zx_channel_write(a, 0, DATA, 4, null, 0), ZX_OK);
    expectStatus(
      sys.zx_channel_read(b, 0, new Uint8Array(4), null, 8, 0, null, null),
      ZX_ERR_NOT_FOUND,
    );
    expectStatus(sys.zx_channel_write(a, 0, null, 0, encodeHandles([vmo]), 1), ZX_OK);
    expectStatus(
      sys.zx_channel_read(b, 0, null, new Uint8Array(4), 0, 2, null, null),
      ZX_ERR_NOT_FOUND,
    );
  });

  // ChannelTest.ReadAndWriteWithMultipleSizes (a deterministic sample of sizes)
  it('carries messages of many sizes and handle counts intact', () => {
    const { sys } = newProcess();
    const [a, b] = createChannel(sys);
    for (const [size, count] of [
      [0, 0],
      [1, 1],
      [4095, 7],
      [65536, 64],
      [12345, 0],
    ] as const) {
      const data = Uint8Array.from({ length: size }, (_, i) => (i * 13 + size) & 0xff);
      const handles = Array.from({ length: count }, () => createVmo(sys, 0));
      expectStatus(sys.zx_channel_write(a, 0, data, size, encodeHandles(handles), count), ZX_OK);
      const message = readMessage(sys, b);
      assert.deepEqual(message.bytes, data);
      assert.equal(message.handles.length, count);
      for (const h of message.handles) expectStatus(sys.zx_handle_close(h), ZX_OK);
    }
  });
});

describe('zx_channel_create with the handle arena full', () => {
  it('is ZX_ERR_NO_MEMORY when only one endpoint fits, and leaves neither behind', () => {
    const { proc, sys } = newProcess(newKernel({ maxHandles: 8 }));
    while (sys.zx_handle_duplicate(proc.self, ZX_RIGHT_SAME_RIGHTS, out(0)) === ZX_OK) {}
    // One slot free: the first endpoint fits, the second does not.
    expectStatus(sys.zx_handle_close(proc.self), ZX_OK);
    const before = proc.object.handles.size;
    expectStatus(sys.zx_channel_create(0, out(0), out(0)), ZX_ERR_NO_MEMORY);
    assert.equal(proc.object.handles.size, before);
  });
});
