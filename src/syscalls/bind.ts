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
import { isHostBytes } from '../util/host-bytes.ts';
import { handleValue, i64, isU32, isU64, u32, u64 } from './args.ts';
import { fail, noHandle, type SyscallContext, unwritable } from './context.ts';
import { explained } from './explain.ts';
import { HandleOut, type ImplOf } from './impl.ts';
import type { Parker } from './park.ts';
import { IMPLEMENTATIONS } from './table.ts';
import { type SyscallTracer, traced } from './trace.ts';
import { copyOutU32, isUserBuffer } from './user.ts';
import { readHostMemory, writeHostMemory } from './vmo.ts';

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

/**
 * How the binder takes one parameter: `valid` says whether C could have passed the value (when
 * not, the call returns ZX_ERR_INVALID_ARGS), `value` gives it as the implementation takes it.
 * Two functions rather than one that returns a sentinel: comparing values of every type with a
 * sentinel costs the JIT a generic comparison per parameter on every call.
 */
interface Decoder {
  readonly valid: (value: unknown) => boolean;
  readonly value: (value: unknown) => unknown;
}

const always = (_value: unknown): boolean => true;
const identity = (value: unknown): unknown => value;
const asU32 = (value: unknown): unknown => u32(value);
const asU64 = (value: unknown): unknown => u64(value);
const asTime = (value: unknown): unknown => i64(value);

const RAW: Decoder = { valid: always, value: identity };
const HANDLE: Decoder = { valid: always, value: handleValue };
const U32: Decoder = { valid: isU32, value: asU32 };
const U64: Decoder = { valid: isU64, value: asU64 };
const TIME: Decoder = { valid: isU64, value: asTime };
const BUFFER: Decoder = { valid: isUserBuffer, value: identity };

function decoderFor(param: ParamSpec): Decoder {
  switch (param.kind) {
    case 'handle':
      return HANDLE;
    case 'u32':
      return U32;
    case 'u64':
      return param.raw ? RAW : U64;
    case 'time':
      return TIME;
    case 'buffer_in':
    case 'buffer_out':
    case 'struct_in':
    case 'struct_out':
      return BUFFER;
    case 'out_u32':
    case 'out_u64':
    case 'out_handle':
      return RAW; // written (or found unusable) where the syscall copies out
  }
}

// What every call runs, as this module's own constants: V8 folds a module's const binding into
// the code, but reads an imported one from its cell, checking it for the hole and for the
// function (or value) it expects, on every call.
const OK = ZX_OK;
const callStatus = processCallStatus;
const hostBytes = isHostBytes;
const readHost = readHostMemory;
const writeHost = writeHostMemory;

/**
 * ZX_OK (0), or ZX_ERR_BAD_STATE once the calling process is dying or dead: its threads would
 * never return from a syscall in Zircon; the host's calls get a status instead.
 */
const refused = (ctx: SyscallContext): number => callStatus(ctx.process);

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
  if (consumed < 0 && outHandles.length === 0) {
    const general = plain(decoders, impl, ctx);
    if (spec.name === 'zx_vmo_read') return vmoRead(general, ctx);
    if (spec.name === 'zx_vmo_write') return vmoWrite(general, ctx);
    return general;
  }
  return (...args: unknown[]): number => {
    if (refused(ctx) !== OK) return refused(ctx);
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
        const decoder = decoders[i]!;
        if (!decoder.valid(args[i])) return ZX_ERR_INVALID_ARGS;
        decoded[i] = decoder.value(args[i]);
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
  const [c0, c1, c2, c3] = decoders.map((d) => d.valid);
  const [v0, v1, v2, v3] = decoders.map((d) => d.value);
  switch (decoders.length) {
    case 0:
      return () => refused(ctx) || impl(ctx);
    case 1:
      return (a) => {
        if (refused(ctx) !== OK) return refused(ctx);
        return c0!(a) ? impl(ctx, v0!(a)) : ZX_ERR_INVALID_ARGS;
      };
    case 2:
      return (a, b) => {
        if (refused(ctx) !== OK) return refused(ctx);
        return c0!(a) && c1!(b) ? impl(ctx, v0!(a), v1!(b)) : ZX_ERR_INVALID_ARGS;
      };
    case 3:
      return (a, b, c) => {
        if (refused(ctx) !== OK) return refused(ctx);
        return c0!(a) && c1!(b) && c2!(c) ? impl(ctx, v0!(a), v1!(b), v2!(c)) : ZX_ERR_INVALID_ARGS;
      };
    case 4:
      return (a, b, c, d) => {
        if (refused(ctx) !== OK) return refused(ctx);
        return c0!(a) && c1!(b) && c2!(c) && c3!(d)
          ? impl(ctx, v0!(a), v1!(b), v2!(c), v3!(d))
          : ZX_ERR_INVALID_ARGS;
      };
    default:
      return (...args: unknown[]) => {
        if (refused(ctx) !== OK) return refused(ctx);
        // The implementation's arguments, the context first: applied, not spread into a copy.
        const decoded = new Array<unknown>(decoders.length + 1);
        decoded[0] = ctx;
        for (let i = 0; i < decoders.length; i++) {
          const decoder = decoders[i]!;
          if (!decoder.valid(args[i])) return ZX_ERR_INVALID_ARGS;
          decoded[i + 1] = decoder.value(args[i]);
        }
        return impl.apply(undefined, decoded as Parameters<AnyImpl>);
      };
  }
}

// The hottest syscalls have wrappers of their own, each a function of its own so that the JIT
// sees one implementation called from it (the wrappers `plain` makes share their feedback):
// when the process may call, the handle is a number and the buffer host memory, every
// decoder of `general` would accept the arguments and pass them on unchanged (the offset and
// length are raw), so the host-memory half of the implementation is called straight; any
// other call takes `general`.

function vmoRead(general: Wrapper, ctx: SyscallContext): Wrapper {
  return (handle, buffer, offset, size) =>
    typeof handle === 'number' && hostBytes(buffer) && refused(ctx) === OK
      ? readHost(ctx, handle, buffer, offset, size)
      : general(handle, buffer, offset, size);
}

function vmoWrite(general: Wrapper, ctx: SyscallContext): Wrapper {
  return (handle, buffer, offset, size) =>
    typeof handle === 'number' && hostBytes(buffer) && refused(ctx) === OK
      ? writeHost(ctx, handle, buffer, offset, size)
      : general(handle, buffer, offset, size);
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
