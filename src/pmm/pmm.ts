// Physical memory: page frames held in ArrayBuffer arenas that are created on first use, so a
// kernel with gigabytes of simulated RAM costs the host nothing until its pages are touched.
// Frames are handed out from a LIFO free stack (recently freed, cache-warm frames first) and,
// when that is empty, from the never-used region above the high-water mark, whose bytes are
// still zero. Runs of physically contiguous frames come from above the high-water mark, or
// from a search of the free frames. Frame n is physical address n * 4096: RAM starts at 0, and
// an MMIO region (device memory: never allocated, only mapped through physical VMOs) follows
// it at the next 1 GiB boundary. Pinned frames (pinned for DMA by a BTI) are counted per frame
// and may not be freed.

import { ZX_ERR_NO_MEMORY } from '../abi/constants.ts';
import { assert, panic } from '../util/assert.ts';
import { because } from '../util/reason.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../util/u64.ts';

/** Frames per arena: 4096 frames = 16 MiB of host memory per arena. */
function noFrames(needed: number, free: number): string {
  return `out of memory: ${needed} free pages needed, ${free} free after reclaiming`;
}

const ARENA_SHIFT = 12;
const ARENA_FRAMES = 1 << ARENA_SHIFT;
const ARENA_MASK = ARENA_FRAMES - 1;

/** The largest simulated RAM: frame numbers must fit an Int32Array. */
export const MAX_MEMORY_BYTES = 2 ** 40;

/** The MMIO region: 1 GiB of device memory at the first 1 GiB boundary at or above RAM's end. */
export const MMIO_ALIGN_BYTES = 2 ** 30;
export const MMIO_SIZE_BYTES = 2 ** 30;

/** What a frame is used for; each use has its own counter in ZX_INFO_KMEM_STATS. */
export const FrameUse = {
  vmo: 0,
  mmu: 1,
  wired: 2,
  other: 3,
} as const;
export type FrameUse = (typeof FrameUse)[keyof typeof FrameUse];

/**
 * Called when an allocation of `needed` frames cannot be met from free memory (or would take
 * free memory below the watermark). It may discard reclaimable memory, never `exclude`.
 */
export type Reclaimer = (needed: number, exclude: unknown) => void;

export class PhysicalMemory {
  readonly totalFrames: number;
  readonly watermarkFrames: number;
  /** The shared zero page: mapped read-only wherever untouched memory is read. */
  readonly zeroFrame: number;
  /** First frame of the MMIO region (its physical address is mmioFirstFrame * 4096). */
  readonly mmioFirstFrame: number;
  /** Frames in the MMIO region. */
  readonly mmioFrames: number;
  private readonly arenas: (Uint8Array | undefined)[];
  /** Per arena, the 4 KiB view of each of its frames, made on first use (see frameView). */
  private readonly frameViews: ((Uint8Array | undefined)[] | undefined)[];
  /** Pin counts of pinned frames (frames absent here are not pinned). */
  private readonly pins = new Map<number, number>();
  private freeStack: Int32Array;
  private freeTop = 0;
  private highWater = 0;
  private readonly used = new Float64Array(4);
  reclaimer: Reclaimer | null = null;
  /**
   * Accessed bits, a byte per RAM frame (a CPU's page-table A bits): loads and stores through
   * mappings set them, the pager evictor harvests them (vm/pager-eviction.ts). Null until a
   * pager-backed VMO needs them, so a kernel without one pays a null check per access.
   */
  accessed: Uint8Array | null = null;
  /**
   * Eviction hints a frame carries (vm/pager-eviction.ts: ALWAYS_NEED, DONT_NEED), a byte per
   * RAM frame, as Zircon keeps them on vm_page_t: they go when the frame is freed. Made with the
   * accessed bits.
   */
  hintBits: Uint8Array | null = null;

