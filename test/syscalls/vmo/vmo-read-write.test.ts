// zx_vmo_read and zx_vmo_write: data round trips, commit behaviour (reading never commits),
// rights, ranges in exact 64-bit arithmetic, and the precedence of overflow, uncached and
// past-the-end errors over one another and over unusable buffers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CACHE_POLICY_CACHED,
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
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
} from '../../../src/abi/constants.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { VMO_MAX_SIZE } from '../../../src/vm/vm-object.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  filled,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  readVmo,
  UINT64_MAX,
  untyped,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import { diskPage, pagedSetup, requestRanges, supplyDisk } from '../pager/pager-helpers.ts';
import { mmioBase, mmioResource } from '../vmar/vmar-helpers.ts';

const both = [
  ['zx_vmo_read', ZX_RIGHT_READ],
  ['zx_vmo_write', ZX_RIGHT_WRITE],
] as const;

describe('zx_vmo_read and zx_vmo_write: data', () => {
  it('reads back what was written, across page boundaries', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 3 * PAGE);
    const data = new Uint8Array(PAGE + 100).map((_, i) => (i * 7 + 3) & 0xff);
    writeVmo(sys, h, PAGE - 50, data);
    assert.deepEqual(readVmo(sys, h, PAGE - 50, data.length), data);
    assert.deepEqual(readVmo(sys, h, 0, PAGE - 50), new Uint8Array(PAGE - 50));
  });

  it('reads zeros from a new VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 2 * PAGE);
    assert.deepEqual(readVmo(sys, h, 0, 2 * PAGE), new Uint8Array(2 * PAGE));
  });

  it('commits nothing when reading memory never written', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, 16 * PAGE);
    const before = kmemStats(kernel, proc);
    readVmo(sys, h, 0, 16 * PAGE);
    readVmo(sys, h, 5, 3 * PAGE);
    const info = vmoInfo(sys, h);
    assert.equal(info.committed_bytes, 0n);
    assert.equal(info.populated_bytes, 0n);
    const after = kmemStats(kernel, proc);
    assert.equal(after.free_bytes, before.free_bytes);
    assert.equal(after.vmo_bytes, before.vmo_bytes);
  });

  it('commits exactly the pages a write touches', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, 16 * PAGE);
    const before = kmemStats(kernel, proc);
    writeVmo(sys, h, PAGE - 1, filled(2, 0xaa));
    assert.equal(vmoInfo(sys, h).committed_bytes, BigInt(2 * PAGE));
    const after = kmemStats(kernel, proc);
    assert.equal(before.free_bytes - after.free_bytes, BigInt(2 * PAGE));
    assert.equal(after.vmo_bytes - before.vmo_bytes, BigInt(2 * PAGE));
  });

  it('gives every page back to the kernel when the last handle closes', () => {
    const { kernel, proc, sys } = newProcess();
    const before = kmemStats(kernel, proc).free_bytes;
    const h = createVmo(sys, 8 * PAGE);
    const dup = duplicate(sys, h, ZX_RIGHT_READ);
    writeVmo(sys, h, 0, filled(8 * PAGE, 1));
    assert.equal(kmemStats(kernel, proc).free_bytes, before - BigInt(8 * PAGE));
    expectStatus(sys.zx_handle_close(h), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, before - BigInt(8 * PAGE));
    assert.deepEqual(readVmo(sys, dup, 0, 1), new Uint8Array([1]));
    expectStatus(sys.zx_handle_close(dup), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, before);
  });

  it('writes and reads at offsets beyond 2^53 in a huge VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, VMO_MAX_SIZE);
    const offset = (1n << 60n) + 12345n;
    writeVmo(sys, h, offset, new Uint8Array([9, 8, 7]));
    assert.deepEqual(readVmo(sys, h, offset, 3), new Uint8Array([9, 8, 7]));
    // 2^60 as a number is exact: the same bytes.
    assert.deepEqual(readVmo(sys, h, 2 ** 60, 1), new Uint8Array(1));
    assert.equal(vmoInfo(sys, h).committed_bytes, BigInt(PAGE));
    // The last byte of the largest VMO is in range; one past it is not.
    writeVmo(sys, h, VMO_MAX_SIZE - 1n, new Uint8Array([5]));
    assert.deepEqual(readVmo(sys, h, VMO_MAX_SIZE - 1n, 1), new Uint8Array([5]));
    expectStatus(sys.zx_vmo_read(h, new Uint8Array(2), VMO_MAX_SIZE - 1n, 2), ZX_ERR_OUT_OF_RANGE);
  });

  it('checks ranges exactly where offset + length is past 2^53 (numbers or bigints)', () => {
    // A VMO one page past 2^53 bytes: the end of a 4098-byte write at 2^53 - 1 is one byte
    // past it, a sum that doubles round back inside (issue 8).
    const { sys } = newProcess();
    const end = 2 ** 53 + PAGE;
    const h = createVmo(sys, end, ZX_VMO_RESIZABLE);
    for (const [name, buffer] of [
      ['zx_vmo_write', filled(PAGE + 2, 0x5a)],
      ['zx_vmo_read', new Uint8Array(PAGE + 2)],
    ] as const) {
      expectStatus(sys[name](h, buffer, 2 ** 53 - 1, PAGE + 2), ZX_ERR_OUT_OF_RANGE, name);
      expectStatus(sys[name](h, buffer, 2n ** 53n - 1n, PAGE + 2), ZX_ERR_OUT_OF_RANGE, name);
      // The same length ending exactly at the end is fine, as numbers too.
      expectStatus(sys[name](h, buffer, end - (PAGE + 2), PAGE + 2), ZX_OK, name);
    }
    assert.equal(vmoInfo(sys, h).committed_bytes, BigInt(2 * PAGE));
    // Nothing was written past the end: grown again, the byte there reads as zero.
    expectStatus(sys.zx_vmo_set_size(h, end + PAGE), ZX_OK);
    assert.deepEqual(readVmo(sys, h, end, 1), new Uint8Array(1));
    assert.deepEqual(readVmo(sys, h, BigInt(end) - 1n, 1), new Uint8Array([0x5a]));
  });

  it('accepts a Uint8Array longer than the size argument and touches only that many bytes', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    writeVmo(sys, h, 0, filled(8, 0x11));
    const buffer = filled(8, 0xee);
    expectStatus(sys.zx_vmo_read(h, buffer, 0, 4), ZX_OK);
    assert.deepEqual(buffer, new Uint8Array([0x11, 0x11, 0x11, 0x11, 0xee, 0xee, 0xee, 0xee]));
    expectStatus(sys.zx_vmo_write(h, filled(8, 0x22), 4, 2), ZX_OK);
    assert.deepEqual(readVmo(sys, h, 0, 8), new Uint8Array([17, 17, 17, 17, 34, 34, 17, 17]));
  });

  it('gives NO_MEMORY when memory runs out, and a failed write changes nothing', () => {
    const kernel = newKernel({ memoryBytes: 16 * PAGE, reclaimWatermarkBytes: 0 });
    const { proc, sys } = newProcess(kernel);
    const h = createVmo(sys, 64 * PAGE);
    const before = kmemStats(kernel, proc).free_bytes;
    expectStatus(sys.zx_vmo_write(h, filled(64 * PAGE, 3), 0, 64 * PAGE), ZX_ERR_NO_MEMORY);
    assert.equal(kmemStats(kernel, proc).free_bytes, before);
    assert.equal(vmoInfo(sys, h).committed_bytes, 0n);
    writeVmo(sys, h, 0, filled(PAGE, 3));
  });
});

