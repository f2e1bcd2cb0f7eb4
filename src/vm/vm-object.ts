// VmObject: what every VMO is, whatever holds its memory (Zircon's VmObject). It knows its size,
// cache policy, name, mappings, and its place among VMOs (parent, children); what a VMO can do
// with its memory, each kind answers: VmObjectPaged (vm-object-paged.ts: RAM pages in a
// copy-on-write tree, physically contiguous runs included) and VmObjectPhysical
// (vm-object-physical.ts: a window onto device memory). An operation a kind lacks answers
// ZX_ERR_NOT_SUPPORTED here, as Zircon's base class does, so that callers never ask which kind
// of VMO they hold.
//
// Two levels of operation live here. The Zircon-named ones (readUser, commitRange, zeroRange,
// createClone...) take byte ranges as a syscall gives them and make every range check in
// Zircon's order; the page-level ones (commit, decommit, zero, pageForRead...) are for callers
// that have checked their range already (mappings, zx_vmar_op_range).

import { ZX_CACHE_POLICY_CACHED, ZX_ERR_NOT_SUPPORTED, ZX_OK } from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import { because } from '../util/reason.ts';
import { PAGE_SIZE_N } from '../util/u64.ts';
import { NO_ATTRIBUTION } from './cow-attribution.ts';
import type { VmObjectPaged } from './vm-object-paged.ts';

/** Zircon's largest VMO: UINT64_MAX rounded down to 2 * 16 pages (VmPageList::MAX_SIZE). */
export const VMO_MAX_SIZE = 0xffff_ffff_ffff_ffffn - (2n * 16n * PAGE_SIZE_N - 1n);

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
  /**
   * True for an observer that calls VmObject.translates before its first translation (a
   * mapping): until then it is not told of changes. Others are told from the start.
   */
  readonly announcesTranslations?: boolean;
}

export interface VmoCreateOptions {
  resizable: boolean;
  discardable: boolean;
  unbounded: boolean;
}

/** The kinds of child zx_vmo_create_child makes. */
export type VmoChildType = 'snapshot' | 'slice' | 'reference';
/**
 * The snapshot kind asked for (Zircon's SnapshotType): ZX_VMO_CHILD_SNAPSHOT, _AT_LEAST_ON_WRITE
 * and _MODIFIED. They differ only under a pager (cow-pager-clone.ts).
 */
export type SnapshotType = 'full' | 'onWrite' | 'modified';

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

/** What ZX_VMO_OP_LOCK learns: whether the VMO had been discarded (it then reads as zeros). */
export interface LockResult {
  discarded: boolean;
}

/**
 * Pages taken out of a VMO by takePages, on their way to supplyPages (Zircon's
 * VmPageSpliceList). Whatever supplyPages does not consume, `release` gives back.
 */
export interface PageSplice {
  release(): void;
}

/**
 * The user side of zx_vmo_read and zx_vmo_write (the syscall layer's copy loops, which know
 * user memory): moves `length` bytes between the user buffer and `vmo` at `offset` once the
 * VMO has checked the range. `user` and `buffer` are the syscall's, passed through untouched.
 */
export type UserTransfer<U, B> = (
  vmo: VmObjectPaged,
  user: U,
  buffer: B,
  offset: number | bigint,
  length: number,
) => number;

/** What kind of VMO `vmo` is, for reasons. */
function kindOf(vmo: VmObject): string {
  if (!vmo.isPaged) return 'a physical VMO';
  return vmo.isContiguous ? 'a contiguous VMO' : 'a paged VMO';
}

function unsupported(kind: string, op: string): string {
  return `${kind} does not support ${op}`;
}

const FIXED_OPTIONS: VmoCreateOptions = { resizable: false, discardable: false, unbounded: false };

export abstract class VmObject {
  /** False for device memory (ZX_INFO_VMO_TYPE_PHYSICAL). */
  abstract readonly isPaged: boolean;
  /** Physically contiguous memory: never decommitted, moved, resized or snapshotted. */
  abstract readonly isContiguous: boolean;
  /** The size in pages. */
  abstract get sizePages(): number;

