// zx_channel_call (Zircon's channel_call_noretry and ChannelDispatcher::Call): the request is
// written with a kernel txid, then the caller waits (BLOCKED_CHANNEL) for the reply carrying it,
// which is copied out as zx_channel_read would. The pointers of zx_channel_call_args_t are user
// addresses. The host, which is no thread, gets ZX_ERR_SHOULD_WAIT once the request is sent;
// the reply then queues as an ordinary message.

import {
  ZX_CHANNEL_WRITE_USE_IOVEC,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_CANCELED,
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
import type { Finish } from '../util/blocker.ts';
import { DeadlineWait, deadlinePassed, shouldWait } from './blocking.ts';
import { PEER_GONE, USE_IOVEC } from './channel.ts';
import {
  buildMessageBytes,
  deliverMessage,
  removeUserHandles,
  takeMessageHandles,
} from './channel-message.ts';
import { fail, objectWithRights, type SyscallContext, unwritable } from './context.ts';
import type { UserOut } from './impl.ts';
import { copyIn, copyOutU32, type UserBuffer } from './user.ts';
import { bitsOtherThan, deadlineGone } from './why.ts';

const AWAITING_REPLY =
  'the request is sent and the deadline is ahead: a thread would wait for the reply, the host cannot';
const NO_REPLY = 'before the reply (the request stays sent)';

function noTxid(length: number): string {
  return `the request has ${length} bytes, fewer than a txid (4 bytes)`;
}

function replyTooBig(bytes: number, handles: number, numBytes: number, numHandles: number): string {
  return `the reply has ${bytes} bytes and ${handles} handles; rd_num_bytes is ${numBytes}, rd_num_handles ${numHandles} (it is destroyed)`;
}

function callEnded(status: number): string {
  return status === ZX_ERR_CANCELED
    ? "the caller's handle to the channel was closed while it waited"
    : 'the peer closed while the caller waited for the reply';
}

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
    if ((options & ~ZX_CHANNEL_WRITE_USE_IOVEC) !== 0) {
      return fail(ctx, ZX_ERR_INVALID_ARGS, bitsOtherThan, 'options', options, USE_IOVEC);
    }
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
    if (data.length < 4) return fail(ctx, ZX_ERR_INVALID_ARGS, noTxid, data.length);
    // From here the handles are consumed by taking them, whatever else goes wrong.
    consumed = true;
    let carried: MessagePacket['handles'] = [];
    if (call.wr_num_handles > 0) {
      const taken = takeMessageHandles(ctx, call.wr_handles, call.wr_num_handles, channel);
      if (typeof taken === 'number') return taken;
      carried = taken;
    }
    const txid = channel.writeCall(new MessagePacket(data, carried, ctx.core.handleArena));
    if (txid < 0) return fail(ctx, txid, PEER_GONE);
    if (deadlinePassed(ctx, deadline)) {
      return fail(ctx, ZX_ERR_TIMED_OUT, deadlineGone, deadline, NO_REPLY);
    }
    const waited = waitForReply(ctx, channel, txid, deadline, call, actualBytes, actualHandles);
    return fail(ctx, waited, AWAITING_REPLY);
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
  return shouldWait(
    ctx,
    new ReplyWait(ctx, channel, txid, deadline, call, actualBytes, actualHandles),
  );
}

/** A zx_channel_call waiting for its reply: the blocker, the channel's waiter and the finish. */
class ReplyWait extends DeadlineWait implements MessageWaiter, Finish {
  readonly txid: number;
  private readonly channel: ChannelDispatcher;
  private readonly args: ZxChannelCallArgs;
  private readonly actualBytes: UserOut;
  private readonly actualHandles: UserOut;
  private reply: MessagePacket | null = null;

  constructor(
    ctx: SyscallContext,
    channel: ChannelDispatcher,
    txid: number,
    deadline: bigint,
    args: ZxChannelCallArgs,
    actualBytes: UserOut,
    actualHandles: UserOut,
  ) {
    super(ZX_THREAD_STATE_BLOCKED_CHANNEL, ctx, deadline, NO_REPLY);
    this.channel = channel;
    this.txid = txid;
    this.args = args;
    this.actualBytes = actualBytes;
    this.actualHandles = actualHandles;
  }

  protected register(): void {
    this.channel.addCaller(this);
  }

  protected unregister(): void {
    this.channel.removeCaller(this);
  }

  protected drop(): void {
    this.reply?.destroy();
    this.reply = null;
  }

  deliver(message: MessagePacket): void {
    this.reply = message;
    this.end(this);
  }

  cancel(status: number): void {
    const ctx = this.ctx;
    this.end(() => fail(ctx, status, callEnded, status));
  }

  /** On the woken thread's turn: the reply read into the call's buffers. */
  finish(): number {
    const taken = this.reply!;
    this.reply = null;
    return readReply(this.ctx, taken, this.args, this.actualBytes, this.actualHandles);
  }
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
  const { rd_num_bytes: numBytes, rd_num_handles: numHandles } = call;
  if (numBytes < bytes || numHandles < handles) {
    reply.destroy();
    return fail(ctx, ZX_ERR_BUFFER_TOO_SMALL, replyTooBig, bytes, handles, numBytes, numHandles);
  }
  if (!copyOutU32(ctx.user, actualBytes, bytes)) {
    reply.destroy();
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'actual_bytes', actualBytes);
  }
  if (!copyOutU32(ctx.user, actualHandles, handles)) {
    reply.destroy();
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'actual_handles', actualHandles);
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
