// ProcessObject: a process owns a handle table and an address space (its root VMAR), and
// lives in a job whose policy it obeys. Its life follows Zircon's ProcessDispatcher: INITIAL
// until it starts, RUNNING after, DYING while its threads are killed, DEAD at the end. Handles
// keep only a process that never started alive; a running one dies when it is killed (or, once
// zxvm has threads, when its last thread exits).

import {
  ZX_ERR_BAD_STATE,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OK,
  ZX_PROCESS_TERMINATED,
} from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import type { VmAspace } from '../vm/vm-aspace.ts';
import type { HandleTable } from './handle.ts';
import type { JobObject } from './job.ts';
import { KernelObject } from './kernel-object.ts';
import type { Koid } from './types.ts';
import type { VmAddressRegionDispatcher } from './vm-address-region-dispatcher.ts';

export { VmAddressRegionDispatcher } from './vm-address-region-dispatcher.ts';

/** ProcessDispatcher::State. */
export type ProcessState = 'initial' | 'running' | 'dying' | 'dead';

export class ProcessObject extends KernelObject {
  readonly type = ZX_OBJ_TYPE_PROCESS;
  readonly handles: HandleTable;
  rootVmar: VmAddressRegionDispatcher | null = null;
  /** The address space, whose root VMAR is `rootVmar`. */
  readonly aspace: VmAspace;

  readonly job: JobObject;
  name: string;
  private stateNow: ProcessState = 'initial';
  /** The return code (ZX_INFO_PROCESS): the kill's, once killed. */
  returnCode = 0n;

  constructor(koid: Koid, job: JobObject, name: string, handles: HandleTable, aspace: VmAspace) {
    super(koid);
    this.aspace = aspace;
    this.job = job;
    this.name = name;
    this.handles = handles;
  }

  get state(): ProcessState {
    return this.stateNow;
  }

  override get relatedKoid(): Koid {
    return this.job.koid;
  }

  /** INITIAL to RUNNING: what starting the first thread does (a host's process starts so). */
  markRunning(): void {
    assert(this.stateNow === 'initial', `starting a process in state ${this.stateNow}`);
    this.stateNow = 'running';
  }

  /**
   * Only a process that never started dies with its last handle (ProcessDispatcher::
   * on_zero_handles); a running one is kept alive by its threads, or here by the host.
   */
  override onZeroHandles(): void {
    if (this.stateNow !== 'initial') return;
    this.stateNow = 'dead';
    this.finishDeadTransition();
  }

  /**
   * Kills the process (what zx_task_kill will call; ProcessDispatcher::Kill). zxvm processes run
   * no threads yet, so the process goes straight to DEAD; once threads exist it will be DYING
   * until the last one exits, and that exit will finish the transition.
   */
  kill(returnCode: bigint): void {
    if (this.stateNow === 'dead') return;
    if (this.stateNow !== 'dying') this.returnCode = returnCode;
    this.stateNow = 'dead';
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
}

/**
 * Whether `process` may make a call (a syscall, or the CPU's load and store): ZX_OK, or
 * ZX_ERR_BAD_STATE once it is dying or dead. A Zircon thread of a dead process never returns
 * from its syscall; the host, which calls on no thread, gets this status instead.
 */
export function processCallStatus(process: ProcessObject): number {
  const state = process.state;
  return state === 'dying' || state === 'dead' ? ZX_ERR_BAD_STATE : ZX_OK;
}
