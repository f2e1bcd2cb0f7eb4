// zx_object_signal and zx_object_wait_one: user signals only, ZX_VMO_ZERO_CHILDREN asserted on
// a new VMO and out of the user's reach, waits that end at once when satisfied, TIMED_OUT with
// `observed` written, SHOULD_WAIT for the host where a thread would wait, threads that wait
// (until a deadline, or CANCELED by a close), and the continuation underneath.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_CANCELED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_RIGHT_READ,
  ZX_RIGHT_SIGNAL,
  ZX_RIGHT_WAIT,
  ZX_SIGNAL_HANDLE_CLOSED,
  ZX_TIME_INFINITE,
  ZX_TIME_INFINITE_PAST,
  ZX_USER_SIGNAL_0,
  ZX_USER_SIGNAL_1,
  ZX_USER_SIGNAL_7,
  ZX_USER_SIGNAL_ALL,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_ZERO_CHILDREN,
} from '../../../src/abi/constants.ts';
import { beginWait, type WaitResult } from '../../../src/object/wait.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  newProcess,
  out,
  PAGE,
  readVmo,
  untyped,
} from '../../helpers.ts';

/** The active signals, read the canonical way: a wait for nothing that has already expired. */
function signalsOf(sys: Syscalls, h: number): number {
  const observed = out(-1);
  expectStatus(sys.zx_object_wait_one(h, 0, ZX_TIME_INFINITE_PAST, observed), ZX_ERR_TIMED_OUT);
  return observed.value;
}

describe('zx_object_signal', () => {
  it('sets and clears user signals on a VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_signal(h, 0, ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_7), ZX_OK);
    assert.equal(
      signalsOf(sys, h),
      (ZX_VMO_ZERO_CHILDREN | ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_7) >>> 0,
    );
    expectStatus(sys.zx_object_signal(h, ZX_USER_SIGNAL_0, 0), ZX_OK);
    assert.equal(signalsOf(sys, h), (ZX_VMO_ZERO_CHILDREN | ZX_USER_SIGNAL_7) >>> 0);
    expectStatus(sys.zx_object_signal(h, ZX_USER_SIGNAL_ALL, 0), ZX_OK);
    assert.equal(signalsOf(sys, h), ZX_VMO_ZERO_CHILDREN);
  });

  it('lets set win over clear for a bit in both masks', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_signal(h, ZX_USER_SIGNAL_1, ZX_USER_SIGNAL_1), ZX_OK);
    assert.equal(signalsOf(sys, h) & ZX_USER_SIGNAL_1, ZX_USER_SIGNAL_1);
  });

  it('works on jobs and processes too', () => {
    const { proc, sys } = newProcess();
    for (const h of [proc.job, proc.self]) {
      expectStatus(sys.zx_object_signal(h, 0, ZX_USER_SIGNAL_1), ZX_OK);
      assert.equal(signalsOf(sys, h) & ZX_USER_SIGNAL_1, ZX_USER_SIGNAL_1);
    }
  });

  it('refuses to set or clear ZX_VMO_ZERO_CHILDREN, which stays asserted', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_signal(h, ZX_VMO_ZERO_CHILDREN, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_object_signal(h, 0, ZX_VMO_ZERO_CHILDREN), ZX_ERR_INVALID_ARGS);
    assert.equal(signalsOf(sys, h), ZX_VMO_ZERO_CHILDREN);
  });

  it('gives INVALID_ARGS for any bit outside the user signals, changing nothing', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    for (const bad of [0x1, 0x0080_0000, 0x00ff_ffff, ZX_USER_SIGNAL_0 | 0x4]) {
      expectStatus(
        sys.zx_object_signal(h, 0, bad),
        ZX_ERR_INVALID_ARGS,
        `set 0x${bad.toString(16)}`,
      );
      expectStatus(
        sys.zx_object_signal(h, bad, 0),
        ZX_ERR_INVALID_ARGS,
        `clear 0x${bad.toString(16)}`,
      );
    }
    assert.equal(signalsOf(sys, h), ZX_VMO_ZERO_CHILDREN);
    expectStatus(sys.zx_object_signal(h, 0, 2 ** 32), ZX_ERR_INVALID_ARGS);
    expectStatus(untyped(sys).zx_object_signal(h, 'x', 0), ZX_ERR_INVALID_ARGS);
  });

  it('needs the SIGNAL right, checked before the masks', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const noSignal = duplicate(sys, h, ZX_RIGHT_READ | ZX_RIGHT_WAIT);
    expectStatus(sys.zx_object_signal(noSignal, 0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
    expectStatus(sys.zx_object_signal(noSignal, 0, 0x1), ZX_ERR_ACCESS_DENIED);
    // The root VMAR handle carries no SIGNAL right.
    expectStatus(sys.zx_object_signal(proc.rootVmar, 0, ZX_USER_SIGNAL_0), ZX_ERR_ACCESS_DENIED);
    expectStatus(
      sys.zx_object_signal(duplicate(sys, h, ZX_RIGHT_SIGNAL), 0, ZX_USER_SIGNAL_0),
      ZX_OK,
    );
  });

  it('gives BAD_HANDLE for a value that names nothing', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_object_signal(0, 0, ZX_USER_SIGNAL_0), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_object_signal(0x7777_7777, 0, 0x1), ZX_ERR_BAD_HANDLE);
  });
});

