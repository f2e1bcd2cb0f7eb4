// zx_object_wait_one and zx_object_wait_async (Zircon's syscalls/object_wait.cc). Rights and
// errors: src/abi/syscalls/object.ts and port.ts.

import {
  ZX_ERR_CANCELED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_SIGNAL_HANDLE_CLOSED,
  ZX_THREAD_STATE_BLOCKED_WAIT_ONE,
  ZX_WAIT_ASYNC_BOOT_TIMESTAMP,
  ZX_WAIT_ASYNC_EDGE,
  ZX_WAIT_ASYNC_TIMESTAMP,
} from '../abi/constants.ts';
import { OBJECT_SYSCALLS } from '../abi/syscalls/object.ts';
import { PORT_SYSCALLS } from '../abi/syscalls/port.ts';
import type { Handle } from '../object/handle.ts';
import type { PortDispatcher } from '../object/port-dispatcher.ts';
import { Waiter } from '../object/wait.ts';
import { isWaitable } from '../object/waitable.ts';
import type { BlockedCall, Blocker } from '../util/blocker.ts';
import { deadlinePassed, shouldWait } from './blocking.ts';
import { fail, handleWithRights, type SyscallContext, unwritable } from './context.ts';
import type { UserOut } from './impl.ts';
import { copyOutU32 } from './user.ts';
import { notWaitable, unknownBits } from './why.ts';

const WAIT_ASYNC_OPTIONS =
  ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP | ZX_WAIT_ASYNC_EDGE;

const BOTH_CLOCKS = 'options has both ZX_WAIT_ASYNC_TIMESTAMP and ZX_WAIT_ASYNC_BOOT_TIMESTAMP';
const WOULD_WAIT =
  'no signal is active and the deadline is ahead: a thread would wait, the host cannot';

function timedOut(deadline: bigint): string {
  return `the deadline (${deadline} ns) passed before any of the signals was active`;
}

/** The end of a wait_one: observed is written (when given), then the status stands. */
function endWaitOne(
  ctx: SyscallContext,
  observed: UserOut,
  status: number,
  signals: number,
  deadline: bigint,
) {
  if (observed !== null && !copyOutU32(ctx.user, observed, signals)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'observed', observed);
  }
  return status === ZX_ERR_TIMED_OUT ? fail(ctx, status, timedOut, deadline) : status;
}

/** A thread parked in zx_object_wait_one: an observer on the object and a deadline timer. */
class WaitOne implements Blocker {
  readonly state = ZX_THREAD_STATE_BLOCKED_WAIT_ONE;
  private readonly ctx: SyscallContext;
  private readonly handle: Handle;
  private readonly signals: number;
  private readonly deadline: bigint;
  private readonly observed: UserOut;
  private waiter: Waiter | null = null;

  constructor(
    ctx: SyscallContext,
    handle: Handle,
    signals: number,
    deadline: bigint,
    observed: UserOut,
  ) {
    this.ctx = ctx;
    this.handle = handle;
    this.signals = signals;
    this.deadline = deadline;
    this.observed = observed;
  }

  arm(call: BlockedCall): void {
    const { ctx, observed, deadline } = this;
    const waiter = new Waiter(this.handle, this.signals, (result) => {
      const final =
        result.status === ZX_ERR_CANCELED
          ? result.observed | ZX_SIGNAL_HANDLE_CLOSED
          : result.observed;
      call.wake(() => endWaitOne(ctx, observed, result.status, final, deadline));
    });
    this.waiter = waiter;
    this.handle.object.addObserver(waiter);
    waiter.armTimer(ctx.core.timers, deadline);
  }

  disarm(): void {
    this.waiter?.abandon();
  }
}

/**
 * zx_object_wait_one(handle, signals, deadline, observed). Active signals end it at once, even
 * past the deadline; a passed deadline is TIMED_OUT; otherwise a thread waits
 * (BLOCKED_WAIT_ONE) and the host gets SHOULD_WAIT. A thread's wait ends when a watched signal
 * becomes active, when the clock passes the deadline, or with CANCELED (observed holding
 * ZX_SIGNAL_HANDLE_CLOSED) when the handle it waits through is closed.
 */
export function zx_object_wait_one(
  ctx: SyscallContext,
  handle: number,
  signals: number,
  deadline: bigint,
  observed: UserOut,
): number {
  const found = handleWithRights(ctx, handle, OBJECT_SYSCALLS.zx_object_wait_one.params[0]);
  if (typeof found === 'number') return found;
  const object = found.object;
  if (!isWaitable(object))
    return fail(ctx, ZX_ERR_NOT_SUPPORTED, notWaitable, 'handle', object.type);
  if ((object.signals & signals) !== 0) {
    return endWaitOne(ctx, observed, ZX_OK, object.signals, deadline);
  }
  if (deadlinePassed(ctx, deadline)) {
    return endWaitOne(ctx, observed, ZX_ERR_TIMED_OUT, object.signals, deadline);
  }
  const waited = shouldWait(ctx, new WaitOne(ctx, found, signals, deadline, observed));
  return fail(ctx, waited, WOULD_WAIT);
}

/**
 * zx_object_wait_async(handle, port, key, signals, options): one signal packet on `port` when
 * a watched signal is active (at once if it already is), or with ZX_WAIT_ASYNC_EDGE only when
 * one rises later. Checks in Zircon's order: options, the port, then the object.
 */
export function zx_object_wait_async(
  ctx: SyscallContext,
  handle: number,
  port: number,
  key: bigint,
  signals: number,
  options: number,
): number {
  if ((options & ~WAIT_ASYNC_OPTIONS) !== 0) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unknownBits, 'options', options & ~WAIT_ASYNC_OPTIONS);
  }
  const bothClocks = ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP;
  if ((options & bothClocks) === bothClocks) return fail(ctx, ZX_ERR_INVALID_ARGS, BOTH_CLOCKS);
  const params = PORT_SYSCALLS.zx_object_wait_async.params;
  const target = handleWithRights(ctx, port, params[1]);
  if (typeof target === 'number') return target;
  const watched = handleWithRights(ctx, handle, params[0]);
  if (typeof watched === 'number') return watched;
  if (!isWaitable(watched.object)) {
    return fail(ctx, ZX_ERR_NOT_SUPPORTED, notWaitable, 'handle', watched.object.type);
  }
  const observer = (target.object as PortDispatcher).makeObserver(watched, key, signals, options);
  watched.object.addObserver(observer, (options & ZX_WAIT_ASYNC_EDGE) !== 0);
  return ZX_OK;
}
