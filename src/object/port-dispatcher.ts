// Ports (Zircon's PortDispatcher and PortObserver): a queue of 48-byte packets, filled by
// zx_port_queue and by the signal observers zx_object_wait_async registers on other objects,
// drained first in, first out by zx_port_wait. A waiting thread is handed the next packet as
// it arrives, waiters served in the order they came.

import {
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PKT_TYPE_SIGNAL_ONE,
  ZX_WAIT_ASYNC_BOOT_TIMESTAMP,
  ZX_WAIT_ASYNC_TIMESTAMP,
} from '../abi/constants.ts';
import { encodeZxPortPacket, ZX_PORT_PACKET_SIZE } from '../abi/structs-ipc.ts';
import { Fifo } from '../util/fifo.ts';
import { Dispatcher, type SignalObserver } from './dispatcher.ts';
import type { Handle } from './handle.ts';
import type { Timers } from './timers.ts';
import type { Koid } from './types.ts';

/**
 * Zircon's kMaxAllocatedPacketCountPerPort: a zx_port_queue finding more user packets than
 * this queued fails with ZX_ERR_SHOULD_WAIT (Zircon also raises a policy exception).
 */
export const MAX_USER_PACKETS = 4096;

export interface PortPacket {
  /** The packet as zx_port_wait copies it out (zx_port_packet_t). */
  readonly bytes: Uint8Array;
  /** Its key (the first 8 bytes); for user packets read only when a cancel asks. */
  readonly key: bigint | null;
  /** The handle a signal packet's wait was registered through; null for user packets. */
  readonly handle: Handle | null;
  /** Queued by zx_port_queue: counts against MAX_USER_PACKETS. */
  readonly user: boolean;
  /** Told when a waiter takes the packet (a pager's proxy then sends its next request). */
  readonly onTaken?: () => void;
}

function packetKey(packet: PortPacket): bigint {
  return (
    packet.key ??
    new DataView(packet.bytes.buffer, packet.bytes.byteOffset, 8).getBigUint64(0, true)
  );
}

/** A thread parked in zx_port_wait. */
export interface PortWaiter {
  deliver(packet: PortPacket): void;
}

/** One zx_object_wait_async: fires once, queuing a signal packet. */
export class PortObserver implements SignalObserver {
  readonly watched: number;
  readonly handle: Handle;
  readonly key: bigint;
  readonly options: number;
  readonly port: PortDispatcher;

  constructor(port: PortDispatcher, handle: Handle, key: bigint, signals: number, options: number) {
    this.port = port;
    this.handle = handle;
    this.key = key;
    this.watched = signals;
    this.options = options;
  }

  /** The object watched. */
  get object(): Dispatcher {
    return this.handle.object;
  }

  onSignals(signals: number): void {
    this.port.queueSignal(this, signals);
  }

  onCancel(): void {
    this.port.forget(this);
  }

  matchesKey(port: unknown, key: bigint): boolean {
    return port === this.port && key === this.key;
  }
}

