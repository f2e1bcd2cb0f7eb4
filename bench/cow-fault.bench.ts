// Copy-on-write faults through a mapping, near the hardware. A committed parent VMO of 4 MiB,
// 64 MiB or 256 MiB; a snapshot of it mapped writable, every page read first (so each page is
// mapped read-only to the parent's frame); then one byte written to each page in turn, a write
// fault that forks the page: take a frame, copy 4 KiB into it, install a writable entry.
//
// Two kinds of frames for the fork:
// - fresh: a kernel whose frames above the parent's were never used, as right after boot. Each
//   fork is the host's first touch of that memory (arenas are made on first use, and a new
//   ArrayBuffer is untouched zero pages), so it pays the host kernel's own page fault; the row
//   "first touch of fresh host memory" measures that alone.
// - recycled: frames another snapshot used and freed, as in a kernel that has run a while.
//
// Each iteration times a batch of faults (mitata's manual mode) and reports the time per fault;
// replacing an exhausted snapshot, or kernel, happens between iterations, untimed.
//
// Baselines: a raw 4 KiB copy (Uint8Array.prototype.set), and, measured by bench/native/cow-fault.c
// when a C compiler (cc, gcc or clang) is on PATH, Linux's own copy-on-write fault on a
// MAP_PRIVATE file mapping and the first touch of fresh anonymous memory; without a compiler the
// bench says so and leaves those out.
//
// Targets: at most 0.5 µs per fault, and at least 4x faster than Linux's fault.

import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Kernel,
  type Process,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SNAPSHOT,
} from '../src/index.ts';
import {
  bench,
  type Comparison,
  do_not_optimize,
  flags,
  MiB,
  ok,
  PAGE,
  runBenchmarks,
  type Stats,
  summary,
} from './harness.ts';

const RW = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
/** Faults timed per iteration. */
const BATCH = 64;
const SIZES = [4, 64, 256] as const;

/** A kernel with a committed, written parent of `size` bytes and room for `forkBytes` more. */
class World {
  readonly proc: Process;
  readonly parent: number;
  private readonly size: number;
  private snapshot = 0;
  private addr = 0;
  /** Pages of the current snapshot forked so far. */
  next = 0;
  /** Snapshots made in this kernel. */
  generations = 0;

  constructor(size: number, forkBytes: number) {
    this.size = size;
    const kernel = new Kernel({ memoryBytes: size + forkBytes + 16 * MiB });
    this.proc = kernel.createProcess({ name: 'cow-fault' });
    const out = { value: 0 };
    ok(this.proc.syscalls.zx_vmo_create(size, 0, out), 'zx_vmo_create');
    this.parent = out.value;
    const chunk = new Uint8Array(MiB).map((_, i) => (i * 31 + 5) & 0xff);
    for (let at = 0; at < size; at += MiB) {
      ok(this.proc.syscalls.zx_vmo_write(this.parent, chunk, at, MiB), 'zx_vmo_write');
    }
  }

  get pages(): number {
    return this.size / PAGE;
  }

  /** A new snapshot, mapped writable, every page read; `closeOld` frees the last one's forks. */
  freshSnapshot(closeOld: boolean): void {
    const sys = this.proc.syscalls;
    if (closeOld && this.snapshot !== 0) {
      ok(sys.zx_vmar_unmap(this.proc.rootVmar, BigInt(this.addr), this.size), 'unmap');
      ok(sys.zx_handle_close(this.snapshot), 'close');
    }
    const out = { value: 0 };
    ok(sys.zx_vmo_create_child(this.parent, ZX_VMO_CHILD_SNAPSHOT, 0, this.size, out), 'child');
    this.snapshot = out.value;
    const addr = { value: 0n };
    ok(sys.zx_vmar_map(this.proc.rootVmar, RW, 0, out.value, 0, this.size, addr), 'map');
    this.addr = Number(addr.value);
    const buffer = new Uint8Array(MiB);
    for (let at = 0; at < this.size; at += MiB) ok(this.proc.load(this.addr + at, buffer), 'load');
    this.next = 0;
    this.generations++;
  }

