// System-wide memory accounting as ZX_INFO_KMEM_STATS reports it (Zircon's vm/memory_stats.cc):
// the simulated physical memory by use, and the discardable VMOs' pages by lock state.

import type { ZxInfoKmemStats, ZxInfoKmemStatsV1 } from '../abi/structs.ts';
import { FrameUse, type PhysicalMemory } from '../pmm/pmm.ts';
import { PAGE_SIZE_N } from '../util/u64.ts';
import type { DiscardableList } from './discardable.ts';

const PAGE = PAGE_SIZE_N;

/** Pages in Zircon's reclaim queues: the evictable pager-backed ones (pager-eviction.ts). */
export interface ReclaimCounts {
  total: number;
  newest: number;
  oldest: number;
}

const NO_RECLAIM: ReclaimCounts = { total: 0, newest: 0, oldest: 0 };

/**
 * zx_info_kmem_stats_t of `pmm`: what zxvm does not model (heap, zram, ...) is 0. The reclaim
 * fields count clean, unpinned pager-backed pages (vmo_reclaim_disabled_bytes counts
 * high-priority VMOs' pages in Zircon, which zxvm does not have: 0).
 */
export function kmemStats(
  pmm: PhysicalMemory,
  discardables: DiscardableList,
  reclaim: ReclaimCounts = NO_RECLAIM,
): ZxInfoKmemStats {
  const total = BigInt(pmm.totalFrames) * PAGE;
  const free = BigInt(pmm.freeFrames) * PAGE;
  const wired = BigInt(pmm.usedFrames(FrameUse.wired)) * PAGE;
  const vmo = BigInt(pmm.usedFrames(FrameUse.vmo)) * PAGE;
  const mmu = BigInt(pmm.usedFrames(FrameUse.mmu)) * PAGE;
  const other = total - free - wired - vmo - mmu;
  const discardable = discardables.pageCounts();
  return {
    total_bytes: total,
    free_bytes: free,
    free_loaned_bytes: 0n,
    wired_bytes: wired,
    total_heap_bytes: 0n,
    free_heap_bytes: 0n,
    vmo_bytes: vmo,
    mmu_overhead_bytes: mmu,
    ipc_bytes: 0n,
    cache_bytes: 0n,
    slab_bytes: 0n,
    zram_bytes: 0n,
    other_bytes: other,
    vmo_reclaim_total_bytes: BigInt(reclaim.total) * PAGE,
    vmo_reclaim_newest_bytes: BigInt(reclaim.newest) * PAGE,
    vmo_reclaim_oldest_bytes: BigInt(reclaim.oldest) * PAGE,
    vmo_reclaim_disabled_bytes: 0n,
    vmo_discardable_locked_bytes: BigInt(discardable.locked) * PAGE,
    vmo_discardable_unlocked_bytes: BigInt(discardable.unlocked) * PAGE,
  };
}

/** The older record (ZX_INFO_KMEM_STATS_V1): free bytes count the loaned ones too. */
export function kmemStatsV1(stats: ZxInfoKmemStats): ZxInfoKmemStatsV1 {
  return {
    total_bytes: stats.total_bytes,
    free_bytes: stats.free_bytes + stats.free_loaned_bytes,
    wired_bytes: stats.wired_bytes,
    total_heap_bytes: stats.total_heap_bytes,
    free_heap_bytes: stats.free_heap_bytes,
    vmo_bytes: stats.vmo_bytes,
    mmu_overhead_bytes: stats.mmu_overhead_bytes,
    ipc_bytes: stats.ipc_bytes,
    other_bytes: stats.other_bytes,
  };
}
