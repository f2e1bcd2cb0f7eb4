// Copy-on-write through mappings: writes through a mapping of a snapshot are never seen by
// the parent's mappings (nor the other way round), in every order of writes, including pages
// the parent had mapped writable before the snapshot was taken. After every step, what each
// mapping shows must equal zx_vmo_read of its VMO, and the page tables must hold only
// translations the VMOs would give.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
} from '../../src/abi/constants.ts';
import type { Process } from '../../src/process.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import {
  createVmo,
  expectStatus,
  kmemStats,
  newProcess,
  out,
  PAGE,
  readVmo,
  writeVmo,
} from '../helpers.ts';
import {
  expectCleanTables,
  load,
  map,
  pattern,
  R,
  RW,
  store,
} from '../syscalls/vmar/vmar-helpers.ts';

const P = BigInt(PAGE);
const PAGES = 4;
const SIZE = PAGES * PAGE;

interface View {
  vmo: number;
  addr: bigint;
}

function child(
  sys: Syscalls,
  parent: number,
  options = ZX_VMO_CHILD_SNAPSHOT,
  size = SIZE,
): number {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create_child(parent, options, 0, size, handle), ZX_OK, 'create_child');
  return handle.value;
}

/** Every view's mapping shows exactly its VMO's bytes, and the page tables are sound. */
function expectConsistent(proc: Process, sys: Syscalls, views: readonly View[]): void {
  for (const view of views) {
    assert.deepEqual(load(proc, view.addr, SIZE), readVmo(sys, view.vmo, 0, SIZE));
  }
  expectCleanTables(proc);
}

/** Writes `value` at `page` through a view's mapping and records it in `expected`. */
function writeThrough(
  proc: Process,
  view: View,
  expected: Uint8Array,
  page: number,
  value: number,
) {
  const bytes = new Uint8Array(100).fill(value);
  store(proc, view.addr + BigInt(page) * P + 7n, bytes);
  expected.set(bytes, page * PAGE + 7);
}

