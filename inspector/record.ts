// Running a scenario for stepping: the kernel runs it to the end once, with a tracer that takes
// kernel.inspect() after every syscall, page fault and page-request event, so that the step controls only move through recorded
// states (inspect() never changes the kernel, so recording changes nothing the scenario sees).
// A scenario comes as its built module or, once edited, as the editor's JavaScript, loaded as
// a module whose `import ... from 'zxvm'` gets the kernel this page runs.

import type { KernelSnapshot, TraceEvent } from '../src/index.ts';
import * as zxvm from '../src/index.ts';
import type { ScenarioModule } from './scenarios.ts';

/**
 * One state of the kernel: at the start, after a syscall, a fault or a page-request event, or
 * where the scenario inspected it.
 */
export interface Step {
  /** The event that led here; null for the start and for the scenario's inspect() points. */
  readonly event: TraceEvent | null;
  /** The number of syscalls made up to here. */
  readonly syscalls: number;
  /** The number of events (syscalls, faults, page-request events) up to here. */
  readonly events: number;
  readonly snapshot: KernelSnapshot;
  /** "start", or the label the scenario gave kernel.inspect(); null after a syscall. */
  readonly label: string | null;
}

export interface Recording {
  readonly steps: Step[];
  /** What the scenario threw or rejected with, if it did. */
  readonly failure: unknown;
  /** What it printed with console.log. */
  readonly output: string;
}

/**
 * The editor's code as a module: imports from 'zxvm' become reads of the kernel module this
 * page carries (`import { a as b } from 'zxvm'` becomes `const { a: b } = ...`).
 */
export async function moduleFromSource(source: string): Promise<ScenarioModule> {
  const host = globalThis as { __zxvm?: typeof zxvm };
  host.__zxvm = zxvm;
  const code = source.replace(
    /import\s*(type\s+)?\{([^}]*)\}\s*from\s*['"]zxvm['"];?/g,
    (_all, typeOnly: string | undefined, names: string) => {
      if (typeOnly !== undefined) return '';
      const fields = names
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '' && !name.startsWith('type '))
        .map((name) => name.replace(/\s+as\s+/, ': '));
      return `const { ${fields.join(', ')} } = globalThis.__zxvm;`;
    },
  );
  const url = URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
  try {
    const module = (await import(/* @vite-ignore */ url)) as ScenarioModule;
    if (typeof module.default !== 'function') {
      throw new TypeError('the scenario has no default export of a function (kernel, proc)');
    }
    return module;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Runs `scenario` in a fresh kernel named `name`, recording a state after every event. */
export async function record(name: string, scenario: ScenarioModule): Promise<Recording> {
  const steps: Step[] = [];
  let syscalls = 0;
  let events = 0;
  const tracer = (event: TraceEvent) => {
    if (event.kind === 'syscall') syscalls++;
    events++;
    steps.push({ event, syscalls, events, snapshot: inspect(), label: null });
  };
  const kernel = new zxvm.Kernel({ ...scenario.options, tracer });
  const inspect = kernel.inspect.bind(kernel);
  // The scenario's own inspect() points are steps too: loads and stores since the last
  // syscall may have changed the kernel.
  kernel.inspect = (label?: string) => {
    const snapshot = inspect(label);
    steps.push({ event: null, syscalls, events, snapshot, label: label ?? 'kernel.inspect()' });
    return snapshot;
  };
  const proc = kernel.createProcess({ name });
  steps.push({ event: null, syscalls: 0, events: 0, snapshot: inspect('start'), label: 'start' });

  let output = '';
  const original = console.log;
  console.log = (...args: unknown[]) => {
    output += `${args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ')}\n`;
    original.apply(console, args);
  };
  let failure: unknown;
  try {
    await scenario.default(kernel, proc);
  } catch (error) {
    failure = error ?? new Error('the scenario threw');
  } finally {
    console.log = original;
  }
  return { steps, failure, output };
}