  constructor(memoryBytes: number, watermarkBytes: number) {
    assert(memoryBytes >= PAGE_SIZE * 2, 'memory must hold at least two pages');
    assert(memoryBytes <= MAX_MEMORY_BYTES, 'memory too large');
    this.totalFrames = Math.floor(memoryBytes / PAGE_SIZE);
    this.watermarkFrames = Math.min(Math.floor(watermarkBytes / PAGE_SIZE), this.totalFrames);
    const mmioBase =
      Math.ceil((this.totalFrames * PAGE_SIZE) / MMIO_ALIGN_BYTES) * MMIO_ALIGN_BYTES;
    this.mmioFirstFrame = mmioBase / PAGE_SIZE;
    this.mmioFrames = MMIO_SIZE_BYTES / PAGE_SIZE;
    this.arenas = new Array(Math.ceil((this.mmioFirstFrame + this.mmioFrames) / ARENA_FRAMES));
    this.frameViews = new Array(this.arenas.length);
    this.freeStack = new Int32Array(1024);
    this.zeroFrame = this.takeFrame(FrameUse.wired);
  }

  /** Loads and stores through mappings set accessed bits from now on. */
  trackAccess(): void {
    this.accessed ??= new Uint8Array(this.totalFrames);
    this.hintBits ??= new Uint8Array(this.totalFrames);
  }

  get freeFrames(): number {
    return this.freeTop + (this.totalFrames - this.highWater);
  }

  usedFrames(use: FrameUse): number {
    return this.used[use]!;
  }

  /**
   * Makes sure `count` frames can be allocated, reclaiming (never from `exclude`) when free
   * memory would otherwise fall short or below the watermark. Returns false when the frames
   * cannot be had: the caller then fails with ZX_ERR_NO_MEMORY before changing anything.
   */
  ensureFree(count: number, exclude?: unknown): boolean {
    if (count <= 0) return true;
    const wanted = count + this.watermarkFrames;
    if (this.freeFrames < wanted && this.reclaimer !== null) this.reclaimer(wanted, exclude);
    if (this.freeFrames >= count) return true;
    // The caller answers ZX_ERR_NO_MEMORY: say why, for an explaining syscall.
    because(ZX_ERR_NO_MEMORY, noFrames, count, this.freeFrames);
    return false;
  }

  /** Allocates one frame; its bytes are zero when `zeroed` is set. Call ensureFree first. */
  alloc(use: FrameUse, zeroed: boolean): number {
    if (this.freeTop > 0) {
      const frame = this.freeStack[--this.freeTop]!;
      this.used[use]!++;
      if (zeroed) {
        const off = (frame & ARENA_MASK) << PAGE_SHIFT;
        this.arenaOf(frame).fill(0, off, off + PAGE_SIZE);
      }
      return frame;
    }
    return this.takeFrame(use);
  }

  free(frame: number, use: FrameUse): void {
    assert(frame !== this.zeroFrame, 'freeing the zero page');
    assert(frame >= 0 && frame < this.highWater, 'freeing a frame never allocated');
    assert(this.pins.size === 0 || !this.pins.has(frame), 'freeing a pinned frame');
    this.pushFree(frame);
    this.used[use]!--;
    if (this.hintBits !== null) this.hintBits[frame] = 0;
  }

  /**
   * Allocates `count` physically contiguous frames whose first frame is a multiple of
   * `alignFrames` (a power of two), zero-filled. Returns the first frame, or -1 when no such run
   * is free (after reclaiming, never from `exclude`).
   */
  allocContiguous(count: number, alignFrames: number, use: FrameUse, exclude?: unknown): number {
    assert(count > 0 && alignFrames > 0, 'empty contiguous allocation');
    if (!this.ensureFree(count, exclude)) return -1;
    // Above the high-water mark every frame is free and still zero.
    const start = Math.ceil(this.highWater / alignFrames) * alignFrames;
    if (start + count <= this.totalFrames) {
      for (let frame = this.highWater; frame < start; frame++) this.pushFree(frame);
      this.highWater = start + count;
      this.used[use]! += count;
      return start;
    }
    return this.takeFreeRun(count, alignFrames, use);
  }

