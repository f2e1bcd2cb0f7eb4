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
import { readsZero } from './dirty-ranges.ts';
import { EMPTY, isFrame } from './page-list.ts';

/** The root of `node`'s tree. */
export function rootOf(node: VmCowPages): VmCowPages {
  let n = node;
  while (n.parent !== null) n = n.parent;
  return n;
}

/**
 * Where page `index` of `node` resolves when `node` has no entry for it: the holder and its
 * index there (the root when no node on the way has an entry and the limits allow).
 */
function resolveAbove(node: VmCowPages, index: number): [VmCowPages, number] {
  let current = node;
  let at = index;
  while (current.parent !== null && at < current.parentLimit) {
    at += current.parentOffset;
    current = current.parent;
    if (current.pages.get(at) !== EMPTY) break;
  }
  return [current, at];
}

/**
 * The root page that page `index` of `node` needs from the pager, or -1 when the page is
 * present (its own entry, an ancestor's, zeros past a parent limit or in a zero run of the root).
 */
function missingRootPage(node: VmCowPages, index: number): number {
  if (node.pages.get(index) !== EMPTY) return -1;
  const [holder, at] = resolveAbove(node, index);
  if (holder.pages.get(at) !== EMPTY || holder.parent !== null) return -1;
  const source = holder.source;
  if (source === null || readsZero(source.runs.tagAt(at))) return -1;
  return at;
}

/**
 * Pages [start, end) of a node under a pager, present or waited for: the first page that needs
 * the pager starts one READ request for the root's pages, which runs as long as the node's next
 * pages need the root's next pages (a page present in the node or any ancestor ends it:
 * PageRequestBatchingChecksAncestorPages). The request is the root's: its key, its waiters.
 */
export function awaitAncestorPages(node: VmCowPages, start: number, end: number): number {
  for (let page = start; page < end; page++) {
    const first = missingRootPage(node, page);
    if (first < 0) continue;
    let last = first + 1;
    for (let next = page + 1; next < end && missingRootPage(node, next) === last; next++) last++;
    const root = rootOf(node);
    return root.source!.require(root.pages, first, last);
  }
  return ZX_OK;
}

/** Tells the nodes below the visible `node` that its frames at pages [start, end) changed. */
export function notifyDescendants(node: VmCowPages, start: number, end: number): void {
  for (const child of node.children) {
    const from = Math.max(start, child.parentOffset) - child.parentOffset;
    const to = Math.min(end, child.parentOffset + child.parentLimit) - child.parentOffset;
    if (from >= to) continue;
    if (child.hidden) notifyDescendants(child, from, to);
    else child.notifyRemoved(from, to);
  }
}

/**
 * The pages of [start, end) a node under a pager must mark zero before dropping its entries:
 * every page within its parent limit whose lookup would find content (a frame above, or a root
 * page the pager has not supplied yet).
 */
export function pagerZeroMarkers(node: VmCowPages, start: number, end: number): number[] {
  const found: number[] = [];
  const limit = Math.min(end, node.parentLimit);
  for (let page = start; page < limit; page++) {
    const [holder, at] = resolveAbove(node, page);
    const entry = holder.pages.get(at);
    if (isFrame(entry)) found.push(page);
    else if (entry === EMPTY && holder.parent === null && holder.source !== null) {
      if (!readsZero(holder.source.runs.tagAt(at))) found.push(page);
    }
  }
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
