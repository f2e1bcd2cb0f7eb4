// Process: the host's view of one process. Its `syscalls` are the zx_* functions bound to the
// process (its handle table, address space and job policy); `load` and `store` are what the CPU
// does when the process touches its address space.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_OK,
  ZX_RIGHT_WAIT,
  ZX_TIME_INFINITE,
} from './abi/constants.ts';
import type { KernelCore } from './object/kernel-core.ts';
import { type ProcessObject, processCallStatus } from './object/process.ts';
import type { HandleValue } from './object/types.ts';
import { beginWait, type WaitResult } from './object/wait.ts';
import type { SyscallContext } from './syscalls/context.ts';
import { bindSyscalls, type Syscalls, type SyscallTracer } from './syscalls/index.ts';
import type { UserMemory } from './syscalls/user.ts';
import { hostView, isHostBytes } from './util/host-bytes.ts';

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
  private readonly core: KernelCore;
  private readonly ctx: SyscallContext;

  constructor(
    core: KernelCore,
    object: ProcessObject,
    handles: ProcessHandles,
    tracer?: SyscallTracer,
  ) {
    this.core = core;
    this.object = object;
    this.self = handles.self;
    this.job = handles.job;
    this.rootVmar = handles.rootVmar;
    // The address space is the process's user memory: buffers passed to its syscalls as
    // virtual addresses go through the same translations and faults as load and store.
    this.user = object.aspace;
    this.ctx = { core, process: object, user: this.user };
    this.syscalls = bindSyscalls(this.ctx, tracer);
  }

  /**
   * Sends every later syscall of this process to `tracer` (null stops it). The syscall object
   * stays the same object; its functions are rebound, so an untraced process pays nothing.
   */
  setTracer(tracer: SyscallTracer | null): void {
    Object.assign(this.syscalls, bindSyscalls(this.ctx, tracer ?? undefined));
  }

  get name(): string {
    return this.object.name;
  }

  /**
   * Reads `dst.length` bytes at `vaddr` as the CPU would: ZX_OK, or the status of the fault
   * that stopped it (ZX_ERR_NOT_FOUND where nothing is mapped, ZX_ERR_ACCESS_DENIED where the
   * mapping may not be read, ZX_ERR_OUT_OF_RANGE past the end of the VMO); the bytes before
   * the faulting page have then been read. A dead process runs nothing: ZX_ERR_BAD_STATE.
   */
  load(vaddr: number | bigint, dst: Uint8Array): number {
    const alive = processCallStatus(this.object);
    if (alive !== ZX_OK) return alive;
    if (!isHostBytes(dst)) return ZX_ERR_NOT_FOUND;
    const bytes = hostView(dst);
    if (typeof vaddr === 'number' && vaddr >= 0 && Number.isSafeInteger(vaddr)) {
      return this.object.aspace.loadAt(vaddr, bytes);
    }
    return typeof vaddr === 'bigint' && vaddr >= 0n
      ? this.user.load(vaddr, bytes)
      : ZX_ERR_NOT_FOUND;
  }

  /** Writes `src` at `vaddr` as the CPU would: ZX_OK or the fault's status, as for load. */
  store(vaddr: number | bigint, src: Uint8Array): number {
    const alive = processCallStatus(this.object);
    if (alive !== ZX_OK) return alive;
    if (!isHostBytes(src)) return ZX_ERR_NOT_FOUND;
    const bytes = hostView(src);
    if (typeof vaddr === 'number' && vaddr >= 0 && Number.isSafeInteger(vaddr)) {
      return this.object.aspace.storeAt(vaddr, bytes);
    }
    return typeof vaddr === 'bigint' && vaddr >= 0n
      ? this.user.store(vaddr, bytes)
      : ZX_ERR_NOT_FOUND;
  }

  /**
   * zx_object_wait_one as a thread that blocks would see it, parked as a continuation: the
   * promise settles when one of `signals` becomes active (ZX_OK), when the kernel clock passes
   * `deadline` (ZX_ERR_TIMED_OUT, see Kernel.advanceTime), or when the handle is closed
   * (ZX_ERR_CANCELED), with the signals observed then. Handle errors settle it at once.
   */
  waitOne(
    handle: number,
    signals: number,
    deadline: bigint = ZX_TIME_INFINITE,
  ): Promise<WaitResult> {
    const alive = processCallStatus(this.object);
    if (alive !== ZX_OK) return Promise.resolve({ status: alive, observed: 0 });
    const found = this.object.handles.get(handle);
    if (found === undefined) return Promise.resolve({ status: ZX_ERR_BAD_HANDLE, observed: 0 });
    if ((found.rights & ZX_RIGHT_WAIT) === 0) {
      return Promise.resolve({ status: ZX_ERR_ACCESS_DENIED, observed: 0 });
    }
    if (!Number.isInteger(signals) || typeof deadline !== 'bigint') {
      return Promise.resolve({ status: ZX_ERR_INVALID_ARGS, observed: 0 });
    }
    return new Promise((resolve) => {
      const started = beginWait(this.core.timers, found, signals >>> 0, deadline, resolve);
      if ('status' in started) resolve(started);
    });
  }
}