describe('zx_vmo_read and zx_vmo_write: handles and rights', () => {
  for (const [name, right] of both) {
    const call = (sys: Syscalls, h: unknown, buf: unknown, off: unknown, len: unknown) =>
      untyped(sys)[name](h, buf, off, len);

    it(`${name} gives BAD_HANDLE for invalid, closed and made-up handles`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(sys.zx_handle_close(h), ZX_OK);
      for (const bad of [0, h, 0x7fff_fff3, -1, 1.5, '3', null]) {
        expectStatus(call(sys, bad, new Uint8Array(1), 0, 1), ZX_ERR_BAD_HANDLE, String(bad));
      }
    });

    it(`${name} gives WRONG_TYPE for a handle to another kind of object`, () => {
      const { proc, sys } = newProcess();
      expectStatus(call(sys, proc.job, new Uint8Array(1), 0, 1), ZX_ERR_WRONG_TYPE);
      expectStatus(call(sys, proc.rootVmar, new Uint8Array(1), 0, 1), ZX_ERR_WRONG_TYPE);
    });

    it(`${name} gives WRONG_TYPE rather than ACCESS_DENIED for a rightless non-VMO handle`, () => {
      const { proc, sys } = newProcess();
      const rightless = duplicate(sys, proc.job, ZX_RIGHT_NONE);
      expectStatus(call(sys, rightless, new Uint8Array(1), 0, 1), ZX_ERR_WRONG_TYPE);
    });

    it(`${name} gives ACCESS_DENIED without its right, even for zero bytes`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      const other = right === ZX_RIGHT_READ ? ZX_RIGHT_WRITE : ZX_RIGHT_READ;
      const lacking = duplicate(sys, h, other);
      expectStatus(call(sys, lacking, new Uint8Array(1), 0, 1), ZX_ERR_ACCESS_DENIED);
      expectStatus(call(sys, lacking, new Uint8Array(0), 0, 0), ZX_ERR_ACCESS_DENIED);
      const only = duplicate(sys, h, right);
      expectStatus(call(sys, only, new Uint8Array(0), 0, 0), ZX_OK);
      expectStatus(call(sys, only, new Uint8Array(1), 0, 1), ZX_OK);
    });

    it(`${name} gives NOT_SUPPORTED for a physical VMO, after the handle and rights`, () => {
      const { kernel, proc, sys } = newProcess();
      const base = mmioBase(kernel);
      const physical = out(0);
      expectStatus(
        sys.zx_vmo_create_physical(mmioResource(kernel, proc, base, PAGE), base, PAGE, physical),
        ZX_OK,
      );
      // Before the range and the cache policy (physical VMOs start uncached).
      expectStatus(call(sys, physical.value, new Uint8Array(1), 0, 1), ZX_ERR_NOT_SUPPORTED);
      expectStatus(call(sys, physical.value, null, UINT64_MAX, 2), ZX_ERR_NOT_SUPPORTED);
      const lacking = duplicate(sys, physical.value, ZX_RIGHT_NONE);
      expectStatus(call(sys, lacking, new Uint8Array(1), 0, 1), ZX_ERR_ACCESS_DENIED);
    });

    it(`${name} checks the right before the range`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      const lacking = duplicate(sys, h, ZX_RIGHT_NONE);
      expectStatus(call(sys, lacking, new Uint8Array(1), UINT64_MAX, 10), ZX_ERR_ACCESS_DENIED);
    });
  }
});

