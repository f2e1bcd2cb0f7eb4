// Making child VMOs: the checks of Zircon's VmObjectPaged::CreateChildSlice,
// CreateChildReference and CreateClone (2025), in their order, then the child itself. Handle
// rights and option parsing happen above, in zx_vmo_create_child (syscalls/vmo-child.ts).
//
// - A slice sees pages [offset, offset + size) of its parent's node directly.
// - A reference sees all of its parent's node: same pages, same size (resizing either resizes
//   both), resizable exactly when the parent is.
// - A snapshot gets a node of its own in the copy-on-write tree (cow-clone.ts). On anonymous
//   memory every snapshot type (SNAPSHOT, SNAPSHOT_AT_LEAST_ON_WRITE, SNAPSHOT_MODIFIED) is a
//   full, bidirectional snapshot: the one-way kinds need a pager-backed root.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
} from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, U64_MAX } from '../util/u64.ts';
import { cloneNode } from './cow-clone.ts';
import { pagerCloneNode } from './cow-pager-clone.ts';
import type { VmCowPages } from './cow-pages.ts';
import type { DiscardableList } from './discardable.ts';
import { type SnapshotType, VMO_MAX_SIZE, type VmoCreateOptions } from './vm-object.ts';
import { VmObjectPaged } from './vm-object-paged.ts';
import * as why from './vm-reasons.ts';

const PAGE_MASK = PAGE_MASK_N;
/** 2^64 bytes, in pages. */
const PAGES_IN_U64 = 2 ** 52;

function fixedOptions(resizable: boolean): VmoCreateOptions {
  return { resizable, discardable: false, unbounded: false };
}

/**
 * A slice of pages [offset, offset + size) of `parent` (size already page aligned), made its
 * child. ZX_ERR_INVALID_ARGS (unaligned offset; range not inside the parent), OUT_OF_RANGE
 * (size past the largest VMO), NOT_SUPPORTED (resizable parent), BAD_STATE (parent uncached
 * and not contiguous).
 */
export function createSliceChild(
  parent: VmObjectPaged,
  offset: bigint,
  size: bigint,
  discardables: DiscardableList,
): VmObjectPaged | number {
  if ((offset & PAGE_MASK) !== 0n) return because(ZX_ERR_INVALID_ARGS, why.UNALIGNED_OFFSET);
  if (size > VMO_MAX_SIZE) return because(ZX_ERR_OUT_OF_RANGE, why.tooLarge, size);
  if (offset + size > parent.sizeBytes) {
    return because(ZX_ERR_INVALID_ARGS, why.sliceOutside, offset + size, parent.sizeBytes);
  }
  if (parent.options.resizable) return because(ZX_ERR_NOT_SUPPORTED, why.RESIZABLE_SLICE);
  if (!parent.isCached && !parent.isContiguous) return because(ZX_ERR_BAD_STATE, why.NOT_CACHED);
  const offsetPages = Number(offset >> PAGE_SHIFT_N);
  const sizePages = Number(size >> PAGE_SHIFT_N);
  const child = new VmObjectPaged(parent.cow.pmm, sizePages, fixedOptions(false), discardables, {
    type: 'slice',
    cow: parent.cow,
    cowOffset: parent.cowOffset + offsetPages,
  });
  child.cachePolicy = parent.cachePolicy;
  child.isContiguous = parent.isContiguous;
  parent.addChild(child);
  return child;
}

/**
 * A reference to all of `parent`, made its child. ZX_ERR_INVALID_ARGS (offset or size not 0),
 * NOT_SUPPORTED (parent a slice or contiguous; RESIZABLE asked of a parent that is not
 * resizable), BAD_STATE (parent uncached). Physical parents never get here (VmObject's default).
 */
