// zx_bti_pin, zx_pmt_unpin and zx_bti_release_quarantine: the checks in Zircon's order, the
// PMT out-parameter, the quarantine, and what pinned pages refuse.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_BTI_COMPRESS,
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_EXECUTE,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_CACHE_POLICY_UNCACHED,
  ZX_DEFAULT_BTI_RIGHTS,
  ZX_DEFAULT_PMT_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_OBJ_TYPE_PMT,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
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
  readVmo,
  smallArena,
  systemResource,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import { pagedSetup, requestRanges, supplyDisk } from '../pager/pager-helpers.ts';
import { mmioBase, pattern } from '../vmar/vmar-helpers.ts';
import { bti, contiguousVmo, P, physicalVmo, pin, pinStatus } from './ddk-helpers.ts';

describe('zx_bti_pin and zx_pmt_unpin', () => {
  it('pin pages (committing them) and return one physical address per page', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const vmo = createVmo(sys, 4 * PAGE);
    writeVmo(sys, vmo, PAGE, new Uint8Array([7]));
    const { addrs, pmt } = pin(
      sys,
      b,
      ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE,
      vmo,
      PAGE,
      2 * PAGE,
      2,
    );
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 2n * P);
    const pmm = kernel.core.pmm;
    const frame = Number(addrs[0]! / P);
    assert.equal(pmm.arenaOf(frame)[pmm.frameOffset(frame)], 7);
    assert.equal(pmm.pinCount(frame), 1);
    assert.equal(handleBasic(sys, pmt).type, ZX_OBJ_TYPE_PMT);
    assert.equal(handleBasic(sys, pmt).rights, ZX_DEFAULT_PMT_RIGHTS);
    expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK);
    assert.equal(pmm.pinCount(frame), 0);
    expectStatus(sys.zx_handle_close(pmt), ZX_ERR_BAD_HANDLE);
  });

  it('return one address per page with COMPRESS and one for the run with CONTIGUOUS', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const vmo = createVmo(sys, 4 * PAGE);
    const compressed = pin(sys, b, ZX_BTI_PERM_READ | ZX_BTI_COMPRESS, vmo, 0, 4 * PAGE, 4);
    assert.equal(compressed.addrs.length, 4);
    const contiguous = contiguousVmo(sys, b, 4 * PAGE);
    const run = pin(sys, b, ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS, contiguous, PAGE, 2 * PAGE, 1);
    const each = pin(sys, b, ZX_BTI_PERM_READ, contiguous, 0, 4 * PAGE, 4);
    assert.equal(run.addrs[0], each.addrs[1]);
    const physical = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), 2 * PAGE);
    const device = pin(sys, b, ZX_BTI_PERM_WRITE | ZX_BTI_CONTIGUOUS, physical, 0, 2 * PAGE, 1);
    assert.equal(device.addrs[0], mmioBase(kernel));
  });

  it('check in order: BTI, alignment and count, VMO, rights, options, size, range', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const vmo = createVmo(sys, 4 * PAGE);
    const RD = ZX_BTI_PERM_READ;
    expectStatus(pinStatus(sys, ZX_HANDLE_INVALID, RD, vmo, 0, PAGE, 1), ZX_ERR_BAD_HANDLE);
    expectStatus(pinStatus(sys, vmo, RD, vmo, 0, PAGE, 1), ZX_ERR_WRONG_TYPE);
    const noMapBti = duplicate(sys, b, ZX_DEFAULT_BTI_RIGHTS & ~ZX_RIGHT_MAP);
    expectStatus(pinStatus(sys, noMapBti, RD, vmo, 0, PAGE, 1), ZX_ERR_ACCESS_DENIED);
    expectStatus(pinStatus(sys, b, RD, ZX_HANDLE_INVALID, 1, PAGE, 1), ZX_ERR_INVALID_ARGS);
    expectStatus(pinStatus(sys, b, RD, ZX_HANDLE_INVALID, 0, 1, 1), ZX_ERR_INVALID_ARGS);
    expectStatus(pinStatus(sys, b, RD, ZX_HANDLE_INVALID, 0, PAGE, 32769), ZX_ERR_INVALID_ARGS);
    expectStatus(pinStatus(sys, b, RD, ZX_HANDLE_INVALID, 0, PAGE, 1), ZX_ERR_BAD_HANDLE);
    expectStatus(pinStatus(sys, b, RD, b, 0, PAGE, 1), ZX_ERR_WRONG_TYPE);
    const noMap = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_MAP);
    expectStatus(pinStatus(sys, b, RD, noMap, 0, PAGE, 1), ZX_ERR_ACCESS_DENIED);
    const noRead = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ);
    const noWrite = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    expectStatus(pinStatus(sys, b, RD, noRead, 0, PAGE, 1), ZX_ERR_ACCESS_DENIED);
    expectStatus(pinStatus(sys, b, ZX_BTI_PERM_WRITE, noWrite, 0, PAGE, 1), ZX_ERR_ACCESS_DENIED);
    // EXECUTE needs READ, not EXECUTE.
    expectStatus(pinStatus(sys, b, ZX_BTI_PERM_EXECUTE, noRead, 0, PAGE, 1), ZX_ERR_ACCESS_DENIED);
    expectStatus(pinStatus(sys, b, ZX_BTI_PERM_EXECUTE, noWrite, 0, PAGE, 1), ZX_OK);
    for (const options of [
      RD | ZX_BTI_COMPRESS | ZX_BTI_CONTIGUOUS,
      RD | ZX_BTI_CONTIGUOUS,
      RD | 0x20,
      RD | (1 << 31),
    ]) {
      expectStatus(pinStatus(sys, b, options, vmo, 0, PAGE, 1), ZX_ERR_INVALID_ARGS);
    }
    expectStatus(pinStatus(sys, b, RD, vmo, 0, 0, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(pinStatus(sys, b, RD, vmo, 3 * PAGE, 2 * PAGE, 2), ZX_ERR_OUT_OF_RANGE);
    expectStatus(
      pinStatus(sys, b, RD, vmo, 0xffff_ffff_ffff_f000n, 2 * PAGE, 2),
      ZX_ERR_OUT_OF_RANGE,
    );
  });

  it('refuses no permissions and a wrong address count, leaving nothing pinned', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const vmo = createVmo(sys, 4 * PAGE);
    expectStatus(pinStatus(sys, b, 0, vmo, 0, PAGE, 1), ZX_ERR_INVALID_ARGS);
    expectStatus(pinStatus(sys, b, ZX_BTI_PERM_READ, vmo, 0, 2 * PAGE, 1), ZX_ERR_INVALID_ARGS);
    expectStatus(pinStatus(sys, b, ZX_BTI_PERM_READ, vmo, 0, 2 * PAGE, 3), ZX_ERR_INVALID_ARGS);
    const contiguous = contiguousVmo(sys, b, 2 * PAGE);
    expectStatus(
      pinStatus(sys, b, ZX_BTI_PERM_READ | ZX_BTI_CONTIGUOUS, contiguous, 0, 2 * PAGE, 2),
      ZX_ERR_INVALID_ARGS,
    );
    assert.equal(kernel.core.pmm.pinnedFrames, 0);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 4 * PAGE, null, 0), ZX_OK);
    // A host array shorter than the addresses is ZX_ERR_NOT_FOUND; NULL is a bad pointer.
    expectStatus(
      sys.zx_bti_pin(b, ZX_BTI_PERM_READ, vmo, 0, 2 * PAGE, new Uint8Array(8), 2, out(0)),
      ZX_ERR_NOT_FOUND,
    );
    expectStatus(
      sys.zx_bti_pin(b, ZX_BTI_PERM_READ, vmo, 0, PAGE, null, 1, out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    assert.equal(kernel.core.pmm.pinnedFrames, 0);
  });

  it('keep pinned pages in place: decommit, shrink, snapshot and cache policy give ZX_ERR_BAD_STATE', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const vmo = createVmo(sys, 4 * PAGE, ZX_VMO_RESIZABLE);
    writeVmo(sys, vmo, 0, pattern(4 * PAGE));
    const { pmt } = pin(sys, b, ZX_BTI_PERM_READ, vmo, PAGE, PAGE, 1);
    expectStatus(
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 2 * PAGE, null, 0),
      ZX_ERR_BAD_STATE,
    );
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 2 * PAGE, 2 * PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_vmo_set_size(vmo, PAGE), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmo_set_size(vmo, 2 * PAGE), ZX_OK);
    expectStatus(
      sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, out(0)),
      ZX_ERR_BAD_STATE,
    );
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    // ZERO clears a pinned page in place.
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 0, 2 * PAGE, null, 0), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 0, 2 * PAGE), new Uint8Array(2 * PAGE));
    assert.equal(vmoInfo(sys, vmo).committed_bytes, P);
    expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK);
    expectStatus(sys.zx_vmo_set_size(vmo, 0), ZX_OK);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
  });

  it('keep the VMO alive while pinned, after its last handle is closed', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const free = kmemStats(kernel, proc).free_bytes;
    const vmo = createVmo(sys, 2 * PAGE);
    const { pmt } = pin(sys, b, ZX_BTI_PERM_READ, vmo, 0, 2 * PAGE, 2);
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, free - 2n * P);
    expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK);
    assert.equal(kmemStats(kernel, proc).free_bytes, free);
  });

  it('fork copy-on-write pages into the pinned clone', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const parent = createVmo(sys, 2 * PAGE);
    writeVmo(sys, parent, 0, pattern(2 * PAGE, 6));
    const clone = out(0);
    expectStatus(sys.zx_vmo_create_child(parent, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE, clone), ZX_OK);
    const parentPins = pin(sys, b, ZX_BTI_PERM_READ, parent, 0, PAGE, 1);
    const clonePins = pin(sys, b, ZX_BTI_PERM_READ, clone.value, 0, PAGE, 1);
    assert.notEqual(parentPins.addrs[0], clonePins.addrs[0]);
    assert.deepEqual(readVmo(sys, clone.value, 0, 2 * PAGE), pattern(2 * PAGE, 6));
    expectStatus(sys.zx_pmt_unpin(parentPins.pmt), ZX_OK);
    expectStatus(sys.zx_pmt_unpin(clonePins.pmt), ZX_OK);
  });

  it('quarantine a PMT closed without unpinning: pages stay pinned, new pins are refused until released', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const vmo = createVmo(sys, 2 * PAGE);
    const { pmt } = pin(sys, b, ZX_BTI_PERM_READ, vmo, 0, PAGE, 1);
    expectStatus(sys.zx_handle_close(pmt), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0), ZX_ERR_BAD_STATE);
    expectStatus(pinStatus(sys, b, ZX_BTI_PERM_READ, vmo, PAGE, PAGE, 1), ZX_ERR_BAD_STATE);
    assert.equal(kernel.core.pmm.pinnedFrames, 1);
    const noWrite = duplicate(sys, b, ZX_DEFAULT_BTI_RIGHTS & ~ZX_RIGHT_WRITE);
    expectStatus(sys.zx_bti_release_quarantine(noWrite), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_bti_release_quarantine(b), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0), ZX_OK);
    pin(sys, b, ZX_BTI_PERM_READ, vmo, PAGE, PAGE, 1);
  });

  it('refuses pins once the BTI handles are closed, while live PMTs still unpin', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const second = duplicate(sys, b, ZX_DEFAULT_BTI_RIGHTS);
    const vmo = createVmo(sys, 2 * PAGE);
    const { pmt } = pin(sys, b, ZX_BTI_PERM_READ, vmo, 0, PAGE, 1);
    expectStatus(sys.zx_handle_close(b), ZX_OK);
    pin(sys, second, ZX_BTI_PERM_READ, vmo, PAGE, PAGE, 1);
    expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK);
    assert.equal(kernel.core.pmm.pinnedFrames, 1);
  });

  it('zx_pmt_unpin closes a handle that is not a PMT (ZX_ERR_WRONG_TYPE)', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(sys.zx_pmt_unpin(ZX_HANDLE_INVALID), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_pmt_unpin(vmo), ZX_ERR_WRONG_TYPE);
    expectStatus(sys.zx_handle_close(vmo), ZX_ERR_BAD_HANDLE);
  });

  it('destroys the PMT handle that pmt cannot receive; the PMT, never unpinned, is quarantined', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const vmo = createVmo(sys, 2 * PAGE);
    const pmm = kernel.core.pmm;
    const before = proc.object.handles.size;
    for (const pmt of [null, Object.freeze({ value: 0 })]) {
      const addrs = new Uint8Array(8);
      expectStatus(
        sys.zx_bti_pin(b, ZX_BTI_PERM_READ, vmo, 0, PAGE, addrs, 1, pmt),
        ZX_ERR_INVALID_ARGS,
      );
      // The addresses were copied out before the handle, as in Zircon.
      assert.notEqual(new DataView(addrs.buffer).getBigUint64(0, true), 0n);
      assert.equal(proc.object.handles.size, before);
      // Closed without zx_pmt_unpin: the page stays pinned and the BTI refuses new pins.
      assert.equal(pmm.pinnedFrames, 1);
      expectStatus(
        sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0),
        ZX_ERR_BAD_STATE,
      );
      expectStatus(pinStatus(sys, b, ZX_BTI_PERM_READ, vmo, PAGE, PAGE, 1), ZX_ERR_BAD_STATE);
      expectStatus(sys.zx_bti_release_quarantine(b), ZX_OK);
      assert.equal(pmm.pinnedFrames, 0);
    }
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, 2 * PAGE, null, 0), ZX_OK);
  });

  it('gives ZX_ERR_NO_MEMORY when the range cannot be committed, leaving nothing pinned', () => {
    const kernel = newKernel({ memoryBytes: 64 * PAGE, reclaimWatermarkBytes: 0 });
    const { sys, proc } = newProcess(kernel);
    const b = bti(kernel, proc);
    const vmo = createVmo(sys, 128 * PAGE);
    expectStatus(
      sys.zx_bti_pin(b, ZX_BTI_PERM_READ, vmo, 0, 128 * PAGE, new Uint8Array(128 * 8), 128, out(0)),
      ZX_ERR_NO_MEMORY,
    );
    assert.equal(kernel.core.pmm.pinnedFrames, 0);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, 4 * PAGE, null, 0), ZX_OK);
  });

  it('gives NO_MEMORY when the handle arena is full, and nothing stays pinned', () => {
    const { kernel, proc, sys, fill } = smallArena();
    const device = bti(kernel, proc);
    const vmo = createVmo(sys, PAGE);
    fill(vmo);
    const status = sys.zx_bti_pin(
      device,
      ZX_BTI_PERM_READ,
      vmo,
      0,
      PAGE,
      new Uint8Array(8),
      1,
      out(0),
    );
    expectFailure(proc, status, ZX_ERR_NO_MEMORY, ARENA_FULL);
    assert.equal(kernel.core.pmm.pinnedFrames, 0);
  });
});

