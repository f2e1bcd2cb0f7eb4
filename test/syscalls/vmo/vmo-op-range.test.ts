// zx_vmo_op_range on plain VMOs: every operation, its right, its range rules, and the order in
// which the handle, op, rights and range errors win. Lock operations on discardable VMOs are in
// discardable.test.ts.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CACHE_POLICY_UNCACHED,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_CACHE_CLEAN,
  ZX_VMO_OP_CACHE_CLEAN_INVALIDATE,
  ZX_VMO_OP_CACHE_INVALIDATE,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
} from '../../../src/abi/constants.ts';
import { ZX_VMO_LOCK_STATE_SIZE } from '../../../src/abi/structs.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  filled,
  kmemStats,
  newKernel,
  newProcess,
  PAGE,
  pinVmoPages,
  readVmo,
  UINT64_MAX,
  untyped,
  vmObjectOf,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import { diskPage, pagedSetup, requestRanges, supplyDisk } from '../pager/pager-helpers.ts';

function op(
  sys: Syscalls,
  h: number,
  which: number,
  offset: number | bigint,
  size: number | bigint,
) {
  return sys.zx_vmo_op_range(h, which, offset, size, null, 0);
}

function committed(sys: Syscalls, h: number): bigint {
  return vmoInfo(sys, h).committed_bytes;
}

const ALL_OPS = [
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_CACHE_INVALIDATE,
  ZX_VMO_OP_CACHE_CLEAN,
  ZX_VMO_OP_CACHE_CLEAN_INVALIDATE,
  ZX_VMO_OP_ZERO,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_PREFETCH,
];

describe('zx_vmo_op_range: handle and op checks', () => {
  it('gives BAD_HANDLE for every op on a bad handle, whatever the op', () => {
    const { sys } = newProcess();
    for (const which of [...ALL_OPS, 0, 5, 99]) {
      expectStatus(op(sys, 0, which, 0, PAGE), ZX_ERR_BAD_HANDLE, `op ${which}`);
    }
  });

  it('gives WRONG_TYPE for every op on a handle to another object', () => {
    const { proc, sys } = newProcess();
    for (const which of [...ALL_OPS, 0, 99]) {
      expectStatus(op(sys, proc.job, which, 0, PAGE), ZX_ERR_WRONG_TYPE, `op ${which}`);
    }
  });

  it('gives INVALID_ARGS for an unknown op, after the handle but before any right', () => {
    const { sys } = newProcess();
    const rightless = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_NONE);
    for (const which of [0, 5, 15, 0xffff_ffff]) {
      expectStatus(op(sys, rightless, which, 0, PAGE), ZX_ERR_INVALID_ARGS, `op ${which}`);
    }
  });

  it('gives INVALID_ARGS for 64-bit arguments no C caller could pass', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 2n ** 64n, 1), ZX_ERR_INVALID_ARGS);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0, 0.5), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_op_range(h, 1.5, 0, PAGE, null, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(
      untyped(sys).zx_vmo_op_range(h, ZX_VMO_OP_COMMIT, 0, PAGE, 'x', 0),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('ignores the buffer for every op but LOCK', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_COMMIT, 0, PAGE, 0xdead, 12345), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_ZERO, 0, PAGE, new Uint8Array(0), 99), ZX_OK);
  });

  it('gives NOT_SUPPORTED for the lock ops on a VMO that is not discardable', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    for (const which of [ZX_VMO_OP_LOCK, ZX_VMO_OP_TRY_LOCK, ZX_VMO_OP_UNLOCK]) {
      expectStatus(op(sys, h, which, 0, PAGE), ZX_ERR_NOT_SUPPORTED, `op ${which}`);
      expectStatus(op(sys, h, which, 5, 3 * PAGE), ZX_ERR_NOT_SUPPORTED, `op ${which}`);
    }
  });
});

describe('zx_vmo_op_range: a discarded VMO', () => {
  it('gives UNAVAILABLE for TRY_LOCK, NOT_FOUND for COMMIT and for ZERO of partial pages', () => {
    const { proc, sys } = newProcess();
    const whole = 2 * PAGE;
    const h = createVmo(sys, whole, ZX_VMO_DISCARDABLE);
    const state = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, whole, state, state.length), ZX_OK);
    writeVmo(sys, h, 0, filled(whole, 3));
    expectStatus(op(sys, h, ZX_VMO_OP_UNLOCK, 0, whole), ZX_OK);
    vmObjectOf(proc, h).discard();
    expectStatus(op(sys, h, ZX_VMO_OP_TRY_LOCK, 0, whole), ZX_ERR_UNAVAILABLE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_ERR_NOT_FOUND);
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 10, 20), ZX_ERR_NOT_FOUND);
    // Whole pages need no reading: they zero fine.
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK);
    // LOCK always succeeds, and the VMO then reads as zeros.
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, whole, state, state.length), ZX_OK);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_OK);
    assert.deepEqual(readVmo(sys, h, 0, 8), new Uint8Array(8));
  });
});

