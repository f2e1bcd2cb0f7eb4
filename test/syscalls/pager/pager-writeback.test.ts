// Dirty tracking and writeback of pager-backed VMOs, translated from the 2025 core tests
// zircon/system/utest/core/pager-writeback/pager-writeback.cc (upstream test names in the
// titles); each upstream thread is a zx thread here, the pager is the host.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_RIGHT_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
} from '../../../src/abi/constants.ts';
import { decodeZxVmoDirtyRange, ZX_VMO_DIRTY_RANGE_SIZE } from '../../../src/abi/structs.ts';
import { createVmo, expectStatus, newProcess, out, PAGE, readVmo, vmoInfo } from '../../helpers.ts';
import { createPort } from '../ipc-helpers.ts';
import { map } from '../vmar/vmar-helpers.ts';
import {
  createPagedVmo,
  createPager,
  dirtyRanges,
  diskPage,
  modified,
  supplyDisk,
  takeRequests,
} from './pager-helpers.ts';

const KEY = 0x77n;
const P = BigInt(PAGE);

function setup(pages: number, options = ZX_VMO_TRAP_DIRTY) {
  const p = newProcess();
  const pager = createPager(p.sys);
  const port = createPort(p.sys);
  const vmo = createPagedVmo(p.sys, pager, port, KEY, pages, options);
  const op = (code: number, start: number, count: number, data = 0n) =>
    p.sys.zx_pager_op_range(pager, code, vmo, BigInt(start) * P, BigInt(count) * P, data);
  return {
    ...p,
    pager,
    port,
    vmo,
    requests: () => takeRequests(p.sys, port).map((r) => [r.command, r.offset, r.length]),
    dirty: (start: number, count: number) =>
      expectStatus(op(ZX_PAGER_OP_DIRTY, start, count), ZX_OK, 'OP_DIRTY'),
    fail: (start: number, count: number) =>
      expectStatus(op(ZX_PAGER_OP_FAIL, start, count, BigInt(ZX_ERR_IO)), ZX_OK, 'OP_FAIL'),
    begin: (start: number, count: number, zero = false) =>
      op(ZX_PAGER_OP_WRITEBACK_BEGIN, start, count, zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0n),
    end: (start: number, count: number) => op(ZX_PAGER_OP_WRITEBACK_END, start, count),
    op,
    ranges: (pages = 1 << 20) => dirtyRanges(p.sys, pager, vmo, pages),
    modified: () => modified(p.sys, pager, vmo),
  };
}

const DIRTY = ZX_PAGER_VMO_DIRTY;
const READ = ZX_PAGER_VMO_READ;