describe('copy-on-write through mappings', () => {
  const orders: [string, ('parent' | 'child')[]][] = [
    ['parent first', ['parent', 'child']],
    ['child first', ['child', 'parent']],
    ['parent twice, then child', ['parent', 'parent', 'child']],
    ['child, parent, child', ['child', 'parent', 'child']],
  ];
  for (const readFirst of [false, true]) {
    for (const [name, order] of orders) {
      it(`keeps each side's writes its own (${name}${readFirst ? ', after reading both' : ''})`, () => {
        const { sys, proc } = newProcess();
        const parentVmo = createVmo(sys, SIZE);
        const base = pattern(SIZE, 1);
        writeVmo(sys, parentVmo, 0, base);
        const parent = { vmo: parentVmo, addr: map(sys, proc.rootVmar, RW, 0, parentVmo, 0, SIZE) };
        const clone = child(sys, parentVmo);
        const kid = { vmo: clone, addr: map(sys, proc.rootVmar, RW, 0, clone, 0, SIZE) };
        if (readFirst) {
          load(proc, parent.addr, SIZE);
          load(proc, kid.addr, SIZE);
        }
        const expected = { parent: base.slice(), child: base.slice() };
        let value = 10;
        for (const who of order) {
          for (const page of [0, 2]) {
            writeThrough(proc, who === 'parent' ? parent : kid, expected[who], page, value++);
            expectConsistent(proc, sys, [parent, kid]);
          }
        }
        assert.deepEqual(load(proc, parent.addr, SIZE), expected.parent);
        assert.deepEqual(load(proc, kid.addr, SIZE), expected.child);
      });
    }
  }

  it("takes write access away from the parent's mappings when a snapshot is taken", () => {
    const { sys, proc } = newProcess();
    const parentVmo = createVmo(sys, SIZE);
    const parent = { vmo: parentVmo, addr: map(sys, proc.rootVmar, RW, 0, parentVmo, 0, SIZE) };
    // Every page is mapped writable before the snapshot.
    store(proc, parent.addr, pattern(SIZE, 2));
    const clone = child(sys, parentVmo);
    expectCleanTables(proc);
    store(proc, parent.addr + P, new Uint8Array(PAGE).fill(0xee));
    assert.deepEqual(readVmo(sys, clone, 0, SIZE), pattern(SIZE, 2));
    const kid = { vmo: clone, addr: map(sys, proc.rootVmar, R, 0, clone, 0, SIZE) };
    assert.deepEqual(load(proc, kid.addr, SIZE), pattern(SIZE, 2));
    expectConsistent(proc, sys, [parent, kid]);
  });

  it("hides zx_vmo_write on either side from the other side's mappings", () => {
    const { sys, proc } = newProcess();
    const parentVmo = createVmo(sys, SIZE);
    writeVmo(sys, parentVmo, 0, pattern(SIZE, 3));
    const clone = child(sys, parentVmo);
    const views = [
      { vmo: parentVmo, addr: map(sys, proc.rootVmar, R, 0, parentVmo, 0, SIZE) },
      { vmo: clone, addr: map(sys, proc.rootVmar, R, 0, clone, 0, SIZE) },
    ];
    expectConsistent(proc, sys, views);
    writeVmo(sys, parentVmo, PAGE, new Uint8Array(10).fill(1));
    expectConsistent(proc, sys, views);
    writeVmo(sys, clone, 2 * PAGE, new Uint8Array(10).fill(2));
    expectConsistent(proc, sys, views);
    writeVmo(sys, clone, PAGE, new Uint8Array(10).fill(3));
    expectConsistent(proc, sys, views);
  });

  it('keeps the snapshot right in grandchildren and after the parent is closed', () => {
    const { kernel, sys, proc } = newProcess();
    const free = kmemStats(kernel, proc).free_bytes;
    const parentVmo = createVmo(sys, SIZE);
    writeVmo(sys, parentVmo, 0, pattern(SIZE, 4));
    const first = child(sys, parentVmo);
    const firstView = { vmo: first, addr: map(sys, proc.rootVmar, RW, 0, first, 0, SIZE) };
    store(proc, firstView.addr, new Uint8Array(8).fill(5));
    const second = child(sys, first, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE);
    const secondView = { vmo: second, addr: map(sys, proc.rootVmar, RW, 0, second, 0, SIZE) };
    const parentView = { vmo: parentVmo, addr: map(sys, proc.rootVmar, RW, 0, parentVmo, 0, SIZE) };
    const views = [parentView, firstView, secondView];
    expectConsistent(proc, sys, views);
    store(proc, secondView.addr + 3n * P, new Uint8Array(8).fill(6));
    store(proc, firstView.addr + 3n * P, new Uint8Array(8).fill(7));
    store(proc, parentView.addr + 3n * P, new Uint8Array(8).fill(8));
    expectConsistent(proc, sys, views);
    // Close the parent's handle and unmap it: the hidden pages merge, the others keep theirs.
    expectStatus(sys.zx_handle_close(parentVmo), ZX_OK);
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, parentView.addr, SIZE), ZX_OK);
    expectConsistent(proc, sys, [firstView, secondView]);
    store(proc, firstView.addr + 2n * P, new Uint8Array(8).fill(9));
    expectConsistent(proc, sys, [firstView, secondView]);
    assert.equal(load(proc, secondView.addr + 3n * P, 1)[0], 6);
    for (const view of [firstView, secondView]) {
      expectStatus(sys.zx_vmar_unmap(proc.rootVmar, view.addr, SIZE), ZX_OK);
      expectStatus(sys.zx_handle_close(view.vmo), ZX_OK);
    }
    assert.equal(kmemStats(kernel, proc).free_bytes, free);
  });

  it('forks a page into the clone only, after protecting its mapping back to writable', () => {
    const { sys, proc } = newProcess();
    const parentVmo = createVmo(sys, SIZE);
    writeVmo(sys, parentVmo, 0, pattern(SIZE, 5));
    const clone = child(sys, parentVmo);
    const kid = { vmo: clone, addr: map(sys, proc.rootVmar, RW, 0, clone, 0, SIZE) };
    expectStatus(sys.zx_vmar_protect(proc.rootVmar, R, kid.addr, SIZE), ZX_OK);
    load(proc, kid.addr, SIZE);
    expectStatus(sys.zx_vmar_protect(proc.rootVmar, RW, kid.addr, SIZE), ZX_OK);
    store(proc, kid.addr, new Uint8Array(16).fill(0xab));
    assert.deepEqual(readVmo(sys, parentVmo, 0, SIZE), pattern(SIZE, 5));
    assert.equal(readVmo(sys, clone, 0, 1)[0], 0xab);
    expectCleanTables(proc);
  });

  it('shares every write between a VMO, its slices and its references', () => {
    const { sys, proc } = newProcess();
    const parentVmo = createVmo(sys, SIZE);
    const sliceHandle = out(0);
    expectStatus(
      sys.zx_vmo_create_child(parentVmo, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE, sliceHandle),
      ZX_OK,
    );
    const reference = child(sys, parentVmo, ZX_VMO_CHILD_REFERENCE, 0);
    const parentAddr = map(sys, proc.rootVmar, RW, 0, parentVmo, 0, SIZE);
    const sliceAddr = map(sys, proc.rootVmar, RW, 0, sliceHandle.value, 0, 2 * PAGE);
    const referenceAddr = map(sys, proc.rootVmar, RW, 0, reference, 0, SIZE);
    load(proc, parentAddr, SIZE);
    load(proc, sliceAddr, 2 * PAGE);
    store(proc, sliceAddr + 10n, new Uint8Array([1, 2, 3]));
    assert.deepEqual(load(proc, parentAddr + P + 10n, 3), new Uint8Array([1, 2, 3]));
    assert.deepEqual(load(proc, referenceAddr + P + 10n, 3), new Uint8Array([1, 2, 3]));
    store(proc, referenceAddr + 2n * P, new Uint8Array([4]));
    assert.equal(load(proc, sliceAddr + P, 1)[0], 4);
    expectCleanTables(proc);
  });
});
