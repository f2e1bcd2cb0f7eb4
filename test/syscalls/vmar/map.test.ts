// zx_vmar_map: every option and error in Zircon's order, the rights matrix and placement.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_OK,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VM_ALIGN_1MB,
  ZX_VM_ALIGN_2MB,
  ZX_VM_ALIGN_4GB,
  ZX_VM_ALLOW_FAULTS,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_COMPACT,
  ZX_VM_FAULT_BEYOND_STREAM_SIZE,
  ZX_VM_MAP_RANGE,
  ZX_VM_OFFSET_IS_UPPER_LIMIT,
  ZX_VM_PERM_EXECUTE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED,
  ZX_VM_PERM_WRITE,
  ZX_VM_REQUIRE_NON_RESIZABLE,
  ZX_VM_SPECIFIC,
  ZX_VM_SPECIFIC_OVERWRITE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_RESIZABLE,
} from '../../../src/abi/constants.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  newProcess,
  out,
  PAGE,
  readVmo,
  systemResource,
  UINT64_MAX,
  untyped,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import { diskByte, pagedSetup, supplyDisk } from '../pager/pager-helpers.ts';
import {
  allocate,
  expectCleanTables,
  load,
  loadStatus,
  map,
  pattern,
  R,
  RW,
  store,
  storeStatus,
  translationCount,
  USER_BASE,
} from './vmar-helpers.ts';

const CAN_MAP_ALL =
  ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC;
const RWX = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE;
const ROOT_RIGHTS = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;

/** A VMO handle with EXECUTE too (through zx_vmo_replace_as_executable and the system resource). */
function executableVmo(sys: Syscalls, vmexSource: number, size: number): number {
  const vmo = createVmo(sys, size);
  const exec = out(0);
  expectStatus(sys.zx_vmo_replace_as_executable(vmo, vmexSource, exec), ZX_OK);
  return exec.value;
}

function mapStatus(
  sys: Syscalls,
  vmar: number,
  options: number,
  vmarOffset: number | bigint,
  vmo: number,
  vmoOffset: number | bigint,
  len: number | bigint,
): number {
  return sys.zx_vmar_map(vmar, options, vmarOffset, vmo, vmoOffset, len, out(0n));
}