describe('zx_vmo_read and zx_vmo_write: ranges and buffers', () => {
  for (const [name] of both) {
    const call = (sys: Syscalls, h: unknown, buf: unknown, off: unknown, len: unknown) =>
      untyped(sys)[name](h, buf, off, len);

    it(`${name} gives OUT_OF_RANGE past the end, and allows zero bytes exactly at the end`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(call(sys, h, new Uint8Array(2 * PAGE), 0, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(2), PAGE - 1, 2), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(0), PAGE, 0), ZX_OK);
      expectStatus(call(sys, h, new Uint8Array(0), PAGE + 1, 0), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(1), PAGE - 1, 1), ZX_OK);
    });

    it(`${name} gives OUT_OF_RANGE when offset plus length wraps 64 bits`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(call(sys, h, new Uint8Array(8), UINT64_MAX - 2n, 8), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(1), UINT64_MAX, 1), ZX_ERR_OUT_OF_RANGE);
      for (const i of [1, 2, 4, 8]) {
        const len = UINT64_MAX - BigInt(PAGE / i);
        expectStatus(call(sys, h, new Uint8Array(1), 0, len), ZX_ERR_OUT_OF_RANGE, `len /${i}`);
      }
    });

    it(`${name} wraps negative 64-bit arguments as C does`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(call(sys, h, new Uint8Array(1), -1, 1), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(1), -1n, 0), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(1), 0, -1), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(1), 2n ** 64n - 1n, 1n), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(1), 0n, 1n), ZX_OK);
    });

    it(`${name} gives INVALID_ARGS for offsets and sizes no C caller could pass`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      for (const bad of [2n ** 64n, -(2n ** 63n) - 1n, 0.5, Number.NaN, '0', undefined]) {
        expectStatus(call(sys, h, new Uint8Array(1), bad, 1), ZX_ERR_INVALID_ARGS, String(bad));
        expectStatus(call(sys, h, new Uint8Array(1), 0, bad), ZX_ERR_INVALID_ARGS, String(bad));
      }
    });

    it(`${name} gives INVALID_ARGS for a buffer that is not a pointer at all`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      for (const bad of ['abc', {}, [1], new Uint16Array(4), 1.5, undefined]) {
        expectStatus(call(sys, h, bad, 0, 1), ZX_ERR_INVALID_ARGS, String(bad));
      }
    });

    it(`${name} gives NOT_FOUND for a NULL buffer, as Zircon's faulting copy does`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(call(sys, h, null, 0, 1), ZX_ERR_NOT_FOUND);
      // Zero bytes never touch the buffer.
      expectStatus(call(sys, h, null, 0, 0), ZX_OK);
    });

    it(`${name} gives NOT_FOUND for a host buffer shorter than the size argument`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, 2 * PAGE);
      expectStatus(call(sys, h, new Uint8Array(10), 0, 11), ZX_ERR_NOT_FOUND);
      expectStatus(call(sys, h, new Uint8Array(0), 0, PAGE), ZX_ERR_NOT_FOUND);
    });

    it(`${name} gives OUT_OF_RANGE before NOT_FOUND when the size is huge`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(call(sys, h, new Uint8Array(10), 0, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(10), 0, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, null, 0, 1n << 40n), ZX_ERR_OUT_OF_RANGE);
    });

    it(`${name} gives NOT_FOUND for an unmapped address in the process`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(call(sys, h, 0x20_0000, 0, 16), ZX_ERR_NOT_FOUND);
      expectStatus(call(sys, h, 0x7fff_ffff_0000n, 0, 16), ZX_ERR_NOT_FOUND);
      expectStatus(call(sys, h, 0xffff_8000_0000_0000n, 0, 16), ZX_ERR_NOT_FOUND);
    });

    it(`${name} gives BAD_STATE on an uncached VMO, even for zero bytes`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
      expectStatus(call(sys, h, new Uint8Array(1), 0, 1), ZX_ERR_BAD_STATE);
      expectStatus(call(sys, h, new Uint8Array(0), 0, 0), ZX_ERR_BAD_STATE);
      expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_CACHED), ZX_OK);
      expectStatus(call(sys, h, new Uint8Array(1), 0, 1), ZX_OK);
    });

    it(`${name}: a 64-bit overflow beats uncached, and uncached beats past-the-end`, () => {
      const { sys } = newProcess();
      const h = createVmo(sys, PAGE);
      expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
      expectStatus(call(sys, h, new Uint8Array(2), UINT64_MAX, 2), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(1), 1, UINT64_MAX), ZX_ERR_OUT_OF_RANGE);
      expectStatus(call(sys, h, new Uint8Array(10), PAGE, 10), ZX_ERR_BAD_STATE);
      expectStatus(call(sys, h, new Uint8Array(1), 0, UINT64_MAX), ZX_ERR_BAD_STATE);
      expectStatus(call(sys, h, new Uint8Array(1), 10n * 4096n, 1n), ZX_ERR_BAD_STATE);
      expectStatus(call(sys, h, new Uint8Array(0), PAGE + 1, 0), ZX_ERR_BAD_STATE);
      expectStatus(call(sys, h, null, 0, 1), ZX_ERR_BAD_STATE);
    });
  }
});

