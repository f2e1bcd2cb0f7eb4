// kernel.inspect() for the VM side of a pager-backed VMO: what its page source holds (the
// pages supplied so far, the zero range a growth made, whether it was modified or detached)
// and its outstanding page requests with who waits on them. Callers stay opaque here (a thread
// or null for the host); the object layer (object/inspect-pagers.ts) names them by koid.
// Only reads: page lists are walked over the runs they hold.

import { ZX_PAGER_VMO_DIRTY } from '../abi/constants.ts';
import type { PageRequest, PageSource } from './page-source.ts';
import type { VmObject } from './vm-object.ts';
import { VmObjectPaged } from './vm-object-paged.ts';

/** One outstanding request: pages [startPage, endPage) of the VMO. */
export interface PageRequestVm {
  /** The request itself (the object layer asks its pager where its packet is). */
  request: PageRequest;
  command: 'READ' | 'DIRTY';
  startPage: number;
  endPage: number;
  /** The page its primary needs next (a supply of it wakes the primary early). */
  nextPage: number;
  /** Who made it (a thread, or null for the host), and whether it is parked on it now. */
  primary: unknown;
  primaryWaiting: boolean;
  /** Callers that joined it: the page each needs first. */
  overlaps: { first: number; caller: unknown }[];
}

export interface PageSourceVm {
  source: PageSource;
  detached: boolean;
  trapDirty: boolean;
  /** ZX_PAGER_VMO_STATS_MODIFIED as zx_pager_query_vmo_stats would report it now. */
  modified: boolean;
  /** The pager-state runs (dirty, awaiting clean, zero) as [start, end, tag] page triples. */
  stateRuns: [number, number, number][];
  /** Runs of pages present in the VMO (supplied, or written past a growth), by start. */
  present: { start: number; count: number }[];
  presentPages: number;
  requests: PageRequestVm[];
}

function requestVm(request: PageRequest): PageRequestVm {
  return {
    request,
    command: request.command === ZX_PAGER_VMO_DIRTY ? 'DIRTY' : 'READ',
    startPage: request.start,
    endPage: request.end,
    nextPage: request.offset,
    primary: request.primary,
    primaryWaiting: request.primaryWake !== null,
    // (The overlaps getter makes the map: a request nobody joined has none to read.)
    overlaps: request.hasOverlaps
      ? [...request.overlaps.values()].map(({ first, caller }) => ({ first, caller }))
      : [],
  };
}

/** What the page source behind `vmo` holds, or null when no pager backs it. */
export function inspectPageSource(vmo: VmObject): PageSourceVm | null {
  if (!(vmo instanceof VmObjectPaged) || vmo.cow.source === null) return null;
  const node = vmo.cow;
  const source = node.source!;
  const present: { start: number; count: number }[] = [];
  let presentPages = 0;
  node.pages.forEachRun(0, node.sizePages, (from, to) => {
    present.push({ start: from, count: to - from });
    presentPages += to - from;
  });
  return {
    source,
    detached: source.detached,
    trapDirty: source.trapDirty,
    modified: source.modified,
    stateRuns: source.runs.runsIn(0, node.sizePages),
    present,
    presentPages,
    requests: source.outstanding.map(requestVm),
  };
}