describe('DIRTY requests', () => {
  it('SimpleTrapDirty: a write to a clean page waits for OP_DIRTY; without TRAP_DIRTY it does not', async () => {
    const w = setup(1);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    const t = w.proc.startThread((th) => th.zx_vmo_write(w.vmo, new Uint8Array([0x77]), 0, 1));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 0, 1]]);
    w.dirty(0, 1);
    assert.equal(await t.done, ZX_OK);
    assert.deepEqual(w.ranges(1), [[0, 1, false]]);
    const expected = diskPage(0);
    expected[0] = 0x77;
    assert.deepEqual(readVmo(w.sys, w.vmo, 0, PAGE), expected);
    assert.deepEqual(w.requests(), []);

    const plain = setup(1, 0);
    supplyDisk(plain.sys, plain.pager, plain.vmo, 0, 1);
    expectStatus(plain.sys.zx_vmo_write(plain.vmo, new Uint8Array([0xcc]), 0, 1), ZX_OK);
    assert.deepEqual(plain.requests(), []);
    assert.deepEqual(plain.ranges(1), [[0, 1, false]]);
  });

  it('OpDirtyNoWrite: OP_DIRTY dirties a page without changing it', () => {
    const w = setup(1);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    w.dirty(0, 1);
    assert.deepEqual(w.ranges(1), [[0, 1, false]]);
    assert.deepEqual(readVmo(w.sys, w.vmo, 0, PAGE), diskPage(0));
    assert.deepEqual(w.requests(), []);
  });

  it('DirtyRequestsOnVmoWrite: one request per run of clean pages a write covers', async () => {
    const w = setup(20);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 20);
    const t = w.proc.startThread(async (th) => {
      for (const page of [0, 2, 4, 6, 8, 3]) {
        const status = await th.zx_vmo_write(w.vmo, new Uint8Array([0x77]), page * PAGE, 1);
        if (status !== ZX_OK) return status;
      }
      return th.zx_vmo_write(w.vmo, new Uint8Array(5 * PAGE), 11 * PAGE, 5 * PAGE);
    });
    for (const [page, count] of [
      [0, 1],
      [2, 1],
      [4, 1],
      [6, 1],
      [8, 1],
      [3, 1],
      [11, 5],
    ]) {
      await w.kernel.idle();
      assert.deepEqual(w.requests(), [[DIRTY, page, count]]);
      w.dirty(page!, count!);
    }
    assert.equal(await t.done, ZX_OK);
    assert.deepEqual(w.ranges(20), [
      [0, 1, false],
      [2, 3, false],
      [6, 1, false],
      [8, 1, false],
      [11, 5, false],
    ]);
  });

  it('DirtyRequestsViaMapping: a store through a mapping dirties one page per fault', async () => {
    const w = setup(4);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 4);
    const addr = map(
      w.sys,
      w.proc.rootVmar,
      ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
      0,
      w.vmo,
      0,
      4 * PAGE,
    );
    const t = w.proc.startThread((th) => th.store(addr + P, new Uint8Array(2 * PAGE).fill(0xcc)));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 1, 1]]);
    w.dirty(1, 3);
    assert.equal(await t.done, ZX_OK);
    assert.deepEqual(w.requests(), []);
    assert.deepEqual(w.ranges(4), [[1, 3, false]]);
    // Written again: no fault, no request (DirtyRequestsRepeatedWrites).
    expectStatus(w.proc.store(addr + P, new Uint8Array([1])), ZX_OK);
    assert.deepEqual(w.requests(), []);
  });

  it('DirtyRequestsOverlap: a write inside an outstanding request joins it; one before it is cut', async () => {
    const w = setup(20);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 20);
    const write = (page: number, count: number) =>
      w.proc.startThread((th) =>
        th.zx_vmo_write(w.vmo, new Uint8Array(count * PAGE), page * PAGE, count * PAGE),
      );
    const t1 = write(4, 5);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 4, 5]]);
    const t2 = write(2, 7);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 2, 2]]);
    w.dirty(4, 5);
    assert.equal(await t1.done, ZX_OK);
    w.dirty(2, 2);
    assert.equal(await t2.done, ZX_OK);
    assert.deepEqual(w.ranges(20), [[2, 7, false]]);
    const t3 = write(11, 5);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 11, 5]]);
    const t4 = write(15, 4);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), []);
    w.dirty(11, 5);
    assert.equal(await t3.done, ZX_OK);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 16, 3]]);
    w.dirty(16, 3);
    assert.equal(await t4.done, ZX_OK);
    assert.deepEqual(w.ranges(20), [
      [2, 7, false],
      [11, 8, false],
    ]);
  });

  it('DirtyRequestsRandomOffsets: READ for missing pages, DIRTY for clean runs, in order', async () => {
    const w = setup(6);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 2); // clean [0, 2)
    supplyDisk(w.sys, w.pager, w.vmo, 2, 1);
    w.dirty(2, 1); // dirty 2; 3 and 4 missing; 5 clean
    supplyDisk(w.sys, w.pager, w.vmo, 5, 1);
    const t = w.proc.startThread((th) =>
      th.zx_vmo_write(w.vmo, new Uint8Array(6 * PAGE), 0, 6 * PAGE),
    );
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 0, 2]]);
    w.dirty(0, 2);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[READ, 3, 2]]);
    supplyDisk(w.sys, w.pager, w.vmo, 3, 2);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 3, 3]]);
    w.dirty(3, 3);
    assert.equal(await t.done, ZX_OK);
    assert.deepEqual(w.ranges(6), [[0, 6, false]]);
  });

  it('FailDirtyRequests and NotModifiedOnFailedDirtyRequest: FAIL ends the write, nothing dirty', async () => {
    const w = setup(2);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 2);
    const addr = map(
      w.sys,
      w.proc.rootVmar,
      ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
      0,
      w.vmo,
      0,
      2 * PAGE,
    );
    const t1 = w.proc.startThread((th) => th.store(addr, new Uint8Array([0xcc])));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 0, 1]]);
    w.fail(0, 1);
    assert.equal(await t1.done, ZX_ERR_IO);
    const t2 = w.proc.startThread((th) => th.zx_vmo_write(w.vmo, new Uint8Array([0xdd]), PAGE, 1));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 1, 1]]);
    w.fail(1, 1);
    assert.equal(await t2.done, ZX_ERR_IO);
    assert.deepEqual(w.ranges(2), []);
    assert.equal(w.modified(), false);
    assert.deepEqual(readVmo(w.sys, w.vmo, 0, PAGE), diskPage(0));
  });

  it('LargeWriteBatched: a write goes 16 pages at a time, READ then DIRTY', async () => {
    const w = setup(66);
    const t = w.proc.startThread((th) =>
      th.zx_vmo_write(w.vmo, new Uint8Array(64 * PAGE).fill(9), 2 * PAGE, 64 * PAGE),
    );
    for (let i = 0; i < 64; i += 16) {
      await w.kernel.idle();
      assert.deepEqual(w.requests(), [[READ, i + 2, 16]]);
      supplyDisk(w.sys, w.pager, w.vmo, i + 2, 16);
      await w.kernel.idle();
      assert.deepEqual(w.requests(), [[DIRTY, i + 2, 16]]);
      w.dirty(i + 2, 8);
      w.dirty(i + 10, 8);
    }
    assert.equal(await t.done, ZX_OK);
    assert.deepEqual(w.ranges(66), [[2, 64, false]]);
  });

  it('NoDirtyRequestsAfterDetach and DetachWithPendingDirtyRequest: BAD_STATE', async () => {
    const w = setup(1);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    const t = w.proc.startThread((th) => th.zx_vmo_write(w.vmo, new Uint8Array([1]), 0, 1));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 0, 1]]);
    expectStatus(w.sys.zx_pager_detach_vmo(w.pager, w.vmo), ZX_OK);
    assert.equal(await t.done, ZX_ERR_BAD_STATE);
    assert.deepEqual(w.ranges(1), []);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, 0n);
    // ResolveDirtyRequestAfterDetach: the page was clean, so it went with the detach.
    expectStatus(w.op(ZX_PAGER_OP_DIRTY, 0, 1), ZX_ERR_NOT_FOUND);
  });
});

