// Model-based test of mappings: random sequences of zx_vmar_map (SPECIFIC, with any VMO offset
// and permission, through writable or read-only VMO handles), zx_vmar_unmap, zx_vmar_protect,
// Process.load / Process.store, zx_vmo_write, ZERO, DECOMMIT, set_size, snapshots and
// zx_vmar_op_range (COMMIT, MAP_RANGE) run against the kernel and against a model that keeps,
// per page of one sub-VMAR, which VMO page is mapped there with which permissions, and the
// bytes of every VMO. Every status and byte must agree. After every command, what each mapping
// shows must equal zx_vmo_read of its VMO (and the model), num_mappings must count the
// mappings that merging and splitting leave, and the page tables must hold only translations
// to frames in use that the VMO would give now (no mapping ever reaches a freed frame). At
// the end everything is unmapped and closed, and every page is free again.
//
// ZXVM_FC_SEED and ZXVM_FC_RUNS override the seed and the number of runs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import {
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_OK,
  ZX_RIGHT_WRITE,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import type { Process } from '../../src/process.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import {
  duplicate,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  statusName,
  vmoInfo,
} from '../helpers.ts';

const SEED = Number(process.env.ZXVM_FC_SEED ?? 0x4d_41_50);
const RUNS = Number(process.env.ZXVM_FC_RUNS ?? 200);
/** Pages in the sub-VMAR every mapping goes into. */
const VMAR_PAGES = 24;
const MAX_VMOS = 5;
const R = ZX_VM_PERM_READ;
const RW = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;

interface ModelVmo {
  /** Handle with every default right, and one without WRITE. */
  handle: number;
  readOnly: number;
  bytes: Uint8Array;
  resizable: boolean;
  /** A snapshot, or a VMO with snapshots: DECOMMIT is not supported. */
  inTree: boolean;
}

interface ModelPage {
  vmo: number;
  vmoPage: number;
  perms: number;
  canMap: number;
  /** Which mapping this page belongs to (merging and splitting change it). */
  id: number;
}

interface World {
  proc: Process;
  sys: Syscalls;
  vmar: number;
  base: bigint;
  vmos: ModelVmo[];
  pages: (ModelPage | null)[];
  nextId: number;
}

/**
 * A VMAR page: mostly one that is mapped now (the `pick`th, so that accesses mostly reach
 * mappings), otherwise any page, in or just past the VMAR.
 */
interface Target {
  mapped: boolean;
  pick: number;
  page: number;
}

type Cmd =
  | {
      kind: 'map';
      vmo: number;
      page: number;
      pages: number;
      vmoPage: number;
      perms: number;
      readOnly: boolean;
    }
  | { kind: 'unmap'; page: Target; pages: number }
  | { kind: 'protect'; page: Target; pages: number; perms: number }
  | { kind: 'load'; at: Target; inPage: number; length: number }
  | { kind: 'store'; at: Target; inPage: number; length: number; value: number }
  | { kind: 'vmoWrite'; vmo: number; at: number; length: number; value: number }
  | { kind: 'zero'; vmo: number; at: number; length: number }
  | { kind: 'decommit'; vmo: number; page: number; pages: number }
  | { kind: 'setSize'; vmo: number; pages: number }
  | { kind: 'snapshot'; vmo: number }
  | { kind: 'rangeOp'; op: number; page: Target; pages: number }
  | { kind: 'createVmo'; pages: number; resizable: boolean };

const page = fc.integer({ min: 0, max: VMAR_PAGES + 1 });
const pages = fc.oneof(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 8 }));
const vmoIndex = fc.nat(MAX_VMOS - 1);
const perms = fc.constantFrom(0, R, R, RW, RW, RW, RW);
const target: fc.Arbitrary<Target> = fc.record({
  mapped: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
  pick: fc.nat(),
  page,
});
const inPage = fc.oneof(fc.nat(PAGE - 1), fc.constantFrom(0, PAGE - 1, PAGE - 10));
const length = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1, max: 64 }) },
  fc.integer({ min: 1, max: 2 * PAGE }),
);

const commandArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('map' as const),
      vmo: vmoIndex,
      page,
      pages,
      vmoPage: fc.nat(9),
      perms,
      readOnly: fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, fc.constant(true)),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unmap' as const), page: target, pages }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('protect' as const), page: target, pages, perms }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('load' as const), at: target, inPage, length }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('store' as const),
      at: target,
      inPage,
      length,
      value: fc.integer({ min: 1, max: 255 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('vmoWrite' as const),
      vmo: vmoIndex,
      at: fc.nat(10 * PAGE),
      length,
      value: fc.integer({ min: 1, max: 255 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('zero' as const),
      vmo: vmoIndex,
      at: fc.nat(9 * PAGE),
      length,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('decommit' as const),
      vmo: vmoIndex,
      page: fc.nat(9),
      pages,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('setSize' as const),
      vmo: vmoIndex,
      pages: fc.nat(10),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), vmo: vmoIndex }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('rangeOp' as const),
      op: fc.constantFrom(ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_MAP_RANGE),
      page: target,
      pages,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('createVmo' as const),
      pages: fc.integer({ min: 1, max: 10 }),
      resizable: fc.boolean(),
    }),
  },
);

function expectStatus(actual: number, expected: number, what: string): void {
  if (actual !== expected) {
    assert.fail(`${what}: expected ${statusName(expected)}, got ${statusName(actual)}`);
  }
}

function createVmo(world: World, pagesCount: number, resizable: boolean): void {
  const handle = out(0);
  const status = world.sys.zx_vmo_create(
    pagesCount * PAGE,
    resizable ? ZX_VMO_RESIZABLE : 0,
    handle,
  );
  expectStatus(status, ZX_OK, 'zx_vmo_create');
  world.vmos.push({
    handle: handle.value,
    readOnly: duplicate(world.sys, handle.value, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE),
    bytes: new Uint8Array(pagesCount * PAGE),
    resizable,
    inTree: false,
  });
}

function pagesOf(vmo: ModelVmo): number {
  return vmo.bytes.length / PAGE;
}

/** The status the model predicts for one access to VMAR page `index`. */
function accessStatus(world: World, index: number, write: boolean): number {
  const entry = index >= 0 && index < VMAR_PAGES ? world.pages[index] : null;
  if (entry === null || entry === undefined) return ZX_ERR_NOT_FOUND;
  if ((entry.perms & (write ? ZX_VM_PERM_WRITE : ZX_VM_PERM_READ)) === 0)
    return ZX_ERR_ACCESS_DENIED;
  if (entry.vmoPage >= pagesOf(world.vmos[entry.vmo]!)) return ZX_ERR_OUT_OF_RANGE;
  return ZX_OK;
}

/** Splits every mapping that spans [from, to) around it (as an unmap of it does). */
function splitAround(world: World, from: number, to: number): void {
  const split = new Map<number, number>();
  for (let i = to; i < VMAR_PAGES; i++) {
    const entry = world.pages[i];
    if (entry === null || entry === undefined) continue;
    const below = world.pages.slice(0, from).some((e) => e?.id === entry.id);
    if (!below) continue;
    let id = split.get(entry.id);
    if (id === undefined) {
      id = world.nextId++;
      split.set(entry.id, id);
    }
    entry.id = id;
  }
}

/** The VMAR page a Target names now. */
function resolve(world: World, t: Target): number {
  if (!t.mapped) return t.page;
  const mapped: number[] = [];
  world.pages.forEach((e, i) => {
    if (e !== null) mapped.push(i);
  });
  return mapped.length === 0 ? t.page : mapped[t.pick % mapped.length]!;
}

