// zx_vmar_unmap and zx_vmar_protect: every option and error in Zircon's order, partial unmaps
// that trim and split mappings, protections over parts of mappings (which no longer split
// them), and sub-VMARs with and without ZX_RIGHT_OP_CHILDREN.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_OK,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_OP_CHILDREN,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VM_ALIGN_1MB,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_COMPACT,
  ZX_VM_PERM_EXECUTE,
  ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
} from '../../../src/abi/constants.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  newProcess,
  PAGE,
  readVmo,
  UINT64_MAX,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
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
} from './vmar-helpers.ts';

const CAN_MAP_RW = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
const CAN_MAP_ALL = CAN_MAP_RW | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC;
const ROOT_RIGHTS = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;
const P = BigInt(PAGE);

/** A process with a sub-VMAR (CAN_MAP_ALL) of `pages` pages and a VMO of 8 pages with data. */
function fixture(pages = 64) {
  const { kernel, sys, proc } = newProcess();
  const vmar = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, pages * PAGE);
  const vmo = createVmo(sys, 8 * PAGE);
  writeVmo(sys, vmo, 0, pattern(8 * PAGE, 5));
  return { kernel, sys, proc, vmar, vmo };
}

describe('zx_vmar_unmap', () => {
  it('reports bad handles: ZX_ERR_BAD_HANDLE, and ZX_ERR_WRONG_TYPE for a VMO', () => {
    const { sys, vmo, vmar } = fixture();
    expectStatus(sys.zx_vmar_unmap(ZX_HANDLE_INVALID, vmar.addr, PAGE), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_vmar_unmap(vmo, vmar.addr, PAGE), ZX_ERR_WRONG_TYPE);
  });

  it('refuses an unaligned address, a length of 0 and lengths that round to 0', () => {
    const { sys, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr + 1n, PAGE), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr, UINT64_MAX), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr, UINT64_MAX - P + 2n), ZX_ERR_INVALID_ARGS);
  });

  it('refuses ranges not inside the VMAR, huge lengths included', () => {
    const { sys, vmar } = fixture(16);
    for (const [addr, len] of [
      [vmar.addr - P, P],
      [vmar.addr + 15n * P, 2n * P],
      [vmar.addr, 17n * P],
      [vmar.addr, UINT64_MAX - 2n * P],
      [0n, P],
    ]) {
      expectStatus(sys.zx_vmar_unmap(vmar.handle, addr!, len!), ZX_ERR_INVALID_ARGS);
    }
  });

  it('rounds an unaligned length up to whole pages', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, 2 * PAGE);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr, 1), ZX_OK);
    expectStatus(loadStatus(proc, addr + P - 1n), ZX_ERR_NOT_FOUND);
    assert.equal(load(proc, addr + P, 1)[0], pattern(8 * PAGE, 5)[PAGE]);
  });

  it('is fine over gaps, and from below a mapping', () => {
    const { sys, proc, vmo, vmar } = fixture();
    expectStatus(sys.zx_vmar_unmap(vmar.handle, vmar.addr, 8 * PAGE), ZX_OK);
    const addr = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 4 * PAGE, vmo, 0, 4 * PAGE);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, vmar.addr, 6 * PAGE), ZX_OK);
    expectStatus(loadStatus(proc, addr + P), ZX_ERR_NOT_FOUND);
    assert.equal(load(proc, addr + 2n * P, 1)[0], pattern(8 * PAGE, 5)[2 * PAGE]);
  });

  it('trims a mapping at either end and splits it in the middle', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, 8 * PAGE);
    const data = pattern(8 * PAGE, 5);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr, P), ZX_OK);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr + 7n * P, P), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 1n);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr + 3n * P, 2n * P), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 2n);
    for (let page = 0; page < 8; page++) {
      const at = addr + BigInt(page) * P;
      if (page === 0 || page === 3 || page === 4 || page === 7) {
        expectStatus(loadStatus(proc, at), ZX_ERR_NOT_FOUND, `page ${page}`);
      } else {
        assert.deepEqual(load(proc, at, PAGE), data.subarray(page * PAGE, (page + 1) * PAGE));
      }
    }
    // The pieces still write through to the right VMO offsets.
    store(proc, addr + 5n * P, new Uint8Array([0xee]));
    assert.equal(readVmo(sys, vmo, 5 * PAGE, 1)[0], 0xee);
    expectCleanTables(proc);
  });

  it('unmaps several mappings in one call', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const a = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 4 * PAGE, vmo, 0, 2 * PAGE);
    map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 8 * PAGE, vmo, 0, 2 * PAGE);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, a + P, 8 * PAGE), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 2n);
    load(proc, a, 1);
    load(proc, a + 9n * P, 1);
    expectStatus(loadStatus(proc, a + 5n * P), ZX_ERR_NOT_FOUND);
  });

  it('refuses sub-VMARs in the range without OP_CHILDREN, changing nothing', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    const child = allocate(sys, vmar.handle, ZX_VM_SPECIFIC | CAN_MAP_RW, 4 * PAGE, 4 * PAGE);
    const weak = duplicate(sys, vmar.handle, ROOT_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    expectStatus(sys.zx_vmar_unmap(weak, vmar.addr, 16 * PAGE), ZX_ERR_INVALID_ARGS);
    load(proc, addr, 1);
    allocate(sys, child.handle, 0, 0, PAGE);
    // A range that misses the sub-VMAR needs no OP_CHILDREN.
    expectStatus(sys.zx_vmar_unmap(weak, vmar.addr, 4 * PAGE), ZX_OK);
  });

  it('refuses a sub-VMAR only partly in the range, even with OP_CHILDREN', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    const child = allocate(sys, vmar.handle, ZX_VM_SPECIFIC | CAN_MAP_RW, 4 * PAGE, 4 * PAGE);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, vmar.addr, 6 * PAGE), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, child.addr + P, P), ZX_ERR_INVALID_ARGS);
    load(proc, addr, 1);
  });

  it('destroys sub-VMARs wholly in the range with OP_CHILDREN', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const child = allocate(sys, vmar.handle, ZX_VM_SPECIFIC | CAN_MAP_ALL, 4 * PAGE, 4 * PAGE);
    const grandchild = allocate(sys, child.handle, CAN_MAP_RW, 0, 2 * PAGE);
    const inner = map(sys, grandchild.handle, RW, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_vmar_unmap(vmar.handle, vmar.addr, 16 * PAGE), ZX_OK);
    expectStatus(loadStatus(proc, inner), ZX_ERR_NOT_FOUND);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 0n);
    expectStatus(sys.zx_vmar_destroy(child.handle), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_vmar_destroy(grandchild.handle), ZX_ERR_BAD_STATE);
    // Through the sub-VMAR's own handle its own mappings need no OP_CHILDREN.
    const other = allocate(sys, vmar.handle, CAN_MAP_ALL, 0, 4 * PAGE);
    const m = map(sys, other.handle, RW, 0, vmo, 0, PAGE);
    const weak = duplicate(sys, other.handle, ROOT_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    expectStatus(sys.zx_vmar_unmap(weak, m, PAGE), ZX_OK);
  });
});