describe('writeback', () => {
  for (const trap of [true, false]) {
    const options = trap ? ZX_VMO_TRAP_DIRTY : 0;
    it(`SimpleWriteback${trap ? 'TrapDirty' : 'NoTrapDirty'}: BEGIN keeps the page dirty, END cleans it`, async () => {
      const w = setup(1, options);
      supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
      if (trap) w.dirty(0, 1);
      expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([0xaa]), 0, 1), ZX_OK);
      assert.deepEqual(w.ranges(1), [[0, 1, false]]);
      expectStatus(w.begin(0, 1), ZX_OK);
      assert.deepEqual(w.ranges(1), [[0, 1, false]]);
      expectStatus(w.end(0, 1), ZX_OK);
      assert.deepEqual(w.ranges(1), []);
      const t = w.proc.startThread((th) => th.zx_vmo_write(w.vmo, new Uint8Array([0x77]), 0, 1));
      await w.kernel.idle();
      if (trap) {
        assert.deepEqual(w.requests(), [[DIRTY, 0, 1]]);
        w.dirty(0, 1);
      }
      assert.equal(await t.done, ZX_OK);
      assert.deepEqual(w.ranges(1), [[0, 1, false]]);
    });
  }

  it('DirtyDuringWriteback: a page dirtied again after BEGIN is not cleaned by END', async () => {
    const w = setup(1);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    w.dirty(0, 1);
    expectStatus(w.begin(0, 1), ZX_OK);
    const t1 = w.proc.startThread((th) => th.zx_vmo_write(w.vmo, new Uint8Array([0xcc]), 0, 1));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 0, 1]]);
    expectStatus(w.end(0, 1), ZX_OK);
    assert.deepEqual(w.ranges(1), []);
    w.dirty(0, 1);
    assert.equal(await t1.done, ZX_OK);
    expectStatus(w.begin(0, 1), ZX_OK);
    const t2 = w.proc.startThread((th) => th.zx_vmo_write(w.vmo, new Uint8Array([0xdd]), 0, 1));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 0, 1]]);
    w.dirty(0, 1);
    assert.equal(await t2.done, ZX_OK);
    expectStatus(w.end(0, 1), ZX_OK);
    assert.deepEqual(w.ranges(1), [[0, 1, false]]);
  });

  it('WritebackWithMapping: BEGIN takes write away from mappings, so the next store traps', async () => {
    const w = setup(1);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    const addr = map(w.sys, w.proc.rootVmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, w.vmo, 0, PAGE);
    w.dirty(0, 1);
    expectStatus(w.proc.store(addr, new Uint8Array([0xbb])), ZX_OK);
    assert.deepEqual(w.requests(), []);
    expectStatus(w.begin(0, 1), ZX_OK);
    const t = w.proc.startThread((th) => th.store(addr, new Uint8Array([0xcc])));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 0, 1]]);
    w.fail(0, 1);
    assert.equal(await t.done, ZX_ERR_IO);
    assert.deepEqual(w.ranges(1), [[0, 1, false]]);
    expectStatus(w.end(0, 1), ZX_OK);
    assert.deepEqual(w.ranges(1), []);
    assert.equal(readVmo(w.sys, w.vmo, 0, 1)[0], 0xbb);
  });

  it('ResizeDirtyRequest: growth is a dirty zero range; writes to it ask DIRTY, not READ', async () => {
    const w = setup(2, ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 2);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 3 * PAGE), ZX_OK);
    assert.deepEqual(w.ranges(3), [[2, 1, true]]);
    const t1 = w.proc.startThread((th) =>
      th.zx_vmo_write(w.vmo, new Uint8Array(2 * PAGE).fill(0xaa), PAGE, 2 * PAGE),
    );
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 1, 2]]);
    w.dirty(1, 2);
    assert.equal(await t1.done, ZX_OK);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, 3n * P);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 6 * PAGE), ZX_OK);
    const t2 = w.proc.startThread((th) =>
      th.zx_vmo_write(w.vmo, new Uint8Array(PAGE), 4 * PAGE, PAGE),
    );
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 4, 1]]);
    w.dirty(4, 1);
    assert.equal(await t2.done, ZX_OK);
    assert.deepEqual(w.ranges(6), [
      [1, 2, false],
      [3, 1, true],
      [4, 1, false],
      [5, 1, true],
    ]);
  });

  it('ResizeWritebackNewDirtyRequests: a zero range written back is missing again (READ first)', async () => {
    const w = setup(1, ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 3 * PAGE), ZX_OK);
    const t1 = w.proc.startThread((th) =>
      th.zx_vmo_write(w.vmo, new Uint8Array(PAGE).fill(0xaa), 2 * PAGE, PAGE),
    );
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 2, 1]]);
    w.dirty(2, 1);
    assert.equal(await t1.done, ZX_OK);
    assert.deepEqual(w.ranges(3), [
      [1, 1, true],
      [2, 1, false],
    ]);
    expectStatus(w.begin(1, 2), ZX_OK);
    expectStatus(w.end(1, 2), ZX_OK);
    assert.deepEqual(w.ranges(3), []);
    const t2 = w.proc.startThread((th) => th.zx_vmo_write(w.vmo, new Uint8Array(PAGE), PAGE, PAGE));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[READ, 1, 1]]);
    supplyDisk(w.sys, w.pager, w.vmo, 1, 1);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 1, 1]]);
    w.dirty(1, 1);
    assert.equal(await t2.done, ZX_OK);
  });

  it('ResizeWritebackDirtyAfterQuery: BEGIN with IS_ZERO leaves pages that hold data dirty', () => {
    const w = setup(1, ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 4 * PAGE), ZX_OK);
    assert.deepEqual(w.ranges(4), [[1, 3, true]]);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([0xaa]), 2 * PAGE, 1), ZX_OK);
    expectStatus(w.begin(1, 3, true), ZX_OK);
    expectStatus(w.end(1, 3), ZX_OK);
    assert.deepEqual(w.ranges(4), [[2, 1, false]]);
  });

  it('WritebackCombined: zero and non-zero ranges written back together', () => {
    const w = setup(1, ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 10 * PAGE), ZX_OK);
    for (const page of [1, 6, 9]) {
      expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([0xaa]), page * PAGE, 1), ZX_OK);
    }
    assert.deepEqual(w.ranges(10), [
      [1, 1, false],
      [2, 4, true],
      [6, 1, false],
      [7, 2, true],
      [9, 1, false],
    ]);
    expectStatus(w.begin(1, 9), ZX_OK);
    expectStatus(w.end(1, 9), ZX_OK);
    assert.deepEqual(w.ranges(10), []);
    assert.deepEqual(w.requests(), []);
  });

  it('PinnedWriteback: a pinned page is never cleaned', () => {
    const w = setup(1, 0);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([1]), 0, 1), ZX_OK);
    const system = w.kernel.grantSystemResource(w.proc);
    const iommu = out(0);
    expectStatus(w.sys.zx_iommu_create(system, 0, new Uint8Array(1), 1, iommu), ZX_OK);
    const bti = out(0);
    expectStatus(w.sys.zx_bti_create(iommu.value, 0, 0, bti), ZX_OK);
    const pmt = out(0);
    expectStatus(w.sys.zx_bti_pin(bti.value, 3, w.vmo, 0, PAGE, new Uint8Array(8), 1, pmt), ZX_OK);
    expectStatus(w.begin(0, 1), ZX_OK);
    expectStatus(w.end(0, 1), ZX_OK);
    assert.deepEqual(w.ranges(1), [[0, 1, false]]);
    expectStatus(w.sys.zx_pmt_unpin(pmt.value), ZX_OK);
    expectStatus(w.begin(0, 1), ZX_OK);
    expectStatus(w.end(0, 1), ZX_OK);
    assert.deepEqual(w.ranges(1), []);
  });

  it('WritebackDirtyPagesAfterDetach and DecommitCleanOnDetach: dirty pages stay, clean go', () => {
    const w = setup(2, 0);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 2);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([0xaa]), 0, 1), ZX_OK);
    expectStatus(w.sys.zx_pager_detach_vmo(w.pager, w.vmo), ZX_OK);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, P);
    assert.deepEqual(w.ranges(2), [[0, 1, false]]);
    assert.equal(readVmo(w.sys, w.vmo, 0, 1)[0], 0xaa);
    expectStatus(w.begin(0, 1), ZX_OK);
    expectStatus(w.end(0, 1), ZX_OK);
    assert.deepEqual(w.ranges(2), []);
  });
});

