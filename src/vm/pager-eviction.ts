// Evicting pager-backed pages under memory pressure (Zircon's Evictor, page queues and
// VmCowPages::ReclaimPage for user-pager pages, 2025).
//
// A page the pager supplied and nobody wrote since is clean: the pager can supply it again, so
// the kernel may free it when memory runs short, and the next access asks for it anew. Zircon
// keeps such pages in page queues ordered by age: an access moves a page to the newest queue
// (MarkAccessed), and reclaim takes from the oldest. zxvm keeps one age list of the pager-backed
// roots' pages, least recently used first:
// - a supply puts the pages it placed last (newest);
// - an access zxvm makes itself moves the page last at once: zx_vmo_read and zx_vmo_write of the
//   VMO (or of a slice or reference, which share its pages), and a page fault through a mapping;
// - loads and stores through a mapping that is already there only set the frame's accessed bit
//   (PhysicalMemory.accessed, a CPU's page-table A bit); the evictor harvests it when the page
//   comes up for eviction, moving the page last instead, as Zircon's harvest of accessed bits
//   does. Between harvests such a page is as old as its last supply, fault or syscall access.
// Accesses through a snapshot child age nothing (the child's node holds no age of the root's).
// Hints order it further, as Zircon's do:
// - ZX_VMO_OP_DONT_NEED puts the range's present pages first in line (Zircon's DontNeed queue);
// - ZX_VMO_OP_ALWAYS_NEED (after fetching the range) keeps its pages out of ordinary eviction
//   (FollowHint skips them, even when a later DONT_NEED put them first in line: the hint is
//   sticky); only the last pass before ZX_ERR_NO_MEMORY, as Zircon's OOM-level eviction
//   (IgnoreHint), takes them too.
// Pinned pages, dirty and awaiting-clean pages and zero ranges are never evicted (they keep
// their place), and neither are the pages of the tree whose operation is asking for memory (it
// may be about to copy them).
//
// The age list links the frames themselves, as Zircon links vm_page_t into its queues
// (page-ages.ts): marking an access costs a few array stores, no allocation. Frames whose page
// let them go meanwhile (decommitted, zeroed, cut), or whose root left the order (detached,
// gone), leave the line when the evictor meets them.
//
// The reclaimer's order (kernel-core.ts): DONT_NEED pages, then unlocked discardable VMOs (as
// before), then clean pager pages oldest first, then ALWAYS_NEED ones.

import { FrameUse } from '../pmm/pmm.ts';
import { PAGE_SHIFT_N, PAGE_SIZE_N } from '../util/u64.ts';
import { rootOf } from './cow-pager-tree.ts';
import type { VmCowPages } from './cow-pages.ts';
import { forEachParentRun } from './cow-walk.ts';
import { NO_FRAME, PageAgeList } from './page-ages.ts';
import { EMPTY, entryFrame, isFrame } from './page-list.ts';
import type { VmObject } from './vm-object.ts';

/** A frame's hint bits (PhysicalMemory.hintBits): ZX_VMO_OP_ALWAYS_NEED, DONT_NEED. */
const ALWAYS_NEED_BIT = 1;
const DONT_NEED_BIT = 2;

/** The hint `bit` on the frame page `page` of `root` holds now (none when it holds none). */
function frameHint(root: VmCowPages, page: number, bit: number): boolean {
  const entry = root.pages.get(page);
  const bits = root.pmm.hintBits;
  return isFrame(entry) && bits !== null && (bits[entryFrame(entry)]! & bit) !== 0;
}

/**
 * What the hints said of a pager-backed root's pages, and its number. The hints live on the
 * frames (a frame freed, by ZERO, a shrink or a detach, loses them, as upstream's vm_page_t
 * does); `dontNeed` keeps the DONT_NEED line's order, by root page index, and an entry whose
 * page holds no frame with the bit any more is stale (skipped, dropped when met).
 */
