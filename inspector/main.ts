/// <reference lib="dom" />
// The inspector page, for now: the kernel itself runs in the browser (bundled from src/ by
// scripts/build-inspector.ts), and the page runs an example scenario with the tracer on and
// shows each syscall in a table. Plain DOM, no framework; the controls are a native form, so
// they work from the keyboard as they are.

import * as cowFaults from '../examples/cow-faults.ts';
import * as discardablePressure from '../examples/discardable-pressure.ts';
import * as sliceInMapping from '../examples/slice-in-mapping.ts';
import * as snapshots from '../examples/snapshots.ts';
import { Kernel, type KernelOptions, type Process, type SyscallEvent } from '../src/index.ts';

interface ScenarioModule {
  default: (kernel: Kernel, proc: Process) => void | Promise<void>;
  description: string;
  options?: KernelOptions;
}

const SCENARIOS: Record<string, ScenarioModule> = {
  snapshots,
  'slice-in-mapping': sliceInMapping,
  'cow-faults': cowFaults,
  'discardable-pressure': discardablePressure,
};

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

const app = element<HTMLElement>('app');
const form = element<HTMLFormElement>('controls');
const select = element<HTMLSelectElement>('scenario');
const button = element<HTMLButtonElement>('run');
const description = element<HTMLParagraphElement>('description');
const status = element<HTMLParagraphElement>('status');
const caption = element<HTMLTableCaptionElement>('trace-caption');
const body = element<HTMLTableElement>('trace').tBodies[0]!;
const output = element<HTMLPreElement>('output');

function cell(row: HTMLTableRowElement, className: string, text: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.className = className;
  td.textContent = text;
  return td;
}

function addRow(index: number, event: SyscallEvent): void {
  const row = body.insertRow();
  cell(row, 'n', String(index));
  cell(row, 'call', event.syscall);
  cell(row, 'args', event.args.map(([name, text]) => `${name}=${text}`).join(', '));
  const result = event.statusName === '' ? String(event.status) : event.statusName;
  const badge = document.createElement('span');
  badge.className = event.status === 0 || event.statusName === '' ? 'ok' : 'error';
  badge.textContent = result;
  // Why it failed, on hover (the traced scenario explains its errors).
  if (event.reason !== undefined) badge.title = event.reason;
  cell(row, 'status', '').append(badge);
  cell(row, 'outs', event.outs.map(([name, text]) => `${name}=${text}`).join(' '));
}

/** What the scenario prints goes to the Output box (and still to the console). */
function captureConsole(): () => void {
  const original = console.log;
  console.log = (...args: unknown[]) => {
    output.textContent += `${args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ')}\n`;
    original.apply(console, args);
  };
  return () => {
    console.log = original;
  };
}

async function run(name: string): Promise<void> {
  const scenario = SCENARIOS[name];
  if (scenario === undefined) return;
  button.disabled = true;
  app.dataset.state = 'running';
  status.className = '';
  status.textContent = `Running ${name}…`;
  body.replaceChildren();
  output.textContent = '';
  const events: SyscallEvent[] = [];
  const kernel = new Kernel({ ...scenario.options, tracer: (event) => events.push(event) });
  const restore = captureConsole();
  let failure: unknown;
  try {
    await scenario.default(kernel, kernel.createProcess({ name }));
  } catch (error) {
    failure = error;
  } finally {
    restore();
  }
  events.forEach((event, i) => {
    addRow(i + 1, event);
  });
  const errors = events.filter((e) => e.statusName !== '' && e.status !== 0).length;
  caption.textContent = `Every syscall that ${name} made, in order.`;
  if (failure === undefined) {
    status.textContent = `${name} finished: ${events.length} syscalls, ${errors} returned an error.`;
    app.dataset.state = 'done';
  } else {
    status.className = 'failed';
    status.textContent = `${name} threw: ${failure instanceof Error ? failure.message : failure}`;
    app.dataset.state = 'failed';
  }
  button.disabled = false;
}

for (const name of Object.keys(SCENARIOS)) select.add(new Option(name, name));
const fromHash = decodeURIComponent(location.hash.slice(1));
if (fromHash in SCENARIOS) select.value = fromHash;
const describe = () => {
  description.textContent = SCENARIOS[select.value]?.description ?? '';
};
select.addEventListener('change', describe);
describe();
form.addEventListener('submit', (event) => {
  event.preventDefault();
  history.replaceState(null, '', `#${select.value}`);
  void run(select.value);
});
status.textContent = 'Ready: pick a scenario and press Run.';
app.dataset.state = 'ready';
