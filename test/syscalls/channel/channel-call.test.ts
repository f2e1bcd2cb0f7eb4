// zx_channel_call: every error of its reference page, the kernel's txids (a counter with the top
// bit set, unique among the callers waiting on an endpoint), replies delivered only to the caller
// whose txid they carry, BLOCKED_CHANNEL, deadlines on the kernel clock, and the upstream core
// tests (zircon/system/utest/core/channel/channel.cc, threads.cc) that apply. The pointers of
// zx_channel_call_args_t are user addresses: the tests keep their buffers in mapped scratch
// memory, as C code keeps them on its stack.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CHANNEL_READABLE,
  ZX_CHANNEL_WRITE_USE_IOVEC,
  ZX_DEFAULT_CHANNEL_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_CANCELED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_PEER_CLOSED,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_READ,
  ZX_THREAD_STATE_BLOCKED_CHANNEL,
  ZX_TIME_INFINITE,
  ZX_TIME_INFINITE_PAST,
} from '../../../src/abi/constants.ts';
import { encodeHandles } from '../../../src/abi/structs.ts';
import type { Process } from '../../../src/process.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { createVmo, duplicate, expectStatus, handleBasic, newProcess, out } from '../../helpers.ts';
import {
  callArgs,
  createChannel,
  readMessage,
  Scratch,
  threadState,
  txidOf,
  withTxid,
} from '../ipc-helpers.ts';

interface Call {
  args: Uint8Array;
  rdBytes: bigint;
  rdHandles: bigint;
}

/** The buffers of one call in scratch memory: the request, its handles, room for the reply. */
function prepareCall(
  scratch: Scratch,
  request: Uint8Array,
  handles: readonly number[] = [],
  room: { bytes?: number; handles?: number } = {},
): Call {
  const rdNumBytes = room.bytes ?? 64;
  const rdNumHandles = room.handles ?? 4;
  const rdBytes = scratch.alloc(Math.max(rdNumBytes, 1));
  const rdHandles = scratch.alloc(Math.max(rdNumHandles, 1) * 4);
  const args = callArgs({
    wr_bytes: request.length === 0 ? 0n : scratch.put(request),
    wr_handles: handles.length === 0 ? 0n : scratch.putHandles(handles),
    rd_bytes: rdBytes,
    rd_handles: rdHandles,
    wr_num_bytes: request.length,
    wr_num_handles: handles.length,
    rd_num_bytes: rdNumBytes,
    rd_num_handles: rdNumHandles,
  });
  return { args, rdBytes, rdHandles };
}

/** Answers the next request on `server` with its txid and `reply` (bytes after the txid). */
function answer(sys: Syscalls, server: number, reply: number[] = [], handles: number[] = []) {
  const request = readMessage(sys, server);
  const bytes = withTxid(txidOf(request.bytes), reply);
  expectStatus(
    sys.zx_channel_write(server, 0, bytes, bytes.length, encodeHandles(handles), handles.length),
    ZX_OK,
  );
  return request;
}

function setup() {
  const { kernel, proc, sys } = newProcess();
  const [client, server] = createChannel(sys);
  const scratch = new Scratch(proc, 8);
  return { kernel, proc, sys, client, server, scratch };
}

/** Runs one zx_channel_call on a new thread of `proc`; the thread's done gives the status. */
function callOnThread(proc: Process, client: number, call: Call, deadline = ZX_TIME_INFINITE) {
  const actualBytes = out(-1);
  const actualHandles = out(-1);
  const thread = proc.startThread((t) =>
    t.zx_channel_call(client, 0, deadline, call.args, actualBytes, actualHandles),
  );
  return { thread, actualBytes, actualHandles };
}