describe('zx_vmar_protect', () => {
  it('looks the handle up with the rights of the requested permissions first', () => {
    const { sys, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    const readOnly = duplicate(
      sys,
      vmar.handle,
      ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_EXECUTE,
    );
    // Rights are checked before the WRITE-without-READ rule.
    expectStatus(sys.zx_vmar_protect(readOnly, ZX_VM_PERM_WRITE, addr, PAGE), ZX_ERR_ACCESS_DENIED);
    expectStatus(
      sys.zx_vmar_protect(vmar.handle, ZX_VM_PERM_WRITE, addr, PAGE),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_vmar_protect(readOnly, RW, addr, PAGE), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_vmar_protect(readOnly, R, addr, PAGE), ZX_OK);
    const noExec = duplicate(sys, vmar.handle, ROOT_RIGHTS & ~ZX_RIGHT_EXECUTE);
    expectStatus(
      sys.zx_vmar_protect(noExec, R | ZX_VM_PERM_EXECUTE, addr, PAGE),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(sys.zx_vmar_protect(ZX_HANDLE_INVALID, R, addr, PAGE), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_vmar_protect(vmo, R, addr, PAGE), ZX_ERR_WRONG_TYPE);
  });

  it('refuses EXECUTE without READ, unaligned addresses, non-permission options and empty lengths', () => {
    const { sys, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    expectStatus(
      sys.zx_vmar_protect(vmar.handle, ZX_VM_PERM_EXECUTE, addr, PAGE),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr + 1n, PAGE), ZX_ERR_INVALID_ARGS);
    for (const option of [
      ZX_VM_CAN_MAP_READ,
      ZX_VM_SPECIFIC,
      ZX_VM_COMPACT,
      ZX_VM_ALIGN_1MB,
      1 << 20,
    ]) {
      expectStatus(sys.zx_vmar_protect(vmar.handle, R | option, addr, PAGE), ZX_ERR_INVALID_ARGS);
    }
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr, UINT64_MAX), ZX_ERR_INVALID_ARGS);
  });

  it('reports a destroyed VMAR with ZX_ERR_BAD_STATE and ranges outside it with ZX_ERR_INVALID_ARGS', () => {
    const { sys, vmo, vmar } = fixture(16);
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr, 17 * PAGE), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr - P, PAGE), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_destroy(vmar.handle), ZX_OK);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr, PAGE), ZX_ERR_BAD_STATE);
  });

  it('needs every page mapped: a gap anywhere is ZX_ERR_NOT_FOUND and nothing changes', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const a = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, 2 * PAGE);
    map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 4 * PAGE, vmo, 4 * PAGE, 2 * PAGE);
    for (const [start, len] of [
      [vmar.addr, 3n * P],
      [a, 4n * P],
      [a, 3n * P],
      [a + 2n * P, P],
    ]) {
      expectStatus(sys.zx_vmar_protect(vmar.handle, R, start!, len!), ZX_ERR_NOT_FOUND);
    }
    store(proc, a, new Uint8Array([1]));
    // An empty sub-VMAR counts as a gap.
    const empty = allocate(sys, vmar.handle, ZX_VM_SPECIFIC | CAN_MAP_RW, 8 * PAGE, 2 * PAGE);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, empty.addr, 2 * PAGE), ZX_ERR_NOT_FOUND);
    // Contiguous mappings are fine.
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, a, 2 * PAGE), ZX_OK);
  });

  it('refuses permissions beyond what the mapping was allowed (ZX_ERR_ACCESS_DENIED)', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const readOnly = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    const addr = map(sys, vmar.handle, R, 0, readOnly, 0, PAGE);
    expectStatus(sys.zx_vmar_protect(vmar.handle, RW, addr, PAGE), ZX_ERR_ACCESS_DENIED);
    expectStatus(
      sys.zx_vmar_protect(vmar.handle, R | ZX_VM_PERM_EXECUTE, addr, PAGE),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(storeStatus(proc, addr), ZX_ERR_ACCESS_DENIED);
  });

  it('takes write away at once, even from pages already written', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, 2 * PAGE);
    store(proc, addr, new Uint8Array([1]));
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr, PAGE), ZX_OK);
    expectStatus(storeStatus(proc, addr), ZX_ERR_ACCESS_DENIED);
    assert.equal(load(proc, addr, 1)[0], 1);
    store(proc, addr + P, new Uint8Array([2]));
    expectCleanTables(proc);
    // Granting write back lets the next write fault in again.
    expectStatus(sys.zx_vmar_protect(vmar.handle, RW, addr, PAGE), ZX_OK);
    store(proc, addr, new Uint8Array([3]));
    assert.equal(readVmo(sys, vmo, 0, 1)[0], 3);
  });

  it('with no permissions makes loads and stores fault ZX_ERR_ACCESS_DENIED', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    load(proc, addr, 1);
    expectStatus(sys.zx_vmar_protect(vmar.handle, 0, addr, PAGE), ZX_OK);
    expectStatus(loadStatus(proc, addr), ZX_ERR_ACCESS_DENIED);
    expectStatus(storeStatus(proc, addr), ZX_ERR_ACCESS_DENIED);
    expectCleanTables(proc);
  });

  it('protects part of a mapping without splitting it', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, 4 * PAGE);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr + P, 2 * PAGE), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 1n);
    store(proc, addr, new Uint8Array([1]));
    expectStatus(storeStatus(proc, addr + P), ZX_ERR_ACCESS_DENIED);
    expectStatus(storeStatus(proc, addr + 2n * P), ZX_ERR_ACCESS_DENIED);
    store(proc, addr + 3n * P, new Uint8Array([1]));
    // Unmapping across protection ranges keeps each piece's own protection.
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr + 2n * P, P), ZX_OK);
    expectStatus(storeStatus(proc, addr + P), ZX_ERR_ACCESS_DENIED);
    store(proc, addr + 3n * P, new Uint8Array([2]));
  });

  it('protects across several mappings', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const a = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 2 * PAGE);
    map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 6 * PAGE, 2 * PAGE);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, a + P, 2 * PAGE), ZX_OK);
    store(proc, a, new Uint8Array([1]));
    expectStatus(storeStatus(proc, a + P), ZX_ERR_ACCESS_DENIED);
    expectStatus(storeStatus(proc, a + 2n * P), ZX_ERR_ACCESS_DENIED);
    store(proc, a + 3n * P, new Uint8Array([1]));
  });

  it('treats PERM_READ_IF_XOM_UNSUPPORTED as PERM_READ', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    expectStatus(
      sys.zx_vmar_protect(vmar.handle, ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED, addr, PAGE),
      ZX_OK,
    );
    load(proc, addr, 1);
    expectStatus(storeStatus(proc, addr), ZX_ERR_ACCESS_DENIED);
  });

  it('reaches mappings in sub-VMARs only with OP_CHILDREN, and only to take permissions away', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const child = allocate(sys, vmar.handle, ZX_VM_SPECIFIC | CAN_MAP_ALL, 0, 4 * PAGE);
    const addr = map(sys, child.handle, RW, 0, vmo, 0, 4 * PAGE);
    const weak = duplicate(sys, vmar.handle, ROOT_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    expectStatus(sys.zx_vmar_protect(weak, R, addr, PAGE), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr, PAGE), ZX_OK);
    expectStatus(storeStatus(proc, addr), ZX_ERR_ACCESS_DENIED);
    // Adding back through the parent is refused; through the sub-VMAR itself it works.
    expectStatus(sys.zx_vmar_protect(vmar.handle, RW, addr, PAGE), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_vmar_protect(vmar.handle, RW, addr + P, PAGE), ZX_OK);
    expectStatus(sys.zx_vmar_protect(child.handle, RW, addr, PAGE), ZX_OK);
    store(proc, addr, new Uint8Array([9]));
    // A sub-VMAR full of mappings is walked like the rest of the range.
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, vmar.addr, 4 * PAGE), ZX_OK);
    expectStatus(storeStatus(proc, addr + 3n * P), ZX_ERR_ACCESS_DENIED);
  });

  it('keeps each page its protection as a mapping goes from one range to several and back', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 0, vmo, 0, 6 * PAGE);
    expectStatus(sys.zx_vmar_protect(vmar.handle, R, addr + 4n * P, 2 * PAGE), ZX_OK);
    // A split: the part below keeps one range (RW), the part above two (RW, then R).
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr + 2n * P, P), ZX_OK);
    store(proc, addr + P, new Uint8Array([1]));
    store(proc, addr + 3n * P, new Uint8Array([1]));
    expectStatus(storeStatus(proc, addr + 4n * P), ZX_ERR_ACCESS_DENIED);
    // Trimming the RW page off the front leaves one range, read-only.
    expectStatus(sys.zx_vmar_unmap(vmar.handle, addr + 3n * P, P), ZX_OK);
    expectStatus(storeStatus(proc, addr + 4n * P), ZX_ERR_ACCESS_DENIED);
    expectStatus(storeStatus(proc, addr + 5n * P), ZX_ERR_ACCESS_DENIED);
    // One protection over all of it is one range again.
    expectStatus(sys.zx_vmar_protect(vmar.handle, RW, addr + 4n * P, 2 * PAGE), ZX_OK);
    store(proc, addr + 5n * P, new Uint8Array([2]));
    // A read-only mapping placed right after the RW one merges with it, keeping both ranges.
    map(sys, vmar.handle, R | ZX_VM_SPECIFIC, 2 * PAGE, vmo, 2 * PAGE, PAGE);
    assert.equal(vmoInfo(sys, vmo).num_mappings, 2n);
    store(proc, addr, new Uint8Array([3]));
    expectStatus(storeStatus(proc, addr + 2n * P), ZX_ERR_ACCESS_DENIED);
    assert.deepEqual(Array.from(readVmo(sys, vmo, 0, 1)), [3]);
    expectCleanTables(proc);
  });
});
