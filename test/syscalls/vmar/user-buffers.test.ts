// Syscall buffers given as virtual addresses: zx_vmo_read and zx_vmo_write through the
// caller's address space with faults, what unusable buffers give, reading a VMO into a mapping
// of itself, and the plain user copies of other syscalls.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_INFO_VMO,
  ZX_OK,
  ZX_PROP_NAME,
  ZX_VM_SPECIFIC,
} from '../../../src/abi/constants.ts';
import { decodeZxInfoVmo, ZX_INFO_VMO_SIZE } from '../../../src/abi/structs.ts';
import {
  createVmo,
  expectStatus,
  newProcess,
  out,
  PAGE,
  readVmo,
  UINT64_MAX,
  writeVmo,
} from '../../helpers.ts';
import { expectCleanTables, load, map, pattern, R, RW, store } from './vmar-helpers.ts';

const P = BigInt(PAGE);

describe('zx_vmo_read and zx_vmo_write with buffers in the address space', () => {
  it('copy between a VMO and a mapping of another VMO', () => {
    const { sys, proc } = newProcess();
    const source = createVmo(sys, 4 * PAGE);
    const buffer = createVmo(sys, 4 * PAGE);
    writeVmo(sys, source, 0, pattern(4 * PAGE, 2));
    const addr = map(sys, proc.rootVmar, RW, 0, buffer, 0, 4 * PAGE);
    expectStatus(sys.zx_vmo_read(source, addr + 10n, 5, 3 * PAGE), ZX_OK);
    assert.deepEqual(
      load(proc, addr + 10n, 3 * PAGE),
      pattern(4 * PAGE, 2).subarray(5, 5 + 3 * PAGE),
    );
    assert.deepEqual(
      readVmo(sys, buffer, 10, 3 * PAGE),
      pattern(4 * PAGE, 2).subarray(5, 5 + 3 * PAGE),
    );
    store(proc, addr, pattern(PAGE, 7));
    expectStatus(sys.zx_vmo_write(source, addr, 2 * PAGE + 1, PAGE), ZX_OK);
    assert.deepEqual(readVmo(sys, source, 2 * PAGE + 1, PAGE), pattern(PAGE, 7));
    // A number works as well as a bigint.
    expectStatus(sys.zx_vmo_read(source, Number(addr), 0, 16), ZX_OK);
    expectCleanTables(proc);
  });

  it('give ZX_ERR_NOT_FOUND for NULL, unmapped and kernel addresses', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    for (const buffer of [null, 0, 0n, 0x1000n, 0x20_0000n, 0xffff_8000_0000_0000n, UINT64_MAX]) {
      expectStatus(sys.zx_vmo_read(vmo, buffer, 0, 1), ZX_ERR_NOT_FOUND, `read into ${buffer}`);
      expectStatus(sys.zx_vmo_write(vmo, buffer, 0, 1), ZX_ERR_NOT_FOUND, `write from ${buffer}`);
    }
  });

  it('check the VMO range before touching the buffer: ZX_ERR_OUT_OF_RANGE wins', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_read(vmo, 0x1000n, 0, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_write(vmo, null, PAGE, 1), ZX_ERR_OUT_OF_RANGE);
    // A zero-length transfer never touches the buffer.
    expectStatus(sys.zx_vmo_read(vmo, null, 0, 0), ZX_OK);
  });

  it('stop at a buffer that is only partly mapped, after copying the pages before the hole', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    writeVmo(sys, vmo, 0, pattern(4 * PAGE, 3));
    const buffer = createVmo(sys, 2 * PAGE);
    const addr = map(sys, proc.rootVmar, RW | ZX_VM_SPECIFIC, 0, buffer, 0, 2 * PAGE);
    expectStatus(sys.zx_vmo_read(vmo, addr, 0, 4 * PAGE), ZX_ERR_NOT_FOUND);
    assert.deepEqual(readVmo(sys, buffer, 0, 2 * PAGE), pattern(4 * PAGE, 3).subarray(0, 2 * PAGE));
    const target = createVmo(sys, 4 * PAGE);
    store(proc, addr, pattern(2 * PAGE, 9));
    expectStatus(sys.zx_vmo_write(target, addr, 0, 3 * PAGE), ZX_ERR_NOT_FOUND);
    assert.deepEqual(readVmo(sys, target, 0, 2 * PAGE), pattern(2 * PAGE, 9));
  });

  it('give the fault of a mapping that refuses the copy: ZX_ERR_ACCESS_DENIED', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const buffer = createVmo(sys, PAGE);
    const readOnly = map(sys, proc.rootVmar, R, 0, buffer, 0, PAGE);
    expectStatus(sys.zx_vmo_read(vmo, readOnly, 0, 8), ZX_ERR_ACCESS_DENIED);
    // Reading from a read-only buffer is fine.
    expectStatus(sys.zx_vmo_write(vmo, readOnly, 0, 8), ZX_OK);
    const none = map(sys, proc.rootVmar, 0, 0, buffer, 0, PAGE);
    expectStatus(sys.zx_vmo_write(vmo, none, 0, 8), ZX_ERR_ACCESS_DENIED);
  });

  it('give ZX_ERR_OUT_OF_RANGE for a buffer mapped past the end of its VMO', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const small = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, small, 0, 2 * PAGE);
    expectStatus(sys.zx_vmo_read(vmo, addr + P, 0, 8), ZX_ERR_OUT_OF_RANGE);
    expectStatus(sys.zx_vmo_read(vmo, addr, 0, 2 * PAGE), ZX_ERR_OUT_OF_RANGE);
  });

  it('read a VMO into a mapping of itself page by page, as the kernel copies', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    const data = pattern(4 * PAGE, 11);
    writeVmo(sys, vmo, 0, data);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 4 * PAGE);
    // Same range onto itself: nothing changes.
    expectStatus(sys.zx_vmo_read(vmo, addr, 0, 4 * PAGE), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 0, 4 * PAGE), data);
    // One page up: each page is read just before it is stored, so page 0 spreads upward.
    expectStatus(sys.zx_vmo_read(vmo, addr + P, 0, 3 * PAGE), ZX_OK);
    const first = data.subarray(0, PAGE);
    for (let page = 0; page < 4; page++) {
      assert.deepEqual(readVmo(sys, vmo, page * PAGE, PAGE), first, `page ${page}`);
    }
    // Writing from a mapping of itself one page down copies each page before it is changed.
    writeVmo(sys, vmo, 0, data);
    expectStatus(sys.zx_vmo_write(vmo, addr + P, 0, 3 * PAGE), ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 0, 3 * PAGE), data.subarray(PAGE));
    expectCleanTables(proc);
  });

  it('commit pages of a buffer VMO that was never written (a write fault per page)', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    writeVmo(sys, vmo, 0, pattern(2 * PAGE));
    const buffer = createVmo(sys, 2 * PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, buffer, 0, 2 * PAGE);
    load(proc, addr, 2 * PAGE);
    expectStatus(sys.zx_vmo_read(vmo, addr, 0, 2 * PAGE), ZX_OK);
    assert.deepEqual(load(proc, addr, 2 * PAGE), pattern(2 * PAGE));
    expectCleanTables(proc);
  });
});

