// Channels (Zircon's ChannelDispatcher and MessagePacket): two endpoints, each holding the
// messages written to its peer, first in, first out. A message owns the handles it carries
// (in no table; their waits stay registered until the message is read or destroyed).
// zx_channel_call parks a caller on its endpoint under a kernel-made txid; a reply carrying
// that txid goes straight to the caller instead of the queue.

import {
  ZX_CHANNEL_PEER_CLOSED,
  ZX_CHANNEL_READABLE,
  ZX_CHANNEL_WRITABLE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_CANCELED,
  ZX_ERR_PEER_CLOSED,
  ZX_ERR_SHOULD_WAIT,
  ZX_OBJ_TYPE_CHANNEL,
  ZX_OK,
} from '../abi/constants.ts';
import { Fifo } from '../util/fifo.ts';
import { Dispatcher } from './dispatcher.ts';
import type { Handle, HandleArena } from './handle.ts';
import type { Koid } from './types.ts';

/** Txids from here up are the kernel's (zx_channel_call); below are user space's. */
export const MIN_KERNEL_TXID = 0x8000_0000;

export class MessagePacket {
  readonly data: Uint8Array;
  /** The handles carried: in no table, each keeping its arena slot until read or destroyed. */
  readonly handles: Handle[];
  private readonly arena: HandleArena;

  constructor(data: Uint8Array, handles: Handle[], arena: HandleArena) {
    this.data = data;
    this.handles = handles;
    this.arena = arena;
  }

  /** The first four bytes, little-endian: the transaction id (0 for shorter messages). */
  get txid(): number {
    if (this.data.length < 4) return 0;
    return new DataView(this.data.buffer, this.data.byteOffset, 4).getUint32(0, true);
  }

  set txid(value: number) {
    new DataView(this.data.buffer, this.data.byteOffset, 4).setUint32(0, value >>> 0, true);
  }

  /** The message is gone unread: the handles it carried are closed. */
  destroy(): void {
    for (const handle of this.handles.splice(0)) this.arena.destroy(handle);
  }
}

/** A thread in zx_channel_call, waiting on its endpoint for the reply with its txid. */
export interface MessageWaiter {
  readonly txid: number;
  /** The reply arrived (the waiter has been removed). */
  deliver(reply: MessagePacket): void;
  /** The wait is over without a reply: CANCELED or PEER_CLOSED (the waiter has been removed). */
  cancel(status: number): void;
}

/** What ChannelDispatcher.read found. */
export interface ReadResult {
  status: number;
  /** The message taken from the queue (ZX_OK, or BUFFER_TOO_SMALL with MAY_DISCARD). */
  message: MessagePacket | null;
  /** The first message's byte and handle counts (ZX_OK and BUFFER_TOO_SMALL). */
  bytes: number;
  handles: number;
}

