// Host memory from anywhere: a Uint8Array made in another realm (node:vm here; an iframe or a
// worker's transferred view are the same case) is host memory, and so is a subclass whose
// `length`, `buffer` or `byteOffset` getters throw. Syscalls and Process.load/store read
// such arrays through their internal slots, never taking them for virtual addresses.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';

import {
  ZX_ERR_NOT_FOUND,
  ZX_INFO_HANDLE_BASIC,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PROP_NAME,
} from '../../src/abi/constants.ts';
import { decodeZxInfoHandleBasic, ZX_INFO_HANDLE_BASIC_SIZE } from '../../src/abi/structs.ts';
import { isHostBytes } from '../../src/util/host-bytes.ts';
import { createVmo, expectStatus, filled, newProcess, out, PAGE, readVmo } from '../helpers.ts';
import { map, RW } from './vmar/vmar-helpers.ts';

/** A zeroed Uint8Array of `length` bytes made in a fresh realm. */
function foreign(length: number): Uint8Array {
  return runInNewContext(`new Uint8Array(${length})`) as Uint8Array;
}

const boom = (): never => {
  throw new Error('a getter of the caller ran');
};

/** A Uint8Array whose length, buffer and byteOffset getters all throw. */
class GettersThrow extends Uint8Array {
  override get length(): number {
    return boom();
  }
  override get buffer(): ArrayBuffer {
    return boom();
  }
  override get byteOffset(): number {
    return boom();
  }
}

/** A plain Uint8Array with the same getters overridden on the instance itself. */
function ownGettersThrow(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (const key of ['length', 'buffer', 'byteOffset', 'byteLength']) {
    Object.defineProperty(bytes, key, { get: boom });
  }
  return bytes;
}

/** Every kind of host memory these tests try, each made with `length` zeroed bytes. */
const HOST_ARRAYS: [string, (length: number) => Uint8Array][] = [
  ['another realm', foreign],
  ['a subclass with throwing getters', (length) => new GettersThrow(length)],
  ['an instance with throwing getters', ownGettersThrow],
  [
    'a subclass from another realm',
    (length) =>
      runInNewContext(
        `class T extends Uint8Array { get length() { throw 1 } get buffer() { throw 1 } }
         new T(${length})`,
      ) as Uint8Array,
  ],
];

/** The bytes of any host array, read through its internal slots. */
function bytesOf(array: Uint8Array): number[] {
  return Array.from(Uint8Array.prototype.slice.call(array) as Uint8Array);
}

describe('host memory of any realm or subclass', () => {
  it('is recognised by isHostBytes, and nothing else is', () => {
    for (const [, make] of HOST_ARRAYS) assert.ok(isHostBytes(make(4)));
    assert.ok(!isHostBytes(new Uint16Array(4)));
    assert.ok(!isHostBytes(new DataView(new ArrayBuffer(4))));
    assert.ok(!isHostBytes(new Proxy(new Uint8Array(4), {})));
    assert.ok(!isHostBytes(runInNewContext('new Int8Array(4)')));
    assert.ok(!isHostBytes({ length: 4 }));
  });

  for (const [kind, make] of HOST_ARRAYS) {
    it(`zx_vmo_read and zx_vmo_write take ${kind}`, () => {
      const { sys } = newProcess();
      const vmo = createVmo(sys, PAGE);
      const source = make(16);
      Uint8Array.prototype.fill.call(source, 0x5a);
      expectStatus(sys.zx_vmo_write(vmo, source, 8, 16), ZX_OK);
      assert.deepEqual(readVmo(sys, vmo, 8, 16), filled(16, 0x5a));
      const target = make(16);
      expectStatus(sys.zx_vmo_read(vmo, target, 8, 16), ZX_OK);
      assert.deepEqual(bytesOf(target), Array(16).fill(0x5a));
      // Shorter than the size argument: the contract's NOT_FOUND, not a fault on an address.
      expectStatus(sys.zx_vmo_read(vmo, make(16), 0, 17), ZX_ERR_NOT_FOUND);
      expectStatus(sys.zx_vmo_write(vmo, make(16), 0, 17), ZX_ERR_NOT_FOUND);
    });

    it(`zx_object_get_info and zx_object_get_property write into ${kind}`, () => {
      const { sys } = newProcess();
      const vmo = createVmo(sys, PAGE);
      const name = new TextEncoder().encode('named');
      expectStatus(sys.zx_object_set_property(vmo, ZX_PROP_NAME, name, name.length), ZX_OK);
      const info = make(ZX_INFO_HANDLE_BASIC_SIZE);
      const actual = out(0n);
      const status = sys.zx_object_get_info(
        vmo,
        ZX_INFO_HANDLE_BASIC,
        info,
        ZX_INFO_HANDLE_BASIC_SIZE,
        actual,
        null,
      );
      expectStatus(status, ZX_OK);
      assert.equal(actual.value, 1n);
      const basic = decodeZxInfoHandleBasic(new Uint8Array(bytesOf(info)));
      assert.equal(basic.type, ZX_OBJ_TYPE_VMO);
      const property = make(ZX_MAX_NAME_LEN);
      const status2 = sys.zx_object_get_property(vmo, ZX_PROP_NAME, property, ZX_MAX_NAME_LEN);
      expectStatus(status2, ZX_OK);
      assert.deepEqual(bytesOf(property).slice(0, 6), [...name, 0]);
    });

    it(`Process.load and Process.store take ${kind}`, () => {
      const { sys, proc } = newProcess();
      const vmo = createVmo(sys, PAGE);
      const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, PAGE);
      const source = make(16);
      Uint8Array.prototype.fill.call(source, 7);
      expectStatus(proc.store(addr + 4n, source), ZX_OK);
      expectStatus(proc.store(Number(addr) + 100, source), ZX_OK);
      const target = make(16);
      expectStatus(proc.load(addr + 4n, target), ZX_OK);
      assert.deepEqual(bytesOf(target), Array(16).fill(7));
      const again = make(16);
      expectStatus(proc.load(Number(addr) + 100, again), ZX_OK);
      assert.deepEqual(bytesOf(again), Array(16).fill(7));
      // Faults still come back as statuses.
      expectStatus(proc.load(0x1000n, make(16)), ZX_ERR_NOT_FOUND);
      expectStatus(proc.store(0x1000, make(16)), ZX_ERR_NOT_FOUND);
    });
  }

  it('takes a detached array as empty host memory', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, PAGE);
    const plain = new Uint8Array(8);
    structuredClone(plain.buffer, { transfer: [plain.buffer] });
    assert.ok(isHostBytes(plain));
    expectStatus(proc.load(addr, plain), ZX_OK);
    expectStatus(proc.store(addr, plain), ZX_OK);
    expectStatus(sys.zx_vmo_read(vmo, plain, 0, 0), ZX_OK);
    expectStatus(sys.zx_vmo_read(vmo, plain, 0, 1), ZX_ERR_NOT_FOUND);
  });
});
