// Building and taking apart channel messages at the syscall edge (Zircon's MessagePacket::Create,
// msg_put_handles, msg_get_handles and RemoveUserHandles): the bytes (plain or gathered from
// iovecs), the handles moved out of the writer's table, and on read the handles moved into the
// reader's table.

import {
  ZX_CHANNEL_MAX_MSG_BYTES,
  ZX_CHANNEL_MAX_MSG_HANDLES,
  ZX_CHANNEL_MAX_MSG_IOVEC,
  ZX_CHANNEL_WRITE_USE_IOVEC,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_RIGHT_TRANSFER,
} from '../abi/constants.ts';
import { encodeHandles, ZX_CHANNEL_IOVEC_SIZE } from '../abi/structs-ipc.ts';
import type { MessagePacket } from '../object/channel-dispatcher.ts';
import type { Dispatcher } from '../object/dispatcher.ts';
import { cancelWaitsThrough, type Handle } from '../object/handle.ts';
import { isHostBytes } from '../util/host-bytes.ts';
import { u64 } from './args.ts';
import type { SyscallContext } from './context.ts';
import { beginCopyOut, copyIn, type UserBuffer } from './user.ts';

/** Zircon's kIovecChunkSize: up to this many iovecs are read (and checked) in one go. */
const IOVEC_CHUNK = 16;

/** Reads `count` bytes at element `offset` (of `size` bytes) of a user array. */
function readElements(
  ctx: SyscallContext,
  buffer: UserBuffer,
  size: number,
  offset: number,
  count: number,
): Uint8Array | number {
  if (isHostBytes(buffer)) {
    const all = copyIn(ctx.user, buffer, (offset + count) * size);
    return typeof all === 'number' ? all : all.subarray(offset * size);
  }
  if (buffer === null) return ZX_ERR_INVALID_ARGS;
  const base = u64(buffer);
  if (base === undefined) return ZX_ERR_INVALID_ARGS;
  return copyIn(ctx.user, base + BigInt(offset * size), count * size);
}

function handleValues(bytes: Uint8Array, count: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, count * 4);
  return Array.from({ length: count }, (_, i) => view.getUint32(i * 4, true));
}

/**
 * Zircon's RemoveUserHandles: every listed handle leaves the table, read 64 at a time; it stops
 * where the list cannot be read. Used when a write fails before its handles were taken.
 */
export function removeUserHandles(ctx: SyscallContext, handles: UserBuffer, count: number): void {
  for (let offset = 0; offset < count; offset += ZX_CHANNEL_MAX_MSG_HANDLES) {
    const chunk = Math.min(count - offset, ZX_CHANNEL_MAX_MSG_HANDLES);
    const bytes = readElements(ctx, handles, 4, offset, chunk);
    if (typeof bytes === 'number') return;
    for (const value of handleValues(bytes, chunk)) ctx.process.handles.remove(value);
  }
}

/** MessagePacket::Create from plain bytes: the limits, then a copy of the bytes. */
export function bytesMessage(
  ctx: SyscallContext,
  bytes: UserBuffer,
  numBytes: number,
  numHandles: number,
): Uint8Array | number {
  if (numBytes > ZX_CHANNEL_MAX_MSG_BYTES || numHandles > ZX_CHANNEL_MAX_MSG_HANDLES) {
    return ZX_ERR_OUT_OF_RANGE;
  }
  if (numBytes === 0) return new Uint8Array(0);
  const data = copyIn(ctx.user, bytes, numBytes);
  return typeof data === 'number' ? data : data.slice(0, numBytes);
}

/**
 * MessagePacket::Create from iovecs (ZX_CHANNEL_WRITE_USE_IOVEC): up to 16 iovecs are all read
 * and checked before the limits and any byte copy; longer lists go chunk by chunk against a
 * message of the largest size, as Zircon's two paths do.
 */
