// Snapshots under a pager (Zircon's VmCowPages::CreateCloneLocked, 2025, for a tree whose root
// is pager-backed; the checks common to every snapshot run before, in cow-child.ts).
//
// - ZX_VMO_CHILD_SNAPSHOT is refused there (a full snapshot cannot coexist with one-way
//   children), before the projection onto the root is checked.
// - SNAPSHOT_AT_LEAST_ON_WRITE, and SNAPSHOT_MODIFIED of a node without a parent (the root, or
//   a slice of it), make a one-way ("unidirectional") child: it hangs below the first node, from
//   the one cloned upwards through visible nodes, that holds pages in its window (else the
//   root), with no hidden node above it, and sees that node's later changes until it writes.
//   That is possible while the cloned node's parent is not hidden.
// - SNAPSHOT_MODIFIED of a node with a parent (a child that may have written) needs a two-way
//   snapshot of what it changed: a hidden node takes its pages, with the node and the snapshot
//   below it, as for anonymous memory (cow-clone.ts). So does AT_LEAST_ON_WRITE of a node whose
//   parent is hidden. A slice takes only one-way snapshots (NOT_SUPPORTED otherwise); pinned
//   pages are BAD_STATE; a node that has one-way children, or whose hidden node would hang
//   below a visible node that has a parent itself, is NOT_SUPPORTED.

import { ZX_ERR_BAD_STATE, ZX_ERR_NOT_SUPPORTED } from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { cloneNode } from './cow-clone.ts';
import { VmCowPages } from './cow-pages.ts';
import { addChild, clampWindow } from './cow-release.ts';
import type { SnapshotType } from './vm-object.ts';
import type { VmObjectPaged } from './vm-object-paged.ts';
import * as why from './vm-reasons.ts';

/**
 * The node of a snapshot of pages [offset, offset + length) (in its node's pages) of `parent`,
 * a VMO under a pager, or the status that refuses it.
 */
export function pagerCloneNode(
  parent: VmObjectPaged,
  type: SnapshotType,
  offset: number,
  length: number,
): VmCowPages | number {
  const node = parent.cow;
  const requireTwoWay = type === 'modified' && node.parent !== null;
  const requireOneWay = parent.isSlice;
  if (requireTwoWay && requireOneWay) {
    return because(ZX_ERR_NOT_SUPPORTED, why.PAGER_SLICE_MODIFIED);
  }
  if (!requireTwoWay && (node.parent === null || !node.parent.hidden)) {
    return oneWayClone(node, offset, length);
  }
  if (requireOneWay) return because(ZX_ERR_NOT_SUPPORTED, why.SLICE_SNAPSHOT);
  if (node.hasPinnedFrames(0, Number.MAX_SAFE_INTEGER)) {
    return because(ZX_ERR_BAD_STATE, 'the parent has pinned pages (zx_bti_pin)');
  }
  if (node.children.length > 0) return because(ZX_ERR_NOT_SUPPORTED, why.PAGER_HAS_CHILDREN);
  const above = twoWayParent(node, offset, length).parent;
  if (above !== null && !above.hidden && above.parent !== null) {
    return because(ZX_ERR_NOT_SUPPORTED, why.PAGER_CHAIN);
  }
  const clone = cloneNode(node, offset, length);
  // Under a pager no skip lists are kept (cow-pager-tree.ts).
  clone.pagerTree = true;
  clone.parent!.pagerTree = true;
  clone.skip = null;
  node.skip = null;
  return clone;
}

/**
 * Where cloneNode will hang a two-way snapshot: the highest hidden ancestor reached through
 * nodes holding nothing in the window, or `node` itself (which then gets a hidden parent).
 */
function twoWayParent(node: VmCowPages, offset: number, length: number): VmCowPages {
  let candidate = node;
  let at = offset;
  let window = clampWindow(offset, length, node.sizePages);
  while (candidate.parent?.hidden && !candidate.pages.hasEntriesIn(at, at + window)) {
    window = clampWindow(at, window, candidate.parentLimit);
    at += candidate.parentOffset;
    candidate = candidate.parent;
  }
  return candidate;
}

/**
 * A one-way child of pages [offset, offset + length) of `node`: it hangs below the first node,
 * going up from `node`, that holds pages or markers in its window (Zircon's
 * FindParentAndRangeForCloneLocked without the hidden requirement), seeing no more of it than
 * it would of `node`. Nothing is copied, shared or write-protected.
 */
function oneWayClone(node: VmCowPages, offset: number, length: number): VmCowPages {
  let holder = node;
  let at = offset;
  let window = clampWindow(offset, length, node.sizePages);
  while (holder.parent !== null) {
    if (window > 0 && holder.pages.hasEntriesIn(at, at + window)) break;
    window = clampWindow(at, window, holder.parentLimit);
    at += holder.parentOffset;
    holder = holder.parent;
  }
  const clone = new VmCowPages(node.pmm, null, length);
  clone.pagerTree = true;
  clone.parent = holder;
  clone.parentOffset = at;
  clone.parentLimit = window;
  clone.rootParentOffset = holder.rootParentOffset + at;
  addChild(holder, clone);
  return clone;
}
