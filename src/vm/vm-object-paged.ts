// VmObjectPaged: a VMO whose memory is RAM pages held in a VmCowPages (Zircon's VmObjectPaged).
// It knows its size, options and discardable state. A child VMO (cow-child.ts) is a view of a
// VmCowPages too: a snapshot has its own node in the copy-on-write tree, a slice or a reference
// shares its parent's (cowOffset is where a slice starts in it), so every page operation here
// translates by cowOffset and goes to the node. Contiguous VMOs (zx_vmo_create_contiguous) are
// paged VMOs whose pages are one physical run, committed up front and never moved.

import {
  ZX_CACHE_POLICY_CACHED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_OK,
} from '../abi/constants.ts';
import { copyFromFrame, copyFromView, copyIntoView } from '../pmm/frame-runs.ts';
import type { PhysicalMemory } from '../pmm/pmm.ts';
import { assert } from '../util/assert.ts';
import { because } from '../util/reason.ts';
import { PAGE_SHIFT_N, PAGE_SIZE as SHARED_PAGE_SIZE, U64_MAX } from '../util/u64.ts';
import { NO_ATTRIBUTION, nodeAttribution } from './cow-attribution.ts';
import { createReferenceChild, createSliceChild, createSnapshotChild } from './cow-child.ts';
import { clampChildLimits } from './cow-pager-tree.ts';
import { type PageRange, VmCowPages } from './cow-pages.ts';
import { type DiscardableList, DiscardableTracker } from './discardable.ts';
import { EMPTY, entryFrame, isFrame } from './page-list.ts';
import { accessPages, awaitCommitPages, awaitPages } from './page-source.ts';
import * as ranges from './paged-range-ops.ts';
import { zeroPagedRange } from './paged-zero.ts';
import { commitPagerPages, forEachWriteBatch, markWritten } from './pager-dirty.ts';
import {
  type LockResult,
  type PageSplice,
  type SnapshotType,
  type UserTransfer,
  VMO_MAX_SIZE,
  VmObject,
  type VmoAttribution,
  type VmoChildType,
  type VmoCreateOptions,
} from './vm-object.ts';
import * as why from './vm-reasons.ts';

/** PAGE_SIZE as this module's own constant, which V8 folds (see util/u64.ts). */
const PAGE_SIZE = SHARED_PAGE_SIZE;
/** ZX_CACHE_POLICY_CACHED and ZX_OK, likewise. */
const CACHED = ZX_CACHE_POLICY_CACHED;
const OK = ZX_OK;
/** The copies of readHost and writeHost, likewise (an imported function is checked per call). */
const copyOut = copyFromView;
const copyIn = copyIntoView;

/** Where a child VMO's pages are: its own new node, or its parent's node at an offset. */
export interface VmoChildOf {
  type: VmoChildType;
  cow: VmCowPages;
  cowOffset: number;
}

export class VmObjectPaged extends VmObject {
  readonly isPaged = true;
  /** Set for contiguous VMOs and their slices: pages never decommitted or moved. */
  isContiguous = false;
  readonly cow: VmCowPages;
  /** Where page 0 of this VMO sits in `cow` (non-zero only for slices). */
  cowOffset = 0;
  /** Where this VMO sits among its node's views (the node keeps it). */
  viewSlot = -1;
  /** A slice's own size; every other VMO has the size of its node (references share it). */
  private sliceSizePages = 0;
  /** isSlice as a boolean: sizePages, read by every transfer, then compares no strings. */
  private readonly slice: boolean;
  readonly discardable: DiscardableTracker | null;
  /** The reclaim list of this kernel, for the children of this VMO. */
  readonly discardables: DiscardableList;
  /** Pages pinned by BTIs: never moved or freed while pinned. */
  pinnedCount = 0;
  /** Times the kernel took pages away (discards): committed_change_events. */
  changeEvents = 0;

