// Model-based test of a pager-backed VMO (issue 9): random sequences of steps run on the kernel
// and on a plain oracle (pager-oracle.ts). A model pager holds a "disk"; it supplies ranges from
// an aux VMO (or as zero, the aux VMO's pages left uncommitted), fails them with each status a
// pager may give, answers the READ and DIRTY requests of threads that wait on it (with supplies
// and ZX_PAGER_OP_DIRTY, or ZX_PAGER_OP_FAIL), writes back (WRITEBACK_BEGIN/END), and detaches
// the VMO. Host reads and writes return ZX_ERR_SHOULD_WAIT where a thread would wait. Children
// of every type are made of the root and of each other (SNAPSHOT is ZX_ERR_NOT_SUPPORTED under
// a pager, as upstream), written and closed in any order; the root is resized when RESIZABLE,
// VMOs are committed, hinted (DONT_NEED, ALWAYS_NEED) and refused DECOMMIT (pager-range-steps.ts),
// and memory pressure evicts clean pages. After every step: every page of every VMO reads as the
// oracle says (or waits, or fails as detached), zx_pager_query_dirty_ranges reports the oracle's
// dirty pages, the root's committed bytes and KMEM vmo_bytes are the oracle's frames, and
// attribution adds up. Each run ends by closing everything in a random order: every frame comes
// back.
//
// PMODEL_SEED and PMODEL_RUNS override the seed and the number of runs; PMODEL_REPLAY runs one
// counterexample (the JSON fast-check prints).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_IO,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_WRITEBACK_BEGIN,
  ZX_PAGER_OP_WRITEBACK_END,
  ZX_PAGER_VMO_DIRTY,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_OP_COMMIT,
} from '../../src/abi/constants.ts';
import { createVmo, kmemStats, out, PAGE } from '../helpers.ts';
import type { View } from './pager-oracle.ts';
import { type RangeStep, runRangeStep, vmoOp } from './pager-range-steps.ts';
import {
  blockedStatus,
  CHILD_TYPES,
  FAIL_STATUSES,
  MAX_PAGES,
  MAX_VIEWS,
  tallies,
  tally,
  World,
  withPager,
} from './pager-world.ts';
import { expectBytes, expectStatus, statusName } from './real.ts';

// --- Steps ---

type Step =
  | { kind: 'supply'; start: number; count: number; zero: boolean }
  | { kind: 'fail'; start: number; count: number; status: number }
  | { kind: 'detach' }
  | { kind: 'read'; vmo: number; offset: number; length: number }
  | { kind: 'write'; vmo: number; offset: number; length: number; seed: number }
  | {
      kind: 'threadRead';
      vmo: number;
      offset: number;
      length: number;
      answers: number;
      status: number;
      mapped: boolean;
    }
  | {
      kind: 'threadWrite';
      vmo: number;
      page: number;
      at: number;
      length: number;
      seed: number;
      answers: number;
      status: number;
      mapped: boolean;
    }
  | { kind: 'opDirty'; start: number; count: number }
  | { kind: 'writeback'; begin: boolean; zero: boolean; start: number; count: number }
  | { kind: 'child'; vmo: number; type: number; offset: number; pages: number }
  | { kind: 'close'; vmo: number }
  | { kind: 'resize'; pages: number }
  | { kind: 'commit'; vmo: number; start: number; count: number }
  | { kind: 'evict'; count: number }
  | RangeStep;

/** A range [start, end) of the root's pages from two generated numbers (null when empty). */
function rootRange(w: World, start: number, count: number): [number, number] | null {
  const size = w.oracle.size;
  if (size === 0) return null;
  const s = start % size;
  return [s, s + 1 + (count % (size - s))];
}

function bytesFor(seed: number, length: number): Uint8Array {
  const data = new Uint8Array(length);
  for (let i = 0; i < length; i++) data[i] = (seed + i * 13) & 0xff || 0x5a;
  return data;
}

