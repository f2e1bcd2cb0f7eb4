// SortedKeys (the ordered chunk keys of page lists and page tables) against a plain Set: any
// mix of adds and removals, with blocks splitting and emptying, lists the same keys in any range.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { SortedKeys } from '../../src/vm/sorted-keys.ts';

describe('SortedKeys', () => {
  it('lists the keys of any range in order, as a Set would', () => {
    const key = fc.oneof(fc.nat(3000), fc.nat(2 ** 46));
    const step = fc.record({ add: fc.boolean(), key, from: key, span: fc.nat(5000) });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 3000 }), (steps) => {
        const keys = new SortedKeys();
        const model = new Set<number>();
        for (const { add, key: k, from, span } of steps) {
          if (add && !model.has(k)) {
            keys.add(k);
            model.add(k);
          } else if (!add && model.has(k)) {
            keys.delete(k);
            model.delete(k);
          }
          const to = from + span;
          const want = [...model].filter((x) => x >= from && x <= to).sort((a, b) => a - b);
          assert.deepEqual(keys.between(from, to), want);
        }
        assert.equal(keys.size, model.size);
        assert.deepEqual(
          keys.between(0, 2 ** 53),
          [...model].sort((a, b) => a - b),
        );
      }),
      { seed: 0x50f7, numRuns: 30 },
    );
  });

  it('splits and empties blocks: many keys added in and out of order, then removed', () => {
    const keys = new SortedKeys();
    const all = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    for (const k of all) keys.add(k);
    assert.deepEqual(keys.between(100, 104), [100, 101, 102, 103, 104]);
    for (const k of all.filter((x) => x % 3 !== 0)) keys.delete(k);
    assert.deepEqual(keys.between(0, 12), [0, 3, 6, 9, 12]);
    for (const k of all.filter((x) => x % 3 === 0)) keys.delete(k);
    assert.equal(keys.size, 0);
    assert.deepEqual(keys.between(0, 5000), []);
  });
});
