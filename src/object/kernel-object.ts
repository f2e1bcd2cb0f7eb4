// KernelObject: what every handle points at. It has a koid, a type, signals with the waiters
// parked on them, a handle count and a name. Waits are continuations: a waiter is a callback
// run when the signals it watches become active (or it is cancelled), so that threads and
// the pager can park a wait and resume it later without the kernel ever blocking.

import type { Koid } from './types.ts';

export interface SignalObserver {
  /** Signals that end the wait when any of them is active. */
  readonly watched: number;
  /** Called once, with the object's signals, when a watched signal becomes active. */
  onSignals(signals: number): void;
  /** Called once when the handle waited on is closed. */
  onCancel(signals: number): void;
}

export abstract class KernelObject {
  abstract readonly type: number;
  signals: number;
  handleCount = 0;
  private observers: SignalObserver[] = [];

  readonly koid: Koid;

  constructor(koid: Koid, initialSignals = 0) {
    this.koid = koid;
    this.signals = initialSignals;
  }

  /** The koid of the related object for ZX_INFO_HANDLE_BASIC (a process's job, ...). */
  get relatedKoid(): Koid {
    return 0 as Koid;
  }

  /** Clears then sets signals, and wakes every observer whose signals became active. */
  updateSignals(clear: number, set: number): void {
    const next = ((this.signals & ~clear) | set) >>> 0;
    if (next === this.signals) return;
    this.signals = next;
    if (this.observers.length === 0) return;
    const woken = this.observers.filter((o) => (o.watched & next) !== 0);
    if (woken.length === 0) return;
    this.observers = this.observers.filter((o) => (o.watched & next) === 0);
    for (const observer of woken) observer.onSignals(next);
  }

  addObserver(observer: SignalObserver): void {
    this.observers.push(observer);
  }

  removeObserver(observer: SignalObserver): void {
    this.observers = this.observers.filter((o) => o !== observer);
  }

  /** Cancels the given observers (their handle was closed). */
  cancelObservers(which: (o: SignalObserver) => boolean): void {
    const cancelled = this.observers.filter(which);
    if (cancelled.length === 0) return;
    this.observers = this.observers.filter((o) => !which(o));
    for (const observer of cancelled) observer.onCancel(this.signals);
  }

  /** A new handle refers to this object. */
  retain(): void {
    this.handleCount++;
  }

  /** A handle to this object is gone; the last one tells the object. */
  release(): void {
    if (--this.handleCount === 0) this.onZeroHandles();
  }

  /** The last handle to this object was closed. */
  onZeroHandles(): void {}

  /**
   * No handle could be made for this new object (the handle arena is full): undo it. As
   * Zircon's KernelHandle does, an object left with no handle is told it has none.
   */
  abandon(): void {
    if (this.handleCount === 0) this.onZeroHandles();
  }
}
