// Snapshot cost against what the VMO is: O(1) in pages (issue 10).
//
// - Snapshot creation, and creation + close, of a committed VMO of 2 MiB, 64 MiB, 256 MiB and
//   1 GiB that already has 1, 10 or 100 live snapshots: clean (the VMO wrote nothing since
//   them, so the new snapshot hangs beside them), and dirty (the VMO then wrote a tenth of its
//   pages, every tenth page, forking them from the snapshots: the new snapshot needs a new
//   hidden node taking those pages, with the rest seen through the old one). Creation alone is
//   timed by hand (mitata's manual mode): the close that follows each creation is not counted.
//   Every row is compared with 2 MiB, clean, 1 live snapshot. Target: within 2x.
// - A memory check, outside mitata (snapshot-memory.ts): 1000 snapshots of a 256 MiB committed
//   VMO, each writing one page: exactly 256 MiB + 1000 pages of frames, the time to make and
//   to close them, and the host heap per snapshot.
//
// The benchmarks share one world, which each one's setup brings to its size, state and number
// of live snapshots (mitata runs them in the order they are registered).

import { Kernel, ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_OP_COMMIT } from '../src/index.ts';
import type { Syscalls } from '../src/syscalls/index.ts';
import { bench, type Comparison, flags, MiB, ok, PAGE, runBenchmarks, summary } from './harness.ts';
import { snapshotMemoryCheck } from './snapshot-memory.ts';

/** A committed VMO with live snapshots, brought to the state each benchmark asks for. */
class World {
  size = 0;
  dirty = false;
  sys: Syscalls | null = null;
  vmo = 0;
  readonly live: number[] = [];

  prepare(size: number, dirty: boolean, live: number): void {
    if (this.sys === null || size !== this.size || (this.dirty && !dirty)) this.rebuild(size);
    const sys = this.sys!;
    const out = { value: 0 };
    while (this.live.length > live) ok(sys.zx_handle_close(this.live.pop()!), 'close');
    while (this.live.length < live) {
      ok(sys.zx_vmo_create_child(this.vmo, ZX_VMO_CHILD_SNAPSHOT, 0, size, out), 'snapshot');
      this.live.push(out.value);
    }
    if (dirty && !this.dirty) {
      const page = new Uint8Array(PAGE).fill(0x5a);
      for (let offset = 0; offset < size; offset += 10 * PAGE) {
        ok(sys.zx_vmo_write(this.vmo, page, offset, PAGE), 'write');
      }
      this.dirty = true;
    }
  }

  private rebuild(size: number): void {
    this.sys = null; // the old kernel and its frames go to the garbage collector
    this.live.length = 0;
    (globalThis.gc as () => void)();
    const kernel = new Kernel({ memoryBytes: size * 2 + 64 * MiB });
    const sys = kernel.createProcess({ name: 'snapshot-bench' }).syscalls;
    const out = { value: 0 };
    ok(sys.zx_vmo_create(size, 0, out), 'zx_vmo_create');
    ok(sys.zx_vmo_op_range(out.value, ZX_VMO_OP_COMMIT, 0, size, null, 0), 'COMMIT');
    this.sys = sys;
    this.vmo = out.value;
    this.size = size;
    this.dirty = false;
  }
}

const world = new World();
const child = { value: 0 };
const sizes = [
  ['2 MiB', 2 * MiB],
  ['64 MiB', 64 * MiB],
  ['256 MiB', 256 * MiB],
  ['1 GiB', 1024 * MiB],
] as const;
const lives = [1, 10, 100];
const comparisons: Comparison[] = [];
const name = (label: string, dirty: boolean, live: number, what: string) =>
  `${what} ${label} ${dirty ? 'dirty' : 'clean'} ${live} live`;
const CREATE_BASE = name('2 MiB', false, 1, 'create');
const CLOSE_BASE = name('2 MiB', false, 1, 'create + close');

summary(() => {
  for (const [label, size] of sizes) {
    for (const dirty of [false, true]) {
      // Dirty rows close snapshots as they go, keeping the pages the VMO wrote.
      for (const live of dirty ? [...lives].reverse() : lives) {
        const sys = () => world.sys!;
        bench(name(label, dirty, live, 'create'), function* () {
          world.prepare(size, dirty, live);
          yield {
            manual() {
              const s = sys();
              const t0 = performance.now();
              s.zx_vmo_create_child(world.vmo, ZX_VMO_CHILD_SNAPSHOT, 0, size, child);
              const t1 = performance.now();
              s.zx_handle_close(child.value);
              return (t1 - t0) * 1e6;
            },
          };
        });
        bench(name(label, dirty, live, 'create + close'), function* () {
          world.prepare(size, dirty, live);
          yield () => {
            const s = sys();
            s.zx_vmo_create_child(world.vmo, ZX_VMO_CHILD_SNAPSHOT, 0, size, child);
            s.zx_handle_close(child.value);
          };
        });
        for (const what of ['create', 'create + close']) {
          const subject = name(label, dirty, live, what);
          const baseline = what === 'create' ? CREATE_BASE : CLOSE_BASE;
          if (subject === baseline) continue;
          comparisons.push({
            label: `snapshot ${what}: ${label}, ${dirty ? '10% dirty' : 'clean'}, ${live} live`,
            subject,
            baseline,
            maxRatio: 2,
          });
        }
      }
    }
  }
});

await runBenchmarks({ title: 'snapshot: cost against size, dirt and live snapshots', comparisons });

snapshotMemoryCheck({ sizeMiB: 256, count: flags.quick ? 100 : 1000, heapLimitMiB: 4 });
