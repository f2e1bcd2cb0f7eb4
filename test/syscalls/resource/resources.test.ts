// zx_resource_create: VMEX and MMIO ranges cut from the system resource, slices of slices,
// exclusive ranges, and the order of the argument, handle, kind and range errors.
//
// Documented choice (docs/DECISIONS.md): Fuchsia hands privileged code one ranged-root resource
// per kind; the contract hands out only kernel.grantSystemResource, so in zxvm the system
// resource is the ranged root of every kind.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_RESOURCE_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OK,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RSRC_FLAG_EXCLUSIVE,
  ZX_RSRC_KIND_COUNT,
  ZX_RSRC_KIND_IOPORT,
  ZX_RSRC_KIND_IRQ,
  ZX_RSRC_KIND_MMIO,
  ZX_RSRC_KIND_SMC,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_VMEX_BASE,
} from '../../../src/abi/constants.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  ARENA_FULL,
  createVmo,
  duplicate,
  expectFailure,
  expectStatus,
  handleBasic,
  newProcess,
  out,
  PAGE,
  smallArena,
  systemResource,
  UINT64_MAX,
  untyped,
} from '../../helpers.ts';

const MMIO_BASE = 0xfe00_0000n;

function create(
  sys: Syscalls,
  parent: unknown,
  options: number,
  base: number | bigint,
  size: number | bigint,
  name: unknown = null,
  nameSize: unknown = 0,
): { status: number; handle: number } {
  const h = out(0);
  const status = untyped(sys).zx_resource_create(parent, options, base, size, name, nameSize, h);
  return { status, handle: h.value };
}

function mustCreate(sys: Syscalls, parent: number, options: number, base: bigint, size: bigint) {
  const r = create(sys, parent, options, base, size);
  expectStatus(r.status, ZX_OK, 'zx_resource_create');
  return r.handle;
}

function setup() {
  const p = newProcess();
  return { ...p, system: systemResource(p.kernel, p.proc) };
}

describe('the system resource', () => {
  it('is a resource handle with the default resource rights', () => {
    const { sys, system } = setup();
    const basic = handleBasic(sys, system);
    assert.equal(basic.type, ZX_OBJ_TYPE_RESOURCE);
    assert.equal(basic.rights, ZX_DEFAULT_RESOURCE_RIGHTS);
  });

  it('is the ranged root of every kind', () => {
    const { sys, system } = setup();
    mustCreate(sys, system, ZX_RSRC_KIND_MMIO, MMIO_BASE, 0x1000n);
    mustCreate(sys, system, ZX_RSRC_KIND_IRQ, 32n, 1n);
    mustCreate(sys, system, ZX_RSRC_KIND_IOPORT, 0x3f8n, 8n);
    mustCreate(sys, system, ZX_RSRC_KIND_SMC, 0n, 1n);
    mustCreate(sys, system, ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE, 1n);
  });
});

