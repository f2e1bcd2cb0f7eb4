// VmCowPages: the page store behind a paged VMO. It owns the VmPageList and turns byte ranges
// into frame operations: copy in, copy out, commit, decommit, zero, resize. Every operation
// that needs new frames counts them first and reserves them from the PMM, so it either
// completes or fails with ZX_ERR_NO_MEMORY having changed nothing.

import { ZX_ERR_NO_MEMORY, ZX_OK } from '../abi/constants.ts';
import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import { EMPTY, entryFrame, frameEntry, isFrame, VmPageList } from './page-list.ts';

/** A byte range of a VMO, split into the page where it starts and the offset inside it. */
export interface PageRange {
  page: number;
  inPage: number;
  length: number;
}

export class VmCowPages {
  readonly pages = new VmPageList();
  /** Called with [start, end) page indices whose frames were freed or replaced. */
  onPagesRemoved: ((start: number, end: number) => void) | null = null;

  readonly pmm: PhysicalMemory;
  /** The VMO this node belongs to: never reclaimed while its own operation reserves frames. */
  readonly owner: unknown;

  constructor(pmm: PhysicalMemory, owner: unknown) {
    this.pmm = pmm;
    this.owner = owner;
  }

  get frameCount(): number {
    return this.pages.frameCount;
  }

  /** Copies `range` of the VMO into dst[dstOffset...]; pages never written read as zero. */
  read(range: PageRange, dst: Uint8Array, dstOffset: number): void {
    const pmm = this.pmm;
    let page = range.page;
    let inPage = range.inPage;
    let remaining = range.length;
    let out = dstOffset;
    // Runs of physically adjacent frames are copied with one set() call.
    let runArena: Uint8Array | null = null;
    let runStart = 0;
    let runLength = 0;
    let runOut = 0;
    let lastFrame = -2;
    while (remaining > 0) {
      const chunk = Math.min(PAGE_SIZE - inPage, remaining);
      const entry = this.pages.get(page);
      if (isFrame(entry)) {
        const frame = entryFrame(entry);
        if (runArena !== null && inPage === 0 && pmm.adjacent(lastFrame, frame)) {
          runLength += chunk;
        } else {
          if (runArena !== null) dst.set(runArena.subarray(runStart, runStart + runLength), runOut);
          runArena = pmm.arenaOf(frame);
          runStart = pmm.frameOffset(frame) + inPage;
          runLength = chunk;
          runOut = out;
        }
        lastFrame = chunk + inPage === PAGE_SIZE ? frame : -2;
      } else {
        if (runArena !== null) dst.set(runArena.subarray(runStart, runStart + runLength), runOut);
        runArena = null;
        lastFrame = -2;
        dst.fill(0, out, out + chunk);
      }
      out += chunk;
      remaining -= chunk;
      inPage = 0;
      page++;
    }
    if (runArena !== null) dst.set(runArena.subarray(runStart, runStart + runLength), runOut);
  }

  /** Copies src[srcOffset...] into `range`, committing pages as needed. */
  write(range: PageRange, src: Uint8Array, srcOffset: number): number {
    const lastPage = range.page + Math.ceil((range.inPage + range.length) / PAGE_SIZE);
    const missing = this.countMissing(range.page, lastPage);
    if (!this.pmm.ensureFree(missing, this.owner)) return ZX_ERR_NO_MEMORY;
    const pmm = this.pmm;
    let page = range.page;
    let inPage = range.inPage;
    let remaining = range.length;
    let from = srcOffset;
    while (remaining > 0) {
      const chunk = Math.min(PAGE_SIZE - inPage, remaining);
      let entry = this.pages.get(page);
      if (!isFrame(entry)) {
        // A page written whole need not be zeroed first.
        const frame = pmm.alloc(FrameUse.vmo, chunk !== PAGE_SIZE);
        entry = frameEntry(frame);
        this.pages.set(page, entry);
      }
      const frame = entryFrame(entry);
      pmm.arenaOf(frame).set(src.subarray(from, from + chunk), pmm.frameOffset(frame) + inPage);
      from += chunk;
      remaining -= chunk;
      inPage = 0;
      page++;
    }
    return ZX_OK;
  }

  /** Commits zero-filled frames for every page of [start, end) that has none. */
  commit(start: number, end: number): number {
    const missing = this.countMissing(start, end);
    if (!this.pmm.ensureFree(missing, this.owner)) return ZX_ERR_NO_MEMORY;
    if (missing === 0) return ZX_OK;
    for (let page = start; page < end; page++) {
      if (!isFrame(this.pages.get(page))) {
        this.pages.set(page, frameEntry(this.pmm.alloc(FrameUse.vmo, true)));
      }
    }
    return ZX_OK;
  }

  /** Frees every frame (and drops every marker) in [start, end). */
  decommit(start: number, end: number): void {
    let freed = false;
    this.pages.clear(start, end, (_index, entry) => {
      if (isFrame(entry)) {
        this.pmm.free(entryFrame(entry), FrameUse.vmo);
        freed = true;
      }
    });
    if (freed) this.onPagesRemoved?.(start, end);
  }

  /** Zeroes bytes [inPage, inPage + length) of one committed page, if it is committed. */
  zeroWithinPage(page: number, inPage: number, length: number): void {
    const entry = this.pages.get(page);
    if (!isFrame(entry)) return;
    const frame = entryFrame(entry);
    const offset = this.pmm.frameOffset(frame) + inPage;
    this.pmm.arenaOf(frame).fill(0, offset, offset + length);
  }

  /** Frames in [start, end) that a write or commit would have to allocate. */
  countMissing(start: number, end: number): number {
    return end - start - this.pages.count(start, end, isFrame);
  }

  committedPagesIn(start: number, end: number): number {
    return this.pages.count(start, end, isFrame);
  }

  /** Frees everything: the VMO is gone, or discarded. */
  releaseAll(): void {
    this.decommit(0, Number.MAX_SAFE_INTEGER);
  }

  hasEntry(page: number): boolean {
    return this.pages.get(page) !== EMPTY;
  }
}