describe('zx_vmo_op_range: COMMIT', () => {
  it('commits the pages of the range', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, 8 * PAGE);
    const before = kmemStats(kernel, proc).free_bytes;
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, PAGE, 3 * PAGE), ZX_OK);
    assert.equal(committed(sys, h), BigInt(3 * PAGE));
    assert.equal(kmemStats(kernel, proc).free_bytes, before - BigInt(3 * PAGE));
    // Committing again takes nothing more.
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0, 8 * PAGE), ZX_OK);
    assert.equal(committed(sys, h), BigInt(8 * PAGE));
    assert.deepEqual(readVmo(sys, h, 0, 8 * PAGE), new Uint8Array(8 * PAGE));
  });

  it('widens an unaligned range out to whole pages', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 4 * PAGE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0x10, 0x100), ZX_OK);
    assert.equal(committed(sys, h), BigInt(PAGE));
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 2 * PAGE - 1, 2), ZX_OK);
    assert.equal(committed(sys, h), BigInt(3 * PAGE));
    // An unaligned range ending exactly at the end of the VMO is inside it once rounded.
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 4 * PAGE - 1, 1), ZX_OK);
    assert.equal(committed(sys, h), BigInt(4 * PAGE));
  });

  it('accepts a zero length inside the VMO and commits nothing', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 2 * PAGE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0, 0), ZX_OK);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 2 * PAGE, 0), ZX_OK);
    assert.equal(committed(sys, h), 0n);
  });

  it('gives OUT_OF_RANGE past the end, on overflow, and when rounding up overflows', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 2 * PAGE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0, 2 * PAGE + 1), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 3 * PAGE, 0), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, PAGE, UINT64_MAX - 4095n), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, UINT64_MAX - 10n, 5), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, -1, 1), ZX_ERR_OUT_OF_RANGE);
    assert.equal(committed(sys, h), 0n);
  });

  it('needs the WRITE right, checked before the range', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const readOnly = duplicate(sys, h, ZX_RIGHT_READ);
    expectStatus(op(sys, readOnly, ZX_VMO_OP_COMMIT, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    expectStatus(op(sys, readOnly, ZX_VMO_OP_COMMIT, UINT64_MAX, 2), ZX_ERR_ACCESS_DENIED);
    expectStatus(op(sys, duplicate(sys, h, ZX_RIGHT_WRITE), ZX_VMO_OP_COMMIT, 0, PAGE), ZX_OK);
  });

  it('gives NO_MEMORY when memory runs out, and commits nothing then', () => {
    const kernel = newKernel({ memoryBytes: 16 * PAGE, reclaimWatermarkBytes: 0 });
    const { proc, sys } = newProcess(kernel);
    const h = createVmo(sys, 32 * PAGE);
    const before = kmemStats(kernel, proc).free_bytes;
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0, 32 * PAGE), ZX_ERR_NO_MEMORY);
    assert.equal(committed(sys, h), 0n);
    assert.equal(kmemStats(kernel, proc).free_bytes, before);
  });
});

