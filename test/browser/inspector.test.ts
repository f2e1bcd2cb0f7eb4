// The inspector page in a real browser: the page is built with esbuild into a temporary folder,
// served from 127.0.0.1 on an ephemeral port, and opened in headless Chromium (npm packages
// only, see chromium.ts). Running the snapshots scenario there must give the very trace that
// the same scenario gives under Node; stepping through it from the keyboard, the graph and the
// attribution table must show at every step what kernel.inspect() says under Node; edited code
// runs too. Screenshots go to docs/. If Chromium cannot start, the tests fail with the reason.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import type { BrowserContext, Page } from 'playwright-core';

import * as cowFaults from '../../examples/cow-faults.ts';
import * as discardablePressure from '../../examples/discardable-pressure.ts';
import * as pagerFile from '../../examples/pager-file.ts';
import * as sliceInMapping from '../../examples/slice-in-mapping.ts';
import * as snapshots from '../../examples/snapshots.ts';
import { record } from '../../inspector/record.ts';
import { pagerRows, requestRows } from '../../inspector/views/pagers.ts';
import { attributionRows } from '../../inspector/views/tables.ts';
import { traceTable } from '../../inspector/views/trace.ts';
import { buildInspector, type InspectorBuild } from '../../scripts/build-inspector.ts';
import { Kernel, type KernelOptions, type Process, type TraceEvent } from '../../src/index.ts';
import { type LaunchedChromium, launchChromium } from './chromium.ts';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCREENSHOT = join(repo, 'docs/inspector.png');
const TREE_SCREENSHOT = join(repo, 'docs/inspector-tree.png');
const PAGER_SCREENSHOT = join(repo, 'docs/inspector-pagers.png');

interface ScenarioModule {
  default: (kernel: Kernel, proc: Process) => void | Promise<void>;
  options?: KernelOptions;
}

const SCENARIOS: Record<string, ScenarioModule> = {
  snapshots,
  'slice-in-mapping': sliceInMapping,
  'cow-faults': cowFaults,
  'discardable-pressure': discardablePressure,
  'pager-file': pagerFile,
};

