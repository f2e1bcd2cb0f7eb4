// The memory check of many live snapshots, outside mitata (clone.bench.ts and
// snapshot.bench.ts): `count` snapshots of a committed VMO of `sizeMiB`, each writing one page,
// must hold exactly the VMO's frames plus one per snapshot (KMEM vmo_bytes), nothing once all
// are closed, and cost the host heap at most a few KiB per snapshot (process.memoryUsage after
// gc). Prints a table; with --check a miss sets the exit code.

import { ZX_INFO_KMEM_STATS } from '../src/abi/constants.ts';
import { decodeZxInfoKmemStats, ZX_INFO_KMEM_STATS_SIZE } from '../src/abi/structs.ts';
import { Kernel, ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_OP_COMMIT } from '../src/index.ts';
import { flags, MiB, markdownTable, ok, PAGE } from './harness.ts';

export function snapshotMemoryCheck(options: {
  sizeMiB: number;
  count: number;
  heapLimitMiB: number;
}): void {
  const gc = globalThis.gc as () => void;
  const { sizeMiB, count, heapLimitMiB } = options;
  const size = sizeMiB * MiB;
  const k = new Kernel({ memoryBytes: size * 2 });
  const p = k.createProcess({ name: 'memory' });
  const s = p.syscalls;
  const vmo = { value: 0 };
  ok(s.zx_vmo_create(size, 0, vmo), 'zx_vmo_create');
  ok(s.zx_vmo_op_range(vmo.value, ZX_VMO_OP_COMMIT, 0, size, null, 0), 'COMMIT');
  const resource = k.grantSystemResource(p);
  const info = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
  const vmoBytes = () => {
    ok(s.zx_object_get_info(resource, ZX_INFO_KMEM_STATS, info, info.length, null, null), 'KMEM');
    return decodeZxInfoKmemStats(info).vmo_bytes;
  };
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const framesBefore = vmoBytes();
  const page = new Uint8Array(PAGE).fill(5);
  const handles: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const out = { value: 0 };
    ok(s.zx_vmo_create_child(vmo.value, ZX_VMO_CHILD_SNAPSHOT, 0, size, out), 'create_child');
    ok(s.zx_vmo_write(out.value, page, ((i * 13) % (size / PAGE)) * PAGE, PAGE), 'write');
    handles.push(out.value);
  }
  const elapsed = performance.now() - t0;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const framesAfter = vmoBytes();
  const t1 = performance.now();
  for (const h of handles) ok(s.zx_handle_close(h), 'close');
  const closing = performance.now() - t1;
  ok(s.zx_handle_close(vmo.value), 'close');
  const framesEnd = vmoBytes();
  const expected = BigInt(size + count * PAGE);
  const heapGrowth = (heapAfter - heapBefore) / MiB;
  const framesOk = framesAfter === expected && framesEnd === 0n;
  const heapOk = heapGrowth <= heapLimitMiB;
  console.log(
    `\n### ${count} snapshots of a ${sizeMiB} MiB committed VMO, each writing one page\n`,
  );
  console.log(
    markdownTable(
      ['measure', 'value', 'target', 'result'],
      [
        [
          'frames held (KMEM vmo_bytes)',
          `${(Number(framesAfter) / MiB).toFixed(2)} MiB (${(framesAfter - framesBefore) / 4096n} pages more than the original's ${size / PAGE})`,
          `= ${sizeMiB} MiB + ${count} pages = ${(Number(expected) / MiB).toFixed(2)} MiB`,
          framesAfter === expected ? 'pass' : '**FAIL**',
        ],
        [
          'frames held after closing all',
          `${framesEnd} bytes`,
          '0',
          framesEnd === 0n ? 'pass' : '**FAIL**',
        ],
        [
          'host heap growth (heapUsed after gc)',
          `${heapGrowth.toFixed(2)} MiB (${((heapGrowth * MiB) / count).toFixed(0)} bytes per snapshot)`,
          `≤ ${heapLimitMiB} MiB`,
          heapOk ? 'pass' : '**FAIL**',
        ],
        [
          'time to make them all',
          `${elapsed.toFixed(1)} ms (${((elapsed * 1000) / count).toFixed(1)} µs each)`,
          '',
          '',
        ],
        [
          'time to close them all',
          `${closing.toFixed(1)} ms (${((closing * 1000) / count).toFixed(1)} µs each)`,
          '',
          '',
        ],
      ],
    ),
  );
  if (flags.check && !(framesOk && heapOk)) process.exitCode = 1;
}
