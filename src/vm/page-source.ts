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
import type { BlockedCall, Blocker, BlockerSlot, WakeResult } from '../util/blocker.ts';
import { because } from '../util/reason.ts';
import { awaitAncestorPages } from './cow-pager-tree.ts';
import type { VmCowPages } from './cow-pages.ts';
import { DIRTY, PageRuns, readsZero, ZERO } from './dirty-ranges.ts';
import type { VmPageList } from './page-list.ts';
import { awaitDirty, awaitZeroCommit } from './pager-dirty.ts';
import { EvictionHints } from './pager-eviction.ts';

const MISSING_DETACHED =
  'pages of the range were never supplied and the VMO is detached from its pager';

/** A thread waiting on a request it joined (Zircon's overlap requests). */
interface OverlapWaiter {
  /** The page it needs first. */
  readonly first: number;
  /** Who waits (a thread, or null for the host), for kernel.inspect(). */
  readonly caller: unknown;
  /** Set when a FAIL hit that page: the status it gets once the request completes. */
  failStatus: number | null;
}

/**
 * One request to the pager: pages [start, end) of the root. The caller that made it is its
 * primary: a supply of its next needed page (`offset`) wakes it early, and it goes on waiting
 * on the same request. Callers that need a page inside it join as overlaps and wake when it
 * completes, that is when the pager has answered (supplied or failed) every page of it.
 */
export class PageRequest {
  readonly command: number;
  readonly start: number;
  readonly end: number;
  /** The primary's next needed page. */
  offset: number;
  /** Who made it (a thread, or null for the host), and its wake while it waits. */
  readonly primary: unknown;
  primaryWake: BlockedCall | null = null;
  /** The callers that joined it (made when the first joins: most requests have none). */
  private joined: Map<BlockedCall, OverlapWaiter> | null = null;
  /** Answered page ranges, sorted and merged: [start, end) pairs. */
  private readonly answered: number[] = [];

  constructor(command: number, start: number, end: number, primary: unknown) {
    this.command = command;
    this.start = start;
    this.end = end;
    this.offset = start;
    this.primary = primary;
  }

  /** The callers that joined the request, by their parked call. */
  get overlaps(): Map<BlockedCall, OverlapWaiter> {
    this.joined ??= new Map();
    return this.joined;
  }

  get hasOverlaps(): boolean {
    return this.joined !== null && this.joined.size > 0;
  }

  /** Marks [from, to) answered; true when every page of the request is. */
  answer(from: number, to: number): boolean {
    const a = Math.max(from, this.start);
    const b = Math.min(to, this.end);
    const answered = this.answered;
    if (a < b) {
      // Ranges that touch or overlap [a, b) merge into it; the rest keep their order.
      let i = 0;
      while (i < answered.length && answered[i + 1]! < a) i += 2;
      let j = i;
      let lo = a;
      let hi = b;
      while (j < answered.length && answered[j]! <= hi) {
        lo = Math.min(lo, answered[j]!);
        hi = Math.max(hi, answered[j + 1]!);
        j += 2;
      }
      // (Array.prototype.splice makes an array of what it removes: avoided when it can be.)
      if (j === i && i === answered.length) answered.push(lo, hi);
      else if (j - i === 2) {
        answered[i] = lo;
        answered[i + 1] = hi;
      } else answered.splice(i, j - i, lo, hi);
    }
    return answered.length === 2 && answered[0] === this.start && answered[1] === this.end;
  }
}