  /** Pins a frame (BTI pinning): it may not be freed until unpinned as often. */
  pin(frame: number): void {
    assert(
      frame >= 0 && frame < this.highWater && frame !== this.zeroFrame,
      'pinning a free frame',
    );
    this.pins.set(frame, (this.pins.get(frame) ?? 0) + 1);
  }

  unpin(frame: number): void {
    const count = this.pins.get(frame);
    assert(count !== undefined, 'unpinning a frame that is not pinned');
    if (count === 1) this.pins.delete(frame);
    else this.pins.set(frame, count - 1);
  }

  /** How many times `frame` is pinned. */
  pinCount(frame: number): number {
    return this.pins.size === 0 ? 0 : (this.pins.get(frame) ?? 0);
  }

  /** Frames pinned at least once. */
  get pinnedFrames(): number {
    return this.pins.size;
  }

  /** True for frames of the MMIO region. */
  isMmioFrame(frame: number): boolean {
    return frame >= this.mmioFirstFrame && frame < this.mmioFirstFrame + this.mmioFrames;
  }

  /**
   * Debug check: true when `frame` is a RAM frame handed out (or the zero page), false when it
   * is free or not RAM. `free` is `freeFrameSet()`, built once for a batch of checks.
   */
  isAllocated(frame: number, free: ReadonlySet<number>): boolean {
    return frame >= 0 && frame < this.highWater && !free.has(frame);
  }

  /** Debug: the frames on the free stack. */
  freeFrameSet(): Set<number> {
    return new Set(this.freeStack.subarray(0, this.freeTop));
  }

  /** The arena that holds `frame`; its bytes start at `frameOffset(frame)`. */
  arenaOf(frame: number): Uint8Array {
    // Small, so that the JIT inlines it into every copy; the first touch is out of line.
    return this.arenas[frame >>> ARENA_SHIFT] ?? this.createArena(frame);
  }

  private createArena(frame: number): Uint8Array {
    const index = frame >>> ARENA_SHIFT;
    const frames =
      frame >= this.mmioFirstFrame
        ? ARENA_FRAMES
        : Math.min(ARENA_FRAMES, this.totalFrames - index * ARENA_FRAMES);
    const created = new Uint8Array(frames * PAGE_SIZE);
    this.arenas[index] = created;
    return created;
  }

  /**
   * A Uint8Array over exactly the 4096 bytes of `frame`, made on first use and kept (arenas
   * never move), so copying a whole page needs no new view.
   */
  frameView(frame: number): Uint8Array {
    return (
      this.frameViews[frame >>> ARENA_SHIFT]?.[frame & ARENA_MASK] ?? this.makeFrameView(frame)
    );
  }

  private makeFrameView(frame: number): Uint8Array {
    const index = frame >>> ARENA_SHIFT;
    let views = this.frameViews[index];
    if (views === undefined) {
      views = new Array<Uint8Array | undefined>(ARENA_FRAMES).fill(undefined);
      this.frameViews[index] = views;
    }
    const offset = (frame & ARENA_MASK) << PAGE_SHIFT;
    const view = this.arenaOf(frame).subarray(offset, offset + PAGE_SIZE);
    views[frame & ARENA_MASK] = view;
    return view;
  }

  frameOffset(frame: number): number {
    return (frame & ARENA_MASK) << PAGE_SHIFT;
  }

  /** True when `next` directly follows `frame` in the same arena (one copy can span both). */
  adjacent(frame: number, next: number): boolean {
    return next === frame + 1 && (next & ARENA_MASK) !== 0;
  }

  /** Frames ever handed out (the high-water mark): those above it were never touched. */
  get touchedFrames(): number {
    return this.highWater;
  }

  /** The arenas created so far, by index (for kernel.inspect()). */
  arenasInUse(): { index: number; frames: number }[] {
    const found: { index: number; frames: number }[] = [];
    this.arenas.forEach((arena, index) => {
      if (arena !== undefined) found.push({ index, frames: arena.byteLength / PAGE_SIZE });
    });
    return found;
  }

