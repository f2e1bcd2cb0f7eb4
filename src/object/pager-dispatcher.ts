// PagerDispatcher and its proxies (Zircon's PagerDispatcher and PagerProxy): the kernel object
// behind a pager handle. Each VMO it creates gets a proxy that turns the VMO's page requests
// into packets on the pager's port under the VMO's key. As upstream's proxy does, it keeps at
// most one packet of its VMO in the port: the next request is queued once the pager has taken
// the previous packet, and a request answered while its packet still waits is withdrawn.

import { ZX_OBJ_TYPE_PAGER, ZX_OK, ZX_PAGER_VMO_COMPLETE } from '../abi/constants.ts';
import {
  encodePageRequestPacket,
  packetKeyBytes,
  ZX_PORT_PACKET_SIZE,
} from '../abi/structs-ipc.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import {
  type PageProvider,
  type PageRequest,
  PageSource,
  type PageWaitSlot,
} from '../vm/page-source.ts';
import { Dispatcher } from './dispatcher.ts';
import type { PortDispatcher, PortPacket } from './port-dispatcher.ts';
import type { Koid } from './types.ts';

/** What a proxy has to send: a request, or the final COMPLETE. */
type Outgoing = PageRequest | 'complete';

/**
 * What happened to a pager's requests, for a tracer: `sent` (a request, or the final
 * COMPLETE, went to the pager), `supplied` and `failed` (the pager answered a range with
 * zx_pager_supply_pages or zx_pager_op_range FAIL; `status` is the failure), `detached`
 * (zx_pager_detach_vmo), and `completed` (a request left the pager: every page of it was
 * answered, or it ended with a failure, a detach, a shrink or the VMO's end).
 */
export type PageRequestAction = 'sent' | 'supplied' | 'failed' | 'detached' | 'completed';

export interface PageRequestRecord {
  readonly action: PageRequestAction;
  /** ZX_PAGER_VMO_READ, ZX_PAGER_VMO_DIRTY or ZX_PAGER_VMO_COMPLETE; null for an answer. */
  readonly command: number | null;
  readonly pagerKoid: number;
  readonly vmoKoid: number;
  /** The range in bytes (a request's, or the answer's). */
  readonly offset: bigint;
  readonly length: bigint;
  /** The status a FAIL gave; null otherwise. */
  readonly status: number | null;
}

/** Where the kernel's tracer, when there is one, hears of page requests (KernelCore.pagerTrace). */
export interface PagerTrace {
  observer: ((record: PageRequestRecord) => void) | null;
}

/** A page request's packet (or COMPLETE's) in the port: its proxy hears when it is taken. */
class RequestPacket implements PortPacket {
  readonly bytes: Uint8Array;
  readonly key: bigint;
  readonly handle = null;
  readonly user = false;
  /** The request it carries, or COMPLETE. */
  readonly what: Outgoing;
  private readonly proxy: PagerProxy;

  constructor(bytes: Uint8Array, proxy: PagerProxy, what: Outgoing) {
    this.bytes = bytes;
    this.key = proxy.key;
    this.proxy = proxy;
    this.what = what;
  }

  onTaken(): void {
    this.proxy.taken(this);
  }
}

export class PagerProxy implements PageProvider {
  readonly pagerKoid: number;
  /** The koid of the VMO this proxy serves. */
  readonly vmoKoid: number;
  /** The port and key its requests go to. */
  readonly port: PortDispatcher;
  readonly key: bigint;
  private readonly trace: PagerTrace;
  /** Completions held back while an answer runs, to be told after it (see `answering`). */
  private held: PageRequestRecord[] | null = null;
  /** The key as the packet bytes hold it. */
  private readonly keyBytes: Uint8Array;
  /** Sent, not yet in the port (the port holds one packet of this proxy at a time). */
  private readonly pending: Outgoing[] = [];
  /** The packet of this proxy in the port (it says what it is). */
  private inPort: RequestPacket | null = null;
  source: PageSource | null = null;

  constructor(
    pagerKoid: number,
    vmoKoid: number,
    port: PortDispatcher,
    key: bigint,
    trace: PagerTrace,
  ) {
    this.pagerKoid = pagerKoid;
    this.vmoKoid = vmoKoid;
    this.port = port;
    this.key = key;
    this.keyBytes = packetKeyBytes(key);
    this.trace = trace;
  }

