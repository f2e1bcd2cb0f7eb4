// Dispatcher: what every handle points at. It has a koid, a type, signals with the waiters
// parked on them, a handle count and a name. Waits are continuations: a waiter is a callback
// run when the signals it watches become active (or it is cancelled), so that threads and
// the pager can park a wait and resume it later without the kernel ever blocking.

import { ZX_ERR_NOT_FOUND, ZX_ERR_WRONG_TYPE, ZX_OK } from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import { because } from '../util/reason.ts';
import type { Koid } from './types.ts';

export interface SignalObserver {
  /** Signals that end the wait when any of them is active. */
  readonly watched: number;
  /** The handle the wait was registered through: closing it cancels the wait. */
  readonly handle?: unknown;
  /** Called once, with the object's signals, when a watched signal becomes active. */
  onSignals(signals: number): void;
  /** Called once when the handle waited on is closed. */
  onCancel(signals: number): void;
  /** zx_port_cancel: whether this is a wait of `port` under `key` (port observers only). */
  matchesKey?(port: unknown, key: bigint): boolean;
}

export abstract class Dispatcher {
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

  /**
   * Clears then sets signals. As in Zircon's UpdateState, observers are looked at only when a
   * signal rises (so an edge-triggered wait fires on a later rise), newest registered first;
   * each whose watched signals are then active is removed and told.
   */
  updateSignals(clear: number, set: number): void {
    const previous = this.signals;
    const next = ((previous & ~clear) | set) >>> 0;
    this.signals = next;
    if ((set & ~previous) === 0 || this.observers.length === 0) return;
    const woken = this.observers.filter((o) => (o.watched & next) !== 0);
    if (woken.length === 0) return;
    this.observers = this.observers.filter((o) => (o.watched & next) === 0);
    for (const observer of woken) observer.onSignals(next);
  }

  /**
   * Registers an observer (Zircon's AddObserver). A level-triggered one whose signals are
   * already active matches at once and is not kept; an edge-triggered one waits for a rise.
   */
  addObserver(observer: SignalObserver, edge = false): void {
    if (!edge && (this.signals & observer.watched) !== 0) {
      observer.onSignals(this.signals);
      return;
    }
    this.observers.unshift(observer);
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

  /** zx_port_cancel: cancels the waits of `port` under `key` made through `handle`. */
  cancelByKey(handle: unknown, port: unknown, key: bigint): boolean {
    let found = false;
    this.cancelObservers((o) => {
      const match = o.handle === handle && o.matchesKey?.(port, key) === true;
      found ||= match;
      return match;
    });
    return found;
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

  /**
   * ZX_PROP_NAME (Zircon's Dispatcher::get_name): the name's bytes without a NUL, or null for
   * the objects that have no name (the syscall's ZX_ERR_WRONG_TYPE).
   */
  getName(): Uint8Array | null {
    return null;
  }

  /**
   * Whether ZX_PROP_NAME may be read or set now: ZX_OK, ZX_ERR_WRONG_TYPE for objects without a
   * name (a dead thread's, whose core thread held it, is ZX_ERR_BAD_STATE).
   */
  nameStatus(): number {
    return this.getName() === null ? ZX_ERR_WRONG_TYPE : ZX_OK;
  }

  /** Sets the name (at most 31 bytes, no NUL); false for objects whose name cannot be set. */
  setName(_name: Uint8Array): boolean {
    return false;
  }

  /**
   * The child with `koid`, for zx_object_get_child: jobs have jobs and processes, processes
   * have threads; any other object answers ZX_ERR_WRONG_TYPE.
   */
  lookupChild(koid: bigint): Dispatcher | number {
    void koid;
    return because(ZX_ERR_WRONG_TYPE, noChildren, this.type);
  }
}

/** The child among `children` whose koid is `koid`, or ZX_ERR_NOT_FOUND. */
export function childByKoid(children: Iterable<Dispatcher>, koid: bigint): Dispatcher | number {
  for (const child of children) if (BigInt(child.koid) === koid) return child;
  return because(ZX_ERR_NOT_FOUND, noChild, koid);
}

function noChildren(type: number): string {
  return `handle is ${nameFlags('obj_type', type)}: only jobs and processes have children`;
}

function noChild(koid: bigint): string {
  return `no child has koid ${koid}`;
}