// The host is no zx thread: where a thread would wait for the pager, it gets SHOULD_WAIT.
describe('zx_vmo_read and zx_vmo_write: pager-backed VMOs, from the host', () => {
  it('zx_vmo_read gives ZX_ERR_SHOULD_WAIT on missing pages, having sent the READ request', () => {
    const { sys } = newProcess();
    const { pager, port, vmo } = pagedSetup(sys, 4);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(10), PAGE + 5, 10), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(requestRanges(sys, port), [['READ', 1, 1]]);
    supplyDisk(sys, pager, vmo, 1, 1);
    assert.deepEqual(readVmo(sys, vmo, PAGE + 5, 10), diskPage(1).subarray(0, 10));
  });

  it('zx_vmo_write gives ZX_ERR_SHOULD_WAIT on missing pages, and on clean TRAP_DIRTY ones', () => {
    const { sys } = newProcess();
    const { pager, port, vmo } = pagedSetup(sys, 4, ZX_VMO_TRAP_DIRTY);
    const bytes = filled(10, 0x5a);
    expectStatus(sys.zx_vmo_write(vmo, bytes, 2 * PAGE, 10), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(requestRanges(sys, port), [['READ', 2, 1]]);
    supplyDisk(sys, pager, vmo, 2, 1);
    // Supplied, but clean: the pager must let it be dirtied first.
    expectStatus(sys.zx_vmo_write(vmo, bytes, 2 * PAGE, 10), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(requestRanges(sys, port), [['DIRTY', 2, 1]]);
    assert.deepEqual(readVmo(sys, vmo, 2 * PAGE, 10), diskPage(2).subarray(0, 10));
    expectStatus(
      sys.zx_pager_op_range(pager, ZX_PAGER_OP_DIRTY, vmo, 2n * 4096n, 4096n, 0n),
      ZX_OK,
    );
    expectStatus(sys.zx_vmo_write(vmo, bytes, 2 * PAGE, 10), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 2 * PAGE, 10), bytes);
  });
});
