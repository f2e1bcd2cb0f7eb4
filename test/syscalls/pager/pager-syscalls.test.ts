// zx_pager_create, zx_pager_create_vmo, zx_pager_detach_vmo, zx_pager_supply_pages,
// zx_pager_op_range and zx_pager_query_vmo_stats: every error of their reference pages (zircon/vdso/pager.fidl), in
// Zircon's order (lib/syscalls/pager.cc), and the upstream core tests of
// zircon/system/utest/core/pager/pager.cc about arguments.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_OBJ_TYPE_PAGER,
  ZX_OK,
  ZX_PAGER_OP_DIRTY,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_STATS_MODIFIED,
  ZX_POL_ACTION_DENY,
  ZX_POL_NEW_PAGER,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_ATTACH_VMO,
  ZX_RIGHT_MANAGE_VMO,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
} from '../../../src/abi/constants.ts';
import { decodeZxPagerVmoStats, ZX_PAGER_VMO_STATS_SIZE } from '../../../src/abi/structs.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { VMO_MAX_SIZE } from '../../../src/vm/vm-object.ts';
import {
  createVmo,
  duplicate,
  exhaustMemory,
  expectStatus,
  handleBasic,
  newKernel,
  newProcess,
  out,
  PAGE,
  pinVmoPages,
  processWithPolicy,
  readVmo,
  vmoInfo,
} from '../../helpers.ts';
import { createPort } from '../ipc-helpers.ts';
import { auxWithDisk, createPagedVmo, createPager, diskPage, supplyDisk } from './pager-helpers.ts';

/** A new pager handle with `rights` only (pager handles cannot be duplicated). */
function weakPager(sys: Syscalls, rights: number): number {
  const weak = out(0);
  expectStatus(sys.zx_handle_replace(createPager(sys), rights, weak), ZX_OK);
  return weak.value;
}

/** A pager, a port, a 4-page pager VMO, and a plain VMO. */
function setup() {
  const p = newProcess();
  const pager = createPager(p.sys);
  const port = createPort(p.sys);
  const vmo = createPagedVmo(p.sys, pager, port, 1n, 4);
  const plain = createVmo(p.sys, 4 * PAGE);
  return { ...p, pager, port, vmo, plain };
}

describe('zx_pager_create', () => {
  it('makes a pager handle with ZX_DEFAULT_PAGER_RIGHTS', () => {
    const { sys } = newProcess();
    const info = handleBasic(sys, createPager(sys));
    assert.equal(info.type, ZX_OBJ_TYPE_PAGER);
    assert.equal(info.rights, ZX_DEFAULT_PAGER_RIGHTS);
  });

  // Pager.InvalidPagerCreate: options must be 0.
  it('gives INVALID_ARGS for options other than 0, or an out that cannot be written', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_pager_create(1, out(0)), ZX_ERR_INVALID_ARGS);
    const before = proc.object.handles.size;
    expectStatus(sys.zx_pager_create(0, null), ZX_ERR_INVALID_ARGS);
    assert.equal(proc.object.handles.size, before);
  });

  it('gives ACCESS_DENIED when the job policy denies ZX_POL_NEW_PAGER', () => {
    const { kernel, proc } = newProcess();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_NEW_PAGER, action: ZX_POL_ACTION_DENY },
    ]);
    expectStatus(child.sys.zx_pager_create(1, out(0)), ZX_ERR_ACCESS_DENIED);
  });
});

