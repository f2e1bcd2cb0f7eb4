// zx_handle_close, zx_handle_duplicate, zx_handle_replace and zx_handle_check_valid, and the shape of handle values:
// low two bits set, different in every process, meaningless in another process.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_HANDLE_FIXED_BITS_MASK,
  ZX_HANDLE_INVALID,
  ZX_OK,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WAIT,
  ZX_RIGHT_WRITE,
} from '../../../src/abi/constants.ts';
import {
  ARENA_FULL,
  createVmo,
  duplicate,
  expectFailure,
  expectStatus,
  filled,
  handleBasic,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  smallArena,
  untyped,
  writeVmo,
} from '../../helpers.ts';

describe('zx_handle_close', () => {
  it('treats ZX_HANDLE_INVALID as a no-op', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_handle_close(ZX_HANDLE_INVALID), ZX_OK);
  });

  it('closes a handle once; the second close gives BAD_HANDLE', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_handle_close(h), ZX_OK);
    expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_vmo_get_size(h, out(0n)), ZX_ERR_BAD_HANDLE);
  });

  it('gives BAD_HANDLE for values that name nothing, never throwing', () => {
    const { sys } = newProcess();
    for (const bad of [1, 2, 3, 0xffff_ffff, -1, 1.5, Number.NaN, '3', null, undefined, 3n]) {
      expectStatus(untyped(sys).zx_handle_close(bad), ZX_ERR_BAD_HANDLE, String(bad));
    }
  });

  it('needs no rights', () => {
    const { sys } = newProcess();
    const rightless = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_NONE);
    expectStatus(sys.zx_handle_close(rightless), ZX_OK);
  });

  it('gives every page back to the kernel once the last handle is closed', () => {
    const { kernel, proc, sys } = newProcess();
    const start = kmemStats(kernel, proc);
    const handles: number[] = [];
    for (let i = 0; i < 5; i++) {
      const h = createVmo(sys, (i + 1) * PAGE);
      writeVmo(sys, h, 0, filled((i + 1) * PAGE, i));
      handles.push(h, duplicate(sys, h, ZX_RIGHT_READ));
    }
    const busy = kmemStats(kernel, proc);
    assert.equal(start.free_bytes - busy.free_bytes, BigInt(15 * PAGE));
    assert.equal(busy.vmo_bytes - start.vmo_bytes, BigInt(15 * PAGE));
    for (const h of handles) expectStatus(sys.zx_handle_close(h), ZX_OK);
    const end = kmemStats(kernel, proc);
    assert.equal(end.free_bytes, start.free_bytes);
    assert.equal(end.vmo_bytes, start.vmo_bytes);
  });
});

describe('zx_handle_duplicate', () => {
  it('makes a new handle to the same object with the same rights for SAME_RIGHTS', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const dup = duplicate(sys, h, ZX_RIGHT_SAME_RIGHTS);
    assert.notEqual(dup, h);
    assert.equal(handleBasic(sys, dup).koid, handleBasic(sys, h).koid);
    assert.equal(handleBasic(sys, dup).rights, ZX_DEFAULT_VMO_RIGHTS);
    // Both work, and closing one leaves the other.
    expectStatus(sys.zx_handle_close(h), ZX_OK);
    expectStatus(sys.zx_vmo_write(dup, new Uint8Array([1]), 0, 1), ZX_OK);
  });

  it('gives exactly the requested subset of rights, even none', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    assert.equal(handleBasic(sys, duplicate(sys, h, ZX_RIGHT_WAIT)).rights, ZX_RIGHT_WAIT);
    assert.equal(handleBasic(sys, duplicate(sys, h, ZX_RIGHT_NONE)).rights, ZX_RIGHT_NONE);
  });

  it('gives ACCESS_DENIED without the DUPLICATE right', () => {
    const { sys } = newProcess();
    const waitOnly = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_WAIT);
    const dup = out(0);
    expectStatus(sys.zx_handle_duplicate(waitOnly, ZX_RIGHT_WAIT, dup), ZX_ERR_ACCESS_DENIED);
    expectStatus(
      sys.zx_handle_duplicate(waitOnly, ZX_RIGHT_SAME_RIGHTS, dup),
      ZX_ERR_ACCESS_DENIED,
    );
    assert.equal(dup.value, 0);
  });

  it('gives INVALID_ARGS for rights the handle does not hold, writing nothing', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const dup = out(0);
    expectStatus(
      sys.zx_handle_duplicate(h, ZX_RIGHT_EXECUTE | ZX_RIGHT_READ, dup),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS | ZX_RIGHT_READ, dup),
      ZX_ERR_INVALID_ARGS,
    );
    assert.equal(dup.value, 0);
  });

  it('checks the handle, then DUPLICATE, then the rights', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const noDup = duplicate(sys, h, ZX_RIGHT_READ);
    expectStatus(sys.zx_handle_duplicate(0, ZX_RIGHT_EXECUTE, out(0)), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_handle_duplicate(noDup, ZX_RIGHT_EXECUTE, out(0)), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_handle_duplicate(noDup, ZX_RIGHT_READ, null), ZX_ERR_ACCESS_DENIED);
  });

  it('gives INVALID_ARGS for an unusable out pointer and adds no handle', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const count = proc.object.handles.size;
    expectStatus(sys.zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, null), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, 7), ZX_ERR_INVALID_ARGS);
    assert.equal(proc.object.handles.size, count);
  });

  it('gives INVALID_ARGS for a rights value no C caller could pass', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_handle_duplicate(h, 2 ** 32, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(untyped(sys).zx_handle_duplicate(h, 'all', out(0)), ZX_ERR_INVALID_ARGS);
  });

  it('gives NO_MEMORY when the handle arena is full', () => {
    const { proc, sys, fill } = smallArena();
    const h = createVmo(sys, PAGE);
    fill(h);
    expectFailure(
      proc,
      sys.zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_NO_MEMORY,
      ARENA_FULL,
    );
  });
});