describe('ZERO on pager-backed VMOs', () => {
  it('OpZero: whole pages become a dirty zero range without a request, committing nothing', () => {
    const w = setup(3, ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, 0, 2 * PAGE, null, 0), ZX_OK);
    assert.deepEqual(w.ranges(3), [[0, 2, true]]);
    assert.deepEqual(readVmo(w.sys, w.vmo, 0, 2 * PAGE), new Uint8Array(2 * PAGE));
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 4 * PAGE), ZX_OK);
    expectStatus(w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, 3 * PAGE, PAGE, null, 0), ZX_OK);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, 0n);
    assert.deepEqual(w.ranges(4), [
      [0, 2, true],
      [3, 1, true],
    ]);
    assert.deepEqual(w.requests(), []);
    assert.equal(w.modified(), true);
  });

  it('OpZeroWithMarkers: zeroing supplied zero pages changes nothing', () => {
    const w = setup(2);
    const empty = createVmo(w.sys, 2 * PAGE);
    expectStatus(w.sys.zx_pager_supply_pages(w.pager, w.vmo, 0n, 2n * P, empty, 0n), ZX_OK);
    expectStatus(w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, 0, 2 * PAGE, null, 0), ZX_OK);
    assert.deepEqual(w.ranges(2), []);
    assert.deepEqual(w.requests(), []);
  });

  it('OpZeroUnblocksReadRequest: zeroing a page a reader waits for lets it read zeros', async () => {
    const w = setup(2);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    const buf = new Uint8Array(PAGE).fill(1);
    const t = w.proc.startThread((th) => th.zx_vmo_read(w.vmo, buf, PAGE, PAGE));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[READ, 1, 1]]);
    expectStatus(w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, PAGE, PAGE, null, 0), ZX_OK);
    assert.equal(await t.done, ZX_OK);
    assert.deepEqual(buf, new Uint8Array(PAGE));
    assert.deepEqual(w.ranges(2), [[1, 1, true]]);
  });

  it('DelayedDirtyNotFound: OP_DIRTY over a zero range written back is NOT_FOUND; the write asks READ', async () => {
    const w = setup(1, ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 2 * PAGE), ZX_OK);
    const t = w.proc.startThread((th) => th.zx_vmo_write(w.vmo, new Uint8Array([0xaa]), PAGE, 1));
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 1, 1]]);
    expectStatus(w.begin(1, 1, true), ZX_OK);
    expectStatus(w.end(1, 1), ZX_OK);
    assert.deepEqual(w.ranges(2), []);
    expectStatus(w.op(ZX_PAGER_OP_DIRTY, 1, 1), ZX_ERR_NOT_FOUND);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[READ, 1, 1]]);
    supplyDisk(w.sys, w.pager, w.vmo, 1, 1);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 1, 1]]);
    w.dirty(1, 1);
    assert.equal(await t.done, ZX_OK);
    assert.deepEqual(w.ranges(2), [[1, 1, false]]);
  });
});

