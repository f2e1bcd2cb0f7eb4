// VmObjectPaged: a VMO whose memory is RAM pages held in a VmCowPages. It knows its size,
// options, cache policy and discardable state; range checks and rights live in the layers
// above, which call in here only with ranges already known to be inside the VMO.
// A child VMO (cow-child.ts) is a view of a VmCowPages too: a snapshot has its own node in the
// copy-on-write tree, a slice or a reference shares its parent's (cowOffset is where a slice
// starts in it), so every page operation here translates by cowOffset and goes to the node.

import {
  ZX_CACHE_POLICY_CACHED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_UNAVAILABLE,
  ZX_OK,
} from '../abi/constants.ts';
import type { PhysicalMemory } from '../pmm/pmm.ts';
import { assert } from '../util/assert.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import { NO_ATTRIBUTION } from './cow-attribution.ts';
import { type PageRange, VmCowPages } from './cow-pages.ts';
import { type DiscardableList, DiscardableTracker } from './discardable.ts';
import { entryFrame, isFrame } from './page-list.ts';

/** Zircon's largest VMO: UINT64_MAX rounded down to 2 * 16 pages (VmPageList::MAX_SIZE). */
export const VMO_MAX_SIZE = 0xffff_ffff_ffff_ffffn - (2n * 16n * 4096n - 1n);
export const VMO_MAX_PAGES = Number(VMO_MAX_SIZE >> 12n);

/**
 * Something that holds translations to this VMO's frames (a mapping's page-table entries). It
 * must drop them when the frames go, and drop write access when pages become shared.
 */
export interface PageObserver {
  /** Frames of pages [start, end) were freed or replaced: unmap them. */
  pagesRemoved(start: number, end: number): void;
  /** Pages [start, end) became shared copy-on-write: writes must fault again. */
  pagesWriteProtected(start: number, end: number): void;
  /** The address space of a mapping (share_count counts distinct ones). */
  readonly aspace?: unknown;
}

export interface VmoCreateOptions {
  resizable: boolean;
  discardable: boolean;
  unbounded: boolean;
}

/** The kinds of child zx_vmo_create_child makes. */
export type VmoChildType = 'snapshot' | 'slice' | 'reference';

/** Where a child VMO's pages are: its own new node, or its parent's node at an offset. */
export interface VmoChildOf {
  type: VmoChildType;
  cow: VmCowPages;
  cowOffset: number;
}

/** What ZX_INFO_VMO reports about the memory a VMO holds. */
export interface VmoAttribution {
  committedBytes: bigint;
  populatedBytes: bigint;
  committedPrivateBytes: bigint;
  populatedPrivateBytes: bigint;
  committedScaledBytes: bigint;
  populatedScaledBytes: bigint;
  committedFractionalScaledBytes: bigint;
  populatedFractionalScaledBytes: bigint;
}

export class VmObjectPaged {
  readonly cow: VmCowPages;
  /** Where page 0 of this VMO sits in `cow` (non-zero only for slices). */
  cowOffset = 0;
  /** Where this VMO sits among its node's views (the node keeps it). */
  viewSlot = -1;
  /** A slice's own size; every other VMO has the size of its node (references share it). */
  private sliceSizePages = 0;

  /** The size in pages. */
  get sizePages(): number {
    return this.isSlice ? this.sliceSizePages : this.cow.sizePages;
  }

  set sizePages(pages: number) {
    if (this.isSlice) this.sliceSizePages = pages;
    else this.cow.sizePages = pages;
  }

  cachePolicy: number = ZX_CACHE_POLICY_CACHED;
  readonly discardable: DiscardableTracker | null;
  /** Name bytes (at most ZX_MAX_NAME_LEN - 1), as set with ZX_PROP_NAME. */
  name: Uint8Array = new Uint8Array(0);
  /** Number of live mappings of this VMO; change it only with addMapping/removeMapping. */
  mappingCount = 0;
  /** Called when the last mapping goes (the VMO may then be destroyed if no handle is left). */
  onLastMappingGone: (() => void) | null = null;
  /** Children of this VMO (snapshots, slices, references). */
  childCount = 0;
  /** Snapshot-type children (they make DECOMMIT unsupported here). */
  snapshotChildCount = 0;
  /** The VMO this one is a child of, if any. */
  parent: VmObjectPaged | null = null;
  /** True for a slice: a window onto its parent's pages. */
  isSlice = false;
  /** Pages pinned by BTIs: never moved or freed while pinned. */
  pinnedCount = 0;
  /**
   * Physically contiguous memory (zx_vmo_create_contiguous, and physical VMOs): its pages are
   * never decommitted or moved; ZERO clears them in place.
   */
  isContiguous = false;
  /** Device memory (VmObjectPhysical in physical.ts) rather than RAM pages. */
  isPhysical = false;