  readonly options: VmoCreateOptions;
  cachePolicy: number = ZX_CACHE_POLICY_CACHED;
  /** Name bytes (at most ZX_MAX_NAME_LEN - 1), as set with ZX_PROP_NAME. */
  name: Uint8Array = new Uint8Array(0);
  /** Number of live mappings of this VMO; change it only with addMapping/removeMapping. */
  mappingCount = 0;
  /** Mappings (and other observers) told when pages go away or become shared. */
  readonly observers = new Set<PageObserver>();
  /**
   * The observers that may hold translations (they installed one since they were made): only
   * these are told of changes, so a page's first fault costs nothing per untouched mapping,
   * however many mappings the VMO has.
   */
  private readonly translating = new Set<PageObserver>();
  /** Called when the last mapping goes (the VMO may then be destroyed if no handle is left). */
  onLastMappingGone: (() => void) | null = null;
  /** The kind of child this VMO was made as; null for one made by a create syscall. */
  childType: VmoChildType | null = null;
  /** The VMO this one is a child of, if any (the one its children were re-homed to). */
  parent: VmObject | null = null;
  /** Live children: snapshots, slices, references, and grandchildren re-homed here. */
  readonly children = new Set<VmObject>();
  /** Number of live children (ZX_INFO_VMO num_children). */
  childCount = 0;
  /** Snapshot-type children (they make DECOMMIT unsupported here). */
  snapshotChildCount = 0;
  /** The koid of this VMO's kernel object (Zircon's user_id), reported as parent_koid. */
  userId = 0;
  /** Called when the last child goes (ZX_VMO_ZERO_CHILDREN). */
  onZeroChildren: (() => void) | null = null;
  /** True for snapshots made with NO_WRITE and without RESIZABLE (ZX_INFO_VMO_IMMUTABLE). */
  immutable = false;

  constructor(options: VmoCreateOptions = FIXED_OPTIONS) {
    this.options = options;
  }

  /**
   * ZX_ERR_NOT_SUPPORTED: an operation this kind of VMO lacks (the base class's answer, as in
   * Zircon), with the reason naming the kind and the operation.
   */
  protected unsupported(op: string): number {
    return because(ZX_ERR_NOT_SUPPORTED, unsupported, kindOf(this), op);
  }

  get sizeBytes(): bigint {
    return BigInt(this.sizePages) * PAGE_SIZE_N;
  }

  get isResizable(): boolean {
    return this.options.resizable;
  }

  get isCached(): boolean {
    return this.cachePolicy === ZX_CACHE_POLICY_CACHED;
  }

  get isChild(): boolean {
    return this.parent !== null;
  }

  /** True for a slice: a window onto its parent's pages. */
  get isSlice(): boolean {
    return this.childType === 'slice';
  }

  /** True for a reference: a view of all of its parent's pages, size and content size. */
  get isReference(): boolean {
    return this.childType === 'reference';
  }

