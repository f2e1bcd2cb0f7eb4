// `zxvm inspect` and `zxvm serve`: registered with their help so that the command's shape is
// settled, but they need kernel.inspect() (issue 11 part 1) and say so instead of faking output.

import { type Command, EXIT_OK, EXIT_UNAVAILABLE, parseCommandLine, UsageError } from './common.ts';

const NOT_YET = 'not available yet: needs kernel.inspect() (issue 11 part 1)';

const SERVE_HELP = `Usage: zxvm serve <script.{js,mjs,ts}> [--port <n>]

Serves the inspector page on http://127.0.0.1 for a scenario, to step through its
syscalls and see the kernel's objects change.

${NOT_YET}; it exits with code 3 until then. Meanwhile 'npm run build:inspector' builds
the page that runs the example scenarios in the browser and shows their trace.

Options:
  --port <n>  port on 127.0.0.1 (default: any free port)
  -h, --help  show this help
`;

function pending(name: string, summary: string, help: string, withPort: boolean): Command {
  return {
    name,
    summary,
    help,
    async run(args, io) {
      const { values, positionals } = parseCommandLine(
        args,
        withPort ? { port: { type: 'string' } } : {},
      );
      if (values.help) {
        io.stdout.write(help);
        return EXIT_OK;
      }
      if (positionals.length !== 1) throw new UsageError('which script?');
      io.stderr.write(`zxvm ${name}: ${NOT_YET}\n`);
      return EXIT_UNAVAILABLE;
    },
  };
}

export const serveCommand = pending(
  'serve',
  'serve the inspector page for a scenario (not available yet)',
  SERVE_HELP,
  true,
);
