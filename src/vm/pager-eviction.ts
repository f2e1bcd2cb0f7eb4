// Evicting pager-backed pages under memory pressure (Zircon's Evictor and VmCowPages::ReclaimPage
// for user-pager pages, 2025).
//
// A page the pager supplied and nobody wrote since is clean: the pager can supply it again, so
// the kernel may free it when memory runs short, and the next access asks for it anew. Zircon
// keeps such pages in page queues aged by access; zxvm has no access bits to harvest, and ages
// whole VMOs instead, by when they were last supplied (least recently supplied first). Hints
// order it further, as Zircon's do:
// - ZX_VMO_OP_DONT_NEED puts the range's present pages first in line (Zircon's DontNeed queue);
// - ZX_VMO_OP_ALWAYS_NEED (after fetching the range) keeps its pages out of ordinary eviction
//   (FollowHint skips them); only the last pass before ZX_ERR_NO_MEMORY, as Zircon's OOM-level
//   eviction (IgnoreHint), takes them too.
// Pinned pages, dirty and awaiting-clean pages and zero ranges are never evicted, and neither
// are the pages of the tree whose operation is asking for memory (it may be about to copy them).
//
// The reclaimer's order (kernel-core.ts): DONT_NEED pages, then unlocked discardable VMOs (as
// before), then clean pager pages, then ALWAYS_NEED ones.

import { FrameUse } from '../pmm/pmm.ts';
import { PAGE_SHIFT_N, PAGE_SIZE_N } from '../util/u64.ts';
import { resolveAbove, rootOf } from './cow-pager-tree.ts';
import type { VmCowPages } from './cow-pages.ts';
import { EMPTY, entryFrame, isFrame } from './page-list.ts';
import type { VmObject } from './vm-object.ts';

/** What the hints said of a pager-backed root's pages (root page indices). */
export class EvictionHints {
  readonly alwaysNeed = new Set<number>();
  readonly dontNeed = new Set<number>();
  evictor: PagerEvictor | null = null;
  root: VmCowPages | null = null;

  /** Pages were supplied: the VMO is the newest in line. */
  supplied(): void {
    if (this.root !== null) this.evictor?.touch(this.root);
  }

  /** No more pages will come (detached, or the VMO is gone): out of the eviction order. */
  detached(): void {
    if (this.root !== null) this.evictor?.untrack(this.root);
  }
}

/**
 * A page the pager supplied and nobody dirtied since (it reads as the pager would supply it
 * again). The one place that says what "clean" means for eviction.
 */
export function isCleanPagerPage(root: VmCowPages, page: number): boolean {
  // A page without a run (dirty-ranges.ts) is clean; dirty, awaiting-clean and zero runs are not.
  return root.source!.runs.tagAt(page) === 0;
}

/** Which pages a pass may evict. */
export const EvictionPass = {
  /** Pages hinted DONT_NEED only. */
  dontNeed: 0,
  /** Clean pages not hinted ALWAYS_NEED (FollowHint). */
  followHint: 1,
  /** Every clean page (IgnoreHint: the last resort before ZX_ERR_NO_MEMORY). */
  ignoreHint: 2,
} as const;
export type EvictionPass = (typeof EvictionPass)[keyof typeof EvictionPass];

export class PagerEvictor {
  /** Pager-backed roots, least recently supplied first (a Set keeps insertion order). */
  private readonly roots = new Set<VmCowPages>();
  /** The root supplied last (touching it again changes nothing). */
  private newest: VmCowPages | null = null;
  /** Pages evicted so far (Zircon's pager_backed_pages_evicted counter). */
  evicted = 0;

  /** A new pager-backed root. */
  track(root: VmCowPages): void {
    const hints = root.source!.hints;
    hints.evictor = this;
    hints.root = root;
    this.roots.add(root);
  }

  untrack(root: VmCowPages): void {
    this.roots.delete(root);
    if (this.newest === root) this.newest = null;
  }

  touch(root: VmCowPages): void {
    if (this.newest === root) return;
    this.roots.delete(root);
    this.roots.add(root);
    this.newest = root;
  }

