// zx_vmo_set_cache_policy and zx_vmo_replace_as_executable.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CACHE_POLICY_CACHED,
  ZX_CACHE_POLICY_MASK,
  ZX_CACHE_POLICY_UNCACHED,
  ZX_CACHE_POLICY_UNCACHED_DEVICE,
  ZX_CACHE_POLICY_WRITE_COMBINING,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_OK,
  ZX_POL_ACTION_ALLOW,
  ZX_POL_ACTION_DENY,
  ZX_POL_AMBIENT_MARK_VMO_EXEC,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_RSRC_KIND_MMIO,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_INFO_BASE,
  ZX_RSRC_SYSTEM_VMEX_BASE,
  ZX_VMO_DISCARDABLE,
} from '../../../src/abi/constants.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  ARENA_FULL,
  createVmo,
  duplicate,
  expectFailure,
  expectStatus,
  filled,
  handleBasic,
  newProcess,
  out,
  PAGE,
  pinVmoPages,
  processWithPolicy,
  readVmo,
  smallArena,
  systemResource,
  UINT64_MAX,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';

const POLICIES = [
  ZX_CACHE_POLICY_CACHED,
  ZX_CACHE_POLICY_UNCACHED,
  ZX_CACHE_POLICY_UNCACHED_DEVICE,
  ZX_CACHE_POLICY_WRITE_COMBINING,
];

function childResource(sys: Syscalls, parent: number, kind: number, base: bigint, size: bigint) {
  const h = out(0);
  expectStatus(sys.zx_resource_create(parent, kind, base, size, null, 0, h), ZX_OK);
  return h.value;
}

describe('zx_vmo_set_cache_policy', () => {
  it('sets each of the four policies on a fresh VMO and reports it in ZX_INFO_VMO', () => {
    const { sys } = newProcess();
    for (const policy of POLICIES) {
      const h = createVmo(sys, PAGE);
      expectStatus(sys.zx_vmo_set_cache_policy(h, policy), ZX_OK, `policy ${policy}`);
      assert.equal(vmoInfo(sys, h).cache_policy, policy);
    }
  });

  it('can be set again, to the same or another policy: it is not one-shot', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    // The reference page speaks of ACCESS_DENIED once a policy is set; the 2025 kernel has no
    // such rule (core test Cache sets policies repeatedly).
    for (const policy of [...POLICIES, ...POLICIES, ZX_CACHE_POLICY_UNCACHED]) {
      expectStatus(sys.zx_vmo_set_cache_policy(h, policy), ZX_OK, `policy ${policy}`);
    }
  });

  it('gives INVALID_ARGS for bits outside the policy mask', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    for (const bad of [ZX_CACHE_POLICY_MASK + 1, 0x10, 0x8000_0000, 0xffff_ffff]) {
      expectStatus(sys.zx_vmo_set_cache_policy(h, bad), ZX_ERR_INVALID_ARGS, `policy ${bad}`);
    }
    expectStatus(sys.zx_vmo_set_cache_policy(h, 1.5), ZX_ERR_INVALID_ARGS);
    assert.equal(vmoInfo(sys, h).cache_policy, ZX_CACHE_POLICY_CACHED);
  });

  it('lets a bad policy beat a bad handle, a wrong type and a missing right', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_vmo_set_cache_policy(0, 4), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_set_cache_policy(proc.job, 4), ZX_ERR_INVALID_ARGS);
    const noMap = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_READ);
    expectStatus(sys.zx_vmo_set_cache_policy(noMap, 4), ZX_ERR_INVALID_ARGS);
  });

  it('gives BAD_HANDLE, WRONG_TYPE, then ACCESS_DENIED without the MAP right', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_vmo_set_cache_policy(0, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_HANDLE);
    const rightlessJob = duplicate(sys, proc.job, ZX_RIGHT_NONE);
    expectStatus(sys.zx_vmo_set_cache_policy(rightlessJob, 1), ZX_ERR_WRONG_TYPE);
    const h = createVmo(sys, PAGE);
    const noMap = duplicate(sys, h, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    expectStatus(sys.zx_vmo_set_cache_policy(noMap, 1), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_vmo_set_cache_policy(duplicate(sys, h, ZX_RIGHT_MAP), 1), ZX_OK);
  });

  it('allows leaving the cached policy with pages committed', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 2 * PAGE);
    writeVmo(sys, h, 0, filled(2 * PAGE, 1));
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
    assert.equal(vmoInfo(sys, h).committed_bytes, BigInt(2 * PAGE));
  });

  it('gives BAD_STATE for any change while not cached with pages committed', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 2 * PAGE);
    writeVmo(sys, h, 0, filled(PAGE, 1));
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
    for (const policy of POLICIES) {
      expectStatus(sys.zx_vmo_set_cache_policy(h, policy), ZX_ERR_BAD_STATE, `policy ${policy}`);
    }
    // Without pages it may change again.
    expectStatus(sys.zx_vmo_op_range(h, 2, 0, 2 * PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_CACHED), ZX_OK);
  });

  it('gives BAD_STATE while pages are pinned', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const unpin = pinVmoPages(proc, h, 0, 1);
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    unpin();
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
  });

  it('gives BAD_STATE when a discardable VMO would leave the cached policy', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_WRITE_COMBINING), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_CACHED), ZX_OK);
  });

  it('lets a huge sparse VMO with one written page become uncached', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, UINT64_MAX - 64n * 4096n + 1n);
    writeVmo(sys, h, 1n << 40n, filled(1, 1));
    expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
  });
});

