// The scenarios the page offers. This file is what type checking sees; the build
// (src/cli/inspector-build.ts) replaces it with the same list plus each scenario's source for
// the editor, and the scenario `zxvm serve` was given, preselected.

import * as cowFaults from '../examples/cow-faults.ts';
import * as discardablePressure from '../examples/discardable-pressure.ts';
import * as pagerFile from '../examples/pager-file.ts';
import * as sliceInMapping from '../examples/slice-in-mapping.ts';
import * as snapshots from '../examples/snapshots.ts';
import type { Kernel, KernelOptions, Process } from '../src/index.ts';

export interface ScenarioModule {
  default: (kernel: Kernel, proc: Process) => void | Promise<void>;
  description?: string;
  options?: KernelOptions;
}

export interface BuiltScenario {
  readonly name: string;
  readonly module: ScenarioModule;
  /** The source as JavaScript for the editor, importing the kernel from 'zxvm'. */
  readonly source: string;
}

export const SCENARIOS: readonly BuiltScenario[] = [
  { name: 'snapshots', module: snapshots, source: '' },
  { name: 'slice-in-mapping', module: sliceInMapping, source: '' },
  { name: 'cow-faults', module: cowFaults, source: '' },
  { name: 'discardable-pressure', module: discardablePressure, source: '' },
  { name: 'pager-file', module: pagerFile, source: '' },
];

/** The scenario to select when the page opens (zxvm serve's), or null. */
export const PRESELECTED: string | null = null;