/** The kernel's page-wait slot: the wait an operation left, and who is calling. */
export interface PageWaitSlot extends BlockerSlot {
  /** The thread whose call is running (null for the host): tells a primary from an overlap. */
  caller: unknown;
  /**
   * The running call is a thread's, run again after it waited (Zircon's loop after
   * PageRequest::Wait): an operation whose range a shrink overtook may trim it.
   */
  resumed: boolean;
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
  private readonly slot: PageWaitSlot;
  readonly trapDirty: boolean;
  /** Detached (zx_pager_detach_vmo, the VMO closed) or closed with its pager. */
  detached = false;
  /**
   * Dirty, awaiting-clean and zero pages as runs (dirty-ranges.ts): pages past a growth or
   * zeroed read as zero without asking the pager, and writes make pages dirty until the pager
   * writes them back (pager-dirty.ts).
   */
  readonly runs = new PageRuns();
  /**
   * ZX_PAGER_VMO_STATS_MODIFIED: set by writes, ZERO, resizes and stream-size changes since
   * zx_pager_query_vmo_stats last reset it; not by reads or commits.
   */
  modified = false;
  /** The eviction hints of the VMO's pages, and its place in the eviction order. */
  readonly hints = new EvictionHints();
  /** Outstanding READ requests, sorted by start, never overlapping. */
  private readonly requests: PageRequest[] = [];
  /** Outstanding DIRTY requests, the same way. */
  private readonly dirtyRequests: PageRequest[] = [];

  constructor(provider: PageProvider, slot: PageWaitSlot, trapDirty: boolean) {
    this.provider = provider;
    this.slot = slot;
    this.trapDirty = trapDirty;
  }

  /**
   * Outstanding requests, READ and DIRTY, by first page (a READ before a DIRTY at the same page).
   * Requests of one command never overlap; a DIRTY one may lie inside a READ one whose pages
   * came in part.
   */
  get outstanding(): readonly PageRequest[] {
    if (this.dirtyRequests.length === 0) return this.requests;
    return [...this.requests, ...this.dirtyRequests].sort((a, b) => a.start - b.start);
  }

  /**
   * The first page of [start, end) the pager must supply (no entry, and not a zero range), or
   * `end`. Costs the entries and runs in the range.
   */
  firstMissing(pages: VmPageList, start: number, end: number): number {
    // Without runs (nothing dirty, zero or untracked), the first page without an entry.
    if (this.runs.runCount === 0) return pages.firstEmpty(start, end);
    let found = end;
    this.runs.forEachPiece(start, end, (from, to, tag) => {
      if (found < end || readsZero(tag)) return;
      const empty = pages.firstEmpty(from, to);
      if (empty < to) found = empty;
    });
    return found;
  }

  /** Where the run of missing pages from `first` (missing) ends, at most `end`. */
  private missingEnd(pages: VmPageList, first: number, end: number): number {
    let last = pages.firstEntry(first, end);
    if (this.runs.runCount === 0) return last;
    this.runs.forEachPiece(first, last, (from, _to, tag) => {
      if (readsZero(tag) && from < last) last = from;
    });
    return last;
  }

  /**
   * Pages [start, end) of `pages` must all be present: ZX_OK when they are. Otherwise a READ
   * request is sent (or an outstanding one joined) and ZX_ERR_SHOULD_WAIT returned, the wait in
   * the slot; ZX_ERR_BAD_STATE once detached.
   */
  require(pages: VmPageList, start: number, end: number): number {
    const first = this.firstMissing(pages, start, end);
    if (first >= end) return ZX_OK;
    if (this.detached) return because(ZX_ERR_BAD_STATE, MISSING_DETACHED);
    return this.ask(ZX_PAGER_VMO_READ, first, this.missingEnd(pages, first, end));
  }

  /**
   * Asks the pager for pages [first, last) with `command` (READ or DIRTY) and returns the wait:
   * a request that starts inside an outstanding one joins it; a new one stops where an
   * outstanding one begins.
   */
  ask(command: number, first: number, last: number): number {
    const list = command === ZX_PAGER_VMO_READ ? this.requests : this.dirtyRequests;
    const caller = this.slot.caller;
    const joined = list.find((r) => r.start <= first && first < r.end);
    if (joined !== undefined) {
      if (caller !== null && joined.primary === caller) {
        // The primary goes on after an early wake: same request, no new packet.
        joined.offset = Math.max(joined.offset, first);
        return this.waitAsPrimary(joined);
      }
      return this.waitAsOverlap(joined, first);
    }
    let end = last;
    // Stop where an outstanding request begins: that part is already asked for.
    for (const r of list) if (r.start > first && r.start < end) end = r.start;
    const request = new PageRequest(command, first, end, caller);
    const at = list.findIndex((r) => r.start > first);
    if (at < 0) list.push(request);
    else list.splice(at, 0, request);
    this.provider.send(request);
    return this.waitAsPrimary(request);
  }

