// The handle arena: slots reused last-freed first with a generation in every value (so a closed
// value stays invalid until its slot comes round 4096 times), no panic however many handles have
// ever existed, and a limit on live handles past which every call that makes a handle gives
// ZX_ERR_NO_MEMORY and leaves nothing behind.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_BTI_PERM_READ,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_NO_MEMORY,
  ZX_HANDLE_FIXED_BITS_MASK,
  ZX_IOMMU_TYPE_STUB,
  ZX_JOB_POL_ABSOLUTE,
  ZX_JOB_POL_BASIC_V1,
  ZX_OK,
  ZX_POL_ACTION_ALLOW,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RSRC_FLAG_EXCLUSIVE,
  ZX_RSRC_KIND_MMIO,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_SPECIFIC,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_ZERO_CHILDREN,
} from '../../src/abi/constants.ts';
import { Dispatcher } from '../../src/object/dispatcher.ts';
import { HandleArena, HandleTable } from '../../src/object/handle.ts';
import type { Koid } from '../../src/object/types.ts';
import {
  createChildJob,
  createVmo,
  encodePolicy,
  expectStatus,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  systemResource,
  vmoInfo,
} from '../helpers.ts';
import { mmioBase } from '../syscalls/vmar/vmar-helpers.ts';

class Thing extends Dispatcher {
  readonly type = 99;
  zeroHandles = 0;

  constructor() {
    super(1 as Koid);
  }

  override onZeroHandles(): void {
    this.zeroHandles++;
  }
}

/** A table over its own tiny arena: 4 slots, 3 generation bits (8 generations). */
function tiny(capacity = 4) {
  const arena = new HandleArena({ indexBits: 2, generationBits: 3, capacity });
  return { arena, table: new HandleTable(arena, 0x1234_5678) };
}

