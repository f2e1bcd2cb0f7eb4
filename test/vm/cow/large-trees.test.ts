// Wide and deep copy-on-write trees built from large VMOs: snapshots cost no per-page work
// (share counts follow from the tree), yet every figure stays exact: the frames held, each VMO's
// ZX_INFO_VMO attribution against the worked formula, the share counts against a count of the
// leaves that see each page (checkCowTree), the scaled bytes adding up to the memory held.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_OK,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
} from '../../../src/abi/constants.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { FRACTION_ONE, pageShare } from '../../../src/vm/cow-attribution.ts';
import {
  createVmo,
  expectStatus,
  kmemStats,
  newKernel,
  newProcess,
  PAGE,
  vmoInfo,
} from '../../helpers.ts';
import { checkTree, child, readTag, writeTag } from './tree-helpers.ts';

const MiB = 1024 * 1024;

function committed(sys: Syscalls, size: number): number {
  const handle = createVmo(sys, size);
  expectStatus(sys.zx_vmo_op_range(handle, ZX_VMO_OP_COMMIT, 0, size, null, 0), ZX_OK);
  return handle;
}

/** Scaled bytes of `pages` pages each seen by k VMOs, as [integral, fraction] with carry. */
function scaledOf(parts: [pages: number, k: number][]): [bigint, bigint] {
  let integral = 0n;
  let fraction = 0n;
  for (const [pages, k] of parts) {
    const share = pageShare(k);
    integral += share.integral * BigInt(pages);
    fraction += share.fraction * BigInt(pages);
  }
  return [integral + fraction / FRACTION_ONE, fraction % FRACTION_ONE];
}

/** The scaled bytes of every handle, summed with carry, rounded up: the memory they split. */
function scaledSum(sys: Syscalls, handles: number[]): bigint {
  let integral = 0n;
  let fraction = 0n;
  for (const handle of handles) {
    const info = vmoInfo(sys, handle);
    integral += info.committed_scaled_bytes;
    fraction += info.committed_fractional_scaled_bytes;
  }
  return integral + (fraction + FRACTION_ONE - 1n) / FRACTION_ONE;
}

describe('large copy-on-write trees', () => {
  it('1000 snapshots of 256 MiB, each writing one page, hold exactly 256 MiB + 1000 pages', () => {
    const kernel = newKernel({ memoryBytes: 512 * MiB });
    const { proc, sys } = newProcess(kernel);
    const size = 256 * MiB;
    const pages = size / PAGE;
    const count = 1000;
    const original = committed(sys, size);
    const snapshots: number[] = [];
    for (let i = 0; i < count; i++) {
      const snap = child(sys, original, ZX_VMO_CHILD_SNAPSHOT, 0, size);
      writeTag(sys, snap, i, 7000 + i);
      snapshots.push(snap);
    }
    assert.equal(kmemStats(kernel, proc).vmo_bytes, BigInt(size + count * PAGE));
    // Pages 0..999 are seen by the original and 999 snapshots; the rest by all 1001 VMOs.
    const info = vmoInfo(sys, original);
    assert.equal(info.committed_bytes, BigInt(size));
    assert.equal(info.committed_private_bytes, 0n);
    const [integral, fraction] = scaledOf([
      [count, count],
      [pages - count, count + 1],
    ]);
    assert.equal(info.committed_scaled_bytes, integral);
    assert.equal(info.committed_fractional_scaled_bytes, fraction);
    for (const i of [0, 499, 999]) {
      const snap = vmoInfo(sys, snapshots[i]!);
      assert.equal(snap.committed_bytes, BigInt(size));
      assert.equal(snap.committed_private_bytes, BigInt(PAGE));
      const [whole, part] = scaledOf([
        [1, 1],
        [count - 1, count],
        [pages - count, count + 1],
      ]);
      assert.equal(snap.committed_scaled_bytes, whole);
      assert.equal(snap.committed_fractional_scaled_bytes, part);
      assert.equal(readTag(sys, snapshots[i]!, i), 7000 + i);
    }
    assert.equal(scaledSum(sys, [original, ...snapshots]), BigInt(size + count * PAGE));
    // Closing the original first leaves every hidden page to the snapshots.
    sys.zx_handle_close(original);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, BigInt(size + count * PAGE));
    for (const snap of snapshots) sys.zx_handle_close(snap);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n);
  });

  it('a wide and deep tree of a 16 MiB VMO stays exact through writes, zeros and closes', () => {
    const kernel = newKernel({ memoryBytes: 512 * MiB });
    const { proc, sys } = newProcess(kernel);
    const size = 16 * MiB;
    const pages = size / PAGE;
    const root = committed(sys, size);
    for (let page = 0; page < pages; page += 97) writeTag(sys, root, page, page + 1);
    const live = [root];
    let seed = 12345;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 24; round++) {
      const source = live[next(live.length)]!;
      // Some snapshots take part of the source, at an offset.
      const partial = round % 5 === 4;
      const offset = partial ? 64 * PAGE : 0;
      const snap = child(sys, source, ZX_VMO_CHILD_SNAPSHOT, offset, partial ? size / 2 : size);
      live.push(snap);
      // One VMO in three writes a tenth of its pages (strided), so the tree grows deep too.
      const writer = live[next(live.length)]!;
      if (round % 3 === 0) {
        const span = Number(vmoInfo(sys, writer).size_bytes) / PAGE;
        for (let page = round % 10; page < span; page += 10) writeTag(sys, writer, page, round);
      }
      if (round % 4 === 3) {
        const zeroed = live[next(live.length)]!;
        expectStatus(
          sys.zx_vmo_op_range(zeroed, ZX_VMO_OP_ZERO, 8 * PAGE, 256 * PAGE, null, 0),
          ZX_OK,
        );
      }
      if (round % 6 === 5 && live.length > 2) {
        const [closed] = live.splice(1 + next(live.length - 1), 1);
        sys.zx_handle_close(closed!);
      }
      checkTree(proc, root);
      assert.equal(scaledSum(sys, live), kmemStats(kernel, proc).vmo_bytes);
    }
    for (const handle of live.reverse()) sys.zx_handle_close(handle);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n);
  });
});
