// How a syscall asks to wait (the protocol is in util/blocker.ts): it does what Zircon does
// before waiting, then `return shouldWait(ctx, blocker)`. A thread's call is parked on the
// blocker by the binder; the host's context drops it and the host sees ZX_ERR_SHOULD_WAIT.

import { ZX_ERR_SHOULD_WAIT, ZX_ERR_TIMED_OUT, ZX_TIME_INFINITE } from '../abi/constants.ts';
import type { BlockedCall, Blocker, WakeResult } from '../util/blocker.ts';
import { fail, type SyscallContext } from './context.ts';
import { deadlineGone } from './why.ts';

export function shouldWait(ctx: SyscallContext, blocker: Blocker): number {
  ctx.blocker = blocker;
  return ZX_ERR_SHOULD_WAIT;
}

/** A deadline already reached on the kernel clock: the wait times out without waiting. */
export function deadlinePassed(ctx: SyscallContext, deadline: bigint): boolean {
  return deadline <= ctx.core.timers.now;
}

/**
 * A wait that is a waiter on some object (a port's, a channel's) until its deadline on the
 * kernel clock, if it has one: the blocker remembers the parked call and arms the deadline;
 * the subclass adds and removes its waiter, and says what a kill drops. At the deadline the
 * waiter leaves and the call returns ZX_ERR_TIMED_OUT (`waitingFor` says with what left undone).
 */
export abstract class DeadlineWait implements Blocker {
  readonly state: number;
  protected readonly ctx: SyscallContext;
  protected readonly deadline: bigint;
  private readonly waitingFor: string;
  private call: BlockedCall | null = null;
  private cancelTimer: (() => void) | null = null;

  constructor(state: number, ctx: SyscallContext, deadline: bigint, waitingFor: string) {
    this.state = state;
    this.ctx = ctx;
    this.deadline = deadline;
    this.waitingFor = waitingFor;
  }

  /** Adds the waiter to its object. */
  protected abstract register(): void;
  /** Takes the waiter off its object. */
  protected abstract unregister(): void;
  /** Drops what an end handed over and the call never took (the thread died). */
  protected abstract drop(): void;

  arm(call: BlockedCall): void {
    this.call = call;
    // On the kernel clock (fired by Kernel.advanceTime); ZX_TIME_INFINITE arms nothing.
    if (this.deadline < ZX_TIME_INFINITE) {
      this.cancelTimer = this.ctx.core.timers.add(this.deadline, () => this.expire());
    }
    this.register();
  }

  disarm(): void {
    this.unregister();
    this.cancelTimer?.();
    this.drop();
  }

  /** The wait ends before its deadline (the object took the waiter off) with `result`. */
  protected end(result: WakeResult): void {
    this.cancelTimer?.();
    this.call!.wake(result);
  }

  private expire(): void {
    this.unregister();
    const { ctx, deadline, waitingFor } = this;
    this.call!.wake(() => fail(ctx, ZX_ERR_TIMED_OUT, deadlineGone, deadline, waitingFor));
  }
}
