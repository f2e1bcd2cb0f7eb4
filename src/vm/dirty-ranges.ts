// PageRuns: what a pager-backed VMO knows about its pages beyond their content, kept as sorted
// runs of pages with a tag (Zircon keeps it in the page list: each page's dirty state, and
// interval sentinels for zero ranges). A page without a run is clean if it holds an entry and
// missing (the pager must supply it) if not. Every operation costs the runs it touches, never
// the width of the range it is given, so a query or a resize over 2^52 pages costs what is
// dirty there.

import { assert } from '../util/assert.ts';

/** Written since the pager last cleaned it (Zircon's DirtyState::Dirty). */
export const DIRTY = 1;
/** Between WRITEBACK_BEGIN and WRITEBACK_END (DirtyState::AwaitingClean); reported dirty. */
export const AWAITING_CLEAN = 2;
/** With DIRTY or AWAITING_CLEAN: no page, reads as zero (a dirty zero interval). */
export const ZERO = 4;
/** No page, reads as zero, not dirty: past the stream size (Zircon's untracked zero interval). */
export const UNTRACKED = 8;
/**
 * No page, reads as zero, clean: supplied as zero (the aux VMO had no page there; Zircon's
 * marker). Unlike UNTRACKED it goes on detach, as Zircon's DetachSource empties markers.
 */
export const CLEAN_ZERO = 16;

/** Whether pages with `tag` read as zero without a page (and without asking the pager). */
export function readsZero(tag: number): boolean {
  return (tag & (ZERO | UNTRACKED | CLEAN_ZERO)) !== 0;
}

/** Whether pages with `tag` are dirty for zx_pager_query_dirty_ranges. */
export function isDirty(tag: number): boolean {
  return (tag & (DIRTY | AWAITING_CLEAN)) !== 0;
}

export class PageRuns {
  /** Run i is pages [starts[i], ends[i]) with tags[i] (never 0); sorted, disjoint. */
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly tags: number[] = [];

  get runCount(): number {
    return this.starts.length;
  }

  /** The first run whose end is above `page`. */
  private firstEndingAfter(page: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid]! <= page) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The tag of `page` (0 when no run holds it). */
  tagAt(page: number): number {
    const i = this.firstEndingAfter(page);
    return i < this.starts.length && this.starts[i]! <= page ? this.tags[i]! : 0;
  }

  /** The run holding `page` as [start, end, tag], or null when no run holds it. */
  runAt(page: number): [number, number, number] | null {
    const i = this.firstEndingAfter(page);
    if (i >= this.starts.length || this.starts[i]! > page) return null;
    return [this.starts[i]!, this.ends[i]!, this.tags[i]!];
  }

  /**
   * Calls visit(from, to, tag) for each piece of [start, end), runs and the gaps between them
   * (tag 0), in order. Costs the runs in the range.
   */
  forEachPiece(start: number, end: number, visit: (from: number, to: number, tag: number) => void) {
    let at = start;
    for (let i = this.firstEndingAfter(start); i < this.starts.length && at < end; i++) {
      const s = Math.max(this.starts[i]!, start);
      if (s >= end) break;
      if (s > at) visit(at, s, 0);
      const e = Math.min(this.ends[i]!, end);
      visit(s, e, this.tags[i]!);
      at = e;
    }
    if (at < end) visit(at, end, 0);
  }

  /** The runs of [start, end) with their tags, clipped (gaps left out). */
  runsIn(start: number, end: number): [number, number, number][] {
    const runs: [number, number, number][] = [];
    this.forEachPiece(start, end, (from, to, tag) => {
      if (tag !== 0) runs.push([from, to, tag]);
    });
    return runs;
  }

  /** Tags pages [start, end) with `tag` (0 removes them from every run). */
  set(start: number, end: number, tag: number): void {
    if (start >= end) return;
    const first = this.firstEndingAfter(start);
    let last = first;
    while (last < this.starts.length && this.starts[last]! < end) last++;
    const starts: number[] = [];
    const ends: number[] = [];
    const tags: number[] = [];
    const push = (s: number, e: number, t: number) => {
      if (s >= e || t === 0) return;
      const n = starts.length;
      if (n > 0 && ends[n - 1] === s && tags[n - 1] === t) ends[n - 1] = e;
      else starts.push(s), ends.push(e), tags.push(t);
    };
    // Neighbours that touch the range may merge with it.
    let from = first;
    if (from > 0 && this.ends[from - 1] === start) from--;
    let to = last;
    if (to < this.starts.length && this.starts[to] === end) to++;
    for (let i = from; i < to; i++) {
      const s = this.starts[i]!;
      const e = this.ends[i]!;
      const t = this.tags[i]!;
      if (e <= start || s >= end) {
        if (s < start) push(s, e, t);
        continue;
      }
      push(s, start, t);
    }
    push(start, end, tag);
    for (let i = from; i < to; i++) {
      const s = this.starts[i]!;
      const e = this.ends[i]!;
      if (s >= end) push(s, e, this.tags[i]!);
      else if (e > end) push(end, e, this.tags[i]!);
    }
    this.starts.splice(from, to - from, ...starts);
    this.ends.splice(from, to - from, ...ends);
    this.tags.splice(from, to - from, ...tags);
  }

  /** Replaces the tag of every piece of [start, end) (gaps as 0) by `map(tag)`. */
  update(start: number, end: number, map: (tag: number) => number): void {
    const pieces: [number, number, number][] = [];
    this.forEachPiece(start, end, (from, to, tag) => {
      const next = map(tag);
      if (next !== tag) pieces.push([from, to, next]);
    });
    for (const [from, to, tag] of pieces) this.set(from, to, tag);
  }

  /** Drops everything at or past `page` (a shrink). */
  truncate(page: number): void {
    const i = this.firstEndingAfter(page);
    if (i < this.starts.length && this.starts[i]! < page) {
      this.ends[i] = page;
      this.starts.length = this.ends.length = this.tags.length = i + 1;
    } else this.starts.length = this.ends.length = this.tags.length = i;
  }

  /** Asserts the runs are sorted, disjoint, non-empty and merged (tests and checks). */
  check(): void {
    for (let i = 0; i < this.starts.length; i++) {
      assert(this.starts[i]! < this.ends[i]!, 'an empty page run');
      assert(this.tags[i] !== 0, 'a page run without a tag');
      if (i > 0) {
        assert(this.ends[i - 1]! <= this.starts[i]!, 'page runs overlap');
        const touching = this.ends[i - 1] === this.starts[i];
        assert(!touching || this.tags[i - 1] !== this.tags[i], 'page runs left unmerged');
      }
    }
  }
}
