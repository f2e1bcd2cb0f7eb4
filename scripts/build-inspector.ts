// Builds the inspector page into dist-inspector/ (or the folder given): inspector/main.ts
// bundled with the kernel and the example scenarios, beside inspector/index.html. The build
// itself lives in src/cli/inspector-build.ts, which `zxvm serve` uses too.
//
//   npm run build:inspector            -> dist-inspector/
//   node --import tsx scripts/build-inspector.ts <outdir> [scenario]

import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildInspector, PACKAGE_ROOT } from '../src/cli/inspector-build.ts';

export { buildInspector, type InspectorBuild } from '../src/cli/inspector-build.ts';

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = resolve(process.argv[2] ?? join(PACKAGE_ROOT, 'dist-inspector'));
  const scenario = process.argv[3];
  const built = await buildInspector(outdir, scenario === undefined ? {} : { scenario });
  console.log(
    `inspector: ${built.inputs.length} modules, ${(built.bytes / 1024).toFixed(0)} KiB -> ${outdir}/index.html`,
  );
}
