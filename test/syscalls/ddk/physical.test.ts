// zx_vmo_create_physical over the MMIO region: its checks in Zircon's order, its out-parameter,
// and what a physical VMO can and cannot do.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CACHE_POLICY_CACHED,
  ZX_CACHE_POLICY_UNCACHED,
  ZX_CACHE_POLICY_WRITE_COMBINING,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_OK,
  ZX_POL_ACTION_DENY,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RSRC_KIND_IRQ,
  ZX_VM_ALLOW_FAULTS,
  ZX_VM_FAULT_BEYOND_STREAM_SIZE,
  ZX_VM_MAP_RANGE,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_ZERO,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_CACHE_CLEAN,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_ZERO,
} from '../../../src/abi/constants.ts';
import {
  ARENA_FULL,
  duplicate,
  expectFailure,
  expectStatus,
  handleBasic,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  processWithPolicy,
  smallArena,
  systemResource,
  vmoInfo,
} from '../../helpers.ts';
import {
  expectCleanTables,
  load,
  map,
  mmioBase,
  mmioResource,
  pattern,
  R,
  RW,
  store,
  translationCount,
} from '../vmar/vmar-helpers.ts';
import { P, physicalVmo } from './ddk-helpers.ts';

describe('zx_vmo_create_physical', () => {
  it('makes an uncached physical VMO over MMIO with the default VMO rights', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), 4 * PAGE);
    const info = vmoInfo(sys, vmo);
    assert.equal(info.flags, ZX_INFO_VMO_CONTIGUOUS | ZX_INFO_VMO_VIA_HANDLE);
    assert.equal(info.flags & ZX_INFO_VMO_TYPE_PAGED, 0);
    assert.equal(info.cache_policy, ZX_CACHE_POLICY_UNCACHED);
    assert.equal(info.size_bytes, 4n * P);
    assert.equal(info.committed_bytes, 0n);
    assert.equal(handleBasic(sys, vmo).rights, ZX_DEFAULT_VMO_RIGHTS);
    const stream = out(1n);
    expectStatus(sys.zx_vmo_get_stream_size(vmo, stream), ZX_OK);
    assert.equal(stream.value, 0n);
  });

  it('rounds the size up but refuses an unaligned address or a size of 0', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const base = mmioBase(kernel);
    assert.equal(vmoInfo(sys, physicalVmo(sys, root, base, PAGE + 1)).size_bytes, 2n * P);
    expectStatus(sys.zx_vmo_create_physical(root, base + 1n, PAGE, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_create_physical(root, base, 0, out(0)), ZX_ERR_INVALID_ARGS);
  });

  it('refuses RAM and addresses outside the MMIO region with ZX_ERR_ACCESS_DENIED', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const base = mmioBase(kernel);
    const end = base + BigInt(kernel.core.pmm.mmioFrames) * P;
    for (const [paddr, size] of [
      [0n, P],
      [P * 100n, P],
      [base - P, 2n * P],
      [end - P, 2n * P],
      [end, P],
    ]) {
      expectStatus(sys.zx_vmo_create_physical(root, paddr!, size!, out(0)), ZX_ERR_ACCESS_DENIED);
    }
  });

  it('accepts an MMIO resource covering the range, and refuses one that does not (ZX_ERR_OUT_OF_RANGE)', () => {
    const { kernel, sys, proc } = newProcess();
    const base = mmioBase(kernel);
    const mmio = mmioResource(kernel, proc, base + 16n * P, 4n * P);
    physicalVmo(sys, mmio, base + 16n * P, 4 * PAGE);
    physicalVmo(sys, mmio, base + 17n * P, 2 * PAGE);
    for (const [paddr, size] of [
      [base + 15n * P, P],
      [base + 19n * P, 2n * P],
      [base + 16n * P, 0n],
    ]) {
      expectStatus(sys.zx_vmo_create_physical(mmio, paddr!, size!, out(0)), ZX_ERR_OUT_OF_RANGE);
    }
    // A resource is granted in whole pages.
    const odd = mmioResource(kernel, proc, base + 32n * P + 10n, 10n);
    physicalVmo(sys, odd, base + 32n * P, PAGE);
    // An MMIO resource over RAM still cannot reach RAM here.
    const ram = mmioResource(kernel, proc, 0n, 16n * P);
    expectStatus(sys.zx_vmo_create_physical(ram, P, P, out(0)), ZX_ERR_ACCESS_DENIED);
  });

  it('refuses handles that are not MMIO resources', () => {
    const { kernel, sys, proc } = newProcess();
    const base = mmioBase(kernel);
    const irq = out(0);
    expectStatus(
      sys.zx_resource_create(systemResource(kernel, proc), ZX_RSRC_KIND_IRQ, 0, 1, null, 0, irq),
      ZX_OK,
    );
    expectStatus(sys.zx_vmo_create_physical(irq.value, base, P, out(0)), ZX_ERR_WRONG_TYPE);
    expectStatus(sys.zx_vmo_create_physical(proc.job, base, P, out(0)), ZX_ERR_WRONG_TYPE);
    expectStatus(sys.zx_vmo_create_physical(ZX_HANDLE_INVALID, base, P, out(0)), ZX_ERR_BAD_HANDLE);
  });

  it('obeys the job policy for new VMOs first', () => {
    const kernel = newKernel();
    const { proc: owner } = newProcess(kernel);
    const { sys, proc } = processWithPolicy(kernel, owner, [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY },
    ]);
    expectStatus(
      sys.zx_vmo_create_physical(systemResource(kernel, proc), mmioBase(kernel), P, out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(sys.zx_vmo_create_physical(ZX_HANDLE_INVALID, 0, 0, out(0)), ZX_ERR_ACCESS_DENIED);
  });

  it('is device memory: mappings of it and of another VMO over it share the bytes', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const base = mmioBase(kernel);
    const a = physicalVmo(sys, root, base, 4 * PAGE);
    const b = physicalVmo(sys, root, base + 2n * P, 2 * PAGE);
    const addrA = map(sys, proc.rootVmar, RW, 0, a, 0, 4 * PAGE);
    const addrB = map(sys, proc.rootVmar, R, 0, b, 0, 2 * PAGE);
    store(proc, addrA + 2n * P + 8n, pattern(64));
    assert.deepEqual(load(proc, addrB + 8n, 64), pattern(64));
    expectCleanTables(proc);
    // MAP_RANGE maps all of it at once.
    const before = translationCount(proc);
    map(sys, proc.rootVmar, R | ZX_VM_MAP_RANGE, 0, a, 0, 4 * PAGE);
    assert.equal(translationCount(proc), before + 4);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n);
  });

  it('cannot be read, written, committed, decommitted, zeroed or cache-flushed (ZX_ERR_NOT_SUPPORTED)', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), 2 * PAGE);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(4), 0, 4), ZX_ERR_NOT_SUPPORTED);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array(4), 0, 4), ZX_ERR_NOT_SUPPORTED);
    const noRead = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ);
    expectStatus(sys.zx_vmo_read(noRead, new Uint8Array(4), 0, 4), ZX_ERR_ACCESS_DENIED);
    for (const op of [
      ZX_VMO_OP_COMMIT,
      ZX_VMO_OP_DECOMMIT,
      ZX_VMO_OP_ZERO,
      ZX_VMO_OP_CACHE_SYNC,
      ZX_VMO_OP_CACHE_CLEAN,
      ZX_VMO_OP_LOCK,
    ]) {
      expectStatus(
        sys.zx_vmo_op_range(vmo, op, 0, PAGE, null, 0),
        ZX_ERR_NOT_SUPPORTED,
        `op ${op}`,
      );
    }
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DONT_NEED, 0, PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_PREFETCH, 0, PAGE, null, 0), ZX_OK);
    expectStatus(
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_PREFETCH, 0, 3 * PAGE, null, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(sys.zx_vmo_set_size(vmo, PAGE), ZX_ERR_UNAVAILABLE);
    expectStatus(sys.zx_vmo_set_stream_size(vmo, PAGE), ZX_ERR_NOT_SUPPORTED);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 2 * PAGE);
    for (const op of [ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_DECOMMIT, ZX_VMAR_OP_ZERO]) {
      expectStatus(
        sys.zx_vmar_op_range(proc.rootVmar, op, addr, PAGE, null, 0),
        ZX_ERR_NOT_SUPPORTED,
      );
    }
  });

  it('refuses FAULT_BEYOND_STREAM_SIZE mappings before anything else', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), PAGE);
    const noMap = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_MAP);
    for (const handle of [vmo, noMap]) {
      expectStatus(
        sys.zx_vmar_map(
          proc.rootVmar,
          R | ZX_VM_FAULT_BEYOND_STREAM_SIZE,
          0,
          handle,
          0,
          PAGE,
          out(0n),
        ),
        ZX_ERR_NOT_SUPPORTED,
      );
    }
    map(sys, proc.rootVmar, R | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, PAGE);
  });

  it('changes cache policy only unmapped, but accepts the same policy while mapped', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), PAGE);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_WRITE_COMBINING), ZX_OK);
    const addr = map(sys, proc.rootVmar, R, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_WRITE_COMBINING), ZX_OK);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, addr, PAGE), ZX_OK);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_CACHED), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).cache_policy, ZX_CACHE_POLICY_CACHED);
  });

  it('refuses snapshots but gives slices over the same device memory', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), 4 * PAGE);
    for (const option of [ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE]) {
      expectStatus(sys.zx_vmo_create_child(vmo, option, 0, PAGE, out(0)), ZX_ERR_NOT_SUPPORTED);
    }
    const slice = out(0);
    expectStatus(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SLICE, 2 * PAGE, PAGE, slice), ZX_OK);
    const whole = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    const part = map(sys, proc.rootVmar, R, 0, slice.value, 0, PAGE);
    store(proc, whole + 2n * P, pattern(16, 4));
    assert.deepEqual(load(proc, part, 16), pattern(16, 4));
    assert.equal(vmoInfo(sys, slice.value).cache_policy, ZX_CACHE_POLICY_UNCACHED);
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, part, PAGE), ZX_OK);
    // A slice cannot change its cache policy.
    expectStatus(
      sys.zx_vmo_set_cache_policy(slice.value, ZX_CACHE_POLICY_CACHED),
      ZX_ERR_BAD_STATE,
    );
    expectCleanTables(proc);
  });

  it('destroys the VMO whose handle out cannot receive, leaving no handle behind', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const before = proc.object.handles.size;
    const stats = kmemStats(kernel, proc);
    for (const handle of [null, Object.freeze({ value: 0 })]) {
      expectStatus(
        sys.zx_vmo_create_physical(root, mmioBase(kernel), 4 * PAGE, handle),
        ZX_ERR_INVALID_ARGS,
      );
      assert.equal(proc.object.handles.size, before);
    }
    const after = kmemStats(kernel, proc);
    assert.deepEqual([after.free_bytes, after.vmo_bytes], [stats.free_bytes, stats.vmo_bytes]);
  });

  it('gives NO_MEMORY when the handle arena is full', () => {
    const { kernel, proc, sys, fill } = smallArena();
    const resource = systemResource(kernel, proc);
    fill(proc.job);
    expectFailure(
      proc,
      sys.zx_vmo_create_physical(resource, mmioBase(kernel), PAGE, out(0)),
      ZX_ERR_NO_MEMORY,
      ARENA_FULL,
    );
  });
});
