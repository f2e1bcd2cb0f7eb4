// zx_object_get_property and zx_object_set_property: ZX_PROP_NAME on VMOs, processes and jobs,
// and ZX_PROP_VMO_CONTENT_SIZE with its rule that setting needs both SET_PROPERTY and WRITE.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_WRONG_TYPE,
  ZX_MAX_NAME_LEN,
  ZX_OK,
  ZX_PROP_NAME,
  ZX_PROP_VMO_CONTENT_SIZE,
  ZX_RIGHT_GET_PROPERTY,
  ZX_RIGHT_READ,
  ZX_RIGHT_SET_PROPERTY,
  ZX_RIGHT_WRITE,
} from '../../../src/abi/constants.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createChildJob,
  createVmo,
  duplicate,
  expectStatus,
  filled,
  newProcess,
  out,
  PAGE,
  readVmo,
  spawnProcess,
  type TestProcess,
  untyped,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import { bti } from '../ddk/ddk-helpers.ts';

const encoder = new TextEncoder();

function getName(sys: Syscalls, h: number): Uint8Array {
  const bytes = filled(ZX_MAX_NAME_LEN, 0xff);
  expectStatus(sys.zx_object_get_property(h, ZX_PROP_NAME, bytes, bytes.length), ZX_OK);
  return bytes;
}

function nameBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(ZX_MAX_NAME_LEN);
  bytes.set(encoder.encode(text));
  return bytes;
}

function u64Bytes(value: bigint, length = 8): Uint8Array {
  const bytes = new Uint8Array(length);
  new DataView(bytes.buffer).setBigUint64(0, value, true);
  return bytes;
}

function getContentSize(sys: Syscalls, h: number): bigint {
  const bytes = new Uint8Array(8);
  expectStatus(sys.zx_object_get_property(h, ZX_PROP_VMO_CONTENT_SIZE, bytes, 8), ZX_OK);
  return new DataView(bytes.buffer).getBigUint64(0, true);
}

function setContentSize(sys: Syscalls, h: number, value: bigint): number {
  return sys.zx_object_set_property(h, ZX_PROP_VMO_CONTENT_SIZE, u64Bytes(value), 8);
}