function run(world: World, cmd: Cmd): void {
  const { sys, proc } = world;
  const addrOf = (index: number) => world.base + BigInt(index) * BigInt(PAGE);
  const pick = (index: number) => world.vmos[index % world.vmos.length]!;
  switch (cmd.kind) {
    case 'map': {
      const vmoIndex = cmd.vmo % world.vmos.length;
      const vmo = world.vmos[vmoIndex]!;
      const status = sys.zx_vmar_map(
        world.vmar,
        cmd.perms | ZX_VM_SPECIFIC,
        cmd.page * PAGE,
        cmd.readOnly ? vmo.readOnly : vmo.handle,
        cmd.vmoPage * PAGE,
        cmd.pages * PAGE,
        out(0n),
      );
      const end = cmd.page + cmd.pages;
      let expected = ZX_OK;
      if (cmd.readOnly && (cmd.perms & ZX_VM_PERM_WRITE) !== 0) expected = ZX_ERR_ACCESS_DENIED;
      else if (cmd.page >= VMAR_PAGES || end > VMAR_PAGES) expected = ZX_ERR_INVALID_ARGS;
      else if (world.pages.slice(cmd.page, end).some((e) => e !== null)) {
        expected = ZX_ERR_ALREADY_EXISTS;
      }
      expectStatus(status, expected, `map ${JSON.stringify(cmd)}`);
      if (status !== ZX_OK) return;
      const canMap = cmd.readOnly ? R : RW;
      let id = world.nextId++;
      const left = world.pages[cmd.page - 1];
      const continues = (e: ModelPage | null | undefined, vmoPage: number) =>
        e !== null &&
        e !== undefined &&
        e.vmo === vmoIndex &&
        e.vmoPage === vmoPage &&
        e.canMap === canMap;
      if (continues(left, cmd.vmoPage - 1)) id = left!.id;
      for (let i = 0; i < cmd.pages; i++) {
        world.pages[cmd.page + i] = {
          vmo: vmoIndex,
          vmoPage: cmd.vmoPage + i,
          perms: cmd.perms,
          canMap,
          id,
        };
      }
      const right = world.pages[end];
      if (continues(right, cmd.vmoPage + cmd.pages)) {
        const old = right!.id;
        for (const e of world.pages) if (e !== null && e.id === old) e.id = id;
      }
      return;
    }
    case 'unmap': {
      const first = resolve(world, cmd.page);
      const status = sys.zx_vmar_unmap(world.vmar, addrOf(first), cmd.pages * PAGE);
      const valid = first + cmd.pages <= VMAR_PAGES;
      expectStatus(status, valid ? ZX_OK : ZX_ERR_INVALID_ARGS, `unmap ${JSON.stringify(cmd)}`);
      if (!valid) return;
      splitAround(world, first, first + cmd.pages);
      for (let i = first; i < first + cmd.pages; i++) world.pages[i] = null;
      return;
    }
    case 'protect': {
      const first = resolve(world, cmd.page);
      const status = sys.zx_vmar_protect(world.vmar, cmd.perms, addrOf(first), cmd.pages * PAGE);
      let expected = ZX_OK;
      if (first + cmd.pages > VMAR_PAGES) expected = ZX_ERR_INVALID_ARGS;
      else {
        for (let i = first; i < first + cmd.pages && expected === ZX_OK; i++) {
          const entry = world.pages[i];
          if (entry === null || entry === undefined) expected = ZX_ERR_NOT_FOUND;
          else if ((cmd.perms & ~entry.canMap) !== 0) expected = ZX_ERR_ACCESS_DENIED;
        }
      }
      expectStatus(status, expected, `protect ${JSON.stringify(cmd)}`);
      if (status !== ZX_OK) return;
      for (let i = first; i < first + cmd.pages; i++) world.pages[i]!.perms = cmd.perms;
      return;
    }
    case 'load':
    case 'store': {
      const write = cmd.kind === 'store';
      const start = resolve(world, cmd.at) * PAGE + cmd.inPage;
      const addr = world.base + BigInt(start);
      const buffer = write
        ? new Uint8Array(cmd.length).fill(cmd.value)
        : new Uint8Array(cmd.length);
      const status = write ? proc.store(addr, buffer) : proc.load(addr, buffer);
      // Predict page by page: the bytes before the first faulting page are done.
      let expected = ZX_OK;
      let done = 0;
      for (let at = start; at < start + cmd.length; ) {
        const index = Math.floor(at / PAGE);
        const chunk = Math.min((index + 1) * PAGE - at, start + cmd.length - at);
        expected = accessStatus(world, index, write);
        if (expected !== ZX_OK) break;
        const entry = world.pages[index]!;
        const vmo = world.vmos[entry.vmo]!;
        const offset = entry.vmoPage * PAGE + (at - index * PAGE);
        if (write) vmo.bytes.fill(cmd.value, offset, offset + chunk);
        else {
          assert.deepEqual(
            buffer.subarray(done, done + chunk),
            vmo.bytes.subarray(offset, offset + chunk),
            `bytes loaded at ${at}`,
          );
        }
        done += chunk;
        at += chunk;
      }
      expectStatus(status, expected, `${cmd.kind} ${JSON.stringify(cmd)}`);
      return;
    }
    case 'vmoWrite': {
      const vmo = pick(cmd.vmo);
      const bytes = new Uint8Array(cmd.length).fill(cmd.value);
      const status = sys.zx_vmo_write(vmo.handle, bytes, cmd.at, cmd.length);
      const fits = cmd.at + cmd.length <= vmo.bytes.length;
      expectStatus(status, fits ? ZX_OK : ZX_ERR_OUT_OF_RANGE, 'zx_vmo_write');
      if (fits) vmo.bytes.set(bytes, cmd.at);
      return;
    }
    case 'zero': {
      const vmo = pick(cmd.vmo);
      const status = sys.zx_vmo_op_range(vmo.handle, ZX_VMO_OP_ZERO, cmd.at, cmd.length, null, 0);
      const fits = cmd.at + cmd.length <= vmo.bytes.length;
      expectStatus(status, fits ? ZX_OK : ZX_ERR_OUT_OF_RANGE, 'ZERO');
      if (fits) vmo.bytes.fill(0, cmd.at, cmd.at + cmd.length);
      return;
    }
    case 'decommit': {
      const vmo = pick(cmd.vmo);
      const status = sys.zx_vmo_op_range(
        vmo.handle,
        ZX_VMO_OP_DECOMMIT,
        cmd.page * PAGE,
        cmd.pages * PAGE,
        null,
        0,
      );
      let expected = ZX_OK;
      if (cmd.page + cmd.pages > pagesOf(vmo)) expected = ZX_ERR_OUT_OF_RANGE;
      else if (vmo.inTree) expected = ZX_ERR_NOT_SUPPORTED;
      expectStatus(status, expected, 'DECOMMIT');
      if (expected === ZX_OK) vmo.bytes.fill(0, cmd.page * PAGE, (cmd.page + cmd.pages) * PAGE);
      return;
    }
    case 'setSize': {
      const vmo = pick(cmd.vmo);
      const status = sys.zx_vmo_set_size(vmo.handle, cmd.pages * PAGE);
      expectStatus(status, vmo.resizable ? ZX_OK : ZX_ERR_UNAVAILABLE, 'zx_vmo_set_size');
      if (status !== ZX_OK) return;
      const bytes = new Uint8Array(cmd.pages * PAGE);
      bytes.set(vmo.bytes.subarray(0, Math.min(bytes.length, vmo.bytes.length)));
      vmo.bytes = bytes;
      return;
    }
    case 'snapshot': {
      if (world.vmos.length >= MAX_VMOS) return;
      const vmo = pick(cmd.vmo);
      const handle = out(0);
      const size = vmo.bytes.length;
      expectStatus(
        sys.zx_vmo_create_child(vmo.handle, ZX_VMO_CHILD_SNAPSHOT, 0, size, handle),
        ZX_OK,
        'snapshot',
      );
      vmo.inTree = true;
      world.vmos.push({
        handle: handle.value,
        readOnly: duplicate(sys, handle.value, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE),
        bytes: vmo.bytes.slice(),
        resizable: false,
        inTree: true,
      });
      return;
    }
    case 'rangeOp': {
      const first = resolve(world, cmd.page);
      const status = sys.zx_vmar_op_range(
        world.vmar,
        cmd.op,
        addrOf(first),
        cmd.pages * PAGE,
        null,
        0,
      );
      let expected = ZX_OK;
      if (first + cmd.pages > VMAR_PAGES) expected = ZX_ERR_OUT_OF_RANGE;
      else {
        let lastId = -1;
        for (let i = first; i < first + cmd.pages && expected === ZX_OK; i++) {
          const entry = world.pages[i];
          if (entry === null || entry === undefined) {
            expected = ZX_ERR_BAD_STATE;
            break;
          }
          if (cmd.op !== ZX_VMAR_OP_COMMIT || entry.id === lastId) continue;
          lastId = entry.id;
          if ((entry.canMap & ZX_VM_PERM_WRITE) === 0) expected = ZX_ERR_ACCESS_DENIED;
          else if (entry.vmoPage > pagesOf(world.vmos[entry.vmo]!)) expected = ZX_ERR_OUT_OF_RANGE;
        }
      }
      expectStatus(status, expected, `op_range ${JSON.stringify(cmd)}`);
      return;
    }
    case 'createVmo':
      if (world.vmos.length < MAX_VMOS) createVmo(world, cmd.pages, cmd.resizable);
      return;
  }
}

