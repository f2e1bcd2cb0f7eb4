// Fuzzing the syscall surface: every syscall of SYSCALLS (src/abi/syscalls/) and of
// proc.syscalls is called many times with garbage of every sort in every parameter (wrong JS
// types, NaN and infinities, negative, fractional and huge numbers, big bigints, closed handles
// and handles to other kinds of object, frozen out-parameters and ones whose accessors throw,
// short Uint8Arrays, virtual addresses). A syscall never throws (CONTRACT.md §2): each call must
// return a known zx_status_t, and afterwards the kernel must still work and give back every page
// once every handle is closed. Deterministic: the generator is seeded.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_BAD_STATE,
  ZX_INFO_HANDLE_BASIC,
  ZX_INFO_HANDLE_VALID,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_VMO,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PROP_VMO_CONTENT_SIZE,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_STATUS_NAMES,
  ZX_TIME_INFINITE,
  ZX_TIME_INFINITE_PAST,
  ZX_USER_SIGNAL_0,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import {
  decodeZxInfoHandleBasic,
  decodeZxInfoKmemStats,
  decodeZxInfoVmo,
  ZX_INFO_HANDLE_BASIC_SIZE,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_VMO_SIZE,
} from '../../src/abi/structs.ts';
import type { ParamKind } from '../../src/abi/syscall-spec.ts';
import { SYSCALLS } from '../../src/abi/syscalls/index.ts';
import { Kernel } from '../../src/kernel.ts';
import type { Process } from '../../src/process.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import { IMPLEMENTATIONS } from '../../src/syscalls/table.ts';
import { garbage, generator, randomU64, UNWRITABLE } from './garbage.ts';

const SEED = Number(process.env.ZXVM_FUZZ_SEED ?? 0x5ca1_ab1e);
/** Random calls per syscall (each on top of the systematic one-bad-parameter pass). */
const CALLS = Number(process.env.ZXVM_FUZZ_CALLS ?? 3000);
const PAGE_SIZE = 4096;
const U64_MAX = (1n << 64n) - 1n;
/** One byte in the 63-bit fixed point of zx_info_vmo_t's fractional scaled bytes. */
const ONE_BYTE = 1n << 63n;

type AnyFn = (...args: unknown[]) => unknown;

interface World {
  kernel: Kernel;
  proc: Process;
  sys: Syscalls;
  resource: number;
  /** Handle values to every kind of object, closed ones included: what random calls use. */
  handles: number[];
  /**
   * A handle to the sub-VMAR that random calls may map into (their only VMAR), kept out of
   * their reach so that the end of the test can destroy it and so unmap all they mapped.
   */
  spareKeep: number;
}

const CAN_MAP = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC;

function newWorld(seed: number): World {
  const kernel = new Kernel({ memoryBytes: 16 * 1024 * 1024, seed });
  const proc = kernel.createProcess({ name: 'fuzz' });
  const sys = proc.syscalls;
  const resource = kernel.grantSystemResource(proc);
  const spare = { value: 0 };
  const at = { value: 0n };
  assert.equal(sys.zx_vmar_allocate(proc.rootVmar, CAN_MAP, 0, 256 * PAGE_SIZE, spare, at), ZX_OK);
  const spareKeep = { value: 0 };
  assert.equal(sys.zx_handle_duplicate(spare.value, ZX_RIGHT_SAME_RIGHTS, spareKeep), ZX_OK);
  const handles = [proc.self, proc.job, spare.value, resource];
  for (const options of [0, ZX_VMO_RESIZABLE, ZX_VMO_DISCARDABLE]) {
    const out = { value: 0 };
    assert.equal(sys.zx_vmo_create(3 * PAGE_SIZE + 5, options, out), ZX_OK);
    handles.push(out.value);
  }
  const weak = { value: 0 };
  assert.equal(sys.zx_handle_duplicate(handles[4]!, ZX_RIGHT_READ, weak), ZX_OK);
  const closed = { value: 0 };
  assert.equal(sys.zx_vmo_create(PAGE_SIZE, 0, closed), ZX_OK);
  assert.equal(sys.zx_handle_close(closed.value), ZX_OK);
  handles.push(weak.value, closed.value);
  return { kernel, proc, sys, resource, handles, spareKeep: spareKeep.value };
}

/**
 * New handles the calls of one syscall left in the table, for the next syscalls to use: all but
 * VMARs (a mapping in a VMAR the test cannot destroy would keep its VMO alive to the end).
 */