/** Pages [first, last] that bytes [offset, offset + length) touch. */
function touched(offset: number, length: number): number[] {
  if (length === 0) return [];
  const pages: number[] = [];
  for (let p = Math.floor(offset / PAGE); p <= Math.floor((offset + length - 1) / PAGE); p++) {
    pages.push(p);
  }
  return pages;
}

/** Applies a write of `data` at byte `offset` of view `v` to the oracle. */
function writeOracle(w: World, v: View, offset: number, data: Uint8Array): void {
  let done = 0;
  while (done < data.length) {
    const at = offset + done;
    const page = Math.floor(at / PAGE);
    const inPage = at % PAGE;
    const n = Math.min(PAGE - inPage, data.length - done);
    w.oracle.write(v.node, v.offset + page, inPage, data.subarray(done, done + n));
    done += n;
  }
}

/** What the oracle reads at bytes [offset, offset + length) of `v` (all pages readable). */
function readOracle(w: World, v: View, offset: number, length: number): Uint8Array {
  const result = new Uint8Array(length);
  for (let i = 0; i < length; ) {
    const at = offset + i;
    const bytes = w.oracle.read(v.node, v.offset + Math.floor(at / PAGE)) as Uint8Array;
    const n = Math.min(PAGE - (at % PAGE), length - i);
    result.set(bytes.subarray(at % PAGE, (at % PAGE) + n), i);
    i += n;
  }
  return result;
}

/** Maps all of `v` readable and writable in the process (null when it has no pages). */
function mapView(w: World, v: View): bigint | null {
  const size = w.pagesOf(v) * PAGE;
  if (size === 0) return null;
  const addr = out(0n);
  const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  const status = w.sys.zx_vmar_map(w.t.proc.rootVmar, perms, 0, v.handle, 0, size, addr);
  expectStatus(status, ZX_OK, 'zx_vmar_map');
  return addr.value;
}

function unmapView(w: World, v: View, at: bigint): void {
  const size = w.pagesOf(v) * PAGE;
  expectStatus(w.sys.zx_vmar_unmap(w.t.proc.rootVmar, at, size), ZX_OK, 'zx_vmar_unmap');
}

