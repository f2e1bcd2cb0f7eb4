// Discardable VMOs: ZX_VMO_OP_LOCK, TRY_LOCK and UNLOCK (nesting, lock_state, whole-VMO ranges
// only, NOT_SUPPORTED elsewhere), what a discard under memory pressure does, and how
// ZX_INFO_KMEM_STATS counts locked and unlocked discardable memory.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_OK,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../../src/abi/constants.ts';
import {
  decodeZxVmoLockState,
  ZX_VMO_LOCK_STATE_SIZE,
  type ZxVmoLockState,
} from '../../../src/abi/structs.ts';
import type { Kernel } from '../../../src/kernel.ts';
import type { Process } from '../../../src/process.ts';
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
  readVmo,
  UINT64_MAX,
  untyped,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';

function lock(sys: Syscalls, h: number, size: number | bigint, offset: number | bigint = 0) {
  const buffer = filled(ZX_VMO_LOCK_STATE_SIZE, 0xff);
  const status = sys.zx_vmo_op_range(h, ZX_VMO_OP_LOCK, offset, size, buffer, buffer.length);
  return { status, state: decodeZxVmoLockState(buffer) };
}

function mustLock(sys: Syscalls, h: number, size: number): ZxVmoLockState {
  const r = lock(sys, h, size);
  expectStatus(r.status, ZX_OK, 'LOCK');
  return r.state;
}

function unlock(sys: Syscalls, h: number, size: number | bigint, offset: number | bigint = 0) {
  return sys.zx_vmo_op_range(h, ZX_VMO_OP_UNLOCK, offset, size, null, 0);
}

function tryLock(sys: Syscalls, h: number, size: number | bigint, offset: number | bigint = 0) {
  return sys.zx_vmo_op_range(h, ZX_VMO_OP_TRY_LOCK, offset, size, null, 0);
}

/**
 * A small kernel where memory pressure is easy to make: 64 pages, reclaiming only when an
 * allocation cannot be met otherwise.
 */
function smallKernel() {
  const kernel = newKernel({ memoryBytes: 64 * PAGE, reclaimWatermarkBytes: 0 });
  return newProcess(kernel);
}

/**
 * Commits every free page and `extra` more with another VMO (so `extra` pages must be
 * reclaimed), then gives them back. Returns the status of the commit.
 */
function applyPressure(kernel: Kernel, proc: Process, sys: Syscalls, extra = 1): number {
  const pages = Number(kmemStats(kernel, proc).free_bytes) / PAGE + extra;
  const filler = createVmo(sys, pages * PAGE);
  const status = sys.zx_vmo_op_range(filler, ZX_VMO_OP_COMMIT, 0, pages * PAGE, null, 0);
  expectStatus(sys.zx_handle_close(filler), ZX_OK);
  return status;
}

/** A discardable VMO of `pages` pages, written, locked once and unlocked: reclaimable. */
function reclaimableVmo(sys: Syscalls, pages: number): number {
  const h = createVmo(sys, pages * PAGE, ZX_VMO_DISCARDABLE);
  mustLock(sys, h, pages * PAGE);
  writeVmo(sys, h, 0, filled(pages * PAGE, 0x99));
  expectStatus(unlock(sys, h, pages * PAGE), ZX_OK);
  return h;
}

