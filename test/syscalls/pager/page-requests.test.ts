// Page requests of pager-backed VMOs: what the kernel asks of the pager, when, and what the
// waiting threads see. Translated from zircon/system/utest/core/pager/pager.cc (test names in
// the comments); each upstream thread is a zx thread here, the pager is the host.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_VMO_COMPLETE,
  ZX_THREAD_STATE_BLOCKED_PAGER,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMAR_OP_COMMIT,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from '../../../src/abi/constants.ts';
import type { Process } from '../../../src/process.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { createVmo, expectStatus, PAGE, readVmo, vmoInfo } from '../../helpers.ts';
import { threadState } from '../ipc-helpers.ts';
import { map } from '../vmar/vmar-helpers.ts';
import {
  dirtyRanges,
  diskPage,
  pagerWorld,
  readRequest,
  supplyDisk,
  takeRequests,
} from './pager-helpers.ts';

const KEY = 0x5eedn;

const setup = (pages: number, options = 0) => pagerWorld(KEY, pages, options);
const read = (offset: number, length: number) => readRequest(KEY, offset, length);

/** Disk pages [start, start + count), concatenated. */
function diskPages(start: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count * PAGE);
  for (let i = 0; i < count; i++) bytes.set(diskPage(start + i), i * PAGE);
  return bytes;
}

/** A thread reading pages [start, start + count) with zx_vmo_read: its status and bytes. */
function readerThread(proc: Process, vmo: number, start: number, count: number) {
  const buf = new Uint8Array(count * PAGE);
  const t = proc.startThread(async (th) => {
    const status = await th.zx_vmo_read(vmo, buf, start * PAGE, count * PAGE);
    return { status, buf };
  });
  return { handle: t.handle, done: t.done as Promise<{ status: number; buf: Uint8Array }> };
}

/** A thread committing pages [start, start + count): its status. */
function committerThread(proc: Process, vmo: number, start: number, count: number) {
  const t = proc.startThread((th) =>
    th.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, start * PAGE, count * PAGE, null, 0),
  );
  return { handle: t.handle, done: t.done as Promise<number> };
}

/** A thread loading pages [start, start + count) through a read mapping at `addr`. */
function loaderThread(proc: Process, addr: bigint, start: number, count: number) {
  const buf = new Uint8Array(count * PAGE);
  const t = proc.startThread(async (th) => {
    const status = await th.load(addr + BigInt(start * PAGE), buf);
    return { status, buf };
  });
  return { handle: t.handle, done: t.done as Promise<{ status: number; buf: Uint8Array }> };
}

function failRange(
  sys: Syscalls,
  pager: number,
  vmo: number,
  start: number,
  count: number,
  status: number,
) {
  const data = BigInt.asUintN(64, BigInt(status));
  const result = sys.zx_pager_op_range(
    pager,
    ZX_PAGER_OP_FAIL,
    vmo,
    BigInt(start * PAGE),
    BigInt(count * PAGE),
    data,
  );
  expectStatus(result, ZX_OK, 'zx_pager_op_range(FAIL)');
}

