// Resolving what a node sees through its ancestors, a run of pages at a time.
//
// A page a node has no entry for is looked up in the parent (offset by parentOffset, while
// below parentLimit), then the grandparent, up to the first node with an entry or the root.
// Walking that chain for every page would cost the depth of the tree per page, so views are
// resolved in runs: `parentSegments` walks the chain once for a whole range and splits it into
// segments, each naming the one ancestor ("holder") where the lookup of any page of the segment
// ends. Each level costs in proportion to the entries that ancestor holds in the range, not to
// the range. A leaf keeps its segments as a skip list (SkipCache) to the nearest ancestor that
// holds pages in each range, so a read at depth 1000 costs one list lookup per page, like
// depth 1.
//
// The list stays right as long as the chain above the leaf keeps its shape: ancestors only
// lose pages the leaf cannot see (a page the leaf sees cannot be freed or moved by anyone
// else), and gain pages only when a hidden node merges into its child, which drops the skip
// lists of every leaf below (cow-release.ts). Changes to the leaf's own parent link or window
// are checked on every use.

import { assert } from '../util/assert.ts';
import type { VmCowPages } from './cow-pages.ts';

/** Hops up the tree after which a leaf keeps a skip list instead of walking. */
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

/**
 * The segments of pages [start, end) of `node` as its ancestors resolve them (the node's own
 * entries are not looked at). The range must lie within [0, node.parentLimit).
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
      let runStart = -1;
      let runEnd = -1;
      holder.pages.forEach(pending[0]! + d, pending[pending.length - 1]! + d, (index) => {
        const at = index - d;
        if (at !== runEnd) {
          if (runStart >= 0) resolveRun(pending, runStart, runEnd, holder, d, out);
          runStart = at;
        }
        runEnd = at + 1;
      });
      if (runStart >= 0) resolveRun(pending, runStart, runEnd, holder, d, out);
    }
    child = holder;
    delta = d;
  }
  out.sort((x, y) => x.start - y.start);
  const segments: Segments = { starts: [], ends: [], holders: [], deltas: [] };
  for (const s of out) {
    const last = segments.starts.length - 1;
    if (
      last >= 0 &&
      segments.ends[last] === s.start &&
      segments.holders[last] === s.holder &&
      segments.deltas[last] === s.delta
    ) {
      segments.ends[last] = s.end;
    } else {
      segments.starts.push(s.start);
      segments.ends.push(s.end);
      segments.holders.push(s.holder);
      segments.deltas.push(s.delta);
    }
  }
  return segments;
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

/** A leaf's skip list: the segments of [0, parentLimit), valid for one shape of the tree. */
export class SkipCache {
  readonly segments: Segments;
  readonly parent: VmCowPages;
  readonly parentOffset: number;
  readonly parentLimit: number;
  private cursor = 0;

  constructor(node: VmCowPages) {
    assert(node.parent !== null, 'skip list of a root');
    this.segments = parentSegments(node, 0, node.parentLimit);
    this.parent = node.parent;
    this.parentOffset = node.parentOffset;
    this.parentLimit = node.parentLimit;
  }

  /** True while the node's own link into the tree is the one the list was built for. */
  validFor(node: VmCowPages): boolean {
    return (
      this.parent === node.parent &&
      this.parentOffset === node.parentOffset &&
      this.parentLimit === node.parentLimit
    );
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

/**
 * Calls `visit` for each run of pages [start, end) of `node` that its ancestors resolve to one
 * holder, in the holder's coordinates [holderStart, holderEnd) with node page = holder page -
 * delta. Pages past parentLimit (which the ancestors never show) are left out. The node's own
 * entries are not looked at: callers skip the pages those hide.
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
  const { starts, ends, holders, deltas } = segmentsOf(node, start, end);
  for (let i = 0; i < starts.length; i++) {
    const a = Math.max(start, starts[i]!);
    const b = Math.min(end, ends[i]!);
    if (a >= b) continue;
    visit(holders[i]!, a + deltas[i]!, b + deltas[i]!, deltas[i]!);
  }
}

/**
 * Segments covering pages [start, end) of `node` (within its parent limit): the skip list when
 * it is valid, else computed for the range. Callers clip them to the range.
 */
export function segmentsOf(node: VmCowPages, start: number, end: number): Segments {
  const cache = node.skip?.validFor(node) ? node.skip : null;
  return cache !== null ? cache.segments : parentSegments(node, start, end);
}
