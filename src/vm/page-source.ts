// PageSource: where a pager-backed VMO's missing pages come from (Zircon's PageSource and the
// page requests of page_source.cc). The root node of such a VMO holds only what the pager
// supplied; an empty slot is a page nobody has supplied yet, and an operation that needs it
// asks the pager and waits. The pager is reached through a PageProvider (the user pager's
// proxy in object/), which turns requests into port packets.
//
// Requests follow upstream's batching: one READ request covers the run of missing pages from
// the first one the operation needs to the next present page (or the end of the operation's
// range). A request that starts inside an outstanding one joins it (no new packet); one that
// would run into an outstanding one is cut where that one begins. An operation that must wait
// records its wait in the kernel's page-wait slot and returns ZX_ERR_SHOULD_WAIT; the syscall
// layer parks the calling thread there and runs the operation again when woken, as Zircon
// loops after PageRequest::Wait.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_SHOULD_WAIT,
  ZX_OK,
  ZX_PAGER_VMO_READ,
  ZX_THREAD_STATE_BLOCKED_PAGER,
} from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import type { BlockerSlot, Wake } from '../util/blocker.ts';
import type { VmCowPages } from './cow-pages.ts';
import { EMPTY, type VmPageList } from './page-list.ts';

/** One request to the pager: pages [start, end) of the root, and the threads waiting on it. */
export class PageRequest {
  readonly command: number;
  readonly start: number;
  readonly end: number;
  /** Wakes of the threads parked on this request; each is used once. */
  readonly waiters = new Set<Wake>();

  constructor(command: number, start: number, end: number) {
    this.command = command;
    this.start = start;
    this.end = end;
  }
}

/** The pager's side of a source (Zircon's PagerProxy): it delivers requests as packets. */
export interface PageProvider {
  /** The koid of the pager that made the VMO (zx_pager_* check it). */
  readonly pagerKoid: number;
  /** A new request: its packet goes to the pager's port. */
  send(request: PageRequest): void;
  /** A request was answered or abandoned: its packet leaves the port if still queued. */
  withdraw(request: PageRequest): void;
  /** The VMO is detached or gone: a COMPLETE packet follows the requests still queued. */
  complete(): void;
}

export class PageSource {
  readonly provider: PageProvider;
  /** Where an operation that must wait leaves its wait (the kernel's; see park.ts). */
  private readonly slot: BlockerSlot;
  readonly trapDirty: boolean;
  /** Detached (zx_pager_detach_vmo, the VMO closed) or closed with its pager. */
  detached = false;
  /** Outstanding READ requests, sorted by start, never overlapping. */
  private readonly requests: PageRequest[] = [];

  constructor(provider: PageProvider, slot: BlockerSlot, trapDirty: boolean) {
    this.provider = provider;
    this.slot = slot;
    this.trapDirty = trapDirty;
  }

  get outstanding(): readonly PageRequest[] {
    return this.requests;
  }

  /**
   * Pages [start, end) of `pages` must all be present: ZX_OK when they are. Otherwise a READ
   * request is sent (or an outstanding one joined) and ZX_ERR_SHOULD_WAIT returned, the wait in
   * the slot; ZX_ERR_BAD_STATE once detached.
   */
  require(pages: VmPageList, start: number, end: number): number {
    let first = start;
    while (first < end && pages.get(first) !== EMPTY) first++;
    if (first === end) return ZX_OK;
    if (this.detached) return ZX_ERR_BAD_STATE;
    const joined = this.requests.find((r) => r.start <= first && first < r.end);
    if (joined !== undefined) return this.waitOn(joined);
    let last = first + 1;
    while (last < end && pages.get(last) === EMPTY) last++;
    // Stop where an outstanding request begins: that part is already asked for.
    for (const r of this.requests) if (r.start > first && r.start < last) last = r.start;
    const request = new PageRequest(ZX_PAGER_VMO_READ, first, last);
    const at = this.requests.findIndex((r) => r.start > first);
    this.requests.splice(at < 0 ? this.requests.length : at, 0, request);
    this.provider.send(request);
    return this.waitOn(request);
  }

  private waitOn(request: PageRequest): number {
    this.slot.blocker = {
      state: ZX_THREAD_STATE_BLOCKED_PAGER,
      arm: (wake) => {
        request.waiters.add(wake);
        return () => request.waiters.delete(wake);
      },
    };
    return ZX_ERR_SHOULD_WAIT;
  }

  /**
   * Pages [start, end) were supplied. Requests now fully present are done (their packets
   * withdrawn); waiters on every request the supply touched run their operation again, so a
   * waiter whose pages arrived goes on early and the others wait again without a new packet.
   */
  supplied(pages: VmPageList, start: number, end: number): void {
    for (const request of [...this.requests]) {
      if (request.end <= start || request.start >= end) continue;
      let missing = false;
      for (let p = request.start; p < request.end && !missing; p++) {
        missing = pages.get(p) === EMPTY;
      }
      if (!missing) this.finish(request);
      wakeAll(request, undefined);
    }
  }

  /**
   * zx_pager_op_range FAIL on [start, end): every request whose next needed page lies in the
   * range ends, its waiters' operations failing with `status`.
   */
  failed(pages: VmPageList, start: number, end: number, status: number): void {
    for (const request of [...this.requests]) {
      let next = request.start;
      while (next < request.end && pages.get(next) !== EMPTY) next++;
      if (next < start || next >= end) continue;
      this.finish(request);
      wakeAll(request, () => status);
    }
  }

  /** The VMO shrank to `sizePages`: requests past it end, and their waiters look again. */
  shrunk(sizePages: number): void {
    for (const request of [...this.requests]) {
      if (request.end <= sizePages) continue;
      this.finish(request);
      wakeAll(request, undefined);
    }
  }

  /**
   * No more pages will come: waiters fail with ZX_ERR_BAD_STATE and queued packets are
   * withdrawn. `complete` sends COMPLETE (a detach, the VMO gone); a closed pager sends none.
   */
  detach(complete: boolean): void {
    if (this.detached) return;
    this.detached = true;
    for (const request of [...this.requests]) {
      this.finish(request);
      wakeAll(request, () => ZX_ERR_BAD_STATE);
    }
    if (complete) this.provider.complete();
  }

  private finish(request: PageRequest): void {
    const i = this.requests.indexOf(request);
    assert(i >= 0, 'finishing a request that is not outstanding');
    this.requests.splice(i, 1);
    this.provider.withdraw(request);
  }
}

function wakeAll(request: PageRequest, finish: (() => number) | undefined): void {
  const waiters = [...request.waiters];
  request.waiters.clear();
  for (const wake of waiters) wake(finish);
}

/** Pages [start, end) of `node` present, or the wait for them (ZX_OK without a pager). */
export function awaitPages(node: VmCowPages, start: number, end: number): number {
  return node.source === null ? ZX_OK : node.source.require(node.pages, start, end);
}
