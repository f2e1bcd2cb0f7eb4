// Kernel: one simulated Zircon kernel. It owns physical memory and every kernel object, and
// hands out Process views through which programs make syscalls.

import {
  ZX_DEFAULT_JOB_RIGHTS,
  ZX_DEFAULT_PROCESS_RIGHTS,
  ZX_DEFAULT_RESOURCE_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_OBJ_TYPE_PROCESS,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_RSRC_KIND_SYSTEM,
} from './abi/constants.ts';
import { Handle } from './object/handle.ts';
import { KernelCore } from './object/kernel-core.ts';
import type { ProcessDispatcher } from './object/process-dispatcher.ts';
import { ResourceDispatcher } from './object/resource-dispatcher.ts';
import type { HandleValue } from './object/types.ts';
import { MAX_MEMORY_BYTES } from './pmm/pmm.ts';
import { Process } from './process.ts';
import type { SyscallTracer } from './syscalls/index.ts';

export interface KernelOptions {
  /** Simulated physical memory; default 4 GiB. It costs the host nothing until touched. */
  memoryBytes?: number | bigint;
  /**
   * Free memory below which unlocked discardable VMOs are reclaimed, oldest unlock first.
   * Default: 1/64 of memory, at most 16 MiB.
   */
  reclaimWatermarkBytes?: number | bigint;
  /** Seed of the generator behind handle values; the same seed gives the same values. */
  seed?: number;
  /** Sees every syscall of every process (see Kernel.setTracer). */
  tracer?: SyscallTracer;
}

const DEFAULT_MEMORY = 4 * 1024 ** 3;

export class Kernel {
  /** The kernel's internals, for tests, tools and the visualizer. */
  readonly core: KernelCore;
  private readonly views = new WeakMap<ProcessDispatcher, Process>();
  /** Every view, for setTracer; weak, so that a kernel never keeps a process alive. */
  private viewRefs: WeakRef<Process>[] = [];
  private tracer: SyscallTracer | undefined;

  constructor(options: KernelOptions = {}) {
    const memoryBytes = Number(options.memoryBytes ?? DEFAULT_MEMORY);
    if (!Number.isFinite(memoryBytes) || memoryBytes < 8192 || memoryBytes > MAX_MEMORY_BYTES) {
      throw new RangeError(`memoryBytes must be between 8 KiB and ${MAX_MEMORY_BYTES} bytes`);
    }
    const watermark = Number(
      options.reclaimWatermarkBytes ?? Math.min(memoryBytes / 64, 16 * 1024 * 1024),
    );
    this.core = new KernelCore({
      memoryBytes,
      reclaimWatermarkBytes: watermark,
      seed: options.seed ?? 0x5eed_1234,
    });
    this.tracer = options.tracer;
  }

  /**
   * Sends every later syscall of every process, present and future, to `tracer`, in the style
   * of strace (formatSyscallEvent makes a line of text of each); null stops tracing.
   */
  setTracer(tracer: SyscallTracer | null): void {
    this.tracer = tracer ?? undefined;
    this.viewRefs = this.viewRefs.filter((ref) => {
      ref.deref()?.setTracer(tracer);
      return ref.deref() !== undefined;
    });
  }

  /** A new process in the root job, holding handles to itself, its job and its root VMAR. */
  createProcess(options: { name?: string } = {}): Process {
    const object = this.core.createProcess(this.core.rootJob, options.name ?? '');
    return this.viewOf(object);
  }

  /** The host view of a process that `owner` created with zx_process_create. */
  processFor(owner: Process, processHandle: number): Process {
    const handle = owner.object.handles.get(processHandle);
    if (handle === undefined || handle.object.type !== ZX_OBJ_TYPE_PROCESS) {
      throw new TypeError('processFor: not a process handle of the owner');
    }
    return this.viewOf(handle.object as ProcessDispatcher);
  }

  /** The kernel's simulated monotonic clock, in nanoseconds (zx_clock_get_monotonic). */
  get now(): bigint {
    return this.core.timers.now;
  }

  /** Moves the clock forward by `nanoseconds`, ending the waits whose deadline passes. */
  advanceTime(nanoseconds: number | bigint): void {
    const step = BigInt(nanoseconds);
    if (step < 0n) throw new RangeError('the clock never goes back');
    this.core.timers.advanceTo(this.core.timers.now + step);
  }

  /** Installs a handle to the system resource in `process` and returns its value. */
  grantSystemResource(process: Process): number {
    const resource = new ResourceDispatcher(
      this.core.newKoid(),
      ZX_RSRC_KIND_SYSTEM,
      0n,
      0n,
      0,
      'system',
    );
    return process.object.handles.add(new Handle(resource, ZX_DEFAULT_RESOURCE_RIGHTS));
  }

  private viewOf(object: ProcessDispatcher): Process {
    let view = this.views.get(object);
    if (view === undefined) {
      const handles = object.handles;
      const self = handles.add(new Handle(object, ZX_DEFAULT_PROCESS_RIGHTS)) as HandleValue;
      const job = handles.add(new Handle(object.job, ZX_DEFAULT_JOB_RIGHTS)) as HandleValue;
      const vmarRights = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;
      const rootVmar = handles.add(new Handle(object.rootVmar!, vmarRights)) as HandleValue;
      view = new Process(this.core, object, { self, job, rootVmar }, this.tracer);
      this.views.set(object, view);
      this.viewRefs.push(new WeakRef(view));
    }
    return view;
  }
}
