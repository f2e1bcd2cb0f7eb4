// What kernel.inspect() tells about physical memory, read from the PMM's counters: frames by
// use (the counters ZX_INFO_KMEM_STATS reports from), the zero page, pins, the MMIO region and
// the host arenas created so far. Counters only: nothing here walks frames.

import { FrameUse, type PhysicalMemory } from './pmm.ts';

/** Physical memory in frames of 4096 bytes. */
export interface PmmSnapshot {
  totalFrames: number;
  freeFrames: number;
  /** Frames in use, by what uses them. */
  usedFrames: { vmo: number; mmu: number; wired: number; other: number };
  /** Frames pinned for DMA at least once. */
  pinnedFrames: number;
  /** The shared zero page (wired; every mapping of untouched memory shows it). */
  zeroFrame: number;
  /** Frames ever handed out; the ones above were never touched and cost the host nothing. */
  touchedFrames: number;
  /** Free frames below which discardable VMOs are reclaimed. */
  reclaimWatermarkFrames: number;
  /** Device memory, after RAM: [firstFrame, firstFrame + frames). */
  mmio: { firstFrame: number; frames: number };
  /** Host ArrayBuffers backing frames, created on first touch: arena i starts at frame i * arenaFrames. */
  arenaFrames: number;
  arenas: { index: number; firstFrame: number; frames: number }[];
}

export function inspectPmm(pmm: PhysicalMemory): PmmSnapshot {
  return {
    totalFrames: pmm.totalFrames,
    freeFrames: pmm.freeFrames,
    usedFrames: {
      vmo: pmm.usedFrames(FrameUse.vmo),
      mmu: pmm.usedFrames(FrameUse.mmu),
      wired: pmm.usedFrames(FrameUse.wired),
      other: pmm.usedFrames(FrameUse.other),
    },
    pinnedFrames: pmm.pinnedFrames,
    zeroFrame: pmm.zeroFrame,
    touchedFrames: pmm.touchedFrames,
    reclaimWatermarkFrames: pmm.watermarkFrames,
    mmio: { firstFrame: pmm.mmioFirstFrame, frames: pmm.mmioFrames },
    arenaFrames: pmm.arenaFrames,
    arenas: pmm.arenasInUse().map(({ index, frames }) => ({
      index,
      firstFrame: index * pmm.arenaFrames,
      frames,
    })),
  };
}
