// VmPageList: the pages of one VmCowPages node, by page index. Pages live in chunks of 64
// entries kept in a Map, so sparse VMOs of any size cost memory only where pages exist, and a
// sequential walk does one Map lookup per 64 pages.
//
// An entry is an integer: EMPTY (nothing here: look at the parent, or read zeros), a frame
// (stored as frame + 1, always positive), or ZERO_MARKER (zero, whatever the parent holds). A
// chunk also counts its entries and its frames, so whole chunks can be moved. The chunks' keys
// are also kept in order (SortedKeys), so a walk over any range costs the chunks there, not the
// range's width. Share counts are not stored: cow-viewers.ts computes them from the tree.
//
// The list of a node with a parent reports its entries below the node's parent limit into the
// parent's HoleCounts (setReport), whichever operation adds or removes them.

import { assert } from '../util/assert.ts';
import type { HoleCounts } from './cow-counts.ts';
import { SortedKeys } from './sorted-keys.ts';

export const EMPTY = 0;
/** Content here is zero, whatever the parent holds (Zircon's zero marker). */
export const ZERO_MARKER = -1;

/**
 * Entries per chunk. Code here uses the module's own constant: V8 reads an exported binding
 * through a cell on every use (and divides by it with a division instruction), but folds a
 * constant that is not exported.
 */
const CHUNK_ENTRIES = 64;
export const CHUNK = CHUNK_ENTRIES;
/** Slot CHUNK of each chunk counts its non-empty entries... */
const COUNT_SLOT = CHUNK_ENTRIES;
/** ...and the next one its frames. */
const FRAME_SLOT = CHUNK_ENTRIES + 1;
const CHUNK_LENGTH = FRAME_SLOT + 1;

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
/**
 * A chunk: CHUNK entries, then the two counts. A plain array of small integers rather than an
 * Int32Array: a typed array this size gets a host allocation of its own, which cost a fork
 * under a new snapshot (its first page) and every 64th fork of a large one more than the rest
 * of the page-list work; V8 reads and writes an array of small integers as fast.
 */
export type Chunk = number[];

/** An empty chunk (every entry EMPTY, both counts 0), copied for each new one. */
const EMPTY_CHUNK: readonly number[] = zeroChunk();

function zeroChunk(): number[] {
  const chunk: number[] = [];
  for (let i = 0; i < CHUNK_LENGTH; i++) chunk.push(EMPTY);
  return chunk;
}

export type ChunkVisitor = (chunk: Chunk, base: number, from: number, to: number) => void;

export class VmPageList {
  /** The chunks by key, and the drained one if any. */
  private readonly chunks = new Map<number, Chunk>();
  /** The keys of `chunks`, in order: made once a second chunk comes (most lists hold one). */
  private order: SortedKeys | null = null;
  private lastKey = -1;
  private lastChunk: Chunk | undefined;
  /**
   * The key of the chunk set() emptied last, which stays in `chunks` and `order` (and is reused
   * for the next chunk needed) until another empties: a page that comes and goes (an aux VMO's)
   * costs no Map insertion or deletion, which V8 pays for with a new table every few times.
   * Every walk and lookup but get() and set() skips it; -1 when there is none.
   */
  private drained = -1;
  /**
   * One frame entry remembered with its frame's view, for the VMO I/O fast path
   * (VmObjectPaged.readHost/writeHost): while `viewIndex` is not -1, the entry at `viewIndex` is
   * the frame `view` shows. Every change to the entries forgets it, so it can never be stale;
   * it moves with the list when a node hands its list to another.
   */
  viewIndex = -1;
  view: Uint8Array | null = null;
  /** Frames held (entries that are frames). */
  frameCount = 0;
  /** Markers held. */
  markerCount = 0;
  /** The parent's hole counts this list reports its entries into (null: none). */
  private report: HoleCounts | null = null;
  /** Entry i is reported at index i + reportShift, for i < reportLimit. */
  private reportShift = 0;
  private reportLimit = 0;

  get(index: number): number {
    const key = Math.floor(index / CHUNK_ENTRIES);
    const chunk = key === this.lastKey ? this.lastChunk : this.lookUpChunk(key);
    return chunk === undefined ? EMPTY : chunk[index - key * CHUNK_ENTRIES]!;
  }

  /** The chunk of `key`, remembered as the last one looked up (get's miss, out of line). */
  private lookUpChunk(key: number): Chunk | undefined {
    const chunk = this.chunks.get(key);
    this.lastKey = key;
    this.lastChunk = chunk;
    return chunk;
  }

