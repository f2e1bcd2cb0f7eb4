// The end of a node: releasing what it sees, leaving the tree, and merging a hidden node that
// is left with one child into that child (Zircon's dead transition and
// MergeContentWithChildLocked).
//
// A dying leaf first drops everything it sees (its own frames are freed; each page it sees in
// a hidden ancestor loses its share, and is freed when the leaf was its last viewer). A hidden
// node then left with a single child has nothing that anyone else sees: its pages inside the
// child's window move into the child wherever the child has no entry of its own (whole chunks
// at a time when the offsets line up), and the child takes its place in the tree.

import { assert, panic } from '../util/assert.ts';
import { releaseOrphan } from './cow-pager-tree.ts';
import type { VmCowPages } from './cow-pages.ts';
import { CHUNK, EMPTY, isFrame, SHARE_BASE, VmPageList, ZERO_MARKER } from './page-list.ts';

/** A node with no view left dies: it releases its pages and leaves the tree. */
export function releaseNode(node: VmCowPages): void {
  assert(!node.hidden && node.children.length === 0, 'releasing a node with children');
  assert(!node.dead, 'releasing a node twice');
  const siblings = node.parent?.children;
  const other = siblings?.length === 2 ? siblings[siblings[0] === node ? 1 : 0]! : null;
  const merging = other?.hidden === false ? node.parent : null;
  node.releaseRange(0, Math.max(node.sizePages, node.parentLimit), merging);
  node.dead = true;
  node.skip = null;
  const parent = node.parent;
  if (parent === null) return;
  removeChild(parent, node);
  node.parent = null;
  node.parentLimit = 0;
  // Under a pager a visible node has children too: it may now die with its last one.
  if (!parent.hidden) {
    releaseOrphan(parent);
    return;
  }
  assert(parent.children.length >= 1, 'hidden node left without children');
  if (parent.children.length === 1) mergeIntoChild(parent, parent.children[0]!);
}

// Tree links. A node knows its slot among its parent's children, so that closing one of many
// siblings costs O(1), not the number of siblings.

/** Makes `child` one more child of the hidden node `parent`. */
export function addChild(parent: VmCowPages, child: VmCowPages): void {
  child.childSlot = parent.children.length;
  parent.children.push(child);
}

/** Takes `child` out of its parent's children (the last child takes its slot). */
function removeChild(parent: VmCowPages, child: VmCowPages): void {
  const i = child.childSlot;
  assert(parent.children[i] === child, 'node missing from its parent');
  const last = parent.children.pop()!;
  if (last !== child) {
    parent.children[i] = last;
    last.childSlot = i;
  }
  child.childSlot = -1;
}

/** Puts `next` where `child` was among its parent's children. */
export function replaceChild(parent: VmCowPages, child: VmCowPages, next: VmCowPages): void {
  const i = child.childSlot;
  assert(parent.children[i] === child, 'node missing from its parent');
  parent.children[i] = next;
  next.childSlot = i;
  child.childSlot = -1;
}

/** clamp(offset, length, max) of Zircon: the part of [offset, offset + length) below max. */
export function clampWindow(offset: number, length: number, max: number): number {
  return Math.max(Math.min(offset + length, max), offset) - offset;
}

/** Merges `hidden`, whose only child is `child`, into that child. */
export function mergeIntoChild(hidden: VmCowPages, child: VmCowPages): void {
  assert(hidden.hidden && hidden.views.length === 0, 'merging a visible node');
  assert(hidden.children.length === 1 && hidden.children[0] === child, 'merge needs one child');
  const delta = child.parentOffset;
  const windowEnd = child.parentOffset + child.parentLimit;
  const source = hidden.pages;
  const target = child.pages;
  // A leaf's skip list survives the merge (see cow-walk.ts), if it held before it.
  const childSkip = !child.hidden && child.skip?.validFor(child) ? child.skip : null;
  const wholeChunks = delta % CHUNK === 0;
  if (delta === 0 && target.isEmpty && !source.hasEntriesIn(windowEnd, Number.MAX_SAFE_INTEGER)) {
    // The child holds nothing of its own: it takes the hidden node's whole page list.
    child.pages = source;
    if (!child.hidden) source.clearAllShares();
  } else {
    source.forEachChunk(0, Number.MAX_SAFE_INTEGER, (chunk, base) => {
      // A whole chunk moves at once where the child has none (offsets in line): the slots it
      // holds past the child's window can only be markers nobody sees, which are dropped.
      if (
        wholeChunks &&
        base >= delta &&
        base < windowEnd &&
        target.chunkAt((base - delta) / CHUNK) === undefined
      ) {
        let outside = false;
        for (let slot = windowEnd - base; slot < CHUNK; slot++) {
          if (chunk[slot]! > 0)
            panic(`hidden page ${base + slot} outlived every VMO that could see it`);
          if (chunk[slot] !== EMPTY) outside = true;
        }
        const moved = source.detachChunk(base / CHUNK)!;
        // A leaf sees what it takes over alone: the share counts go (releaseNode may have left
        // them for the merge to clear).
        if (!child.hidden) VmPageList.clearShares(moved);
        const key = (base - delta) / CHUNK;
        target.attachChunk(key, moved);
        if (outside) target.clear(key * CHUNK + windowEnd - base, key * CHUNK + CHUNK, () => {});
        return;
      }
      const shareBase = SHARE_BASE;
      for (let slot = 0; slot < CHUNK; slot++) {
        const entry = chunk[slot]!;
        if (entry === EMPTY) continue;
        const index = base + slot;
        const at = index - delta;
        if (index >= delta && index < windowEnd && target.get(at) === EMPTY) {
          // A leaf is the only viewer of what it takes over: its pages have no share count.
          const share = child.hidden ? chunk[shareBase + slot]! : 0;
          target.set(at, entry);
          if (share > 0) target.setShare(at, share);
        } else if (isFrame(entry)) {
          panic(`hidden page ${index} outlived every VMO that could see it`);
        }
      }
    });
  }
  child.parentLimit = clampWindow(child.parentOffset, child.parentLimit, hidden.parentLimit);
  child.parentOffset += hidden.parentOffset;
  const grandparent = hidden.parent;
  child.parent = grandparent;
  if (grandparent !== null) {
    replaceChild(grandparent, hidden, child);
  } else {
    child.parentOffset = 0;
    child.parentLimit = 0;
    // A root has nothing above it to hide: its zero markers would only cost metadata.
    if (!child.hidden && child.pages.markerCount > 0) dropMarkers(child.pages);
  }
  hidden.children.length = 0;
  hidden.parent = null;
  hidden.pages = new VmPageList();
  hidden.dead = true;
  // Skip lists below that name the hidden node are fixed when next used, not walked to now:
  // a hidden child leaves a forward to itself; a leaf's own list holds as it is.
  if (child.hidden) {
    hidden.mergedInto = child;
    hidden.mergedShift = delta;
  } else if (childSkip !== null && grandparent !== null) childSkip.relink(child);
  else child.skip = null;
}

/** Drops every zero marker of a list, visiting only the chunks that hold markers. */
function dropMarkers(list: VmPageList): void {
  list.forEachChunk(0, Number.MAX_SAFE_INTEGER, (chunk, base) => {
    if (VmPageList.markersIn(chunk) === 0) return;
    for (let slot = 0; slot < CHUNK; slot++) {
      if (chunk[slot] === ZERO_MARKER) list.set(base + slot, EMPTY);
    }
  });
}
