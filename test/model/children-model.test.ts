// Model-based test of child VMOs: random sequences of create, create_child (every type and
// flag), write, read, ZERO, COMMIT, DECOMMIT, set_size, transfer_data and close, run side by side
// on the kernel and on an eager-copy model: a snapshot copies its parent's bytes when it is
// made, a slice aliases a window of its parent's bytes, a reference aliases all of them (size
// and content size included). After every command the bytes and statuses must agree; every
// few commands the whole world is checked: every VMO's bytes, sizes, child counts, parent
// koids and COW-clone flags, the tree invariants, and that attribution sums to the memory the
// kernel holds. Each run ends by closing everything: every frame must come back.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_OK,
  ZX_STATUS_NAMES,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import { kmemStats, newProcess, out, PAGE, vmoInfo } from '../helpers.ts';
import { checkAttributionSum } from '../vm/cow/tree-helpers.ts';

const MAX_PAGES = 12;
const MAX_VMOS = 12;

// --- The eager model ---

/** Bytes and a size: a root's or a snapshot's own, shared by its references and slices. */
interface Store {
  bytes: Uint8Array;
  pages: number;
  /** Live stores in the same copy-on-write tree (decommit needs it to hold just this one). */
  tree: Set<Store>;
  /** Live VMOs seeing this store. */
  views: number;
}

interface ModelVmo {
  handle: number;
  kind: 'root' | 'snapshot' | 'slice' | 'reference';
  store: Store;
  /** A slice's window. */
  offsetPages: number;
  slicePages: number;
  resizable: boolean;
  canWrite: boolean;
  canResize: boolean;
  content: { value: bigint };
  parent: ModelVmo | null;
  children: Set<ModelVmo>;
}

function sizeOf(v: ModelVmo): number {
  return v.kind === 'slice' ? v.slicePages : v.store.pages;
}

/** The model's bytes of `v` (a view into its store). */
function viewOf(v: ModelVmo): Uint8Array {
  const start = v.offsetPages * PAGE;
  return v.store.bytes.subarray(start, start + sizeOf(v) * PAGE);
}

function newStore(pages: number, tree?: Set<Store>): Store {
  const store: Store = {
    bytes: new Uint8Array(MAX_PAGES * PAGE * 2),
    pages,
    tree: tree ?? new Set(),
    views: 0,
  };
  store.tree.add(store);
  return store;
}

class World {
  readonly t = newProcess();
  readonly sys: Syscalls = this.t.sys;
  readonly live: ModelVmo[] = [];
  readonly initialFree = kmemStats(this.t.kernel, this.t.proc).free_bytes;
  commands = 0;

  pick(index: number): ModelVmo {
    return this.live[index % this.live.length]!;
  }

  add(v: ModelVmo): void {
    v.store.views++;
    this.live.push(v);
  }

  close(v: ModelVmo): void {
    assert.equal(this.sys.zx_handle_close(v.handle), ZX_OK);
    this.live.splice(this.live.indexOf(v), 1);
    for (const c of v.children) {
      c.parent = v.parent;
      v.parent?.children.add(c);
    }
    v.children.clear();
    v.parent?.children.delete(v);
    if (--v.store.views === 0) v.store.tree.delete(v.store);
  }

  /** Compares the kernel's view of `v` with the model's. */
  checkBytes(v: ModelVmo, what: string): void {
    const want = viewOf(v);
    const got = new Uint8Array(want.length);
    expect(this.sys.zx_vmo_read(v.handle, got, 0, got.length), ZX_OK, `read back after ${what}`);
    if (!bytesEqual(got, want)) {
      const at = got.findIndex((b, i) => b !== want[i]);
      assert.fail(`bytes differ at ${at} (page ${Math.floor(at / PAGE)}) after ${what}`);
    }
  }

  checkAll(what: string): void {
    const koids = new Map<ModelVmo, bigint>();
    for (const v of this.live) koids.set(v, vmoInfo(this.sys, v.handle).koid);
    for (const v of this.live) {
      this.checkBytes(v, what);
      const info = vmoInfo(this.sys, v.handle);
      assert.equal(info.size_bytes, BigInt(sizeOf(v) * PAGE), `size after ${what}`);
      assert.equal(info.num_children, BigInt(v.children.size), `num_children after ${what}`);
      const parentKoid = v.parent === null ? 0n : koids.get(v.parent)!;
      assert.equal(info.parent_koid, parentKoid, `parent_koid after ${what}`);
      const cow = (info.flags & ZX_INFO_VMO_IS_COW_CLONE) !== 0;
      assert.equal(cow, v.kind === 'snapshot' && v.parent !== null, `IS_COW_CLONE after ${what}`);
      const content = out(0n);
      expect(this.sys.zx_vmo_get_stream_size(v.handle, content), ZX_OK, 'stream size');
      assert.equal(content.value, v.content.value, `content size after ${what}`);
      if (v.kind === 'slice' || v.kind === 'reference') {
        assert.equal(info.populated_bytes, 0n, 'a slice or reference was charged');
      } else if (v.store.tree.size === 1) {
        assert.equal(info.populated_private_bytes, info.populated_bytes, 'alone yet shared');
      }
    }
    checkAttributionSum(
      this.t.kernel,
      this.t.proc,
      this.live.map((v) => v.handle),
    );
  }