  constructor(
    pmm: PhysicalMemory,
    sizePages: number,
    options: VmoCreateOptions,
    discardables: DiscardableList,
    child?: VmoChildOf,
  ) {
    super(options);
    this.slice = child?.type === 'slice';
    this.discardables = discardables;
    if (child === undefined) this.cow = new VmCowPages(pmm, this);
    else {
      this.cow = child.cow;
      this.cowOffset = child.cowOffset;
      this.childType = child.type;
    }
    // The node tells its views (this VMO among them) when mapped frames change.
    this.cow.addView(this);
    this.sizePages = sizePages;
    this.discardable = options.discardable ? new DiscardableTracker(discardables, this) : null;
  }

  get sizePages(): number {
    return this.slice ? this.sliceSizePages : this.cow.sizePages;
  }

  set sizePages(pages: number) {
    if (this.slice) this.sliceSizePages = pages;
    else this.cow.sizePages = pages;
  }

  get committedPages(): number {
    return this.cow.frameCount;
  }

  override heapAllocationBytes(): number {
    return this.cow.pages.metadataBytes;
  }

  override reclamationEventCount(): number {
    return this.changeEvents;
  }

  get isDiscarded(): boolean {
    return this.discardable?.isDiscarded === true;
  }

  // --- Page-level operations ---

  /**
   * The frame a read fault maps for `page`: a committed frame, a frame a hidden ancestor holds
   * for this snapshot (shared: map it read-only), or the shared zero page for content never
   * written (nothing is committed). A negative status on failure (NOT_FOUND when discarded).
   */
  pageForRead(page: number, access = true): number {
    if (this.isDiscarded) return because(ZX_ERR_NOT_FOUND, why.DISCARDED);
    const index = page + this.cowOffset;
    const wait = access
      ? accessPages(this.cow, index, index + 1)
      : awaitPages(this.cow, index, index + 1);
    if (wait !== ZX_OK) return wait;
    return this.cow.frameForRead(index);
  }

  /**
   * The frame a write fault maps for `page`, committing it if needed: afterwards the frame is
   * this VMO's alone and may be mapped writable. A negative status on failure.
   */
  pageForWrite(page: number): number {
    if (this.isDiscarded) return because(ZX_ERR_NOT_FOUND, why.DISCARDED);
    const cow = this.cow;
    const index = page + this.cowOffset;
    // Only a tree under a pager waits for pages or tracks them (one check for the rest).
    const paged = cow.source !== null || cow.pagerTree;
    if (paged) {
      const wait = accessPages(cow, index, index + 1, true);
      if (wait !== ZX_OK) return wait;
    }
    // Forks a page shared copy-on-write; the node unmaps the old frame from every view.
    const frame = cow.frameForWrite(index);
    if (paged && frame >= 0) markWritten(cow, index, index + 1);
    return frame;
  }

  /** Every mapping of pages [start, end), through this VMO or another view of its node, lets go. */
  unmapShared(start: number, end: number): void {
    this.cow.notifyRemoved(start + this.cowOffset, end + this.cowOffset);
  }

  /** The pages of [start, end) whose frames this VMO's node holds (a slice's, its parent's). */
  lookup(start: number, end: number, fn: (page: number) => void): void {
    const offset = this.cowOffset;
    this.cow.pages.forEach(start + offset, end + offset, (nodePage, entry) => {
      if (isFrame(entry)) fn(nodePage - offset);
    });
  }

  /** A pager-backed node's missing pages under `range` are asked for (page-source.ts). */
  private awaitRange(range: PageRange, write = false): number {
    const start = range.page + this.cowOffset;
    const end = start + Math.ceil((range.inPage + range.length) / PAGE_SIZE);
    return accessPages(this.cow, start, end, write);
  }

  /** `range` in the pages of `cow`. */
  private cowRange(range: PageRange): PageRange {
    return this.cowOffset === 0 ? range : { ...range, page: range.page + this.cowOffset };
  }

  read(range: PageRange, dst: Uint8Array, dstOffset: number): number {
    if (this.isDiscarded) return because(ZX_ERR_NOT_FOUND, why.DISCARDED);
    const wait = this.awaitRange(range);
    if (wait !== ZX_OK) return wait;
    this.cow.read(this.cowRange(range), dst, dstOffset);
    return ZX_OK;
  }

