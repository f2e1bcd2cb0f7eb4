// Jobs and their policy. A job holds the basic policy (an action per ZX_POL_* condition, and
// whether the entry is locked against change) that the processes in it obey; a new job starts
// with a copy of its parent's policy. As in Zircon, a job lives while it has handles or
// children (each child holds a reference to its parent), and ZX_JOB_NO_PROCESSES,
// ZX_JOB_NO_JOBS and the kernel's own ZX_JOB_NO_CHILDREN follow its children.

import {
  ZX_JOB_NO_JOBS,
  ZX_JOB_NO_PROCESSES,
  ZX_OBJ_TYPE_JOB,
  ZX_POL_ACTION_ALLOW,
} from '../abi/constants.ts';
import { KernelObject } from './kernel-object.ts';
import type { Koid } from './types.ts';

/** Jobs nest at most this deep (Zircon's root job height). */
export const ROOT_JOB_HEIGHT = 32;

/** No child jobs and no processes: a signal Zircon keeps to the kernel (job_dispatcher.h). */
export const ZX_JOB_NO_CHILDREN = 0x40;

export class JobObject extends KernelObject {
  readonly type = ZX_OBJ_TYPE_JOB;
  readonly parent: JobObject | null;
  readonly height: number;
  /** Action for each ZX_POL_* condition; missing entries are ALLOW. */
  policy: Map<number, number>;
  /** Conditions set with ZX_POL_OVERRIDE_DENY: their action may no longer change. */
  locked: Set<number>;
  /** Child jobs and processes that are alive. */
  readonly children = new Set<KernelObject>();
  /** How many of the children are jobs. */
  private childJobs = 0;
  name = '';

  constructor(koid: Koid, parent: JobObject | null) {
    super(koid, ZX_JOB_NO_PROCESSES | ZX_JOB_NO_JOBS | ZX_JOB_NO_CHILDREN);
    this.parent = parent;
    this.height = parent === null ? ROOT_JOB_HEIGHT : parent.height - 1;
    this.policy = new Map(parent?.policy ?? []);
    this.locked = new Set(parent?.locked ?? []);
    parent?.addChild(this);
  }

  override get relatedKoid(): Koid {
    return this.parent?.koid ?? (0 as Koid);
  }

  /** The action for a condition (ZX_POL_ACTION_*), ALLOW when never set. */
  actionFor(condition: number): number {
    return this.policy.get(condition) ?? ZX_POL_ACTION_ALLOW;
  }

  get hasChildren(): boolean {
    return this.children.size > 0;
  }

  replacePolicy(policy: Map<number, number>, locked: Set<number>): void {
    this.policy = policy;
    this.locked = locked;
  }

  /** A new child job or process (AddChildJob, AddChildProcess). */
  addChild(child: KernelObject): void {
    this.children.add(child);
    if (child instanceof JobObject) this.childJobs++;
    this.updateChildSignals();
  }

  /** A process of this job died (RemoveChildProcess). */
  removeChildProcess(process: KernelObject): void {
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
