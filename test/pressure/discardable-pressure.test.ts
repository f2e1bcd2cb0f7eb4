// Discardable VMOs under memory pressure: a small kernel, discardable VMOs locked, filled and
// unlocked in a known order, then RAM filled by COMMITs of a regular VMO. The kernel must
// discard whole VMOs, least recently unlocked first and only as many as the allocation needs;
// leave locked and never-locked VMOs alone; fail with ZX_ERR_NO_MEMORY (changing nothing) only
// when nothing reclaimable is left; and report a discard to the next LOCK. With a reclaim
// watermark it reclaims early, to keep that much memory free.
// (docs/zircon-notes/vmo-syscalls.md §7.5 and §10.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_UNAVAILABLE,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_STATUS_NAMES,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
} from '../../src/abi/constants.ts';
import {
  decodeZxInfoKmemStats,
  decodeZxInfoVmo,
  decodeZxVmoLockState,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_VMO_SIZE,
  ZX_VMO_LOCK_STATE_SIZE,
  type ZxInfoKmemStats,
  type ZxVmoLockState,
} from '../../src/abi/structs.ts';
import { Kernel } from '../../src/kernel.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';

const PAGE = 4096;
const MIB = 1024 * 1024;

function expectStatus(actual: number, expected: number, what: string): void {
  const name = (s: number) => ZX_STATUS_NAMES[s] ?? String(s);
  assert.equal(name(actual), name(expected), what);
}

/** One kernel, one process, and what the tests keep asking of them. */
class Machine {
  readonly sys: Syscalls;
  private readonly resource: number;

  constructor(memoryBytes: number, reclaimWatermarkBytes?: number) {
    const kernel = new Kernel({ memoryBytes, reclaimWatermarkBytes });
    const proc = kernel.createProcess({ name: 'pressure' });
    this.sys = proc.syscalls;
    this.resource = kernel.grantSystemResource(proc);
  }

  kmem(): ZxInfoKmemStats {
    const buffer = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
    const status = this.sys.zx_object_get_info(
      this.resource,
      ZX_INFO_KMEM_STATS,
      buffer,
      buffer.length,
      null,
      null,
    );
    expectStatus(status, ZX_OK, 'ZX_INFO_KMEM_STATS');
    return decodeZxInfoKmemStats(buffer);
  }

  freePages(): number {
    return Number(this.kmem().free_bytes) / PAGE;
  }

  /** Discardable bytes by state, in pages. */
  discardablePages(): { locked: number; unlocked: number } {
    const stats = this.kmem();
    return {
      locked: Number(stats.vmo_discardable_locked_bytes) / PAGE,
      unlocked: Number(stats.vmo_discardable_unlocked_bytes) / PAGE,
    };
  }

  create(pages: number, options = 0): number {
    const out = { value: 0 };
    expectStatus(this.sys.zx_vmo_create(pages * PAGE, options, out), ZX_OK, 'zx_vmo_create');
    return out.value;
  }

  /** A discardable VMO, locked, every page written with `fill`; left locked. */
  filledDiscardable(pages: number, fill: number): number {
    const vmo = this.create(pages, ZX_VMO_DISCARDABLE);
    expectStatus(this.lock(vmo, pages).status, ZX_OK, 'LOCK');
    this.write(vmo, pages, fill);
    return vmo;
  }

  write(vmo: number, pages: number, fill: number): void {
    const bytes = new Uint8Array(pages * PAGE).fill(fill);
    expectStatus(this.sys.zx_vmo_write(vmo, bytes, 0, bytes.length), ZX_OK, 'zx_vmo_write');
  }

  /** zx_vmo_read of the whole VMO: the status and the bytes. */
  read(vmo: number, pages: number): { status: number; bytes: Uint8Array } {
    const bytes = new Uint8Array(pages * PAGE);
    return { status: this.sys.zx_vmo_read(vmo, bytes, 0, bytes.length), bytes };
  }

