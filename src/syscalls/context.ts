// The calling context of a syscall and the one lookup-with-rights helper. Rights are checked
// here, once, in Zircon's order: a value that names no handle is ZX_ERR_BAD_HANDLE, a handle to
// the wrong kind of object ZX_ERR_WRONG_TYPE, a handle without every required right
// ZX_ERR_ACCESS_DENIED. Each failure says why when the call is explaining (`fail`).

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import { ANY_OBJECT, type HandleParam } from '../abi/syscall-spec.ts';
import type { Dispatcher } from '../object/dispatcher.ts';
import type { Handle } from '../object/handle.ts';
import type { KernelCore } from '../object/kernel-core.ts';
import type { ProcessDispatcher } from '../object/process-dispatcher.ts';
import type { ThreadDispatcher } from '../object/thread-dispatcher.ts';
import type { Blocker, BlockerSlot } from '../util/blocker.ts';
import { hex, type ReasonSlot, record, type Why } from '../util/reason.ts';
import type { UserMemory } from './user.ts';

/**
 * `explain` is on while a call explains its errors; `reason` then holds why it failed. A call
 * that must wait leaves its Blocker here (see shouldWait).
 */
export interface SyscallContext extends BlockerSlot, ReasonSlot {
  readonly core: KernelCore;
  readonly process: ProcessDispatcher;
  /** The caller's address space, for buffers passed as virtual addresses. */
  readonly user: UserMemory;
  /** The calling zx thread; null for the host, which is no thread and never waits. */
  readonly thread: ThreadDispatcher | null;
  /**
   * The wait a call asked for (see shouldWait): a thread's call is parked on it; the host's
   * context drops it, so that the host gets ZX_ERR_SHOULD_WAIT with nothing armed.
   */
  blocker: Blocker | null;
}

/**
 * Returns `status`, recording `why` when the call is explaining. A reason that formats values
 * is a function given them as arguments (it captures nothing: see src/util/reason.ts), so that
 * nothing is formatted, or allocated, when nobody asks.
 */
export function fail<A extends unknown[]>(
  ctx: SyscallContext,
  status: number,
  why: Why<A>,
  ...values: A
): number {
  return ctx.explain ? record(ctx, status, why, values) : status;
}

/** Why `value` names no handle: for ZX_ERR_BAD_HANDLE. */
export function noHandle(name: string, value: number): string {
  if (!Number.isInteger(value)) return `${name} is not a handle value (not a number)`;
  if (value === ZX_HANDLE_INVALID) return `${name} is ZX_HANDLE_INVALID`;
  return `${name} (${hex(value >>> 0)}) names no handle in this process`;
}

/** Why a handle could not be made (Handle::Make failing). */
export const ARENA_FULL = "the kernel's handle arena is full (KernelOptions.maxHandles)";

/**
 * Why the out-parameter `name` (given as `out`) could not be written: ZX_ERR_INVALID_ARGS where
 * Zircon copies out. Only `typeof` looks at `out`, which may be a hostile Proxy.
 */
export function unwritable(name: string, out: unknown): string {
  if (out === null) return `${name} is NULL`;
  if (typeof out === 'number' || typeof out === 'bigint') {
    return `${name} (${hex(out)}) is not writable memory of this process`;
  }
  return `${name} cannot be written: not a writable { value } object`;
}

/** `handle is ZX_OBJ_TYPE_VMAR, not ZX_OBJ_TYPE_VMO`: for ZX_ERR_WRONG_TYPE. */
export function wrongType(name: string, actual: number, wanted: number): string {
  return `${name} is ${nameFlags('obj_type', actual)}, not ${nameFlags('obj_type', wanted)}`;
}

/** `handle lacks ZX_RIGHT_WRITE (has ZX_RIGHT_READ | ...)`: for ZX_ERR_ACCESS_DENIED. */
export function lacksRights(name: string, has: number, needs: number): string {
  const held = has === 0 ? 'no rights' : nameFlags('rights', has);
  return `${name} lacks ${nameFlags('rights', needs & ~has)} (has ${held})`;
}

/**
 * Looks up the handle `value` as the table entry's parameter `param` describes it (its object
 * type and the rights it always needs), plus `extraRights` where the options or topic ask for
 * more: the Handle (for syscalls that also need its rights), or a status, in Zircon's order
 * BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED.
 */
export function handleWithRights(
  ctx: SyscallContext,
  value: number,
  param: HandleParam,
  extraRights = 0,
): Handle | number {
  // The success path is kept small (the JIT inlines it into the syscall); failures are sorted
  // out of line, in Zircon's order.
  const handle = ctx.process.handles.get(value);
  const rights = param.rights | extraRights;
  return fits(handle, param, rights) ? handle : lookupFailure(ctx, value, param, handle, rights);
}

/** True when `handle` is one `param` takes: its object's type, and every one of `rights`. */
function fits(handle: Handle | undefined, param: HandleParam, rights: number): handle is Handle {
  return (
    handle !== undefined &&
    (handle.object.type === param.type || param.type === ANY_OBJECT) &&
    (handle.rights & rights) === rights
  );
}

/** The status of a failed handleWithRights: BAD_HANDLE, WRONG_TYPE, then ACCESS_DENIED. */
function lookupFailure(
  ctx: SyscallContext,
  value: number,
  param: HandleParam,
  handle: Handle | undefined,
  rights: number,
): number {
  if (handle === undefined) return fail(ctx, ZX_ERR_BAD_HANDLE, noHandle, param.name, value);
  const type = handle.object.type;
  if (param.type !== ANY_OBJECT && type !== param.type) {
    return fail(ctx, ZX_ERR_WRONG_TYPE, wrongType, param.name, type, param.type);
  }
  return fail(ctx, ZX_ERR_ACCESS_DENIED, lacksRights, param.name, handle.rights, rights);
}

/** Like handleWithRights, for syscalls that need only the object: the object or a status. */
export function objectWithRights<T extends Dispatcher>(
  ctx: SyscallContext,
  value: number,
  param: HandleParam,
  extraRights = 0,
): T | number {
  // Not through handleWithRights: the hot syscalls call this, and one call less to inline
  // leaves the JIT's budget for the rest of the call.
  const handle = ctx.process.handles.get(value);
  const rights = param.rights | extraRights;
  return fits(handle, param, rights)
    ? (handle.object as T)
    : lookupFailure(ctx, value, param, handle, rights);
}

/**
 * objectWithRights for a parameter of one object type (not ANY_OBJECT) with no extra rights:
 * the lookup of the hottest syscalls, written out so that the JIT inlines all of it.
 */
export function objectOfParam<T extends Dispatcher>(
  ctx: SyscallContext,
  value: number,
  param: HandleParam,
): T | number {
  const handle = ctx.process.handles.get(value);
  return handle !== undefined &&
    handle.object.type === param.type &&
    (handle.rights & param.rights) === param.rights
    ? (handle.object as T)
    : lookupFailure(ctx, value, param, handle, param.rights);
}