  /** A snapshot child whose parent VMO is still alive (ZX_INFO_VMO_IS_COW_CLONE). */
  get isCowClone(): boolean {
    return this.childType === 'snapshot' && this.parent !== null;
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

  /** Bookkeeping bytes (ZX_INFO_VMO metadata_bytes). */
  heapAllocationBytes(): number {
    return 0;
  }

  /** Times the kernel took pages away (ZX_INFO_VMO committed_change_events). */
  reclamationEventCount(): number {
    return 0;
  }

  /** The memory charged to this VMO (ZX_INFO_VMO). */
  attribution(): VmoAttribution {
    return { ...NO_ATTRIBUTION };
  }

  /** The memory charged to pages [start, end) of this VMO (ZX_INFO_PROCESS_MAPS). */
  attributionInRange(_start: number, _end: number): VmoAttribution {
    return { ...NO_ATTRIBUTION };
  }

  // --- Mappings and children ---

  addMapping(observer: PageObserver): void {
    this.mappingCount++;
    this.observers.add(observer);
    if (observer.announcesTranslations !== true) this.translating.add(observer);
  }

  removeMapping(observer: PageObserver): void {
    assert(this.mappingCount > 0, 'removing a mapping of an unmapped VMO');
    this.observers.delete(observer);
    this.translating.delete(observer);
    if (--this.mappingCount === 0) this.onLastMappingGone?.();
  }

  /** Tells every mapping to drop its translations of pages [start, end). */
  unmapPages(start: number, end: number): void {
    for (const observer of this.translating) observer.pagesRemoved(start, end);
  }

  /** Tells every mapping that pages [start, end) became copy-on-write shared. */
  writeProtectPages(start: number, end: number): void {
    for (const observer of this.translating) observer.pagesWriteProtected(start, end);
  }

  /** `observer` (a mapping of this VMO) is about to install a translation. */
  translates(observer: PageObserver): void {
    this.translating.add(observer);
  }

  /** Makes `child` one of this VMO's children. */
  addChild(child: VmObject): void {
    child.parent = this;
    this.children.add(child);
    this.childCount = this.children.size;
    if (child.childType === 'snapshot') this.snapshotChildCount++;
  }

  /** `child` is gone (or re-homed); the last one to go raises ZX_VMO_ZERO_CHILDREN. */
  removeChild(child: VmObject): void {
    assert(this.children.delete(child), 'removing a child the VMO does not have');
    child.parent = null;
    this.childCount = this.children.size;
    if (child.childType === 'snapshot') this.snapshotChildCount--;
    if (this.childCount === 0) this.onZeroChildren?.();
  }

  /**
   * The last handle and mapping are gone: the children move to this VMO's parent (or lose their
   * parent) and this VMO leaves its parent. Subclasses then let go of their memory.
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
  }

  // --- Page-level operations, on ranges already checked ---

  /**
   * The frame a read fault maps for `page` (inside the VMO), or a negative status. `access`
   * false looks without aging the page for eviction (MAP_RANGE, debug checks).
   */
  abstract pageForRead(page: number, access?: boolean): number;
  /** The frame a write fault maps for `page`, which is then this VMO's alone. */
  abstract pageForWrite(page: number): number;
  /** Calls `fn` with every page of [start, end) that has memory now (nothing is committed). */
  abstract lookup(start: number, end: number, fn: (page: number) => void): void;
  /**
   * Pins pages [start, end) for DMA, for the device to `write` them or only read them: their
   * frames, or a status with nothing left pinned.
   */
  abstract pin(start: number, end: number, write: boolean): number[] | number;
  /** Undoes pin. */
  abstract unpin(frames: readonly number[]): void;

  commit(_start: number, _end: number): number {
    return this.unsupported('COMMIT');
  }

  decommit(_start: number, _end: number): number {
    return this.unsupported('DECOMMIT');
  }

  /** DECOMMIT is refused on device memory, and on paged VMOs that cannot give pages back. */
  get canDecommit(): boolean {
    return false;
  }

  /** Zeroes bytes [start, end), both inside the VMO. */
  zero(_start: bigint, _end: bigint): number {
    return this.unsupported('zeroing');
  }

  /** True when a page of [start, end) is pinned (its frame may then not be freed or moved). */
  hasPinnedPages(_start: number, _end: number): boolean {
    return false;
  }

  // --- Zircon's operations: byte ranges as syscalls give them, checked here ---

  /**
   * Copies [offset, offset + length) of the VMO out through `copy` (Zircon's ReadUser). Offset
   * and length are both numbers whose sum is a safe integer (the fast path), or both exact
   * bigints.
   */
  readUser<U, B>(
    _offset: number | bigint,
    _length: number | bigint,
    _copy: UserTransfer<U, B>,
    _user: U,
    _buffer: B,
  ): number {
    return this.unsupported('zx_vmo_read (device memory is reached through mappings)');
  }

  /** Copies into [offset, offset + length) of the VMO through `copy` (as readUser). */
  writeUser<U, B>(
    _offset: number | bigint,
    _length: number | bigint,
    _copy: UserTransfer<U, B>,
    _user: U,
    _buffer: B,
  ): number {
    return this.unsupported('zx_vmo_write (device memory is reached through mappings)');
  }

  /**
   * readUser into host memory holding at least `length` bytes, at a number offset (offset +
   * length a safe integer): the same checks in the same order, without a copy loop between.
   */
  readHost(_offset: number, _length: number, _dst: Uint8Array): number {
    return this.unsupported('zx_vmo_read (device memory is reached through mappings)');
  }

  /** writeUser from host memory holding at least `length` bytes (as readHost). */
  writeHost(_offset: number, _length: number, _src: Uint8Array): number {
    return this.unsupported('zx_vmo_write (device memory is reached through mappings)');
  }

  /** Changes the size to `size` bytes (page aligned). */
  resize(_size: bigint): number {
    return this.unsupported('resizing');
  }

  commitRange(_offset: bigint, _length: bigint): number {
    return this.unsupported('COMMIT');
  }

  decommitRange(_offset: bigint, _length: bigint): number {
    return this.unsupported('DECOMMIT');
  }

  zeroRange(_offset: bigint, _length: bigint): number {
    return this.unsupported('ZERO');
  }

  /** ZX_VMO_OP_LOCK. */
  lockRange(_offset: bigint, _length: bigint): LockResult | number {
    return this.unsupported('LOCK');
  }

  tryLockRange(_offset: bigint, _length: bigint): number {
    return this.unsupported('TRY_LOCK');
  }

  unlockRange(_offset: bigint, _length: bigint): number {
    return this.unsupported('UNLOCK');
  }

  /** The cache maintenance ops (clean, sync...): nothing to do on a simulated CPU but check. */
  cacheOp(_offset: bigint, _length: bigint): number {
    return this.unsupported('cache ops');
  }

  /** DONT_NEED and ALWAYS_NEED: hints that VMOs without a pager take as no-ops. */
  hintRange(_offset: bigint, _length: bigint): number {
    return ZX_OK;
  }

  abstract prefetchRange(offset: bigint, length: bigint): number;

  /** zx_vmo_set_cache_policy, with a policy already known to be a ZX_CACHE_POLICY_* value. */
  setMappingCachePolicy(_policy: number): number {
    return this.unsupported('zx_vmo_set_cache_policy');
  }

  /**
   * A snapshot of [offset, offset + size) (size page aligned), made this VMO's child; the
   * child's name is this VMO's when `copyName`.
   */
  createClone(
    _resizable: boolean,
    _offset: bigint,
    _size: bigint,
    _copyName: boolean,
    _type?: SnapshotType,
  ): VmObject | number {
    return this.unsupported('snapshots');
  }

  /** A slice of [offset, offset + size) (size page aligned), made this VMO's child. */
  createChildSlice(_offset: bigint, _size: bigint, _copyName: boolean): VmObject | number {
    return this.unsupported('slices');
  }

  /** A reference to all of this VMO (offset and size must be 0), made its child. */
  createChildReference(
    _resizable: boolean,
    _offset: bigint,
    _size: bigint,
    _copyName: boolean,
  ): VmObject | number {
    return this.unsupported('references');
  }

  /** Takes the pages of [offset, offset + length) (page aligned) out, for supplyPages. */
  takePages(_offset: bigint, _length: bigint): PageSplice | number {
    return this.unsupported('zx_vmo_transfer_data');
  }

  /**
   * Puts `pages` in place of [offset, offset + length) (page aligned), as transfer_data does;
   * what it does not consume, the caller releases.
   */
  supplyPages(_offset: bigint, _length: bigint, _pages: PageSplice): number {
    return this.unsupported('zx_vmo_transfer_data');
  }
}
