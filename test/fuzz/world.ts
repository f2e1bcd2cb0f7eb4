// The world the fuzzer calls into: one kernel, the fuzzed process, and a pool of handles to
// every kind of object zxvm has, which the fuzzer picks from by the object type a table entry
// asks for. The pool follows what the calls do (handles they make join it, handles they close
// or consume leave it for the list of closed values), is refilled from hidden keeper handles
// when a kind runs out, and is kept small. At the end everything is torn down through the
// syscalls, and every page must be free again.

import assert from 'node:assert/strict';
import {
  ZX_BTI_PERM_READ,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_INFO_KMEM_STATS,
  ZX_IOMMU_TYPE_STUB,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RSRC_KIND_IRQ,
  ZX_RSRC_KIND_MMIO,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_VMEX_BASE,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
} from '../../src/abi/constants.ts';
import { flagValues, nameFlags } from '../../src/abi/flags.ts';
import {
  decodeZxInfoKmemStats,
  ZX_INFO_KMEM_STATS_SIZE,
  type ZxInfoKmemStats,
} from '../../src/abi/structs.ts';
import { ANY_OBJECT, type HandleParam } from '../../src/abi/syscall-spec.ts';
import { Kernel } from '../../src/kernel.ts';
import type { Dispatcher as KernelObject } from '../../src/object/dispatcher.ts';
import { processCallStatus } from '../../src/object/process-dispatcher.ts';
import type { VmAddressRegionDispatcher } from '../../src/object/vm-address-region-dispatcher.ts';
import type { VmObjectDispatcher } from '../../src/object/vm-object-dispatcher.ts';
import type { Process } from '../../src/process.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import { pageSourceOf } from '../../src/vm/pager-vmo.ts';
import { VmObjectPaged } from '../../src/vm/vm-object-paged.ts';
import { checkAccounts } from './accounts.ts';

export const PAGE = 4096;
const MEMORY_BYTES = 32 * 1024 * 1024;
/** Zircon's handle values: 12 generation bits per arena slot (object/handle.cc). */
export const GENERATIONS = 4096;
/** Pool entries beyond which the oldest made by the calls are closed. */
const POOL_LIMIT = 300;
const CAN_MAP =
  ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC;
const U64_MAX = (1n << 64n) - 1n;
const PAGER_TRAP_UNBOUNDED = ZX_VMO_TRAP_DIRTY | ZX_VMO_UNBOUNDED;

/** A handle the fuzzer knows: its value, and what it names (for reproducers). */
export interface PoolEntry {
  readonly value: number;
  readonly object: KernelObject;
  readonly rights: number;
}

/** A handle value for a call, and what it is in words. */
export interface PickedHandle {
  readonly value: number;
  readonly label: string;
}

function hex(value: number): string {
  return `0x${value.toString(16)}`;
}

export function typeName(type: number): string {
  return nameFlags('obj_type', type).replace('ZX_OBJ_TYPE_', '');
}

export function rightsName(rights: number): string {
  return rights === 0 ? 'none' : nameFlags('rights', rights).replaceAll('ZX_RIGHT_', '');
}

export class World {
  readonly kernel: Kernel;
  readonly proc: Process;
  readonly sys: Syscalls;
  /** A second process: reads KMEM for the checks, and its handle values name nothing here. */
  readonly observer: Process;
  readonly startFree: bigint;
  /**
   * At least the number of handles made in this kernel so far: each call counts as many as it
   * has out handles, made or not (see Caller). A closed value names nothing until its slot has
   * been reused GENERATIONS times, so not before that many more handles were made.
   */
  clock = 0;
  /** Values of handles that were closed or consumed, with the clock then. */
  readonly closed = new Map<number, number>();
  /** What the world saw go wrong outside any call the test checks (a value back too soon). */
  readonly problems: string[] = [];
  private readonly closedSample: number[] = [];
  /** Addresses the calls reported (mapped, allocated): realistic vaddrs for later calls. */
  readonly addresses: bigint[] = [];
  private readonly observerResource: number;
  private readonly entries: PoolEntry[] = [];
  /** Hidden handles that keep each initial object (and every BTI) alive and reachable. */
  private readonly keepers: PoolEntry[] = [];
  private readonly hidden = new Set<number>();
  private readonly kept = new WeakSet<KernelObject>();
  /** What each object is, in words. */
  private readonly labels = new WeakMap<KernelObject, string>();
  /** Keepers of every VMAR the calls may map into: destroying them unmaps all they mapped. */
  private readonly spares: number[] = [];
  private readonly reducedCache = new Map<string, number>();
  private readonly rand: () => number;

