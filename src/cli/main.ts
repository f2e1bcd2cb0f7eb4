#!/usr/bin/env node
// The zxvm command: `zxvm <command> [options]`. This file is the package's bin entry (built to
// dist/cli/main.js); each subcommand lives in its own module.

import { readFileSync } from 'node:fs';

import { benchCommand } from './bench.ts';
import {
  type Command,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  type Io,
  processIo,
  UsageError,
} from './common.ts';
import { inspectCommand } from './inspect.ts';
import { runCommand } from './run.ts';
import { serveCommand } from './serve.ts';

const COMMANDS: readonly Command[] = [runCommand, benchCommand, inspectCommand, serveCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n');
  return `zxvm: the Zircon virtual-memory object system, in TypeScript

Usage: zxvm <command> [options]

Commands:
${list}
  ${'help'.padEnd(width)}show the help of a command: zxvm help run

Options:
  -h, --help     show this help
  -v, --version  print the version

Exit codes: 0 ok; 1 the scenario failed (threw, rejected, never finished, a check in it
failed); 2 usage error.

Run 'zxvm <command> --help' for the options of a command.
`;
}

function version(): string {
  // src/cli/ and dist/cli/ are both two levels below package.json.
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return String(pkg.version);
}

async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr.write(mainHelp());
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h') {
    io.stdout.write(mainHelp());
    return EXIT_OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`${version()}\n`);
    return EXIT_OK;
  }
  if (first === 'help') {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    if (rest.length === 0) io.stdout.write(mainHelp());
    else if (command === undefined) return usage(io, `no command '${rest[0]}'`, undefined);
    else io.stdout.write(command.help);
    return EXIT_OK;
  }
  const command = COMMANDS.find((c) => c.name === first);
  if (command === undefined) {
    const what = first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`;
    return usage(io, what, undefined);
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) return usage(io, error.message, command);
    throw error;
  }
}

function usage(io: Io, message: string, command: Command | undefined): number {
  const help = command === undefined ? 'zxvm --help' : `zxvm ${command.name} --help`;
  io.stderr.write(`${io.stderr.style.red(`zxvm: ${message}`)}\nsee '${help}'\n`);
  return EXIT_USAGE;
}

const io = processIo();
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    io.stderr.write(`zxvm: internal error: ${error instanceof Error ? error.stack : error}\n`);
    process.exitCode = EXIT_FAILED;
  },
);