/** The rows the page should show, from the same scenario run here under Node. */
async function expectedRows(name: string): Promise<string[][]> {
  const scenario = SCENARIOS[name]!;
  const events: TraceEvent[] = [];
  const kernel = new Kernel({ ...scenario.options, tracer: (e) => events.push(e) });
  const quiet = console.log;
  console.log = () => {};
  try {
    await scenario.default(kernel, kernel.createProcess({ name }));
  } finally {
    console.log = quiet;
  }
  return traceTable(events);
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

/** A static server for `dir` on 127.0.0.1, closed by the caller or after `lifetimeMs` at most. */
async function serve(dir: string, lifetimeMs: number): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
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
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  setTimeout(() => server.close(), lifetimeMs).unref();
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/` };
}

/** Picks a scenario and runs it from the keyboard, as a person without a mouse would. */
async function runFromKeyboard(page: Page, name: string): Promise<string> {
  await page.focus('#scenario');
  await page.selectOption('#scenario', name);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'run');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#app[data-state="done"], #app[data-state="failed"]', {
    timeout: 15_000,
  });
  return (await page.getAttribute('#app', 'data-state')) ?? '';
}

function tableRows(page: Page): Promise<string[][]> {
  return page.$$eval('#trace tbody tr', (rows) =>
    (rows as HTMLTableRowElement[]).map((row) => [...row.cells].map((c) => c.textContent ?? '')),
  );
}

describe('the inspector page in headless Chromium', { timeout: 60_000 }, () => {
  let dir: string;
  let built: InspectorBuild;
  let server: Server | undefined;
  let url: string;
  let chromium: LaunchedChromium | undefined;
  // One context for every page: Chromium runs as a single process (Chromium.args), and closing
  // a context of its own there can take the whole browser down.
  let context: BrowserContext | undefined;
  let launchError: unknown;

  /** The browser context, or a failure that says why Chromium is not there (never a skip). */
  function browser(): BrowserContext {
    if (context !== undefined) return context;
    const reason = launchError instanceof Error ? launchError.message : String(launchError);
    throw new Error(`headless Chromium did not start: ${reason}`, { cause: launchError });
  }
  const pageErrors: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'zxvm-inspector-'));
    built = await buildInspector(dir);
    ({ server, url } = await serve(dir, 60_000));
    // A browser that cannot start fails each test that needs it, with the reason.
    try {
      chromium = await launchChromium();
      context = await chromium.browser.newContext({ viewport: { width: 1200, height: 900 } });
      context.on('weberror', (error) => pageErrors.push(error.error().message));
    } catch (error) {
      launchError = error;
    }
  });

  after(async () => {
    await chromium?.browser.close();
    server?.closeAllConnections();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts Chromium from npm packages alone', (t) => {
    browser();
    for (const note of chromium!.notes) t.diagnostic(note);
    assert.match(chromium!.version, /^Chromium 147\./);
  });

  it('bundles the kernel and the scenarios without a node: module', () => {
    assert.ok(built.inputs.includes('src/kernel.ts'), 'the kernel is in the bundle');
    assert.ok(built.inputs.includes('examples/snapshots.ts'));
    assert.deepEqual(
      built.inputs.filter((input) => input.startsWith('node:') || input.includes('node_modules')),
      [],
    );
  });

  it('runs the snapshots scenario and shows the trace that Node gives', async () => {
    const page = await browser().newPage();
    await page.goto(url);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 10_000 });
    assert.equal(await runFromKeyboard(page, 'snapshots'), 'done');

    const expected = await expectedRows('snapshots');
    const shown = await tableRows(page);
    assert.deepEqual(shown, expected);
    // The scenario's own syscalls and statuses, as a reader checks them.
    const calls = shown.map((row) => row[1]);
    assert.equal(calls.filter((c) => c === 'zx_vmo_create_child').length, 3);
    assert.deepEqual(
      shown
        .filter((row) => row[1]!.startsWith('zx_') && row[3] !== 'ZX_OK')
        .map((row) => [row[1], row[3]]),
      [['zx_vmo_read', 'ZX_ERR_OUT_OF_RANGE']],
    );
    const errorBadges = await page.$$eval('#trace td.status .error', (cells) => cells.length);
    assert.equal(errorBadges, 1);
    const output = await page.textContent('#output');
    assert.match(
      output ?? '',
      /snapshot 2 {2}page 0: "version 2" {2}page 1: "written in snapshot 2"/,
    );
    assert.match((await page.textContent('#status')) ?? '', /snapshots finished: \d+ syscalls/);

    assert.deepEqual(pageErrors, []);
  });

  it('steps through the snapshots scenario, each view showing what kernel.inspect() says under Node', async () => {
    const page = await browser().newPage();
    await page.goto(url);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 10_000 });
    assert.equal(await runFromKeyboard(page, 'snapshots'), 'done');

    const quiet = console.log;
    console.log = () => {};
    const expected = await record('snapshots', snapshots).finally(() => {
      console.log = quiet;
    });
    const last = expected.steps.length - 1;
    assert.equal(await page.getAttribute('#steps', 'data-steps'), String(last));
    await page.keyboard.press('Home');
    let labelled = -1;
    for (let step = 0; step <= last; step++) {
      if (step > 0) await page.keyboard.press('ArrowRight');
      await page.waitForSelector(`#steps[data-step="${step}"]`, { timeout: 5_000 });
      const snapshot = expected.steps[step]!.snapshot;
      const shown = await page.$eval('#tree-graph', (svg) => ({
        nodes: svg.querySelectorAll('g.node').length,
        hidden: svg.querySelectorAll('g.node.hidden').length,
        strips: svg.querySelectorAll('g.node rect.run').length,
      }));
      assert.equal(shown.nodes, snapshot.nodes.length, `nodes at step ${step}`);
      assert.equal(
        shown.hidden,
        snapshot.nodes.filter((n) => n.hidden).length,
        `hidden at ${step}`,
      );
      assert.equal(
        shown.strips,
        snapshot.nodes.reduce((sum, n) => sum + n.pages.length, 0),
        `page runs at ${step}`,
      );
      const rows =
        snapshot.vmos.length === 0
          ? []
          : await page.$$eval('#attribution tbody tr', (trs) =>
              (trs as HTMLTableRowElement[]).map((tr) =>
                [...tr.cells].map((c) => c.textContent ?? ''),
              ),
            );
      assert.deepEqual(rows, attributionRows(snapshot), `attribution at step ${step}`);
      if (expected.steps[step]!.label === 'three snapshots, written on both sides') labelled = step;
    }
    assert.ok(labelled > 0, "the scenario's own inspect() point is a step");
    // ArrowRight at the end stays there; End and Home jump.
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getAttribute('#steps', 'data-step'), String(last));

    // The screenshots: the whole page, and the graph, where the scenario inspected itself.
    await page.keyboard.press('Home');
    for (let i = 0; i < labelled; i++) await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`#steps[data-step="${labelled}"]`);
    const at = expected.steps[labelled]!.snapshot;
    assert.equal(at.nodes.filter((n) => n.hidden).length, 3);
    assert.equal(await page.getAttribute('#tree-graph', 'data-hidden'), '3');
    assert.match((await page.textContent('#step-label')) ?? '', /three snapshots, written/);
    const current = await page.$eval('#trace tr[aria-current]', (tr) => tr.textContent);
    assert.match(current ?? '', /zx_vmo_write/);
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    await page.locator('#tree').screenshot({ path: TREE_SCREENSHOT });
    assert.deepEqual(pageErrors, []);
  });

  it('runs edited code from the editor', async () => {
    const page = await browser().newPage();
    await page.goto(`${url}#snapshots`);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 10_000 });
    await page.click('details.code summary');
    const source = await page.inputValue('#editor');
    assert.match(source, /from 'zxvm'/);
    assert.match(source, /const SIZE = 4 \* PAGE;/);
    assert.doesNotMatch(source, /: number|: Kernel/, 'the editor holds JavaScript');
    await page.fill('#editor', source.replace('const SIZE = 4 * PAGE;', 'const SIZE = 8 * PAGE;'));
    await page.click('#run');
    await page.waitForSelector('#app[data-state="done"], #app[data-state="failed"]');
    assert.equal(await page.getAttribute('#app', 'data-state'), 'done');
    const first = await page.$eval('#trace tbody tr', (tr) => tr.textContent ?? '');
    assert.match(first, /size=32768/);
    assert.deepEqual(pageErrors, []);
  });

  it('shows the pager example: its faults and page requests in the trace, the pager view', async () => {
    const page = await browser().newPage();
    await page.goto(url);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 10_000 });
    assert.equal(await runFromKeyboard(page, 'pager-file'), 'done');
    const shown = await tableRows(page);
    assert.deepEqual(shown, await expectedRows('pager-file'));
    const calls = shown.map((row) => row[1]);
    assert.ok(calls.includes('fault read'), 'the reader faults');
    assert.ok(calls.includes('page request READ'), 'the pager gets READ requests');
    assert.ok(shown.some((row) => row[3] === 'waiting_on_pager'));

    // The step where the scenario inspected itself: the reader waits, a request is in the port.
    const quiet = console.log;
    console.log = () => {};
    const expected = await record('pager-file', pagerFile).finally(() => {
      console.log = quiet;
    });
    const waiting = expected.steps.findIndex((s) => s.label === 'the reader waits for page 1');
    assert.ok(waiting > 0);
    await page.keyboard.press('Home');
    for (let i = 0; i < waiting; i++) await page.keyboard.press('ArrowRight');
    await page.waitForSelector(`#steps[data-step="${waiting}"]`);
    const snapshot = expected.steps[waiting]!.snapshot;
    const rowsOf = (id: string) =>
      page.$$eval(`#${id} tbody tr`, (trs) =>
        (trs as HTMLTableRowElement[]).map((tr) => [...tr.cells].map((c) => c.textContent ?? '')),
      );
    assert.deepEqual(await rowsOf('pager-vmos'), pagerRows(snapshot));
    assert.deepEqual(await rowsOf('page-requests'), requestRows(snapshot));
    assert.equal(requestRows(snapshot).length, 1);
    await page.locator('#pagers-view').screenshot({ path: PAGER_SCREENSHOT });
    assert.deepEqual(pageErrors, []);
  });

  it('runs every example scenario to the end with the trace that Node gives', async () => {
    const page = await browser().newPage();
    await page.goto(url);
    await page.waitForSelector('#app[data-state="ready"]', { timeout: 10_000 });
    for (const name of Object.keys(SCENARIOS)) {
      assert.equal(await runFromKeyboard(page, name), 'done', name);
      assert.deepEqual(await tableRows(page), await expectedRows(name), name);
    }
    assert.deepEqual(pageErrors, []);
  });
});
