// Device memory has no stream: physical and contiguous VMOs report a stream size of 0 and
// refuse to set one, through zx_vmo_*_stream_size and through ZX_PROP_VMO_CONTENT_SIZE.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ZX_ERR_NOT_SUPPORTED,
  ZX_IOMMU_TYPE_STUB,
  ZX_OK,
  ZX_PROP_VMO_CONTENT_SIZE,
} from '../../../src/index.ts';
import { expectStatus, newProcess, out, PAGE, systemResource } from '../../helpers.ts';
import { mmioBase, mmioResource } from '../vmar/vmar-helpers.ts';

function deviceVmos() {
  const { kernel, proc, sys } = newProcess();
  const base = mmioBase(kernel);
  const physical = out(0);
  expectStatus(
    sys.zx_vmo_create_physical(mmioResource(kernel, proc, base, PAGE), base, PAGE, physical),
    ZX_OK,
  );
  const iommu = out(0);
  const desc = new Uint8Array(1);
  expectStatus(
    sys.zx_iommu_create(systemResource(kernel, proc), ZX_IOMMU_TYPE_STUB, desc, 1, iommu),
    ZX_OK,
  );
  const bti = out(0);
  expectStatus(sys.zx_bti_create(iommu.value, 0, 0, bti), ZX_OK);
  const contiguous = out(0);
  expectStatus(sys.zx_vmo_create_contiguous(bti.value, 2 * PAGE, 0, contiguous), ZX_OK);
  return { sys, handles: [physical.value, contiguous.value] };
}

test('physical and contiguous VMOs report a stream size of zero', () => {
  const { sys, handles } = deviceVmos();
  for (const handle of handles) {
    const size = out(1n);
    expectStatus(sys.zx_vmo_get_stream_size(handle, size), ZX_OK);
    assert.equal(size.value, 0n);
    const bytes = new Uint8Array(8).fill(0xff);
    expectStatus(sys.zx_object_get_property(handle, ZX_PROP_VMO_CONTENT_SIZE, bytes, 8), ZX_OK);
    assert.deepEqual([...bytes], [0, 0, 0, 0, 0, 0, 0, 0]);
  }
});

test('setting the content size of device memory is NOT_SUPPORTED', () => {
  const { sys, handles } = deviceVmos();
  for (const handle of handles) {
    const value = new Uint8Array(8);
    expectStatus(
      sys.zx_object_set_property(handle, ZX_PROP_VMO_CONTENT_SIZE, value, 8),
      ZX_ERR_NOT_SUPPORTED,
    );
    expectStatus(sys.zx_vmo_set_stream_size(handle, 0), ZX_ERR_NOT_SUPPORTED);
  }
});
