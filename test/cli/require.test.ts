// The package as a library, the way a user installs it: imported as ESM and, on Node >= 20.19,
// loaded with require() through the "default" condition of package.json "exports" (Node loads
// the ES module synchronously). A child node runs in a folder that has zxvm in its
// node_modules as an install from a path would put it there (a link to this checkout).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

const SCRIPT = `
const { Kernel, ZX_OK, ZX_VMO_CHILD_SNAPSHOT } = require('zxvm');
const kernel = new Kernel({ memoryBytes: 1 << 24 });
const proc = kernel.createProcess({ name: 'cjs' });
const vmo = { value: 0 };
const child = { value: 0 };
const statuses = [
  proc.syscalls.zx_vmo_create(8192, 0, vmo),
  proc.syscalls.zx_vmo_create_child(vmo.value, ZX_VMO_CHILD_SNAPSHOT, 0, 8192, child),
];
const hidden = kernel.inspect().nodes.filter((n) => n.hidden).length;
console.log(JSON.stringify({ ok: statuses.every((s) => s === ZX_OK), hidden }));
`;

function node(args: string[], cwd: string) {
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 30_000 });
}

describe('zxvm as a library', () => {
  let consumer: string;

  before(() => {
    // A project that installed zxvm from a path: node_modules/zxvm is a link to the package.
    consumer = mkdtempSync(join(tmpdir(), 'zxvm-consumer-'));
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(repo, join(consumer, 'node_modules/zxvm'), 'dir');
    writeFileSync(join(consumer, 'package.json'), '{ "name": "consumer", "private": true }\n');
  });

  after(() => rmSync(consumer, { recursive: true, force: true }));

  it('declares a default export condition beside import, and Node >= 20.19', () => {
    assert.deepEqual(Object.keys(pkg.exports['.']), ['types', 'import', 'default']);
    assert.equal(pkg.exports['.'].default, pkg.exports['.'].import);
    assert.equal(pkg.engines.node, '>=20.19');
  });

  it('loads with require() in a CommonJS program', () => {
    const run = node(['-e', SCRIPT], consumer);
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { ok: true, hidden: 1 });
  });

  it('loads with import in an ES module, the same classes as require() gives', () => {
    const script = `
      import { createRequire } from 'node:module';
      import * as esm from 'zxvm';
      const cjs = createRequire(import.meta.url)('zxvm');
      console.log(esm.Kernel === cjs.Kernel && typeof esm.Kernel.prototype.inspect);
    `;
    const run = node(['--input-type=module', '-e', script], consumer);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), 'function');
  });
});