  constructor(seed: number, rand: () => number) {
    this.rand = rand;
    this.kernel = new Kernel({ memoryBytes: MEMORY_BYTES, seed });
    this.observer = this.kernel.createProcess({ name: 'observer' });
    this.observerResource = this.kernel.grantSystemResource(this.observer);
    this.proc = this.launch();
    this.sys = this.proc.syscalls;
    this.startFree = this.kmem().free_bytes;
    this.hidden.add(this.proc.rootVmar); // mappings there would outlive the test's clean-up
    this.populate();
  }

  /**
   * The fuzzed process, made by the observer in a job of its own: a call that kills the
   * process or its job (zx_task_kill) ends only this world, and the observer can then check
   * that the kernel took everything back.
   */
  private launch(): Process {
    const sys = this.observer.syscalls;
    const job = { value: 0 };
    assert.equal(sys.zx_job_create(this.observer.job, 0, job), ZX_OK, 'the fuzzed job');
    const proc = { value: 0 };
    const vmar = { value: 0 };
    const name = new TextEncoder().encode('fuzz');
    const status = sys.zx_process_create(job.value, name, name.length, 0, proc, vmar);
    assert.equal(status, ZX_OK, 'the fuzzed process');
    assert.equal(sys.zx_handle_close(vmar.value), ZX_OK);
    return this.kernel.processFor(this.observer, proc.value);
  }

  /** The fuzzed process was killed (by zx_task_kill of it or of its job): the world is over. */
  get dead(): boolean {
    return processCallStatus(this.proc.object) !== ZX_OK;
  }

  /**
   * After the fuzzed process died: everything it held went with it, so every page is free
   * again, but for pages pinned by PMTs whose BTIs died with it (quarantined for ever, as in
   * Zircon), and the pages of VMOs whose handles are in flight in a channel that keeps itself
   * alive (an endpoint sent into its own queue, which Zircon allows and cannot free either).
   * A problem, or null.
   */
  checkAfterDeath(): string | null {
    const stats = this.kmem();
    if (stats.free_bytes === this.startFree || this.kernel.core.pmm.pinnedFrames > 0) return null;
    if (stats.free_bytes + this.inFlightBytes() >= this.startFree) return null;
    const lost = (this.startFree - stats.free_bytes) / BigInt(PAGE);
    return `the fuzzed process died, and ${lost} pages stayed allocated (vmo_bytes ${stats.vmo_bytes})`;
  }

  /**
   * The bytes of the copy-on-write nodes kept by VMOs whose handles are in flight in channel
   * messages (a slice keeps its parent's node).
   */
  inFlightBytes(): bigint {
    const nodes = new Set<VmObjectPaged['cow']>();
    for (const handle of this.kernel.core.handleArena.liveHandles()) {
      if (handle.owner !== null || handle.object.type !== ZX_OBJ_TYPE_VMO) continue;
      const vmo = (handle.object as VmObjectDispatcher).vmo;
      if (vmo instanceof VmObjectPaged) nodes.add(vmo.cow);
    }
    let bytes = 0n;
    for (const node of nodes) bytes += BigInt(node.frameCount * PAGE);
    return bytes;
  }

  private get table() {
    return this.proc.object.handles;
  }