describe('HandleArena and HandleTable', () => {
  it('reuse the last freed slot with the next generation, and a closed value names nothing', () => {
    const { arena, table } = tiny();
    const thing = new Thing();
    const kept = table.add(arena.make(thing, 1)!);
    const seen: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const value = table.add(arena.make(thing, 2)!);
      assert.equal(value & ZX_HANDLE_FIXED_BITS_MASK, ZX_HANDLE_FIXED_BITS_MASK);
      assert.notEqual(value, kept);
      assert.equal(table.get(value)?.rights, 2);
      assert.ok(table.remove(value));
      assert.equal(table.get(value), undefined, 'a closed value stays invalid');
      assert.equal(table.remove(value), undefined);
      seen.push(value);
    }
    // One slot comes round again and again: its values repeat only after 8 generations.
    for (let i = 8; i < seen.length; i++) assert.equal(seen[i], seen[i - 8]);
    assert.equal(new Set(seen.slice(0, 8)).size, 8);
    assert.equal(table.get(kept)?.rights, 1);
    assert.equal(arena.count, 1);
    assert.equal(thing.handleCount, 1);
    assert.equal(thing.zeroHandles, 0);
  });

  it('forgets the handle it found last once that handle leaves the table', () => {
    const { arena, table } = tiny();
    const other = new HandleTable(arena, 0x0bad_cafe);
    const thing = new Thing();
    const value = table.add(arena.make(thing, 5)!);
    const handle = table.get(value)!;
    assert.equal(table.get(value), handle, 'found again');
    // Taken (a consuming call): gone here, found again once put back.
    assert.equal(table.take(value), handle);
    assert.equal(table.get(value), undefined);
    table.restore(handle);
    assert.equal(table.get(value), handle);
    // Moved to another table (a channel write): this table names it no more.
    const moved = other.add(table.take(value)!);
    assert.equal(table.get(value), undefined);
    assert.equal(other.get(moved), handle);
    // Closed, its slot reused at the next generation: the old value names nothing.
    const fresh = table.add(arena.make(thing, 6)!);
    assert.equal(table.get(fresh)?.rights, 6);
    assert.ok(other.remove(moved));
    const reused = other.add(arena.make(thing, 7)!);
    assert.equal(other.get(moved), undefined);
    assert.equal(other.get(reused)?.rights, 7);
    // Cleaned: every value names nothing, the last one found included.
    table.clean();
    assert.equal(table.get(fresh), undefined);
  });

  it('refuses a handle past its capacity, and makes one again once a slot is free', () => {
    const { arena, table } = tiny(3);
    const thing = new Thing();
    const values = [1, 2, 3].map(() => table.add(arena.make(thing, 0)!));
    assert.equal(arena.make(thing, 0), null);
    assert.equal(thing.handleCount, 3);
    table.remove(values[1]!);
    const again = table.add(arena.make(thing, 0)!);
    assert.notEqual(again, values[1]);
    assert.deepEqual([...table.values()].sort(), [values[0], values[2], again].sort());
    assert.equal(arena.make(thing, 0), null);
  });

  it('never takes a value of another table, or a value of the wrong shape', () => {
    const arena = new HandleArena();
    const a = new HandleTable(arena, 1);
    const b = new HandleTable(arena, 2);
    const thing = new Thing();
    const value = a.add(arena.make(thing, 0)!);
    assert.equal(b.get(value), undefined);
    assert.equal(b.take(value), undefined);
    for (const bad of [value + 0.5, value - 2 ** 32, value + 2 ** 32, Number.NaN, value & ~1]) {
      assert.equal(a.get(bad), undefined, String(bad));
    }
    for (const bad of [BigInt(value), String(value), null, undefined, {}]) {
      assert.equal(a.get(bad as unknown as number), undefined, String(bad));
    }
    assert.ok(a.get(value));
  });

  it('gives the same values for the same secret, and closes newest first when cleaned', () => {
    const values = (secret: number) => {
      const arena = new HandleArena();
      const table = new HandleTable(arena, secret);
      return [0, 1, 2].map(() => table.add(arena.make(new Thing(), 0)!));
    };
    assert.deepEqual(values(77), values(77));
    assert.notDeepEqual(values(77), values(78));
    const arena = new HandleArena();
    const table = new HandleTable(arena, 5);
    const order: number[] = [];
    for (let i = 0; i < 3; i++) {
      const thing = new Thing();
      thing.onZeroHandles = () => order.push(i);
      table.add(arena.make(thing, 0)!);
    }
    table.clean();
    assert.deepEqual(order, [2, 1, 0]);
    assert.equal(table.size, 0);
    assert.equal(arena.count, 0);
  });

  it('checks its limits', () => {
    for (const limits of [
      { indexBits: 0 },
      { indexBits: 20, generationBits: 11 },
      { indexBits: 2, capacity: 5 },
      { capacity: 0 },
    ]) {
      assert.throws(() => new HandleArena(limits), RangeError);
    }
    assert.throws(() => newKernel({ maxHandles: 256 * 1024 + 1 }), RangeError);
    assert.throws(() => newKernel({ maxHandles: 0 }), RangeError);
  });
});

describe('handle values of a process', () => {
  it('survive two million zx_handle_duplicate and zx_handle_close cycles', () => {
    const { proc, sys } = newProcess();
    const dup = out(0);
    const first: number[] = [];
    for (let i = 0; i < 2_000_000; i++) {
      if (sys.zx_handle_duplicate(proc.self, ZX_RIGHT_SAME_RIGHTS, dup) !== ZX_OK) {
        assert.fail(`zx_handle_duplicate failed at cycle ${i}`);
      }
      if (i < 4096) first.push(dup.value);
      else if (i % 4096 === 0) assert.equal(dup.value, first[0], 'the slot comes round');
      if (sys.zx_handle_close(dup.value) !== ZX_OK) assert.fail(`zx_handle_close ${i}`);
      if (i % 65_536 === 0) expectStatus(sys.zx_handle_close(dup.value), ZX_ERR_BAD_HANDLE);
    }
    // Zircon's 12 generation bits: a closed value is not seen again for 4096 reuses of its slot.
    assert.equal(new Set(first).size, 4096);
    expectStatus(sys.zx_handle_close(dup.value), ZX_ERR_BAD_HANDLE);
    assert.equal(proc.object.handles.size, 3);
  });
});