  /** Sets an entry and returns the one it replaced. */
  set(index: number, entry: number): number {
    const key = Math.floor(index / CHUNK_ENTRIES);
    let chunk = key === this.lastKey ? this.lastChunk : this.chunks.get(key);
    if (chunk === undefined) {
      if (entry === EMPTY) return EMPTY;
      chunk = this.newChunk(key);
    }
    this.lastKey = key;
    this.lastChunk = chunk;
    const slot = index - key * CHUNK_ENTRIES;
    const old = chunk[slot]!;
    if (old === entry) return old;
    chunk[slot] = entry;
    this.viewIndex = -1;
    this.account(old, -1);
    this.account(entry, 1);
    if (old > 0) chunk[FRAME_SLOT]!--;
    if (entry > 0) chunk[FRAME_SLOT]!++;
    if (old === EMPTY) {
      chunk[COUNT_SLOT]!++;
      if (key === this.drained) this.drained = -1;
      if (this.report !== null && index < this.reportLimit) {
        this.report.add(index + this.reportShift, 1);
      }
    } else if (entry === EMPTY) {
      if (this.report !== null && index < this.reportLimit) {
        this.report.add(index + this.reportShift, -1);
      }
      if (--chunk[COUNT_SLOT]! === 0) {
        if (this.drained >= 0) this.dropChunk(this.drained);
        this.drained = key;
      }
    }
    return old;
  }

  /** A chunk for `key`, which has none: the drained one moved there, or a new one. */
  private newChunk(key: number): Chunk {
    let chunk: Chunk;
    if (this.drained >= 0) {
      // Empty: every slot EMPTY and both counts 0.
      chunk = this.chunks.get(this.drained)!;
      this.dropChunk(this.drained);
      this.drained = -1;
    } else chunk = EMPTY_CHUNK.slice();
    this.chunks.set(key, chunk);
    this.keyAdded(key);
    return chunk;
  }

  /** Takes the chunk at `key` out of the map and the order. */
  private dropChunk(key: number): void {
    this.chunks.delete(key);
    this.order?.delete(key);
    if (this.lastKey === key) {
      this.lastKey = -1;
      this.lastChunk = undefined;
    }
  }

  /**
   * Reports this list's entries below `limit` into `holes` at index + `shift` from now on,
   * taking back what it reported before. Costs the entries whose reporting changes: nothing
   * when only the limit is lowered past no entry.
   */
  setReport(holes: HoleCounts | null, shift: number, limit: number): void {
    const old = this.report;
    if (old !== null && old === holes && this.reportShift === shift) {
      const was = this.reportLimit;
      this.reportLimit = limit;
      if (limit < was) this.reportRange(old, shift, limit, was, -1);
      else if (limit > was) this.reportRange(old, shift, was, limit, 1);
      return;
    }
    if (old !== null) this.reportRange(old, this.reportShift, 0, this.reportLimit, -1);
    this.report = holes;
    this.reportShift = shift;
    this.reportLimit = holes === null ? 0 : limit;
    if (holes !== null) this.reportRange(holes, shift, 0, limit, 1);
  }

  /** Stops reporting without taking anything back (the counts reported to are discarded). */
  dropReport(): void {
    this.report = null;
    this.reportShift = 0;
    this.reportLimit = 0;
  }

  private reportRange(
    holes: HoleCounts,
    shift: number,
    from: number,
    to: number,
    delta: number,
  ): void {
    this.forEachChunk(from, to, (chunk, base, a, b) => {
      for (let slot = a; slot < b; slot++) {
        if (chunk[slot] !== EMPTY) holes.add(base + slot + shift, delta);
      }
    });
  }

  /** Markers (non-empty entries that are not frames) of a chunk. */
  static markersIn(chunk: Chunk): number {
    return chunk[COUNT_SLOT]! - chunk[FRAME_SLOT]!;
  }

  /** Chunks held (the drained one is none). */
  private get chunkCount(): number {
    return this.chunks.size - (this.drained >= 0 ? 1 : 0);
  }

  get isEmpty(): boolean {
    return this.chunkCount === 0;
  }

  /**
   * Visits the non-empty entries with start <= index < end in ascending order. The visitor may
   * change the visited entry with set(); it must not add entries elsewhere in the range.
   */
  forEach(start: number, end: number, visit: (index: number, entry: number) => void): void {
    // forEachChunk's walk, written out: no closure per call (faults and supplies come here).
    if (start >= end || this.chunkCount === 0) return;
    for (const key of this.keysIn(start, end)) {
      const chunk = this.chunks.get(key);
      if (chunk === undefined) continue;
      const base = key * CHUNK_ENTRIES;
      const to = Math.min(end, base + CHUNK_ENTRIES) - base;
      for (let slot = Math.max(start, base) - base; slot < to; slot++) {
        const entry = chunk[slot]!;
        if (entry !== EMPTY) visit(base + slot, entry);
      }
    }
  }