  /**
   * Evicts pages allowed by `pass` until `enough()` holds, oldest VMO first, never from the tree
   * of `exclude` (the VMO whose operation needs the memory).
   */
  evict(pass: EvictionPass, enough: () => boolean, exclude: unknown): void {
    const spared = excludedRoot(exclude);
    for (const root of [...this.roots]) {
      if (root.dead) {
        this.roots.delete(root);
        continue;
      }
      if (root === spared) continue;
      const hints = root.source!.hints;
      const pages: number[] = [];
      const followHint = pass !== EvictionPass.ignoreHint;
      if (pass === EvictionPass.dontNeed) pages.push(...hints.dontNeed);
      else {
        root.pages.forEach(0, root.sizePages, (page, entry) => {
          if (isFrame(entry)) pages.push(page);
        });
      }
      for (const page of pages) {
        if (enough()) return;
        if (followHint && hints.alwaysNeed.has(page)) continue;
        this.evictPage(root, page);
      }
    }
  }

  /** Frees page `page` of `root` when it is a clean, unpinned frame. */
  private evictPage(root: VmCowPages, page: number): void {
    const entry = root.pages.get(page);
    const hints = root.source!.hints;
    hints.dontNeed.delete(page);
    if (!isFrame(entry) || !isCleanPagerPage(root, page)) return;
    const frame = entryFrame(entry);
    if (root.pmm.pinCount(frame) > 0) return;
    hints.alwaysNeed.delete(page);
    root.pages.set(page, EMPTY);
    root.pmm.free(frame, FrameUse.vmo);
    root.notifyRemoved(page, page + 1);
    // committed_change_events of the VMO (Zircon's reclamation_event_count_).
    const owner = root.owner as { changeEvents?: number } | null;
    if (owner !== null && typeof owner.changeEvents === 'number') owner.changeEvents++;
    this.evicted++;
  }

  /**
   * Pager-backed pages by what ZX_INFO_KMEM_STATS reports of them: every clean, unpinned frame
   * is reclaimable; those hinted DONT_NEED count as the oldest, the others as the newest (zxvm
   * does not age pages further).
   */
  counts(): { total: number; newest: number; oldest: number } {
    let total = 0;
    let oldest = 0;
    for (const root of this.roots) {
      if (root.dead) continue;
      const hints = root.source!.hints;
      root.pages.forEach(0, root.sizePages, (page, entry) => {
        if (!isFrame(entry) || !isCleanPagerPage(root, page)) return;
        if (root.pmm.pinCount(entryFrame(entry)) > 0) return;
        total++;
        if (hints.dontNeed.has(page)) oldest++;
      });
    }
    return { total, newest: total - oldest, oldest };
  }
}

/** The root of the tree whose operation asks for memory, if `exclude` is a VMO in one. */
function excludedRoot(exclude: unknown): VmCowPages | null {
  const cow = (exclude as { cow?: VmCowPages } | null)?.cow;
  return cow?.pagerTree ? rootOf(cow) : null;
}

/**
 * ZX_VMO_OP_ALWAYS_NEED (`alwaysNeed`, once the pages are fetched) or DONT_NEED on pages
 * [start, end) of `vmo`: the root pages they show now are marked. A page the VMO (a child)
 * holds itself is anonymous memory and takes no hint.
 */
export function hintPagerPages(vmo: VmObject, start: number, end: number, alwaysNeed: boolean) {
  const node = (vmo as { cow?: VmCowPages }).cow;
  if (node === undefined || !node.pagerTree) return;
  const offset = (vmo as unknown as { cowOffset: number }).cowOffset;
  const root = rootOf(node);
  const hints = root.source!.hints;
  // An ALWAYS_NEED page leaves the DONT_NEED line; DONT_NEED leaves ALWAYS_NEED in force.
  const mark = (page: number) => {
    if (!alwaysNeed) hints.dontNeed.add(page);
    else {
      hints.alwaysNeed.add(page);
      hints.dontNeed.delete(page);
    }
  };
  if (node === root) {
    root.pages.forEach(start + offset, end + offset, (page, entry) => {
      if (isFrame(entry)) mark(page);
    });
    return;
  }
  for (let page = start + offset; page < end + offset; page++) {
    if (node.pages.get(page) !== EMPTY) continue;
    const [holder, at] = resolveAbove(node, page);
    if (holder === root && isFrame(root.pages.get(at))) mark(at);
  }
}

/** hintPagerPages for the bytes [offset, offset + length), rounded out to whole pages. */
export function hintPagerRange(vmo: VmObject, offset: bigint, length: bigint, alwaysNeed: boolean) {
  if (length === 0n) return;
  const start = Number(offset >> PAGE_SHIFT_N);
  const end = Number((offset + length + PAGE_SIZE_N - 1n) >> PAGE_SHIFT_N);
  hintPagerPages(vmo, start, end, alwaysNeed);
}
