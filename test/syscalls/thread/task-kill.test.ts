// zx_task_kill: every error of its reference page, and what a kill does to threads parked in
// zx_port_wait, zx_channel_call and zx_object_wait_one: the call never returns (its promise
// never settles), `done` settles, the thread is DEAD with ZX_THREAD_TERMINATED asserted, and
// the process is torn down. The 2025 kernel does not kill threads (RFC-0007): a thread dies
// with its process.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CHANNEL_PEER_CLOSED,
  ZX_DEFAULT_PROCESS_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_JOB_TERMINATED,
  ZX_OK,
  ZX_PROCESS_TERMINATED,
  ZX_RIGHT_DESTROY,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_THREAD_STATE_BLOCKED_CHANNEL,
  ZX_THREAD_STATE_BLOCKED_PORT,
  ZX_THREAD_STATE_BLOCKED_WAIT_ONE,
  ZX_THREAD_STATE_DEAD,
  ZX_THREAD_TERMINATED,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
} from '../../../src/abi/constants.ts';
import { encodeHandles, ZX_PORT_PACKET_SIZE } from '../../../src/abi/structs.ts';
import type { Kernel } from '../../../src/kernel.ts';
import type { Process } from '../../../src/process.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import type { ThreadSys } from '../../../src/thread.ts';
import {
  createChildJob,
  createVmo,
  duplicate,
  expectStatus,
  newProcess,
  out,
  spawnProcess,
} from '../../helpers.ts';
import {
  callArgs,
  createChannel,
  createPort,
  readMessage,
  Scratch,
  threadState,
  txidOf,
  userPacket,
  withTxid,
} from '../ipc-helpers.ts';

/** A few turns of the event loop: long enough for any settled promise to be seen. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Starts a thread in `victim` whose body makes one waiting call, recording whether the call
 * ever returned, and gives `observer` a handle to it (the victim's own table goes with it).
 */
function parkedThread(
  kernel: Kernel,
  victim: Process,
  observer: Process,
  call: (sys: ThreadSys) => number | Promise<number>,
) {
  const record = { returned: false };
  const thread = victim.startThread(async (t) => {
    await call(t);
    record.returned = true;
    return 'returned';
  });
  const dup = out(0);
  expectStatus(
    victim.syscalls.zx_handle_duplicate(thread.handle, ZX_RIGHT_SAME_RIGHTS, dup),
    ZX_OK,
  );
  const watched = kernel.transferHandle(victim, dup.value, observer);
  return { thread, record, watched };
}

/** Checks a parked thread, runs `kill`, and checks what the kill did to the thread. */
async function expectKilled(
  sys: Syscalls,
  started: ReturnType<typeof parkedThread>,
  blockedIn: number,
  kill: () => void,
) {
  assert.equal(threadState(sys, started.watched), blockedIn);
  kill();
  assert.equal(await started.thread.done, undefined, 'done resolves for a killed thread');
  await settle();
  assert.equal(started.record.returned, false, 'the call never returns to the thread');
  assert.equal(threadState(sys, started.watched), ZX_THREAD_STATE_DEAD);
  const observed = out(0);
  expectStatus(sys.zx_object_wait_one(started.watched, ZX_THREAD_TERMINATED, 0, observed), ZX_OK);
  assert.equal(observed.value, ZX_THREAD_TERMINATED);
}

describe('zx_task_kill errors', () => {
  it('gives BAD_HANDLE, then ACCESS_DENIED without DESTROY (before the type), then WRONG_TYPE', async () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_task_kill(0), ZX_ERR_BAD_HANDLE);
    // Rights come before the type: a VMO handle has no DESTROY.
    expectStatus(sys.zx_task_kill(createVmo(sys, 0)), ZX_ERR_ACCESS_DENIED);
    const noDestroy = duplicate(sys, proc.self, ZX_DEFAULT_PROCESS_RIGHTS & ~ZX_RIGHT_DESTROY);
    expectStatus(sys.zx_task_kill(noDestroy), ZX_ERR_ACCESS_DENIED);
    // A thread handle has DESTROY, but the 2025 kernel kills no thread.
    const thread = proc.startThread(() => 0);
    expectStatus(sys.zx_task_kill(thread.handle), ZX_ERR_WRONG_TYPE);
    await thread.done;
    expectStatus(
      sys.zx_object_wait_one(proc.self, ZX_PROCESS_TERMINATED, 0, null),
      ZX_ERR_TIMED_OUT,
    );
  });
});