export class PortDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_PORT;
  readonly options: number;
  private readonly timers: Timers;
  private readonly packets = new Fifo<PortPacket>();
  private userPackets = 0;
  private readonly waits = new Set<PortObserver>();
  private readonly waiters = new Fifo<PortWaiter>();
  private zeroHandles = false;

  constructor(koid: Koid, options: number, timers: Timers) {
    super(koid);
    this.options = options;
    this.timers = timers;
  }

  get queued(): number {
    return this.packets.length;
  }

  /** zx_port_queue (type forced to ZX_PKT_TYPE_USER); false when the port is full. */
  queueUser(packet: Uint8Array): boolean {
    if (this.userPackets > MAX_USER_PACKETS) return false;
    const bytes = packet.slice(0, ZX_PORT_PACKET_SIZE);
    bytes.fill(0, 8, 12); // type = ZX_PKT_TYPE_USER (0), little-endian
    this.userPackets++;
    this.push({ bytes, key: null, handle: null, user: true });
    return true;
  }

  /** zx_object_wait_async: registers the observer (the caller adds it to the object). */
  makeObserver(handle: Handle, key: bigint, signals: number, options: number): PortObserver {
    const observer = new PortObserver(this, handle, key, signals, options);
    this.waits.add(observer);
    return observer;
  }

  /** A wait matched: its packet joins the queue and the wait is over. */
  queueSignal(observer: PortObserver, observed: number): void {
    if (!this.waits.delete(observer) || this.zeroHandles) return;
    let timestamp = 0n;
    if ((observer.options & (ZX_WAIT_ASYNC_TIMESTAMP | ZX_WAIT_ASYNC_BOOT_TIMESTAMP)) !== 0) {
      // zxvm's boot clock is its monotonic clock: nothing ever suspends.
      timestamp = this.timers.now;
    }
    const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
    encodeZxPortPacket(new DataView(bytes.buffer), 0, {
      key: observer.key,
      type: ZX_PKT_TYPE_SIGNAL_ONE,
      status: ZX_OK,
      // count used to be the number of pending messages; Zircon now always says 1.
      signal: { trigger: observer.watched, observed, count: 1n, timestamp, reserved1: 0n },
    });
    this.push({ bytes, key: observer.key, handle: observer.handle, user: false });
  }

  /** The observer's wait was cancelled through its object (its handle was closed). */
  forget(observer: PortObserver): void {
    this.waits.delete(observer);
  }

  /** The oldest packet, taken out of the queue. */
  dequeue(): PortPacket | undefined {
    const packet = this.packets.shift();
    if (packet?.user) this.userPackets--;
    packet?.onTaken?.();
    return packet;
  }

  /** A kernel packet (a page request): queued unless the port has no handles left. */
  queueKernel(packet: PortPacket): void {
    if (!this.zeroHandles) this.push(packet);
  }

  /** Takes a queued kernel packet back; false when it already left the queue. */
  withdraw(packet: PortPacket): boolean {
    return this.packets.removeWhere((p) => p === packet).length > 0;
  }

  addWaiter(waiter: PortWaiter): void {
    this.waiters.push(waiter);
  }

  removeWaiter(waiter: PortWaiter): void {
    this.waiters.removeWhere((w) => w === waiter);
  }

  /** zx_port_cancel's queue half: drops packets of `key` (and of `handle` unless null). */
  cancelQueued(handle: Handle | null, key: bigint): boolean {
    const removed = this.packets.removeWhere(
      (p) => (handle === null || p.handle === handle) && packetKey(p) === key,
    );
    for (const packet of removed) if (packet.user) this.userPackets--;
    return removed.length > 0;
  }

  /** zx_port_cancel_key: every wait and queued packet under `key`. */
  cancelKey(key: bigint): boolean {
    const cancelled = [...this.waits].filter((o) => o.key === key);
    for (const observer of cancelled) {
      this.waits.delete(observer);
      observer.object.removeObserver(observer);
    }
    const removed = this.cancelQueued(null, key);
    return cancelled.length > 0 || removed;
  }

  /**
   * The last handle is gone: queued packets are freed and every outstanding wait leaves its
   * object. Threads already parked in zx_port_wait stay parked, as in Zircon (nothing posts).
   */
  override onZeroHandles(): void {
    this.zeroHandles = true;
    this.packets.drain();
    this.userPackets = 0;
    for (const observer of this.waits) observer.object.removeObserver(observer);
    this.waits.clear();
  }

  private push(packet: PortPacket): void {
    this.packets.push(packet);
    // Hand packets to parked threads, oldest waiter first.
    while (this.waiters.length > 0 && this.packets.length > 0) {
      const waiter = this.waiters.shift()!;
      waiter.deliver(this.dequeue()!);
    }
  }
}