  /** Asserts that every byte of the VMO reads as `fill`. */
  expectContents(vmo: number, pages: number, fill: number, what: string): void {
    const { status, bytes } = this.read(vmo, pages);
    expectStatus(status, ZX_OK, `read ${what}`);
    assert.ok(
      bytes.every((b) => b === fill),
      `${what}: every byte should read ${fill}`,
    );
  }

  /** Asserts that the VMO was discarded: TRY_LOCK is UNAVAILABLE, reads NOT_FOUND. */
  expectDiscarded(vmo: number, pages: number, what: string): void {
    expectStatus(this.op(vmo, ZX_VMO_OP_TRY_LOCK, 0, pages * PAGE), ZX_ERR_UNAVAILABLE, what);
    expectStatus(this.read(vmo, pages).status, ZX_ERR_NOT_FOUND, `read of discarded ${what}`);
    assert.equal(this.info(vmo).committed_bytes, 0n, `${what} holds no pages`);
  }

  op(vmo: number, op: number, offset: number, size: number): number {
    return this.sys.zx_vmo_op_range(vmo, op, offset, size, null, 0);
  }

  lock(vmo: number, pages: number): { status: number; state: ZxVmoLockState } {
    const buffer = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
    const status = this.sys.zx_vmo_op_range(
      vmo,
      ZX_VMO_OP_LOCK,
      0,
      pages * PAGE,
      buffer,
      buffer.length,
    );
    return { status, state: decodeZxVmoLockState(buffer) };
  }

  unlock(vmo: number, pages: number): void {
    expectStatus(this.op(vmo, ZX_VMO_OP_UNLOCK, 0, pages * PAGE), ZX_OK, 'UNLOCK');
  }

  commit(vmo: number, firstPage: number, pages: number): number {
    return this.op(vmo, ZX_VMO_OP_COMMIT, firstPage * PAGE, pages * PAGE);
  }

  info(vmo: number) {
    const buffer = new Uint8Array(ZX_INFO_VMO_SIZE);
    const status = this.sys.zx_object_get_info(vmo, ZX_INFO_VMO, buffer, buffer.length, null, null);
    expectStatus(status, ZX_OK, 'ZX_INFO_VMO');
    return decodeZxInfoVmo(buffer);
  }

  committedPages(vmo: number): number {
    return Number(this.info(vmo).committed_bytes) / PAGE;
  }

  close(...handles: number[]): void {
    for (const handle of handles) expectStatus(this.sys.zx_handle_close(handle), ZX_OK, 'close');
  }
}

