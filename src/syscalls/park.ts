// Running calls on a zx thread: a call runs synchronously like the host's; when it asked to
// wait (ctx.blocker, or the kernel's page-wait slot), the thread is parked on the blocker and
// the caller gets a promise that settles when the wait ends. A woken call finishes on the
// thread's next turn (a microtask queued by the wake), so threads run in the order they were
// woken. A thread that is dead (its process was killed, or it killed its own process) never
// gets an answer: its call's promise never settles.
//
// Each thread has one Parker, made with it, which holds the call in progress; a wait costs one
// ParkedCall (what the blocker wakes) and the call's promise, and a wake one microtask. A call
// that is run again after a plain wake and must wait again parks on the same promise.

import {
  ZX_ERR_SHOULD_WAIT,
  ZX_TASK_RETCODE_VDSO_KILL,
  ZX_THREAD_STATE_RUNNING,
} from '../abi/constants.ts';
import type { ThreadDispatcher } from '../object/thread-dispatcher.ts';
import type { BlockedCall, Blocker, WakeResult } from '../util/blocker.ts';
import type { SyscallContext } from './context.ts';

/** A call that never returns to its thread. */
function never(): Promise<number> {
  return new Promise<number>(() => {});
}

// biome-ignore lint/suspicious/noExplicitAny: a call's arguments are its own.
export type ThreadCall = (...args: any[]) => number;

/** One wait of a parked call: what its blocker wakes, and what a kill undoes. */
class ParkedCall implements BlockedCall {
  woken = false;
  result: WakeResult = undefined;
  readonly parker: Parker;
  readonly blocker: Blocker;

  constructor(parker: Parker, blocker: Blocker) {
    this.parker = parker;
    this.blocker = blocker;
  }

  wake(result?: WakeResult): void {
    const thread = this.parker.thread;
    if (this.woken || thread.isDead) return;
    this.woken = true;
    this.result = result;
    thread.wake();
    this.parker.queueResume();
  }

  /** The thread died before the call returned (ThreadDispatcher.kill). */
  abandon(): void {
    this.blocker.disarm(this);
  }
}

/** The calls of one zx thread (ctx.thread): runs them, parks them, resumes them. */
export class Parker {
  readonly ctx: SyscallContext;
  readonly thread: ThreadDispatcher;
  /** Runs the woken call on its thread's turn (queued by ParkedCall.wake). */
  private readonly resumeTask: () => void;
  /**
   * A settled promise: a reaction to it is a microtask, queued at once like queueMicrotask's,
   * without the async resource Node makes for each of those.
   */
  private readonly settled = Promise.resolve();
  /** Takes the resolve of a new call's promise. */
  private readonly executor: (resolve: (status: number) => void) => void;
  /** The parked (or woken, not yet resumed) call: its wait, what it runs, its promise. */
  private parked: ParkedCall | null = null;
  private call: ThreadCall | null = null;
  private self: unknown = undefined;
  private args: unknown[] | null = null;
  private resolve: ((status: number) => void) | null = null;
  /** The status of the last attempt (when it did not wait). */
  private status = 0;

  constructor(ctx: SyscallContext) {
    this.ctx = ctx;
    this.thread = ctx.thread!;
    this.resumeTask = () => this.resume();
    this.executor = (resolve) => {
      this.resolve = resolve;
    };
  }

  /** Queues the woken call's turn. */
  queueResume(): void {
    this.settled.then(this.resumeTask);
  }

  /**
   * Runs `call` (with `self` and `args`) as the thread: its status, or a promise of the status
   * where the thread waits. The call runs again, from the start, when a wait ends with a plain
   * wake().
   */
  run(call: ThreadCall, self: unknown, args: unknown[]): number | Promise<number> {
    const thread = this.thread;
    if (thread.isDead) return never();
    if (thread.state !== ZX_THREAD_STATE_RUNNING || thread.inCall) {
      // A second call while one has not returned: one zx thread cannot make two calls at once.
      // Zircon kills a process that breaks the vDSO's calling contract; so does zxvm.
      thread.process.kill(ZX_TASK_RETCODE_VDSO_KILL);
      return never();
    }
    const blocker = this.attempt(call, self, args, false);
    if (thread.isDead) return never();
    if (blocker === null) return this.status;
    this.call = call;
    this.self = self;
    this.args = args;
    const promise = new Promise<number>(this.executor);
    this.park(blocker);
    return promise;
  }

  /**
   * Runs the call once; the wait it asked for, or null (its status in `status`). A run after a
   * plain wake has the page-wait slot's `resumed` set (an operation a shrink overtook may trim
   * its range).
   */
  private attempt(
    call: ThreadCall,
    self: unknown,
    args: unknown[],
    resumed: boolean,
  ): Blocker | null {
    const ctx = this.ctx;
    const pageWait = ctx.core.pageWait;
    pageWait.blocker = null;
    pageWait.caller = this.thread;
    pageWait.resumed = resumed;
    const status = call.apply(self, args);
    pageWait.caller = null;
    pageWait.resumed = false;
    const blocker = ctx.blocker ?? (status === ZX_ERR_SHOULD_WAIT ? pageWait.blocker : null);
    ctx.blocker = null;
    pageWait.blocker = null;
    this.status = status;
    return blocker;
  }

  private park(blocker: Blocker): void {
    const parked = new ParkedCall(this, blocker);
    this.parked = parked;
    this.thread.block(blocker.state, parked);
    blocker.arm(parked);
  }

  /** The woken call's turn: it returns its result, or runs again (and may wait again). */
  private resume(): void {
    const thread = this.thread;
    // Killed after the wake: the kill undid the wait, and the call never returns.
    if (thread.isDead) return;
    const result = this.parked!.result;
    this.parked = null;
    thread.resumed();
    let status: number;
    if (result === undefined) {
      const blocker = this.attempt(this.call!, this.self, this.args!, true);
      if (thread.isDead) return;
      if (blocker !== null) {
        this.park(blocker);
        return;
      }
      status = this.status;
    } else if (typeof result === 'number') status = result;
    else if (typeof result === 'function') status = result();
    else status = result.finish();
    const resolve = this.resolve!;
    this.resolve = null;
    this.call = null;
    this.self = undefined;
    this.args = null;
    resolve(status);
  }
}
