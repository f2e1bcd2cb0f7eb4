// zx_vmo_create: sizes and rounding, options, rights of the new handle, the job policy check
// that runs before everything else, and the order in which the size and option errors win.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_OUT_OF_RANGE,
  ZX_INFO_VMO_DISCARDABLE,
  ZX_INFO_VMO_RESIZABLE,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_OK,
  ZX_POL_ACTION_ALLOW_EXCEPTION,
  ZX_POL_ACTION_DENY,
  ZX_POL_ACTION_DENY_EXCEPTION,
  ZX_POL_ACTION_KILL,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_RESIZE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_RESIZABLE,
  ZX_VMO_UNBOUNDED,
} from '../../../src/abi/constants.ts';
import { VMO_MAX_SIZE } from '../../../src/vm/vm-object.ts';
import {
  ARENA_FULL,
  createVmo,
  expectFailure,
  expectStatus,
  handleBasic,
  kmemStats,
  newProcess,
  out,
  PAGE,
  processWithPolicy,
  smallArena,
  UINT64_MAX,
  untyped,
  vmoInfo,
} from '../../helpers.ts';

describe('zx_vmo_create', () => {
  it('creates a VMO whose size is the requested size rounded up to whole pages', () => {
    const { sys } = newProcess();
    for (const [requested, expected] of [
      [0, 0n],
      [1, 4096n],
      [4095, 4096n],
      [4096, 4096n],
      [4097, 8192n],
      [4 * PAGE, 16384n],
    ] as const) {
      const h = createVmo(sys, requested);
      const size = out(0n);
      expectStatus(sys.zx_vmo_get_size(h, size), ZX_OK);
      assert.equal(size.value, expected, `size ${requested}`);
    }
  });

  it('accepts a size of zero and gives an empty VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 0);
    assert.equal(vmoInfo(sys, h).size_bytes, 0n);
    expectStatus(sys.zx_vmo_read(h, new Uint8Array(0), 0, 0), ZX_OK);
    expectStatus(sys.zx_vmo_read(h, new Uint8Array(1), 0, 1), ZX_ERR_OUT_OF_RANGE);
  });

  it('returns a handle with the default VMO rights and no execute right', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const basic = handleBasic(sys, h);
    assert.equal(basic.rights, ZX_DEFAULT_VMO_RIGHTS);
    assert.equal(basic.rights & ZX_RIGHT_EXECUTE, 0);
    assert.equal(basic.rights & ZX_RIGHT_RESIZE, 0);
  });

  it('adds the resize right and the RESIZABLE flag for a resizable VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, ZX_VMO_RESIZABLE);
    assert.equal(handleBasic(sys, h).rights, ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_RESIZE);
    assert.equal(
      vmoInfo(sys, h).flags,
      ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_RESIZABLE | ZX_INFO_VMO_VIA_HANDLE,
    );
  });

  it('reports a plain VMO as exactly TYPE_PAGED and VIA_HANDLE', () => {
    const { sys } = newProcess();
    const info = vmoInfo(sys, createVmo(sys, PAGE));
    assert.equal(info.flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE);
    assert.equal(info.committed_bytes, 0n);
    assert.equal(info.num_children, 0n);
    assert.equal(info.parent_koid, 0n);
  });

  it('accepts DISCARDABLE alone, with RESIZABLE and with UNBOUNDED', () => {
    const { sys } = newProcess();
    const a = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    assert.equal(vmoInfo(sys, a).flags & ZX_INFO_VMO_DISCARDABLE, ZX_INFO_VMO_DISCARDABLE);
    createVmo(sys, PAGE, ZX_VMO_DISCARDABLE | ZX_VMO_RESIZABLE);
    createVmo(sys, 0, ZX_VMO_DISCARDABLE | ZX_VMO_UNBOUNDED);
  });

  it('rejects RESIZABLE together with UNBOUNDED as invalid arguments', () => {
    const { sys } = newProcess();
    const h = out(0);
    expectStatus(sys.zx_vmo_create(0, ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, h), ZX_ERR_INVALID_ARGS);
    assert.equal(h.value, 0);
  });

  it('rejects RESIZABLE with UNBOUNDED before it looks at a size that would not round', () => {
    const { sys } = newProcess();
    const opts = ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED;
    expectStatus(sys.zx_vmo_create(UINT64_MAX, opts, out(0)), ZX_ERR_INVALID_ARGS);
  });

  it('rejects unknown option bits as invalid arguments', () => {
    const { sys } = newProcess();
    for (const bad of [0x1, 0x8, 0x20, 0x8000_0000, 0xffff_ffe8]) {
      expectStatus(sys.zx_vmo_create(PAGE, bad, out(0)), ZX_ERR_INVALID_ARGS, `options ${bad}`);
    }
  });

  it('gives OUT_OF_RANGE for a size whose rounding wraps past 2^64', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_vmo_create(UINT64_MAX, 0, out(0)), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_create(UINT64_MAX - 4094n, 0, out(0)), ZX_ERR_OUT_OF_RANGE);
  });

  it('gives OUT_OF_RANGE for a size that rounds without wrapping but passes the largest VMO', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_vmo_create(UINT64_MAX - 4095n, 0, out(0)), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_create(VMO_MAX_SIZE + 1n, 0, out(0)), ZX_ERR_OUT_OF_RANGE);
  });

  it('creates a VMO of the largest size without committing any memory', () => {
    const { kernel, proc, sys } = newProcess();
    const before = kmemStats(kernel, proc).free_bytes;
    const h = createVmo(sys, VMO_MAX_SIZE);
    assert.equal(vmoInfo(sys, h).size_bytes, VMO_MAX_SIZE);
    assert.equal(VMO_MAX_SIZE, 0xffff_ffff_fffe_0000n);
    assert.equal(kmemStats(kernel, proc).free_bytes, before);
    // The huge sparse VMO of the core test CacheOpLargeVmo.
    createVmo(sys, UINT64_MAX - 64n * 4096n + 1n);
  });

  it('lets a wrapping size beat unknown option bits, but unknown bits beat a size past the maximum', () => {
    const { sys } = newProcess();
    // Rounding UINT64_MAX wraps: OUT_OF_RANGE comes before the option check.
    expectStatus(sys.zx_vmo_create(UINT64_MAX, 0x40, out(0)), ZX_ERR_OUT_OF_RANGE);
    // 2^64 - 4096 rounds without wrapping: the unknown bit is reported first.
    expectStatus(sys.zx_vmo_create(UINT64_MAX - 4095n, 0x40, out(0)), ZX_ERR_INVALID_ARGS);
  });

  it('makes an UNBOUNDED VMO the largest size, with the size argument as its stream size', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 42, ZX_VMO_UNBOUNDED);
    const size = out(0n);
    expectStatus(sys.zx_vmo_get_size(h, size), ZX_OK);
    assert.equal(size.value, VMO_MAX_SIZE);
    const stream = out(0n);
    expectStatus(sys.zx_vmo_get_stream_size(h, stream), ZX_OK);
    assert.equal(stream.value, 42n);
    // The reference page wants size 0 with UNBOUNDED; the kernel accepts any size (DECISIONS.md).
    assert.equal(handleBasic(sys, h).rights & ZX_RIGHT_RESIZE, 0);
  });

  it('accepts an UNBOUNDED size that would otherwise be out of range', () => {
    const { sys } = newProcess();
    // Era A has no check of the argument against the maximum for UNBOUNDED VMOs.
    createVmo(sys, UINT64_MAX, ZX_VMO_UNBOUNDED);
  });

  it('keeps the unrounded size as the content size', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 4 * PAGE + 42);
    const stream = out(0n);
    expectStatus(sys.zx_vmo_get_stream_size(h, stream), ZX_OK);
    assert.equal(stream.value, BigInt(4 * PAGE + 42));
    assert.equal(vmoInfo(sys, h).size_bytes, BigInt(5 * PAGE));
  });

  it('gives INVALID_ARGS for an unusable out pointer, and the new VMO is destroyed', () => {
    const { proc, sys } = newProcess();
    const before = proc.object.handles.size;
    // NULL, a frozen object, an address where nothing is mapped.
    for (const unusable of [null, Object.freeze({ value: 0 }), 0x1000]) {
      expectStatus(sys.zx_vmo_create(PAGE, 0, unusable), ZX_ERR_INVALID_ARGS);
      assert.equal(proc.object.handles.size, before, 'a handle was left in the table');
    }
  });

  it('takes sizes as numbers or bigints, and -1 wraps to UINT64_MAX', () => {
    const { sys } = newProcess();
    assert.equal(vmoInfo(sys, createVmo(sys, 8192n)).size_bytes, 8192n);
    expectStatus(sys.zx_vmo_create(-1, 0, out(0)), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_create(-1n, 0, out(0)), ZX_ERR_OUT_OF_RANGE);
    // -131072 is 2^64 - 32 pages: exactly the largest VMO.
    assert.equal(vmoInfo(sys, createVmo(sys, -131072n)).size_bytes, VMO_MAX_SIZE);
  });

  it('gives INVALID_ARGS for arguments no C caller could pass, never throwing', () => {
    const { sys } = newProcess();
    for (const size of [1.5, Number.NaN, '4096', 2n ** 64n, -(2n ** 63n) - 1n, undefined, {}]) {
      expectStatus(untyped(sys).zx_vmo_create(size, 0, out(0)), ZX_ERR_INVALID_ARGS, String(size));
    }
    expectStatus(sys.zx_vmo_create(PAGE, 2 ** 32, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_create(PAGE, -1.5, out(0)), ZX_ERR_INVALID_ARGS);
  });

  it('rounds to the page size that zx_system_get_page_size reports', () => {
    const { sys } = newProcess();
    assert.equal(sys.zx_system_get_page_size(), 4096);
    assert.equal(vmoInfo(sys, createVmo(sys, 1)).size_bytes, BigInt(sys.zx_system_get_page_size()));
  });

  it('asserts ZX_VMO_ZERO_CHILDREN on a new VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const observed = out(0);
    expectStatus(sys.zx_object_wait_one(h, 0x8, 0, observed), ZX_OK);
    assert.equal(observed.value & 0x8, 0x8);
  });

  it('gives NO_MEMORY when the handle arena is full', () => {
    const { proc, sys, fill } = smallArena();
    fill(proc.job);
    expectFailure(proc, sys.zx_vmo_create(PAGE, 0, out(0)), ZX_ERR_NO_MEMORY, ARENA_FULL);
  });
});

