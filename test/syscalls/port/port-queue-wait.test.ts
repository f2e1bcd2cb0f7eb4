// zx_port_create, zx_port_queue and zx_port_wait: every error of their reference pages, the
// upstream core tests (zircon/system/utest/core/port/ports.cc) that need no hardware or real
// parallelism, and waits by threads (BLOCKED_PORT, FIFO hand-off, deadlines on the kernel clock).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PKT_TYPE_USER,
  ZX_POL_ACTION_DENY,
  ZX_POL_NEW_PORT,
  ZX_PORT_BIND_TO_INTERRUPT,
  ZX_PROP_NAME,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_THREAD_STATE_BLOCKED_PORT,
  ZX_THREAD_STATE_DEAD,
  ZX_TIME_INFINITE,
  ZX_TIME_INFINITE_PAST,
} from '../../../src/abi/constants.ts';
import { decodeZxPortPacket, ZX_PORT_PACKET_SIZE } from '../../../src/abi/structs.ts';
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
import {
  createPort,
  drainPackets,
  Scratch,
  takePacket,
  threadState,
  userPacket,
} from '../ipc-helpers.ts';

describe('zx_port_create', () => {
  it('makes a port handle with ZX_DEFAULT_PORT_RIGHTS, with options 0 or BIND_TO_INTERRUPT', () => {
    const { sys } = newProcess();
    for (const options of [0, ZX_PORT_BIND_TO_INTERRUPT]) {
      const port = createPort(sys, options);
      const info = handleBasic(sys, port);
      assert.equal(info.type, ZX_OBJ_TYPE_PORT);
      assert.equal(info.rights, ZX_DEFAULT_PORT_RIGHTS);
      assert.equal(info.related_koid, 0n);
    }
  });

  // PortTest.CreateInvalidOptions
  it('gives INVALID_ARGS for any other option', () => {
    const { sys } = newProcess();
    for (const options of [0x1234, 2, 3, 0x8000_0000]) {
      expectStatus(sys.zx_port_create(options, out(0)), ZX_ERR_INVALID_ARGS);
    }
  });

  it('gives INVALID_ARGS when out cannot be written, and leaves no port behind', () => {
    const { proc, sys } = newProcess();
    const before = proc.object.handles.size;
    expectStatus(sys.zx_port_create(0, Object.freeze({ value: 0 })), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_port_create(0, null), ZX_ERR_INVALID_ARGS);
    assert.equal(proc.object.handles.size, before);
  });

  it("gives ACCESS_DENIED when the job's policy denies ZX_POL_NEW_PORT (before the options)", () => {
    const { kernel, proc } = newProcess();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_NEW_PORT, action: ZX_POL_ACTION_DENY },
    ]);
    expectStatus(child.sys.zx_port_create(0, out(0)), ZX_ERR_ACCESS_DENIED);
    expectStatus(child.sys.zx_port_create(7, out(0)), ZX_ERR_ACCESS_DENIED);
  });

  it('has no name property: a port handle lacks the property rights (ACCESS_DENIED)', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const name = new Uint8Array(ZX_MAX_NAME_LEN);
    expectStatus(
      sys.zx_object_get_property(port, ZX_PROP_NAME, name, name.length),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(
      sys.zx_object_set_property(port, ZX_PROP_NAME, name, name.length),
      ZX_ERR_ACCESS_DENIED,
    );
  });
});

