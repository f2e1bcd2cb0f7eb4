// Pager-backed VMOs under memory pressure: a small kernel, pages supplied by a pager, then RAM
// filled by COMMITs of a regular VMO. The kernel must evict clean pager pages (supplied and not
// written since) before failing with ZX_ERR_NO_MEMORY, only as many as the allocation needs,
// least recently used page first (supplied, read, written, faulted in, or touched through a
// mapping), DONT_NEED pages before all others and ALWAYS_NEED pages only as the last resort;
// never dirty or pinned pages. An evicted page is asked for again on
// its next access. ZX_INFO_KMEM_STATS reports the reclaimable pages, ZX_INFO_VMO the evictions.
// (Zircon's evictor and VmCowPages::ReclaimPage; Pager.EvictionHints* in pager.cc.)

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_NO_MEMORY,
  ZX_ERR_SHOULD_WAIT,
  ZX_OK,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_READ,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import {
  createVmo,
  expectStatus,
  kmemStats,
  newKernel,
  newProcess,
  PAGE,
  pinVmoPages,
  readVmo,
  vmoInfo,
} from '../helpers.ts';
import { createPort } from '../syscalls/ipc-helpers.ts';
import {
  createPagedVmo,
  createPager,
  diskPage,
  readRequest,
  supplyDisk,
  takeRequests,
} from '../syscalls/pager/pager-helpers.ts';
import { map } from '../syscalls/vmar/vmar-helpers.ts';

const MIB = 1024 * 1024;

/** A 4 MiB kernel that reclaims only when an allocation would fail, with one pager and port. */
function machine() {
  const p = newProcess(newKernel({ memoryBytes: 4 * MIB, reclaimWatermarkBytes: 0 }));
  const pager = createPager(p.sys);
  const port = createPort(p.sys);
  const free = () => Number(kmemStats(p.kernel, p.proc).free_bytes) / PAGE;
  /** A pager VMO of `pages` pages under `key`, every page supplied. */
  const supplied = (key: bigint, pages: number) => {
    const vmo = createPagedVmo(p.sys, pager, port, key, pages);
    supplyDisk(p.sys, pager, vmo, 0, pages);
    return vmo;
  };
  /** Commits `pages` pages of a new anonymous VMO: the status. */
  const fill = (pages: number) => {
    const vmo = createVmo(p.sys, pages * PAGE);
    return p.sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, pages * PAGE, null, 0);
  };
  return { ...p, pager, port, free, supplied, fill };
}

const committedPages = (sys: Syscalls, vmo: number) =>
  Number(vmoInfo(sys, vmo).committed_bytes) / PAGE;

/** Which of pages [0, pages) of `vmo` are still there (a read needs no pager). */
function present(sys: Syscalls, vmo: number, pages: number): number[] {
  const kept: number[] = [];
  for (let page = 0; page < pages; page++) {
    const status = sys.zx_vmo_read(vmo, new Uint8Array(1), page * PAGE, 1);
    if (status === ZX_OK) kept.push(page);
    else expectStatus(status, ZX_ERR_SHOULD_WAIT);
  }
  return kept;
}

