// Explaining: why a syscall failed, in words. The binder wraps each syscall in `explained` when
// the process explains its errors (Process.explain, a tracer, or the idiomatic API's calls); a
// process that does neither runs the plain wrappers, so its calls pay nothing for reasons.
//
// During an explained call the checks record their reason (`fail` in context.ts, `because` in
// the layers below); afterwards the wrapper fills in what no check said: the argument that did
// not decode, the caller's own death, or, as the floor, the causes that the syscall's table
// entry lists for that status.

import { ZX_ERR_INVALID_ARGS, ZX_OK, ZX_STATUS_NAMES } from '../abi/constants.ts';
import type { ParamSpec, SyscallSpec } from '../abi/syscall-spec.ts';
import { processCallStatus } from '../object/process-dispatcher.ts';
import { explaining, type Reason } from '../util/reason.ts';
import { i64, u32, u64 } from './args.ts';
import type { SyscallContext } from './context.ts';
import { isUserBuffer } from './user.ts';

type Wrapper = (...args: unknown[]) => number;

/** `syscall` (a binder wrapper) with every error status explained in `ctx.reason`. */
export function explained(spec: SyscallSpec, syscall: Wrapper, ctx: SyscallContext): Wrapper {
  const causes = causesByStatus(spec);
  return (...args: unknown[]): number => {
    ctx.reason = null;
    // A dying process's calls fail before anything is looked at (bind.ts, `refused`).
    const alive = processCallStatus(ctx.process) === ZX_OK;
    const status = explaining(ctx, () => syscall(...args));
    // The checks recorded into ctx.reason during the call (TypeScript cannot see that).
    const given = ctx.reason as Reason | null;
    if (status === ZX_OK || spec.returns !== 'status') {
      ctx.reason = null;
    } else if (given?.status !== status) {
      const text = alive
        ? ((status === ZX_ERR_INVALID_ARGS ? undecodable(spec.params, args) : null) ??
          causes.get(status))
        : `the calling process is ${ctx.process.state}: its calls fail before any check`;
      ctx.reason =
        text !== undefined
          ? { status, text, fallback: true }
          : { status, text: `${spec.name} lists no cause for this status`, fallback: true };
    }
    return status;
  };
}

/**
 * The first argument that the binder could not decode (bind.ts decodes every argument before
 * the implementation runs, so when one fails the implementation never ran), or null.
 */
function undecodable(params: readonly ParamSpec[], args: readonly unknown[]): string | null {
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    const value = args[i];
    switch (param.kind) {
      case 'u32':
        if (u32(value) === undefined) return notInteger(param.name, value, 'a uint32_t');
        break;
      case 'u64':
        // Raw ones are decoded by their syscall, which explains them.
        if (!param.raw && u64(value) === undefined) {
          return notInteger(param.name, value, 'a uint64_t');
        }
        break;
      case 'time':
        if (i64(value) === undefined) return notInteger(param.name, value, 'an int64_t');
        break;
      case 'buffer_in':
      case 'buffer_out':
        if (!isUserBuffer(value)) {
          return `${param.name} is ${shapeOf(value)}: neither a Uint8Array, a virtual address nor NULL`;
        }
        break;
      default:
        break;
    }
  }
  return null;
}

/** Why `value` is no integer of C type `type` (DECISIONS.md, argument types). */
export function notInteger(name: string, value: unknown, type: string): string {
  if (typeof value === 'bigint') return `${name} (${value}n) does not fit ${type}`;
  if (typeof value !== 'number') return `${name} is ${shapeOf(value)}, not an integer`;
  if (!Number.isInteger(value)) return `${name} (${value}) is not an integer`;
  return `${name} (${value}) does not fit ${type}`;
}

/** What a JavaScript value is, in a few words, without running any of its code. */
function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isInteger(value) ? 'a number' : `${value}`;
  if (typeof value === 'object') return ArrayBuffer.isView(value) ? 'a typed array' : 'an object';
  return `a ${typeof value}`;
}

const CAUSES = new WeakMap<SyscallSpec, ReadonlyMap<number, string>>();

/** The table's causes of each status of `spec`, joined: the reason when no check gave one. */
function causesByStatus(spec: SyscallSpec): ReadonlyMap<number, string> {
  let causes = CAUSES.get(spec);
  if (causes !== undefined) return causes;
  const joined = new Map<number, string>();
  const byName = new Map(Object.entries(ZX_STATUS_NAMES).map(([v, n]) => [n, Number(v)]));
  for (const [name, cause] of spec.errors) {
    const status = byName.get(name);
    if (status === undefined) continue;
    const before = joined.get(status);
    joined.set(status, before === undefined ? cause : `${before}; ${cause}`);
  }
  causes = joined;
  CAUSES.set(spec, causes);
  return causes;
}
