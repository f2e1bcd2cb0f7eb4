// Operations on children: COMMIT forks or commits zeros in a snapshot; DECOMMIT is refused on
// snapshots and on VMOs with snapshots; COMMIT, DECOMMIT, ZERO, reads and writes through slices
// and references act on the parent's pages; ZERO works everywhere without committing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
} from '../../../src/abi/constants.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createVmo,
  expectStatus,
  kmemStats,
  newProcess,
  PAGE,
  readVmo,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import {
  checkAttributionSum,
  checkTree,
  child,
  readTag,
  scaled,
  tagPages,
  tags,
  writeTag,
} from './tree-helpers.ts';

const P = BigInt(PAGE);

function op(sys: Syscalls, h: number, which: number, offset: number, size: number): number {
  return sys.zx_vmo_op_range(h, which, offset, size, null, 0);
}

describe('COMMIT on a snapshot', () => {
  it('forks the parent pages and commits zeros where the parent has none', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    expectStatus(op(sys, c, ZX_VMO_OP_COMMIT, 0, 3 * PAGE), ZX_OK);
    assert.equal(vmoInfo(sys, c).populated_private_bytes, 3n * P);
    assert.equal(scaled(sys, vmo), 2n * P);
    writeTag(sys, vmo, 0, 9);
    assert.deepEqual(tags(sys, c, 3), [1, 2, 0]);
    assert.deepEqual(tags(sys, vmo, 3), [9, 2, 0]);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 5n * P);
    checkAttributionSum(kernel, proc, [vmo, c]);
  });

  it('moves instead of copying pages nobody else sees any more', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    writeTag(sys, vmo, 0, 7);
    writeTag(sys, vmo, 1, 8);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 4n * P);
    expectStatus(op(sys, c, ZX_VMO_OP_COMMIT, 0, 2 * PAGE), ZX_OK);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 4n * P);
    assert.deepEqual(tags(sys, c, 2), [1, 2]);
    checkAttributionSum(kernel, proc, [vmo, c]);
  });
});

describe('DECOMMIT with snapshots', () => {
  it('is NOT_SUPPORTED on a snapshot and on a VMO that has one, and works once it is gone', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    const ref = child(sys, c, ZX_VMO_CHILD_REFERENCE, 0, 0);
    for (const h of [vmo, c, slice, ref]) {
      expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_ERR_NOT_SUPPORTED);
    }
    // Range and length checks come first.
    expectStatus(op(sys, c, ZX_VMO_OP_DECOMMIT, 0, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, c, ZX_VMO_OP_DECOMMIT, 0, 0), ZX_OK);
    sys.zx_handle_close(ref);
    sys.zx_handle_close(c);
    expectStatus(op(sys, vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 2), [0, 2]);
    expectStatus(op(sys, slice, ZX_VMO_OP_DECOMMIT, 1, PAGE - 1), ZX_ERR_INVALID_ARGS);
  });

  it('stays NOT_SUPPORTED on the original while a re-homed grandchild lives', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const g = child(sys, c, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    sys.zx_handle_close(c);
    expectStatus(op(sys, vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_ERR_NOT_SUPPORTED);
    sys.zx_handle_close(g);
    expectStatus(op(sys, vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_OK);
  });

  it('works on a snapshot once its parent is gone and it is a root again', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    tagPages(sys, vmo, 1);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    sys.zx_handle_close(vmo);
    expectStatus(op(sys, c, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_OK);
    assert.equal(readTag(sys, c, 0), 0);
  });
});

