// zx_vmo_transfer_data: its checks in Zircon's order, and what moves: the destination reads
// what the source read, the source range reads zero and holds nothing, snapshots fork before
// giving pages away, and slices and references move their parent's pages.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_WRONG_TYPE,
  ZX_IOMMU_TYPE_STUB,
  ZX_OK,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
} from '../../../src/abi/constants.ts';
import {
  createVmo,
  duplicate,
  exhaustMemory,
  expectStatus,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  pinVmoPages,
  readVmo,
  systemResource,
  vmoInfo,
} from '../../helpers.ts';
import {
  checkAttributionSum,
  child,
  scaled,
  tagPages,
  tags,
  writeTag,
} from '../../vm/cow/tree-helpers.ts';
import { diskPage, pagedSetup, requestRanges, supplyDisk } from '../pager/pager-helpers.ts';

const P = BigInt(PAGE);

describe('zx_vmo_transfer_data checks', () => {
  it('rejects options, unaligned ranges and wrong rights in order', () => {
    const { proc, sys } = newProcess();
    const src = createVmo(sys, 4 * PAGE);
    const dst = createVmo(sys, 4 * PAGE);
    expectStatus(sys.zx_vmo_transfer_data(dst, 1, 0, PAGE, src, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 1, PAGE, src, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, 1, src, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, PAGE, src, 1), ZX_ERR_INVALID_ARGS);
    // Misalignment beats a bad handle.
    expectStatus(sys.zx_vmo_transfer_data(0, 0, 1, PAGE, 0, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_transfer_data(0, 0, 0, PAGE, src, 0), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_vmo_transfer_data(proc.job, 0, 0, PAGE, src, 0), ZX_ERR_WRONG_TYPE);
    const noRights = duplicate(sys, dst, 0);
    expectStatus(sys.zx_vmo_transfer_data(noRights, 0, 0, PAGE, src, 0), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, PAGE, 0, 0), ZX_ERR_BAD_HANDLE);
    for (const rights of [0, ZX_RIGHT_READ, ZX_RIGHT_WRITE]) {
      const weak = duplicate(sys, src, rights);
      expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, PAGE, weak, 0), ZX_ERR_ACCESS_DENIED);
    }
    const dstWrite = duplicate(sys, dst, ZX_RIGHT_WRITE);
    const srcRw = duplicate(sys, src, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    expectStatus(sys.zx_vmo_transfer_data(dstWrite, 0, 0, PAGE, srcRw, 0), ZX_OK);
  });

  it('checks the source range, then the destination range', () => {
    const { sys } = newProcess();
    const src = createVmo(sys, 5 * PAGE);
    const dst = createVmo(sys, 5 * PAGE);
    tagPages(sys, src, 5);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, 6 * PAGE, src, 0), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, PAGE, src, 6 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, 0, src, 6 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(
      sys.zx_vmo_transfer_data(dst, 0, 0xffff_ffff_ffff_f000n, 2 * PAGE, src, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
    assert.deepEqual(tags(sys, src, 1), [0], 'the source pages were taken before the dst check');
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 6 * PAGE, 0, src, 0), ZX_OK);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 6 * PAGE, PAGE, src, PAGE), ZX_ERR_OUT_OF_RANGE);
    assert.deepEqual(tags(sys, src, 5), [0, 0, 3, 4, 5]);
  });

  it('refuses contiguous VMOs and pinned pages on either side', () => {
    const t = newProcess();
    const { proc, sys } = t;
    const resource = systemResource(t.kernel, proc);
    const iommu = out(0);
    expectStatus(
      sys.zx_iommu_create(resource, ZX_IOMMU_TYPE_STUB, new Uint8Array(1), 1, iommu),
      ZX_OK,
    );
    const bti = out(0);
    expectStatus(sys.zx_bti_create(iommu.value, 0, 0n, bti), ZX_OK);
    const contiguous = out(0);
    expectStatus(sys.zx_vmo_create_contiguous(bti.value, PAGE, 0, contiguous), ZX_OK);
    const vmo = createVmo(sys, PAGE);
    expectStatus(
      sys.zx_vmo_transfer_data(vmo, 0, 0, PAGE, contiguous.value, 0),
      ZX_ERR_NOT_SUPPORTED,
    );
    expectStatus(
      sys.zx_vmo_transfer_data(contiguous.value, 0, 0, PAGE, vmo, 0),
      ZX_ERR_NOT_SUPPORTED,
    );
    const pinned = createVmo(sys, PAGE);
    const unpin = pinVmoPages(proc, pinned, 0, 1);
    expectStatus(sys.zx_vmo_transfer_data(vmo, 0, 0, PAGE, pinned, 0), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmo_transfer_data(pinned, 0, 0, PAGE, vmo, 0), ZX_ERR_BAD_STATE);
    unpin();
    expectStatus(sys.zx_vmo_transfer_data(pinned, 0, 0, PAGE, vmo, 0), ZX_OK);
  });
});

