// Process: the host's view of one process. Its `syscalls` are the zx_* functions bound to the
// process (its handle table, address space and job policy); `load` and `store` are what the CPU
// does when the process touches its address space.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_CANCELED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_OK,
  ZX_RIGHT_WAIT,
  ZX_SIGNAL_HANDLE_CLOSED,
  ZX_TIME_INFINITE,
} from './abi/constants.ts';
import type { KernelCore } from './object/kernel-core.ts';
import { type ProcessDispatcher, processCallStatus } from './object/process-dispatcher.ts';
import type { HandleValue } from './object/types.ts';
import { beginWait, type WaitResult } from './object/wait.ts';
import type { SyscallContext } from './syscalls/context.ts';
import { bindSyscalls, faultEvent, type Syscalls, type SyscallTracer } from './syscalls/index.ts';
import type { UserMemory } from './syscalls/user.ts';
import {
  type StartedThread,
  startThread,
  type ThreadBody,
  type ThreadOptions,
  type ThreadRunner,
} from './thread.ts';
import { isHostBytes } from './util/host-bytes.ts';
import type { Reason } from './util/reason.ts';

export interface ProcessHandles {
  self: HandleValue;
  job: HandleValue;
  rootVmar: HandleValue;
}

/**
 * The host's context: no thread, so a wait a call asks for is dropped (ZX_ERR_SHOULD_WAIT). A
 * class, so that every syscall reads its fields at fixed offsets (an object literal with an
 * accessor pair is kept as a dictionary, which costs each read a lookup).
 */
class HostContext implements SyscallContext {
  readonly core: KernelCore;
  readonly process: ProcessDispatcher;
  readonly user: UserMemory;
  readonly thread = null;
  explain = false;
  reason: Reason | null = null;

  constructor(core: KernelCore, process: ProcessDispatcher, user: UserMemory) {
    this.core = core;
    this.process = process;
    this.user = user;
  }

  get blocker(): null {
    return null;
  }

  set blocker(_dropped: unknown) {}
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
  readonly object: ProcessDispatcher;
  private readonly user: UserMemory;
  private readonly core: KernelCore;
  private readonly ctx: SyscallContext;
  /** The context of `explained`: the same process, a reason slot of its own. */
  private readonly apiCtx: SyscallContext;
  private tracer: SyscallTracer | undefined;
  private explainAll: boolean;
  /** The syscalls that explain every error, made when first asked for (see `explained`). */
  private explainedCalls: Syscalls | null = null;
  /** The threads started here, for setTracer; weak, so a dead thread is not kept. */
  private threadRefs: WeakRef<ThreadRunner>[] = [];

  constructor(
    core: KernelCore,
    object: ProcessDispatcher,
    handles: ProcessHandles,
    tracer?: SyscallTracer,
    explain = false,
  ) {
    this.core = core;
    this.object = object;
    this.self = handles.self;
    this.job = handles.job;
    this.rootVmar = handles.rootVmar;
    // The address space is the process's user memory: buffers passed to its syscalls as
    // virtual addresses go through the same translations and faults as load and store.
    this.user = object.aspace;
    this.ctx = new HostContext(core, object, this.user);
    this.apiCtx = new HostContext(core, object, this.user);
    this.tracer = tracer;
    this.explainAll = explain;
    this.syscalls = bindSyscalls(this.ctx, tracer, explain);
    this.observeFaults();
  }

  /** Faults of the address space go to the tracer as events, or to no one (one check). */
  private observeFaults(): void {
    const tracer = this.tracer;
    const object = this.object;
    object.aspace.onFault =
      tracer === undefined ? null : (fault) => tracer(faultEvent(object, fault));
  }

  /**
   * Sends every later syscall and page fault of this process to `tracer` (null stops it); a
   * traced process explains its errors (SyscallEvent.reason). The syscall object stays the same object; its
   * functions are rebound, so an untraced process pays nothing.
   */
  setTracer(tracer: SyscallTracer | null): void {
    this.tracer = tracer ?? undefined;
    this.rebind();
    this.observeFaults();
  }

