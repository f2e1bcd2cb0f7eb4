// Edge cases of pager-backed VMOs where an operation meets dirty zero ranges, pins or a shrink,
// translated from the 2025 core tests (zircon/system/utest/core/pager/pager.cc and
// pager-writeback/pager-writeback.cc; upstream names in the titles) or, where upstream has no
// test, following VmCowPages::CommitRangeLocked and VmObjectPaged::CommitRangeInternal.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_BTI_PERM_READ,
  ZX_ERR_BAD_STATE,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_THREAD_STATE_BLOCKED_PAGER,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from '../../../src/abi/constants.ts';
import { createVmo, expectStatus, out, PAGE, readVmo, vmoInfo } from '../../helpers.ts';
import { bti } from '../ddk/ddk-helpers.ts';
import { threadState } from '../ipc-helpers.ts';
import {
  dirtyRanges,
  diskPage,
  modified,
  pagerWorld,
  requestRanges,
  supplyDisk,
} from './pager-helpers.ts';

const KEY = 0xed9en;
const P = BigInt(PAGE);

function world(pages: number, options: number) {
  const w = pagerWorld(KEY, pages, options);
  const op = (code: number, start: number, count: number, data = 0n) =>
    w.sys.zx_pager_op_range(w.pager, code, w.vmo, BigInt(start) * P, BigInt(count) * P, data);
  const ranges = (count: number) => dirtyRanges(w.sys, w.pager, w.vmo, count);
  const modifiedNow = () => modified(w.sys, w.pager, w.vmo);
  const requests = () => requestRanges(w.sys, w.port);
  const commit = (start: number, count: number) =>
    w.proc.startThread((th) =>
      th.zx_vmo_op_range(w.vmo, ZX_VMO_OP_COMMIT, start * PAGE, count * PAGE, null, 0),
    );
  const zero = (offset: number, length: number) =>
    w.proc.startThread((th) => th.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, offset, length, null, 0));
  return { ...w, op, ranges, modified: modifiedNow, requests, commit, zero };
}

const BOTH = [
  ['TrapDirty', ZX_VMO_TRAP_DIRTY],
  ['NoTrapDirty', 0],
] as const;

describe('COMMIT of a dirty zero range', () => {
  it('on a TRAP_DIRTY VMO asks DIRTY for the zero pages first, then commits them dirty', async () => {
    const w = world(1, ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 4 * PAGE), ZX_OK);
    assert.deepEqual(w.ranges(4), [[1, 3, true]]);
    assert.equal(w.modified(), true);
    const t = w.commit(0, 3);
    await w.kernel.idle();
    assert.equal(threadState(w.sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    // The clean page 0 needs nothing; the zero pages within the range need dirtying.
    assert.deepEqual(w.requests(), [['DIRTY', 1, 2]]);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, P);
    expectStatus(w.op(ZX_PAGER_OP_DIRTY, 1, 2), ZX_OK);
    expectStatus((await t.done) as number, ZX_OK);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, 3n * P);
    assert.deepEqual(w.ranges(4), [
      [1, 2, false],
      [3, 1, true],
    ]);
    assert.deepEqual(readVmo(w.sys, w.vmo, 0, PAGE), diskPage(0));
    assert.deepEqual(readVmo(w.sys, w.vmo, PAGE, 3 * PAGE), new Uint8Array(3 * PAGE));
    assert.deepEqual(w.requests(), []);
    // A commit is not a write (the pager's OP_DIRTY is not either).
    assert.equal(w.modified(), false);
  });

  it('a zero range awaiting clean asks DIRTY too; END then leaves the committed pages dirty', async () => {
    const w = world(1, ZX_VMO_TRAP_DIRTY | ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 3 * PAGE), ZX_OK);
    const begin = ZX_PAGER_OP_WRITEBACK_BEGIN;
    expectStatus(w.op(begin, 1, 2, BigInt(ZX_VMO_DIRTY_RANGE_IS_ZERO)), ZX_OK);
    const t = w.commit(1, 1);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [['DIRTY', 1, 1]]);
    expectStatus(w.op(ZX_PAGER_OP_DIRTY, 1, 1), ZX_OK);
    expectStatus((await t.done) as number, ZX_OK);
    expectStatus(w.op(ZX_PAGER_OP_WRITEBACK_END, 1, 2), ZX_OK);
    assert.deepEqual(w.ranges(3), [[1, 1, false]]);
  });

  it('without TRAP_DIRTY commits the zero pages at once, dirty, without a request', () => {
    const w = world(1, ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, 3 * PAGE), ZX_OK);
    assert.equal(w.modified(), true);
    expectStatus(w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_COMMIT, 0, 3 * PAGE, null, 0), ZX_OK);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, 3n * P);
    assert.deepEqual(w.ranges(3), [[1, 2, false]]);
    assert.deepEqual(w.requests(), []);
    assert.equal(w.modified(), false);
  });
});