  /** One of each kind of object, each with a hidden keeper; then some values that are dead. */
  private populate(): void {
    const { sys, proc } = this;
    const make = (label: string, status: number, out: { value: number }, keep = true) => {
      assert.equal(status, ZX_OK, `setting up ${label}`);
      this.clock += 2;
      this.adopt(out.value, label, keep);
      return out.value;
    };
    const o = () => ({ value: 0 });
    this.adopt(proc.self, 'this process', true);
    this.adopt(proc.job, 'the job of this process', true);
    const system = this.kernel.grantSystemResource(proc);
    this.adopt(system, 'the system resource', true);
    const spare = this.newSpare();
    const vmo = (label: string, size: number, options: number) => {
      const out = o();
      return make(`VMO ${label}`, sys.zx_vmo_create(size, options, out), out);
    };
    const plain = vmo('plain', 3 * PAGE + 5, 0);
    // Mapped memory, so that virtual addresses in buffers and out-parameters can work.
    const mapped = { value: 0n };
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    assert.equal(sys.zx_vmar_map(spare, perms, 0, plain, 0, 4 * PAGE, mapped), ZX_OK);
    this.addresses.push(mapped.value, mapped.value + 100n);
    vmo('resizable', 2 * PAGE, ZX_VMO_RESIZABLE);
    vmo('discardable', 2 * PAGE, ZX_VMO_DISCARDABLE);
    const unbounded = vmo('unbounded', PAGE, ZX_VMO_UNBOUNDED);
    // An unbounded VMO with a snapshot: both in a copy-on-write tree as big as a VMO can be.
    let child = o();
    const snapshot = sys.zx_vmo_create_child(unbounded, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, child);
    make('VMO snapshot of the unbounded one', snapshot, child);
    for (const [label, options, size] of [
      ['snapshot', ZX_VMO_CHILD_SNAPSHOT, 2 * PAGE],
      ['snapshot-at-least-on-write', ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 2 * PAGE],
      ['slice', ZX_VMO_CHILD_SLICE, PAGE],
      ['reference', ZX_VMO_CHILD_REFERENCE, 0],
    ] as const) {
      child = o();
      make(`VMO ${label} child`, sys.zx_vmo_create_child(plain, options, 0, size, child), child);
    }
    const resource = (label: string, kind: number, base: bigint, size: bigint) => {
      const out = o();
      const status = sys.zx_resource_create(system, kind, base, size, null, 0, out);
      return make(`resource ${label}`, status, out);
    };
    const mmioBase = BigInt(this.kernel.core.pmm.mmioFirstFrame) * BigInt(PAGE);
    this.addresses.push(mmioBase); // a physical address, for the u64s that take one
    const mmio = resource('MMIO', ZX_RSRC_KIND_MMIO, mmioBase, 16n * BigInt(PAGE));
    resource('VMEX', ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE, 1n);
    resource('IRQ', ZX_RSRC_KIND_IRQ, 0n, 4n);
    let out = o();
    make('VMO physical', sys.zx_vmo_create_physical(mmio, mmioBase, 4 * PAGE, out), out);
    out = o();
    const iommu = make(
      'IOMMU',
      sys.zx_iommu_create(system, ZX_IOMMU_TYPE_STUB, new Uint8Array(1), 1, out),
      out,
    );
    out = o();
    const bti = make('BTI', sys.zx_bti_create(iommu, 0, 0, out), out);
    out = o();
    make('VMO contiguous', sys.zx_vmo_create_contiguous(bti, 4 * PAGE, 0, out), out);
    out = o();
    const addrs = new Uint8Array(8);
    make('PMT', sys.zx_bti_pin(bti, ZX_BTI_PERM_READ, plain, 0, PAGE, addrs, 1, out), out);
    out = o();
    const job = make('child job', sys.zx_job_create(proc.job, 0, out), out);
    out = o();
    const vmar = o();
    const name = new TextEncoder().encode('child');
    const status = sys.zx_process_create(job, name, name.length, 0, out, vmar);
    make('child process', status, out);
    this.adopt(vmar.value, 'root VMAR of the child process', true);
    out = o();
    const port = make('port', sys.zx_port_create(0, out), out);
    out = o();
    const peer = o();
    make('channel', sys.zx_channel_create(0, out, peer), out);
    this.adopt(peer.value, 'channel peer', true);
    out = o();
    const pager = make('pager', sys.zx_pager_create(0, out), out);
    this.populatePager(pager, port);
    // Dead values: a closed handle, and handles of another process.
    out = o();
    assert.equal(sys.zx_vmo_create(PAGE, 0, out), ZX_OK);
    assert.equal(sys.zx_handle_close(out.value), ZX_OK);
    this.noteClosed(out.value);
  }

