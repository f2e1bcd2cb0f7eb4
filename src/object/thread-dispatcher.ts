// ThreadDispatcher: the kernel object of one zx thread. The thread's code is JavaScript that
// the kernel layer runs (src/thread.ts); this object keeps what Zircon's dispatcher keeps: the
// state zx_object_get_info(ZX_INFO_THREAD) reports, the signals (ZX_THREAD_RUNNING while it
// lives, ZX_THREAD_TERMINATED once dead), its name, its process, and the wait it is parked in
// (so that a kill can undo it).

import {
  ZX_ERR_BAD_STATE,
  ZX_OBJ_TYPE_THREAD,
  ZX_OK,
  ZX_THREAD_RUNNING,
  ZX_THREAD_STATE_DEAD,
  ZX_THREAD_STATE_NEW,
  ZX_THREAD_STATE_RUNNING,
  ZX_THREAD_SUSPENDED,
  ZX_THREAD_TERMINATED,
} from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import { Dispatcher } from './dispatcher.ts';
import type { ProcessDispatcher } from './process-dispatcher.ts';
import type { Scheduler } from './scheduler.ts';
import type { Koid } from './types.ts';

/** The wait a thread is parked in (syscalls/park.ts), as a kill sees it. */
export interface ParkedWait {
  /** Undoes the wait: the thread died before its call returned, woken or not. */
  abandon(): void;
}

export class ThreadDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_THREAD;
  readonly process: ProcessDispatcher;
  name: string;
  private current: number = ZX_THREAD_STATE_NEW;
  private readonly scheduler: Scheduler;
  /** The wait of the call the thread is in (set from block until that call returns). */
  private wait: ParkedWait | null = null;
  /** Told once when the thread is killed (its runner settles `done`). */
  onKilled: (() => void) | null = null;

  constructor(koid: Koid, process: ProcessDispatcher, name: string, scheduler: Scheduler) {
    super(koid);
    this.process = process;
    this.name = name;
    this.scheduler = scheduler;
    scheduler.threadRunnable(); // a new thread is about to run
  }

  override get relatedKoid(): Koid {
    return this.process.koid;
  }

  /** ZX_THREAD_STATE_*: NEW, RUNNING, a BLOCKED_* state, or DEAD. */
  get state(): number {
    return this.current;
  }

  get isDead(): boolean {
    return this.current === ZX_THREAD_STATE_DEAD;
  }

  override getName(): Uint8Array {
    return new TextEncoder().encode(this.name).subarray(0, 31);
  }

  override setName(name: Uint8Array): boolean {
    this.name = new TextDecoder().decode(name);
    return true;
  }

  /** A dead thread has lost its core thread, which held the name (ThreadDispatcher). */
  override nameStatus(): number {
    return this.isDead ? ZX_ERR_BAD_STATE : ZX_OK;
  }

  /** A call of the thread is parked, or woken but not yet returned to it. */
  get inCall(): boolean {
    return this.wait !== null;
  }

  /** The thread's code starts running. */
  start(): void {
    assert(this.current === ZX_THREAD_STATE_NEW, 'thread started twice');
    this.current = ZX_THREAD_STATE_RUNNING;
    this.updateSignals(ZX_THREAD_SUSPENDED, ZX_THREAD_RUNNING);
  }

  /** The thread parks in a call: `wait` is abandoned if the thread dies first. */
  block(state: number, wait: ParkedWait): void {
    assert(this.current === ZX_THREAD_STATE_RUNNING, 'only a running thread blocks');
    this.current = state;
    this.wait = wait;
    this.scheduler.threadStopped();
  }

  /** The wait ended: the thread may run (its call finishes on its next turn). */
  wake(): void {
    if (this.isDead) return;
    assert(this.current !== ZX_THREAD_STATE_RUNNING, 'woke a running thread');
    this.current = ZX_THREAD_STATE_RUNNING;
    this.scheduler.threadRunnable();
  }

  /** The woken call is returning to the thread: nothing is left to undo. */
  resumed(): void {
    this.wait = null;
  }

  /** The thread's code returned or threw. */
  exit(): void {
    if (!this.isDead) this.die();
  }

  /**
   * zx_task_kill of the process: the thread dies where it is. A call it is parked in is
   * undone and never returns to it.
   */
  kill(): void {
    if (this.isDead) return;
    this.die();
    this.onKilled?.();
  }

  private die(): void {
    const wait = this.wait;
    this.wait = null;
    const wasRunnable =
      this.current === ZX_THREAD_STATE_NEW || this.current === ZX_THREAD_STATE_RUNNING;
    this.current = ZX_THREAD_STATE_DEAD;
    if (wasRunnable) this.scheduler.threadStopped();
    wait?.abandon();
    this.updateSignals(ZX_THREAD_RUNNING | ZX_THREAD_SUSPENDED, ZX_THREAD_TERMINATED);
    this.process.threadExited(this);
  }
}
