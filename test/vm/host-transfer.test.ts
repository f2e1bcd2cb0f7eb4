// The fast path of zx_vmo_read and zx_vmo_write into and out of host memory
// (VmObjectPaged.readHost/writeHost): a VMO's page list remembers the last frame entry a
// transfer found with its frame's view, and a transfer of that page copies straight through the
// view. These tests check that what it remembers is never stale: every change to the page
// list's entries (commit, decommit, zero, forks under a snapshot, a resize, a discard) forgets
// it, and the checks it cannot answer (range, cache policy, discard, a slice's own size) are
// made on every transfer.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CACHE_POLICY_UNCACHED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import { ZX_VMO_LOCK_STATE_SIZE } from '../../src/abi/structs.ts';
import type { Process } from '../../src/process.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import { VmPageList } from '../../src/vm/page-list.ts';
import {
  createVmo,
  expectStatus,
  filled,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  readVmo,
  vmObjectOf,
  writeVmo,
} from '../helpers.ts';
import { pattern } from '../syscalls/vmar/vmar-helpers.ts';

/** The page index the VMO's page list remembers a frame view for (-1: none). */
function remembered(proc: Process, handle: number): number {
  return vmObjectOf(proc, handle).cow.pages.viewIndex;
}

/** Writes a page twice (the second write finds the committed frame) and checks it is remembered. */
function rememberPage(proc: Process, sys: Syscalls, handle: number, page: number, seed: number) {
  const bytes = pattern(PAGE, seed);
  writeVmo(sys, handle, page * PAGE, bytes);
  writeVmo(sys, handle, page * PAGE, bytes);
  assert.equal(remembered(proc, handle), vmObjectOf(proc, handle).cowOffset + page);
  assert.deepEqual(readVmo(sys, handle, page * PAGE, PAGE), bytes);
  return bytes;
}

function createChild(sys: Syscalls, vmo: number, options: number, offset: number, size: number) {
  const child = out(0);
  expectStatus(sys.zx_vmo_create_child(vmo, options, offset, size, child), ZX_OK);
  return child.value;
}

describe('VmPageList: the remembered frame view', () => {
  it('is forgotten by every change to an entry and by moving whole chunks', () => {
    const list = new VmPageList();
    list.set(3, 10);
    list.viewIndex = 3;
    list.set(3, 10); // the same entry: nothing changes
    assert.equal(list.viewIndex, 3);
    list.set(70, 11); // any other entry, even in another chunk
    assert.equal(list.viewIndex, -1);
    list.viewIndex = 3;
    list.set(3, 12);
    assert.equal(list.viewIndex, -1);
    list.viewIndex = 3;
    const chunk = list.detachChunk(0)!;
    assert.equal(list.viewIndex, -1);
    list.viewIndex = 70;
    list.attachChunk(0, chunk);
    assert.equal(list.viewIndex, -1);
    list.viewIndex = 3;
    list.clear(0, 200, () => {});
    assert.equal(list.viewIndex, -1);
  });
});