export function iovecMessage(
  ctx: SyscallContext,
  iovecs: UserBuffer,
  numIovecs: number,
  numHandles: number,
): Uint8Array | number {
  if (numIovecs > ZX_CHANNEL_MAX_MSG_IOVEC) return ZX_ERR_OUT_OF_RANGE;
  const bounded = numIovecs <= IOVEC_CHUNK;
  if (!bounded && numHandles > ZX_CHANNEL_MAX_MSG_HANDLES) return ZX_ERR_OUT_OF_RANGE;
  const parts: Uint8Array[] = [];
  let total = 0;
  for (let offset = 0; offset < numIovecs || (bounded && offset === 0); offset += IOVEC_CHUNK) {
    const count = Math.min(numIovecs - offset, IOVEC_CHUNK);
    const raw =
      count === 0
        ? new Uint8Array(0)
        : readElements(ctx, iovecs, ZX_CHANNEL_IOVEC_SIZE, offset, count);
    if (typeof raw === 'number') return raw;
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const chunk: [bigint, number][] = [];
    for (let i = 0; i < count; i++) {
      const at = i * ZX_CHANNEL_IOVEC_SIZE;
      const entry: [bigint, number] = [view.getBigUint64(at, true), view.getUint32(at + 8, true)];
      if (view.getUint32(at + 12, true) !== 0) return ZX_ERR_INVALID_ARGS;
      if (bounded) {
        chunk.push(entry);
        total += entry[1];
        continue;
      }
      total += entry[1];
      if (total > ZX_CHANNEL_MAX_MSG_BYTES) return ZX_ERR_OUT_OF_RANGE;
      const part = gather(ctx, entry);
      if (typeof part === 'number') return part;
      parts.push(part);
    }
    if (bounded) {
      if (total > ZX_CHANNEL_MAX_MSG_BYTES || numHandles > ZX_CHANNEL_MAX_MSG_HANDLES) {
        return ZX_ERR_OUT_OF_RANGE;
      }
      for (const entry of chunk) {
        const part = gather(ctx, entry);
        if (typeof part === 'number') return part;
        parts.push(part);
      }
    }
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return data;
}

/** The bytes one iovec points at (a user address, as every pointer inside a struct). */
function gather(ctx: SyscallContext, [buffer, capacity]: [bigint, number]): Uint8Array | number {
  if (capacity === 0) return new Uint8Array(0);
  const bytes = new Uint8Array(capacity);
  return ctx.user.load(buffer, bytes) === ZX_OK ? bytes : ZX_ERR_INVALID_ARGS;
}

/**
 * msg_put_handles: each listed handle leaves the table (kept, not closed, for the message),
 * then must have ZX_RIGHT_TRANSFER and not be the channel written to. A failed one is closed
 * at once; the first failure is the status, and then the message's handles are closed too.
 */
export function takeMessageHandles(
  ctx: SyscallContext,
  list: UserBuffer,
  count: number,
  channel: Dispatcher,
): Handle[] | number {
  const bytes = readElements(ctx, list, 4, 0, count);
  if (typeof bytes === 'number') return bytes;
  let status = ZX_OK;
  const taken: Handle[] = [];
  for (const value of handleValues(bytes, count)) {
    // A repeated value was taken the first time: the second lookup finds nothing. A taken
    // handle keeps its waits (they end when it is read or destroyed).
    const handle = ctx.process.handles.take(value);
    let error = ZX_OK;
    if (handle === undefined) error = ZX_ERR_BAD_HANDLE;
    else if ((handle.rights & ZX_RIGHT_TRANSFER) === 0) error = ZX_ERR_ACCESS_DENIED;
    else if (handle.object === channel) error = ZX_ERR_NOT_SUPPORTED;
    if (error === ZX_OK) taken.push(handle!);
    else {
      if (handle !== undefined) ctx.core.handleArena.destroy(handle);
      if (status === ZX_OK) status = error;
    }
  }
  if (status === ZX_OK) return taken;
  for (const handle of taken) ctx.core.handleArena.destroy(handle);
  return status;
}

/**
 * Copies message bytes out to `buffer` (of `sizeArg` bytes, the caller's size argument): host
 * memory shorter than that is ZX_ERR_NOT_FOUND (the contract); NULL or a faulting address is
 * ZX_ERR_INVALID_ARGS, the status of Zircon's failed copy.
 */
export function copyBytesOut(
  ctx: SyscallContext,
  buffer: UserBuffer,
  sizeArg: number,
  data: Uint8Array,
): number {
  if (isHostBytes(buffer)) {
    const dst = beginCopyOut(buffer, sizeArg);
    if (typeof dst === 'number') return dst;
    dst.set(data);
    return ZX_OK;
  }
  if (buffer === null) return ZX_ERR_INVALID_ARGS;
  const vaddr = u64(buffer);
  if (vaddr === undefined) return ZX_ERR_INVALID_ARGS;
  return ctx.user.store(vaddr, data) === ZX_OK ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

/**
 * msg_get_handles: the message's handles join the reader's table (their waits are cancelled as
 * they arrive) and their values are copied out to `list`. When the copy fails they are closed,
 * as the message that owned them would have closed them.
 */
export function installMessageHandles(
  ctx: SyscallContext,
  message: MessagePacket,
  list: UserBuffer,
  numHandles: number,
): number {
  const table = ctx.process.handles;
  const values: number[] = [];
  for (const handle of message.handles.splice(0)) {
    cancelWaitsThrough(handle);
    values.push(table.add(handle));
  }
  const status = copyBytesOut(ctx, list, numHandles * 4, encodeHandles(values));
  if (status !== ZX_OK) for (const value of values) table.remove(value);
  return status;
}

/** MessagePacket::Create for zx_channel_write and zx_channel_call: plain bytes or iovecs. */
export function buildMessageBytes(
  ctx: SyscallContext,
  options: number,
  bytes: UserBuffer,
  numBytes: number,
  numHandles: number,
): Uint8Array | number {
  return (options & ZX_CHANNEL_WRITE_USE_IOVEC) !== 0
    ? iovecMessage(ctx, bytes, numBytes, numHandles)
    : bytesMessage(ctx, bytes, numBytes, numHandles);
}

/**
 * Copies a message taken from a channel to the reader: its bytes, then its handles (moved into
 * the reader's table). A failed copy loses the message and closes its handles.
 */
export function deliverMessage(
  ctx: SyscallContext,
  message: MessagePacket,
  bytes: UserBuffer,
  numBytes: number,
  handles: UserBuffer,
  numHandles: number,
): number {
  if (message.data.length > 0) {
    const status = copyBytesOut(ctx, bytes, numBytes, message.data);
    if (status !== ZX_OK) {
      message.destroy();
      return status;
    }
  }
  if (message.handles.length > 0) return installMessageHandles(ctx, message, handles, numHandles);
  return ZX_OK;
}
