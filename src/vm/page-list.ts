// VmPageList: the pages of one VmCowPages node, by page index. Pages live in chunks of 64
// entries kept in a Map, so sparse VMOs of any size cost memory only where pages exist, and a
// sequential walk does one Map lookup per 64 pages.
//
// An entry is an integer: EMPTY (nothing here: look at the parent, or read zeros), a frame
// (stored as frame + 1, always positive), or ZERO_MARKER (zero, whatever the parent holds).
// Beside each entry a chunk keeps the page's share count: in a hidden node, how many VMOs
// besides one can see the page (Zircon keeps it in vm_page_t); it is 0 everywhere else. A chunk
// also counts its entries, its frames, and its frames with no share (seen by one VMO only), so
// whole chunks can be moved, and skipped when nothing in them can be freed. The chunks' keys are
// also kept in order (SortedKeys), so a walk over any range costs the chunks there, not the
// range's width.

import { assert } from '../util/assert.ts';
import { SortedKeys } from './sorted-keys.ts';

export const EMPTY = 0;
/** Content here is zero, whatever the parent holds (Zircon's zero marker). */
export const ZERO_MARKER = -1;

/** Entries per chunk. */
export const CHUNK = 64;
/** Slot CHUNK of each chunk counts its non-empty entries. */
const COUNT_SLOT = CHUNK;
/** Slots SHARE_BASE + i hold the share count of entry i. */
export const SHARE_BASE = CHUNK + 1;
/** The slot after the share counts counts the chunk's frames... */
const FRAME_SLOT = SHARE_BASE + CHUNK;
/** ...and the next one those frames whose share count is 0. */
const UNSHARED_SLOT = FRAME_SLOT + 1;
const CHUNK_LENGTH = UNSHARED_SLOT + 1;

export function frameEntry(frame: number): number {
  return frame + 1;
}
export function entryFrame(entry: number): number {
  return entry - 1;
}
export function isFrame(entry: number): boolean {
  return entry > 0;
}

/** Called for each chunk a range touches: entries chunk[from..to) sit at pages base + slot. */
export type ChunkVisitor = (chunk: Int32Array, base: number, from: number, to: number) => void;

export class VmPageList {
  private readonly chunks = new Map<number, Int32Array>();
  /** The keys of `chunks`, in order: made once a second chunk comes (most lists hold one). */
  private order: SortedKeys | null = null;
  private lastKey = -1;
  private lastChunk: Int32Array | undefined;
  /** A chunk set() emptied and dropped, kept for the next one it needs. */
  private spare: Int32Array | null = null;
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

  /** Sets an entry (its share count becomes 0) and returns the one it replaced. */
  set(index: number, entry: number): number {
    const key = Math.floor(index / CHUNK);
    let chunk = key === this.lastKey ? this.lastChunk : this.chunks.get(key);
    if (chunk === undefined) {
      if (entry === EMPTY) return EMPTY;
      // The chunk emptied last is reused: a page that comes and goes (an aux VMO's) allocates once.
      chunk = this.spare?.fill(0) ?? new Int32Array(CHUNK_LENGTH);
      this.spare = null;
      this.chunks.set(key, chunk);
      this.keyAdded(key);
    }
    this.lastKey = key;
    this.lastChunk = chunk;
    const slot = index - key * CHUNK;
    const old = chunk[slot]!;
    if (old > 0 && chunk[SHARE_BASE + slot] === 0) chunk[UNSHARED_SLOT]!--;
    chunk[SHARE_BASE + slot] = 0;
    if (entry > 0) chunk[UNSHARED_SLOT]!++;
    if (old === entry) return old;
    chunk[slot] = entry;
    this.account(old, -1);
    this.account(entry, 1);
    if (old > 0) chunk[FRAME_SLOT]!--;
    if (entry > 0) chunk[FRAME_SLOT]!++;
    if (old === EMPTY) chunk[COUNT_SLOT]!++;
    else if (entry === EMPTY && --chunk[COUNT_SLOT]! === 0) {
      this.spare = chunk;
      this.chunks.delete(key);
      this.order?.delete(key);
      this.lastKey = -1;
      this.lastChunk = undefined;
    }
    return old;
  }