describe('ZX_VMO_OP_LOCK, TRY_LOCK and UNLOCK', () => {
  it('LOCK reports the whole VMO as locked and nothing discarded', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 3 * PAGE, ZX_VMO_DISCARDABLE);
    assert.deepEqual(mustLock(sys, h, 3 * PAGE), {
      offset: 0n,
      size: BigInt(3 * PAGE),
      discarded_offset: 0n,
      discarded_size: 0n,
    });
  });

  it('nests: every LOCK and TRY_LOCK needs its own UNLOCK', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    mustLock(sys, h, PAGE);
    mustLock(sys, h, PAGE);
    expectStatus(tryLock(sys, h, PAGE), ZX_OK);
    expectStatus(unlock(sys, h, PAGE), ZX_OK);
    expectStatus(unlock(sys, h, PAGE), ZX_OK);
    expectStatus(unlock(sys, h, PAGE), ZX_OK);
    expectStatus(unlock(sys, h, PAGE), ZX_ERR_BAD_STATE);
  });

  it('UNLOCK gives BAD_STATE on a VMO that was never locked', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    expectStatus(unlock(sys, h, PAGE), ZX_ERR_BAD_STATE);
  });

  it('does not commit pages, and reads after the first LOCK return zeros', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 2 * PAGE, ZX_VMO_DISCARDABLE);
    mustLock(sys, h, 2 * PAGE);
    assert.equal(vmoInfo(sys, h).committed_bytes, 0n);
    assert.deepEqual(readVmo(sys, h, 0, 2 * PAGE), new Uint8Array(2 * PAGE));
  });

  it('gives OUT_OF_RANGE for anything but exactly the whole VMO, for all three ops', () => {
    const { sys } = newProcess();
    const size = 3 * PAGE;
    const h = createVmo(sys, size, ZX_VMO_DISCARDABLE);
    mustLock(sys, h, size);
    for (const [offset, length] of [
      [0, PAGE],
      [PAGE, size - PAGE],
      [PAGE, PAGE],
      [0, size + PAGE],
      [0, size - 1],
      [1, size],
      [UINT64_MAX, 2],
    ] as const) {
      const where = `(${offset}, ${length})`;
      expectStatus(lock(sys, h, length, offset).status, ZX_ERR_OUT_OF_RANGE, `LOCK ${where}`);
      expectStatus(tryLock(sys, h, length, offset), ZX_ERR_OUT_OF_RANGE, `TRY_LOCK ${where}`);
      expectStatus(unlock(sys, h, length, offset), ZX_ERR_OUT_OF_RANGE, `UNLOCK ${where}`);
    }
    const small = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    expectStatus(lock(sys, small, 2 * PAGE).status, ZX_ERR_OUT_OF_RANGE);
    // The one lock taken above is still the only one.
    expectStatus(unlock(sys, h, size), ZX_OK);
    expectStatus(unlock(sys, h, size), ZX_ERR_BAD_STATE);
  });

  it('accepts a zero-size range on an empty VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 0, ZX_VMO_DISCARDABLE);
    assert.deepEqual(mustLock(sys, h, 0).size, 0n);
    expectStatus(unlock(sys, h, 0), ZX_OK);
  });

  it('follows the current size of a resizable VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE | ZX_VMO_RESIZABLE);
    expectStatus(sys.zx_vmo_set_size(h, 4 * PAGE), ZX_OK);
    expectStatus(lock(sys, h, PAGE).status, ZX_ERR_OUT_OF_RANGE);
    assert.equal(mustLock(sys, h, 4 * PAGE).size, BigInt(4 * PAGE));
  });

  it('gives NOT_SUPPORTED on a VMO that is not discardable, before the range and the buffer', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    for (const which of [ZX_VMO_OP_LOCK, ZX_VMO_OP_TRY_LOCK, ZX_VMO_OP_UNLOCK]) {
      expectStatus(sys.zx_vmo_op_range(h, which, 0, PAGE, null, 0), ZX_ERR_NOT_SUPPORTED);
      expectStatus(sys.zx_vmo_op_range(h, which, 7, UINT64_MAX, null, 0), ZX_ERR_NOT_SUPPORTED);
    }
  });

  it('needs READ or WRITE, either one, checked before everything else', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    for (const rights of [ZX_RIGHT_READ, ZX_RIGHT_WRITE]) {
      const d = duplicate(sys, h, rights);
      mustLock(sys, d, PAGE);
      expectStatus(tryLock(sys, d, PAGE), ZX_OK);
      expectStatus(unlock(sys, d, PAGE), ZX_OK);
      expectStatus(unlock(sys, d, PAGE), ZX_OK);
    }
    const neither = duplicate(sys, h, ZX_RIGHT_MAP);
    expectStatus(lock(sys, neither, PAGE).status, ZX_ERR_ACCESS_DENIED);
    expectStatus(tryLock(sys, neither, PAGE), ZX_ERR_ACCESS_DENIED);
    expectStatus(unlock(sys, neither, 0), ZX_ERR_ACCESS_DENIED);
    const plain = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_MAP);
    expectStatus(lock(sys, plain, PAGE).status, ZX_ERR_ACCESS_DENIED);
  });

  it('LOCK gives INVALID_ARGS for a NULL buffer or one smaller than the lock state, and takes no lock', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    const call = (buffer: unknown, size: number) =>
      untyped(sys).zx_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, PAGE, buffer, size);
    expectStatus(call(null, ZX_VMO_LOCK_STATE_SIZE), ZX_ERR_INVALID_ARGS);
    expectStatus(call(new Uint8Array(32), 0), ZX_ERR_INVALID_ARGS);
    expectStatus(call(new Uint8Array(8), 8), ZX_ERR_INVALID_ARGS);
    expectStatus(call(0x20_0000, ZX_VMO_LOCK_STATE_SIZE), ZX_ERR_INVALID_ARGS);
    expectStatus(call(new Uint8Array(8), ZX_VMO_LOCK_STATE_SIZE), ZX_ERR_NOT_FOUND);
    expectStatus(unlock(sys, h, PAGE), ZX_ERR_BAD_STATE);
    assert.equal(ZX_VMO_LOCK_STATE_SIZE, 32);
  });

  it('TRY_LOCK and UNLOCK ignore the buffer', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_TRY_LOCK, 0, PAGE, 0xdead, 1), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_UNLOCK, 0, PAGE, 'x'.length, 3), ZX_OK);
  });
});

