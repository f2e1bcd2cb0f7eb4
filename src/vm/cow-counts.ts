// What a hidden node of the copy-on-write tree keeps so that share counts need no per-page
// bookkeeping when snapshots are made or closed (cow-viewers.ts computes them from it).
//
// Every child of a hidden node counts as one unit over its window: WindowCover adds up the
// children's windows (a piecewise-constant count over the node's page indices, kept as
// breakpoints), and HoleCounts counts, per page index, the children that hold an entry there
// (a frame or a marker hides what lies above). A child's page list reports its entries into its
// parent's HoleCounts itself (VmPageList.setReport), so a child that writes, forks, drops or
// takes pages keeps the counts right in O(1) per page, and a page list that moves to another
// node with the same window (a new hidden parent taking a snapshot's pages) keeps reporting
// where it did.

import { assert } from '../util/assert.ts';

const SPAN = 64;
/** Slot SPAN of each span counts its non-zero slots. */
const NONZERO = SPAN;

/**
 * An empty span, copied for each new one. Spans are plain arrays of small integers, not
 * Int32Arrays: a typed array this size gets its own host allocation, which costs the first
 * write under a new snapshot (one span made) more than the rest of the fork does.
 */
const EMPTY_SPAN: readonly number[] = zeros(SPAN + 1);

/** `length` zeros in an array of small integers with no holes (what V8 reads fastest). */
function zeros(length: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < length; i++) out.push(0);
  return out;
}

/**
 * Per-index counts, stored only where they are not zero. The first span is held apart from the
 * Map, which is made only once a second span is needed: under a snapshot that writes a page or
 * a few (the usual case), counting costs no Map.
 */
export class HoleCounts {
  /** The key of the span held apart (-1: none), and that span. */
  private soleKey = -1;
  private soleSpan: number[] | undefined;
  /** The other spans by key (null until needed). */
  private spans: Map<number, number[]> | null = null;
  private lastKey = -1;
  private lastSpan: number[] | undefined;
  /** A span emptied before, kept for the next one (a snapshot writing and closing over and over). */
  private spare: number[] | null = null;

  /** The span of `key`, or undefined (get's and add's miss, out of line). */
  private spanOf(key: number): number[] | undefined {
    return key === this.soleKey ? this.soleSpan : this.spans?.get(key);
  }

  get(index: number): number {
    const key = Math.floor(index / SPAN);
    let span: number[] | undefined;
    if (key === this.lastKey) span = this.lastSpan;
    else {
      span = this.spanOf(key);
      this.lastKey = key;
      this.lastSpan = span;
    }
    return span === undefined ? 0 : span[index - key * SPAN]!;
  }

  add(index: number, delta: number): void {
    const key = Math.floor(index / SPAN);
    let span = key === this.lastKey ? this.lastSpan : this.spanOf(key);
    if (span === undefined) span = this.newSpan(key);
    this.lastKey = key;
    this.lastSpan = span;
    const slot = index - key * SPAN;
    const old = span[slot]!;
    const now = old + delta;
    assert(now >= 0, 'negative hole count');
    span[slot] = now;
    if (old === 0 && now !== 0) span[NONZERO]!++;
    else if (old !== 0 && now === 0 && --span[NONZERO]! === 0) {
      if (key === this.soleKey) {
        this.soleKey = -1;
        this.soleSpan = undefined;
      } else this.spans!.delete(key);
      this.spare = span; // every slot is 0 again
      this.lastKey = -1;
      this.lastSpan = undefined;
    }
  }

  /** A zeroed span for `key`, which has none: held apart if that place is free. */
  private newSpan(key: number): number[] {
    const span = this.spare ?? EMPTY_SPAN.slice();
    this.spare = null;
    if (this.soleKey < 0) {
      this.soleKey = key;
      this.soleSpan = span;
    } else {
      this.spans ??= new Map();
      this.spans.set(key, span);
    }
    return span;
  }

