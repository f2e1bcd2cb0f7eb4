// ProcessDispatcher: a process owns a handle table and an address space (its root VMAR), and
// lives in a job whose policy it obeys. Its life follows Zircon's ProcessDispatcher: INITIAL
// until it starts, RUNNING after, DYING while its threads are killed, DEAD at the end. Handles
// keep only a process that never started alive; a running one dies when it is killed, or when
// its last thread exits (unless the host runs it: see hostRuns).

import {
  ZX_ERR_BAD_STATE,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OK,
  ZX_PROCESS_TERMINATED,
} from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import type { VmAspace } from '../vm/vm-aspace.ts';
import { childByKoid, Dispatcher } from './dispatcher.ts';
import type { HandleTable } from './handle.ts';
import type { JobDispatcher } from './job-dispatcher.ts';
import type { ThreadDispatcher } from './thread-dispatcher.ts';
import type { Koid } from './types.ts';
import type { VmAddressRegionDispatcher } from './vm-address-region-dispatcher.ts';

export { VmAddressRegionDispatcher } from './vm-address-region-dispatcher.ts';

/** ProcessDispatcher::State. */
export type ProcessState = 'initial' | 'running' | 'dying' | 'dead';

export class ProcessDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_PROCESS;
  readonly handles: HandleTable;
  rootVmar: VmAddressRegionDispatcher | null = null;
  /** The address space, whose root VMAR is `rootVmar`. */
  readonly aspace: VmAspace;

  readonly job: JobDispatcher;
  name: string;
  private stateNow: ProcessState = 'initial';
  /**
   * processCallStatus's answer, kept with the state: every syscall reads it first, so it is a
   * number to load rather than states to compare.
   */
  private callsRefused: number = ZX_OK;
  /** The return code (ZX_INFO_PROCESS): the kill's, once killed. */
  returnCode = 0n;
  /** The live zx threads. */
  readonly threads = new Set<ThreadDispatcher>();
  /**
   * Started by the host (Kernel.createProcess), which acts as its initial thread and never
   * exits: the process outlives its zx threads. One started by its first zx thread dies when
   * its last thread exits, as in Zircon.
   */
  private hostRuns = false;

  constructor(
    koid: Koid,
    job: JobDispatcher,
    name: string,
    handles: HandleTable,
    aspace: VmAspace,
  ) {
    super(koid);
    this.aspace = aspace;
    this.job = job;
    this.name = name;
    this.handles = handles;
  }

  get state(): ProcessState {
    return this.stateNow;
  }

  /** ZX_OK while the process may make calls, ZX_ERR_BAD_STATE once it is dying or dead. */
  get callStatus(): number {
    return this.callsRefused;
  }

  private enter(state: ProcessState): void {
    this.stateNow = state;
    this.callsRefused = state === 'dying' || state === 'dead' ? ZX_ERR_BAD_STATE : ZX_OK;
  }

  override get relatedKoid(): Koid {
    return this.job.koid;
  }

  /** INITIAL to RUNNING: what starting the first thread does (a host's process starts so). */
  markRunning(): void {
    assert(this.stateNow === 'initial', `starting a process in state ${this.stateNow}`);
    this.enter('running');
    this.hostRuns = true;
  }

  /**
   * zx_thread_start (ProcessDispatcher::AddInitializedThread): the first thread starts the
   * process. False once the process is dying or dead (ZX_ERR_BAD_STATE).
   */
  addThread(thread: ThreadDispatcher): boolean {
    if (this.stateNow === 'dying' || this.stateNow === 'dead') return false;
    this.threads.add(thread);
    if (this.stateNow === 'initial') {
      this.enter('running');
      this.hostRuns = false;
    }
    return true;
  }

  /**
   * A thread is dead (ProcessDispatcher::RemoveThread): when it was the last, a process its
   * threads ran dies, and a dying one finishes dying.
   */
  threadExited(thread: ThreadDispatcher): void {
    if (!this.threads.delete(thread) || this.threads.size > 0) return;
    if (this.stateNow === 'running' && !this.hostRuns) {
      this.enter('dead');
      this.finishDeadTransition();
    }
  }

  /**
   * Only a process that never started dies with its last handle (ProcessDispatcher::
   * on_zero_handles); a running one is kept alive by its threads, or here by the host.
   */
  override onZeroHandles(): void {
    if (this.stateNow !== 'initial') return;
    this.enter('dead');
    this.finishDeadTransition();
  }

  /**
   * Kills the process (zx_task_kill; ProcessDispatcher::Kill): DYING while every thread dies
   * where it stands (a call it was parked in never returns to it), then DEAD.
   */
  kill(returnCode: bigint): void {
    if (this.stateNow === 'dead' || this.stateNow === 'dying') return;
    this.returnCode = returnCode;
    this.enter('dying');
    for (const thread of [...this.threads]) thread.kill();
    this.enter('dead');
    this.finishDeadTransition();
  }

  /**
   * Zircon's teardown order (FinishDeadTransition, ShareableProcessState::DecrementShareCount):
   * every handle closed (which can end other objects, processes among them), the address space
   * destroyed, ZX_PROCESS_TERMINATED asserted, and last the process leaves its job.
   */
  private finishDeadTransition(): void {
    this.handles.clean();
    this.aspace.destroy();
    this.updateSignals(0, ZX_PROCESS_TERMINATED);
    this.job.removeChildProcess(this);
  }

  /** The action the job's policy takes for `condition`. */
  policyAction(condition: number): number {
    return this.job.actionFor(condition);
  }

  /** zx_object_get_child: a thread of the process (LookupThreadById); zxvm's have none yet. */
  override lookupChild(koid: bigint): Dispatcher | number {
    return childByKoid([], koid);
  }

  override getName(): Uint8Array {
    return new TextEncoder().encode(this.name).subarray(0, 31);
  }

  override setName(name: Uint8Array): boolean {
    this.name = new TextDecoder().decode(name);
    return true;
  }
}

/**
 * Whether `process` may make a call (a syscall, or the CPU's load and store): ZX_OK, or
 * ZX_ERR_BAD_STATE once it is dying or dead. A Zircon thread of a dead process never returns
 * from its syscall; the host, which calls on no thread, gets this status instead.
 */
export function processCallStatus(process: ProcessDispatcher): number {
  return process.callStatus;
}
