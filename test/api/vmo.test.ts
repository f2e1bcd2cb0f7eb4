import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Kernel,
  Vmar,
  Vmo,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_RIGHT_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_RESIZABLE,
  ZxError,
} from '../../src/index.ts';

function setup() {
  const kernel = new Kernel({ memoryBytes: 16 * 1024 * 1024 });
  return kernel.createProcess({ name: 'api' });
}

test('a Vmo writes, reads back and reports its size and committed bytes', () => {
  const proc = setup();
  using vmo = Vmo.create(proc, 10_000);
  vmo.write(new Uint8Array([1, 2, 3]), 4095);
  assert.deepEqual([...vmo.read(4095, 3)], [1, 2, 3]);
  assert.equal(vmo.getSize(), 12288n);
  assert.equal(vmo.getContentSize(), 10_000n);
  assert.equal(vmo.info().committed_bytes, 8192n);
});

test('a failed syscall throws a ZxError naming the syscall and the status', () => {
  const proc = setup();
  using vmo = Vmo.create(proc, 4096);
  assert.throws(
    () => vmo.read(4096, 1),
    (e: unknown) =>
      e instanceof ZxError && e.status === ZX_ERR_OUT_OF_RANGE && e.syscall === 'zx_vmo_read',
  );
});

test('disposing a Vmo closes its handle', () => {
  const proc = setup();
  let raw = 0;
  {
    using vmo = Vmo.create(proc, 4096);
    raw = vmo.raw;
    assert.equal(proc.syscalls.zx_handle_close(vmo.duplicateRaw()), 0);
  }
  assert.notEqual(proc.syscalls.zx_handle_close(raw), 0);
});

test('a read-only duplicate refuses writes with ACCESS_DENIED', () => {
  const proc = setup();
  using vmo = Vmo.create(proc, 4096);
  using ro = vmo.duplicate(ZX_RIGHT_READ);
  assert.throws(
    () => ro.write(new Uint8Array(1), 0),
    (e: unknown) => {
      return e instanceof ZxError && e.status === ZX_ERR_ACCESS_DENIED;
    },
  );
});

test('resizing, naming and locking work through the API', () => {
  const proc = setup();
  using vmo = Vmo.create(proc, 4096, ZX_VMO_RESIZABLE);
  vmo.setSize(5000);
  assert.equal(vmo.getSize(), 8192n);
  vmo.setName('frame-buffer');
  assert.equal(vmo.getName(), 'frame-buffer');
  using d = Vmo.create(proc, 8192, ZX_VMO_DISCARDABLE);
  assert.equal(d.lock().discarded_size, 0n);
  assert.equal(d.tryLock(), true);
  d.unlock();
  d.unlock();
});

test('a snapshot made through the API keeps the bytes it saw while the parent changes', () => {
  const proc = setup();
  using vmo = Vmo.create(proc, 8192);
  vmo.write(new Uint8Array([7]), 0);
  using snap = vmo.createChild(ZX_VMO_CHILD_SNAPSHOT, 0, 8192);
  vmo.write(new Uint8Array([9]), 0);
  assert.equal(snap.read(0, 1)[0], 7);
  assert.equal(snap.info().parent_koid, vmo.info().koid);
});

test('a Vmar maps a VMO so that process loads see what the VMO holds', () => {
  const proc = setup();
  using vmo = Vmo.create(proc, 4096);
  vmo.write(new Uint8Array([42]), 10);
  using root = Vmar.root(proc);
  const address = root.map(ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, vmo, 0, 4096);
  const byte = new Uint8Array(1);
  assert.equal(proc.load(address + 10n, byte), 0);
  assert.equal(byte[0], 42);
  assert.equal(proc.store(address, new Uint8Array([5])), 0);
  assert.equal(vmo.read(0, 1)[0], 5);
  root.unmap(address, 4096);
  assert.notEqual(proc.load(address, byte), 0);
});