export function createReferenceChild(
  parent: VmObjectPaged,
  offset: bigint,
  size: bigint,
  resizable: boolean,
  discardables: DiscardableList,
): VmObjectPaged | number {
  if (offset !== 0n || size !== 0n) return because(ZX_ERR_INVALID_ARGS, why.REFERENCE_RANGE);
  if (parent.isSlice || parent.isContiguous) {
    return because(ZX_ERR_NOT_SUPPORTED, why.noReference, parent.isSlice);
  }
  if (resizable && !parent.options.resizable) {
    return because(ZX_ERR_NOT_SUPPORTED, why.RESIZABLE_REFERENCE);
  }
  if (!parent.isCached) return because(ZX_ERR_BAD_STATE, why.NOT_CACHED);
  const child = new VmObjectPaged(
    parent.cow.pmm,
    parent.sizePages,
    fixedOptions(parent.options.resizable),
    discardables,
    { type: 'reference', cow: parent.cow, cowOffset: 0 },
  );
  child.cachePolicy = parent.cachePolicy;
  parent.addChild(child);
  return child;
}

/**
 * A snapshot of pages [offset, offset + size) of `parent` (size already page aligned), made its
 * child. Pages past the parent's end read as zero and are never shared. Errors in Zircon's
 * order: INVALID_ARGS (contiguous parent; unaligned offset), OUT_OF_RANGE (size past the largest VMO; offset + size past 2^64 or past a slice's window),
 * BAD_STATE (uncached parent), INVALID_ARGS (the range projected onto the tree's root passes
 * 2^64), NOT_SUPPORTED (a slice: anonymous slices cannot be snapshotted), BAD_STATE (pinned
 * pages).
 */
export function createSnapshotChild(
  parent: VmObjectPaged,
  offset: bigint,
  size: bigint,
  resizable: boolean,
  discardables: DiscardableList,
  type: SnapshotType = 'full',
): VmObjectPaged | number {
  if (parent.isContiguous) return because(ZX_ERR_INVALID_ARGS, why.CONTIGUOUS_SNAPSHOT);
  if ((offset & PAGE_MASK) !== 0n) return because(ZX_ERR_INVALID_ARGS, why.UNALIGNED_OFFSET);
  if (size > VMO_MAX_SIZE) return because(ZX_ERR_OUT_OF_RANGE, why.tooLarge, size);
  if (offset + size > U64_MAX) return why.overflow(why.OP, offset, size);
  if (parent.isSlice && offset + size > parent.sizeBytes) {
    return why.outOfRange(why.OP, offset + size, parent.sizeBytes);
  }
  if (!parent.isCached) return because(ZX_ERR_BAD_STATE, why.NOT_CACHED);
  const source = parent.cow;
  const offsetPages = Number(offset >> PAGE_SHIFT_N) + parent.cowOffset;
  const sizePages = Number(size >> PAGE_SHIFT_N);
  // A full snapshot cannot be had under a pager: one-way children could change what it sees.
  if (type === 'full' && source.pagerTree) return because(ZX_ERR_NOT_SUPPORTED, why.PAGER_FULL);
  const rootOffset = source.rootParentOffset + offsetPages;
  if (rootOffset >= PAGES_IN_U64 || rootOffset + sizePages >= PAGES_IN_U64) {
    return because(ZX_ERR_INVALID_ARGS, why.PAST_ROOT);
  }
  if (source.pagerTree) {
    const node = pagerCloneNode(parent, type, offsetPages, sizePages);
    return typeof node === 'number' ? node : snapshotOf(parent, node, resizable, discardables);
  }
  // A slice would need a one-way (pager) snapshot, which anonymous memory cannot give.
  if (parent.isSlice) return because(ZX_ERR_NOT_SUPPORTED, why.SLICE_SNAPSHOT);
  if (source.hasPinnedFrames(0, Number.MAX_SAFE_INTEGER)) {
    return because(ZX_ERR_BAD_STATE, 'the parent has pinned pages (zx_bti_pin)');
  }
  return snapshotOf(parent, cloneNode(source, offsetPages, sizePages), resizable, discardables);
}

/** The VMO of a new snapshot node, made `parent`'s child. */
function snapshotOf(
  parent: VmObjectPaged,
  node: VmCowPages,
  resizable: boolean,
  discardables: DiscardableList,
): VmObjectPaged {
  const child = new VmObjectPaged(node.pmm, node.sizePages, fixedOptions(resizable), discardables, {
    type: 'snapshot',
    cow: node,
    cowOffset: 0,
  });
  parent.addChild(child);
  return child;
}
