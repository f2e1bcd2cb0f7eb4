// zx_port_* syscalls (Zircon's syscalls/port.cc and PortDispatcher). Rights and errors:
// src/abi/syscalls/port.ts.

import {
  ZX_DEFAULT_PORT_RIGHTS,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_POL_NEW_PORT,
  ZX_PORT_BIND_TO_INTERRUPT,
  ZX_THREAD_STATE_BLOCKED_PORT,
} from '../abi/constants.ts';
import { ZX_PORT_PACKET_SIZE } from '../abi/structs-ipc.ts';
import { PORT_SYSCALLS as S } from '../abi/syscalls/port.ts';
import {
  MAX_USER_PACKETS,
  PortDispatcher,
  type PortPacket,
  type PortWaiter,
} from '../object/port-dispatcher.ts';
import { isWaitable } from '../object/waitable.ts';
import type { Finish } from '../util/blocker.ts';
import { hex } from '../util/reason.ts';
import { DeadlineWait, deadlinePassed, shouldWait } from './blocking.ts';
import { fail, handleWithRights, objectWithRights, type SyscallContext } from './context.ts';
import type { HandleOut } from './impl.ts';
import { enforcePolicy } from './policy.ts';
import { copyIn, copyOutBytes, type UserBuffer } from './user.ts';
import { deadlineGone, notWaitable, notZero } from './why.ts';

function portOptions(options: number): string {
  return `options ${hex(options >>> 0)} is neither 0 nor ZX_PORT_BIND_TO_INTERRUPT`;
}

const PORT_FULL = `the port already holds ${MAX_USER_PACKETS} user packets`;

const EMPTY = 'with the port empty';

const PORT_EMPTY =
  'the port is empty and the deadline is ahead: a thread would wait, the host cannot';

function noWaitOf(source: number, key: bigint): string {
  return `no wait through source ${hex(source >>> 0)} with key ${key} is pending, and no packet of it is queued`;
}

function noKey(key: bigint): string {
  return `no wait with key ${key} is pending on the port, and no packet with it is queued`;
}

/** zx_port_create(options, out): policy first, then the options (PortDispatcher::Create). */
export function zx_port_create(ctx: SyscallContext, options: number, out: HandleOut): number {
  const policy = enforcePolicy(ctx, ZX_POL_NEW_PORT);
  if (policy !== ZX_OK) return policy;
  if (options !== 0 && options !== ZX_PORT_BIND_TO_INTERRUPT) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, portOptions, options);
  }
  return out.set(
    new PortDispatcher(ctx.core.newKoid(), options, ctx.core.timers),
    ZX_DEFAULT_PORT_RIGHTS,
  );
}

/** zx_port_queue(handle, packet): the port, then the packet copied in. */
export function zx_port_queue(ctx: SyscallContext, handle: number, packet: UserBuffer): number {
  const port = objectWithRights<PortDispatcher>(ctx, handle, S.zx_port_queue.params[0]);
  if (typeof port === 'number') return port;
  const bytes = copyIn(ctx.user, packet, ZX_PORT_PACKET_SIZE);
  if (typeof bytes === 'number') return bytes;
  return port.queueUser(bytes) ? ZX_OK : fail(ctx, ZX_ERR_SHOULD_WAIT, PORT_FULL);
}

/** Copies a dequeued packet out; a failed copy loses the packet, as in Zircon. */
function copyOutPacket(ctx: SyscallContext, out: UserBuffer, packet: PortPacket): number {
  return copyOutBytes(ctx.user, out, packet.bytes);
}

/**
 * A thread parked in zx_port_wait: handed the next packet (which its call copies out on its own
 * turn), or timed out at its deadline. One object is the blocker, the port's waiter and the
 * call's finish.
 */
class PortWait extends DeadlineWait implements PortWaiter, Finish {
  private readonly port: PortDispatcher;
  private readonly out: UserBuffer;
  private received: PortPacket | null = null;

  constructor(ctx: SyscallContext, port: PortDispatcher, deadline: bigint, out: UserBuffer) {
    super(ZX_THREAD_STATE_BLOCKED_PORT, ctx, deadline, EMPTY);
    this.port = port;
    this.out = out;
  }

  protected register(): void {
    this.port.addWaiter(this);
  }

  protected unregister(): void {
    this.port.removeWaiter(this);
  }

  protected drop(): void {
    this.received = null;
  }

  deliver(packet: PortPacket): void {
    this.received = packet;
    this.end(this);
  }

  /** On the woken thread's turn: the packet copied out. */
  finish(): number {
    const packet = this.received!;
    this.received = null;
    return copyOutPacket(this.ctx, this.out, packet);
  }
}

/**
 * zx_port_wait(handle, deadline, packet): the oldest packet, or a wait (BLOCKED_PORT) until one
 * is queued or the deadline passes. Waiting threads are handed packets oldest waiter first.
 */
export function zx_port_wait(
  ctx: SyscallContext,
  handle: number,
  deadline: bigint,
  packet: UserBuffer,
): number {
  const port = objectWithRights<PortDispatcher>(ctx, handle, S.zx_port_wait.params[0]);
  if (typeof port === 'number') return port;
  const ready = port.dequeue();
  if (ready !== undefined) return copyOutPacket(ctx, packet, ready);
  if (deadlinePassed(ctx, deadline))
    return fail(ctx, ZX_ERR_TIMED_OUT, deadlineGone, deadline, EMPTY);
  const waited = shouldWait(ctx, new PortWait(ctx, port, deadline, packet));
  return fail(ctx, waited, PORT_EMPTY);
}

/**
 * zx_port_cancel(handle, source, key): ends the waits registered through `source` with `key`
 * and removes their queued packets; NOT_FOUND when there was neither.
 */
export function zx_port_cancel(
  ctx: SyscallContext,
  handle: number,
  source: number,
  key: bigint,
): number {
  const port = objectWithRights<PortDispatcher>(ctx, handle, S.zx_port_cancel.params[0]);
  if (typeof port === 'number') return port;
  const watched = handleWithRights(ctx, source, S.zx_port_cancel.params[1]);
  if (typeof watched === 'number') return watched;
  if (!isWaitable(watched.object)) {
    return fail(ctx, ZX_ERR_NOT_SUPPORTED, notWaitable, 'source', watched.object.type);
  }
  const hadWait = watched.object.cancelByKey(watched, port, key);
  const hadPacket = port.cancelQueued(watched, key);
  return hadWait || hadPacket ? ZX_OK : fail(ctx, ZX_ERR_NOT_FOUND, noWaitOf, source, key);
}

/** zx_port_cancel_key(handle, options, key): every wait and packet of the port under `key`. */
export function zx_port_cancel_key(
  ctx: SyscallContext,
  handle: number,
  options: number,
  key: bigint,
): number {
  if (options !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, notZero, 'options', options >>> 0);
  const port = objectWithRights<PortDispatcher>(ctx, handle, S.zx_port_cancel_key.params[0]);
  if (typeof port === 'number') return port;
  return port.cancelKey(key) ? ZX_OK : fail(ctx, ZX_ERR_NOT_FOUND, noKey, key);
}
