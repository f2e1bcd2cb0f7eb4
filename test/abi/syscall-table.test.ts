// The syscall table is the one description of every syscall: these checks keep it whole (every
// entry documented, every listed error covered by its test file, every buffer paired with its
// size, handles typed) and keep docs/syscalls.md generated from it.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderSyscallDocs } from '../../scripts/syscall-docs.ts';
import { ZX_STATUS_NAMES } from '../../src/abi/constants.ts';
import { ANY_OBJECT } from '../../src/abi/syscall-spec.ts';
import { SYSCALL_SPECS, SYSCALLS } from '../../src/abi/syscalls/index.ts';
import { IMPLEMENTATIONS } from '../../src/syscalls/table.ts';

/** Syscalls that take a handle to any kind of object (Zircon's generic Dispatcher lookups). */
const ANY_OBJECT_SYSCALLS = new Set([
  'zx_handle_close',
  'zx_handle_duplicate',
  'zx_handle_replace',
  'zx_handle_check_valid',
  'zx_object_get_info',
  'zx_object_get_property',
  'zx_object_set_property',
  'zx_object_signal',
  'zx_object_wait_one',
  'zx_object_get_child',
  'zx_object_wait_async',
  'zx_task_kill',
  'zx_port_cancel',
]);

const KNOWN_STATUSES = new Set(Object.values(ZX_STATUS_NAMES));

describe('the syscall table', () => {
  it('has one entry per name, each with an implementation of its arity', () => {
    assert.equal(new Set(SYSCALLS.map((s) => s.name)).size, SYSCALLS.length);
    const impls = IMPLEMENTATIONS as unknown as Record<string, (...a: unknown[]) => number>;
    for (const spec of SYSCALLS) {
      assert.equal(impls[spec.name]?.length, spec.params.length + 1, spec.name);
    }
    assert.deepEqual(Object.keys(impls).sort(), Object.keys(SYSCALL_SPECS).sort());
  });

  for (const spec of SYSCALLS) {
    describe(spec.name, () => {
      it('is documented: a summary, its rights, its errors with their causes', () => {
        assert.notEqual(spec.summary, '', 'summary');
        assert.notEqual(spec.rights, '', 'rights');
        for (const [status, cause] of spec.errors) {
          assert.ok(KNOWN_STATUSES.has(status), `${status} is a status name`);
          assert.notEqual(cause, '', `${status} has a cause`);
        }
        if (spec.returns === 'status') assert.ok(spec.errors.length > 0, 'lists its errors');
      });

      it('names a test file that has a case for every listed error', () => {
        assert.ok(existsSync(spec.test), `${spec.test} exists`);
        const text = readFileSync(spec.test, 'utf8');
        assert.ok(text.includes(spec.name), `${spec.test} calls ${spec.name}`);
        for (const [status] of spec.errors) {
          assert.ok(text.includes(status), `${spec.test} never expects ${status}`);
        }
      });

      it('pairs every buffer with its size parameter and types its handles', () => {
        const names = spec.params.map((p) => p.name);
        for (const p of spec.params) {
          if (p.kind === 'buffer_in' || p.kind === 'buffer_out') {
            assert.ok(names.includes(p.size), `${p.name}'s size ${p.size} is a parameter`);
          }
          if (p.kind === 'handle' && p.type === ANY_OBJECT) {
            assert.ok(ANY_OBJECT_SYSCALLS.has(spec.name), `${p.name} has an object type`);
          }
        }
      });
    });
  }

  it('is what docs/syscalls.md shows (run `npm run docs:syscalls` after changing it)', () => {
    assert.equal(readFileSync('docs/syscalls.md', 'utf8'), renderSyscallDocs());
  });
});
