// The calling context of a syscall and the one lookup-with-rights helper. Rights are checked
// here, once, in Zircon's order: a value that names no handle is ZX_ERR_BAD_HANDLE, a handle to
// the wrong kind of object ZX_ERR_WRONG_TYPE, a handle without every required right
// ZX_ERR_ACCESS_DENIED.

import { ZX_ERR_ACCESS_DENIED, ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE } from '../abi/constants.ts';
import { ANY_OBJECT, type HandleParam } from '../abi/syscall-spec.ts';
import type { Dispatcher } from '../object/dispatcher.ts';
import type { Handle } from '../object/handle.ts';
import type { KernelCore } from '../object/kernel-core.ts';
import type { ProcessDispatcher } from '../object/process-dispatcher.ts';
import type { ThreadDispatcher } from '../object/thread-dispatcher.ts';
import type { Blocker, BlockerSlot } from '../util/blocker.ts';
import type { UserMemory } from './user.ts';

export interface SyscallContext extends BlockerSlot {
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
  const handle = ctx.process.handles.get(value);
  if (handle === undefined) return ZX_ERR_BAD_HANDLE;
  if (param.type !== ANY_OBJECT && handle.object.type !== param.type) return ZX_ERR_WRONG_TYPE;
  const rights = param.rights | extraRights;
  if ((handle.rights & rights) !== rights) return ZX_ERR_ACCESS_DENIED;
  return handle;
}

/** Like handleWithRights, for syscalls that need only the object: the object or a status. */
export function objectWithRights<T extends Dispatcher>(
  ctx: SyscallContext,
  value: number,
  param: HandleParam,
  extraRights = 0,
): T | number {
  const handle = handleWithRights(ctx, value, param, extraRights);
  return typeof handle === 'number' ? handle : (handle.object as T);
}
