// Deep chains of snapshots: every level reads what an eager copy would, skip lists take reads
// straight to the ancestor holding each page (and agree with a slow walk), and random writes,
// zeros and closes along the chain keep everything right and leak nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

import { ZX_OK, ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_OP_ZERO } from '../../../src/abi/constants.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { createVmo, expectStatus, kmemStats, newKernel, newProcess, PAGE } from '../../helpers.ts';
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

// Closing a chain of 20,000 snapshots, each a snapshot of the one before that wrote one page
// (so the chain really is that deep). Root pages 0..7 hold data, pages 12..15 are never written
// anywhere (lookups of them would go to the root). Closing costs what the closed VMO owned and
// saw, never the depth: the old code took seconds to minutes here, oldest-first.

const LEVELS = 20_000;
const CHAIN_PAGES = 16;
/** Generous for a shared machine, far below what quadratic closing takes. */
const CLOSE_BUDGET_MS = 5_000;

/** The tag level `level` of the chain reads at `page`. */
function chainTag(level: number, page: number): number {
  if (page >= 12) return 0;
  const last = level - ((level - page + 12) % 12);
  if (last >= 1) return last;
  return page < 8 ? 100_000 + page : 0;
}

/** A chain of `levels` snapshots over a root VMO: the handles, root first. */
function buildChain(sys: Syscalls, levels: number): number[] {
  const root = createVmo(sys, CHAIN_PAGES * PAGE);
  for (let page = 0; page < 8; page++) writeTag(sys, root, page, 100_000 + page);
  const handles = [root];
  for (let level = 1; level <= levels; level++) {
    const c = child(sys, handles[level - 1]!, ZX_VMO_CHILD_SNAPSHOT, 0, CHAIN_PAGES * PAGE);
    writeTag(sys, c, level % 12, level);
    handles.push(c);
  }
  return handles;
}

function expectLevel(sys: Syscalls, handles: number[], level: number): void {
  const want = Array.from({ length: CHAIN_PAGES }, (_, page) => chainTag(level, page));
  assert.deepEqual(tags(sys, handles[level]!, CHAIN_PAGES), want, `level ${level}`);
}

