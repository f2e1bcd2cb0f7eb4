// Mappings against raw memory. Zircon's VmoMap/Read and VmoMap/Write benchmarks at 128 KiB,
// 512 KiB and 2 MiB: map a committed VMO, copy all of it out of (or into) the mapping with
// Process.load (or store), which takes a page fault per page, and unmap, beside a raw copy
// of the same size between two preallocated arrays. Then the first write to a copy-on-write
// page through a mapping of a snapshot (a fault that forks the page: allocate a frame, copy
// 4 KiB into it, map it) beside a raw 4 KiB copy; and, for scale, a store to a page already
// mapped writable.

import {
  Kernel,
  type Process,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
} from '../src/index.ts';
import {
  bench,
  type Comparison,
  do_not_optimize,
  KiB,
  MiB,
  ok,
  PAGE,
  runBenchmarks,
  summary,
} from './harness.ts';

const R = ZX_VM_PERM_READ;
const RW = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;

const kernel = new Kernel({ memoryBytes: 512 * MiB });
const proc: Process = kernel.createProcess({ name: 'map' });
const sys = proc.syscalls;
const root = proc.rootVmar;

function createVmo(size: number): number {
  const out = { value: 0 };
  ok(sys.zx_vmo_create(size, 0, out), 'zx_vmo_create');
  return out.value;
}

function map(options: number, vmo: number, size: number): bigint {
  const addr = { value: 0n };
  ok(sys.zx_vmar_map(root, options, 0, vmo, 0, size, addr), 'zx_vmar_map');
  return addr.value;
}

function unmap(addr: bigint, size: number): void {
  ok(sys.zx_vmar_unmap(root, addr, size), 'zx_vmar_unmap');
}

function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

const comparisons: Comparison[] = [];

for (const [label, size] of [
  ['128 KiB', 128 * KiB],
  ['512 KiB', 512 * KiB],
  ['2 MiB', 2 * MiB],
] as const) {
  const vmo = createVmo(size);
  ok(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, size, null, 0), 'COMMIT');
  const data = pattern(size, 3);
  ok(sys.zx_vmo_write(vmo, data, 0, size), 'zx_vmo_write');
  const dst = new Uint8Array(size);
  const src = pattern(size, 9);

  // Check once that the copies do what they claim.
  const addr = map(RW, vmo, size);
  ok(proc.load(addr, dst), 'load');
  if (!dst.every((b, i) => b === data[i])) throw new Error(`load through the mapping differs`);
  ok(proc.store(addr, src), 'store');
  unmap(addr, size);
  const back = new Uint8Array(size);
  ok(sys.zx_vmo_read(vmo, back, 0, size), 'zx_vmo_read');
  if (!back.every((b, i) => b === src[i])) throw new Error(`store through the mapping differs`);

  const raw = new Uint8Array(size);
  summary(() => {
    bench(`raw copy ${label}`, () => do_not_optimize(raw.set(src))).baseline();
    bench(`VmoMap/Read ${label}`, () => {
      const at = map(R, vmo, size);
      const status = proc.load(at, dst);
      unmap(at, size);
      return do_not_optimize(status);
    });
    bench(`VmoMap/Write ${label}`, () => {
      const at = map(RW, vmo, size);
      const status = proc.store(at, src);
      unmap(at, size);
      return do_not_optimize(status);
    });
  });
  comparisons.push(
    {
      label: `VmoMap/Read ${label}`,
      subject: `VmoMap/Read ${label}`,
      baseline: `raw copy ${label}`,
      bytes: size,
    },
    {
      label: `VmoMap/Write ${label}`,
      subject: `VmoMap/Write ${label}`,
      baseline: `raw copy ${label}`,
      bytes: size,
    },
  );
}

// Copy-on-write: a 16 MiB parent with every page written, a snapshot of it mapped writable.
// Each iteration writes one byte to the next page of the snapshot never written through it,
// which forks that page. When every page has been forked the snapshot is replaced by a new
// one (once per 4096 iterations, which the median does not see).
const COW_PAGES = 4096;
const parent = createVmo(COW_PAGES * PAGE);
ok(sys.zx_vmo_write(parent, pattern(COW_PAGES * PAGE, 5), 0, COW_PAGES * PAGE), 'zx_vmo_write');
let snapshot = 0;
let snapshotAddr = 0n;
let nextPage = COW_PAGES;
const one = new Uint8Array([0x5a]);

function freshSnapshot(): void {
  if (snapshot !== 0) {
    unmap(snapshotAddr, COW_PAGES * PAGE);
    ok(sys.zx_handle_close(snapshot), 'zx_handle_close');
  }
  const out = { value: 0 };
  ok(sys.zx_vmo_create_child(parent, ZX_VMO_CHILD_SNAPSHOT, 0, COW_PAGES * PAGE, out), 'child');
  snapshot = out.value;
  snapshotAddr = map(RW, snapshot, COW_PAGES * PAGE);
  // Read every page first, so each write below is a write to a page mapped read-only.
  ok(proc.load(snapshotAddr, new Uint8Array(COW_PAGES * PAGE)), 'load');
  nextPage = 0;
}

freshSnapshot();
ok(proc.store(snapshotAddr, one), 'store');
const check = new Uint8Array(2);
ok(sys.zx_vmo_read(snapshot, check, 0, 2), 'zx_vmo_read');
const parentCheck = new Uint8Array(1);
ok(sys.zx_vmo_read(parent, parentCheck, 0, 1), 'zx_vmo_read');
if (check[0] !== 0x5a || parentCheck[0] === 0x5a) throw new Error('copy-on-write did not fork');

const warm = createVmo(PAGE);
const warmAddr = map(RW, warm, PAGE);
ok(proc.store(warmAddr, one), 'store');
const rawSrc = pattern(PAGE, 1);
const rawDst = new Uint8Array(PAGE);

summary(() => {
  bench('raw copy 4 KiB', () => do_not_optimize(rawDst.set(rawSrc))).baseline();
  bench('first write to a copy-on-write page', () => {
    if (nextPage === COW_PAGES) freshSnapshot();
    return do_not_optimize(proc.store(snapshotAddr + BigInt(nextPage++ * PAGE), one));
  });
  bench('write to a page mapped writable', () => do_not_optimize(proc.store(warmAddr, one)));
});
comparisons.push(
  {
    label: 'first write to a copy-on-write page',
    subject: 'first write to a copy-on-write page',
    baseline: 'raw copy 4 KiB',
  },
  {
    label: 'write to a page mapped writable',
    subject: 'write to a page mapped writable',
    baseline: 'raw copy 4 KiB',
  },
);

await runBenchmarks({ title: 'Mappings', comparisons });