describe('operations through slices and references', () => {
  it('read and write the parent pages within the window, slices of slices included', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 8 * PAGE);
    tagPages(sys, vmo, 8);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 2 * PAGE, 4 * PAGE);
    const inner = child(sys, slice, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE);
    assert.deepEqual(tags(sys, slice, 4), [3, 4, 5, 6]);
    assert.deepEqual(tags(sys, inner, 2), [4, 5]);
    writeTag(sys, inner, 1, 50);
    writeTag(sys, slice, 0, 30);
    assert.deepEqual(tags(sys, vmo, 8), [1, 2, 30, 4, 50, 6, 7, 8]);
    expectStatus(sys.zx_vmo_read(inner, new Uint8Array(1), 2 * PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    // Bytes across a page boundary.
    writeVmo(sys, slice, PAGE - 2, new Uint8Array([1, 2, 3, 4]));
    assert.deepEqual(Array.from(readVmo(sys, vmo, 3 * PAGE - 2, 4)), [1, 2, 3, 4]);
  });

  it('commit, decommit and zero the parent pages of the window only', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE);
    expectStatus(op(sys, slice, ZX_VMO_OP_COMMIT, 0, 2 * PAGE), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 2n * P);
    assert.equal(vmoInfo(sys, slice).committed_bytes, 0n);
    tagPages(sys, vmo, 4);
    expectStatus(op(sys, slice, ZX_VMO_OP_DECOMMIT, PAGE, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 4), [1, 2, 0, 4]);
    expectStatus(op(sys, slice, ZX_VMO_OP_DECOMMIT, PAGE, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, slice, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 4), [1, 0, 0, 4]);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 2n * P);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    expectStatus(op(sys, ref, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 4), [0, 0, 0, 4]);
    writeTag(sys, ref, 2, 6);
    expectStatus(op(sys, ref, ZX_VMO_OP_ZERO, 3 * PAGE, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 4), [0, 0, 6, 0]);
    checkAttributionSum(kernel, proc, [vmo, slice, ref]);
  });

  it('fork into the snapshot a slice or reference looks at', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    const slice = child(sys, c, ZX_VMO_CHILD_SLICE, PAGE, PAGE);
    const ref = child(sys, c, ZX_VMO_CHILD_REFERENCE, 0, 0);
    writeTag(sys, slice, 0, 8);
    expectStatus(op(sys, ref, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_OK);
    expectStatus(op(sys, ref, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, c, 2), [0, 8]);
    assert.deepEqual(tags(sys, ref, 2), [0, 8]);
    assert.deepEqual(tags(sys, vmo, 2), [1, 2]);
    checkAttributionSum(kernel, proc, [vmo, c, slice, ref]);
  });
});

describe('ZERO on snapshots', () => {
  it('commits nothing, hides the parent pages, and leaves the parent alone', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
    const before = kmemStats(kernel, proc).vmo_bytes;
    expectStatus(op(sys, c, ZX_VMO_OP_ZERO, PAGE, PAGE), ZX_OK);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, before);
    assert.deepEqual(tags(sys, c, 4), [1, 0, 3, 4]);
    assert.deepEqual(tags(sys, vmo, 4), [1, 2, 3, 4]);
    // Zeroing the tail just stops looking at the parent.
    expectStatus(op(sys, c, ZX_VMO_OP_ZERO, 2 * PAGE, 2 * PAGE), ZX_OK);
    assert.deepEqual(tags(sys, c, 4), [1, 0, 0, 0]);
    writeTag(sys, c, 3, 44);
    assert.deepEqual(tags(sys, c, 4), [1, 0, 0, 44]);
    assert.deepEqual(tags(sys, vmo, 4), [1, 2, 3, 4]);
    checkAttributionSum(kernel, proc, [vmo, c]);
    // Once the clone has dropped its view, the parent's pages are its own again.
    assert.equal(vmoInfo(sys, vmo).populated_private_bytes, 3n * P);
  });

  it('forks a partially zeroed page and zeroes only those bytes', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    writeVmo(sys, vmo, 0, new Uint8Array(PAGE).fill(0x5a));
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    expectStatus(op(sys, c, ZX_VMO_OP_ZERO, 10, 20), ZX_OK);
    const bytes = readVmo(sys, c, 0, 40);
    assert.deepEqual(Array.from(bytes.subarray(8, 32)), [
      0x5a,
      0x5a,
      ...new Array(20).fill(0),
      0x5a,
      0x5a,
    ]);
    assert.equal(readVmo(sys, vmo, 15, 1)[0], 0x5a);
    checkAttributionSum(kernel, proc, [vmo, c]);
  });

  it('on the parent leaves what the snapshot sees', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    expectStatus(op(sys, vmo, ZX_VMO_OP_ZERO, 0, 2 * PAGE), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 2), [0, 0]);
    assert.deepEqual(tags(sys, c, 2), [1, 2]);
    assert.equal(scaled(sys, c), 2n * P);
    checkAttributionSum(kernel, proc, [vmo, c]);
  });

  it('keeps a zeroed middle page zero after the child merges back (MarkerClearsSplitBits)', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE);
    writeTag(sys, vmo, 1, 42);
    let c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    writeTag(sys, c, 1, 42);
    expectStatus(op(sys, c, ZX_VMO_OP_ZERO, PAGE, PAGE), ZX_OK);
    assert.equal(readTag(sys, c, 1), 0);
    checkTree(proc, c);
    sys.zx_handle_close(c);
    c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    writeTag(sys, c, 1, 43);
    assert.equal(readTag(sys, vmo, 1), 42);
    checkAttributionSum(kernel, proc, [vmo, c]);
  });

  it('through a grandchild hides pages both ancestors hold', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    writeTag(sys, vmo, 0, 5);
    const g = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    expectStatus(op(sys, g, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, g, 2), [0, 2]);
    sys.zx_handle_close(vmo);
    assert.deepEqual(tags(sys, g, 2), [0, 2]);
    assert.deepEqual(tags(sys, c, 2), [1, 2]);
    checkAttributionSum(kernel, proc, [c, g]);
  });
});