export class ChannelDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_CHANNEL;
  /** The other endpoint, until either one's last handle goes. */
  peer: ChannelDispatcher | null = null;
  private peerKoid = 0 as Koid;
  private readonly messages = new Fifo<MessagePacket>();
  private readonly callers: MessageWaiter[] = [];
  private peerClosed = false;
  private txidCounter = 0;

  private constructor(koid: Koid) {
    super(koid, ZX_CHANNEL_WRITABLE);
  }

  /** A new pair of endpoints, each the other's peer. */
  static createPair(koid0: Koid, koid1: Koid): [ChannelDispatcher, ChannelDispatcher] {
    const a = new ChannelDispatcher(koid0);
    const b = new ChannelDispatcher(koid1);
    a.peer = b;
    b.peer = a;
    a.peerKoid = koid1;
    b.peerKoid = koid0;
    return [a, b];
  }

  /** ZX_INFO_HANDLE_BASIC related_koid: the peer's koid, even after it closed. */
  override get relatedKoid(): Koid {
    return this.peerKoid;
  }

  get queued(): number {
    return this.messages.length;
  }

  /** zx_channel_write's last step: the message goes to the peer (PEER_CLOSED destroys it). */
  write(message: MessagePacket): number {
    const peer = this.peer;
    if (peer === null) {
      message.destroy();
      return ZX_ERR_PEER_CLOSED;
    }
    if (!peer.deliverToCaller(message)) peer.enqueue(message);
    return ZX_OK;
  }

  /**
   * zx_channel_call's write: stamps a fresh kernel txid (one no caller on this endpoint is
   * waiting for) and sends the message. Returns the txid, or ZX_ERR_PEER_CLOSED.
   */
  writeCall(message: MessagePacket): number {
    const peer = this.peer;
    if (peer === null) {
      message.destroy();
      return ZX_ERR_PEER_CLOSED;
    }
    let txid: number;
    do {
      this.txidCounter = (this.txidCounter + 1) >>> 0;
      txid = (this.txidCounter | MIN_KERNEL_TXID) >>> 0;
    } while (this.callers.some((c) => c.txid === txid));
    message.txid = txid;
    peer.enqueue(message);
    return txid;
  }

  /**
   * zx_channel_read's first step. An empty queue is SHOULD_WAIT, or PEER_CLOSED once the
   * peer is gone; a message larger than allowed stays queued (BUFFER_TOO_SMALL), unless
   * `mayDiscard`, in which case it is taken (for the caller to destroy).
   */
  read(maxBytes: number, maxHandles: number, mayDiscard: boolean): ReadResult {
    const first = this.messages.peek();
    if (first === undefined) {
      const status = this.peerClosed ? ZX_ERR_PEER_CLOSED : ZX_ERR_SHOULD_WAIT;
      return { status, message: null, bytes: 0, handles: 0 };
    }
    const bytes = first.data.length;
    const handles = first.handles.length;
    const tooSmall = bytes > maxBytes || handles > maxHandles;
    if (tooSmall && !mayDiscard) {
      return { status: ZX_ERR_BUFFER_TOO_SMALL, message: null, bytes, handles };
    }
    this.messages.shift();
    if (this.messages.length === 0) this.updateSignals(ZX_CHANNEL_READABLE, 0);
    return { status: tooSmall ? ZX_ERR_BUFFER_TOO_SMALL : ZX_OK, message: first, bytes, handles };
  }

  addCaller(waiter: MessageWaiter): void {
    this.callers.push(waiter);
  }

  removeCaller(waiter: MessageWaiter): void {
    const at = this.callers.indexOf(waiter);
    if (at >= 0) this.callers.splice(at, 1);
  }

  /**
   * The last handle to this endpoint is gone: its callers end with CANCELED, the peer learns
   * it is alone, and the messages queued here are destroyed with the handles they carry.
   */
  override onZeroHandles(): void {
    this.cancelCallers(ZX_ERR_CANCELED);
    const peer = this.peer;
    this.peer = null;
    if (peer !== null) {
      peer.peer = null;
      peer.peerClosed = true;
      peer.updateSignals(ZX_CHANNEL_WRITABLE, ZX_CHANNEL_PEER_CLOSED);
      peer.cancelCallers(ZX_ERR_PEER_CLOSED);
    }
    for (const message of this.messages.drain()) message.destroy();
  }

  /** Hands a reply to the caller waiting for its txid; false when none is. */
  private deliverToCaller(message: MessagePacket): boolean {
    if (this.callers.length === 0) return false;
    const txid = message.txid;
    if (txid < MIN_KERNEL_TXID) return false;
    const at = this.callers.findIndex((c) => c.txid === txid);
    if (at < 0) return false;
    const [caller] = this.callers.splice(at, 1);
    caller!.deliver(message);
    return true;
  }

  private enqueue(message: MessagePacket): void {
    this.messages.push(message);
    this.updateSignals(0, ZX_CHANNEL_READABLE);
  }

  private cancelCallers(status: number): void {
    for (const caller of this.callers.splice(0)) caller.cancel(status);
  }
}
