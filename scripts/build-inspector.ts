// Builds the inspector page: inspector/main.ts bundled with the kernel (src/) and the example
// scenarios into one browser module, beside a copy of inspector/index.html. esbuild bundles for
// the browser platform, so an import of a node: module anywhere in that graph fails the build:
// that is the check that the kernel stays browser-safe.
//
//   npm run build:inspector            -> dist-inspector/
//   node --import tsx scripts/build-inspector.ts <outdir>

import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface InspectorBuild {
  readonly outdir: string;
  /** Every input of the bundle, relative to the repository root. */
  readonly inputs: readonly string[];
  readonly bytes: number;
}

export async function buildInspector(outdir: string): Promise<InspectorBuild> {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['inspector/main.ts'],
    outfile: join(outdir, 'main.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
  });
  copyFileSync(join(root, 'inspector/index.html'), join(outdir, 'index.html'));
  const output = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('main.js'));
  return {
    outdir,
    inputs: Object.keys(result.metafile.inputs),
    bytes: output?.[1].bytes ?? 0,
  };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? join(root, 'dist-inspector'));
  const built = await buildInspector(outdir);
  console.log(
    `inspector: ${built.inputs.length} modules, ${(built.bytes / 1024).toFixed(0)} KiB -> ${outdir}/index.html`,
  );
}
