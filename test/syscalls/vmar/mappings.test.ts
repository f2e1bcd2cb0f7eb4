// Mappings and their VMOs: merging, what mapping does to ZX_INFO_VMO (num_mappings,
// share_count), cache policy while mapped, and the VMO's lifetime.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NOT_FOUND,
  ZX_OK,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_SPECIFIC,
} from '../../../src/abi/constants.ts';
import {
  createVmo,
  expectStatus,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  vmoInfo,
} from '../../helpers.ts';
import {
  allocate,
  expectCleanTables,
  load,
  loadStatus,
  map,
  pattern,
  R,
  RW,
  store,
  storeStatus,
} from './vmar-helpers.ts';

const CAN_MAP_ALL =
  ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC;

describe('mappings and the VMO', () => {
  it('merges a mapping with neighbours that continue it in address and offset', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 8 * PAGE);
    const child = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
    map(sys, child.handle, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    map(sys, child.handle, RW | ZX_VM_SPECIFIC, 4 * PAGE, vmo, 4 * PAGE, 2 * PAGE);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 2n);
    // The middle joins both sides into one mapping, whatever its protection.
    map(sys, child.handle, R | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 2 * PAGE, 2 * PAGE);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 1n);
    store(proc, child.addr, new Uint8Array([1]));
    expectStatus(storeStatus(proc, child.addr + BigInt(2 * PAGE)), ZX_ERR_ACCESS_DENIED);
    store(proc, child.addr + BigInt(4 * PAGE), new Uint8Array([1]));
    // Offsets that do not continue, or another VMO, do not merge.
    map(sys, child.handle, RW | ZX_VM_SPECIFIC, 6 * PAGE, vmo, 0, PAGE);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 2n);
    const other = createVmo(sys, PAGE);
    map(sys, child.handle, RW | ZX_VM_SPECIFIC, 7 * PAGE, other, 0, PAGE);
    assert.equal(vmoInfo(sys, other).num_mappings, 1n);
    // Unmapping the middle splits the merged mapping again.
    expectStatus(sys.zx_vmar_unmap(child.handle, child.addr + BigInt(PAGE), 2 * PAGE), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 3n);
    expectCleanTables(proc);
  });

  it('counts mappings in num_mappings and address spaces in share_count', () => {
    const kernel = newKernel();
    const a = newProcess(kernel);
    const vmo = createVmo(a.sys, PAGE);
    assert.deepEqual([vmoInfo(a.sys, vmo).num_mappings, vmoInfo(a.sys, vmo).share_count], [0n, 1n]);
    map(a.sys, a.proc.rootVmar, R, 0, vmo, 0, PAGE);
    map(a.sys, a.proc.rootVmar, R, 0, vmo, 0, PAGE);
    assert.deepEqual([vmoInfo(a.sys, vmo).num_mappings, vmoInfo(a.sys, vmo).share_count], [2n, 1n]);
    // Map the same VMO in a second process through a handle in its table.
    const b = newProcess(kernel);
    const entry = a.proc.object.handles.get(vmo)!;
    const inB = b.proc.object.handles.add(
      kernel.core.handleArena.make(entry.object, entry.rights)!,
    );
    map(b.sys, b.proc.rootVmar, R, 0, inB, 0, PAGE);
    assert.deepEqual([vmoInfo(a.sys, vmo).num_mappings, vmoInfo(a.sys, vmo).share_count], [3n, 2n]);
  });

  it('refuses zx_vmo_set_cache_policy while mapped and allows it after unmapping', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, R, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, 0), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, addr, PAGE), ZX_OK);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, 0), ZX_OK);
  });

  it('keeps a VMO whose last handle is closed alive until its last mapping goes', () => {
    const { kernel, sys, proc } = newProcess();
    const free = kmemStats(kernel, proc).free_bytes;
    const vmo = createVmo(sys, 4 * PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    store(proc, addr, pattern(4 * PAGE));
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    assert.deepEqual(load(proc, addr, 4 * PAGE), pattern(4 * PAGE));
    assert.equal(kmemStats(kernel, proc).free_bytes, free - BigInt(4 * PAGE));
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, addr, 2 * PAGE), ZX_OK);
    assert.deepEqual(
      load(proc, addr + BigInt(2 * PAGE), 2 * PAGE),
      pattern(4 * PAGE).subarray(2 * PAGE),
    );
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, addr + BigInt(2 * PAGE), 2 * PAGE), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, free);
    expectStatus(loadStatus(proc, addr), ZX_ERR_NOT_FOUND);
  });

  it('tears the address space down when a process that never ran loses its last handle', () => {
    const { sys, proc } = newProcess();
    const name = new Uint8Array([0x70]);
    const handle = out(0);
    const vmar = out(0);
    expectStatus(sys.zx_process_create(proc.job, name, 1, 0, handle, vmar), ZX_OK);
    const vmo = createVmo(sys, PAGE);
    map(sys, vmar.value, RW, 0, vmo, 0, PAGE);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 1n);
    expectStatus(sys.zx_handle_close(handle.value), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 0n);
  });
});