describe('pager-backed pages under memory pressure', () => {
  it('clean pages are evicted before NO_MEMORY, oldest VMO first, just as many as needed', () => {
    const { sys, port, free, supplied, fill } = machine();
    const older = supplied(1n, 128);
    const newer = supplied(2n, 128);
    const before = free();
    assert.equal(fill(before + 100), ZX_OK);
    assert.equal(free(), 0);
    assert.equal(committedPages(sys, older), 28);
    assert.equal(committedPages(sys, newer), 128);
    assert.equal(vmoInfo(sys, older).committed_change_events, 100n);
    assert.equal(vmoInfo(sys, newer).committed_change_events, 0n);
    // An evicted page is asked for again; one still there is read at once.
    takeRequests(sys, port);
    const lost = new Uint8Array(PAGE);
    expectStatus(sys.zx_vmo_read(older, lost, 0, PAGE), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(takeRequests(sys, port), [readRequest(1n, 0, 1)]);
    assert.deepEqual(readVmo(sys, older, 127 * PAGE, PAGE), diskPage(127));
  });

  it('dirty and pinned pages stay; past them the allocation fails, changing nothing', () => {
    const { kernel, proc, sys, free, supplied, fill } = machine();
    const vmo = supplied(1n, 64);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array([1]), 3 * PAGE, 1), ZX_OK);
    const unpin = pinVmoPages(proc, vmo, 10, 12);
    const reclaimable = 64 - 3;
    const stats = kmemStats(kernel, proc);
    assert.equal(stats.vmo_reclaim_total_bytes, BigInt(reclaimable * PAGE));
    // What could be evicted was, and the allocation still fails: it holds nothing.
    const before = free();
    expectStatus(fill(before + reclaimable + 1), ZX_ERR_NO_MEMORY);
    assert.equal(free(), before + reclaimable);
    assert.deepEqual(present(sys, vmo, 64), [3, 10, 11]);
    expectStatus(fill(free()), ZX_OK);
    expectStatus(fill(1), ZX_ERR_NO_MEMORY);
    assert.deepEqual(present(sys, vmo, 64), [3, 10, 11]);
    unpin();
  });

  it('DONT_NEED pages go first; ALWAYS_NEED pages only when nothing else is left', () => {
    const { kernel, proc, sys, free, supplied, fill } = machine();
    const older = supplied(1n, 32);
    const newer = supplied(2n, 32);
    expectStatus(
      sys.zx_vmo_op_range(newer, ZX_VMO_OP_DONT_NEED, 8 * PAGE, 4 * PAGE, null, 0),
      ZX_OK,
    );
    expectStatus(sys.zx_vmo_op_range(older, ZX_VMO_OP_ALWAYS_NEED, 0, 16 * PAGE, null, 0), ZX_OK);
    const stats = kmemStats(kernel, proc);
    assert.equal(stats.vmo_reclaim_total_bytes, BigInt(64 * PAGE));
    assert.equal(stats.vmo_reclaim_oldest_bytes, BigInt(4 * PAGE));
    assert.equal(stats.vmo_reclaim_newest_bytes, BigInt(60 * PAGE));
    // Four pages: the DONT_NEED ones of the newer VMO, not the older VMO's.
    expectStatus(fill(free() + 4), ZX_OK);
    assert.deepEqual(
      present(sys, newer, 32),
      [...Array(32).keys()].filter((p) => p < 8 || p >= 12),
    );
    assert.equal(committedPages(sys, older), 32);
    // Sixteen more: the older VMO's pages that are not ALWAYS_NEED.
    expectStatus(fill(free() + 16), ZX_OK);
    assert.deepEqual(present(sys, older, 32), [...Array(16).keys()]);
    // Everything else ordinary goes before a single ALWAYS_NEED page.
    expectStatus(fill(free() + 28), ZX_OK);
    assert.deepEqual(present(sys, newer, 32), []);
    assert.deepEqual(present(sys, older, 32), [...Array(16).keys()]);
    expectStatus(fill(free() + 2), ZX_OK);
    assert.deepEqual(
      present(sys, older, 32),
      [...Array(14).keys()].map((p) => p + 2),
    );
  });

  it('ALWAYS_NEED is sticky: a later DONT_NEED does not put the page first in line', () => {
    // Upstream vm unittests (AlwaysNeed then DontNeed): "We should still not be able to evict
    // the page, the AlwaysNeed hint is sticky" (ReclaimPage with EvictionHintAction::Follow).
    const { sys, free, supplied, fill } = machine();
    const vmo = supplied(1n, 8);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ALWAYS_NEED, 0, 2 * PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DONT_NEED, 0, 4 * PAGE, null, 0), ZX_OK);
    // Two pages: the DONT_NEED pages that are not ALWAYS_NEED.
    expectStatus(fill(free() + 2), ZX_OK);
    assert.deepEqual(present(sys, vmo, 8), [0, 1, 4, 5, 6, 7]);
    // Then the ordinary ones, still before the ALWAYS_NEED pages.
    expectStatus(fill(free() + 4), ZX_OK);
    assert.deepEqual(present(sys, vmo, 8), [0, 1]);
    expectStatus(fill(free() + 1), ZX_OK);
    assert.equal(present(sys, vmo, 8).length, 1);
  });

  it('a hint goes with its page: ALWAYS_NEED pages cut by a shrink and supplied again are ordinary', () => {
    // Upstream keeps always_need on the vm_page_t: a page freed takes the hint with it.
    const { sys, pager, port, free, fill } = machine();
    const vmo = createPagedVmo(sys, pager, port, 1n, 4, ZX_VMO_RESIZABLE);
    supplyDisk(sys, pager, vmo, 0, 4);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ALWAYS_NEED, 0, 4 * PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_vmo_set_size(vmo, 2 * PAGE), ZX_OK);
    expectStatus(sys.zx_vmo_set_size(vmo, 4 * PAGE), ZX_OK);
    // The grown pages are a dirty zero range: written back, they are missing, then supplied.
    const op = (code: number, data: bigint) =>
      sys.zx_pager_op_range(pager, code, vmo, BigInt(2 * PAGE), BigInt(2 * PAGE), data);
    expectStatus(op(ZX_PAGER_OP_WRITEBACK_BEGIN, ZX_VMO_DIRTY_RANGE_IS_ZERO), ZX_OK);
    expectStatus(op(ZX_PAGER_OP_WRITEBACK_END, 0n), ZX_OK);
    supplyDisk(sys, pager, vmo, 2, 2);
    // Two pages: the newly supplied ones, though older hinted pages are older.
    expectStatus(fill(free() + 2), ZX_OK);
    assert.deepEqual(present(sys, vmo, 4), [0, 1]);
  });

  it("a child's reads keep working across evictions of the root's pages", () => {
    const { sys, port, free, supplied, fill } = machine();
    const vmo = supplied(1n, 16);
    const child = { value: 0 };
    expectStatus(
      sys.zx_vmo_create_child(vmo, 0x10 /* AT_LEAST_ON_WRITE */, 0, 16 * PAGE, child),
      ZX_OK,
    );
    expectStatus(sys.zx_vmo_write(child.value, new Uint8Array([9]), 0, 1), ZX_OK);
    expectStatus(fill(free() + 15), ZX_OK);
    assert.equal(committedPages(sys, vmo), 1);
    // The child's own page stays; the root's pages it sees are asked for again.
    assert.equal(readVmo(sys, child.value, 0, 1)[0], 9);
    takeRequests(sys, port);
    expectStatus(sys.zx_vmo_read(child.value, new Uint8Array(8), PAGE, 8), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(takeRequests(sys, port), [readRequest(1n, 1, 1)]);
  });
});