async function runStep(w: World, step: Step): Promise<void> {
  const sys = w.sys;
  const oracle = w.oracle;
  const what = JSON.stringify(step);
  switch (step.kind) {
    case 'supply': {
      const range = rootRange(w, step.start, step.count);
      if (range !== null) w.supply(range[0], range[1], what, step.zero);
      tally(`supply${step.zero ? ' of zeros' : ''}`);
      return;
    }
    case 'fail': {
      const range = rootRange(w, step.start, step.count);
      if (range !== null) w.fail(range[0], range[1], step.status, what);
      return;
    }
    case 'detach':
      expectStatus(sys.zx_pager_detach_vmo(w.pager, w.root), ZX_OK, what);
      oracle.detach();
      w.pending = [];
      return;
    case 'read':
    case 'write': {
      const v = w.pick(step.vmo);
      const size = w.pagesOf(v) * PAGE;
      // Mostly inside the VMO, sometimes past its end.
      const offset = step.offset % (size + (step.offset & 1 ? PAGE : 1));
      const buffer =
        step.kind === 'write' ? bytesFor(step.seed, step.length) : new Uint8Array(step.length);
      let expected = ZX_OK;
      if (offset + step.length > size) expected = ZX_ERR_OUT_OF_RANGE;
      else {
        for (const p of touched(offset, step.length)) {
          const index = v.offset + p;
          const seen =
            step.kind === 'read' ? oracle.read(v.node, index) : oracle.writeBlocked(v.node, index);
          if (seen !== null && !(seen instanceof Uint8Array)) expected = blockedStatus(seen);
        }
      }
      const status =
        step.kind === 'write'
          ? sys.zx_vmo_write(v.handle, buffer, offset, step.length)
          : sys.zx_vmo_read(v.handle, buffer, offset, step.length);
      expectStatus(status, expected, what);
      tally(`${step.kind} ${statusName(status)}`);
      if (status !== ZX_OK) return;
      if (step.kind === 'write') writeOracle(w, v, offset, buffer);
      else expectBytes(buffer, readOracle(w, v, offset, step.length), what);
      return;
    }
    case 'threadRead': {
      const v = w.pick(step.vmo);
      const size = w.pagesOf(v) * PAGE;
      const offset = step.offset % (size + 1);
      const length = Math.min(step.length, size - offset);
      const buffer = new Uint8Array(length);
      const at = step.mapped ? mapView(w, v) : null;
      const { result, failed } = await withPager(
        w,
        (th) =>
          at === null
            ? th.zx_vmo_read(v.handle, buffer, offset, length)
            : th.load(at + BigInt(offset), buffer),
        step.answers,
        step.status,
        what,
      );
      if (at !== null) unmapView(w, v, at);
      tally(`threadRead${at === null ? '' : ' (mapped)'} ${statusName(result)}`);
      if (result === ZX_OK) expectBytes(buffer, readOracle(w, v, offset, length), what);
      else expectFailure(w, v, offset, length, false, result, failed, what);
      return;
    }
    case 'threadWrite': {
      const v = w.pick(step.vmo);
      const pages = w.pagesOf(v);
      if (pages === 0) return;
      const page = step.page % pages;
      const inPage = step.at % PAGE;
      const length = Math.min(step.length, PAGE - inPage);
      const offset = page * PAGE + inPage;
      const data = bytesFor(step.seed, length);
      const at = step.mapped ? mapView(w, v) : null;
      const { result, failed } = await withPager(
        w,
        (th) =>
          at === null
            ? th.zx_vmo_write(v.handle, data, offset, length)
            : th.store(at + BigInt(offset), data),
        step.answers,
        step.status,
        what,
      );
      if (at !== null) unmapView(w, v, at);
      tally(`threadWrite ${v.kind}${at === null ? '' : ' (mapped)'} ${statusName(result)}`);
      if (result === ZX_OK) writeOracle(w, v, offset, data);
      else expectFailure(w, v, offset, length, true, result, failed, what);
      return;
    }
    case 'opDirty': {
      const range = rootRange(w, step.start, step.count);
      if (range === null) return;
      tally(`opDirty trap=${oracle.trapDirty} detached=${oracle.detached}`);
      if (!oracle.trapDirty) {
        expectStatus(w.op(ZX_PAGER_OP_DIRTY, ...range), ZX_ERR_NOT_SUPPORTED, what);
      } else if (!oracle.detached && oracle.canDirty(...range)) {
        expectStatus(w.op(ZX_PAGER_OP_DIRTY, ...range), ZX_OK, what);
        oracle.opDirty(...range);
        w.answered(...range, ZX_PAGER_VMO_DIRTY);
      }
      return;
    }
    case 'writeback': {
      const range = rootRange(w, step.start, step.count);
      if (range === null) return;
      const code = step.begin ? ZX_PAGER_OP_WRITEBACK_BEGIN : ZX_PAGER_OP_WRITEBACK_END;
      // BEGIN with IS_ZERO: the pager writes zeros, so only zero ranges await clean.
      const data = step.begin && step.zero ? ZX_VMO_DIRTY_RANGE_IS_ZERO : 0n;
      expectStatus(w.op(code, ...range, data), ZX_OK, what);
      if (step.begin) oracle.writebackBegin(...range, step.zero);
      else oracle.writebackEnd(...range);
      return;
    }
    case 'child': {
      if (w.views.length >= MAX_VIEWS) return;
      const v = w.pick(step.vmo);
      const size = w.pagesOf(v);
      if (size === 0) return;
      const type = CHILD_TYPES[step.type % CHILD_TYPES.length]!;
      const isRef = type === ZX_VMO_CHILD_REFERENCE;
      const offset = isRef ? 0 : step.offset % size;
      const pages = isRef ? 0 : 1 + (step.pages % (size - offset));
      let expected = ZX_OK;
      let made: View | null = null;
      if (type === ZX_VMO_CHILD_SNAPSHOT) expected = ZX_ERR_NOT_SUPPORTED;
      else if (type === ZX_VMO_CHILD_SLICE) {
        if (w.resizable(v)) expected = ZX_ERR_NOT_SUPPORTED;
        else made = { handle: 0, kind: 'slice', node: v.node, offset: v.offset + offset, pages };
      } else if (isRef) {
        if (v.kind === 'slice') expected = ZX_ERR_NOT_SUPPORTED;
        else
          made = { handle: 0, kind: 'reference', node: v.node, offset: v.offset, pages: v.pages };
      }
      const handle = out(0);
      const status = sys.zx_vmo_create_child(v.handle, type, offset * PAGE, pages * PAGE, handle);
      if (
        type === ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE ||
        type === ZX_VMO_CHILD_SNAPSHOT_MODIFIED
      ) {
        const snapshotType = type === ZX_VMO_CHILD_SNAPSHOT_MODIFIED ? 'modified' : 'alow';
        const node = oracle.snapshot(v, snapshotType, offset, pages);
        if (node === 'refused') expected = ZX_ERR_NOT_SUPPORTED;
        else made = { handle: 0, kind: 'clone', node, offset: 0, pages };
      }
      expectStatus(status, expected, what);
      const twoWay = made?.kind === 'clone' && made.node.parent!.hidden;
      tally(`child ${type} of ${v.kind} ${statusName(status)}${twoWay ? ' two-way' : ''}`);
      if (made === null) return;
      made.handle = handle.value;
      made.node.views++;
      w.views.push(made);
      return;
    }
    case 'close': {
      if (w.views.length < 2) return;
      const v = w.views[1 + (step.vmo % (w.views.length - 1))]!;
      expectStatus(sys.zx_handle_close(v.handle), ZX_OK, what);
      w.views.splice(w.views.indexOf(v), 1);
      oracle.closeView(v.node);
      return;
    }
    case 'resize': {
      if (!oracle.resizable) return;
      expectStatus(sys.zx_vmo_set_size(w.root, step.pages * PAGE), ZX_OK, what);
      oracle.resize(step.pages);
      return;
    }
    case 'commit': {
      // COMMIT by a thread, every request answered: the root's missing pages are supplied, its
      // dirty zero ranges asked DIRTY first on TRAP_DIRTY, then committed dirty; a child copies
      // every page of the range it does not hold. Not driven where a failure would leave part of
      // the range committed (README Known gaps).
      const v = w.pick(step.vmo);
      const pages = w.pagesOf(v);
      if (pages === 0 || oracle.detached) return;
      const start = step.start % pages;
      const end = start + 1 + (step.count % (pages - start));
      const indices = Array.from({ length: end - start }, (_, i) => v.offset + start + i);
      const zero = (i: number) => oracle.pages[i]?.kind === 'zero';
      const overZero = v.node === oracle.root && indices.some(zero);
      const { result } = await withPager(
        w,
        (th) => vmoOp(th, v.handle, ZX_VMO_OP_COMMIT, start, end),
        0xffffff,
        ZX_ERR_IO,
        what,
      );
      expectStatus(result, ZX_OK, what);
      tally(`commit of ${v.kind}${overZero ? ' over zero ranges' : ''}`);
      if (v.node === oracle.root) oracle.commitRoot(indices);
      else for (const i of indices) oracle.write(v.node, i, 0, new Uint8Array(0));
      return;
    }
    case 'zero':
    case 'dontNeed':
    case 'decommit':
    case 'alwaysNeed':
      return runRangeStep(w, step, what);
    case 'evict': {
      const clean = oracle.cleanPages();
      if (oracle.detached || clean.length === 0) return;
      const count = 1 + (step.count % clean.length);
      const free = Number(kmemStats(w.kernel, w.t.proc).free_bytes) / PAGE;
      const filler = createVmo(sys, (free + count) * PAGE);
      const status = vmoOp(sys, filler, ZX_VMO_OP_COMMIT, 0, free + count);
      expectStatus(status, ZX_OK, `${what}: COMMIT under pressure`);
      expectStatus(sys.zx_handle_close(filler), ZX_OK, what);
      const fromHints = oracle.evictHinted(count);
      const present = w.presentRootPages();
      const gone = oracle.cleanPages().filter((p) => !present.has(p));
      assert.equal(fromHints + gone.length, count, `${what}: clean pages evicted`);
      // ALWAYS_NEED pages go only when no other clean page is left (the last resort).
      if (gone.some((p) => oracle.needed.has(p))) {
        const spared = oracle.cleanPages().filter((p) => present.has(p) && !oracle.needed.has(p));
        assert.deepEqual(spared, [], `${what}: ALWAYS_NEED pages evicted before these`);
      }
      for (const p of gone) oracle.evictPage(p);
      tally('evicted pages');
      return;
    }
  }
}

