// A small kernel (16 MiB) holding every kind of VMO with a few pages committed far apart, a huge
// sub-VMAR with mappings of them, and a BTI: the ground on which the hardening tests throw
// ranges up to 2^64. Also the time budget every call must keep, and the statuses Zircon gives
// for zx_vmo_op_range on such ranges.

import assert from 'node:assert/strict';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_UNAVAILABLE,
  ZX_IOMMU_TYPE_STUB,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_STATUS_NAMES,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_MAP_RANGE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_CACHE_CLEAN,
  ZX_VMO_OP_CACHE_CLEAN_INVALIDATE,
  ZX_VMO_OP_CACHE_INVALIDATE,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
} from '../../src/abi/constants.ts';
import type { Kernel } from '../../src/kernel.ts';
import type { VmObjectDispatcher } from '../../src/object/vm-object-dispatcher.ts';
import type { Process } from '../../src/process.ts';
import type { Syscalls } from '../../src/syscalls/index.ts';
import { VMO_MAX_SIZE } from '../../src/vm/vm-object.ts';
import { VmObjectPaged } from '../../src/vm/vm-object-paged.ts';
import {
  createVmo,
  expectStatus,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  statusName,
  systemResource,
} from '../helpers.ts';
import { allocate, map, mmioBase } from './vmar/vmar-helpers.ts';

export const U64_MAX = (1n << 64n) - 1n;
export { VMO_MAX_SIZE };
export const MEMORY_BYTES = 16 * 1024 * 1024;
export const FRAMES = MEMORY_BYTES / PAGE;
/**
 * Each call's budget: far below the old per-page loops (2 s for COMMIT of 1 TiB of a snapshot,
 * about 300 s for 2^47 bytes) and generous for a shared two-core machine. The slowest calls are
 * those whose work is bounded by memory (a user copy that fills all 4096 pages): about 10 ms of
 * CPU here, seen at over 100 ms when the machine is loaded and the collector runs meanwhile.
 */
export const BUDGET_MS = 250;

/** The slowest call timed so far (reported by the tests). */
export const slowest = { label: '', ms: 0 };

export type VmoKind =
  | 'plain'
  | 'unbounded'
  | 'resizable'
  | 'discardable'
  | 'snapshot'
  | 'snapshot2'
  | 'slice'
  | 'reference'
  | 'contiguous'
  | 'physical'
  | 'pager'
  | 'pagerDirty'
  | 'pagerDetached';

/** The pager-backed kinds: a host call that needs their missing pages gets SHOULD_WAIT. */
export const PAGER_KINDS: readonly VmoKind[] = ['pager', 'pagerDirty', 'pagerDetached'];

export interface World {
  kernel: Kernel;
  proc: Process;
  sys: Syscalls;
  /** KMEM free bytes before anything was made. */
  freeAtStart: bigint;
  vmos: Record<VmoKind, number>;
  bti: number;
  /** The pager of the pager-backed kinds, the port its requests go to, and an aux VMO. */
  pager: number;
  port: number;
  aux: number;
  /** A 2^46-byte sub-VMAR, and the mappings in it. */
  vmar: number;
  vmarBase: bigint;
  /** Handles made during the run (children kept, PMTs), closed or unpinned at the end. */
  extra: number[];
  pmts: number[];
}

const TAG = new Uint8Array([1, 2, 3, 4]);

/** Runs `call`, failing the test when it took longer than the budget; returns its status. */
export function timed(label: string, call: () => number): number {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const status = call();
  const wall = performance.now() - wall0;
  const used = process.cpuUsage(cpu0);
  // Wall time counts other work on a shared machine, CPU time the collector's helper threads:
  // the call is over budget only when both say so.
  const spent = Math.min(wall, (used.user + used.system) / 1000);
  if (spent > slowest.ms) Object.assign(slowest, { label, ms: spent });
  assert.ok(spent < BUDGET_MS, `${label} took ${spent.toFixed(1)} ms (${statusName(status)})`);
  assert.ok(ZX_STATUS_NAMES[status] !== undefined, `${label} gave unknown status ${status}`);
  return status;
}

function snapshot(sys: Syscalls, parent: number, options: number, offset: bigint, size: bigint) {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create_child(parent, options, offset, size, handle), ZX_OK, 'child');
  return handle.value;
}

/** A kernel and process that worlds are made in, one after the other. */
export interface Base {
  kernel: Kernel;
  proc: Process;
  sys: Syscalls;
}

