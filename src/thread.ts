// zx threads on the host's event loop (CONTRACT.md section 4). startThread does what
// zx_thread_create and zx_thread_start do, then runs `body(sys)` as the thread: `sys` holds
// every syscall of the process under its name, derived from the syscall table by the binder,
// plus load and store; where a Zircon thread would wait, a call returns a promise. The thread
// first runs in a microtask (its state is NEW until then), and dies when its body settles or
// when its process is killed.

import { ZX_DEFAULT_THREAD_RIGHTS, ZX_MAX_NAME_LEN } from './abi/constants.ts';
import type { KernelCore } from './object/kernel-core.ts';
import type { ProcessDispatcher } from './object/process-dispatcher.ts';
import { ThreadDispatcher } from './object/thread-dispatcher.ts';
import type { SyscallContext } from './syscalls/context.ts';
import {
  bindThreadSyscalls,
  Parker,
  type SyscallTracer,
  type ThreadSyscalls,
} from './syscalls/index.ts';
import type { UserMemory } from './syscalls/user.ts';

/** What a zx thread can do: every syscall of its process, and touch its address space. */
export type ThreadSys = ThreadSyscalls & {
  /** A read of the address space as the CPU makes it (see Process.load). */
  load(vaddr: number | bigint, dst: Uint8Array): number | Promise<number>;
  /** A write to the address space as the CPU makes it (see Process.store). */
  store(vaddr: number | bigint, src: Uint8Array): number | Promise<number>;
};

export type ThreadBody = (sys: ThreadSys) => unknown;

export interface ThreadOptions {
  /** ZX_PROP_NAME of the thread (cut to ZX_MAX_NAME_LEN - 1 bytes, as zx_thread_create does). */
  name?: string;
}

export interface StartedThread {
  /** A handle to the thread in the process's table, with ZX_DEFAULT_THREAD_RIGHTS. */
  handle: number;
  /**
   * Settles once the thread is dead: with what `body` returned (awaited), or rejected with what
   * it threw; a thread killed with its process resolves with undefined.
   */
  done: Promise<unknown>;
}

/** The address space accessors of a process, as Process has them. */
export interface CpuAccess {
  load(vaddr: number | bigint, dst: Uint8Array): number;
  store(vaddr: number | bigint, src: Uint8Array): number;
}

/** One running thread: its context (the binder's view of "the current thread") and syscalls. */
export class ThreadRunner {
  readonly thread: ThreadDispatcher;
  readonly ctx: SyscallContext;
  readonly sys: ThreadSys;
  private readonly cpu: CpuAccess;
  /** Runs the thread's calls, and parks them where they wait. */
  private readonly parker: Parker;

  constructor(
    core: KernelCore,
    process: ProcessDispatcher,
    user: UserMemory,
    cpu: CpuAccess,
    name: string,
    tracer: SyscallTracer | undefined,
  ) {
    this.thread = new ThreadDispatcher(core.newKoid(), process, name, core.scheduler);
    this.ctx = {
      core,
      process,
      user,
      thread: this.thread,
      blocker: null,
      explain: false,
      reason: null,
    };
    this.cpu = cpu;
    this.parker = new Parker(this.ctx);
    this.sys = this.bind(tracer);
  }

  /** Rebinds the thread's syscalls (Process.setTracer); the object stays the same. */
  setTracer(tracer: SyscallTracer | undefined): void {
    Object.assign(this.sys, this.bind(tracer));
  }

  private bind(tracer: SyscallTracer | undefined): ThreadSys {
    const { parker, cpu } = this;
    return Object.assign(bindThreadSyscalls(parker, tracer), {
      // Faults that must wait (a pager-backed page) leave their wait in the page-wait slot.
      load: (vaddr: number | bigint, dst: Uint8Array) => parker.run(cpu.load, cpu, [vaddr, dst]),
      store: (vaddr: number | bigint, src: Uint8Array) => parker.run(cpu.store, cpu, [vaddr, src]),
    });
  }
}

/**
 * Makes a thread in `process` and starts it: the body runs in a microtask. Throws when the
 * process is dead (zx_thread_start's ZX_ERR_BAD_STATE): that is a misuse of the host API.
 */
export function startThread(
  core: KernelCore,
  process: ProcessDispatcher,
  user: UserMemory,
  cpu: CpuAccess,
  body: ThreadBody,
  options: ThreadOptions,
  tracer: SyscallTracer | undefined,
): { runner: ThreadRunner; started: StartedThread } {
  if (typeof body !== 'function') throw new TypeError('startThread: body must be a function');
  const name = truncateName(options.name ?? '');
  if (process.state === 'dying' || process.state === 'dead') {
    throw new Error('startThread: ZX_ERR_BAD_STATE: the process is dead');
  }
  const arena = core.handleArena;
  if (arena.capacity === arena.count) {
    throw new RangeError('zxvm: the handle arena is full (see KernelOptions.maxHandles)');
  }
  const runner = new ThreadRunner(core, process, user, cpu, name, tracer);
  const thread = runner.thread;
  process.addThread(thread);
  const handle = process.handles.add(arena.make(thread, ZX_DEFAULT_THREAD_RIGHTS)!);

  let resolveDone!: (value: unknown) => void;
  let rejectDone!: (reason: unknown) => void;
  const done = new Promise<unknown>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  thread.onKilled = () => resolveDone(undefined);
  // The body ended: the thread exits first, then `done` settles (a killed thread settled it).
  const exit = (settle: () => void) => {
    if (thread.isDead) return;
    thread.exit();
    settle();
  };
  queueMicrotask(() => {
    if (thread.isDead) return;
    thread.start();
    let result: unknown;
    try {
      result = body(runner.sys);
    } catch (error) {
      exit(() => rejectDone(error));
      return;
    }
    Promise.resolve(result).then(
      (value) => exit(() => resolveDone(value)),
      (error) => exit(() => rejectDone(error)),
    );
  });
  return { runner, started: { handle, done } };
}

/** A thread name as zx_thread_create keeps it: at most ZX_MAX_NAME_LEN - 1 UTF-8 bytes. */
function truncateName(name: string): string {
  const bytes = new TextEncoder().encode(String(name));
  if (bytes.length < ZX_MAX_NAME_LEN) return String(name);
  let end = ZX_MAX_NAME_LEN - 1;
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}
