// The end of a node: releasing what it sees, leaving the tree, and merging a hidden node that
// is left with one child into that child (Zircon's dead transition and
// MergeContentWithChildLocked).
//
// A dying leaf frees its own frames and leaves its parent's counts (cow-counts.ts): every page
// it saw then has one viewer fewer without being touched. Pages nobody sees any more are freed:
// they can only be where no remaining child of the parent passes the lookup on, which is where
// the remaining child that covers the leaf's window with the fewest entries holds an entry (or,
// for a hidden child, where its own such child does). When some sibling holds nothing there,
// closing costs what the leaf held. A hidden node then left with a single child has nothing that
// anyone else sees: its pages inside the child's window move into the child wherever the child
// has no entry of its own, and the child takes its place in the tree.

import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import { assert } from '../util/assert.ts';
import { releaseOrphan } from './cow-pager-tree.ts';
import type { VmCowPages } from './cow-pages.ts';
import { freeUnseen, viewersAt } from './cow-viewers.ts';
import { segmentsOf } from './cow-walk.ts';
import { CHUNK, EMPTY, entryFrame, isFrame, VmPageList, ZERO_MARKER } from './page-list.ts';

const ALL_PAGES = Number.MAX_SAFE_INTEGER;

/** A node with no view left dies: it releases its pages and leaves the tree. */
export function releaseNode(node: VmCowPages): void {
  assert(!node.hidden && node.children.length === 0, 'releasing a node with children');
  assert(!node.dead, 'releasing a node twice');
  const parent = node.parent;
  if (parent === null) {
    node.releaseAll();
    node.dead = true;
    node.skip = null;
    return;
  }
  const from = node.parentOffset;
  const to = from + node.parentLimit;
  const limit = node.parentLimit;
  // Where pages may be left without a viewer; when no sibling bounds that, everything seen. A
  // visible parent (under a pager) keeps what it holds, and has only visible nodes above it.
  // Only pages the node looked up can lose their last viewer with it: where it holds an entry of
  // its own, what lies above was already seen by someone else (a frame nobody sees is freed when
  // its last viewer goes), so those candidates are dropped before anything walks up for them.
  const blocked = parent.hidden ? blockedIndices(parent, node, from, to) : [];
  const candidates =
    blocked === null || node.pages.isEmpty
      ? blocked
      : blocked.filter((index) => node.pages.get(index - from) === EMPTY);
  const segments = candidates === null && limit > 0 ? segmentsOf(node, 0, limit) : null;
  const pmm = node.pmm;
  node.pages.clearDescending(0, ALL_PAGES, (_index, entry) => {
    if (isFrame(entry)) pmm.free(entryFrame(entry), FrameUse.vmo);
  });
  removeChild(parent, node);
  node.parent = null;
  node.parentLimit = 0;
  node.dead = true;
  node.skip = null;
  // Under a pager a visible node has children too: it keeps its pages (nobody counts them), and
  // may now die with its last child.
  if (!parent.hidden) {
    releaseOrphan(parent);
    return;
  }
  assert(parent.children.length >= 1, 'hidden node left without children');
  const heir = parent.children.length === 1 ? parent.children[0]! : null;
  if (segments !== null) freeUnseen(segments, 0, limit, pmm);
  else if (candidates !== null) {
    // With one leaf left, the candidates are its entries: the merge below frees the parent's
    // frames there (nobody sees them), so only what lies above the parent is looked up here.
    const skipParentFrames = heir !== null && !heir.hidden;
    for (const index of candidates) freeIfUnseen(parent, index, skipParentFrames);
  }
  if (heir !== null) mergeIntoChild(parent, heir);
}

/**
 * Indices of [from, to) of `node` where no child but `exclude` may pass a lookup on: a superset
 * of them, the entries of one covering child (and below a hidden one, its own entries and those
 * of one of its covering children, in turn: a loop, since hidden nodes may chain deeper than the
 * host stack); null when at some level no child covers the whole range. Any covering child gives
 * such a superset; the walk takes the one with the fewest entries, but goes down a hidden child
 * only while the levels and entries it has gone through cost less than stopping at the best
 * visible child seen on the way (else closing the oldest of n snapshots of one VMO, a chain of
 * n hidden nodes, would walk all n).
 */
