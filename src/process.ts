// Process: the host's view of one process. Its `syscalls` are the zx_* functions bound to the
// process (its handle table, address space and job policy); `load` and `store` are what the CPU
// does when the process touches its address space.

import { ZX_ERR_NOT_FOUND } from './abi/constants.ts';
import type { KernelCore } from './object/kernel-core.ts';
import type { ProcessObject } from './object/process.ts';
import type { HandleValue } from './object/types.ts';
import type { SyscallContext } from './syscalls/context.ts';
import { bindSyscalls, type Syscalls } from './syscalls/index.ts';
import { EMPTY_USER_MEMORY, type UserMemory } from './syscalls/user.ts';

export interface ProcessHandles {
  self: HandleValue;
  job: HandleValue;
  rootVmar: HandleValue;
}

export class Process {
  readonly syscalls: Syscalls;
  /** zx_process_self() */
  readonly self: HandleValue;
  /** zx_job_default() */
  readonly job: HandleValue;
  /** zx_vmar_root_self() */
  readonly rootVmar: HandleValue;
  /** The kernel object behind this view (for tests and tools). */
  readonly object: ProcessObject;
  private readonly user: UserMemory;

  constructor(core: KernelCore, object: ProcessObject, handles: ProcessHandles) {
    this.object = object;
    this.self = handles.self;
    this.job = handles.job;
    this.rootVmar = handles.rootVmar;
    this.user = EMPTY_USER_MEMORY;
    const ctx: SyscallContext = { core, process: object, user: this.user };
    this.syscalls = bindSyscalls(ctx);
  }

  get name(): string {
    return this.object.name;
  }

  /** Reads `dst.length` bytes at `vaddr` as the CPU would: ZX_OK or the fault's status. */
  load(vaddr: number | bigint, dst: Uint8Array): number {
    if (typeof vaddr !== 'number' && typeof vaddr !== 'bigint') return ZX_ERR_NOT_FOUND;
    return this.user.load(BigInt(vaddr), dst);
  }

  /** Writes `src` at `vaddr` as the CPU would: ZX_OK or the fault's status. */
  store(vaddr: number | bigint, src: Uint8Array): number {
    if (typeof vaddr !== 'number' && typeof vaddr !== 'bigint') return ZX_ERR_NOT_FOUND;
    return this.user.store(BigInt(vaddr), src);
  }
}