describe('page requests: reads', () => {
  // Pager.SinglePageTest (both the vmo and the vmar variants)
  it('a thread reading a missing page is BLOCKED_PAGER until it is supplied', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(1);
    const viaRead = readerThread(proc, vmo, 0, 1);
    await kernel.idle();
    assert.equal(threadState(sys, viaRead.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    assert.deepEqual(takeRequests(sys, port), [read(0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    assert.deepEqual(await viaRead.done, { status: ZX_OK, buf: diskPage(0) });

    const second = setup(1);
    const addr = map(second.sys, second.proc.rootVmar, ZX_VM_PERM_READ, 0, second.vmo, 0, PAGE);
    const viaMapping = loaderThread(second.proc, addr, 0, 1);
    await second.kernel.idle();
    assert.equal(threadState(second.sys, viaMapping.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    assert.deepEqual(takeRequests(second.sys, second.port), [read(0, 1)]);
    supplyDisk(second.sys, second.pager, second.vmo, 0, 1);
    assert.deepEqual(await viaMapping.done, { status: ZX_OK, buf: diskPage(0) });
  });

  it('the host reading a missing page sends the request and gets SHOULD_WAIT', () => {
    const { sys, pager, port, vmo } = setup(2);
    const buf = new Uint8Array(PAGE);
    expectStatus(sys.zx_vmo_read(vmo, buf, PAGE, PAGE), ZX_ERR_SHOULD_WAIT);
    // Asking again joins the outstanding request: no second packet.
    expectStatus(sys.zx_vmo_read(vmo, buf, PAGE, PAGE), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(takeRequests(sys, port), [read(1, 1)]);
    supplyDisk(sys, pager, vmo, 1, 1);
    assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), diskPage(1));
  });

  // Pager.UncommittedSinglePageTest
  it('a page supplied from an uncommitted aux page reads as zeros', async () => {
    const { kernel, proc, sys, pager, vmo } = setup(1);
    const t = readerThread(proc, vmo, 0, 1);
    await kernel.idle();
    const empty = createVmo(sys, PAGE);
    expectStatus(sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(PAGE), empty, 0n), ZX_OK);
    assert.deepEqual(await t.done, { status: ZX_OK, buf: new Uint8Array(PAGE) });
  });

  // Pager.PresupplyTest
  it('pages supplied before they are read send no request', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(1);
    supplyDisk(sys, pager, vmo, 0, 1);
    const t = readerThread(proc, vmo, 0, 1);
    await kernel.idle();
    assert.deepEqual(await t.done, { status: ZX_OK, buf: diskPage(0) });
    assert.deepEqual(takeRequests(sys, port), []);
  });

  // Pager.EarlySupplyTest
  it('a supply before the pager read the packet withdraws it', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(2);
    const t1 = readerThread(proc, vmo, 0, 1);
    await kernel.idle();
    supplyDisk(sys, pager, vmo, 0, 1);
    assert.equal((await t1.done).status, ZX_OK);
    const t2 = readerThread(proc, vmo, 1, 1);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(1, 1)]);
    supplyDisk(sys, pager, vmo, 1, 1);
    assert.equal((await t2.done).status, ZX_OK);
  });

  // Pager.SequentialMultipageTest: zx_vmo_read asks for the whole run; a mapping page by page.
  it('a read asks for all its missing pages at once; faults through a mapping one page each', async () => {
    const pages = 32;
    const { kernel, proc, sys, pager, port, vmo } = setup(pages);
    const t = readerThread(proc, vmo, 0, pages);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, pages)]);
    supplyDisk(sys, pager, vmo, 0, pages);
    assert.deepEqual(await t.done, { status: ZX_OK, buf: diskPages(0, pages) });

    const m = setup(pages);
    const addr = map(m.sys, m.proc.rootVmar, ZX_VM_PERM_READ, 0, m.vmo, 0, pages * PAGE);
    const loader = loaderThread(m.proc, addr, 0, pages);
    for (let i = 0; i < pages; i++) {
      await m.kernel.idle();
      assert.deepEqual(takeRequests(m.sys, m.port), [read(i, 1)]);
      supplyDisk(m.sys, m.pager, m.vmo, i, 1);
    }
    assert.deepEqual(await loader.done, { status: ZX_OK, buf: diskPages(0, pages) });
  });

  // Pager.ConcurrentMultipageAccessTest, Pager.ConcurrentOverlappingAccessTest
  it('threads waiting on one page share one request; one supply wakes them all', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(2);
    const threads = Array.from({ length: 32 }, () => readerThread(proc, vmo, 0, 1));
    const other = readerThread(proc, vmo, 1, 1);
    await kernel.idle();
    for (const t of threads)
      assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    assert.deepEqual(takeRequests(sys, port), [read(0, 1), read(1, 1)]);
    supplyDisk(sys, pager, vmo, 0, 2);
    for (const t of threads) assert.deepEqual(await t.done, { status: ZX_OK, buf: diskPage(0) });
    assert.deepEqual(await other.done, { status: ZX_OK, buf: diskPage(1) });
    assert.deepEqual(takeRequests(sys, port), []);
  });

  // Pager.OverlapSupplyTest
  it('a supply does not overwrite pages already present', () => {
    const { sys, pager, vmo } = setup(2);
    const alt = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_write(alt, diskPage(9), 0, PAGE), ZX_OK);
    expectStatus(sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(PAGE), alt, 0n), ZX_OK);
    supplyDisk(sys, pager, vmo, 0, 2);
    assert.deepEqual(
      readVmo(sys, vmo, 0, 2 * PAGE),
      new Uint8Array([...diskPage(9), ...diskPage(1)]),
    );
    assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(2 * PAGE));
  });

  // Pager.VmarMapRangeTest
  it('ZX_VM_MAP_RANGE maps what is present and asks for nothing', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 1);
    const addr = map(sys, proc.rootVmar, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE, 0, vmo, 0, 2 * PAGE);
    assert.deepEqual(takeRequests(sys, port), []);
    const t = loaderThread(proc, addr, 0, 2);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(1, 1)]);
    supplyDisk(sys, pager, vmo, 1, 1);
    assert.deepEqual(await t.done, { status: ZX_OK, buf: diskPages(0, 2) });
  });
});