  finish(): void {
    while (this.live.length > 0) this.close(this.live[this.live.length - 1]!);
    const stats = kmemStats(this.t.kernel, this.t.proc);
    assert.equal(stats.vmo_bytes, 0n, 'frames held after closing everything');
    assert.equal(stats.free_bytes, this.initialFree, 'free memory not back after closing');
  }
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function expect(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    const name = (s: number) => ZX_STATUS_NAMES[s] ?? String(s);
    assert.fail(`${what}: expected ${name(expected)}, got ${name(actual)}`);
  }
}

// --- Commands ---

type Op =
  | { kind: 'create'; pages: number; resizable: boolean }
  | {
      kind: 'child';
      vmo: number;
      type: number;
      resizable: boolean;
      noWrite: boolean;
      offset: number;
      pages: number;
    }
  | { kind: 'write'; vmo: number; offset: number; length: number; seed: number }
  | { kind: 'range'; vmo: number; op: number; offset: number; length: number }
  | { kind: 'resize'; vmo: number; bytes: number }
  | { kind: 'transfer'; dst: number; dstPage: number; src: number; srcPage: number; pages: number }
  | { kind: 'close'; vmo: number };

const SNAPSHOT_TYPES = [
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
];

function runOp(w: World, op: Op): void {
  const sys = w.sys;
  const what = JSON.stringify(op);
  switch (op.kind) {
    case 'create': {
      const handle = out(0);
      expect(
        sys.zx_vmo_create(op.pages * PAGE, op.resizable ? ZX_VMO_RESIZABLE : 0, handle),
        ZX_OK,
        what,
      );
      const store = newStore(op.pages);
      w.add({
        handle: handle.value,
        kind: 'root',
        store,
        offsetPages: 0,
        slicePages: 0,
        resizable: op.resizable,
        canWrite: true,
        canResize: op.resizable,
        content: { value: BigInt(op.pages * PAGE) },
        parent: null,
        children: new Set(),
      });
      return;
    }
    case 'child': {
      const parent = w.pick(op.vmo);
      const isRef = op.type === ZX_VMO_CHILD_REFERENCE;
      const isSlice = op.type === ZX_VMO_CHILD_SLICE;
      const options =
        op.type |
        (op.resizable ? ZX_VMO_CHILD_RESIZABLE : 0) |
        (op.noWrite ? ZX_VMO_CHILD_NO_WRITE : 0);
      const offset = isRef ? 0 : op.offset * PAGE;
      const size = isRef ? 0 : op.pages * PAGE;
      let expected = ZX_OK;
      if (op.noWrite && op.resizable) expected = ZX_ERR_INVALID_ARGS;
      else if (isRef && op.resizable && !parent.canResize) expected = ZX_ERR_ACCESS_DENIED;
      else if (isSlice && op.resizable) expected = ZX_ERR_INVALID_ARGS;
      else if (isSlice && op.offset + op.pages > sizeOf(parent)) expected = ZX_ERR_INVALID_ARGS;
      else if (isSlice && parent.resizable) expected = ZX_ERR_NOT_SUPPORTED;
      else if (isRef && parent.kind === 'slice') expected = ZX_ERR_NOT_SUPPORTED;
      else if (!isSlice && !isRef && parent.kind === 'slice') {
        expected =
          op.offset + op.pages > sizeOf(parent) ? ZX_ERR_OUT_OF_RANGE : ZX_ERR_NOT_SUPPORTED;
      }
      const handle = out(0);
      expect(sys.zx_vmo_create_child(parent.handle, options, offset, size, handle), expected, what);
      if (expected !== ZX_OK) return;
      let v: ModelVmo;
      const base = {
        handle: handle.value,
        offsetPages: 0,
        slicePages: 0,
        canResize: op.resizable,
        parent,
        children: new Set<ModelVmo>(),
      };
      if (isSlice) {
        v = {
          ...base,
          kind: 'slice',
          store: parent.store,
          offsetPages: parent.offsetPages + op.offset,
          slicePages: op.pages,
          resizable: false,
          canWrite: parent.canWrite && !op.noWrite,
          content: { value: BigInt(size) },
        };
      } else if (isRef) {
        v = {
          ...base,
          kind: 'reference',
          store: parent.store,
          resizable: parent.resizable,
          canWrite: parent.canWrite && !op.noWrite,
          content: parent.content,
        };
      } else {
        const store = newStore(op.pages, parent.store.tree);
        const source = viewOf(parent);
        const from = Math.min(op.offset * PAGE, source.length);
        const to = Math.min((op.offset + op.pages) * PAGE, source.length);
        store.bytes.set(source.subarray(from, to));
        v = {
          ...base,
          kind: 'snapshot',
          store,
          resizable: op.resizable,
          canWrite: !op.noWrite,
          content: { value: BigInt(size) },
        };
      }
      parent.children.add(v);
      w.add(v);
      w.checkBytes(v, what);
      return;
    }
    case 'write': {
      const v = w.pick(op.vmo);
      const data = new Uint8Array(op.length);
      for (let i = 0; i < data.length; i++) data[i] = (op.seed + i * 7) & 0xff || 1;
      const view = viewOf(v);
      let expected = ZX_OK;
      if (!v.canWrite) expected = ZX_ERR_ACCESS_DENIED;
      else if (op.offset + op.length > view.length) expected = ZX_ERR_OUT_OF_RANGE;
      expect(sys.zx_vmo_write(v.handle, data, op.offset, op.length), expected, what);
      if (expected === ZX_OK) view.set(data, op.offset);
      w.checkBytes(v, what);
      return;
    }
    case 'range': {
      const v = w.pick(op.vmo);
      const view = viewOf(v);
      const end = op.offset + op.length;
      let expected = ZX_OK;
      if (!v.canWrite) expected = ZX_ERR_ACCESS_DENIED;
      else if (op.op === ZX_VMO_OP_ZERO) {
        if (op.length > 0 && end > view.length) expected = ZX_ERR_OUT_OF_RANGE;
      } else if (op.op === ZX_VMO_OP_COMMIT) {
        if (Math.ceil(end / PAGE) * PAGE > view.length) expected = ZX_ERR_OUT_OF_RANGE;
      } else if (end > view.length) expected = ZX_ERR_OUT_OF_RANGE;
      else if (op.length === 0) expected = ZX_OK;
      else if (v.store.tree.size > 1) expected = ZX_ERR_NOT_SUPPORTED;
      else if (op.offset % PAGE !== 0 || op.length % PAGE !== 0) expected = ZX_ERR_INVALID_ARGS;
      expect(sys.zx_vmo_op_range(v.handle, op.op, op.offset, op.length, null, 0), expected, what);
      if (expected === ZX_OK && op.op !== ZX_VMO_OP_COMMIT) view.fill(0, op.offset, end);
      w.checkBytes(v, what);
      return;
    }
    case 'resize': {
      const v = w.pick(op.vmo);
      let expected = ZX_OK;
      if (!v.canWrite) expected = ZX_ERR_ACCESS_DENIED;
      else if (v.resizable && !v.canResize) expected = ZX_ERR_ACCESS_DENIED;
      else if (!v.resizable) expected = ZX_ERR_UNAVAILABLE;
      expect(sys.zx_vmo_set_size(v.handle, op.bytes), expected, what);
      if (expected !== ZX_OK) return;
      const pages = Math.ceil(op.bytes / PAGE);
      v.store.bytes.fill(0, op.bytes);
      v.store.pages = pages;
      v.content.value = BigInt(op.bytes);
      w.checkBytes(v, what);
      return;
    }
    case 'transfer': {
      const dst = w.pick(op.dst);
      const src = w.pick(op.src);
      const length = op.pages * PAGE;
      const srcView = viewOf(src);
      const dstView = viewOf(dst);
      const status = sys.zx_vmo_transfer_data(
        dst.handle,
        0,
        op.dstPage * PAGE,
        length,
        src.handle,
        op.srcPage * PAGE,
      );
      let early = -1;
      if (!dst.canWrite || !src.canWrite) early = ZX_ERR_ACCESS_DENIED;
      else if (dst === src && op.dstPage === op.srcPage) early = ZX_OK;
      else if ((op.srcPage + op.pages) * PAGE > srcView.length) early = ZX_ERR_OUT_OF_RANGE;
      if (early !== -1) {
        expect(status, early, what);
        return;
      }
      const taken = srcView.slice(op.srcPage * PAGE, op.srcPage * PAGE + length);
      srcView.fill(0, op.srcPage * PAGE, op.srcPage * PAGE + length);
      let expected = ZX_OK;
      if (op.pages > 0 && (op.dstPage + op.pages) * PAGE > dstView.length)
        expected = ZX_ERR_OUT_OF_RANGE;
      expect(status, expected, what);
      if (expected === ZX_OK && op.pages > 0) viewOf(dst).set(taken, op.dstPage * PAGE);
      w.checkBytes(src, what);
      w.checkBytes(dst, what);
      return;
    }
    case 'close':
      w.close(w.pick(op.vmo));
      return;
  }
}

