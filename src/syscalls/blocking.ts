// How a syscall asks to wait (the protocol is in util/blocker.ts): it does what Zircon does
// before waiting, then `return shouldWait(ctx, blocker)`. A thread's call is parked on the
// blocker by the binder; the host's context drops it and the host sees ZX_ERR_SHOULD_WAIT.

import { ZX_ERR_SHOULD_WAIT, ZX_TIME_INFINITE } from '../abi/constants.ts';
import type { Blocker } from '../util/blocker.ts';
import type { SyscallContext } from './context.ts';

export function shouldWait(ctx: SyscallContext, blocker: Blocker): number {
  ctx.blocker = blocker;
  return ZX_ERR_SHOULD_WAIT;
}

/** A deadline already reached on the kernel clock: the wait times out without waiting. */
export function deadlinePassed(ctx: SyscallContext, deadline: bigint): boolean {
  return deadline <= ctx.core.timers.now;
}

/**
 * Arms a deadline on the kernel clock (fired by Kernel.advanceTime); returns its cancel.
 * ZX_TIME_INFINITE arms nothing.
 */
export function armDeadline(ctx: SyscallContext, deadline: bigint, fire: () => void): () => void {
  if (deadline >= ZX_TIME_INFINITE) return () => {};
  return ctx.core.timers.add(deadline, fire);
}