  /** Physical or contiguous memory, or a slice of it: such VMOs have no stream size. */
  get isDeviceMemory(): boolean {
    if (this.isPhysical || this.isContiguous) return true;
    return this.isSlice && this.parent?.isDeviceMemory === true;
  }

  /** True for a reference: a view of all of its parent's pages, size and content size. */
  isReference = false;
  /** The kind of child this VMO was made as; null for one made by zx_vmo_create. */
  childType: VmoChildType | null = null;
  /** Live children: snapshots, slices, references, and grandchildren re-homed here. */
  readonly children = new Set<VmObjectPaged>();
  /** The koid of this VMO's kernel object (Zircon's user_id), reported as parent_koid. */
  userId = 0;
  /** Called when the last child goes (ZX_VMO_ZERO_CHILDREN). */
  onZeroChildren: (() => void) | null = null;

  readonly options: VmoCreateOptions;

  constructor(
    pmm: PhysicalMemory,
    sizePages: number,
    options: VmoCreateOptions,
    discardables: DiscardableList,
    child?: VmoChildOf,
  ) {
    this.options = options;
    if (child === undefined) this.cow = new VmCowPages(pmm, this);
    else {
      this.cow = child.cow;
      this.cowOffset = child.cowOffset;
      this.childType = child.type;
      this.isSlice = child.type === 'slice';
      this.isReference = child.type === 'reference';
    }
    // The node tells its views (this VMO among them) when mapped frames change.
    this.cow.addView(this);
    this.sizePages = sizePages;
    this.discardable = options.discardable ? new DiscardableTracker(discardables, this) : null;
  }

  /** A snapshot child whose parent VMO is still alive (ZX_INFO_VMO_IS_COW_CLONE). */
  get isCowClone(): boolean {
    return this.childType === 'snapshot' && this.parent !== null;
  }

  /** True for snapshots made with NO_WRITE and without RESIZABLE (ZX_INFO_VMO_IMMUTABLE). */
  immutable = false;
  /** Times the kernel took pages away (discards): committed_change_events. */
  changeEvents = 0;

  get committedPages(): number {
    return this.cow.frameCount;
  }

  /** Distinct address spaces mapping this VMO, as ZX_INFO_VMO's share_count estimates it. */
  get shareCount(): number {
    if (this.mappingCount < 2) return 1;
    const aspaces = new Set<unknown>();
    for (const observer of this.observers) {
      if (observer.aspace !== undefined) aspaces.add(observer.aspace);
    }
    return Math.max(1, aspaces.size);
  }

  /** Bookkeeping bytes of the page list (ZX_INFO_VMO metadata_bytes). */
  get metadataBytes(): number {
    return this.cow.pages.metadataBytes;
  }

  get sizeBytes(): bigint {
    return BigInt(this.sizePages) * 4096n;
  }

  get isDiscarded(): boolean {
    return this.discardable?.isDiscarded === true;
  }

  get isChild(): boolean {
    return this.parent !== null;
  }

  get isCached(): boolean {
    return this.cachePolicy === ZX_CACHE_POLICY_CACHED;
  }

  addMapping(observer: PageObserver): void {
    this.mappingCount++;
    this.observers.add(observer);
  }

  removeMapping(observer: PageObserver): void {
    assert(this.mappingCount > 0, 'removing a mapping of an unmapped VMO');
    this.observers.delete(observer);
    if (--this.mappingCount === 0) this.onLastMappingGone?.();
  }

  /** Mappings (and other observers) told when pages go away or become shared. */
  readonly observers = new Set<PageObserver>();

  /**
   * The frame a read fault maps for `page`: a committed frame, a frame a hidden ancestor holds
   * for this snapshot (shared: map it read-only), or the shared zero page for content never
   * written (nothing is committed). A negative status on failure (NOT_FOUND when discarded).
   * The caller has checked that `page` is inside the VMO.
   */
  pageForRead(page: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    return this.cow.frameForRead(page + this.cowOffset);
  }

  /**
   * The frame a write fault maps for `page`, committing it if needed: afterwards the frame is
   * this VMO's alone and may be mapped writable. A negative status on failure.
   */
  pageForWrite(page: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    // Forks a page shared copy-on-write; the node unmaps the old frame from every view.
    return this.cow.frameForWrite(page + this.cowOffset);
  }

  /** `range` in the pages of `cow`. */
  private cowRange(range: PageRange): PageRange {
    return this.cowOffset === 0 ? range : { ...range, page: range.page + this.cowOffset };
  }

