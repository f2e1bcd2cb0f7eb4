// Memory attribution as Zircon 2025 reports it in zx_info_vmo_t.
//
// A VMO is charged for every page it can see that it holds itself or that a hidden ancestor
// holds for it (pages of visible ancestors belong to them). With k VMOs able to see a page:
// - committed/populated bytes count the page fully (RSS: 4096 in each of the k VMOs);
// - private bytes count it only when k == 1 (USS);
// - scaled bytes charge 4096/k (PSS), as Zircon's FractionalBytes: an integral part plus a
//   63-bit fixed-point fraction (2^63 is one byte), each page's share computed separately as
//   floor(4096 / k) + floor(2^63 / k) * (4096 mod k) / 2^63 and summed with carry. The
//   truncation is per page, so a page shared three ways charges 4095.99... bytes in total.
// Zero markers and pages without content charge nothing. Without compression the committed
// and populated counters are equal.

import { PAGE_SIZE_N } from '../util/u64.ts';
import type { VmCowPages } from './cow-pages.ts';
import { uniformViewers, viewersAt } from './cow-viewers.ts';
import { forEachParentRun } from './cow-walk.ts';
import { EMPTY } from './page-list.ts';
import type { VmoAttribution } from './vm-object.ts';

const PAGE = PAGE_SIZE_N;
/** One byte in the fixed-point fraction. */
export const FRACTION_ONE = 1n << 63n;

/** Zircon's FractionalBytes: an integral byte count and a fraction of a byte (raw, < 2^63). */
export interface FractionalBytes {
  integral: bigint;
  fraction: bigint;
}

/** The share of one page seen by `k` VMOs. */
export function pageShare(k: number): FractionalBytes {
  const d = BigInt(k);
  return { integral: PAGE / d, fraction: (FRACTION_ONE / d) * (PAGE % d) };
}

export const NO_ATTRIBUTION: VmoAttribution = {
  committedBytes: 0n,
  populatedBytes: 0n,
  committedPrivateBytes: 0n,
  populatedPrivateBytes: 0n,
  committedScaledBytes: 0n,
  populatedScaledBytes: 0n,
  committedFractionalScaledBytes: 0n,
  populatedFractionalScaledBytes: 0n,
};

/**
 * Counts, for the pages `node` can see in [start, end), how many are seen by exactly k VMOs:
 * byViewers[k]. Its own frames are seen by it alone.
 */
export function viewerCounts(
  node: VmCowPages,
  start = 0,
  end = node.sizePages,
): Map<number, number> {
  const byViewers = new Map<number, number>();
  if (start >= end) return byViewers;
  const own = node.pages;
  const ownFrames =
    start === 0 && end >= node.sizePages ? own.frameCount : own.countFrames(start, end);
  if (ownFrames > 0) byViewers.set(1, ownFrames);
  const ownEmpty = own.isEmpty;
  forEachParentRun(node, start, end, (holder, holderStart, holderEnd, delta) => {
    // Pages of a visible ancestor (a pager-backed VMO) are charged to it alone.
    if (!holder.hidden) return;
    holder.pages.forEachChunk(holderStart, holderEnd, (chunk, base, from, to) => {
      // Where every page of the run has the same viewers, one count serves them all.
      const uniform = uniformViewers(holder, base + from, base + to);
      for (let slot = from; slot < to; slot++) {
        if (chunk[slot]! <= 0) continue; // not a frame
        if (!ownEmpty && own.get(base + slot - delta) !== EMPTY) continue;
        const k = uniform >= 0 ? uniform : viewersAt(holder, base + slot);
        byViewers.set(k, (byViewers.get(k) ?? 0) + 1);
      }
    });
  });
  return byViewers;
}

/** The attribution of pages [start, end) (default: all) of a node, as its owner sees them. */
export function nodeAttribution(node: VmCowPages, start = 0, end = node.sizePages): VmoAttribution {
  let pages = 0n;
  let privatePages = 0n;
  let integral = 0n;
  let fraction = 0n;
  for (const [k, count] of viewerCounts(node, start, end)) {
    const n = BigInt(count);
    pages += n;
    if (k === 1) privatePages += n;
    const share = pageShare(k);
    integral += share.integral * n;
    fraction += share.fraction * n;
  }
  // Summing page by page with carry gives the same as carrying once at the end.
  integral += fraction / FRACTION_ONE;
  fraction %= FRACTION_ONE;
  return {
    committedBytes: pages * PAGE,
    populatedBytes: pages * PAGE,
    committedPrivateBytes: privatePages * PAGE,
    populatedPrivateBytes: privatePages * PAGE,
    committedScaledBytes: integral,
    populatedScaledBytes: integral,
    committedFractionalScaledBytes: fraction,
    populatedFractionalScaledBytes: fraction,
  };
}