function newHandles(world: World): number[] {
  const table = world.proc.object.handles;
  return [...table.values()]
    .filter((v) => v !== world.spareKeep && table.get(v)?.object.type !== ZX_OBJ_TYPE_VMAR)
    .slice(-8);
}

/** The value of the handle in the next (or previous) slot of the table: often a real one. */
function nearby(handle: number, world: World): number {
  const value = (handle ^ 4) >>> 0;
  return value === world.spareKeep ? 0 : value;
}

/** Values of the right JavaScript shape for each kind, valid or just out of range. */
function valueOfKind(kind: ParamKind, world: World, rand: () => number): unknown {
  const pickOf = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;
  switch (kind) {
    case 'handle':
      return pickOf([
        ...world.handles,
        0,
        0xffff_ffff,
        nearby(pickOf(world.handles), world),
        Math.floor(rand() * 2 ** 32),
      ]);
    case 'u32':
      return pickOf([
        0,
        1,
        2,
        3,
        4,
        Math.floor(rand() * 16),
        Math.floor(rand() * 64),
        0x10,
        0x8000_0000,
        0xffff_ffff,
        Math.floor(rand() * 2 ** 32),
        ZX_DEFAULT_VMO_RIGHTS,
        ZX_INFO_VMO,
        ZX_INFO_KMEM_STATS,
        ZX_INFO_HANDLE_BASIC,
        2 ** 32,
      ]);
    case 'u64':
      return pickOf<unknown>([
        0,
        1,
        8,
        32,
        4095,
        4096,
        4097,
        65536,
        Math.floor(rand() * 3 * PAGE_SIZE),
        2 ** 32,
        2 ** 53 - 1,
        randomU64(rand),
        2n ** 64n - 1n,
        2n ** 64n - 4096n,
        0xffff_ffff_fffe_0000n,
        2n ** 40n,
        0x20_0000,
        -1,
      ]);
    case 'time':
      return pickOf<unknown>([0, 0n, -1n, 1_000_000n, ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST]);
    case 'buffer_in':
    case 'buffer_out':
    case 'struct_in':
    case 'struct_out':
      return pickOf<unknown>([
        null,
        new Uint8Array(0),
        new Uint8Array(1),
        new Uint8Array(7),
        new Uint8Array(8),
        new Uint8Array(31),
        new Uint8Array(32),
        new Uint8Array(ZX_INFO_VMO_SIZE),
        new Uint8Array(PAGE_SIZE),
        new Uint8Array(65536).subarray(100),
        0,
        0x1000,
        0x20_0000,
        2 ** 47,
        0x20_0000n,
        2n ** 63n,
      ]);
    case 'out_handle':
    case 'out_u32':
    case 'out_u64':
      return pickOf<unknown>([{ value: 0 }, { value: 0n }, null, Object.freeze({ value: 0 })]);
  }
}

/** A sane buffer and its size, for calls that are sane but for one or two parameters. */
const SANE_BUFFER_BYTES = 512;

/** What sane arguments created for one call, destroyed and closed after it. */
interface Fresh {
  vmos: number[];
  vmars: number[];
}

function freshVmo(world: World, fresh: Fresh): number {
  const out = { value: 0 };
  world.sys.zx_vmo_create(2 * PAGE_SIZE, ZX_VMO_RESIZABLE, out);
  fresh.vmos.push(out.value);
  return out.value;
}

function freshVmar(world: World, fresh: Fresh): number {
  const out = { value: 0 };
  world.sys.zx_vmar_allocate(world.spareKeep, CAN_MAP, 0, 16 * PAGE_SIZE, out, { value: 0n });
  fresh.vmars.push(out.value);
  return out.value;
}

function cleanUp(world: World, fresh: Fresh): void {
  for (const vmar of fresh.vmars) world.sys.zx_vmar_destroy(vmar);
  for (const handle of [...fresh.vmars, ...fresh.vmos]) world.sys.zx_handle_close(handle);
}

/**
 * A valid argument for parameter `name` (of kind `kind`) of `syscall`: handles name a fresh
 * VMO or VMAR (or the job, or the system resource), sizes fit the buffers, ops, topics and
 * options are real ones.
 */
