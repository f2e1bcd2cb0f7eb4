// How a process lives and dies, as Zircon's ProcessDispatcher: one that never started dies with
// its last handle, a running one only when it is killed. Death closes every handle in its table,
// destroys its address space, asserts ZX_PROCESS_TERMINATED and takes it out of its job, in that
// order; after it every call the process makes gives ZX_ERR_BAD_STATE, while handles to it in
// other processes still work.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_TIMED_OUT,
  ZX_INFO_PROCESS_MAPS,
  ZX_INFO_PROCESS_VMOS,
  ZX_JOB_NO_JOBS,
  ZX_JOB_NO_PROCESSES,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OK,
  ZX_PROCESS_TERMINATED,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_TASK_RETCODE_SYSCALL_KILL,
  ZX_TIME_INFINITE,
} from '../../../src/abi/constants.ts';
import { ZX_INFO_MAPS_SIZE, ZX_INFO_VMO_SIZE } from '../../../src/abi/structs.ts';
import type { Dispatcher } from '../../../src/object/dispatcher.ts';
import { ZX_JOB_NO_CHILDREN } from '../../../src/object/job-dispatcher.ts';
import { processCallStatus } from '../../../src/object/process-dispatcher.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createChildJob,
  createVmo,
  duplicate,
  expectStatus,
  filled,
  handleBasic,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  spawnProcess,
  vmoInfo,
} from '../../helpers.ts';
import { map, RW } from '../vmar/vmar-helpers.ts';

/** The signals of `handle`'s object, seen with a wait that has already timed out. */
function signalsOf(sys: Syscalls, handle: number): number {
  const observed = out(0);
  const status = sys.zx_object_wait_one(handle, 0xffff_ffff, 0n, observed);
  assert.ok(status === ZX_OK || status === ZX_ERR_TIMED_OUT, `wait_one: ${status}`);
  return observed.value;
}

const KILL = ZX_TASK_RETCODE_SYSCALL_KILL;

describe('a running process', () => {
  it('keeps its address space and its calls when its own handle is closed', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, PAGE);
    expectStatus(proc.store(addr, filled(8, 3)), ZX_OK);
    expectStatus(sys.zx_handle_close(proc.self), ZX_OK);
    assert.equal(proc.object.state, 'running');
    const back = new Uint8Array(8);
    expectStatus(proc.load(addr, back), ZX_OK);
    assert.deepEqual(back, filled(8, 3));
    map(sys, proc.rootVmar, RW, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_vmo_create(PAGE, 0, out(0)), ZX_OK);
  });

  it('survives zx_handle_replace of its own handle failing, which consumes the handle', () => {
    const { proc, sys } = newProcess();
    const watcher = duplicate(sys, proc.self, ZX_RIGHT_SAME_RIGHTS);
    expectStatus(sys.zx_handle_replace(proc.self, 1 << 30, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_handle_close(watcher), ZX_OK);
    assert.equal(proc.object.state, 'running');
    const vmo = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, PAGE);
    expectStatus(proc.store(addr, filled(4, 1)), ZX_OK);
  });

  it('dies when killed: its handles close, its memory goes and every call is refused', async () => {
    const kernel = newKernel();
    const owner = newProcess(kernel);
    const victim = newProcess(kernel);
    const freeBefore = kmemStats(kernel, owner.proc).free_bytes;
    // A handle to the victim in another process, and memory only the victim holds.
    const inOwner = owner.proc.object.handles.add(
      kernel.core.handleArena.make(victim.proc.object, 0xffff_ffff)!,
    );
    const vmo = createVmo(victim.sys, 4 * PAGE);
    const addr = map(victim.sys, victim.proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    expectStatus(victim.proc.store(addr, filled(4 * PAGE, 9)), ZX_OK);
    assert.ok(kmemStats(kernel, owner.proc).free_bytes < freeBefore);
    assert.equal(signalsOf(owner.sys, inOwner) & ZX_PROCESS_TERMINATED, 0);

    victim.proc.object.kill(KILL);
    assert.equal(victim.proc.object.state, 'dead');
    assert.equal(victim.proc.object.returnCode, KILL);
    assert.equal(victim.proc.object.handles.size, 0);
    assert.equal(kmemStats(kernel, owner.proc).free_bytes, freeBefore);
    assert.ok(!kernel.core.rootJob.children.has(victim.proc.object));
    expectStatus(processCallStatus(victim.proc.object), ZX_ERR_BAD_STATE);

    // Every syscall, the CPU and the host's waits are refused, whatever the arguments.
    for (const [name, fn] of Object.entries(victim.sys)) {
      expectStatus((fn as () => number)(), ZX_ERR_BAD_STATE, name);
    }
    expectStatus(victim.sys.zx_vmo_create(PAGE, 0, out(0)), ZX_ERR_BAD_STATE);
    // Arguments of the shape the binder's own wrappers of the hottest calls take straight.
    expectStatus(victim.sys.zx_vmo_read(1, new Uint8Array(PAGE), 0, PAGE), ZX_ERR_BAD_STATE);
    expectStatus(victim.sys.zx_vmo_write(1, new Uint8Array(PAGE), 0, PAGE), ZX_ERR_BAD_STATE);
    expectStatus(victim.proc.load(addr, new Uint8Array(1)), ZX_ERR_BAD_STATE);
    expectStatus(victim.proc.store(addr, new Uint8Array(1)), ZX_ERR_BAD_STATE);
    assert.deepEqual(await victim.proc.waitOne(victim.proc.self, 1, ZX_TIME_INFINITE), {
      status: ZX_ERR_BAD_STATE,
      observed: 0,
    });

    // The owner's handle still works, and shows the death.
    assert.equal(handleBasic(owner.sys, inOwner).type, ZX_OBJ_TYPE_PROCESS);
    assert.equal(handleBasic(owner.sys, inOwner).koid, BigInt(victim.proc.object.koid));
    assert.notEqual(signalsOf(owner.sys, inOwner) & ZX_PROCESS_TERMINATED, 0);
    const actual = out(-1n);
    const avail = out(-1n);
    const buffer = new Uint8Array(ZX_INFO_MAPS_SIZE * 4);
    for (const topic of [ZX_INFO_PROCESS_MAPS, ZX_INFO_PROCESS_VMOS]) {
      const status = owner.sys.zx_object_get_info(
        inOwner,
        topic,
        buffer,
        buffer.length,
        actual,
        avail,
      );
      expectStatus(status, ZX_ERR_BAD_STATE);
      assert.deepEqual([actual.value, avail.value], [0n, 0n]);
    }
    // A second kill changes nothing.
    victim.proc.object.kill(0n);
    assert.equal(victim.proc.object.returnCode, KILL);
  });
});

