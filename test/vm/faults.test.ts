// Page faults through Process.load and Process.store: every fault kind, the shared zero page,
// commit on write, and the VMO operations that must take translations away (decommit, zero,
// shrink, discard, unmap) so that no mapping ever reaches a freed page.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VM_ALLOW_FAULTS,
  ZX_VM_FAULT_BEYOND_STREAM_SIZE,
  ZX_VM_SPECIFIC,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import { ZX_VMO_LOCK_STATE_SIZE } from '../../src/abi/structs.ts';
import { pteFrame } from '../../src/vm/page-table.ts';
import {
  createVmo,
  expectStatus,
  kmemStats,
  newKernel,
  newProcess,
  PAGE,
  readVmo,
  vmObjectOf,
  vmoInfo,
  writeVmo,
} from '../helpers.ts';
import {
  expectCleanTables,
  load,
  loadStatus,
  map,
  pattern,
  R,
  RW,
  store,
  storeStatus,
  translationCount,
  USER_BASE,
  USER_SIZE,
} from '../syscalls/vmar/vmar-helpers.ts';

const P = BigInt(PAGE);

describe('page faults', () => {
  it('find nothing mapped below, above and between mappings: ZX_ERR_NOT_FOUND', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    map(sys, proc.rootVmar, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, PAGE);
    for (const addr of [0n, USER_BASE - 1n, USER_BASE, USER_BASE + 2n * P, USER_BASE + USER_SIZE]) {
      expectStatus(loadStatus(proc, addr), ZX_ERR_NOT_FOUND, `load at 0x${addr.toString(16)}`);
      expectStatus(storeStatus(proc, addr), ZX_ERR_NOT_FOUND, `store at 0x${addr.toString(16)}`);
    }
    for (const addr of [2n ** 53n, 2n ** 64n - 1n, -1, 1.5, Number.NaN]) {
      expectStatus(loadStatus(proc, addr as bigint), ZX_ERR_NOT_FOUND);
    }
  });

  it('map the shared zero page read-only for memory never written, committing nothing', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const a = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    const b = map(sys, proc.rootVmar, R, 0, vmo, 0, 4 * PAGE);
    assert.deepEqual(load(proc, a, 4 * PAGE), new Uint8Array(4 * PAGE));
    assert.deepEqual(load(proc, b, 4 * PAGE), new Uint8Array(4 * PAGE));
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 0n);
    const table = proc.object.aspace.pageTable;
    const zero = proc.object.aspace.pmm.zeroFrame;
    assert.equal(pteFrame(table.get(Number(a / P))), zero);
    assert.equal(pteFrame(table.get(Number(b / P) + 3)), zero);
    expectCleanTables(proc);
  });

  it('commit a page on the first write, and every mapping then sees it', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const a = map(sys, proc.rootVmar, RW, 0, vmo, 0, 2 * PAGE);
    const b = map(sys, proc.rootVmar, R, 0, vmo, 0, 2 * PAGE);
    load(proc, b, 2 * PAGE);
    load(proc, a, 2 * PAGE);
    store(proc, a + P + 10n, new Uint8Array([1, 2, 3]));
    assert.equal(vmoInfo(sys, vmo).committed_bytes, P);
    assert.deepEqual(load(proc, b + P + 10n, 3), new Uint8Array([1, 2, 3]));
    assert.deepEqual(readVmo(sys, vmo, PAGE + 10, 3), new Uint8Array([1, 2, 3]));
    expectCleanTables(proc);
  });

  it('touch nothing for an empty load or store, at any offset in a page (as an empty copy)', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const a = map(sys, proc.rootVmar, RW, 0, vmo, 0, 2 * PAGE);
    for (const at of [a, a + 1n, a + P - 1n, a + P + 7n]) {
      expectStatus(proc.store(at, new Uint8Array(0)), ZX_OK);
      expectStatus(proc.load(at, new Uint8Array(0)), ZX_OK);
    }
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 0n, 'an empty store committed a page');
    assert.equal(translationCount(proc), 0);
  });

  it('tell only the mappings that hold translations when a page changes (issue 8: 100,000 mappings)', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const untouched: bigint[] = [];
    for (let i = 0; i < 2000; i++) untouched.push(map(sys, proc.rootVmar, RW, 0, vmo, 0, 2 * PAGE));
    const reader = map(sys, proc.rootVmar, R, 0, vmo, 0, 2 * PAGE);
    const writer = map(sys, proc.rootVmar, RW, 0, vmo, 0, 2 * PAGE);
    load(proc, reader, 2 * PAGE); // the zero page, read-only
    const told = new Set<unknown>();
    const aspace = proc.object.aspace;
    const mappingOf = (addr: bigint) => aspace.findMapping(Number(addr));
    const spied = mappingOf(reader)!;
    const original = Object.getPrototypeOf(spied).pagesRemoved;
    Object.getPrototypeOf(spied).pagesRemoved = function (this: unknown, a: number, b: number) {
      told.add(this);
      return original.call(this, a, b);
    };
    try {
      store(proc, writer + 5n, new Uint8Array([7]));
    } finally {
      Object.getPrototypeOf(spied).pagesRemoved = original;
    }
    // The first write commits the page: the reader (it showed the zero page) is told, the
    // writer at most, and none of the 2000 mappings that never faulted.
    assert.ok(told.has(spied));
    assert.ok(told.size <= 2, `${told.size} mappings told`);
    assert.deepEqual(load(proc, reader + 5n, 1), new Uint8Array([7]));
    // A mapping that faults later hears of later changes.
    assert.deepEqual(load(proc, untouched[0]! + P, 1), new Uint8Array([0]));
    store(proc, writer + P, new Uint8Array([9]));
    assert.deepEqual(load(proc, untouched[0]! + P, 1), new Uint8Array([9]));
    expectCleanTables(proc);
  });

  it('refuse what the protection forbids: ZX_ERR_ACCESS_DENIED', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const readOnly = map(sys, proc.rootVmar, R, 0, vmo, 0, PAGE);
    const none = map(sys, proc.rootVmar, 0, 0, vmo, 0, PAGE);
    expectStatus(storeStatus(proc, readOnly), ZX_ERR_ACCESS_DENIED);
    expectStatus(loadStatus(proc, none), ZX_ERR_ACCESS_DENIED);
    expectStatus(storeStatus(proc, none), ZX_ERR_ACCESS_DENIED);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 0n);
  });

  it('past the end of the VMO are ZX_ERR_OUT_OF_RANGE, and shrinking makes them so', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE, ZX_VMO_RESIZABLE);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    store(proc, addr, pattern(4 * PAGE));
    load(proc, addr + 3n * P, 1);
    expectStatus(sys.zx_vmo_set_size(vmo, 2 * PAGE), ZX_OK);
    expectStatus(loadStatus(proc, addr + 2n * P), ZX_ERR_OUT_OF_RANGE);
    expectStatus(storeStatus(proc, addr + 3n * P), ZX_ERR_OUT_OF_RANGE);
    expectCleanTables(proc);
    // Growing makes the tail valid again, as zeros.
    expectStatus(sys.zx_vmo_set_size(vmo, 4 * PAGE), ZX_OK);
    assert.deepEqual(load(proc, addr + 2n * P, 2 * PAGE), new Uint8Array(2 * PAGE));
    assert.deepEqual(load(proc, addr, 2 * PAGE), pattern(4 * PAGE).subarray(0, 2 * PAGE));
  });

  it('stop a copy at the faulting page, after copying the bytes before it', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    writeVmo(sys, vmo, 0, pattern(2 * PAGE));
    const addr = map(sys, proc.rootVmar, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    const dst = new Uint8Array(3 * PAGE);
    expectStatus(proc.load(addr + 100n, dst), ZX_ERR_NOT_FOUND);
    assert.deepEqual(dst.subarray(0, 2 * PAGE - 100), pattern(2 * PAGE).subarray(100));
    expectStatus(proc.store(addr + P, new Uint8Array(2 * PAGE).fill(9)), ZX_ERR_NOT_FOUND);
    assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), new Uint8Array(PAGE).fill(9));
  });

  it('show zx_vmo_write data in mappings that had mapped the zero page', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const addr = map(sys, proc.rootVmar, R, 0, vmo, 0, 4 * PAGE);
    load(proc, addr, 4 * PAGE);
    writeVmo(sys, vmo, PAGE - 2, pattern(PAGE + 4));
    assert.deepEqual(load(proc, addr + P - 2n, PAGE + 4), pattern(PAGE + 4));
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, 4 * PAGE, null, 0), ZX_OK);
    assert.deepEqual(load(proc, addr + 3n * P, 4), new Uint8Array(4));
    expectCleanTables(proc);
  });

  it('read zeros after DECOMMIT and ZERO, which take the old pages out of every mapping', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const a = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    const b = map(sys, proc.rootVmar, R, 0, vmo, 0, 4 * PAGE);
    store(proc, a, pattern(4 * PAGE, 1));
    load(proc, b, 4 * PAGE);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 2 * PAGE, null, 0), ZX_OK);
    expectCleanTables(proc);
    assert.deepEqual(load(proc, b, 2 * PAGE), new Uint8Array(2 * PAGE));
    expectStatus(
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 2 * PAGE + 5, PAGE + 100, null, 0),
      ZX_OK,
    );
    expectCleanTables(proc);
    const expected = pattern(4 * PAGE, 1);
    expected.fill(0, 0, 3 * PAGE + 105);
    expected.fill(0, 0, 2 * PAGE);
    expected.set(pattern(4 * PAGE, 1).subarray(2 * PAGE, 2 * PAGE + 5), 2 * PAGE);
    assert.deepEqual(load(proc, b, 4 * PAGE), expected);
    assert.deepEqual(load(proc, a, 4 * PAGE), expected);
  });

  it('of a discarded VMO fail with ZX_ERR_NOT_FOUND until it is locked again, then read zeros', () => {
    const kernel = newKernel({ memoryBytes: 1 << 20, reclaimWatermarkBytes: 0 });
    const { sys, proc } = newProcess(kernel);
    const vmo = createVmo(sys, 4 * PAGE, ZX_VMO_DISCARDABLE);
    const state = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
    const size = 4 * PAGE;
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, size, state, state.length), ZX_OK);
    const addr = map(sys, proc.rootVmar, RW | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, size);
    store(proc, addr, pattern(size));
    load(proc, addr + 3n * P, 1);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_UNLOCK, 0, size, null, 0), ZX_OK);
    vmObjectOf(proc, vmo).discard();
    expectCleanTables(proc);
    expectStatus(loadStatus(proc, addr), ZX_ERR_NOT_FOUND);
    expectStatus(loadStatus(proc, addr + 3n * P), ZX_ERR_NOT_FOUND);
    expectStatus(storeStatus(proc, addr), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, size, state, state.length), ZX_OK);
    assert.deepEqual(load(proc, addr, size), new Uint8Array(size));
  });

  it('beyond the stream size of FAULT_BEYOND_STREAM_SIZE mappings are ZX_ERR_OUT_OF_RANGE', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const options = RW | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE;
    const addr = map(sys, proc.rootVmar, options, 0, vmo, 0, 4 * PAGE);
    load(proc, addr + 3n * P, 1);
    expectStatus(sys.zx_vmo_set_stream_size(vmo, PAGE + 1), ZX_OK);
    // The page holding the last byte of the stream stays reachable; bytes after it read zero.
    assert.deepEqual(load(proc, addr + P, 2), new Uint8Array(2));
    expectStatus(loadStatus(proc, addr + 2n * P), ZX_ERR_OUT_OF_RANGE);
    expectStatus(storeStatus(proc, addr + 3n * P), ZX_ERR_OUT_OF_RANGE);
    // A mapping without the option still sees the whole VMO.
    const plain = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    load(proc, plain + 3n * P, 1);
    expectCleanTables(proc);
    expectStatus(sys.zx_vmo_set_stream_size(vmo, 4 * PAGE), ZX_OK);
    load(proc, addr + 3n * P, 1);
  });

  it('never reach a freed page: closing the last handle frees pages only after the unmap', () => {
    const kernel = newKernel();
    const { sys, proc } = newProcess(kernel);
    const before = kmemStats(kernel, proc).vmo_bytes;
    const vmo = createVmo(sys, 8 * PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 8 * PAGE);
    store(proc, addr, pattern(8 * PAGE));
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    expectCleanTables(proc);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, before + 8n * P);
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, addr, 8 * PAGE), ZX_OK);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, before);
    assert.equal(translationCount(proc), 0);
  });
});