  private waitAsPrimary(request: PageRequest): number {
    this.slot.blocker = new PrimaryWait(request);
    return ZX_ERR_SHOULD_WAIT;
  }

  private waitAsOverlap(request: PageRequest, first: number): number {
    this.slot.blocker = new OverlapWait(request, first, this.slot.caller);
    return ZX_ERR_SHOULD_WAIT;
  }

  /**
   * Pages [start, end) were supplied. A request now answered in full completes (its packet
   * withdrawn if still queued); one whose next needed page arrived wakes its primary early.
   */
  supplied(start: number, end: number): void {
    this.answered(this.requests, start, end);
  }

  /** Pages [start, end) were dirtied (ZX_PAGER_OP_DIRTY): DIRTY requests answered as supplied. */
  dirtied(start: number, end: number): void {
    this.answered(this.dirtyRequests, start, end);
  }

  private answered(list: PageRequest[], start: number, end: number): void {
    // In order of start; a completed request leaves the list (nothing else changes it here).
    for (let i = 0; i < list.length; ) {
      const request = list[i]!;
      if (request.start >= end) break;
      if (request.end > start) {
        if (request.answer(start, end)) this.complete(request);
        else if (request.offset >= start && request.offset < end) wakePrimary(request, undefined);
      }
      if (list[i] === request) i++;
    }
  }

  /** DIRTY requests touching [start, end) end without an answer: their callers look again. */
  retryDirty(start: number, end: number): void {
    for (const request of [...this.dirtyRequests]) {
      if (request.end > start && request.start < end) this.complete(request);
    }
  }

  /**
   * zx_pager_op_range FAIL on [start, end). A request whose next needed page is in the range
   * fails: every waiter's operation returns `status`. Otherwise the failed pages count as
   * answered, and overlaps that needed one of them fail once the request completes.
   */
  failed(start: number, end: number, status: number): void {
    for (const request of [...this.requests, ...this.dirtyRequests]) {
      if (request.end <= start || request.start >= end) continue;
      if (request.offset >= start && request.offset < end) {
        this.finish(request);
        wakePrimary(request, status);
        for (const call of takeOverlaps(request).keys()) call.wake(status);
        continue;
      }
      if (request.hasOverlaps) {
        for (const waiter of request.overlaps.values()) {
          if (waiter.first >= start && waiter.first < end) waiter.failStatus ??= status;
        }
      }
      if (request.answer(start, end)) this.complete(request);
    }
  }

  /** Whether the running call is a thread's, run again after a wait (see PageWaitSlot). */
  get resumed(): boolean {
    return this.slot.resumed;
  }

  /**
   * The VMO went from `oldPages` to `newPages`. A growth is a dirty zero range (it reads as
   * zero, not as the pager's data). A shrink forgets the runs past the new end, and the pages
   * it cut count as supplied and dirtied (VmCowPages::ResizeLocked): a request answered in full
   * so completes and its waiters look again; one still waiting for a page below the new end
   * goes on (Pager.ResizeCommitTest).
   */
  resized(oldPages: number, newPages: number): void {
    this.modified = true;
    if (newPages > oldPages) {
      this.runs.set(oldPages, newPages, DIRTY | ZERO);
      return;
    }
    this.runs.truncate(newPages);
    this.answered(this.requests, newPages, oldPages);
    this.answered(this.dirtyRequests, newPages, oldPages);
  }

  /**
   * No more pages will come: waiters fail with ZX_ERR_BAD_STATE and queued packets are
   * withdrawn. `complete` sends COMPLETE (a detach, the VMO gone); a closed pager sends none.
   */
  detach(complete: boolean): void {
    if (this.detached) return;
    this.detached = true;
    this.hints.detached();
    for (const request of [...this.requests, ...this.dirtyRequests]) {
      this.finish(request);
      wakePrimary(request, ZX_ERR_BAD_STATE);
      for (const call of takeOverlaps(request).keys()) call.wake(ZX_ERR_BAD_STATE);
    }
    if (complete) this.provider.complete();
  }

