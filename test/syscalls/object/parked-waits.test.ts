// Waits parked as continuations: Process.waitOne settles when another party signals, when the
// kernel clock passes the deadline, or when the handle waited on is closed.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ZX_ERR_CANCELED,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_USER_SIGNAL_0,
  ZX_USER_SIGNAL_1,
  ZX_VMO_ZERO_CHILDREN,
} from '../../../src/index.ts';
import { createVmo, newProcess } from '../../helpers.ts';

test('a parked wait resumes when the signal it waits for is raised', async () => {
  const { proc, sys } = newProcess();
  const vmo = createVmo(sys, 4096);
  let settled = false;
  const waiting = proc.waitOne(vmo, ZX_USER_SIGNAL_1).then((r) => {
    settled = true;
    return r;
  });
  assert.equal(sys.zx_object_signal(vmo, 0, ZX_USER_SIGNAL_0), ZX_OK);
  await Promise.resolve();
  assert.equal(settled, false);
  assert.equal(sys.zx_object_signal(vmo, 0, ZX_USER_SIGNAL_1), ZX_OK);
  const result = await waiting;
  assert.equal(result.status, ZX_OK);
  assert.equal(result.observed, ZX_VMO_ZERO_CHILDREN | ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1);
});

test('a parked wait times out when the kernel clock passes its deadline', async () => {
  const { kernel, proc, sys } = newProcess();
  const vmo = createVmo(sys, 4096);
  const waiting = proc.waitOne(vmo, ZX_USER_SIGNAL_0, kernel.now + 1000n);
  kernel.advanceTime(999);
  kernel.advanceTime(1);
  const result = await waiting;
  assert.equal(result.status, ZX_ERR_TIMED_OUT);
  assert.equal(result.observed, ZX_VMO_ZERO_CHILDREN);
  assert.equal(kernel.now, 1000n);
});

test('closing the handle a parked wait is on cancels the wait', async () => {
  const { proc, sys } = newProcess();
  const vmo = createVmo(sys, 4096);
  const waiting = proc.waitOne(vmo, ZX_USER_SIGNAL_0);
  assert.equal(sys.zx_handle_close(vmo), ZX_OK);
  assert.equal((await waiting).status, ZX_ERR_CANCELED);
});