describe('zx_pager_create_vmo', () => {
  it('makes a pager-backed VMO: ZX_INFO_VMO_PAGER_BACKED, RESIZE only when RESIZABLE', () => {
    const { sys, pager, port, vmo } = setup();
    assert.ok((vmoInfo(sys, vmo).flags & ZX_INFO_VMO_PAGER_BACKED) !== 0);
    assert.equal(handleBasic(sys, vmo).rights & ZX_RIGHT_RESIZE, 0);
    const resizable = createPagedVmo(sys, pager, port, 2n, 1, ZX_VMO_RESIZABLE);
    assert.ok((handleBasic(sys, resizable).rights & ZX_RIGHT_RESIZE) !== 0);
    createPagedVmo(sys, pager, port, 3n, 1, ZX_VMO_TRAP_DIRTY);
    const unbounded = createPagedVmo(sys, pager, port, 4n, 1, ZX_VMO_UNBOUNDED);
    assert.equal(vmoInfo(sys, unbounded).size_bytes, VMO_MAX_SIZE);
    assert.equal(vmoInfo(sys, createVmo(sys, PAGE)).flags & ZX_INFO_VMO_PAGER_BACKED, 0);
  });

  it('checks policy, pager, port (rights before type), options, size in that order', () => {
    const { kernel, proc, sys, pager, port, plain } = setup();
    const child = processWithPolicy(kernel, proc, [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY },
    ]);
    expectStatus(child.sys.zx_pager_create_vmo(0, 99, 0, 0n, 0n, out(0)), ZX_ERR_ACCESS_DENIED);
    const create = (pg: number, options: number, pt: number, size = BigInt(PAGE)) =>
      sys.zx_pager_create_vmo(pg, options, pt, 0n, size, out(0));
    expectStatus(create(0x7fff_fff0, 99, 0), ZX_ERR_BAD_HANDLE);
    expectStatus(create(port, 99, 0), ZX_ERR_WRONG_TYPE);
    const noAttach = weakPager(sys, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_ATTACH_VMO);
    expectStatus(create(noAttach, 99, 0), ZX_ERR_ACCESS_DENIED);
    expectStatus(create(pager, 99, 0x7fff_fff0), ZX_ERR_BAD_HANDLE);
    // A VMO without WRITE is refused for the right, before its type is looked at.
    const readOnly = duplicate(sys, plain, ZX_RIGHT_READ);
    expectStatus(create(pager, 99, readOnly), ZX_ERR_ACCESS_DENIED);
    const noWrite = duplicate(sys, port, ZX_RIGHT_READ);
    expectStatus(create(pager, 0, noWrite), ZX_ERR_ACCESS_DENIED);
    expectStatus(create(pager, 99, plain), ZX_ERR_WRONG_TYPE);
    expectStatus(create(pager, 0x100, port), ZX_ERR_INVALID_ARGS);
    expectStatus(create(pager, ZX_VMO_DISCARDABLE, port), ZX_ERR_INVALID_ARGS);
    expectStatus(create(pager, ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, port), ZX_ERR_INVALID_ARGS);
    expectStatus(create(pager, 0, port, 0xffff_ffff_ffff_ffffn), ZX_ERR_OUT_OF_RANGE);
    // UNBOUNDED: size is the stream size, which may not pass the largest VMO.
    expectStatus(
      create(pager, ZX_VMO_UNBOUNDED, port, 0xffff_ffff_ffff_ffffn),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(create(pager, ZX_VMO_UNBOUNDED, port, VMO_MAX_SIZE + 1n), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_pager_create_vmo(pager, 0, port, 0n, 0n, null), ZX_ERR_INVALID_ARGS);
  });

  it('gives NO_MEMORY when the handle arena is full, and destroys the VMO', () => {
    const { proc, sys } = newProcess(newKernel({ maxHandles: 8 }));
    const pager = createPager(sys);
    const port = createPort(sys);
    while (sys.zx_handle_duplicate(proc.self, ZX_RIGHT_SAME_RIGHTS, out(0)) === ZX_OK) {}
    const made = out(0);
    expectStatus(sys.zx_pager_create_vmo(pager, 0, port, 0n, BigInt(PAGE), made), ZX_ERR_NO_MEMORY);
    assert.equal(made.value, 0);
  });
});

