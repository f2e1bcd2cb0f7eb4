// What every subcommand shares: the streams it writes to, its exit codes, usage errors, and
// parseArgs with the errors turned into usage errors.

import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { KernelOptions } from '../kernel.ts';

import { colourWanted, makeStyle, type Style } from './style.ts';

/** Exit codes that scripts can rely on. */
export const EXIT_OK = 0;
/** The scenario threw or rejected, failed to load, or a check in it failed. */
export const EXIT_FAILED = 1;
/** The command line was wrong: unknown command or option, missing or bad argument. */
export const EXIT_USAGE = 2;

export interface Output {
  write(text: string): void;
  readonly style: Style;
}

/** The process around a subcommand; tests and other hosts can pass their own. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): Io {
  const out = (stream: NodeJS.WriteStream): Output => {
    // A reader that went away (`zxvm run ... | head`) ends the command quietly.
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(process.exitCode ?? 0);
    });
    return {
      write: (text) => {
        stream.write(text);
      },
      style: makeStyle(colourWanted(stream, process.env)),
    };
  };
  return {
    stdout: out(process.stdout),
    stderr: out(process.stderr),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** A mistake on the command line: reported with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The full --help text. */
  readonly help: string;
  run(args: string[], io: Io): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandLine {
  /** Options by name: true for a boolean flag given, the text for a string option. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: string[];
}

/** parseArgs in strict mode with `--help`/`-h` added; its errors become usage errors. */
export function parseCommandLine(args: string[], options: Options): CommandLine {
  try {
    const { values, positionals } = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as CommandLine['values'], positionals };
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The text of a string option (parseArgs in strict mode guarantees the type). */
export function stringOption(line: CommandLine, name: string): string | undefined {
  const value = line.values[name];
  return typeof value === 'string' ? value : undefined;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** `65536`, `64K`, `64M`, `1G`, `1GiB`: binary units, as the kernel's page-based sizes are. */
export function parseBytes(text: string, flag: string): number {
  const match = /^(\d+)\s*([kmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (match === null) {
    throw new UsageError(`${flag} wants a size such as 65536, 64M or 1G, not '${text}'`);
  }
  const bytes = Number(match[1]) * UNITS[match[2]!.toLowerCase()]!;
  if (!Number.isSafeInteger(bytes)) throw new UsageError(`${flag} ${text} is too large`);
  return bytes;
}

export function parseUint32(text: string, flag: string): number {
  const n = /^\d+$/.test(text) ? Number(text) : /^0x[\da-f]+$/i.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n > 0xffff_ffff) {
    throw new UsageError(`${flag} wants an integer from 0 to 4294967295, not '${text}'`);
  }
  return n;
}

/** The kernel options every scenario command takes: --memory and --seed. */
export function kernelFlags(line: CommandLine): KernelOptions {
  const memory = stringOption(line, 'memory');
  const seed = stringOption(line, 'seed');
  const flags: KernelOptions = {};
  if (memory !== undefined) flags.memoryBytes = parseBytes(memory, '--memory');
  if (seed !== undefined) flags.seed = parseUint32(seed, '--seed');
  return flags;
}
