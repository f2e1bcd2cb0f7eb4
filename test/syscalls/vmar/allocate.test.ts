// The root VMAR of a process and zx_vmar_allocate (every option and error, in Zircon's order).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_INFO_VMAR,
  ZX_OBJ_TYPE_VMAR,
  ZX_OK,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_OP_CHILDREN,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VM_ALIGN_1KB,
  ZX_VM_ALIGN_1MB,
  ZX_VM_ALIGN_2KB,
  ZX_VM_ALIGN_4GB,
  ZX_VM_ALIGN_64KB,
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
} from '../../../src/abi/constants.ts';
import { ZX_INFO_VMAR_SIZE } from '../../../src/abi/structs.ts';
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
  spawnProcess,
} from '../../helpers.ts';
import { allocate, map, RW, USER_BASE, USER_SIZE, vmarInfo } from './vmar-helpers.ts';

const CAN_MAP_RW = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
const CAN_MAP_ALL = CAN_MAP_RW | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC;
const ROOT_RIGHTS = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;

describe('the root VMAR', () => {
  it('spans the x86-64 user address space from 2 MiB', () => {
    const { sys, proc } = newProcess();
    assert.deepEqual(vmarInfo(sys, proc.rootVmar), { base: USER_BASE, len: USER_SIZE });
  });

  it('is a VMAR handle with the default VMAR rights plus read, write and execute', () => {
    const { sys, proc } = newProcess();
    const basic = handleBasic(sys, proc.rootVmar);
    assert.equal(basic.type, ZX_OBJ_TYPE_VMAR);
    assert.equal(basic.rights, ROOT_RIGHTS);
  });

  it('is what zx_process_create hands out for a new process, with the same range and rights', () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const vmar = out(0);
    const handle = out(0);
    const name = new TextEncoder().encode('p');
    expectStatus(sys.zx_process_create(proc.job, name, name.length, 0, handle, vmar), ZX_OK);
    assert.equal(handleBasic(sys, vmar.value).rights, ROOT_RIGHTS);
    assert.deepEqual(vmarInfo(sys, vmar.value), { base: USER_BASE, len: USER_SIZE });
    assert.deepEqual(vmarInfo(child.sys, child.proc.rootVmar), {
      base: USER_BASE,
      len: USER_SIZE,
    });
  });

  it('answers ZX_INFO_VMAR only through a handle with ZX_RIGHT_INSPECT', () => {
    const { sys, proc } = newProcess();
    const blind = duplicate(sys, proc.rootVmar, ROOT_RIGHTS & ~ZX_RIGHT_INSPECT);
    const buffer = new Uint8Array(ZX_INFO_VMAR_SIZE);
    expectStatus(
      sys.zx_object_get_info(blind, ZX_INFO_VMAR, buffer, buffer.length, null, null),
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('refuses ZX_INFO_VMAR on a VMO handle with ZX_ERR_WRONG_TYPE', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const buffer = new Uint8Array(ZX_INFO_VMAR_SIZE);
    expectStatus(
      sys.zx_object_get_info(vmo, ZX_INFO_VMAR, buffer, buffer.length, null, null),
      ZX_ERR_WRONG_TYPE,
    );
  });
});

describe('zx_vmar_allocate', () => {
  it('places the first sub-VMAR at the lowest address and reports it in ZX_INFO_VMAR', () => {
    const { sys, proc } = newProcess();
    const child = allocate(sys, proc.rootVmar, CAN_MAP_RW, 0, 16 * PAGE);
    assert.equal(child.addr, USER_BASE);
    assert.deepEqual(vmarInfo(sys, child.handle), { base: child.addr, len: BigInt(16 * PAGE) });
  });

  it('places each next sub-VMAR at the lowest free spot (first fit)', () => {
    const { sys, proc } = newProcess();
    const a = allocate(sys, proc.rootVmar, 0, 0, 4 * PAGE);
    const b = allocate(sys, proc.rootVmar, 0, 0, 4 * PAGE);
    const c = allocate(sys, proc.rootVmar, 0, 0, 4 * PAGE);
    assert.equal(b.addr, a.addr + BigInt(4 * PAGE));
    assert.equal(c.addr, b.addr + BigInt(4 * PAGE));
    expectStatus(sys.zx_vmar_destroy(b.handle), ZX_OK);
    // A bigger request does not fit the hole; smaller ones fill it from its bottom.
    const big = allocate(sys, proc.rootVmar, 0, 0, 8 * PAGE);
    assert.equal(big.addr, c.addr + BigInt(4 * PAGE));
    const small = allocate(sys, proc.rootVmar, 0, 0, PAGE);
    assert.equal(small.addr, b.addr);
    const rest = allocate(sys, proc.rootVmar, 0, 0, 3 * PAGE);
    assert.equal(rest.addr, b.addr + BigInt(PAGE));
  });

  it('gives the new handle the default VMAR rights plus the rights of its CAN_MAP flags', () => {
    const { sys, proc } = newProcess();
    const cases: [number, number][] = [
      [0, 0],
      [ZX_VM_CAN_MAP_READ, ZX_RIGHT_READ],
      [ZX_VM_CAN_MAP_WRITE, ZX_RIGHT_WRITE],
      [ZX_VM_CAN_MAP_EXECUTE, ZX_RIGHT_EXECUTE],
      [CAN_MAP_ALL, ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE],
    ];
    for (const [options, rights] of cases) {
      const child = allocate(sys, proc.rootVmar, options, 0, PAGE);
      const basic = handleBasic(sys, child.handle);
      assert.equal(basic.type, ZX_OBJ_TYPE_VMAR);
      assert.equal(
        basic.rights,
        ZX_DEFAULT_VMAR_RIGHTS | rights,
        `options 0x${options.toString(16)}`,
      );
    }
  });

  it('needs READ, WRITE or EXECUTE on the parent handle for each CAN_MAP flag', () => {
    const { sys, proc } = newProcess();
    const cases: [number, number][] = [
      [ZX_VM_CAN_MAP_READ, ZX_RIGHT_READ],
      [ZX_VM_CAN_MAP_WRITE, ZX_RIGHT_WRITE],
      [ZX_VM_CAN_MAP_EXECUTE, ZX_RIGHT_EXECUTE],
    ];
    for (const [flag, right] of cases) {
      const weak = duplicate(sys, proc.rootVmar, ROOT_RIGHTS & ~right);
      const h = out(0);
      const a = out(0n);
      expectStatus(sys.zx_vmar_allocate(weak, flag, 0, PAGE, h, a), ZX_ERR_ACCESS_DENIED);
      // The rights are looked at before anything else, even a bad size.
      expectStatus(sys.zx_vmar_allocate(weak, flag, 0, 1, h, a), ZX_ERR_ACCESS_DENIED);
      // Without the flag the right is not needed.
      expectStatus(sys.zx_vmar_allocate(weak, 0, 0, PAGE, h, a), ZX_OK);
    }
  });

  it('needs no OP_CHILDREN right on the parent', () => {
    const { sys, proc } = newProcess();
    const weak = duplicate(sys, proc.rootVmar, ROOT_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    expectStatus(sys.zx_vmar_allocate(weak, CAN_MAP_RW, 0, PAGE, out(0), out(0n)), ZX_OK);
  });

  it('reports bad handles: ZX_ERR_BAD_HANDLE, and ZX_ERR_WRONG_TYPE for a VMO', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(
      sys.zx_vmar_allocate(ZX_HANDLE_INVALID, 0, 0, PAGE, out(0), out(0n)),
      ZX_ERR_BAD_HANDLE,
    );
    expectStatus(sys.zx_vmar_allocate(vmo, 0, 0, PAGE, out(0), out(0n)), ZX_ERR_WRONG_TYPE);
  });

  it('refuses unknown option bits and alignments outside 2^10 .. 2^32', () => {
    const { sys, proc } = newProcess();
    const bad = [1 << 16, 1 << 20, 1 << 23, 1 << 24, 9 << 24, 33 << 24, 0x80 << 24];
    for (const options of bad) {
      expectStatus(
        sys.zx_vmar_allocate(proc.rootVmar, options, 0, PAGE, out(0), out(0n)),
        ZX_ERR_INVALID_ARGS,
        `options 0x${(options >>> 0).toString(16)}`,
      );
    }
  });

  it('refuses every PERM_* bit with ZX_ERR_INVALID_ARGS', () => {
    const { sys, proc } = newProcess();
    for (const perm of [
      ZX_VM_PERM_READ,
      ZX_VM_PERM_WRITE,
      ZX_VM_PERM_EXECUTE,
      ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED,
    ]) {
      expectStatus(
        sys.zx_vmar_allocate(proc.rootVmar, perm | CAN_MAP_RW, 0, PAGE, out(0), out(0n)),
        ZX_ERR_INVALID_ARGS,
      );
    }
  });

  it('refuses a size that is not page aligned (it is not rounded up) and a size of 0', () => {
    const { sys, proc } = newProcess();
    for (const size of [1, PAGE + 1, 0xffff_ffff_ffff_f001n, 0]) {
      expectStatus(
        sys.zx_vmar_allocate(proc.rootVmar, 0, 0, size, out(0), out(0n)),
        ZX_ERR_INVALID_ARGS,
        `size ${size}`,
      );
    }
  });

  it('refuses the options that only mappings take', () => {
    const { sys, proc } = newProcess();
    for (const option of [
      ZX_VM_SPECIFIC_OVERWRITE,
      ZX_VM_MAP_RANGE,
      ZX_VM_REQUIRE_NON_RESIZABLE,
      ZX_VM_ALLOW_FAULTS,
      ZX_VM_FAULT_BEYOND_STREAM_SIZE,
    ]) {
      expectStatus(
        sys.zx_vmar_allocate(proc.rootVmar, option, 0, PAGE, out(0), out(0n)),
        ZX_ERR_INVALID_ARGS,
      );
    }
  });

  it('accepts ZX_VM_COMPACT, which places first fit like every VMAR here', () => {
    const { sys, proc } = newProcess();
    const compact = allocate(sys, proc.rootVmar, ZX_VM_COMPACT | CAN_MAP_RW, 0, 64 * PAGE);
    const inner = allocate(sys, compact.handle, 0, 0, PAGE);
    assert.equal(inner.addr, compact.addr);
  });

  it('refuses a CAN_MAP flag its parent lacks with ZX_ERR_ACCESS_DENIED', () => {
    const { sys, proc } = newProcess();
    const readOnly = allocate(sys, proc.rootVmar, ZX_VM_CAN_MAP_READ, 0, 16 * PAGE);
    // The handle lacks WRITE as the VMAR lacks CAN_MAP_WRITE.
    expectStatus(
      sys.zx_vmar_allocate(readOnly.handle, CAN_MAP_RW, 0, PAGE, out(0), out(0n)),
      ZX_ERR_ACCESS_DENIED,
    );
    allocate(sys, readOnly.handle, ZX_VM_CAN_MAP_READ, 0, PAGE);
  });

  it('refuses SPECIFIC together with OFFSET_IS_UPPER_LIMIT', () => {
    const { sys, proc } = newProcess();
    expectStatus(
      sys.zx_vmar_allocate(
        proc.rootVmar,
        ZX_VM_SPECIFIC | ZX_VM_OFFSET_IS_UPPER_LIMIT,
        16 * PAGE,
        PAGE,
        out(0),
        out(0n),
      ),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('refuses an offset without SPECIFIC or OFFSET_IS_UPPER_LIMIT', () => {
    const { sys, proc } = newProcess();
    expectStatus(
      sys.zx_vmar_allocate(proc.rootVmar, 0, 16 * PAGE, PAGE, out(0), out(0n)),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('refuses an offset that is not page aligned', () => {
    const { sys, proc } = newProcess();
    expectStatus(
      sys.zx_vmar_allocate(proc.rootVmar, ZX_VM_SPECIFIC, PAGE + 1, PAGE, out(0), out(0n)),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('places SPECIFIC sub-VMARs at the offset from the parent base', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
    const child = allocate(sys, parent.handle, ZX_VM_SPECIFIC, 8 * PAGE, 4 * PAGE);
    assert.equal(child.addr, parent.addr + BigInt(8 * PAGE));
  });

  it('needs CAN_MAP_SPECIFIC in the parent for SPECIFIC and OFFSET_IS_UPPER_LIMIT (not inherited)', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_RW, 0, 64 * PAGE);
    expectStatus(
      sys.zx_vmar_allocate(parent.handle, ZX_VM_SPECIFIC, 0, PAGE, out(0), out(0n)),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(
      sys.zx_vmar_allocate(
        parent.handle,
        ZX_VM_OFFSET_IS_UPPER_LIMIT,
        16 * PAGE,
        PAGE,
        out(0),
        out(0n),
      ),
      ZX_ERR_ACCESS_DENIED,
    );
    const specific = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
    const grandchild = allocate(sys, specific.handle, 0, 0, 16 * PAGE);
    expectStatus(
      sys.zx_vmar_allocate(grandchild.handle, ZX_VM_SPECIFIC, 0, PAGE, out(0), out(0n)),
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('refuses ranges that do not fit the parent with ZX_ERR_INVALID_ARGS', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 16 * PAGE);
    const cases: [number, number | bigint, number | bigint][] = [
      [ZX_VM_SPECIFIC, 16 * PAGE, PAGE],
      [ZX_VM_SPECIFIC, 15 * PAGE, 2 * PAGE],
      [ZX_VM_SPECIFIC, 0, 17 * PAGE],
      [0, 0, 17 * PAGE],
      [ZX_VM_SPECIFIC, 0xffff_ffff_ffff_f000n, PAGE],
    ];
    for (const [options, offset, size] of cases) {
      expectStatus(
        sys.zx_vmar_allocate(parent.handle, options, offset, size, out(0), out(0n)),
        ZX_ERR_INVALID_ARGS,
        `offset ${offset} size ${size}`,
      );
    }
  });

  it('refuses SPECIFIC ranges that overlap a mapping or a sub-VMAR with ZX_ERR_ALREADY_EXISTS', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
    allocate(sys, parent.handle, ZX_VM_SPECIFIC, 8 * PAGE, 4 * PAGE);
    const vmo = createVmo(sys, 4 * PAGE);
    map(sys, parent.handle, ZX_VM_SPECIFIC | RW, 20 * PAGE, vmo, 0, 4 * PAGE);
    const overlaps: [number, number][] = [
      [8, 4],
      [7, 2],
      [11, 4],
      [6, 8],
      [9, 1],
      [20, 4],
      [23, 1],
      [18, 3],
    ];
    for (const [page, pages] of overlaps) {
      expectStatus(
        sys.zx_vmar_allocate(
          parent.handle,
          ZX_VM_SPECIFIC,
          page * PAGE,
          pages * PAGE,
          out(0),
          out(0n),
        ),
        ZX_ERR_ALREADY_EXISTS,
        `pages ${page}..${page + pages}`,
      );
    }
    allocate(sys, parent.handle, ZX_VM_SPECIFIC, 12 * PAGE, 8 * PAGE);
  });

  it('refuses a SPECIFIC base that does not have the requested alignment', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL | ZX_VM_ALIGN_1MB, 0, 1 << 22);
    expectStatus(
      sys.zx_vmar_allocate(
        parent.handle,
        ZX_VM_SPECIFIC | ZX_VM_ALIGN_1MB,
        PAGE,
        PAGE,
        out(0),
        out(0n),
      ),
      ZX_ERR_INVALID_ARGS,
    );
    allocate(sys, parent.handle, ZX_VM_SPECIFIC | ZX_VM_ALIGN_1MB, 1 << 20, PAGE);
  });

  it('aligns non-specific sub-VMARs as asked, 1 KiB and 2 KiB as whole pages', () => {
    const { sys, proc } = newProcess();
    allocate(sys, proc.rootVmar, 0, 0, PAGE);
    for (const [align, bytes] of [
      [ZX_VM_ALIGN_1KB, 4096n],
      [ZX_VM_ALIGN_2KB, 4096n],
      [ZX_VM_ALIGN_64KB, 1n << 16n],
      [ZX_VM_ALIGN_1MB, 1n << 20n],
      [ZX_VM_ALIGN_4GB, 1n << 32n],
    ] as const) {
      const child = allocate(sys, proc.rootVmar, align, 0, PAGE);
      assert.equal(child.addr % bytes, 0n, `alignment ${bytes}`);
    }
  });

  it('fails with ZX_ERR_NO_RESOURCES when no spot fits, or the alignment exceeds the parent', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 8 * PAGE);
    allocate(sys, parent.handle, ZX_VM_SPECIFIC, 2 * PAGE, 2 * PAGE);
    allocate(sys, parent.handle, ZX_VM_SPECIFIC, 6 * PAGE, PAGE);
    expectStatus(
      sys.zx_vmar_allocate(parent.handle, 0, 0, 3 * PAGE, out(0), out(0n)),
      ZX_ERR_NO_RESOURCES,
    );
    allocate(sys, parent.handle, 0, 0, 2 * PAGE);
    allocate(sys, parent.handle, 0, 0, 2 * PAGE);
    allocate(sys, parent.handle, 0, 0, PAGE);
    expectStatus(
      sys.zx_vmar_allocate(parent.handle, 0, 0, PAGE, out(0), out(0n)),
      ZX_ERR_NO_RESOURCES,
    );
    const small = allocate(sys, proc.rootVmar, 0, 0, 16 * PAGE);
    expectStatus(
      sys.zx_vmar_allocate(small.handle, ZX_VM_ALIGN_4GB, 0, PAGE, out(0), out(0n)),
      ZX_ERR_NO_RESOURCES,
    );
  });

  it('places below the limit with OFFSET_IS_UPPER_LIMIT, as big as the limit at most', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
    allocate(sys, parent.handle, ZX_VM_SPECIFIC, 0, 4 * PAGE);
    const below = allocate(sys, parent.handle, ZX_VM_OFFSET_IS_UPPER_LIMIT, 8 * PAGE, 4 * PAGE);
    assert.equal(below.addr, parent.addr + BigInt(4 * PAGE));
    expectStatus(
      sys.zx_vmar_allocate(
        parent.handle,
        ZX_VM_OFFSET_IS_UPPER_LIMIT,
        8 * PAGE,
        PAGE,
        out(0),
        out(0n),
      ),
      ZX_ERR_NO_RESOURCES,
    );
    // A size above the limit, or a limit past the parent, is a bad argument.
    for (const [limit, size] of [
      [2 * PAGE, 3 * PAGE],
      [65 * PAGE, PAGE],
      [64 * PAGE, 65 * PAGE],
    ]) {
      expectStatus(
        sys.zx_vmar_allocate(
          parent.handle,
          ZX_VM_OFFSET_IS_UPPER_LIMIT,
          limit!,
          size!,
          out(0),
          out(0n),
        ),
        ZX_ERR_INVALID_ARGS,
      );
    }
    const fresh = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 16 * PAGE);
    const whole = allocate(sys, fresh.handle, ZX_VM_OFFSET_IS_UPPER_LIMIT, 16 * PAGE, 16 * PAGE);
    assert.equal(whole.addr, fresh.addr);
  });

  it('reports a destroyed parent with ZX_ERR_BAD_STATE', () => {
    const { sys, proc } = newProcess();
    const parent = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 16 * PAGE);
    expectStatus(sys.zx_vmar_destroy(parent.handle), ZX_OK);
    expectStatus(
      sys.zx_vmar_allocate(parent.handle, 0, 0, PAGE, out(0), out(0n)),
      ZX_ERR_BAD_STATE,
    );
    // Argument errors found before the VMAR is looked at still win.
    expectStatus(
      sys.zx_vmar_allocate(parent.handle, ZX_VM_PERM_READ, 0, PAGE, out(0), out(0n)),
      ZX_ERR_INVALID_ARGS,
    );
  });

  it('destroys the new VMAR, and its handle, when child_addr cannot be written', () => {
    const { sys, proc } = newProcess();
    const before = proc.object.handles.size;
    for (const childAddr of [null, Object.freeze({ value: 0n })]) {
      const handle = out(0);
      expectStatus(
        sys.zx_vmar_allocate(proc.rootVmar, CAN_MAP_RW, 0, PAGE, handle, childAddr),
        ZX_ERR_INVALID_ARGS,
      );
      assert.equal(handle.value, 0);
      assert.equal(proc.object.handles.size, before);
    }
    // child_addr is copied out first: with both unusable, the VMAR is destroyed all the same.
    expectStatus(sys.zx_vmar_allocate(proc.rootVmar, 0, 0, PAGE, null, null), ZX_ERR_INVALID_ARGS);
    assert.equal(proc.object.handles.size, before);
    // The range is free again.
    assert.equal(allocate(sys, proc.rootVmar, 0, 0, PAGE).addr, USER_BASE);
  });

  it('keeps the VMAR but destroys its handle when only child_vmar cannot be written', () => {
    const { sys, proc } = newProcess();
    const before = proc.object.handles.size;
    const unusable = [null, Object.freeze({ value: 0 })];
    for (const [i, childVmar] of unusable.entries()) {
      const addr = out(0n);
      expectStatus(
        sys.zx_vmar_allocate(proc.rootVmar, 0, 0, PAGE, childVmar, addr),
        ZX_ERR_INVALID_ARGS,
      );
      // child_addr was written before the handle was found unusable, as in Zircon.
      assert.equal(addr.value, USER_BASE + BigInt(i * PAGE));
      assert.equal(proc.object.handles.size, before);
    }
    // A VMAR whose last handle goes stays in place: both ranges are still taken.
    assert.equal(allocate(sys, proc.rootVmar, 0, 0, PAGE).addr, USER_BASE + 2n * BigInt(PAGE));
    expectStatus(
      sys.zx_vmar_allocate(proc.rootVmar, ZX_VM_SPECIFIC, 0, PAGE, out(0), out(0n)),
      ZX_ERR_ALREADY_EXISTS,
    );
  });

  it('gives NO_MEMORY when the handle arena is full, and the range stays free', () => {
    const { proc, sys, fill } = smallArena();
    fill(proc.job);
    const options = ZX_VM_CAN_MAP_READ | ZX_VM_SPECIFIC;
    const allocate = () => sys.zx_vmar_allocate(proc.rootVmar, options, 0, PAGE, out(0), out(0n));
    expectFailure(proc, allocate(), ZX_ERR_NO_MEMORY, ARENA_FULL);
    expectStatus(sys.zx_handle_close(proc.job), ZX_OK);
    expectStatus(allocate(), ZX_OK);
  });
});
