// Moving pages between nodes for zx_vmo_transfer_data (Zircon's TakePages and SupplyPages).
//
// Taking pages [start, end) of a node leaves them reading zero and holding nothing: its own
// frames leave with their slots; a page it sees in a hidden ancestor is forked first (moved
// out of the ancestor when the node is its last viewer, copied otherwise); pages without
// content travel as zeros. Supplying them at another offset (of the same node or another)
// puts each frame in place of whatever the destination had, and each zero drops what the
// destination had there, so the destination reads exactly what the source read.

import { ZX_ERR_NO_MEMORY } from '../abi/constants.ts';
import { FrameUse } from '../pmm/pmm.ts';
import type { VmCowPages } from './cow-pages.ts';
import { viewersAt } from './cow-viewers.ts';
import { forEachParentRun, parentFramesIn } from './cow-walk.ts';
import { CHUNK, EMPTY, entryFrame, frameEntry, isFrame, ZERO_MARKER } from './page-list.ts';

/** Taken pages: frame entries by page offset within the range (pages not listed are zero). */
export interface SpliceList {
  offsets: number[];
  entries: number[];
}

/**
 * Takes pages [start, end) out of `node` (which must have no pinned frame there). Returns the
 * splice list, or ZX_ERR_NO_MEMORY (nothing changed) when forks cannot get frames.
 */
export function takePages(node: VmCowPages, start: number, end: number): SpliceList | number {
  if (node.parent === null) {
    // Only the node's own entries, visited in order: the list is sorted as it is made. A range
    // of a chunk or less (a supply of a page or a few) is looked up page by page.
    const offsets: number[] = [];
    const entries: number[] = [];
    const pages = node.pages;
    if (end - start <= CHUNK) {
      for (let index = start; index < end; index++) {
        const entry = pages.get(index);
        if (entry === EMPTY) continue;
        pages.set(index, EMPTY);
        if (!isFrame(entry)) continue;
        offsets.push(index - start);
        entries.push(entry);
      }
    } else {
      pages.clear(start, end, (index, entry) => {
        if (!isFrame(entry)) return;
        offsets.push(index - start);
        entries.push(entry);
      });
    }
    node.notifyRemoved(start, end);
    return { offsets, entries };
  }
  const pmm = node.pmm;
  const taken: { offset: number; entry: number }[] = [];
  let markers: number[] = [];
  if (node.parent !== null) {
    markers = parentFramesIn(node, start, end);
    const own = node.pages;
    let copies = 0;
    forEachParentRun(node, start, end, (holder, holderStart, holderEnd, delta) => {
      holder.pages.forEachChunk(holderStart, holderEnd, (chunk, base, from, to) => {
        for (let slot = from; slot < to; slot++) {
          if (!isFrame(chunk[slot]!)) continue;
          if (!own.isEmpty && own.get(base + slot - delta) !== EMPTY) continue;
          // A visible ancestor's page (under a pager) is copied, never taken.
          if (!holder.hidden || viewersAt(holder, base + slot) > 1) copies++;
        }
      });
    });
    if (!pmm.ensureFree(copies, node.owner)) return ZX_ERR_NO_MEMORY;
    forEachParentRun(node, start, end, (holder, holderStart, holderEnd, delta) => {
      holder.pages.forEachChunk(holderStart, holderEnd, (chunk, base, from, to) => {
        for (let slot = from; slot < to; slot++) {
          const entry = chunk[slot]!;
          if (!isFrame(entry)) continue;
          const at = base + slot - delta;
          if (!own.isEmpty && own.get(at) !== EMPTY) continue;
          if (holder.hidden && viewersAt(holder, base + slot) === 1) {
            holder.pages.set(base + slot, EMPTY);
            taken.push({ offset: at - start, entry });
            continue;
          }
          // The original loses this viewer once the node's slot is cleared and marked below.
          const copy = pmm.alloc(FrameUse.vmo, false);
          pmm.arenaOf(copy).set(pmm.frameView(entryFrame(entry)), pmm.frameOffset(copy));
          taken.push({ offset: at - start, entry: frameEntry(copy) });
        }
      });
    });
  }
  node.pages.clear(start, end, (index, entry) => {
    if (isFrame(entry)) taken.push({ offset: index - start, entry });
  });
  // What the ancestors still hold must not show through the emptied slots.
  for (const index of markers) node.pages.set(index, ZERO_MARKER);
  node.notifyRemoved(start, end);
  taken.sort((a, b) => a.offset - b.offset);
  return { offsets: taken.map((t) => t.offset), entries: taken.map((t) => t.entry) };
}

/** Frees the frames of a splice list that will not be supplied anywhere. */
export function dropSpliceList(node: VmCowPages, list: SpliceList): void {
  for (const entry of list.entries) node.pmm.free(entryFrame(entry), FrameUse.vmo);
}

/**
 * Puts a splice list at pages [start, start + length) of `node` (which must have no pinned
 * frame there): every page of the range ends up holding the taken frame, or reading zero.
 */
export function supplyPages(
  node: VmCowPages,
  start: number,
  length: number,
  list: SpliceList,
): void {
  const end = start + length;
  const markers = node.parent !== null ? parentFramesIn(node, start, end) : [];
  node.releaseRange(start, end, () => {
    for (const index of markers) node.pages.set(index, ZERO_MARKER);
  });
  for (let i = 0; i < list.offsets.length; i++) {
    node.pages.set(start + list.offsets[i]!, list.entries[i]!);
  }
  node.notifyRemoved(start, end);
}
