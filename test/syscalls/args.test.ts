// The binder checks each integer argument with a predicate (isU32, isU64) before it converts it
// (u32, u64, i64): a predicate must accept exactly the values its converter gives a value for,
// or a call would convert what it should have refused (or refuse what C could pass).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { i64, isU32, isU64, u32, u64 } from '../../src/syscalls/args.ts';

/** Values near every edge the converters have, of every type a JavaScript caller may pass. */
const EDGES: unknown[] = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31),
  -(2 ** 31) - 1,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53 - 1,
  2 ** 53,
  2 ** 63,
  -(2 ** 63),
  -(2 ** 63) - 2 ** 11,
  2 ** 64,
  2 ** 64 - 2 ** 11,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.EPSILON,
  0n,
  -1n,
  (1n << 31n) - 1n,
  -(1n << 31n),
  -(1n << 31n) - 1n,
  (1n << 32n) - 1n,
  1n << 32n,
  (1n << 63n) - 1n,
  -(1n << 63n),
  -(1n << 63n) - 1n,
  (1n << 64n) - 1n,
  1n << 64n,
  '1',
  '',
  null,
  undefined,
  true,
  {},
  [],
  Symbol('x'),
  new Uint8Array(1),
];

describe('argument predicates', () => {
  it('isU32 accepts exactly what u32 converts', () => {
    for (const value of EDGES) assert.equal(isU32(value), u32(value) !== undefined, String(value));
  });

  it('isU64 accepts exactly what u64 and i64 convert', () => {
    for (const value of EDGES) {
      assert.equal(isU64(value), u64(value) !== undefined, String(value));
      assert.equal(isU64(value), i64(value) !== undefined, String(value));
    }
  });

  it('agree on random numbers and bigints', () => {
    const values = fc.oneof(
      fc.double(),
      fc.integer(),
      fc.bigInt({ min: -(1n << 66n), max: 1n << 66n }),
      fc.constantFrom(...EDGES),
    );
    fc.assert(
      fc.property(values, (value) => {
        assert.equal(isU32(value), u32(value) !== undefined);
        assert.equal(isU64(value), u64(value) !== undefined);
        assert.equal(isU64(value), i64(value) !== undefined);
      }),
      { numRuns: 5000 },
    );
  });
});
