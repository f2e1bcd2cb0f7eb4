// VmCowPages: the page store behind paged VMOs, and a node of the copy-on-write tree.
//
// A VMO made by zx_vmo_create owns a root node. Slices and references are views of their
// parent's node (VmObjectPaged.cowOffset says where a slice starts in it). A snapshot child
// gets a node of its own in the tree: the pages it shares with its parent move into a hidden
// node above both (cow-clone.ts). How many VMOs see each of its pages (Zircon's share count,
// plus one) follows from the tree and is computed when asked (cow-viewers.ts). Visible nodes
// are always leaves; hidden nodes have two or more children and never change a page in place.
//
// A slot of a node's page list holds a frame, a zero marker, or nothing. Nothing means "what
// the parent shows" below parentLimit (offset by parentOffset into the parent) and zero past
// it; a zero marker hides what the parent shows. Reads never allocate; a write to a page an
// ancestor holds copies it while someone else can still see it and moves it otherwise.
//
// Every operation that needs new frames counts them first and reserves them from the PMM, so
// it either completes or fails with ZX_ERR_NO_MEMORY having changed nothing. Whenever frames a
// mapping may hold at some pages are freed or replaced, the node tells every view that maps
// them (unmapPages), and when pages become shared it write-protects them (writeProtectPages).

import { ZX_ERR_INVALID_ARGS, ZX_ERR_NO_MEMORY, ZX_OK } from '../abi/constants.ts';
import { copyIntoArena, FrameRunCopier } from '../pmm/frame-runs.ts';
import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import { assert } from '../util/assert.ts';
import { fillBytes, setBytes } from '../util/host-bytes.ts';
import { PAGE_SIZE as SHARED_PAGE_SIZE } from '../util/u64.ts';
import { nodeAttribution } from './cow-attribution.ts';
import { HoleCounts, WindowCover } from './cow-counts.ts';
import { notifyDescendants, pagerZeroMarkers } from './cow-pager-tree.ts';
import { releaseNode } from './cow-release.ts';
import { freeUnseen, uniformViewers, viewersAt } from './cow-viewers.ts';
import {
  forEachParentRun,
  liveHolder,
  parentFramesIn,
  SKIP_MIN_HOPS,
  SkipCache,
  segmentsOf,
} from './cow-walk.ts';
import { EMPTY, entryFrame, frameEntry, isFrame, VmPageList, ZERO_MARKER } from './page-list.ts';
import type { PageSource } from './page-source.ts';
import type { VmoAttribution } from './vm-object.ts';

/** PAGE_SIZE as this module's own constant, which V8 folds (see util/u64.ts). */
const PAGE_SIZE = SHARED_PAGE_SIZE;

/** A byte range of a VMO, split into the page where it starts and the offset inside it. */
export interface PageRange {
  page: number;
  inPage: number;
  length: number;
}

/** A VMO seeing pages [cowOffset, cowOffset + sizePages) of a node (its own, a slice's). */
export interface CowView {
  readonly cowOffset: number;
  readonly sizePages: number;
  /** How many mappings (observers) the view has: a view with none is skipped. */
  readonly mappingCount: number;
  /** Where the view sits in its node's `views` (kept by the node, so removal is O(1)). */
  viewSlot: number;
  /** Frames of the view's pages [start, end) were freed or replaced. */
  unmapPages(start: number, end: number): void;
  /** The view's pages [start, end) became copy-on-write shared. */
  writeProtectPages(start: number, end: number): void;
}

/** Zircon's 2^64-byte address space, in pages: root offsets must stay below it. */
const PAGES_IN_U64 = 2 ** 52;

