// Making one fuzzed call and judging it by what the table and the contract promise: it never
// throws; it returns a known status (or the u32 its entry says), one its entry lists among its
// errors; it leaves no new handle behind when it fails, and no more than its out handles when
// it succeeds; a ZX_OK wrote every writable out handle with a fresh value, never claimed to
// have written an out-parameter it could not write, and wrote scalars of the right type; and it
// returns in reasonable time (a watchdog stops one that does not). Each failure is kept with
// the call as code to paste (ZXVM_FUZZ_TRACE prints every call before it is made).

import vm from 'node:vm';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_OK,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_STATUS_NAMES,
} from '../../src/abi/constants.ts';
import { flagValues } from '../../src/abi/flags.ts';
import { ZX_HANDLE_LAYOUT } from '../../src/abi/structs-ipc.ts';
import type { ParamSpec, SyscallSpec } from '../../src/abi/syscall-spec.ts';
import { SYSCALL_SPECS } from '../../src/abi/syscalls/index.ts';
import { i64, u32, u64 } from '../../src/syscalls/args.ts';
import { KernelPanic } from '../../src/util/assert.ts';
import { type Arg, reproducer, UNSET } from './arguments.ts';
import { plainView } from './garbage.ts';
import { typeName, type World } from './world.ts';

export interface Problem {
  readonly syscall: string;
  readonly problem: string;
  readonly call: string;
  readonly where: string;
}

const typedArrayTag = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype),
  Symbol.toStringTag,
)!.get!;

/** Whether the contract lets `value` through the edge as `param` (else ZX_ERR_INVALID_ARGS). */
function decodable(param: ParamSpec, value: unknown): boolean {
  switch (param.kind) {
    case 'u32':
      return u32(value) !== undefined;
    case 'u64':
      return u64(value) !== undefined;
    case 'time':
      return i64(value) !== undefined;
    case 'buffer_in':
    case 'buffer_out':
    case 'struct_in':
    case 'struct_out':
      // Host memory is any Uint8Array, of any realm or subclass; else an address or NULL.
      if (value === null || u64(value) !== undefined) return true;
      return ArrayBuffer.isView(value) && typedArrayTag.call(value) === 'Uint8Array';
    default:
      return true; // handles never fail at the edge; out-parameters fail where copied out
  }
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return `threw ${String(error)}`;
  const kind = error instanceof KernelPanic ? 'KERNEL PANIC' : `threw ${error.name}`;
  const stack = (error.stack ?? '')
    .split('\n')
    .slice(1, 5)
    .map((l) => l.trim());
  return `${kind}: ${error.message} | ${stack.join(' | ')}`;
}

type AnyFn = (...args: unknown[]) => unknown;

/** The handle values in a host buffer of zx_handle_t (the table gives it that element). */
function handleBuffer(param: ParamSpec, arg: Arg): number[] {
  if (param.kind !== 'buffer_in' && param.kind !== 'buffer_out') return [];
  if (param.element !== ZX_HANDLE_LAYOUT || arg.hostBytes === undefined) return [];
  const bytes = plainView(arg.value as Uint8Array);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.byteLength >> 2 }, (_, i) => view.getUint32(i * 4, true));
}

/**
 * At most how many handles a call hands out: its out handles, and as many as each buffer of
 * zx_handle_t it receives into may hold (its size parameter, at most what a message carries).
 */
function handlesMade(spec: SyscallSpec, args: readonly Arg[]): number {
  let count = 0;
  for (const param of spec.params) {
    if (param.kind === 'out_handle') count++;
    if (param.kind !== 'buffer_out' || param.element !== ZX_HANDLE_LAYOUT) continue;
    const size = args[spec.params.findIndex((p) => p.name === param.size)]?.value;
    count += Math.min(Number(u64(size) ?? 0n), 64);
  }
  return count;
}

/** A call slower than this (on a kernel of 32 MiB) is a bug: a loop per byte or per page. */
const SLOW_MS = Number(process.env.ZXVM_FUZZ_SLOW_MS ?? 1000);
/** A call that has not returned after this long is stopped by the watchdog (see drive). */
const STUCK_MS = 5 * SLOW_MS;

export class Caller {
  readonly problems: Problem[] = [];
  /** How often each syscall returned each status (printed with ZXVM_FUZZ_STATS set). */
  readonly outcomes = new Map<string, number>();
  calls = 0;
  /** The world the calls go to: a new one after a call got stuck (see drive). */
  world: World;
  private readonly seenProblems = new Set<string>();
  /** Syscalls a call of which got stuck: skipped from then on. */
  private readonly stuck = new Set<string>();
  /** The call being made, for the report when the watchdog stops it. */
  private current: { spec: SyscallSpec; args: readonly Arg[]; where: string } | null = null;