  read(range: PageRange, dst: Uint8Array, dstOffset: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    this.cow.read(this.cowRange(range), dst, dstOffset);
    return ZX_OK;
  }

  write(range: PageRange, src: Uint8Array, srcOffset: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    // The node unmaps pages that get frames of their own (mappings showed the zero page).
    return this.cow.write(this.cowRange(range), src, srcOffset);
  }

  commit(startPage: number, endPage: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    return this.cow.commit(startPage + this.cowOffset, endPage + this.cowOffset);
  }

  decommit(startPage: number, endPage: number): number {
    if (this.hasPinnedPages(startPage, endPage)) return ZX_ERR_BAD_STATE;
    this.cow.decommit(startPage + this.cowOffset, endPage + this.cowOffset);
    return ZX_OK;
  }

  /**
   * DECOMMIT is refused on snapshot children, on VMOs that have snapshot children, and on
   * contiguous (and physical) VMOs.
   */
  get canDecommit(): boolean {
    // A node with a parent in the tree is a snapshot, or has (or had, until its hidden parent
    // merges back) snapshot children; slices and references see their parent's node.
    return this.cow.parent === null && !this.isContiguous;
  }

  /** True when a page of [start, end) is pinned (its frame may then not be freed or moved). */
  hasPinnedPages(start: number, end: number): boolean {
    const pmm = this.cow.pmm;
    if (pmm.pinnedFrames === 0) return false;
    let pinned = false;
    this.cow.pages.forEach(start + this.cowOffset, end + this.cowOffset, (_page, entry) => {
      if (isFrame(entry) && pmm.pinCount(entryFrame(entry)) > 0) pinned = true;
    });
    return pinned;
  }

  /** Tells every mapping to drop its translations of pages [start, end). */
  unmapPages(start: number, end: number): void {
    for (const observer of this.observers) observer.pagesRemoved(start, end);
  }

  /** Tells every mapping that pages [start, end) became copy-on-write shared. */
  writeProtectPages(start: number, end: number): void {
    for (const observer of this.observers) observer.pagesWriteProtected(start, end);
  }

  /** Makes `child` one of this VMO's children. */
  addChild(child: VmObjectPaged): void {
    child.parent = this;
    this.children.add(child);
    this.childCount = this.children.size;
    if (child.childType === 'snapshot') this.snapshotChildCount++;
  }

  /** `child` is gone (or re-homed); the last one to go raises ZX_VMO_ZERO_CHILDREN. */
  removeChild(child: VmObjectPaged): void {
    assert(this.children.delete(child), 'removing a child the VMO does not have');
    child.parent = null;
    this.childCount = this.children.size;
    if (child.childType === 'snapshot') this.snapshotChildCount--;
    if (this.childCount === 0) this.onZeroChildren?.();
  }

  /**
   * Whole pages [start, end) zeroed by ZERO: their frames go back to the PMM, except pinned
   * ones and those of a contiguous VMO, which are cleared in place (they may not move).
   */
  private zeroWholePages(start: number, end: number): void {
    // Node coordinates from here on. zeroPages frees (a snapshot also hides its ancestors'
    // pages behind zero markers, since dropping them would let those show through).
    const off = this.cowOffset;
    if (!this.isContiguous && !this.hasPinnedPages(start, end)) {
      this.cow.zeroPages(start + off, end + off);
      return;
    }
    const pmm = this.cow.pmm;
    const kept: number[] = [];
    this.cow.pages.forEach(start + off, end + off, (page, entry) => {
      if (isFrame(entry) && (this.isContiguous || pmm.pinCount(entryFrame(entry)) > 0)) {
        kept.push(page);
      }
    });
    let from = start + off;
    for (const page of kept) {
      this.cow.zeroWithinPage(page, 0, PAGE_SIZE);
      if (from < page) this.cow.zeroPages(from, page);
      from = page + 1;
    }
    if (from < end + off) this.cow.zeroPages(from, end + off);
  }