describe('zx_vmo_transfer_data moves pages', () => {
  it('moves frames without copying, leaving the source zero', () => {
    const { kernel, proc, sys } = newProcess();
    const src = createVmo(sys, 4 * PAGE);
    const dst = createVmo(sys, 4 * PAGE);
    tagPages(sys, src, 4);
    tagPages(sys, dst, 4, 10);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, PAGE, 2 * PAGE, src, 0), ZX_OK);
    assert.deepEqual(tags(sys, dst, 4), [10, 1, 2, 13]);
    assert.deepEqual(tags(sys, src, 4), [0, 0, 3, 4]);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 6n * P);
    assert.equal(scaled(sys, src), 2n * P);
    checkAttributionSum(kernel, proc, [src, dst]);
  });

  it('overwrites destination pages with zeros where the source had none', () => {
    const { kernel, proc, sys } = newProcess();
    const src = createVmo(sys, 2 * PAGE);
    const dst = createVmo(sys, 2 * PAGE);
    writeTag(sys, src, 1, 5);
    tagPages(sys, dst, 2, 10);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, 2 * PAGE, src, 0), ZX_OK);
    assert.deepEqual(tags(sys, dst, 2), [0, 5]);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, P);
    checkAttributionSum(kernel, proc, [src, dst]);
  });

  it('moves within one VMO (SameSrcAndDst)', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 5 * PAGE);
    tagPages(sys, vmo, 5);
    expectStatus(sys.zx_vmo_transfer_data(vmo, 0, 2 * PAGE, 3 * PAGE, vmo, 0), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 5), [0, 0, 1, 2, 3]);
    expectStatus(sys.zx_vmo_transfer_data(vmo, 0, PAGE, PAGE, vmo, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 5), [0, 0, 1, 2, 3]);
  });

  it('forks from a snapshot source and leaves its parent alone', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE);
    tagPages(sys, vmo, 3);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    writeTag(sys, c, 2, 9);
    const dst = createVmo(sys, 3 * PAGE);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, 3 * PAGE, c, 0), ZX_OK);
    assert.deepEqual(tags(sys, dst, 3), [1, 2, 9]);
    assert.deepEqual(tags(sys, c, 3), [0, 0, 0]);
    assert.deepEqual(tags(sys, vmo, 3), [1, 2, 3]);
    assert.equal(scaled(sys, c), 0n);
    assert.equal(scaled(sys, vmo), 3n * P);
    checkAttributionSum(kernel, proc, [vmo, c, dst]);
  });

  it('gives NO_MEMORY when shared pages cannot be forked out of a snapshot, moving nothing', () => {
    const kernel = newKernel({ memoryBytes: 16 * PAGE, reclaimWatermarkBytes: 0 });
    const { proc, sys } = newProcess(kernel);
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    const dst = createVmo(sys, 2 * PAGE);
    exhaustMemory(kernel, proc);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, 2 * PAGE, c, 0), ZX_ERR_NO_MEMORY);
    assert.deepEqual(tags(sys, c, 2), [1, 2]);
    assert.deepEqual(tags(sys, vmo, 2), [1, 2]);
    assert.deepEqual(tags(sys, dst, 2), [0, 0]);
  });

  it('takes pages from a snapshot whose parent is gone, at an offset', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, 3 * PAGE);
    const sibling = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
    sys.zx_handle_close(vmo);
    const dst = createVmo(sys, 2 * PAGE);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, 2 * PAGE, c, PAGE), ZX_OK);
    assert.deepEqual(tags(sys, dst, 2), [3, 4]);
    assert.deepEqual(tags(sys, c, 3), [2, 0, 0]);
    assert.deepEqual(tags(sys, sibling, 4), [1, 2, 3, 4]);
    checkAttributionSum(kernel, proc, [c, sibling, dst]);
  });

  it('puts pages into a snapshot destination without touching its parent or siblings', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    const sibling = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    const src = createVmo(sys, 2 * PAGE);
    writeTag(sys, src, 0, 7);
    expectStatus(sys.zx_vmo_transfer_data(c, 0, 0, 2 * PAGE, src, 0), ZX_OK);
    // An empty source page overwrites what the parent shows (EmptyOverwritesParentContent).
    assert.deepEqual(tags(sys, c, 2), [7, 0]);
    assert.deepEqual(tags(sys, vmo, 2), [1, 2]);
    assert.deepEqual(tags(sys, sibling, 2), [1, 2]);
    checkAttributionSum(kernel, proc, [vmo, c, sibling, src]);
  });

  it('moves the parent pages of slices and references, on either side', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 2 * PAGE, 2 * PAGE);
    const other = createVmo(sys, 2 * PAGE);
    expectStatus(sys.zx_vmo_transfer_data(other, 0, 0, 2 * PAGE, slice, 0), ZX_OK);
    assert.deepEqual(tags(sys, other, 2), [3, 4]);
    assert.deepEqual(tags(sys, vmo, 4), [1, 2, 0, 0]);
    expectStatus(sys.zx_vmo_transfer_data(other, 0, 0, PAGE, slice, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    expectStatus(sys.zx_vmo_transfer_data(ref, 0, 3 * PAGE, PAGE, other, 0), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 4), [1, 2, 0, 3]);
    expectStatus(sys.zx_vmo_transfer_data(slice, 0, 0, PAGE, ref, 0), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 4), [0, 2, 1, 3]);
    assert.equal(vmoInfo(sys, slice).populated_bytes, 0n);
    checkAttributionSum(kernel, proc, [vmo, slice, other, ref]);
    sys.zx_handle_close(vmo);
    sys.zx_handle_close(slice);
    sys.zx_handle_close(ref);
    sys.zx_handle_close(other);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n);
  });

  it('leaves a snapshot of the destination right when the destination closes', () => {
    // Regression: the hidden node merged into the snapshot held a zero marker past its window.
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const g = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
    const src = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 5 * PAGE);
    expectStatus(sys.zx_vmo_transfer_data(g, 0, 2 * PAGE, 2 * PAGE, src, 3 * PAGE), ZX_OK);
    assert.deepEqual(tags(sys, g, 4), [1, 2, 4, 0]);
    const l = child(sys, g, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    assert.deepEqual(tags(sys, l, 3), [1, 2, 4]);
    sys.zx_handle_close(g);
    assert.deepEqual(tags(sys, l, 3), [1, 2, 4]);
    sys.zx_handle_close(vmo);
    assert.deepEqual(tags(sys, l, 3), [1, 2, 4]);
    assert.deepEqual(tags(sys, src, 5), [1, 2, 3, 0, 0]);
    checkAttributionSum(kernel, proc, [l, src]);
  });

  it('keeps the handle rights it needs: READ and WRITE on the source', () => {
    const { sys } = newProcess();
    const src = createVmo(sys, PAGE);
    const dst = createVmo(sys, PAGE);
    const ro = duplicate(sys, src, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0, PAGE, ro, 0), ZX_ERR_ACCESS_DENIED);
  });
});

// The host is no zx thread: where a thread would wait for the pager, it gets SHOULD_WAIT.
describe('zx_vmo_transfer_data from a pager-backed VMO, from the host', () => {
  it('gives ZX_ERR_SHOULD_WAIT on missing source pages, having sent the READ request', () => {
    const { sys } = newProcess();
    const { pager, port, vmo } = pagedSetup(sys, 4);
    const dst = createVmo(sys, 4 * PAGE);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0n, 2n * P, vmo, P), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(requestRanges(sys, port), [['READ', 1, 2]]);
    supplyDisk(sys, pager, vmo, 1, 2);
    expectStatus(sys.zx_vmo_transfer_data(dst, 0, 0n, 2n * P, vmo, P), ZX_OK);
    assert.deepEqual(readVmo(sys, dst, PAGE, PAGE), diskPage(2));
  });
});