  constructor(world: World) {
    this.world = world;
  }

  /**
   * Reports the call the watchdog stopped (its world is left half-changed: drop it). The
   * syscall is not called again: each stuck call costs the watchdog's whole wait.
   */
  reportStuck(): void {
    const current = this.current;
    this.current = null;
    if (current === null) return;
    this.stuck.add(current.spec.name);
    const problem = `stuck: no return after ${STUCK_MS} ms (stopped by the watchdog)`;
    this.report(current.spec, current.args, problem, current.where);
  }

  /** Makes the call, checks it, and updates the world's pool. The status, or undefined. */
  call(spec: SyscallSpec, args: readonly Arg[], where: string): number | undefined {
    if (this.stuck.has(spec.name) || this.world.dead) return undefined;
    const { world } = this;
    const table = world.proc.object.handles;
    const fn = (world.sys as unknown as Record<string, AnyFn>)[spec.name]!;
    const before = table.size;
    // An upper bound on the handles this call makes (see World.clock).
    world.clock += handlesMade(spec, args);
    const problems: string[] = [];
    let result: unknown;
    this.calls++;
    if (process.env.ZXVM_FUZZ_TRACE !== undefined) console.error(reproducer(spec, args));
    const start = performance.now();
    this.current = { spec, args, where };
    try {
      result = fn(...args.map((a) => a.value));
    } catch (error) {
      problems.push(errorText(error));
    }
    this.current = null;
    const took = performance.now() - start;
    if (took > SLOW_MS) problems.push(`slow: the call took ${Math.round(took)} ms`);
    const status = typeof result === 'number' ? result : undefined;
    if (problems.length === 0) {
      const key = `${spec.name} ${ZX_STATUS_NAMES[status!] ?? String(result)}`;
      this.outcomes.set(key, (this.outcomes.get(key) ?? 0) + 1);
      this.checkResult(spec, args, result, problems);
      if (status !== undefined && spec.returns === 'status') {
        this.checkHandles(spec, args, status, table.size - before, problems);
        this.checkOuts(spec, args, status, problems);
      }
    }
    this.update(spec, args, status, problems);
    if (world.dead) {
      // The call killed the fuzzed process (or its job): the kernel must have taken all back.
      const problem = world.checkAfterDeath();
      if (problem !== null) problems.push(problem);
    }
    for (const problem of problems) this.report(spec, args, problem, where);
    return status;
  }

  report(spec: SyscallSpec, args: readonly Arg[], problem: string, where: string): void {
    // One report per syscall and kind of problem is enough to act on.
    const key = `${spec.name}: ${problem.split(':')[0]}`;
    if (this.seenProblems.has(key)) return;
    this.seenProblems.add(key);
    this.problems.push({ syscall: spec.name, problem, call: reproducer(spec, args), where });
  }

  private checkResult(spec: SyscallSpec, args: readonly Arg[], result: unknown, out: string[]) {
    if (spec.returns === 'u32') {
      if (!Number.isInteger(result) || (result as number) < 0 || (result as number) >= 2 ** 32) {
        out.push(`returned ${String(result)}, not a u32`);
      }
      return;
    }
    const name = typeof result === 'number' ? ZX_STATUS_NAMES[result] : undefined;
    if (name === undefined) {
      out.push(`returned ${typeof result === 'bigint' ? `${result}n` : String(result)}, no status`);
      return;
    }
    if (result === ZX_OK || spec.errors.length === 0) return; // not converted yet: no list
    if (spec.errors.some(([listed]) => listed === name)) return;
    const edge = spec.params.some((p, i) => !decodable(p, args[i]?.value));
    if (result === ZX_ERR_INVALID_ARGS && edge) return;
    out.push(`returned ${name}, which its table entry does not list`);
  }

