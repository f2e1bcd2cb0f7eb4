// Helpers for the child-VMO tests: making children that must succeed, page tags (a u32 at the
// start of each page, like Zircon's InitPageTaggedVmo), attribution sums, the signal state, and
// the debug checks of the copy-on-write tree behind a handle.

import assert from 'node:assert/strict';

import {
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_TIME_INFINITE_PAST,
  ZX_VMO_ZERO_CHILDREN,
} from '../../../src/abi/constants.ts';
import type { Kernel } from '../../../src/kernel.ts';
import type { VmObjectDispatcher } from '../../../src/object/vm-object-dispatcher.ts';
import type { Process } from '../../../src/process.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { FRACTION_ONE, nodeAttribution } from '../../../src/vm/cow-attribution.ts';
import { checkCowTree } from '../../../src/vm/cow-invariants.ts';
import type { VmCowPages } from '../../../src/vm/cow-pages.ts';
import { VmObjectPaged } from '../../../src/vm/vm-object-paged.ts';
import { expectStatus, kmemStats, out, PAGE, vmoInfo } from '../../helpers.ts';

/** zx_vmo_create_child that must succeed; returns the child's handle. */
export function child(
  sys: Syscalls,
  parent: number,
  options: number,
  offset: number | bigint,
  size: number | bigint,
): number {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create_child(parent, options, offset, size, handle), ZX_OK, 'child');
  return handle.value;
}

/** zx_vmo_create_child that must fail with `status`, writing no handle. */
export function childFails(
  sys: Syscalls,
  parent: number,
  options: number,
  offset: number | bigint,
  size: number | bigint,
  status: number,
  message?: string,
): void {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create_child(parent, options, offset, size, handle), status, message);
  assert.equal(handle.value, 0, 'a failed create_child wrote a handle');
}

/** Writes tag `first + i` (a u32) at the start of page i, for i < count. */
export function tagPages(sys: Syscalls, handle: number, count: number, first = 1): void {
  for (let i = 0; i < count; i++) writeTag(sys, handle, i, first + i);
}

export function writeTag(sys: Syscalls, handle: number, page: number, tag: number): void {
  const bytes = new Uint8Array(4);
  new DataView(bytes.buffer).setUint32(0, tag, true);
  expectStatus(sys.zx_vmo_write(handle, bytes, page * PAGE, 4), ZX_OK, 'write tag');
}

export function readTag(sys: Syscalls, handle: number, page: number): number {
  const bytes = new Uint8Array(4);
  expectStatus(sys.zx_vmo_read(handle, bytes, page * PAGE, 4), ZX_OK, 'read tag');
  return new DataView(bytes.buffer).getUint32(0, true);
}

/** The tags of pages [0, count). */
export function tags(sys: Syscalls, handle: number, count: number): number[] {
  return Array.from({ length: count }, (_, page) => readTag(sys, handle, page));
}

/** populated_scaled_bytes (the integral part), as Zircon's VmoPopulatedBytes reads it. */
export function scaled(sys: Syscalls, handle: number): bigint {
  return vmoInfo(sys, handle).populated_scaled_bytes;
}

/** The kernel object behind a handle of `proc`, whose VMO is a paged one. */
export function vmoObject(
  proc: Process,
  handle: number,
): VmObjectDispatcher & { readonly vmo: VmObjectPaged } {
  const entry = proc.object.handles.get(handle);
  assert.ok(entry !== undefined, 'no such handle');
  const object = entry.object as VmObjectDispatcher;
  assert.ok(object.vmo instanceof VmObjectPaged, 'not a paged VMO');
  return object as VmObjectDispatcher & { readonly vmo: VmObjectPaged };
}

/** Runs the tree's debug checks (share counts, links, skip lists) for the VMO of a handle. */
export function checkTree(proc: Process, handle: number): void {
  checkCowTree(vmoObject(proc, handle).vmo.cow);
}

/**
 * Checks that the scaled attribution of the VMOs behind `handles` (each object once), with
 * fractions summed and carried, adds up to the memory VMOs hold (KMEM vmo_bytes) within the
 * per-page truncation (less than a byte), and that no VMO is charged more than it can see.
 * Slices and references are charged nothing, as in Zircon; pages they alone keep alive (their
 * parent VMO is gone) are charged to nobody, so this adds what their node holds, counted as
 * its owner would be.
 */
export function checkAttributionSum(kernel: Kernel, proc: Process, handles: number[]): void {
  const sys = proc.syscalls;
  const seen = new Set<VmObjectDispatcher>();
  const orphans = new Set<VmCowPages>();
  let integral = 0n;
  let fraction = 0n;
  for (const handle of handles) {
    const object = vmoObject(proc, handle);
    if (seen.has(object)) continue;
    seen.add(object);
    const info = vmoInfo(sys, handle);
    assert.ok(info.populated_bytes <= info.size_bytes, 'charged more than the VMO can see');
    assert.ok(info.populated_private_bytes <= info.populated_scaled_bytes + 1n);
    assert.ok(info.populated_scaled_bytes <= info.populated_bytes);
    integral += info.populated_scaled_bytes;
    fraction += info.populated_fractional_scaled_bytes;
    checkCowTree(object.vmo.cow);
    const node = object.vmo.cow;
    const orphan = node.views.every(
      (v) => (v as VmObjectPaged).isSlice || (v as VmObjectPaged).isReference,
    );
    if (orphan && !orphans.has(node)) {
      orphans.add(node);
      const a = nodeAttribution(node);
      integral += a.populatedScaledBytes;
      fraction += a.populatedFractionalScaledBytes;
    }
  }
  const total = integral + (fraction + FRACTION_ONE - 1n) / FRACTION_ONE;
  assert.equal(total, kmemStats(kernel, proc).vmo_bytes, 'scaled attribution != memory held');
}

/** True when ZX_VMO_ZERO_CHILDREN is active on the VMO. */
export function hasZeroChildren(sys: Syscalls, handle: number): boolean {
  const observed = out(0);
  const status = sys.zx_object_wait_one(
    handle,
    ZX_VMO_ZERO_CHILDREN,
    ZX_TIME_INFINITE_PAST,
    observed,
  );
  assert.ok(status === ZX_OK || status === ZX_ERR_TIMED_OUT, `wait_one gave ${status}`);
  return status === ZX_OK;
}

/** Every permutation of [0, n). */
export function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const result: number[][] = [];
  for (const rest of permutations(n - 1)) {
    for (let i = 0; i <= rest.length; i++)
      result.push([...rest.slice(0, i), n - 1, ...rest.slice(i)]);
  }
  return result;
}