/**
 * A thread's read or write failed: with a status the pager failed a request with, or
 * BAD_STATE for a page the detached pager will never supply.
 */
function expectFailure(
  w: World,
  v: View,
  offset: number,
  length: number,
  write: boolean,
  result: number,
  failed: Set<number>,
  what: string,
): void {
  if (failed.has(result)) return;
  const detachedPage = touched(offset, length).some((p) => {
    const index = v.offset + p;
    const seen = write ? w.oracle.writeBlocked(v.node, index) : w.oracle.read(v.node, index);
    return seen === 'detached';
  });
  assert.ok(
    detachedPage && result === ZX_ERR_BAD_STATE,
    `${what}: the thread got ${statusName(result)}`,
  );
}

// --- Generators ---

const nat = (max: number) => fc.nat(max);
const anyVmo = nat(1000);
const byteOffset = fc.oneof(
  nat(MAX_PAGES * PAGE),
  nat(MAX_PAGES).map((p) => p * PAGE),
);
const byteLength = fc.oneof(
  nat(2 * PAGE),
  nat(3).map((p) => p * PAGE),
  nat(64),
);
const failStatus = fc.constantFrom(...FAIL_STATUSES);
/** Answers to requests: mostly successes, sometimes failures. */
const answers = fc.oneof(fc.constant(0xffffff), nat(0xffffff));