/**
 * A 16 MiB kernel whose simulated RAM has all been written once. The host backs it with memory
 * it touches on first use, which costs this machine tens of microseconds a page: timed calls
 * should measure the kernel's work, not the host's page faults.
 */
export function warmKernel(): Base {
  const { kernel, proc, sys } = newProcess(newKernel({ memoryBytes: MEMORY_BYTES }));
  const free = Number(kmemStats(kernel, proc).free_bytes);
  const vmo = createVmo(sys, free);
  expectStatus(sys.zx_vmo_write(vmo, new Uint8Array(free).fill(1), 0, free), ZX_OK, 'fill');
  expectStatus(sys.zx_handle_close(vmo), ZX_OK);
  const base = { kernel, proc, sys };
  if (!warmedUp) warmUp(base);
  return base;
}

let warmedUp = false;

/**
 * Runs, twice each, the calls whose work is bounded by memory (up to every page of it), so
 * that they are compiled before anything is timed: run cold, a page costs ten times more.
 */
function warmUp(base: Base): void {
  warmedUp = true;
  const pages = BigInt(FRAMES) * 4096n;
  const fills: ((w: World) => void)[] = [
    (w) => w.sys.zx_vmo_read(w.vmos.plain, w.vmarBase, 0, 1n << 40n),
    (w) => w.sys.zx_vmo_write(w.vmos.snapshot, w.vmarBase + (3n << 44n), 0, 1n << 40n),
    (w) => w.sys.zx_vmo_op_range(w.vmos.unbounded, ZX_VMO_OP_COMMIT, 0, pages, null, 0),
    (w) => w.sys.zx_vmo_op_range(w.vmos.snapshot2, ZX_VMO_OP_COMMIT, 0, pages / 2n, null, 0),
    (w) => {
      for (const op of [ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_MAP_RANGE, ZX_VMAR_OP_DECOMMIT]) {
        w.sys.zx_vmar_op_range(w.vmar, op, w.vmarBase, pages / 2n, null, 0);
      }
    },
    (w) => {
      const count = FRAMES / 2;
      const pmt = out(0);
      const addrs = new Uint8Array(count * 8);
      const status = w.sys.zx_bti_pin(w.bti, 1, w.vmos.plain, 0, pages / 2n, addrs, count, pmt);
      if (status === ZX_OK) w.pmts.push(pmt.value);
    },
  ];
  for (let round = 0; round < 2; round++) {
    for (const fill of fills) {
      const w = makeWorld(base);
      fill(w);
      closeWorld(w);
    }
  }
}