describe('zx_vmo_replace_as_executable', () => {
  it('with no vmex, allowed by the default policy, adds EXECUTE and consumes the old handle', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const koid = handleBasic(sys, h).koid;
    const count = proc.object.handles.size;
    const exec = out(0);
    expectStatus(sys.zx_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, exec), ZX_OK);
    assert.notEqual(exec.value, h);
    const basic = handleBasic(sys, exec.value);
    assert.equal(basic.rights, ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE);
    assert.equal(basic.koid, koid);
    expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
    assert.equal(proc.object.handles.size, count);
  });

  it('keeps the other rights as they were and needs none on the handle', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const vmex = childResource(sys, systemResource(kernel, proc), ZX_RSRC_KIND_SYSTEM, 1n, 1n);
    const readOnly = duplicate(sys, h, ZX_RIGHT_READ);
    const exec = out(0);
    expectStatus(sys.zx_vmo_replace_as_executable(readOnly, vmex, exec), ZX_OK);
    assert.equal(handleBasic(sys, exec.value).rights, ZX_RIGHT_READ | ZX_RIGHT_EXECUTE);
    const rightless = duplicate(sys, h, ZX_RIGHT_NONE);
    const exec2 = out(0);
    expectStatus(sys.zx_vmo_replace_as_executable(rightless, ZX_HANDLE_INVALID, exec2), ZX_OK);
    assert.equal(handleBasic(sys, exec2.value).rights, ZX_RIGHT_EXECUTE);
  });

  it('accepts the system resource and a VMEX child as vmex, without consuming them', () => {
    const { kernel, proc, sys } = newProcess();
    const system = systemResource(kernel, proc);
    const vmex = childResource(sys, system, ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_VMEX_BASE, 1n);
    const wide = childResource(sys, system, ZX_RSRC_KIND_SYSTEM, 0n, 16n);
    for (const resource of [system, vmex, wide]) {
      const exec = out(0);
      expectStatus(sys.zx_vmo_replace_as_executable(createVmo(sys, PAGE), resource, exec), ZX_OK);
      handleBasic(sys, resource);
    }
    // A rightless duplicate of the resource will do: vmex needs no rights.
    const rightless = duplicate(sys, vmex, ZX_RIGHT_NONE);
    expectStatus(sys.zx_vmo_replace_as_executable(createVmo(sys, PAGE), rightless, out(0)), ZX_OK);
  });

  it('gives WRONG_TYPE for a vmex that is a VMO or a resource of another kind, consuming the VMO', () => {
    const { kernel, proc, sys } = newProcess();
    const mmio = childResource(sys, systemResource(kernel, proc), ZX_RSRC_KIND_MMIO, 0n, 4096n);
    for (const vmex of [createVmo(sys, PAGE), mmio, proc.job]) {
      const h = createVmo(sys, PAGE);
      expectStatus(sys.zx_vmo_replace_as_executable(h, vmex, out(0)), ZX_ERR_WRONG_TYPE);
      expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
    }
  });

  it('gives OUT_OF_RANGE for a SYSTEM resource that does not cover VMEX, consuming the VMO', () => {
    const { kernel, proc, sys } = newProcess();
    const system = systemResource(kernel, proc);
    const info = childResource(sys, system, ZX_RSRC_KIND_SYSTEM, ZX_RSRC_SYSTEM_INFO_BASE, 1n);
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_replace_as_executable(h, info, out(0)), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
  });

  it('gives BAD_HANDLE for a vmex that names no handle, consuming the VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_replace_as_executable(h, 0x1357_9bdf, out(0)), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
  });

  it('gives BAD_HANDLE for a missing handle, hiding any vmex error', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_replace_as_executable(0, ZX_HANDLE_INVALID, out(0)), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_vmo_replace_as_executable(0, vmo, out(0)), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_vmo_replace_as_executable(0, 0x1357_9bdf, out(0)), ZX_ERR_BAD_HANDLE);
    // The VMO passed as vmex is untouched.
    handleBasic(sys, vmo);
  });

  it('gives BAD_HANDLE, not WRONG_TYPE, for a handle that is not a VMO, and closes it', () => {
    const { proc, sys } = newProcess();
    const job = duplicate(sys, proc.job, ZX_RIGHT_NONE);
    expectStatus(
      sys.zx_vmo_replace_as_executable(job, ZX_HANDLE_INVALID, out(0)),
      ZX_ERR_BAD_HANDLE,
    );
    expectStatus(sys.zx_handle_close(job), ZX_ERR_BAD_HANDLE);
  });

  it('gives ACCESS_DENIED when the job denies ZX_POL_AMBIENT_MARK_VMO_EXEC, consuming the VMO', () => {
    const { kernel, proc } = newProcess();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_AMBIENT_MARK_VMO_EXEC, action: ZX_POL_ACTION_DENY },
    ]);
    const h = createVmo(child.sys, PAGE);
    const exec = out(0);
    expectStatus(
      child.sys.zx_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, exec),
      ZX_ERR_ACCESS_DENIED,
    );
    assert.equal(exec.value, 0);
    expectStatus(child.sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
  });

  it('does not consult the ambient policy when a vmex resource is given', () => {
    const { kernel, proc } = newProcess();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_AMBIENT_MARK_VMO_EXEC, action: ZX_POL_ACTION_DENY },
    ]);
    const vmex = kernel.grantSystemResource(child.proc);
    expectStatus(
      child.sys.zx_vmo_replace_as_executable(createVmo(child.sys, PAGE), vmex, out(0)),
      ZX_OK,
    );
  });

  it('succeeds under an explicit ALLOW of ZX_POL_AMBIENT_MARK_VMO_EXEC', () => {
    const { kernel, proc } = newProcess();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_AMBIENT_MARK_VMO_EXEC, action: ZX_POL_ACTION_ALLOW },
    ]);
    const h = createVmo(child.sys, PAGE);
    expectStatus(child.sys.zx_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, out(0)), ZX_OK);
  });

  it('gives INVALID_ARGS for an unusable out pointer, having closed the old handle', () => {
    const { proc, sys } = newProcess();
    for (const unusable of [null, Object.freeze({ value: 0 })]) {
      const h = createVmo(sys, PAGE);
      writeVmo(sys, h, 0, filled(4, 7));
      const other = duplicate(sys, h, ZX_RIGHT_SAME_RIGHTS);
      const count = proc.object.handles.size;
      expectStatus(
        sys.zx_vmo_replace_as_executable(h, ZX_HANDLE_INVALID, unusable),
        ZX_ERR_INVALID_ARGS,
      );
      expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
      // The new handle is destroyed too: only the other handle is left, and its VMO unchanged.
      assert.equal(proc.object.handles.size, count - 1);
      assert.deepEqual(readVmo(sys, other, 0, 4), filled(4, 7));
      assert.equal(handleBasic(sys, other).rights, ZX_DEFAULT_VMO_RIGHTS);
    }
  });

  it('gives NO_MEMORY when the handle arena is full, and consumes the handle', () => {
    const { kernel, proc, sys, fill } = smallArena();
    const resource = systemResource(kernel, proc);
    const vmo = createVmo(sys, PAGE);
    fill(vmo);
    expectFailure(
      proc,
      sys.zx_vmo_replace_as_executable(vmo, resource, out(0)),
      ZX_ERR_NO_MEMORY,
      ARENA_FULL,
    );
    expectStatus(sys.zx_vmo_get_size(vmo, out(0n)), ZX_ERR_BAD_HANDLE);
  });
});