/** Everything the kernel shows agrees with the model, and the page tables are sound. */
function checkWorld(world: World): void {
  const { sys, proc } = world;
  for (const [i, vmo] of world.vmos.entries()) {
    const bytes = new Uint8Array(vmo.bytes.length);
    expectStatus(sys.zx_vmo_read(vmo.handle, bytes, 0, bytes.length), ZX_OK, 'zx_vmo_read');
    assert.deepEqual(bytes, vmo.bytes, `contents of vmo ${i}`);
    const ids = new Set(world.pages.filter((e) => e !== null && e.vmo === i).map((e) => e!.id));
    assert.equal(
      vmoInfo(sys, vmo.handle).num_mappings,
      BigInt(ids.size),
      `num_mappings of vmo ${i}`,
    );
  }
  for (let index = 0; index < VMAR_PAGES; index++) {
    const addr = world.base + BigInt(index * PAGE);
    const bytes = new Uint8Array(PAGE);
    const status = proc.load(addr, bytes);
    expectStatus(status, accessStatus(world, index, false), `load of page ${index}`);
    if (status !== ZX_OK) continue;
    const entry = world.pages[index]!;
    const shown = new Uint8Array(PAGE);
    const vmo = world.vmos[entry.vmo]!;
    expectStatus(sys.zx_vmo_read(vmo.handle, shown, entry.vmoPage * PAGE, PAGE), ZX_OK, 'read');
    assert.deepEqual(bytes, shown, `page ${index} shows its VMO page`);
  }
  assert.deepEqual(proc.object.aspace.checkTranslations(), []);
}