function saneValue(
  syscall: string,
  kind: ParamKind | null,
  name: string,
  world: World,
  fresh: Fresh,
): unknown {
  const vmar = syscall.startsWith('zx_vmar_');
  switch (kind) {
    case 'handle':
      if (name === 'parent_job' || name === 'job') return world.proc.job;
      if (name === 'parent_rsrc' || name === 'vmex' || name === 'resource') return world.resource;
      if ((vmar && name === 'handle') || name === 'parent_vmar') return freshVmar(world, fresh);
      return freshVmo(world, fresh);
    case 'u32': {
      if (name === 'options' && syscall === 'zx_vmar_map')
        return ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
      if (name === 'options' && syscall === 'zx_vmar_allocate') return CAN_MAP;
      const named: Record<string, number> = {
        op: ZX_VMO_OP_COMMIT,
        topic: ZX_INFO_VMO,
        property: ZX_PROP_VMO_CONTENT_SIZE,
        rights: ZX_RIGHT_SAME_RIGHTS,
        signals: ZX_USER_SIGNAL_0,
        set_mask: ZX_USER_SIGNAL_0,
      };
      return named[name] ?? 0;
    }
    case 'u64':
      if (name.endsWith('_size')) return SANE_BUFFER_BYTES;
      return name === 'size' || name === 'len' ? PAGE_SIZE : 0;
    case 'time':
      return 0n;
    case 'buffer_in':
    case 'buffer_out':
    case 'struct_in':
    case 'struct_out':
      return new Uint8Array(SANE_BUFFER_BYTES);
    case 'out_handle':
    case 'out_u32':
    case 'out_u64':
      return { value: 0 };
    case null:
      return 0;
  }
}

/** Parameter names and kinds: from SYSCALLS, or (for an unlisted syscall) its arity. */
function paramsOf(name: string, fn: AnyFn): readonly (readonly [string, ParamKind | null])[] {
  const spec = SYSCALLS.find((s) => s.name === name);
  if (spec !== undefined) return spec.params.map((p) => [p.name, p.kind] as const);
  return Array.from({ length: fn.length }, (_, i) => [`arg${i}`, null] as const);
}

function describeValue(value: unknown): string {
  try {
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol' || typeof value === 'function') return String(value);
    if (value instanceof Uint8Array) return `${value.constructor.name}(${value.byteLength})`;
    return JSON.stringify(value) ?? String(value);
  } catch {
    return '<hostile>';
  }
}

interface Failure {
  name: string;
  args: unknown[];
  problem: string;
}

/** How often each syscall returned each status (printed with ZXVM_FUZZ_STATS set). */
const OUTCOMES = new Map<string, number>();

const OUT_KINDS = new Set<ParamKind | null>(['out_handle', 'out_u32', 'out_u64']);
/** What a writable out-parameter holds before the call, to see whether it was written. */
const UNSET = Symbol('unset');

/** Whether a ZX_OK from this call writes its out-parameters (HANDLE_VALID writes none). */
function writesOuts(name: string, args: unknown[]): boolean {
  const handleValid = args[1] === ZX_INFO_HANDLE_VALID || args[1] === BigInt(ZX_INFO_HANDLE_VALID);
  return !(name === 'zx_object_get_info' && handleValid);
}

/**
 * Makes one call and records a throw, a result that is not a known status, or a ZX_OK that did
 * not write every out-parameter given (or that claims to have written one that cannot be).
 */
function call(
  name: string,
  fn: AnyFn,
  args: unknown[],
  kinds: readonly (ParamKind | null)[],
  failures: Failure[],
): void {
  const outs = kinds.flatMap((kind, i) => (OUT_KINDS.has(kind) ? [i] : []));
  // Writable plain { value } objects are reset to UNSET, to see whether a ZX_OK wrote them.
  for (const i of outs) {
    const arg = args[i];
    if (typeof arg !== 'object' || arg === null || UNWRITABLE.has(arg)) continue;
    try {
      const plain = Object.getPrototypeOf(arg) === Object.prototype && !Object.isFrozen(arg);
      if (plain && Object.getOwnPropertyDescriptor(arg, 'value')?.writable) {
        args[i] = { value: UNSET };
      }
    } catch {
      // a hostile proxy that is not registered: leave it
    }
  }
  let result: unknown;
  try {
    result = fn(...args);
  } catch (error) {
    failures.push({ name, args, problem: `threw ${String((error as Error)?.stack ?? error)}` });
    return;
  }
  const key = `${name} ${ZX_STATUS_NAMES[result as number] ?? String(result)}`;
  OUTCOMES.set(key, (OUTCOMES.get(key) ?? 0) + 1);
  const ok =
    name === 'zx_system_get_page_size'
      ? result === PAGE_SIZE
      : typeof result === 'number' && ZX_STATUS_NAMES[result] !== undefined;
  if (!ok) failures.push({ name, args, problem: `returned ${describeValue(result)}` });
  if (result !== ZX_OK || !writesOuts(name, args)) return;
  for (const i of outs) {
    const arg = args[i];
    if (typeof arg === 'object' && arg !== null && UNWRITABLE.has(arg)) {
      failures.push({ name, args, problem: `ZX_OK with out-parameter ${i} unwritable` });
    } else if (
      typeof arg === 'object' &&
      arg !== null &&
      (arg as { value?: unknown }).value === UNSET
    ) {
      failures.push({ name, args, problem: `ZX_OK without writing out-parameter ${i}` });
    }
  }
}

