// zx threads (CONTRACT.md section 4): proc.startThread, the thread surface derived from the
// syscall table, thread states and signals, ZX_INFO_THREAD (every error), names, the life of a
// process its threads run, and the upstream core tests (zircon/system/utest/core/threads) that
// need no registers, suspension or exceptions.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_THREAD_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_WRONG_TYPE,
  ZX_EXCEPTION_CHANNEL_TYPE_NONE,
  ZX_INFO_THREAD,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_THREAD,
  ZX_OK,
  ZX_PROCESS_TERMINATED,
  ZX_PROP_NAME,
  ZX_RIGHT_INSPECT,
  ZX_THREAD_RUNNING,
  ZX_THREAD_STATE_BLOCKED_WAIT_ONE,
  ZX_THREAD_STATE_DEAD,
  ZX_THREAD_STATE_NEW,
  ZX_THREAD_STATE_RUNNING,
  ZX_THREAD_TERMINATED,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
} from '../../../src/abi/constants.ts';
import { ZX_INFO_THREAD_SIZE } from '../../../src/abi/structs.ts';
import { SYSCALLS } from '../../../src/abi/syscalls/index.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  handleBasic,
  newProcess,
  out,
  spawnProcess,
} from '../../helpers.ts';
import { threadInfo, threadState } from '../ipc-helpers.ts';

function nameOf(sys: ReturnType<typeof newProcess>['sys'], handle: number): string {
  const bytes = new Uint8Array(ZX_MAX_NAME_LEN);
  expectStatus(sys.zx_object_get_property(handle, ZX_PROP_NAME, bytes, bytes.length), ZX_OK);
  return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
}

describe('proc.startThread', () => {
  // Threads.Basics
  it('runs the body as a thread and settles done with what it returned', async () => {
    const { proc } = newProcess();
    const thread = proc.startThread(async () => 'finished');
    assert.equal(await thread.done, 'finished');
  });

  it('rejects done with what the body threw, whether at once or later', async () => {
    const { proc } = newProcess();
    const at = proc.startThread(() => {
      throw new Error('at once');
    });
    await assert.rejects(at.done, /at once/);
    const later = proc.startThread(async (sys) => {
      await sys.zx_object_wait_one(0, 0, 0, null);
      throw new Error('later');
    });
    await assert.rejects(later.done, /later/);
  });

  it('gives a handle to the thread with ZX_DEFAULT_THREAD_RIGHTS, related to its process', async () => {
    const { proc, sys } = newProcess();
    const thread = proc.startThread(() => 0);
    const info = handleBasic(sys, thread.handle);
    assert.equal(info.type, ZX_OBJ_TYPE_THREAD);
    assert.equal(info.rights, ZX_DEFAULT_THREAD_RIGHTS);
    assert.equal(info.related_koid, handleBasic(sys, proc.self).koid);
    await thread.done;
  });

  it('gives the thread every syscall of the process under the same name, plus load and store', async () => {
    const { proc } = newProcess();
    const names = await proc.startThread((sys) => Object.keys(sys).sort()).done;
    const expected = [...SYSCALLS.map((s) => s.name), 'load', 'store'].sort();
    assert.deepEqual(names, expected);
  });

  it('lets the thread touch its address space with load and store', async () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 4096);
    const addr = out(0n);
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    expectStatus(sys.zx_vmar_map(proc.rootVmar, perms, 0, vmo, 0, 4096, addr), ZX_OK);
    const thread = proc.startThread(async (t) => {
      expectStatus(await t.store(addr.value, new Uint8Array([4, 5, 6])), ZX_OK);
      const back = new Uint8Array(3);
      expectStatus(await t.load(addr.value, back), ZX_OK);
      return [...back];
    });
    assert.deepEqual(await thread.done, [4, 5, 6]);
    const host = new Uint8Array(3);
    expectStatus(sys.zx_vmo_read(vmo, host, 0, 3), ZX_OK);
    assert.deepEqual([...host], [4, 5, 6]);
  });

  it('throws for a dead process (zx_thread_start would be ZX_ERR_BAD_STATE)', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_task_kill(proc.self), ZX_OK);
    assert.throws(() => proc.startThread(() => 0), /BAD_STATE/);
  });
});