  /**
   * Pager-backed VMOs, as issue 8's attacks want them: a small one with a page supplied and
   * one written, an unbounded TRAP_DIRTY one with a page supplied far out (dirtied), and one
   * detached from its pager. The host's calls on their missing pages get SHOULD_WAIT.
   */
  private populatePager(pager: number, port: number): void {
    const { sys } = this;
    const vmo = (label: string, options: number, size: number) => {
      const out = { value: 0 };
      assert.equal(sys.zx_pager_create_vmo(pager, options, port, 7n, size, out), ZX_OK, label);
      this.clock++;
      this.adopt(out.value, `VMO ${label}`, true);
      return out.value;
    };
    const supply = (target: number, offset: bigint) => {
      const aux = { value: 0 };
      assert.equal(sys.zx_vmo_create(PAGE, 0, aux), ZX_OK, 'aux VMO');
      assert.equal(sys.zx_vmo_write(aux.value, new Uint8Array([9]), 0, 1), ZX_OK);
      const status = sys.zx_pager_supply_pages(pager, target, offset, BigInt(PAGE), aux.value, 0n);
      assert.equal(status, ZX_OK, 'supplying a page');
      assert.equal(sys.zx_handle_close(aux.value), ZX_OK);
      this.clock++;
    };
    const small = vmo('pager-backed', 0, 4 * PAGE);
    supply(small, 0n);
    supply(small, BigInt(PAGE));
    assert.equal(sys.zx_vmo_write(small, new Uint8Array([1, 2]), PAGE, 2), ZX_OK);
    const far = (1n << 50n) + BigInt(PAGE);
    const trapDirty = vmo('pager-backed unbounded TRAP_DIRTY', PAGER_TRAP_UNBOUNDED, 0);
    supply(trapDirty, far);
    const dirty = sys.zx_pager_op_range(pager, ZX_PAGER_OP_DIRTY, trapDirty, far, BigInt(PAGE), 0n);
    assert.equal(dirty, ZX_OK, 'dirtying a page');
    const detached = vmo('pager-backed detached', ZX_VMO_RESIZABLE, 2 * PAGE);
    supply(detached, 0n);
    assert.equal(sys.zx_vmo_write(detached, new Uint8Array([3]), 0, 1), ZX_OK);
    assert.equal(sys.zx_pager_detach_vmo(pager, detached), ZX_OK, 'detaching');
    // Mapped, so that addresses in buffers can fault on pager pages too.
    const mapped = { value: 0n };
    const spare = this.spares[this.spares.length - 1]!;
    const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    assert.equal(sys.zx_vmar_map(spare, perms, 0, small, 0, 4 * PAGE, mapped), ZX_OK);
    this.addresses.push(mapped.value + BigInt(2 * PAGE));
  }

  /** A new VMAR for the calls to map into, under the root VMAR, kept by a hidden handle. */
  private newSpare(): number {
    const out = { value: 0 };
    const at = { value: 0n };
    this.clock++;
    const status = this.sys.zx_vmar_allocate(this.proc.rootVmar, CAN_MAP, 0, 1024 * PAGE, out, at);
    assert.equal(status, ZX_OK, 'a VMAR to map into');
    this.adopt(out.value, 'VMAR to map into', true);
    this.spares.push(this.keepers[this.keepers.length - 1]!.value);
    this.addresses.push(at.value, at.value + 16n * BigInt(PAGE));
    return out.value;
  }

  /**
   * Adds a new handle of the table to the pool (and, with `keep`, a hidden duplicate of it).
   * Returns what is wrong with its value: one closed too few handles ago to name anything yet.
   */
  adopt(value: number, label: string | null, keep = false): string | null {
    const handle = this.table.get(value);
    if (handle === undefined) return null;
    const problem = this.reopened(value);
    const object = handle.object;
    if (label !== null && !this.labels.has(object)) this.labels.set(object, label);
    if (!this.labels.has(object)) this.labels.set(object, `${typeName(object.type)} (new)`);
    this.entries.push({ value, object, rights: handle.rights });
    // Quarantined PMTs are only released through a BTI handle: keep one for every BTI (when
    // the handle may be duplicated: one without ZX_RIGHT_DUPLICATE came from one that may).
    if (keep || (object.type === ZX_OBJ_TYPE_BTI && !this.kept.has(object))) {
      const dup = this.duplicate(value, ZX_RIGHT_SAME_RIGHTS);
      // Channels, pagers and PMTs cannot be duplicated: they get no keeper.
      const duplicable = (handle.rights & ZX_RIGHT_DUPLICATE) !== 0;
      assert.ok(
        dup !== undefined || !keep || !duplicable,
        `a keeper for ${this.labels.get(object)}`,
      );
      if (dup !== undefined) {
        this.keepers.push({ value: dup, object, rights: handle.rights });
        this.hidden.add(dup);
        this.kept.add(object);
      }
    }
    return problem;
  }

