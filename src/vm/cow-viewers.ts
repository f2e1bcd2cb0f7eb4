// Share counts, computed from the tree instead of kept per page.
//
// Zircon keeps a share count in each page of a hidden node: how many visible VMOs besides one
// can see it. Kept per page, a new snapshot adds one to every page it can see and a closing one
// takes one from each: both cost the pages seen. zxvm keeps what the counts follow from instead
// (cow-counts.ts), and computes a page's count when it is asked for: when a page is forked,
// freed, taken or attributed.
//
// The viewers of index i of a hidden node N are the leaves below N whose lookup of that page
// reaches N. Each child c of N whose window covers i and holds no entry at its index
// i - c.parentOffset passes the lookup on: a leaf is one viewer, a hidden child passes on its
// own viewers there. N keeps, as units, how many children cover i (WindowCover) and how many of
// those hold an entry there (HoleCounts, reported by the children's page lists), so
//
//   viewers(N, i) = cover(i) - holes(i) + sum over hidden children c passing i on of
//                   (viewers(c, i - c.parentOffset) - 1).
//
// A snapshot is one more unit of the node it hangs from (one range added to the cover); a new
// hidden node takes its VMO's page list, whose entries stay reported where they were, and starts
// with two units and no holes. Neither touches a page. A query costs the hidden nodes below N
// that pass the index on (one in a chain, none where only leaves hang).

import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import type { VmCowPages } from './cow-pages.ts';
import { firstSegmentAfter, liveHolder, type Segments } from './cow-walk.ts';
import { CHUNK, EMPTY } from './page-list.ts';

/** How many VMOs see index `index` of `node` (1 for a leaf's own pages). */
export function viewersAt(node: VmCowPages, index: number): number {
  if (!node.hidden) return 1;
  let total = 0;
  let stack: VmCowPages[] | null = null;
  let at: number[] | null = null;
  let current = node;
  let i = index;
  for (;;) {
    total += current.cover!.at(i) - current.holes!.get(i);
    const kids = current.hiddenKids;
    for (let k = 0; k < kids.length; k++) {
      const kid = kids[k]!;
      const j = i - kid.parentOffset;
      if (j < 0 || j >= kid.parentLimit || kid.pages.get(j) !== EMPTY) continue;
      total -= 1;
      if (stack === null) {
        stack = [];
        at = [];
      }
      stack.push(kid);
      at!.push(j);
    }
    if (stack === null || stack.length === 0) return total;
    current = stack.pop()!;
    i = at!.pop()!;
  }
}

/**
 * How many VMOs see every index of [from, to) of a hidden node (a range within one chunk of 64),
 * when that is the same for all of them and plain to see: no child holds an entry there and no
 * hidden child could pass a different count on. Else -1 (ask viewersAt page by page).
 */
export function uniformViewers(node: VmCowPages, from: number, to: number): number {
  if (node.hiddenKids.length > 0 || node.holes!.anyIn(from, to)) return -1;
  return node.cover!.constantOver(from, to);
}

/** Zircon's share_count of the entry at `index` of `node`: its viewers besides one. */
export function shareCountAt(node: VmCowPages, index: number): number {
  return node.hidden ? viewersAt(node, index) - 1 : 0;
}

/**
 * Frees every frame of the ancestors that pages [start, end) of a node resolved to through
 * `segments` (its skip list, taken before the node stopped seeing them) that nobody sees any
 * more. Costs the frames the holders hold there.
 */
export function freeUnseen(
  segments: Segments,
  start: number,
  end: number,
  pmm: PhysicalMemory,
): void {
  const { starts, ends, deltas } = segments;
  for (let i = firstSegmentAfter(segments, start); i < starts.length; i++) {
    if (starts[i]! >= end) break;
    const holder = liveHolder(segments, i);
    if (!holder.hidden) continue;
    const delta = deltas[i]!;
    const from = Math.max(start, starts[i]!) + delta;
    const to = Math.min(end, ends[i]!) + delta;
    const list = holder.pages;
    for (const key of list.keysIn(from, to)) {
      const chunk = list.chunkAt(key);
      if (chunk === undefined) continue;
      const base = key * CHUNK;
      const first = Math.max(from - base, 0);
      const last = Math.min(to - base, CHUNK);
      if (uniformViewers(holder, base + first, base + last) > 0) continue;
      for (let slot = first; slot < last; slot++) {
        const entry = chunk[slot]!;
        if (entry <= 0) continue; // not a frame
        if (viewersAt(holder, base + slot) !== 0) continue;
        list.set(base + slot, EMPTY);
        pmm.free(entry - 1, FrameUse.vmo);
      }
    }
  }
}
