// Jobs and their policy. A job holds the basic policy (an action per ZX_POL_* condition, and
// whether the entry is locked against change) that the processes in it obey; a new job starts
// with a copy of its parent's policy.

import { ZX_OBJ_TYPE_JOB, ZX_POL_ACTION_ALLOW } from '../abi/constants.ts';
import { KernelObject } from './kernel-object.ts';
import type { Koid } from './types.ts';

/** Jobs nest at most this deep (Zircon's root job height). */
export const ROOT_JOB_HEIGHT = 32;

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
  name = '';

  constructor(koid: Koid, parent: JobObject | null) {
    super(koid);
    this.parent = parent;
    this.height = parent === null ? ROOT_JOB_HEIGHT : parent.height - 1;
    this.policy = new Map(parent?.policy ?? []);
    this.locked = new Set(parent?.locked ?? []);
    parent?.children.add(this);
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

  /** A job with no handles and no children is gone. */
  override onZeroHandles(): void {
    if (this.children.size === 0) this.parent?.children.delete(this);
  }
}
