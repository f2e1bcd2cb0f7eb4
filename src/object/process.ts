// ProcessObject: a process owns a handle table and an address space (its root VMAR), and
// lives in a job whose policy it obeys.

import { ZX_OBJ_TYPE_PROCESS, ZX_OBJ_TYPE_VMAR } from '../abi/constants.ts';
import { HandleTable } from './handle.ts';
import type { JobObject } from './job.ts';
import { KernelObject } from './kernel-object.ts';
import type { Koid } from './types.ts';

/** A region of a process's address space. The root VMAR spans the whole user space. */
export class VmarObject extends KernelObject {
  readonly type = ZX_OBJ_TYPE_VMAR;

  readonly process: ProcessObject;
  readonly base: bigint;
  readonly size: bigint;

  constructor(koid: Koid, process: ProcessObject, base: bigint, size: bigint) {
    super(koid);
    this.process = process;
    this.base = base;
    this.size = size;
  }
}

export class ProcessObject extends KernelObject {
  readonly type = ZX_OBJ_TYPE_PROCESS;
  readonly handles: HandleTable;
  rootVmar: VmarObject | null = null;

  readonly job: JobObject;
  name: string;

  constructor(koid: Koid, job: JobObject, name: string, handleSecret: number) {
    super(koid);
    this.job = job;
    this.name = name;
    this.handles = new HandleTable(handleSecret);
  }

  override get relatedKoid(): Koid {
    return this.job.koid;
  }

  /** A process with no handles left is gone from its job (zxvm processes run no threads). */
  override onZeroHandles(): void {
    this.job.children.delete(this);
    if (this.job.handleCount === 0) this.job.onZeroHandles();
  }

  /** The action the job's policy takes for `condition`. */
  policyAction(condition: number): number {
    return this.job.actionFor(condition);
  }
}
