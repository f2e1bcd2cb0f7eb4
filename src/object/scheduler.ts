// Scheduling, as far as a synchronous kernel needs it. zx threads run on the host's event loop:
// a thread runs in its own microtasks, and a woken thread continues in the microtask its wake
// queued, so the order is the order of wakes, every run the same. The kernel only counts the
// threads that can run (new or running, neither blocked nor dead), so that a host can wait
// until none can (Kernel.idle).

export class Scheduler {
  private runnable = 0;
  private idleWaiters: (() => void)[] = [];

  /** Threads that are new or running. */
  get runnableThreads(): number {
    return this.runnable;
  }

  /** A thread became able to run (started, or woken from a wait). */
  threadRunnable(): void {
    this.runnable++;
  }

  /** A thread stopped being able to run (it blocked or died). */
  threadStopped(): void {
    this.runnable--;
    if (this.runnable === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** Settles once no thread can run: each one waits or is dead. */
  idle(): Promise<void> {
    if (this.runnable === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