function blockedIndices(
  node: VmCowPages,
  exclude: VmCowPages | null,
  from: number,
  to: number,
): number[] | null {
  const out: number[] = [];
  let current = node;
  let skip = exclude;
  // What turns an index of `current` into one of `node`.
  let shift = 0;
  // Levels gone down and entries collected so far, and the cheapest place to stop seen: a
  // visible child, what `out` held then, the shift and range at its level, and its total cost.
  let work = 0;
  let stopChild: VmCowPages | null = null;
  let stopKept = 0;
  let stopShift = 0;
  let stopFrom = 0;
  let stopTo = 0;
  let stopWork = Infinity;
  for (;;) {
    if (from >= to) return out;
    let best: VmCowPages | null = null;
    let bestCost = Infinity;
    let visible: VmCowPages | null = null;
    let visibleCost = Infinity;
    for (const child of current.children) {
      if (child === skip) continue;
      const a = from - child.parentOffset;
      if (a < 0 || to - child.parentOffset > child.parentLimit) continue;
      const entries = child.pages.frameCount + child.pages.markerCount;
      if (!child.hidden && entries < visibleCost) {
        visible = child;
        visibleCost = entries;
      }
      const cost = entries + (child.hidden ? 1 : 0);
      if (cost < bestCost) {
        best = child;
        bestCost = cost;
        if (cost === 0) break;
      }
    }
    if (visible !== null && work + visibleCost < stopWork) {
      stopChild = visible;
      stopKept = out.length;
      stopShift = shift;
      stopFrom = from;
      stopTo = to;
      stopWork = work + visibleCost;
    }
    // Stop at the cheapest visible child seen (this level's, when `best` is visible), unless
    // going down the hidden one still costs less.
    if (best === null || !best.hidden || work + bestCost >= stopWork) {
      if (stopChild === null) return null;
      out.length = stopKept;
      return collectEntries(out, stopChild, stopShift, stopFrom, stopTo);
    }
    work += bestCost;
    collectEntries(out, best, shift, from, to);
    const offset = best.parentOffset;
    current = best;
    skip = null;
    shift += offset;
    from -= offset;
    to -= offset;
  }
}

/** Appends the entries `child` holds in [from, to) of its parent, as indices `shift` above. */
function collectEntries(
  out: number[],
  child: VmCowPages,
  shift: number,
  from: number,
  to: number,
): number[] {
  const toNode = shift + child.parentOffset;
  child.pages.forEach(from - child.parentOffset, to - child.parentOffset, (index) =>
    out.push(index + toNode),
  );
  return out;
}

/**
 * Frees the frame a lookup of `index` of `node` ends at, when nobody sees it any more (a frame
 * of `node` itself is left alone when `skipOwnFrames`).
 */
function freeIfUnseen(node: VmCowPages, index: number, skipOwnFrames: boolean): void {
  let current = node;
  let at = index;
  for (;;) {
    const entry = current.pages.get(at);
    if (entry !== EMPTY) {
      if (skipOwnFrames && current === node) return;
      if (isFrame(entry) && viewersAt(current, at) === 0) {
        current.pages.set(at, EMPTY);
        current.pmm.free(entryFrame(entry), FrameUse.vmo);
      }
      return;
    }
    if (current.parent === null || at >= current.parentLimit) return;
    at += current.parentOffset;
    current = current.parent;
  }
}

// Tree links. A node knows its slot among its parent's children, so that closing one of many
// siblings costs O(1), not the number of siblings. Linking a child also makes it one unit of
// its parent's counts (cow-counts.ts), over its window.

/** Makes `child` (its parent window already set) one more child of the hidden node `parent`. */
export function addChild(parent: VmCowPages, child: VmCowPages): void {
  child.childSlot = parent.children.length;
  parent.children.push(child);
  if (child.hidden) parent.hiddenKids.push(child);
  // A visible parent (under a pager) keeps no counts: its pages are its own.
  if (!parent.hidden) return;
  parent.cover!.add(child.parentOffset, child.parentOffset + child.parentLimit, 1);
  child.pages.setReport(parent.holes, child.parentOffset, child.parentLimit);
}

/** Takes `child` out of its parent's children and counts (the last child takes its slot). */
function removeChild(parent: VmCowPages, child: VmCowPages): void {
  const i = child.childSlot;
  assert(parent.children[i] === child, 'node missing from its parent');
  const last = parent.children.pop()!;
  if (last !== child) {
    parent.children[i] = last;
    last.childSlot = i;
  }
  child.childSlot = -1;
  if (child.hidden) dropHiddenKid(parent, child);
  if (!parent.hidden) return;
  parent.cover!.add(child.parentOffset, child.parentOffset + child.parentLimit, -1);
  child.pages.setReport(null, 0, 0);
}

function dropHiddenKid(parent: VmCowPages, child: VmCowPages): void {
  const kids = parent.hiddenKids;
  const k = kids.indexOf(child);
  assert(k >= 0, 'hidden child missing from its parent');
  kids[k] = kids[kids.length - 1]!;
  kids.pop();
}

/**
 * Puts `next` where `child` was among its parent's children. The counts are the caller's: a
 * new hidden node taking a VMO's page list and window leaves them as they are.
 */
