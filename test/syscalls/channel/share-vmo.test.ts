// The README's example, kept working: two processes share a VMO over a channel, the reader
// holding a read-only duplicate, which its thread can read but not write.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  decodeHandles,
  encodeHandles,
  Kernel,
  ZX_CHANNEL_READABLE,
  ZX_ERR_ACCESS_DENIED,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_TRANSFER,
  ZX_TIME_INFINITE,
} from '../../../src/index.ts';

test('two processes share a VMO over a channel, one holding a read-only duplicate', async () => {
  const kernel = new Kernel({ memoryBytes: 1 << 24 });
  const writer = kernel.createProcess({ name: 'writer' });
  const reader = kernel.createProcess({ name: 'reader' });
  const w = writer.syscalls;

  const ours = { value: 0 };
  const theirs = { value: 0 };
  w.zx_channel_create(0, ours, theirs);
  // Hand the other end to the reader, as a launcher hands a process its bootstrap channel.
  const inbox = kernel.transferHandle(writer, theirs.value, reader);

  const vmo = { value: 0 };
  w.zx_vmo_create(4096, 0, vmo);
  w.zx_vmo_write(vmo.value, new TextEncoder().encode('hello'), 0, 5);
  const readOnly = { value: 0 };
  w.zx_handle_duplicate(vmo.value, ZX_RIGHT_READ | ZX_RIGHT_MAP | ZX_RIGHT_TRANSFER, readOnly);
  w.zx_channel_write(ours.value, 0, null, 0, encodeHandles([readOnly.value]), 1);

  const thread = reader.startThread(async (sys) => {
    await sys.zx_object_wait_one(inbox, ZX_CHANNEL_READABLE, ZX_TIME_INFINITE, null);
    const handles = new Uint8Array(4);
    await sys.zx_channel_read(inbox, 0, null, handles, 0, 1, null, null);
    const [shared] = decodeHandles(handles, 1);
    const text = new Uint8Array(5);
    await sys.zx_vmo_read(shared!, text, 0, 5);
    const denied = await sys.zx_vmo_write(shared!, text, 0, 5);
    return { shared, text: new TextDecoder().decode(text), denied };
  });
  const { shared, ...seen } = (await thread.done) as { shared: number };
  assert.deepEqual(seen, { text: 'hello', denied: ZX_ERR_ACCESS_DENIED });

  // One VMO, two handles: what the writer writes, the reader's duplicate shows.
  w.zx_vmo_write(vmo.value, new TextEncoder().encode('HELLO'), 0, 5);
  const again = new Uint8Array(5);
  reader.syscalls.zx_vmo_read(shared, again, 0, 5);
  assert.equal(new TextDecoder().decode(again), 'HELLO');
});