/** Builds a world in `base`; nothing in it is timed. */
export function makeWorld(base: Base): World {
  const { kernel, proc, sys } = base;
  const resource = systemResource(kernel, proc);
  const freeAtStart = kmemStats(kernel, proc).free_bytes;
  const write = (h: number, offset: bigint) =>
    expectStatus(sys.zx_vmo_write(h, TAG, offset, TAG.length), ZX_OK, 'write');

  const plain = createVmo(sys, 1n << 62n);
  for (const at of [0n, 5n * 4096n, 1n << 40n, (1n << 62n) - 4096n]) write(plain, at);
  const unbounded = createVmo(sys, 0, ZX_VMO_UNBOUNDED);
  for (const at of [0n, 1n << 50n, VMO_MAX_SIZE - 4096n]) write(unbounded, at);
  const resizable = createVmo(sys, 1n << 52n, ZX_VMO_RESIZABLE);
  for (const at of [3n * 4096n, 1n << 51n]) write(resizable, at);
  const discardable = createVmo(sys, 1n << 40n, ZX_VMO_DISCARDABLE);
  const snap = snapshot(sys, unbounded, ZX_VMO_CHILD_SNAPSHOT, 0n, 1n << 62n);
  write(snap, 7n * 4096n);
  write(snap, 1n << 50n);
  const snap2 = snapshot(sys, snap, ZX_VMO_CHILD_SNAPSHOT, 4096n, 1n << 61n);
  write(snap2, 9n * 4096n);
  const slice = snapshot(sys, plain, ZX_VMO_CHILD_SLICE, 1n << 39n, 1n << 61n);
  const reference = snapshot(sys, resizable, ZX_VMO_CHILD_REFERENCE, 0n, 0n);

  // Pager-backed VMOs: 2^62 bytes with pages supplied far apart (one of them written), an
  // unbounded TRAP_DIRTY one with a dirty page and a dirty zero range, and a detached one.
  const aux = createVmo(sys, 1n << 62n);
  const pager = out(0);
  expectStatus(sys.zx_pager_create(0, pager), ZX_OK, 'pager');
  const port = out(0);
  expectStatus(sys.zx_port_create(0, port), ZX_OK, 'port');
  const pagerVmo = (options: number, size: bigint, supplied: bigint[]) => {
    const handle = out(0);
    const status = sys.zx_pager_create_vmo(pager.value, options, port.value, 1n, size, handle);
    expectStatus(status, ZX_OK, 'zx_pager_create_vmo');
    for (const at of supplied) {
      write(aux, at);
      const moved = sys.zx_pager_supply_pages(pager.value, handle.value, at, 4096n, aux, at);
      expectStatus(moved, ZX_OK, 'supply');
    }
    return handle.value;
  };
  const paged = pagerVmo(0, 1n << 62n, [0n, 1n << 40n, (1n << 62n) - 4096n]);
  write(paged, 1n << 40n);
  const pagedDirty = pagerVmo(ZX_VMO_TRAP_DIRTY | ZX_VMO_UNBOUNDED, 0n, [0n, 1n << 50n]);
  const dirtied = sys.zx_pager_op_range(pager.value, ZX_PAGER_OP_DIRTY, pagedDirty, 0n, 4096n, 0n);
  expectStatus(dirtied, ZX_OK, 'OP_DIRTY');
  expectStatus(sys.zx_vmo_write(pagedDirty, TAG, 0n, TAG.length), ZX_OK, 'write');
  expectStatus(
    sys.zx_vmo_op_range(pagedDirty, ZX_VMO_OP_ZERO, 1n << 45n, 1n << 44n, null, 0),
    ZX_OK,
    'ZERO',
  );
  const detached = pagerVmo(0, 1n << 52n, [3n * 4096n]);
  expectStatus(sys.zx_pager_detach_vmo(pager.value, detached), ZX_OK, 'detach');

  const iommu = out(0);
  expectStatus(
    sys.zx_iommu_create(resource, ZX_IOMMU_TYPE_STUB, new Uint8Array(1), 1, iommu),
    ZX_OK,
  );
  const bti = out(0);
  expectStatus(sys.zx_bti_create(iommu.value, 0, 0, bti), ZX_OK);
  sys.zx_handle_close(iommu.value);
  const contiguous = out(0);
  expectStatus(sys.zx_vmo_create_contiguous(bti.value, 64 * PAGE, 0, contiguous), ZX_OK);
  const physical = out(0);
  expectStatus(sys.zx_vmo_create_physical(resource, mmioBase(kernel), 256 * PAGE, physical), ZX_OK);

  const flags = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC;
  const vmar = allocate(sys, proc.rootVmar, flags, 0, 1n << 46n);
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_SPECIFIC;
  const at = (offset: bigint) => offset;
  map(sys, vmar.handle, rw, at(0n), unbounded, 0, 1n << 44n);
  map(sys, vmar.handle, rw, at(1n << 44n), snap, 0, 1n << 43n);
  map(sys, vmar.handle, rw | ZX_VM_MAP_RANGE, at(3n << 43n), contiguous.value, 0, 64 * PAGE);
  map(sys, vmar.handle, rw | ZX_VM_MAP_RANGE, at(1n << 45n), physical.value, 0, 256 * PAGE);
  map(sys, vmar.handle, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, at(3n << 44n), plain, 0, 1n << 42n);
  map(sys, vmar.handle, rw, at(9n << 42n), paged, 0, 1n << 42n);
  for (const offset of [0n, 1n << 40n, (1n << 44n) + 7n * 4096n, (1n << 44n) + (1n << 42n)]) {
    expectStatus(proc.store(vmar.addr + offset, TAG), ZX_OK, 'store');
  }
  return {
    kernel,
    proc,
    sys,
    freeAtStart,
    vmos: {
      plain,
      unbounded,
      resizable,
      discardable,
      snapshot: snap,
      snapshot2: snap2,
      slice,
      reference,
      contiguous: contiguous.value,
      physical: physical.value,
      pager: paged,
      pagerDirty: pagedDirty,
      pagerDetached: detached,
    },
    bti: bti.value,
    pager: pager.value,
    port: port.value,
    aux,
    vmar: vmar.handle,
    vmarBase: vmar.addr,
    extra: [],
    pmts: [],
  };
}