describe('zx_handle_replace', () => {
  it('replaces the handle with a new value, consuming the old one', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const koid = handleBasic(sys, h).koid;
    const count = proc.object.handles.size;
    const next = out(0);
    expectStatus(sys.zx_handle_replace(h, ZX_RIGHT_SAME_RIGHTS, next), ZX_OK);
    assert.notEqual(next.value, h);
    assert.equal(handleBasic(sys, next.value).koid, koid);
    assert.equal(handleBasic(sys, next.value).rights, ZX_DEFAULT_VMO_RIGHTS);
    expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
    assert.equal(proc.object.handles.size, count);
  });

  it('can drop rights, and needs no DUPLICATE right to do so', () => {
    const { sys } = newProcess();
    const readWrite = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_READ | ZX_RIGHT_WRITE);
    const next = out(0);
    expectStatus(sys.zx_handle_replace(readWrite, ZX_RIGHT_READ, next), ZX_OK);
    assert.equal(handleBasic(sys, next.value).rights, ZX_RIGHT_READ);
    assert.equal(handleBasic(sys, next.value).rights & ZX_RIGHT_DUPLICATE, 0);
  });

  it('gives INVALID_ARGS for rights it cannot grant, and the old handle is gone', () => {
    const { sys } = newProcess();
    const waitOnly = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_WAIT);
    const next = out(0);
    expectStatus(
      sys.zx_handle_replace(waitOnly, ZX_RIGHT_WAIT | ZX_RIGHT_READ, next),
      ZX_ERR_INVALID_ARGS,
    );
    assert.equal(next.value, 0);
    expectStatus(sys.zx_handle_close(waitOnly), ZX_ERR_BAD_HANDLE);
  });

  it('frees the object when a failed replace consumed its last handle', () => {
    const { kernel, proc, sys } = newProcess();
    const before = kmemStats(kernel, proc).free_bytes;
    const h = createVmo(sys, 2 * PAGE);
    writeVmo(sys, h, 0, filled(2 * PAGE, 1));
    expectStatus(sys.zx_handle_replace(h, ZX_RIGHT_EXECUTE, out(0)), ZX_ERR_INVALID_ARGS);
    assert.equal(kmemStats(kernel, proc).free_bytes, before);
  });

  it('gives BAD_HANDLE for a value that names nothing', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_handle_replace(0, ZX_RIGHT_SAME_RIGHTS, out(0)), ZX_ERR_BAD_HANDLE);
    expectStatus(
      sys.zx_handle_replace(0x2468_ace3, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_BAD_HANDLE,
    );
  });

  it('gives INVALID_ARGS for an unusable out pointer, consuming the old handle', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_handle_replace(h, ZX_RIGHT_SAME_RIGHTS, null), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
  });

  it('gives NO_MEMORY when the handle arena is full, and keeps the handle', () => {
    const { proc, sys, fill } = smallArena();
    const h = createVmo(sys, PAGE);
    fill(h);
    expectFailure(
      proc,
      sys.zx_handle_replace(h, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_NO_MEMORY,
      ARENA_FULL,
    );
    expectStatus(sys.zx_vmo_get_size(h, out(0n)), ZX_OK);
  });
});

