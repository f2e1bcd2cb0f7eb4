// `zxvm run <script>`: a scenario in a fresh kernel, with the syscalls, page faults and page
// requests traced as text or JSON Lines, and a summary at the end (syscalls made, errors
// returned, faults taken, memory as KMEM reports it).

import { Console } from 'node:console';
import { basename, extname } from 'node:path';
import { performance } from 'node:perf_hooks';

import { ZX_INFO_KMEM_STATS, ZX_OK } from '../abi/constants.ts';
import { decodeZxInfoKmemStats, ZX_INFO_KMEM_STATS_SIZE } from '../abi/structs.ts';
import { Kernel } from '../kernel.ts';
import type { Process } from '../process.ts';
import {
  formatSyscallEvent,
  formatTraceEvent,
  type SyscallEvent,
  type TraceEvent,
} from '../syscalls/index.ts';
import {
  type Command,
  type CommandLine,
  EXIT_FAILED,
  EXIT_OK,
  type Io,
  kernelFlags,
  type Output,
  parseCommandLine,
  stringOption,
  UsageError,
} from './common.ts';
import { loadScenario, ScenarioError, type ScenarioModule, scriptArgument } from './scenario.ts';

const HELP = `Usage: zxvm run <script.{js,mjs,ts}> [options]

Runs a scenario in a fresh kernel. A scenario is an ES module whose default export is
  (kernel, proc) => void | Promise<void>
and is called with a new Kernel and a process in it. It may also export 'options', kernel
options it wants (memoryBytes, seed) unless the flags below say otherwise. TypeScript
scenarios are loaded through tsx.

Options:
  --trace          print one strace-style line per syscall to stderr (an error with its
                   reason), and one per page fault and per page-request event
  --json           print one JSON object per event to stdout (JSON Lines), its kind
                   first: "syscall" (process, syscall, args, status, statusName,
                   reason when an error, outs), "fault" (process, address, access,
                   vmoKoid, vmoOffset, result, status, statusName, reason) or
                   "page_request" (action, command, pagerKoid, vmoKoid, offset,
                   length, status); the scenario's console output and the summary then
                   go to stderr
  --memory <size>  simulated physical memory, in bytes or with a unit: 64M, 1G
                   (default: the scenario's own, else 4G; untouched memory costs nothing)
  --seed <n>       seed of the handle values (the same seed gives the same values)
  -h, --help       show this help

At the end it prints a summary: syscalls made, errors returned, page faults taken and
page requests sent, and the memory that zx_object_get_info(ZX_INFO_KMEM_STATS) reports.

Exit codes: 0 the scenario returned; 1 it threw, rejected, never finished or could not
be loaded; 2 usage error.

Examples:
  zxvm run examples/snapshots.ts --trace
  zxvm run examples/cow-faults.ts --json --memory 64M
`;

interface Tally {
  syscalls: number;
  errors: Map<string, number>;
  /** Faults by result. */
  faults: Map<string, number>;
  pageRequests: number;
}

