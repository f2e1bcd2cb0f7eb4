// kernel.inspect() for pagers: each pager object reached by a handle, the VMOs it backs with
// the port and key their requests go to, what each VMO's page source holds (vm/inspect-pager.ts)
// and its outstanding page requests: where their packets are and which threads wait on them.

import { ZX_OBJ_TYPE_PAGER } from '../abi/constants.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import { AWAITING_CLEAN, DIRTY, readsZero } from '../vm/dirty-ranges.ts';
import { inspectPageSource, type PageRequestVm } from '../vm/inspect-pager.ts';
import type { VmObject } from '../vm/vm-object.ts';
import type { Handle } from './handle.ts';
import type { PagerDispatcher, PagerProxy } from './pager-dispatcher.ts';
import { ThreadDispatcher } from './thread-dispatcher.ts';

/** One outstanding page request. Offsets and lengths are decimal bytes. */
export interface PageRequestSnapshot {
  command: 'READ' | 'DIRTY';
  offset: string;
  length: string;
  /** The offset its primary needs next: a supply there wakes the primary early. */
  nextOffset: string;
  /** Its packet: `queued` behind another of the VMO's, `in_port`, or `taken` by the pager. */
  packet: 'queued' | 'in_port' | 'taken';
  /** The thread that made it, by koid; null when the host did (the host never waits). */
  primaryThreadKoid: number | null;
  /** Threads parked on it now (its primary while it waits, then those that joined it). */
  waitingThreadKoids: number[];
  /** Callers that joined it (Zircon's overlap requests): the thread, and the offset it needs. */
  overlaps: { threadKoid: number | null; offset: string }[];
}

/** A VMO a pager backs. */
export interface PagerVmoSnapshot {
  vmoKoid: number;
  /** The port its requests go to, and the key they carry (decimal). */
  portKoid: number;
  key: string;
  /** zx_pager_detach_vmo ran, or the VMO or its pager went: no more requests. */
  detached: boolean;
  /** Created with ZX_VMO_TRAP_DIRTY. */
  trapDirty: boolean;
  /** ZX_PAGER_VMO_STATS_MODIFIED as zx_pager_query_vmo_stats would report it now. */
  modified: boolean;
  /**
   * The pages with a pager state, as runs of page indices: `dirty` (written since the pager
   * cleaned them), `awaiting-clean` (between WRITEBACK_BEGIN and END), each with `zero` when no
   * page is held and they read as zero; `zero` alone: read as zero without asking the pager and
   * not dirty (past the stream size, or supplied as zero).
   */
  states: { start: number; count: number; state: string }[];
  /** Pages present (supplied, or zero pages of a growth), as runs of page indices. */
  supplied: { start: number; count: number }[];
  suppliedPages: number;
  requests: PageRequestSnapshot[];
}

export interface PagerSnapshot {
  koid: number;
  /** Handles to it, in any table or message. */
  handles: number;
  /** The VMOs it backs that are alive, by koid. */
  vmos: PagerVmoSnapshot[];
}

function threadKoid(caller: unknown): number | null {
  return caller instanceof ThreadDispatcher ? caller.koid : null;
}

function stateName(tag: number): string {
  const dirty =
    (tag & AWAITING_CLEAN) !== 0 ? 'awaiting-clean' : (tag & DIRTY) !== 0 ? 'dirty' : '';
  const zero = readsZero(tag) ? 'zero' : '';
  return dirty !== '' && zero !== '' ? `${dirty} zero` : dirty || zero;
}

function bytes(page: number): string {
  return (BigInt(page) * BigInt(PAGE_SIZE)).toString();
}

function requestSnapshot(proxy: PagerProxy, request: PageRequestVm) {
  const overlaps = request.overlaps.map(({ first, caller }) => ({
    threadKoid: threadKoid(caller),
    offset: bytes(first),
  }));
  const primary = threadKoid(request.primary);
  const waiting = overlaps.flatMap((o) => (o.threadKoid === null ? [] : [o.threadKoid]));
  if (request.primaryWaiting && primary !== null) waiting.unshift(primary);
  return {
    command: request.command,
    offset: bytes(request.startPage),
    length: bytes(request.endPage - request.startPage),
    nextOffset: bytes(request.nextPage),
    packet: proxy.packetOf(request.request),
    primaryThreadKoid: primary,
    waitingThreadKoids: waiting,
    overlaps,
  } satisfies PageRequestSnapshot;
}

function vmoSnapshot(proxy: PagerProxy, vmo: VmObject): PagerVmoSnapshot | null {
  const source = inspectPageSource(vmo);
  if (source === null || source.source !== proxy.source) return null;
  return {
    vmoKoid: proxy.vmoKoid,
    portKoid: proxy.port.koid,
    key: proxy.key.toString(),
    detached: source.detached,
    trapDirty: source.trapDirty,
    modified: source.modified,
    states: source.stateRuns.map(([start, end, tag]) => ({
      start,
      count: end - start,
      state: stateName(tag),
    })),
    supplied: source.present,
    suppliedPages: source.presentPages,
    requests: source.requests.map((r) => requestSnapshot(proxy, r)),
  };
}

/** Every pager a handle reaches, by koid, with the VMOs of `vmos` (alive) it backs. */
export function inspectPagers(handles: readonly Handle[], vmos: readonly VmObject[]) {
  const byKoid = new Map(vmos.map((vmo) => [vmo.userId, vmo]));
  const pagers = new Map<PagerDispatcher, number>();
  for (const { object } of handles) {
    if (object.type !== ZX_OBJ_TYPE_PAGER) continue;
    const pager = object as PagerDispatcher;
    pagers.set(pager, (pagers.get(pager) ?? 0) + 1);
  }
  return [...pagers]
    .sort(([a], [b]) => a.koid - b.koid)
    .map(([pager, count]): PagerSnapshot => {
      const served: PagerVmoSnapshot[] = [];
      for (const proxy of pager.served) {
        const vmo = byKoid.get(proxy.vmoKoid);
        const snapshot = vmo === undefined ? null : vmoSnapshot(proxy, vmo);
        if (snapshot !== null) served.push(snapshot);
      }
      served.sort((a, b) => a.vmoKoid - b.vmoKoid);
      return { koid: pager.koid, handles: count, vmos: served };
    });
}
