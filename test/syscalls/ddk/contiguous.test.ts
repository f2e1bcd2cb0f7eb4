// zx_vmo_create_contiguous: its checks in Zircon's order, its out-parameter, and contiguous
// VMOs' pages, which never move.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_READ,
  ZX_CACHE_POLICY_CACHED,
  ZX_DEFAULT_BTI_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_OK,
  ZX_POL_ACTION_DENY,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_MAP,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
} from '../../../src/abi/constants.ts';
import {
  ARENA_FULL,
  createVmo,
  duplicate,
  expectFailure,
  expectStatus,
  handleBasic,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  processWithPolicy,
  readVmo,
  smallArena,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import { expectCleanTables, load, map, pattern, RW } from '../vmar/vmar-helpers.ts';
import { bti, contiguousVmo, P, pin } from './ddk-helpers.ts';

describe('zx_vmo_create_contiguous', () => {
  it('makes a committed, physically contiguous, aligned VMO', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    // Leave the next free frame unaligned first.
    createVmo(sys, PAGE);
    writeVmo(sys, createVmo(sys, PAGE), 0, new Uint8Array([1]));
    const vmo = contiguousVmo(sys, b, 8 * PAGE, 16);
    const info = vmoInfo(sys, vmo);
    assert.equal(
      info.flags,
      ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_CONTIGUOUS | ZX_INFO_VMO_VIA_HANDLE,
    );
    assert.equal(info.committed_bytes, 8n * P);
    assert.equal(info.cache_policy, ZX_CACHE_POLICY_CACHED);
    assert.equal(handleBasic(sys, vmo).rights, ZX_DEFAULT_VMO_RIGHTS);
    assert.deepEqual(readVmo(sys, vmo, 0, 8 * PAGE), new Uint8Array(8 * PAGE));
    const { addrs } = pin(sys, b, ZX_BTI_PERM_READ, vmo, 0, 8 * PAGE, 8);
    assert.equal(addrs[0]! % (1n << 16n), 0n);
    for (const [i, addr] of addrs.entries()) assert.equal(addr, addrs[0]! + BigInt(i) * P);
  });

  it('checks the size, then the alignment, then the policy, then the BTI', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    expectStatus(
      sys.zx_vmo_create_contiguous(ZX_HANDLE_INVALID, 0, 0, out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    for (const align of [1, 11, 64, 100]) {
      expectStatus(
        sys.zx_vmo_create_contiguous(ZX_HANDLE_INVALID, PAGE, align, out(0)),
        ZX_ERR_INVALID_ARGS,
      );
    }
    expectStatus(
      sys.zx_vmo_create_contiguous(ZX_HANDLE_INVALID, PAGE, 0, out(0)),
      ZX_ERR_BAD_HANDLE,
    );
    expectStatus(sys.zx_vmo_create_contiguous(proc.job, PAGE, 0, out(0)), ZX_ERR_WRONG_TYPE);
    const noMap = duplicate(sys, b, ZX_DEFAULT_BTI_RIGHTS & ~ZX_RIGHT_MAP);
    expectStatus(sys.zx_vmo_create_contiguous(noMap, PAGE, 0, out(0)), ZX_ERR_ACCESS_DENIED);
    expectStatus(
      sys.zx_vmo_create_contiguous(b, 0xffff_ffff_ffff_f001n, 0, out(0)),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(sys.zx_vmo_create_contiguous(b, 1 << 30, 0, out(0)), ZX_ERR_NO_MEMORY);
    expectStatus(sys.zx_vmo_create_contiguous(b, PAGE, 63, out(0)), ZX_ERR_NO_MEMORY);
    // An unaligned size is rounded up.
    assert.equal(vmoInfo(sys, contiguousVmo(sys, b, PAGE + 1)).size_bytes, 2n * P);
  });

  it('obeys the job policy for new VMOs', () => {
    const kernel = newKernel();
    const { proc: owner } = newProcess(kernel);
    const { sys, proc } = processWithPolicy(kernel, owner, [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY },
    ]);
    expectStatus(
      sys.zx_vmo_create_contiguous(bti(kernel, proc), PAGE, 0, out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('never gives its pages back: DECOMMIT is unsupported and ZERO clears them in place', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = contiguousVmo(sys, bti(kernel, proc), 4 * PAGE);
    writeVmo(sys, vmo, 0, pattern(4 * PAGE, 8));
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    load(proc, addr, 4 * PAGE);
    expectStatus(
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0),
      ZX_ERR_NOT_SUPPORTED,
    );
    expectStatus(
      sys.zx_vmar_op_range(proc.rootVmar, ZX_VMAR_OP_DECOMMIT, addr, PAGE, null, 0),
      ZX_ERR_NOT_SUPPORTED,
    );
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, PAGE, 2 * PAGE, null, 0), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 4n * P);
    const expected = pattern(4 * PAGE, 8).fill(0, PAGE, 3 * PAGE);
    assert.deepEqual(load(proc, addr, 4 * PAGE), expected);
    expectCleanTables(proc);
    expectStatus(sys.zx_vmo_set_size(vmo, PAGE), ZX_ERR_UNAVAILABLE);
    expectStatus(sys.zx_vmo_set_stream_size(vmo, PAGE), ZX_ERR_NOT_SUPPORTED);
    expectStatus(
      sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SLICE, 0, PAGE, out(0)), ZX_OK);
  });

  it('gives every page back when closed', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const free = kmemStats(kernel, proc).free_bytes;
    const vmo = contiguousVmo(sys, b, 16 * PAGE, 20);
    assert.equal(kmemStats(kernel, proc).free_bytes, free - 16n * P);
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, free);
    // The freed run can be found again among the free frames.
    const again = contiguousVmo(sys, b, 16 * PAGE, 20);
    assert.equal(kmemStats(kernel, proc).free_bytes, free - 16n * P);
    expectStatus(sys.zx_handle_close(again), ZX_OK);
  });

  it('finds a run among freed frames once the untouched ones are too few', () => {
    const kernel = newKernel({ memoryBytes: 64 * PAGE, reclaimWatermarkBytes: 0 });
    const { sys, proc } = newProcess(kernel);
    const b = bti(kernel, proc);
    const filler = createVmo(sys, 60 * PAGE);
    expectStatus(sys.zx_vmo_op_range(filler, ZX_VMO_OP_COMMIT, 0, 60 * PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_vmo_create_contiguous(b, 8 * PAGE, 0, out(0)), ZX_ERR_NO_MEMORY);
    expectStatus(
      sys.zx_vmo_op_range(filler, ZX_VMO_OP_DECOMMIT, 16 * PAGE, 16 * PAGE, null, 0),
      ZX_OK,
    );
    const vmo = contiguousVmo(sys, b, 8 * PAGE, 15);
    const { addrs } = pin(sys, b, ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS, vmo, 0, 8 * PAGE, 1);
    assert.equal(addrs[0]! % (1n << 15n), 0n);
    assert.deepEqual(readVmo(sys, vmo, 0, 8 * PAGE), new Uint8Array(8 * PAGE));
  });

  it('destroys the VMO whose handle out cannot receive and gives its pages back', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const before = proc.object.handles.size;
    const free = kmemStats(kernel, proc).free_bytes;
    for (const handle of [null, Object.freeze({ value: 0 })]) {
      expectStatus(sys.zx_vmo_create_contiguous(b, 16 * PAGE, 0, handle), ZX_ERR_INVALID_ARGS);
      assert.equal(proc.object.handles.size, before);
      assert.equal(kmemStats(kernel, proc).free_bytes, free);
    }
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n);
  });

  it('gives NO_MEMORY when the handle arena is full, and frees the run', () => {
    const { kernel, proc, sys, fill } = smallArena();
    const device = bti(kernel, proc);
    fill(proc.job);
    const free = kernel.core.pmm.freeFrames;
    expectFailure(
      proc,
      sys.zx_vmo_create_contiguous(device, 4 * PAGE, 0, out(0)),
      ZX_ERR_NO_MEMORY,
      ARENA_FULL,
    );
    assert.equal(kernel.core.pmm.freeFrames, free);
  });
});