function report(failures: Failure[]): string {
  const lines = failures.slice(0, 12).map((f) => {
    const args = f.args.map(describeValue).join(', ');
    return `${f.name}(${args}): ${f.problem.split('\n').slice(0, 4).join(' | ')}`;
  });
  return `${failures.length} bad calls, the first:\n${lines.join('\n')}`;
}

function kmem(sys: Syscalls, resource: number) {
  const buffer = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
  const status = sys.zx_object_get_info(
    resource,
    ZX_INFO_KMEM_STATS,
    buffer,
    buffer.length,
    null,
    null,
  );
  assert.equal(status, ZX_OK, 'ZX_INFO_KMEM_STATS');
  return decodeZxInfoKmemStats(buffer);
}

/**
 * After fuzzing: the sum of committed_bytes over the VMOs the process holds equals KMEM
 * vmo_bytes; a new VMO works; closing every handle frees every page.
 */
function checkStillWorks(world: World, startFree: bigint): void {
  const { kernel, proc, sys } = world;
  // Destroying the only VMAR the calls could map into unmaps all they mapped.
  const destroyed = sys.zx_vmar_destroy(world.spareKeep);
  assert.ok(
    destroyed === ZX_OK || destroyed === ZX_ERR_BAD_STATE,
    `zx_vmar_destroy of the spare: ${destroyed}`,
  );
  const observer = kernel.createProcess({ name: 'observer' });
  const resource = kernel.grantSystemResource(observer);
  const committed = new Map<bigint, bigint>();
  for (const value of [...proc.object.handles.values()]) {
    const basic = new Uint8Array(ZX_INFO_HANDLE_BASIC_SIZE);
    const status = sys.zx_object_get_info(
      value,
      ZX_INFO_HANDLE_BASIC,
      basic,
      basic.length,
      null,
      null,
    );
    assert.equal(status, ZX_OK, 'ZX_INFO_HANDLE_BASIC of a handle in the table');
    const info = decodeZxInfoHandleBasic(basic);
    if (info.type !== ZX_OBJ_TYPE_VMO) continue;
    const vmo = new Uint8Array(ZX_INFO_VMO_SIZE);
    assert.equal(sys.zx_object_get_info(value, ZX_INFO_VMO, vmo, vmo.length, null, null), ZX_OK);
    const record = decodeZxInfoVmo(vmo);
    // Scaled (PSS) bytes: a page shared by n VMOs counts 1/n in each, so they add up to RAM.
    const fraction = record.committed_fractional_scaled_bytes;
    const exact = record.committed_scaled_bytes * ONE_BYTE + (fraction === U64_MAX ? 0n : fraction);
    committed.set(info.koid, exact);
  }
  const sum = [...committed.values()].reduce((a, b) => a + b, 0n);
  const vmoBytes = kmem(observer.syscalls, resource).vmo_bytes;
  // Fractions such as 1/3 do not add up exactly: allow a byte of rounding per VMO.
  const slack = BigInt(committed.size) * ONE_BYTE;
  const total = vmoBytes * ONE_BYTE;
  assert.ok(
    sum <= total && total - sum <= slack,
    `KMEM vmo_bytes ${vmoBytes} = the VMOs' scaled committed bytes ${Number(sum / ONE_BYTE)}`,
  );
  for (const s of [sys, observer.syscalls]) {
    const out = { value: 0 };
    assert.equal(s.zx_vmo_create(2 * PAGE_SIZE, 0, out), ZX_OK, 'zx_vmo_create after fuzzing');
    const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) & 0xff);
    assert.equal(s.zx_vmo_write(out.value, data, 100, data.length), ZX_OK);
    const back = new Uint8Array(data.length);
    assert.equal(s.zx_vmo_read(out.value, back, 100, back.length), ZX_OK);
    assert.deepEqual(back, data);
    assert.equal(s.zx_handle_close(out.value), ZX_OK);
  }
  for (const value of [...proc.object.handles.values()]) {
    assert.equal(sys.zx_handle_close(value), ZX_OK);
  }
  const stats = kmem(observer.syscalls, resource);
  assert.equal(stats.vmo_bytes, 0n, 'no VMO memory once every handle is closed');
  assert.equal(stats.free_bytes, startFree, 'every page is free again');
}

