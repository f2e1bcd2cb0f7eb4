// Jobs and their policy. A job holds the basic policy (job-policy.ts) that the processes in it
// obey; a new job starts with a copy of its parent's policy. As in Zircon, a job lives while it
// has handles or children (each child holds a reference to its parent), and
// ZX_JOB_NO_PROCESSES, ZX_JOB_NO_JOBS and the kernel's own ZX_JOB_NO_CHILDREN follow its
// children.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_JOB_NO_JOBS,
  ZX_JOB_NO_PROCESSES,
  ZX_OBJ_TYPE_JOB,
  ZX_OK,
} from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { childByKoid, Dispatcher } from './dispatcher.ts';
import { BasicPolicy, type PolicyEntry } from './job-policy.ts';
import type { Koid } from './types.ts';

/** The last timer slack mode (ZX_TIMER_SLACK_CENTER 0, _EARLY 1, _LATE 2). */
const TIMER_SLACK_LATE = 2;

/** Jobs nest at most this deep (Zircon's root job height). */
export const ROOT_JOB_HEIGHT = 32;

/** No child jobs and no processes: a signal Zircon keeps to the kernel (job_dispatcher.h). */
export const ZX_JOB_NO_CHILDREN = 0x40;

const HAS_CHILDREN = 'the job has a child job or process (policy is set before any)';

export class JobDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_JOB;
  readonly parent: JobDispatcher | null;
  readonly height: number;
  private policy: BasicPolicy;
  /** Child jobs and processes that are alive. */
  readonly children = new Set<Dispatcher>();
  /** How many of the children are jobs. */
  private childJobs = 0;
  name = '';

  constructor(koid: Koid, parent: JobDispatcher | null) {
    super(koid, ZX_JOB_NO_PROCESSES | ZX_JOB_NO_JOBS | ZX_JOB_NO_CHILDREN);
    this.parent = parent;
    this.height = parent === null ? ROOT_JOB_HEIGHT : parent.height - 1;
    this.policy = new BasicPolicy(parent?.policy);
    parent?.addChild(this);
  }

  override get relatedKoid(): Koid {
    return this.parent?.koid ?? (0 as Koid);
  }

  /** The action for a condition (ZX_POL_ACTION_*), ALLOW when never set. */
  actionFor(condition: number): number {
    return this.policy.actionFor(condition);
  }

  /**
   * zx_job_set_policy's basic topics (JobDispatcher::SetBasicPolicy): only a job without child
   * jobs or processes takes a new policy, and only when every entry applies.
   */
  setBasicPolicy(entries: readonly PolicyEntry[], absolute: boolean): number {
    if (this.children.size > 0) return because(ZX_ERR_BAD_STATE, HAS_CHILDREN);
    const next = this.policy.with(entries, absolute);
    if (typeof next === 'number') return next;
    this.policy = next;
    return ZX_OK;
  }

  /**
   * ZX_JOB_POL_TIMER_SLACK (JobDispatcher::SetTimerSlackPolicy): checked, with no effect on the
   * model, whose timers have no slack.
   */
  setTimerSlack(minSlack: bigint, mode: number): number {
    if (this.children.size > 0) return because(ZX_ERR_BAD_STATE, HAS_CHILDREN);
    if (minSlack < 0n) return because(ZX_ERR_INVALID_ARGS, 'min_slack is negative');
    if (mode > TIMER_SLACK_LATE) return because(ZX_ERR_INVALID_ARGS, 'default_mode is unknown');
    return ZX_OK;
  }

  override getName(): Uint8Array {
    return new TextEncoder().encode(this.name).subarray(0, 31);
  }

  override setName(name: Uint8Array): boolean {
    this.name = new TextDecoder().decode(name);
    return true;
  }

  /** zx_object_get_child: a child job or process (LookupJobById, LookupProcessById). */
  override lookupChild(koid: bigint): Dispatcher | number {
    return childByKoid(this.children, koid);
  }

  /** A new child job or process (AddChildJob, AddChildProcess). */
  addChild(child: Dispatcher): void {
    this.children.add(child);
    if (child instanceof JobDispatcher) this.childJobs++;
    this.updateChildSignals();
  }

  /** A process of this job died (RemoveChildProcess). */
  removeChildProcess(process: Dispatcher): void {
    if (!this.children.delete(process)) return;
    this.updateChildSignals();
    this.releaseIfUnused();
  }

  /** A job with no handles and no children is gone. */
  override onZeroHandles(): void {
    this.releaseIfUnused();
  }

  /** Leaves the parent once nothing refers to the job, which may release the parent in turn. */
  private releaseIfUnused(): void {
    if (this.handleCount > 0 || this.children.size > 0 || this.parent === null) return;
    const parent = this.parent;
    if (!parent.children.delete(this)) return;
    parent.childJobs--;
    parent.updateChildSignals();
    parent.releaseIfUnused();
  }

  /** JobDispatcher::UpdateSignalsLocked. */
  private updateChildSignals(): void {
    const processes = this.children.size - this.childJobs;
    const set =
      (processes === 0 ? ZX_JOB_NO_PROCESSES : 0) |
      (this.childJobs === 0 ? ZX_JOB_NO_JOBS : 0) |
      (this.children.size === 0 ? ZX_JOB_NO_CHILDREN : 0);
    this.updateSignals(ZX_JOB_NO_PROCESSES | ZX_JOB_NO_JOBS | ZX_JOB_NO_CHILDREN, set);
  }
}
