// Creating a snapshot's node in the copy-on-write tree (Zircon's CreateCloneLocked, 2025).
//
// Cloning pages [offset, offset + length) of a node N:
// 1. every page N can see there gains a viewer. Zircon adds one to each page's share count;
//    zxvm counts viewers from the tree (cow-viewers.ts), so linking the clone in is all it takes;
// 2. the clone hangs as high as it can: while the candidate (N first) owns nothing in the
//    window and its parent is hidden, the window moves up into the parent (clipped to the
//    candidate's parent limit). A hidden node reached that way takes the clone as one more
//    child: nothing is copied or moved;
// 3. otherwise (N owns pages in the window, or N is a root) a new hidden node takes N's place
//    and N's whole page list; N and the clone become its two children. N's mappings lose write
//    access, since writes must now fork. The clone sees pages of N past N's size as zero (its
//    parent limit stops there).
// The skip lists of the clone (and of N, in case 3) are derived from N's (cow-walk.ts) when
// first used, so a snapshot neither walks the chain nor visits a page, however deep or large.

import { VmCowPages } from './cow-pages.ts';
import { addChild, clampWindow, replaceChild } from './cow-release.ts';
import { type Derivation, SkipCache } from './cow-walk.ts';
import { VmPageList } from './page-list.ts';

/** The node of a new snapshot of pages [offset, offset + length) of `source`. */
export function cloneNode(source: VmCowPages, offset: number, length: number): VmCowPages {
  const limit = clampWindow(offset, length, source.sizePages);
  // What `source` sees through its ancestors, as it is linked before the clone is made (null
  // when it has no valid list: the new lists are then walked when first needed).
  const sourceSkip = source.skip?.validFor(source) ? source.skip : null;
  let candidate = source;
  let at = offset;
  let window = limit;
  while (candidate.parent?.hidden && !candidate.pages.hasEntriesIn(at, at + window)) {
    window = clampWindow(at, window, candidate.parentLimit);
    at += candidate.parentOffset;
    candidate = candidate.parent;
  }
  let parent = candidate;
  let pending: Derivation | null = null;
  if (candidate.hidden) {
    // The nodes passed hold nothing of the window: the clone sees what `source` sees there.
    if (sourceSkip !== null) {
      pending = { base: sourceSkip, hidden: null, shift: offset, length: window };
    }
  } else {
    parent = insertHiddenParent(source, sourceSkip);
    at = offset;
    window = limit;
    if (sourceSkip !== null || parent.parent === null) {
      pending = { base: sourceSkip, hidden: parent, shift: offset, length: limit };
    }
  }
  const clone = new VmCowPages(source.pmm, null, length);
  clone.parent = parent;
  clone.parentOffset = at;
  clone.parentLimit = window;
  clone.rootParentOffset = parent.rootParentOffset + at;
  addChild(parent, clone);
  if (pending !== null) clone.skip = new SkipCache(clone, undefined, pending);
  return clone;
}

/**
 * Puts a new hidden node between `node` and its parent, holding all of `node`'s pages (the page
 * list moves whole: it keeps reporting to the parent's counts at the same indices, since the
 * hidden node takes `node`'s window). `oldSkip` is `node`'s valid skip list before, if any
 * (none for a root): the new node's chain above is that one.
 */
function insertHiddenParent(node: VmCowPages, oldSkip: SkipCache | null): VmCowPages {
  node.notifyWriteProtected(0, node.sizePages);
  const hidden = new VmCowPages(node.pmm, null, node.sizePages);
  hidden.makeHidden();
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
  node.skip =
    oldSkip !== null || hidden.parent === null
      ? new SkipCache(node, undefined, {
          base: oldSkip,
          hidden,
          shift: 0,
          length: node.sizePages,
        })
      : null;
  return hidden;
}