  write(range: PageRange, src: Uint8Array, srcOffset: number): number {
    if (this.isDiscarded) return because(ZX_ERR_NOT_FOUND, why.DISCARDED);
    if (this.cow.source !== null) return this.writePager(range, src, srcOffset);
    const wait = this.awaitRange(range, true);
    if (wait !== ZX_OK) return wait;
    // The node unmaps pages that get frames of their own (mappings showed the zero page).
    return this.cow.write(this.cowRange(range), src, srcOffset);
  }

  /** A write to pager-backed pages: 16 pages at a time, each batch dirtied first. */
  private writePager(range: PageRange, src: Uint8Array, srcOffset: number): number {
    return forEachWriteBatch(range, (batch, delta) => {
      const wait = this.awaitRange(batch, true);
      if (wait !== ZX_OK) return wait;
      const status = this.cow.write(this.cowRange(batch), src, srcOffset + delta);
      const start = batch.page + this.cowOffset;
      if (status === ZX_OK) {
        markWritten(this.cow, start, start + Math.ceil((batch.inPage + batch.length) / PAGE_SIZE));
      }
      return status;
    });
  }

  override commit(startPage: number, endPage: number): number {
    if (this.isDiscarded) return because(ZX_ERR_NOT_FOUND, why.DISCARDED);
    const [start, end] = [startPage + this.cowOffset, endPage + this.cowOffset];
    const wait = awaitCommitPages(this.cow, start, end);
    return wait !== ZX_OK ? wait : commitPagerPages(this.cow, start, end);
  }

  override decommit(startPage: number, endPage: number): number {
    if (this.hasPinnedPages(startPage, endPage)) return because(ZX_ERR_BAD_STATE, why.PINNED);
    this.cow.decommit(startPage + this.cowOffset, endPage + this.cowOffset);
    return ZX_OK;
  }

  /**
   * DECOMMIT is refused on snapshot children, on VMOs that have snapshot children, and on
   * contiguous VMOs.
   */
  override get canDecommit(): boolean {
    // A node with a parent in the tree is a snapshot, or has (or had, until its hidden parent
    // merges back) snapshot children; slices and references see their parent's node.
    return this.cow.parent === null && !this.isContiguous && this.cow.source === null;
  }

  override hasPinnedPages(start: number, end: number): boolean {
    const pmm = this.cow.pmm;
    if (pmm.pinnedFrames === 0) return false;
    let pinned = false;
    this.cow.pages.forEach(start + this.cowOffset, end + this.cowOffset, (_page, entry) => {
      if (isFrame(entry) && pmm.pinCount(entryFrame(entry)) > 0) pinned = true;
    });
    return pinned;
  }

  /**
   * Zeroes bytes [start, end) (both within the VMO): paged-zero.ts, in Zircon's order of checks.
   */
  override zero(start: bigint, end: bigint): number {
    return zeroPagedRange(this, start, end);
  }

  /**
   * Pins pages [start, end) for DMA: commits them (forking copy-on-write pages into this VMO)
   * and pins their frames, which may then not be freed or moved. Pinned for the device to
   * `write`, a pager-backed VMO's pages are dirtied first (one DIRTY request for the range, as
   * upstream's pin asks once it has pinned); pinned to be read, they stay clean.
   */
  pin(start: number, end: number, write: boolean): number[] | number {
    const status = this.commit(start, end);
    if (status !== ZX_OK) return status;
    const off = this.cowOffset;
    const wait = write ? awaitPages(this.cow, start + off, end + off, true) : ZX_OK;
    if (wait !== ZX_OK) return wait;
    const pmm = this.cow.pmm;
    const frames: number[] = [];
    for (let page = start; page < end; page++) {
      const frame = write ? this.pageForWrite(page) : this.cow.frameForWrite(page + off);
      if (frame < 0) {
        for (const pinned of frames) pmm.unpin(pinned);
        return frame;
      }
      pmm.pin(frame);
      frames.push(frame);
    }
    this.pinnedCount += frames.length;
    return frames;
  }

  unpin(frames: readonly number[]): void {
    const pmm = this.cow.pmm;
    for (const frame of frames) pmm.unpin(frame);
    this.pinnedCount -= frames.length;
  }

  // --- Discardable VMOs ---

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

  // --- Attribution and lifetime ---