describe('zx_object_wait_one', () => {
  it('sees ZX_VMO_ZERO_CHILDREN asserted on a new VMO', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const observed = out(0);
    expectStatus(
      sys.zx_object_wait_one(h, ZX_VMO_ZERO_CHILDREN, ZX_TIME_INFINITE, observed),
      ZX_OK,
    );
    assert.equal(observed.value, ZX_VMO_ZERO_CHILDREN);
  });

  it('returns at once when satisfied, even with a deadline in the past, reporting every active signal', () => {
    const { kernel, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_signal(h, 0, ZX_USER_SIGNAL_1), ZX_OK);
    for (const deadline of [ZX_TIME_INFINITE_PAST, 0, 0n, -1, ZX_TIME_INFINITE, 10n ** 12n]) {
      const observed = out(0);
      expectStatus(sys.zx_object_wait_one(h, ZX_USER_SIGNAL_1, deadline, observed), ZX_OK);
      assert.equal(observed.value, ZX_VMO_ZERO_CHILDREN | ZX_USER_SIGNAL_1);
    }
    assert.equal(kernel.core.timers.now, 0n, 'a satisfied wait does not sleep');
  });

  it('gives TIMED_OUT with observed written when the deadline has passed', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    for (const deadline of [ZX_TIME_INFINITE_PAST, 0, -5n]) {
      const observed = out(-1);
      expectStatus(
        sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, deadline, observed),
        ZX_ERR_TIMED_OUT,
      );
      assert.equal(observed.value, ZX_VMO_ZERO_CHILDREN);
    }
  });

  it('gives the host SHOULD_WAIT for a future deadline, without moving the clock', () => {
    // The host is no thread: where a thread would wait, it gets SHOULD_WAIT (CONTRACT.md §4).
    const { kernel, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const observed = out(-1);
    expectStatus(
      sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, 5_000_000n, observed),
      ZX_ERR_SHOULD_WAIT,
    );
    assert.equal(observed.value, -1, 'observed is not written');
    assert.equal(kernel.now, 0n, 'the clock does not move');
    // Once the clock has passed the deadline, the same call times out at once.
    kernel.advanceTime(5_000_000);
    expectStatus(
      sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, 5_000_000n, observed),
      ZX_ERR_TIMED_OUT,
    );
    assert.equal(observed.value, ZX_VMO_ZERO_CHILDREN);
  });

  it('lets a thread wait until the clock passes a finite deadline', async () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const observed = out(-1);
    const thread = proc.startThread((t) =>
      t.zx_object_wait_one(h, ZX_USER_SIGNAL_0, 1000n, observed),
    );
    await kernel.idle();
    kernel.advanceTime(999);
    await kernel.idle();
    assert.equal(observed.value, -1);
    kernel.advanceTime(1);
    expectStatus((await thread.done) as number, ZX_ERR_TIMED_OUT);
    assert.equal(observed.value, ZX_VMO_ZERO_CHILDREN);
  });

  it("ends a thread's wait with CANCELED and HANDLE_CLOSED in observed when the handle closes", async () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const observed = out(-1);
    const thread = proc.startThread((t) =>
      t.zx_object_wait_one(h, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, observed),
    );
    await kernel.idle();
    expectStatus(sys.zx_handle_close(h), ZX_OK);
    expectStatus((await thread.done) as number, ZX_ERR_CANCELED);
    assert.equal(observed.value, ZX_VMO_ZERO_CHILDREN | ZX_SIGNAL_HANDLE_CLOSED);
  });

  it('refuses an object that cannot be waited on: NOT_SUPPORTED (after the WAIT right)', () => {
    const { kernel, proc, sys } = newProcess();
    const port = out(0);
    expectStatus(sys.zx_port_create(0, port), ZX_OK);
    // Port handles never carry ZX_RIGHT_WAIT, so the right check answers first...
    expectStatus(sys.zx_object_wait_one(port.value, 1, 0, out(0)), ZX_ERR_ACCESS_DENIED);
    // ...and only a handle made inside the kernel with WAIT reaches the waitable check.
    const object = proc.object.handles.get(port.value)!.object;
    const forged = proc.object.handles.add(kernel.core.handleArena.make(object, ZX_RIGHT_WAIT)!);
    expectStatus(sys.zx_object_wait_one(forged, 1, 0, out(0)), ZX_ERR_NOT_SUPPORTED);
  });

  it('waits for the deadline when asked for no signals at all', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const observed = out(-1);
    expectStatus(sys.zx_object_wait_one(h, 0, 0, observed), ZX_ERR_TIMED_OUT);
    assert.equal(observed.value, ZX_VMO_ZERO_CHILDREN);
  });

  it('gives SHOULD_WAIT for an infinite wait that nothing could end, instead of hanging', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const observed = out(-1);
    expectStatus(
      sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, observed),
      ZX_ERR_SHOULD_WAIT,
    );
    assert.equal(observed.value, -1);
  });

  it('needs the WAIT right', () => {
    const { proc, sys } = newProcess();
    const noWait = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_READ | ZX_RIGHT_SIGNAL);
    expectStatus(
      sys.zx_object_wait_one(noWait, ZX_VMO_ZERO_CHILDREN, 0, out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(sys.zx_object_wait_one(proc.rootVmar, 0, 0, out(0)), ZX_ERR_ACCESS_DENIED);
  });

  it('gives BAD_HANDLE for a value that names nothing', () => {
    const { sys } = newProcess();
    expectStatus(sys.zx_object_wait_one(0, ZX_USER_SIGNAL_0, 0, out(0)), ZX_ERR_BAD_HANDLE);
  });

  it('gives INVALID_ARGS for an unusable observed pointer, and accepts NULL', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_wait_one(h, ZX_VMO_ZERO_CHILDREN, 0, 5), ZX_ERR_INVALID_ARGS);
    expectStatus(
      sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, 0, Object.freeze({ value: 0 })),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_object_wait_one(h, ZX_VMO_ZERO_CHILDREN, 0, null), ZX_OK);
    expectStatus(sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, 0, null), ZX_ERR_TIMED_OUT);
  });

  it('writes observed through a virtual address of the caller, on TIMED_OUT too', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const addr = out(0n);
    const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    expectStatus(sys.zx_vmar_map(proc.rootVmar, rw, 0, h, 0, PAGE, addr), ZX_OK);
    expectStatus(sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, 0, addr.value), ZX_ERR_TIMED_OUT);
    const observed = new DataView(readVmo(sys, h, 0, 4).buffer).getUint32(0, true);
    assert.equal(observed, ZX_VMO_ZERO_CHILDREN);
  });

  it('gives INVALID_ARGS for signals or deadlines no C caller could pass', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_wait_one(h, -1.5, 0, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, 0.5, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(
      sys.zx_object_wait_one(h, ZX_USER_SIGNAL_0, 2n ** 64n, out(0)),
      ZX_ERR_INVALID_ARGS,
    );
  });
});

