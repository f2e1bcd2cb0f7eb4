// What mappings are told when pages of a tree change: a snapshot write-protects its parent's
// pages, a fork unmaps the old frame, and slices and references hear about their parent's
// pages. Then the same through real mappings (zx_vmar_map with load and store).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_OK,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../../src/abi/constants.ts';
import type { Process } from '../../../src/process.ts';
import type { PageObserver } from '../../../src/vm/vm-object.ts';
import { createVmo, expectStatus, newProcess, out, PAGE, vmoInfo } from '../../helpers.ts';
import { child, tagPages, vmoObject, writeTag } from './tree-helpers.ts';

/** An observer that records what it is told (a message repeated at once is kept once). */
function recorder(): PageObserver & { events: string[] } {
  const events: string[] = [];
  const record = (event: string) => {
    if (events.at(-1) !== event) events.push(event);
  };
  return {
    events,
    pagesRemoved: (start, end) => record(`removed ${start}-${end}`),
    pagesWriteProtected: (start, end) => record(`protected ${start}-${end}`),
  };
}

function observe(proc: Process, handle: number) {
  const observer = recorder();
  vmoObject(proc, handle).vmo.addMapping(observer);
  return observer;
}

describe('observers of a copy-on-write tree', () => {
  it('write-protect the parent when a snapshot is taken, and unmap a page it then forks', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const seen = observe(proc, vmo);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    assert.deepEqual(seen.events, ['protected 0-2']);
    const cseen = observe(proc, c);
    writeTag(sys, vmo, 1, 9);
    assert.deepEqual(seen.events, ['protected 0-2', 'removed 1-2']);
    writeTag(sys, c, 0, 9);
    assert.deepEqual(cseen.events, ['removed 0-1']);
  });

  it('tell a slice about its parent pages in its window, in its own page numbers', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 2 * PAGE, 2 * PAGE);
    const seen = observe(proc, slice);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0), ZX_OK);
    assert.deepEqual(seen.events, []);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, PAGE, 2 * PAGE, null, 0), ZX_OK);
    assert.deepEqual(seen.events, ['removed 0-1']);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 3 * PAGE, PAGE, null, 0), ZX_OK);
    assert.deepEqual(seen.events, ['removed 0-1', 'removed 1-2']);
    // A snapshot of the parent write-protects the slice too: it sees the same pages.
    child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    assert.equal(seen.events.at(-1), 'protected 0-2');
  });

  it('tell a reference and its parent about each other resizes', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE, ZX_VMO_RESIZABLE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    const seenParent = observe(proc, vmo);
    const seenRef = observe(proc, ref);
    expectStatus(sys.zx_vmo_set_size(vmo, PAGE), ZX_OK);
    assert.deepEqual(seenParent.events, ['removed 1-3']);
    assert.deepEqual(seenRef.events, ['removed 1-3']);
  });
});

describe('mappings of children', () => {
  it('see a slice or reference write through to the parent, and a snapshot not', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, PAGE, PAGE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    const snap = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    const map = (h: number, size: number) => {
      const addr = out(0n);
      expectStatus(sys.zx_vmar_map(proc.rootVmar, perms, 0, h, 0, size, addr), ZX_OK);
      return addr.value;
    };
    const at = {
      vmo: map(vmo, 2 * PAGE),
      slice: map(slice, PAGE),
      ref: map(ref, 2 * PAGE),
      snap: map(snap, 2 * PAGE),
    };
    const load = (addr: bigint) => {
      const b = new Uint8Array(1);
      expectStatus(proc.load(addr, b), ZX_OK);
      return b[0];
    };
    expectStatus(proc.store(at.slice, new Uint8Array([77])), ZX_OK);
    assert.equal(load(at.vmo + BigInt(PAGE)), 77);
    assert.equal(load(at.ref + BigInt(PAGE)), 77);
    assert.equal(load(at.snap + BigInt(PAGE)), 2);
    expectStatus(proc.store(at.ref, new Uint8Array([66])), ZX_OK);
    assert.equal(load(at.vmo), 66);
    assert.equal(load(at.snap), 1);
    expectStatus(sys.zx_vmo_op_range(snap, ZX_VMO_OP_ZERO, 0, PAGE, null, 0), ZX_OK);
    assert.equal(load(at.snap), 0);
    assert.equal(load(at.vmo), 66);
  });

  it('map a snapshot read-only with MAP_RANGE without committing anything (MapRangeReadOnly)', () => {
    const { proc, sys } = newProcess();
    const pages = 5;
    const vmo = createVmo(sys, pages * PAGE);
    tagPages(sys, vmo, pages);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, pages * PAGE);
    const addr = out(0n);
    const options = ZX_VM_MAP_RANGE | ZX_VM_PERM_READ;
    expectStatus(sys.zx_vmar_map(proc.rootVmar, options, 0, c, 0, pages * PAGE, addr), ZX_OK);
    assert.equal(vmoInfo(sys, c).populated_private_bytes, 0n);
    assert.equal(vmoInfo(sys, vmo).populated_bytes, BigInt(pages * PAGE));
    const b = new Uint8Array(4);
    expectStatus(proc.load(addr.value + BigInt(3 * PAGE), b), ZX_OK);
    assert.equal(new DataView(b.buffer).getUint32(0, true), 4);
  });
});
