// Runs every bench/*.bench.ts in sequence, each in its own node process (so one benchmark's
// heap and JIT state never colour the next). `npm run bench [-- [names...] [--quick] [--check]]`
// or `zxvm bench [names...] [--quick] [--check]`: names select scripts whose file name contains
// one of them; flags go to every script. A full run takes minutes, so each script is announced
// with its place in the run and ends with its time and the time so far.

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

// Resolved here rather than by name, so that a run from any directory finds tsx.
const tsx = import.meta.resolve('tsx');

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

const start = Date.now();
const failed: string[] = [];
scripts.forEach((script, i) => {
  const path = join(here, script);
  const place = `[${i + 1}/${scripts.length}]`;
  console.log(`\n=== ${place} ${relative(process.cwd(), path)} ${flagArgs.join(' ')}\n`);
  const began = Date.now();
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', tsx, path, ...flagArgs], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed.push(`${script} (${result.signal ?? `exit ${result.status}`})`);
  const verdict = result.status === 0 ? 'done' : 'FAILED';
  const took = seconds(Date.now() - began);
  console.log(
    `\n=== ${place} ${script} ${verdict} in ${took} (${seconds(Date.now() - start)} so far)`,
  );
});

console.log(`\n${scripts.length - failed.length} of ${scripts.length} benchmark scripts passed`);
if (failed.length > 0) {
  console.log(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