  /**
   * A failed call leaves no handle behind (its out handles are destroyed); a ZX_OK adds at most
   * its out handles.
   */
  private checkHandles(
    spec: SyscallSpec,
    args: readonly Arg[],
    status: number,
    grown: number,
    out: string[],
  ) {
    const outHandles = handlesMade(spec, args);
    if (status === ZX_OK && grown > outHandles) {
      out.push(
        `ZX_OK added ${grown} handles to the table, more than the ${outHandles} it hands out`,
      );
    }
    if (status !== ZX_OK && grown > 0) {
      out.push(`failed with ${ZX_STATUS_NAMES[status]} and left ${grown} new handles in the table`);
    }
    spec.params.forEach((param, i) => {
      const arg = args[i];
      if (param.kind !== 'out_handle' || arg === undefined) return;
      // Only the test's own { value } objects are read: the others may throw.
      const written = arg.out === 'writable' ? (arg.value as { value: unknown }).value : UNSET;
      if (status !== ZX_OK) {
        // Zircon's glue may have copied out an earlier out handle's value before a later one
        // failed, but the handle behind it is destroyed: the value must name nothing.
        const live = typeof written === 'number' && this.world.proc.object.handles.get(written);
        if (live) {
          out.push(`failed with ${ZX_STATUS_NAMES[status]} but out handle ${param.name} is live`);
        }
        if (typeof written === 'number' && !live) this.world.noteClosed(written);
        return;
      }
      if (arg.out === 'unwritable') {
        out.push(`ZX_OK though out handle ${param.name} (${arg.code}) cannot be written`);
      } else if (arg.out === 'writable') {
        if (
          typeof written !== 'number' ||
          this.world.proc.object.handles.get(written) === undefined
        ) {
          out.push(`ZX_OK but out handle ${param.name} holds ${String(written)}, no live handle`);
        }
      }
    });
  }

  /** Scalar outs of a ZX_OK: of their type, and not claimed written when they cannot be. */
  private checkOuts(spec: SyscallSpec, args: readonly Arg[], status: number, out: string[]) {
    if (status !== ZX_OK) return;
    spec.params.forEach((param, i) => {
      const arg = args[i];
      if (arg === undefined || (param.kind !== 'out_u32' && param.kind !== 'out_u64')) return;
      if (arg.out === 'unwritable' && arg.touched?.()) {
        out.push(`ZX_OK though it touched out-parameter ${param.name} (${arg.code}), unwritable`);
      }
      if (arg.out !== 'writable') return;
      const v = (arg.value as { value: unknown }).value;
      if (v === UNSET) return; // not every ZX_OK writes every scalar (ZX_INFO_HANDLE_VALID)
      const ok =
        param.kind === 'out_u64'
          ? typeof v === 'bigint' && v >= 0n && v < 1n << 64n
          : Number.isInteger(v) && (v as number) >= 0 && (v as number) < 2 ** 32;
      if (!ok) out.push(`ZX_OK wrote ${String(v)} (${typeof v}) into ${param.kind} ${param.name}`);
    });
  }

  /** The pool follows the call: handles it closed or consumed leave, handles it made join. */
  private update(
    spec: SyscallSpec,
    args: readonly Arg[],
    status: number | undefined,
    problems: string[],
  ): void {
    const { world } = this;
    spec.params.forEach((param, i) => {
      const arg = args[i];
      if (arg === undefined) return;
      if (param.kind === 'handle' && typeof arg.value === 'number') world.forget(arg.value);
      const handles = handleBuffer(param, arg);
      // Handles sent go (whatever the status) and come back with their value; handles
      // received join the pool.
      if (param.kind === 'buffer_in') for (const value of handles) world.forget(value, false);
      if (status !== ZX_OK) return;
      for (const value of param.kind === 'buffer_out' ? handles : []) {
        const problem = world.adoptIfNew(value, `handle received by ${spec.name}`);
        if (problem !== null) problems.push(`${param.name}: ${problem}`);
      }
      if (param.kind === 'out_handle' && u64(arg.value) !== undefined) {
        // A handle value copied out to memory: read it back, to keep track of the handle.
        const bytes = new Uint8Array(4);
        if (world.proc.load(u64(arg.value)!, bytes) !== ZX_OK) return;
        const value = new DataView(bytes.buffer).getUint32(0, true);
        const problem = world.adopt(value, `${spec.name}'s ${param.name}, copied out to memory`);
        if (problem !== null) problems.push(`out handle ${param.name}: ${problem}`);
        return;
      }
      if (arg.out !== 'writable') return;
      const v = (arg.value as { value: unknown }).value;
      if (param.kind === 'out_handle' && typeof v === 'number') {
        const object = world.proc.object.handles.get(v)?.object;
        if (object === undefined) return;
        const problem = world.adopt(v, `${typeName(object.type)} from ${spec.name}`);
        if (problem !== null) problems.push(`out handle ${param.name}: ${problem}`);
      }
      if (param.kind === 'out_u64' && typeof v === 'bigint' && v !== 0n && v % 4096n === 0n) {
        if (world.addresses.length < 64) world.addresses.push(v);
        else world.addresses[Math.floor(Number(v / 4096n) % 64)] = v;
      }
    });
  }
}

/**
 * One duplicate/replace/close cycle on a handle of the pool, through the syscalls: each step
 * gives what Zircon gives, a closed value names nothing afterwards (closing it again is
 * ZX_ERR_BAD_HANDLE), and no value comes back before its slot has gone through every
 * generation (World.clock).
 */
