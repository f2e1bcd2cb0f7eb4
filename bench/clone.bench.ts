// Copy-on-write children against eager copies.
//
// - Snapshot creation, and snapshot-and-close, of committed VMOs of 128 KiB, 512 KiB and 2 MiB,
//   beside an eager copy of the same bytes (Uint8Array.prototype.slice). Creation alone is timed
//   by hand (mitata's manual mode): the close that follows each creation is not counted.
// - A snapshot of a 512 KiB VMO, then one page or all pages written in the original or in the
//   clone, then the clone closed; beside an eager copy written the same way.
// - Reading every page (1 MiB) of the deepest clone of chains of 1, 10, 100 and 1000 clones,
//   each of which wrote one page before being cloned (so the chain is that deep: the pages sit
//   in many different ancestors). Also the cold read, with the skip list rebuilt every time.
// - A memory check, outside mitata (snapshot-memory.ts): 1000 snapshots of a 64 MiB committed
//   VMO that each write one page must hold exactly 64 MiB + 1000 pages of frames (KMEM
//   vmo_bytes), and the host heap may grow by a few MiB of bookkeeping at most.
//
// Targets: creation at 2 MiB within 2x of 128 KiB and at least 20x faster than the eager copy
// at 2 MiB; reading at depth 1000 at most 2x depth 1.

import {
  Kernel,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
} from '../src/index.ts';
import type { VmObjectDispatcher } from '../src/object/vm-object-dispatcher.ts';
import type { Process } from '../src/process.ts';
import type { VmObjectPaged } from '../src/vm/vm-object-paged.ts';
import {
  bench,
  type Comparison,
  do_not_optimize,
  flags,
  KiB,
  MiB,
  ok,
  PAGE,
  runBenchmarks,
  summary,
} from './harness.ts';
import { snapshotMemoryCheck } from './snapshot-memory.ts';

const kernel = new Kernel({ memoryBytes: 512 * MiB });
const proc = kernel.createProcess({ name: 'clone-bench' });
const sys = proc.syscalls;

function pattern(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

/** A VMO of `size` bytes, every page committed and written with a pattern. */
function committedVmo(target: Process, size: number): number {
  const out = { value: 0 };
  ok(target.syscalls.zx_vmo_create(size, 0, out), 'zx_vmo_create');
  ok(target.syscalls.zx_vmo_op_range(out.value, ZX_VMO_OP_COMMIT, 0, size, null, 0), 'COMMIT');
  ok(target.syscalls.zx_vmo_write(out.value, pattern(size, 3), 0, size), 'zx_vmo_write');
  return out.value;
}

function snapshot(vmo: number, size: number): number {
  const out = { value: 0 };
  ok(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, size, out), 'create_child');
  return out.value;
}

const comparisons: Comparison[] = [];
const child = { value: 0 };

// Warm the JIT on the paths measured, so the first benchmarks do not pay for it.
{
  const warm = committedVmo(proc, 64 * KiB);
  for (let i = 0; i < 5000; i++) {
    ok(sys.zx_vmo_create_child(warm, ZX_VMO_CHILD_SNAPSHOT, 0, 64 * KiB, child), 'child');
    if (i % 2 === 0)
      ok(sys.zx_vmo_write(child.value, pattern(16, i), (i % 16) * PAGE, 16), 'write');
    ok(sys.zx_handle_close(child.value), 'close');
  }
  ok(sys.zx_handle_close(warm), 'close');
}

// --- Snapshot creation and snapshot-and-close ---

const sizes = [
  ['128 KiB', 128 * KiB],
  ['512 KiB', 512 * KiB],
  ['2 MiB', 2 * MiB],
] as const;