describe('ZX_PROP_NAME', () => {
  it('reads back 32 zero bytes for a new VMO', () => {
    const { sys } = newProcess();
    assert.deepEqual(getName(sys, createVmo(sys, PAGE)), new Uint8Array(ZX_MAX_NAME_LEN));
  });

  const holders = [
    ['a VMO', (sys: Syscalls) => createVmo(sys, PAGE)],
    ['the process itself', (_sys: Syscalls, self: number) => self],
    ['a job', (sys: Syscalls, _self: number, job: number) => createChildJob(sys, job)],
    // Zircon's BusTransactionInitiatorDispatcher and ThreadDispatcher keep names too.
    [
      'a BTI',
      (_sys: Syscalls, _self: number, _job: number, p: TestProcess) => bti(p.kernel, p.proc),
    ],
    [
      'a thread',
      (_sys: Syscalls, _self: number, _job: number, p: TestProcess) =>
        p.proc.startThread(() => 0).handle,
    ],
  ] as const;

  for (const [what, make] of holders) {
    it(`sets and reads back the name of ${what}, stopping at the first NUL`, () => {
      const p = newProcess();
      const { proc, sys } = p;
      const h = make(sys, proc.self, proc.job, p);
      const raw = filled(ZX_MAX_NAME_LEN, 0x41);
      raw[1] = 0;
      expectStatus(sys.zx_object_set_property(h, ZX_PROP_NAME, raw, raw.length), ZX_OK);
      assert.deepEqual(getName(sys, h), nameBytes('A'));
    });

    it(`keeps 31 characters of the name of ${what} and truncates longer names silently`, () => {
      const p = newProcess();
      const { proc, sys } = p;
      const h = make(sys, proc.self, proc.job, p);
      const x31 = 'x'.repeat(31);
      const set = (bytes: Uint8Array, size: number) =>
        sys.zx_object_set_property(h, ZX_PROP_NAME, bytes, size);
      expectStatus(set(encoder.encode(x31), 31), ZX_OK);
      assert.deepEqual(getName(sys, h), nameBytes(x31));
      expectStatus(set(encoder.encode('y'.repeat(32)), 32), ZX_OK);
      assert.deepEqual(getName(sys, h), nameBytes('y'.repeat(31)));
      expectStatus(set(encoder.encode('z'.repeat(100)), 100), ZX_OK);
      assert.deepEqual(getName(sys, h), nameBytes('z'.repeat(31)));
      expectStatus(set(new Uint8Array(0), 0), ZX_OK);
      assert.deepEqual(getName(sys, h), new Uint8Array(ZX_MAX_NAME_LEN));
    });

    it(`needs SET_PROPERTY and GET_PROPERTY on ${what}`, () => {
      const p = newProcess();
      const { proc, sys } = p;
      const h = make(sys, proc.self, proc.job, p);
      const getOnly = duplicate(sys, h, ZX_RIGHT_GET_PROPERTY);
      const setOnly = duplicate(sys, h, ZX_RIGHT_SET_PROPERTY);
      const name = encoder.encode('n');
      expectStatus(
        sys.zx_object_set_property(getOnly, ZX_PROP_NAME, name, 1),
        ZX_ERR_ACCESS_DENIED,
      );
      expectStatus(
        sys.zx_object_get_property(setOnly, ZX_PROP_NAME, new Uint8Array(32), 32),
        ZX_ERR_ACCESS_DENIED,
      );
      expectStatus(sys.zx_object_set_property(setOnly, ZX_PROP_NAME, name, 1), ZX_OK);
      assert.deepEqual(getName(sys, getOnly), nameBytes('n'));
    });
  }

  it('shows the name given to zx_process_create', () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job, 'worker');
    assert.deepEqual(getName(sys, child.handle), nameBytes('worker'));
    assert.equal(child.proc.name, 'worker');
  });

  it('shows a VMO name in ZX_INFO_VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const name = encoder.encode('heap');
    expectStatus(sys.zx_object_set_property(h, ZX_PROP_NAME, name, name.length), ZX_OK);
    assert.equal(vmoInfo(sys, h).name, 'heap');
  });

  it('gives BUFFER_TOO_SMALL for a read into fewer than 32 bytes, before the type check', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(
      sys.zx_object_get_property(h, ZX_PROP_NAME, new Uint8Array(31), 31),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
  });

  it('gives INVALID_ARGS for a NULL value before looking at the handle, even with size 0', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_object_get_property(0, ZX_PROP_NAME, null, 32), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_object_set_property(0, ZX_PROP_NAME, null, 0), ZX_ERR_INVALID_ARGS);
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_set_property(h, ZX_PROP_NAME, null, 0), ZX_ERR_INVALID_ARGS);
  });

  it('gives BAD_HANDLE for a value that names nothing', () => {
    const { sys } = newProcess();
    const value = new Uint8Array(32);
    expectStatus(sys.zx_object_get_property(0, ZX_PROP_NAME, value, 32), ZX_ERR_BAD_HANDLE);
    expectStatus(
      sys.zx_object_set_property(0x1111_1113, ZX_PROP_NAME, value, 4),
      ZX_ERR_BAD_HANDLE,
    );
  });

  it('gives INVALID_ARGS when the value is an unmapped address', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_set_property(h, ZX_PROP_NAME, 0x20_0000, 8), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_object_get_property(h, ZX_PROP_NAME, 0x20_0000, 32), ZX_ERR_INVALID_ARGS);
  });

  it('gives NOT_FOUND for a host value shorter than the size given', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(
      sys.zx_object_set_property(h, ZX_PROP_NAME, new Uint8Array(4), 8),
      ZX_ERR_NOT_FOUND,
    );
    expectStatus(
      sys.zx_object_get_property(h, ZX_PROP_NAME, new Uint8Array(8), 32),
      ZX_ERR_NOT_FOUND,
    );
  });
});