describe('handle values', () => {
  it('always have the low two bits set', () => {
    const { proc, sys } = newProcess();
    const values: number[] = [proc.self, proc.job, proc.rootVmar];
    for (let i = 0; i < 50; i++) values.push(createVmo(sys, PAGE));
    values.push(duplicate(sys, values[3]!, ZX_RIGHT_SAME_RIGHTS));
    for (const value of values) {
      assert.equal(
        value & ZX_HANDLE_FIXED_BITS_MASK,
        ZX_HANDLE_FIXED_BITS_MASK,
        `0x${value.toString(16)}`,
      );
      assert.notEqual(value, ZX_HANDLE_INVALID);
    }
    assert.equal(new Set(values).size, values.length);
  });

  it('are not handed out again right after a close', () => {
    const { sys } = newProcess();
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const h = createVmo(sys, PAGE);
      assert.ok(!seen.has(h), 'a closed value came back');
      seen.add(h);
      expectStatus(sys.zx_handle_close(h), ZX_OK);
    }
  });

  it('differ between processes for the same sequence of calls', () => {
    const kernel = newKernel();
    const a = newProcess(kernel);
    const b = newProcess(kernel);
    const inA = [createVmo(a.sys, PAGE), createVmo(a.sys, PAGE), createVmo(a.sys, PAGE)];
    const inB = [createVmo(b.sys, PAGE), createVmo(b.sys, PAGE), createVmo(b.sys, PAGE)];
    for (let i = 0; i < inA.length; i++) assert.notEqual(inA[i], inB[i]);
    assert.notEqual(a.proc.self, b.proc.self);
  });

  it('name nothing in another process: BAD_HANDLE there', () => {
    const kernel = newKernel();
    const a = newProcess(kernel);
    const b = newProcess(kernel);
    const h = createVmo(a.sys, PAGE);
    expectStatus(b.sys.zx_vmo_read(h, new Uint8Array(1), 0, 1), ZX_ERR_BAD_HANDLE);
    expectStatus(b.sys.zx_handle_close(h), ZX_ERR_BAD_HANDLE);
    expectStatus(b.sys.zx_handle_duplicate(h, ZX_RIGHT_SAME_RIGHTS, out(0)), ZX_ERR_BAD_HANDLE);
    // And the handle is still fine in its own process.
    expectStatus(a.sys.zx_vmo_read(h, new Uint8Array(1), 0, 1), ZX_OK);
  });

  it('are the same for kernels built with the same seed', () => {
    const first = newProcess(newKernel({ seed: 42 }));
    const second = newProcess(newKernel({ seed: 42 }));
    assert.equal(createVmo(first.sys, PAGE), createVmo(second.sys, PAGE));
    assert.equal(first.proc.self, second.proc.self);
  });
});

describe('zx_handle_check_valid', () => {
  it('is ZX_OK for a live handle of this process', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_handle_check_valid(createVmo(sys, PAGE)), ZX_OK);
    expectStatus(sys.zx_handle_check_valid(proc.self), ZX_OK);
  });

  it('is INVALID_ARGS for ZX_HANDLE_INVALID', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_handle_check_valid(ZX_HANDLE_INVALID), ZX_ERR_INVALID_ARGS);
  });

  it('is OUT_OF_RANGE when a fixed bit is clear: no such value is ever a handle', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    for (const value of [1, 2, 4, h & ~1, h & ~2, 0xffff_fffc]) {
      expectStatus(sys.zx_handle_check_valid(value), ZX_ERR_OUT_OF_RANGE, String(value));
    }
  });

  it('is NOT_FOUND for a closed handle, one of another process, or one never made', () => {
    const kernel = newKernel();
    const a = newProcess(kernel);
    const b = newProcess(kernel);
    const h = createVmo(a.sys, PAGE);
    expectStatus(b.sys.zx_handle_check_valid(h), ZX_ERR_NOT_FOUND);
    expectStatus(a.sys.zx_handle_close(h), ZX_OK);
    expectStatus(a.sys.zx_handle_check_valid(h), ZX_ERR_NOT_FOUND);
    expectStatus(a.sys.zx_handle_check_valid(0xffff_ffff), ZX_ERR_NOT_FOUND);
  });
});
