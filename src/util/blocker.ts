// The wait protocol. The kernel never blocks: a syscall that must wait does what Zircon does
// before waiting (queues the message, sends the page request), then describes the wait as a
// Blocker and returns ZX_ERR_SHOULD_WAIT. A zx thread that made the call is parked on the
// Blocker; the host, which is no thread, gets ZX_ERR_SHOULD_WAIT and nothing is armed. This
// file is at the bottom of the layers so that any layer (a pager's page request in vm/ as much
// as a port in object/) can describe a wait.

/**
 * Ends a wait. `wake()` means "run the syscall again" (Zircon's syscalls loop after
 * PageRequest::Wait); `wake(finish)` means "the wait ended with a result": the call returns
 * `finish()`, run on the woken thread's own turn (it writes the out-parameters). Only the first
 * call counts.
 */
export type Wake = (finish?: () => number) => void;

export interface Blocker {
  /** The ZX_THREAD_STATE_BLOCKED_* state the waiting thread reports. */
  readonly state: number;
  /**
   * Starts the wait (registers the waiter, the deadline timer): called at once after the
   * syscall returned, before anything else runs. It may call `wake` at once. Returns `disarm`,
   * which the kernel calls when the thread dies before its call returned, woken or not:
   * it must undo the registration and drop whatever a wake handed over (a reply message).
   */
  arm(wake: Wake): () => void;
}

/** Where a syscall records the wait it asks for (its SyscallContext). */
export interface BlockerSlot {
  blocker: Blocker | null;
}