describe('arguments no C caller could pass', () => {
  it('give INVALID_ARGS at the edge, before the handle', () => {
    const { sys } = newProcess();
    const bad = untyped(sys);
    const value = new Uint8Array(32);
    expectStatus(bad.zx_object_get_property(0, 'name', value, 32), ZX_ERR_INVALID_ARGS);
    expectStatus(bad.zx_object_get_property(0, ZX_PROP_NAME, [0], 32), ZX_ERR_INVALID_ARGS);
    expectStatus(bad.zx_object_set_property(0, ZX_PROP_NAME, value, -0.5), ZX_ERR_INVALID_ARGS);
    expectStatus(
      bad.zx_object_set_property(0, ZX_PROP_NAME, value, 2n ** 64n),
      ZX_ERR_INVALID_ARGS,
    );
  });
});

describe('unknown properties', () => {
  it('give NOT_SUPPORTED on get and on set', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    for (const prop of [0, 1, 9999]) {
      const value = new Uint8Array(64);
      expectStatus(sys.zx_object_get_property(h, prop, value, 64), ZX_ERR_NOT_SUPPORTED);
      expectStatus(sys.zx_object_set_property(h, prop, value, 64), ZX_ERR_NOT_SUPPORTED);
    }
  });

  it('are checked after the handle and its property right', () => {
    const { sys } = newProcess();
    const value = new Uint8Array(64);
    expectStatus(sys.zx_object_get_property(0, 9999, value, 64), ZX_ERR_BAD_HANDLE);
    const noRights = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_READ);
    expectStatus(sys.zx_object_get_property(noRights, 9999, value, 64), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_object_set_property(noRights, 9999, value, 64), ZX_ERR_ACCESS_DENIED);
  });
});