describe('a process that never started', () => {
  it('dies with its last handle, and its job then has no process', () => {
    const { proc: owner, sys: ownerSys } = newProcess();
    const child = createChildJob(ownerSys, owner.job);
    assert.notEqual(signalsOf(ownerSys, child) & ZX_JOB_NO_PROCESSES, 0);
    const handle = out(0);
    const vmar = out(0);
    const name = new Uint8Array([0x70]);
    expectStatus(ownerSys.zx_process_create(child, name, 1, 0, handle, vmar), ZX_OK);
    assert.equal(signalsOf(ownerSys, child) & (ZX_JOB_NO_PROCESSES | ZX_JOB_NO_CHILDREN), 0);
    assert.notEqual(signalsOf(ownerSys, child) & ZX_JOB_NO_JOBS, 0);
    const vmo = createVmo(ownerSys, PAGE);
    map(ownerSys, vmar.value, RW, 0, vmo, 0, PAGE);
    assert.equal(vmoInfo(ownerSys, vmo).num_mappings, 1n);

    expectStatus(ownerSys.zx_handle_close(handle.value), ZX_OK);
    assert.equal(vmoInfo(ownerSys, vmo).num_mappings, 0n);
    const all = ZX_JOB_NO_PROCESSES | ZX_JOB_NO_JOBS | ZX_JOB_NO_CHILDREN;
    assert.equal(signalsOf(ownerSys, child) & all, all);
    // The VMAR handle outlives the process, but its address space is gone.
    expectStatus(ownerSys.zx_vmar_map(vmar.value, RW, 0, vmo, 0, PAGE, out(0n)), ZX_ERR_BAD_STATE);
  });

  it('refuses its VMOs to ZX_INFO_PROCESS_VMOS until it runs, as Zircon does', () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const buffer = new Uint8Array(ZX_INFO_VMO_SIZE);
    const status = sys.zx_object_get_info(
      child.handle,
      ZX_INFO_PROCESS_VMOS,
      buffer,
      buffer.length,
      null,
      null,
    );
    expectStatus(status, ZX_ERR_BAD_STATE);
    expectStatus(
      sys.zx_object_get_info(child.handle, ZX_INFO_PROCESS_MAPS, null, 0, null, null),
      ZX_OK,
    );
  });

  it('tears down in Zircon order: handles, address space, TERMINATED, then the job', () => {
    const { kernel, proc } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const object = child.proc.object;
    createVmo(child.sys, PAGE);
    const seen: string[] = [];
    (object as Dispatcher).addObserver({
      watched: ZX_PROCESS_TERMINATED,
      onSignals: () => {
        seen.push(`handles ${object.handles.size}`);
        seen.push(`aspace ${object.aspace.root.alive ? 'alive' : 'destroyed'}`);
        seen.push(`in job ${object.job.children.has(object)}`);
      },
      onCancel: () => seen.push('cancelled'),
    });
    object.kill(KILL);
    assert.deepEqual(seen, ['handles 0', 'aspace destroyed', 'in job true']);
    assert.ok(!object.job.children.has(object));
  });
});

