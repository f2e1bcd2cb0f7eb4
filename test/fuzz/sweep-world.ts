// The worlds of the reasons sweep (reasons-sweep.test.ts): a kernel and a process holding a
// handle to every kind of object in every state a check looks at (rights missing, destroyed,
// uncached, pinned, discarded, nested too deep...), and mappings whose addresses serve as user
// buffers. Variants fill the handle arena, take every free page, or put the process in a job
// whose policy denies new VMOs and processes.

import assert from 'node:assert/strict';

import {
  ZX_BTI_PERM_READ,
  ZX_CACHE_POLICY_UNCACHED,
  ZX_INFO_HANDLE_BASIC,
  ZX_IOMMU_TYPE_STUB,
  ZX_JOB_POL_ABSOLUTE,
  ZX_JOB_POL_BASIC_V1,
  ZX_OK,
  ZX_POL_ACTION_DENY,
  ZX_POL_AMBIENT_MARK_VMO_EXEC,
  ZX_POL_NEW_PROCESS,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RSRC_KIND_MMIO,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_INFO_BASE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import { decodeZxInfoHandleBasic, ZX_INFO_HANDLE_BASIC_SIZE } from '../../src/abi/structs.ts';
import { Kernel } from '../../src/kernel.ts';
import type { Process } from '../../src/process.ts';

export const PAGE = 4096;
export const CAN_MAP = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC;
/** An address where nothing is mapped. */
export const UNMAPPED = 0x10_0000n;

type AnyFn = (...args: unknown[]) => unknown;

export type Variant = 'plain' | 'tight' | 'starved' | 'denied';

/** A kernel with a process that explains its errors and a handle to every kind of object. */
export interface World {
  kernel: Kernel;
  proc: Process;
  call: Record<string, AnyFn>;
  /** Handles by role: what sane arguments use. */
  h: Record<string, number>;
  /** Every handle value made, closed ones included, and some no table holds. */
  handles: number[];
  /** The addresses of a read-write and of a read-only mapping, and the sub-VMAR's base. */
  rw: bigint;
  ro: bigint;
  vmarBase: bigint;
  /** The koid of the child job (zx_object_get_child). */
  childKoid: bigint;
}

/** Makes objects through `sys`, asserting that each setup call succeeds. */
class Maker {
  private readonly sys: Record<string, AnyFn>;

  constructor(sys: Record<string, AnyFn>) {
    this.sys = sys;
  }

  /** Calls `name` with `args` and a trailing out-parameter (and `extra` ones after it). */
  make(name: string, args: unknown[], extra = 0): number[] {
    const outs = Array.from({ length: 1 + extra }, () => ({ value: 0 as number | bigint }));
    assert.equal(this.sys[name]!(...args, ...outs), ZX_OK, `${name} in the sweep's setup`);
    return outs.map((o) => Number(o.value));
  }

  one(name: string, ...args: unknown[]): number {
    return this.make(name, args)[0]!;
  }

  ok(name: string, ...args: unknown[]): void {
    assert.equal(this.sys[name]!(...args), ZX_OK, `${name} in the sweep's setup`);
  }
}

/** A job whose policy denies new VMOs, new processes and ambient executable VMOs. */
function deniedJob(m: Maker, parent: number): number {
  const job = m.one('zx_job_create', parent, 0);
  const records = new Uint8Array(24);
  const view = new DataView(records.buffer);
  [ZX_POL_NEW_VMO, ZX_POL_NEW_PROCESS, ZX_POL_AMBIENT_MARK_VMO_EXEC].forEach((condition, i) => {
    view.setUint32(i * 8, condition, true);
    view.setUint32(i * 8 + 4, ZX_POL_ACTION_DENY, true);
  });
  m.ok('zx_job_set_policy', job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V1, records, 3);
  return job;
}

function koidOf(sys: Record<string, AnyFn>, handle: number): bigint {
  const bytes = new Uint8Array(ZX_INFO_HANDLE_BASIC_SIZE);
  sys.zx_object_get_info!(handle, ZX_INFO_HANDLE_BASIC, bytes, bytes.length, null, null);
  return decodeZxInfoHandleBasic(bytes).koid;
}

/** A new world of `variant`, its handle values drawn from `seed`. */
export function newWorld(seed: number, variant: Variant): World {
  const memory = 8 * 1024 * 1024;
  // A full arena is cheap to reach with a small one.
  const maxHandles = variant === 'tight' ? 96 : undefined;
  const kernel = new Kernel({ memoryBytes: memory, seed, reclaimWatermarkBytes: 0, maxHandles });
  let proc = kernel.createProcess({ name: 'sweep' });
  if (variant === 'denied') {
    const host = new Maker(proc.syscalls as unknown as Record<string, AnyFn>);
    const job = deniedJob(host, proc.job);
    const [child] = host.make('zx_process_create', [job, new Uint8Array(1), 1, 0], 1);
    proc = kernel.processFor(proc, child!);
  }
  const sys = proc.syscalls as unknown as Record<string, AnyFn>;
  const m = new Maker(sys);
  const h: Record<string, number> = { job: proc.job, self: proc.self, root: proc.rootVmar };
  h.resource = kernel.grantSystemResource(proc);
  h.jobNoRights = m.one('zx_handle_duplicate', h.job, 0);
  h.childJob = m.one('zx_job_create', h.job, 0);
  // Jobs nested as deep as they go: none may be made under the last.
  let deep = h.childJob;
  for (let next = { value: 0 }; sys.zx_job_create!(deep, 0, next) === ZX_OK; ) deep = next.value;
  h.deepJob = deep;
  const name = new Uint8Array(4);
  const mmio = BigInt(kernel.core.pmm.mmioFirstFrame) * 4096n;
  h.mmio = m.one('zx_resource_create', h.resource, ZX_RSRC_KIND_MMIO, mmio, PAGE, name, 4);
  h.info = m.one(
    'zx_resource_create',
    h.resource,
    ZX_RSRC_KIND_SYSTEM,
    ZX_RSRC_SYSTEM_INFO_BASE,
    1n,
    name,
    4,
  );
  h.iommu = m.one('zx_iommu_create', h.resource, ZX_IOMMU_TYPE_STUB, new Uint8Array(1), 1);
  h.bti = m.one('zx_bti_create', h.iommu, 0, 0);
  h.btiNoRights = m.one('zx_handle_duplicate', h.bti, 0);
  const [vmar, vmarBase] = m.make('zx_vmar_allocate', [h.root, CAN_MAP, 0, 64 * PAGE], 1);
  h.vmar = vmar!;
  h.vmarNoRights = m.one('zx_handle_duplicate', h.vmar, 0);
  h.deadVmar = m.make('zx_vmar_allocate', [h.root, CAN_MAP, 0, 4 * PAGE], 1)[0]!;
  m.ok('zx_vmar_destroy', h.deadVmar);
  // Ports, channels and pagers: policy lets every variant make them.
  h.port = m.one('zx_port_create', 0);
  h.portNoRights = m.one('zx_handle_duplicate', h.port, 0);
  [h.channel, h.peer] = m.make('zx_channel_create', [0], 1) as [number, number];
  // A message waits on the channel.
  m.ok('zx_channel_write', h.peer, 0, new Uint8Array(24).fill(3), 24, null, 0);
  // Channels and pagers have no ZX_RIGHT_DUPLICATE: handles without rights come by replacing.
  h.channelNoRights = m.one('zx_handle_replace', m.make('zx_channel_create', [0], 1)[0], 0);
  const [lonely, gone] = m.make('zx_channel_create', [0], 1) as [number, number];
  m.ok('zx_handle_close', gone);
  h.peerClosed = lonely;
  h.pager = m.one('zx_pager_create', 0);
  h.pagerNoRights = m.one('zx_handle_replace', m.one('zx_pager_create', 0), 0);
  let rw = UNMAPPED;
  let ro = UNMAPPED;
  if (variant !== 'denied') {
    h.vmo = m.one('zx_vmo_create', 3 * PAGE + 5, 0);
    h.resizable = m.one('zx_vmo_create', 2 * PAGE, ZX_VMO_RESIZABLE);
    h.discardable = m.one('zx_vmo_create', 2 * PAGE, ZX_VMO_DISCARDABLE);
    // Locked once and written, then unlocked: reclaimable, and discarded when memory runs out.
    m.ok('zx_vmo_op_range', h.discardable, ZX_VMO_OP_LOCK, 0, 2 * PAGE, new Uint8Array(32), 32);
    m.ok('zx_vmo_write', h.discardable, new Uint8Array(8).fill(1), 0, 8);
    m.ok('zx_vmo_op_range', h.discardable, ZX_VMO_OP_UNLOCK, 0, 2 * PAGE, null, 0);
    h.uncached = m.one('zx_vmo_create', 2 * PAGE, 0);
    m.ok('zx_vmo_set_cache_policy', h.uncached, ZX_CACHE_POLICY_UNCACHED);
    h.readOnly = m.one('zx_handle_duplicate', h.vmo, ZX_RIGHT_READ);
    h.noRights = m.one('zx_handle_duplicate', h.vmo, 0);
    h.snapshot = m.one('zx_vmo_create_child', h.vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    m.ok('zx_vmo_write', h.vmo, new Uint8Array(PAGE).fill(2), 0, PAGE);
    h.slice = m.one('zx_vmo_create_child', h.vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    h.physical = m.one('zx_vmo_create_physical', h.resource, mmio, PAGE);
    h.contiguous = m.one('zx_vmo_create_contiguous', h.bti, 2 * PAGE, 0);
    h.pinned = m.one('zx_vmo_create', 2 * PAGE, 0);
    h.pmt = m.one('zx_bti_pin', h.bti, ZX_BTI_PERM_READ, h.pinned, 0, PAGE, new Uint8Array(8), 1);
    const [process, processVmar] = m.make('zx_process_create', [h.job, name, 4, 0], 1);
    h.childProcess = process!;
    h.childVmar = processVmar!;
    // The sub-VMAR's first two pages show the VMO; mappings of the root VMAR serve as buffers.
    const rwPerms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    m.one('zx_vmar_map', h.vmar, rwPerms | ZX_VM_SPECIFIC, 0, h.vmo, 0, 2 * PAGE);
    rw = BigInt(m.one('zx_vmar_map', h.root, rwPerms, 0, h.vmo, 0, 2 * PAGE));
    ro = BigInt(m.one('zx_vmar_map', h.root, ZX_VM_PERM_READ, 0, h.vmo, 0, PAGE));
    // A pager VMO with every page supplied, a read-only handle to it, and a detached one.
    h.pagerVmo = m.one('zx_pager_create_vmo', h.pager, 0, h.port, 1n, 4 * PAGE);
    const aux = m.one('zx_vmo_create', 4 * PAGE, 0);
    m.ok('zx_pager_supply_pages', h.pager, h.pagerVmo, 0, 4 * PAGE, aux, 0);
    m.ok('zx_handle_close', aux);
    h.pagerVmoReadOnly = m.one('zx_handle_duplicate', h.pagerVmo, ZX_RIGHT_READ);
    h.detachedVmo = m.one('zx_pager_create_vmo', h.pager, 0, h.port, 2n, 2 * PAGE);
    m.ok('zx_pager_detach_vmo', h.pager, h.detachedVmo);
    h.closed = m.one('zx_vmo_create', PAGE, 0);
    m.ok('zx_handle_close', h.closed);
  }
  if (variant === 'tight') {
    // Fill the arena: every call that makes a handle then finds it full.
    const arena = kernel.core.handleArena;
    while (arena.count < arena.capacity) m.one('zx_handle_duplicate', h.job, ZX_RIGHT_SAME_RIGHTS);
  }
  if (variant === 'starved') {
    // Every free page, and the discardable VMO's (reclaimed for it), goes to one VMO.
    const pages = kernel.core.pmm.freeFrames + 1;
    const filler = m.one('zx_vmo_create', pages * PAGE, 0);
    m.ok('zx_vmo_op_range', filler, ZX_VMO_OP_COMMIT, 0, pages * PAGE, null, 0);
  }
  proc.explain(true);
  const childKoid = koidOf(sys, h.childJob);
  // Made-up values: one with a fixed bit clear (never a handle), one well formed.
  const handles = [...Object.values(h), 0, 0xffff_ffff, 0x1234_5670, 0x1234_5673];
  return { kernel, proc, call: sys, h, handles, rw, ro, vmarBase: BigInt(vmarBase!), childKoid };
}
