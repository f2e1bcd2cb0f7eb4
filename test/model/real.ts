// The real side of the VMO model test: a kernel set up to agree with a fresh Model, the checks
// run after every command (`verify`: sizes, rights, stream sizes, committed bytes of every VMO,
// and KMEM's totals against the model's exact memory accounting), and assertion helpers.

import assert from 'node:assert/strict';
import type fc from 'fast-check';

import {
  ZX_INFO_KMEM_STATS,
  ZX_INFO_VMO,
  ZX_INFO_VMO_DISCARDABLE,
  ZX_INFO_VMO_RESIZABLE,
  ZX_OK,
  ZX_STATUS_NAMES,
} from '../../src/abi/constants.ts';
import {
  decodeZxInfoKmemStats,
  decodeZxInfoVmo,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_VMO_SIZE,
  type ZxInfoKmemStats,
} from '../../src/abi/structs.ts';
import { Kernel } from '../../src/kernel.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import { Model, type ModelVmo, PAGE } from './model.ts';

export interface Real {
  readonly kernel: Kernel;
  readonly sys: Syscalls;
  /** A handle to the system resource, for ZX_INFO_KMEM_STATS. */
  readonly resource: number;
}

export type VmoCommand = fc.Command<Model, Real>;

export function statusName(status: number): string {
  return ZX_STATUS_NAMES[status] ?? `status ${status}`;
}

/**
 * How often each command ended with each status ('write ZX_ERR_NO_MEMORY' ...), so the test can
 * show that the interesting paths were reached.
 */
export const OUTCOMES = new Map<string, number>();

export function tally(key: string, count = 1): void {
  OUTCOMES.set(key, (OUTCOMES.get(key) ?? 0) + count);
}

export function expectStatus(actual: number, expected: number, what: string): void {
  const paren = what.indexOf('(');
  if (paren > 0) tally(`${what.slice(0, paren)} ${statusName(expected)}`);
  if (actual !== expected) {
    assert.fail(`${what}: expected ${statusName(expected)}, got ${statusName(actual)}`);
  }
}

/** Compares byte arrays, naming the first difference (deepEqual on big arrays is slow). */
export function expectBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  if (Buffer.compare(actual, expected) === 0) return;
  let at = 0;
  while (actual[at] === expected[at]) at++;
  assert.fail(`${what}: byte ${at} is ${actual[at]}, expected ${expected[at]}`);
}

export function kmem(real: Real): ZxInfoKmemStats {
  const buffer = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
  const status = real.sys.zx_object_get_info(
    real.resource,
    ZX_INFO_KMEM_STATS,
    buffer,
    buffer.length,
    null,
    null,
  );
  expectStatus(status, ZX_OK, 'ZX_INFO_KMEM_STATS');
  return decodeZxInfoKmemStats(buffer);
}

/** A kernel and a model that agree, with the non-VMO handles the commands may misuse. */
export function setup(memoryBytes: number, watermarkBytes: number): { model: Model; real: Real } {
  const kernel = new Kernel({ memoryBytes, reclaimWatermarkBytes: watermarkBytes });
  const proc = kernel.createProcess({ name: 'model' });
  const resource = kernel.grantSystemResource(proc);
  const real: Real = { kernel, sys: proc.syscalls, resource };
  const free = Number(kmem(real).free_bytes) / PAGE;
  const totalFrames = Math.floor(memoryBytes / PAGE);
  const model = new Model(free, Math.min(Math.floor(watermarkBytes / PAGE), totalFrames));
  for (const value of [proc.self, proc.job, proc.rootVmar, resource]) {
    model.foreign.push({ value, vmo: null, rights: 0, open: true });
  }
  return { model, real };
}

/**
 * Checks after every command: each live VMO's size, rights, flags, stream size and committed
 * bytes; that the committed bytes of all VMOs add up to KMEM vmo_bytes; free memory; and the
 * discardable locked / unlocked byte counts.
 */
export function verify(model: Model, real: Real): void {
  let sum = 0n;
  for (const vmo of model.vmos) {
    const handle = model.anyOpenHandle(vmo);
    assert.ok(handle !== undefined, `live vmo ${vmo.id} has no handle`);
    const buffer = new Uint8Array(ZX_INFO_VMO_SIZE);
    const status = real.sys.zx_object_get_info(
      handle.value,
      ZX_INFO_VMO,
      buffer,
      buffer.length,
      null,
      null,
    );
    expectStatus(status, ZX_OK, `ZX_INFO_VMO of vmo ${vmo.id}`);
    const info = decodeZxInfoVmo(buffer);
    const what = `vmo ${vmo.id}`;
    assert.equal(info.size_bytes, vmo.sizeBig, `${what} size_bytes`);
    assert.equal(info.committed_bytes, BigInt(vmo.committed.size * PAGE), `${what} committed`);
    assert.equal(info.handle_rights, handle.rights, `${what} handle_rights`);
    assert.equal(info.committed_change_events, BigInt(vmo.changeEvents), `${what} discards`);
    assert.equal((info.flags & ZX_INFO_VMO_RESIZABLE) !== 0, vmo.resizable, `${what} resizable`);
    assert.equal((info.flags & ZX_INFO_VMO_DISCARDABLE) !== 0, vmo.discardable, what);
    const stream = { value: -1n };
    expectStatus(real.sys.zx_vmo_get_stream_size(handle.value, stream), ZX_OK, what);
    assert.equal(stream.value, vmo.contentSize, `${what} stream size`);
    sum += info.committed_bytes;
  }
  const stats = kmem(real);
  assert.equal(stats.vmo_bytes, sum, 'KMEM vmo_bytes = sum of committed_bytes');
  assert.equal(stats.vmo_bytes, BigInt(model.pagesCommitted() * PAGE), 'KMEM vmo_bytes');
  assert.equal(stats.free_bytes, BigInt(model.freeFrames * PAGE), 'KMEM free_bytes');
  const inState = (state: string) => (v: ModelVmo) => v.discardable && v.state === state;
  const locked = BigInt(model.pagesCommitted(inState('locked')) * PAGE);
  const unlocked = BigInt(model.pagesCommitted(inState('reclaimable')) * PAGE);
  assert.equal(stats.vmo_discardable_locked_bytes, locked, 'KMEM discardable locked');
  assert.equal(stats.vmo_discardable_unlocked_bytes, unlocked, 'KMEM discardable unlocked');
}