describe('zx_vmo_op_range: DECOMMIT', () => {
  it('frees committed pages, which then read as zeros', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, 4 * PAGE);
    const before = kmemStats(kernel, proc).free_bytes;
    writeVmo(sys, h, 0, filled(4 * PAGE, 0x42));
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, PAGE, 2 * PAGE), ZX_OK);
    assert.equal(committed(sys, h), BigInt(2 * PAGE));
    assert.deepEqual(readVmo(sys, h, PAGE, 2 * PAGE), new Uint8Array(2 * PAGE));
    assert.deepEqual(readVmo(sys, h, 0, PAGE), filled(PAGE, 0x42));
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0, 4 * PAGE), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, before);
  });

  it('gives INVALID_ARGS for a misaligned range, before and after a commit', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 4 * PAGE);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0x10, 0x100), ZX_ERR_INVALID_ARGS);
    expectStatus(op(sys, h, ZX_VMO_OP_COMMIT, 0x10, 0x100), ZX_OK);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0x10, 0x100), ZX_ERR_INVALID_ARGS);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0, PAGE + 1), ZX_ERR_INVALID_ARGS);
    assert.equal(committed(sys, h), BigInt(PAGE));
  });

  it('lets out-of-range beat misalignment, and a zero length in range beat misalignment', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0x10, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, UINT64_MAX, 0x10), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0x10, 0), ZX_OK);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, PAGE, 0), ZX_OK);
    // A zero length past the end is still out of range.
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 2 * PAGE, 0), ZX_ERR_OUT_OF_RANGE);
  });

  it('needs the WRITE right', () => {
    const { sys } = newProcess();
    const readOnly = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_READ);
    expectStatus(op(sys, readOnly, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_ERR_ACCESS_DENIED);
  });

  it('gives BAD_STATE over pinned pages', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, 2 * PAGE);
    writeVmo(sys, h, 0, filled(2 * PAGE, 1));
    const unpin = pinVmoPages(proc, h, 0, 1);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_ERR_BAD_STATE);
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0, 2 * PAGE), ZX_ERR_BAD_STATE);
    assert.equal(committed(sys, h), BigInt(2 * PAGE));
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, PAGE, PAGE), ZX_OK);
    unpin();
    expectStatus(op(sys, h, ZX_VMO_OP_DECOMMIT, 0, PAGE), ZX_OK);
    assert.equal(committed(sys, h), 0n);
  });
});

describe('zx_vmo_op_range: ZERO', () => {
  it('accepts a zero length at any offset without a range check', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    for (const offset of [0, 10, PAGE, 10 * PAGE, UINT64_MAX]) {
      expectStatus(op(sys, h, ZX_VMO_OP_ZERO, offset, 0), ZX_OK, `offset ${offset}`);
    }
  });

  it('frees whole pages and zeroes partial pages in place', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, 3 * PAGE);
    writeVmo(sys, h, 0, filled(3 * PAGE, 0xee));
    const before = kmemStats(kernel, proc).free_bytes;
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, PAGE / 2, 2 * PAGE), ZX_OK);
    const all = readVmo(sys, h, 0, 3 * PAGE);
    assert.deepEqual(all.subarray(0, PAGE / 2), filled(PAGE / 2, 0xee));
    assert.deepEqual(all.subarray(PAGE / 2, PAGE / 2 + 2 * PAGE), new Uint8Array(2 * PAGE));
    assert.deepEqual(all.subarray(PAGE / 2 + 2 * PAGE), filled(PAGE / 2, 0xee));
    // The middle page is gone; the two partial pages stay committed.
    assert.equal(committed(sys, h), BigInt(2 * PAGE));
    assert.equal(kmemStats(kernel, proc).free_bytes, before + BigInt(PAGE));
  });

  it('clears exactly the bytes of an unaligned range inside one page', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    writeVmo(sys, h, 0, filled(PAGE, 0x31));
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 42, 91), ZX_OK);
    const page = readVmo(sys, h, 0, PAGE);
    const expected = filled(PAGE, 0x31);
    expected.fill(0, 42, 42 + 91);
    assert.deepEqual(page, expected);
    assert.equal(committed(sys, h), BigInt(PAGE));
  });

  it('commits nothing when zeroing pages never written', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, 4 * PAGE);
    const before = kmemStats(kernel, proc).free_bytes;
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 7, 3 * PAGE), ZX_OK);
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 0, 4 * PAGE), ZX_OK);
    assert.equal(committed(sys, h), 0n);
    assert.equal(kmemStats(kernel, proc).free_bytes, before);
  });

  it('gives OUT_OF_RANGE past the end and on overflow', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 0, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, UINT64_MAX, 2), ZX_ERR_OUT_OF_RANGE);
  });

  it('needs the WRITE right, even for a zero length', () => {
    const { sys } = newProcess();
    const readOnly = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_READ);
    expectStatus(op(sys, readOnly, ZX_VMO_OP_ZERO, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    expectStatus(op(sys, readOnly, ZX_VMO_OP_ZERO, 0, 0), ZX_ERR_ACCESS_DENIED);
  });

  it('on an uncached VMO, frees whole pages but gives BAD_STATE for partial pages with data', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 3 * PAGE);
    writeVmo(sys, h, 0, filled(2 * PAGE, 1));
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 10, 20), ZX_ERR_BAD_STATE);
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, PAGE - 10, PAGE), ZX_ERR_BAD_STATE);
    assert.equal(committed(sys, h), BigInt(2 * PAGE));
    // A partial page with nothing in it already reads as zero: nothing to do.
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 2 * PAGE + 10, 20), ZX_OK);
    // Whole pages are decommitted, which needs no access through the cache.
    expectStatus(op(sys, h, ZX_VMO_OP_ZERO, 0, PAGE), ZX_OK);
    assert.equal(committed(sys, h), BigInt(PAGE));
  });
});

