// `zxvm serve <script>`: builds the inspector page with the scenario in it, selected, and
// serves it from 127.0.0.1 until Ctrl-C. The page runs the kernel itself; the server only hands
// out the built files.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';

import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  type Io,
  parseCommandLine,
  stringOption,
  UsageError,
} from './common.ts';
import { buildInspector, inspectorSourcesPresent } from './inspector-build.ts';
import { printError } from './run.ts';
import { scriptArgument } from './scenario.ts';

const HELP = `Usage: zxvm serve <script.{js,mjs,ts}> [--port <n>]

Builds the inspector page with the scenario selected and serves it on 127.0.0.1. Open
the URL it prints: the kernel runs in the page, which records the scenario with
kernel.inspect() after every syscall; step through it (buttons, or the arrow keys) and
see the copy-on-write trees, each VMO's attribution, the address spaces and page tables,
physical memory and the syscall trace change. The example scenarios are there too, and
the code of each can be edited and run again. Ctrl-C stops the server.

The scenario is bundled for the browser: it may import 'zxvm' and its own modules, but
nothing from node:.

Options:
  --port <n>  port on 127.0.0.1 (default: any free port)
  -h, --help  show this help

Exit codes: 0 served until stopped; 1 the page could not be built or the port not
opened; 2 usage error.
`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--port wants a port number from 0 to 65535, not '${text}'`);
  }
  return port;
}

/** Serves `dir` on 127.0.0.1:`port` until SIGINT or SIGTERM; resolves with the exit code. */
function serveUntilStopped(dir: string, port: number, first: string, io: Io): Promise<number> {
  const server = createServer((request, response) => {
    let path: string;
    try {
      path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    } catch {
      response.writeHead(400).end();
      return;
    }
    const file = join(dir, path === '/' ? 'index.html' : path);
    const type = TYPES[extname(file)];
    if (!file.startsWith(dir) || type === undefined) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(file);
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.stderr.write('zxvm serve: stopped\n');
      server.closeAllConnections();
      server.close(() => done(EXIT_OK));
    };
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? `port ${port} is in use` : error.message;
      io.stderr.write(`${io.stderr.style.red(`zxvm serve: ${why}`)}\n`);
      done(EXIT_FAILED);
    });
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${bound}/#${encodeURIComponent(first)}`;
      io.stdout.write(`${io.stdout.style.bold('zxvm inspector')}: ${url}\n`);
      io.stderr.write('Ctrl-C stops the server.\n');
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the inspector page for a scenario, to step through it in a browser',
  help: HELP,
  async run(args, io) {
    const line = parseCommandLine(args, { port: { type: 'string' } });
    const { values, positionals } = line;
    if (values.help) {
      io.stdout.write(HELP);
      return EXIT_OK;
    }
    const { shown, path } = scriptArgument(positionals, io.cwd);
    const port = parsePort(stringOption(line, 'port'));
    if (!inspectorSourcesPresent()) {
      io.stderr.write(
        `${io.stderr.style.red('zxvm serve: the inspector sources (inspector/, src/) are not installed')}\n`,
      );
      return EXIT_FAILED;
    }
    const dir = mkdtempSync(join(tmpdir(), 'zxvm-serve-'));
    try {
      let built: Awaited<ReturnType<typeof buildInspector>>;
      try {
        built = await buildInspector(dir, { scenario: path });
      } catch (error) {
        printError(io.stderr, `the page could not be built with ${shown}`, error);
        return EXIT_FAILED;
      }
      return await serveUntilStopped(dir, port, built.preselected ?? '', io);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
