// Shared benchmark harness. Every benchmark is a standalone script, bench/<topic>.bench.ts,
// runnable as `node --import tsx bench/<topic>.bench.ts [--quick] [--check]`; `npm run bench`
// (bench/run.ts) runs them all in sequence. A script:
//
//   import { bench, do_not_optimize, runBenchmarks, summary } from './harness.ts';
//
//   summary(() => {
//     bench('raw copy 4 KiB', () => dst.set(src)).baseline();
//     bench('zx_vmo_read 4 KiB', () => do_not_optimize(zx_vmo_read(vmo, dst, 0, 4096)));
//   });
//   await runBenchmarks({
//     title: 'VMO reads',
//     comparisons: [
//       { label: 'read 4 KiB', subject: 'zx_vmo_read 4 KiB', baseline: 'raw copy 4 KiB',
//         bytes: 4096, maxRatio: 3 },
//     ],
//   });
//
// `bench` is mitata's bench (use it from here so --quick can see every benchmark); group,
// summary, barplot and the rest are mitata's own. Benchmark names must be unique within a
// script, since comparisons refer to them; use plain (name, fn) benchmarks, one per case,
// rather than mitata's .args(). After mitata's report, runBenchmarks prints a markdown table
// comparing each subject with its baseline on median (p50) time, with the avg ratio beside it.
//
// Flags:
//   --quick  short runs (about 50 ms per benchmark instead of mitata's ~0.7 s): numbers are
//            rougher, for checking that the scripts work and for a first look.
//   --check  exit with status 1 when a comparison misses its target (runs that throw always
//            give status 1).

import './expose-gc.ts';
import { type B, measure, bench as mitataBench, run } from 'mitata';

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const PAGE = 4096;

/** A benchmark's setup call must succeed: throws with the status's name otherwise. */
export function ok(status: number, what: string): void {
  if (status !== ZX_OK) throw new Error(`${what}: ${ZX_STATUS_NAMES[status] ?? status}`);
}

import { ZX_OK, ZX_STATUS_NAMES } from '../src/index.ts';

export {
  barplot,
  boxplot,
  compact,
  do_not_optimize,
  group,
  lineplot,
  summary,
} from 'mitata';

/** mitata's statistics of one benchmark; times are in nanoseconds. */
export type Stats = Awaited<ReturnType<typeof measure>>;

export interface Flags {
  quick: boolean;
  check: boolean;
}

export const flags: Flags = parseFlags(process.argv.slice(2));

function parseFlags(argv: readonly string[]): Flags {
  const parsed: Flags = { quick: false, check: false };
  for (const arg of argv) {
    if (arg === '--quick') parsed.quick = true;
    else if (arg === '--check') parsed.check = true;
    else {
      console.error(`unknown argument ${arg}; flags: --quick, --check`);
      process.exit(2);
    }
  }
  return parsed;
}

/** One line of the ratio table: a benchmark beside its baseline. */
export interface Comparison {
  /** Row label. */
  label: string;
  /** Name of the benchmark under test. */
  subject: string;
  /** Name of the benchmark it is measured against. */
  baseline: string;
  /** Bytes one iteration moves: adds a throughput column. */
  bytes?: number;
  /** Target: subject time at most this many times the baseline's (3 = "within 3x"). */
  maxRatio?: number;
  /** Target: subject throughput at least this fraction of the baseline's (0.6 = 60%). */
  minThroughput?: number;
  /** Target: subject p50 at most this many nanoseconds. */
  maxTimeNs?: number;
}

export interface ComparisonResult extends Comparison {
  subjectStats: Stats;
  baselineStats: Stats;
  /** Subject time ÷ baseline time, on medians. */
  ratio: number;
  /** Subject time ÷ baseline time, on averages. */
  ratioAvg: number;
  /** Whether the target is met (on medians); null without a target. */
  pass: boolean | null;
}

export interface Report {
  stats: Map<string, Stats>;
  comparisons: ComparisonResult[];
}

const registered: { name: string; fn: () => unknown }[] = [];

/** mitata's bench(name, fn), also remembered for --quick runs. */
export function bench(name: string, fn: () => unknown): B {
  if (registered.some((r) => r.name === name)) throw new Error(`duplicate benchmark "${name}"`);
  registered.push({ name, fn });
  return mitataBench(name, fn);
}

/**
 * Runs every benchmark registered with `bench` (mitata's full run and report, or short
 * measurements with --quick), then prints the ratio table of `comparisons`. Sets
 * process.exitCode to 1 when a benchmark threw, or (with --check) when a target was missed.
 */
