// Layers call only downward: util and abi at the bottom, then pmm, vm, object, syscalls, the
// kernel and process views at the root of src/, the idiomatic api, the zxvm command, and the
// package root. This scans every import in src/ and fails on one that reaches a layer above its
// own. The package root sits above the command but must not import it: importing zxvm never
// loads node: modules or runs the command.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, it } from 'node:test';

const ORDER = ['util', 'abi', 'pmm', 'vm', 'object', 'syscalls', 'kernel', 'api', 'cli', 'index'];

/** The layer of a file under src/: its folder, or `kernel` for src/kernel.ts and process.ts. */
function layerOf(file: string): string {
  const parts = relative('src', file).split(sep);
  if (parts.length > 1) return parts[0]!;
  return parts[0] === 'index.ts' ? 'index' : 'kernel';
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)[^'";]*?from\s+'([^']+)'/g;

describe('layering', () => {
  it('knows every folder of src/', () => {
    for (const file of sources('src')) assert.ok(ORDER.includes(layerOf(file)), file);
  });

  it('has no import from a layer above', () => {
    const upward: string[] = [];
    for (const file of sources('src')) {
      const own = ORDER.indexOf(layerOf(file));
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const spec = match[1]!;
        if (!spec.startsWith('.')) continue;
        const target = normalize(join(dirname(file), spec));
        if (ORDER.indexOf(layerOf(target)) > own) upward.push(`${file} imports ${spec}`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('keeps the command out of the package root', () => {
    const imports = [...readFileSync('src/index.ts', 'utf8').matchAll(IMPORT)].map((m) => m[1]!);
    assert.deepEqual(
      imports.filter((spec) => spec.startsWith('./cli')),
      [],
    );
  });

  it('keeps node: modules out of the kernel, so that it runs in a browser', () => {
    const hosted: string[] = [];
    for (const file of sources('src')) {
      if (layerOf(file) === 'cli') continue;
      for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        if (match[1]!.startsWith('node:')) hosted.push(`${file} imports ${match[1]}`);
      }
    }
    assert.deepEqual(hosted, []);
  });
});