  /** Like adopt, for a value that may be in the pool already (a handle received). */
  adoptIfNew(value: number, label: string): string | null {
    if (this.entries.some((e) => e.value === value && this.alive(e))) return null;
    return this.adopt(value, label);
  }

  /** zx_handle_duplicate for the world's own needs; the new value, or undefined. */
  private duplicate(value: number, rights: number): number | undefined {
    const out = { value: 0 };
    this.clock++;
    if (this.sys.zx_handle_duplicate(value, rights, out) !== ZX_OK) return undefined;
    const problem = this.reopened(out.value);
    if (problem !== null) this.problems.push(`zx_handle_duplicate: ${problem}`);
    return out.value;
  }

  /** A value handed out anew: fine unless it was closed too few handles ago. */
  private reopened(value: number): string | null {
    const at = this.closed.get(value);
    if (at === undefined) return null;
    this.closed.delete(value);
    const since = this.clock - at;
    if (since >= GENERATIONS) return null;
    return `handle value ${hex(value)} named a handle again ${since} handles after it was closed`;
  }

  /** Whether the pool's `entry` still names its object. */
  private alive(entry: PoolEntry): boolean {
    return this.table.get(entry.value)?.object === entry.object;
  }

  noteClosed(value: number): void {
    if (this.closed.has(value)) return;
    this.closed.set(value, this.clock);
    if (this.closedSample.length < 512) this.closedSample.push(value);
    else this.closedSample[Math.floor(this.rand() * 512)] = value;
  }

