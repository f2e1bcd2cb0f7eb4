// VmObjectPhysical: a VMO over device memory (zx_vmo_create_physical), Zircon's
// VmObjectPhysical. It holds no RAM pages: faults map the device frames directly, and it counts
// as contiguous and permanently pinned. Everything VmObject does not provide for it (reads and
// writes, commit, decommit, zero, lock ops, cache ops, snapshots, references, resizing,
// transfer_data) answers ZX_ERR_NOT_SUPPORTED from the base class. It starts uncached; slices
// are windows onto the same device memory.

import {
  ZX_CACHE_POLICY_UNCACHED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
} from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, U64_MAX } from '../util/u64.ts';
import { VMO_MAX_SIZE, VmObject } from './vm-object.ts';
import * as why from './vm-reasons.ts';

export class VmObjectPhysical extends VmObject {
  readonly isPaged = false;
  readonly isContiguous = true;
  /** The first frame of the device memory (its physical address is baseFrame * 4096). */
  readonly baseFrame: number;
  private readonly pages: number;

  constructor(baseFrame: number, sizePages: number) {
    super();
    this.baseFrame = baseFrame;
    this.pages = sizePages;
    this.cachePolicy = ZX_CACHE_POLICY_UNCACHED;
  }

  get sizePages(): number {
    return this.pages;
  }

  pageForRead(page: number): number {
    return this.baseFrame + page;
  }

  pageForWrite(page: number): number {
    return this.baseFrame + page;
  }

  /** Device memory is always there. */
  lookup(start: number, end: number, fn: (page: number) => void): void {
    for (let page = start; page < end; page++) fn(page);
  }

  /** Device memory is always pinned: its frames, with nothing to count. */
  pin(start: number, end: number, _write: boolean): number[] {
    const frames: number[] = [];
    for (let page = start; page < end; page++) frames.push(this.baseFrame + page);
    return frames;
  }

  unpin(_frames: readonly number[]): void {}

  prefetchRange(offset: bigint, length: bigint): number {
    const end = offset + length;
    if (end > U64_MAX) return why.overflow(why.OP, offset, length);
    return end > this.sizeBytes ? why.outOfRange(why.OP, end, this.sizeBytes) : ZX_OK;
  }

  /**
   * The same policy again is a no-op, mapped or not; a change needs an unmapped, childless VMO
   * that is not a slice.
   */
  override setMappingCachePolicy(policy: number): number {
    if (policy === this.cachePolicy) return ZX_OK;
    if (this.mappingCount > 0) return because(ZX_ERR_BAD_STATE, why.inUse, this);
    if (this.childCount > 0 || this.isChild) return because(ZX_ERR_BAD_STATE, why.related, this);
    this.cachePolicy = policy;
    return ZX_OK;
  }

  /**
   * A slice: pages [offset, offset + size) of the same device memory, with this VMO's cache
   * policy. INVALID_ARGS for an unaligned offset or a window not inside this VMO, OUT_OF_RANGE
   * past the largest VMO (physical VMOs are never resizable).
   */
  override createChildSlice(offset: bigint, size: bigint, copyName: boolean): VmObject | number {
    if ((offset & PAGE_MASK_N) !== 0n) return because(ZX_ERR_INVALID_ARGS, why.UNALIGNED_OFFSET);
    if (size > VMO_MAX_SIZE) return because(ZX_ERR_OUT_OF_RANGE, why.tooLarge, size);
    if (offset + size > this.sizeBytes) {
      return because(ZX_ERR_INVALID_ARGS, why.sliceOutside, offset + size, this.sizeBytes);
    }
    const slice = new VmObjectPhysical(
      this.baseFrame + Number(offset >> PAGE_SHIFT_N),
      Number(size >> PAGE_SHIFT_N),
    );
    slice.cachePolicy = this.cachePolicy;
    slice.childType = 'slice';
    if (copyName) slice.name = this.name.slice();
    this.addChild(slice);
    return slice;
  }
}
