// The kernel's side of the pager model test (pager-model.test.ts): a process with a pager, its
// port and a pager-backed root VMO, the live handles as views of the oracle's nodes, the model
// pager's memory of the requests it has seen, and the checks run after every step.

import assert from 'node:assert/strict';

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_SHOULD_WAIT,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from '../../src/abi/constants.ts';
import {
  decodeZxVmoDirtyRange,
  ZX_VMO_DIRTY_RANGE_SIZE,
  type ZxInfoVmo,
} from '../../src/abi/structs.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import type { ThreadSys } from '../../src/thread.ts';
import {
  createVmo,
  handleBasic,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  vmoInfo,
} from '../helpers.ts';
import { createPort, drainPackets } from '../syscalls/ipc-helpers.ts';
import { createPagedVmo, createPager } from '../syscalls/pager/pager-helpers.ts';
import { checkAttributionSum } from '../vm/cow/tree-helpers.ts';
import { type Blocked, type Node, PagerOracle, type View } from './pager-oracle.ts';
import { expectBytes, expectStatus } from './real.ts';

export const MAX_PAGES = 6;
export const MAX_VIEWS = 9;
export const P = BigInt(PAGE);
export const FAIL_STATUSES = [
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NO_SPACE,
  ZX_ERR_BUFFER_TOO_SMALL,
];
export const CHILD_TYPES = [
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_REFERENCE,
];

export interface Request {
  command: number;
  start: number;
  end: number;
}

/** How often each step ended with each status, so the test shows the paths it reached. */
export const tallies = new Map<string, number>();
export function tally(key: string): void {
  tallies.set(key, (tallies.get(key) ?? 0) + 1);
}

export const blockedStatus = (b: Blocked) => (b === 'wait' ? ZX_ERR_SHOULD_WAIT : ZX_ERR_BAD_STATE);

export class World {
  readonly kernel = newKernel({ memoryBytes: 4 << 20, reclaimWatermarkBytes: 0 });
  readonly t = newProcess(this.kernel);
  readonly sys: Syscalls = this.t.sys;
  readonly pager = createPager(this.sys);
  readonly port = createPort(this.sys);
  readonly oracle: PagerOracle;
  readonly views: View[];
  /** Requests the model pager has seen and not answered (some may be stale). */
  pending: Request[] = [];
  readonly initialFree: bigint;
  steps = 0;

  constructor(pages: number, trapDirty: boolean, resizable: boolean) {
    this.initialFree = kmemStats(this.kernel, this.t.proc).free_bytes;
    const options = (trapDirty ? ZX_VMO_TRAP_DIRTY : 0) | (resizable ? ZX_VMO_RESIZABLE : 0);
    const handle = createPagedVmo(this.sys, this.pager, this.port, 1n, pages, options);
    this.oracle = new PagerOracle(pages, trapDirty, resizable);
    this.views = [{ handle, kind: 'root', node: this.oracle.root, offset: 0, pages }];
  }

  get root(): number {
    return this.views[0]!.handle;
  }

  pick(index: number): View {
    return this.views[index % this.views.length]!;
  }

  pagesOf(v: View): number {
    const followsRoot = v.node === this.oracle.root && v.kind !== 'slice';
    return followsRoot ? this.oracle.size : v.pages;
  }

  /** A resizable root, and references of it, are resizable: no slices of them. */
  resizable(v: View): boolean {
    return this.oracle.resizable && v.node === this.oracle.root && v.kind !== 'slice';
  }

  /** Takes the packets on the port into `pending`. */
  takePackets(): void {
    for (const packet of drainPackets(this.sys, this.port)) {
      const r = packet.page_request;
      if (r === undefined) continue;
      if (r.command !== ZX_PAGER_VMO_READ && r.command !== ZX_PAGER_VMO_DIRTY) continue;
      const start = Number(r.offset / P);
      this.pending.push({ command: r.command, start, end: start + Number(r.length / P) });
    }
  }

  /** Requests of `command` (any, when null) inside [start, end) are answered. */
  answered(start: number, end: number, command: number | null): void {
    const done = (r: Request) =>
      r.start >= start && r.end <= end && (command === null || r.command === command);
    this.pending = this.pending.filter((r) => !done(r));
  }