  /**
   * Drops the pool's entries for `value` if its handle is gone (closed, consumed); with
   * `closed` false (a handle sent in a message, which keeps its value) it is not noted closed.
   */
  forget(value: number, closed = true): void {
    let gone = false;
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i]!;
      if (entry.value === value && !this.alive(entry)) {
        this.entries.splice(i, 1);
        gone = true;
      }
    }
    if (gone && closed) this.noteClosed(value);
  }

  isHidden(value: number): boolean {
    return this.hidden.has(value);
  }

  labelOf(value: number): string {
    const handle = this.table.get(value);
    if (handle === undefined) {
      if (this.closed.has(value)) return 'a closed handle';
      return value === 0 ? 'ZX_HANDLE_INVALID' : 'names nothing';
    }
    const what = this.labels.get(handle.object) ?? typeName(handle.object.type);
    return `${what}, rights ${rightsName(handle.rights)}`;
  }

  private pick<T>(values: readonly T[]): T | undefined {
    return values.length === 0 ? undefined : values[Math.floor(this.rand() * values.length)];
  }

  /** A live pool entry whose object is of `type` (any for ANY_OBJECT), or of another type. */
  live(type: number, other = false): PoolEntry | undefined {
    for (let tries = 0; tries < 4; tries++) {
      const candidates = this.entries.filter(
        (e) => type === ANY_OBJECT || (e.object.type === type) !== other,
      );
      const entry = this.pick(candidates);
      if (entry === undefined) return undefined;
      if (this.alive(entry)) return entry;
      this.forget(entry.value);
    }
    return undefined;
  }

  private picked(value: number): PickedHandle {
    return { value, label: this.labelOf(value) };
  }

  /** The handle a sane call passes: one of the type the entry asks for, with all its rights. */
  saneHandle(param: HandleParam): PickedHandle {
    const entry = this.live(param.type) ?? this.live(ANY_OBJECT);
    return this.picked(entry?.value ?? 0);
  }

  /**
   * Any handle for `param`: mostly of its type, else one with exactly the rights its entry
   * requires or one of them short, one of another type, a closed one, one of another process,
   * ZX_HANDLE_INVALID or a number nobody handed out.
   */
  randomHandle(param: HandleParam): PickedHandle {
    const r = this.rand();
    if (r < 0.45) return this.saneHandle(param);
    if (r < 0.6) {
      const rights = flagValues('rights').filter((bit) => (param.rights & bit) !== 0);
      const missing = this.pick(rights);
      const wanted = r < 0.53 || missing === undefined ? param.rights : param.rights & ~missing;
      const value = this.reduced(param.type, wanted);
      if (value !== undefined) return this.picked(value);
      return this.saneHandle(param);
    }
    if (r < 0.72) {
      const entry = this.live(param.type, true) ?? this.live(ANY_OBJECT);
      return this.picked(entry?.value ?? 0);
    }
    if (r < 0.84) {
      const value = this.pick(this.closedSample);
      if (value !== undefined) return this.picked(value);
    }
    const special = this.rand();
    if (special < 0.25) return { value: 0, label: 'ZX_HANDLE_INVALID' };
    if (special < 0.45) {
      const value = this.pick([this.observer.self, this.observer.job, this.observerResource])!;
      return { value, label: 'a handle value of another process' };
    }
    if (special < 0.75) {
      // The value of a neighbouring slot of the table: often one that was handed out.
      const base = this.live(ANY_OBJECT)?.value ?? 0;
      const value = (base ^ (4 << Math.floor(this.rand() * 4))) >>> 0;
      if (!this.hidden.has(value)) return this.picked(value);
    }
    return { value: 0xffff_ffff, label: '0xffffffff' };
  }

  /** A duplicate with exactly `rights` of a handle to an object of `type`, if one can be made. */
  private reduced(type: number, rights: number): number | undefined {
    const key = `${type}:${rights}`;
    const cached = this.reducedCache.get(key);
    if (cached !== undefined && this.table.get(cached) !== undefined && this.rand() < 0.7) {
      return cached;
    }
    for (let tries = 0; tries < 4; tries++) {
      const source = this.live(type);
      if (source === undefined) return undefined;
      const has = this.table.get(source.value)!.rights;
      if ((has & ZX_RIGHT_DUPLICATE) === 0 || (has & rights) !== rights) continue;
      const value = this.duplicate(source.value, rights);
      if (value === undefined) continue;
      this.adopt(value, null);
      this.reducedCache.set(key, value);
      return value;
    }
    return undefined;
  }

  /** A live handle of the pool (for the churn), or undefined when the pool is empty. */
  anyLive(): PoolEntry | undefined {
    return this.live(ANY_OBJECT);
  }

  /**
   * Keeps the world usable: every kind of object back in the pool, a VMAR to map into, the
   * pool small, and memory from running out (the calls may commit all they can).
   */
  maintain(): void {
    const alive = this.entries.filter((e) => this.alive(e));
    for (const e of this.entries) if (!this.alive(e)) this.noteClosed(e.value);
    this.entries.length = 0;
    this.entries.push(...alive);
    if (this.entries.length > POOL_LIMIT) {
      const base = new Set(this.keepers.map((k) => k.object));
      for (const e of this.entries.splice(0, this.entries.length - POOL_LIMIT / 2)) {
        if (base.has(e.object) && this.rand() < 0.5) this.entries.push(e);
        else this.close(e.value);
      }
    }
    const spare = this.table.get(this.spares[this.spares.length - 1]!)
      ?.object as VmAddressRegionDispatcher;
    if (!spare.region.alive) this.newSpare();
    const present = new Set(this.entries.map((e) => e.object));
    for (const keeper of this.keepers) {
      if (present.has(keeper.object)) continue;
      const value = this.duplicate(keeper.value, ZX_RIGHT_SAME_RIGHTS);
      if (value !== undefined) {
        this.adopt(value, null);
        present.add(keeper.object);
      }
    }
    const stats = this.kmem();
    if (stats.free_bytes * 3n < stats.total_bytes) this.reclaim();
  }

  private close(value: number): void {
    assert.equal(this.sys.zx_handle_close(value), ZX_OK, 'closing a handle of the pool');
    this.noteClosed(value);
  }

  /** Gives memory back: unmaps everything the calls mapped, decommits the kept VMOs. */
  private reclaim(): void {
    for (const spare of this.spares) this.sys.zx_vmar_destroy(spare);
    this.newSpare();
    for (const keeper of this.keepers) {
      if (keeper.object.type !== ZX_OBJ_TYPE_VMO) continue;
      this.sys.zx_vmo_op_range(keeper.value, ZX_VMO_OP_DECOMMIT, 0, U64_MAX & ~4095n, null, 0);
      // Pager-backed VMOs cannot decommit: their pages past a zero stream size are dropped.
      const vmo = (keeper.object as VmObjectDispatcher).vmo;
      if (pageSourceOf(vmo) !== null) this.sys.zx_vmo_set_stream_size(keeper.value, 0n);
    }
    for (const e of this.entries.splice(0)) {
      if (e.object.type === ZX_OBJ_TYPE_VMO && this.rand() < 0.5) this.close(e.value);
      else this.entries.push(e);
    }
  }

  kmem(): ZxInfoKmemStats {
    const buffer = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
    const status = this.observer.syscalls.zx_object_get_info(
      this.observerResource,
      ZX_INFO_KMEM_STATS,
      buffer,
      buffer.length,
      null,
      null,
    );
    assert.equal(status, ZX_OK, 'ZX_INFO_KMEM_STATS');
    return decodeZxInfoKmemStats(buffer);
  }

  /** Handles of the table to objects of `type` (hidden ones included). */
  private tableHandles(type: number): number[] {
    return [...this.table.values()].filter((v) => this.table.get(v)!.object.type === type);
  }

  /**
   * The end: the kernel still works, its accounts add up, closed values stayed invalid, and
   * once every handle is closed (after unmapping, unpinning and ending the other processes)
   * every page is free again.
   */
  finish(): void {
    const { sys, table } = this;
    for (const [value, at] of this.closed) {
      const named = table.get(value) !== undefined && this.clock - at < GENERATIONS;
      assert.ok(
        !named,
        `handle value ${hex(value)} names a handle ${this.clock - at} after its close`,
      );
    }
    assert.deepEqual(this.problems, [], 'problems the world saw');
    for (const value of this.tableHandles(ZX_OBJ_TYPE_PROCESS)) {
      if (table.get(value)!.object !== this.proc.object) sys.zx_handle_close(value);
    }
    for (const spare of this.spares) {
      const status = sys.zx_vmar_destroy(spare);
      assert.ok(status === ZX_OK || status === ZX_ERR_BAD_STATE, `destroying a VMAR: ${status}`);
    }
    for (const pmt of this.tableHandles(ZX_OBJ_TYPE_PMT)) sys.zx_pmt_unpin(pmt);
    for (const bti of this.tableHandles(ZX_OBJ_TYPE_BTI)) {
      const status = sys.zx_bti_release_quarantine(bti);
      assert.ok(
        status === ZX_OK || status === ZX_ERR_ACCESS_DENIED,
        `release_quarantine: ${status}`,
      );
    }
    checkAccounts(this);
    for (const s of [sys, this.observer.syscalls]) {
      const out = { value: 0 };
      assert.equal(s.zx_vmo_create(2 * PAGE, 0, out), ZX_OK, 'zx_vmo_create after fuzzing');
      const data = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) & 0xff);
      assert.equal(s.zx_vmo_write(out.value, data, 100, data.length), ZX_OK);
      const back = new Uint8Array(data.length);
      assert.equal(s.zx_vmo_read(out.value, back, 100, back.length), ZX_OK);
      assert.deepEqual(back, data);
      assert.equal(s.zx_handle_close(out.value), ZX_OK);
    }
    for (const value of [...table.values()]) {
      assert.equal(sys.zx_handle_close(value), ZX_OK, `closing ${this.labelOf(value)}`);
    }
    // What stays is kept by channels that hold themselves (an endpoint in its own queue).
    const kept = this.inFlightBytes();
    const stats = this.kmem();
    assert.equal(stats.vmo_bytes, kept, 'no VMO memory once every handle is closed');
    assert.equal(stats.free_bytes + kept, this.startFree, 'every page is free again');
  }
}
