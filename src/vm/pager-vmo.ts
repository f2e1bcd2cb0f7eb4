// The operations a user pager makes on the VMOs it backs (Zircon's VmObjectPaged::SupplyPages,
// FailPageRequests and DetachSource for a user pager): placing supplied pages, failing
// requests, detaching. The VMO itself is a VmObjectPaged whose root node has a PageSource.

import { ZX_ERR_BAD_STATE, ZX_OK } from '../abi/constants.ts';
import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import { assert } from '../util/assert.ts';
import { because } from '../util/reason.ts';
import { PAGE_SHIFT_N, U64_MAX } from '../util/u64.ts';
import { missingRootRuns, rootOf } from './cow-pager-tree.ts';
import { CowSplice } from './cow-splice.ts';
import { CLEAN_ZERO } from './dirty-ranges.ts';
import type { DiscardableList } from './discardable.ts';
import { entryFrame, isFrame } from './page-list.ts';
import type { PageSource } from './page-source.ts';
import { cleanPagesIn } from './pager-dirty.ts';
import type { PageSplice, VmObject, VmoCreateOptions } from './vm-object.ts';
import { VmObjectPaged } from './vm-object-paged.ts';
import { outOfRange, overflow } from './vm-reasons.ts';

/** How the pager syscalls name the range of the pager VMO. */
const RANGE = 'offset + length';
const DETACHED = 'the VMO is detached from its pager';

/** A pager-backed VMO of `sizePages`: every page missing until supplied. */
export function createPagerVmo(
  pmm: PhysicalMemory,
  sizePages: number,
  options: VmoCreateOptions,
  discardables: DiscardableList,
  source: PageSource,
): VmObjectPaged {
  const vmo = new VmObjectPaged(pmm, sizePages, options, discardables);
  vmo.cow.source = source;
  vmo.cow.pagerTree = true;
  return vmo;
}

/** The source of a VMO whose pages come from a pager (a slice or reference sees its parent's). */
export function pageSourceOf(vmo: VmObject): PageSource | null {
  return vmo instanceof VmObjectPaged ? vmo.cow.source : null;
}

/** The source at the root of a VMO's tree under a pager (its own, or its ancestors'), or null. */
export function treeSourceOf(vmo: VmObject): PageSource | null {
  return vmo instanceof VmObjectPaged && vmo.cow.pagerTree ? rootOf(vmo.cow).source : null;
}

/** ZX_INFO_VMO_PAGER_BACKED: the VMO's tree has a pager at its root (children included). */
export function isPagerBacked(vmo: VmObject): boolean {
  return vmo instanceof VmObjectPaged && vmo.cow.pagerTree;
}

/** The byte range [offset, offset + length) as root pages, or OUT_OF_RANGE. */
export function rootPages(
  vmo: VmObjectPaged,
  offset: bigint,
  length: bigint,
): [number, number] | number {
  const end = offset + length;
  if (end > U64_MAX) return overflow(RANGE, offset, length);
  if (end > vmo.sizeBytes) return outOfRange(RANGE, end, vmo.sizeBytes);
  const start = Number(offset >> PAGE_SHIFT_N) + vmo.cowOffset;
  return [start, start + Number(length >> PAGE_SHIFT_N)];
}

/**
 * zx_pager_supply_pages into `vmo`: each page of the range still missing takes the splice's
 * frame, or becomes a clean zero where the aux VMO had nothing (a CLEAN_ZERO run, as upstream
 * places a zero marker); present pages keep theirs and the splice's frame is freed. Requests
 * the pages complete end, and their waiters go on. Costs the splice's entries and the VMO's
 * entries and runs in the range, never its width.
 */
export function supplyPagerPages(
  vmo: VmObjectPaged,
  offset: bigint,
  length: bigint,
  pages: PageSplice,
): number {
  const source = vmo.cow.source;
  assert(source !== null, 'supplying a VMO without a pager');
  const range = rootPages(vmo, offset, length);
  if (typeof range === 'number') return range;
  if (source.detached) return because(ZX_ERR_BAD_STATE, DETACHED);
  assert(pages instanceof CowSplice, 'pages taken from another kind of VMO');
  const [start, end] = range;
  const { offsets, entries } = pages.take();
  const node = vmo.cow;
  let next = 0;
  const missing = missingRootRuns(node, start, end);
  for (let r = 0; r < missing.length; r += 2) {
    const from = missing[r]!;
    const to = missing[r + 1]!;
    // Splice pages for pages already present (or zero ranges, the VMO's own zeros) are freed.
    while (next < offsets.length && start + offsets[next]! < from) drop(node, entries[next++]!);
    let at = from;
    while (next < offsets.length && start + offsets[next]! < to) {
      const page = start + offsets[next]!;
      source.runs.set(at, page, CLEAN_ZERO);
      const entry = entries[next++]!;
      node.pages.set(page, entry);
      // A supplied page is the newest in the eviction order.
      if (isFrame(entry)) source.hints.placed(entryFrame(entry), page);
      at = page + 1;
    }
    source.runs.set(at, to, CLEAN_ZERO);
  }
  while (next < offsets.length) drop(node, entries[next++]!);
  source.supplied(start, end);
  return ZX_OK;
}

/** A splice entry not placed: its frame, if it is one, is freed. */
function drop(node: VmObjectPaged['cow'], entry: number): void {
  if (isFrame(entry)) node.pmm.free(entryFrame(entry), FrameUse.vmo);
}

/**
 * zx_pager_op_range FAIL: requests whose next needed page is in the range fail with `status`;
 * BAD_STATE once detached (Pager.FailAfterDetach).
 */
export function failPagerRange(
  vmo: VmObjectPaged,
  offset: bigint,
  length: bigint,
  status: number,
): number {
  const source = vmo.cow.source;
  assert(source !== null, 'failing requests of a VMO without a pager');
  const range = rootPages(vmo, offset, length);
  if (typeof range === 'number') return range;
  if (source.detached) return because(ZX_ERR_BAD_STATE, DETACHED);
  source.failed(range[0], range[1], status);
  return ZX_OK;
}

/**
 * zx_pager_detach_vmo: waiters fail with BAD_STATE, COMPLETE is sent, and the clean pages are
 * dropped, those supplied as zero included (DetachSource empties markers: the next access fails
 * as any missing page does); dirty ones (written, or past a growth), pinned ones and the
 * untracked zeros past the stream size stay.
 */
export function detachPagerVmo(vmo: VmObjectPaged): void {
  const node = vmo.cow;
  const source = node.source;
  assert(source !== null, 'detaching a VMO without a pager');
  source.detach(true);
  for (const page of cleanPagesIn(node, 0, node.sizePages)) node.decommit(page, page + 1);
  const zeros: [number, number][] = [];
  source.runs.forEachPiece(0, node.sizePages, (from, to, tag) => {
    if (tag === CLEAN_ZERO) zeros.push([from, to]);
  });
  for (const [from, to] of zeros) {
    source.runs.set(from, to, 0);
    node.notifyRemoved(from, to);
  }
}
