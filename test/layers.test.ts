// Layers call only downward: util and abi at the bottom, then pmm, vm, object, syscalls, the
// kernel and process views at the root of src/, the idiomatic api, and the package root. This
// scans every import in src/ and fails on one that reaches a layer above its own.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, it } from 'node:test';

const ORDER = ['util', 'abi', 'pmm', 'vm', 'object', 'syscalls', 'kernel', 'api', 'index'];

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
});