  /**
   * Zeroes bytes [start, end) (both within the VMO): partial pages are zeroed in place, whole
   * pages are given back to the PMM (a plain VMO has nothing beneath them to hide). Partial
   * pages that hold data fail with BAD_STATE on an uncached VMO and NOT_FOUND on a discarded
   * one, as Zircon's partial-page path does; every check happens before anything changes.
   */
  zero(start: bigint, end: bigint): number {
    if (start >= end) return ZX_OK;
    // Contiguous pages cannot be decommitted, and zeroing them in place needs a cached VMO.
    if (this.isContiguous && !this.isCached) return ZX_ERR_BAD_STATE;
    const firstPage = Number(start >> 12n);
    const lastPage = Number((end - 1n) >> 12n);
    const headOffset = Number(start & 4095n);
    const tailEnd = Number(((end - 1n) & 4095n) + 1n);
    const headPartial = headOffset !== 0 || (firstPage === lastPage && tailEnd !== PAGE_SIZE);
    const tailPartial = tailEnd !== PAGE_SIZE && (firstPage !== lastPage || !headPartial);
    for (const [partial, page] of [
      [headPartial, firstPage],
      [tailPartial, lastPage],
    ] as const) {
      if (!partial) continue;
      if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
      if (!this.isCached && this.cow.hasContent(page + this.cowOffset)) return ZX_ERR_BAD_STATE;
    }
    // A partial page that shows an ancestor's page is forked first (ZX_ERR_NO_MEMORY possible).
    const off = this.cowOffset;
    if (firstPage === lastPage) {
      if (headPartial)
        return this.cow.zeroWithinPage(firstPage + off, headOffset, tailEnd - headOffset);
      this.zeroWholePages(firstPage, firstPage + 1);
      return ZX_OK;
    }
    let wholeStart = firstPage;
    if (headOffset !== 0) {
      const status = this.cow.zeroWithinPage(firstPage + off, headOffset, PAGE_SIZE - headOffset);
      if (status !== ZX_OK) return status;
      wholeStart++;
    }
    let wholeEnd = lastPage + 1;
    if (tailEnd !== PAGE_SIZE) {
      const status = this.cow.zeroWithinPage(lastPage + off, 0, tailEnd);
      if (status !== ZX_OK) return status;
      wholeEnd--;
    }
    this.zeroWholePages(wholeStart, wholeEnd);
    return ZX_OK;
  }

  /**
   * Resizes to `newPages`. Shrinking frees what lies past the new end (a snapshot's view of
   * its ancestors there too, so growing again shows zeros) and unmaps it from every view (a
   * reference shares the node, so it resizes too). ZX_ERR_INVALID_ARGS when a child would
   * end past 2^64 bytes of its root.
   */
  resize(newPages: number): number {
    const oldPages = this.sizePages;
    if (newPages < oldPages && this.hasPinnedPages(newPages, oldPages)) {
      return ZX_ERR_BAD_STATE;
    }
    // The node tells every view (this one included) to drop translations past the new end,
    // zero-page ones too, so later faults there are OUT_OF_RANGE.
    return this.cow.resize(newPages);
  }

  /** ZX_VMO_OP_LOCK: returns whether the VMO had been discarded (it now reads as zeros). */
  lock(): boolean {
    assert(this.discardable !== null, 'lock of a VMO that is not discardable');
    return this.discardable.lock();
  }

  tryLock(): number {
    assert(this.discardable !== null, 'try-lock of a VMO that is not discardable');
    if (this.discardable.isDiscarded) return ZX_ERR_UNAVAILABLE;
    this.discardable.lock();
    return ZX_OK;
  }

  unlock(): number {
    assert(this.discardable !== null, 'unlock of a VMO that is not discardable');
    if (this.discardable.lockCount === 0) return ZX_ERR_BAD_STATE;
    this.discardable.unlock();
    return ZX_OK;
  }

  /** Called by the reclaimer: drops every page; the VMO answers NOT_FOUND until locked. */
  discard(): number {
    assert(this.discardable !== null, 'discarding a VMO that is not discardable');
    // Pinned pages may not be freed: such a VMO is not reclaimable until unpinned.
    if (this.hasPinnedPages(0, this.sizePages)) return 0;
    const frames = this.cow.frameCount;
    this.cow.releaseAll();
    this.discardable.discarded();
    this.changeEvents++;
    return frames;
  }

  /**
   * The memory charged to this VMO (cow-attribution.ts): shared pages count fully, privately
   * or as a fraction. Slices and references are charged nothing: the pages they see belong to
   * the VMO whose node they share.
   */
  attribution(): VmoAttribution {
    if (this.isSlice || this.isReference) return { ...NO_ATTRIBUTION };
    return this.cow.attribution();
  }

  /**
   * The last handle and mapping are gone. The children move to this VMO's parent (or lose
   * their parent), this VMO leaves its parent, and the node gives its frames back once no
   * other VMO (a slice or reference) sees it.
   */
  destroy(): void {
    for (const child of this.children) {
      child.parent = null;
      this.parent?.addChild(child);
    }
    this.children.clear();
    this.childCount = 0;
    this.snapshotChildCount = 0;
    this.parent?.removeChild(this);
    this.cow.removeView(this);
    this.discardable?.detach();
  }
}