describe('zx_pager_detach_vmo', () => {
  it('needs ATTACH_VMO and MANAGE_VMO on the pager, WRITE on the VMO, the same pager', () => {
    const { sys, pager, port, vmo, plain } = setup();
    expectStatus(sys.zx_pager_detach_vmo(0x7fff_fff0, vmo), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_pager_detach_vmo(port, vmo), ZX_ERR_WRONG_TYPE);
    for (const right of [ZX_RIGHT_ATTACH_VMO, ZX_RIGHT_MANAGE_VMO]) {
      const weak = weakPager(sys, ZX_DEFAULT_PAGER_RIGHTS & ~right);
      expectStatus(sys.zx_pager_detach_vmo(weak, vmo), ZX_ERR_ACCESS_DENIED);
    }
    expectStatus(sys.zx_pager_detach_vmo(pager, 0x7fff_fff0), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_pager_detach_vmo(pager, port), ZX_ERR_WRONG_TYPE);
    const readOnly = duplicate(sys, vmo, ZX_RIGHT_READ);
    expectStatus(sys.zx_pager_detach_vmo(pager, readOnly), ZX_ERR_ACCESS_DENIED);
    // Pager.InvalidPagerDetach: a plain VMO, or another pager's.
    expectStatus(sys.zx_pager_detach_vmo(pager, plain), ZX_ERR_INVALID_ARGS);
    const other = createPager(sys);
    expectStatus(sys.zx_pager_detach_vmo(other, vmo), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
  });
});

describe('zx_pager_supply_pages', () => {
  it('checks alignment first, then pager, pager VMO, the same pager, then the aux VMO', () => {
    const { sys, pager, port, vmo, plain } = setup();
    const supply = (pg: number, v: number, aux: number, off = 0n, len = BigInt(PAGE)) =>
      sys.zx_pager_supply_pages(pg, v, off, len, aux, 0n);
    // Pager.InvalidPagerSupply
    expectStatus(supply(0x7fff_fff0, vmo, plain, 1n), ZX_ERR_INVALID_ARGS);
    expectStatus(supply(0x7fff_fff0, vmo, plain, 0n, 1n), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_pager_supply_pages(0, 0, 0n, 0n, 0, 5n), ZX_ERR_INVALID_ARGS);
    expectStatus(supply(0x7fff_fff0, vmo, plain), ZX_ERR_BAD_HANDLE);
    expectStatus(supply(port, vmo, plain), ZX_ERR_WRONG_TYPE);
    const noManage = weakPager(sys, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_MANAGE_VMO);
    expectStatus(supply(noManage, vmo, plain), ZX_ERR_ACCESS_DENIED);
    expectStatus(supply(pager, 0x7fff_fff0, plain), ZX_ERR_BAD_HANDLE);
    expectStatus(supply(pager, port, plain), ZX_ERR_WRONG_TYPE);
    expectStatus(supply(pager, duplicate(sys, vmo, ZX_RIGHT_READ), plain), ZX_ERR_ACCESS_DENIED);
    expectStatus(supply(pager, plain, plain), ZX_ERR_INVALID_ARGS);
    expectStatus(supply(createPager(sys), vmo, plain), ZX_ERR_INVALID_ARGS);
    expectStatus(supply(pager, vmo, 0x7fff_fff0), ZX_ERR_BAD_HANDLE);
    expectStatus(supply(pager, vmo, port), ZX_ERR_WRONG_TYPE);
    for (const rights of [ZX_RIGHT_READ, ZX_RIGHT_WRITE]) {
      expectStatus(supply(pager, vmo, duplicate(sys, plain, rights)), ZX_ERR_ACCESS_DENIED);
    }
  });

  it('refuses a pager-backed aux VMO (NOT_SUPPORTED) and a pinned one (BAD_STATE)', () => {
    const { proc, sys, pager, port, vmo } = setup();
    const otherVmo = createPagedVmo(sys, pager, port, 9n, 1);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(PAGE), otherVmo, 0n),
      ZX_ERR_NOT_SUPPORTED,
    );
    const aux = auxWithDisk(sys, 0, 1);
    const unpin = pinVmoPages(proc, aux, 0, 1);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(PAGE), aux, 0n),
      ZX_ERR_BAD_STATE,
    );
    unpin();
    expectStatus(sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(PAGE), aux, 0n), ZX_OK);
  });

  it('gives OUT_OF_RANGE past the aux VMO, and past the pager VMO (the aux pages are lost)', () => {
    const { sys, pager, vmo } = setup();
    const aux = auxWithDisk(sys, 0, 2);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(2 * PAGE), aux, BigInt(PAGE)),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, BigInt(3 * PAGE), BigInt(2 * PAGE), aux, 0n),
      ZX_ERR_OUT_OF_RANGE,
    );
    assert.deepEqual(readVmo(sys, aux, 0, PAGE), new Uint8Array(PAGE));
  });

  it('gives BAD_STATE once the VMO is detached', () => {
    const { sys, pager, vmo } = setup();
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    const aux = auxWithDisk(sys, 0, 1);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(PAGE), aux, 0n),
      ZX_ERR_BAD_STATE,
    );
  });

  it('gives NO_MEMORY when pages the aux VMO shares cannot be copied out', () => {
    const p = newProcess(newKernel({ reclaimWatermarkBytes: 0 }));
    const { sys } = p;
    const pager = createPager(sys);
    const vmo = createPagedVmo(sys, pager, createPort(sys), 1n, 2);
    const aux = auxWithDisk(sys, 0, 2);
    const clone = out(0);
    const snapshot = ZX_VMO_CHILD_SNAPSHOT;
    expectStatus(sys.zx_vmo_create_child(aux, snapshot, 0n, BigInt(2 * PAGE), clone), ZX_OK);
    // No frame left for the copies the take needs (the clone still sees the pages).
    exhaustMemory(p.kernel, p.proc);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(2 * PAGE), aux, 0n),
      ZX_ERR_NO_MEMORY,
    );
  });

  it('moves pages (the aux VMO reads zero after), uncommitted aux pages become zero pages', () => {
    const { sys, pager, vmo } = setup();
    const aux = auxWithDisk(sys, 0, 2);
    expectStatus(sys.zx_vmo_op_range(aux, 2, BigInt(PAGE), BigInt(PAGE), null, 0), ZX_OK);
    expectStatus(sys.zx_pager_supply_pages(pager, vmo, 0n, BigInt(2 * PAGE), aux, 0n), ZX_OK);
    assert.equal(vmoInfo(sys, aux).committed_bytes, 0n);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), diskPage(0));
    assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), new Uint8Array(PAGE));
    assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(PAGE));
  });
});

