// Waiting on signals as a continuation. A wait either completes at once (the signals are
// already active, or the deadline has passed) or is parked as an observer on the object and a
// timer on the kernel clock; whichever comes first resumes it, exactly once.

import { ZX_ERR_CANCELED, ZX_ERR_TIMED_OUT, ZX_OK } from '../abi/constants.ts';
import type { Dispatcher, SignalObserver } from './dispatcher.ts';
import type { Handle } from './handle.ts';
import type { Timers } from './timers.ts';

export interface WaitResult {
  status: number;
  observed: number;
}

export class Waiter implements SignalObserver {
  readonly watched: number;
  readonly handle: Handle;
  private done = false;
  private readonly object: Dispatcher;
  private readonly resume: (result: WaitResult) => void;
  private cancelTimer: (() => void) | null = null;

  constructor(handle: Handle, watched: number, resume: (result: WaitResult) => void) {
    this.handle = handle;
    this.object = handle.object;
    this.watched = watched;
    this.resume = resume;
  }

  onSignals(signals: number): void {
    this.finish({ status: ZX_OK, observed: signals });
  }

  onCancel(signals: number): void {
    this.finish({ status: ZX_ERR_CANCELED, observed: signals });
  }

  onDeadline(): void {
    this.object.removeObserver(this);
    this.finish({ status: ZX_ERR_TIMED_OUT, observed: this.object.signals });
  }

  /** Stops waiting without resuming (the waiting thread went away). */
  abandon(): void {
    this.done = true;
    this.object.removeObserver(this);
    this.cancelTimer?.();
  }

  armTimer(timers: Timers, deadline: bigint): void {
    this.cancelTimer = timers.add(deadline, () => this.onDeadline());
  }

  private finish(result: WaitResult): void {
    if (this.done) return;
    this.done = true;
    this.cancelTimer?.();
    this.resume(result);
  }
}

/**
 * Starts a wait for any of `signals` on the handle's object until `deadline` (kernel clock).
 * Returns the result when the wait ends at once, or the parked Waiter.
 */
export function beginWait(
  timers: Timers,
  handle: Handle,
  signals: number,
  deadline: bigint,
  resume: (result: WaitResult) => void,
): WaitResult | Waiter {
  const object = handle.object;
  if ((object.signals & signals) !== 0) return { status: ZX_OK, observed: object.signals };
  if (deadline <= timers.now) return { status: ZX_ERR_TIMED_OUT, observed: object.signals };
  const waiter = new Waiter(handle, signals, resume);
  object.addObserver(waiter);
  waiter.armTimer(timers, deadline);
  return waiter;
}