  /**
   * The memory charged to this VMO (cow-attribution.ts): shared pages count fully, privately
   * or as a fraction. Slices and references are charged nothing: the pages they see belong to
   * the VMO whose node they share.
   */
  override attribution(): VmoAttribution {
    if (this.isSlice || this.isReference) return { ...NO_ATTRIBUTION };
    return this.cow.attribution();
  }

  override attributionInRange(start: number, end: number): VmoAttribution {
    if (this.isSlice || this.isReference) return { ...NO_ATTRIBUTION };
    const node = this.cow;
    const from = Math.min(start + this.cowOffset, node.sizePages);
    const to = Math.min(end + this.cowOffset, node.sizePages);
    return nodeAttribution(node, from, to);
  }

  /** The node gives its frames back once no other VMO (a slice or reference) sees it. */
  override destroy(): void {
    super.destroy();
    this.cow.removeView(this);
    // The pager hears that the VMO is gone once its node dies (children may keep it).
    if (this.cow.dead) this.cow.source?.detach(true);
    this.discardable?.detach();
  }

  // --- Zircon's operations (vm_object_paged.cc), ranges checked in its order ---

  /**
   * zx_vmo_read and zx_vmo_write: 64-bit overflow, then the cache policy (BAD_STATE even for
   * zero bytes), then the end of the VMO; then `copy` moves the bytes. Offset and length are
   * both numbers or both bigints. Numbers are exact here: the caller passes numbers only when
   * their sum is a safe integer (so it cannot overflow 64 bits either), and a size in whole
   * pages below 2^64 is a multiple of 4096 that a double holds exactly.
   */
  override readUser<U, B>(
    offset: number | bigint,
    length: number | bigint,
    copy: UserTransfer<U, B>,
    user: U,
    buffer: B,
  ): number {
    return this.checkedUser(offset, length, copy, user, buffer);
  }

  /** As readUser (the same checks, in the same order), the bytes going the other way. */
  override writeUser<U, B>(
    offset: number | bigint,
    length: number | bigint,
    copy: UserTransfer<U, B>,
    user: U,
    buffer: B,
  ): number {
    return this.checkedUser(offset, length, copy, user, buffer);
  }

  // zx_vmo_read and zx_vmo_write between host memory and a VMO, at number offsets. The common
  // case is small enough for the JIT to inline into the syscall: the page is the one the last
  // transfer found a frame of this VMO's own node at (its page list remembers that frame's view
  // until any of its entries changes), the transfer lies within it, and the VMO is cached, in
  // range, not under a pager and not discarded. Anything else, every failure among it, goes out
  // of line to hostRead/hostWrite, which make readUser's checks in readUser's order.

  override readHost(offset: number, length: number, dst: Uint8Array): number {
    const page = Math.floor(offset / PAGE_SIZE);
    const inPage = offset - page * PAGE_SIZE;
    const pages = this.cow.pages;
    if (page + this.cowOffset !== pages.viewIndex || !this.isPlainPage(offset, inPage, length)) {
      return this.hostRead(offset, length, dst);
    }
    copyOut(pages.view!, inPage, dst, length);
    return OK;
  }

  override writeHost(offset: number, length: number, src: Uint8Array): number {
    const page = Math.floor(offset / PAGE_SIZE);
    const inPage = offset - page * PAGE_SIZE;
    const pages = this.cow.pages;
    if (page + this.cowOffset !== pages.viewIndex || !this.isPlainPage(offset, inPage, length)) {
      return this.hostWrite(offset, length, src);
    }
    copyIn(pages.view!, inPage, src, length);
    return OK;
  }

  /**
   * True when a transfer of `length` bytes at `offset` (`inPage` into its page) may be copied
   * straight between the caller and a frame: it moves some bytes (a zero-length transfer never
   * touches the buffer, which may even be detached), ends within the page and within the VMO,
   * and the VMO is cached, not under a pager and not discarded.
   */
  private isPlainPage(offset: number, inPage: number, length: number): boolean {
    return (
      length > 0 &&
      inPage + length <= PAGE_SIZE &&
      offset + length <= this.sizePages * PAGE_SIZE &&
      this.cachePolicy === CACHED &&
      !this.cow.pagerTree &&
      !this.isDiscarded
    );
  }