describe('modified state and stream size', () => {
  it('ModifiedOnVmoWrite, NotModifiedOnVmoRead, ModifiedOnResize', () => {
    const w = setup(1, ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    readVmo(w.sys, w.vmo, 0, 1);
    assert.equal(w.modified(), false);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([1]), 0, 1), ZX_OK);
    assert.equal(w.modified(), true);
    assert.equal(w.modified(), false);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 0), ZX_OK);
    assert.equal(w.modified(), true);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 2 * PAGE), ZX_OK);
    assert.equal(w.modified(), true);
    assert.deepEqual(w.ranges(2), [[0, 2, true]]);
  });

  it('UntrackedBeyondStreamSize and UntrackedAbsorbsPages: past the stream size is zero, not dirty', async () => {
    const w = setup(0, ZX_VMO_TRAP_DIRTY | ZX_VMO_UNBOUNDED);
    // A second VMO with a stream size of two pages (the setup's has none).
    const vmo = out(0);
    expectStatus(
      w.sys.zx_pager_create_vmo(
        w.pager,
        ZX_VMO_TRAP_DIRTY | ZX_VMO_UNBOUNDED,
        w.port,
        KEY,
        2n * P,
        vmo,
      ),
      ZX_OK,
    );
    const ranges = () => dirtyRanges(w.sys, w.pager, vmo.value, 10);
    assert.deepEqual(ranges(), []);
    assert.deepEqual(readVmo(w.sys, vmo.value, 2 * PAGE, 8 * PAGE), new Uint8Array(8 * PAGE));
    const t = w.proc.startThread((th) =>
      th.zx_vmo_write(vmo.value, new Uint8Array([42]), 4 * PAGE, 1),
    );
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [[DIRTY, 4, 1]]);
    expectStatus(
      w.sys.zx_pager_op_range(w.pager, ZX_PAGER_OP_DIRTY, vmo.value, 4n * P, P, 0n),
      ZX_OK,
    );
    assert.equal(await t.done, ZX_OK);
    assert.deepEqual(ranges(), [[4, 1, false]]);
    expectStatus(w.sys.zx_vmo_set_stream_size(vmo.value, 5 * PAGE), ZX_OK);
    assert.deepEqual(ranges(), [[2, 3, true]]);
    assert.deepEqual(readVmo(w.sys, vmo.value, 2 * PAGE, 8 * PAGE), new Uint8Array(8 * PAGE));
    expectStatus(w.sys.zx_vmo_set_stream_size(vmo.value, PAGE), ZX_OK);
    assert.deepEqual(ranges(), []);
    assert.equal(modified(w.sys, w.pager, vmo.value), true);
    assert.deepEqual(w.requests(), []);
  });
});