describe('ZERO meeting pins and writeback', () => {
  for (const [name, trap] of BOTH) {
    it(`OpZeroPinned${name}: a pinned page is cleared in place, dirtied first; the rest are zero ranges`, async () => {
      const w = world(3, trap | ZX_VMO_RESIZABLE);
      supplyDisk(w.sys, w.pager, w.vmo, 0, 2);
      const device = bti(w.kernel, w.proc);
      const pmt = out(0);
      const pin = w.sys.zx_bti_pin(
        device,
        ZX_BTI_PERM_READ,
        w.vmo,
        PAGE,
        PAGE,
        new Uint8Array(8),
        1,
        pmt,
      );
      expectStatus(pin, ZX_OK);
      expectStatus(w.sys.zx_vmo_set_size(w.vmo, 4 * PAGE), ZX_OK);
      assert.deepEqual(w.ranges(4), [[3, 1, true]]);
      const t = w.zero(0, 4 * PAGE);
      await w.kernel.idle();
      if (trap !== 0) {
        // Only the pinned page, which stays, needs dirtying: the others become zero ranges.
        assert.deepEqual(w.requests(), [['DIRTY', 1, 1]]);
        expectStatus(w.op(ZX_PAGER_OP_DIRTY, 1, 1), ZX_OK);
      }
      expectStatus((await t.done) as number, ZX_OK);
      assert.deepEqual(w.requests(), []);
      assert.deepEqual(readVmo(w.sys, w.vmo, 0, 4 * PAGE), new Uint8Array(4 * PAGE));
      assert.deepEqual(w.ranges(4), [
        [0, 1, true],
        [1, 1, false],
        [2, 2, true],
      ]);
      assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, P);
      expectStatus(w.sys.zx_pmt_unpin(pmt.value), ZX_OK);
    });

    it(`OpZeroWriteback${name}: ZERO next to a zero range awaiting clean makes it dirty again`, () => {
      const w = world(1, trap | ZX_VMO_RESIZABLE);
      supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
      expectStatus(w.sys.zx_vmo_set_size(w.vmo, 2 * PAGE), ZX_OK);
      assert.deepEqual(w.ranges(2), [[1, 1, true]]);
      const zeroRange = BigInt(ZX_VMO_DIRTY_RANGE_IS_ZERO);
      expectStatus(w.op(ZX_PAGER_OP_WRITEBACK_BEGIN, 1, 1, zeroRange), ZX_OK);
      expectStatus(w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, 0, PAGE, null, 0), ZX_OK);
      // The writeback began before the zero range grew: ending it cleans nothing.
      expectStatus(w.op(ZX_PAGER_OP_WRITEBACK_END, 1, 1), ZX_OK);
      assert.deepEqual(readVmo(w.sys, w.vmo, 0, 2 * PAGE), new Uint8Array(2 * PAGE));
      assert.deepEqual(w.ranges(2), [[0, 2, true]]);
      expectStatus(w.op(ZX_PAGER_OP_WRITEBACK_BEGIN, 0, 2, zeroRange), ZX_OK);
      expectStatus(w.op(ZX_PAGER_OP_WRITEBACK_END, 0, 2), ZX_OK);
      assert.deepEqual(w.ranges(2), []);
      assert.deepEqual(w.requests(), []);
    });
  }
});

