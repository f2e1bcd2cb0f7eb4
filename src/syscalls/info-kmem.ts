// zx_info_kmem_stats_t: the simulated physical memory, as ZX_INFO_KMEM_STATS reports it.

import type { ZxInfoKmemStats } from '../abi/structs.ts';
import type { KernelCore } from '../object/kernel-core.ts';
import { FrameUse } from '../pmm/pmm.ts';

const PAGE = 4096n;

export function kmemStats(core: KernelCore): ZxInfoKmemStats {
  const pmm = core.pmm;
  const total = BigInt(pmm.totalFrames) * PAGE;
  const free = BigInt(pmm.freeFrames) * PAGE;
  const wired = BigInt(pmm.usedFrames(FrameUse.wired)) * PAGE;
  const vmo = BigInt(pmm.usedFrames(FrameUse.vmo)) * PAGE;
  const mmu = BigInt(pmm.usedFrames(FrameUse.mmu)) * PAGE;
  const other = total - free - wired - vmo - mmu;
  const discardable = core.discardables.pageCounts();
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
    vmo_reclaim_total_bytes: 0n,
    vmo_reclaim_newest_bytes: 0n,
    vmo_reclaim_oldest_bytes: 0n,
    vmo_reclaim_disabled_bytes: 0n,
    vmo_discardable_locked_bytes: BigInt(discardable.locked) * PAGE,
    vmo_discardable_unlocked_bytes: BigInt(discardable.unlocked) * PAGE,
  };
}
