// Shared helpers for the behavioural tests: fresh kernels and processes, a VMO factory that
// insists on success, decoders for the info records the tests look at most often, and a status
// assertion whose failure message names the statuses instead of printing bare numbers.

import assert from 'node:assert/strict';

import {
  ZX_INFO_HANDLE_BASIC,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_STATUS_NAMES,
  ZX_VMO_OP_COMMIT,
} from '../src/abi/constants.ts';
import {
  decodeZxInfoHandleBasic,
  decodeZxInfoKmemStats,
  decodeZxInfoVmo,
  ZX_INFO_HANDLE_BASIC_SIZE,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_VMO_SIZE,
  type ZxInfoHandleBasic,
  type ZxInfoKmemStats,
  type ZxInfoVmo,
} from '../src/abi/structs.ts';
import { Kernel, type KernelOptions } from '../src/kernel.ts';
import type { VmObjectDispatcher } from '../src/object/vm-object-dispatcher.ts';
import type { Process } from '../src/process.ts';
import type { Syscalls } from '../src/syscalls/index.ts';
import { pinPages, unpinPages } from '../src/vm/physical.ts';
import { VmObjectPaged } from '../src/vm/vm-object-paged.ts';

export const PAGE = 4096;
export const UINT64_MAX = 0xffff_ffff_ffff_ffffn;

/** A scalar out-parameter as the contract describes it. */
export interface Out<T = number> {
  value: T;
}

/** A fresh out-parameter holding `initial` (so a test can see whether it was written). */
export function out<T = number>(initial: T): Out<T> {
  return { value: initial };
}

/** A new kernel; by default 64 MiB of simulated memory, enough for every behavioural test. */
export function newKernel(opts: KernelOptions = {}): Kernel {
  return new Kernel({ memoryBytes: 64 * 1024 * 1024, ...opts });
}

export interface TestProcess {
  kernel: Kernel;
  proc: Process;
  sys: Syscalls;
}

/** A new process in the root job of `kernel` (a fresh kernel when none is given). */
export function newProcess(kernel: Kernel = newKernel()): TestProcess {
  const proc = kernel.createProcess({ name: 'test' });
  return { kernel, proc, sys: proc.syscalls };
}

/** The name of a status, or the number itself when it is not a known status. */
export function statusName(status: number): string {
  return ZX_STATUS_NAMES[status] ?? `status ${status}`;
}

/** Asserts a syscall result, naming both statuses when they differ. */
export function expectStatus(actual: number, expected: number, message?: string): void {
  if (actual !== expected) {
    const what = `expected ${statusName(expected)}, got ${statusName(actual)}`;
    assert.fail(message === undefined ? what : `${message}: ${what}`);
  }
}

/** zx_vmo_create that must succeed; returns the handle value. */
export function createVmo(sys: Syscalls, size: number | bigint, options = 0): number {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create(size, options, handle), ZX_OK, 'zx_vmo_create');
  assert.notEqual(handle.value, 0, 'zx_vmo_create returned ZX_HANDLE_INVALID');
  return handle.value;
}

/** ZX_INFO_VMO (the current zx_info_vmo_t) of a VMO handle, which must succeed. */
export function vmoInfo(sys: Syscalls, handle: number): ZxInfoVmo {
  const buffer = new Uint8Array(ZX_INFO_VMO_SIZE);
  const status = sys.zx_object_get_info(handle, ZX_INFO_VMO, buffer, buffer.length, null, null);
  expectStatus(status, ZX_OK, 'zx_object_get_info(ZX_INFO_VMO)');
  return decodeZxInfoVmo(buffer);
}

/** ZX_INFO_HANDLE_BASIC of any handle, which must succeed. */
export function handleBasic(sys: Syscalls, handle: number): ZxInfoHandleBasic {
  const buffer = new Uint8Array(ZX_INFO_HANDLE_BASIC_SIZE);
  const status = sys.zx_object_get_info(
    handle,
    ZX_INFO_HANDLE_BASIC,
    buffer,
    buffer.length,
    null,
    null,
  );
  expectStatus(status, ZX_OK, 'zx_object_get_info(ZX_INFO_HANDLE_BASIC)');
  return decodeZxInfoHandleBasic(buffer);
}

