// The binder: turns the syscall table into the `syscalls` object of one process. For each
// entry it builds one wrapper that decodes the arguments by kind (what C's types guarantee and
// JavaScript does not), consumes a handle where the table says Zircon does, calls the
// implementation, and copies out the handles it made, as Zircon's generated syscall glue does
// around every sys_* function. A process that explains its errors (or is traced) gets each
// wrapper wrapped in `explained` (explain.ts), and a traced one in `traced` too; otherwise
// nothing but the wrapper runs.

import { ZX_ERR_BAD_HANDLE, ZX_ERR_INVALID_ARGS, ZX_OK } from '../abi/constants.ts';
import type { HostArgs, ParamSpec, SyscallSpec } from '../abi/syscall-spec.ts';
import { SYSCALL_SPECS, type SyscallName } from '../abi/syscalls/index.ts';
import type { Handle } from '../object/handle.ts';
import { processCallStatus } from '../object/process-dispatcher.ts';
import { handleValue, i64, u32, u64 } from './args.ts';
import { fail, noHandle, type SyscallContext, unwritable } from './context.ts';
import { explained } from './explain.ts';
import { HandleOut, type ImplOf } from './impl.ts';
import type { Parker } from './park.ts';
import { IMPLEMENTATIONS } from './table.ts';
import { type SyscallTracer, traced } from './trace.ts';
import { copyOutU32, isUserBuffer } from './user.ts';

/** The syscall object of a process: every zx_* function, typed from the table. */
export type Syscalls = {
  [K in SyscallName]: (...args: HostArgs<(typeof SYSCALL_SPECS)[K]['params']>) => number;
};

/**
 * The syscalls of a zx thread: the same functions, each returning the status, or a promise of
 * it where a Zircon thread would wait (out-parameters are written before it settles).
 */
export type ThreadSyscalls = {
  [K in SyscallName]: (
    ...args: HostArgs<(typeof SYSCALL_SPECS)[K]['params']>
  ) => number | Promise<number>;
};

/** An argument that did not decode: the call returns ZX_ERR_INVALID_ARGS. */
const INVALID: unique symbol = Symbol('invalid argument');

type Decoder = (value: unknown) => unknown;

const identity: Decoder = (value) => value;
const decodeHandle: Decoder = handleValue;
const decodeU32: Decoder = (value) => u32(value) ?? INVALID;
const decodeU64: Decoder = (value) => u64(value) ?? INVALID;
const decodeTime: Decoder = (value) => i64(value) ?? INVALID;
const decodeBuffer: Decoder = (value) => (isUserBuffer(value) ? value : INVALID);

function decoderFor(param: ParamSpec): Decoder {
  switch (param.kind) {
    case 'handle':
      return decodeHandle;
    case 'u32':
      return decodeU32;
    case 'u64':
      return param.raw ? identity : decodeU64;
    case 'time':
      return decodeTime;
    case 'buffer_in':
    case 'buffer_out':
    case 'struct_in':
    case 'struct_out':
      return decodeBuffer;
    case 'out_u32':
    case 'out_u64':
    case 'out_handle':
      return identity; // written (or found unusable) where the syscall copies out
  }
}

/**
 * ZX_OK (0), or ZX_ERR_BAD_STATE once the calling process is dying or dead: its threads would
 * never return from a syscall in Zircon; the host's calls get a status instead.
 */
function refused(ctx: SyscallContext): number {
  return processCallStatus(ctx.process);
}

// biome-ignore lint/suspicious/noExplicitAny: the binder calls implementations generically.
type AnyImpl = (ctx: SyscallContext, ...args: any[]) => number;
type Wrapper = (...args: unknown[]) => number;

/**
 * The wrapper of one syscall. Calls with only plain parameters take the shortest path; the
 * others (a consumed handle, out handles) go through `general`.
 */
function wrap(spec: SyscallSpec, impl: AnyImpl, ctx: SyscallContext): Wrapper {
  const decoders = spec.params.map(decoderFor);
  const consumed = spec.params.findIndex((p) => p.kind === 'handle' && p.consumed);
  const outHandles = spec.params.flatMap((p, i) => (p.kind === 'out_handle' ? [i] : []));
  if (consumed < 0 && outHandles.length === 0) return plain(decoders, impl, ctx);
  return (...args: unknown[]): number => {
    if (refused(ctx) !== ZX_OK) return refused(ctx);
    const decoded: unknown[] = new Array(decoders.length);
    // A consumed handle leaves the table first, whatever else is wrong (zx_handle_replace).
    let taken: Handle | undefined;
    if (consumed >= 0) {
      const value = handleValue(args[consumed]);
      taken = ctx.process.handles.take(value);
      if (taken === undefined) {
        return fail(ctx, ZX_ERR_BAD_HANDLE, noHandle, spec.params[consumed]!.name, value);
      }
      decoded[consumed] = taken;
    }
    try {
      for (let i = 0; i < decoders.length; i++) {
        if (i === consumed) continue;
        const value = decoders[i]!(args[i]);
        if (value === INVALID) return ZX_ERR_INVALID_ARGS;
        decoded[i] = value;
      }
      const slots = outHandles.map((i) => (decoded[i] = new HandleOut(ctx.core.handleArena)));
      const status = impl(ctx, ...decoded);
      if (status !== ZX_OK) {
        for (const slot of slots) slot.discard();
        return status;
      }
      return copyOutHandles(ctx, slots, outHandles, args, spec);
    } finally {
      // Consumed, unless the call put it back (zx_handle_replace when no handle could be made).
      if (taken !== undefined && taken.owner === null) ctx.process.handles.release(taken);
    }
  };
}