  /**
   * Visits, in ascending order, every chunk holding entries in [start, end). The visitor may
   * change entries of the chunk it is given (through set()).
   */
  forEachChunk(start: number, end: number, visit: ChunkVisitor): void {
    if (start >= end || this.chunkCount === 0) return;
    for (const key of this.keysIn(start, end)) {
      const chunk = this.chunks.get(key);
      if (chunk === undefined) continue;
      const base = key * CHUNK_ENTRIES;
      visit(chunk, base, Math.max(start, base) - base, Math.min(end, base + CHUNK_ENTRIES) - base);
    }
  }

  /** The first page of [start, end) without an entry, or `end`. Costs the pages before it. */
  firstEmpty(start: number, end: number): number {
    let at = start;
    while (at < end) {
      const key = Math.floor(at / CHUNK_ENTRIES);
      const chunk = this.chunks.get(key);
      if (chunk === undefined) return at;
      const base = key * CHUNK_ENTRIES;
      const to = Math.min(end, base + CHUNK_ENTRIES) - base;
      if (chunk[COUNT_SLOT] !== CHUNK_ENTRIES) {
        for (let slot = at - base; slot < to; slot++) if (chunk[slot] === EMPTY) return base + slot;
      }
      at = base + to;
    }
    return end;
  }

  /**
   * The first page of [start, end) with an entry, or `end`: O(log n) for any range, a few
   * direct lookups for a short one (a fault asks here).
   */
  firstEntry(start: number, end: number): number {
    if (start >= end || this.chunkCount === 0) return end;
    const firstKey = Math.floor(start / CHUNK_ENTRIES);
    const lastKey = Math.floor((end - 1) / CHUNK_ENTRIES);
    if (lastKey - firstKey < 4) {
      for (let key = firstKey; key <= lastKey; key++) {
        const found = this.firstEntryAt(key, start, end);
        if (found >= 0) return found;
      }
      return end;
    }
    // A chunk that is not the drained one holds an entry, so the first such key decides,
    // unless the range starts inside it after its entries.
    for (let key = this.keyAtLeast(firstKey); key >= 0 && key <= lastKey; ) {
      const found = this.firstEntryAt(key, start, end);
      if (found >= 0) return found;
      key = this.keyAtLeast(key + 1);
    }
    return end;
  }

  /** The first key of a held chunk (not the drained one) at or after `key`, or -1. */
  private keyAtLeast(key: number): number {
    if (this.order === null) {
      // One key at most (the order is made once a second comes).
      for (const k of this.chunks.keys()) if (k !== this.drained && k >= key) return k;
      return -1;
    }
    let k = this.order.firstAtLeast(key);
    while (k >= 0 && k === this.drained) k = this.order.firstAtLeast(k + 1);
    return k;
  }

  /** The first page of [start, end) with an entry in the chunk at `key`, or -1. */
  private firstEntryAt(key: number, start: number, end: number): number {
    const chunk = this.chunks.get(key);
    if (chunk === undefined) return -1;
    const base = key * CHUNK_ENTRIES;
    const to = Math.min(end, base + CHUNK_ENTRIES) - base;
    for (let slot = Math.max(start, base) - base; slot < to; slot++) {
      if (chunk[slot] !== EMPTY) return base + slot;
    }
    return -1;
  }

  /**
   * Calls visit(from, to) for each maximal run of consecutive pages of [start, end) that hold
   * entries, in ascending order (a full chunk is one step). The visitor must not change the list.
   */
  forEachRun(start: number, end: number, visit: (from: number, to: number) => void): void {
    if (start >= end || this.chunkCount === 0) return;
    let runStart = -1;
    let runEnd = -1;
    for (const key of this.keysIn(start, end)) {
      const chunk = this.chunks.get(key);
      if (chunk === undefined) continue;
      const base = key * CHUNK_ENTRIES;
      const from = Math.max(start, base) - base;
      const to = Math.min(end, base + CHUNK_ENTRIES) - base;
      if (chunk[COUNT_SLOT] === CHUNK_ENTRIES) {
        if (base + from !== runEnd) {
          if (runStart >= 0) visit(runStart, runEnd);
          runStart = base + from;
        }
        runEnd = base + to;
        continue;
      }
      for (let slot = from; slot < to; slot++) {
        if (chunk[slot] === EMPTY) continue;
        if (base + slot !== runEnd) {
          if (runStart >= 0) visit(runStart, runEnd);
          runStart = base + slot;
        }
        runEnd = base + slot + 1;
      }
    }
    if (runStart >= 0) visit(runStart, runEnd);
  }