describe('mapping model', () => {
  it('agrees with the kernel on every status and byte, and no mapping reaches a freed frame', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 10, maxLength: 60, size: 'max' }), (cmds) => {
        const kernel = newKernel({ memoryBytes: 16 * 1024 * 1024 });
        const { sys, proc } = newProcess(kernel);
        const startFree = kmemStats(kernel, proc).free_bytes;
        const child = out(0);
        const addr = out(0n);
        const canMap =
          ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC;
        expectStatus(
          sys.zx_vmar_allocate(proc.rootVmar, canMap, 0, VMAR_PAGES * PAGE, child, addr),
          ZX_OK,
          'zx_vmar_allocate',
        );
        const world: World = {
          proc,
          sys,
          vmar: child.value,
          base: addr.value,
          vmos: [],
          pages: new Array(VMAR_PAGES).fill(null),
          nextId: 1,
        };
        createVmo(world, 8, true);
        createVmo(world, 4, false);
        for (const cmd of cmds) {
          run(world, cmd);
          checkWorld(world);
        }
        // Tear down: unmap everything, close everything, and every page is free again.
        expectStatus(sys.zx_vmar_destroy(world.vmar), ZX_OK, 'zx_vmar_destroy');
        for (const vmo of world.vmos) {
          expectStatus(sys.zx_handle_close(vmo.handle), ZX_OK, 'close');
          expectStatus(sys.zx_handle_close(vmo.readOnly), ZX_OK, 'close');
        }
        assert.equal(kmemStats(kernel, proc).free_bytes, startFree, 'every page is free again');
        assert.equal(proc.object.aspace.pageTable.entryCount, 0);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