export class VmCowPages {
  pages = new VmPageList();
  readonly pmm: PhysicalMemory;
  /** The VMO this node belongs to: never reclaimed while its own operation reserves frames. */
  owner: unknown;
  sizePages: number;
  parent: VmCowPages | null = null;
  /** Where page 0 of this node sits in the parent. */
  parentOffset = 0;
  /** Pages at or past this index never look into the parent. */
  parentLimit = 0;
  /** Offset of page 0 in the root, in pages (for Zircon's overflow checks). */
  rootParentOffset = 0;
  /** Children in the tree (hidden nodes only), in no particular order. */
  readonly children: VmCowPages[] = [];
  /** Where this node sits in its parent's `children` (so removal is O(1)). */
  childSlot = -1;
  /** The hidden ones among `children` (viewer counts look into them). */
  readonly hiddenKids: VmCowPages[] = [];
  /** A hidden node's children as units: their windows, and their entries per index. */
  cover: WindowCover | null = null;
  holes: HoleCounts | null = null;
  hidden = false;
  dead = false;
  /**
   * A dead hidden node that merged into its hidden child: the child now holds its pages, at
   * index - mergedShift. Skip lists naming this node follow the forward (cow-walk.ts).
   */
  mergedInto: VmCowPages | null = null;
  mergedShift = 0;
  /** The VMOs that see this node (its owner, references, slices); none for hidden nodes. */
  readonly views: CowView[] = [];
  /**
   * A leaf's skip list to the ancestors holding its pages: made with the leaf and kept up to
   * date as the tree changes (cow-walk.ts); rebuilt by walking only when it was dropped.
   */
  skip: SkipCache | null = null;
  /** Where the last parentEntry() lookup ended. */
  foundHolder: VmCowPages | null = null;
  foundIndex = 0;
  /** A pager-backed root's pager: its empty slots are pages not supplied yet. */
  source: PageSource | null = null;
  /**
   * Set on every node of a tree whose root has a pager (cow-pager-clone.ts): visible nodes may
   * have children and gain pages, so no skip lists are kept and visible holders are skipped
   * where shares are counted.
   */
  pagerTree = false;

  constructor(pmm: PhysicalMemory, owner: unknown, sizePages = 0) {
    this.pmm = pmm;
    this.owner = owner;
    this.sizePages = sizePages;
  }

  /** Makes this new node a hidden one, ready to take children. */
  makeHidden(): void {
    this.hidden = true;
    this.cover = new WindowCover();
    this.holes = new HoleCounts();
  }

  /** Lowers the parent limit: pages from `limit` on no longer look into the parent. */
  lowerParentLimit(limit: number): void {
    const old = this.parentLimit;
    if (limit >= old) return;
    const parent = this.parent;
    if (parent?.hidden) {
      parent.cover!.add(this.parentOffset + limit, this.parentOffset + old, -1);
      this.pages.setReport(parent.holes, this.parentOffset, limit);
    }
    this.parentLimit = limit;
  }

  /** Frames this node holds itself. */
  get frameCount(): number {
    return this.pages.frameCount;
  }

  // --- Lookup ---

  /** What page `index` shows: its own entry, else its ancestors' (EMPTY reads as zero). */
  entryAt(index: number): number {
    const entry = this.pages.get(index);
    if (entry !== EMPTY || this.parent === null || index >= this.parentLimit) return entry;
    return this.parentEntry(index);
  }

  /**
   * What the ancestors show at page `index` (below parentLimit); foundHolder and foundIndex
   * then say where the lookup ended.
   */
  parentEntry(index: number): number {
    // The parent first: where it holds an entry (a snapshot of a VMO, the usual tree) one hop
    // reads fewer objects than the skip list, which pays off only further up.
    let current = this.parent!;
    let at = index + this.parentOffset;
    let entry = current.pages.get(at);
    if (entry === EMPTY && current.parent !== null && at < current.parentLimit) {
      const cache = this.skip;
      if (cache?.validFor(this)) {
        const i = cache.find(index);
        const holder = liveHolder(cache.segments, i);
        at = index + cache.segments.deltas[i]!;
        this.foundHolder = holder;
        this.foundIndex = at;
        return holder.pages.get(at);
      }
    }
    let hops = 1;
    while (entry === EMPTY && current.parent !== null && at < current.parentLimit) {
      at += current.parentOffset;
      current = current.parent;
      hops++;
      entry = current.pages.get(at);
    }
    this.foundHolder = current;
    this.foundIndex = at;
    if (hops > SKIP_MIN_HOPS && !this.hidden && !this.pagerTree) this.skip = new SkipCache(this);
    return entry;
  }

  /** True when page `index` shows a frame (its own or an ancestor's). */
  hasContent(index: number): boolean {
    return isFrame(this.entryAt(index));
  }

