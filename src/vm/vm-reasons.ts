// The words of the VM layer's reasons (src/util/reason.ts): ranges against a VMO's size, and
// the states that refuse an operation. Each formatter gets the values it prints as arguments.

import { ZX_ERR_OUT_OF_RANGE } from '../abi/constants.ts';
import { because, hex } from '../util/reason.ts';
import { VMO_MAX_SIZE, type VmObject } from './vm-object.ts';

/** ZX_ERR_OUT_OF_RANGE: `what` (offset + length) ends at `end`, past the VMO's `size`. */
export function outOfRange(what: string, end: bigint | number, size: bigint | number): number {
  return because(ZX_ERR_OUT_OF_RANGE, pastEnd, what, end, size);
}

/** ZX_ERR_OUT_OF_RANGE: `what` (offset + length) overflows 64 bits. */
export function overflow(what: string, offset: bigint | number, length: bigint | number): number {
  return because(ZX_ERR_OUT_OF_RANGE, overflows, what, offset, length);
}

/** `offset + size (0x3000) is past the VMO's size (0x2000)` */
export function pastEnd(what: string, end: bigint | number, size: bigint | number): string {
  return `${what} (${hex(end)}) is past the VMO's size (${hex(size)})`;
}

/** `offset + size (0xffff... + 0x2000) overflows 64 bits` */
export function overflows(what: string, offset: bigint | number, length: bigint | number): string {
  return `${what} (${hex(offset)} + ${hex(length)}) overflows 64 bits`;
}

/** zx_vmo_read and zx_vmo_write name their range so. */
export const IO = 'offset + buffer_size';
/** zx_vmo_op_range does. */
export const OP = 'offset + size';

/** The lock ops take exactly the whole VMO. */
export function notWhole(offset: bigint, length: bigint, size: bigint): string {
  return `lock ops cover the whole VMO: offset 0 and size ${hex(size)}, not ${hex(offset)} and ${hex(length)}`;
}

export function tooLarge(size: bigint): string {
  return `${hex(size)} bytes is past the largest VMO (${hex(VMO_MAX_SIZE)})`;
}

/** Why the cache policy of a VMO in use cannot change. */
export function inUse(vmo: VmObject): string {
  return vmo.mappingCount > 0 ? 'the VMO is mapped' : 'the VMO has pinned pages';
}

/** Why the cache policy of a VMO with relatives cannot change. */
export function related(vmo: VmObject): string {
  if (vmo.childCount > 0) return 'the VMO has children';
  return vmo.childType === null ? 'the VMO is a child' : `the VMO is a ${vmo.childType}`;
}

/** A slice must lie inside its parent. */
export function sliceOutside(end: bigint, size: bigint): string {
  return `offset + size (${hex(end)}) is past the parent's size (${hex(size)}): a slice lies inside it`;
}

/** Why a VMO cannot have a reference: a slice, or contiguous. */
export function noReference(isSlice: boolean): string {
  return `a reference of ${isSlice ? 'a slice' : 'a contiguous VMO'}`;
}

export const RESIZABLE_SLICE = 'a slice of a resizable VMO';
export const REFERENCE_RANGE = 'a reference takes offset 0 and size 0 (it is all of its parent)';
export const RESIZABLE_REFERENCE = 'a resizable reference of a VMO that is not resizable';
export const CONTIGUOUS_SNAPSHOT = 'a snapshot of a contiguous VMO';
export const SLICE_SNAPSHOT = 'a snapshot of a slice (it would need a pager)';
export const PAGER_FULL =
  'ZX_VMO_CHILD_SNAPSHOT under a pager (use SNAPSHOT_AT_LEAST_ON_WRITE or SNAPSHOT_MODIFIED)';
export const PAGER_SLICE_MODIFIED =
  'SNAPSHOT_MODIFIED of a slice of a modified child (a slice takes only one-way snapshots)';
export const PAGER_HAS_CHILDREN =
  'SNAPSHOT_MODIFIED of a VMO that has at-least-on-write children of its own';
export const PAGER_CHAIN = 'SNAPSHOT_MODIFIED at the end of a chain of at-least-on-write children';
export const PAST_ROOT =
  "the snapshot's range passes 2^64 bytes once projected onto its tree's root";
export const UNALIGNED_OFFSET = 'offset is not page aligned';
export const NOT_CACHED = 'the VMO is not cached (its cache policy is not ZX_CACHE_POLICY_CACHED)';
export const DISCARDED = 'the VMO was discarded (lock it again with ZX_VMO_OP_LOCK to reuse it)';
export const PINNED = 'pages of the range are pinned (zx_bti_pin)';
export const CONTIGUOUS = 'a contiguous VMO (its pages never move or go back)';
export const NOT_RESIZABLE = 'the VMO is not resizable';
export const NOT_DISCARDABLE = 'lock ops need a discardable VMO';
export const SNAPSHOT_TREE =
  'DECOMMIT of a snapshot child, or of a VMO with snapshot children (their pages are shared)';
export const UNCACHED_PARTIAL = 'zeroing part of a page that holds data of an uncached VMO';
export const UNCACHED_COMMITTED = 'pages were committed while the VMO was not cached';