describe('thread states and signals', () => {
  it('is NEW until it first runs, RUNNING while it runs, BLOCKED_* while it waits, DEAD after', async () => {
    const { kernel, proc, sys } = newProcess();
    const event = createVmo(sys, 0);
    const seen: number[] = [];
    const thread = proc.startThread(async (t) => {
      seen.push(threadState(sys, handleSelf));
      await t.zx_object_wait_one(event, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, null);
      seen.push(threadState(sys, handleSelf));
    });
    const handleSelf = thread.handle;
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_NEW);
    await kernel.idle();
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_BLOCKED_WAIT_ONE);
    expectStatus(sys.zx_object_signal(event, 0, ZX_USER_SIGNAL_0), ZX_OK);
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_RUNNING, 'woken: it may run');
    await thread.done;
    assert.deepEqual(seen, [ZX_THREAD_STATE_RUNNING, ZX_THREAD_STATE_RUNNING]);
    assert.equal(threadState(sys, thread.handle), ZX_THREAD_STATE_DEAD);
  });

  it('asserts ZX_THREAD_RUNNING while alive and ZX_THREAD_TERMINATED once dead', async () => {
    const { kernel, proc, sys } = newProcess();
    const event = createVmo(sys, 0);
    const thread = proc.startThread((t) =>
      t.zx_object_wait_one(event, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, null),
    );
    const watcher = proc.startThread(async (t) => {
      const observed = out(0);
      const status = await t.zx_object_wait_one(
        thread.handle,
        ZX_THREAD_TERMINATED,
        ZX_TIME_INFINITE,
        observed,
      );
      return { status, observed: observed.value };
    });
    await kernel.idle();
    const observed = out(0);
    expectStatus(sys.zx_object_wait_one(thread.handle, ZX_THREAD_RUNNING, 0, observed), ZX_OK);
    expectStatus(sys.zx_object_signal(event, 0, ZX_USER_SIGNAL_0), ZX_OK);
    assert.deepEqual(await watcher.done, { status: ZX_OK, observed: ZX_THREAD_TERMINATED });
  });
});

