// Deep chains of snapshots: every level reads what an eager copy would, skip lists take reads
// straight to the ancestor holding each page (and agree with a slow walk), and random writes,
// zeros and closes along the chain keep everything right and leak nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ZX_OK, ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_OP_ZERO } from '../../../src/abi/constants.ts';
import { createVmo, expectStatus, kmemStats, newProcess, PAGE } from '../../helpers.ts';
import {
  checkAttributionSum,
  checkTree,
  child,
  tags,
  vmoObject,
  writeTag,
} from './tree-helpers.ts';

/** A small deterministic generator, so failures replay. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('a deep chain of snapshots', () => {
  it('reads like eager copies at every depth, through skip lists', () => {
    const { kernel, proc, sys } = newProcess();
    const pages = 16;
    const depth = 60;
    const root = createVmo(sys, pages * PAGE);
    let expected = Array.from({ length: pages }, (_, i) => i + 1);
    for (let page = 0; page < pages; page++) writeTag(sys, root, page, page + 1);
    const levels = [{ handle: root, expected }];
    for (let i = 1; i <= depth; i++) {
      const c = child(sys, levels[i - 1]!.handle, ZX_VMO_CHILD_SNAPSHOT, 0, pages * PAGE);
      const page = i % pages;
      writeTag(sys, c, page, 1000 + i);
      expected = expected.map((tag, p) => (p === page ? 1000 + i : tag));
      levels.push({ handle: c, expected });
    }
    for (const { handle, expected: want } of levels)
      assert.deepEqual(tags(sys, handle, pages), want);
    // The deepest leaf keeps a skip list; the tree check compares it with slow walks.
    assert.ok(vmoObject(proc, levels[depth]!.handle).vmo.cow.skip !== null);
    checkAttributionSum(
      kernel,
      proc,
      levels.map((l) => l.handle),
    );
    for (const { handle } of levels) sys.zx_handle_close(handle);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n);
  });

  it('stays right under random writes, zeros and closes along the chain', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const { kernel, proc, sys } = newProcess();
      const pages = 8;
      const root = createVmo(sys, pages * PAGE);
      const live: { handle: number; expected: number[] }[] = [
        { handle: root, expected: new Array(pages).fill(0) },
      ];
      for (let step = 0; step < 200; step++) {
        const pick = live[Math.floor(next() * live.length)]!;
        const page = Math.floor(next() * pages);
        const what = next();
        if (what < 0.35 && live.length < 24) {
          const c = child(sys, pick.handle, ZX_VMO_CHILD_SNAPSHOT, 0, pages * PAGE);
          live.push({ handle: c, expected: [...pick.expected] });
        } else if (what < 0.7) {
          writeTag(sys, pick.handle, page, step + 1);
          pick.expected[page] = step + 1;
        } else if (what < 0.8) {
          expectStatus(
            sys.zx_vmo_op_range(pick.handle, ZX_VMO_OP_ZERO, page * PAGE, PAGE, null, 0),
            ZX_OK,
          );
          pick.expected[page] = 0;
        } else if (live.length > 1) {
          sys.zx_handle_close(pick.handle);
          live.splice(live.indexOf(pick), 1);
        }
        for (const { handle, expected } of live) {
          assert.deepEqual(tags(sys, handle, pages), expected, `seed ${seed} step ${step}`);
        }
        if (step % 10 === 0)
          checkAttributionSum(
            kernel,
            proc,
            live.map((l) => l.handle),
          );
      }
      checkTree(proc, live[0]!.handle);
      for (const { handle } of live) sys.zx_handle_close(handle);
      assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n, `seed ${seed}`);
    }
  });
});