describe('zx_pager_op_range', () => {
  it('checks alignment first, then pager, VMO, the same pager, then data, range and op', () => {
    const { sys, pager, port, vmo, plain } = setup();
    const op = (pg: number, o: number, v: number, off = 0n, len = BigInt(PAGE), data = 0n) =>
      sys.zx_pager_op_range(pg, o, v, off, len, data);
    const io = BigInt.asUintN(64, BigInt(ZX_ERR_IO));
    expectStatus(op(0x7fff_fff0, ZX_PAGER_OP_FAIL, vmo, 1n), ZX_ERR_INVALID_ARGS);
    expectStatus(op(0x7fff_fff0, ZX_PAGER_OP_FAIL, vmo, 0n, 5n), ZX_ERR_INVALID_ARGS);
    expectStatus(op(0x7fff_fff0, ZX_PAGER_OP_FAIL, vmo), ZX_ERR_BAD_HANDLE);
    expectStatus(op(port, ZX_PAGER_OP_FAIL, vmo), ZX_ERR_WRONG_TYPE);
    const noManage = weakPager(sys, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_MANAGE_VMO);
    expectStatus(op(noManage, ZX_PAGER_OP_FAIL, vmo), ZX_ERR_ACCESS_DENIED);
    expectStatus(op(pager, ZX_PAGER_OP_FAIL, 0x7fff_fff0), ZX_ERR_BAD_HANDLE);
    expectStatus(op(pager, ZX_PAGER_OP_FAIL, port), ZX_ERR_WRONG_TYPE);
    const readOnly = duplicate(sys, vmo, ZX_RIGHT_READ);
    expectStatus(op(pager, ZX_PAGER_OP_FAIL, readOnly), ZX_ERR_ACCESS_DENIED);
    expectStatus(op(pager, ZX_PAGER_OP_FAIL, plain, 0n, BigInt(PAGE), io), ZX_ERR_INVALID_ARGS);
    // Pager.FailErrorCode: only the five statuses a pager may report.
    for (const bad of [0n, 1n, BigInt.asUintN(64, -1n), 1n << 40n, BigInt.asUintN(64, -4n)]) {
      expectStatus(op(pager, ZX_PAGER_OP_FAIL, vmo, 0n, BigInt(PAGE), bad), ZX_ERR_INVALID_ARGS);
    }
    for (const good of [
      ZX_ERR_IO,
      ZX_ERR_IO_DATA_INTEGRITY,
      ZX_ERR_BAD_STATE,
      ZX_ERR_NO_SPACE,
      ZX_ERR_BUFFER_TOO_SMALL,
    ]) {
      const data = BigInt.asUintN(64, BigInt(good));
      expectStatus(op(pager, ZX_PAGER_OP_FAIL, vmo, 0n, BigInt(PAGE), data), ZX_OK);
    }
    // Pager.InvalidPagerOp... the range must lie in the VMO.
    expectStatus(
      op(pager, ZX_PAGER_OP_FAIL, vmo, BigInt(4 * PAGE), BigInt(PAGE), io),
      ZX_ERR_OUT_OF_RANGE,
    );
    expectStatus(op(pager, 0, vmo), ZX_ERR_NOT_SUPPORTED);
    expectStatus(op(pager, ZX_PAGER_OP_DIRTY, vmo), ZX_ERR_NOT_SUPPORTED);
    // Supplied pages are untouched by a FAIL.
    supplyDisk(sys, pager, vmo, 0, 1);
    expectStatus(op(pager, ZX_PAGER_OP_FAIL, vmo, 0n, BigInt(PAGE), io), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), diskPage(0));
  });
});