describe('zx_vmo_op_range: cache operations', () => {
  const SIZE = 0x8000;
  const readOps = [
    ['CACHE_SYNC', ZX_VMO_OP_CACHE_SYNC],
    ['CACHE_CLEAN', ZX_VMO_OP_CACHE_CLEAN],
    ['CACHE_CLEAN_INVALIDATE', ZX_VMO_OP_CACHE_CLEAN_INVALIDATE],
  ] as const;

  for (const [name, which] of readOps) {
    it(`${name} accepts ranges inside the VMO, aligned or not`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, SIZE);
      writeVmo(sys, h, 0x5000, filled(0x1000, 1));
      for (const [offset, size] of [
        [0, 1],
        [1, 1],
        [0, SIZE],
        [1, SIZE - 1],
        [0x5200, 1],
        [0x5200, 0x800],
        [0x5200, 0x1000],
        [0x5200, 0x1200],
      ] as const) {
        expectStatus(op(sys, h, which, offset, size), ZX_OK, `(${offset}, ${size})`);
      }
      assert.equal(committed(sys, h), BigInt(PAGE));
    });

    it(`${name} gives INVALID_ARGS for a zero length, before the range`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, SIZE);
      expectStatus(op(sys, h, which, 0, 0), ZX_ERR_INVALID_ARGS);
      expectStatus(op(sys, h, which, SIZE + 1, 0), ZX_ERR_INVALID_ARGS);
    });

    it(`${name} gives OUT_OF_RANGE past the end and on overflow`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, SIZE);
      for (const [offset, size] of [
        [1, SIZE],
        [SIZE, 1],
        [SIZE + 1, 1],
        [UINT64_MAX - 1n, 1],
        [UINT64_MAX, 1],
        [UINT64_MAX, UINT64_MAX],
      ] as const) {
        expectStatus(op(sys, h, which, offset, size), ZX_ERR_OUT_OF_RANGE, `(${offset}, ${size})`);
      }
    });

    it(`${name} needs the READ right, checked before the length`, () => {
      const { sys } = newProcess();
      const writeOnly = duplicate(sys, createVmo(sys, SIZE), ZX_RIGHT_WRITE);
      expectStatus(op(sys, writeOnly, which, 0, 1), ZX_ERR_ACCESS_DENIED);
      expectStatus(op(sys, writeOnly, which, 0, 0), ZX_ERR_ACCESS_DENIED);
    });

    it(`${name} works on an uncached VMO and on a huge sparse one`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, SIZE);
      expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
      expectStatus(op(sys, h, which, 0, SIZE), ZX_OK);
      const huge = createVmo(sys, UINT64_MAX - 64n * 4096n + 1n);
      expectStatus(op(sys, huge, which, 0, UINT64_MAX - 64n * 4096n + 1n), ZX_OK);
      assert.equal(committed(sys, huge), 0n);
    });
  }

  it('CACHE_INVALIDATE is NOT_SUPPORTED without debugging syscalls, before rights and range', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, SIZE);
    expectStatus(op(sys, h, ZX_VMO_OP_CACHE_INVALIDATE, 0, SIZE), ZX_ERR_NOT_SUPPORTED);
    const rightless = duplicate(sys, h, ZX_RIGHT_NONE);
    expectStatus(op(sys, rightless, ZX_VMO_OP_CACHE_INVALIDATE, 0, 0), ZX_ERR_NOT_SUPPORTED);
    expectStatus(op(sys, h, ZX_VMO_OP_CACHE_INVALIDATE, UINT64_MAX, 2), ZX_ERR_NOT_SUPPORTED);
  });
});