/** Counts `event` in the summary's tally. */
function count(tally: Tally, event: TraceEvent): void {
  if (event.kind === 'fault') {
    tally.faults.set(event.result, (tally.faults.get(event.result) ?? 0) + 1);
    return;
  }
  if (event.kind === 'page_request') {
    if (event.action === 'sent' && event.command !== 'COMPLETE') tally.pageRequests++;
    return;
  }
  tally.syscalls++;
  if (event.statusName !== '' && event.status !== ZX_OK) {
    tally.errors.set(event.statusName, (tally.errors.get(event.statusName) ?? 0) + 1);
  }
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run a scenario in a fresh kernel (--trace shows every syscall)',
  help: HELP,
  async run(args, io) {
    const line = parseCommandLine(args, {
      trace: { type: 'boolean' },
      json: { type: 'boolean' },
      memory: { type: 'string' },
      seed: { type: 'string' },
    });
    const { values, positionals } = line;
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    const { shown, path } = scriptArgument(positionals, io.cwd);
    const json = values.json === true;
    // With --json, stdout carries nothing but the syscall objects.
    const report = json ? io.stderr : io.stdout;

    const opened = await openScenario(path, line, io);
    if (typeof opened === 'number') return opened;
    const { scenario, kernel } = opened;

    const tally: Tally = { syscalls: 0, errors: new Map(), faults: new Map(), pageRequests: 0 };
    kernel.setTracer((event) => {
      count(tally, event);
      if (json) io.stdout.write(`${JSON.stringify(eventJson(event))}\n`);
      if (values.trace) io.stderr.write(`${traceLine(event, io.stderr)}\n`);
    });
    const proc = kernel.createProcess({ name: basename(shown, extname(shown)) });

    const started = performance.now();
    const outcome = await runScenario(() => scenario.run(kernel, proc), json, io);
    const elapsed = performance.now() - started;
    kernel.setTracer(null);

    if (outcome.kind === 'threw') printError(io.stderr, 'the scenario threw', outcome.error);
    printSummary(report, shown, outcome.kind === 'returned', elapsed, tally, kernel, proc);
    return outcome.kind === 'returned' ? EXIT_OK : EXIT_FAILED;
  },
};

type Outcome = { kind: 'returned' } | { kind: 'threw'; error: unknown };

/**
 * Calls the scenario and waits for it. A scenario awaiting something that nothing will settle
 * would let Node exit silently with status 0 (this promise never settles either); beforeExit
 * catches that and makes it a failure.
 */
export async function runScenario(call: () => unknown, json: boolean, io: Io): Promise<Outcome> {
  const savedConsole = globalThis.console;
  if (json) globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  let settled = false;
  const onBeforeExit = () => {
    if (settled) return;
    globalThis.console = savedConsole;
    io.stderr.write(
      `${io.stderr.style.red('zxvm: the scenario never finished')}: it awaits a promise that ` +
        'nothing settles (a wait that no thread, signal or clock will end?)\n',
    );
    process.exitCode = EXIT_FAILED;
  };
  process.once('beforeExit', onBeforeExit);
  try {
    await call();
    return { kind: 'returned' };
  } catch (error) {
    return { kind: 'threw', error };
  } finally {
    settled = true;
    process.off('beforeExit', onBeforeExit);
    globalThis.console = savedConsole;
  }
}

/**
 * The event as one JSON object; a syscall's arguments and outs become objects keyed by their C
 * names. Fault and page-request events are JSON-safe as they are.
 */
export function eventJson(event: TraceEvent) {
  if (event.kind !== 'syscall') return event;
  return {
    kind: event.kind,
    process: event.process,
    syscall: event.syscall,
    args: Object.fromEntries(event.args),
    status: event.status,
    statusName: event.statusName,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    outs: Object.fromEntries(event.outs),
  };
}

/**
 * formatTraceEvent's line; a syscall's status in green (ZX_OK) or red (an error), faults and
 * page requests dim but for a failure, in red.
 */
function traceLine(event: TraceEvent, out: Output): string {
  if (event.kind !== 'syscall') {
    const line = formatTraceEvent(event);
    if (!out.style.enabled) return line;
    const failed = event.kind === 'fault' ? event.result === 'failed' : event.action === 'failed';
    return failed ? out.style.red(line) : out.style.dim(line);
  }
  return syscallLine(event, out);
}

function syscallLine(event: SyscallEvent, out: Output): string {
  const line = formatSyscallEvent(event);
  const marker = ` = ${event.statusName}`;
  const at = line.lastIndexOf(marker);
  if (!out.style.enabled || event.statusName === '' || at < 0) return line;
  const paint = event.status === ZX_OK ? out.style.green : out.style.red;
  const head = line.slice(0, at);
  const prefixEnd = head.startsWith('[') ? head.indexOf('] ') + 1 : 0;
  const prefix = prefixEnd > 0 ? out.style.dim(head.slice(0, prefixEnd)) : '';
  const rest = line.slice(at + marker.length);
  return `${prefix}${head.slice(prefixEnd)} = ${paint(event.statusName)}${rest}`;
}