  /** Supplies [start, end) from the disk, or as zero (the aux VMO's pages left uncommitted). */
  supply(start: number, end: number, what: string, zero = false): void {
    const count = end - start;
    const aux = createVmo(this.sys, count * PAGE);
    for (let p = start; p < end && !zero; p++) {
      const bytes = this.oracle.diskAt(p);
      expectStatus(this.sys.zx_vmo_write(aux, bytes, (p - start) * PAGE, PAGE), ZX_OK, 'aux');
    }
    const status = this.sys.zx_pager_supply_pages(
      this.pager,
      this.root,
      BigInt(start) * P,
      BigInt(count) * P,
      aux,
      0n,
    );
    expectStatus(status, this.oracle.detached ? ZX_ERR_BAD_STATE : ZX_OK, what);
    expectStatus(this.sys.zx_handle_close(aux), ZX_OK, 'close aux');
    if (status === ZX_OK) {
      this.oracle.supply(start, end, zero);
      this.answered(start, end, ZX_PAGER_VMO_READ);
    }
  }

  op(code: number, start: number, end: number, data = 0n): number {
    const offset = BigInt(start) * P;
    return this.sys.zx_pager_op_range(
      this.pager,
      code,
      this.root,
      offset,
      BigInt(end) * P - offset,
      data,
    );
  }

  fail(start: number, end: number, status: number, what: string): void {
    const expected = this.oracle.detached ? ZX_ERR_BAD_STATE : ZX_OK;
    expectStatus(this.op(ZX_PAGER_OP_FAIL, start, end, BigInt(status)), expected, what);
    this.answered(start, end, null);
  }

  /** The root's pages that hold content now (kernel.inspect()'s supplied runs). */
  presentRootPages(): Set<number> {
    const koid = Number(handleBasic(this.sys, this.root).koid);
    const present = new Set<number>();
    for (const pager of this.kernel.inspect().pagers) {
      for (const vmo of pager.vmos) {
        if (vmo.vmoKoid !== koid) continue;
        for (const run of vmo.supplied) {
          for (let p = run.start; p < run.start + run.count; p++) present.add(p);
        }
      }
    }
    return present;
  }

  // --- Checks ---

  checkAll(what: string): void {
    const oracle = this.oracle;
    for (const v of this.views) {
      const pages = this.pagesOf(v);
      for (let p = 0; p < pages; p++) {
        const want = oracle.read(v.node, v.offset + p);
        const got = new Uint8Array(PAGE);
        const status = this.sys.zx_vmo_read(v.handle, got, p * PAGE, PAGE);
        const where = `page ${p} of ${v.kind} ${v.handle} after ${what}`;
        if (want instanceof Uint8Array) {
          expectStatus(status, ZX_OK, `read ${where}`);
          expectBytes(got, want, where);
        } else expectStatus(status, blockedStatus(want), `read ${where}`);
      }
      const info = vmoInfo(this.sys, v.handle);
      assert.equal(info.size_bytes, BigInt(pages * PAGE), `size of ${v.kind} after ${what}`);
      if (v.kind === 'clone') this.checkCharge(v, info, what);
    }
    this.takePackets();
    const rootFrames = oracle.pages.filter((p) => p?.kind === 'frame').length;
    const rootInfo = vmoInfo(this.sys, this.root);
    assert.equal(
      rootInfo.committed_bytes,
      BigInt(rootFrames * PAGE),
      `root committed after ${what}`,
    );
    this.checkDirty(what);
    const frames = oracle.collect();
    const stats = kmemStats(this.kernel, this.t.proc);
    assert.equal(stats.vmo_bytes, BigInt(frames * PAGE), `frames in use after ${what}`);
    if (oracle.orphanFrames() === 0 && this.everyNodeCharged()) {
      checkAttributionSum(
        this.kernel,
        this.t.proc,
        this.views.map((v) => v.handle),
      );
    }
  }

  /** A child's committed, private and scaled bytes as the oracle counts them. */
  private checkCharge(v: View, info: ZxInfoVmo, what: string): void {
    const want = this.oracle.attribution(v.node);
    const where = `of ${v.kind} ${v.handle} after ${what}`;
    assert.equal(info.committed_bytes, BigInt(want.pages * PAGE), `committed bytes ${where}`);
    const privateBytes = BigInt(want.privatePages * PAGE);
    assert.equal(info.populated_private_bytes, privateBytes, `private bytes ${where}`);
    const scaled =
      Number(info.populated_scaled_bytes) +
      Number(info.populated_fractional_scaled_bytes) / 2 ** 63;
    const diff = Math.abs(scaled - want.scaledPages * PAGE);
    assert.ok(diff < 1e-3, `scaled bytes ${where}: ${scaled}, expected ${want.scaledPages * PAGE}`);
  }