  /** The frame a read-only mapping of page `index` shows: a frame, or the zero page. */
  frameForRead(index: number): number {
    const entry = this.entryAt(index);
    return isFrame(entry) ? entryFrame(entry) : this.pmm.zeroFrame;
  }

  /**
   * The frame of page `index` once this node owns it (writable); or ZX_ERR_NO_MEMORY. The tree
   * is walked once: what the ancestors show says whether a frame is needed (none when this node
   * is the last to see the page, which then moves here), and requireOwned takes that entry.
   */
  frameForWrite(index: number): number {
    const entry = this.pages.get(index);
    if (isFrame(entry)) return entryFrame(entry);
    const seen =
      entry === EMPTY && this.parent !== null && index < this.parentLimit
        ? this.parentEntry(index)
        : EMPTY;
    // A visible ancestor's page (under a pager) is always copied.
    const holder = this.foundHolder;
    const taken = isFrame(seen) && holder!.hidden && viewersAt(holder!, this.foundIndex) === 1;
    const pmm = this.pmm;
    let frame: number;
    if (pmm.freeFrames < (taken ? 0 : 1) + pmm.watermarkFrames) {
      // Reclaiming may change the tree: count again and walk again.
      if (!pmm.ensureFree(this.allocationsFor(index, index + 1), this.owner)) {
        return ZX_ERR_NO_MEMORY;
      }
      frame = this.requireOwned(index, false);
    } else if (isFrame(seen)) {
      // The usual fork: the walk above found the page, so it is taken or copied at once.
      frame = this.ownAncestorPage(index, seen, taken, false);
    } else frame = this.requireOwned(index, false, seen, taken);
    this.notifyRemoved(index, index + 1);
    return frame;
  }

  // --- Byte transfers ---

  /** Copies `range` of the node into dst[dstOffset...]; pages without content read as zero. */
  read(range: PageRange, dst: Uint8Array, dstOffset: number): void {
    const pmm = this.pmm;
    const hasParent = this.parent !== null;
    let page = range.page;
    let inPage = range.inPage;
    let remaining = range.length;
    let out = dstOffset;
    if (inPage === 0 && remaining === PAGE_SIZE) {
      // One whole page (a 4 KiB read): copied from the frame's cached view.
      let entry = this.pages.get(page);
      if (entry === EMPTY && hasParent && page < this.parentLimit) entry = this.parentEntry(page);
      if (isFrame(entry)) setBytes(dst, pmm.frameView(entryFrame(entry)), out);
      else fillBytes(dst, 0, out, out + PAGE_SIZE);
      return;
    }
    const runs = new FrameRunCopier(pmm, dst, true);
    while (remaining > 0) {
      const chunk = Math.min(PAGE_SIZE - inPage, remaining);
      let entry = this.pages.get(page);
      if (entry === EMPTY && hasParent && page < this.parentLimit) entry = this.parentEntry(page);
      if (isFrame(entry)) runs.add(entryFrame(entry), inPage, chunk, out);
      else {
        runs.flush();
        fillBytes(dst, 0, out, out + chunk);
      }
      out += chunk;
      remaining -= chunk;
      inPage = 0;
      page++;
    }
    runs.flush();
  }

  /** Copies src[srcOffset...] into `range`, committing (or forking) pages as needed. */
  write(range: PageRange, src: Uint8Array, srcOffset: number): number {
    const pmm = this.pmm;
    if (range.inPage + range.length <= PAGE_SIZE) {
      // Within one page this node already owns (a 4 KiB write): nothing to allocate or tell.
      const entry = this.pages.get(range.page);
      if (isFrame(entry)) {
        const frame = entryFrame(entry);
        const at = pmm.frameOffset(frame) + range.inPage;
        copyIntoArena(pmm.arenaOf(frame), at, src, srcOffset, range.length);
        return ZX_OK;
      }
    }
    const lastPage = range.page + Math.ceil((range.inPage + range.length) / PAGE_SIZE);
    if (!this.pmm.ensureFree(this.allocationsFor(range.page, lastPage), this.owner)) {
      return ZX_ERR_NO_MEMORY;
    }
    let page = range.page;
    let inPage = range.inPage;
    let remaining = range.length;
    let from = srcOffset;
    let changedFrom = -1;
    let changedTo = -1;
    const runs = new FrameRunCopier(pmm, src, false);
    while (remaining > 0) {
      const chunk = Math.min(PAGE_SIZE - inPage, remaining);
      const entry = this.pages.get(page);
      let frame: number;
      if (isFrame(entry)) frame = entryFrame(entry);
      else {
        // A page written whole need not be zeroed or copied first.
        frame = this.requireOwned(page, chunk === PAGE_SIZE);
        if (changedFrom < 0) changedFrom = page;
        changedTo = page + 1;
      }
      runs.add(frame, inPage, chunk, from);
      from += chunk;
      remaining -= chunk;
      inPage = 0;
      page++;
    }
    runs.flush();
    if (changedFrom >= 0) this.notifyRemoved(changedFrom, changedTo);
    return ZX_OK;
  }

