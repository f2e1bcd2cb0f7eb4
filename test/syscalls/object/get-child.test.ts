// zx_object_get_child: a handle to a job's child job or process (or a process's thread) by koid,
// with rights taken from the parent handle, as sys_object_get_child gives them.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_JOB_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_JOB,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OK,
  ZX_RIGHT_ENUMERATE,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
} from '../../../src/abi/constants.ts';
import {
  createChildJob,
  createVmo,
  duplicate,
  expectStatus,
  handleBasic,
  newKernel,
  newProcess,
  out,
  PAGE,
  spawnProcess,
} from '../../helpers.ts';

function koidOf(sys: Parameters<typeof handleBasic>[0], handle: number): bigint {
  return handleBasic(sys, handle).koid;
}

describe('zx_object_get_child', () => {
  it('finds a child job and a child process of a job, with the parent handle rights', () => {
    const kernel = newKernel();
    const { proc, sys } = newProcess(kernel);
    const job = createChildJob(sys, proc.job);
    const grandchild = createChildJob(sys, job);
    const spawned = spawnProcess(kernel, proc, job);
    const got = out(0);
    expectStatus(
      sys.zx_object_get_child(job, koidOf(sys, grandchild), ZX_RIGHT_SAME_RIGHTS, got),
      ZX_OK,
    );
    const info = handleBasic(sys, got.value);
    assert.equal(info.koid, koidOf(sys, grandchild));
    assert.equal(info.type, ZX_OBJ_TYPE_JOB);
    assert.equal(info.rights, ZX_DEFAULT_JOB_RIGHTS);
    const reduced = out(0);
    expectStatus(
      sys.zx_object_get_child(job, koidOf(sys, spawned.handle), ZX_RIGHT_INSPECT, reduced),
      ZX_OK,
    );
    assert.equal(handleBasic(sys, reduced.value).type, ZX_OBJ_TYPE_PROCESS);
    assert.equal(handleBasic(sys, reduced.value).rights, ZX_RIGHT_INSPECT);
  });

  it('is BAD_HANDLE for a value that names nothing', () => {
    const { sys } = newProcess();
    expectStatus(
      sys.zx_object_get_child(0x1234_5677, 1n, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_BAD_HANDLE,
    );
  });

  it('is ACCESS_DENIED without ZX_RIGHT_ENUMERATE, or for rights the parent handle lacks', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const child = createChildJob(sys, job);
    const koid = koidOf(sys, child);
    const blind = duplicate(sys, job, ZX_DEFAULT_JOB_RIGHTS & ~ZX_RIGHT_ENUMERATE);
    expectStatus(
      sys.zx_object_get_child(blind, koid, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
    const narrow = duplicate(sys, job, ZX_RIGHT_ENUMERATE);
    expectStatus(
      sys.zx_object_get_child(narrow, koid, ZX_RIGHT_WRITE, out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(sys.zx_object_get_child(narrow, koid, ZX_RIGHT_ENUMERATE, out(0)), ZX_OK);
  });

  it('is NOT_FOUND for a koid that is no child (a grandchild, the job itself, a process with no threads)', () => {
    const kernel = newKernel();
    const { proc, sys } = newProcess(kernel);
    const job = createChildJob(sys, proc.job);
    const grandchild = createChildJob(sys, job);
    expectStatus(
      sys.zx_object_get_child(proc.job, koidOf(sys, grandchild), ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_NOT_FOUND,
    );
    expectStatus(
      sys.zx_object_get_child(job, koidOf(sys, job), ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_NOT_FOUND,
    );
    const spawned = spawnProcess(kernel, proc, job);
    expectStatus(
      sys.zx_object_get_child(spawned.handle, 12345n, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_NOT_FOUND,
    );
  });

  it('is WRONG_TYPE for an enumerable handle that is neither a job nor a process', () => {
    const kernel = newKernel();
    const { proc, sys } = newProcess(kernel);
    // The root VMAR handle holds no ENUMERATE either; a system resource neither. Build one by
    // hand: a handle with ENUMERATE to a VMO, as only the kernel could make.
    const vmo = createVmo(sys, PAGE);
    const entry = proc.object.handles.get(vmo)!;
    const forged = proc.object.handles.add(
      kernel.core.handleArena.make(entry.object, ZX_RIGHT_ENUMERATE)!,
    );
    expectStatus(
      sys.zx_object_get_child(forged, 1n, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_WRONG_TYPE,
    );
  });

  it('is NO_MEMORY when the handle arena is full, and leaves no handle behind', () => {
    const kernel = newKernel({ maxHandles: 6 });
    const { proc, sys } = newProcess(kernel);
    const job = createChildJob(sys, proc.job);
    const child = createChildJob(sys, job);
    const koid = koidOf(sys, child);
    while (sys.zx_handle_duplicate(job, ZX_RIGHT_SAME_RIGHTS, out(0)) === ZX_OK) {}
    const before = proc.object.handles.size;
    expectStatus(
      sys.zx_object_get_child(job, koid, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_NO_MEMORY,
    );
    assert.equal(proc.object.handles.size, before);
  });

  it('is INVALID_ARGS when out cannot be written, and destroys the new handle', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const child = createChildJob(sys, job);
    const koid = koidOf(sys, child);
    const before = proc.object.handles.size;
    expectStatus(
      sys.zx_object_get_child(job, koid, ZX_RIGHT_SAME_RIGHTS, null),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_object_get_child(job, koid, ZX_RIGHT_SAME_RIGHTS, Object.freeze({ value: 0 })),
      ZX_ERR_INVALID_ARGS,
    );
    assert.equal(proc.object.handles.size, before);
    // The child job is untouched: it still answers through its own handle.
    assert.equal(handleBasic(sys, child).koid, koid);
  });
});