describe('zx_object_get_info(ZX_INFO_THREAD)', () => {
  // Threads.GetAffinity
  it('reports no exception channel and an affinity of CPUs 0..N-1 (N = 1), empty once dead', async () => {
    const { proc, sys } = newProcess();
    const thread = proc.startThread(() => 0);
    const info = threadInfo(sys, thread.handle);
    assert.equal(info.wait_exception_channel_type, ZX_EXCEPTION_CHANNEL_TYPE_NONE);
    assert.deepEqual(info.cpu_affinity_mask, [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n]);
    await thread.done;
    assert.deepEqual(threadInfo(sys, thread.handle).cpu_affinity_mask, Array(8).fill(0n));
  });

  it('gives WRONG_TYPE for another object, ACCESS_DENIED without INSPECT, BUFFER_TOO_SMALL', async () => {
    const { proc, sys } = newProcess();
    const thread = proc.startThread(() => 0);
    const buffer = new Uint8Array(ZX_INFO_THREAD_SIZE);
    expectStatus(
      sys.zx_object_get_info(createVmo(sys, 0), ZX_INFO_THREAD, buffer, buffer.length, null, null),
      ZX_ERR_WRONG_TYPE,
    );
    const blind = duplicate(sys, thread.handle, ZX_DEFAULT_THREAD_RIGHTS & ~ZX_RIGHT_INSPECT);
    expectStatus(
      sys.zx_object_get_info(blind, ZX_INFO_THREAD, buffer, buffer.length, null, null),
      ZX_ERR_ACCESS_DENIED,
    );
    const actual = out(9n);
    const avail = out(9n);
    expectStatus(
      sys.zx_object_get_info(thread.handle, ZX_INFO_THREAD, buffer, 71, actual, avail),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
    assert.deepEqual([actual.value, avail.value], [0n, 1n]);
    await thread.done;
  });
});

describe('thread names (ZX_PROP_NAME)', () => {
  // Threads.EmptyNameSucceeds, Threads.LongNameSucceeds
  it('keeps the name given, cut to ZX_MAX_NAME_LEN - 1 bytes; the default is empty', async () => {
    const { proc, sys } = newProcess();
    const unnamed = proc.startThread(() => 0);
    const long = '0123456789'.repeat(8);
    const named = proc.startThread(() => 0, { name: long });
    assert.equal(nameOf(sys, unnamed.handle), '');
    assert.equal(nameOf(sys, named.handle), long.slice(0, ZX_MAX_NAME_LEN - 1));
    const bytes = new TextEncoder().encode('renamed');
    expectStatus(
      sys.zx_object_set_property(named.handle, ZX_PROP_NAME, bytes, bytes.length),
      ZX_OK,
    );
    assert.equal(nameOf(sys, named.handle), 'renamed');
    await Promise.all([unnamed.done, named.done]);
  });

  it('is BAD_STATE once the thread is dead (its core thread held the name)', async () => {
    const { proc, sys } = newProcess();
    const thread = proc.startThread(() => 0, { name: 'gone' });
    await thread.done;
    const bytes = new Uint8Array(ZX_MAX_NAME_LEN);
    expectStatus(
      sys.zx_object_get_property(thread.handle, ZX_PROP_NAME, bytes, bytes.length),
      ZX_ERR_BAD_STATE,
    );
    expectStatus(
      sys.zx_object_set_property(thread.handle, ZX_PROP_NAME, bytes, 4),
      ZX_ERR_BAD_STATE,
    );
  });
});

describe('processes and their threads', () => {
  it('a process that zx_process_create made starts with its first thread and dies with its last', async () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const event = createVmo(child.sys, 0);
    const first = child.proc.startThread(async (t) => {
      await t.zx_object_wait_one(event, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, null);
      return 'first';
    });
    const second = child.proc.startThread(() => 'second');
    assert.equal(await second.done, 'second');
    await kernel.idle();
    expectStatus(
      sys.zx_object_wait_one(child.handle, ZX_PROCESS_TERMINATED, 0, null),
      ZX_ERR_TIMED_OUT,
    );
    expectStatus(child.sys.zx_object_signal(event, 0, ZX_USER_SIGNAL_0), ZX_OK);
    assert.equal(await first.done, 'first');
    const observed = out(0);
    expectStatus(sys.zx_object_wait_one(child.handle, ZX_PROCESS_TERMINATED, 0, observed), ZX_OK);
    expectStatus(child.sys.zx_vmo_create(0, 0, out(0)), ZX_ERR_BAD_STATE);
  });

  it("a host's process outlives its zx threads", async () => {
    const { proc, sys } = newProcess();
    await proc.startThread(() => 0).done;
    expectStatus(sys.zx_vmo_create(4096, 0, out(0)), ZX_OK);
  });

  it('one thread making two calls at once breaks the calling contract: the process is killed', async () => {
    const { kernel, proc, sys } = newProcess();
    const event = createVmo(sys, 0);
    let returned = false;
    const thread = proc.startThread(async (t) => {
      const first = t.zx_object_wait_one(event, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, null);
      const second = t.zx_object_wait_one(event, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, null);
      await Promise.race([first, second]);
      returned = true;
    });
    assert.equal(await thread.done, undefined);
    await kernel.idle();
    assert.equal(returned, false);
    expectStatus(sys.zx_vmo_create(0, 0, out(0)), ZX_ERR_BAD_STATE);
  });
});