  /** The share count of the entry at `index` (0 where there is none). */
  getShare(index: number): number {
    const key = Math.floor(index / CHUNK);
    const chunk = key === this.lastKey ? this.lastChunk : this.chunks.get(key);
    return chunk === undefined ? 0 : chunk[SHARE_BASE + index - key * CHUNK]!;
  }

  /** Sets the share count of the (existing) entry at `index`. */
  setShare(index: number, share: number): void {
    const key = Math.floor(index / CHUNK);
    const chunk = key === this.lastKey ? this.lastChunk : this.chunks.get(key);
    assert(chunk !== undefined && chunk[index - key * CHUNK]! > 0, 'share of no frame');
    VmPageList.addShare(
      chunk,
      index - key * CHUNK,
      share - chunk[SHARE_BASE + index - key * CHUNK]!,
    );
  }

  /** Adds `delta` to the share count of the frame in `slot` of a chunk. */
  static addShare(chunk: Int32Array, slot: number, delta: number): void {
    const old = chunk[SHARE_BASE + slot]!;
    const share = old + delta;
    assert(share >= 0, 'negative share count');
    chunk[SHARE_BASE + slot] = share;
    if (old === 0 && share > 0) chunk[UNSHARED_SLOT]!--;
    else if (old > 0 && share === 0) chunk[UNSHARED_SLOT]!++;
  }

  /** Markers (non-empty entries that are not frames) of a chunk. */
  static markersIn(chunk: Int32Array): number {
    return chunk[COUNT_SLOT]! - chunk[FRAME_SLOT]!;
  }

  /** Frames of a chunk that one VMO alone sees (share count 0). */
  static unsharedFrames(chunk: Int32Array): number {
    return chunk[UNSHARED_SLOT]!;
  }

  get isEmpty(): boolean {
    return this.chunks.size === 0;
  }

  /**
   * Visits the non-empty entries with start <= index < end in ascending order. The visitor may
   * change the visited entry with set(); it must not add entries elsewhere in the range.
   */
  forEach(start: number, end: number, visit: (index: number, entry: number) => void): void {
    this.forEachChunk(start, end, (chunk, base, from, to) => {
      for (let slot = from; slot < to; slot++) {
        const entry = chunk[slot]!;
        if (entry !== EMPTY) visit(base + slot, entry);
      }
    });
  }

  /**
   * Visits, in ascending order, every chunk holding entries in [start, end). The visitor may
   * change entries of the chunk it is given (through set(), or directly for share counts).
   */
  forEachChunk(start: number, end: number, visit: ChunkVisitor): void {
    if (start >= end || this.chunks.size === 0) return;
    for (const key of this.keysIn(start, end)) {
      const chunk = this.chunks.get(key);
      if (chunk === undefined) continue;
      const base = key * CHUNK;
      visit(chunk, base, Math.max(start, base) - base, Math.min(end, base + CHUNK) - base);
    }
  }

  /**
   * Calls visit(from, to) for each maximal run of consecutive pages of [start, end) that hold
   * entries, in ascending order (a full chunk is one step). The visitor must not change the list.
   */
  forEachRun(start: number, end: number, visit: (from: number, to: number) => void): void {
    let runStart = -1;
    let runEnd = -1;
    this.forEachChunk(start, end, (chunk, base, from, to) => {
      if (chunk[COUNT_SLOT] === CHUNK) {
        if (base + from !== runEnd) {
          if (runStart >= 0) visit(runStart, runEnd);
          runStart = base + from;
        }
        runEnd = base + to;
        return;
      }
      for (let slot = from; slot < to; slot++) {
        if (chunk[slot] === EMPTY) continue;
        if (base + slot !== runEnd) {
          if (runStart >= 0) visit(runStart, runEnd);
          runStart = base + slot;
        }
        runEnd = base + slot + 1;
      }
    });
    if (runStart >= 0) visit(runStart, runEnd);
  }

