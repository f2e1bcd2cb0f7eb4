// zx_port_cancel and zx_port_cancel_key: every error of their reference pages and the upstream
// core tests (zircon/system/utest/core/port/ports.cc) that apply. zxvm has no events, so a VMO
// stands in for one: ZX_USER_SIGNAL_0 plays ZX_EVENT_SIGNALED, and a VMO's own signal
// (ZX_VMO_ZERO_CHILDREN) shows in `observed` beside it.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
  ZX_RIGHT_WAIT,
  ZX_RIGHT_WRITE,
  ZX_USER_SIGNAL_0,
  ZX_USER_SIGNAL_1,
  ZX_VMO_ZERO_CHILDREN,
  ZX_WAIT_ASYNC_EDGE,
} from '../../../src/abi/constants.ts';
import { createVmo, duplicate, expectStatus, newProcess } from '../../helpers.ts';
import { createPort, drainPackets, userPacket } from '../ipc-helpers.ts';

const SIGNALED = ZX_USER_SIGNAL_0;

describe('zx_port_cancel', () => {
  // PortTest.CancelEventKey
  it('cancels the waits of one key before they fire; NOT_FOUND once the packet is taken', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 4096);
    const keys = [128n, 13n, 7n, 13n];
    for (const key of keys)
      expectStatus(sys.zx_object_wait_async(event, port, key, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_port_cancel(port, event, 13n), ZX_OK);
    for (let i = 0; i < 2; i++) {
      expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
      expectStatus(sys.zx_object_signal(event, SIGNALED, 0), ZX_OK);
    }
    const packets = drainPackets(sys, port);
    assert.equal(packets.length, 2);
    assert.equal(
      packets.reduce((sum, p) => sum + p.key, 0n),
      keys[0]! + keys[2]!,
    );
    for (const p of packets) {
      assert.equal(p.signal?.trigger, SIGNALED);
      assert.equal(p.signal?.observed, SIGNALED | ZX_VMO_ZERO_CHILDREN);
    }
    expectStatus(sys.zx_port_cancel(port, event, 128n), ZX_ERR_NOT_FOUND);
  });

  // PortTest.CancelEventKeyAfter: both queued packets and waits not yet fired.
  it('removes queued packets of the source and key as well as pending waits', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const keys = [128n, 3n, 3n];
    const events = keys.map((key) => {
      const event = createVmo(sys, 4096);
      expectStatus(sys.zx_object_wait_async(event, port, key, SIGNALED, 0), ZX_OK);
      return event;
    });
    expectStatus(sys.zx_object_signal(events[0]!, 0, SIGNALED), ZX_OK);
    expectStatus(sys.zx_object_signal(events[1]!, 0, SIGNALED), ZX_OK);
    expectStatus(sys.zx_port_cancel(port, events[1]!, 3n), ZX_OK);
    expectStatus(sys.zx_port_cancel(port, events[2]!, 3n), ZX_OK);
    expectStatus(sys.zx_object_signal(events[2]!, 0, SIGNALED), ZX_OK);
    const packets = drainPackets(sys, port);
    assert.deepEqual(
      packets.map((p) => p.key),
      [128n],
    );
  });

  it('cancels only the waits made through that handle, not through another to the object', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 4096);
    const other = duplicate(sys, event, ZX_DEFAULT_VMO_RIGHTS);
    expectStatus(sys.zx_object_wait_async(event, port, 1n, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_object_wait_async(other, port, 1n, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_port_cancel(port, event, 1n), ZX_OK);
    expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
    assert.equal(drainPackets(sys, port).length, 1);
  });

  it('leaves user packets with the key alone (they come through no handle)', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 4096);
    expectStatus(sys.zx_port_queue(port, userPacket(5n)), ZX_OK);
    expectStatus(sys.zx_port_cancel(port, event, 5n), ZX_ERR_NOT_FOUND);
    assert.equal(drainPackets(sys, port).length, 1);
  });

  // PortTest.EdgeTriggerCancel
  it('cancels edge-triggered waits before and after a signal', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 4096);
    for (const key of [42n, 999n, 2020n]) {
      expectStatus(sys.zx_object_wait_async(event, port, key, SIGNALED, ZX_WAIT_ASYNC_EDGE), ZX_OK);
    }
    expectStatus(sys.zx_port_cancel(port, event, 999n), ZX_OK);
    expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
    expectStatus(sys.zx_port_cancel(port, event, 2020n), ZX_OK);
    const packets = drainPackets(sys, port);
    assert.deepEqual(
      packets.map((p) => p.key),
      [42n],
    );
    assert.equal(packets[0]!.signal?.observed, SIGNALED | ZX_VMO_ZERO_CHILDREN);
  });

  it('checks in order: BAD_HANDLE, WRONG_TYPE (CancelWrongType), ACCESS_DENIED for the port', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 4096);
    expectStatus(sys.zx_port_cancel(0, event, 0n), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_port_cancel(event, event, 0n), ZX_ERR_WRONG_TYPE);
    const noWrite = duplicate(sys, port, ZX_DEFAULT_PORT_RIGHTS & ~ZX_RIGHT_WRITE);
    // CancelAccessDenied (1): the port lacks WRITE, whatever the source is.
    expectStatus(sys.zx_port_cancel(noWrite, 0, 0n), ZX_ERR_ACCESS_DENIED);
  });

  it('then BAD_HANDLE (CancelBadSourceHandle) and ACCESS_DENIED for the source', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_port_cancel(port, 0, 0n), ZX_ERR_BAD_HANDLE);
    const event = createVmo(sys, 4096);
    // CancelAccessDenied (2): the source lacks WAIT.
    const noWait = duplicate(sys, event, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WAIT);
    expectStatus(sys.zx_port_cancel(port, noWait, 0n), ZX_ERR_ACCESS_DENIED);
  });

  it('then NOT_SUPPORTED for a source that cannot be waited on', () => {
    const { kernel, proc, sys } = newProcess();
    const port = createPort(sys);
    // Only a handle the kernel makes with WAIT reaches the check: ports never carry WAIT.
    const object = proc.object.handles.get(port)!.object;
    const forged = proc.object.handles.add(kernel.core.handleArena.make(object, ZX_RIGHT_WAIT)!);
    expectStatus(sys.zx_port_cancel(port, forged, 0n), ZX_ERR_NOT_SUPPORTED);
    expectStatus(sys.zx_port_cancel(port, port, 0n), ZX_ERR_ACCESS_DENIED);
  });
});