describe('page requests: commit, prefetch and friends', () => {
  // Pager.SimpleCommitTest
  it('COMMIT of 555 pages sends one request for all of them', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(555);
    const t = committerThread(proc, vmo, 0, 555);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 555)]);
    supplyDisk(sys, pager, vmo, 0, 555);
    expectStatus(await t.done, ZX_OK);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(555 * PAGE));
  });

  // Pager.SplitCommitTest / PresentPageSplitsRange: a present page splits the requests.
  it('a present page in the middle splits COMMIT into two requests, the second sent later', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(8);
    supplyDisk(sys, pager, vmo, 4, 1);
    const t = committerThread(proc, vmo, 0, 8);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 4)]);
    supplyDisk(sys, pager, vmo, 0, 4);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(5, 3)]);
    supplyDisk(sys, pager, vmo, 5, 3);
    expectStatus(await t.done, ZX_OK);
  });

  // Pager.OverlapCommitTest: a request running into an outstanding one is cut where it begins.
  it('a request that would overlap an outstanding one stops where that one starts', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(4);
    const first = readerThread(proc, vmo, 2, 2);
    await kernel.idle();
    const second = committerThread(proc, vmo, 0, 4);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(2, 2), read(0, 2)]);
    supplyDisk(sys, pager, vmo, 0, 4);
    assert.equal((await first.done).status, ZX_OK);
    expectStatus(await second.done, ZX_OK);
  });

  it('an 8-byte read across two pages asks for both', () => {
    const { sys, port, vmo } = setup(4);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(8), PAGE - 4, 8), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(takeRequests(sys, port), [read(0, 2)]);
  });

  it('PREFETCH, ALWAYS_NEED and zx_vmar_op_range COMMIT take the same path', () => {
    const { proc, sys, port, vmo } = setup(8);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_PREFETCH, 1, 10, null, 0), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(takeRequests(sys, port), [read(0, 1)]);
    expectStatus(
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ALWAYS_NEED, 2 * PAGE, PAGE, null, 0),
      ZX_ERR_SHOULD_WAIT,
    );
    assert.deepEqual(takeRequests(sys, port), [read(2, 1)]);
    const addr = map(sys, proc.rootVmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, 8 * PAGE);
    const status = sys.zx_vmar_op_range(
      proc.rootVmar,
      ZX_VMAR_OP_COMMIT,
      addr + BigInt(4 * PAGE),
      2 * PAGE,
      null,
      0,
    );
    expectStatus(status, ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(takeRequests(sys, port), [read(4, 2)]);
  });

  it('zx_vmo_transfer_data out of a pager-backed VMO waits for its pages first', () => {
    const { sys, pager, port, vmo } = setup(2);
    const dst = createVmo(sys, 2 * PAGE);
    expectStatus(
      sys.zx_vmo_transfer_data(dst, 0, 0n, BigInt(2 * PAGE), vmo, 0n),
      ZX_ERR_SHOULD_WAIT,
    );
    assert.deepEqual(takeRequests(sys, port), [read(0, 2)]);
    supplyDisk(sys, pager, vmo, 0, 2);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0n, BigInt(2 * PAGE), vmo, 0n), ZX_OK);
    assert.deepEqual(readVmo(sys, dst, 0, 2 * PAGE), diskPages(0, 2));
  });

  // Pager.DecommitTest
  it('DECOMMIT of a pager-backed VMO is NOT_SUPPORTED', () => {
    const { sys, pager, vmo } = setup(1);
    supplyDisk(sys, pager, vmo, 0, 1);
    expectStatus(
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0),
      ZX_ERR_NOT_SUPPORTED,
    );
  });
});