describe('ZERO of partial pages, in upstream order', () => {
  for (const [name, trap] of BOTH) {
    // VmObjectPaged::ZeroPartialPage: "This is already considered zero so no need to
    // redundantly zero again" (PageWouldReadZeroLocked): nothing asked, committed or dirtied.
    it(`${name}: a partial page supplied as zero or in a dirty zero range is left alone`, () => {
      const w = world(1, trap | ZX_VMO_RESIZABLE);
      const aux = createVmo(w.sys, PAGE);
      expectStatus(w.sys.zx_pager_supply_pages(w.pager, w.vmo, 0n, P, aux, 0n), ZX_OK);
      expectStatus(w.sys.zx_vmo_set_size(w.vmo, 2 * PAGE), ZX_OK);
      expectStatus(w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, 8, 16, null, 0), ZX_OK);
      expectStatus(w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, PAGE + 8, 16, null, 0), ZX_OK);
      assert.deepEqual(w.requests(), []);
      assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, 0n);
      assert.deepEqual(w.ranges(2), [[1, 1, true]]);
    });
  }

  // ZeroRangeInternal zeroes the head page, then the whole pages, then the tail page, each
  // before looking at the next: a tail the detached pager cannot give fails the call after the
  // rest was zeroed.
  it('a tail page the detached pager cannot give fails after the head and whole pages', () => {
    const w = world(3, 0);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 2);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([7, 7]), PAGE - 2, 2), ZX_OK);
    expectStatus(w.sys.zx_vmo_write(w.vmo, new Uint8Array([9]), PAGE, 1), ZX_OK);
    expectStatus(w.sys.zx_pager_detach_vmo(w.pager, w.vmo), ZX_OK);
    const status = w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_ZERO, PAGE - 1, PAGE + 2, null, 0);
    expectStatus(status, ZX_ERR_BAD_STATE);
    assert.deepEqual(readVmo(w.sys, w.vmo, PAGE - 2, 2), new Uint8Array([7, 0]));
    assert.deepEqual(readVmo(w.sys, w.vmo, PAGE, PAGE), new Uint8Array(PAGE));
    assert.deepEqual(w.ranges(3), [
      [0, 1, false],
      [1, 1, true],
    ]);
  });
});

describe('a shrink overtaking a waiting operation', () => {
  it('Pager.ResizeCommitTest: the commit keeps waiting for the pages left, then succeeds', async () => {
    const w = world(3, ZX_VMO_RESIZABLE);
    const t = w.commit(0, 3);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [['READ', 0, 3]]);
    // Supply one of the pages the shrink will remove.
    supplyDisk(w.sys, w.pager, w.vmo, 2, 1);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, PAGE), ZX_OK);
    await w.kernel.idle();
    // Still blocked: page 0 is still outstanding, the shrink answered only the pages it cut.
    assert.equal(threadState(w.sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    expectStatus((await t.done) as number, ZX_OK);
    assert.deepEqual(w.requests(), []);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, P);
  });

  it('a commit whose whole range the shrink cut succeeds with nothing to do', async () => {
    const w = world(4, ZX_VMO_RESIZABLE);
    const t = w.commit(2, 2);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [['READ', 2, 2]]);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, PAGE), ZX_OK);
    expectStatus((await t.done) as number, ZX_OK);
    assert.deepEqual(w.requests(), []);
    assert.equal(vmoInfo(w.sys, w.vmo).committed_bytes, 0n);
  });

  it('the host, which does not wait, still gets OUT_OF_RANGE once its range is past the end', () => {
    const w = world(4, ZX_VMO_RESIZABLE);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, PAGE), ZX_OK);
    const status = w.sys.zx_vmo_op_range(w.vmo, ZX_VMO_OP_COMMIT, 0, 2 * PAGE, null, 0);
    expectStatus(status, ZX_ERR_OUT_OF_RANGE);
  });

  it('OpZeroResize: a ZERO that waited for a page the shrink cut is OUT_OF_RANGE', async () => {
    const w = world(4, ZX_VMO_RESIZABLE);
    supplyDisk(w.sys, w.pager, w.vmo, 0, 1);
    const t1 = w.zero(PAGE + 8, 2 * PAGE);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [['READ', 1, 1]]);
    const t2 = w.zero(2 * PAGE, PAGE - 8);
    await w.kernel.idle();
    assert.deepEqual(w.requests(), [['READ', 2, 1]]);
    expectStatus(w.sys.zx_vmo_set_size(w.vmo, PAGE), ZX_OK);
    expectStatus((await t1.done) as number, ZX_ERR_OUT_OF_RANGE);
    expectStatus((await t2.done) as number, ZX_ERR_OUT_OF_RANGE);
    assert.deepEqual(readVmo(w.sys, w.vmo, 0, PAGE), diskPage(0));
    assert.deepEqual(w.requests(), []);
  });
});