describe('zx_pager_query_dirty_ranges and the writeback ops: errors', () => {
  it('InvalidPagerOpRange: data, ops and TRAP_DIRTY', () => {
    const w = setup(1, 0);
    expectStatus(w.op(0, 0, 0), ZX_ERR_NOT_SUPPORTED);
    expectStatus(w.op(ZX_PAGER_OP_DIRTY, 0, 0), ZX_ERR_NOT_SUPPORTED);
    expectStatus(w.op(ZX_PAGER_OP_DIRTY, 0, 0, 100n), ZX_ERR_INVALID_ARGS);
    expectStatus(w.op(ZX_PAGER_OP_WRITEBACK_BEGIN, 0, 0, 100n), ZX_ERR_INVALID_ARGS);
    expectStatus(w.op(ZX_PAGER_OP_WRITEBACK_END, 0, 0, 100n), ZX_ERR_INVALID_ARGS);
    for (const code of [
      ZX_PAGER_OP_DIRTY,
      ZX_PAGER_OP_WRITEBACK_BEGIN,
      ZX_PAGER_OP_WRITEBACK_END,
    ]) {
      expectStatus(w.op(code, 1, 1), ZX_ERR_OUT_OF_RANGE);
    }
    const trap = setup(1);
    expectStatus(trap.op(ZX_PAGER_OP_DIRTY, 0, 1), ZX_ERR_NOT_FOUND);
  });

  it('InvalidQuery: handles, rights, other VMOs, range, buffer', () => {
    const w = setup(1, 0);
    const q = (
      pager: number,
      vmo: number,
      offset: bigint,
      length: bigint,
      buffer: Uint8Array | null = null,
    ) =>
      w.sys.zx_pager_query_dirty_ranges(
        pager,
        vmo,
        offset,
        length,
        buffer,
        buffer?.length ?? 0,
        null,
        null,
      );
    expectStatus(q(0, w.vmo, 0n, 0n), ZX_ERR_BAD_HANDLE);
    expectStatus(q(w.pager, 0, 0n, 0n), ZX_ERR_BAD_HANDLE);
    expectStatus(q(w.vmo, w.vmo, 0n, 0n), ZX_ERR_WRONG_TYPE);
    expectStatus(q(w.pager, w.pager, 0n, 0n), ZX_ERR_WRONG_TYPE);
    const noRead = out(0);
    expectStatus(
      w.sys.zx_handle_duplicate(w.vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ, noRead),
      ZX_OK,
    );
    expectStatus(q(w.pager, noRead.value, 0n, 0n), ZX_ERR_ACCESS_DENIED);
    expectStatus(q(w.pager, createVmo(w.sys, PAGE), 0n, 0n), ZX_ERR_INVALID_ARGS);
    const slice = out(0);
    expectStatus(w.sys.zx_vmo_create_child(w.vmo, ZX_VMO_CHILD_SLICE, 0, PAGE, slice), ZX_OK);
    expectStatus(q(w.pager, slice.value, 0n, P), ZX_ERR_INVALID_ARGS);
    expectStatus(q(w.pager, w.vmo, 1n, 0n), ZX_ERR_INVALID_ARGS);
    expectStatus(q(w.pager, w.vmo, P, P), ZX_ERR_OUT_OF_RANGE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([42]), 0, 1), ZX_OK);
    expectStatus(
      w.sys.zx_pager_query_dirty_ranges(w.pager, w.vmo, 0n, P, null, 24, null, null),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(q(w.pager, w.vmo, 0n, P, new Uint8Array(24).subarray(0, 8)), ZX_OK);
    expectStatus(
      w.sys.zx_pager_query_dirty_ranges(w.pager, w.vmo, 0n, P, new Uint8Array(8), 24, null, null),
      ZX_ERR_NOT_FOUND,
    );
  });

  it('QueryEarlyTermination: actual counts what fits, avail everything', () => {
    const w = setup(3, 0);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 3);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([42]), 0, 1), ZX_OK);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([42]), 2 * PAGE, 1), ZX_OK);
    const actual = out(0n);
    const avail = out(0n);
    const one = new Uint8Array(ZX_VMO_DIRTY_RANGE_SIZE);
    expectStatus(
      w.sys.zx_pager_query_dirty_ranges(w.pager, w.vmo, 0n, 3n * P, one, 8, actual, avail),
      ZX_OK,
    );
    assert.deepEqual([actual.value, avail.value], [0n, 2n]);
    expectStatus(
      w.sys.zx_pager_query_dirty_ranges(w.pager, w.vmo, 0n, 3n * P, one, one.length, actual, avail),
      ZX_OK,
    );
    assert.deepEqual([actual.value, avail.value], [1n, 2n]);
    assert.deepEqual(decodeZxVmoDirtyRange(one), { offset: 0n, length: P, options: 0n });
  });

  it('a query over a VMO of 2^52 pages costs what is dirty', () => {
    const w = setup(1, ZX_VMO_UNBOUNDED);
    const huge = out(0);
    expectStatus(
      w.sys.zx_pager_create_vmo(w.pager, ZX_VMO_UNBOUNDED, w.port, KEY, 0n, huge),
      ZX_OK,
    );
    const size = vmoInfo(w.sys, huge.value).size_bytes;
    expectStatus(w.sys.zx_vmo_set_stream_size(huge.value, size), ZX_OK);
    const started = performance.now();
    const buffer = new Uint8Array(ZX_VMO_DIRTY_RANGE_SIZE);
    const avail = out(0n);
    expectStatus(
      w.sys.zx_pager_query_dirty_ranges(
        w.pager,
        huge.value,
        0n,
        size,
        buffer,
        buffer.length,
        null,
        avail,
      ),
      ZX_OK,
    );
    assert.equal(avail.value, 1n);
    assert.deepEqual(decodeZxVmoDirtyRange(buffer), {
      offset: 0n,
      length: size,
      options: ZX_VMO_DIRTY_RANGE_IS_ZERO,
    });
    expectStatus(w.begin(0, 0), ZX_OK);
    assert.ok(performance.now() - started < 1000, 'bounded by what is dirty');
  });
});
