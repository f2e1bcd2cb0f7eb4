// The README's pager example, kept working: a tiny read-only file system. A pager thread serves
// a VMO from a Uint8Array "disk"; a reader thread maps the file and reads it through the
// mapping, each page fault parking it until the pager has supplied the page.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  decodeZxPortPacket,
  Kernel,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_PORT_PACKET_SIZE,
  ZX_TIME_INFINITE,
  ZX_VM_PERM_READ,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
} from '../../../src/index.ts';

test('a pager thread serves a file from a Uint8Array disk to a reader that maps it', async () => {
  const kernel = new Kernel({ memoryBytes: 1 << 24 });
  const fs = kernel.createProcess({ name: 'fs' });
  const sys = fs.syscalls;
  const disk = new Uint8Array(3 * 4096).map((_, i) => 65 + (i >> 12)); // pages of 'A', 'B', 'C'

  const pager = { value: 0 };
  const port = { value: 0 };
  const file = { value: 0 };
  sys.zx_pager_create(0, pager);
  sys.zx_port_create(0, port);
  sys.zx_pager_create_vmo(pager.value, 0, port.value, 1n, disk.length, file);

  // The pager: each READ request is answered with the disk's bytes, moved in from an aux VMO.
  const requests: [number, number][] = [];
  const server = fs.startThread(async (t) => {
    const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
    for (;;) {
      await t.zx_port_wait(port.value, ZX_TIME_INFINITE, bytes);
      const request = decodeZxPortPacket(bytes).page_request!;
      if (request.command === ZX_PAGER_VMO_COMPLETE) return 'detached';
      if (request.command !== ZX_PAGER_VMO_READ) continue;
      const [offset, length] = [Number(request.offset), Number(request.length)];
      requests.push([offset / 4096, length / 4096]);
      const aux = { value: 0 };
      t.zx_vmo_create(length, 0, aux);
      t.zx_vmo_write(aux.value, disk.subarray(offset, offset + length), 0, length);
      t.zx_pager_supply_pages(pager.value, file.value, offset, length, aux.value, 0);
      t.zx_handle_close(aux.value);
    }
  });

  // The reader maps the file and reads a byte of each page: three faults, three requests.
  const reader = fs.startThread(async (t) => {
    const addr = { value: 0n };
    t.zx_vmar_map(fs.rootVmar, ZX_VM_PERM_READ, 0, file.value, 0, disk.length, addr);
    let text = '';
    for (let page = 0; page < 3; page++) {
      const byte = new Uint8Array(1);
      await t.load(addr.value + BigInt(page * 4096 + 7), byte);
      text += String.fromCharCode(byte[0]!);
    }
    return text;
  });

  assert.equal(await reader.done, 'ABC');
  assert.deepEqual(requests, [
    [0, 1],
    [1, 1],
    [2, 1],
  ]);

  // The README's snapshot: an AT_LEAST_ON_WRITE child writes a page of its own, and reads the
  // file's page 0 beside it (present here; the README's reader read only page 1, so there the
  // read waits for a request, as test/syscalls/pager/children.test.ts checks).
  const snap = { value: 0 };
  const alow = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
  sys.zx_vmo_create_child(file.value, alow, 0, disk.length, snap);
  const editor = fs.startThread(async (t) => {
    await t.zx_vmo_write(snap.value, new Uint8Array([98]), 4096, 1); // copies page 1, writes 'b'
    const two = new Uint8Array(2);
    await t.zx_vmo_read(snap.value, two, 4095, 2);
    return String.fromCharCode(...two);
  });
  assert.equal(await editor.done, 'Ab');
  const b = new Uint8Array(1);
  assert.equal(sys.zx_vmo_read(file.value, b, 4096, 1), 0);
  assert.equal(String.fromCharCode(b[0]!), 'B');
  // Every page was present: the snapshot sent no request.
  assert.equal(requests.length, 3);
  // A zx_vmo_read now finds every page present: no request, no wait.
  const all = new Uint8Array(disk.length);
  assert.equal(sys.zx_vmo_read(file.value, all, 0, disk.length), 0);
  assert.deepEqual(all, disk);
  sys.zx_pager_detach_vmo(pager.value, file.value);
  assert.equal(await server.done, 'detached');
});