export function replaceChild(parent: VmCowPages, child: VmCowPages, next: VmCowPages): void {
  const i = child.childSlot;
  assert(parent.children[i] === child, 'node missing from its parent');
  parent.children[i] = next;
  next.childSlot = i;
  child.childSlot = -1;
  if (child.hidden) dropHiddenKid(parent, child);
  if (next.hidden) parent.hiddenKids.push(next);
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
  // The hidden node's counts die with it. Its frames the child does not take (it holds an
  // entry there, or they lie past its window) are seen by nobody: they are freed.
  const pmm = hidden.pmm;
  target.dropReport();
  if (delta === 0 && !source.hasEntriesIn(windowEnd, ALL_PAGES)) {
    // The child's entries join the hidden node's list, which the child then takes: it already
    // reports to the grandparent at the right indices. Whole chunks move where the hidden
    // node has none.
    target.forEachChunk(0, ALL_PAGES, (chunk, base) => {
      const key = base / CHUNK;
      if (source.chunkAt(key) === undefined) {
        source.attachChunk(key, target.detachChunk(key)!);
        return;
      }
      for (let slot = 0; slot < CHUNK; slot++) {
        const entry = chunk[slot]!;
        if (entry === EMPTY) continue;
        const old = source.set(base + slot, entry);
        if (isFrame(old)) pmm.free(entryFrame(old), FrameUse.vmo);
      }
    });
    child.pages = source;
  } else {
    source.setReport(null, 0, 0);
    moveIntoChild(source, target, delta, windowEnd, pmm);
  }
  const grandparent = hidden.parent;
  const newLimit = clampWindow(child.parentOffset, child.parentLimit, hidden.parentLimit);
  const newOffset = child.parentOffset + hidden.parentOffset;
  if (grandparent !== null) {
    // A visible grandparent (a pager root) keeps no counts.
    const cover = grandparent.cover;
    cover?.add(hidden.parentOffset, hidden.parentOffset + hidden.parentLimit, -1);
    cover?.add(newOffset, newOffset + newLimit, 1);
    replaceChild(grandparent, hidden, child);
    child.parent = grandparent;
    child.parentOffset = newOffset;
    child.parentLimit = newLimit;
    child.pages.setReport(grandparent.holes, newOffset, newLimit);
  } else {
    child.parent = null;
    child.parentOffset = 0;
    child.parentLimit = 0;
    child.pages.setReport(null, 0, 0);
    // A root has nothing above it to hide: its zero markers would only cost metadata.
    if (!child.hidden && child.pages.markerCount > 0) dropMarkers(child.pages);
  }
  hidden.children.length = 0;
  hidden.hiddenKids.length = 0;
  hidden.parent = null;
  hidden.pages = new VmPageList();
  hidden.dead = true;
  // Skip lists below that name the hidden node are fixed when next used, not walked to now:
  // a hidden child leaves a forward to itself; a leaf's own list holds as it is.
  if (child.hidden) {
    hidden.mergedInto = child;
    hidden.mergedShift = delta;
  } else if (childSkip !== null && grandparent !== null) {
    // A list still waiting to be made from this hidden node's pages and the list above it:
    // with the pages back in the child, that list above is the child's again (so a VMO
    // snapshotted and closed over and over keeps one list, not a chain of pending ones).
    const base = childSkip.pending?.hidden === hidden ? childSkip.pending.base : null;
    if (base?.validFor(child) && childSkip.pending!.shift === 0) child.skip = base;
    else childSkip.relink(child);
  } else child.skip = null;
}

/**
 * Moves the entries of `source` in [delta, windowEnd) into `target` where it has none; its
 * other frames are freed.
 */
function moveIntoChild(
  source: VmPageList,
  target: VmPageList,
  delta: number,
  windowEnd: number,
  pmm: PhysicalMemory,
): void {
  const wholeChunks = delta % CHUNK === 0;
  source.forEachChunk(0, ALL_PAGES, (chunk, base) => {
    // A whole chunk moves at once where the child has none (offsets in line): what it holds
    // past the child's window nobody sees, and is dropped.
    if (
      wholeChunks &&
      base >= delta &&
      base < windowEnd &&
      target.chunkAt((base - delta) / CHUNK) === undefined
    ) {
      let outside = false;
      for (let slot = windowEnd - base; slot < CHUNK; slot++) {
        if (chunk[slot] !== EMPTY) outside = true;
      }
      const moved = source.detachChunk(base / CHUNK)!;
      const key = (base - delta) / CHUNK;
      target.attachChunk(key, moved);
      if (outside) {
        target.clear(key * CHUNK + windowEnd - base, key * CHUNK + CHUNK, (_index, entry) => {
          if (isFrame(entry)) pmm.free(entryFrame(entry), FrameUse.vmo);
        });
      }
      return;
    }
    for (let slot = 0; slot < CHUNK; slot++) {
      const entry = chunk[slot]!;
      if (entry === EMPTY) continue;
      const index = base + slot;
      const at = index - delta;
      if (index >= delta && index < windowEnd && target.get(at) === EMPTY) {
        target.set(at, entry);
      } else if (isFrame(entry)) pmm.free(entryFrame(entry), FrameUse.vmo);
    }
  });
}

/** Drops every zero marker of a list, visiting only the chunks that hold markers. */
function dropMarkers(list: VmPageList): void {
  list.forEachChunk(0, ALL_PAGES, (chunk, base) => {
    if (VmPageList.markersIn(chunk) === 0) return;
    for (let slot = 0; slot < CHUNK; slot++) {
      if (chunk[slot] === ZERO_MARKER) list.set(base + slot, EMPTY);
    }
  });
}