  /** True when some entry lies in [start, end): O(log n) for any range (firstEntry). */
  hasEntriesIn(start: number, end: number): boolean {
    return this.firstEntry(start, end) < end;
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
    if (start >= end || this.chunkCount === 0) return;
    const keys = this.keysIn(start, end);
    for (let k = keys.length - 1; k >= 0; k--) {
      const key = keys[k]!;
      const chunk = this.chunks.get(key);
      if (chunk === undefined) continue;
      const base = key * CHUNK_ENTRIES;
      const from = Math.max(start, base) - base;
      for (let slot = Math.min(end, base + CHUNK_ENTRIES) - base - 1; slot >= from; slot--) {
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
  private static framesInChunk(chunk: Chunk, key: number, start: number, end: number): number {
    const base = key * CHUNK_ENTRIES;
    if (start <= base && end >= base + CHUNK_ENTRIES) return chunk[FRAME_SLOT]!;
    const to = Math.min(end, base + CHUNK_ENTRIES) - base;
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
  chunkAt(key: number): Chunk | undefined {
    return key === this.drained ? undefined : this.chunks.get(key);
  }

  /** Takes a whole chunk out of the list (its entries and share counts go with it). */
  detachChunk(key: number): Chunk | undefined {
    const chunk = this.chunkAt(key);
    if (chunk === undefined) return undefined;
    this.viewIndex = -1;
    this.dropChunk(key);
    this.accountChunk(chunk, -1);
    this.reportChunk(key, chunk, -1);
    return chunk;
  }

  /** Puts a chunk taken with detachChunk at `key`, where this list has no chunk. */
  attachChunk(key: number, chunk: Chunk): void {
    if (key === this.drained) {
      this.dropChunk(key);
      this.drained = -1;
    }
    assert(!this.chunks.has(key), 'attaching over an existing chunk');
    assert(chunk[COUNT_SLOT]! > 0, 'attaching an empty chunk');
    this.viewIndex = -1;
    this.chunks.set(key, chunk);
    this.keyAdded(key);
    // The one-entry lookup cache may remember that this key had no chunk.
    this.lastKey = -1;
    this.lastChunk = undefined;
    this.accountChunk(chunk, 1);
    this.reportChunk(key, chunk, 1);
  }

  private reportChunk(key: number, chunk: Chunk, delta: number): void {
    const holes = this.report;
    if (holes === null) return;
    const base = key * CHUNK_ENTRIES;
    const last = Math.min(CHUNK_ENTRIES, this.reportLimit - base);
    for (let slot = 0; slot < last; slot++) {
      if (chunk[slot] !== EMPTY) holes.add(base + slot + this.reportShift, delta);
    }
  }

  /** Debug: recounts every chunk's entries and frames. */
  checkCounts(): void {
    let frames = 0;
    let markers = 0;
    for (const [key, chunk] of this.chunks) {
      if (key === this.drained) continue;
      let count = 0;
      let chunkFrames = 0;
      for (let slot = 0; slot < CHUNK_ENTRIES; slot++) {
        const entry = chunk[slot]!;
        if (entry !== EMPTY) count++;
        if (entry < 0) markers++;
        if (entry > 0) chunkFrames++;
      }
      assert(count > 0 && count === chunk[COUNT_SLOT], 'chunk entry count is wrong');
      assert(chunkFrames === chunk[FRAME_SLOT], 'chunk frame count is wrong');
      frames += chunkFrames;
    }
    assert(frames === this.frameCount && markers === this.markerCount, 'list counts are wrong');
  }

  /** Host bytes of bookkeeping, reported as metadata. */
  get metadataBytes(): number {
    return this.chunkCount * (CHUNK_ENTRIES + 1) * 4;
  }

  /** Keys of the chunks overlapping [start, end), ascending: O(log n + those keys). */
  keysIn(start: number, end: number): number[] {
    const firstKey = Math.floor(start / CHUNK_ENTRIES);
    const lastKey = Math.floor((end - 1) / CHUNK_ENTRIES);
    if (lastKey - firstKey < 4) {
      // A chunk or a few: looking them up is quicker than searching.
      const keys: number[] = [];
      for (let key = firstKey; key <= lastKey; key++) {
        if (key !== this.drained && this.chunks.has(key)) keys.push(key);
      }
      return keys;
    }
    if (this.order === null) {
      // One chunk at most.
      for (const key of this.chunks.keys()) {
        if (key !== this.drained) return key >= firstKey && key <= lastKey ? [key] : [];
      }
      return [];
    }
    const keys = this.order.between(firstKey, lastKey);
    if (this.drained >= firstKey && this.drained <= lastKey) {
      const i = keys.indexOf(this.drained);
      if (i >= 0) keys.splice(i, 1);
    }
    return keys;
  }

  /** `key` has just got a chunk. */
  private keyAdded(key: number): void {
    if (this.order !== null) this.order.add(key);
    else if (this.chunks.size > 1) {
      // The order holds every key of the map, the drained chunk's too.
      this.order = new SortedKeys();
      for (const k of this.chunks.keys()) this.order.add(k);
    }
  }

  private accountChunk(chunk: Chunk, delta: number): void {
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