/** Unpins, unmaps and closes everything; then every page must be free again. */
export function closeWorld(w: World): void {
  const { sys } = w;
  for (const pmt of w.pmts) expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK, 'unpin');
  w.pmts.length = 0;
  const destroyed = sys.zx_vmar_destroy(w.vmar);
  assert.ok(destroyed === ZX_OK || destroyed === ZX_ERR_BAD_STATE, statusName(destroyed));
  const handles = [...w.extra, ...Object.values(w.vmos), w.bti, w.vmar, w.pager, w.port, w.aux];
  w.extra.length = 0;
  for (const h of handles) expectStatus(sys.zx_handle_close(h), ZX_OK, 'close');
  const end = kmemStats(w.kernel, w.proc);
  assert.equal(end.vmo_bytes, 0n, 'VMO pages left');
  assert.equal(end.free_bytes, w.freeAtStart, 'free memory did not come back');
}

/** After a failure: lets go of everything the world holds, checking nothing. */
export function disposeWorld(w: World): void {
  for (const pmt of w.pmts) w.sys.zx_pmt_unpin(pmt);
  w.sys.zx_vmar_destroy(w.vmar);
  const handles = [...w.extra, ...Object.values(w.vmos), w.bti, w.vmar, w.pager, w.port, w.aux];
  for (const h of handles) w.sys.zx_handle_close(h);
}

export const VMO_OPS = [
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_CACHE_INVALIDATE,
  ZX_VMO_OP_CACHE_CLEAN,
  ZX_VMO_OP_CACHE_CLEAN_INVALIDATE,
  ZX_VMO_OP_ZERO,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_PREFETCH,
];

function roundUp(value: bigint): bigint {
  return (value + 4095n) & ~4095n;
}

/**
 * The statuses zx_vmo_op_range may give for `op` over [offset, offset + length) of a VMO of
 * `size` bytes with every right (the checks in Zircon's order). A range needing more pages than
 * the kernel has is NO_MEMORY for COMMIT: the call must say so at once.
 */
export function opStatuses(
  w: World,
  kind: VmoKind,
  op: number,
  offset: bigint,
  length: bigint,
): number[] {
  return withPager(kind, anonymousOpStatuses(w, kind, op, offset, length));
}

/**
 * A pager-backed VMO may, where the call gets as far as its pages, ask its pager for them
 * (SHOULD_WAIT: the host never waits) or find itself detached with pages missing (BAD_STATE).
 */
function withPager(kind: VmoKind, statuses: number[]): number[] {
  if (!PAGER_KINDS.includes(kind)) return statuses;
  const far = statuses.some((s) => s === ZX_OK || s === ZX_ERR_NO_MEMORY || s === ZX_ERR_NOT_FOUND);
  return far ? [...statuses, ZX_ERR_SHOULD_WAIT, ZX_ERR_BAD_STATE] : statuses;
}