  /** Writes one byte to each of the next `count` pages; the time per fault in nanoseconds. */
  faults(count: number, byte: Uint8Array): number {
    const proc = this.proc;
    const base = this.addr + this.next * PAGE;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) proc.store(base + i * PAGE, byte);
    const t1 = performance.now();
    this.next += count;
    return ((t1 - t0) * 1e6) / count;
  }

  /** Checks that the last fork took: the snapshot sees the byte, the parent does not. */
  check(byte: number): void {
    const seen = new Uint8Array(1);
    ok(this.proc.load(this.addr + (this.next - 1) * PAGE, seen), 'load');
    const parent = new Uint8Array(1);
    ok(this.proc.syscalls.zx_vmo_read(this.parent, parent, (this.next - 1) * PAGE, 1), 'read');
    if (seen[0] !== byte || parent[0] === byte) throw new Error('copy-on-write did not fork');
  }
}

const one = new Uint8Array([0xa5]);

/** The manual benchmark of faults with fresh frames: a new kernel when they run out. */
function freshFaults(size: number): () => Generator<{ manual(): number }> {
  // Room for a few snapshots' forks; none is ever closed, so no frame is used twice.
  const forkBytes = Math.max(size, 64 * MiB);
  let world: World | null = null;
  return function* () {
    yield {
      manual() {
        if (world === null || world.next + BATCH > world.pages) {
          if (world === null || (world.generations + 1) * size > forkBytes) {
            world = null;
            globalThis.gc?.();
            world = new World(size, forkBytes);
          }
          world.freshSnapshot(false);
        }
        return world.faults(BATCH, one);
      },
    };
  };
}

/** The manual benchmark of faults with recycled frames: each snapshot frees its forks. */
function recycledFaults(size: number): () => Generator<{ manual(): number }> {
  let world: World | null = null;
  return function* () {
    yield {
      manual() {
        if (world === null) {
          world = new World(size, size);
          // One snapshot forks every page and is closed: its frames are on the free list.
          world.freshSnapshot(true);
          world.faults(world.pages, one);
          world.check(one[0]!);
          world.freshSnapshot(true);
        }
        if (world.next + BATCH > world.pages) world.freshSnapshot(true);
        return world.faults(BATCH, one);
      },
    };
  };
}

/** The host's first touch of fresh memory: one byte in each page of a new ArrayBuffer. */
function firstTouch(): () => Generator<{ manual(): number }> {
  let memory = new Uint8Array(0);
  let next = 0;
  return function* () {
    yield {
      manual() {
        if (next + BATCH * PAGE > memory.length) {
          memory = new Uint8Array(0);
          globalThis.gc?.();
          memory = new Uint8Array(64 * MiB);
          next = 0;
        }
        const t0 = performance.now();
        for (let i = 0; i < BATCH; i++) memory[next + i * PAGE] = 1;
        const t1 = performance.now();
        next += BATCH * PAGE;
        return ((t1 - t0) * 1e6) / BATCH;
      },
    };
  };
}

// Check once that a fault forks, in each kind of world.
{
  const world = new World(4 * MiB, 4 * MiB);
  world.freshSnapshot(true);
  world.faults(BATCH, one);
  world.check(one[0]!);
}

const rawSrc = new Uint8Array(PAGE).map((_, i) => i & 0xff);
const rawDst = new Uint8Array(PAGE);
summary(() => {
  bench('raw copy 4 KiB', () => do_not_optimize(rawDst.set(rawSrc))).baseline();
  bench('first touch of fresh host memory (per page)', firstTouch());
  for (const size of SIZES) {
    bench(
      `first write to a copy-on-write page, ${size} MiB, fresh frames`,
      freshFaults(size * MiB),
    );
    bench(
      `first write to a copy-on-write page, ${size} MiB, recycled frames`,
      recycledFaults(size * MiB),
    );
  }
});

// --- Linux's copy-on-write fault (bench/native/cow-fault.c) ---

