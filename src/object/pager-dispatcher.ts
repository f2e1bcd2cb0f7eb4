// PagerDispatcher and its proxies (Zircon's PagerDispatcher and PagerProxy): the kernel object
// behind a pager handle. Each VMO it creates gets a proxy that turns the VMO's page requests
// into packets on the pager's port under the VMO's key. As upstream's proxy does, it keeps at
// most one packet of its VMO in the port: the next request is queued once the pager has taken
// the previous packet, and a request answered while its packet still waits is withdrawn.

import { ZX_OBJ_TYPE_PAGER, ZX_PAGER_VMO_COMPLETE } from '../abi/constants.ts';
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

export class PagerProxy implements PageProvider {
  readonly pagerKoid: number;
  private readonly port: PortDispatcher;
  private readonly key: bigint;
  /** The key as the packet bytes hold it. */
  private readonly keyBytes: Uint8Array;
  /** Sent, not yet in the port (the port holds one packet of this proxy at a time). */
  private readonly pending: Outgoing[] = [];
  /** What the packet in the port is, with the packet itself. */
  private inPort: { what: Outgoing; packet: PortPacket } | null = null;
  source: PageSource | null = null;

  constructor(pagerKoid: number, port: PortDispatcher, key: bigint) {
    this.pagerKoid = pagerKoid;
    this.port = port;
    this.key = key;
    this.keyBytes = packetKeyBytes(key);
  }

  send(request: PageRequest): void {
    this.pending.push(request);
    this.flush();
  }

  withdraw(request: PageRequest): void {
    const i = this.pending.indexOf(request);
    if (i >= 0) this.pending.splice(i, 1);
    if (this.inPort?.what === request) {
      this.port.withdraw(this.inPort.packet);
      this.inPort = null;
      this.flush();
    }
  }

  complete(): void {
    this.pending.push('complete');
    this.flush();
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
      const [offset, length] = [what.start * PAGE_SIZE, (what.end - what.start) * PAGE_SIZE];
      encodePageRequestPacket(bytes, this.keyBytes, what.command, offset, length);
    }
    const packet: PortPacket = {
      bytes,
      key: this.key,
      handle: null,
      user: false,
      onTaken: () => {
        if (this.inPort?.packet !== packet) return;
        this.inPort = null;
        this.flush();
      },
    };
    this.inPort = { what, packet };
    this.port.queueKernel(packet);
  }

  /** The pager is gone: nothing more is sent, and what waits in the port is taken back. */
  close(): void {
    this.pending.length = 0;
    if (this.inPort !== null) this.port.withdraw(this.inPort.packet);
    this.inPort = null;
  }
}

export class PagerDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_PAGER;
  private readonly proxies = new Set<PagerProxy>();

  constructor(koid: Koid) {
    super(koid);
  }

  /** A source for a new VMO, its requests going to `port` under `key`. */
  createSource(port: PortDispatcher, key: bigint, trapDirty: boolean, slot: PageWaitSlot) {
    const proxy = new PagerProxy(this.koid, port, key);
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