class OpCommand implements fc.Command<World, World> {
  readonly op: Op;

  constructor(op: Op) {
    this.op = op;
  }

  check(w: Readonly<World>): boolean {
    if (this.op.kind === 'create') return w.live.length < MAX_VMOS;
    if (this.op.kind === 'child' && w.live.length >= MAX_VMOS) return false;
    return w.live.length > 0;
  }

  run(w: World): void {
    runOp(w, this.op);
    if (++w.commands % 8 === 0) w.checkAll(JSON.stringify(this.op));
  }

  toString(): string {
    return JSON.stringify(this.op);
  }
}

const vmo = fc.nat(1000);
const page = fc.nat(MAX_PAGES + 1);
const pages = fc.integer({ min: 0, max: MAX_PAGES });
const byteOffset = fc.oneof(
  fc.nat(MAX_PAGES * PAGE),
  page.map((p) => p * PAGE),
);
const byteLength = fc.oneof(
  fc.nat(3 * PAGE),
  pages.map((p) => p * PAGE),
);

const commandArbs = [
  fc.record({ kind: fc.constant('create' as const), pages: pages, resizable: fc.boolean() }),
  fc.record({
    kind: fc.constant('child' as const),
    vmo,
    type: fc.constantFrom(
      ...SNAPSHOT_TYPES,
      ZX_VMO_CHILD_SNAPSHOT,
      ZX_VMO_CHILD_SLICE,
      ZX_VMO_CHILD_REFERENCE,
    ),
    resizable: fc.boolean(),
    noWrite: fc.nat(6).map((n) => n === 0),
    offset: fc.nat(MAX_PAGES / 2),
    pages: fc.integer({ min: 0, max: MAX_PAGES }),
  }),
  fc.record({
    kind: fc.constant('write' as const),
    vmo,
    offset: byteOffset,
    length: byteLength,
    seed: fc.nat(255),
  }),
  fc.record({
    kind: fc.constant('write' as const),
    vmo,
    offset: byteOffset,
    length: byteLength,
    seed: fc.nat(255),
  }),
  fc.record({
    kind: fc.constant('range' as const),
    vmo,
    op: fc.constantFrom(ZX_VMO_OP_ZERO, ZX_VMO_OP_COMMIT, ZX_VMO_OP_DECOMMIT, ZX_VMO_OP_ZERO),
    offset: byteOffset,
    length: byteLength,
  }),
  fc.record({
    kind: fc.constant('resize' as const),
    vmo,
    bytes: fc.oneof(
      pages.map((p) => p * PAGE),
      fc.nat(MAX_PAGES * PAGE),
    ),
  }),
  fc.record({
    kind: fc.constant('transfer' as const),
    dst: vmo,
    dstPage: page,
    src: vmo,
    srcPage: page,
    pages: fc.nat(4),
  }),
  fc.record({ kind: fc.constant('close' as const), vmo }),
].map((arb) => (arb as fc.Arbitrary<Op>).map((op) => new OpCommand(op)));

describe('child VMOs against an eager-copy model', () => {
  it('agree on bytes, statuses, attribution and memory over 100,000 random operations', (t) => {
    let total = 0;
    const seeds = [0x5eed, 0xc10e, 0xface, 0xbeef];
    for (const seed of seeds) {
      fc.assert(
        fc.property(fc.commands(commandArbs, { maxCommands: 400, size: 'max' }), (cmds) => {
          const w = new World();
          fc.modelRun(() => ({ model: w, real: w }), cmds);
          w.checkAll('the last command');
          w.finish();
          total += w.commands;
        }),
        { seed, numRuns: 170, includeErrorInReport: true },
      );
    }
    assert.ok(total >= 100_000, `only ${total} operations ran`);
    t.diagnostic(`${total} operations in ${seeds.length} seeds`);
  });
});