  /** True when some entry lies in [start, end). */
  hasEntriesIn(start: number, end: number): boolean {
    if (start >= end || this.chunks.size === 0) return false;
    for (const key of this.keysIn(start, end)) {
      const chunk = this.chunks.get(key)!;
      const base = key * CHUNK;
      const to = Math.min(end, base + CHUNK) - base;
      for (let slot = Math.max(start, base) - base; slot < to; slot++) {
        if (chunk[slot] !== EMPTY) return true;
      }
    }
    return false;
  }

  /** Removes every entry in [start, end), handing each removed one to `release`. */
  clear(start: number, end: number, release: (index: number, entry: number) => void): void {
    this.forEach(start, end, (index, entry) => {
      this.set(index, EMPTY);
      release(index, entry);
    });
  }

  /**
   * Removes every entry in [start, end) like clear(), visiting them in descending order (so
   * frames freed onto the PMM's LIFO stack come back in ascending order).
   */
  clearDescending(
    start: number,
    end: number,
    release: (index: number, entry: number) => void,
  ): void {
    if (start >= end || this.chunks.size === 0) return;
    const keys = this.keysIn(start, end);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      const chunk = this.chunks.get(key);
      if (chunk === undefined) continue;
      const base = key * CHUNK;
      const from = Math.max(start, base) - base;
      for (let slot = Math.min(end, base + CHUNK) - base - 1; slot >= from; slot--) {
        const entry = chunk[slot]!;
        if (entry === EMPTY) continue;
        this.set(base + slot, EMPTY);
        release(base + slot, entry);
      }
    }
  }

  /** Counts the frames in [start, end): count(start, end, isFrame), with no callbacks. */
  countFrames(start: number, end: number): number {
    if (start >= end || this.frameCount === 0) return 0;
    if (start <= 0 && end >= Number.MAX_SAFE_INTEGER) return this.frameCount;
    let n = 0;
    for (const key of this.keysIn(start, end)) {
      n += VmPageList.framesInChunk(this.chunks.get(key)!, key, start, end);
    }
    return n;
  }

  /** Frames of the chunk at `key` that lie in [start, end). */
  private static framesInChunk(chunk: Int32Array, key: number, start: number, end: number): number {
    const base = key * CHUNK;
    if (start <= base && end >= base + CHUNK) return chunk[FRAME_SLOT]!;
    const to = Math.min(end, base + CHUNK) - base;
    let n = 0;
    for (let slot = Math.max(start, base) - base; slot < to; slot++) if (chunk[slot]! > 0) n++;
    return n;
  }

  /** Counts entries in [start, end) for which `test` holds. */
  count(start: number, end: number, test: (entry: number) => boolean): number {
    let n = 0;
    this.forEach(start, end, (_index, entry) => {
      if (test(entry)) n++;
    });
    return n;
  }

  /** The chunk holding pages [key * 64, key * 64 + 64), if any (for whole-chunk moves). */
  chunkAt(key: number): Int32Array | undefined {
    return this.chunks.get(key);
  }

  /** Takes a whole chunk out of the list (its entries and share counts go with it). */
  detachChunk(key: number): Int32Array | undefined {
    const chunk = this.chunks.get(key);
    if (chunk === undefined) return undefined;
    this.chunks.delete(key);
    this.order?.delete(key);
    if (this.lastKey === key) {
      this.lastKey = -1;
      this.lastChunk = undefined;
    }
    this.accountChunk(chunk, -1);
    return chunk;
  }

  /** Puts a chunk taken with detachChunk at `key`, where this list has no chunk. */
  attachChunk(key: number, chunk: Int32Array): void {
    assert(!this.chunks.has(key), 'attaching over an existing chunk');
    assert(chunk[COUNT_SLOT]! > 0, 'attaching an empty chunk');
    this.chunks.set(key, chunk);
    this.keyAdded(key);
    // The one-entry lookup cache may remember that this key had no chunk.
    this.lastKey = -1;
    this.lastChunk = undefined;
    this.accountChunk(chunk, 1);
  }

  /**
   * Sets the share count of every frame in slots [from, to) of a chunk to `share` (a chunk
   * full of frames takes one fill).
   */
  static setFrameShares(chunk: Int32Array, from: number, to: number, share: number): void {
    if (chunk[FRAME_SLOT] === CHUNK && from === 0 && to === CHUNK) {
      chunk.fill(share, SHARE_BASE, FRAME_SLOT);
      chunk[UNSHARED_SLOT] = share === 0 ? CHUNK : 0;
      return;
    }
    for (let slot = from; slot < to; slot++) {
      if (chunk[slot]! > 0) VmPageList.addShare(chunk, slot, share - chunk[SHARE_BASE + slot]!);
    }
  }

  /** Zeroes every share count of a chunk. */
  static clearShares(chunk: Int32Array): void {
    chunk.fill(0, SHARE_BASE, FRAME_SLOT);
    chunk[UNSHARED_SLOT] = chunk[FRAME_SLOT]!;
  }

  /** Zeroes every share count (the pages now belong to one VMO). */
  clearAllShares(): void {
    for (const chunk of this.chunks.values()) VmPageList.clearShares(chunk);
  }

  /** Debug: recounts every chunk's entries, frames and unshared frames. */
  checkCounts(): void {
    let frames = 0;
    let markers = 0;
    for (const chunk of this.chunks.values()) {
      let count = 0;
      let chunkFrames = 0;
      let unshared = 0;
      for (let slot = 0; slot < CHUNK; slot++) {
        const entry = chunk[slot]!;
        if (entry !== EMPTY) count++;
        if (entry < 0) markers++;
        if (entry > 0) {
          chunkFrames++;
          if (chunk[SHARE_BASE + slot] === 0) unshared++;
        } else assert(chunk[SHARE_BASE + slot] === 0, 'a share count without a frame');
      }
      assert(count > 0 && count === chunk[COUNT_SLOT], 'chunk entry count is wrong');
      assert(chunkFrames === chunk[FRAME_SLOT], 'chunk frame count is wrong');
      assert(unshared === chunk[UNSHARED_SLOT], 'chunk unshared-frame count is wrong');
      frames += chunkFrames;
    }
    assert(frames === this.frameCount && markers === this.markerCount, 'list counts are wrong');
  }

  /** Host bytes of bookkeeping, reported as metadata. */
  get metadataBytes(): number {
    return this.chunks.size * (CHUNK + 1) * 4;
  }

  /** Keys of the chunks overlapping [start, end), ascending: O(log n + those keys). */
  keysIn(start: number, end: number): number[] {
    const firstKey = Math.floor(start / CHUNK);
    const lastKey = Math.floor((end - 1) / CHUNK);
    if (lastKey - firstKey < 4) {
      // A chunk or a few: looking them up is quicker than searching.
      const keys: number[] = [];
      for (let key = firstKey; key <= lastKey; key++) if (this.chunks.has(key)) keys.push(key);
      return keys;
    }
    if (this.order === null) {
      // One chunk at most.
      for (const key of this.chunks.keys()) return key >= firstKey && key <= lastKey ? [key] : [];
      return [];
    }
    return this.order.between(firstKey, lastKey);
  }

  /** `key` has just got a chunk. */
  private keyAdded(key: number): void {
    if (this.order !== null) this.order.add(key);
    else if (this.chunks.size > 1) {
      this.order = new SortedKeys();
      for (const k of this.chunks.keys()) this.order.add(k);
    }
  }

  private accountChunk(chunk: Int32Array, delta: number): void {
    const frames = chunk[FRAME_SLOT]!;
    this.frameCount += delta * frames;
    this.markerCount += delta * (chunk[COUNT_SLOT]! - frames);
    assert(this.frameCount >= 0 && this.markerCount >= 0, 'page list counts went negative');
  }

  private account(entry: number, delta: number): void {
    if (entry > 0) this.frameCount += delta;
    else if (entry < 0) this.markerCount += delta;
    assert(this.frameCount >= 0 && this.markerCount >= 0, 'page list counts went negative');
  }
}