describe('discardable VMOs under memory pressure', () => {
  it('discards whole VMOs oldest unlock first, spares locked and never-locked ones, then fails', () => {
    const m = new Machine(4 * MIB, 0);
    const startFree = m.freePages();
    const D = 64; // pages in each unlocked discardable VMO
    const first = m.filledDiscardable(D, 0x11);
    const second = m.filledDiscardable(D, 0x22);
    const third = m.filledDiscardable(D, 0x33);
    const kept = m.filledDiscardable(32, 0x44); // stays locked
    const never = m.create(32, ZX_VMO_DISCARDABLE); // never locked
    m.write(never, 32, 0x55);
    assert.deepEqual(m.discardablePages(), { locked: 3 * D + 32, unlocked: 0 });
    // Unlocked in an order unlike creation: second, first, third.
    m.unlock(second, D);
    m.unlock(first, D);
    m.unlock(third, D);
    // The never-locked VMO counts as neither locked nor unlocked.
    assert.deepEqual(m.discardablePages(), { locked: 32, unlocked: 3 * D });

    // Fill RAM exactly: nothing is reclaimed while the allocation fits.
    const big = m.create(1024);
    const free = m.freePages();
    assert.equal(free, startFree - 3 * D - 64);
    expectStatus(m.commit(big, 0, free), ZX_OK, 'COMMIT of every free page');
    assert.equal(m.freePages(), 0);
    assert.deepEqual(m.discardablePages(), { locked: 32, unlocked: 3 * D });
    m.expectContents(second, D, 0x22, 'second, before any pressure');

    // One more page: the VMO unlocked longest ago (second) goes, whole, and only it.
    let committed = free;
    expectStatus(m.commit(big, committed, 1), ZX_OK, 'COMMIT needing one page');
    committed += 1;
    assert.equal(m.freePages(), D - 1, 'exactly one VMO discarded');
    assert.deepEqual(m.discardablePages(), { locked: 32, unlocked: 2 * D });
    m.expectContents(first, D, 0x11, 'first, unlocked later');
    m.expectContents(third, D, 0x33, 'third, unlocked last');
    m.expectDiscarded(second, D, 'second');
    assert.equal(m.info(second).committed_change_events, 1n);

    // More than is free: first goes next (it was unlocked before third).
    expectStatus(m.commit(big, committed, D), ZX_OK, 'COMMIT needing a second VMO');
    committed += D;
    m.expectDiscarded(first, D, 'first');
    m.expectContents(third, D, 0x33, 'third, still there');
    assert.equal(m.freePages(), D - 1);
    expectStatus(m.commit(big, committed, D), ZX_OK, 'COMMIT needing the third VMO');
    committed += D;
    m.expectDiscarded(third, D, 'third');
    assert.deepEqual(m.discardablePages(), { locked: 32, unlocked: 0 });

    // Nothing reclaimable is left: NO_MEMORY, and the failed COMMIT changed nothing.
    const freeBefore = m.freePages();
    expectStatus(m.commit(big, committed, freeBefore + 1), ZX_ERR_NO_MEMORY, 'COMMIT past RAM');
    assert.equal(m.freePages(), freeBefore);
    assert.equal(m.committedPages(big), committed, 'the failed COMMIT committed nothing');
    m.expectContents(kept, 32, 0x44, 'the locked VMO');
    m.expectContents(never, 32, 0x55, 'the never-locked VMO');
    // What is left still fits.
    expectStatus(m.commit(big, committed, freeBefore), ZX_OK, 'COMMIT of what is left');
    assert.equal(m.freePages(), 0);

    // LOCK after the discard reports it, and the VMO then reads zeros and counts as locked.
    const relock = m.lock(second, D);
    expectStatus(relock.status, ZX_OK, 'LOCK of the discarded VMO');
    assert.deepEqual(relock.state, {
      offset: 0n,
      size: BigInt(D * PAGE),
      discarded_offset: 0n,
      discarded_size: BigInt(D * PAGE),
    });
    m.expectContents(second, D, 0, 'second after LOCK');
    // Writing to it needs memory that is not there (and it may not reclaim itself).
    const one = new Uint8Array(PAGE).fill(0x66);
    expectStatus(m.sys.zx_vmo_write(second, one, 0, PAGE), ZX_ERR_NO_MEMORY, 'write, RAM full');
    expectStatus(m.op(big, ZX_VMO_OP_DECOMMIT, 0, 4 * PAGE), ZX_OK, 'DECOMMIT of 4 pages');
    expectStatus(m.sys.zx_vmo_write(second, one, 0, PAGE), ZX_OK, 'write after DECOMMIT');
    assert.deepEqual(m.discardablePages(), { locked: 32 + 1, unlocked: 0 });

    // A second LOCK of a VMO that was not discarded again reports nothing discarded.
    const nested = m.lock(second, D);
    assert.equal(nested.state.discarded_size, 0n);
    m.unlock(second, D);
    m.unlock(second, D);
    assert.deepEqual(m.discardablePages(), { locked: 32, unlocked: 1 });

    m.close(first, second, third, kept, never, big);
    const end = m.kmem();
    assert.equal(Number(end.free_bytes) / PAGE, startFree, 'every page is free again');
    assert.equal(end.vmo_bytes, 0n);
    assert.equal(end.vmo_discardable_locked_bytes + end.vmo_discardable_unlocked_bytes, 0n);
  });

  it('never discards an unlocked VMO that holds no pages, nor the VMO that is allocating', () => {
    const m = new Machine(1 * MIB, 0);
    const empty = m.create(16, ZX_VMO_DISCARDABLE);
    expectStatus(m.lock(empty, 16).status, ZX_OK, 'LOCK');
    m.unlock(empty, 16);
    const self = m.create(16, ZX_VMO_DISCARDABLE);
    expectStatus(m.lock(self, 16).status, ZX_OK, 'LOCK');
    m.write(self, 8, 0x77);
    m.unlock(self, 16);
    const big = m.create(512);
    const free = m.freePages();
    expectStatus(m.commit(big, 0, free), ZX_OK, 'COMMIT of every free page');
    // The reclaimable VMO writes a ninth page: it may not discard itself to get it, and the
    // empty VMO has nothing to give.
    const more = new Uint8Array(PAGE).fill(1);
    expectStatus(m.sys.zx_vmo_write(self, more, 8 * PAGE, PAGE), ZX_ERR_NO_MEMORY, 'write');
    m.expectContents(self, 8, 0x77, 'the allocating VMO');
    expectStatus(m.op(empty, ZX_VMO_OP_TRY_LOCK, 0, 16 * PAGE), ZX_OK, 'TRY_LOCK of the empty VMO');
    m.close(empty, self, big);
  });

  it('reclaims early to keep the watermark free, oldest first, and only down to it', () => {
    const W = 32; // watermark, in pages
    const m = new Machine(1 * MIB, W * PAGE);
    const a = m.filledDiscardable(16, 0xa1);
    const b = m.filledDiscardable(16, 0xb2);
    const c = m.filledDiscardable(16, 0xc3);
    m.unlock(a, 16);
    m.unlock(b, 16);
    m.unlock(c, 16);
    const big = m.create(256);
    const free = m.freePages();
    // An allocation that leaves at least the watermark free reclaims nothing.
    expectStatus(m.commit(big, 0, free - W), ZX_OK, 'COMMIT leaving the watermark');
    assert.equal(m.freePages(), W);
    assert.equal(m.discardablePages().unlocked, 48);
    // One page more would dip below it: a (oldest) is discarded though the page was there.
    expectStatus(m.commit(big, free - W, 1), ZX_OK, 'COMMIT dipping below the watermark');
    m.expectDiscarded(a, 16, 'a');
    m.expectContents(b, 16, 0xb2, 'b');
    assert.equal(m.freePages(), W - 1 + 16);
    // Twenty pages: free would be 27 - 20 < 32, so b goes too; c stays.
    expectStatus(m.commit(big, free - W + 1, 20), ZX_OK, 'COMMIT of 20 pages');
    m.expectDiscarded(b, 16, 'b');
    m.expectContents(c, 16, 0xc3, 'c');
    // When reclaiming everything cannot restore the watermark, the allocation still succeeds
    // if the pages are there.
    const left = m.freePages();
    expectStatus(m.commit(big, free - W + 21, left), ZX_OK, 'COMMIT of every free page');
    m.expectDiscarded(c, 16, 'c');
    assert.equal(m.freePages(), 16, 'c gave back its pages, below the watermark');
    expectStatus(m.commit(big, 0, 256), ZX_ERR_NO_MEMORY, 'COMMIT of more than exists');
    m.close(a, b, c, big);
  });

  it('uses a default watermark of 1/64 of memory', () => {
    // 4 MiB: the default watermark is 64 KiB, 16 pages.
    const m = new Machine(4 * MIB);
    const d = m.filledDiscardable(8, 0xd4);
    m.unlock(d, 8);
    const big = m.create(1024);
    const free = m.freePages();
    expectStatus(m.commit(big, 0, free - 16), ZX_OK, 'COMMIT leaving 16 pages');
    m.expectContents(d, 8, 0xd4, 'd, watermark kept');
    expectStatus(m.commit(big, free - 16, 1), ZX_OK, 'COMMIT dipping below 16 pages');
    m.expectDiscarded(d, 8, 'd');
    m.close(d, big);
  });
});
