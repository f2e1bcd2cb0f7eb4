// Resolving what a node sees through its ancestors, a run of pages at a time.
//
// A page a node has no entry for is looked up in the parent (offset by parentOffset, while
// below parentLimit), then the grandparent, up to the first node with an entry or the root.
// Walking that chain for every page would cost the depth of the tree per page, so views are
// resolved in runs: `parentSegments` walks the chain once for a whole range and splits it into
// segments, each naming the one ancestor ("holder") where the lookup of any page of the segment
// ends. Each level costs in proportion to the entries that ancestor holds in the range, not to
// the range. Every snapshot keeps its segments as a skip list (SkipCache) to the nearest
// ancestor that holds pages in each range, so a read at depth 1000 costs one list lookup per
// page, like depth 1.
//
// Walking the chain is the slow way, so skip lists are kept up to date instead of rebuilt:
// - a new snapshot's list, and the new list of the VMO it was made from, are derived from that
//   VMO's list (childSegments, shiftedSegments), costing what the lists and the moved pages
//   hold, never the depth;
// - ancestors lose pages other leaves cannot see, and gain pages only when a hidden node merges
//   into its only child. A page the leaf takes from its holder leaves the segment naming a holder
//   that no longer has it; the leaf's own entry answers for it from then on, and where the leaf
//   drops that entry a zero marker takes its place (parentFramesIn below). A merge
//   into a hidden child leaves a forward on the dead node (mergedInto, mergedShift): segments
//   naming it are redirected to the child when next used (liveHolder). A merge into a leaf moves
//   the pages into the leaf itself, and its segments naming the dead node then read that node's
//   empty list: again the leaf's own entries answer for those pages, and markers replace them;
// - a leaf's parent limit only shrinks while its parent stays, and a shorter window needs no
//   new list. Changes to the leaf's own parent link are checked on every use.

import { assert } from '../util/assert.ts';
import type { VmCowPages } from './cow-pages.ts';
import { EMPTY, isFrame } from './page-list.ts';

/** Hops up the tree after which a leaf whose skip list was dropped makes a new one. */
export const SKIP_MIN_HOPS = 3;

/**
 * Segments of a range of a node, sorted and adjacent: pages [starts[i], ends[i]) of the node
 * are looked up at index + deltas[i] of holders[i] (an entry there, or zero when it has none).
 */
export interface Segments {
  starts: number[];
  ends: number[];
  holders: VmCowPages[];
  deltas: number[];
}

/** Collects adjacent segments in ascending order, joining one to the last when it continues it. */
class SegmentsBuilder {
  private readonly segments: Segments = { starts: [], ends: [], holders: [], deltas: [] };

  /** The segments, in arrays of their exact length (skip lists are kept for a VMO's life). */
  done(): Segments {
    const { starts, ends, holders, deltas } = this.segments;
    return {
      starts: starts.slice(),
      ends: ends.slice(),
      holders: holders.slice(),
      deltas: deltas.slice(),
    };
  }

  push(start: number, end: number, holder: VmCowPages, delta: number): void {
    if (start >= end) return;
    const { starts, ends, holders, deltas } = this.segments;
    const last = starts.length - 1;
    assert(last < 0 || ends[last] === start, 'segments are not adjacent');
    if (last >= 0 && holders[last] === holder && deltas[last] === delta) {
      ends[last] = end;
      return;
    }
    starts.push(start);
    ends.push(end);
    holders.push(holder);
    deltas.push(delta);
  }
}

/**
 * The segments of pages [start, end) of `node` as its ancestors resolve them (the node's own
 * entries are not looked at). The range must lie within [0, node.parentLimit). This walks the
 * chain: kept skip lists avoid it.
 */