  /** Tells the tracer, if any, of `action` on pages [start, end). */
  private tell(action: PageRequestAction, command: number | null, start: number, end: number) {
    if (this.trace.observer === null) return;
    const record: PageRequestRecord = {
      action,
      command,
      pagerKoid: this.pagerKoid,
      vmoKoid: this.vmoKoid,
      offset: BigInt(start) * BigInt(PAGE_SIZE),
      length: BigInt(end - start) * BigInt(PAGE_SIZE),
      status: null,
    };
    if (this.held !== null) this.held.push(record);
    else this.trace.observer(record);
  }

  /**
   * An answer (a supply, a FAIL, a detach) begins: the requests it completes are told after it
   * (`answered`), as it happened first. Called only while a tracer listens.
   */
  answering(): void {
    this.held = [];
  }

  /** The answer begun by `answering` returned `result`: told when ZX_OK, then what it completed. */
  answered(
    action: 'supplied' | 'failed' | 'detached',
    offset: bigint,
    length: bigint,
    status: number | null,
    result: number,
  ): void {
    const held = this.held ?? [];
    this.held = null;
    const observer = this.trace.observer;
    if (observer === null) return;
    if (result === ZX_OK) {
      const { pagerKoid, vmoKoid } = this;
      observer({ action, command: null, pagerKoid, vmoKoid, offset, length, status });
    }
    for (const record of held) observer(record);
  }

  send(request: PageRequest): void {
    this.tell('sent', request.command, request.start, request.end);
    this.pending.push(request);
    this.flush();
  }

  withdraw(request: PageRequest): void {
    this.tell('completed', request.command, request.start, request.end);
    const i = this.pending.indexOf(request);
    if (i >= 0) this.pending.splice(i, 1);
    if (this.inPort?.what === request) {
      this.port.withdraw(this.inPort);
      this.inPort = null;
      this.flush();
    }
  }

  complete(): void {
    this.tell('sent', ZX_PAGER_VMO_COMPLETE, 0, 0);
    this.pending.push('complete');
    this.flush();
  }

  /**
   * Where the packet of `request` is (for kernel.inspect()): `queued` behind the packet this
   * proxy has in the port, `in_port` waiting there, or `taken` by the pager.
   */
  packetOf(request: PageRequest): 'queued' | 'in_port' | 'taken' {
    if (this.pending.includes(request)) return 'queued';
    return this.inPort?.what === request ? 'in_port' : 'taken';
  }

  /** Queues the next packet when the port holds none of this proxy's. */
  private flush(): void {
    if (this.inPort !== null) return;
    const what = this.pending.shift();
    if (what === undefined) return;
    const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
    if (what === 'complete') {
      encodePageRequestPacket(bytes, this.keyBytes, ZX_PAGER_VMO_COMPLETE, 0, 0);
    } else {
      // Page indices stay below 2^52, so byte offsets are exact doubles.
      const offset = what.start * PAGE_SIZE;
      const length = (what.end - what.start) * PAGE_SIZE;
      encodePageRequestPacket(bytes, this.keyBytes, what.command, offset, length);
    }
    const packet = new RequestPacket(bytes, this, what);
    this.inPort = packet;
    this.port.queueKernel(packet);
  }

  /** The pager took `packet` from the port: the next one may go. */
  taken(packet: PortPacket): void {
    if (this.inPort !== packet) return;
    this.inPort = null;
    this.flush();
  }

  /** The pager is gone: nothing more is sent, and what waits in the port is taken back. */
  close(): void {
    this.pending.length = 0;
    if (this.inPort !== null) this.port.withdraw(this.inPort);
    this.inPort = null;
  }
}

export class PagerDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_PAGER;
  private readonly proxies = new Set<PagerProxy>();
  private readonly trace: PagerTrace;

  constructor(koid: Koid, trace: PagerTrace) {
    super(koid);
    this.trace = trace;
  }

  /** The proxies of the VMOs it serves (one each), for kernel.inspect(). */
  get served(): ReadonlySet<PagerProxy> {
    return this.proxies;
  }

  /** A source for the new VMO `vmoKoid`, its requests going to `port` under `key`. */
  createSource(
    port: PortDispatcher,
    key: bigint,
    trapDirty: boolean,
    slot: PageWaitSlot,
    vmoKoid: number,
  ) {
    const proxy = new PagerProxy(this.koid, vmoKoid, port, key, this.trace);
    const source = new PageSource(proxy, slot, trapDirty);
    proxy.source = source;
    this.proxies.add(proxy);
    return source;
  }

  /**
   * The last handle is gone: every VMO's waiters fail with BAD_STATE and its packets leave the
   * port; the pages supplied stay readable.
   */
  override onZeroHandles(): void {
    for (const proxy of this.proxies) {
      proxy.close();
      proxy.source?.detach(false);
    }
    this.proxies.clear();
  }
}