describe('host calls that look handles up', () => {
  it('take values of any type without throwing', async () => {
    const { kernel, proc } = newProcess();
    const bigint = BigInt(proc.self) as unknown as number;
    assert.deepEqual(await proc.waitOne(bigint, 1, 0n), { status: ZX_ERR_BAD_HANDLE, observed: 0 });
    assert.throws(() => kernel.processFor(proc, bigint), TypeError);
  });
});

describe('a full handle arena', () => {
  /** A kernel whose arena is full after the setup, and spare handles to close for free slots. */
  function fullKernel() {
    const kernel = newKernel({ maxHandles: 64 });
    const { proc, sys } = newProcess(kernel);
    const resource = systemResource(kernel, proc);
    const vmo = createVmo(sys, 4 * PAGE);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, 4 * PAGE, null, 0), ZX_OK);
    const job = createChildJob(sys, proc.job);
    const iommu = out(0);
    expectStatus(
      sys.zx_iommu_create(resource, ZX_IOMMU_TYPE_STUB, new Uint8Array(1), 1, iommu),
      ZX_OK,
    );
    const bti = out(0);
    expectStatus(sys.zx_bti_create(iommu.value, 0, 0, bti), ZX_OK);
    const spares: number[] = [];
    for (;;) {
      const dup = out(0);
      const status = sys.zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, dup);
      if (status === ZX_ERR_NO_MEMORY) break;
      expectStatus(status, ZX_OK);
      spares.push(dup.value);
    }
    const arena = kernel.core.handleArena;
    assert.equal(arena.count, 64);
    const free = (count = 1) => {
      for (let i = 0; i < count; i++) expectStatus(sys.zx_handle_close(spares.pop()!), ZX_OK);
    };
    return {
      kernel,
      proc,
      sys,
      arena,
      resource,
      vmo,
      job,
      iommu: iommu.value,
      bti: bti.value,
      free,
    };
  }

  it('gives NO_MEMORY from zx_handle_duplicate and zx_handle_replace, which keeps the handle', () => {
    const { proc, sys, vmo } = fullKernel();
    const size = proc.object.handles.size;
    const handle = out(0);
    expectStatus(sys.zx_handle_duplicate(vmo, ZX_RIGHT_SAME_RIGHTS, handle), ZX_ERR_NO_MEMORY);
    expectStatus(sys.zx_handle_replace(vmo, ZX_RIGHT_SAME_RIGHTS, handle), ZX_ERR_NO_MEMORY);
    assert.equal(handle.value, 0);
    assert.equal(proc.object.handles.size, size);
    expectStatus(sys.zx_vmo_get_size(vmo, out(0n)), ZX_OK);
  });

  it('gives NO_MEMORY from zx_vmo_replace_as_executable, which consumes the handle as ever', () => {
    const { proc, sys, resource, vmo } = fullKernel();
    const size = proc.object.handles.size;
    const handle = out(0);
    expectStatus(sys.zx_vmo_replace_as_executable(vmo, resource, handle), ZX_ERR_NO_MEMORY);
    assert.equal(handle.value, 0);
    expectStatus(sys.zx_vmo_get_size(vmo, out(0n)), ZX_ERR_BAD_HANDLE);
    assert.equal(proc.object.handles.size, size - 1);
  });

  it('gives NO_MEMORY for new VMOs and children and frees what they took', () => {
    const { kernel, proc, sys, resource, vmo, bti, arena } = fullKernel();
    const free = kmemStats(kernel, proc).free_bytes;
    const handle = out(0);
    expectStatus(sys.zx_vmo_create(PAGE, 0, handle), ZX_ERR_NO_MEMORY);
    expectStatus(
      sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, handle),
      ZX_ERR_NO_MEMORY,
    );
    expectStatus(sys.zx_vmo_create_contiguous(bti, 4 * PAGE, 0, handle), ZX_ERR_NO_MEMORY);
    const mmio = mmioBase(kernel);
    expectStatus(sys.zx_vmo_create_physical(resource, mmio, PAGE, handle), ZX_ERR_NO_MEMORY);
    assert.equal(handle.value, 0);
    assert.equal(arena.count, 64);
    assert.equal(kmemStats(kernel, proc).free_bytes, free);
    const info = vmoInfo(sys, vmo);
    assert.equal(info.num_children, 0n);
    const observed = out(0);
    expectStatus(sys.zx_object_wait_one(vmo, ZX_VMO_ZERO_CHILDREN, 0n, observed), ZX_OK);
  });

  it('gives NO_MEMORY for jobs and processes, and the job keeps no child', () => {
    const { kernel, sys, job, free } = fullKernel();
    const handle = out(0);
    const vmar = out(0);
    const name = new Uint8Array([0x70]);
    expectStatus(sys.zx_job_create(job, 0, handle), ZX_ERR_NO_MEMORY);
    expectStatus(sys.zx_process_create(job, name, 1, 0, handle, vmar), ZX_ERR_NO_MEMORY);
    // With one free slot the process handle is made and the VMAR handle is not.
    free();
    expectStatus(sys.zx_process_create(job, name, 1, 0, handle, vmar), ZX_ERR_NO_MEMORY);
    assert.deepEqual([handle.value, vmar.value], [0, 0]);
    // zx_job_set_policy works only on a job without children.
    const policy = encodePolicy([{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_ALLOW }]);
    expectStatus(
      sys.zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V1, policy, 1),
      ZX_OK,
    );
    assert.equal(kernel.core.handleArena.count, 63);
  });

  it('gives NO_MEMORY for sub-VMARs and leaves their range free', () => {
    const { proc, sys, free } = fullKernel();
    const handle = out(0);
    const addr = out(0n);
    const at = 0x100_0000;
    const allocate = () =>
      sys.zx_vmar_allocate(
        proc.rootVmar,
        ZX_VM_CAN_MAP_READ | ZX_VM_SPECIFIC,
        at,
        PAGE,
        handle,
        addr,
      );
    expectStatus(allocate(), ZX_ERR_NO_MEMORY);
    free();
    expectStatus(allocate(), ZX_OK);
  });

  it('gives NO_MEMORY for resources, IOMMUs, BTIs and PMTs, and leaves nothing held', () => {
    const { kernel, sys, resource, vmo, iommu, bti, free } = fullKernel();
    const handle = out(0);
    const base = mmioBase(kernel);
    const exclusive = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
    expectStatus(
      sys.zx_resource_create(resource, exclusive, base, PAGE, null, 0, handle),
      ZX_ERR_NO_MEMORY,
    );
    expectStatus(
      sys.zx_iommu_create(resource, ZX_IOMMU_TYPE_STUB, new Uint8Array(1), 1, handle),
      ZX_ERR_NO_MEMORY,
    );
    expectStatus(sys.zx_bti_create(iommu, 0, 0, handle), ZX_ERR_NO_MEMORY);
    const addrs = new Uint8Array(8);
    expectStatus(
      sys.zx_bti_pin(bti, ZX_BTI_PERM_READ, vmo, 0, PAGE, addrs, 1, handle),
      ZX_ERR_NO_MEMORY,
    );
    assert.equal(handle.value, 0);
    // The page is not left pinned (DECOMMIT refuses pinned pages)...
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0), ZX_OK);
    // ...the exclusive range was not kept, and the BTI has nothing in quarantine.
    free(2);
    expectStatus(sys.zx_resource_create(resource, exclusive, base, PAGE, null, 0, handle), ZX_OK);
    expectStatus(sys.zx_bti_pin(bti, ZX_BTI_PERM_READ, vmo, 0, PAGE, addrs, 1, handle), ZX_OK);
  });

  it('makes the host calls that add handles throw, changing nothing', () => {
    const { kernel, proc, sys, arena, free } = fullKernel();
    const processes = kernel.core.rootJob.children.size;
    assert.throws(() => kernel.createProcess(), RangeError);
    assert.throws(() => kernel.grantSystemResource(proc), RangeError);
    assert.equal(kernel.core.rootJob.children.size, processes);
    free(2);
    const child = out(0);
    const vmar = out(0);
    expectStatus(sys.zx_process_create(proc.job, new Uint8Array([0x70]), 1, 0, child, vmar), ZX_OK);
    assert.throws(() => kernel.processFor(proc, child.value), RangeError);
    assert.equal(arena.count, 64);
  });
});