/** The order to close levels [0, n) in. */
function closeOrder(kind: 'oldest' | 'newest' | 'random', n: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  if (kind === 'newest') order.reverse();
  if (kind === 'random') {
    const next = random(0xc105e);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  return order;
}

/** The host's garbage collector (exposed at run time, as node's --expose-gc would). */
function collectGarbage(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

describe('closing a deep chain of snapshots', () => {
  for (const kind of ['oldest', 'newest', 'random'] as const) {
    it(`closes ${LEVELS} levels ${kind === 'random' ? 'in a random order' : `${kind}-first`} in time, giving every frame back`, (t) => {
      const { kernel, proc, sys } = newProcess(newKernel({ memoryBytes: 128 * 1024 * 1024 }));
      const free = kmemStats(kernel, proc).free_bytes;
      const handles = buildChain(sys, LEVELS);
      for (const level of [0, 1, 13, LEVELS / 2, LEVELS - 1, LEVELS]) {
        expectLevel(sys, handles, level);
      }
      const order = closeOrder(kind, handles.length);
      const start = performance.now();
      for (let i = 0; i < order.length; i++) {
        expectStatus(sys.zx_handle_close(handles[order[i]!]!), ZX_OK);
        if (i === order.length >> 1) {
          // Half closed: whatever is left still reads what it wrote and what it saw.
          const alive = order.slice(i + 1).filter((l) => l % 997 === 0 || l === LEVELS);
          for (const level of alive) expectLevel(sys, handles, level);
        }
      }
      const elapsed = performance.now() - start;
      t.diagnostic(`closed in ${elapsed.toFixed(0)} ms`);
      assert.ok(elapsed < CLOSE_BUDGET_MS, `closing took ${elapsed.toFixed(0)} ms`);
      const end = kmemStats(kernel, proc);
      assert.equal(end.vmo_bytes, 0n);
      assert.equal(end.free_bytes, free);
    });
  }

  it('keeps every tree rule while a chain is closed from either end', () => {
    for (const kind of ['oldest', 'newest', 'random'] as const) {
      const { kernel, proc, sys } = newProcess();
      const handles = buildChain(sys, 120);
      const order = closeOrder(kind, handles.length);
      for (let i = 0; i < order.length; i++) {
        sys.zx_handle_close(handles[order[i]!]!);
        if (i % 10 !== 9 || i + 1 === order.length) continue;
        const alive = order.slice(i + 1);
        checkTree(proc, handles[alive[0]!]!);
        for (const level of alive) expectLevel(sys, handles, level);
        checkAttributionSum(
          kernel,
          proc,
          alive.map((l) => handles[l]!),
        );
      }
      assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n, kind);
    }
  });

  it('leaves the host heap where it was once every level is closed', (t) => {
    const gc = collectGarbage();
    const { kernel, proc, sys } = newProcess(newKernel({ memoryBytes: 128 * 1024 * 1024 }));
    // A first, shorter chain warms up the kernel's tables (handle table, free list).
    for (const h of buildChain(sys, 2_000)) sys.zx_handle_close(h);
    gc();
    const before = process.memoryUsage().heapUsed;
    const handles = buildChain(sys, LEVELS);
    gc();
    const held = process.memoryUsage().heapUsed - before;
    for (const level of closeOrder('random', handles.length)) sys.zx_handle_close(handles[level]!);
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    t.diagnostic(
      `heap: ${(held / 1024 / 1024).toFixed(1)} MiB with the chain, ${(growth / 1024).toFixed(0)} KiB after closing it`,
    );
    assert.ok(growth < 4 * 1024 * 1024, `heap grew by ${(growth / 1024 / 1024).toFixed(1)} MiB`);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n);
  });

  // Snapshots of one VMO, one after another, make a chain of hidden nodes as deep as there are
  // snapshots (each new one splits the VMO from the pages it wrote since the last). Closing them
  // used to walk that chain on every close, in any order: 20,000 closes took about 50 s oldest
  // first (a heap snapshotted every second, the oldest dropped), 21 s newest first and 10 s in
  // a random order (and before that, oldest first overflowed the host stack). Each close now
  // costs its sibling's entries and the pages it looked up.
  const SNAPSHOTS = 20_000;
  for (const kind of ['oldest', 'newest', 'random'] as const) {
    it(`closes ${SNAPSHOTS} snapshots of one live VMO ${kind === 'random' ? 'in a random order' : `${kind}-first`} in time`, (t) => {
      const { kernel, proc, sys } = newProcess(newKernel({ memoryBytes: 256 * 1024 * 1024 }));
      const free = kmemStats(kernel, proc).free_bytes;
      const pages = 4;
      const vmo = createVmo(sys, pages * PAGE);
      const snapshots: number[] = [];
      for (let i = 1; i <= SNAPSHOTS; i++) {
        writeTag(sys, vmo, i % pages, i);
        const snapshot = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, pages * PAGE);
        // Each snapshot holds more pages of its own than each hidden node: the cheapest child
        // of each hidden node is the hidden one below, level after level.
        writeTag(sys, snapshot, 2, 1_000_000 + i);
        writeTag(sys, snapshot, 3, 1_000_000 + i);
        snapshots.push(snapshot);
      }
      /** What snapshot `i` (0-based) reads: the VMO as it was, but pages 2 and 3 its own. */
      const expected = (i: number) =>
        Array.from({ length: pages }, (_, page) => {
          if (page >= 2) return 1_000_001 + i;
          const last = i + 1 - ((i + 1 - page + pages) % pages);
          return last >= 1 ? last : 0;
        });
      const order = closeOrder(kind, SNAPSHOTS);
      const start = performance.now();
      for (let i = 0; i < SNAPSHOTS; i++) {
        expectStatus(sys.zx_handle_close(snapshots[order[i]!]!), ZX_OK);
        if (i === SNAPSHOTS >> 1) {
          // Half closed: the rest still read what they saw and wrote.
          for (const left of order.slice(i + 1).filter((s) => s % 997 === 0)) {
            assert.deepEqual(
              tags(sys, snapshots[left]!, pages),
              expected(left),
              `snapshot ${left}`,
            );
          }
        }
      }
      const elapsed = performance.now() - start;
      t.diagnostic(`closed in ${elapsed.toFixed(0)} ms`);
      assert.ok(elapsed < CLOSE_BUDGET_MS, `closing took ${elapsed.toFixed(0)} ms`);
      assert.equal(tags(sys, vmo, pages)[SNAPSHOTS % pages], SNAPSHOTS, 'the VMO kept its pages');
      sys.zx_handle_close(vmo);
      const end = kmemStats(kernel, proc);
      assert.equal(end.vmo_bytes, 0n);
      assert.equal(end.free_bytes, free);
    });
  }
});
