/// <reference lib="dom" />
// The inspector page: the kernel runs in the browser (bundled from src/ by
// src/cli/inspector-build.ts). Pick a scenario (or edit its code), run it, and step through
// it: the run records kernel.inspect() after every syscall (record.ts), and the step controls
// move through those states while the views redraw: the copy-on-write trees as a graph, each
// VMO's attribution, the handle tables, address spaces and page tables, physical memory, the
// pagers with their page requests, and the trace (syscalls, page faults and page-request
// events). Plain DOM, native controls, arrow keys for steps.

import type { TraceEvent } from '../src/index.ts';
import { moduleFromSource, type Recording, record } from './record.ts';
import { type BuiltScenario, PRESELECTED, SCENARIOS } from './scenarios.ts';
import { pagersView } from './views/pagers.ts';
import { aspaceView, attributionTable, handlesTable, memoryView } from './views/tables.ts';
import { traceRow } from './views/trace.ts';
import { drawTree } from './views/tree.ts';

function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

const app = byId<HTMLElement>('app');
const form = byId<HTMLFormElement>('controls');
const select = byId<HTMLSelectElement>('scenario');
const runButton = byId<HTMLButtonElement>('run');
const description = byId<HTMLParagraphElement>('description');
const editor = byId<HTMLTextAreaElement>('editor');
const status = byId<HTMLParagraphElement>('status');
const stepper = byId<HTMLElement>('steps');
const stepLabel = byId<HTMLElement>('step-label');
const slider = byId<HTMLInputElement>('step-slider');
const buttons = {
  first: byId<HTMLButtonElement>('step-first'),
  prev: byId<HTMLButtonElement>('step-prev'),
  next: byId<HTMLButtonElement>('step-next'),
  last: byId<HTMLButtonElement>('step-last'),
};
const caption = byId<HTMLTableCaptionElement>('trace-caption');
const traceBody = byId<HTMLTableElement>('trace').tBodies[0]!;
const output = byId<HTMLPreElement>('output');
const views = {
  tree: byId<HTMLElement>('tree'),
  attribution: byId<HTMLElement>('attribution-view'),
  handles: byId<HTMLElement>('handles-view'),
  aspaces: byId<HTMLElement>('aspaces-view'),
  memory: byId<HTMLElement>('memory-view'),
  pagers: byId<HTMLElement>('pagers-view'),
};

let recording: Recording | null = null;
let current = 0;

function scenarioNamed(name: string): BuiltScenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

function cell(row: HTMLTableRowElement, className: string, text: string): HTMLTableCellElement {
  const td = row.insertCell();
  td.className = className;
  td.textContent = text;
  return td;
}

function addTraceRow(index: number, event: TraceEvent): void {
  const shown = traceRow(event);
  const row = traceBody.insertRow();
  row.dataset.event = String(index);
  row.className = shown.kind;
  cell(row, 'n', String(index));
  cell(row, 'call', shown.call);
  cell(row, 'args', shown.args);
  const badge = document.createElement('span');
  badge.className = shown.error ? 'error' : 'ok';
  badge.textContent = shown.result;
  // Why it failed, on hover (the traced scenario explains its errors).
  if (shown.reason !== null) badge.title = shown.reason;
  cell(row, 'status', '').append(badge);
  cell(row, 'outs', shown.outs);
  row.addEventListener('click', () => {
    const at = recording?.steps.findIndex((s) => s.event === event) ?? -1;
    if (at >= 0) show(at);
  });
}

/** What a step is, in words. */
function describeStep(index: number): string {
  const step = recording!.steps[index]!;
  const where = `Step ${index} of ${recording!.steps.length - 1}`;
  if (step.event === null) {
    return step.label === 'start'
      ? `${where}: the start, before any syscall`
      : `${where}: the scenario's kernel.inspect(“${step.label}”) after ${step.syscalls} syscalls`;
  }
  const e = step.event;
  const shown = traceRow(e);
  if (e.kind !== 'syscall') return `${where}: ${shown.call} ${shown.args}: ${shown.result}`;
  return `${where}: syscall ${step.syscalls}, ${shown.call} = ${shown.result}`;
}