export function parentSegments(node: VmCowPages, start: number, end: number): Segments {
  const out: Segment[] = [];
  // Pages still unresolved, as sorted [start, end) pairs in the node's own page numbers.
  const pending = start < end ? [start, end] : [];
  let child = node;
  let delta = 0;
  while (pending.length > 0) {
    const holder = child.parent;
    assert(holder !== null, 'resolving past the root');
    const d = delta + child.parentOffset;
    if (holder.parent === null) {
      for (let i = 0; i < pending.length; i += 2)
        out.push(segment(pending[i]!, pending[i + 1]!, holder, d));
      break;
    }
    // Pages at or past the holder's parent limit end here, whatever the holder has.
    const cut = holder.parentLimit - d;
    while (pending.length > 0) {
      const last = pending.length - 2;
      const a = pending[last]!;
      const b = pending[last + 1]!;
      if (b <= cut) break;
      if (a >= cut) {
        out.push(segment(a, b, holder, d));
        pending.length = last;
      } else {
        out.push(segment(cut, b, holder, d));
        pending[last + 1] = cut;
        break;
      }
    }
    // Runs of the holder's entries resolve the pending pages they cover.
    if (pending.length > 0 && !holder.pages.isEmpty) {
      holder.pages.forEachRun(pending[0]! + d, pending[pending.length - 1]! + d, (from, to) =>
        resolveRun(pending, from - d, to - d, holder, d, out),
      );
    }
    child = holder;
    delta = d;
  }
  out.sort((x, y) => x.start - y.start);
  const builder = new SegmentsBuilder();
  for (const s of out) builder.push(s.start, s.end, s.holder, s.delta);
  return builder.done();
}

interface Segment {
  start: number;
  end: number;
  holder: VmCowPages;
  delta: number;
}

function segment(start: number, end: number, holder: VmCowPages, delta: number): Segment {
  return { start, end, holder, delta };
}

/** Pending pages within [runStart, runEnd) end at `holder`: they leave `pending`. */
function resolveRun(
  pending: number[],
  runStart: number,
  runEnd: number,
  holder: VmCowPages,
  delta: number,
  out: Segment[],
): void {
  // The first pending pair that ends past runStart.
  let lo = 0;
  let hi = pending.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pending[2 * mid + 1]! <= runStart) lo = mid + 1;
    else hi = mid;
  }
  let i = 2 * lo;
  while (i < pending.length && pending[i]! < runEnd) {
    const a = pending[i]!;
    const b = pending[i + 1]!;
    const from = Math.max(a, runStart);
    const to = Math.min(b, runEnd);
    out.push(segment(from, to, holder, delta));
    const rest: number[] = [];
    if (a < from) rest.push(a, from);
    if (to < b) rest.push(to, b);
    pending.splice(i, 2, ...rest);
    i += rest.length;
  }
}

