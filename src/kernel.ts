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
import { inspectKernel, type KernelSnapshot } from './inspect.ts';
import type { Dispatcher } from './object/dispatcher.ts';
import { MAX_HANDLE_COUNT } from './object/handle.ts';
import { KernelCore } from './object/kernel-core.ts';
import { type ProcessDispatcher, processCallStatus } from './object/process-dispatcher.ts';
import { ResourceDispatcher } from './object/resource-dispatcher.ts';
import type { HandleValue } from './object/types.ts';
import { MAX_MEMORY_BYTES } from './pmm/pmm.ts';
import { Process } from './process.ts';
import { pageRequestEvent, type SyscallTracer } from './syscalls/index.ts';
import { InspectIds } from './util/inspect.ts';

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
  /** Sees every syscall and fault of every process, and page requests (see Kernel.setTracer). */
  tracer?: SyscallTracer;
  /** Every process explains its errors (see Kernel.explain); off by default. */
  explain?: boolean;
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
  private readonly views = new WeakMap<ProcessDispatcher, Process>();
  /** Every view, for setTracer; weak, so that a kernel never keeps a process alive. */
  private viewRefs: WeakRef<Process>[] = [];
  private tracer: SyscallTracer | undefined;
  /** Numbers for copy-on-write nodes, made on the first inspect(). */
  private inspectIds: InspectIds | null = null;
  private explaining: boolean;

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
    this.observePagers();
    this.explaining = options.explain ?? false;
  }

  /** Pagers tell the tracer of their page requests, or no one (one check each). */
  private observePagers(): void {
    const tracer = this.tracer;
    this.core.pagerTrace.observer =
      tracer === undefined ? null : (record) => tracer(pageRequestEvent(record));
  }

  /**
   * Sends every later syscall and page fault of every process, present and future, and what
   * happens to every pager's page requests, to `tracer`, in the style of strace
   * (formatTraceEvent makes a line of text of each); null stops tracing.
   */
  setTracer(tracer: SyscallTracer | null): void {
    this.tracer = tracer ?? undefined;
    this.observePagers();
    this.viewRefs = this.viewRefs.filter((ref) => {
      ref.deref()?.setTracer(tracer);
      return ref.deref() !== undefined;
    });
  }

  /**
   * Makes every process, present and future, explain its errors (Process.explain): a reason in
   * words for every error status, kept in `Process.lastReason`. Tracing explains already.
   */
  explain(on: boolean): void {
    this.explaining = on;
    this.viewRefs = this.viewRefs.filter((ref) => {
      ref.deref()?.explain(on);
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
    return this.viewOf(handle.object as ProcessDispatcher);
  }

  /**
   * A plain, JSON-safe snapshot of the whole kernel (docs/inspect.md): jobs, processes and
   * their handle tables and address spaces, every VMO with its ZX_INFO_VMO record, every node
   * of the copy-on-write trees (hidden ones too) with its pages as runs, and physical memory as
   * ZX_INFO_KMEM_STATS reports it. It only reads: the kernel is the same afterwards. `label`
   * names the moment (zxvm inspect prints each labelled snapshot a scenario takes).
   */
  inspect(label?: string): KernelSnapshot {
    this.inspectIds ??= new InspectIds();
    return inspectKernel(this.core, this.inspectIds, label ?? null);
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

  /**
   * Settles once no zx thread of this kernel can run: each one is waiting (for a signal, a
   * packet, a reply, the clock) or dead. The host can then act, or advance the clock.
   */
  idle(): Promise<void> {
    return this.core.scheduler.idle();
  }

  /**
   * Gives the host back the memory of simulated RAM that holds no page now (16 MiB arenas whose
   * frames are all free), for a long-lived kernel after a peak. Returns the host bytes released.
   * Pages allocated later come from fresh, zeroed host memory, which the host pays for again on
   * first touch; the simulated memory and every figure the kernel reports are unchanged.
   */
  releaseFreeMemory(): number {
    return this.core.pmm.releaseFreeArenas();
  }

  /**
   * Moves a handle from one process to another, as a launcher hands a new process its startup
   * handles (zx_process_start's argument, the processargs bootstrap channel): the handle leaves
   * `from`'s table with its rights (and its waits) and joins `to`'s. Returns its value in `to`,
   * or ZX_HANDLE_INVALID when `value` names nothing in `from` or either process is dead.
   */
  transferHandle(from: Process, value: number, to: Process): number {
    const alive =
      processCallStatus(from.object) === ZX_OK && processCallStatus(to.object) === ZX_OK;
    const handle = alive ? from.object.handles.take(value) : undefined;
    return handle === undefined ? ZX_HANDLE_INVALID : to.object.handles.add(handle);
  }

  /** Installs a handle to the system resource in `process` and returns its value. */
  grantSystemResource(process: Process): number {
    // A dead process holds no handles (ZX_HANDLE_INVALID: its calls fail whatever they name).
    if (processCallStatus(process.object) !== ZX_OK) return ZX_HANDLE_INVALID;
    this.requireHandleSlots(1);
    const resource = new ResourceDispatcher(
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

  private installHandle(
    process: ProcessDispatcher,
    object: Dispatcher,
    rights: number,
  ): HandleValue {
    return process.handles.add(this.core.handleArena.make(object, rights)!);
  }

  private viewOf(object: ProcessDispatcher): Process {
    let view = this.views.get(object);
    if (view === undefined && processCallStatus(object) !== ZX_OK) {
      // A dead process gets no new handles; every call of its view fails all the same.
      const none = ZX_HANDLE_INVALID as HandleValue;
      const handles = { self: none, job: none, rootVmar: none };
      view = new Process(this.core, object, handles, this.tracer, this.explaining);
      this.views.set(object, view);
      this.viewRefs.push(new WeakRef(view));
    }
    if (view === undefined) {
      this.requireHandleSlots(3);
      const self = this.installHandle(object, object, ZX_DEFAULT_PROCESS_RIGHTS);
      const job = this.installHandle(object, object.job, ZX_DEFAULT_JOB_RIGHTS);
      const vmarRights = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;
      const rootVmar = this.installHandle(object, object.rootVmar!, vmarRights);
      view = new Process(this.core, object, { self, job, rootVmar }, this.tracer, this.explaining);
      this.views.set(object, view);
      this.viewRefs.push(new WeakRef(view));
    }
    return view;
  }
}