  // --- Commit, decommit, zero ---

  /**
   * Gives every page of [start, end) a frame of its own: forks, moves or zero pages. The frames
   * are counted (over what exists) and reserved first, so a range larger than memory fails at
   * once; past that check every page of the range holds or gets a frame, so the loop is bounded
   * by memory.
   */
  commit(start: number, end: number): number {
    const needed = this.allocationsFor(start, end);
    if (!this.pmm.ensureFree(needed, this.owner)) return ZX_ERR_NO_MEMORY;
    if (needed === 0 && this.parent === null) return ZX_OK;
    let changedFrom = -1;
    let changedTo = -1;
    for (let page = start; page < end; page++) {
      if (isFrame(this.pages.get(page))) continue;
      this.requireOwned(page, false);
      if (changedFrom < 0) changedFrom = page;
      changedTo = page + 1;
    }
    if (changedFrom >= 0) this.notifyRemoved(changedFrom, changedTo);
    return ZX_OK;
  }

  /**
   * Frees every frame (and drops every marker) in [start, end) of a root. A node with a parent
   * cannot simply drop its pages (the parent's would show through): it zeroes them instead.
   */
  decommit(start: number, end: number): void {
    if (this.parent !== null) {
      this.zeroPages(start, end);
      return;
    }
    let freed = false;
    // Last page first: the PMM's LIFO free stack then hands the frames out lowest first, so
    // pages committed next get ascending, adjacent frames again (copied in one run).
    this.pages.clearDescending(start, end, (_index, entry) => {
      if (isFrame(entry)) {
        this.pmm.free(entryFrame(entry), FrameUse.vmo);
        freed = true;
      }
    });
    if (freed) this.notifyRemoved(start, end);
  }

  /**
   * Makes whole pages [start, end) read as zero and hold nothing: own frames are freed, views
   * of ancestors' pages dropped, and zero markers hide what the ancestors still hold (or the
   * parent limit is lowered, when the range reaches it).
   */
  zeroPages(start: number, end: number): void {
    if (this.parent === null) {
      this.decommit(start, end);
      return;
    }
    // Under a pager every page the ancestors show may hold content, supplied or not yet.
    const markers = this.pagerTree
      ? pagerZeroMarkers(this, start, end)
      : parentFramesIn(this, start, end);
    this.releaseRange(start, end, () => {
      if (end >= this.parentLimit && start < this.parentLimit) this.lowerParentLimit(start);
      else for (const index of markers) this.pages.set(index, ZERO_MARKER);
    });
    this.notifyRemoved(start, end);
  }

  /**
   * Zeroes bytes [inPage, inPage + length) of page `index`. A page that shows an ancestor's
   * frame is forked first (it may then fail with ZX_ERR_NO_MEMORY); one without content is
   * already zero.
   */
  zeroWithinPage(index: number, inPage: number, length: number): number {
    let entry = this.pages.get(index);
    if (!isFrame(entry)) {
      if (!this.hasContent(index)) return ZX_OK;
      if (!this.pmm.ensureFree(this.allocationsFor(index, index + 1), this.owner)) {
        return ZX_ERR_NO_MEMORY;
      }
      this.requireOwned(index, false);
      this.notifyRemoved(index, index + 1);
      entry = this.pages.get(index);
    }
    const frame = entryFrame(entry);
    const offset = this.pmm.frameOffset(frame) + inPage;
    this.pmm.arenaOf(frame).fill(0, offset, offset + length);
    return ZX_OK;
  }

