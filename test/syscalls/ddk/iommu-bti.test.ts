// zx_iommu_create and zx_bti_create: their checks in Zircon's order and their out-parameters.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_BTI_RIGHTS,
  ZX_DEFAULT_IOMMU_RIGHTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_IOMMU_MAX_DESC_LEN,
  ZX_IOMMU_TYPE_ARM_SMMU,
  ZX_IOMMU_TYPE_DUMMY,
  ZX_IOMMU_TYPE_INTEL,
  ZX_IOMMU_TYPE_STUB,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_IOMMU,
  ZX_OK,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_IOMMU_BASE,
  ZX_RSRC_SYSTEM_VMEX_BASE,
} from '../../../src/abi/constants.ts';
import {
  ARENA_FULL,
  duplicate,
  expectFailure,
  expectStatus,
  handleBasic,
  newProcess,
  out,
  smallArena,
  systemResource,
} from '../../helpers.ts';
import { mmioBase, mmioResource } from '../vmar/vmar-helpers.ts';
import { iommu, P, STUB_DESC } from './ddk-helpers.ts';

describe('zx_iommu_create and zx_bti_create', () => {
  it('make a stub IOMMU from the system resource and BTIs from it', () => {
    const { kernel, sys, proc } = newProcess();
    const handle = iommu(kernel, proc);
    const basic = handleBasic(sys, handle);
    assert.equal(basic.type, ZX_OBJ_TYPE_IOMMU);
    assert.equal(basic.rights, ZX_DEFAULT_IOMMU_RIGHTS);
    assert.equal(ZX_IOMMU_TYPE_DUMMY, ZX_IOMMU_TYPE_STUB);
    const b = out(0);
    // Every bus transaction id is valid with the stub.
    expectStatus(sys.zx_bti_create(handle, 0, 0xffff_ffffn, b), ZX_OK);
    assert.equal(handleBasic(sys, b.value).type, ZX_OBJ_TYPE_BTI);
    assert.equal(handleBasic(sys, b.value).rights, ZX_DEFAULT_BTI_RIGHTS);
    // The IOMMU handle needs no right.
    const bare = duplicate(sys, handle, 0);
    expectStatus(sys.zx_bti_create(bare, 0, 1, out(0)), ZX_OK);
  });

  it('accept a SYSTEM resource covering the IOMMU base and refuse others', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const make = (base: bigint) => {
      const h = out(0);
      expectStatus(sys.zx_resource_create(root, ZX_RSRC_KIND_SYSTEM, base, 1, null, 0, h), ZX_OK);
      return h.value;
    };
    expectStatus(
      sys.zx_iommu_create(
        make(ZX_RSRC_SYSTEM_IOMMU_BASE),
        ZX_IOMMU_TYPE_STUB,
        STUB_DESC,
        1,
        out(0),
      ),
      ZX_OK,
    );
    expectStatus(
      sys.zx_iommu_create(make(ZX_RSRC_SYSTEM_VMEX_BASE), ZX_IOMMU_TYPE_STUB, STUB_DESC, 1, out(0)),
      ZX_ERR_OUT_OF_RANGE,
    );
    const mmio = mmioResource(kernel, proc, mmioBase(kernel), P);
    expectStatus(
      sys.zx_iommu_create(mmio, ZX_IOMMU_TYPE_STUB, STUB_DESC, 1, out(0)),
      ZX_ERR_WRONG_TYPE,
    );
    expectStatus(
      sys.zx_iommu_create(proc.job, ZX_IOMMU_TYPE_STUB, STUB_DESC, 1, out(0)),
      ZX_ERR_WRONG_TYPE,
    );
    expectStatus(
      sys.zx_iommu_create(ZX_HANDLE_INVALID, ZX_IOMMU_TYPE_STUB, STUB_DESC, 1, out(0)),
      ZX_ERR_BAD_HANDLE,
    );
  });

  it('check the descriptor: its size, that it can be read, then the type', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const big = new Uint8Array(ZX_IOMMU_MAX_DESC_LEN + 1);
    expectStatus(
      sys.zx_iommu_create(root, ZX_IOMMU_TYPE_STUB, big, big.length, out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_iommu_create(root, 99, null, 8, out(0)), ZX_ERR_INVALID_ARGS);
    for (const type of [ZX_IOMMU_TYPE_INTEL, ZX_IOMMU_TYPE_ARM_SMMU, 99]) {
      expectStatus(sys.zx_iommu_create(root, type, STUB_DESC, 1, out(0)), ZX_ERR_NOT_SUPPORTED);
    }
    expectStatus(
      sys.zx_iommu_create(root, ZX_IOMMU_TYPE_STUB, null, 0, out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_iommu_create(root, ZX_IOMMU_TYPE_STUB, new Uint8Array(2), 2, out(0)),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('check the BTI options first, then the IOMMU handle', () => {
    const { kernel, sys, proc } = newProcess();
    const handle = iommu(kernel, proc);
    expectStatus(sys.zx_bti_create(ZX_HANDLE_INVALID, 1, 0, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_bti_create(ZX_HANDLE_INVALID, 0, 0, out(0)), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_bti_create(proc.job, 0, 0, out(0)), ZX_ERR_WRONG_TYPE);
    expectStatus(sys.zx_bti_create(handle, 0, 0, null), ZX_ERR_INVALID_ARGS);
  });

  it('give ZX_ERR_NOT_FOUND for a host descriptor shorter than desc_size', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    expectStatus(
      sys.zx_iommu_create(root, ZX_IOMMU_TYPE_STUB, new Uint8Array(0), 1, out(0)),
      ZX_ERR_NOT_FOUND,
    );
  });

  it('destroy the IOMMU or BTI whose handle out cannot receive, leaving no handle behind', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const parent = iommu(kernel, proc);
    const before = proc.object.handles.size;
    for (const handle of [null, Object.freeze({ value: 0 })]) {
      expectStatus(
        sys.zx_iommu_create(root, ZX_IOMMU_TYPE_STUB, STUB_DESC, 1, handle),
        ZX_ERR_INVALID_ARGS,
      );
      assert.equal(proc.object.handles.size, before);
      expectStatus(sys.zx_bti_create(parent, 0, 0, handle), ZX_ERR_INVALID_ARGS);
      assert.equal(proc.object.handles.size, before);
    }
    // The IOMMU is unaffected and still makes BTIs.
    const made = out(0);
    expectStatus(sys.zx_bti_create(parent, 0, 0, made), ZX_OK);
    assert.equal(proc.object.handles.size, before + 1);
  });

  it('gives NO_MEMORY when the handle arena is full', () => {
    const { kernel, proc, sys, fill } = smallArena();
    const resource = systemResource(kernel, proc);
    const stub = iommu(kernel, proc);
    fill(proc.job);
    const made = sys.zx_iommu_create(resource, ZX_IOMMU_TYPE_STUB, STUB_DESC, 1, out(0));
    expectFailure(proc, made, ZX_ERR_NO_MEMORY, ARENA_FULL);
    expectFailure(proc, sys.zx_bti_create(stub, 0, 0, out(0)), ZX_ERR_NO_MEMORY, ARENA_FULL);
  });
});