  /** Every visible node has a VMO of its own open (slices and references are charged nothing). */
  private everyNodeCharged(): boolean {
    const charged = new Set<Node>();
    for (const v of this.views) if (v.kind === 'root' || v.kind === 'clone') charged.add(v.node);
    return this.oracle.nodes().every((n) => n.hidden || charged.has(n));
  }

  checkDirty(what: string): void {
    const size = this.oracle.size;
    const buffer = new Uint8Array(2 * MAX_PAGES * ZX_VMO_DIRTY_RANGE_SIZE);
    const actual = out(0n);
    const avail = out(0n);
    const status = this.sys.zx_pager_query_dirty_ranges(
      this.pager,
      this.root,
      0n,
      BigInt(size) * P,
      buffer,
      buffer.length,
      actual,
      avail,
    );
    expectStatus(status, ZX_OK, `zx_pager_query_dirty_ranges after ${what}`);
    assert.equal(actual.value, avail.value, 'dirty ranges left out');
    const got: [number, boolean][] = [];
    let last = -1;
    let lastZero = false;
    for (let i = 0; i < Number(actual.value); i++) {
      const r = decodeZxVmoDirtyRange(buffer.subarray(i * ZX_VMO_DIRTY_RANGE_SIZE));
      const start = Number(r.offset / P);
      const zero = r.options === ZX_VMO_DIRTY_RANGE_IS_ZERO;
      assert.ok(r.length > 0n, `an empty dirty range after ${what}`);
      assert.ok(start >= last, `dirty ranges out of order after ${what}`);
      assert.ok(start > last || zero !== lastZero, `dirty ranges not merged after ${what}`);
      for (let p = start; p < start + Number(r.length / P); p++) got.push([p, zero]);
      last = start + Number(r.length / P);
      lastZero = zero;
    }
    assert.deepEqual(got, this.oracle.dirtyPages(), `dirty pages after ${what}`);
  }

  /** Closes every handle in `order`, checking the frames in use after each close. */
  finish(order: number[]): void {
    while (this.views.length > 0) {
      const v = this.views[order[this.views.length % order.length]! % this.views.length]!;
      expectStatus(this.sys.zx_handle_close(v.handle), ZX_OK, 'close');
      this.views.splice(this.views.indexOf(v), 1);
      this.oracle.closeView(v.node);
      const frames = this.oracle.collect();
      assert.equal(
        kmemStats(this.kernel, this.t.proc).vmo_bytes,
        BigInt(frames * PAGE),
        `frames in use after closing a ${v.kind}`,
      );
    }
    const stats = kmemStats(this.kernel, this.t.proc);
    assert.equal(stats.vmo_bytes, 0n, 'frames held after closing everything');
    assert.equal(stats.free_bytes, this.initialFree, 'free memory not back after closing');
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs `body` in a zx thread while the model pager answers every request it has: bit k of
 * `answers` says whether its k-th answer succeeds (supply or OP_DIRTY) or fails with `status`.
 * Returns the thread's status and the statuses the pager failed requests with.
 */
export async function withPager(
  w: World,
  body: (sys: ThreadSys) => number | Promise<number>,
  answers: number,
  status: number,
  what: string,
): Promise<{ result: number; failed: Set<number> }> {
  let finished = false;
  let result = 0;
  const thread = w.t.proc.startThread(body);
  void thread.done.then((value) => {
    finished = true;
    result = value as number;
  });
  const failed = new Set<number>();
  let k = 0;
  for (let round = 0; ; round++) {
    await w.kernel.idle();
    await tick();
    if (finished) break;
    assert.ok(round < 32, `thread never finished: ${what}`);
    w.takePackets();
    assert.ok(w.pending.length > 0, `a thread waits but the pager has no request: ${what}`);
    const requests = w.pending;
    w.pending = [];
    for (const r of requests) {
      const end = Math.min(r.end, w.oracle.size);
      if (r.start >= end) continue;
      const succeed = ((answers >>> (k++ % 24)) & 1) === 1;
      if (!succeed) {
        w.fail(r.start, end, status, `${what}: OP_FAIL`);
        failed.add(status);
      } else if (r.command === ZX_PAGER_VMO_READ) w.supply(r.start, end, `${what}: supply`);
      else if (!w.oracle.canDirty(r.start, end)) {
        // A DIRTY request for pages gone since (evicted): it stays until they are back.
        w.pending.push(r);
      } else {
        expectStatus(w.op(ZX_PAGER_OP_DIRTY, r.start, end), ZX_OK, `${what}: OP_DIRTY`);
        w.oracle.opDirty(r.start, end);
        w.answered(r.start, end, ZX_PAGER_VMO_DIRTY);
      }
    }
  }
  return { result, failed };
}