  /**
   * readHost's way for everything but its common case: readUser's checks; then, within one
   * plain page, a copy from the frame the page shows (its own, an ancestor's, or the zero
   * page), remembered when it is the node's own; else read().
   */
  private hostRead(offset: number, length: number, dst: Uint8Array): number {
    const status = this.checkUser(offset, length);
    if (status !== ZX_OK || length === 0) return status;
    const page = Math.floor(offset / PAGE_SIZE);
    const inPage = offset - page * PAGE_SIZE;
    if (!this.isPlainPage(offset, inPage, length)) {
      return this.read({ page, inPage, length }, dst, 0);
    }
    const cow = this.cow;
    const index = page + this.cowOffset;
    const entry = cow.pages.get(index);
    if (isFrame(entry)) {
      copyFromView(this.rememberView(index, entryFrame(entry)), inPage, dst, length);
    } else copyFromFrame(cow.pmm, cow.frameForRead(index), inPage, dst, length);
    return ZX_OK;
  }

  /**
   * writeHost's way for everything but its common case: writeUser's checks; then, within one
   * plain page whose frame the node owns, a copy into it (nothing to allocate, fork or unmap),
   * the frame remembered; else write().
   */
  private hostWrite(offset: number, length: number, src: Uint8Array): number {
    const status = this.checkUser(offset, length);
    if (status !== ZX_OK || length === 0) return status;
    const page = Math.floor(offset / PAGE_SIZE);
    const inPage = offset - page * PAGE_SIZE;
    const index = page + this.cowOffset;
    const entry = this.isPlainPage(offset, inPage, length) ? this.cow.pages.get(index) : EMPTY;
    if (!isFrame(entry)) return this.write({ page, inPage, length }, src, 0);
    copyIntoView(this.rememberView(index, entryFrame(entry)), inPage, src, length);
    return ZX_OK;
  }

  /** Has the node's page list remember `frame`, its entry at `index`, and its view. */
  private rememberView(index: number, frame: number): Uint8Array {
    const pages = this.cow.pages;
    pages.viewIndex = index;
    pages.view = this.cow.pmm.frameView(frame);
    return pages.view;
  }

  /** The checks of readUser and writeUser, which differ only in where `copy` moves bytes. */
  private checkedUser<U, B>(
    offset: number | bigint,
    length: number | bigint,
    copy: UserTransfer<U, B>,
    user: U,
    buffer: B,
  ): number {
    if (typeof offset !== 'number') return this.exactUser(offset, length, copy, user, buffer);
    const bytes = length as number;
    const status = this.checkUser(offset, bytes);
    return status !== ZX_OK || bytes === 0 ? status : copy(this, user, buffer, offset, bytes);
  }

  /** The checks of a transfer at a number offset (offset + length a safe integer). */
  private checkUser(offset: number, length: number): number {
    return this.isCached && offset + length <= this.sizePages * PAGE_SIZE
      ? ZX_OK
      : this.uncheckedUser(offset, length);
  }

  /** Why checkUser failed: not cached, then past the end. */
  private uncheckedUser(offset: number, length: number): number {
    if (!this.isCached) return because(ZX_ERR_BAD_STATE, why.NOT_CACHED);
    return why.outOfRange(why.IO, offset + length, this.sizePages * PAGE_SIZE);
  }

  /** readUser and writeUser with a bigint offset and length. */
  private exactUser<U, B>(
    offset: bigint,
    length: number | bigint,
    copy: UserTransfer<U, B>,
    user: U,
    buffer: B,
  ): number {
    const end = offset + BigInt(length);
    if (end > U64_MAX) return why.overflow(why.IO, offset, length);
    if (!this.isCached) return because(ZX_ERR_BAD_STATE, why.NOT_CACHED);
    if (end > this.sizeBytes) return why.outOfRange(why.IO, end, this.sizeBytes);
    return length === 0n ? ZX_OK : copy(this, user, buffer, offset, Number(length));
  }

