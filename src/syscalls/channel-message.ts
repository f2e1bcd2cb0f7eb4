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
import { hex } from '../util/reason.ts';
import { u64 } from './args.ts';
import { fail, lacksRights, noHandle, type SyscallContext } from './context.ts';
import { beginCopyOut, copyIn, type UserBuffer } from './user.ts';

const NULL_LIST = 'the buffer is NULL';

function notPointer(value: unknown): string {
  return `the buffer (${String(value)}) is neither host bytes nor a virtual address`;
}

function overLimit(name: string, value: number, limit: number): string {
  return `${name} (${value}) is more than ${limit}`;
}

function reservedBits(index: number, value: number): string {
  return `iovec ${index} has reserved bits (${hex(value)})`;
}

function unreadableIovec(address: bigint, capacity: number): string {
  return `an iovec points at ${capacity} bytes at ${hex(address)}, not readable memory of this process`;
}

function cannotStore(vaddr: bigint, length: number): string {
  return `${length} bytes cannot be written at ${hex(vaddr)}: not writable memory of this process`;
}

function listedHandle(status: number, index: number, value: number, rights: number): string {
  const name = `handles[${index}]`;
  if (status === ZX_ERR_BAD_HANDLE) return `${noHandle(name, value)} (or is listed twice)`;
  if (status === ZX_ERR_ACCESS_DENIED) return lacksRights(name, rights, ZX_RIGHT_TRANSFER);
  return `${name} is the channel written to`;
}

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
  if (buffer === null) return fail(ctx, ZX_ERR_INVALID_ARGS, NULL_LIST);
  const base = u64(buffer);
  if (base === undefined) return fail(ctx, ZX_ERR_INVALID_ARGS, notPointer, buffer);
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
  // Its own failures decide nothing: the reason of the status the call returns stays.
  const reason = ctx.reason;
  for (let offset = 0; offset < count; offset += ZX_CHANNEL_MAX_MSG_HANDLES) {
    const chunk = Math.min(count - offset, ZX_CHANNEL_MAX_MSG_HANDLES);
    const bytes = readElements(ctx, handles, 4, offset, chunk);
    if (typeof bytes === 'number') break;
    for (const value of handleValues(bytes, chunk)) ctx.process.handles.remove(value);
  }
  ctx.reason = reason;
}

/** MessagePacket::Create from plain bytes: the limits, then a copy of the bytes. */
export function bytesMessage(
  ctx: SyscallContext,
  bytes: UserBuffer,
  numBytes: number,
  numHandles: number,
): Uint8Array | number {
  if (numBytes > ZX_CHANNEL_MAX_MSG_BYTES) {
    return fail(
      ctx,
      ZX_ERR_OUT_OF_RANGE,
      overLimit,
      'num_bytes',
      numBytes,
      ZX_CHANNEL_MAX_MSG_BYTES,
    );
  }
  if (numHandles > ZX_CHANNEL_MAX_MSG_HANDLES) return tooManyHandles(ctx, numHandles);
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
  if (numIovecs > ZX_CHANNEL_MAX_MSG_IOVEC) {
    const limit = ZX_CHANNEL_MAX_MSG_IOVEC;
    return fail(ctx, ZX_ERR_OUT_OF_RANGE, overLimit, 'the number of iovecs', numIovecs, limit);
  }
  const bounded = numIovecs <= IOVEC_CHUNK;
  if (!bounded && numHandles > ZX_CHANNEL_MAX_MSG_HANDLES) return tooManyHandles(ctx, numHandles);
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
      const reserved = view.getUint32(at + 12, true);
      if (reserved !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, reservedBits, offset + i, reserved);
      if (bounded) {
        chunk.push(entry);
        total += entry[1];
        continue;
      }
      total += entry[1];
      if (total > ZX_CHANNEL_MAX_MSG_BYTES) return tooManyBytes(ctx, total);
      const part = gather(ctx, entry);
      if (typeof part === 'number') return part;
      parts.push(part);
    }
    if (bounded) {
      if (total > ZX_CHANNEL_MAX_MSG_BYTES) return tooManyBytes(ctx, total);
      if (numHandles > ZX_CHANNEL_MAX_MSG_HANDLES) return tooManyHandles(ctx, numHandles);
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
  if (ctx.user.load(buffer, bytes) === ZX_OK) return bytes;
  return fail(ctx, ZX_ERR_INVALID_ARGS, unreadableIovec, buffer, capacity);
}

function tooManyBytes(ctx: SyscallContext, total: number): number {
  const limit = ZX_CHANNEL_MAX_MSG_BYTES;
  return fail(ctx, ZX_ERR_OUT_OF_RANGE, overLimit, "the iovecs' bytes", total, limit);
}

function tooManyHandles(ctx: SyscallContext, numHandles: number): number {
  const limit = ZX_CHANNEL_MAX_MSG_HANDLES;
  return fail(ctx, ZX_ERR_OUT_OF_RANGE, overLimit, 'num_handles', numHandles, limit);
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
  const values = handleValues(bytes, count);
  for (let index = 0; index < count; index++) {
    const value = values[index]!;
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
      if (status === ZX_OK) {
        status = fail(ctx, error, listedHandle, error, index, value, handle?.rights ?? 0);
      }
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
  if (buffer === null) return fail(ctx, ZX_ERR_INVALID_ARGS, NULL_LIST);
  const vaddr = u64(buffer);
  if (vaddr === undefined) return fail(ctx, ZX_ERR_INVALID_ARGS, notPointer, buffer);
  if (ctx.user.store(vaddr, data) === ZX_OK) return ZX_OK;
  return fail(ctx, ZX_ERR_INVALID_ARGS, cannotStore, vaddr, data.length);
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