const rangeStepArb = <K extends Exclude<RangeStep['kind'], 'zero'>>(kind: K, weight: number) => ({
  arbitrary: fc.record({ kind: fc.constant(kind), vmo: anyVmo, start: nat(8), count: nat(8) }),
  weight,
});

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('supply' as const),
      start: nat(8),
      count: nat(8),
      zero: fc.nat(4).map((n) => n === 0),
    }),
    weight: 9,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('fail' as const),
      start: nat(8),
      count: nat(8),
      status: failStatus,
    }),
    weight: 3,
  },
  { arbitrary: fc.constant({ kind: 'detach' as const }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('read' as const),
      vmo: anyVmo,
      offset: byteOffset,
      length: byteLength,
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('write' as const),
      vmo: anyVmo,
      offset: byteOffset,
      length: byteLength,
      seed: nat(255),
    }),
    weight: 12,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('threadRead' as const),
      vmo: anyVmo,
      offset: byteOffset,
      length: byteLength,
      answers,
      status: failStatus,
      mapped: fc.boolean(),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('threadWrite' as const),
      vmo: anyVmo,
      page: nat(8),
      at: nat(PAGE),
      length: nat(PAGE),
      seed: nat(255),
      answers,
      status: failStatus,
      mapped: fc.boolean(),
    }),
    weight: 9,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('opDirty' as const), start: nat(8), count: nat(8) }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('writeback' as const),
      begin: fc.boolean(),
      zero: fc.nat(3).map((n) => n === 0),
      start: nat(8),
      count: nat(8),
    }),
    weight: 9,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('child' as const),
      vmo: anyVmo,
      type: nat(4),
      offset: nat(8),
      pages: nat(8),
    }),
    weight: 12,
  },
  { arbitrary: fc.record({ kind: fc.constant('close' as const), vmo: anyVmo }), weight: 6 },
  {
    arbitrary: fc.record({ kind: fc.constant('resize' as const), pages: nat(MAX_PAGES) }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('evict' as const), count: nat(8) }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant('commit' as const),
      vmo: anyVmo,
      start: nat(8),
      count: nat(8),
    }),
    weight: 3,
  },
  rangeStepArb('dontNeed', 2),
  rangeStepArb('decommit', 1),
  {
    arbitrary: fc.record({
      kind: fc.constant('zero' as const),
      vmo: anyVmo,
      offset: byteOffset,
      length: byteLength,
      whole: fc.boolean(),
    }),
    weight: 4,
  },
  rangeStepArb('alwaysNeed', 2),
);