describe('discarding under memory pressure', () => {
  it('discards an unlocked VMO whole; reads, writes, COMMIT and partial ZERO then give NOT_FOUND', () => {
    const { kernel, proc, sys } = smallKernel();
    const h = reclaimableVmo(sys, 8);
    expectStatus(applyPressure(kernel, proc, sys), ZX_OK);
    const info = vmoInfo(sys, h);
    assert.equal(info.committed_bytes, 0n);
    assert.equal(info.committed_change_events, 1n);
    expectStatus(sys.zx_vmo_read(h, new Uint8Array(1), 0, 1), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_vmo_write(h, new Uint8Array(1), 0, 1), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_COMMIT, 0, PAGE, null, 0), ZX_ERR_NOT_FOUND);
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_ZERO, 1, 10, null, 0), ZX_ERR_NOT_FOUND);
    // Zero-length transfers never look at the pages.
    expectStatus(sys.zx_vmo_read(h, new Uint8Array(0), 0, 0), ZX_OK);
  });

  it('TRY_LOCK of a discarded VMO gives UNAVAILABLE and leaves it discarded', () => {
    const { kernel, proc, sys } = smallKernel();
    const h = reclaimableVmo(sys, 8);
    expectStatus(applyPressure(kernel, proc, sys), ZX_OK);
    expectStatus(tryLock(sys, h, 8 * PAGE), ZX_ERR_UNAVAILABLE);
    expectStatus(tryLock(sys, h, 8 * PAGE), ZX_ERR_UNAVAILABLE);
    expectStatus(sys.zx_vmo_read(h, new Uint8Array(1), 0, 1), ZX_ERR_NOT_FOUND);
    expectStatus(unlock(sys, h, 8 * PAGE), ZX_ERR_BAD_STATE);
  });

  it('LOCK of a discarded VMO reports the whole VMO discarded, and it reads as zeros again', () => {
    const { kernel, proc, sys } = smallKernel();
    const h = reclaimableVmo(sys, 8);
    expectStatus(applyPressure(kernel, proc, sys), ZX_OK);
    assert.deepEqual(mustLock(sys, h, 8 * PAGE), {
      offset: 0n,
      size: BigInt(8 * PAGE),
      discarded_offset: 0n,
      discarded_size: BigInt(8 * PAGE),
    });
    assert.deepEqual(readVmo(sys, h, 0, 8 * PAGE), new Uint8Array(8 * PAGE));
    writeVmo(sys, h, 0, filled(PAGE, 1));
    // Locked, it is not discarded again: there is nothing to reclaim.
    expectStatus(applyPressure(kernel, proc, sys), ZX_ERR_NO_MEMORY);
    assert.deepEqual(readVmo(sys, h, 0, 1), new Uint8Array([1]));
    assert.equal(mustLock(sys, h, 8 * PAGE).discarded_size, 0n);
  });

  it('a LOCK that fails for its buffer still clears the discarded state', () => {
    const { kernel, proc, sys } = smallKernel();
    const h = reclaimableVmo(sys, 4);
    expectStatus(applyPressure(kernel, proc, sys), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_LOCK, 0, 4 * PAGE, null, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_read(h, new Uint8Array(1), 0, 1), ZX_OK);
  });

  it('never discards a locked VMO, nor one that was never locked', () => {
    const { kernel, proc, sys } = smallKernel();
    const locked = createVmo(sys, 4 * PAGE, ZX_VMO_DISCARDABLE);
    mustLock(sys, locked, 4 * PAGE);
    writeVmo(sys, locked, 0, filled(4 * PAGE, 2));
    const never = createVmo(sys, 4 * PAGE, ZX_VMO_DISCARDABLE);
    writeVmo(sys, never, 0, filled(4 * PAGE, 3));
    const reclaimable = reclaimableVmo(sys, 4);
    expectStatus(applyPressure(kernel, proc, sys, 4), ZX_OK);
    expectStatus(applyPressure(kernel, proc, sys), ZX_ERR_NO_MEMORY);
    assert.deepEqual(readVmo(sys, locked, 0, 4 * PAGE), filled(4 * PAGE, 2));
    assert.deepEqual(readVmo(sys, never, 0, 4 * PAGE), filled(4 * PAGE, 3));
    expectStatus(sys.zx_vmo_read(reclaimable, new Uint8Array(1), 0, 1), ZX_ERR_NOT_FOUND);
  });

  it('gives the discarded pages back to the kernel', () => {
    const { kernel, proc, sys } = smallKernel();
    const start = kmemStats(kernel, proc).free_bytes;
    const h = reclaimableVmo(sys, 8);
    assert.equal(kmemStats(kernel, proc).free_bytes, start - BigInt(8 * PAGE));
    expectStatus(applyPressure(kernel, proc, sys), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, start);
    expectStatus(sys.zx_handle_close(h), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, start);
  });
});