const systemResources = new WeakMap<Process, number>();

/** The system resource handle in `proc`, granted once per process and then reused. */
export function systemResource(kernel: Kernel, proc: Process): number {
  let handle = systemResources.get(proc);
  if (handle === undefined || !proc.object.handles.get(handle)) {
    handle = kernel.grantSystemResource(proc);
    systemResources.set(proc, handle);
  }
  return handle;
}

/** ZX_INFO_KMEM_STATS read through the system resource (granted on first use). */
export function kmemStats(kernel: Kernel, proc: Process): ZxInfoKmemStats {
  const resource = systemResource(kernel, proc);
  const buffer = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
  const status = proc.syscalls.zx_object_get_info(
    resource,
    ZX_INFO_KMEM_STATS,
    buffer,
    buffer.length,
    null,
    null,
  );
  expectStatus(status, ZX_OK, 'zx_object_get_info(ZX_INFO_KMEM_STATS)');
  return decodeZxInfoKmemStats(buffer);
}

/**
 * Commits pages of a new VMO until the kernel has no frame left (the VMO keeps them): for
 * NO_MEMORY paths. Use a kernel that does not reclaim (reclaimWatermarkBytes: 0).
 */
export function exhaustMemory(kernel: Kernel, proc: Process): void {
  const sys = proc.syscalls;
  const pages = Number(kmemStats(kernel, proc).free_bytes) / PAGE + 1;
  const filler = createVmo(sys, pages * PAGE);
  for (let page = 0; page < pages; page++) {
    if (sys.zx_vmo_op_range(filler, ZX_VMO_OP_COMMIT, page * PAGE, PAGE, null, 0) !== ZX_OK) {
      return;
    }
  }
  assert.fail('exhaustMemory: memory never ran out');
}

/**
 * A process in a kernel whose handle arena holds `maxHandles`, explaining its errors: `fill()`
 * then duplicates `handle` (which needs ZX_RIGHT_DUPLICATE) until the arena is full, after
 * which every call that makes a handle gives ZX_ERR_NO_MEMORY.
 */
export function smallArena(maxHandles = 48): TestProcess & { fill: (handle: number) => void } {
  const { kernel, proc, sys } = newProcess(newKernel({ maxHandles }));
  proc.explain(true);
  const fill = (handle: number) => {
    while (sys.zx_handle_duplicate(handle, ZX_RIGHT_SAME_RIGHTS, out(0)) === ZX_OK) {}
    assert.equal(kernel.core.handleArena.count, maxHandles, 'the handle arena is full');
  };
  return { kernel, proc, sys, fill };
}

/** The reason of a call that could not make a handle. */
export const ARENA_FULL = /handle arena is full/;

/** Asserts a failed call's status, and its reason (the process must be explaining). */
export function expectFailure(proc: Process, actual: number, expected: number, why: RegExp) {
  expectStatus(actual, expected);
  assert.match(proc.lastReason ?? '', why);
}

/** Bytes filled with `value`. */
export function filled(length: number, value: number): Uint8Array {
  return new Uint8Array(length).fill(value);
}

/** Reads `length` bytes at `offset` of a VMO, which must succeed. */
export function readVmo(sys: Syscalls, handle: number, offset: number | bigint, length: number) {
  const buffer = new Uint8Array(length);
  expectStatus(sys.zx_vmo_read(handle, buffer, offset, length), ZX_OK, 'zx_vmo_read');
  return buffer;
}

/** Writes `bytes` at `offset` of a VMO, which must succeed. */
export function writeVmo(
  sys: Syscalls,
  handle: number,
  offset: number | bigint,
  bytes: Uint8Array,
) {
  expectStatus(sys.zx_vmo_write(handle, bytes, offset, bytes.length), ZX_OK, 'zx_vmo_write');
}