describe('zx_vmo_create and the ZX_POL_NEW_VMO job policy', () => {
  for (const [name, action] of [
    ['DENY', ZX_POL_ACTION_DENY],
    ['DENY_EXCEPTION', ZX_POL_ACTION_DENY_EXCEPTION],
    ['KILL', ZX_POL_ACTION_KILL],
  ] as const) {
    it(`gives ACCESS_DENIED when the job policy says ${name}`, () => {
      const { kernel, proc } = newProcess();
      const child = processWithPolicy(kernel, proc, [{ condition: ZX_POL_NEW_VMO, action }]);
      const h = out(0);
      expectStatus(child.sys.zx_vmo_create(PAGE, 0, h), ZX_ERR_ACCESS_DENIED);
      assert.equal(h.value, 0);
    });
  }

  it('allows creation when the policy says ALLOW_EXCEPTION', () => {
    const { kernel, proc } = newProcess();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_ALLOW_EXCEPTION },
    ]);
    createVmo(child.sys, PAGE);
  });

  it('lets a policy denial beat bad options, a bad size and an unusable out pointer', () => {
    const { kernel, proc } = newProcess();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY },
    ]);
    const sys = child.sys;
    expectStatus(sys.zx_vmo_create(PAGE, 0xdead_0000, out(0)), ZX_ERR_ACCESS_DENIED);
    expectStatus(
      sys.zx_vmo_create(0, ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(sys.zx_vmo_create(UINT64_MAX, 0, out(0)), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_vmo_create(PAGE, 0, null), ZX_ERR_ACCESS_DENIED);
  });

  it('does not restrict a process in another job', () => {
    const { kernel, proc, sys } = newProcess();
    processWithPolicy(kernel, proc, [{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }]);
    createVmo(sys, PAGE);
  });
});
