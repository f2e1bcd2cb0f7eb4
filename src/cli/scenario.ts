// Loading a scenario: an ES module whose default export is `(kernel, proc) => void | Promise`,
// optionally with `options`, the kernel options it wants unless the command line overrides them.
// TypeScript scenarios go through tsx's ESM API, so the installed command runs them too.

import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Kernel, KernelOptions } from '../kernel.ts';
import type { Process } from '../process.ts';
import { UsageError } from './common.ts';

export type Scenario = (kernel: Kernel, proc: Process) => void | Promise<void>;

export interface ScenarioModule {
  readonly run: Scenario;
  readonly options: KernelOptions;
}

/** A scenario that cannot be used: it failed to load or has the wrong shape (exit code 1). */
export class ScenarioError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ScenarioError';
  }
}

export const SCRIPT_EXTENSIONS = ['.js', '.mjs', '.ts', '.mts'];

/** Checks the path before anything is loaded, so a typo is a usage error. */
export function checkScriptPath(path: string, shown: string): void {
  if (!SCRIPT_EXTENSIONS.includes(extname(path))) {
    throw new UsageError(`${shown}: a scenario is a .js, .mjs or .ts file`);
  }
  if (!existsSync(path)) throw new UsageError(`${shown}: no such file`);
}

export async function loadScenario(path: string): Promise<ScenarioModule> {
  const url = pathToFileURL(path).href;
  let module: Record<string, unknown>;
  try {
    if (path.endsWith('ts')) {
      // Loaded lazily: plain JavaScript scenarios never need tsx.
      const { tsImport } = await import('tsx/esm/api');
      module = await tsImport(url, import.meta.url);
    } else {
      module = await import(url);
    }
  } catch (error) {
    throw new ScenarioError(`could not load ${path}`, { cause: error });
  }
  const run = module.default;
  if (typeof run !== 'function') {
    throw new ScenarioError(
      `${path} has no default export of a function (kernel, proc) => void | Promise<void>`,
    );
  }
  const options = module.options ?? {};
  if (typeof options !== 'object' || options === null) {
    throw new ScenarioError(`${path}: 'options' must be an object of kernel options`);
  }
  return { run: run as Scenario, options: options as KernelOptions };
}

/** The one script a command takes: how the user wrote it, and its checked path. */
export function scriptArgument(
  positionals: string[],
  cwd: string,
): { shown: string; path: string } {
  if (positionals.length !== 1) {
    throw new UsageError(positionals.length === 0 ? 'which script?' : 'one script at a time');
  }
  const shown = positionals[0]!;
  const path = resolve(cwd, shown);
  checkScriptPath(path, shown);
  return { shown, path };
}