/** The first segment that ends past `index` (starts.length when none does). */
export function firstSegmentAfter(segments: Segments, index: number): number {
  const ends = segments.ends;
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The holder of segment `i`, following the forwards of hidden nodes that merged into their
 * hidden child since the segment was made (the segment is rewritten to name the live node).
 */
export function liveHolder(segments: Segments, i: number): VmCowPages {
  const holder = segments.holders[i]!;
  if (!holder.dead || holder.mergedInto === null) return holder;
  compressForwards(holder);
  segments.holders[i] = holder.mergedInto!;
  segments.deltas[i] = segments.deltas[i]! - holder.mergedShift;
  return holder.mergedInto!;
}

/**
 * Points every dead node on the forward chain from `node` straight at the chain's end, with
 * the summed shift, so each forward is followed once however long chains grow.
 */
function compressForwards(node: VmCowPages): void {
  let target = node.mergedInto!;
  let shift = node.mergedShift;
  while (target.dead && target.mergedInto !== null) {
    shift += target.mergedShift;
    target = target.mergedInto;
  }
  let n = node;
  while (n !== target) {
    const next = n.mergedInto!;
    const step = n.mergedShift;
    n.mergedInto = target;
    n.mergedShift = shift;
    shift -= step;
    n = next;
  }
}

/**
 * How a skip list not made yet will be made: childSegments(hidden, shift, length, base's
 * segments) when `hidden` is set (the list of a child of a new hidden node), else
 * shiftedSegments(base's segments, shift, length) (a snapshot hung higher up).
 */
export interface Derivation {
  base: SkipCache | null;
  hidden: VmCowPages | null;
  shift: number;
  length: number;
}

/** A leaf's skip list: the segments of [0, parentLimit), valid for one link into the tree. */
export class SkipCache {
  private made: Segments | null;
  /** How to make the segments when first asked (a new snapshot's list is derived lazily). */
  pending: Derivation | null;
  parent: VmCowPages;
  parentOffset: number;
  parentLimit: number;
  private cursor = 0;

  /**
   * The skip list of `node` as it is linked now: `segments`, or made from `pending` when first
   * used, or else walked from the chain now.
   */
  constructor(node: VmCowPages, segments?: Segments, pending?: Derivation) {
    assert(node.parent !== null, 'skip list of a root');
    this.made = segments ?? null;
    this.pending = pending ?? null;
    if (this.made === null && this.pending === null) {
      this.made = parentSegments(node, 0, node.parentLimit);
    }
    this.parent = node.parent;
    this.parentOffset = node.parentOffset;
    this.parentLimit = node.parentLimit;
  }

  /**
   * The segments. A list derived when first used reads the tree as it is then; that is as good
   * as deriving it when the snapshot was made, since hidden nodes only lose pages their viewers
   * no longer look up, and gain pages only by merges, which leave forwards (see the top). Lists
   * pending on lists pending in turn (a VMO snapshotted again and again, never read) are made
   * from the bottom up, without recursion.
   */
  get segments(): Segments {
    if (this.made !== null) return this.made;
    const chain: SkipCache[] = [];
    for (let c: SkipCache | null = this; c !== null && c.made === null; c = c.pending!.base) {
      chain.push(c);
    }
    for (let i = chain.length - 1; i >= 0; i--) chain[i]!.make();
    return this.made!;
  }

  private make(): void {
    const { base, hidden, shift, length } = this.pending!;
    const above = base === null ? null : base.made!;
    this.made =
      hidden !== null
        ? childSegments(hidden, shift, length, above)
        : shiftedSegments(above!, shift, length);
    this.pending = null;
  }

  /**
   * True while the node's link into the tree is the one the list was made for. A lower parent
   * limit is fine: the segments past it are never asked for.
   */
  validFor(node: VmCowPages): boolean {
    return (
      this.parent === node.parent &&
      this.parentOffset === node.parentOffset &&
      node.parentLimit <= this.parentLimit
    );
  }

  /** The node's parent merged into it: the list holds for its new link (see the top). */
  relink(node: VmCowPages): void {
    assert(node.parent !== null && node.parentLimit <= this.parentLimit, 'relinking a skip list');
    this.parent = node.parent;
    this.parentOffset = node.parentOffset;
    this.parentLimit = node.parentLimit;
  }

  /** The index of the segment holding page `index` (which must be below parentLimit). */
  find(index: number): number {
    const { starts, ends } = this.segments;
    let i = this.cursor;
    if (index >= starts[i]! && index < ends[i]!) return i;
    if (i + 1 < starts.length && index >= starts[i + 1]! && index < ends[i + 1]!) {
      this.cursor = i + 1;
      return i + 1;
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    i = lo;
    assert(index >= starts[i]! && index < ends[i]!, 'skip list does not cover the page');
    this.cursor = i;
    return i;
  }
}

/** Appends `above`'s segments for its pages [from + shift, to + shift), as pages [from, to). */
function appendShifted(
  out: SegmentsBuilder,
  above: Segments,
  from: number,
  to: number,
  shift: number,
): void {
  const { starts, ends } = above;
  for (let i = firstSegmentAfter(above, from + shift); i < starts.length; i++) {
    if (starts[i]! >= to + shift) break;
    const holder = liveHolder(above, i);
    const a = Math.max(starts[i]!, from + shift) - shift;
    const b = Math.min(ends[i]!, to + shift) - shift;
    out.push(a, b, holder, above.deltas[i]! + shift);
  }
}

/**
 * The segments of a snapshot that sees pages [shift, shift + length) of `source` through the
 * same ancestors as `source` (the clone hangs higher up, over pages `source` owns none of):
 * `source`'s segments for those pages, renumbered.
 */
export function shiftedSegments(source: Segments, shift: number, length: number): Segments {
  const out = new SegmentsBuilder();
  appendShifted(out, source, 0, length, shift);
  return out.done();
}

/**
 * The segments of a child that sees pages [shift, shift + length) of `hidden` as its pages
 * [0, length): lookups end at the hidden node where it holds an entry, or past its parent
 * limit, or when it is a root (`above` null); elsewhere they go on as `above` (the hidden node's
 * own segments) says. Costs the hidden node's runs of entries and `above`'s segments in range.
 */
export function childSegments(
  hidden: VmCowPages,
  shift: number,
  length: number,
  above: Segments | null,
): Segments {
  const out = new SegmentsBuilder();
  if (above === null) {
    out.push(0, length, hidden, shift);
    return out.done();
  }
  // Child pages below `cut` may look past the hidden node.
  const cut = Math.max(0, Math.min(length, hidden.parentLimit - shift));
  let at = 0;
  hidden.pages.forEachRun(shift, shift + cut, (from, to) => {
    if (at < from - shift) appendShifted(out, above, at, from - shift, shift);
    out.push(from - shift, to - shift, hidden, shift);
    at = to - shift;
  });
  if (at < cut) appendShifted(out, above, at, cut, shift);
  out.push(cut, length, hidden, shift);
  return out.done();
}

/**
 * Calls `visit` for each run of pages [start, end) of `node` that its ancestors resolve to one
 * holder, in the holder's coordinates [holderStart, holderEnd) with node page = holder page -
 * delta. Pages past parentLimit (which the ancestors never show) are left out. The node's own
 * entries are not looked at: callers skip the pages those hide. Costs the segments in the
 * range, not the range.
 */
export function forEachParentRun(
  node: VmCowPages,
  start: number,
  end: number,
  visit: (holder: VmCowPages, holderStart: number, holderEnd: number, delta: number) => void,
): void {
  if (node.parent === null) return;
  end = Math.min(end, node.parentLimit);
  if (start >= end) return;
  const segments = segmentsOf(node, start, end);
  const { starts, ends, deltas } = segments;
  for (let i = firstSegmentAfter(segments, start); i < starts.length; i++) {
    if (starts[i]! >= end) break;
    const holder = liveHolder(segments, i);
    const a = Math.max(start, starts[i]!);
    const b = Math.min(end, ends[i]!);
    visit(holder, a + deltas[i]!, b + deltas[i]!, deltas[i]!);
  }
}

/**
 * Pages of [start, end) of `node` (within its parent limit) that need a zero marker once this node's
 * entries there are dropped: where the ancestors show a frame, and where this node holds an
 * entry but its skip list names a holder that has none there and is not where lookups end (the
 * node took that page from it, or the holder merged into the node): what lies above is not
 * known, and a marker keeps the page reading zero. Exact segments never name such a holder.
 */
export function parentFramesIn(node: VmCowPages, start: number, end: number): number[] {
  const found: number[] = [];
  const own = node.pages;
  forEachParentRun(node, start, end, (holder, holderStart, holderEnd, delta) => {
    holder.pages.forEach(holderStart, holderEnd, (index, entry) => {
      if (isFrame(entry)) found.push(index - delta);
    });
    if (own.isEmpty || (!holder.dead && holder.parent === null)) return;
    own.forEach(holderStart - delta, holderEnd - delta, (index) => {
      const at = index + delta;
      if (holder.pages.get(at) !== EMPTY) return;
      if (holder.dead || at < holder.parentLimit) found.push(index);
    });
  });
  return found;
}

/**
 * Segments covering pages [start, end) of `node` (within its parent limit): the skip list when
 * it is valid, else computed for the range. Callers clip them to the range, and read holders
 * through liveHolder.
 */
export function segmentsOf(node: VmCowPages, start: number, end: number): Segments {
  const cache = node.skip?.validFor(node) ? node.skip : null;
  return cache !== null ? cache.segments : parentSegments(node, start, end);
}
