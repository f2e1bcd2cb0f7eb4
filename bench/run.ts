// Runs every bench/*.bench.ts in sequence, each in its own node process (so one benchmark's
// heap and JIT state never colour the next). `npm run bench [-- [names...] [--quick] [--check]]`:
// names select scripts whose file name contains one of them; flags go to every script.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flagArgs = args.filter((a) => a.startsWith('--'));
const names = args.filter((a) => !a.startsWith('--'));

const scripts = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => names.length === 0 || names.some((n) => f.includes(n)))
  .sort();
if (scripts.length === 0) {
  console.error(`no bench/*.bench.ts matches ${names.join(', ')}`);
  process.exit(2);
}

const failed: string[] = [];
for (const script of scripts) {
  const path = join(here, script);
  console.log(`\n=== ${relative(process.cwd(), path)} ${flagArgs.join(' ')}\n`);
  const result = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', path, ...flagArgs],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed.push(`${script} (${result.signal ?? `exit ${result.status}`})`);
}

console.log(`\n${scripts.length - failed.length} of ${scripts.length} benchmark scripts passed`);
if (failed.length > 0) {
  console.log(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
