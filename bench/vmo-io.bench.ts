// VMO I/O against raw memory: zx_vmo_read and zx_vmo_write of 4 KiB and 1 MiB of committed
// pages beside Uint8Array.prototype.set between two preallocated arrays of the same size, and
// COMMIT + DECOMMIT of 1 MiB beside allocating a zero-filled 1 MiB Uint8Array.
//
// Targets: a 1 MiB transfer reaches at least 60% of the raw copy's throughput; a 4 KiB
// transfer takes at most 1.5x the raw copy's time (issue 10; 3x before).
//
// The "recycled frames" rows read and write a VMO whose pages were committed from frames that
// another VMO had freed, as in any kernel that has run for a while. The PMM hands freed frames
// back last-in first-out, and ranges are freed last page first, so they come back in order.

import { Kernel, ZX_VMO_OP_COMMIT, ZX_VMO_OP_DECOMMIT } from '../src/index.ts';
import {
  bench,
  type Comparison,
  do_not_optimize,
  KiB,
  MiB,
  ok,
  runBenchmarks,
  summary,
} from './harness.ts';

const kernel = new Kernel({ memoryBytes: 256 * MiB });
const { zx_vmo_create, zx_vmo_op_range, zx_vmo_read, zx_vmo_write } = kernel.createProcess({
  name: 'vmo-io',
}).syscalls;

function createVmo(size: number): number {
  const out = { value: 0 };
  ok(zx_vmo_create(size, 0, out), 'zx_vmo_create');
  return out.value;
}

function commit(vmo: number, size: number): void {
  ok(zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, size, null, 0), 'COMMIT');
}

function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** Writes then reads back `size` bytes, so a broken read or write cannot pass as fast. */
function verify(vmo: number, size: number): void {
  const src = pattern(size, 7);
  const dst = new Uint8Array(size);
  ok(zx_vmo_write(vmo, src, 0, size), 'zx_vmo_write');
  ok(zx_vmo_read(vmo, dst, 0, size), 'zx_vmo_read');
  if (!dst.every((b, i) => b === src[i])) throw new Error(`read back differs (${size} bytes)`);
}

// VMOs with every page committed on a fresh kernel: their frames are physically adjacent.
function committedVmo(size: number): number {
  const vmo = createVmo(size);
  commit(vmo, size);
  verify(vmo, size);
  return vmo;
}
const vmo4k = committedVmo(4 * KiB);
const vmo1m = committedVmo(MiB);

// 1 MiB committed from frames another VMO freed.
const scratch = committedVmo(MiB);
ok(zx_vmo_op_range(scratch, ZX_VMO_OP_DECOMMIT, 0, MiB, null, 0), 'DECOMMIT');
const recycled = committedVmo(MiB);

// The VMO that COMMIT + DECOMMIT cycles.
const cycled = committedVmo(MiB);
ok(zx_vmo_op_range(cycled, ZX_VMO_OP_DECOMMIT, 0, MiB, null, 0), 'DECOMMIT');

const comparisons: Comparison[] = [];

/**
 * zx_vmo_read and zx_vmo_write of `size` bytes at offset 0 of each VMO, beside the raw copy of
 * `size` bytes between two preallocated arrays; each compared with the raw copy.
 */
function transfers(
  label: string,
  size: number,
  vmos: readonly (readonly [suffix: string, vmo: number])[],
  target: Pick<Comparison, 'maxRatio' | 'minThroughput'>,
): void {
  const src = pattern(size, 1);
  const dst = new Uint8Array(size);
  const raw = `raw copy ${label}`;
  summary(() => {
    bench(raw, () => dst.set(src)).baseline();
    for (const [suffix, vmo] of vmos) {
      bench(`zx_vmo_read ${label}${suffix}`, () => do_not_optimize(zx_vmo_read(vmo, dst, 0, size)));
      bench(`zx_vmo_write ${label}${suffix}`, () =>
        do_not_optimize(zx_vmo_write(vmo, src, 0, size)),
      );
    }
  });
  for (const [suffix, _] of vmos) {
    for (const op of ['read', 'write']) {
      comparisons.push({
        label: `${op} ${label}${suffix}`,
        subject: `zx_vmo_${op} ${label}${suffix}`,
        baseline: raw,
        bytes: size,
        ...target,
      });
    }
  }
}

transfers('4 KiB', 4 * KiB, [['', vmo4k]], { maxRatio: 1.5 });
transfers(
  '1 MiB',
  MiB,
  [
    ['', vmo1m],
    [' (recycled frames)', recycled],
  ],
  { minThroughput: 0.6 },
);

summary(() => {
  bench('new Uint8Array(1 MiB)', () => do_not_optimize(new Uint8Array(MiB))).baseline();
  bench('COMMIT + DECOMMIT 1 MiB', () => {
    do_not_optimize(zx_vmo_op_range(cycled, ZX_VMO_OP_COMMIT, 0, MiB, null, 0));
    do_not_optimize(zx_vmo_op_range(cycled, ZX_VMO_OP_DECOMMIT, 0, MiB, null, 0));
  });
});
comparisons.push({
  label: 'COMMIT + DECOMMIT 1 MiB',
  subject: 'COMMIT + DECOMMIT 1 MiB',
  baseline: 'new Uint8Array(1 MiB)',
  bytes: MiB,
});

await runBenchmarks({ title: 'vmo-io: zx_vmo_read/write and COMMIT vs raw memory', comparisons });