// The host is no zx thread: where a thread would wait for the pager, it gets SHOULD_WAIT.
describe('zx_bti_pin of a pager-backed VMO, from the host', () => {
  it('gives ZX_ERR_SHOULD_WAIT on missing pages (READ), and on clean TRAP_DIRTY pages pinned for write (DIRTY)', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const { pager, port, vmo } = pagedSetup(sys, 4, ZX_VMO_TRAP_DIRTY);
    const perms = ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE;
    expectStatus(pinStatus(sys, b, perms, vmo, P, 2n * P, 2), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(requestRanges(sys, port), [['READ', 1, 2]]);
    supplyDisk(sys, pager, vmo, 1, 2);
    expectStatus(pinStatus(sys, b, perms, vmo, P, 2n * P, 2), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(requestRanges(sys, port), [['DIRTY', 1, 2]]);
    expectStatus(sys.zx_pager_op_range(pager, ZX_PAGER_OP_DIRTY, vmo, P, 2n * P, 0n), ZX_OK);
    const { pmt } = pin(sys, b, perms, vmo, PAGE, 2 * PAGE, 2);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 2n * P);
    expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK);
  });

  it('a pin for the device to read keeps TRAP_DIRTY pages clean: no DIRTY request, nothing dirty', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const { pager, port, vmo } = pagedSetup(sys, 4, ZX_VMO_TRAP_DIRTY);
    supplyDisk(sys, pager, vmo, 0, 4);
    const { pmt } = pin(sys, b, ZX_BTI_PERM_READ, vmo, 0, 4 * PAGE, 4);
    assert.deepEqual(requestRanges(sys, port), []);
    const actual = out(-1n);
    const buffer = new Uint8Array(64);
    const query = sys.zx_pager_query_dirty_ranges(pager, vmo, 0n, 4n * P, buffer, 64, actual, null);
    expectStatus(query, ZX_OK);
    assert.equal(actual.value, 0n, 'no dirty range');
    expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK);
  });

  it('a stream-size shrink keeps pinned pages (cleared in place) and drops the rest', () => {
    const { kernel, sys, proc } = newProcess();
    const b = bti(kernel, proc);
    const { pager, vmo } = pagedSetup(sys, 4);
    supplyDisk(sys, pager, vmo, 0, 4);
    const { pmt } = pin(sys, b, ZX_BTI_PERM_READ, vmo, 2 * PAGE, PAGE, 1);
    expectStatus(sys.zx_vmo_set_stream_size(vmo, 0n), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, P, 'only the pinned page');
    assert.deepEqual(readVmo(sys, vmo, 2 * PAGE, PAGE), new Uint8Array(PAGE));
    expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK);
  });
});