describe('zx_vmo_op_range: hints and PREFETCH', () => {
  for (const [name, which] of [
    ['DONT_NEED', ZX_VMO_OP_DONT_NEED],
    ['ALWAYS_NEED', ZX_VMO_OP_ALWAYS_NEED],
  ] as const) {
    it(`${name} succeeds on an anonymous VMO with no right and no range check`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      const rightless = duplicate(sys, h, ZX_RIGHT_NONE);
      expectStatus(op(sys, rightless, which, 0, PAGE), ZX_OK);
      expectStatus(op(sys, h, which, 5 * PAGE, PAGE), ZX_OK);
      expectStatus(op(sys, h, which, UINT64_MAX, UINT64_MAX), ZX_OK);
      assert.equal(committed(sys, h), 0n);
    });
  }

  it('PREFETCH accepts ranges inside the VMO, aligned or not, and commits nothing', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 4 * PAGE);
    for (const [offset, size] of [
      [0, PAGE],
      [0, 0],
      [4, 2],
      [PAGE - 1, 2],
      [0, 4 * PAGE],
    ] as const) {
      expectStatus(op(sys, h, ZX_VMO_OP_PREFETCH, offset, size), ZX_OK, `(${offset}, ${size})`);
    }
    assert.equal(committed(sys, h), 0n);
  });

  it('PREFETCH gives OUT_OF_RANGE past the end, even for a zero length, and on overflow', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 4 * PAGE);
    expectStatus(op(sys, h, ZX_VMO_OP_PREFETCH, 0, 5 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_PREFETCH, 5 * PAGE, 0), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_PREFETCH, UINT64_MAX, 1), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, h, ZX_VMO_OP_PREFETCH, UINT64_MAX - 2n, 1), ZX_ERR_OUT_OF_RANGE);
  });

  it('PREFETCH needs the READ right', () => {
    const { sys } = newProcess();
    const writeOnly = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_WRITE);
    expectStatus(op(sys, writeOnly, ZX_VMO_OP_PREFETCH, 0, PAGE), ZX_ERR_ACCESS_DENIED);
  });
});

// The host is no zx thread: where a thread would wait for the pager, it gets SHOULD_WAIT.
describe('zx_vmo_op_range: pager-backed VMOs, from the host', () => {
  for (const [name, code, offset, size] of [
    ['COMMIT', ZX_VMO_OP_COMMIT, PAGE, 2 * PAGE],
    ['PREFETCH', ZX_VMO_OP_PREFETCH, PAGE, 2 * PAGE],
    ['ALWAYS_NEED', ZX_VMO_OP_ALWAYS_NEED, PAGE, 2 * PAGE],
    ['ZERO of a partial page', ZX_VMO_OP_ZERO, PAGE + 8, 16],
  ] as const) {
    it(`${name} gives ZX_ERR_SHOULD_WAIT on missing pages, having sent the READ request`, () => {
      const { sys } = newProcess();
      const { pager, port, vmo } = pagedSetup(sys, 4);
      expectStatus(op(sys, vmo, code, offset, size), ZX_ERR_SHOULD_WAIT);
      const pages = Math.ceil((offset + size) / PAGE) - 1;
      assert.deepEqual(requestRanges(sys, port), [['READ', 1, pages]]);
      supplyDisk(sys, pager, vmo, 1, pages);
      expectStatus(op(sys, vmo, code, offset, size), ZX_OK);
      const expected = diskPage(1);
      if (code === ZX_VMO_OP_ZERO) expected.fill(0, 8, 24);
      assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), expected);
    });
  }

  it('DONT_NEED asks the pager for nothing but checks the range; DECOMMIT is not supported', () => {
    const { sys } = newProcess();
    const { port, vmo } = pagedSetup(sys, 4);
    expectStatus(op(sys, vmo, ZX_VMO_OP_DONT_NEED, 0, 4 * PAGE), ZX_OK);
    // Hints are ignored, range and all, but by pager-backed VMOs (upstream's HintRange).
    expectStatus(op(sys, vmo, ZX_VMO_OP_DONT_NEED, PAGE, 4 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, vmo, ZX_VMO_OP_ALWAYS_NEED, PAGE, 4 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(op(sys, createVmo(sys, PAGE), ZX_VMO_OP_DONT_NEED, PAGE, 4 * PAGE), ZX_OK);
    expectStatus(op(sys, vmo, ZX_VMO_OP_DECOMMIT, 0, 4 * PAGE), ZX_ERR_NOT_SUPPORTED);
    assert.deepEqual(requestRanges(sys, port), []);
  });
});