describe('zx_pager_query_vmo_stats', () => {
  const stats = (sys: Syscalls, pager: number, vmo: number, options = 0) => {
    const buf = new Uint8Array(ZX_PAGER_VMO_STATS_SIZE);
    expectStatus(sys.zx_pager_query_vmo_stats(pager, vmo, options, buf, buf.length), ZX_OK);
    return decodeZxPagerVmoStats(buf).modified;
  };

  it('checks pager, VMO (READ), the same pager, the buffer size, then options', () => {
    const { sys, pager, port, vmo, plain } = setup();
    const buf = new Uint8Array(4);
    const query = (pg: number, v: number, options = 0, size = 4) =>
      sys.zx_pager_query_vmo_stats(pg, v, options, buf, size);
    expectStatus(query(0x7fff_fff0, vmo), ZX_ERR_BAD_HANDLE);
    expectStatus(query(port, vmo), ZX_ERR_WRONG_TYPE);
    const noManage = weakPager(sys, ZX_DEFAULT_PAGER_RIGHTS & ~ZX_RIGHT_MANAGE_VMO);
    expectStatus(query(noManage, vmo), ZX_ERR_ACCESS_DENIED);
    expectStatus(query(pager, 0x7fff_fff0), ZX_ERR_BAD_HANDLE);
    expectStatus(query(pager, port), ZX_ERR_WRONG_TYPE);
    expectStatus(query(pager, duplicate(sys, vmo, ZX_RIGHT_WRITE)), ZX_ERR_ACCESS_DENIED);
    expectStatus(query(pager, plain), ZX_ERR_INVALID_ARGS);
    expectStatus(query(pager, vmo, 2, 3), ZX_ERR_BUFFER_TOO_SMALL);
    expectStatus(query(pager, vmo, 2), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_pager_query_vmo_stats(pager, vmo, 0, null, 4), ZX_ERR_INVALID_ARGS);
    // Host memory shorter than buffer_size says (the contract's NOT_FOUND).
    const short = new Uint8Array(2);
    expectStatus(sys.zx_pager_query_vmo_stats(pager, vmo, 0, short, 4), ZX_ERR_NOT_FOUND);
  });

  // ZIRCON-FACTS.md (from pager-writeback.cc): writes, ZERO, resizes and stream-size changes
  // set the flag; reads and commits do not; RESET clears it.
  it('is set by writes, ZERO, resizes and stream sizes, not by reads or commits', () => {
    const { sys, pager, port } = setup();
    const vmo = createPagedVmo(sys, pager, port, 7n, 4, ZX_VMO_RESIZABLE);
    assert.equal(stats(sys, pager, vmo), 0);
    supplyDisk(sys, pager, vmo, 0, 4);
    readVmo(sys, vmo, 0, PAGE);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0n, BigInt(4 * PAGE), null, 0), ZX_OK);
    assert.equal(stats(sys, pager, vmo), 0);
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array([1]), 0, 1), ZX_OK);
    assert.equal(stats(sys, pager, vmo, ZX_PAGER_RESET_VMO_STATS), ZX_PAGER_VMO_STATS_MODIFIED);
    assert.equal(stats(sys, pager, vmo), 0);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_ZERO, 0n, BigInt(PAGE), null, 0), ZX_OK);
    assert.equal(stats(sys, pager, vmo, ZX_PAGER_RESET_VMO_STATS), ZX_PAGER_VMO_STATS_MODIFIED);
    expectStatus(sys.zx_vmo_set_size(vmo, BigInt(2 * PAGE)), ZX_OK);
    assert.equal(stats(sys, pager, vmo, ZX_PAGER_RESET_VMO_STATS), ZX_PAGER_VMO_STATS_MODIFIED);
    expectStatus(sys.zx_vmo_set_stream_size(vmo, BigInt(PAGE)), ZX_OK);
    assert.equal(stats(sys, pager, vmo, ZX_PAGER_RESET_VMO_STATS), ZX_PAGER_VMO_STATS_MODIFIED);
    assert.equal(stats(sys, pager, vmo), 0);
  });
});