describe('zx_vmo_read and zx_vmo_write through a remembered frame', () => {
  it('copy whole pages, parts of pages, single bytes and nothing, at the right offsets', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const bytes = rememberPage(proc, sys, vmo, 2, 1);
    assert.deepEqual(readVmo(sys, vmo, 2 * PAGE + 100, 50), bytes.subarray(100, 150));
    assert.deepEqual(readVmo(sys, vmo, 3 * PAGE - 1, 1), bytes.subarray(PAGE - 1));
    const part = pattern(300, 9);
    writeVmo(sys, vmo, 2 * PAGE + 1000, part);
    bytes.set(part, 1000);
    // A longer buffer than the transfer: only `size` bytes move.
    const long = filled(PAGE + 10, 0x5a);
    expectStatus(sys.zx_vmo_write(vmo, long, 2 * PAGE + 4000, 96), ZX_OK);
    bytes.fill(0x5a, 4000);
    const dst = filled(PAGE + 10, 0xee);
    expectStatus(sys.zx_vmo_read(vmo, dst, 2 * PAGE, PAGE), ZX_OK);
    assert.deepEqual(dst.subarray(0, PAGE), bytes);
    assert.deepEqual(dst.subarray(PAGE), filled(10, 0xee));
    expectStatus(sys.zx_vmo_read(vmo, dst, 2 * PAGE + 7, 0), ZX_OK);
    assert.equal(remembered(proc, vmo), 2);
    // The other pages were never written: zeros, and the remembered page stays.
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), filled(PAGE, 0));
    assert.deepEqual(readVmo(sys, vmo, 2 * PAGE, PAGE), bytes);
  });

  it('a zero-length transfer of the page never touches the buffer, even a detached one', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const bytes = rememberPage(proc, sys, vmo, 0, 2);
    const detached = new Uint8Array(16);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    for (const offset of [0, 5, PAGE]) {
      expectStatus(sys.zx_vmo_read(vmo, detached, offset, 0), ZX_OK);
      expectStatus(sys.zx_vmo_write(vmo, detached, offset, 0), ZX_OK);
    }
    expectStatus(sys.zx_vmo_read(vmo, detached, 0, 1), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_vmo_write(vmo, detached, 0, 1), ZX_ERR_NOT_FOUND);
    assert.equal(remembered(proc, vmo), 0);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), bytes);
  });

  it('a transfer past the page or the VMO takes the checked way, with its status', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const bytes = rememberPage(proc, sys, vmo, 1, 3);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(2), 2 * PAGE - 1, 2), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array(2), 2 * PAGE - 1, 2), ZX_ERR_OUT_OF_RANGE);
    const across = readVmo(sys, vmo, PAGE - 10, 20);
    assert.deepEqual(across, Uint8Array.of(...filled(10, 0), ...bytes.subarray(0, 10)));
    assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), bytes);
  });

  it('DECOMMIT and ZERO forget the frame: the page reads as zeros, then holds new writes', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    rememberPage(proc, sys, vmo, 0, 5);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0), ZX_OK);
    assert.equal(remembered(proc, vmo), -1);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), filled(PAGE, 0));
    rememberPage(proc, sys, vmo, 0, 6);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 0, PAGE, null, 0), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), filled(PAGE, 0));
    const again = rememberPage(proc, sys, vmo, 0, 7);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, 2 * PAGE, null, 0), ZX_OK);
    assert.equal(remembered(proc, vmo), -1);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), again);
  });

  it('a snapshot leaves the parent nothing remembered; writes on either side stay apart', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const before = rememberPage(proc, sys, vmo, 1, 11);
    const child = createChild(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    assert.equal(remembered(proc, vmo), -1);
    assert.deepEqual(readVmo(sys, child, PAGE, PAGE), before);
    const parentAfter = rememberPage(proc, sys, vmo, 1, 12);
    assert.deepEqual(readVmo(sys, child, PAGE, PAGE), before);
    const childAfter = rememberPage(proc, sys, child, 1, 13);
    assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), parentAfter);
    assert.deepEqual(readVmo(sys, child, PAGE, PAGE), childAfter);
    // Closing the child merges the tree back: the parent's page is still its own write.
    expectStatus(sys.zx_handle_close(child), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), parentAfter);
    rememberPage(proc, sys, vmo, 1, 14);
  });

  it('a slice shares what its parent remembers, within its own size only', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const bytes = rememberPage(proc, sys, vmo, 3, 21);
    const slice = createChild(sys, vmo, ZX_VMO_CHILD_SLICE, 2 * PAGE, PAGE);
    assert.equal(remembered(proc, slice), 3);
    // The slice's page 1 is the parent's page 3, which the list remembers: past the slice.
    expectStatus(sys.zx_vmo_read(slice, new Uint8Array(PAGE), PAGE, PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_write(slice, new Uint8Array(PAGE), PAGE, PAGE), ZX_ERR_OUT_OF_RANGE);
    const wide = createChild(sys, vmo, ZX_VMO_CHILD_SLICE, 2 * PAGE, 2 * PAGE);
    assert.deepEqual(readVmo(sys, wide, PAGE, PAGE), bytes);
    const fromSlice = pattern(PAGE, 22);
    writeVmo(sys, wide, PAGE, fromSlice);
    assert.deepEqual(readVmo(sys, vmo, 3 * PAGE, PAGE), fromSlice);
  });

  it('shrinking past the page forgets it; growing back reads zeros', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE, ZX_VMO_RESIZABLE);
    rememberPage(proc, sys, vmo, 2, 31);
    expectStatus(sys.zx_vmo_set_size(vmo, 2 * PAGE), ZX_OK);
    assert.equal(remembered(proc, vmo), -1);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(PAGE), 2 * PAGE, PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array(PAGE), 2 * PAGE, PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_set_size(vmo, 3 * PAGE), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 2 * PAGE, PAGE), filled(PAGE, 0));
  });

  it('an uncached VMO refuses transfers although its list remembers a frame', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    rememberPage(proc, sys, vmo, 0, 41);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
    assert.equal(remembered(proc, vmo), 0);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(PAGE), 0, PAGE), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array(PAGE), 0, PAGE), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(1), 5, 1), ZX_ERR_BAD_STATE);
  });

  it('a mapping and the syscalls see each other through the same frame', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    rememberPage(proc, sys, vmo, 0, 51);
    const addr = out(0n);
    const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    expectStatus(sys.zx_vmar_map(proc.rootVmar, rw, 0, vmo, 0, PAGE, addr), ZX_OK);
    const stored = pattern(64, 52);
    expectStatus(proc.store(addr.value + 128n, stored), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 128, 64), stored);
    const written = pattern(PAGE, 53);
    writeVmo(sys, vmo, 0, written);
    const loaded = new Uint8Array(PAGE);
    expectStatus(proc.load(addr.value, loaded), ZX_OK);
    assert.deepEqual(loaded, written);
  });

  it('a discarded VMO gives NOT_FOUND, not the frame it had', () => {
    const kernel = newKernel({ memoryBytes: 64 * PAGE, reclaimWatermarkBytes: 0 });
    const { proc, sys } = newProcess(kernel);
    const vmo = createVmo(sys, 2 * PAGE, ZX_VMO_DISCARDABLE);
    const state = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, 2 * PAGE, state, state.length), ZX_OK);
    rememberPage(proc, sys, vmo, 1, 61);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_UNLOCK, 0, 2 * PAGE, null, 0), ZX_OK);
    // Memory pressure: a commit of more than is free discards the unlocked VMO.
    const pages = Number(kmemStats(kernel, proc).free_bytes) / PAGE + 1;
    const filler = createVmo(sys, pages * PAGE);
    expectStatus(sys.zx_vmo_op_range(filler, ZX_VMO_OP_COMMIT, 0, pages * PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_handle_close(filler), ZX_OK);
    assert.equal(remembered(proc, vmo), -1);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(PAGE), PAGE, PAGE), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array(PAGE), PAGE, PAGE), ZX_ERR_NOT_FOUND);
  });
});