/** Redraws every view for step `index`. */
function show(index: number): void {
  if (recording === null) return;
  const last = recording.steps.length - 1;
  current = Math.max(0, Math.min(last, index));
  const step = recording.steps[current]!;
  const snapshot = step.snapshot;
  stepper.dataset.step = String(current);
  stepper.dataset.steps = String(last);
  slider.max = String(last);
  slider.value = String(current);
  slider.setAttribute('aria-valuetext', describeStep(current));
  stepLabel.textContent = describeStep(current);
  buttons.first.disabled = buttons.prev.disabled = current === 0;
  buttons.next.disabled = buttons.last.disabled = current === last;
  drawTree(views.tree, snapshot);
  views.attribution.replaceChildren(attributionTable(snapshot));
  views.handles.replaceChildren(handlesTable(snapshot));
  views.aspaces.replaceChildren(aspaceView(snapshot));
  views.memory.replaceChildren(memoryView(snapshot));
  views.pagers.replaceChildren(pagersView(snapshot));
  for (const row of traceBody.rows) {
    const n = Number(row.dataset.event);
    row.classList.toggle('done', n <= step.events);
    // The last event of this step is the current one.
    if (n === step.events) row.setAttribute('aria-current', 'step');
    else row.removeAttribute('aria-current');
  }
  traceBody.querySelector('tr[aria-current]')?.scrollIntoView?.({ block: 'nearest' });
}

async function run(name: string): Promise<void> {
  const scenario = scenarioNamed(name);
  if (scenario === undefined) return;
  runButton.disabled = true;
  app.dataset.state = 'running';
  status.className = '';
  status.textContent = `Running ${name}…`;
  traceBody.replaceChildren();
  output.textContent = '';
  let failure: unknown;
  try {
    // The built module runs as it is; edited code is loaded from the editor.
    const edited = scenario.source !== '' && editor.value !== scenario.source;
    const module = edited ? await moduleFromSource(editor.value) : scenario.module;
    recording = await record(name, module);
    failure = recording.failure;
  } catch (error) {
    failure = error;
    recording = null;
  }
  if (recording !== null) {
    let n = 0;
    for (const step of recording.steps) if (step.event !== null) addTraceRow(++n, step.event);
    output.textContent = recording.output;
    caption.textContent = `Every syscall, page fault and page-request event of ${name}, in order; the current step's is marked.`;
    stepper.hidden = false;
    show(recording.steps.length - 1);
  }
  const events = recording?.steps.flatMap((s) => (s.event === null ? [] : [s.event])) ?? [];
  const syscalls = events.filter((e) => e.kind === 'syscall');
  const errors = syscalls.filter((e) => e.statusName !== '' && e.status !== 0);
  if (failure === undefined) {
    status.textContent = `${name} finished: ${syscalls.length} syscalls, ${errors.length} returned an error. Step through it with the arrow keys.`;
    app.dataset.state = 'done';
  } else {
    status.className = 'failed';
    status.textContent = `${name} threw: ${failure instanceof Error ? failure.message : String(failure)}`;
    app.dataset.state = 'failed';
  }
  runButton.disabled = false;
}

function pick(name: string): void {
  const scenario = scenarioNamed(name);
  description.textContent = scenario?.module.description ?? '';
  editor.value = scenario?.source ?? '';
  editor.disabled = scenario === undefined || scenario.source === '';
}

for (const scenario of SCENARIOS) select.add(new Option(scenario.name, scenario.name));
const fromHash = decodeURIComponent(location.hash.slice(1));
if (scenarioNamed(fromHash) !== undefined) select.value = fromHash;
else if (PRESELECTED !== null) select.value = PRESELECTED;
pick(select.value);
select.addEventListener('change', () => pick(select.value));
form.addEventListener('submit', (event) => {
  event.preventDefault();
  history.replaceState(null, '', `#${select.value}`);
  void run(select.value);
});
buttons.first.addEventListener('click', () => show(0));
buttons.prev.addEventListener('click', () => show(current - 1));
buttons.next.addEventListener('click', () => show(current + 1));
buttons.last.addEventListener('click', () => show(Number.MAX_SAFE_INTEGER));
slider.addEventListener('input', () => show(Number(slider.value)));
document.addEventListener('keydown', (event) => {
  if (recording === null || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target as HTMLElement | null;
  // Keys typed into the editor and the other fields are theirs (the slider moves by itself).
  if (target?.closest('textarea, select, input')) return;
  const moves: Record<string, number> = {
    ArrowRight: current + 1,
    ArrowLeft: current - 1,
    Home: 0,
    End: Number.MAX_SAFE_INTEGER,
  };
  const to = moves[event.key];
  if (to === undefined) return;
  event.preventDefault();
  show(to);
});
status.textContent = 'Ready: pick a scenario and press Run.';
app.dataset.state = 'ready';
