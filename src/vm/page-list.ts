// VmPageList: the pages of one VmCowPages node, by page index. Pages live in chunks of 64
// entries kept in a Map, so sparse VMOs of any size cost memory only where pages exist, and a
// sequential walk does one Map lookup per 64 pages.
//
// An entry is an integer: EMPTY (nothing here, look at the parent or read zeros), a frame
// (stored as frame + 1, always positive), or a negative marker.

import { assert } from '../util/assert.ts';

export const EMPTY = 0;
/** Content here is zero, whatever the parent holds (Zircon's zero marker). */
export const ZERO_MARKER = -1;

const CHUNK = 64;
/** Slot CHUNK of each chunk counts its non-empty entries. */
const COUNT_SLOT = CHUNK;

export function frameEntry(frame: number): number {
  return frame + 1;
}
export function entryFrame(entry: number): number {
  return entry - 1;
}
export function isFrame(entry: number): boolean {
  return entry > 0;
}

export class VmPageList {
  private readonly chunks = new Map<number, Int32Array>();
  private lastKey = -1;
  private lastChunk: Int32Array | undefined;
  /** Frames held (entries that are frames). */
  frameCount = 0;
  /** Markers held. */
  markerCount = 0;

  get(index: number): number {
    const key = Math.floor(index / CHUNK);
    let chunk: Int32Array | undefined;
    if (key === this.lastKey) chunk = this.lastChunk;
    else {
      chunk = this.chunks.get(key);
      this.lastKey = key;
      this.lastChunk = chunk;
    }
    return chunk === undefined ? EMPTY : chunk[index - key * CHUNK]!;
  }

  /** Sets an entry and returns the one it replaced. */
  set(index: number, entry: number): number {
    const key = Math.floor(index / CHUNK);
    let chunk = key === this.lastKey ? this.lastChunk : this.chunks.get(key);
    if (chunk === undefined) {
      if (entry === EMPTY) return EMPTY;
      chunk = new Int32Array(CHUNK + 1);
      this.chunks.set(key, chunk);
    }
    this.lastKey = key;
    this.lastChunk = chunk;
    const slot = index - key * CHUNK;
    const old = chunk[slot]!;
    if (old === entry) return old;
    chunk[slot] = entry;
    this.account(old, -1);
    this.account(entry, 1);
    if (old === EMPTY) chunk[COUNT_SLOT]!++;
    else if (entry === EMPTY && --chunk[COUNT_SLOT]! === 0) {
      this.chunks.delete(key);
      this.lastKey = -1;
      this.lastChunk = undefined;
    }
    return old;
  }

  get isEmpty(): boolean {
    return this.chunks.size === 0;
  }

  /**
   * Visits the non-empty entries with start <= index < end in ascending order. The visitor may
   * change the visited entry with set(); it must not add entries elsewhere in the range.
   */
  forEach(start: number, end: number, visit: (index: number, entry: number) => void): void {
    if (start >= end || this.chunks.size === 0) return;
    const firstKey = Math.floor(start / CHUNK);
    const lastKey = Math.floor((end - 1) / CHUNK);
    let keys: number[];
    if (lastKey - firstKey + 1 <= this.chunks.size * 4) {
      keys = [];
      for (let key = firstKey; key <= lastKey; key++) if (this.chunks.has(key)) keys.push(key);
    } else {
      keys = [];
      for (const key of this.chunks.keys()) if (key >= firstKey && key <= lastKey) keys.push(key);
      keys.sort((a, b) => a - b);
    }
    for (const key of keys) {
      const chunk = this.chunks.get(key);
      if (chunk === undefined) continue;
      const base = key * CHUNK;
      const from = Math.max(start, base) - base;
      const to = Math.min(end, base + CHUNK) - base;
      for (let slot = from; slot < to; slot++) {
        const entry = chunk[slot]!;
        if (entry !== EMPTY) visit(base + slot, entry);
      }
    }
  }

  /** Removes every entry in [start, end), handing each removed one to `release`. */
  clear(start: number, end: number, release: (index: number, entry: number) => void): void {
    this.forEach(start, end, (index, entry) => {
      this.set(index, EMPTY);
      release(index, entry);
    });
  }

  /** Counts entries in [start, end) for which `test` holds. */
  count(start: number, end: number, test: (entry: number) => boolean): number {
    let n = 0;
    this.forEach(start, end, (_index, entry) => {
      if (test(entry)) n++;
    });
    return n;
  }

  /** Host bytes of bookkeeping, reported as metadata. */
  get metadataBytes(): number {
    return this.chunks.size * (CHUNK + 1) * 4;
  }

  private account(entry: number, delta: number): void {
    if (entry > 0) this.frameCount += delta;
    else if (entry < 0) this.markerCount += delta;
    assert(this.frameCount >= 0 && this.markerCount >= 0, 'page list counts went negative');
  }
}