describe('zx_resource_create', () => {
  it('creates a VMEX resource that zx_vmo_replace_as_executable accepts', () => {
    const { sys, system } = setup();
    const vmex = mustCreate(sys, system, ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE, 1n);
    assert.equal(handleBasic(sys, vmex).rights, ZX_DEFAULT_RESOURCE_RIGHTS);
    expectStatus(sys.zx_vmo_replace_as_executable(createVmo(sys, PAGE), vmex, out(0)), ZX_OK);
  });

  it('slices an MMIO child into the same or a smaller range', () => {
    const { sys, system } = setup();
    const mmio = mustCreate(sys, system, ZX_RSRC_KIND_MMIO, MMIO_BASE, 0x4000n);
    mustCreate(sys, mmio, ZX_RSRC_KIND_MMIO, MMIO_BASE, 0x4000n);
    mustCreate(sys, mmio, ZX_RSRC_KIND_MMIO, MMIO_BASE + 0x1000n, 0x1000n);
  });

  it('gives ACCESS_DENIED when a child is asked for another kind or a range outside it', () => {
    const { sys, system } = setup();
    const mmio = mustCreate(sys, system, ZX_RSRC_KIND_MMIO, MMIO_BASE, 0x1000n);
    expectStatus(
      create(sys, mmio, ZX_RSRC_KIND_IRQ, MMIO_BASE, 0x1000n).status,
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(create(sys, mmio, ZX_RSRC_KIND_SYSTEM, 1n, 1n).status, ZX_ERR_ACCESS_DENIED);
    expectStatus(
      create(sys, mmio, ZX_RSRC_KIND_MMIO, MMIO_BASE + 0x1000n, 0x1000n).status,
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(
      create(sys, mmio, ZX_RSRC_KIND_MMIO, MMIO_BASE, 0x2000n).status,
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(
      create(sys, mmio, ZX_RSRC_KIND_MMIO, MMIO_BASE - 0x1000n, 0x1000n).status,
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('gives INVALID_ARGS when base plus size overflows, before looking at the handle', () => {
    const { sys, system } = setup();
    expectStatus(
      create(sys, system, ZX_RSRC_KIND_MMIO, UINT64_MAX, 1024).status,
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(create(sys, system, ZX_RSRC_KIND_MMIO, 1, UINT64_MAX).status, ZX_ERR_INVALID_ARGS);
    expectStatus(create(sys, 0, ZX_RSRC_KIND_MMIO, UINT64_MAX, 1024).status, ZX_ERR_INVALID_ARGS);
    expectStatus(create(sys, system, ZX_RSRC_KIND_MMIO, -1, 2).status, ZX_ERR_INVALID_ARGS);
  });

  it('gives BAD_HANDLE, WRONG_TYPE, then ACCESS_DENIED without WRITE on the parent', () => {
    const { proc, sys, system } = setup();
    expectStatus(create(sys, ZX_HANDLE_INVALID, ZX_RSRC_KIND_MMIO, 0, 1).status, ZX_ERR_BAD_HANDLE);
    expectStatus(create(sys, proc.job, ZX_RSRC_KIND_MMIO, 0, 1).status, ZX_ERR_WRONG_TYPE);
    expectStatus(
      create(sys, createVmo(sys, PAGE), ZX_RSRC_KIND_MMIO, 0, 1).status,
      ZX_ERR_WRONG_TYPE,
    );
    const noWrite = duplicate(sys, system, ZX_RIGHT_INSPECT);
    expectStatus(create(sys, noWrite, ZX_RSRC_KIND_MMIO, 0, 1).status, ZX_ERR_ACCESS_DENIED);
    expectStatus(
      create(sys, duplicate(sys, system, ZX_RIGHT_SAME_RIGHTS), ZX_RSRC_KIND_MMIO, 0, 1).status,
      ZX_OK,
    );
  });

  it('gives INVALID_ARGS for an invalid kind or unknown flags, after the handle', () => {
    const { sys, system } = setup();
    for (const options of [
      ZX_RSRC_KIND_COUNT,
      ZX_RSRC_KIND_COUNT + 1,
      3,
      ZX_RSRC_KIND_MMIO | 0xff0000,
    ]) {
      expectStatus(
        create(sys, system, options, 0, 1).status,
        ZX_ERR_INVALID_ARGS,
        `options ${options}`,
      );
    }
    expectStatus(create(sys, 0, ZX_RSRC_KIND_COUNT, 0, 1).status, ZX_ERR_BAD_HANDLE);
  });

  it('refuses an exclusive range over a shared one and a shared range over an exclusive one', () => {
    const { sys, system } = setup();
    const exclusive = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
    const first = mustCreate(sys, system, exclusive, MMIO_BASE, 0x2000n);
    expectStatus(
      create(sys, system, ZX_RSRC_KIND_MMIO, MMIO_BASE, 0x1000n).status,
      ZX_ERR_NOT_FOUND,
    );
    expectStatus(
      create(sys, system, exclusive, MMIO_BASE + 0x1000n, 0x2000n).status,
      ZX_ERR_NOT_FOUND,
    );
    // Next to it is fine.
    mustCreate(sys, system, ZX_RSRC_KIND_MMIO, MMIO_BASE + 0x2000n, 0x1000n);
    // Closing the exclusive resource frees its range.
    expectStatus(sys.zx_handle_close(first), ZX_OK);
    mustCreate(sys, system, ZX_RSRC_KIND_MMIO, MMIO_BASE, 0x1000n);
    expectStatus(create(sys, system, exclusive, MMIO_BASE, 0x1000n).status, ZX_ERR_NOT_FOUND);
    // Another kind never conflicts.
    mustCreate(sys, system, ZX_RSRC_KIND_IOPORT | ZX_RSRC_FLAG_EXCLUSIVE, MMIO_BASE, 0x1000n);
  });

  it('gives INVALID_ARGS for exclusive slices that are not cut from the ranged root', () => {
    const { sys, system } = setup();
    const exclusive = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
    const shared = mustCreate(sys, system, ZX_RSRC_KIND_MMIO, MMIO_BASE, 0x1000n);
    const owned = mustCreate(sys, system, exclusive, MMIO_BASE + 0x10000n, 0x1000n);
    expectStatus(create(sys, shared, exclusive, MMIO_BASE, 0x1000n).status, ZX_ERR_INVALID_ARGS);
    expectStatus(
      create(sys, owned, ZX_RSRC_KIND_MMIO, MMIO_BASE + 0x10000n, 0x1000n).status,
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      create(sys, owned, exclusive, MMIO_BASE + 0x10000n, 0x1000n).status,
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('gives NOT_FOUND for a SYSTEM range outside the system bases', () => {
    const { sys, system } = setup();
    mustCreate(sys, system, ZX_RSRC_KIND_SYSTEM, 0n, 16n);
    expectStatus(create(sys, system, ZX_RSRC_KIND_SYSTEM, 16, 1).status, ZX_ERR_NOT_FOUND);
    expectStatus(create(sys, system, ZX_RSRC_KIND_SYSTEM, 15, 2).status, ZX_ERR_NOT_FOUND);
  });

  it('takes an optional name: NULL with size 0 is fine, an unreadable name is not', () => {
    const { sys, system } = setup();
    const name = new TextEncoder().encode('uart');
    expectStatus(create(sys, system, ZX_RSRC_KIND_MMIO, 0, 1, name, name.length).status, ZX_OK);
    expectStatus(create(sys, system, ZX_RSRC_KIND_MMIO, 0, 1, null, 0).status, ZX_OK);
    expectStatus(create(sys, system, ZX_RSRC_KIND_MMIO, 0, 1, null, 4).status, ZX_ERR_INVALID_ARGS);
    expectStatus(
      create(sys, system, ZX_RSRC_KIND_MMIO, 0, 1, 0x20_0000, 4).status,
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      create(sys, system, ZX_RSRC_KIND_MMIO, 0, 1, new Uint8Array(2), 4).status,
      ZX_ERR_NOT_FOUND,
    );
    const long = new Uint8Array(100).fill(0x61);
    expectStatus(create(sys, system, ZX_RSRC_KIND_MMIO, 0, 1, long, 100).status, ZX_OK);
  });

  it('gives INVALID_ARGS for an unusable out pointer', () => {
    const { sys, system } = setup();
    expectStatus(
      sys.zx_resource_create(system, ZX_RSRC_KIND_MMIO, 0, 1, null, 0, null),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('destroys a resource whose handle cannot be copied out, freeing its range', () => {
    const { proc, sys, system } = setup();
    const exclusive = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
    for (const bad of [null, Object.freeze({ value: 0 })]) {
      const before = proc.object.handles.size;
      expectStatus(
        untyped(sys).zx_resource_create(system, exclusive, MMIO_BASE, 0x1000n, null, 0, bad),
        ZX_ERR_INVALID_ARGS,
      );
      assert.equal(proc.object.handles.size, before, 'a handle was left in the table');
    }
    // Were the exclusive range still held, this would be NOT_FOUND.
    mustCreate(sys, system, exclusive, MMIO_BASE, 0x1000n);
  });

  it('gives INVALID_ARGS for arguments no C caller could pass', () => {
    const { sys, system } = setup();
    expectStatus(create(sys, system, 0.5 as unknown as number, 0, 1).status, ZX_ERR_INVALID_ARGS);
    expectStatus(create(sys, system, ZX_RSRC_KIND_MMIO, 2n ** 64n, 1).status, ZX_ERR_INVALID_ARGS);
    expectStatus(
      create(sys, system, ZX_RSRC_KIND_MMIO, 0, 1, 'name', 4).status,
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('gives NO_MEMORY when the handle arena is full, and the range stays free', () => {
    const { kernel, proc, sys, fill } = smallArena();
    const system = systemResource(kernel, proc);
    fill(proc.job);
    const exclusive = ZX_RSRC_KIND_MMIO | ZX_RSRC_FLAG_EXCLUSIVE;
    const status = sys.zx_resource_create(system, exclusive, MMIO_BASE, 0x1000n, null, 0, out(0));
    expectFailure(proc, status, ZX_ERR_NO_MEMORY, ARENA_FULL);
    expectStatus(sys.zx_handle_close(proc.job), ZX_OK);
    expectStatus(create(sys, system, exclusive, MMIO_BASE, 0x1000n).status, ZX_OK);
  });
});