  /** Frames per arena: arena i holds frames [i * arenaFrames, (i + 1) * arenaFrames). */
  get arenaFrames(): number {
    return ARENA_FRAMES;
  }

  /**
   * Gives the host back the arenas of RAM whose frames are all free; returns the bytes released.
   * Their frames stay free (on the free stack or above the high-water mark): an arena is made
   * again, zeroed, when one of them is next used. Costs the free frames, so it is a call made when
   * wanted (Kernel.releaseFreeMemory), never on the allocation path. Device memory (MMIO) keeps
   * its arenas: their bytes are the device's.
   */
  releaseFreeArenas(): number {
    const ramArenas = Math.ceil(this.totalFrames / ARENA_FRAMES);
    const free = new Int32Array(ramArenas);
    for (let i = 0; i < this.freeTop; i++) free[this.freeStack[i]! >>> ARENA_SHIFT]!++;
    let released = 0;
    for (let index = 0; index < ramArenas; index++) {
      const arena = this.arenas[index];
      if (arena === undefined) continue;
      const first = index * ARENA_FRAMES;
      const frames = arena.byteLength / PAGE_SIZE;
      const untouched = Math.max(
        0,
        Math.min(first + frames, this.totalFrames) - Math.max(first, this.highWater),
      );
      if (free[index]! + untouched < frames) continue;
      this.arenas[index] = undefined;
      this.frameViews[index] = undefined;
      released += arena.byteLength;
    }
    return released;
  }

  /** Host bytes actually allocated for arenas (for the memory benchmarks). */
  hostArenaBytes(): number {
    let total = 0;
    for (const arena of this.arenas) if (arena !== undefined) total += arena.byteLength;
    return total;
  }

  private pushFree(frame: number): void {
    if (this.freeTop === this.freeStack.length) {
      const grown = new Int32Array(this.freeStack.length * 2);
      grown.set(this.freeStack);
      this.freeStack = grown;
    }
    this.freeStack[this.freeTop++] = frame;
  }

  /**
   * Finds an aligned run of `count` free frames among the freed ones (those above the
   * high-water mark count as free too), takes it and zero-fills it. -1 when there is none.
   */
  private takeFreeRun(count: number, alignFrames: number, use: FrameUse): number {
    const free = Array.from(this.freeStack.subarray(0, this.freeTop)).sort((a, b) => a - b);
    // A run that starts below the high-water mark may go on into the untouched frames above it.
    const tailEnd = Math.min(this.totalFrames, this.highWater + count);
    for (let frame = this.highWater; frame < tailEnd; frame++) free.push(frame);
    let runStart = -1;
    let runLength = 0;
    let found = -1;
    for (let i = 0; i < free.length; i++) {
      const frame = free[i]!;
      if (runLength > 0 && frame === runStart + runLength) runLength++;
      else if (frame % alignFrames === 0) {
        runStart = frame;
        runLength = 1;
      } else {
        runLength = 0;
        continue;
      }
      if (runLength === count) {
        found = runStart;
        break;
      }
    }
    if (found < 0) return -1;
    const end = found + count;
    let top = 0;
    for (let i = 0; i < this.freeTop; i++) {
      const frame = this.freeStack[i]!;
      if (frame < found || frame >= end) this.freeStack[top++] = frame;
    }
    this.freeTop = top;
    if (end > this.highWater) this.highWater = end;
    for (let frame = found; frame < end; frame++) {
      const offset = this.frameOffset(frame);
      this.arenaOf(frame).fill(0, offset, offset + PAGE_SIZE);
    }
    this.used[use]! += count;
    return found;
  }

  private takeFrame(use: FrameUse): number {
    if (this.highWater >= this.totalFrames) panic('physical memory exhausted without ensureFree');
    this.used[use]!++;
    return this.highWater++;
  }
}