describe('death cascades', () => {
  it('closes the handles of a killed process, ending the processes only it held', () => {
    const kernel = newKernel();
    const parent = newProcess(kernel);
    const child = spawnProcess(kernel, parent.proc, parent.proc.job);
    // processFor gave the child a handle to itself: only a kill ends it.
    expectStatus(parent.sys.zx_handle_close(child.handle), ZX_OK);
    assert.equal(child.proc.object.state, 'initial');
    const grandchild = out(0);
    const vmar = out(0);
    expectStatus(
      child.sys.zx_process_create(child.proc.job, new Uint8Array([0x67]), 1, 0, grandchild, vmar),
      ZX_OK,
    );
    const grandchildObject = child.proc.object.handles.get(grandchild.value)!.object;
    child.proc.object.kill(KILL);
    assert.equal((grandchildObject as typeof child.proc.object).state, 'dead');
  });

  it('releases jobs with no handles once their last process dies, up the tree', () => {
    const kernel = newKernel();
    const { proc, sys } = newProcess(kernel);
    const outer = createChildJob(sys, proc.job);
    const inner = createChildJob(sys, outer);
    const child = spawnProcess(kernel, proc, inner);
    const outerObject = proc.object.handles.get(outer)!.object;
    expectStatus(sys.zx_handle_close(inner), ZX_OK);
    expectStatus(sys.zx_handle_close(outer), ZX_OK);
    expectStatus(sys.zx_handle_close(child.handle), ZX_OK);
    // The child holds handles to itself and to its job through its host view.
    assert.ok(kernel.core.rootJob.children.has(outerObject));
    child.proc.object.kill(KILL);
    assert.ok(!kernel.core.rootJob.children.has(outerObject));
  });

  it('gives a dead process a view whose calls fail, without adding handles', () => {
    const { kernel, proc, sys } = newProcess();
    const other = out(0);
    const vmar = out(0);
    expectStatus(sys.zx_process_create(proc.job, new Uint8Array([0x71]), 1, 0, other, vmar), ZX_OK);
    const otherObject = proc.object.handles.get(other.value)!.object as typeof proc.object;
    otherObject.kill(KILL);
    const count = kernel.core.handleArena.count;
    const view = kernel.processFor(proc, other.value);
    assert.equal(kernel.core.handleArena.count, count);
    assert.deepEqual([view.self, view.job, view.rootVmar], [0, 0, 0]);
    expectStatus(view.syscalls.zx_vmo_create(PAGE, 0, out(0)), ZX_ERR_BAD_STATE);
    expectStatus(view.load(0x20_0000, new Uint8Array(1)), ZX_ERR_BAD_STATE);
    assert.equal(kernel.grantSystemResource(view), 0);
    assert.equal(otherObject.handles.size, 0);
    assert.equal(kernel.core.handleArena.count, count);
  });
});

describe('kernel.processFor', () => {
  it('gives the view of a created process, whose syscalls act in that process', () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const child = spawnProcess(kernel, proc, job, 'inner');
    assert.equal(kernel.processFor(proc, child.handle), child.proc);
    assert.equal(handleBasic(child.sys, child.proc.self).koid, handleBasic(sys, child.handle).koid);
    assert.equal(handleBasic(child.sys, child.proc.job).koid, handleBasic(sys, job).koid);
    const h = createVmo(child.sys, PAGE);
    expectStatus(sys.zx_vmo_get_size(h, out(0n)), ZX_ERR_BAD_HANDLE);
    expectStatus(child.sys.zx_vmo_get_size(h, out(0n)), ZX_OK);
  });

  it('throws for a handle that is not a process of the owner', () => {
    const { kernel, proc, sys } = newProcess();
    assert.throws(() => kernel.processFor(proc, createVmo(sys, PAGE)), TypeError);
    assert.throws(() => kernel.processFor(proc, 0), TypeError);
  });
});
