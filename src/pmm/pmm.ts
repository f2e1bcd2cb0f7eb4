// Physical memory: page frames held in ArrayBuffer arenas that are created on first use, so a
// kernel with gigabytes of simulated RAM costs the host nothing until its pages are touched.
// Frames are handed out from a LIFO free stack (recently freed, cache-warm frames first) and,
// when that is empty, from the never-used region above the high-water mark, whose bytes are
// still zero.

import { assert, panic } from '../util/assert.ts';
import { PAGE_SHIFT, PAGE_SIZE } from '../util/u64.ts';

/** Frames per arena: 4096 frames = 16 MiB of host memory per arena. */
const ARENA_SHIFT = 12;
const ARENA_FRAMES = 1 << ARENA_SHIFT;
const ARENA_MASK = ARENA_FRAMES - 1;

/** The largest simulated RAM: frame numbers must fit an Int32Array. */
export const MAX_MEMORY_BYTES = 2 ** 40;

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
  private readonly arenas: (Uint8Array | undefined)[];
  private freeStack: Int32Array;
  private freeTop = 0;
  private highWater = 0;
  private readonly used = new Float64Array(4);
  reclaimer: Reclaimer | null = null;

  constructor(memoryBytes: number, watermarkBytes: number) {
    assert(memoryBytes >= PAGE_SIZE * 2, 'memory must hold at least two pages');
    assert(memoryBytes <= MAX_MEMORY_BYTES, 'memory too large');
    this.totalFrames = Math.floor(memoryBytes / PAGE_SIZE);
    this.watermarkFrames = Math.min(Math.floor(watermarkBytes / PAGE_SIZE), this.totalFrames);
    this.arenas = new Array(Math.ceil(this.totalFrames / ARENA_FRAMES));
    this.freeStack = new Int32Array(1024);
    this.zeroFrame = this.takeFrame(FrameUse.wired);
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
    return this.freeFrames >= count;
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
    if (this.freeTop === this.freeStack.length) {
      const grown = new Int32Array(this.freeStack.length * 2);
      grown.set(this.freeStack);
      this.freeStack = grown;
    }
    this.freeStack[this.freeTop++] = frame;
    this.used[use]!--;
  }

  /** The arena that holds `frame`; its bytes start at `frameOffset(frame)`. */
  arenaOf(frame: number): Uint8Array {
    const index = frame >>> ARENA_SHIFT;
    const arena = this.arenas[index];
    if (arena !== undefined) return arena;
    const frames = Math.min(ARENA_FRAMES, this.totalFrames - index * ARENA_FRAMES);
    const created = new Uint8Array(frames * PAGE_SIZE);
    this.arenas[index] = created;
    return created;
  }

  frameOffset(frame: number): number {
    return (frame & ARENA_MASK) << PAGE_SHIFT;
  }

  /** True when `next` directly follows `frame` in the same arena (one copy can span both). */
  adjacent(frame: number, next: number): boolean {
    return next === frame + 1 && (next & ARENA_MASK) !== 0;
  }

  /** Host bytes actually allocated for arenas (for the memory benchmarks). */
  hostArenaBytes(): number {
    let total = 0;
    for (const arena of this.arenas) if (arena !== undefined) total += arena.byteLength;
    return total;
  }

  private takeFrame(use: FrameUse): number {
    if (this.highWater >= this.totalFrames) panic('physical memory exhausted without ensureFree');
    this.used[use]!++;
    return this.highWater++;
  }
}
