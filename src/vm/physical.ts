// Memory for devices beyond physical VMOs (vm-object-physical.ts): contiguous VMOs (paged VMOs
// whose pages are one physically contiguous run, allocated up front and never moved), and
// pinning pages for DMA through a BTI.

import { ZX_ERR_NO_MEMORY } from '../abi/constants.ts';
import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import { because } from '../util/reason.ts';
import type { DiscardableList } from './discardable.ts';
import { frameEntry } from './page-list.ts';
import type { VmObject } from './vm-object.ts';
import { VmObjectPaged } from './vm-object-paged.ts';

function noRun(pages: number, alignShift: number, total: number): string {
  const run = `${pages} contiguous pages aligned to 2^${alignShift} bytes`;
  return total < 0 ? `no free run of ${run}` : `${run} cannot fit in ${total} pages of RAM`;
}

const FIXED_OPTIONS = { resizable: false, discardable: false, unbounded: false } as const;

/**
 * A contiguous VMO of `sizePages` pages whose first physical address is a multiple of
 * 2^alignShift (alignShift >= 12), its pages committed and zeroed; ZX_ERR_NO_MEMORY when no
 * such run of frames is free.
 */
export function createContiguousVmo(
  pmm: PhysicalMemory,
  discardables: DiscardableList,
  sizePages: number,
  alignShift: number,
): VmObjectPaged | number {
  const alignFrames = 2 ** (alignShift - 12);
  if (sizePages > pmm.totalFrames || alignFrames > pmm.totalFrames) {
    return because(ZX_ERR_NO_MEMORY, noRun, sizePages, alignShift, pmm.totalFrames);
  }
  const first = pmm.allocContiguous(sizePages, alignFrames, FrameUse.vmo);
  // Past ensureFree (which says why it fails), no aligned run of free frames was found.
  if (first < 0) return because(ZX_ERR_NO_MEMORY, noRun, sizePages, alignShift, -1);
  const vmo = new VmObjectPaged(pmm, sizePages, { ...FIXED_OPTIONS }, discardables);
  vmo.isContiguous = true;
  for (let page = 0; page < sizePages; page++) vmo.cow.pages.set(page, frameEntry(first + page));
  return vmo;
}

/**
 * Pins pages [start, end) of `vmo` (inside it) for DMA, for the device to `write` them or only
 * read them; the frames, or a status with nothing left pinned. Each kind of VMO pins its own
 * way (VmObject.pin).
 */
export function pinPages(
  vmo: VmObject,
  start: number,
  end: number,
  write = true,
): number[] | number {
  return vmo.pin(start, end, write);
}

/** Undoes pinPages. */
export function unpinPages(vmo: VmObject, frames: readonly number[]): void {
  vmo.unpin(frames);
}
