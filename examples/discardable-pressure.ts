// Discardable memory under pressure: a cache VMO that is unlocked may lose its pages when another
// VMO needs the memory. The kernel reclaims it instead of failing the allocation; the cache's
// owner learns of it when it locks again. Try: npx zxvm run examples/discardable-pressure.ts --trace

import {
  check,
  decodeZxInfoKmemStats,
  decodeZxVmoLockState,
  type Kernel,
  type Process,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_STATUS_NAMES,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_LOCK_STATE_SIZE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
} from '../src/index.ts';

export const description =
  'An unlocked discardable VMO is reclaimed when another VMO needs the memory.';

const MiB = 1024 * 1024;

/** Kernel options this scenario wants unless the command line says otherwise: it fills memory. */
export const options = { memoryBytes: 32 * MiB };

const CACHE = 8 * MiB;

export default function discardablePressure(kernel: Kernel, proc: Process): void {
  const sys = proc.syscalls;
  const system = kernel.grantSystemResource(proc);
  const kmem = () => {
    const bytes = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
    const status = sys.zx_object_get_info(
      system,
      ZX_INFO_KMEM_STATS,
      bytes,
      bytes.length,
      null,
      null,
    );
    check(status, 'zx_object_get_info');
    return decodeZxInfoKmemStats(bytes);
  };
  const mib = (bytes: bigint) => `${(Number(bytes) / MiB).toFixed(2)} MiB`;

  const start = kmem();
  // Filling the simulated memory touches as much host memory: refuse a huge kernel.
  if (start.total_bytes > 512n * BigInt(MiB)) {
    throw new Error('discardable-pressure fills memory: run it with --memory 512M or less');
  }
  console.log(`memory: ${mib(start.total_bytes)}, free ${mib(start.free_bytes)}`);

  const cache = { value: 0 };
  check(sys.zx_vmo_create(CACHE, ZX_VMO_DISCARDABLE, cache), 'zx_vmo_create');
  const lockState = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
  const lockOp = (op: number) =>
    sys.zx_vmo_op_range(cache.value, op, 0, CACHE, lockState, lockState.length);

  check(lockOp(ZX_VMO_OP_LOCK), 'lock');
  check(sys.zx_vmo_op_range(cache.value, ZX_VMO_OP_COMMIT, 0, CACHE, null, 0), 'commit');
  const marker = new TextEncoder().encode('cached');
  check(sys.zx_vmo_write(cache.value, marker, 0, marker.length), 'zx_vmo_write');
  check(lockOp(ZX_VMO_OP_UNLOCK), 'unlock');
  const unlocked = kmem();
  console.log(
    `cache filled and unlocked: ${mib(unlocked.vmo_discardable_unlocked_bytes)} reclaimable, ` +
      `free ${mib(unlocked.free_bytes)}`,
  );

  kernel.inspect('the cache filled and unlocked');

  // Ask for more than is free: only reclaiming the unlocked cache can satisfy it.
  const wanted = unlocked.free_bytes + BigInt(CACHE / 2);
  const big = { value: 0 };
  check(sys.zx_vmo_create(wanted, 0, big), 'zx_vmo_create');
  const commit = sys.zx_vmo_op_range(big.value, ZX_VMO_OP_COMMIT, 0, wanted, null, 0);
  const after = kmem();
  console.log(
    `commit ${mib(wanted)} in another VMO: ${ZX_STATUS_NAMES[commit]}; ` +
      `reclaimable now ${mib(after.vmo_discardable_unlocked_bytes)}, free ${mib(after.free_bytes)}`,
  );

  kernel.inspect('the cache discarded to commit the other VMO');

  // The discarded cache: reads fail, TRY_LOCK refuses, LOCK succeeds and says what was lost.
  const read = sys.zx_vmo_read(cache.value, new Uint8Array(1), 0, 1);
  console.log(`read the discarded cache: ${ZX_STATUS_NAMES[read]}`);
  console.log(`TRY_LOCK: ${ZX_STATUS_NAMES[lockOp(ZX_VMO_OP_TRY_LOCK)]}`);
  check(lockOp(ZX_VMO_OP_LOCK), 'lock');
  const lost = decodeZxVmoLockState(lockState).discarded_size;
  console.log(`LOCK: ZX_OK, discarded ${mib(lost)}; the cache must be refilled`);

  check(sys.zx_handle_close(big.value), 'zx_handle_close');
  check(sys.zx_handle_close(cache.value), 'zx_handle_close');
  console.log(`closed both: free ${mib(kmem().free_bytes)} of ${mib(start.total_bytes)}`);
  check(sys.zx_handle_close(system), 'zx_handle_close');
}