  /** Every page answered: the primary and the overlaps look again, or fail as marked. */
  private complete(request: PageRequest): void {
    this.finish(request);
    wakePrimary(request, undefined);
    if (!request.hasOverlaps) return;
    for (const [call, waiter] of takeOverlaps(request)) {
      call.wake(waiter.failStatus ?? undefined);
    }
  }

  private finish(request: PageRequest): void {
    const list = request.command === ZX_PAGER_VMO_READ ? this.requests : this.dirtyRequests;
    const i = list.indexOf(request);
    assert(i >= 0, 'finishing a request that is not outstanding');
    if (i === list.length - 1) list.pop();
    else list.splice(i, 1);
    this.provider.withdraw(request);
  }
}

/** The wait of a request's primary: a supply of its next needed page wakes it. */
class PrimaryWait implements Blocker {
  readonly state = ZX_THREAD_STATE_BLOCKED_PAGER;
  private readonly request: PageRequest;

  constructor(request: PageRequest) {
    this.request = request;
  }

  arm(call: BlockedCall): void {
    this.request.primaryWake = call;
  }

  disarm(call: BlockedCall): void {
    if (this.request.primaryWake === call) this.request.primaryWake = null;
  }
}

/** The wait of a caller that joined a request: it wakes when the request completes. */
class OverlapWait implements Blocker {
  readonly state = ZX_THREAD_STATE_BLOCKED_PAGER;
  private readonly request: PageRequest;
  private readonly first: number;
  private readonly caller: unknown;

  constructor(request: PageRequest, first: number, caller: unknown) {
    this.request = request;
    this.first = first;
    this.caller = caller;
  }

  arm(call: BlockedCall): void {
    this.request.overlaps.set(call, { first: this.first, caller: this.caller, failStatus: null });
  }

  disarm(call: BlockedCall): void {
    this.request.overlaps.delete(call);
  }
}

function wakePrimary(request: PageRequest, result: WakeResult): void {
  const call = request.primaryWake;
  request.primaryWake = null;
  call?.wake(result);
}

function takeOverlaps(request: PageRequest): Map<BlockedCall, OverlapWaiter> {
  if (!request.hasOverlaps) return new Map();
  const taken = new Map(request.overlaps);
  request.overlaps.clear();
  return taken;
}

/**
 * Pages [start, end) of `node` present, or the wait for them (ZX_OK without a pager). When the
 * caller is about to `write` them, they must be dirty first (pager-dirty.ts).
 */
export function awaitPages(node: VmCowPages, start: number, end: number, write = false): number {
  const source = node.source;
  // A child under a pager asks for the root's pages it sees (cow-pager-tree.ts).
  if (source === null) return node.pagerTree ? awaitAncestorPages(node, start, end) : ZX_OK;
  if (write) return awaitDirty(node, source, start, end);
  return source.require(node.pages, start, end);
}

/**
 * awaitPages for a read or a write of the pages (zx_vmo_read, zx_vmo_write, a page fault): once
 * they are present, a pager-backed root's are the newest in the eviction order.
 */
export function accessPages(node: VmCowPages, start: number, end: number, write = false): number {
  const status = awaitPages(node, start, end, write);
  if (status === ZX_OK) node.source?.hints.accessed(start, end);
  return status;
}

/**
 * Pages [start, end) of `node` present and ready to be committed (COMMIT, pin), or the wait for
 * them: as awaitPages for a read, and a pager-backed root's zero ranges among them need dirtying
 * first (pager-dirty.ts).
 */
export function awaitCommitPages(node: VmCowPages, start: number, end: number): number {
  const source = node.source;
  if (source === null) return awaitPages(node, start, end);
  return awaitZeroCommit(node, source, start, end);
}
