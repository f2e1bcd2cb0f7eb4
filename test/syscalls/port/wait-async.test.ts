// zx_object_wait_async: every error of its reference page, signal packets (trigger = the
// watched mask, observed = every active signal at the match, count 1, a timestamp only when
// asked), ZX_WAIT_ASYNC_EDGE, observers matched newest first, and the upstream core tests
// (zircon/system/utest/core/port/ports.cc) that apply. A VMO stands in for an event
// (ZX_USER_SIGNAL_0 for ZX_EVENT_SIGNALED; its ZX_VMO_ZERO_CHILDREN shows in `observed`).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CHANNEL_PEER_CLOSED,
  ZX_CHANNEL_READ_MAY_DISCARD,
  ZX_CHANNEL_READABLE,
  ZX_CHANNEL_WRITABLE,
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_RIGHT_WAIT,
  ZX_RIGHT_WRITE,
  ZX_THREAD_STATE_BLOCKED_PORT,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
  ZX_USER_SIGNAL_2,
  ZX_VMO_ZERO_CHILDREN,
  ZX_WAIT_ASYNC_BOOT_TIMESTAMP,
  ZX_WAIT_ASYNC_EDGE,
  ZX_WAIT_ASYNC_ONCE,
  ZX_WAIT_ASYNC_TIMESTAMP,
} from '../../../src/abi/constants.ts';
import {
  decodeZxPortPacket,
  encodeHandles,
  ZX_PORT_PACKET_SIZE,
} from '../../../src/abi/structs.ts';
import { createVmo, duplicate, expectStatus, newProcess, out } from '../../helpers.ts';
import {
  createChannel,
  createPort,
  drainPackets,
  readMessage,
  takePacket,
  threadState,
} from '../ipc-helpers.ts';

const SIGNALED = ZX_USER_SIGNAL_0;