const here = dirname(fileURLToPath(import.meta.url));

function findCompiler(): string | null {
  for (const cc of ['cc', 'gcc', 'clang']) {
    const probe = spawnSync(cc, ['--version'], { stdio: 'ignore' });
    if (probe.status === 0) return cc;
  }
  return null;
}

/** Builds bench/native/NAME.c with `cc`; the binary's path. */
function buildNative(cc: string, name: string): string {
  const binary = join(mkdtempSync(join(tmpdir(), 'zxvm-bench-')), name);
  const built = spawnSync(cc, ['-O2', '-o', binary, join(here, 'native', `${name}.c`)], {
    stdio: 'inherit',
  });
  if (built.status !== 0) throw new Error(`${cc} could not build bench/native/${name}.c`);
  return binary;
}

/** Runs a native benchmark with `args`: the nanoseconds it prints. */
function runNative(binary: string, args: string[]): number {
  const run = spawnSync(binary, args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${binary} ${args.join(' ')}: ${run.stderr}`);
  return Number(run.stdout.trim());
}

/**
 * Median ns per Linux copy-on-write fault at each size, and per first touch of fresh anonymous
 * memory (both bench/native/cow-fault.c), or null without a compiler.
 */
function nativeFigures(): { faults: Map<number, number>; firstTouch: number } | null {
  const cc = findCompiler();
  if (cc === null) {
    console.log('no C compiler (cc, gcc or clang) on PATH: the native baselines are left out\n');
    return null;
  }
  const rounds = flags.quick ? '3' : '7';
  const cowFault = buildNative(cc, 'cow-fault');
  const faults = new Map<number, number>();
  for (const size of SIZES) faults.set(size, runNative(cowFault, [String(size), rounds]));
  const firstTouch = runNative(cowFault, ['64', rounds, 'first-touch']);
  return { faults, firstTouch };
}

/** Stats for a figure measured outside mitata: only p50 and avg are used by the tables. */
function externalStats(ns: number): Stats {
  return { p50: ns, avg: ns, min: ns, max: ns } as unknown as Stats;
}

const native = nativeFigures();
const external = new Map<string, Stats>();
const comparisons: Comparison[] = [
  {
    label: 'first touch of fresh host memory vs raw copy',
    subject: 'first touch of fresh host memory (per page)',
    baseline: 'raw copy 4 KiB',
  },
];
// The host's own price for a page never touched, paid by C as by JavaScript: what a fork into
// a fresh frame costs beyond it is what zxvm adds.
const cFirstTouch = 'first touch of fresh anonymous memory in C (per page)';
if (native !== null) {
  external.set(cFirstTouch, externalStats(native.firstTouch));
  comparisons.push({
    label: 'first touch of fresh host memory vs the same in C',
    subject: 'first touch of fresh host memory (per page)',
    baseline: cFirstTouch,
  });
}
for (const size of SIZES) {
  const linuxName = `Linux MAP_PRIVATE copy-on-write fault, ${size} MiB`;
  const linux = native?.faults ?? null;
  if (linux !== null) external.set(linuxName, externalStats(linux.get(size)!));
  for (const frames of ['fresh', 'recycled']) {
    const subject = `first write to a copy-on-write page, ${size} MiB, ${frames} frames`;
    comparisons.push({
      label: `${size} MiB, ${frames} frames vs raw 4 KiB copy`,
      subject,
      baseline: 'raw copy 4 KiB',
      maxTimeNs: 500,
    });
    if (linux !== null) {
      comparisons.push({
        label: `${size} MiB, ${frames} frames vs Linux fault`,
        subject,
        baseline: linuxName,
        maxRatio: 0.25,
      });
    }
    if (native !== null && frames === 'fresh') {
      comparisons.push({
        label: `${size} MiB, fresh frames vs a first touch in C`,
        subject,
        baseline: cFirstTouch,
      });
    }
  }
}

await runBenchmarks({
  title: 'cow-fault: first write to a copy-on-write page through a mapping',
  comparisons,
  external,
});