function anonymousOpStatuses(
  w: World,
  kind: VmoKind,
  op: number,
  offset: bigint,
  length: bigint,
): number[] {
  const handle = w.vmos[kind];
  const size = out(0n);
  expectStatus(w.sys.zx_vmo_get_size(handle, size), ZX_OK);
  // Any kind of VMO, device memory included (no copy-on-write node, never discarded).
  const vmo = (w.proc.object.handles.get(handle)!.object as VmObjectDispatcher).vmo;
  const discarded = vmo instanceof VmObjectPaged && vmo.isDiscarded;
  const end = offset + length;
  const physical = kind === 'physical';
  const contiguous = physical || kind === 'contiguous';
  switch (op) {
    case ZX_VMO_OP_COMMIT: {
      if (physical) return [ZX_ERR_NOT_SUPPORTED];
      if (end > U64_MAX || roundUp(end) > U64_MAX || roundUp(end) > size.value) {
        return [ZX_ERR_OUT_OF_RANGE];
      }
      const pages = (roundUp(end) >> 12n) - (offset >> 12n);
      if (pages === 0n) return [ZX_OK];
      if (discarded) return [ZX_ERR_NOT_FOUND];
      return pages > BigInt(2 * FRAMES) ? [ZX_ERR_NO_MEMORY] : [ZX_OK, ZX_ERR_NO_MEMORY];
    }
    case ZX_VMO_OP_DECOMMIT:
      if (contiguous) return [ZX_ERR_NOT_SUPPORTED];
      if (end > U64_MAX || end > size.value) return [ZX_ERR_OUT_OF_RANGE];
      if (length === 0n) return [ZX_OK];
      if (!vmo.canDecommit) return [ZX_ERR_NOT_SUPPORTED];
      if ((offset & 4095n) !== 0n || (length & 4095n) !== 0n) return [ZX_ERR_INVALID_ARGS];
      return [ZX_OK, ZX_ERR_BAD_STATE];
    case ZX_VMO_OP_ZERO:
      if (physical) return [ZX_ERR_NOT_SUPPORTED];
      if (length === 0n) return [ZX_OK];
      if (end > U64_MAX || end > size.value) return [ZX_ERR_OUT_OF_RANGE];
      // Partial pages of a snapshot may need a fork (memory), of a discarded VMO are NOT_FOUND.
      return [ZX_OK, ZX_ERR_NO_MEMORY, ZX_ERR_NOT_FOUND];
    case ZX_VMO_OP_LOCK:
    case ZX_VMO_OP_TRY_LOCK:
    case ZX_VMO_OP_UNLOCK:
      if (kind !== 'discardable') return [ZX_ERR_NOT_SUPPORTED];
      if (end > U64_MAX || offset !== 0n || length !== size.value) return [ZX_ERR_OUT_OF_RANGE];
      return [ZX_OK, ZX_ERR_UNAVAILABLE, ZX_ERR_BAD_STATE, ZX_ERR_INVALID_ARGS];
    case ZX_VMO_OP_CACHE_SYNC:
    case ZX_VMO_OP_CACHE_CLEAN:
    case ZX_VMO_OP_CACHE_CLEAN_INVALIDATE:
      if (physical) return [ZX_ERR_NOT_SUPPORTED];
      if (length === 0n) return [ZX_ERR_INVALID_ARGS];
      return end > U64_MAX || end > size.value ? [ZX_ERR_OUT_OF_RANGE] : [ZX_OK];
    case ZX_VMO_OP_CACHE_INVALIDATE:
      return [ZX_ERR_NOT_SUPPORTED];
    case ZX_VMO_OP_DONT_NEED:
    case ZX_VMO_OP_ALWAYS_NEED:
      // Only pager-backed VMOs look at the range of a hint.
      if (!PAGER_KINDS.includes(kind)) return [ZX_OK];
      return end > U64_MAX || end > size.value ? [ZX_ERR_OUT_OF_RANGE] : [ZX_OK];
    case ZX_VMO_OP_PREFETCH:
      return end > U64_MAX || roundUp(end) > U64_MAX || roundUp(end) > size.value
        ? [ZX_ERR_OUT_OF_RANGE]
        : [ZX_OK];
    default:
      return [ZX_ERR_INVALID_ARGS];
  }
}

/**
 * The statuses of zx_vmo_read or zx_vmo_write of `length` bytes at `offset` into a 64-byte host
 * buffer: the range checks, then NOT_FOUND for a buffer too short (where Zircon would fault).
 */
export function ioStatuses(
  w: World,
  kind: VmoKind,
  write: boolean,
  offset: bigint,
  length: bigint,
): number[] {
  if (kind === 'physical') return [ZX_ERR_NOT_SUPPORTED];
  const size = out(0n);
  expectStatus(w.sys.zx_vmo_get_size(w.vmos[kind], size), ZX_OK);
  if (offset + length > U64_MAX || offset + length > size.value) return [ZX_ERR_OUT_OF_RANGE];
  if (length === 0n) return [ZX_OK];
  const target = (w.proc.object.handles.get(w.vmos[kind])!.object as VmObjectDispatcher).vmo;
  const discarded = target instanceof VmObjectPaged && target.isDiscarded;
  if (length > 64n || discarded) return withPager(kind, [ZX_ERR_NOT_FOUND]);
  return withPager(kind, write ? [ZX_OK, ZX_ERR_NO_MEMORY] : [ZX_OK]);
}

/** The statuses of zx_vmo_set_size(`size`) (only the resizable VMO has the RESIZE right). */
export function setSizeStatuses(kind: VmoKind, size: bigint): number[] {
  if (kind === 'reference') return [ZX_ERR_ACCESS_DENIED];
  if (kind === 'contiguous' || kind === 'physical') return [ZX_ERR_UNAVAILABLE];
  if (roundUp(size) > U64_MAX) return [ZX_ERR_OUT_OF_RANGE];
  if (kind !== 'resizable') return [ZX_ERR_UNAVAILABLE];
  if (roundUp(size) > VMO_MAX_SIZE) return [ZX_ERR_OUT_OF_RANGE];
  // Shrinking over pinned pages is BAD_STATE; every pin here is undone at once.
  return [ZX_OK];
}

/** Statuses any range call may give on this world (rights are all there). */
export const RANGE_STATUSES = new Set([
  ZX_OK,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_UNAVAILABLE,
]);