describe('zx_channel_call on a thread', () => {
  // ChannelTest.CallBytesFitIsOk, CallHandlesFitIsOk, CallHandleAndBytesFitsIsOk
  it('writes the request with a kernel txid, parks in BLOCKED_CHANNEL, and reads the reply', async () => {
    const { kernel, proc, sys, client, server, scratch } = setup();
    const vmo = createVmo(sys, 4096);
    const call = prepareCall(scratch, withTxid(0x1234, [7, 8]), [vmo]);
    const { thread, actualBytes, actualHandles } = callOnThread(proc, client, call);
    await kernel.idle();
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_BLOCKED_CHANNEL);
    const replyVmo = createVmo(sys, 8192);
    const replyKoid = handleBasic(sys, replyVmo).koid;
    const request = answer(sys, server, [1, 2, 3], [replyVmo]);
    assert.ok(txidOf(request.bytes) >= 0x8000_0000, 'the kernel txid has its top bit set');
    assert.deepEqual([...request.bytes.subarray(4)], [7, 8]);
    assert.equal(request.handles.length, 1);
    expectStatus((await thread.done) as number, ZX_OK);
    assert.equal(actualBytes.value, 7);
    assert.equal(actualHandles.value, 1);
    assert.deepEqual([...scratch.read(call.rdBytes, 7).subarray(4)], [1, 2, 3]);
    const [got] = scratch.readU32s(call.rdHandles, 1);
    assert.equal(handleBasic(sys, got!).koid, replyKoid);
    assert.equal(handleBasic(sys, got!).type, ZX_OBJ_TYPE_VMO);
  });

  // ChannelTest.CallPendingTransactionsUseDifferentIds
  it('gives 20 concurrent callers distinct txids, and each its own reply', async () => {
    const { kernel, proc, sys, client, server, scratch } = setup();
    const calls = Array.from({ length: 20 }, (_, i) => {
      const call = prepareCall(scratch, withTxid(0, [i]));
      return { call, ...callOnThread(proc, client, call) };
    });
    await kernel.idle();
    const requests = calls.map(() => readMessage(sys, server));
    const txids = requests.map((r) => txidOf(r.bytes));
    assert.equal(new Set(txids).size, 20);
    for (const txid of txids) assert.ok(txid >= 0x8000_0000);
    // Reply in reverse order, echoing the caller's index.
    for (const request of [...requests].reverse()) {
      const reply = withTxid(txidOf(request.bytes), [request.bytes[4]!]);
      expectStatus(sys.zx_channel_write(server, 0, reply, reply.length, null, 0), ZX_OK);
    }
    for (const [i, c] of calls.entries()) {
      expectStatus((await c.thread.done) as number, ZX_OK);
      assert.equal(scratch.read(c.call.rdBytes, 5)[4], i);
    }
  });

  // ThreadsTest.SuspendChannelCall (without the suspend): the reply is the caller's alone.
  it('delivers a matching reply to the caller only; others queue as ordinary messages', async () => {
    const { kernel, proc, sys, client, server, scratch } = setup();
    const call = prepareCall(scratch, withTxid(0, [1]));
    const { thread } = callOnThread(proc, client, call);
    await kernel.idle();
    const request = readMessage(sys, server);
    // A user txid and an unknown kernel txid are not replies: they queue on the client.
    for (const txid of [0x1234, 0xffff_fff0]) {
      const other = withTxid(txid);
      expectStatus(sys.zx_channel_write(server, 0, other, 4, null, 0), ZX_OK);
    }
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_BLOCKED_CHANNEL);
    const reply = withTxid(txidOf(request.bytes), [9]);
    expectStatus(sys.zx_channel_write(server, 0, reply, 5, null, 0), ZX_OK);
    expectStatus((await thread.done) as number, ZX_OK);
    assert.deepEqual(
      [readMessage(sys, client), readMessage(sys, client)].map((m) => txidOf(m.bytes)),
      [0x1234, 0xffff_fff0],
    );
    expectStatus(sys.zx_channel_read(client, 0, null, null, 0, 0, null, null), ZX_ERR_SHOULD_WAIT);
  });

  it('times out when Kernel.advanceTime passes the deadline; a late reply queues normally', async () => {
    const { kernel, proc, sys, client, server, scratch } = setup();
    const call = prepareCall(scratch, withTxid(0));
    const { thread } = callOnThread(proc, client, call, 5000n);
    await kernel.idle();
    kernel.advanceTime(5000);
    expectStatus((await thread.done) as number, ZX_ERR_TIMED_OUT);
    answer(sys, server, [4]);
    const late = readMessage(sys, client);
    assert.ok(txidOf(late.bytes) >= 0x8000_0000);
  });

  // ChannelTest.CallDeadlineExceededReturnsTimedOut
  it('gives TIMED_OUT at once for a deadline already passed, the request sent', async () => {
    const { proc, sys, client, server, scratch } = setup();
    const call = prepareCall(scratch, withTxid(0, [1, 2]));
    const { thread } = callOnThread(proc, client, call, ZX_TIME_INFINITE_PAST);
    expectStatus((await thread.done) as number, ZX_ERR_TIMED_OUT);
    assert.equal(readMessage(sys, server).bytes.length, 6);
  });

  // ChannelTest.CallNotifiedOnPeerClosed
  it('ends with PEER_CLOSED when the server closes its end while the caller waits', async () => {
    const { kernel, proc, sys, client, server, scratch } = setup();
    const { thread } = callOnThread(proc, client, prepareCall(scratch, withTxid(0)));
    await kernel.idle();
    expectStatus(sys.zx_handle_close(server), ZX_OK);
    expectStatus((await thread.done) as number, ZX_ERR_PEER_CLOSED);
  });

  it("ends with CANCELED when the caller's own handle is closed while it waits", async () => {
    const { kernel, proc, sys, client, scratch } = setup();
    const { thread } = callOnThread(proc, client, prepareCall(scratch, withTxid(0)));
    await kernel.idle();
    expectStatus(sys.zx_handle_close(client), ZX_OK);
    expectStatus((await thread.done) as number, ZX_ERR_CANCELED);
  });

  // ChannelTest.CallResponseBiggerThanRdNumBytes/RdNumHandlesReturnsBufferTooSmall
  it('gives BUFFER_TOO_SMALL for a reply larger than rd_num_bytes or rd_num_handles, destroying it', async () => {
    const { kernel, proc, sys, client, server, scratch } = setup();
    const bytesCall = prepareCall(scratch, withTxid(0), [], { bytes: 5 });
    const t1 = callOnThread(proc, client, bytesCall);
    await kernel.idle();
    answer(sys, server, [1, 2]);
    expectStatus((await t1.thread.done) as number, ZX_ERR_BUFFER_TOO_SMALL);
    assert.equal(t1.actualBytes.value, -1, 'nothing is written');

    const handlesCall = prepareCall(scratch, withTxid(0), [], { handles: 1 });
    const t2 = callOnThread(proc, client, handlesCall);
    await kernel.idle();
    const vmo = createVmo(sys, 0);
    const keep = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS);
    const before = kernel.core.handleArena.count;
    answer(sys, server, [], [vmo, duplicate(sys, keep, ZX_DEFAULT_VMO_RIGHTS)]);
    expectStatus((await t2.thread.done) as number, ZX_ERR_BUFFER_TOO_SMALL);
    assert.equal(kernel.core.handleArena.count, before - 1, "the reply's handles are closed");
    expectStatus(sys.zx_channel_read(client, 0, null, null, 0, 0, null, null), ZX_ERR_SHOULD_WAIT);
  });

  // ChannelTest.CallNullptrNumBytesIsInvalidArgs, CallNullptrNumHandlesInvalidArgs
  it('gives INVALID_ARGS when the actuals or the reply buffers cannot be written', async () => {
    const { kernel, proc, sys, client, server, scratch } = setup();
    for (const [bytesOut, handlesOut] of [
      [null, out(0)],
      [out(0), null],
    ] as const) {
      const call = prepareCall(scratch, withTxid(0));
      const thread = proc.startThread((t) =>
        t.zx_channel_call(client, 0, ZX_TIME_INFINITE, call.args, bytesOut, handlesOut),
      );
      await kernel.idle();
      answer(sys, server, [1]);
      expectStatus((await thread.done) as number, ZX_ERR_INVALID_ARGS);
    }
    const unmapped = callArgs({
      wr_bytes: scratch.put(withTxid(0)),
      wr_num_bytes: 4,
      rd_bytes: 0x1000n,
      rd_num_bytes: 8,
    });
    const thread = proc.startThread((t) =>
      t.zx_channel_call(client, 0, ZX_TIME_INFINITE, unmapped, out(0), out(0)),
    );
    await kernel.idle();
    answer(sys, server, [1]);
    expectStatus((await thread.done) as number, ZX_ERR_INVALID_ARGS);
  });

  // ChannelTest.CallConsumesHandlesOnSuccess
  it('consumes the request handles', async () => {
    const { kernel, proc, sys, client, server, scratch } = setup();
    const handles = [createVmo(sys, 0), createVmo(sys, 0)];
    const { thread } = callOnThread(proc, client, prepareCall(scratch, withTxid(0), handles));
    await kernel.idle();
    const request = answer(sys, server);
    expectStatus((await thread.done) as number, ZX_OK);
    assert.equal(request.handles.length, 2);
    // The server is this process too: the same handles arrive under the same values (a value
    // is the handle's, as Zircon's MapHandleToValue makes it). Closing them, as the upstream
    // server does, leaves nothing under the values the caller gave.
    assert.deepEqual(request.handles, handles);
    for (const h of request.handles) expectStatus(sys.zx_handle_close(h), ZX_OK);
    for (const h of handles) expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
  });
});