describe('zx_port_queue', () => {
  // PortTest.QueueWaitVerifyUserPacket
  it('queues a user packet: the type is forced to USER, key, status and payload kept', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const payload = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
    const packet = userPacket(12n, { type: ZX_PKT_TYPE_USER + 5, status: -3, payload });
    expectStatus(sys.zx_port_queue(port, packet), ZX_OK);
    const got = takePacket(sys, port);
    assert.equal(got.key, 12n);
    assert.equal(got.type, ZX_PKT_TYPE_USER);
    assert.equal(got.status, -3);
    assert.deepEqual(got.user, payload);
  });

  // PortTest.QueueAndClose
  it('queues, and closing the port with packets queued frees them', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_port_queue(port, userPacket(1n)), ZX_OK);
    expectStatus(sys.zx_handle_close(port), ZX_OK);
  });

  it('takes the packet from user memory at a virtual address', () => {
    const { proc, sys } = newProcess();
    const port = createPort(sys);
    const scratch = new Scratch(proc, 1);
    const at = scratch.put(userPacket(0xfeedn));
    expectStatus(sys.zx_port_queue(port, at), ZX_OK);
    assert.equal(takePacket(sys, port).key, 0xfeedn);
  });

  it('gives BAD_HANDLE, WRONG_TYPE (QueueWrongType) and ACCESS_DENIED (QueueAccessDenied)', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const packet = userPacket(1n);
    expectStatus(sys.zx_port_queue(0, packet), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_port_queue(createVmo(sys, 4096), packet), ZX_ERR_WRONG_TYPE);
    const readOnly = duplicate(sys, port, ZX_DEFAULT_PORT_RIGHTS & ~ZX_RIGHT_WRITE);
    expectStatus(sys.zx_port_queue(readOnly, packet), ZX_ERR_ACCESS_DENIED);
    // The handle is looked up before the packet is read.
    expectStatus(sys.zx_port_queue(readOnly, null), ZX_ERR_ACCESS_DENIED);
  });

  // PortTest.QueueNullPtrReturnsInvalidArgs
  it('gives INVALID_ARGS for a NULL or unmapped packet, NOT_FOUND for short host memory', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_port_queue(port, null), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_port_queue(port, 0x1000), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_port_queue(port, new Uint8Array(47)), ZX_ERR_NOT_FOUND);
    assert.equal(drainPackets(sys, port).length, 0);
  });

  // PortTest.QueuePacketLimitExceededGeneratesPolicyException (the status, not the exception)
  it('gives SHOULD_WAIT once more than 4096 user packets are queued', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const packet = userPacket(0n);
    let queued = 0;
    while (sys.zx_port_queue(port, packet) === ZX_OK) queued++;
    assert.equal(queued, 4097, 'Zircon checks the count before adding: 4096 + 1 fit');
    expectStatus(sys.zx_port_queue(port, packet), ZX_ERR_SHOULD_WAIT);
    // Taking one makes room again.
    takePacket(sys, port);
    expectStatus(sys.zx_port_queue(port, packet), ZX_OK);
  });
});

describe('zx_port_wait', () => {
  it('gives packets first in, first out', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    for (const key of [5n, 1n, 9n, 3n])
      expectStatus(sys.zx_port_queue(port, userPacket(key)), ZX_OK);
    assert.deepEqual(
      drainPackets(sys, port).map((p) => p.key),
      [5n, 1n, 9n, 3n],
    );
  });

  // PortTest.PortTimeout
  it('gives TIMED_OUT on an empty port once the deadline has passed', () => {
    const { kernel, sys } = newProcess();
    const port = createPort(sys);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    for (const deadline of [0, ZX_TIME_INFINITE_PAST, -1n]) {
      expectStatus(sys.zx_port_wait(port, deadline, packet), ZX_ERR_TIMED_OUT);
    }
    kernel.advanceTime(50);
    expectStatus(sys.zx_port_wait(port, 50n, packet), ZX_ERR_TIMED_OUT);
  });

  it('gives the host SHOULD_WAIT where a thread would wait (deadline ahead, port empty)', () => {
    const { kernel, sys } = newProcess();
    const port = createPort(sys);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    expectStatus(sys.zx_port_wait(port, ZX_TIME_INFINITE, packet), ZX_ERR_SHOULD_WAIT);
    expectStatus(sys.zx_port_wait(port, 1n, packet), ZX_ERR_SHOULD_WAIT);
    assert.equal(kernel.now, 0n);
    // Nothing was armed: a packet queued now stays for the next caller.
    expectStatus(sys.zx_port_queue(port, userPacket(4n)), ZX_OK);
    assert.equal(takePacket(sys, port).key, 4n);
  });

  it('gives a queued packet even when the deadline has passed', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_port_queue(port, userPacket(8n)), ZX_OK);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    expectStatus(sys.zx_port_wait(port, ZX_TIME_INFINITE_PAST, packet), ZX_OK);
  });

  it('gives BAD_HANDLE, WRONG_TYPE (WaitWrongType) and ACCESS_DENIED (WaitAccessDenied)', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    expectStatus(sys.zx_port_wait(0, 0, packet), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_port_wait(createVmo(sys, 4096), 0, packet), ZX_ERR_WRONG_TYPE);
    const writeOnly = duplicate(sys, port, ZX_DEFAULT_PORT_RIGHTS & ~ZX_RIGHT_READ);
    expectStatus(sys.zx_port_wait(writeOnly, ZX_TIME_INFINITE, packet), ZX_ERR_ACCESS_DENIED);
  });

  // PortTest.WaitNullPacket
  it('gives INVALID_ARGS (or NOT_FOUND for short host memory) when the packet cannot be written; the packet is lost', () => {
    const { sys } = newProcess();
    const port = createPort(sys);
    expectStatus(sys.zx_port_queue(port, userPacket(1n)), ZX_OK);
    expectStatus(sys.zx_port_wait(port, ZX_TIME_INFINITE, null), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_port_queue(port, userPacket(2n)), ZX_OK);
    expectStatus(sys.zx_port_wait(port, ZX_TIME_INFINITE, new Uint8Array(40)), ZX_ERR_NOT_FOUND);
    assert.equal(drainPackets(sys, port).length, 0, 'both packets were taken');
  });

  it('writes the packet to user memory at a virtual address', () => {
    const { proc, sys } = newProcess();
    const port = createPort(sys);
    const scratch = new Scratch(proc, 1);
    const at = scratch.alloc(ZX_PORT_PACKET_SIZE);
    expectStatus(sys.zx_port_queue(port, userPacket(31n)), ZX_OK);
    expectStatus(sys.zx_port_wait(port, 0, at), ZX_OK);
    assert.equal(decodeZxPortPacket(scratch.read(at, ZX_PORT_PACKET_SIZE)).key, 31n);
  });
});