  /**
   * Resizes to `size` bytes (page aligned). Shrinking frees what lies past the new end (a
   * snapshot's view of its ancestors there too, so growing again shows zeros) and unmaps it
   * from every view (a reference shares the node, so it resizes too). ZX_ERR_INVALID_ARGS when
   * a child would end past 2^64 bytes of its root.
   */
  override resize(size: bigint): number {
    if (!this.options.resizable) return because(ZX_ERR_UNAVAILABLE, why.NOT_RESIZABLE);
    if (size > VMO_MAX_SIZE) return because(ZX_ERR_OUT_OF_RANGE, why.tooLarge, size);
    const newPages = Number(size >> PAGE_SHIFT_N);
    const oldPages = this.sizePages;
    if (newPages < oldPages && this.hasPinnedPages(newPages, oldPages)) {
      return because(ZX_ERR_BAD_STATE, 'shrinking would cut pinned pages (zx_bti_pin)');
    }
    // The node tells every view (this one included) to drop translations past the new end,
    // zero-page ones too, so later faults there are OUT_OF_RANGE.
    const status = this.cow.resize(newPages);
    if (status !== ZX_OK) return status;
    this.cow.source?.resized(oldPages, newPages);
    if (newPages < oldPages) clampChildLimits(this.cow, newPages);
    return ZX_OK;
  }

  // --- Zircon's range operations, checked in its order: paged-range-ops.ts ---

  override commitRange(offset: bigint, length: bigint): number {
    return ranges.commitRange(this, offset, length);
  }

  override decommitRange(offset: bigint, length: bigint): number {
    return ranges.decommitRange(this, offset, length);
  }

  override zeroRange(offset: bigint, length: bigint): number {
    return ranges.zeroRange(this, offset, length);
  }

  override lockRange(offset: bigint, length: bigint): LockResult | number {
    return ranges.lockRange(this, offset, length);
  }

  override tryLockRange(offset: bigint, length: bigint): number {
    return ranges.tryLockRange(this, offset, length);
  }

  override unlockRange(offset: bigint, length: bigint): number {
    return ranges.unlockRange(this, offset, length);
  }

  override cacheOp(offset: bigint, length: bigint): number {
    return ranges.cacheOp(this, offset, length);
  }

  override hintRange(offset: bigint, length: bigint): number {
    return ranges.hintRange(this, offset, length);
  }

  prefetchRange(offset: bigint, length: bigint): number {
    return ranges.prefetchRange(this, offset, length);
  }

  override setMappingCachePolicy(policy: number): number {
    const bad = ZX_ERR_BAD_STATE;
    if (!this.isCached && this.cow.frameCount > 0) return because(bad, why.UNCACHED_COMMITTED);
    if (this.pinnedCount > 0 || this.mappingCount > 0) return because(bad, why.inUse, this);
    if (this.childCount > 0 || this.isChild) return because(bad, why.related, this);
    // References and slices see their parent's pages, even once that parent is gone.
    if (this.isReference || this.isSlice) return because(bad, why.related, this);
    if (this.discardable !== null && policy !== ZX_CACHE_POLICY_CACHED && this.isCached) {
      return because(bad, 'a discardable VMO must stay cached');
    }
    this.cachePolicy = policy;
    return ZX_OK;
  }

  override createClone(
    resizable: boolean,
    offset: bigint,
    size: bigint,
    copyName: boolean,
    type: SnapshotType = 'full',
  ): VmObject | number {
    const child = createSnapshotChild(this, offset, size, resizable, this.discardables, type);
    return this.named(child, copyName);
  }

  override createChildSlice(offset: bigint, size: bigint, copyName: boolean): VmObject | number {
    return this.named(createSliceChild(this, offset, size, this.discardables), copyName);
  }

  override createChildReference(
    resizable: boolean,
    offset: bigint,
    size: bigint,
    copyName: boolean,
  ): VmObject | number {
    const child = createReferenceChild(this, offset, size, resizable, this.discardables);
    return this.named(child, copyName);
  }

  /** A new child, given this VMO's name when asked. */
  private named(child: VmObject | number, copyName: boolean): VmObject | number {
    if (typeof child !== 'number' && copyName) child.name = this.name.slice();
    return child;
  }

  override takePages(offset: bigint, length: bigint): PageSplice | number {
    return ranges.takeRange(this, offset, length);
  }

  override supplyPages(offset: bigint, length: bigint, pages: PageSplice): number {
    return ranges.supplyRange(this, offset, length, pages);
  }
}