export function churn(world: World, caller: Caller, rand: () => number, where: string): void {
  const entry = world.anyLive();
  if (entry === undefined) return;
  const table = world.proc.object.handles;
  const rights = table.get(entry.value)!.rights;
  const handleArg = (value: number): Arg => ({
    value,
    code: hex(value),
    note: world.labelOf(value),
  });
  const out = (): Arg => ({ value: { value: UNSET }, code: '{ value: 0 }', out: 'writable' });
  const expect = (spec: SyscallSpec, args: Arg[], status: number | undefined, wanted: number) => {
    if (status !== undefined && status !== wanted) {
      const problem = `churn: ${ZX_STATUS_NAMES[status]} where Zircon gives ${ZX_STATUS_NAMES[wanted]}`;
      caller.report(spec, args, problem, where);
    }
  };
  const dupSpec = SYSCALL_SPECS.zx_handle_duplicate;
  const bits = flagValues('rights');
  const dropped = bits[Math.floor(rand() * bits.length)]!;
  const reduced = rand() < 0.3 ? rights & ~dropped : ZX_RIGHT_SAME_RIGHTS;
  const dupArgs = [handleArg(entry.value), { value: reduced, code: hex(reduced) }, out()];
  const dupStatus = caller.call(dupSpec, dupArgs, where);
  expect(
    dupSpec,
    dupArgs,
    dupStatus,
    (rights & ZX_RIGHT_DUPLICATE) !== 0 ? ZX_OK : ZX_ERR_ACCESS_DENIED,
  );
  let value = dupStatus === ZX_OK ? (dupArgs[2]!.value as { value: number }).value : entry.value;
  if (dupStatus !== ZX_OK && rand() < 0.9) return; // keep the pool's handle, mostly
  if (rand() < 0.6) {
    const replaceSpec = SYSCALL_SPECS.zx_handle_replace;
    const args = [
      handleArg(value),
      { value: ZX_RIGHT_SAME_RIGHTS, code: 'ZX_RIGHT_SAME_RIGHTS' },
      out(),
    ];
    const status = caller.call(replaceSpec, args, where);
    expect(replaceSpec, args, status, ZX_OK);
    if (table.get(value) !== undefined) {
      caller.report(replaceSpec, args, 'churn: the replaced handle is still in the table', where);
    }
    if (status !== ZX_OK) return;
    value = (args[2]!.value as { value: number }).value;
  }
  if (rand() < 0.3) return; // the new handle stays in the pool
  const closeSpec = SYSCALL_SPECS.zx_handle_close;
  const args = [handleArg(value)];
  expect(closeSpec, args, caller.call(closeSpec, args, where), ZX_OK);
  const again = [{ value, code: hex(value), note: 'the handle just closed' }];
  expect(closeSpec, again, caller.call(closeSpec, again, where), ZX_ERR_BAD_HANDLE);
}

/** The problems, each with its reproducer, for an assertion message. */
export function describeProblems(all: readonly Problem[], seedHint: string): string {
  // The two callers of a lockstep report the same problem twice: once is enough.
  const problems = [...new Map(all.map((p) => [`${p.syscall}: ${p.problem}`, p])).values()];
  const shown = problems
    .slice(0, 15)
    .map((p) => `- ${p.syscall}: ${p.problem}\n  (${p.where})\n${p.call.replace(/^/gm, '    ')}`);
  const more = problems.length > shown.length ? `\n... and ${problems.length - 15} more` : '';
  return `${problems.length} kinds of bad call (${seedHint}; the classes and helpers the calls name are in test/fuzz/garbage.ts):\n${shown.join('\n')}${more}`;
}

const watchdog = vm.createContext({ task: null as (() => void) | null });
const runTask = new vm.Script('task()');

/**
 * Runs `step` until it returns false, in slices of a quarter of a second under a watchdog (V8
 * stops a vm script that runs too long, whatever it calls): when one step has not returned
 * after STUCK_MS it is stopped, `stuck` is told (to report the call and start a new world),
 * and the run goes on with the next step. A step must take its index before it calls.
 */
export function drive(step: () => boolean, stuck: () => void): void {
  let done = false;
  const slice = () => {
    const until = performance.now() + 250;
    while (performance.now() < until) {
      if (!step()) {
        done = true;
        return;
      }
    }
  };
  while (!done) {
    watchdog.task = slice;
    try {
      runTask.runInContext(watchdog, { timeout: 250 + STUCK_MS });
    } catch (error) {
      if ((error as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw error;
      stuck();
    } finally {
      watchdog.task = null;
    }
  }
}
