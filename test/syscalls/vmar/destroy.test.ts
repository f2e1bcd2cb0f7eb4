// zx_vmar_destroy: every error in Zircon's order, what a destroyed VMAR leaves behind, and
// that merely closing a VMAR handle destroys nothing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_OBJ_TYPE_VMAR,
  ZX_OK,
  ZX_RIGHT_OP_CHILDREN,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_SPECIFIC,
} from '../../../src/abi/constants.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  handleBasic,
  newProcess,
  out,
  PAGE,
  vmoInfo,
} from '../../helpers.ts';
import { allocate, loadStatus, map, RW, store, USER_BASE } from './vmar-helpers.ts';

const CAN_MAP_RW = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
const CAN_MAP_ALL = CAN_MAP_RW | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC;

describe('zx_vmar_destroy', () => {
  it('refuses the root VMAR of an address space: ZX_ERR_NOT_SUPPORTED', () => {
    const { sys, proc } = newProcess();
    expectStatus(sys.zx_vmar_destroy(proc.rootVmar), ZX_ERR_NOT_SUPPORTED);
  });

  it('needs ZX_RIGHT_OP_CHILDREN', () => {
    const { sys, proc } = newProcess();
    const child = allocate(sys, proc.rootVmar, CAN_MAP_RW, 0, PAGE);
    const weak = duplicate(sys, child.handle, ZX_DEFAULT_VMAR_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    expectStatus(sys.zx_vmar_destroy(weak), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_vmar_destroy(child.handle), ZX_OK);
  });

  it('reports bad handles: ZX_ERR_BAD_HANDLE, and ZX_ERR_WRONG_TYPE for a VMO', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_vmar_destroy(ZX_HANDLE_INVALID), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_vmar_destroy(createVmo(sys, PAGE)), ZX_ERR_WRONG_TYPE);
  });

  it('unmaps everything inside, nested sub-VMARs too, and frees the range in the parent', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
    const nested = allocate(sys, parent.handle, CAN_MAP_ALL, 0, 16 * PAGE);
    const vmo = createVmo(sys, 4 * PAGE);
    const outer = map(sys, parent.handle, RW, 0, vmo, 0, PAGE);
    const inner = map(sys, nested.handle, RW, 0, vmo, PAGE, PAGE);
    store(proc, inner, new Uint8Array([7]));
    assert.equal(vmoInfo(sys, vmo).num_mappings, 2n);
    expectStatus(sys.zx_vmar_destroy(parent.handle), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 0n);
    expectStatus(loadStatus(proc, outer), ZX_ERR_NOT_FOUND);
    expectStatus(loadStatus(proc, inner), ZX_ERR_NOT_FOUND);
    const again = allocate(sys, proc.rootVmar, ZX_VM_SPECIFIC, parent.addr - USER_BASE, 64 * PAGE);
    assert.equal(again.addr, parent.addr);
  });

  it('leaves the handles valid but every operation through them ZX_ERR_BAD_STATE', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
    const nested = allocate(sys, parent.handle, CAN_MAP_ALL, 0, 16 * PAGE);
    const vmo = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmar_destroy(parent.handle), ZX_OK);
    for (const vmar of [parent, nested]) {
      assert.equal(handleBasic(sys, vmar.handle).type, ZX_OBJ_TYPE_VMAR);
      expectStatus(sys.zx_vmar_destroy(vmar.handle), ZX_ERR_BAD_STATE);
      expectStatus(
        sys.zx_vmar_allocate(vmar.handle, 0, 0, PAGE, out(0), out(0n)),
        ZX_ERR_BAD_STATE,
      );
      expectStatus(sys.zx_vmar_map(vmar.handle, RW, 0, vmo, 0, PAGE, out(0n)), ZX_ERR_BAD_STATE);
      expectStatus(sys.zx_vmar_unmap(vmar.handle, vmar.addr, PAGE), ZX_ERR_BAD_STATE);
      expectStatus(sys.zx_vmar_protect(vmar.handle, RW, vmar.addr, PAGE), ZX_ERR_BAD_STATE);
      // Unmap checks its length before the VMAR's state.
      expectStatus(sys.zx_vmar_unmap(vmar.handle, vmar.addr, 0), ZX_ERR_INVALID_ARGS);
    }
  });

  it('does nothing to the address space when a VMAR handle is merely closed', () => {
    const { sys, proc } = newProcess();
    const child = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 16 * PAGE);
    const vmo = createVmo(sys, PAGE);
    const addr = map(sys, child.handle, RW, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_handle_close(child.handle), ZX_OK);
    store(proc, addr, new Uint8Array([1]));
    expectStatus(
      sys.zx_vmar_allocate(proc.rootVmar, ZX_VM_SPECIFIC, 0, PAGE, out(0), out(0n)),
      ZX_ERR_ALREADY_EXISTS,
    );
  });
});