describe('zx_vmar_map', () => {
  it('maps at the lowest free address and shows the VMO there', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    writeVmo(sys, vmo, 100, pattern(PAGE));
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 2 * PAGE);
    assert.equal(addr, USER_BASE);
    assert.deepEqual(load(proc, addr + 100n, PAGE), pattern(PAGE));
    const second = map(sys, proc.rootVmar, RW, 0, vmo, PAGE, PAGE);
    assert.equal(second, USER_BASE + BigInt(2 * PAGE));
    assert.deepEqual(load(proc, second, 100), pattern(PAGE).subarray(PAGE - 100));
  });

  it('reports bad handles in order: VMAR first, then VMO', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(mapStatus(sys, ZX_HANDLE_INVALID, R, 0, vmo, 0, PAGE), ZX_ERR_BAD_HANDLE);
    expectStatus(mapStatus(sys, vmo, R, 0, vmo, 0, PAGE), ZX_ERR_WRONG_TYPE);
    expectStatus(mapStatus(sys, vmo, R, 0, ZX_HANDLE_INVALID, 0, PAGE), ZX_ERR_WRONG_TYPE);
    expectStatus(
      mapStatus(sys, proc.rootVmar, R, 0, ZX_HANDLE_INVALID, 0, PAGE),
      ZX_ERR_BAD_HANDLE,
    );
    expectStatus(mapStatus(sys, proc.rootVmar, R, 0, proc.self, 0, PAGE), ZX_ERR_WRONG_TYPE);
    expectStatus(mapStatus(sys, proc.rootVmar, R, 0, proc.rootVmar, 0, PAGE), ZX_ERR_WRONG_TYPE);
  });

  it('needs ZX_RIGHT_MAP on the VMO before looking at the permissions', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const noMap = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_MAP);
    for (const options of [R, RW, ZX_VM_PERM_WRITE, 0, ZX_VM_CAN_MAP_READ | R]) {
      expectStatus(mapStatus(sys, proc.rootVmar, options, 0, noMap, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    }
  });

  it('refuses WRITE or EXECUTE without READ with ZX_ERR_INVALID_ARGS', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    for (const options of [
      ZX_VM_PERM_WRITE,
      ZX_VM_PERM_EXECUTE,
      ZX_VM_PERM_WRITE | ZX_VM_PERM_EXECUTE,
    ]) {
      expectStatus(mapStatus(sys, proc.rootVmar, options, 0, vmo, 0, PAGE), ZX_ERR_INVALID_ARGS);
    }
  });

  it('makes an inaccessible mapping with no permissions at all', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, 0, 0, vmo, 0, PAGE);
    expectStatus(loadStatus(proc, addr), ZX_ERR_ACCESS_DENIED);
    expectStatus(storeStatus(proc, addr), ZX_ERR_ACCESS_DENIED);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 1n);
  });

  it('treats PERM_READ_IF_XOM_UNSUPPORTED as PERM_READ (x86-64 has no execute-only)', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    writeVmo(sys, vmo, 0, new Uint8Array([42]));
    const addr = map(sys, proc.rootVmar, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, 0, vmo, 0, PAGE);
    assert.equal(load(proc, addr, 1)[0], 42);
    const noRead = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ);
    expectStatus(
      mapStatus(sys, proc.rootVmar, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, 0, noRead, 0, PAGE),
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('refuses MAP_RANGE with SPECIFIC_OVERWRITE, and any CAN_MAP_* option', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(
      mapStatus(
        sys,
        proc.rootVmar,
        R | ZX_VM_MAP_RANGE | ZX_VM_SPECIFIC_OVERWRITE,
        0,
        vmo,
        0,
        PAGE,
      ),
      ZX_ERR_INVALID_ARGS,
    );
    for (const flag of [ZX_VM_CAN_MAP_READ, ZX_VM_CAN_MAP_WRITE, ZX_VM_CAN_MAP_EXECUTE]) {
      expectStatus(mapStatus(sys, proc.rootVmar, R | flag, 0, vmo, 0, PAGE), ZX_ERR_INVALID_ARGS);
    }
  });

  it('follows the rights matrix: each permission needs its right on both handles', () => {
    const { kernel, sys, proc } = newProcess();
    const resource = systemResource(kernel, proc);
    const full = executableVmo(sys, resource, PAGE);
    const bits: [number, number][] = [
      [ZX_VM_PERM_READ, ZX_RIGHT_READ],
      [ZX_VM_PERM_WRITE, ZX_RIGHT_WRITE],
      [ZX_VM_PERM_EXECUTE, ZX_RIGHT_EXECUTE],
    ];
    const rightsOf = (mask: number) =>
      bits.reduce((rights, [, right], i) => ((mask >> i) & 1 ? rights | right : rights), 0);
    const requests = [R, RW, ZX_VM_PERM_READ | ZX_VM_PERM_EXECUTE, RWX];
    let checked = 0;
    for (let vmoMask = 0; vmoMask < 8; vmoMask++) {
      const vmoRights = rightsOf(vmoMask);
      const vmo = duplicate(
        sys,
        full,
        (ZX_DEFAULT_VMO_RIGHTS & ~(ZX_RIGHT_READ | ZX_RIGHT_WRITE)) | vmoRights,
      );
      for (let vmarMask = 0; vmarMask < 8; vmarMask++) {
        const vmarRights = rightsOf(vmarMask);
        const vmar = duplicate(
          sys,
          proc.rootVmar,
          (ROOT_RIGHTS & ~(ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE)) | vmarRights,
        );
        for (const perms of requests) {
          const needed = rightsOf(perms);
          const allowed = (needed & vmoRights & vmarRights) === needed;
          const mapped = out(0n);
          const status = sys.zx_vmar_map(vmar, perms, 0, vmo, 0, PAGE, mapped);
          expectStatus(
            status,
            allowed ? ZX_OK : ZX_ERR_ACCESS_DENIED,
            `perms ${perms} vmo rights ${vmoMask} vmar rights ${vmarMask}`,
          );
          if (status === ZX_OK) expectStatus(sys.zx_vmar_unmap(vmar, mapped.value, PAGE), ZX_OK);
          checked++;
        }
        expectStatus(sys.zx_handle_close(vmar), ZX_OK);
      }
    }
    assert.equal(checked, 8 * 8 * requests.length);
  });

  it('fixes what protect may grant at map time: the rights both handles had', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const readOnly = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    const addr = map(sys, proc.rootVmar, R, 0, readOnly, 0, PAGE);
    expectStatus(sys.zx_vmar_protect(proc.rootVmar, RW, addr, PAGE), ZX_ERR_ACCESS_DENIED);
    const writable = map(sys, proc.rootVmar, R, 0, vmo, 0, PAGE);
    // Closing the VMO handle later changes nothing.
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    expectStatus(sys.zx_vmar_protect(proc.rootVmar, RW, writable, PAGE), ZX_OK);
    store(proc, writable, new Uint8Array([5]));
    assert.equal(load(proc, addr, 1)[0], 5);
  });

  it('refuses FAULT_BEYOND_STREAM_SIZE without ALLOW_FAULTS', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(
      mapStatus(sys, proc.rootVmar, R | ZX_VM_FAULT_BEYOND_STREAM_SIZE, 0, vmo, 0, PAGE),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('refuses unknown option bits and bad alignments', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    for (const options of [1 << 16, 1 << 23, 1 << 24, 9 << 24, 33 << 24, 0x80 << 24]) {
      expectStatus(
        mapStatus(sys, proc.rootVmar, R | options, 0, vmo, 0, PAGE),
        ZX_ERR_INVALID_ARGS,
        `options 0x${(options >>> 0).toString(16)}`,
      );
    }
  });

  it('refuses REQUIRE_NON_RESIZABLE on a resizable VMO with ZX_ERR_NOT_SUPPORTED', () => {
    const { sys, proc } = newProcess();
    const resizable = createVmo(sys, PAGE, ZX_VMO_RESIZABLE);
    const fixed = createVmo(sys, PAGE);
    expectStatus(
      mapStatus(sys, proc.rootVmar, R | ZX_VM_REQUIRE_NON_RESIZABLE, 0, resizable, 0, PAGE),
      ZX_ERR_NOT_SUPPORTED,
    );
    map(sys, proc.rootVmar, R | ZX_VM_REQUIRE_NON_RESIZABLE, 0, fixed, 0, PAGE);
    // Resizable VMOs map without ALLOW_FAULTS.
    map(sys, proc.rootVmar, R, 0, resizable, 0, PAGE);
  });

  it('maps a discardable VMO only with ALLOW_FAULTS', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    expectStatus(mapStatus(sys, proc.rootVmar, RW, 0, vmo, 0, PAGE), ZX_ERR_NOT_SUPPORTED);
    map(sys, proc.rootVmar, RW | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, PAGE);
  });

  it('refuses the VMAR-only options COMPACT and CAN_MAP_SPECIFIC', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    for (const flag of [ZX_VM_COMPACT, ZX_VM_CAN_MAP_SPECIFIC]) {
      expectStatus(mapStatus(sys, proc.rootVmar, R | flag, 0, vmo, 0, PAGE), ZX_ERR_INVALID_ARGS);
    }
  });

  it('refuses permissions the target VMAR may not map', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const readOnly = allocate(sys, proc.rootVmar, ZX_VM_CAN_MAP_READ, 0, 16 * PAGE);
    expectStatus(mapStatus(sys, readOnly.handle, RW, 0, vmo, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    const addr = map(sys, readOnly.handle, R, 0, vmo, 0, PAGE);
    assert.equal(addr, readOnly.addr);
  });

  it('refuses a VMO offset that is not page aligned, specific or not, with MAP_RANGE or not', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    for (const options of [R, R | ZX_VM_SPECIFIC, R | ZX_VM_MAP_RANGE]) {
      expectStatus(mapStatus(sys, proc.rootVmar, options, 0, vmo, 1, PAGE), ZX_ERR_INVALID_ARGS);
    }
  });

  it('gives ZX_ERR_OUT_OF_RANGE when the length or the VMO range wraps past 2^64', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(
      mapStatus(sys, proc.rootVmar, R, 0, vmo, 0, UINT64_MAX - BigInt(PAGE) + 2n),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(
      mapStatus(sys, proc.rootVmar, R, 0, vmo, UINT64_MAX + 1n - BigInt(PAGE), PAGE),
      ZX_ERR_OUT_OF_RANGE,
    );
    // One page lower the VMO range fits 2^64: the mapping is made, wholly past the VMO's end.
    const addr = map(sys, proc.rootVmar, R, 0, vmo, UINT64_MAX + 1n - BigInt(2 * PAGE), PAGE);
    expectStatus(loadStatus(proc, addr), ZX_ERR_OUT_OF_RANGE);
  });

  it('refuses a length of 0 with ZX_ERR_INVALID_ARGS and rounds other lengths up to pages', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    expectStatus(mapStatus(sys, proc.rootVmar, R, 0, vmo, 0, 0), ZX_ERR_INVALID_ARGS);
    const addr = map(sys, proc.rootVmar, R, 0, vmo, 0, PAGE + 1);
    load(proc, addr + BigInt(2 * PAGE - 1), 1);
    const next = map(sys, proc.rootVmar, R, 0, vmo, 0, 1);
    assert.equal(next, addr + BigInt(2 * PAGE));
  });

  it('reports a destroyed VMAR with ZX_ERR_BAD_STATE', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const child = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 16 * PAGE);
    expectStatus(sys.zx_vmar_destroy(child.handle), ZX_OK);
    expectStatus(mapStatus(sys, child.handle, R, 0, vmo, 0, PAGE), ZX_ERR_BAD_STATE);
  });

  it('places SPECIFIC mappings at the offset from the VMAR base', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, R | ZX_VM_SPECIFIC, 0x10_0000, vmo, 0, PAGE);
    assert.equal(addr, USER_BASE + 0x10_0000n);
  });

  it('refuses SPECIFIC placement in a VMAR without CAN_MAP_SPECIFIC', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const child = allocate(sys, proc.rootVmar, ZX_VM_CAN_MAP_READ, 0, 16 * PAGE);
    for (const flag of [ZX_VM_SPECIFIC, ZX_VM_SPECIFIC_OVERWRITE]) {
      expectStatus(mapStatus(sys, child.handle, R | flag, 0, vmo, 0, PAGE), ZX_ERR_ACCESS_DENIED);
    }
    expectStatus(
      mapStatus(sys, child.handle, R | ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, vmo, 0, PAGE),
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('refuses an offset without SPECIFIC, and SPECIFIC with OFFSET_IS_UPPER_LIMIT', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(mapStatus(sys, proc.rootVmar, R, PAGE, vmo, 0, PAGE), ZX_ERR_INVALID_ARGS);
    expectStatus(
      mapStatus(
        sys,
        proc.rootVmar,
        R | ZX_VM_SPECIFIC | ZX_VM_OFFSET_IS_UPPER_LIMIT,
        4 * PAGE,
        vmo,
        0,
        PAGE,
      ),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      mapStatus(sys, proc.rootVmar, R | ZX_VM_SPECIFIC, PAGE + 1, vmo, 0, PAGE),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('refuses SPECIFIC ranges outside the VMAR, up to UINTPTR_MAX', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const child = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 16 * PAGE);
    for (const [offset, len] of [
      [16 * PAGE, PAGE],
      [15 * PAGE, 2 * PAGE],
      [0, 17 * PAGE],
    ]) {
      expectStatus(
        mapStatus(sys, child.handle, R | ZX_VM_SPECIFIC, offset!, vmo, 0, len!),
        ZX_ERR_INVALID_ARGS,
      );
    }
    expectStatus(
      mapStatus(sys, proc.rootVmar, R | ZX_VM_SPECIFIC, UINT64_MAX - 4095n, vmo, 0, PAGE),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(mapStatus(sys, child.handle, R, 0, vmo, 0, 17 * PAGE), ZX_ERR_INVALID_ARGS);
  });

  it('refuses SPECIFIC overlaps (full, partial, larger, over sub-VMARs) with ZX_ERR_ALREADY_EXISTS', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 8 * PAGE);
    const child = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
    map(sys, child.handle, R | ZX_VM_SPECIFIC, 8 * PAGE, vmo, 0, 4 * PAGE);
    allocate(sys, child.handle, ZX_VM_SPECIFIC, 32 * PAGE, 4 * PAGE);
    for (const [page, pages] of [
      [8, 4],
      [9, 1],
      [6, 4],
      [11, 2],
      [4, 16],
      [31, 2],
      [34, 8],
    ]) {
      expectStatus(
        mapStatus(sys, child.handle, R | ZX_VM_SPECIFIC, page! * PAGE, vmo, 0, pages! * PAGE),
        ZX_ERR_ALREADY_EXISTS,
        `pages ${page}+${pages}`,
      );
    }
  });

  it('refuses a SPECIFIC address without the requested alignment', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(
      mapStatus(sys, proc.rootVmar, R | ZX_VM_SPECIFIC | ZX_VM_ALIGN_2MB, PAGE, vmo, 0, PAGE),
      ZX_ERR_INVALID_ARGS,
    );
    const addr = map(
      sys,
      proc.rootVmar,
      R | ZX_VM_SPECIFIC | ZX_VM_ALIGN_2MB,
      0x20_0000,
      vmo,
      0,
      PAGE,
    );
    assert.equal(addr % 0x20_0000n, 0n);
  });

  it('aligns non-specific mappings as asked', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    map(sys, proc.rootVmar, R, 0, vmo, 0, PAGE);
    for (const [align, bytes] of [
      [ZX_VM_ALIGN_1MB, 1n << 20n],
      [ZX_VM_ALIGN_4GB, 1n << 32n],
    ] as const) {
      assert.equal(map(sys, proc.rootVmar, R | align, 0, vmo, 0, PAGE) % bytes, 0n);
    }
    const small = allocate(sys, proc.rootVmar, ZX_VM_CAN_MAP_READ, 0, 16 * PAGE);
    expectStatus(
      mapStatus(sys, small.handle, R | ZX_VM_ALIGN_1MB, 0, vmo, 0, PAGE),
      ZX_ERR_NO_RESOURCES,
    );
  });

  it('fails with ZX_ERR_NO_RESOURCES when the VMAR is full', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const child = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 4 * PAGE);
    map(sys, child.handle, R, 0, vmo, 0, 3 * PAGE);
    expectStatus(mapStatus(sys, child.handle, R, 0, vmo, 0, 2 * PAGE), ZX_ERR_NO_RESOURCES);
    map(sys, child.handle, R, 0, vmo, 0, PAGE);
    expectStatus(mapStatus(sys, child.handle, R, 0, vmo, 0, PAGE), ZX_ERR_NO_RESOURCES);
  });

  it('with SPECIFIC_OVERWRITE replaces what is mapped there, splitting a mapping it cuts', () => {
    const { sys, proc } = newProcess();
    const a = createVmo(sys, 4 * PAGE);
    const b = createVmo(sys, PAGE);
    writeVmo(sys, a, 0, pattern(4 * PAGE, 1));
    writeVmo(sys, b, 0, pattern(PAGE, 9));
    const base = map(sys, proc.rootVmar, RW, 0, a, 0, 4 * PAGE);
    const offset = base - USER_BASE + BigInt(PAGE);
    const over = map(sys, proc.rootVmar, R | ZX_VM_SPECIFIC_OVERWRITE, offset, b, 0, PAGE);
    assert.equal(over, base + BigInt(PAGE));
    assert.deepEqual(load(proc, over, PAGE), pattern(PAGE, 9));
    assert.deepEqual(load(proc, base, PAGE), pattern(4 * PAGE, 1).subarray(0, PAGE));
    assert.deepEqual(
      load(proc, base + BigInt(2 * PAGE), 2 * PAGE),
      pattern(4 * PAGE, 1).subarray(2 * PAGE),
    );
    assert.equal(vmoInfo(sys, a).num_mappings, 2n);
    // Without anything in the way it is a plain SPECIFIC map.
    map(sys, proc.rootVmar, R | ZX_VM_SPECIFIC_OVERWRITE, offset + BigInt(16 * PAGE), b, 0, PAGE);
    expectCleanTables(proc);
  });

  it('with SPECIFIC_OVERWRITE refuses to replace a sub-VMAR (ZX_ERR_INVALID_ARGS)', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const child = allocate(sys, proc.rootVmar, 0, 0, 4 * PAGE);
    expectStatus(
      mapStatus(
        sys,
        proc.rootVmar,
        R | ZX_VM_SPECIFIC_OVERWRITE,
        child.addr - USER_BASE,
        vmo,
        0,
        PAGE,
      ),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('with OFFSET_IS_UPPER_LIMIT places below the limit and maps the VMO from offset 0', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    writeVmo(sys, vmo, 0, pattern(4 * PAGE, 3));
    const child = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 16 * PAGE);
    map(sys, child.handle, R | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    const addr = map(
      sys,
      child.handle,
      R | ZX_VM_OFFSET_IS_UPPER_LIMIT,
      4 * PAGE,
      vmo,
      2 * PAGE,
      2 * PAGE,
    );
    assert.equal(addr, child.addr + BigInt(2 * PAGE));
    // Zircon ignores vmo_offset here (after checking it): the mapping starts at offset 0.
    assert.deepEqual(load(proc, addr, PAGE), pattern(4 * PAGE, 3).subarray(0, PAGE));
    expectStatus(
      mapStatus(sys, child.handle, R | ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, vmo, 0, PAGE),
      ZX_ERR_NO_RESOURCES,
    );
    expectStatus(
      mapStatus(sys, child.handle, R | ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, vmo, 1, PAGE),
      ZX_ERR_INVALID_ARGS,
    );
    for (const [limit, len] of [
      [2 * PAGE, 3 * PAGE],
      [17 * PAGE, PAGE],
    ]) {
      expectStatus(
        mapStatus(sys, child.handle, R | ZX_VM_OFFSET_IS_UPPER_LIMIT, limit!, vmo, 0, len!),
        ZX_ERR_INVALID_ARGS,
      );
    }
    const fresh = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 4 * PAGE);
    assert.equal(
      map(sys, fresh.handle, R | ZX_VM_OFFSET_IS_UPPER_LIMIT, 4 * PAGE, vmo, 0, 4 * PAGE),
      fresh.addr,
    );
  });

  it('maps past the end of the VMO; faults there are ZX_ERR_OUT_OF_RANGE', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 3 * PAGE);
    store(proc, addr, new Uint8Array([1]));
    expectStatus(loadStatus(proc, addr + BigInt(PAGE)), ZX_ERR_OUT_OF_RANGE);
    expectStatus(storeStatus(proc, addr + BigInt(2 * PAGE)), ZX_ERR_OUT_OF_RANGE);
    const beyond = map(sys, proc.rootVmar, RW, 0, vmo, 4 * PAGE, PAGE);
    expectStatus(loadStatus(proc, beyond), ZX_ERR_OUT_OF_RANGE);
  });

  it('with MAP_RANGE maps the pages the VMO holds, commits nothing and stops at its end', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE, ZX_VMO_RESIZABLE);
    writeVmo(sys, vmo, 0, new Uint8Array([1]));
    writeVmo(sys, vmo, 2 * PAGE, new Uint8Array([2]));
    const before = vmoInfo(sys, vmo).committed_bytes;
    const addr = map(sys, proc.rootVmar, RW | ZX_VM_MAP_RANGE, 0, vmo, 0, 6 * PAGE);
    assert.equal(translationCount(proc), 2);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, before);
    expectCleanTables(proc);
    assert.equal(load(proc, addr + BigInt(2 * PAGE), 1)[0], 2);
    // Written pages are mapped read-only: the first write still faults (and works).
    store(proc, addr, new Uint8Array([3]));
    assert.equal(readVmo(sys, vmo, 0, 1)[0], 3);
    expectStatus(loadStatus(proc, addr + BigInt(5 * PAGE)), ZX_ERR_OUT_OF_RANGE);
  });

  it('undoes the mapping when mapped_addr cannot be written', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmar_map(proc.rootVmar, R, 0, vmo, 0, PAGE, null), ZX_ERR_INVALID_ARGS);
    expectStatus(untyped(sys).zx_vmar_map(proc.rootVmar, R, 0, vmo, 0, PAGE, {}), ZX_OK);
    expectStatus(
      sys.zx_vmar_map(proc.rootVmar, R, 0, vmo, 0, PAGE, Object.freeze({ value: 0n })),
      ZX_ERR_INVALID_ARGS,
    );
    assert.equal(vmoInfo(sys, vmo).num_mappings, 1n);
    assert.equal(map(sys, proc.rootVmar, R, 0, vmo, 0, PAGE), USER_BASE + BigInt(PAGE));
  });

  it('refuses arguments of the wrong JavaScript type with ZX_ERR_INVALID_ARGS', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(
      untyped(sys).zx_vmar_map(proc.rootVmar, 'r', 0, vmo, 0, PAGE, out(0n)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_vmar_map(proc.rootVmar, R, 0.5, vmo, 0, PAGE, out(0n)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_vmar_map(proc.rootVmar, R, 0, vmo, 0, 2n ** 64n, out(0n)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(untyped(sys).zx_vmar_map('x', R, 0, vmo, 0, PAGE, out(0n)), ZX_ERR_BAD_HANDLE);
  });
});

// Issue 9 item 6: upstream's SetStreamSize unmaps, from every mapping, the pages from the
// lower of the old and new stream sizes to the end of the VMO (object/vm_object_dispatcher.cc);
// a FAULT_BEYOND_STREAM_SIZE mapping then faults past the new size with OUT_OF_RANGE.
describe('zx_vmar_map: FAULT_BEYOND_STREAM_SIZE mappings when the stream size changes', () => {
  const BEYOND = RW | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE;

  for (const backing of ['anonymous', 'pager-backed'] as const) {
    const setup = () => {
      const p = newProcess();
      let vmo: number;
      if (backing === 'anonymous') vmo = createVmo(p.sys, 4 * PAGE);
      else {
        const paged = pagedSetup(p.sys, 4);
        supplyDisk(p.sys, paged.pager, paged.vmo, 0, 4);
        vmo = paged.vmo;
      }
      const addr = map(p.sys, p.proc.rootVmar, BEYOND, 0, vmo, 0, 4 * PAGE);
      // A second mapping, through another VMAR: it loses the pages too.
      const other = map(p.sys, p.proc.rootVmar, BEYOND, 0, vmo, 0, 4 * PAGE);
      return { ...p, vmo, addr, other };
    };

    it(`${backing}: a shrink takes back the pages past the new size, the partial page stays`, () => {
      const { sys, proc, vmo, addr, other } = setup();
      for (const base of [addr, other]) {
        expectStatus(storeStatus(proc, base + 3n * BigInt(PAGE), 7), ZX_OK);
        expectStatus(loadStatus(proc, base + 2n * BigInt(PAGE)), ZX_OK);
        expectStatus(storeStatus(proc, base + BigInt(PAGE) + 100n, 9), ZX_OK);
      }
      expectStatus(sys.zx_vmo_set_stream_size(vmo, BigInt(PAGE + 10)), ZX_OK);
      for (const base of [addr, other]) {
        for (const page of [2n, 3n]) {
          const at = base + page * BigInt(PAGE);
          expectStatus(loadStatus(proc, at), ZX_ERR_OUT_OF_RANGE, `load of page ${page}`);
          expectStatus(storeStatus(proc, at), ZX_ERR_OUT_OF_RANGE, `store to page ${page}`);
        }
        // The page holding the new size is mapped again: its bytes up to the size, zeros past.
        const kept = backing === 'anonymous' ? 0 : diskByte(1);
        assert.deepEqual(
          load(proc, base + BigInt(PAGE) + 8n, 4),
          new Uint8Array([kept, kept, 0, 0]),
        );
        assert.deepEqual(load(proc, base + BigInt(PAGE) + 100n, 1), new Uint8Array(1));
      }
      expectCleanTables(proc);
    });

    it(`${backing}: pages faulted in while the stream size was larger are taken back too`, () => {
      const { sys, proc, vmo, addr } = setup();
      expectStatus(sys.zx_vmo_set_stream_size(vmo, BigInt(PAGE)), ZX_OK);
      expectStatus(loadStatus(proc, addr + 3n * BigInt(PAGE)), ZX_ERR_OUT_OF_RANGE);
      expectStatus(sys.zx_vmo_set_stream_size(vmo, BigInt(4 * PAGE)), ZX_OK);
      // Read faults only: nothing is committed or written that a zeroing would free.
      expectStatus(loadStatus(proc, addr + 3n * BigInt(PAGE)), ZX_OK);
      expectStatus(loadStatus(proc, addr + 2n * BigInt(PAGE)), ZX_OK);
      expectStatus(sys.zx_vmo_set_stream_size(vmo, BigInt(PAGE)), ZX_OK);
      for (const page of [1n, 2n, 3n]) {
        expectStatus(loadStatus(proc, addr + page * BigInt(PAGE)), ZX_ERR_OUT_OF_RANGE);
      }
      expectStatus(loadStatus(proc, addr), ZX_OK);
      // Grown again, the pages read as zero, and a store there commits one.
      expectStatus(sys.zx_vmo_set_stream_size(vmo, BigInt(4 * PAGE)), ZX_OK);
      assert.deepEqual(load(proc, addr + 2n * BigInt(PAGE), 4), new Uint8Array(4));
      expectStatus(storeStatus(proc, addr + 2n * BigInt(PAGE), 5), ZX_OK);
      assert.deepEqual(readVmo(sys, vmo, 2 * PAGE, 1), new Uint8Array([5]));
      expectCleanTables(proc);
    });
  }
});