describe('zx_channel_call errors', () => {
  // ChannelTest.CallConsumesHandlesOnError
  it('gives PEER_CLOSED when the peer is already closed, consuming the handles', () => {
    const { sys, client, server, scratch } = setup();
    expectStatus(sys.zx_handle_close(server), ZX_OK);
    const handles = [createVmo(sys, 0), createVmo(sys, 0)];
    const call = prepareCall(scratch, withTxid(0), handles);
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, call.args, out(0), out(0)),
      ZX_ERR_PEER_CLOSED,
    );
    for (const h of handles) expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
  });

  it('gives the host SHOULD_WAIT once the request is sent; the reply queues as a message', () => {
    const { sys, client, server, scratch } = setup();
    const call = prepareCall(scratch, withTxid(0, [5]));
    const actualBytes = out(-1);
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, call.args, actualBytes, out(-1)),
      ZX_ERR_SHOULD_WAIT,
    );
    assert.equal(actualBytes.value, -1);
    const request = answer(sys, server, [6]);
    const reply = readMessage(sys, client);
    assert.equal(txidOf(reply.bytes), txidOf(request.bytes));
    expectStatus(
      sys.zx_object_wait_one(client, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE_PAST, null),
      ZX_ERR_TIMED_OUT,
    );
  });

  it('gives INVALID_ARGS for unreadable args (first, consuming nothing), NOT_FOUND for short host args', () => {
    const { sys, client } = setup();
    const vmo = createVmo(sys, 0);
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, null, out(0), out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_channel_call(0, 9, ZX_TIME_INFINITE, 0x1000, out(0), out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, new Uint8Array(40), out(0), out(0)),
      ZX_ERR_NOT_FOUND,
    );
    assert.equal(sys.zx_handle_check_valid(vmo), ZX_OK);
  });

  it('then INVALID_ARGS for options, BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED: each consuming the handles', () => {
    const { sys, client, scratch } = setup();
    const cases: [number, number, number][] = [];
    const writeOnly = out(0);
    expectStatus(
      sys.zx_handle_replace(client, ZX_DEFAULT_CHANNEL_RIGHTS & ~ZX_RIGHT_READ, writeOnly),
      ZX_OK,
    );
    cases.push([writeOnly.value, 1, ZX_ERR_INVALID_ARGS]);
    cases.push([0, 0, ZX_ERR_BAD_HANDLE]);
    cases.push([createVmo(sys, 0), 0, ZX_ERR_WRONG_TYPE]);
    cases.push([writeOnly.value, 0, ZX_ERR_ACCESS_DENIED]);
    for (const [handle, options, status] of cases) {
      const vmo = createVmo(sys, 0);
      const call = prepareCall(scratch, withTxid(0), [vmo]);
      expectStatus(
        sys.zx_channel_call(handle, options, ZX_TIME_INFINITE, call.args, out(0), out(0)),
        status,
      );
      expectStatus(sys.zx_handle_check_valid(vmo), ZX_ERR_NOT_FOUND);
    }
  });

  it('gives OUT_OF_RANGE past the message limits', () => {
    const { sys, client, scratch } = setup();
    const big = callArgs({ wr_bytes: scratch.alloc(8), wr_num_bytes: 65537 });
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, big, out(0), out(0)),
      ZX_ERR_OUT_OF_RANGE,
    );
    const many = callArgs({
      wr_bytes: scratch.put(withTxid(0)),
      wr_num_bytes: 4,
      wr_num_handles: 65,
    });
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, many, out(0), out(0)),
      ZX_ERR_OUT_OF_RANGE,
    );
    const iovecs = callArgs({ wr_bytes: 0n, wr_num_bytes: 8193 });
    expectStatus(
      sys.zx_channel_call(
        client,
        ZX_CHANNEL_WRITE_USE_IOVEC,
        ZX_TIME_INFINITE,
        iovecs,
        out(0),
        out(0),
      ),
      ZX_ERR_OUT_OF_RANGE,
    );
  });

  // ChannelTest.CallWrittenBytesSmallerThanZxTxIdReturnsInvalidArgs (and ...WithBadPointer)
  it('gives INVALID_ARGS for a request shorter than a txid, or unreadable, consuming its handles', () => {
    const { sys, client, server, scratch } = setup();
    const vmo = createVmo(sys, 0);
    const short = prepareCall(scratch, new Uint8Array(3), [vmo]);
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, short.args, out(0), out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_handle_check_valid(vmo), ZX_ERR_NOT_FOUND);
    const badPointer = callArgs({ wr_bytes: 0xffff_ffff_ffff_ffffn, wr_num_bytes: 3 });
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, badPointer, out(0), out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_channel_read(server, 0, null, null, 0, 0, null, null), ZX_ERR_SHOULD_WAIT);
  });

  it('checks each request handle: BAD_HANDLE, ACCESS_DENIED (no TRANSFER), NOT_SUPPORTED (itself)', () => {
    const { sys, client, server, scratch } = setup();
    const vmo = createVmo(sys, 0);
    const stuck = duplicate(sys, vmo, ZX_RIGHT_READ);
    const bad = prepareCall(scratch, withTxid(0), [0x7777]);
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, bad.args, out(0), out(0)),
      ZX_ERR_BAD_HANDLE,
    );
    const denied = prepareCall(scratch, withTxid(0), [stuck]);
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, denied.args, out(0), out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
    const self = prepareCall(scratch, withTxid(0), [client]);
    expectStatus(
      sys.zx_channel_call(client, 0, ZX_TIME_INFINITE, self.args, out(0), out(0)),
      ZX_ERR_NOT_SUPPORTED,
    );
    expectStatus(sys.zx_channel_read(server, 0, null, null, 0, 0, null, null), ZX_ERR_PEER_CLOSED);
  });
});