  /**
   * Resizes to `newPages`. Shrinking releases what lies past the new end and lowers the parent
   * limit, so growing again shows zeros, never the parent's old pages. Growing fails with
   * ZX_ERR_INVALID_ARGS when the end would pass 2^64 bytes once projected onto the root.
   */
  resize(newPages: number): number {
    const oldPages = this.sizePages;
    if (newPages >= oldPages) {
      if (this.rootParentOffset + newPages >= PAGES_IN_U64) return ZX_ERR_INVALID_ARGS;
      this.sizePages = newPages;
      return ZX_OK;
    }
    this.releaseRange(newPages, oldPages, () => this.lowerParentLimit(newPages));
    // Views are told while they still have the old size (references take the node's).
    this.notifyRemoved(newPages, oldPages);
    this.sizePages = newPages;
    return ZX_OK;
  }

  /**
   * Drops everything [start, end) holds or sees: own frames are freed, then `hide` makes the
   * node stop seeing its ancestors there (zero markers, a lower parent limit), and the pages of
   * hidden ancestors it saw there that nobody sees any more are freed.
   */
  releaseRange(start: number, end: number, hide: () => void): void {
    const limit = Math.min(end, this.parentLimit);
    const segments = this.parent !== null && start < limit ? segmentsOf(this, start, limit) : null;
    // Last page first, as in decommit(): the frames come back from the PMM in ascending order.
    this.pages.clearDescending(start, end, (_index, entry) => {
      if (isFrame(entry)) this.pmm.free(entryFrame(entry), FrameUse.vmo);
    });
    hide();
    if (segments !== null) freeUnseen(segments, start, limit, this.pmm);
  }

  /** Frees everything: the VMO is gone, or discarded. */
  releaseAll(): void {
    if (this.parent === null) {
      this.decommit(0, Number.MAX_SAFE_INTEGER);
      return;
    }
    this.releaseRange(0, Math.max(this.sizePages, this.parentLimit), () =>
      this.lowerParentLimit(0),
    );
    this.notifyRemoved(0, this.sizePages);
  }

  // --- Counting ---

  /**
   * Frames in [start, end) that a write or commit would have to allocate: every page but those
   * this node holds and those it takes over from an ancestor (as their last viewer, instead of
   * copying them). Counted over the entries there are, so a huge range costs no more than a
   * small one.
   */
  allocationsFor(start: number, end: number): number {
    let needed = this.countMissing(start, end);
    if (this.parent === null) return needed;
    const own = this.pages;
    const ownEmpty = own.isEmpty;
    forEachParentRun(this, start, end, (holder, holderStart, holderEnd, delta) => {
      // Pages of a visible ancestor (under a pager) are always copied, never taken over.
      if (!holder.hidden) return;
      holder.pages.forEachChunk(holderStart, holderEnd, (chunk, base, from, to) => {
        // Pages all seen by several VMOs are all copied: the run needs no page-by-page look.
        const uniform = uniformViewers(holder, base + from, base + to);
        if (uniform > 1) return;
        for (let slot = from; slot < to; slot++) {
          if (chunk[slot]! <= 0) continue; // not a frame
          if (!ownEmpty && own.get(base + slot - delta) !== EMPTY) continue;
          if (uniform === 1 || viewersAt(holder, base + slot) === 1) needed--;
        }
      });
    });
    return needed;
  }

  /** Frames in [start, end) that a plain VMO would have to allocate. */
  countMissing(start: number, end: number): number {
    return end - start - this.pages.countFrames(start, end);
  }

  /** True when a frame this node holds in [start, end) is pinned. */
  hasPinnedFrames(start: number, end: number): boolean {
    const pmm = this.pmm;
    if (pmm.pinnedFrames === 0) return false;
    let pinned = false;
    this.pages.forEach(start, end, (_index, entry) => {
      if (isFrame(entry) && pmm.pinCount(entryFrame(entry)) > 0) pinned = true;
    });
    return pinned;
  }

  attribution(): VmoAttribution {
    return nodeAttribution(this);
  }

  // --- Views and notifications ---

  addView(view: CowView): void {
    assert(!this.hidden && !this.dead, 'a view of a hidden or dead node');
    view.viewSlot = this.views.length;
    this.views.push(view);
    if (this.owner === null) this.owner = view;
  }