  /** True when some count in [from, to) is not zero (a range within one span of 64). */
  anyIn(from: number, to: number): boolean {
    const key = Math.floor(from / SPAN);
    const span = this.spanOf(key);
    if (span === undefined) return false;
    const base = key * SPAN;
    for (let i = from - base; i < to - base; i++) if (span[i] !== 0) return true;
    return false;
  }

  /** Every non-zero count, as [index, count] pairs in no particular order (for checks). */
  entries(): [number, number][] {
    const out: [number, number][] = [];
    const spans: [number, number[]][] = [...(this.spans ?? [])];
    if (this.soleKey >= 0) spans.push([this.soleKey, this.soleSpan!]);
    for (const [key, span] of spans) {
      for (let slot = 0; slot < SPAN; slot++) {
        if (span[slot] !== 0) out.push([key * SPAN + slot, span[slot]!]);
      }
    }
    return out;
  }

  /** Host bytes of bookkeeping. */
  get metadataBytes(): number {
    const spans = (this.spans?.size ?? 0) + (this.soleKey >= 0 ? 1 : 0);
    return spans * (SPAN + 1) * 8;
  }
}

/** How many windows [from, to) cover each index: range adds, point queries. */
export class WindowCover {
  /**
   * Net change of the count at each breakpoint; null while every window is the same one (the
   * usual case: a hidden node's two children over its whole size), so that needs no Map.
   */
  private steps: Map<number, number> | null = null;
  /** Sorted breakpoints and the count from each, rebuilt after a change. */
  private points: number[] | null = null;
  private counts: number[] = [];
  /** When every window is the same one (the usual case): it, and how many there are. */
  private simple = true;
  private from = 0;
  private to = 0;
  private count = 0;

  add(from: number, to: number, delta: number): void {
    if (from >= to) return;
    if (this.steps === null) {
      if (this.count === 0 && delta > 0) {
        this.from = from;
        this.to = to;
        this.count = delta;
        return;
      }
      if (from === this.from && to === this.to && this.count + delta >= 0) {
        this.count += delta;
        if (this.count === 0) this.to = this.from = 0;
        return;
      }
      // A second, different window: breakpoints from now on.
      this.steps = new Map();
      if (this.count !== 0) this.steps.set(this.from, this.count).set(this.to, -this.count);
    }
    const steps = this.steps;
    this.bump(steps, from, delta);
    this.bump(steps, to, -delta);
    this.points = null;
    this.simple = steps.size === 0 || steps.size === 2;
    if (this.simple) {
      this.count = 0;
      this.from = 0;
      this.to = 0;
      for (const [at, step] of steps) {
        if (step > 0) {
          this.from = at;
          this.count = step;
        } else this.to = at;
      }
    }
  }

  private bump(steps: Map<number, number>, at: number, delta: number): void {
    const next = (steps.get(at) ?? 0) + delta;
    if (next === 0) steps.delete(at);
    else steps.set(at, next);
  }

  /** The number of windows covering `index`. */
  at(index: number): number {
    if (this.simple) return index >= this.from && index < this.to ? this.count : 0;
    const lo = this.pointsUpTo(index);
    return lo === 0 ? 0 : this.counts[lo - 1]!;
  }

  /** How many breakpoints lie at or before `index` (the last of them sets its count). */
  private pointsUpTo(index: number): number {
    const points = this.points ?? this.rebuild();
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]! <= index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The count over all of [from, to) when it is the same there, else -1. */
  constantOver(from: number, to: number): number {
    if (this.simple) {
      if (from >= this.from && to <= this.to) return this.count;
      return to <= this.from || from >= this.to ? 0 : -1;
    }
    const lo = this.pointsUpTo(from);
    const points = this.points!;
    if (lo < points.length && points[lo]! < to) return -1;
    return lo === 0 ? 0 : this.counts[lo - 1]!;
  }

  private rebuild(): number[] {
    const steps = this.steps!;
    const points = [...steps.keys()].sort((a, b) => a - b);
    const counts: number[] = [];
    let count = 0;
    for (const p of points) {
      count += steps.get(p)!;
      counts.push(count);
    }
    assert(count === 0, 'windows do not close');
    this.points = points;
    this.counts = counts;
    return points;
  }
}
