// KernelCore: all the state of one kernel instance. Nothing in zxvm lives at module level, so
// two kernels never share anything and a kernel built with the same options behaves the same
// every time (handle secrets come from a seeded generator, time from a simulated clock).

import { PhysicalMemory } from '../pmm/pmm.ts';
import { PAGE_SIZE_N } from '../util/u64.ts';
import { DiscardableList } from '../vm/discardable.ts';
import type { PageWaitSlot } from '../vm/page-source.ts';
import { EvictionPass, PagerEvictor } from '../vm/pager-eviction.ts';
import { VmAspace } from '../vm/vm-aspace.ts';
import { HandleArena, HandleTable } from './handle.ts';
import { JobDispatcher } from './job-dispatcher.ts';
import type { PagerTrace } from './pager-dispatcher.ts';
import { ProcessDispatcher } from './process-dispatcher.ts';
import { ResourceRegistry } from './resource-registry.ts';
import { Scheduler } from './scheduler.ts';
import { Timers } from './timers.ts';
import type { Koid } from './types.ts';
import { VmAddressRegionDispatcher } from './vm-address-region-dispatcher.ts';

export interface KernelCoreOptions {
  memoryBytes: number;
  /** Free memory below which unlocked discardable VMOs are reclaimed. */
  reclaimWatermarkBytes: number;
  seed: number;
  /** The most handles that may exist at once (Zircon's arena: 256 Ki). */
  maxHandles?: number;
}

/** The root VMAR of an x86-64 user address space (USER_ASPACE_BASE and USER_ASPACE_SIZE). */
export const USER_ASPACE_BASE = 0x20_0000n;
export const USER_ASPACE_SIZE = (1n << 47n) - PAGE_SIZE_N - USER_ASPACE_BASE;

export class KernelCore {
  readonly pmm: PhysicalMemory;
  readonly discardables = new DiscardableList();
  /** Clean pager-backed pages, evicted under memory pressure. */
  readonly pagerEvictor = new PagerEvictor();
  readonly resources = new ResourceRegistry();
  readonly rootJob: JobDispatcher;
  /** Every handle of the kernel takes a slot here. */
  readonly handleArena: HandleArena;
  /** The simulated monotonic clock and its timers. Time moves only when the host advances it. */
  readonly timers = new Timers();
  /** Counts the zx threads that can run (Kernel.idle). */
  readonly scheduler = new Scheduler();
  /**
   * Where the VM leaves the wait of an operation that needs pages from a pager (it has no
   * syscall context); a thread's call that returned ZX_ERR_SHOULD_WAIT parks on it.
   */
  readonly pageWait: PageWaitSlot = { blocker: null, caller: null, resumed: false };
  /** Where pagers tell a tracer of their requests (Kernel.setTracer sets it). */
  readonly pagerTrace: PagerTrace = { observer: null };
  private nextKoid = 1024;
  private rngState: number;

  constructor(options: KernelCoreOptions) {
    this.rngState = options.seed >>> 0 || 0x9e3779b9;
    this.handleArena = new HandleArena({ capacity: options.maxHandles });
    this.pmm = new PhysicalMemory(options.memoryBytes, options.reclaimWatermarkBytes);
    this.pmm.reclaimer = (wanted, exclude) => this.reclaim(wanted, exclude);
    this.rootJob = new JobDispatcher(this.newKoid(), null);
    this.rootJob.name = 'root';
  }

  /**
   * Frees memory until `wanted` frames are free (vm/pager-eviction.ts): DONT_NEED pager pages,
   * unlocked discardable VMOs, clean pager pages; ALWAYS_NEED pager pages only when the
   * allocation itself (`wanted` less the watermark) would fail otherwise.
   */
  private reclaim(wanted: number, exclude: unknown): void {
    const pmm = this.pmm;
    const enough = () => pmm.freeFrames >= wanted;
    this.pagerEvictor.evict(EvictionPass.dontNeed, enough, exclude);
    if (!enough()) this.discardables.reclaim(enough, exclude);
    if (!enough()) this.pagerEvictor.evict(EvictionPass.followHint, enough, exclude);
    const needed = wanted - pmm.watermarkFrames;
    if (pmm.freeFrames < needed) {
      this.pagerEvictor.evict(EvictionPass.ignoreHint, () => pmm.freeFrames >= needed, exclude);
    }
  }

  newKoid(): Koid {
    return this.nextKoid++ as Koid;
  }

  /** A deterministic 32-bit pseudo-random number (xorshift32). */
  random32(): number {
    let x = this.rngState;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rngState = x >>> 0;
    return this.rngState;
  }

  /** A child job, or null when the parent is already nested as deep as jobs go. */
  createJob(parent: JobDispatcher): JobDispatcher | null {
    if (parent.height === 0) return null;
    return new JobDispatcher(this.newKoid(), parent);
  }

  /** A new process in `job`, with its address space and root VMAR. */
  createProcess(job: JobDispatcher, name: string): ProcessDispatcher {
    const aspace = new VmAspace(this.pmm, Number(USER_ASPACE_BASE), Number(USER_ASPACE_SIZE));
    const handles = new HandleTable(this.handleArena, this.random32());
    const process = new ProcessDispatcher(this.newKoid(), job, name, handles, aspace);
    process.rootVmar = new VmAddressRegionDispatcher(this.newKoid(), aspace.root);
    job.addChild(process);
    return process;
  }
}