export async function runBenchmarks(options: {
  title: string;
  comparisons: readonly Comparison[];
  /**
   * Statistics measured outside mitata (a native program's figures), by benchmark name, for
   * comparisons to use as subjects or baselines.
   */
  external?: ReadonlyMap<string, Stats>;
}): Promise<Report> {
  const { stats, errors } = flags.quick ? await runQuick() : await runMitata();
  for (const [name, external] of options.external ?? []) stats.set(name, external);
  for (const [name, error] of errors) console.error(`benchmark "${name}" failed: ${error}`);
  if (errors.size > 0) process.exitCode = 1;

  const comparisons: ComparisonResult[] = [];
  for (const c of options.comparisons) {
    const subjectStats = stats.get(c.subject);
    const baselineStats = stats.get(c.baseline);
    if (subjectStats === undefined || baselineStats === undefined) {
      const missing = subjectStats === undefined ? c.subject : c.baseline;
      if (!errors.has(missing)) console.error(`comparison "${c.label}": no benchmark "${missing}"`);
      process.exitCode = 1;
      continue;
    }
    const ratio = subjectStats.p50 / baselineStats.p50;
    const ratioAvg = subjectStats.avg / baselineStats.avg;
    comparisons.push({
      ...c,
      subjectStats,
      baselineStats,
      ratio,
      ratioAvg,
      pass: verdict(c, ratio, subjectStats.p50),
    });
  }
  printTable(options.title, comparisons);
  if (flags.check && comparisons.some((c) => c.pass === false)) process.exitCode = 1;
  return { stats, comparisons };
}

type Outcome = { stats: Map<string, Stats>; errors: Map<string, string> };

async function runMitata(): Promise<Outcome> {
  const colors = process.env.FORCE_COLOR
    ? true
    : Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const { benchmarks } = await run({ colors });
  const outcome: Outcome = { stats: new Map(), errors: new Map() };
  for (const trial of benchmarks) {
    for (const r of trial.runs) {
      if (r.stats !== undefined) outcome.stats.set(r.name, r.stats);
      else outcome.errors.set(r.name, errorMessage(r.error));
    }
  }
  return outcome;
}

async function runQuick(): Promise<Outcome> {
  const outcome: Outcome = { stats: new Map(), errors: new Map() };
  const width = Math.max(...registered.map((r) => r.name.length));
  console.log(`quick run (--quick): ~50 ms per benchmark, rough numbers\n`);
  console.log(`${'benchmark'.padEnd(width)}  ${'p50'.padStart(10)}  ${'avg'.padStart(10)}`);
  for (const { name, fn } of registered) {
    try {
      const stats = await measure(fn, { min_cpu_time: 50e6 });
      outcome.stats.set(name, stats);
      console.log(
        `${name.padEnd(width)}  ${time(stats.p50).padStart(10)}  ${time(stats.avg).padStart(10)}`,
      );
    } catch (error) {
      outcome.errors.set(name, errorMessage(error));
      console.log(`${name.padEnd(width)}  error`);
    }
  }
  return outcome;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function verdict(c: Comparison, ratio: number, p50: number): boolean | null {
  if (c.maxRatio === undefined && c.minThroughput === undefined && c.maxTimeNs === undefined) {
    return null;
  }
  let pass = true;
  if (c.maxRatio !== undefined) pass &&= ratio <= c.maxRatio;
  if (c.minThroughput !== undefined) pass &&= 1 / ratio >= c.minThroughput;
  if (c.maxTimeNs !== undefined) pass &&= p50 <= c.maxTimeNs;
  return pass;
}

function targetText(c: Comparison): string {
  const parts: string[] = [];
  if (c.maxRatio !== undefined) parts.push(`≤ ${c.maxRatio}x`);
  if (c.minThroughput !== undefined) parts.push(`≥ ${Math.round(c.minThroughput * 100)}%`);
  if (c.maxTimeNs !== undefined) parts.push(`≤ ${time(c.maxTimeNs)}`);
  return parts.join(', ');
}

function printTable(title: string, rows: readonly ComparisonResult[]): void {
  const withBytes = rows.some((r) => r.bytes !== undefined);
  const header = [
    'comparison',
    'time p50',
    'baseline p50',
    'ratio p50',
    'ratio avg',
    ...(withBytes ? ['GB/s', 'baseline GB/s'] : []),
    '% of baseline',
    'target',
    'result',
  ];
  const body = rows.map((r) => [
    r.label,
    time(r.subjectStats.p50),
    time(r.baselineStats.p50),
    `${r.ratio.toFixed(2)}x`,
    `${r.ratioAvg.toFixed(2)}x`,
    ...(withBytes ? [gbps(r.bytes, r.subjectStats.p50), gbps(r.bytes, r.baselineStats.p50)] : []),
    `${(100 / r.ratio).toFixed(0)}%`,
    targetText(r),
    r.pass === null ? '' : r.pass ? 'pass' : '**FAIL**',
  ]);
  const node = process.version;
  console.log(`\n### ${title} (node ${node}${flags.quick ? ', --quick' : ''})\n`);
  console.log(markdownTable(header, body));
  console.log(
    '\nratio = time ÷ baseline time (lower is better); % of baseline = baseline time ÷ time,' +
      ' i.e. throughput relative to the baseline; targets are judged on p50.',
  );
}

/** A markdown table with padded columns (text left, numbers right). */
export function markdownTable(header: readonly string[], body: readonly string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const numeric = header.map((_, i) => i > 0 && body.every((row) => /^[\d.,]/.test(row[i]!)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** A duration in nanoseconds, in ns, µs, ms or s with three or four significant digits. */
export function time(ns: number): string {
  const [value, unit] =
    ns < 1e3
      ? [ns, 'ns']
      : ns < 1e6
        ? [ns / 1e3, 'µs']
        : ns < 1e9
          ? [ns / 1e6, 'ms']
          : [ns / 1e9, 's'];
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${unit}`;
}

function gbps(bytes: number | undefined, ns: number): string {
  return bytes === undefined ? '' : (bytes / ns).toFixed(2);
}