/** Fixed-arity wrappers, so that the hot syscalls pay no array or spread. */
function plain(decoders: Decoder[], impl: AnyImpl, ctx: SyscallContext): Wrapper {
  const [d0, d1, d2, d3] = decoders;
  switch (decoders.length) {
    case 0:
      return () => refused(ctx) || impl(ctx);
    case 1:
      return (a) => {
        if (refused(ctx) !== ZX_OK) return refused(ctx);
        const x = d0!(a);
        return x === INVALID ? ZX_ERR_INVALID_ARGS : impl(ctx, x);
      };
    case 2:
      return (a, b) => {
        if (refused(ctx) !== ZX_OK) return refused(ctx);
        const x = d0!(a);
        const y = d1!(b);
        return x === INVALID || y === INVALID ? ZX_ERR_INVALID_ARGS : impl(ctx, x, y);
      };
    case 3:
      return (a, b, c) => {
        if (refused(ctx) !== ZX_OK) return refused(ctx);
        const x = d0!(a);
        const y = d1!(b);
        const z = d2!(c);
        return x === INVALID || y === INVALID || z === INVALID
          ? ZX_ERR_INVALID_ARGS
          : impl(ctx, x, y, z);
      };
    case 4:
      return (a, b, c, d) => {
        if (refused(ctx) !== ZX_OK) return refused(ctx);
        const x = d0!(a);
        const y = d1!(b);
        const z = d2!(c);
        const w = d3!(d);
        return x === INVALID || y === INVALID || z === INVALID || w === INVALID
          ? ZX_ERR_INVALID_ARGS
          : impl(ctx, x, y, z, w);
      };
    default:
      return (...args: unknown[]) => {
        if (refused(ctx) !== ZX_OK) return refused(ctx);
        // The implementation's arguments, the context first: applied, not spread into a copy.
        const decoded = new Array<unknown>(decoders.length + 1);
        decoded[0] = ctx;
        for (let i = 0; i < decoders.length; i++) {
          const value = decoders[i]!(args[i]);
          if (value === INVALID) return ZX_ERR_INVALID_ARGS;
          decoded[i + 1] = value;
        }
        return impl.apply(undefined, decoded as Parameters<AnyImpl>);
      };
  }
}

/**
 * Installs the handles a successful call made and copies their values out, in parameter
 * order. As in Zircon's glue, a value that cannot be copied out destroys every handle the call
 * made and the call fails with ZX_ERR_INVALID_ARGS; nothing of them stays in the table.
 */
function copyOutHandles(
  ctx: SyscallContext,
  slots: HandleOut[],
  positions: number[],
  args: unknown[],
  spec: SyscallSpec,
): number {
  const table = ctx.process.handles;
  const values: number[] = [];
  for (const slot of slots) values.push(table.add(slot.claim()));
  for (let i = 0; i < slots.length; i++) {
    if (!copyOutU32(ctx.user, args[positions[i]!], values[i]!)) {
      for (const value of values) table.remove(value);
      const name = spec.params[positions[i]!]!.name;
      return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, name, args[positions[i]!]);
    }
  }
  return ZX_OK;
}

/**
 * The `syscalls` object of one process: explaining its errors when `explain` is set, traced
 * (which explains too) when `tracer` is given.
 */
export function bindSyscalls(
  ctx: SyscallContext,
  tracer?: SyscallTracer,
  explain = tracer !== undefined,
): Syscalls {
  const bound: Record<string, Wrapper> = {};
  const impls = IMPLEMENTATIONS as unknown as Record<string, AnyImpl>;
  for (const spec of Object.values(SYSCALL_SPECS) as SyscallSpec[]) {
    const impl = impls[spec.name]!;
    let wrapper = wrap(spec, impl, ctx);
    if (explain || tracer !== undefined) wrapper = explained(spec, wrapper, ctx);
    bound[spec.name] = tracer === undefined ? wrapper : traced(spec, wrapper, ctx, tracer);
  }
  return bound as unknown as Syscalls;
}

/**
 * The syscall object of a zx thread (the parker's), derived from the same table: each wrapper
 * runs as the host's does, and a call that asked to wait parks the thread (park.ts).
 */
export function bindThreadSyscalls(parker: Parker, tracer?: SyscallTracer): ThreadSyscalls {
  const bound: Record<string, (...args: unknown[]) => number | Promise<number>> = {};
  const host = bindSyscalls(parker.ctx, tracer) as unknown as Record<string, Wrapper>;
  for (const [name, call] of Object.entries(host)) {
    bound[name] = (...args: unknown[]) => parker.run(call, undefined, args);
  }
  return bound as unknown as ThreadSyscalls;
}

export type { ImplOf };