  /** A VMO seeing this node is gone; the node dies with its last view. */
  removeView(view: CowView): void {
    const i = view.viewSlot;
    assert(this.views[i] === view, 'removing a view the node does not have');
    // The last view takes the slot: O(1) however many slices or references there are.
    const last = this.views.pop()!;
    if (last !== view) {
      this.views[i] = last;
      last.viewSlot = i;
    }
    view.viewSlot = -1;
    if (this.owner === view) this.owner = this.views[0] ?? null;
    // A visible node with children (under a pager) lives on for them (cow-pager-clone.ts).
    if (this.views.length === 0 && this.children.length === 0) releaseNode(this);
  }

  /** Tells every view mapping pages [start, end) of this node that their frames changed. */
  notifyRemoved(start: number, end: number): void {
    // Under a pager, nodes below a visible one may map its frames too (only there do visible
    // nodes have children).
    if (this.pagerTree && !this.hidden && this.children.length > 0) {
      notifyDescendants(this, start, end);
    }
    for (const view of this.views) {
      if (view.mappingCount === 0) continue;
      const from = Math.max(start, view.cowOffset);
      const to = Math.min(end, view.cowOffset + view.sizePages);
      if (from < to) view.unmapPages(from - view.cowOffset, to - view.cowOffset);
    }
  }

  /** Tells every view mapping pages [start, end) that they are now shared copy-on-write. */
  notifyWriteProtected(start: number, end: number): void {
    for (const view of this.views) {
      if (view.mappingCount === 0) continue;
      const from = Math.max(start, view.cowOffset);
      const to = Math.min(end, view.cowOffset + view.sizePages);
      if (from < to) view.writeProtectPages(from - view.cowOffset, to - view.cowOffset);
    }
  }

  // --- Forking ---

  /**
   * Gives page `index` a frame of its own and returns it. The frames it may need were
   * reserved by the caller (allocationsFor). A page an ancestor holds is moved here when this
   * node is its last viewer, copied otherwise; other pages get a zeroed frame. When
   * `overwritten`, the caller writes the whole page: nothing needs copying or zeroing. `seen` is
   * what parentEntry() just returned for the page (foundHolder and foundIndex still say where),
   * when the caller has looked already; `seenMoves` then says whether the caller counted this
   * node as its only viewer, so the count is not made twice.
   */
  private requireOwned(
    index: number,
    overwritten: boolean,
    seen?: number,
    seenMoves?: boolean,
  ): number {
    const pmm = this.pmm;
    const entry = this.pages.get(index);
    if (isFrame(entry)) return entryFrame(entry);
    if (entry === EMPTY && this.parent !== null && index < this.parentLimit) {
      const found = seen ?? this.parentEntry(index);
      if (isFrame(found)) {
        // A visible ancestor's page (under a pager) is copied: it stays where it is. A hidden
        // one's moves here when this node is its only viewer.
        const holder = this.foundHolder!;
        const moves =
          seen !== undefined && seenMoves !== undefined
            ? seenMoves
            : holder.hidden && viewersAt(holder, this.foundIndex) === 1;
        return this.ownAncestorPage(index, found, moves, overwritten);
      }
    }
    const frame = pmm.alloc(FrameUse.vmo, !overwritten);
    this.pages.set(index, frameEntry(frame));
    return frame;
  }

  /**
   * Page `index` takes the ancestor's page `found` (where parentEntry() found it): moved here
   * when `moves` (its last viewer), else copied into a frame the caller reserved.
   */
  private ownAncestorPage(
    index: number,
    found: number,
    moves: boolean,
    overwritten: boolean,
  ): number {
    const holder = this.foundHolder!;
    assert(holder.hidden || this.pagerTree, 'a page held by a visible ancestor');
    if (moves) {
      holder.pages.set(this.foundIndex, EMPTY);
      this.pages.set(index, found);
      return entryFrame(found);
    }
    // Once this node holds its copy, the original has one viewer fewer (cow-counts.ts).
    const pmm = this.pmm;
    const frame = pmm.alloc(FrameUse.vmo, false);
    if (!overwritten) {
      pmm.arenaOf(frame).set(pmm.frameView(entryFrame(found)), pmm.frameOffset(frame));
    }
    this.pages.set(index, frameEntry(frame));
    return frame;
  }
}