describe('other syscalls with buffers in the address space', () => {
  it('copy records out and names in through mappings', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const buffer = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, buffer, 0, PAGE);
    const actual = out(0n);
    expectStatus(
      sys.zx_object_get_info(vmo, ZX_INFO_VMO, addr, ZX_INFO_VMO_SIZE, actual, null),
      ZX_OK,
    );
    assert.equal(actual.value, 1n);
    assert.equal(decodeZxInfoVmo(load(proc, addr, ZX_INFO_VMO_SIZE)).size_bytes, P);
    store(proc, addr + 512n, new TextEncoder().encode('mapped\0'));
    expectStatus(sys.zx_object_set_property(vmo, ZX_PROP_NAME, addr + 512n, 7), ZX_OK);
    expectStatus(sys.zx_object_get_property(vmo, ZX_PROP_NAME, addr + 1024n, 32), ZX_OK);
    assert.equal(new TextDecoder().decode(load(proc, addr + 1024n, 6)), 'mapped');
  });

  it('give ZX_ERR_INVALID_ARGS for unusable addresses in plain user copies', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const buffer = createVmo(sys, PAGE);
    const readOnly = map(sys, proc.rootVmar, R, 0, buffer, 0, PAGE);
    for (const addr of [0x1000n, readOnly]) {
      expectStatus(
        sys.zx_object_get_info(vmo, ZX_INFO_VMO, addr, ZX_INFO_VMO_SIZE, null, null),
        ZX_ERR_INVALID_ARGS,
      );
    }
    expectStatus(sys.zx_object_set_property(vmo, ZX_PROP_NAME, 0x1000n, 4), ZX_ERR_INVALID_ARGS);
  });
});