describe('zx_object_wait_async', () => {
  // PortTest.AsyncWaitChannelTimedOut, PortTest.AsyncWaitChannel
  it('queues one signal packet when the channel becomes readable', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const [ch0, ch1] = createChannel(sys);
    expectStatus(sys.zx_object_wait_async(ch1, port, 6567n, ZX_CHANNEL_READABLE, 0), ZX_OK);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    expectStatus(sys.zx_port_wait(port, 0, packet), ZX_ERR_TIMED_OUT);
    expectStatus(sys.zx_channel_write(ch0, 0, new Uint8Array([1, 2, 3, 4]), 4, null, 0), ZX_OK);
    const got = takePacket(sys, port);
    assert.equal(got.key, 6567n);
    assert.equal(got.type, ZX_PKT_TYPE_SIGNAL_ONE);
    assert.equal(got.status, ZX_OK);
    assert.deepEqual(got.signal, {
      trigger: ZX_CHANNEL_READABLE,
      observed: ZX_CHANNEL_WRITABLE | ZX_CHANNEL_READABLE,
      count: 1n,
      timestamp: 0n,
      reserved1: 0n,
    });
    expectStatus(
      sys.zx_channel_read(ch1, ZX_CHANNEL_READ_MAY_DISCARD, null, null, 0, 0, null, null),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
    // Fired once: nothing more, and a new wait may be made.
    expectStatus(sys.zx_port_wait(port, 0, packet), ZX_ERR_TIMED_OUT);
    expectStatus(sys.zx_object_wait_async(ch1, port, 6567n, ZX_CHANNEL_READABLE, 0), ZX_OK);
  });

  // PortTest.ChannelAsyncWaitOnExistingStateIsNotified
  it('fires at once when a watched signal is already active (level-triggered)', () => {
    const { sys } = newProcess();
    const [ch0, ch1] = createChannel(sys);
    for (let i = 0; i < 5; i++) {
      expectStatus(sys.zx_channel_write(ch0, 0, new Uint8Array(6), 6, null, 0), ZX_OK);
    }
    expectStatus(sys.zx_handle_close(ch0), ZX_OK);
    const port = createPort(sys);
    const watched = ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED;
    expectStatus(sys.zx_object_wait_async(ch1, port, 65667n, watched, 0), ZX_OK);
    const packet = takePacket(sys, port);
    assert.equal(packet.signal?.count, 1n);
    assert.equal(packet.signal?.trigger, watched);
    assert.equal(packet.signal?.observed, watched);
    assert.equal(drainPackets(sys, port).length, 0);
  });

  // PortTest.EventAsyncSignalWaitSingle: 7 waits match newest first (keys 6, 5, 4, 3, 2...).
  it('matches observers newest registered first', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    for (let key = 0n; key < 7n; key++) {
      expectStatus(sys.zx_object_wait_async(event, port, key, SIGNALED, 0), ZX_OK);
    }
    expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
    const packets = drainPackets(sys, port);
    assert.deepEqual(
      packets.map((p) => p.key),
      [6n, 5n, 4n, 3n, 2n, 1n, 0n],
    );
    const firstFive = packets.slice(0, 5).reduce((sum, p) => sum + p.key, 0n);
    assert.equal(firstFive, 20n);
    for (const p of packets) assert.equal(p.signal?.count, 1n);
  });

  // PortTest.AsyncWaitEventRepeat
  it('reports every signal active at the match in observed', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    const counts = [0, 0, 0];
    for (let i = 0; i < 24; i++) {
      expectStatus(
        sys.zx_object_wait_async(event, port, 1122n, SIGNALED | ZX_USER_SIGNAL_2, 0),
        ZX_OK,
      );
      const extra = i % 2 ? 0 : ZX_USER_SIGNAL_2;
      expectStatus(sys.zx_object_signal(event, 0, SIGNALED | extra), ZX_OK);
      expectStatus(sys.zx_object_signal(event, SIGNALED | extra, 0), ZX_OK);
      const packet = takePacket(sys, port);
      assert.equal(packet.type, ZX_PKT_TYPE_SIGNAL_ONE);
      const observed = packet.signal!.observed;
      if (observed & SIGNALED) counts[0]!++;
      if (observed & ZX_USER_SIGNAL_2) counts[1]!++;
      if (observed & ~(SIGNALED | ZX_USER_SIGNAL_2 | ZX_VMO_ZERO_CHILDREN)) counts[2]!++;
    }
    assert.deepEqual(counts, [24, 12, 0]);
  });

  // PortTest.AsyncWaitEventManyAllProcessed: more packets than Zircon's packet arena.
  it('delivers a packet for each of 16385 waits', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const count = 16 * 1024 + 1;
    for (let i = 0; i < count; i++) {
      const event = createVmo(sys, 0);
      expectStatus(sys.zx_object_wait_async(event, port, 6567n, SIGNALED, 0), ZX_OK);
      expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
    }
    let seen = 0;
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    for (;;) {
      const status = sys.zx_port_wait(port, 0, packet);
      if (status !== ZX_OK) {
        expectStatus(status, ZX_ERR_TIMED_OUT);
        break;
      }
      const p = decodeZxPortPacket(packet);
      assert.equal(p.key, 6567n);
      assert.equal(p.signal?.trigger, SIGNALED);
      seen++;
    }
    assert.equal(seen, count);
  });

  // PortTest.EdgeTriggerTimeout
  it('with EDGE, does not fire for a signal already active', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
    expectStatus(sys.zx_object_wait_async(event, port, 1n, SIGNALED, ZX_WAIT_ASYNC_EDGE), ZX_OK);
    assert.equal(drainPackets(sys, port).length, 0);
    // A rise of another signal re-checks the level, as Zircon's UpdateState does.
    expectStatus(sys.zx_object_signal(event, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
    assert.equal(drainPackets(sys, port).length, 1);
  });

  // PortTest.EdgeTriggerDetected: a thread parked in zx_port_wait gets the rise.
  it('with EDGE, fires on a later rise, waking a thread parked on the port', async () => {
    const { kernel, proc, sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    expectStatus(sys.zx_object_wait_async(event, port, 2n, SIGNALED, ZX_WAIT_ASYNC_EDGE), ZX_OK);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    const thread = proc.startThread((t) => t.zx_port_wait(port, ZX_TIME_INFINITE, packet));
    await kernel.idle();
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_BLOCKED_PORT);
    expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
    expectStatus((await thread.done) as number, ZX_OK);
    const got = decodeZxPortPacket(packet);
    assert.equal(got.key, 2n);
    assert.equal(got.signal?.observed, SIGNALED | ZX_VMO_ZERO_CHILDREN);
  });

  // PortTest.Timestamp, PortTest.WaitAsyncBootTimestamp
  it('stamps the kernel clock only with TIMESTAMP or BOOT_TIMESTAMP', () => {
    const { kernel, sys } = newProcess();
    const port = createPort(sys);
    const events = [createVmo(sys, 0), createVmo(sys, 0), createVmo(sys, 0)];
    expectStatus(
      sys.zx_object_wait_async(events[0]!, port, 1n, SIGNALED, ZX_WAIT_ASYNC_TIMESTAMP),
      ZX_OK,
    );
    expectStatus(
      sys.zx_object_wait_async(events[1]!, port, 2n, SIGNALED, ZX_WAIT_ASYNC_ONCE),
      ZX_OK,
    );
    expectStatus(
      sys.zx_object_wait_async(events[2]!, port, 3n, SIGNALED, ZX_WAIT_ASYNC_BOOT_TIMESTAMP),
      ZX_OK,
    );
    kernel.advanceTime(1234);
    expectStatus(sys.zx_object_signal(events[0]!, 0, SIGNALED), ZX_OK);
    kernel.advanceTime(1000);
    expectStatus(sys.zx_object_signal(events[1]!, 0, SIGNALED), ZX_OK);
    expectStatus(sys.zx_object_signal(events[2]!, 0, SIGNALED), ZX_OK);
    assert.deepEqual(
      drainPackets(sys, port).map((p) => [p.key, p.signal?.timestamp]),
      [
        [1n, 1234n],
        [2n, 0n],
        [3n, 2234n],
      ],
    );
  });

  it('ends the wait without a packet when the handle it was made through is closed', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    const other = duplicate(sys, event, ZX_DEFAULT_VMO_RIGHTS);
    expectStatus(sys.zx_object_wait_async(event, port, 1n, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_handle_close(event), ZX_OK);
    expectStatus(sys.zx_object_signal(other, 0, SIGNALED), ZX_OK);
    assert.equal(drainPackets(sys, port).length, 0);
  });

  it('keeps the wait of a handle in flight in a channel message until it is read', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    const other = duplicate(sys, event, ZX_DEFAULT_VMO_RIGHTS);
    expectStatus(sys.zx_object_wait_async(event, port, 1n, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_object_wait_async(event, port, 2n, ZX_USER_SIGNAL_2, 0), ZX_OK);
    const [a, b] = createChannel(sys);
    expectStatus(sys.zx_channel_write(a, 0, null, 0, encodeHandles([event]), 1), ZX_OK);
    // In flight, the wait still fires...
    expectStatus(sys.zx_object_signal(other, 0, SIGNALED), ZX_OK);
    assert.deepEqual(
      drainPackets(sys, port).map((p) => p.key),
      [1n],
    );
    // ...and reading the message ends the others.
    readMessage(sys, b);
    expectStatus(sys.zx_object_signal(other, 0, ZX_USER_SIGNAL_2), ZX_OK);
    assert.equal(drainPackets(sys, port).length, 0);
  });

  // PortTest.AsyncWaitCloseOrder
  it('survives every order of closing the port and both channel ends', () => {
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 2, 0],
      [1, 0, 2],
      [2, 1, 0],
      [2, 0, 1],
    ];
    for (const order of orders) {
      const { sys } = newProcess();
      const port = createPort(sys);
      const [chA, chB] = createChannel(sys);
      const watched = ZX_CHANNEL_READABLE | ZX_CHANNEL_PEER_CLOSED;
      expectStatus(sys.zx_object_wait_async(chB, port, 1122n, watched, 0), ZX_OK);
      const handles = [chB, chA, port];
      for (const i of order) expectStatus(sys.zx_handle_close(handles[i]!), ZX_OK);
    }
  });

  // PortStressTest.MatchHandleCloseRace, in order: the port's last handle goes first.
  it('drops its waits when the port closes; a later signal finds none', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    expectStatus(sys.zx_object_wait_async(event, port, 1n, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_handle_close(port), ZX_OK);
    expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
  });

  // PortTest.AsyncWaitInvalidOption, PortTest.WaitAsyncBootTimestamp
  it('gives INVALID_ARGS for unknown options and for both timestamps, before the handles', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    expectStatus(sys.zx_object_wait_async(event, port, 0n, SIGNALED, 20), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_object_wait_async(0, 0, 0n, SIGNALED, 0x8), ZX_ERR_INVALID_ARGS);
    const both = ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP;
    expectStatus(sys.zx_object_wait_async(event, port, 1n, SIGNALED, both), ZX_ERR_INVALID_ARGS);
  });

  it('checks the port first: BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED (no WRITE)', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    expectStatus(sys.zx_object_wait_async(0, 0, 0n, SIGNALED, 0), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_object_wait_async(event, event, 0n, SIGNALED, 0), ZX_ERR_WRONG_TYPE);
    const noWrite = duplicate(sys, port, ZX_DEFAULT_PORT_RIGHTS & ~ZX_RIGHT_WRITE);
    expectStatus(sys.zx_object_wait_async(0, noWrite, 0n, SIGNALED, 0), ZX_ERR_ACCESS_DENIED);
  });

  it('then the object: BAD_HANDLE, ACCESS_DENIED (no WAIT), NOT_SUPPORTED (not waitable)', () => {
    const { kernel, proc, sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_object_wait_async(0, port, 0n, SIGNALED, 0), ZX_ERR_BAD_HANDLE);
    const noWait = duplicate(sys, createVmo(sys, 0), ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WAIT);
    expectStatus(sys.zx_object_wait_async(noWait, port, 0n, SIGNALED, 0), ZX_ERR_ACCESS_DENIED);
    // A port handle never has WAIT; one the kernel makes with it reaches the waitable check.
    expectStatus(sys.zx_object_wait_async(port, port, 0n, SIGNALED, 0), ZX_ERR_ACCESS_DENIED);
    const object = proc.object.handles.get(port)!.object;
    const forged = proc.object.handles.add(kernel.core.handleArena.make(object, ZX_RIGHT_WAIT)!);
    expectStatus(sys.zx_object_wait_async(forged, port, 0n, SIGNALED, 0), ZX_ERR_NOT_SUPPORTED);
  });

  it('gives INVALID_ARGS for arguments no C caller could pass', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 0);
    expectStatus(sys.zx_object_wait_async(event, port, -1.5, SIGNALED, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_object_wait_async(event, port, 0n, 2 ** 32, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(
      sys.zx_object_wait_async(event, port, 0n, SIGNALED, out(0) as never),
      ZX_ERR_INVALID_ARGS,
    );
  });
});