summary(() => {
  for (const [label, size] of sizes) {
    const vmo = committedVmo(proc, size);
    const bytes = pattern(size, 3);
    bench(`eager copy ${label}`, () => do_not_optimize(bytes.slice())).baseline();
    bench(`snapshot ${label} (create)`, function* () {
      yield {
        manual() {
          const t0 = performance.now();
          sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, size, child);
          const t1 = performance.now();
          sys.zx_handle_close(child.value);
          return (t1 - t0) * 1e6;
        },
      };
    });
    bench(`snapshot ${label} + close`, () => {
      do_not_optimize(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, size, child));
      do_not_optimize(sys.zx_handle_close(child.value));
    });
  }
});
for (const [label] of sizes) {
  for (const kind of ['(create)', '+ close']) {
    comparisons.push({
      label: `snapshot ${label} ${kind} vs eager copy`,
      subject: `snapshot ${label} ${kind}`,
      baseline: `eager copy ${label}`,
      ...(label === '2 MiB' ? { maxRatio: 0.05 } : {}),
    });
  }
}
comparisons.push(
  {
    label: 'snapshot 2 MiB vs 128 KiB (create)',
    subject: 'snapshot 2 MiB (create)',
    baseline: 'snapshot 128 KiB (create)',
    maxRatio: 2,
  },
  {
    label: 'snapshot 2 MiB vs 128 KiB (+ close)',
    subject: 'snapshot 2 MiB + close',
    baseline: 'snapshot 128 KiB + close',
    maxRatio: 2,
  },
);

// --- Clone, then write ---

{
  const size = 512 * KiB;
  const vmo = committedVmo(proc, size);
  const bytes = pattern(size, 3);
  const onePage = pattern(PAGE, 9);
  const all = pattern(size, 11);
  summary(() => {
    bench('eager copy 512 KiB, write 1 page', () => {
      const copy = bytes.slice();
      copy.set(onePage, 5 * PAGE);
      do_not_optimize(copy);
    }).baseline();
    bench('eager copy 512 KiB, write all', () => {
      const copy = bytes.slice();
      copy.set(all);
      do_not_optimize(copy);
    });
    for (const [who, pages] of [
      ['original', 'one'],
      ['clone', 'one'],
      ['original', 'all'],
      ['clone', 'all'],
    ] as const) {
      bench(`snapshot 512 KiB, write ${pages === 'one' ? '1 page' : 'all'} of the ${who}`, () => {
        ok(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, size, child), 'child');
        const target = who === 'original' ? vmo : child.value;
        if (pages === 'one') ok(sys.zx_vmo_write(target, onePage, 5 * PAGE, PAGE), 'write');
        else ok(sys.zx_vmo_write(target, all, 0, size), 'write');
        ok(sys.zx_handle_close(child.value), 'close');
      });
    }
  });
  for (const who of ['original', 'clone']) {
    comparisons.push(
      {
        label: `snapshot, write 1 page of the ${who}`,
        subject: `snapshot 512 KiB, write 1 page of the ${who}`,
        baseline: 'eager copy 512 KiB, write 1 page',
      },
      {
        label: `snapshot, write all of the ${who}`,
        subject: `snapshot 512 KiB, write all of the ${who}`,
        baseline: 'eager copy 512 KiB, write all',
      },
    );
  }
}

// --- Reads through chains of clones ---
//
// Every page of the deepest clone is read. In a deep chain the pages sit in frames allocated
// at different times, so they are scattered in physical memory, and copying scattered 4 KiB
// frames costs about twice one 1 MiB copy of adjacent frames whatever the tree does (the
// "plain VMO" rows show it). So the chains whose depths are compared start from a VMO whose
// frames are scattered too; the same chains from a VMO with adjacent frames are shown beside.

/** A 1 MiB VMO whose pages sit in frames freed in a scattered order (not adjacent). */
function scatteredVmo(): number {
  const pages = MiB / PAGE;
  const scratch = committedVmo(proc, MiB);
  for (let i = 0; i < pages; i++) {
    const page = (i * 97) % pages;
    ok(sys.zx_vmo_op_range(scratch, ZX_VMO_OP_DECOMMIT, page * PAGE, PAGE, null, 0), 'DECOMMIT');
  }
  ok(sys.zx_handle_close(scratch), 'close');
  return committedVmo(proc, MiB);
}