function syscallsOf(sys: Syscalls): [string, AnyFn][] {
  return Object.entries(sys as unknown as Record<string, AnyFn>);
}

/**
 * Syscalls the garbage passes leave out: zx_task_kill given the world's own process or job
 * (the root job) would end the world; test/syscalls/thread/task-kill.test.ts covers it.
 */
const NOT_FUZZED = new Set(['zx_task_kill']);

function fuzzedSyscallsOf(sys: Syscalls): [string, AnyFn][] {
  return syscallsOf(sys).filter(([name]) => !NOT_FUZZED.has(name));
}

describe('syscall fuzzing', () => {
  after(() => {
    if (process.env.ZXVM_FUZZ_STATS === undefined) return;
    console.log(
      [...OUTCOMES]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
  });

  it('gives every syscall in SYSCALLS an implementation with one parameter per listed one', () => {
    const sys = new Kernel({ memoryBytes: 1 << 20 }).createProcess().syscalls;
    const bound = new Map(syscallsOf(sys));
    for (const spec of SYSCALLS) {
      const fn = bound.get(spec.name);
      assert.equal(typeof fn, 'function', `${spec.name} has no implementation`);
      const impl = (IMPLEMENTATIONS as unknown as Record<string, AnyFn>)[spec.name];
      assert.equal(impl?.length, spec.params.length + 1, `${spec.name} arity`);
    }
    for (const name of bound.keys()) {
      assert.ok(
        SYSCALLS.some((s) => s.name === name),
        `${name} is implemented but not in SYSCALLS`,
      );
    }
    assert.equal(new Set(SYSCALLS.map((s) => s.name)).size, SYSCALLS.length, 'duplicate names');
  });

  it('never throws when one parameter at a time is garbage and the others are sane', () => {
    const world = newWorld(SEED);
    const startFree = kmem(world.sys, world.resource).free_bytes;
    const failures: Failure[] = [];
    for (const [name, fn] of fuzzedSyscallsOf(world.sys)) {
      const params = paramsOf(name, fn);
      const kinds = params.map((p) => p[1]);
      for (let position = 0; position < params.length; position++) {
        for (const bad of garbage()) {
          const fresh: Fresh = { vmos: [], vmars: [] };
          const args = params.map(([param, kind]) => saneValue(name, kind, param, world, fresh));
          args[position] = bad;
          call(name, fn, args, kinds, failures);
          cleanUp(world, fresh);
        }
      }
    }
    assert.equal(failures.length, 0, report(failures));
    checkStillWorks(world, startFree);
  });

  it('never throws and always returns a known status on random garbage in every parameter', () => {
    const world = newWorld(SEED + 1);
    const startFree = kmem(world.sys, world.resource).free_bytes;
    const rand = generator(SEED + 1);
    const junk = garbage();
    const anyJunk = () => junk[Math.floor(rand() * junk.length)];
    const failures: Failure[] = [];
    for (const [name, fn] of fuzzedSyscallsOf(world.sys)) {
      const params = paramsOf(name, fn);
      const kinds = params.map((p) => p[1]);
      for (let i = 0; i < CALLS; i++) {
        const fresh: Fresh = { vmos: [], vmars: [] };
        let args: unknown[];
        if (rand() < 0.5) {
          // Anything of any kind in every parameter.
          args = kinds.map((kind) =>
            kind === null || rand() < 0.3 ? anyJunk() : valueOfKind(kind, world, rand),
          );
        } else {
          // Sane but for one or two parameters: reaches the checks past argument parsing.
          args = params.map(([param, kind]) => saneValue(name, kind, param, world, fresh));
          for (let k = rand() < 0.5 ? 1 : 2; k > 0 && args.length > 0; k--) {
            const at = Math.floor(rand() * args.length);
            const kind = kinds[at] ?? null;
            args[at] = kind === null || rand() < 0.4 ? anyJunk() : valueOfKind(kind, world, rand);
          }
        }
        // Sometimes one argument too many or too few.
        if (rand() < 0.05) args.push(anyJunk());
        if (rand() < 0.05) args.pop();
        call(name, fn, args, kinds, failures);
        cleanUp(world, fresh);
      }
      // Handles the calls created are fair game for the next syscalls.
      world.handles.push(...newHandles(world));
    }
    assert.equal(failures.length, 0, report(failures));
    checkStillWorks(world, startFree);
  });
});
