// `zxvm inspect <script>`: runs a scenario like `zxvm run`, then prints what the kernel holds
// (kernel.inspect()) at each point where the scenario called kernel.inspect(label), and at the
// end: processes and handle tables, copy-on-write trees with hidden nodes and page runs, the
// attribution table, address spaces and physical memory. --json prints the snapshots instead.

import { basename, extname } from 'node:path';

import type { KernelSnapshot } from '../inspect.ts';
import { type Command, EXIT_FAILED, EXIT_OK, parseCommandLine } from './common.ts';
import { snapshotText } from './inspect-text.ts';
import { openScenario, printError, runScenario } from './run.ts';
import { scriptArgument } from './scenario.ts';

const HELP = `Usage: zxvm inspect <script.{js,mjs,ts}> [options]

Runs a scenario in a fresh kernel (as 'zxvm run' does) and shows what the kernel holds:
jobs, processes and their handle tables; every copy-on-write tree with its hidden nodes
and each node's pages as runs (frames, zero markers, pages seen in an ancestor, share
counts); each VMO's attribution as ZX_INFO_VMO reports it; address spaces with their
VMARs, mappings and page-table entries; physical memory as ZX_INFO_KMEM_STATS reports it.

It shows the kernel at every point where the scenario calls kernel.inspect(label), then
at the end. The snapshot format is described in docs/inspect.md.

Options:
  --json           print the snapshots as JSON, one per line (JSON Lines); the
                   scenario's console output then goes to stderr
  --final          show only the state at the end
  --memory <size>  simulated physical memory (64M, 1G; default: the scenario's own, else 4G)
  --seed <n>       seed of the handle values
  -h, --help       show this help

Colour on terminals, plain text in pipes (NO_COLOR and FORCE_COLOR are honoured).

Exit codes: 0 the scenario returned; 1 it threw, rejected, never finished or could not
be loaded (the states it reached are still shown); 2 usage error.

Examples:
  zxvm inspect examples/snapshots.ts
  zxvm inspect examples/cow-faults.ts --json | jq '.vmos[].info.committed_bytes'
`;

export const inspectCommand: Command = {
  name: 'inspect',
  summary: "show the kernel's objects, trees and memory during and after a scenario",
  help: HELP,
  async run(args, io) {
    const line = parseCommandLine(args, {
      json: { type: 'boolean' },
      final: { type: 'boolean' },
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

    const opened = await openScenario(path, line, io);
    if (typeof opened === 'number') return opened;
    const { scenario, kernel } = opened;
    // Every snapshot the scenario takes is kept (and still returned to it).
    const taken: KernelSnapshot[] = [];
    const inspect = kernel.inspect.bind(kernel);
    kernel.inspect = (label?: string) => {
      const snapshot = inspect(label);
      taken.push(snapshot);
      return snapshot;
    };
    const proc = kernel.createProcess({ name: basename(shown, extname(shown)) });
    const outcome = await runScenario(() => scenario.run(kernel, proc), json, io);
    const final = inspect(outcome.kind === 'returned' ? 'end' : 'where it failed');
    const snapshots = values.final === true ? [final] : [...taken, final];

    if (outcome.kind === 'threw') printError(io.stderr, 'the scenario threw', outcome.error);
    snapshots.forEach((snapshot, i) => {
      if (json) {
        io.stdout.write(`${JSON.stringify(snapshot)}\n`);
        return;
      }
      const label = snapshot.label === null ? `kernel.inspect() #${i + 1}` : snapshot.label;
      const title = `${shown}: ${label} (${i + 1} of ${snapshots.length})`;
      io.stdout.write(`${i > 0 ? '\n' : ''}${snapshotText(snapshot, title, io.stdout.style)}`);
    });
    return outcome.kind === 'returned' ? EXIT_OK : EXIT_FAILED;
  },
};