/** zx_handle_duplicate that must succeed: a new handle to the same object with `rights`. */
export function duplicate(sys: Syscalls, handle: number, rights: number): number {
  const dup = out(0);
  expectStatus(sys.zx_handle_duplicate(handle, rights, dup), ZX_OK, 'zx_handle_duplicate');
  return dup.value;
}

/** One entry of a basic job policy (zx_policy_basic_v2_t; `flags` is ignored for V1). */
export interface PolicyEntry {
  condition: number;
  action: number;
  flags?: number;
}

/** The bytes of zx_policy_basic_v1_t[] (8 bytes each) or zx_policy_basic_v2_t[] (12 bytes). */
export function encodePolicy(entries: readonly PolicyEntry[], v2 = false): Uint8Array {
  const size = v2 ? 12 : 8;
  const bytes = new Uint8Array(entries.length * size);
  const view = new DataView(bytes.buffer);
  entries.forEach((entry, i) => {
    view.setUint32(i * size, entry.condition, true);
    view.setUint32(i * size + 4, entry.action, true);
    if (v2) view.setUint32(i * size + 8, entry.flags ?? 0, true);
  });
  return bytes;
}

/** A child job of `owner`'s default job, as a handle in `owner`. */
export function createChildJob(sys: Syscalls, parentJob: number): number {
  const job = out(0);
  expectStatus(sys.zx_job_create(parentJob, 0, job), ZX_OK, 'zx_job_create');
  return job.value;
}

/** A process created by `owner` in `job` with zx_process_create, and its host view. */
export function spawnProcess(kernel: Kernel, owner: Process, job: number, name = 'child') {
  const proc = out(0);
  const vmar = out(0);
  const bytes = new TextEncoder().encode(name);
  const status = owner.syscalls.zx_process_create(job, bytes, bytes.length, 0, proc, vmar);
  expectStatus(status, ZX_OK, 'zx_process_create');
  const view = kernel.processFor(owner, proc.value);
  return { handle: proc.value, vmar: vmar.value, proc: view, sys: view.syscalls };
}

/**
 * A process in a fresh child job of `owner`'s job whose basic policy is `entries` (V2 records,
 * ABSOLUTE), as the host view of that process.
 */
export function processWithPolicy(
  kernel: Kernel,
  owner: Process,
  entries: readonly PolicyEntry[],
): { proc: Process; sys: Syscalls; job: number } {
  const sys = owner.syscalls;
  const job = createChildJob(sys, owner.job);
  const policy = encodePolicy(entries, true);
  const status = sys.zx_job_set_policy(job, 1, 0x01000000, policy, entries.length);
  expectStatus(status, ZX_OK, 'zx_job_set_policy');
  const child = spawnProcess(kernel, owner, job);
  return { proc: child.proc, sys: child.sys, job };
}

/**
 * The VM object behind a VMO handle of `proc`: white-box access for states no syscall of this
 * layer can reach yet (pinned pages before BTIs exist, a discard on demand).
 */
export function vmObjectOf(proc: Process, handle: number): VmObjectPaged {
  const entry = proc.object.handles.get(handle);
  assert.ok(entry !== undefined, 'vmObjectOf: no such handle');
  const vmo = (entry.object as VmObjectDispatcher).vmo;
  assert.ok(vmo instanceof VmObjectPaged, 'vmObjectOf: not a paged VMO');
  return vmo;
}

/**
 * Pins pages [start, end) of a VMO as a BTI would (committing them) and returns the function
 * that unpins them: white-box until the tests here can use zx_bti_pin.
 */
export function pinVmoPages(proc: Process, handle: number, start: number, end: number) {
  const vmo = vmObjectOf(proc, handle);
  const frames = pinPages(vmo, start, end);
  assert.ok(typeof frames !== 'number', `pinPages failed: ${statusName(frames as number)}`);
  return () => unpinPages(vmo, frames);
}

/** The syscalls without their types, for tests that pass what C could not (strings, NaN...). */
export function untyped(sys: Syscalls): Record<keyof Syscalls, (...args: unknown[]) => number> {
  return sys as unknown as Record<keyof Syscalls, (...args: unknown[]) => number>;
}