/**
 * Loads the scenario at `path` and makes its kernel (its own options, then the command line's
 * --memory and --seed); or the exit code, with the error printed, when either fails.
 */
export async function openScenario(
  path: string,
  line: CommandLine,
  io: Io,
): Promise<{ scenario: ScenarioModule; kernel: Kernel } | number> {
  let scenario: ScenarioModule;
  try {
    scenario = await loadScenario(path);
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    printError(io.stderr, error.message, error.cause);
    return EXIT_FAILED;
  }
  const flags = kernelFlags(line);
  try {
    return { scenario, kernel: new Kernel({ ...scenario.options, ...flags }) };
  } catch (error) {
    if (error instanceof RangeError && flags.memoryBytes !== undefined) {
      throw new UsageError(`--memory ${stringOption(line, 'memory')}: ${error.message}`);
    }
    printError(io.stderr, 'the kernel options are not usable', error);
    return EXIT_FAILED;
  }
}

export function printError(out: Output, what: string, error: unknown): void {
  const detail =
    error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  out.write(`${out.style.red(`zxvm: ${what}`)}${error === undefined ? '' : `:\n${detail}`}\n`);
}

function printSummary(
  out: Output,
  script: string,
  returned: boolean,
  elapsedMs: number,
  tally: Tally,
  kernel: Kernel,
  proc: Process,
): void {
  const s = out.style;
  const verdict = returned ? s.green('ok') : s.red('failed');
  const errorCount = [...tally.errors.values()].reduce((a, b) => a + b, 0);
  const byStatus = [...tally.errors].map(([name, n]) => `${name} ×${n}`).join(', ');
  const errors =
    errorCount === 0 ? 'no error returned' : `${errorCount} returned an error (${s.red(byStatus)})`;
  out.write(`\n${s.bold(`zxvm run ${script}`)}: ${verdict} in ${elapsedMs.toFixed(1)} ms\n`);
  out.write(`  syscalls  ${tally.syscalls} made, ${errors}\n`);
  const faults = [...tally.faults.values()].reduce((a, b) => a + b, 0);
  if (faults > 0 || tally.pageRequests > 0) {
    const byResult = [...tally.faults].map(([result, n]) => `${result} ×${n}`).join(', ');
    const requests = `${tally.pageRequests} page request${tally.pageRequests === 1 ? '' : 's'} sent`;
    out.write(`  faults    ${faults} taken${faults > 0 ? ` (${byResult})` : ''}, ${requests}\n`);
  }
  out.write(`  memory    ${memoryLine(kernel, proc)}\n`);
}

/** What the kernel says about its memory, asked through the syscalls as any program would. */
function memoryLine(kernel: Kernel, proc: Process): string {
  const resource = kernel.grantSystemResource(proc);
  const bytes = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
  const status = proc.syscalls.zx_object_get_info(
    resource,
    ZX_INFO_KMEM_STATS,
    bytes,
    bytes.length,
    null,
    null,
  );
  proc.syscalls.zx_handle_close(resource);
  if (status !== ZX_OK) return `(KMEM stats unavailable: status ${status})`;
  const kmem = decodeZxInfoKmemStats(bytes);
  return `${kib(kmem.free_bytes)} free of ${kib(kmem.total_bytes)} KiB, VMOs hold ${kib(kmem.vmo_bytes)} KiB`;
}

/** Bytes as exact KiB with thousands separators, the unit pages add up in: `65,532`. */
export function kib(bytes: bigint): string {
  return (bytes / 1024n).toLocaleString('en-US');
}
