// The wait protocol. The kernel never blocks: a syscall that must wait does what Zircon does
// before waiting (queues the message, sends the page request), then describes the wait as a
// Blocker and returns ZX_ERR_SHOULD_WAIT. A zx thread that made the call is parked on the
// Blocker; the host, which is no thread, gets ZX_ERR_SHOULD_WAIT and nothing is armed. This
// file is at the bottom of the layers so that any layer (a pager's page request in vm/ as much
// as a port in object/) can describe a wait.
//
// Blockers and the parked call are objects with methods, not closures: a thread switch is on
// the hot path of every wait, and a wait costs its blocker and nothing else.

/** What a woken call returns when its result is computed on its own turn. */
export interface Finish {
  /** The call's status; runs on the woken thread's turn (it writes the out-parameters). */
  finish(): number;
}

/**
 * How a wait ends. `undefined` means "run the syscall again" (Zircon's syscalls loop after
 * PageRequest::Wait); a number is the status the call returns; a Finish (or a function) is run
 * on the woken thread's own turn and the call returns what it returns.
 */
export type WakeResult = undefined | number | Finish | (() => number);

/** The parked call of one wait, as its blocker sees it. */
export interface BlockedCall {
  /** Ends the wait with `result` (see WakeResult). Only the first call counts. */
  wake(result?: WakeResult): void;
}

export interface Blocker {
  /** The ZX_THREAD_STATE_BLOCKED_* state the waiting thread reports. */
  readonly state: number;
  /**
   * Starts the wait of `call` (registers the waiter, the deadline timer): called at once after
   * the syscall returned, before anything else runs. It may wake `call` at once.
   */
  arm(call: BlockedCall): void;
  /**
   * The thread died before its call returned, woken or not: undoes the registration of `call`
   * and drops whatever a wake handed over (a reply message).
   */
  disarm(call: BlockedCall): void;
}

/** Where a syscall records the wait it asks for (its SyscallContext). */
export interface BlockerSlot {
  blocker: Blocker | null;
}
