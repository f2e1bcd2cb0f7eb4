// Snapshot children behave as eager copies: reads, writes through parent and children in every
// order, ranges past the parent's end, clones of clones, and every snapshot type.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_OK,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_RESIZABLE,
} from '../../../src/abi/constants.ts';
import {
  createVmo,
  expectStatus,
  kmemStats,
  newProcess,
  out,
  PAGE,
  readVmo,
} from '../../helpers.ts';
import {
  checkAttributionSum,
  checkTree,
  child,
  permutations,
  readTag,
  scaled,
  tagPages,
  tags,
  writeTag,
} from './tree-helpers.ts';

describe('a snapshot', () => {
  it('reads what its parent held, and neither side sees the other write', () => {
    for (const type of [
      ZX_VMO_CHILD_SNAPSHOT,
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
      ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
    ]) {
      for (const writer of ['parent', 'child'] as const) {
        const { proc, sys } = newProcess();
        const vmo = createVmo(sys, PAGE);
        writeTag(sys, vmo, 0, 0xdeadbeef);
        const c = child(sys, vmo, type, 0, PAGE);
        assert.equal(readTag(sys, c, 0), 0xdeadbeef);
        writeTag(sys, writer === 'parent' ? vmo : c, 0, 0xc0ffee);
        assert.equal(readTag(sys, vmo, 0), writer === 'parent' ? 0xc0ffee : 0xdeadbeef);
        assert.equal(readTag(sys, c, 0), writer === 'parent' ? 0xdeadbeef : 0xc0ffee);
        checkTree(proc, vmo);
      }
    }
  });

  it('survives the close of either side with its data', () => {
    for (const closeParent of [true, false]) {
      const { kernel, proc, sys } = newProcess();
      const vmo = createVmo(sys, 2 * PAGE);
      tagPages(sys, vmo, 2);
      const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
      sys.zx_handle_close(closeParent ? vmo : c);
      const left = closeParent ? c : vmo;
      assert.deepEqual(tags(sys, left, 2), [1, 2]);
      assert.equal(scaled(sys, left), BigInt(2 * PAGE));
      checkAttributionSum(kernel, proc, [left]);
    }
  });

  it('reads zeros past the parent end, and writing there allocates a fresh page', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    tagPages(sys, vmo, 1);
    const far = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 2 * PAGE, 2 * PAGE);
    assert.deepEqual(tags(sys, far, 2), [0, 0]);
    assert.equal(scaled(sys, far), 0n);
    assert.equal(scaled(sys, vmo), BigInt(PAGE));
    const over = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    assert.deepEqual(tags(sys, over, 3), [1, 0, 0]);
    writeTag(sys, over, 2, 7);
    assert.deepEqual(tags(sys, over, 3), [1, 0, 7]);
    checkAttributionSum(kernel, proc, [vmo, far, over]);
  });

  it('does not see pages its resizable parent grows into later', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE, ZX_VMO_RESIZABLE);
    tagPages(sys, vmo, 1);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    expectStatus(sys.zx_vmo_set_size(vmo, 2 * PAGE), ZX_OK);
    writeTag(sys, vmo, 1, 9);
    assert.deepEqual(tags(sys, c, 2), [1, 0]);
    assert.deepEqual(tags(sys, vmo, 2), [1, 9]);
  });

  it('at an offset sees the parent pages from there, and forks into itself only', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE);
    tagPages(sys, vmo, 3);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, 3 * PAGE);
    assert.deepEqual(tags(sys, c, 3), [2, 3, 0]);
    assert.equal(scaled(sys, vmo), BigInt(2 * PAGE));
    assert.equal(scaled(sys, c), BigInt(PAGE));
    writeTag(sys, c, 1, 4);
    sys.zx_handle_close(vmo);
    assert.deepEqual(tags(sys, c, 3), [2, 4, 0]);
    // The clone keeps only what it can see: two pages.
    assert.equal(scaled(sys, c), BigInt(2 * PAGE));
    checkAttributionSum(kernel, proc, [c]);
  });

  it('of a clone of a clone sees through both, and never past the middle clone', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE);
    tagPages(sys, vmo, 3);
    const small = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, PAGE);
    const grand = child(sys, small, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    assert.deepEqual(tags(sys, grand, 2), [2, 0]);
  });

  it('of a reference copies the pages they share', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    const snap = child(sys, ref, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    writeTag(sys, vmo, 0, 8);
    writeTag(sys, ref, 1, 9);
    assert.deepEqual(tags(sys, snap, 2), [1, 2]);
    assert.deepEqual(tags(sys, ref, 2), [8, 9]);
  });

  it('writes without extra allocations into pages nobody else sees', () => {
    const { kernel, proc, sys } = newProcess();
    const vmos = [createVmo(sys, PAGE)];
    vmos.push(child(sys, vmos[0]!, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE));
    vmos.push(child(sys, vmos[0]!, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE));
    vmos.push(child(sys, vmos[1]!, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE));
    for (let i = 0; i < 4; i++) {
      writeTag(sys, vmos[i]!, 0, i + 1);
      for (let j = 0; j < 4; j++) {
        assert.equal(readTag(sys, vmos[j]!, 0), j <= i ? j + 1 : 0);
        assert.equal(scaled(sys, vmos[j]!), j <= i ? BigInt(PAGE) : 0n);
      }
    }
    assert.equal(kmemStats(kernel, proc).vmo_bytes, BigInt(4 * PAGE));
  });

  it('keeps every VMO right whatever order parent and children write in', () => {
    for (const order of permutations(4)) {
      const { kernel, proc, sys } = newProcess();
      const vmos = [createVmo(sys, PAGE)];
      writeTag(sys, vmos[0]!, 0, 0xdeadbeef);
      vmos.push(child(sys, vmos[0]!, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE));
      vmos.push(child(sys, vmos[0]!, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE));
      vmos.push(child(sys, vmos[1]!, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE));
      const written = [false, false, false, false];
      for (const i of order) {
        writeTag(sys, vmos[i]!, 0, 0xc0ffee + i);
        written[i] = true;
        for (let j = 0; j < 4; j++) {
          assert.equal(readTag(sys, vmos[j]!, 0), written[j] ? 0xc0ffee + j : 0xdeadbeef);
        }
        checkAttributionSum(kernel, proc, vmos);
      }
      // Four private pages: nothing was copied twice, nothing is left over.
      assert.equal(kmemStats(kernel, proc).vmo_bytes, BigInt(4 * PAGE));
    }
  });

  it('keeps every mapping right whatever order parent and children write through them', () => {
    for (const order of permutations(4)) {
      const { proc, sys } = newProcess();
      const vmos = [createVmo(sys, 2 * PAGE)];
      writeTag(sys, vmos[0]!, 0, 1);
      vmos.push(child(sys, vmos[0]!, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE));
      vmos.push(child(sys, vmos[0]!, ZX_VMO_CHILD_SNAPSHOT, PAGE, PAGE));
      vmos.push(child(sys, vmos[0]!, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE));
      const addrs = vmos.map((h) => {
        const addr = out(0n);
        const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
        expectStatus(sys.zx_vmar_map(proc.rootVmar, perms, 0, h, 0, PAGE, addr), ZX_OK);
        return addr.value;
      });
      const load = (i: number) => {
        const bytes = new Uint8Array(4);
        expectStatus(proc.load(addrs[i]!, bytes), ZX_OK);
        return new DataView(bytes.buffer).getUint32(0, true);
      };
      for (let i = 0; i < 4; i++) assert.equal(load(i), i === 2 ? 0 : 1);
      const written = [false, false, false, false];
      for (const i of order) {
        const bytes = new Uint8Array(4);
        new DataView(bytes.buffer).setUint32(0, 100 + i, true);
        expectStatus(proc.store(addrs[i]!, bytes), ZX_OK);
        written[i] = true;
        for (let j = 0; j < 4; j++) assert.equal(load(j), written[j] ? 100 + j : j === 2 ? 0 : 1);
      }
      for (let i = 0; i < 4; i++) assert.equal(readTag(sys, vmos[i]!, 0), 100 + i);
      checkTree(proc, vmos[0]!);
    }
  });

  it('of a resizable parent can itself be resizable, and each resizes alone', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE, ZX_VMO_RESIZABLE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0, 2 * PAGE);
    expectStatus(sys.zx_vmo_set_size(c, 4 * PAGE), ZX_OK);
    assert.deepEqual(tags(sys, c, 4), [1, 2, 0, 0]);
    assert.deepEqual(Array.from(readVmo(sys, vmo, 0, 4)), [1, 0, 0, 0]);
  });
});