describe('the eviction order: pages by their last access', () => {
  const range = (from: number, to: number) => [...Array(to - from).keys()].map((p) => p + from);

  it('pages read since their supply are evicted after the ones nobody touched', () => {
    const { sys, free, supplied, fill } = machine();
    const vmo = supplied(1n, 8);
    for (const page of [2, 0, 3, 1])
      expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(8), page * PAGE, 8), ZX_OK);
    // Pages 4..7 are the oldest now; then 2, 0, 3, 1 in the order they were read.
    expectStatus(fill(free() + 6), ZX_OK);
    assert.equal(committedPages(sys, vmo), 2);
    assert.deepEqual(present(sys, vmo, 8), [1, 3]);
  });

  it('across VMOs: the older VMO written to and read is kept, the newer untouched one goes', () => {
    const { sys, free, supplied, fill } = machine();
    const older = supplied(1n, 8);
    const newer = supplied(2n, 8);
    expectStatus(sys.zx_vmo_read(older, new Uint8Array(8 * PAGE), 0, 8 * PAGE), ZX_OK);
    expectStatus(fill(free() + 8), ZX_OK);
    assert.equal(committedPages(sys, older), 8);
    assert.equal(committedPages(sys, newer), 0);
    // A write makes a page dirty: it stays; the clean ones go, oldest first.
    expectStatus(sys.zx_vmo_write(older, new Uint8Array([7]), 5 * PAGE, 1), ZX_OK);
    expectStatus(fill(free() + 7), ZX_OK);
    assert.deepEqual(present(sys, older, 8), [5]);
  });

  it('a fault ages the page at once; a load through its mapping sets the accessed bit, harvested when it comes up', () => {
    const { proc, sys, free, supplied, fill } = machine();
    const vmo = supplied(1n, 8);
    const addr = map(sys, proc.rootVmar, ZX_VM_PERM_READ, 0, vmo, 0, 8 * PAGE);
    const touch = (page: number) =>
      expectStatus(proc.load(addr + BigInt(page * PAGE), new Uint8Array(1)), ZX_OK);
    // Faults in page order, then zx_vmo_read makes pages 4..7 newer still.
    for (const page of range(0, 8)) touch(page);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(4 * PAGE), 4 * PAGE, 4 * PAGE), ZX_OK);
    // Loads of pages 0 and 1 through the translations the faults made: only accessed bits.
    touch(0);
    touch(1);
    // Pages 0 and 1 come up first, were accessed, so go last; 2 and 3 are evicted.
    expectStatus(fill(free() + 2), ZX_OK);
    assert.deepEqual(present(sys, vmo, 8), [0, 1, 4, 5, 6, 7]);
  });

  it('ZX_VM_MAP_RANGE maps the pages that are there without aging them', () => {
    const { proc, sys, free, supplied, fill } = machine();
    const vmo = supplied(1n, 4);
    const other = supplied(2n, 4);
    map(sys, proc.rootVmar, ZX_VM_PERM_READ | ZX_VM_MAP_RANGE, 0, vmo, 0, 4 * PAGE);
    expectStatus(fill(free() + 4), ZX_OK);
    assert.equal(committedPages(sys, vmo), 0);
    assert.equal(committedPages(sys, other), 4);
  });
});
