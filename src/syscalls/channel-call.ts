// zx_channel_call (Zircon's channel_call_noretry and ChannelDispatcher::Call): the request is
// written with a kernel txid, then the caller waits (BLOCKED_CHANNEL) for the reply carrying it,
// which is copied out as zx_channel_read would. The pointers of zx_channel_call_args_t are user
// addresses. The host, which is no thread, gets ZX_ERR_SHOULD_WAIT once the request is sent;
// the reply then queues as an ordinary message.

import {
  ZX_CHANNEL_WRITE_USE_IOVEC,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_TIMED_OUT,
  ZX_THREAD_STATE_BLOCKED_CHANNEL,
} from '../abi/constants.ts';
import {
  decodeZxChannelCallArgs,
  ZX_CHANNEL_CALL_ARGS_SIZE,
  type ZxChannelCallArgs,
} from '../abi/structs-ipc.ts';
import { CHANNEL_SYSCALLS as S } from '../abi/syscalls/channel.ts';
import {
  type ChannelDispatcher,
  MessagePacket,
  type MessageWaiter,
} from '../object/channel-dispatcher.ts';
import { armDeadline, deadlinePassed, shouldWait } from './blocking.ts';
import {
  buildMessageBytes,
  deliverMessage,
  removeUserHandles,
  takeMessageHandles,
} from './channel-message.ts';
import { objectWithRights, type SyscallContext } from './context.ts';
import type { UserOut } from './impl.ts';
import { copyIn, copyOutU32, type UserBuffer } from './user.ts';

/** zx_channel_call(handle, options, deadline, args, actual_bytes, actual_handles) */
export function zx_channel_call(
  ctx: SyscallContext,
  handle: number,
  options: number,
  deadline: bigint,
  args: UserBuffer,
  actualBytes: UserOut,
  actualHandles: UserOut,
): number {
  const raw = copyIn(ctx.user, args, ZX_CHANNEL_CALL_ARGS_SIZE);
  if (typeof raw === 'number') return raw;
  const call = decodeZxChannelCallArgs(raw);
  let consumed = false;
  const status = (() => {
    if ((options & ~ZX_CHANNEL_WRITE_USE_IOVEC) !== 0) return ZX_ERR_INVALID_ARGS;
    const params = S.zx_channel_call.params;
    const channel = objectWithRights<ChannelDispatcher>(ctx, handle, params[0]);
    if (typeof channel === 'number') return channel;
    const data = buildMessageBytes(
      ctx,
      options,
      call.wr_bytes,
      call.wr_num_bytes,
      call.wr_num_handles,
    );
    if (typeof data === 'number') return data;
    if (data.length < 4) return ZX_ERR_INVALID_ARGS;
    // From here the handles are consumed by taking them, whatever else goes wrong.
    consumed = true;
    let carried: MessagePacket['handles'] = [];
    if (call.wr_num_handles > 0) {
      const taken = takeMessageHandles(ctx, call.wr_handles, call.wr_num_handles, channel);
      if (typeof taken === 'number') return taken;
      carried = taken;
    }
    const txid = channel.writeCall(new MessagePacket(data, carried, ctx.core.handleArena));
    if (txid < 0) return txid;
    if (deadlinePassed(ctx, deadline)) return ZX_ERR_TIMED_OUT;
    return waitForReply(ctx, channel, txid, deadline, call, actualBytes, actualHandles);
  })();
  if (!consumed) removeUserHandles(ctx, call.wr_handles, call.wr_num_handles);
  return status;
}

/** Parks the caller until the reply with `txid`, the deadline, or the end of the channel. */
function waitForReply(
  ctx: SyscallContext,
  channel: ChannelDispatcher,
  txid: number,
  deadline: bigint,
  call: ZxChannelCallArgs,
  actualBytes: UserOut,
  actualHandles: UserOut,
): number {
  return shouldWait(ctx, {
    state: ZX_THREAD_STATE_BLOCKED_CHANNEL,
    arm: (wake) => {
      let reply: MessagePacket | null = null;
      const waiter: MessageWaiter = {
        txid,
        deliver: (message) => {
          reply = message;
          cancelTimer();
          wake(() => {
            const taken = reply!;
            reply = null;
            return readReply(ctx, taken, call, actualBytes, actualHandles);
          });
        },
        cancel: (status) => {
          cancelTimer();
          wake(() => status);
        },
      };
      const cancelTimer = armDeadline(ctx, deadline, () => {
        channel.removeCaller(waiter);
        wake(() => ZX_ERR_TIMED_OUT);
      });
      channel.addCaller(waiter);
      return () => {
        channel.removeCaller(waiter);
        cancelTimer();
        (reply as MessagePacket | null)?.destroy();
        reply = null;
      };
    },
  });
}

/** channel_read_out: the reply must fit rd_num_bytes and rd_num_handles, or it is destroyed. */
function readReply(
  ctx: SyscallContext,
  reply: MessagePacket,
  call: ZxChannelCallArgs,
  actualBytes: UserOut,
  actualHandles: UserOut,
): number {
  const bytes = reply.data.length;
  const handles = reply.handles.length;
  if (call.rd_num_bytes < bytes || call.rd_num_handles < handles) {
    reply.destroy();
    return ZX_ERR_BUFFER_TOO_SMALL;
  }
  if (!copyOutU32(ctx.user, actualBytes, bytes) || !copyOutU32(ctx.user, actualHandles, handles)) {
    reply.destroy();
    return ZX_ERR_INVALID_ARGS;
  }
  return deliverMessage(
    ctx,
    reply,
    call.rd_bytes,
    call.rd_num_bytes,
    call.rd_handles,
    call.rd_num_handles,
  );
}
