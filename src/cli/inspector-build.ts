// Builds the inspector page (inspector/): its script bundled with the kernel (src/) and the
// scenarios into one browser module, beside a copy of inspector/index.html. The scenarios are
// the examples, plus the one `zxvm serve` was given (preselected); each comes with its source
// as JavaScript for the page's editor (TypeScript types stripped, comments kept), where
// `import ... from 'zxvm'` names the kernel the page runs.
//
// esbuild bundles for the browser platform, so an import of a node: module anywhere in the
// kernel fails the build: that is the check that the kernel stays browser-safe. esbuild is
// loaded only when a page is built.

import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: src/cli/ and dist/cli/ are both two levels below it. */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

/** The example scenarios the page always offers, in the order it lists them. */
export const EXAMPLES = [
  'snapshots',
  'slice-in-mapping',
  'cow-faults',
  'discardable-pressure',
  'pager-file',
];

/** The page's list of scenarios: a module of its own, replaced in the build. */
const SCENARIOS_FILE = /[\\/]inspector[\\/]scenarios\.ts$/;

export interface InspectorBuildOptions {
  /** A scenario to offer beside the examples, selected when the page opens. */
  scenario?: string;
}

export interface InspectorBuild {
  readonly outdir: string;
  /** Every input of the bundle, relative to the package root. */
  readonly inputs: readonly string[];
  readonly bytes: number;
  /** The name under which the page lists the scenario of the options (null without one). */
  readonly preselected: string | null;
}

/** The page is built from the sources: they are in a checkout and in the published package. */
export function inspectorSourcesPresent(): boolean {
  try {
    readFileSync(join(PACKAGE_ROOT, 'inspector/main.ts'));
    return true;
  } catch {
    return false;
  }
}

/**
 * A scenario's source as the page's editor shows it: JavaScript, with the types gone and the
 * comments that stand as statements kept (esbuild keeps "legal" comments, so they are marked
 * as such for the transform and unmarked after), importing the kernel from 'zxvm'.
 */
async function editorSource(path: string): Promise<string> {
  const { transform } = await import('esbuild');
  const marked = readFileSync(path, 'utf8').replace(/^(\s*)\/\/ ?/gm, '$1//! ');
  const { code } = await transform(marked, {
    loader: extname(path).endsWith('ts') ? 'ts' : 'js',
    format: 'esm',
    target: 'es2022',
    legalComments: 'inline',
  });
  return code
    .replace(/^(\s*)\/\/! ?/gm, '$1// ')
    .replace(/from\s+["'](?:\.\.\/)+src\/index\.ts["']/g, "from 'zxvm'");
}

export async function buildInspector(
  outdir: string,
  options: InspectorBuildOptions = {},
): Promise<InspectorBuild> {
  const { build } = await import('esbuild');
  const scenarios = EXAMPLES.map((name) => ({
    name,
    path: join(PACKAGE_ROOT, 'examples', `${name}.ts`),
  }));
  let preselected: string | null = null;
  if (options.scenario !== undefined) {
    const path = resolve(options.scenario);
    const known = scenarios.find((s) => s.path === path);
    if (known !== undefined) preselected = known.name;
    else {
      preselected = basename(path, extname(path));
      while (scenarios.some((s) => s.name === preselected)) preselected += '*';
      scenarios.unshift({ name: preselected, path });
    }
  }
  const sources = await Promise.all(scenarios.map((s) => editorSource(s.path)));
  const module = [
    ...scenarios.map((s, i) => `import * as s${i} from ${JSON.stringify(s.path)};`),
    'export const SCENARIOS = [',
    ...scenarios.map(
      (s, i) =>
        `  { name: ${JSON.stringify(s.name)}, module: s${i}, source: ${JSON.stringify(sources[i])} },`,
    ),
    '];',
    `export const PRESELECTED = ${JSON.stringify(preselected)};`,
  ].join('\n');

  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: ['inspector/main.ts'],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
    // Scenarios outside the package import the kernel by its package name.
    alias: { zxvm: './src/index.ts' },
    plugins: [
      {
        name: 'zxvm-inspector-scenarios',
        setup(b) {
          b.onLoad({ filter: SCENARIOS_FILE }, () => ({
            contents: module,
            loader: 'js',
            resolveDir: PACKAGE_ROOT,
          }));
        },
      },
    ],
  });
  copyFileSync(join(PACKAGE_ROOT, 'inspector/index.html'), join(outdir, 'index.html'));
  const output = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('main.js'));
  return {
    outdir,
    inputs: Object.keys(result.metafile.inputs).map((input) =>
      input.startsWith('/') ? relative(PACKAGE_ROOT, input) : input,
    ),
    bytes: output?.[1].bytes ?? 0,
    preselected,
  };
}