describe('zx_port_wait on threads', () => {
  it('parks a thread in BLOCKED_PORT until a packet comes, then writes it before settling', async () => {
    const { kernel, proc, sys } = newProcess();
    const port = createPort(sys);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
    const thread = proc.startThread(async (t) => {
      const status = await t.zx_port_wait(port, ZX_TIME_INFINITE, packet);
      return { status, key: decodeZxPortPacket(packet).key };
    });
    await kernel.idle();
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_BLOCKED_PORT);
    expectStatus(sys.zx_port_queue(port, userPacket(77n)), ZX_OK);
    assert.deepEqual(await thread.done, { status: ZX_OK, key: 77n });
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_DEAD);
  });

  // PortTest.ThreadEvents: each of three waiters takes one packet.
  it('hands packets to waiting threads oldest waiter first', async () => {
    const { kernel, proc, sys } = newProcess();
    const port = createPort(sys);
    const threads = [0, 1, 2].map((i) =>
      proc.startThread(async (t) => {
        const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
        const status = await t.zx_port_wait(port, ZX_TIME_INFINITE, packet);
        return { i, status, key: decodeZxPortPacket(packet).key };
      }),
    );
    await kernel.idle();
    for (const key of [500n, 501n, 502n])
      expectStatus(sys.zx_port_queue(port, userPacket(key)), ZX_OK);
    const results = await Promise.all(threads.map((t) => t.done));
    assert.deepEqual(results, [
      { i: 0, status: ZX_OK, key: 500n },
      { i: 1, status: ZX_OK, key: 501n },
      { i: 2, status: ZX_OK, key: 502n },
    ]);
  });

  it('times a waiting thread out when Kernel.advanceTime passes its deadline', async () => {
    const { kernel, proc, sys } = newProcess();
    const port = createPort(sys);
    const thread = proc.startThread((t) =>
      t.zx_port_wait(port, 1_000_000n, new Uint8Array(ZX_PORT_PACKET_SIZE)),
    );
    await kernel.idle();
    kernel.advanceTime(999_999);
    await kernel.idle();
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_BLOCKED_PORT);
    kernel.advanceTime(1);
    expectStatus((await thread.done) as number, ZX_ERR_TIMED_OUT);
    // The timed-out waiter is gone: a later packet stays queued.
    expectStatus(sys.zx_port_queue(port, userPacket(3n)), ZX_OK);
    assert.equal(takePacket(sys, port).key, 3n);
  });

  it('leaves a thread parked when the port is closed under it (nothing posts, as in Zircon)', async () => {
    const { kernel, proc, sys } = newProcess();
    const port = createPort(sys);
    const thread = proc.startThread((t) =>
      t.zx_port_wait(port, 100n, new Uint8Array(ZX_PORT_PACKET_SIZE)),
    );
    await kernel.idle();
    expectStatus(sys.zx_handle_close(port), ZX_OK);
    await kernel.idle();
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_BLOCKED_PORT);
    kernel.advanceTime(100);
    expectStatus((await thread.done) as number, ZX_ERR_TIMED_OUT);
  });
});

describe('zx_port_create with the handle arena full', () => {
  it('is ZX_ERR_NO_MEMORY and leaves no port behind', () => {
    const { proc, sys } = newProcess(newKernel({ maxHandles: 8 }));
    while (sys.zx_handle_duplicate(proc.self, ZX_RIGHT_SAME_RIGHTS, out(0)) === ZX_OK) {}
    const before = proc.object.handles.size;
    expectStatus(sys.zx_port_create(0, out(0)), ZX_ERR_NO_MEMORY);
    assert.equal(proc.object.handles.size, before);
  });
});
