// Copy-on-write trees under a pager (Zircon's pager-backed hierarchies, 2025).
//
// In an anonymous tree only hidden nodes have children, and they never change. Under a pager
// root it is otherwise: an at-least-on-write child hangs below a *visible* node (the root, or
// another such child holding pages in its range) and sees that node's later changes until it
// writes; a SNAPSHOT_MODIFIED child of such a child gets a hidden node above it, whose parent is
// visible. So, in a tree whose root has a pager (every node has `pagerTree` set):
// - a page a visible ancestor holds is copied on write, never taken over, and no share counts
//   are kept for it (it belongs to that ancestor, which alone is charged for it);
// - a page nobody holds, down to the root, is the pager's to supply: the child's operation asks
//   for the root's page and waits, as the root's own would (awaitAncestorPages);
// - a visible node's frames may be mapped by the nodes below it, so when they change those are
//   told too (notifyDescendants), and a visible node outlives its VMO while it has children
//   (releaseOrphan);
// - no skip lists are kept: visible ancestors gain pages at any time, which would make them stale.

import { ZX_OK } from '../abi/constants.ts';
import type { VmCowPages } from './cow-pages.ts';
import { clampWindow, releaseNode } from './cow-release.ts';
import { forEachParentRun } from './cow-walk.ts';
import { readsZero } from './dirty-ranges.ts';
import { isFrame } from './page-list.ts';

/** The root of `node`'s tree. */
export function rootOf(node: VmCowPages): VmCowPages {
  let n = node;
  while (n.parent !== null) n = n.parent;
  return n;
}

/**
 * The runs of root pages of [start, end) the pager has yet to supply (no entry, no zero run), as
 * [from, to) pairs in one array. Costs the root's entries and runs there, not the range.
 */
export function missingRootRuns(root: VmCowPages, start: number, end: number): number[] {
  const runs: number[] = [];
  const source = root.source;
  if (source === null) return runs;
  const pages = root.pages;
  // Without runs this visits [start, end) once, as a gap.
  source.runs.forEachPiece(start, end, (from, to, tag) => {
    if (readsZero(tag)) return;
    for (let at = pages.firstEmpty(from, to); at < to; ) {
      const stop = pages.firstEntry(at, to);
      runs.push(at, stop);
      at = pages.firstEmpty(stop, to);
    }
  });
  return runs;
}

/**
 * Pages [start, end) of a node under a pager, present or waited for: the first page that needs
 * the pager starts one READ request for the root's pages, which runs as long as the node's next
 * pages need the root's next pages (a page present in the node or any ancestor ends it:
 * PageRequestBatchingChecksAncestorPages). The request is the root's: its key, its waiters.
 * Costs the node's entries, the segments above it and the root's entries and runs in the range.
 */
export function awaitAncestorPages(node: VmCowPages, start: number, end: number): number {
  const root = rootOf(node);
  if (root.source === null) return ZX_OK;
  let first = -1;
  let last = -1;
  const pages = node.pages;
  for (let at = pages.firstEmpty(start, end); at < end && first < 0; ) {
    const gapEnd = pages.firstEntry(at, end);
    forEachParentRun(node, at, gapEnd, (holder, from, to) => {
      if (first >= 0 || holder !== root) return;
      const runs = missingRootRuns(root, from, to);
      if (runs.length > 0) [first, last] = [runs[0]!, runs[1]!];
    });
    at = pages.firstEmpty(gapEnd, end);
  }
  return first < 0 ? ZX_OK : root.source.require(root.pages, first, last);
}

/** Tells the nodes below the visible `node` that its frames at pages [start, end) changed. */
export function notifyDescendants(node: VmCowPages, start: number, end: number): void {
  // A stack of (node, start, end), not recursion: a chain of hidden nodes may be deep.
  const stack: [VmCowPages, number, number][] = [[node, start, end]];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const [parent, first, last] = top;
    for (const child of parent.children) {
      const from = Math.max(first, child.parentOffset) - child.parentOffset;
      const to = Math.min(last, child.parentOffset + child.parentLimit) - child.parentOffset;
      if (from >= to) continue;
      if (child.hidden) stack.push([child, from, to]);
      else child.notifyRemoved(from, to);
    }
  }
}

/**
 * The pages of [start, end) a node under a pager must mark zero before dropping its entries:
 * every page within its parent limit whose lookup would find content (a frame above, or a root
 * page the pager has not supplied yet), ascending. Costs the segments above the node and the
 * entries and runs there, and the pages found.
 */
export function pagerZeroMarkers(node: VmCowPages, start: number, end: number): number[] {
  const found: number[] = [];
  const root = rootOf(node);
  forEachParentRun(node, start, end, (holder, from, to, delta) => {
    const before = found.length;
    holder.pages.forEach(from, to, (at, entry) => {
      if (isFrame(entry)) found.push(at - delta);
    });
    if (holder !== root) return;
    const runs = missingRootRuns(root, from, to);
    for (let i = 0; i < runs.length; i += 2) {
      for (let at = runs[i]!; at < runs[i + 1]!; at++) found.push(at - delta);
    }
    if (runs.length > 0 && found.length - before > 1) {
      const sorted = found.slice(before).sort((a, b) => a - b);
      for (let i = 0; i < sorted.length; i++) found[before + i] = sorted[i]!;
    }
  });
  return found;
}

/**
 * A visible node lost a child. It dies once it has neither views nor children (its VMO closed
 * before them): its pages go, its parent may follow, and a root's pager hears COMPLETE.
 */
export function releaseOrphan(node: VmCowPages): void {
  if (node.dead || node.views.length > 0 || node.children.length > 0) return;
  releaseNode(node);
  node.source?.detach(true);
}

/**
 * A visible node shrank to `newPages`: its children never see past that again, even once it
 * grows (Zircon's UpdateChildParentLimitsLocked; CloneShrinkGrowParent).
 */
export function clampChildLimits(node: VmCowPages, newPages: number): void {
  if (node.hidden) return;
  for (const child of node.children) {
    child.parentLimit = clampWindow(child.parentOffset, child.parentLimit, newPages);
  }
}
