/// <reference lib="dom" />
// The inspector's pager view: each pager with the VMOs it backs (port, key, pages supplied as
// a strip, state) and their outstanding page requests (range, where the packet is, the threads
// that wait). `pagerRows` and `requestRows` are the text the tables show (and tests compare).

import type { KernelSnapshot, PagerVmoSnapshot } from '../../src/index.ts';
import { element, table } from './tables.ts';

function hex(decimal: string): string {
  return `0x${BigInt(decimal).toString(16)}`;
}

function state(vmo: PagerVmoSnapshot): string {
  const parts = [vmo.detached ? 'detached' : 'attached'];
  if (vmo.modified) parts.push('modified');
  if (vmo.trapDirty) parts.push('TRAP_DIRTY');
  for (const r of vmo.states) {
    parts.push(`${r.state} ${r.count === 1 ? r.start : `${r.start}-${r.start + r.count - 1}`}`);
  }
  return parts.join(', ');
}

/** One row per VMO a pager backs: pager, VMO, port, key, pages supplied, requests, state. */
export function pagerRows(snapshot: KernelSnapshot): string[][] {
  return snapshot.pagers.flatMap((pager) =>
    pager.vmos.map((vmo) => {
      const size = snapshot.vmos.find((v) => v.koid === vmo.vmoKoid)?.sizePages ?? 0;
      return [
        String(pager.koid),
        String(vmo.vmoKoid),
        String(vmo.portKoid),
        vmo.key,
        `${vmo.suppliedPages} of ${size}`,
        String(vmo.requests.length),
        state(vmo),
      ];
    }),
  );
}

/** One row per outstanding request: VMO, command, range, next needed, packet, threads. */
export function requestRows(snapshot: KernelSnapshot): string[][] {
  return snapshot.pagers.flatMap((pager) =>
    pager.vmos.flatMap((vmo) =>
      vmo.requests.map((r) => [
        String(vmo.vmoKoid),
        r.command,
        `[${hex(r.offset)}, +${hex(r.length)})`,
        hex(r.nextOffset),
        r.packet,
        r.primaryThreadKoid === null ? 'host' : `thread ${r.primaryThreadKoid}`,
        r.waitingThreadKoids.map((k) => `thread ${k}`).join(', ') || 'none',
      ]),
    ),
  );
}

/** A strip of the VMO's pages: supplied ones filled, requested ones marked. */
function strip(vmo: PagerVmoSnapshot, sizePages: number): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const pages = Math.min(sizePages, 256);
  const width = Math.max(2, Math.min(24, Math.floor(512 / Math.max(pages, 1))));
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', String(pages * width + 2));
  svg.setAttribute('height', '18');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `VMO ${vmo.vmoKoid}: ${vmo.suppliedPages} pages supplied`);
  const rect = (x: number, w: number, cls: string) => {
    const r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', String(1 + x * width));
    r.setAttribute('y', '1');
    r.setAttribute('width', String(Math.max(1, w * width)));
    r.setAttribute('height', '16');
    r.setAttribute('class', cls);
    svg.append(r);
  };
  rect(0, pages, 'run-empty');
  for (const run of vmo.supplied) {
    if (run.start < pages) rect(run.start, Math.min(run.count, pages - run.start), 'run-frame');
  }
  for (const r of vmo.requests) {
    const start = Number(BigInt(r.offset) / 4096n);
    const count = Number(BigInt(r.length) / 4096n);
    if (start < pages) rect(start, Math.min(count, pages - start), 'run-requested');
  }
  return svg;
}

/** The pager view of a snapshot. */
export function pagersView(snapshot: KernelSnapshot): HTMLElement {
  const view = element('div', { id: 'pagers' });
  if (snapshot.pagers.length === 0) {
    view.append(element('p', {}, 'No pager: pager-backed VMOs appear here.'));
    return view;
  }
  view.append(
    table(
      'pager-vmos',
      'Each VMO a pager backs: where its requests go, and how many of its pages were supplied',
      ['pager', 'VMO', 'port', 'key', 'supplied', 'requests', 'state'],
      pagerRows(snapshot),
      [0, 1, 2],
    ),
  );
  for (const pager of snapshot.pagers) {
    for (const vmo of pager.vmos) {
      const size = snapshot.vmos.find((v) => v.koid === vmo.vmoKoid)?.sizePages ?? 0;
      const figure = element('figure', { class: 'pager-strip' });
      figure.append(strip(vmo, size));
      figure.append(
        element(
          'figcaption',
          {},
          `VMO ${vmo.vmoKoid}: supplied pages filled, requested ones outlined in red`,
        ),
      );
      view.append(figure);
    }
  }
  view.append(
    table(
      'page-requests',
      'Outstanding page requests, the threads waiting on them',
      ['VMO', 'command', 'range', 'next needed', 'packet', 'made by', 'waiting'],
      requestRows(snapshot),
      [0],
    ),
  );
  return view;
}
