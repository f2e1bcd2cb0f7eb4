// `zxvm bench`: the benchmarks of bench/, through bench/run.ts (one node process per script).
// They are TypeScript beside the sources, so they exist in a checkout of the repository only.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { type Command, EXIT_FAILED, EXIT_OK, parseCommandLine } from './common.ts';

const HELP = `Usage: zxvm bench [names...] [options]

Runs the benchmarks (bench/*.bench.ts, mitata), each in its own node process, and prints
for each comparison the time against its baseline and whether it meets its target. Names
select the scripts whose file name contains one of them (vmo-io, clone, map). Progress
([1/3] ..., elapsed time) is printed as the scripts run; a full run takes minutes.

The benchmarks live in the repository beside the sources: run this from a checkout.

Options:
  --quick     short measurements (seconds instead of minutes)
  --check     exit 1 when a comparison misses its target
  -h, --help  show this help

Exit codes: 0 every script ran (and met its targets, with --check); 1 a script failed;
2 usage error (unknown option, or no script matches a name).

Examples:
  zxvm bench --quick
  zxvm bench vmo-io clone
`;

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmarks (from a checkout of the repository)',
  help: HELP,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      quick: { type: 'boolean' },
      check: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    // src/cli/ and dist/cli/ are both two levels below the package root.
    const runner = fileURLToPath(new URL('../../bench/run.ts', import.meta.url));
    if (!existsSync(runner)) {
      io.stderr.write(
        `${io.stderr.style.red('zxvm bench')}: no ${runner}; the benchmarks come with a ` +
          'checkout of the zxvm repository, not with the installed package\n',
      );
      return EXIT_FAILED;
    }
    const flags = [values.quick ? '--quick' : [], values.check ? '--check' : []].flat();
    // tsx resolved from here, so that the command works from any directory.
    const tsx = import.meta.resolve('tsx');
    const child = spawn(process.execPath, ['--import', tsx, runner, ...positionals, ...flags], {
      stdio: 'inherit',
      cwd: io.cwd,
    });
    return await new Promise<number>((done) => {
      child.on('error', (error) => {
        io.stderr.write(`zxvm bench: ${error.message}\n`);
        done(EXIT_FAILED);
      });
      child.on('exit', (code, signal) => done(code ?? (signal === null ? EXIT_FAILED : 128)));
    });
  },
};