/** The deepest of `depth` chained clones of `vmo` (1 MiB), each having changed one page. */
function chain(vmo: number, depth: number): number {
  const pages = MiB / PAGE;
  const page = new Uint8Array(PAGE);
  for (let i = 1; i <= depth; i++) {
    const next = snapshot(vmo, MiB);
    page.fill(i & 0xff);
    ok(sys.zx_vmo_write(next, page, ((i * 7) % pages) * PAGE, PAGE), 'write');
    vmo = next;
  }
  return vmo;
}

/** The cow tree node behind a handle (to drop its skip list for the cold read). */
function nodeOf(handle: number) {
  return ((proc.object.handles.get(handle)!.object as VmObjectDispatcher).vmo as VmObjectPaged).cow;
}

{
  const buffer = new Uint8Array(MiB);
  const adjacent = committedVmo(proc, MiB);
  const scattered = scatteredVmo();
  const depths = [1, 10, 100, 1000];
  const chains = depths.map((depth) => [depth, chain(scatteredVmo(), depth)] as const);
  const deepest = chains[chains.length - 1]![1];
  const adjacentChains = [1, 1000].map(
    (depth) => [depth, chain(committedVmo(proc, MiB), depth)] as const,
  );
  const read = (vmo: number) => () => do_not_optimize(sys.zx_vmo_read(vmo, buffer, 0, MiB));
  summary(() => {
    bench('read 1 MiB, plain VMO, adjacent frames', read(adjacent));
    bench('read 1 MiB, plain VMO, scattered frames', read(scattered));
    for (const [depth, vmo] of chains) {
      const b = bench(`read 1 MiB, depth ${depth}`, read(vmo));
      if (depth === 1) b.baseline();
    }
    for (const [depth, vmo] of adjacentChains) {
      bench(`read 1 MiB, depth ${depth} from adjacent frames`, read(vmo));
    }
    bench('read 1 MiB, depth 1000, skip list rebuilt', () => {
      nodeOf(deepest).skip = null;
      do_not_optimize(sys.zx_vmo_read(deepest, buffer, 0, MiB));
    });
  });
  for (const depth of depths.slice(1)) {
    comparisons.push({
      label: `read every page at depth ${depth} vs depth 1`,
      subject: `read 1 MiB, depth ${depth}`,
      baseline: 'read 1 MiB, depth 1',
      bytes: MiB,
      maxRatio: 2,
    });
  }
  comparisons.push(
    {
      label: 'read at depth 1 vs a plain VMO (both scattered)',
      subject: 'read 1 MiB, depth 1',
      baseline: 'read 1 MiB, plain VMO, scattered frames',
      bytes: MiB,
    },
    {
      label: 'plain VMO: scattered vs adjacent frames',
      subject: 'read 1 MiB, plain VMO, scattered frames',
      baseline: 'read 1 MiB, plain VMO, adjacent frames',
      bytes: MiB,
    },
    {
      label: 'from adjacent frames: depth 1000 vs depth 1',
      subject: 'read 1 MiB, depth 1000 from adjacent frames',
      baseline: 'read 1 MiB, depth 1 from adjacent frames',
      bytes: MiB,
    },
    {
      label: 'cold read at depth 1000 (skip list rebuilt) vs depth 1',
      subject: 'read 1 MiB, depth 1000, skip list rebuilt',
      baseline: 'read 1 MiB, depth 1',
      bytes: MiB,
    },
  );
}

await runBenchmarks({ title: 'clone: copy-on-write children vs eager copies', comparisons });

// --- Memory: 1000 snapshots of 64 MiB that each write one page ---

snapshotMemoryCheck({ sizeMiB: 64, count: flags.quick ? 100 : 1000, heapLimitMiB: 4 });
