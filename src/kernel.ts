// Kernel: one simulated Zircon kernel. It owns physical memory and every kernel object, and
// hands out Process views through which programs make syscalls.

import {
  ZX_DEFAULT_JOB_RIGHTS,
  ZX_DEFAULT_PROCESS_RIGHTS,
  ZX_DEFAULT_RESOURCE_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_HANDLE_INVALID,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OK,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_RSRC_KIND_SYSTEM,
} from './abi/constants.ts';
import { MAX_HANDLE_COUNT } from './object/handle.ts';
import { KernelCore } from './object/kernel-core.ts';
import type { KernelObject } from './object/kernel-object.ts';
import { type ProcessObject, processCallStatus } from './object/process.ts';
import { ResourceObject } from './object/resource.ts';
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
  /**
   * The most handles that may exist at once, in all processes together (Zircon's handle arena
   * holds 256 Ki, the default and the largest). Past it, calls that make handles give
   * ZX_ERR_NO_MEMORY.
   */
  maxHandles?: number;
}

const DEFAULT_MEMORY = 4 * 1024 ** 3;

export class Kernel {
  /** The kernel's internals, for tests, tools and the visualizer. */
  readonly core: KernelCore;
  private readonly views = new WeakMap<ProcessObject, Process>();
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
    const maxHandles = options.maxHandles ?? MAX_HANDLE_COUNT;
    if (!Number.isInteger(maxHandles) || maxHandles < 1 || maxHandles > MAX_HANDLE_COUNT) {
      throw new RangeError(`maxHandles must be an integer from 1 to ${MAX_HANDLE_COUNT}`);
    }
    this.core = new KernelCore({
      memoryBytes,
      reclaimWatermarkBytes: watermark,
      seed: options.seed ?? 0x5eed_1234,
      maxHandles,
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
    this.requireHandleSlots(3);
    const object = this.core.createProcess(this.core.rootJob, options.name ?? '');
    // The host runs it: it lives until killed, whatever becomes of its handles.
    object.markRunning();
    return this.viewOf(object);
  }

  /** The host view of a process that `owner` created with zx_process_create. */
  processFor(owner: Process, processHandle: number): Process {
    const handle = owner.object.handles.get(processHandle);
    if (handle === undefined || handle.object.type !== ZX_OBJ_TYPE_PROCESS) {
      throw new TypeError('processFor: not a process handle of the owner');
    }
    return this.viewOf(handle.object as ProcessObject);
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
    // A dead process holds no handles (ZX_HANDLE_INVALID: its calls fail whatever they name).
    if (processCallStatus(process.object) !== ZX_OK) return ZX_HANDLE_INVALID;
    this.requireHandleSlots(1);
    const resource = new ResourceObject(
      this.core.newKoid(),
      ZX_RSRC_KIND_SYSTEM,
      0n,
      0n,
      0,
      'system',
    );
    return this.installHandle(process.object, resource, ZX_DEFAULT_RESOURCE_RIGHTS);
  }

  /** Host calls that make handles throw when the arena cannot hold them (syscalls give a status). */
  private requireHandleSlots(count: number): void {
    const arena = this.core.handleArena;
    if (arena.capacity - arena.count < count) {
      throw new RangeError('zxvm: the handle arena is full (see KernelOptions.maxHandles)');
    }
  }

  private installHandle(process: ProcessObject, object: KernelObject, rights: number): HandleValue {
    return process.handles.add(this.core.handleArena.make(object, rights)!);
  }

  private viewOf(object: ProcessObject): Process {
    let view = this.views.get(object);
    if (view === undefined && processCallStatus(object) !== ZX_OK) {
      // A dead process gets no new handles; every call of its view fails all the same.
      const none = ZX_HANDLE_INVALID as HandleValue;
      view = new Process(this.core, object, { self: none, job: none, rootVmar: none }, this.tracer);
      this.views.set(object, view);
      this.viewRefs.push(new WeakRef(view));
    }
    if (view === undefined) {
      this.requireHandleSlots(3);
      const self = this.installHandle(object, object, ZX_DEFAULT_PROCESS_RIGHTS);
      const job = this.installHandle(object, object.job, ZX_DEFAULT_JOB_RIGHTS);
      const vmarRights = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;
      const rootVmar = this.installHandle(object, object.rootVmar!, vmarRights);
      view = new Process(this.core, object, { self, job, rootVmar }, this.tracer);
      this.views.set(object, view);
      this.viewRefs.push(new WeakRef(view));
    }
    return view;
  }
}
