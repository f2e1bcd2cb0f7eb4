// Closing the VMOs of small trees in every order: after each close, every VMO left must read
// exactly what it read before, its attribution must add up with the others' to the memory the
// kernel holds, the tree must pass its debug checks, and when all are closed every frame must
// be back (KMEM vmo_bytes of 0).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
} from '../../../src/abi/constants.ts';
import { createVmo, kmemStats, newProcess, PAGE } from '../../helpers.ts';
import {
  checkAttributionSum,
  child,
  permutations,
  readTag,
  scaled,
  tagPages,
  tags,
  writeTag,
} from './tree-helpers.ts';

interface Tree {
  t: ReturnType<typeof newProcess>;
  /** Handles, with the tags each must keep reading. */
  vmos: { handle: number; expected: number[] }[];
}

function checkCloseOrders(name: string, count: number, build: () => Tree): void {
  it(`keeps data and accounting right in every close order of ${name}`, () => {
    for (const order of permutations(count)) {
      const { t, vmos } = build();
      assert.equal(vmos.length, count);
      const { kernel, proc, sys } = t;
      const open = new Set(vmos.map((_, i) => i));
      for (const victim of order) {
        sys.zx_handle_close(vmos[victim]!.handle);
        open.delete(victim);
        for (const i of open) {
          const { handle, expected } = vmos[i]!;
          assert.deepEqual(tags(sys, handle, expected.length), expected, `order ${order}`);
        }
        checkAttributionSum(
          kernel,
          proc,
          [...open].map((i) => vmos[i]!.handle),
        );
      }
      assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n, `frames left after order ${order}`);
    }
  });
}

describe('closing VMOs of a clone tree', () => {
  checkCloseOrders('a parent, a clone, a clone of the clone and an offset clone', 4, () => {
    const t = newProcess();
    const { sys } = t;
    const vmo = createVmo(sys, 3 * PAGE);
    tagPages(sys, vmo, 3);
    const c1 = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    writeTag(sys, c1, 1, 11);
    const c2 = child(sys, c1, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
    writeTag(sys, c2, 3, 23);
    const c3 = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, 2 * PAGE);
    writeTag(sys, vmo, 2, 33);
    return {
      t,
      vmos: [
        { handle: vmo, expected: [1, 2, 33] },
        { handle: c1, expected: [1, 11, 3] },
        { handle: c2, expected: [1, 11, 3, 23] },
        { handle: c3, expected: [2, 3] },
      ],
    };
  });

  checkCloseOrders('four disjoint leaf clones (DisjointCloneTest2)', 4, () => {
    const t = newProcess();
    const { sys } = t;
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const middle = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, 2 * PAGE);
    const leaves = [
      child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE),
      child(sys, middle, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE),
      child(sys, middle, ZX_VMO_CHILD_SNAPSHOT, PAGE, PAGE),
      child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 3 * PAGE, PAGE),
    ];
    sys.zx_handle_close(vmo);
    sys.zx_handle_close(middle);
    for (const [i, leaf] of leaves.entries()) assert.equal(scaled(sys, leaf), BigInt(PAGE), `${i}`);
    return { t, vmos: leaves.map((handle, i) => ({ handle, expected: [i + 1] })) };
  });

  checkCloseOrders(
    'a VMO with a slice, a reference, a snapshot of the reference and its clone',
    5,
    () => {
      const t = newProcess();
      const { sys } = t;
      const vmo = createVmo(sys, 2 * PAGE);
      tagPages(sys, vmo, 2);
      const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, PAGE, PAGE);
      const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
      const snap = child(sys, ref, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
      writeTag(sys, slice, 0, 5);
      const grand = child(sys, snap, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
      writeTag(sys, snap, 0, 7);
      return {
        t,
        vmos: [
          { handle: vmo, expected: [1, 5] },
          { handle: slice, expected: [5] },
          { handle: ref, expected: [1, 5] },
          { handle: snap, expected: [7, 2] },
          { handle: grand, expected: [1, 2] },
        ],
      };
    },
  );

  checkCloseOrders('the survivors of a merge of a hidden node into a hidden child', 3, () => {
    // Zircon's ParentStartLimitRegression shape: hidden nodes with offsets on both sides.
    const t = newProcess();
    const { sys } = t;
    const r = createVmo(sys, 3 * PAGE);
    tagPages(sys, r, 3);
    const m = child(sys, r, ZX_VMO_CHILD_SNAPSHOT, PAGE, 2 * PAGE);
    const c = child(sys, m, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const s = child(sys, r, ZX_VMO_CHILD_SNAPSHOT, 2 * PAGE, PAGE);
    sys.zx_handle_close(r);
    const h = child(sys, m, ZX_VMO_CHILD_SNAPSHOT, PAGE, PAGE);
    sys.zx_handle_close(m);
    const hc = child(sys, h, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    assert.equal(readTag(sys, c, 0), 2);
    sys.zx_handle_close(c);
    return {
      t,
      vmos: [
        { handle: s, expected: [3] },
        { handle: h, expected: [3] },
        { handle: hc, expected: [3] },
      ],
    };
  });

  checkCloseOrders('a chain of progressive clones that each forked a page', 4, () => {
    const t = newProcess();
    const { sys } = t;
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const vmos = [{ handle: vmo, expected: [1, 2, 3, 4] }];
    let previous = vmo;
    let expected = [1, 2, 3, 4];
    for (let i = 1; i < 4; i++) {
      const c = child(sys, previous, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
      writeTag(sys, c, i, 10 * i);
      expected = expected.map((tag, page) => (page === i ? 10 * i : tag));
      vmos.push({ handle: c, expected });
      previous = c;
    }
    return { t, vmos };
  });
});