const runArb = fc.record({
  pages: fc.integer({ min: 1, max: MAX_PAGES }),
  trapDirty: fc.boolean(),
  resizable: fc.boolean(),
  steps: fc.array(stepArb, { maxLength: 80, size: 'max' }),
  closeOrder: fc.array(nat(100), { minLength: 1, maxLength: 12 }),
});

describe('a pager-backed VMO against an oracle', () => {
  it('agrees on bytes, dirty ranges, attribution and frames over random steps', async (t) => {
    let total = 0;
    await fc.assert(
      fc.asyncProperty(
        process.env.PMODEL_REPLAY ? fc.constant(JSON.parse(process.env.PMODEL_REPLAY)) : runArb,
        async (run) => {
          const w = new World(run.pages, run.trapDirty, run.resizable);
          w.checkAll('creation');
          for (const step of run.steps) {
            await runStep(w, step);
            w.checkAll(JSON.stringify(step));
            total++;
          }
          w.finish(run.closeOrder);
        },
      ),
      {
        seed: Number(process.env.PMODEL_SEED ?? 0x9a9e5),
        numRuns: Number(process.env.PMODEL_RUNS ?? 300),
        includeErrorInReport: true,
      },
    );
    t.diagnostic(`${total} steps: ${JSON.stringify(Object.fromEntries(tallies))}`);
    if (process.env.PMODEL_REPLAY) return;
    // The paths worth reaching were reached (a generator change could starve them silently).
    const reached = (pattern: RegExp) => [...tallies.keys()].some((k) => pattern.test(k));
    for (const pattern of [
      /^child .* two-way$/,
      /^child .* ZX_ERR_NOT_SUPPORTED$/,
      /^threadRead ZX_ERR_IO/,
      /^threadWrite root ZX_ERR_(IO|NO_SPACE|BUFFER_TOO_SMALL)/,
      /^threadWrite clone \(mapped\) ZX_OK$/,
      /^write ZX_ERR_SHOULD_WAIT$/,
      /^read ZX_ERR_BAD_STATE$/,
      /^evicted pages$/,
      /^dontNeed of clone ZX_OK$/,
      /^supply of zeros$/,
      /^commit of root over zero ranges$/,
      /^zero whole of root ZX_OK$/,
      /^zero partial of (root|slice|reference) ZX_OK$/,
      /^decommit of clone ZX_ERR_NOT_SUPPORTED$/,
      /^alwaysNeed of clone ZX_OK$/,
    ]) {
      assert.ok(reached(pattern), `no step reached ${pattern}`);
    }
  });
});