describe('parked waits (the continuation behind zx_object_wait_one)', () => {
  it('resume with OK when another thread raises a watched signal', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const handle = proc.object.handles.get(h)!;
    let result: WaitResult | null = null;
    const started = beginWait(
      kernel.core.timers,
      handle,
      ZX_USER_SIGNAL_0,
      ZX_TIME_INFINITE,
      (r) => {
        result = r;
      },
    );
    assert.ok(!('status' in started), 'the wait should park');
    expectStatus(sys.zx_object_signal(h, 0, ZX_USER_SIGNAL_1), ZX_OK);
    assert.equal(result, null, 'an unwatched signal does not end the wait');
    expectStatus(sys.zx_object_signal(h, 0, ZX_USER_SIGNAL_0), ZX_OK);
    assert.deepEqual(result, {
      status: ZX_OK,
      observed: ZX_VMO_ZERO_CHILDREN | ZX_USER_SIGNAL_0 | ZX_USER_SIGNAL_1,
    });
  });

  it('end with CANCELED when the handle waited on is closed, but not when another one is', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const other = duplicate(sys, h, ZX_RIGHT_WAIT);
    let result: WaitResult | null = null;
    beginWait(
      kernel.core.timers,
      proc.object.handles.get(h)!,
      ZX_USER_SIGNAL_0,
      ZX_TIME_INFINITE,
      (r) => {
        result = r;
      },
    );
    expectStatus(sys.zx_handle_close(other), ZX_OK);
    assert.equal(result, null);
    expectStatus(sys.zx_handle_close(h), ZX_OK);
    const ended = result as WaitResult | null;
    assert.ok(ended !== null);
    expectStatus(ended.status, ZX_ERR_CANCELED);
    assert.equal(
      ended.observed & ZX_SIGNAL_HANDLE_CLOSED,
      0,
      'HANDLE_CLOSED is not a stored signal',
    );
  });

  it('time out when the clock passes the deadline', () => {
    const { kernel, proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    let result: WaitResult | null = null;
    beginWait(kernel.core.timers, proc.object.handles.get(h)!, ZX_USER_SIGNAL_0, 100n, (r) => {
      result = r;
    });
    kernel.core.timers.advanceTo(99n);
    assert.equal(result, null);
    kernel.core.timers.advanceTo(100n);
    assert.deepEqual(result, { status: ZX_ERR_TIMED_OUT, observed: ZX_VMO_ZERO_CHILDREN });
  });
});
