// ProcessDispatcher: a process owns a handle table and an address space (its root VMAR), and
// lives in a job whose policy it obeys.

import { ZX_OBJ_TYPE_PROCESS } from '../abi/constants.ts';
import type { VmAspace } from '../vm/aspace.ts';
import { Dispatcher } from './dispatcher.ts';
import { HandleTable } from './handle.ts';
import type { JobDispatcher } from './job-dispatcher.ts';
import type { Koid } from './types.ts';
import type { VmarObject } from './vmar-object.ts';

export { VmarObject } from './vmar-object.ts';

export class ProcessDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_PROCESS;
  readonly handles: HandleTable;
  rootVmar: VmarObject | null = null;
  /** The address space, whose root VMAR is `rootVmar`. */
  readonly aspace: VmAspace;

  readonly job: JobDispatcher;
  name: string;

  constructor(
    koid: Koid,
    job: JobDispatcher,
    name: string,
    handleSecret: number,
    aspace: VmAspace,
  ) {
    super(koid);
    this.aspace = aspace;
    this.job = job;
    this.name = name;
    this.handles = new HandleTable(handleSecret);
  }

  override get relatedKoid(): Koid {
    return this.job.koid;
  }

  /** A process with no handles left is gone from its job (zxvm processes run no threads). */
  override onZeroHandles(): void {
    // A process that never ran dies with its last handle, and its address space with it.
    this.aspace.destroy();
    this.job.children.delete(this);
    if (this.job.handleCount === 0) this.job.onZeroHandles();
  }

  /** The action the job's policy takes for `condition`. */
  policyAction(condition: number): number {
    return this.job.actionFor(condition);
  }

  override getName(): Uint8Array {
    return new TextEncoder().encode(this.name).subarray(0, 31);
  }

  override setName(name: Uint8Array): boolean {
    this.name = new TextDecoder().decode(name);
    return true;
  }
}
