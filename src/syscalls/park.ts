// Running a call on a zx thread: the call runs synchronously like the host's; when it asked to
// wait (ctx.blocker), the thread is parked on the blocker and the caller gets a promise that
// settles when the wait ends. A woken call finishes on the thread's next turn (a microtask
// queued by the wake), so threads run in the order they were woken. A thread that is dead (its
// process was killed, or it killed its own process) never gets an answer: its call's promise
// never settles.

import {
  ZX_ERR_SHOULD_WAIT,
  ZX_TASK_RETCODE_VDSO_KILL,
  ZX_THREAD_STATE_RUNNING,
} from '../abi/constants.ts';
import type { Blocker, Wake } from '../util/blocker.ts';
import type { SyscallContext } from './context.ts';

/** A call that never returns to its thread. */
function never(): Promise<number> {
  return new Promise<number>(() => {});
}

/**
 * Runs `attempt` as the context's thread: its status, or a promise of the status where the
 * thread waits. `attempt` runs again (from the start) when a wait ends with a plain wake(), with
 * the page-wait slot's `resumed` set (an operation a shrink overtook may trim its range).
 */
export function runOnThread(
  ctx: SyscallContext,
  attempt: () => number,
  resumed = false,
): number | Promise<number> {
  const thread = ctx.thread;
  if (thread === null) return attempt();
  if (thread.isDead) return never();
  if (thread.state !== ZX_THREAD_STATE_RUNNING || thread.inCall) {
    // A second call while one has not returned: one zx thread cannot make two calls at once.
    // Zircon kills a process that breaks the vDSO's calling contract; so does zxvm.
    thread.process.kill(ZX_TASK_RETCODE_VDSO_KILL);
    return never();
  }
  const pageWait = ctx.core.pageWait;
  pageWait.blocker = null;
  pageWait.caller = thread;
  pageWait.resumed = resumed;
  const status = attempt();
  pageWait.caller = null;
  pageWait.resumed = false;
  const blocker = ctx.blocker ?? (status === ZX_ERR_SHOULD_WAIT ? pageWait.blocker : null);
  ctx.blocker = null;
  pageWait.blocker = null;
  if (thread.isDead) return never();
  if (blocker === null) return status;
  return park(ctx, blocker, () => runOnThread(ctx, attempt, true));
}

/** Parks the context's thread on `blocker`; `retry` is what a plain wake() runs. */
function park(
  ctx: SyscallContext,
  blocker: Blocker,
  retry: () => number | Promise<number>,
): Promise<number> {
  const thread = ctx.thread!;
  return new Promise<number>((resolve) => {
    let woken = false;
    let disarm: (() => void) | null = null;
    const wake: Wake = (finish) => {
      if (woken || thread.isDead) return;
      woken = true;
      thread.wake();
      queueMicrotask(() => {
        // Killed after the wake: the kill ran disarm, and the call never returns.
        if (thread.isDead) return;
        thread.resumed();
        resolve(finish === undefined ? retry() : finish());
      });
    };
    thread.block(blocker.state, () => disarm?.());
    disarm = blocker.arm(wake);
  });
}