describe('ZX_PROP_VMO_CONTENT_SIZE', () => {
  it('starts at the size given to zx_vmo_create and round-trips a smaller value', () => {
    const { sys } = newProcess();
    const len = 3 * PAGE;
    const h = createVmo(sys, len);
    assert.equal(getContentSize(sys, h), BigInt(len));
    expectStatus(setContentSize(sys, h, BigInt(Math.floor(len / 3))), ZX_OK);
    assert.equal(getContentSize(sys, h), BigInt(Math.floor(len / 3)));
  });

  it('accepts a value larger than the VMO without resizing it (the 2025 rule)', () => {
    const { sys } = newProcess();
    const len = 3 * PAGE;
    const h = createVmo(sys, len);
    writeVmo(sys, h, 0, filled(len, 6));
    expectStatus(setContentSize(sys, h, BigInt(len + 15643)), ZX_OK);
    assert.equal(getContentSize(sys, h), BigInt(len + 15643));
    const size = out(0n);
    expectStatus(sys.zx_vmo_get_size(h, size), ZX_OK);
    assert.equal(size.value, BigInt(len));
    assert.deepEqual(readVmo(sys, h, 0, len), filled(len, 6));
  });

  it('zeroes the bytes from a smaller content size to the end of the VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 2 * PAGE);
    writeVmo(sys, h, 0, filled(2 * PAGE, 0x3c));
    expectStatus(setContentSize(sys, h, 10n), ZX_OK);
    const all = readVmo(sys, h, 0, 2 * PAGE);
    assert.deepEqual(all.subarray(0, 10), filled(10, 0x3c));
    assert.deepEqual(all.subarray(10), new Uint8Array(2 * PAGE - 10));
    const stream = out(0n);
    expectStatus(sys.zx_vmo_get_stream_size(h, stream), ZX_OK);
    assert.equal(stream.value, 10n);
  });

  it('follows zx_vmo_set_size', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE, 0x2);
    expectStatus(sys.zx_vmo_set_size(h, 5461), ZX_OK);
    assert.equal(getContentSize(sys, h), 5461n);
  });

  it('can be set with READ, WRITE and SET_PROPERTY but not without WRITE', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const rw = duplicate(sys, h, ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_SET_PROPERTY);
    expectStatus(setContentSize(sys, rw, 100n), ZX_OK);
    const noWrite = duplicate(sys, h, ZX_RIGHT_READ | ZX_RIGHT_SET_PROPERTY);
    expectStatus(setContentSize(sys, noWrite, 200n), ZX_ERR_ACCESS_DENIED);
    const noSet = duplicate(sys, h, ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    expectStatus(setContentSize(sys, noSet, 200n), ZX_ERR_ACCESS_DENIED);
    assert.equal(getContentSize(sys, h), 100n);
  });

  it('checks WRITE before the size and the type of the object', () => {
    const { proc, sys } = newProcess();
    const vmoNoWrite = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_SET_PROPERTY);
    expectStatus(
      sys.zx_object_set_property(vmoNoWrite, ZX_PROP_VMO_CONTENT_SIZE, new Uint8Array(4), 4),
      ZX_ERR_ACCESS_DENIED,
    );
    const jobNoWrite = duplicate(sys, proc.job, ZX_RIGHT_SET_PROPERTY);
    expectStatus(
      sys.zx_object_set_property(jobNoWrite, ZX_PROP_VMO_CONTENT_SIZE, u64Bytes(1n), 8),
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('gives BUFFER_TOO_SMALL below 8 bytes, before the type check', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const small = new Uint8Array(7);
    expectStatus(
      sys.zx_object_get_property(h, ZX_PROP_VMO_CONTENT_SIZE, small, 7),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
    expectStatus(
      sys.zx_object_set_property(h, ZX_PROP_VMO_CONTENT_SIZE, small, 7),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
    expectStatus(
      sys.zx_object_get_property(proc.job, ZX_PROP_VMO_CONTENT_SIZE, small, 7),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
    expectStatus(
      sys.zx_object_set_property(proc.job, ZX_PROP_VMO_CONTENT_SIZE, small, 7),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
  });

  it('gives WRONG_TYPE on an object that is not a VMO', () => {
    const { proc, sys } = newProcess();
    for (const h of [proc.job, proc.self]) {
      expectStatus(
        sys.zx_object_get_property(h, ZX_PROP_VMO_CONTENT_SIZE, new Uint8Array(8), 8),
        ZX_ERR_WRONG_TYPE,
      );
      expectStatus(
        sys.zx_object_set_property(h, ZX_PROP_VMO_CONTENT_SIZE, u64Bytes(1n), 8),
        ZX_ERR_WRONG_TYPE,
      );
    }
  });

  it('reads only 8 bytes from a larger buffer', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const value = filled(16, 0xff);
    value.set(u64Bytes(77n));
    expectStatus(sys.zx_object_set_property(h, ZX_PROP_VMO_CONTENT_SIZE, value, 16), ZX_OK);
    assert.equal(getContentSize(sys, h), 77n);
  });

  it('needs GET_PROPERTY to be read', () => {
    const { sys } = newProcess();
    const noGet = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    expectStatus(
      sys.zx_object_get_property(noGet, ZX_PROP_VMO_CONTENT_SIZE, new Uint8Array(8), 8),
      ZX_ERR_ACCESS_DENIED,
    );
  });

  it('gives INVALID_ARGS for a NULL or unmapped value', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(
      sys.zx_object_set_property(h, ZX_PROP_VMO_CONTENT_SIZE, null, 8),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_object_get_property(h, ZX_PROP_VMO_CONTENT_SIZE, null, 8),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_object_set_property(h, ZX_PROP_VMO_CONTENT_SIZE, 0x20_0000, 8),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_object_get_property(h, ZX_PROP_VMO_CONTENT_SIZE, 0x20_0000, 8),
      ZX_ERR_INVALID_ARGS,
    );
  });
});
