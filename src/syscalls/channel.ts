// zx_channel_create, zx_channel_read and zx_channel_write (Zircon's syscalls/channel.cc).
// Rights and errors: src/abi/syscalls/channel.ts. zx_channel_call is in channel-call.ts.

import {
  ZX_CHANNEL_READ_MAY_DISCARD,
  ZX_CHANNEL_WRITE_USE_IOVEC,
  ZX_DEFAULT_CHANNEL_RIGHTS,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_PEER_CLOSED,
  ZX_OK,
  ZX_POL_NEW_CHANNEL,
} from '../abi/constants.ts';
import { CHANNEL_SYSCALLS as S } from '../abi/syscalls/channel.ts';
import { ChannelDispatcher, MessagePacket } from '../object/channel-dispatcher.ts';
import {
  buildMessageBytes,
  deliverMessage,
  removeUserHandles,
  takeMessageHandles,
} from './channel-message.ts';
import { fail, objectWithRights, type SyscallContext, unwritable } from './context.ts';
import type { HandleOut, UserOut } from './impl.ts';
import { enforcePolicy } from './policy.ts';
import { copyOutU32, type UserBuffer } from './user.ts';
import { bitsOtherThan, notZero } from './why.ts';

const MAY_DISCARD = 'ZX_CHANNEL_READ_MAY_DISCARD';
export const USE_IOVEC = 'ZX_CHANNEL_WRITE_USE_IOVEC';
export const PEER_GONE = 'the peer is closed: the message and its handles are destroyed';
const NO_MESSAGE =
  'no message is queued and the peer is open: a thread would wait, the host cannot';
const NO_MESSAGE_EVER = 'no message is queued and the peer is closed: none will come';

/** Why a message does not fit the reader's buffers (ZX_ERR_BUFFER_TOO_SMALL). */
function tooBig(bytes: number, handles: number, numBytes: number, numHandles: number): string {
  return `the first message has ${bytes} bytes and ${handles} handles; num_bytes is ${numBytes}, num_handles ${numHandles}`;
}

/** zx_channel_create(options, out0, out1) */
export function zx_channel_create(
  ctx: SyscallContext,
  options: number,
  out0: HandleOut,
  out1: HandleOut,
): number {
  if (options !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, notZero, 'options', options >>> 0);
  const policy = enforcePolicy(ctx, ZX_POL_NEW_CHANNEL);
  if (policy !== ZX_OK) return policy;
  const [a, b] = ChannelDispatcher.createPair(ctx.core.newKoid(), ctx.core.newKoid());
  // When the arena cannot hold both, the binder destroys the handle made (closing its peer).
  const made = out0.set(a, ZX_DEFAULT_CHANNEL_RIGHTS);
  if (made !== ZX_OK) {
    b.abandon();
    return made;
  }
  return out1.set(b, ZX_DEFAULT_CHANNEL_RIGHTS);
}

/**
 * zx_channel_read(handle, options, bytes, handles, num_bytes, num_handles, actual_bytes,
 * actual_handles): the sizes are written even when the buffers are too small.
 */
export function zx_channel_read(
  ctx: SyscallContext,
  handle: number,
  options: number,
  bytes: UserBuffer,
  handles: UserBuffer,
  numBytes: number,
  numHandles: number,
  actualBytes: UserOut,
  actualHandles: UserOut,
): number {
  const channel = objectWithRights<ChannelDispatcher>(ctx, handle, S.zx_channel_read.params[0]);
  if (typeof channel === 'number') return channel;
  if ((options & ~ZX_CHANNEL_READ_MAY_DISCARD) !== 0) {
    return fail(ctx, ZX_ERR_NOT_SUPPORTED, bitsOtherThan, 'options', options, MAY_DISCARD);
  }
  const mayDiscard = (options & ZX_CHANNEL_READ_MAY_DISCARD) !== 0;
  const read = channel.read(numBytes, numHandles, mayDiscard);
  if (read.status !== ZX_OK && read.status !== ZX_ERR_BUFFER_TOO_SMALL) {
    return fail(
      ctx,
      read.status,
      read.status === ZX_ERR_PEER_CLOSED ? NO_MESSAGE_EVER : NO_MESSAGE,
    );
  }
  const message = read.message;
  const lose = (status: number) => {
    message?.destroy();
    return status;
  };
  if (actualBytes !== null && !copyOutU32(ctx.user, actualBytes, read.bytes)) {
    return lose(fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'actual_bytes', actualBytes));
  }
  if (actualHandles !== null && !copyOutU32(ctx.user, actualHandles, read.handles)) {
    return lose(fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'actual_handles', actualHandles));
  }
  if (read.status === ZX_ERR_BUFFER_TOO_SMALL) {
    const { bytes, handles } = read;
    return lose(fail(ctx, ZX_ERR_BUFFER_TOO_SMALL, tooBig, bytes, handles, numBytes, numHandles));
  }
  return deliverMessage(ctx, message!, bytes, numBytes, handles, numHandles);
}

/**
 * zx_channel_write(handle, options, bytes, num_bytes, handles, num_handles). Every listed
 * handle leaves the caller's table, whatever happens (Zircon's RemoveUserHandles on failure).
 */
export function zx_channel_write(
  ctx: SyscallContext,
  handle: number,
  options: number,
  bytes: UserBuffer,
  numBytes: number,
  handles: UserBuffer,
  numHandles: number,
): number {
  let consumed = false;
  const status = (() => {
    if ((options & ~ZX_CHANNEL_WRITE_USE_IOVEC) !== 0) {
      return fail(ctx, ZX_ERR_INVALID_ARGS, bitsOtherThan, 'options', options, USE_IOVEC);
    }
    const params = S.zx_channel_write.params;
    const channel = objectWithRights<ChannelDispatcher>(ctx, handle, params[0]);
    if (typeof channel === 'number') return channel;
    const data = buildMessageBytes(ctx, options, bytes, numBytes, numHandles);
    if (typeof data === 'number') return data;
    let carried: MessagePacket['handles'] = [];
    if (numHandles > 0) {
      const taken = takeMessageHandles(ctx, handles, numHandles, channel);
      if (typeof taken === 'number') return taken;
      carried = taken;
    }
    consumed = true;
    const written = channel.write(new MessagePacket(data, carried, ctx.core.handleArena));
    return written === ZX_OK ? ZX_OK : fail(ctx, written, PEER_GONE);
  })();
  if (!consumed) removeUserHandles(ctx, handles, numHandles);
  return status;
}