describe('zx_pager_op_range: DIRTY (more in pager-writeback.test.ts)', () => {
  // PagerWriteback.InvalidPagerOpRange: "dirty an unsupplied page".
  it('DIRTY over a page never supplied is ZX_ERR_NOT_FOUND', () => {
    const { sys } = newProcess();
    const pager = createPager(sys);
    const port = createPort(sys);
    const vmo = createPagedVmo(sys, pager, port, 1n, 1, 0x8 /* ZX_VMO_TRAP_DIRTY */);
    const status = sys.zx_pager_op_range(pager, 2 /* ZX_PAGER_OP_DIRTY */, vmo, 0n, 4096n, 0n);
    assert.equal(status, ZX_ERR_NOT_FOUND);
  });

  it('DIRTY that cannot commit the zero pages of its range is ZX_ERR_NO_MEMORY', () => {
    const { sys } = newProcess(newKernel({ memoryBytes: 64 * 4096 }));
    const pager = createPager(sys);
    const port = createPort(sys);
    const vmo = createPagedVmo(sys, pager, port, 1n, 1, 0x8 | ZX_VMO_RESIZABLE);
    assert.equal(sys.zx_vmo_set_size(vmo, 1024 * 4096), ZX_OK);
    const status = sys.zx_pager_op_range(pager, 2, vmo, 4096n, 1023n * 4096n, 0n);
    assert.equal(status, ZX_ERR_NO_MEMORY);
  });
});