describe('page requests: failing, detaching, shrinking', () => {
  // Pager.FailSinglePage (vmo and vmar), Pager.FailErrorCode
  it('FAIL ends the request: the read returns the status, the fault returns it too', async () => {
    for (const code of [
      ZX_ERR_IO,
      ZX_ERR_IO_DATA_INTEGRITY,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NO_SPACE,
      ZX_ERR_BUFFER_TOO_SMALL,
    ]) {
      const { kernel, proc, sys, pager, port, vmo } = setup(2);
      const reader = readerThread(proc, vmo, 0, 1);
      const addr = map(sys, proc.rootVmar, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PAGE);
      const loader = loaderThread(proc, addr, 1, 1);
      await kernel.idle();
      assert.deepEqual(takeRequests(sys, port), [read(0, 1), read(1, 1)]);
      failRange(sys, pager, vmo, 0, 2, code);
      assert.equal((await reader.done).status, code);
      assert.equal((await loader.done).status, code);
    }
  });

  // A FAIL answering a request whose packet still waits in the port withdraws it.
  it('a FAIL before the pager read the packet withdraws it; a FAIL elsewhere changes nothing', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(4);
    const t = readerThread(proc, vmo, 1, 2);
    await kernel.idle();
    failRange(sys, pager, vmo, 3, 1, ZX_ERR_IO);
    assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    failRange(sys, pager, vmo, 0, 2, ZX_ERR_IO);
    assert.equal((await t.done).status, ZX_ERR_IO);
    assert.deepEqual(takeRequests(sys, port), []);
  });

  // Pager.DetachPageCompleteTest, Pager.DecommitOnDetachTest, Pager.ReadDetachInterruptLateTest
  it('detach fails waiters with BAD_STATE, sends COMPLETE, and drops the pages', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 1);
    const t = readerThread(proc, vmo, 1, 1);
    await kernel.idle();
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    assert.equal((await t.done).status, ZX_ERR_BAD_STATE);
    assert.deepEqual(takeRequests(sys, port), [
      { key: KEY, command: ZX_PAGER_VMO_COMPLETE, offset: 0, length: 0 },
    ]);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 0n);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(PAGE), 0, PAGE), ZX_ERR_BAD_STATE);
  });

  // Pager.ClosePagerTest, Pager.ReadCloseInterruptEarlyTest
  it('closing the pager fails waiters; what was supplied stays readable', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 1);
    const t = readerThread(proc, vmo, 1, 1);
    await kernel.idle();
    expectStatus(sys.zx_handle_close(pager), ZX_OK);
    assert.equal((await t.done).status, ZX_ERR_BAD_STATE);
    assert.deepEqual(takeRequests(sys, port), []);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), diskPage(0));
  });

  // Pager.ClosePortTest
  it('closing the port loses the requests; supplies still work; a detach fails the waiter', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(2);
    const t = readerThread(proc, vmo, 0, 1);
    await kernel.idle();
    expectStatus(sys.zx_handle_close(port), ZX_OK);
    supplyDisk(sys, pager, vmo, 1, 1);
    assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), diskPage(1));
    assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    assert.equal((await t.done).status, ZX_ERR_BAD_STATE);
  });

  // Pager.ClosePageCompleteTest
  it('closing the VMO sends COMPLETE', () => {
    const { sys, port, vmo } = setup(1);
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    assert.deepEqual(takeRequests(sys, port), [
      { key: KEY, command: ZX_PAGER_VMO_COMPLETE, offset: 0, length: 0 },
    ]);
  });

  // Pager.ReadResizeTest (vmo and vmar)
  it('shrinking the VMO under a waiting read makes it OUT_OF_RANGE, through a mapping too', async () => {
    const { kernel, proc, sys, port, vmo } = setup(4, ZX_VMO_RESIZABLE);
    const t = readerThread(proc, vmo, 2, 2);
    await kernel.idle();
    expectStatus(sys.zx_vmo_set_size(vmo, BigInt(PAGE)), ZX_OK);
    assert.equal((await t.done).status, ZX_ERR_OUT_OF_RANGE);
    // The request's packet, still queued, was withdrawn.
    assert.deepEqual(takeRequests(sys, port), []);

    const m = setup(1, ZX_VMO_RESIZABLE);
    const addr = map(m.sys, m.proc.rootVmar, ZX_VM_PERM_READ, 0, m.vmo, 0, PAGE);
    const loader = loaderThread(m.proc, addr, 0, 1);
    await m.kernel.idle();
    expectStatus(m.sys.zx_vmo_set_size(m.vmo, 0n), ZX_OK);
    assert.equal((await loader.done).status, ZX_ERR_OUT_OF_RANGE);
  });

  // Pager.DetachNonMappingAccess
  it('a read striding two pages: one supplied, then a detach fails it with BAD_STATE', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(2);
    const t = proc.startThread((th) => th.zx_vmo_read(vmo, new Uint8Array(8), PAGE - 4, 8));
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 2)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    await kernel.idle();
    assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    expectStatus((await t.done) as number, ZX_ERR_BAD_STATE);
    assert.deepEqual(
      takeRequests(sys, port).map((r) => r.command),
      [ZX_PAGER_VMO_COMPLETE],
    );
  });

  // Pager.FailAfterDetach, Pager.SupplyAfterFail
  it('FAIL after a detach is BAD_STATE; a supply after a FAIL serves the next request', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(11);
    const t1 = committerThread(proc, vmo, 0, 11);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 11)]);
    failRange(sys, pager, vmo, 0, 11, ZX_ERR_IO);
    expectStatus(await t1.done, ZX_ERR_IO);
    const t2 = committerThread(proc, vmo, 0, 11);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 11)]);
    supplyDisk(sys, pager, vmo, 0, 11);
    expectStatus(await t2.done, ZX_OK);
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    const io = BigInt.asUintN(64, BigInt(ZX_ERR_IO));
    const status = sys.zx_pager_op_range(pager, ZX_PAGER_OP_FAIL, vmo, 0n, BigInt(PAGE), io);
    expectStatus(status, ZX_ERR_BAD_STATE);
  });

  // Pager.FailRedundant
  it('failing the request page by page: the first FAIL ends it, the rest do nothing', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(11);
    const t = committerThread(proc, vmo, 0, 11);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 11)]);
    for (let i = 0; i < 11; i++) failRange(sys, pager, vmo, i, 1, ZX_ERR_IO);
    expectStatus(await t.done, ZX_ERR_IO);
    assert.deepEqual(takeRequests(sys, port), []);
  });

  // Pager.FailEarlyWake
  it('after an early wake the next needed page is what a FAIL must hit', async () => {
    const { kernel, proc, sys, pager, vmo } = setup(3);
    const t = readerThread(proc, vmo, 0, 3);
    await kernel.idle();
    supplyDisk(sys, pager, vmo, 0, 1);
    await kernel.idle();
    assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    failRange(sys, pager, vmo, 1, 1, ZX_ERR_IO);
    assert.equal((await t.done).status, ZX_ERR_IO);
  });

  // Pager.FailOverlapRequest
  it('a FAIL of a page an overlapping reader needs fails it once the request completes', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(4);
    const t1 = readerThread(proc, vmo, 0, 4);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 4)]);
    const t2 = readerThread(proc, vmo, 1, 1);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), []);
    failRange(sys, pager, vmo, 1, 1, ZX_ERR_IO);
    supplyDisk(sys, pager, vmo, 0, 1);
    await kernel.idle();
    assert.equal(threadState(sys, t1.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    assert.equal(threadState(sys, t2.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    supplyDisk(sys, pager, vmo, 2, 2);
    assert.equal((await t2.done).status, ZX_ERR_IO);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(1, 1)]);
    supplyDisk(sys, pager, vmo, 1, 3);
    assert.deepEqual(await t1.done, { status: ZX_OK, buf: diskPages(0, 4) });
  });

  // Pager.FailOverlappingRangeCommit
  it('a FAIL racing an early wake: the woken commit asks again and fails on the second FAIL', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(11);
    const t1 = committerThread(proc, vmo, 0, 2);
    await kernel.idle();
    const t2 = committerThread(proc, vmo, 9, 2);
    await kernel.idle();
    const t3 = committerThread(proc, vmo, 5, 2);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 2), read(9, 2), read(5, 2)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    failRange(sys, pager, vmo, 1, 9, ZX_ERR_IO);
    supplyDisk(sys, pager, vmo, 10, 1);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(1, 1)]);
    failRange(sys, pager, vmo, 1, 9, ZX_ERR_IO);
    expectStatus(await t1.done, ZX_ERR_IO);
    expectStatus(await t2.done, ZX_ERR_IO);
    expectStatus(await t3.done, ZX_ERR_IO);
    assert.deepEqual(takeRequests(sys, port), []);
  });

  // No upstream test name checked: /work/shared/ZIRCON-FACTS.md, "Growing exposes zero pages
  // that need no request" (a dirty zero range in vm_cow_pages.cc).
  it('growing a pager-backed VMO exposes zero pages that ask nothing of the pager', () => {
    const { sys, pager, port, vmo } = setup(1, ZX_VMO_RESIZABLE);
    supplyDisk(sys, pager, vmo, 0, 1);
    expectStatus(sys.zx_vmo_set_size(vmo, BigInt(3 * PAGE)), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, PAGE, 2 * PAGE), new Uint8Array(2 * PAGE));
    assert.deepEqual(takeRequests(sys, port), []);
    // A supply does not overwrite them: they are the VMO's own zeros.
    supplyDisk(sys, pager, vmo, 1, 2);
    assert.deepEqual(readVmo(sys, vmo, PAGE, 2 * PAGE), new Uint8Array(2 * PAGE));
    // Shrinking and growing again: the page cut off comes back as zeros too.
    expectStatus(sys.zx_vmo_set_size(vmo, 0n), ZX_OK);
    expectStatus(sys.zx_vmo_set_size(vmo, BigInt(PAGE)), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), new Uint8Array(PAGE));
    assert.deepEqual(takeRequests(sys, port), []);
  });

  // No upstream test name checked: ZIRCON-FACTS.md, "Detach ... decommits clean pages, keeps
  // dirty ones" (writes dirty pages silently without TRAP_DIRTY).
  it('detach drops clean pages and keeps the ones written since they were supplied', () => {
    const { sys, pager, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 2);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array([42]), PAGE, 1), ZX_OK);
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(PAGE));
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(1), 0, 1), ZX_ERR_BAD_STATE);
    assert.deepEqual(readVmo(sys, vmo, PAGE, 1), new Uint8Array([42]));
  });

  // Upstream VmCowPages::DetachSource: "A marker is a clean zero page. Replace it with an empty
  // slot." A page supplied as zero (the aux VMO had none there) goes like any clean page; the
  // zeros past the stream size are not markers and stay.
  it('detach drops pages supplied as zero too: reading them is BAD_STATE', () => {
    const { sys, pager, vmo } = setup(3);
    const aux = createVmo(sys, 2 * PAGE);
    expectStatus(sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(2 * PAGE), aux, 0n), ZX_OK);
    supplyDisk(sys, pager, vmo, 2, 1);
    assert.deepEqual(readVmo(sys, vmo, 0, 2 * PAGE), new Uint8Array(2 * PAGE));
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    for (const page of [0, 1, 2]) {
      expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(1), page * PAGE, 1), ZX_ERR_BAD_STATE);
    }
  });

  // Upstream LookupCursor::TargetZeroContentSupplyDirty: "Markers start clean": committing a
  // page supplied as zero allocates a clean zero page, asking nothing even on TRAP_DIRTY; it is
  // then a clean page like any other (not dirty, dropped on detach).
  it('COMMIT of pages supplied as zero makes clean zero pages, asking nothing', () => {
    const { sys, pager, port, vmo } = setup(2, ZX_VMO_TRAP_DIRTY);
    const aux = createVmo(sys, 2 * PAGE);
    expectStatus(sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(2 * PAGE), aux, 0n), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 0n);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, 2 * PAGE, null, 0), ZX_OK);
    assert.deepEqual(takeRequests(sys, port), []);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(2 * PAGE));
    assert.deepEqual(dirtyRanges(sys, pager, vmo, 2), []);
    assert.deepEqual(readVmo(sys, vmo, 0, 2 * PAGE), new Uint8Array(2 * PAGE));
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 0n);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(1), 0, 1), ZX_ERR_BAD_STATE);
  });

  // ZIRCON-FACTS.md: "ZX_VMO_OP_ZERO turns whole pages into dirty zero ranges"; partial pages
  // need their content first.
  it('ZERO of whole pages asks nothing and reads zero; a partial page is fetched first', () => {
    const { sys, pager, port, vmo } = setup(3);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 0, 2 * PAGE, null, 0), ZX_OK);
    assert.deepEqual(takeRequests(sys, port), []);
    assert.deepEqual(readVmo(sys, vmo, 0, 2 * PAGE), new Uint8Array(2 * PAGE));
    expectStatus(
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 2 * PAGE, 8, null, 0),
      ZX_ERR_SHOULD_WAIT,
    );
    assert.deepEqual(takeRequests(sys, port), [read(2, 1)]);
    supplyDisk(sys, pager, vmo, 2, 1);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 2 * PAGE, 8, null, 0), ZX_OK);
    const expected = diskPage(2);
    expected.fill(0, 0, 8);
    assert.deepEqual(readVmo(sys, vmo, 2 * PAGE, PAGE), expected);
  });
});
