// Memory for devices: physical VMOs (a window onto MMIO, Zircon's VmObjectPhysical),
// contiguous VMOs (paged VMOs whose pages are one physically contiguous run, allocated up
// front and never moved), and pinning pages for DMA through a BTI.

import {
  ZX_CACHE_POLICY_UNCACHED,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_UNAVAILABLE,
  ZX_OK,
} from '../abi/constants.ts';
import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import type { DiscardableList } from './discardable.ts';
import { frameEntry } from './page-list.ts';
import { VmObjectPaged } from './vm-object.ts';

const FIXED_OPTIONS = { resizable: false, discardable: false, unbounded: false } as const;

/**
 * A VMO over device memory [baseFrame, baseFrame + sizePages) of the MMIO region. It holds no
 * RAM pages: faults map the device frames directly. It cannot be read or written with
 * zx_vmo_read/write, committed, decommitted, zeroed, resized or snapshotted; it starts
 * uncached, and counts as contiguous and permanently pinned.
 */
export class VmObjectPhysical extends VmObjectPaged {
  /** The first frame of the device memory (its physical address is baseFrame * 4096). */
  readonly baseFrame: number;
  /** Kept for slices (VmObjectPaged wants one, though physical VMOs are never discardable). */
  private readonly discardableList: DiscardableList;

  constructor(
    pmm: PhysicalMemory,
    discardables: DiscardableList,
    baseFrame: number,
    sizePages: number,
  ) {
    super(pmm, sizePages, { ...FIXED_OPTIONS }, discardables);
    this.baseFrame = baseFrame;
    this.discardableList = discardables;
    this.isPhysical = true;
    this.isContiguous = true;
    this.cachePolicy = ZX_CACHE_POLICY_UNCACHED;
  }

  override pageForRead(page: number): number {
    return this.baseFrame + page;
  }

  override pageForWrite(page: number): number {
    return this.baseFrame + page;
  }

  override read(): number {
    return ZX_ERR_NOT_SUPPORTED;
  }

  override write(): number {
    return ZX_ERR_NOT_SUPPORTED;
  }

  override commit(): number {
    return ZX_ERR_NOT_SUPPORTED;
  }

  override decommit(): number {
    return ZX_ERR_NOT_SUPPORTED;
  }

  override zero(): number {
    return ZX_ERR_NOT_SUPPORTED;
  }

  override resize(): number {
    return ZX_ERR_UNAVAILABLE;
  }

  override hasPinnedPages(): boolean {
    return false;
  }

  /**
   * A slice of this VMO: pages [offsetPages, offsetPages + sizePages) of the same device
   * memory, with this VMO's cache policy. The caller makes it this VMO's child.
   */
  createSlice(offsetPages: number, sizePages: number): VmObjectPhysical {
    const slice = new VmObjectPhysical(
      this.cow.pmm,
      this.discardableList,
      this.baseFrame + offsetPages,
      sizePages,
    );
    slice.cachePolicy = this.cachePolicy;
    slice.childType = 'slice';
    return slice;
  }
}

/**
 * A contiguous VMO of `sizePages` pages whose first physical address is a multiple of
 * 2^alignShift (alignShift >= 12), its pages committed and zeroed; ZX_ERR_NO_MEMORY when no
 * such run of frames is free.
 */
export function createContiguousVmo(
  pmm: PhysicalMemory,
  discardables: DiscardableList,
  sizePages: number,
  alignShift: number,
): VmObjectPaged | number {
  const alignFrames = 2 ** (alignShift - 12);
  if (sizePages > pmm.totalFrames || alignFrames > pmm.totalFrames) return ZX_ERR_NO_MEMORY;
  const first = pmm.allocContiguous(sizePages, alignFrames, FrameUse.vmo);
  if (first < 0) return ZX_ERR_NO_MEMORY;
  const vmo = new VmObjectPaged(pmm, sizePages, { ...FIXED_OPTIONS }, discardables);
  vmo.isContiguous = true;
  for (let page = 0; page < sizePages; page++) vmo.cow.pages.set(page, frameEntry(first + page));
  return vmo;
}

/** The frames a pin holds, one per pinned page in page order. */
export interface PinnedFrames {
  readonly count: number;
  /** The frame of the i-th pinned page. */
  frameAt(i: number): number;
}

/** Pinned RAM pages: their frames, listed. */
class PinnedRam implements PinnedFrames {
  readonly frames: number[] = [];
  get count(): number {
    return this.frames.length;
  }
  frameAt(i: number): number {
    return this.frames[i]!;
  }
}

/**
 * Pinned device memory: a run of frames, kept as its first frame and length, so pinning a
 * physical VMO costs O(1) however large it is (its frames are always there, never pinned).
 */
class PinnedRun implements PinnedFrames {
  readonly first: number;
  readonly count: number;
  constructor(first: number, count: number) {
    this.first = first;
    this.count = count;
  }
  frameAt(i: number): number {
    return this.first + i;
  }
}

/**
 * Pins pages [start, end) of `vmo` (inside it) for DMA: commits them (forking copy-on-write
 * pages into this VMO) and pins their frames, which may then not be freed or moved. Returns
 * the frames, or a status with nothing left pinned. The commit fails at once when the range
 * needs more frames than there are, so the loop over the range is bounded by memory.
 */
export function pinPages(vmo: VmObjectPaged, start: number, end: number): PinnedFrames | number {
  if (vmo.isPhysical) return new PinnedRun(vmo.pageForRead(start), end - start);
  const status = vmo.commit(start, end);
  if (status !== ZX_OK) return status;
  const pmm = vmo.cow.pmm;
  const pinned = new PinnedRam();
  for (let page = start; page < end; page++) {
    const frame = vmo.pageForWrite(page);
    if (frame < 0) {
      for (const held of pinned.frames) pmm.unpin(held);
      return frame;
    }
    pmm.pin(frame);
    pinned.frames.push(frame);
  }
  vmo.pinnedCount += pinned.count;
  return pinned;
}

/** Undoes pinPages. */
export function unpinPages(vmo: VmObjectPaged, pinned: PinnedFrames): void {
  if (vmo.isPhysical) return;
  const pmm = vmo.cow.pmm;
  for (let i = 0; i < pinned.count; i++) pmm.unpin(pinned.frameAt(i));
  vmo.pinnedCount -= pinned.count;
}
