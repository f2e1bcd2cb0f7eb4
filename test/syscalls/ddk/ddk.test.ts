// Memory for devices: zx_vmo_create_physical over the MMIO region, zx_iommu_create,
// zx_bti_create, zx_vmo_create_contiguous, zx_bti_pin, zx_pmt_unpin and
// zx_bti_release_quarantine, and what pinned pages refuse.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_BTI_COMPRESS,
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_EXECUTE,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_CACHE_POLICY_CACHED,
  ZX_CACHE_POLICY_UNCACHED,
  ZX_CACHE_POLICY_WRITE_COMBINING,
  ZX_DEFAULT_BTI_RIGHTS,
  ZX_DEFAULT_IOMMU_RIGHTS,
  ZX_DEFAULT_PMT_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_IOMMU_MAX_DESC_LEN,
  ZX_IOMMU_TYPE_ARM_SMMU,
  ZX_IOMMU_TYPE_DUMMY,
  ZX_IOMMU_TYPE_INTEL,
  ZX_IOMMU_TYPE_STUB,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_IOMMU,
  ZX_OBJ_TYPE_PMT,
  ZX_OK,
  ZX_POL_ACTION_DENY,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_RSRC_KIND_IRQ,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_IOMMU_BASE,
  ZX_RSRC_SYSTEM_VMEX_BASE,
  ZX_VM_ALLOW_FAULTS,
  ZX_VM_FAULT_BEYOND_STREAM_SIZE,
  ZX_VM_MAP_RANGE,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_ZERO,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_OP_CACHE_CLEAN,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../../src/abi/constants.ts';
import type { Kernel } from '../../../src/kernel.ts';
import type { Process } from '../../../src/process.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  handleBasic,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  processWithPolicy,
  readVmo,
  systemResource,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import {
  expectCleanTables,
  load,
  map,
  mmioBase,
  mmioResource,
  pattern,
  R,
  RW,
  store,
  translationCount,
} from '../vmar/vmar-helpers.ts';

const P = BigInt(PAGE);
const STUB_DESC = new Uint8Array(1);

function physicalVmo(
  sys: Syscalls,
  resource: number,
  paddr: bigint | number,
  size: bigint | number,
): number {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create_physical(resource, paddr, size, handle), ZX_OK);
  return handle.value;
}

function iommu(kernel: Kernel, proc: Process): number {
  const handle = out(0);
  expectStatus(
    proc.syscalls.zx_iommu_create(
      systemResource(kernel, proc),
      ZX_IOMMU_TYPE_STUB,
      STUB_DESC,
      1,
      handle,
    ),
    ZX_OK,
  );
  return handle.value;
}

function bti(kernel: Kernel, proc: Process): number {
  const handle = out(0);
  expectStatus(proc.syscalls.zx_bti_create(iommu(kernel, proc), 0, 0, handle), ZX_OK);
  return handle.value;
}

function contiguousVmo(sys: Syscalls, btiHandle: number, size: number, align = 0): number {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create_contiguous(btiHandle, size, align, handle), ZX_OK);
  return handle.value;
}

/** zx_bti_pin that must succeed: the addresses and the PMT handle. */
function pin(
  sys: Syscalls,
  btiHandle: number,
  options: number,
  vmo: number,
  offset: number,
  size: number,
  count: number,
): { addrs: bigint[]; pmt: number } {
  const buffer = new Uint8Array(count * 8);
  const pmt = out(0);
  expectStatus(sys.zx_bti_pin(btiHandle, options, vmo, offset, size, buffer, count, pmt), ZX_OK);
  const view = new DataView(buffer.buffer);
  const addrs = Array.from({ length: count }, (_, i) => view.getBigUint64(i * 8, true));
  return { addrs, pmt: pmt.value };
}

function pinStatus(
  sys: Syscalls,
  btiHandle: number,
  options: number,
  vmo: number,
  offset: number | bigint,
  size: number | bigint,
  count: number,
): number {
  return sys.zx_bti_pin(
    btiHandle,
    options,
    vmo,
    offset,
    size,
    new Uint8Array(Math.min(count, 64) * 8),
    count,
    out(0),
  );
}