export class EvictionHints {
  readonly dontNeed = new Set<number>();
  evictor: PagerEvictor | null = null;
  root: VmCowPages | null = null;
  /** The root's number in the evictor's age list (0 until tracked). */
  id = 0;

  /**
   * Pages [start, end) of the root were supplied or accessed: those holding a frame are the
   * newest in line. Callers pass the pages they just read, wrote or placed, so this costs what
   * they did, and a few array stores a page.
   */
  accessed(start: number, end: number): void {
    const evictor = this.evictor;
    const root = this.root;
    if (evictor === null || root === null) return;
    const pages = root.pages;
    for (let page = start; page < end; page++) {
      const entry = pages.get(page);
      if (isFrame(entry)) evictor.ages.touch(entryFrame(entry), this.id, page);
    }
  }

  /** `frame` now holds page `page` of the root (a supply): the newest in line. */
  placed(frame: number, page: number): void {
    this.evictor?.ages.touch(frame, this.id, page);
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
function isCleanPagerPage(root: VmCowPages, page: number): boolean {
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
  /** Pager-backed roots by number, in the order they were made. */
  private readonly roots = new Map<number, VmCowPages>();
  private nextId = 1;
  /** The line of the roots' frames, least recently used first (page-ages.ts). */
  readonly ages = new PageAgeList();
  /** Pages evicted so far (Zircon's pager_backed_pages_evicted counter). */
  evicted = 0;

  /** A new pager-backed root. Its pages' accesses through mappings are seen from now on. */
  track(root: VmCowPages): void {
    const hints = root.source!.hints;
    hints.evictor = this;
    hints.root = root;
    hints.id = this.nextId++;
    this.roots.set(hints.id, root);
    root.pmm.trackAccess();
  }

  /** The root leaves the order; its frames still in line leave it when the evictor meets them. */
  untrack(root: VmCowPages): void {
    this.roots.delete(root.source!.hints.id);
  }

  /**
   * Evicts pages allowed by `pass` until `enough()` holds, least recently used first, never
   * from the tree of `exclude` (the VMO whose operation needs the memory).
   */
  evict(pass: EvictionPass, enough: () => boolean, exclude: unknown): void {
    const spared = excludedRoot(exclude);
    if (pass === EvictionPass.dontNeed) {
      for (const root of this.roots.values()) {
        if (root === spared || root.dead) continue;
        const hints = root.source!.hints;
        for (const page of [...hints.dontNeed]) {
          if (enough()) return;
          if (!frameHint(root, page, DONT_NEED_BIT)) hints.dontNeed.delete(page);
          else if (frameHint(root, page, ALWAYS_NEED_BIT)) this.spareNeeded(root, page);
          else this.evictPage(root, page);
        }
      }
      return;
    }
    const followHint = pass === EvictionPass.followHint;
    this.evictOldest(followHint, enough, spared);
    // Pages that hold a frame but no place in line (cleaned by a writeback) join it last.
    if (!enough() && this.adoptUnaged()) this.evictOldest(followHint, enough, spared);
  }

  /** The age line's pass of evict(). */
  private evictOldest(followHint: boolean, enough: () => boolean, spared: VmCowPages | null) {
    const ages = this.ages;
    const accessed = this.roots.values().next().value?.pmm.accessed ?? null;
    // Frames moved last (their accessed bit harvested) come up again at most once more.
    let frame = ages.oldest;
    while (frame !== NO_FRAME && !enough()) {
      const next = ages.newerThan(frame);
      const root = this.roots.get(ages.ownerOf(frame));
      const page = ages.pageOf(frame);
      const entry = root?.pages.get(page);
      // A frame whose page let it go (or whose root left) leaves the line.
      if (root === undefined || root.dead || !isFrame(entry!) || entryFrame(entry!) !== frame) {
        ages.remove(frame);
      } else if (root !== spared) {
        if (accessed !== null && accessed[frame] === 1) {
          accessed[frame] = 0;
          ages.touch(frame, ages.ownerOf(frame), page);
        } else if (!followHint || !frameHint(root, page, ALWAYS_NEED_BIT)) {
          this.evictPage(root, page);
        }
      }
      frame = next;
    }
  }

  /** Puts every root's frames that are not in line last in it: whether there were any. */
  private adoptUnaged(): boolean {
    let adopted = false;
    for (const [id, root] of this.roots) {
      if (root.dead) continue;
      root.pages.forEach(0, root.sizePages, (page, entry) => {
        if (!isFrame(entry) || this.ages.ownerOf(entryFrame(entry)) === id) return;
        this.ages.touch(entryFrame(entry), id, page);
        adopted = true;
      });
    }
    return adopted;
  }

  /**
   * A DONT_NEED page that is also hinted ALWAYS_NEED: the latter is sticky, so the page stays,
   * leaves the DONT_NEED line and counts as just accessed (Zircon's ReclaimPage refuses an
   * always_need page under EvictionHintAction::Follow and marks it accessed).
   */
  private spareNeeded(root: VmCowPages, page: number): void {
    const hints = root.source!.hints;
    hints.dontNeed.delete(page);
    const entry = root.pages.get(page);
    if (!isFrame(entry)) return;
    root.pmm.hintBits![entryFrame(entry)]! &= ~DONT_NEED_BIT;
    this.ages.touch(entryFrame(entry), hints.id, page);
  }

  /** Frees page `page` of `root` when it is a clean, unpinned frame. */
  private evictPage(root: VmCowPages, page: number): void {
    const entry = root.pages.get(page);
    const hints = root.source!.hints;
    hints.dontNeed.delete(page);
    if (!isFrame(entry) || !isCleanPagerPage(root, page)) return;
    const frame = entryFrame(entry);
    if (root.pmm.pinCount(frame) > 0) return;
    this.ages.remove(frame);
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
   * does not bucket its age list further).
   */
  counts(): { total: number; newest: number; oldest: number } {
    let total = 0;
    let oldest = 0;
    for (const root of this.roots.values()) {
      if (root.dead) continue;
      const hints = root.source!.hints;
      root.pages.forEach(0, root.sizePages, (page, entry) => {
        if (!isFrame(entry) || !isCleanPagerPage(root, page)) return;
        if (root.pmm.pinCount(entryFrame(entry)) > 0) return;
        total++;
        if (hints.dontNeed.has(page) && frameHint(root, page, DONT_NEED_BIT)) oldest++;
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
  root.pmm.trackAccess();
  const bits = root.pmm.hintBits!;
  // An ALWAYS_NEED page leaves the DONT_NEED line; DONT_NEED leaves ALWAYS_NEED in force.
  const mark = (page: number) => {
    const frame = entryFrame(root.pages.get(page));
    if (!alwaysNeed) {
      hints.dontNeed.add(page);
      bits[frame]! |= DONT_NEED_BIT;
    } else {
      hints.dontNeed.delete(page);
      bits[frame] = (bits[frame]! & ~DONT_NEED_BIT) | ALWAYS_NEED_BIT;
    }
  };
  if (node === root) {
    root.pages.forEach(start + offset, end + offset, (page, entry) => {
      if (isFrame(entry)) mark(page);
    });
    return;
  }
  // The root's frames the child shows (not hidden by its own entries): costs the segments and
  // the root's entries in the range, not its width.
  forEachParentRun(node, start + offset, end + offset, (holder, from, to, delta) => {
    if (holder !== root) return;
    root.pages.forEach(from, to, (at, entry) => {
      if (isFrame(entry) && node.pages.get(at - delta) === EMPTY) mark(at);
    });
  });
}

/** hintPagerPages for the bytes [offset, offset + length), rounded out to whole pages. */
export function hintPagerRange(vmo: VmObject, offset: bigint, length: bigint, alwaysNeed: boolean) {
  if (length === 0n) return;
  const start = Number(offset >> PAGE_SHIFT_N);
  const end = Number((offset + length + PAGE_SIZE_N - 1n) >> PAGE_SHIFT_N);
  hintPagerPages(vmo, start, end, alwaysNeed);
}
