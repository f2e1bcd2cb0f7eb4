// VmObjectPaged: a VMO whose memory is RAM pages held in a VmCowPages. It knows its size,
// options, cache policy and discardable state; range checks and rights live in the layers
// above, which call in here only with ranges already known to be inside the VMO.

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
}

export interface VmoCreateOptions {
  resizable: boolean;
  discardable: boolean;
  unbounded: boolean;
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
  sizePages: number;
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

  readonly options: VmoCreateOptions;

  constructor(
    pmm: PhysicalMemory,
    sizePages: number,
    options: VmoCreateOptions,
    discardables: DiscardableList,
  ) {
    this.options = options;
    this.cow = new VmCowPages(pmm, this);
    this.cow.onPagesRemoved = (start, end) => {
      for (const observer of this.observers) observer.pagesRemoved(start, end);
    };
    this.sizePages = sizePages;
    this.discardable = options.discardable ? new DiscardableTracker(discardables, this) : null;
  }

  /** True for snapshot-type children (ZX_INFO_VMO_IS_COW_CLONE). */
  isCowClone = false;
  /** True for snapshots made with NO_WRITE and without RESIZABLE (ZX_INFO_VMO_IMMUTABLE). */
  immutable = false;
  /** Times the kernel took pages away (discards): committed_change_events. */
  changeEvents = 0;

  get committedPages(): number {
    return this.cow.frameCount;
  }

  /** Distinct address spaces mapping this VMO, as ZX_INFO_VMO's share_count estimates it. */
  get shareCount(): number {
    return this.mappingCount < 2 ? 1 : this.mappingCount;
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
   * The frame a read fault maps for `page`: a committed frame, or the shared zero page for
   * content never written (nothing is committed). A negative status on failure (NOT_FOUND when
   * discarded). The caller has checked that `page` is inside the VMO.
   */
  pageForRead(page: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    const entry = this.cow.pages.get(page);
    return isFrame(entry) ? entryFrame(entry) : this.cow.pmm.zeroFrame;
  }

  /**
   * The frame a write fault maps for `page`, committing it if needed: afterwards the frame is
   * this VMO's alone and may be mapped writable. A negative status on failure.
   */
  pageForWrite(page: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    const entry = this.cow.pages.get(page);
    if (isFrame(entry)) return entryFrame(entry);
    const status = this.cow.commit(page, page + 1);
    if (status !== ZX_OK) return status;
    return entryFrame(this.cow.pages.get(page));
  }

  read(range: PageRange, dst: Uint8Array, dstOffset: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    this.cow.read(range, dst, dstOffset);
    return ZX_OK;
  }

  write(range: PageRange, src: Uint8Array, srcOffset: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    return this.cow.write(range, src, srcOffset);
  }

  commit(startPage: number, endPage: number): number {
    if (this.isDiscarded) return ZX_ERR_NOT_FOUND;
    return this.cow.commit(startPage, endPage);
  }

  decommit(startPage: number, endPage: number): number {
    if (this.pinnedCount > 0) return ZX_ERR_BAD_STATE;
    this.cow.decommit(startPage, endPage);
    return ZX_OK;
  }

  /** DECOMMIT is refused on snapshot children and on VMOs that have snapshot children. */
  get canDecommit(): boolean {
    return !(this.isChild && !this.isSlice) && this.snapshotChildCount === 0;
  }

  /**
   * Zeroes bytes [start, end) (both within the VMO): partial pages are zeroed in place, whole
   * pages are given back to the PMM (a plain VMO has nothing beneath them to hide). Partial
   * pages that hold data fail with BAD_STATE on an uncached VMO and NOT_FOUND on a discarded
   * one, as Zircon's partial-page path does; every check happens before anything changes.
   */
  zero(start: bigint, end: bigint): number {
    if (start >= end) return ZX_OK;
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
      if (!this.isCached && this.cow.hasEntry(page)) return ZX_ERR_BAD_STATE;
    }
    if (firstPage === lastPage) {
      if (headPartial) this.cow.zeroWithinPage(firstPage, headOffset, tailEnd - headOffset);
      else this.cow.decommit(firstPage, firstPage + 1);
      return ZX_OK;
    }
    let wholeStart = firstPage;
    if (headOffset !== 0) {
      this.cow.zeroWithinPage(firstPage, headOffset, PAGE_SIZE - headOffset);
      wholeStart++;
    }
    let wholeEnd = lastPage + 1;
    if (tailEnd !== PAGE_SIZE) {
      this.cow.zeroWithinPage(lastPage, 0, tailEnd);
      wholeEnd--;
    }
    this.cow.decommit(wholeStart, wholeEnd);
    return ZX_OK;
  }

  /** Resizes to `newPages`, freeing pages past the new end. */
  resize(newPages: number): number {
    if (newPages < this.sizePages && this.pinnedCount > 0) return ZX_ERR_BAD_STATE;
    if (newPages < this.sizePages) this.cow.decommit(newPages, this.sizePages);
    this.sizePages = newPages;
    return ZX_OK;
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
    const frames = this.cow.frameCount;
    this.cow.releaseAll();
    this.discardable.discarded();
    this.changeEvents++;
    return frames;
  }

  attribution(): VmoAttribution {
    const bytes = BigInt(this.cow.frameCount) * 4096n;
    return {
      committedBytes: bytes,
      populatedBytes: bytes,
      committedPrivateBytes: bytes,
      populatedPrivateBytes: bytes,
      committedScaledBytes: bytes,
      populatedScaledBytes: bytes,
      committedFractionalScaledBytes: 0n,
      populatedFractionalScaledBytes: 0n,
    };
  }

  /** The last reference is gone: give every frame back. */
  destroy(): void {
    this.cow.releaseAll();
    this.discardable?.detach();
  }
}
