// Creating a snapshot's node in the copy-on-write tree (Zircon's CreateCloneLocked, 2025).
//
// Cloning pages [offset, offset + length) of a node N:
// 1. every page N can see there in a hidden ancestor gains a share (one more VMO sees it);
// 2. the clone hangs as high as it can: while the candidate (N first) owns nothing in the
//    window and its parent is hidden, the window moves up into the parent (clipped to the
//    candidate's parent limit). A hidden node reached that way takes the clone as one more
//    child: nothing is copied or moved;
// 3. otherwise (N owns pages in the window, or N is a root) a new hidden node takes N's place
//    and all of N's pages; N and the clone become its two children, and N's pages inside the
//    clone's window now have one share. N's mappings lose write access, since writes must now
//    fork. The clone sees pages of N past N's size as zero (its parent limit stops there).
// The skip lists of the clone (and of N, in case 3) are derived from N's (cow-walk.ts), so a
// snapshot never walks the chain, however deep.

import { VmCowPages } from './cow-pages.ts';
import { addChild, clampWindow, replaceChild } from './cow-release.ts';
import {
  childSegments,
  forEachParentRun,
  type Segments,
  SkipCache,
  shiftedSegments,
  skipListOf,
} from './cow-walk.ts';
import { EMPTY, VmPageList } from './page-list.ts';

/** The node of a new snapshot of pages [offset, offset + length) of `source`. */
export function cloneNode(source: VmCowPages, offset: number, length: number): VmCowPages {
  const limit = clampWindow(offset, length, source.sizePages);
  // What `source` sees through its ancestors, as it is linked before the clone is made.
  const sourceSkip = source.parent === null ? null : skipListOf(source);
  addParentShares(source, offset, offset + limit);
  let candidate = source;
  let at = offset;
  let window = limit;
  while (candidate.parent?.hidden && !candidate.pages.hasEntriesIn(at, at + window)) {
    window = clampWindow(at, window, candidate.parentLimit);
    at += candidate.parentOffset;
    candidate = candidate.parent;
  }
  let parent = candidate;
  let segments: Segments;
  if (candidate.hidden) {
    // The nodes passed hold nothing of the window: the clone sees what `source` sees there.
    segments = shiftedSegments(sourceSkip!.segments, offset, window);
  } else {
    parent = insertHiddenParent(source, offset, offset + limit, sourceSkip);
    at = offset;
    window = limit;
    segments = childSegments(parent, offset, limit, sourceSkip?.segments ?? null);
  }
  const clone = new VmCowPages(source.pmm, null, length);
  clone.parent = parent;
  clone.parentOffset = at;
  clone.parentLimit = window;
  clone.rootParentOffset = parent.rootParentOffset + at;
  addChild(parent, clone);
  clone.skip = new SkipCache(clone, segments);
  return clone;
}

/** One more VMO sees every page `node` sees through its ancestors in [start, end). */
function addParentShares(node: VmCowPages, start: number, end: number): void {
  const own = node.pages;
  const ownEmpty = own.isEmpty;
  forEachParentRun(node, start, end, (holder, holderStart, holderEnd, delta) => {
    // A visible ancestor's pages (under a pager) are not shared by count: they are its own.
    if (!holder.hidden) return;
    holder.pages.forEachChunk(holderStart, holderEnd, (chunk, base, from, to) => {
      for (let slot = from; slot < to; slot++) {
        if (chunk[slot]! <= 0) continue; // not a frame
        if (!ownEmpty && own.get(base + slot - delta) !== EMPTY) continue;
        VmPageList.addShare(chunk, slot, 1);
      }
    });
  });
}

/**
 * Puts a new hidden node between `node` and its parent, holding all of `node`'s pages; those
 * in [cloneStart, cloneEnd) will also be seen by the clone about to hang beside it. `oldSkip`
 * is `node`'s skip list before (null for a root): the new node's chain above is that one.
 */
function insertHiddenParent(
  node: VmCowPages,
  cloneStart: number,
  cloneEnd: number,
  oldSkip: SkipCache | null,
): VmCowPages {
  node.notifyWriteProtected(0, node.sizePages);
  const hidden = new VmCowPages(node.pmm, null, node.sizePages);
  hidden.hidden = true;
  hidden.pages = node.pages;
  node.pages = new VmPageList();
  hidden.parent = node.parent;
  hidden.parentOffset = node.parentOffset;
  hidden.parentLimit = node.parentLimit;
  hidden.rootParentOffset = node.rootParentOffset;
  if (node.parent !== null) replaceChild(node.parent, node, hidden);
  node.parent = hidden;
  node.parentOffset = 0;
  node.parentLimit = node.sizePages;
  addChild(hidden, node);
  node.skip = new SkipCache(
    node,
    childSegments(hidden, 0, node.sizePages, oldSkip?.segments ?? null),
  );
  hidden.pages.forEachChunk(cloneStart, cloneEnd, (chunk, _base, from, to) => {
    VmPageList.setFrameShares(chunk, from, to, 1);
  });
  return hidden;
}