  /**
   * Makes every later syscall of this process explain its errors (`lastReason` then says why
   * the last one failed); false stops it, unless a tracer is attached. Off by default: calls
   * that explain pay for a wrapper, those that do not pay nothing.
   */
  explain(on: boolean): void {
    this.explainAll = on;
    this.rebind();
  }

  /**
   * The same syscalls, always explaining their errors (and traced with the others): what the
   * idiomatic API calls, so that a ZxError says why (`explainedReason`). They keep their
   * reasons apart, so `proc.syscalls` and `lastReason` stay as they were set.
   */
  get explained(): Syscalls {
    this.explainedCalls ??= bindSyscalls(this.apiCtx, this.tracer, true);
    return this.explainedCalls;
  }

  /** Why the last call through `explained` failed; undefined after a success. */
  get explainedReason(): string | undefined {
    return this.apiCtx.reason?.text;
  }

  /** Why the last explaining syscall of this process failed; undefined after a success. */
  get lastReason(): string | undefined {
    return this.ctx.reason?.text;
  }

  /**
   * The last explaining syscall's failure: its status, the reason, and `fallback` when no check
   * said why and the reason is the causes its table entry lists. Null after a success.
   */
  get lastFailure(): Reason | null {
    return this.ctx.reason;
  }

  private rebind(): void {
    Object.assign(this.syscalls, bindSyscalls(this.ctx, this.tracer, this.explainAll));
    this.threadRefs = this.threadRefs.filter((ref) => {
      ref.deref()?.setTracer(this.tracer);
      return ref.deref() !== undefined;
    });
    if (this.explainedCalls !== null) {
      Object.assign(this.explainedCalls, bindSyscalls(this.apiCtx, this.tracer, true));
    }
  }

  /**
   * Makes a thread in this process and runs `body(sys)` as it (what zx_thread_create and
   * zx_thread_start do): `handle` is its handle in this process (ZX_DEFAULT_THREAD_RIGHTS),
   * `done` settles once it is dead. See src/thread.ts and CONTRACT.md section 4.
   */
  startThread(body: ThreadBody, options: ThreadOptions = {}): StartedThread {
    const cpu = { load: this.load.bind(this), store: this.store.bind(this) };
    const { runner, started } = startThread(
      this.core,
      this.object,
      this.user,
      cpu,
      body,
      options,
      this.tracer,
    );
    this.threadRefs.push(new WeakRef(runner));
    return started;
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
    // The address space touches the caller's array only through the intrinsic primitives
    // (util/host-bytes.ts), so no view of it is made.
    if (!isHostBytes(dst)) return ZX_ERR_NOT_FOUND;
    if (typeof vaddr === 'number' && vaddr >= 0 && Number.isSafeInteger(vaddr)) {
      return this.object.aspace.loadAt(vaddr, dst);
    }
    return typeof vaddr === 'bigint' && vaddr >= 0n ? this.user.load(vaddr, dst) : ZX_ERR_NOT_FOUND;
  }

  /** Writes `src` at `vaddr` as the CPU would: ZX_OK or the fault's status, as for load. */
  store(vaddr: number | bigint, src: Uint8Array): number {
    const alive = processCallStatus(this.object);
    if (alive !== ZX_OK) return alive;
    if (!isHostBytes(src)) return ZX_ERR_NOT_FOUND;
    if (typeof vaddr === 'number' && vaddr >= 0 && Number.isSafeInteger(vaddr)) {
      return this.object.aspace.storeAt(vaddr, src);
    }
    return typeof vaddr === 'bigint' && vaddr >= 0n
      ? this.user.store(vaddr, src)
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
      // As zx_object_wait_one reports a closed handle: HANDLE_CLOSED joins the signals.
      const settle = (r: WaitResult) =>
        resolve(
          r.status === ZX_ERR_CANCELED
            ? { ...r, observed: r.observed | ZX_SIGNAL_HANDLE_CLOSED }
            : r,
        );
      const started = beginWait(this.core.timers, found, signals >>> 0, deadline, settle);
      if ('status' in started) resolve(started);
    });
  }
}