describe('ZX_INFO_KMEM_STATS and discardable memory', () => {
  it('counts locked and unlocked pages, never-locked and discarded ones in neither', () => {
    const { kernel, proc, sys } = smallKernel();
    const never = createVmo(sys, 2 * PAGE, ZX_VMO_DISCARDABLE);
    writeVmo(sys, never, 0, filled(2 * PAGE, 1));
    let stats = kmemStats(kernel, proc);
    assert.equal(stats.vmo_discardable_locked_bytes, 0n);
    assert.equal(stats.vmo_discardable_unlocked_bytes, 0n);

    const h = createVmo(sys, 4 * PAGE, ZX_VMO_DISCARDABLE);
    mustLock(sys, h, 4 * PAGE);
    writeVmo(sys, h, 0, filled(3 * PAGE, 1));
    stats = kmemStats(kernel, proc);
    assert.equal(stats.vmo_discardable_locked_bytes, BigInt(3 * PAGE));
    assert.equal(stats.vmo_discardable_unlocked_bytes, 0n);

    expectStatus(unlock(sys, h, 4 * PAGE), ZX_OK);
    stats = kmemStats(kernel, proc);
    assert.equal(stats.vmo_discardable_locked_bytes, 0n);
    assert.equal(stats.vmo_discardable_unlocked_bytes, BigInt(3 * PAGE));

    expectStatus(applyPressure(kernel, proc, sys), ZX_OK);
    stats = kmemStats(kernel, proc);
    assert.equal(stats.vmo_discardable_locked_bytes, 0n);
    assert.equal(stats.vmo_discardable_unlocked_bytes, 0n);

    expectStatus(sys.zx_handle_close(h), ZX_OK);
    expectStatus(sys.zx_handle_close(never), ZX_OK);
  });
});