describe('zx_vmo_create_physical', () => {
  it('makes an uncached physical VMO over MMIO with the default VMO rights', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), 4 * PAGE);
    const info = vmoInfo(sys, vmo);
    assert.equal(info.flags, ZX_INFO_VMO_CONTIGUOUS | ZX_INFO_VMO_VIA_HANDLE);
    assert.equal(info.flags & ZX_INFO_VMO_TYPE_PAGED, 0);
    assert.equal(info.cache_policy, ZX_CACHE_POLICY_UNCACHED);
    assert.equal(info.size_bytes, 4n * P);
    assert.equal(info.committed_bytes, 0n);
    assert.equal(handleBasic(sys, vmo).rights, ZX_DEFAULT_VMO_RIGHTS);
    const stream = out(1n);
    expectStatus(sys.zx_vmo_get_stream_size(vmo, stream), ZX_OK);
    assert.equal(stream.value, 0n);
  });

  it('rounds the size up but refuses an unaligned address or a size of 0', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const base = mmioBase(kernel);
    assert.equal(vmoInfo(sys, physicalVmo(sys, root, base, PAGE + 1)).size_bytes, 2n * P);
    expectStatus(sys.zx_vmo_create_physical(root, base + 1n, PAGE, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_create_physical(root, base, 0, out(0)), ZX_ERR_INVALID_ARGS);
  });

  it('refuses RAM and addresses outside the MMIO region with ZX_ERR_ACCESS_DENIED', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const base = mmioBase(kernel);
    const end = base + BigInt(kernel.core.pmm.mmioFrames) * P;
    for (const [paddr, size] of [
      [0n, P],
      [P * 100n, P],
      [base - P, 2n * P],
      [end - P, 2n * P],
      [end, P],
    ]) {
      expectStatus(sys.zx_vmo_create_physical(root, paddr!, size!, out(0)), ZX_ERR_ACCESS_DENIED);
    }
  });

  it('accepts an MMIO resource covering the range, and refuses one that does not (ZX_ERR_OUT_OF_RANGE)', () => {
    const { kernel, sys, proc } = newProcess();
    const base = mmioBase(kernel);
    const mmio = mmioResource(kernel, proc, base + 16n * P, 4n * P);
    physicalVmo(sys, mmio, base + 16n * P, 4 * PAGE);
    physicalVmo(sys, mmio, base + 17n * P, 2 * PAGE);
    for (const [paddr, size] of [
      [base + 15n * P, P],
      [base + 19n * P, 2n * P],
      [base + 16n * P, 0n],
    ]) {
      expectStatus(sys.zx_vmo_create_physical(mmio, paddr!, size!, out(0)), ZX_ERR_OUT_OF_RANGE);
    }
    // A resource is granted in whole pages.
    const odd = mmioResource(kernel, proc, base + 32n * P + 10n, 10n);
    physicalVmo(sys, odd, base + 32n * P, PAGE);
    // An MMIO resource over RAM still cannot reach RAM here.
    const ram = mmioResource(kernel, proc, 0n, 16n * P);
    expectStatus(sys.zx_vmo_create_physical(ram, P, P, out(0)), ZX_ERR_ACCESS_DENIED);
  });

  it('refuses handles that are not MMIO resources', () => {
    const { kernel, sys, proc } = newProcess();
    const base = mmioBase(kernel);
    const irq = out(0);
    expectStatus(
      sys.zx_resource_create(systemResource(kernel, proc), ZX_RSRC_KIND_IRQ, 0, 1, null, 0, irq),
      ZX_OK,
    );
    expectStatus(sys.zx_vmo_create_physical(irq.value, base, P, out(0)), ZX_ERR_WRONG_TYPE);
    expectStatus(sys.zx_vmo_create_physical(proc.job, base, P, out(0)), ZX_ERR_WRONG_TYPE);
    expectStatus(sys.zx_vmo_create_physical(ZX_HANDLE_INVALID, base, P, out(0)), ZX_ERR_BAD_HANDLE);
  });

  it('obeys the job policy for new VMOs first', () => {
    const kernel = newKernel();
    const { proc: owner } = newProcess(kernel);
    const { sys, proc } = processWithPolicy(kernel, owner, [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY },
    ]);
    expectStatus(
      sys.zx_vmo_create_physical(systemResource(kernel, proc), mmioBase(kernel), P, out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(sys.zx_vmo_create_physical(ZX_HANDLE_INVALID, 0, 0, out(0)), ZX_ERR_ACCESS_DENIED);
  });

  it('is device memory: mappings of it and of another VMO over it share the bytes', () => {
    const { kernel, sys, proc } = newProcess();
    const root = systemResource(kernel, proc);
    const base = mmioBase(kernel);
    const a = physicalVmo(sys, root, base, 4 * PAGE);
    const b = physicalVmo(sys, root, base + 2n * P, 2 * PAGE);
    const addrA = map(sys, proc.rootVmar, RW, 0, a, 0, 4 * PAGE);
    const addrB = map(sys, proc.rootVmar, R, 0, b, 0, 2 * PAGE);
    store(proc, addrA + 2n * P + 8n, pattern(64));
    assert.deepEqual(load(proc, addrB + 8n, 64), pattern(64));
    expectCleanTables(proc);
    // MAP_RANGE maps all of it at once.
    const before = translationCount(proc);
    map(sys, proc.rootVmar, R | ZX_VM_MAP_RANGE, 0, a, 0, 4 * PAGE);
    assert.equal(translationCount(proc), before + 4);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, 0n);
  });

  it('cannot be read, written, committed, decommitted, zeroed or cache-flushed (ZX_ERR_NOT_SUPPORTED)', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), 2 * PAGE);
    expectStatus(sys.zx_vmo_read(vmo, new Uint8Array(4), 0, 4), ZX_ERR_NOT_SUPPORTED);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array(4), 0, 4), ZX_ERR_NOT_SUPPORTED);
    const noRead = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ);
    expectStatus(sys.zx_vmo_read(noRead, new Uint8Array(4), 0, 4), ZX_ERR_ACCESS_DENIED);
    for (const op of [
      ZX_VMO_OP_COMMIT,
      ZX_VMO_OP_DECOMMIT,
      ZX_VMO_OP_ZERO,
      ZX_VMO_OP_CACHE_SYNC,
      ZX_VMO_OP_CACHE_CLEAN,
      ZX_VMO_OP_LOCK,
    ]) {
      expectStatus(
        sys.zx_vmo_op_range(vmo, op, 0, PAGE, null, 0),
        ZX_ERR_NOT_SUPPORTED,
        `op ${op}`,
      );
    }
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DONT_NEED, 0, PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_PREFETCH, 0, PAGE, null, 0), ZX_OK);
    expectStatus(
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_PREFETCH, 0, 3 * PAGE, null, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(sys.zx_vmo_set_size(vmo, PAGE), ZX_ERR_UNAVAILABLE);
    expectStatus(sys.zx_vmo_set_stream_size(vmo, PAGE), ZX_ERR_NOT_SUPPORTED);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 2 * PAGE);
    for (const op of [ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_DECOMMIT, ZX_VMAR_OP_ZERO]) {
      expectStatus(
        sys.zx_vmar_op_range(proc.rootVmar, op, addr, PAGE, null, 0),
        ZX_ERR_NOT_SUPPORTED,
      );
    }
  });

  it('refuses FAULT_BEYOND_STREAM_SIZE mappings before anything else', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), PAGE);
    const noMap = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_MAP);
    for (const handle of [vmo, noMap]) {
      expectStatus(
        sys.zx_vmar_map(
          proc.rootVmar,
          R | ZX_VM_FAULT_BEYOND_STREAM_SIZE,
          0,
          handle,
          0,
          PAGE,
          out(0n),
        ),
        ZX_ERR_NOT_SUPPORTED,
      );
    }
    map(sys, proc.rootVmar, R | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, PAGE);
  });

  it('changes cache policy only unmapped, but accepts the same policy while mapped', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), PAGE);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_WRITE_COMBINING), ZX_OK);
    const addr = map(sys, proc.rootVmar, R, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_WRITE_COMBINING), ZX_OK);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_CACHED), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, addr, PAGE), ZX_OK);
    expectStatus(sys.zx_vmo_set_cache_policy(vmo, ZX_CACHE_POLICY_CACHED), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).cache_policy, ZX_CACHE_POLICY_CACHED);
  });

  it('refuses snapshots but gives slices over the same device memory', () => {
    const { kernel, sys, proc } = newProcess();
    const vmo = physicalVmo(sys, systemResource(kernel, proc), mmioBase(kernel), 4 * PAGE);
    for (const option of [ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE]) {
      expectStatus(sys.zx_vmo_create_child(vmo, option, 0, PAGE, out(0)), ZX_ERR_NOT_SUPPORTED);
    }
    const slice = out(0);
    expectStatus(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SLICE, 2 * PAGE, PAGE, slice), ZX_OK);
    const whole = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    const part = map(sys, proc.rootVmar, R, 0, slice.value, 0, PAGE);
    store(proc, whole + 2n * P, pattern(16, 4));
    assert.deepEqual(load(proc, part, 16), pattern(16, 4));
    assert.equal(vmoInfo(sys, slice.value).cache_policy, ZX_CACHE_POLICY_UNCACHED);
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, part, PAGE), ZX_OK);
    // A slice cannot change its cache policy.
    expectStatus(
      sys.zx_vmo_set_cache_policy(slice.value, ZX_CACHE_POLICY_CACHED),
      ZX_ERR_BAD_STATE,
    );
    expectCleanTables(proc);
  });
});

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
});

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
});

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
});