describe('killing a process', () => {
  it('ends a thread parked in zx_port_wait: its call never returns', async () => {
    const { kernel, proc, sys } = newProcess();
    const victim = kernel.createProcess({ name: 'victim' });
    const port = createPort(victim.syscalls);
    const started = parkedThread(kernel, victim, proc, (t) =>
      t.zx_port_wait(port, ZX_TIME_INFINITE, new Uint8Array(ZX_PORT_PACKET_SIZE)),
    );
    await kernel.idle();
    const victimHere = kernel.transferHandle(victim, victim.self, proc);
    await expectKilled(sys, started, ZX_THREAD_STATE_BLOCKED_PORT, () =>
      expectStatus(sys.zx_task_kill(victimHere), ZX_OK),
    );
    expectStatus(sys.zx_object_wait_one(victimHere, ZX_PROCESS_TERMINATED, 0, null), ZX_OK);
    expectStatus(victim.syscalls.zx_port_create(0, out(0)), ZX_ERR_BAD_STATE);
  });

  it('ends a thread parked in zx_object_wait_one', async () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const event = createVmo(child.sys, 0);
    const started = parkedThread(kernel, child.proc, proc, (t) =>
      t.zx_object_wait_one(event, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, null),
    );
    await kernel.idle();
    await expectKilled(sys, started, ZX_THREAD_STATE_BLOCKED_WAIT_ONE, () =>
      expectStatus(sys.zx_task_kill(child.handle), ZX_OK),
    );
  });

  it('ends a thread parked in zx_channel_call, and tears the process down', async () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const [client, server] = createChannel(child.sys);
    const serverHere = kernel.transferHandle(child.proc, server, proc);
    const scratch = new Scratch(child.proc, 1);
    const args = callArgs({ wr_bytes: scratch.put(withTxid(0)), wr_num_bytes: 4 });
    const started = parkedThread(kernel, child.proc, proc, (t) =>
      t.zx_channel_call(client, 0, ZX_TIME_INFINITE, args, out(0), out(0)),
    );
    await kernel.idle();
    await expectKilled(sys, started, ZX_THREAD_STATE_BLOCKED_CHANNEL, () =>
      expectStatus(sys.zx_task_kill(child.handle), ZX_OK),
    );
    // Its handles are closed: the server sees PEER_CLOSED.
    expectStatus(sys.zx_object_wait_one(serverHere, ZX_CHANNEL_PEER_CLOSED, 0, null), ZX_OK);
    expectStatus(sys.zx_object_wait_one(child.handle, ZX_PROCESS_TERMINATED, 0, null), ZX_OK);
    expectStatus(child.sys.zx_port_create(0, out(0)), ZX_ERR_BAD_STATE);
  });

  it('drops a reply delivered to a caller killed before it ran again, closing its handles', async () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const [client, server] = createChannel(child.sys);
    const serverHere = kernel.transferHandle(child.proc, server, proc);
    const scratch = new Scratch(child.proc, 1);
    const args = callArgs({
      wr_bytes: scratch.put(withTxid(0)),
      wr_num_bytes: 4,
      rd_bytes: scratch.alloc(8),
      rd_num_bytes: 8,
      rd_handles: scratch.alloc(4),
      rd_num_handles: 1,
    });
    const caller = parkedThread(kernel, child.proc, proc, (t) =>
      t.zx_channel_call(client, 0, ZX_TIME_INFINITE, args, out(0), out(0)),
    );
    await kernel.idle();
    const request = readMessage(sys, serverHere);
    const [carried, watch] = createChannel(sys);
    const reply = withTxid(txidOf(request.bytes));
    expectStatus(sys.zx_channel_write(serverHere, 0, reply, 4, encodeHandles([carried]), 1), ZX_OK);
    // Woken, not yet run: the kill comes first.
    expectStatus(sys.zx_task_kill(child.handle), ZX_OK);
    assert.equal(await caller.thread.done, undefined);
    await settle();
    assert.equal(caller.record.returned, false);
    expectStatus(sys.zx_object_wait_one(watch, ZX_CHANNEL_PEER_CLOSED, 0, null), ZX_OK);
  });

  it('a thread that kills its own process never returns from zx_task_kill', async () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const self = duplicate(sys, child.handle, ZX_DEFAULT_PROCESS_RIGHTS);
    const inChild = kernel.transferHandle(proc, self, child.proc);
    const started = parkedThread(kernel, child.proc, proc, (t) => t.zx_task_kill(inChild));
    assert.equal(await started.thread.done, undefined);
    await settle();
    assert.equal(started.record.returned, false);
    expectStatus(sys.zx_object_wait_one(child.handle, ZX_PROCESS_TERMINATED, 0, null), ZX_OK);
  });

  it('a killed thread that was running gets no answer to its later calls', async () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let answered = false;
    const thread = child.proc.startThread(async (t) => {
      await gate; // running, outside the kernel
      await t.zx_port_create(0, out(0));
      answered = true;
    });
    await settle();
    expectStatus(sys.zx_task_kill(child.handle), ZX_OK);
    assert.equal(await thread.done, undefined);
    release();
    await settle();
    assert.equal(answered, false);
  });
});

describe('killing a job', () => {
  it('kills every process in it and its child jobs, and asserts ZX_JOB_TERMINATED', async () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const inner = createChildJob(sys, job);
    const a = spawnProcess(kernel, proc, job, 'a');
    const b = spawnProcess(kernel, proc, inner, 'b');
    const port = createPort(b.sys);
    const started = parkedThread(kernel, b.proc, proc, (t) =>
      t.zx_port_wait(port, ZX_TIME_INFINITE, new Uint8Array(ZX_PORT_PACKET_SIZE)),
    );
    await kernel.idle();
    expectStatus(sys.zx_task_kill(job), ZX_OK);
    assert.equal(await started.thread.done, undefined);
    for (const p of [a, b]) {
      expectStatus(sys.zx_object_wait_one(p.handle, ZX_PROCESS_TERMINATED, 0, null), ZX_OK);
    }
    for (const j of [job, inner]) {
      expectStatus(sys.zx_object_wait_one(j, ZX_JOB_TERMINATED, 0, null), ZX_OK);
    }
    // The killer lives on.
    expectStatus(sys.zx_port_queue(createPort(sys), userPacket(1n)), ZX_OK);
  });
});