describe('zx_port_cancel_key', () => {
  // PortTest.CancelKeyInvalidOptions
  it('gives INVALID_ARGS for options other than 0, before the handle', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_port_cancel_key(port, 1, 0n), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_port_cancel_key(0, 1, 0n), ZX_ERR_INVALID_ARGS);
  });

  // PortTest.CancelKey
  it('cancels every wait and queued packet of a key, whatever object it watches', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 4096);
    expectStatus(sys.zx_object_wait_async(event, port, 1n, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_object_wait_async(event, port, 2n, SIGNALED, 0), ZX_OK);
    expectStatus(sys.zx_object_wait_async(event, port, 2n, ZX_USER_SIGNAL_1, 0), ZX_OK);
    expectStatus(sys.zx_port_cancel_key(port, 0, 1n), ZX_OK);
    expectStatus(sys.zx_object_signal(event, 0, SIGNALED), ZX_OK);
    // Removes the packet of the SIGNALED wait and cancels the wait for USER_SIGNAL_1.
    expectStatus(sys.zx_port_cancel_key(port, 0, 2n), ZX_OK);
    expectStatus(sys.zx_port_cancel_key(port, 0, 2n), ZX_ERR_NOT_FOUND);
    assert.equal(drainPackets(sys, port).length, 0);
    expectStatus(sys.zx_object_signal(event, 0, ZX_USER_SIGNAL_1), ZX_OK);
    assert.equal(drainPackets(sys, port).length, 0);
    expectStatus(sys.zx_port_cancel_key(port, 0, 3n), ZX_ERR_NOT_FOUND);
  });

  // PortTest.CancelKeyQueuedUserPacket
  it('removes queued user packets with the key', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_port_queue(port, userPacket(42n)), ZX_OK);
    expectStatus(sys.zx_port_cancel_key(port, 0, 42n), ZX_OK);
    expectStatus(sys.zx_port_cancel_key(port, 0, 42n), ZX_ERR_NOT_FOUND);
    assert.equal(drainPackets(sys, port).length, 0);
  });

  // PortTest.CancelKeyWrongType, PortTest.CancelKeyAccessDenied
  it('gives BAD_HANDLE, WRONG_TYPE and ACCESS_DENIED for the port', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_port_cancel_key(0, 0, 0n), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_port_cancel_key(createVmo(sys, 4096), 0, 0n), ZX_ERR_WRONG_TYPE);
    const noWrite = duplicate(sys, port, ZX_DEFAULT_PORT_RIGHTS & ~ZX_RIGHT_WRITE);
    expectStatus(sys.zx_port_cancel_key(noWrite, 0, 0n), ZX_ERR_ACCESS_DENIED);
  });

  // PortStressTest.CancelKeyDestructorReentersPortLock, without the race: a wait whose handle
  // sits in a channel message survives a cancel of another key, and ends with the channel.
  it('leaves waits of other keys alone, even those whose handle is in flight', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const event = createVmo(sys, 4096);
    expectStatus(sys.zx_object_wait_async(event, port, 0xbeefn, SIGNALED, 0), ZX_OK);
    const a = { value: 0 };
    const b = { value: 0 };
    expectStatus(sys.zx_channel_create(0, a, b), ZX_OK);
    const list = new Uint8Array(new Uint32Array([event]).buffer);
    expectStatus(sys.zx_channel_write(a.value, 0, null, 0, list, 1), ZX_OK);
    expectStatus(sys.zx_object_wait_async(b.value, port, 0xc0ffeen, ZX_USER_SIGNAL_0, 0), ZX_OK);
    expectStatus(sys.zx_port_cancel_key(port, 0, 0xc0ffeen), ZX_OK);
    expectStatus(sys.zx_port_cancel_key(port, 0, 0xc0ffeen), ZX_ERR_NOT_FOUND);
    // Closing both ends destroys the message, its handle, and so the wait through it.
    expectStatus(sys.zx_handle_close(a.value), ZX_OK);
    expectStatus(sys.zx_handle_close(b.value), ZX_OK);
    expectStatus(sys.zx_port_cancel_key(port, 0, 0xbeefn), ZX_ERR_NOT_FOUND);
    assert.equal(drainPackets(sys, port).length, 0);
  });
});
