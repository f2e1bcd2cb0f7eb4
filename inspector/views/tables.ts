/// <reference lib="dom" />
// The inspector's tables, redrawn at each step: each VMO's attribution as ZX_INFO_VMO reports
// it, the processes' handle tables, address spaces with mappings and page-table runs, and
// physical memory as ZX_INFO_KMEM_STATS reports it.

import type { KernelSnapshot, MappingSnapshot, VmarSnapshot } from '../../src/index.ts';

const FRACTION_ONE = 1n << 63n;

export function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A table with a caption, a header row and rows of text (numbers right-aligned). */
export function table(
  id: string,
  caption: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): HTMLTableElement {
  const t = element('table', { id });
  t.append(element('caption', {}, caption));
  const head = t.createTHead().insertRow();
  for (const h of header) head.append(element('th', { scope: 'col' }, h));
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((cell, i) => {
      const td = tr.insertCell();
      td.textContent = cell;
      if (numeric.includes(i)) td.className = 'num';
    });
  }
  return t;
}

function hex(decimal: string | number | bigint): string {
  return `0x${BigInt(decimal).toString(16)}`;
}

/** Scaled bytes with their 63-bit fraction, to two decimals. */
export function scaledBytes(integral: string, fraction: string): string {
  const hundredths = (BigInt(fraction) * 100n) / FRACTION_ONE;
  return hundredths === 0n ? integral : `${integral}.${hundredths.toString().padStart(2, '0')}`;
}

/** The rows of the attribution table (also what the browser test compares). */
export function attributionRows(snapshot: KernelSnapshot): string[][] {
  return snapshot.vmos.map((vmo) => [
    String(vmo.koid),
    vmo.name,
    vmo.childType ?? vmo.kind,
    vmo.info.size_bytes,
    vmo.info.committed_bytes,
    vmo.info.committed_private_bytes,
    scaledBytes(vmo.info.committed_scaled_bytes, vmo.info.committed_fractional_scaled_bytes),
    vmo.info.num_children,
    vmo.parentKoid === null ? '–' : String(vmo.parentKoid),
    `#${vmo.node}`,
  ]);
}

export function attributionTable(snapshot: KernelSnapshot): HTMLElement {
  if (snapshot.vmos.length === 0) return element('p', { id: 'attribution' }, 'No VMO.');
  return table(
    'attribution',
    'Bytes as ZX_INFO_VMO reports them: committed counts every page the VMO sees, private the ones it alone sees, scaled its share of each.',
    [
      'koid',
      'name',
      'type',
      'size',
      'committed',
      'private',
      'scaled',
      'children',
      'parent',
      'node',
    ],
    attributionRows(snapshot),
    [0, 3, 4, 5, 6, 7],
  );
}

export function handlesTable(snapshot: KernelSnapshot): HTMLElement {
  const rows = snapshot.processes.flatMap((p) =>
    p.handles.map((h) => [
      `${p.koid} ${p.name}`,
      hex(h.value),
      h.type.replace('ZX_OBJ_TYPE_', '').toLowerCase(),
      String(h.koid),
      h.rights.replaceAll('ZX_RIGHT_', ''),
    ]),
  );
  return table(
    'handles',
    'Every handle of every process.',
    ['process', 'value', 'type', 'koid', 'rights'],
    rows,
    [3],
  );
}

function mappingsOf(vmar: VmarSnapshot): MappingSnapshot[] {
  return vmar.children.flatMap((c) => (c.kind === 'mapping' ? [c] : mappingsOf(c)));
}

export function aspaceView(snapshot: KernelSnapshot): HTMLElement {
  const box = element('div', { id: 'aspaces' });
  for (const p of snapshot.processes) {
    if (p.addressSpace === null) continue;
    const root = p.addressSpace.root;
    const end = BigInt(root.base) + BigInt(root.size);
    box.append(
      element(
        'p',
        { class: 'aspace-title' },
        `Process ${p.koid} “${p.name}” (${p.state}): root VMAR ${hex(root.base)}–${hex(end)}, ${p.addressSpace.pageTableEntries} page-table entries`,
      ),
    );
    const mappings = mappingsOf(root);
    if (mappings.length === 0) {
      box.append(element('p', { class: 'muted' }, 'Nothing mapped.'));
      continue;
    }
    const rows = mappings.map((m) => {
      const to = BigInt(m.base) + BigInt(m.size);
      const ptes =
        m.ptes.length === 0
          ? 'none yet'
          : m.ptes
              .map((pte) => {
                const target = pte.zeroPage
                  ? 'zero page'
                  : pte.pages === 1
                    ? `frame ${pte.frame}`
                    : `frames ${pte.frame}–${pte.frame + pte.pages - 1}`;
                const perms = pte.perms.replaceAll('ZX_VM_PERM_', '').replaceAll(' | ', '+');
                return `${hex(pte.vaddr)} ×${pte.pages} → ${target} ${perms}`;
              })
              .join('; ');
      return [
        `${hex(m.base)}–${hex(to)}`,
        `VMO ${m.vmoKoid}`,
        hex(m.vmoOffset),
        m.protections.map((r) => r.perms.replaceAll('ZX_VM_PERM_', '')).join(' / '),
        ptes,
      ];
    });
    box.append(
      table(
        `mappings-${p.koid}`,
        'Mappings and their page-table entries (runs of pages mapping consecutive frames alike).',
        ['range', 'VMO', 'offset', 'permissions', 'page-table entries'],
        rows,
      ),
    );
  }
  return box;
}

function kib(bytes: string): string {
  return `${(Number(BigInt(bytes)) / 1024).toLocaleString('en-US')} KiB`;
}

export function memoryView(snapshot: KernelSnapshot): HTMLElement {
  const m = snapshot.memory;
  const k = m.kmem;
  const box = element('div', { id: 'memory' });
  const total = m.totalFrames;
  const parts: [string, number, string][] = [
    ['VMOs', m.usedFrames.vmo, 'mem-vmo'],
    ['wired', m.usedFrames.wired, 'mem-wired'],
    ['other', m.usedFrames.other + m.usedFrames.mmu, 'mem-other'],
    ['free', m.freeFrames, 'mem-free'],
  ];
  const bar = element('div', {
    class: 'membar',
    role: 'img',
    'aria-label': `${m.usedFrames.vmo} of ${total} frames hold VMO pages, ${m.freeFrames} are free`,
  });
  for (const [name, frames, cls] of parts) {
    if (frames === 0) continue;
    const span = element('span', { class: cls, title: `${name}: ${frames} frames` });
    // Used memory is tiny next to gigabytes free: at least a sliver, so it shows.
    span.style.flexGrow = String(Math.max(frames / total, frames > 0 ? 0.004 : 0));
    bar.append(span);
  }
  box.append(bar);
  box.append(
    table(
      'kmem',
      'ZX_INFO_KMEM_STATS, and the frames behind it.',
      [
        'total',
        'free',
        'VMOs',
        'wired',
        'discardable locked',
        'discardable unlocked',
        'frames in VMOs',
        'frames touched',
      ],
      [
        [
          kib(k.total_bytes),
          kib(k.free_bytes),
          kib(k.vmo_bytes),
          kib(k.wired_bytes),
          kib(k.vmo_discardable_locked_bytes),
          kib(k.vmo_discardable_unlocked_bytes),
          String(m.usedFrames.vmo),
          String(m.touchedFrames),
        ],
      ],
      [0, 1, 2, 3, 4, 5, 6, 7],
    ),
  );
  return box;
}
