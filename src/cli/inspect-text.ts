// A kernel.inspect() snapshot as text for `zxvm inspect`: the jobs and processes with their
// handle tables, the copy-on-write trees with hidden nodes and page runs, the attribution table
// (ZX_INFO_VMO), the address spaces with mappings and page-table runs, the pagers with their
// page requests, and physical memory.
// Colour comes from the output's style, so pipes get plain text.

import type {
  CowNodeSnapshot,
  KernelSnapshot,
  MappingSnapshot,
  PageRun,
  VmarSnapshot,
  VmoSnapshot,
} from '../inspect.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import type { Style } from './style.ts';

/** Runs shown per node and page-table runs per mapping before "... n more". */
export const RUN_LIMIT = 12;

const FRACTION_ONE = 1n << 63n;

function hex(decimal: string | number | bigint): string {
  return `0x${BigInt(decimal).toString(16)}`;
}

/** Flag names without their common prefix: `READ | WRITE`. */
function short(names: string, prefix: string): string {
  return names.replaceAll(prefix, '');
}

function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** Bytes in KiB with two decimals when not whole. */
function kib(bytes: string | bigint): string {
  const b = BigInt(bytes);
  const whole = b / 1024n;
  const rest = b % 1024n;
  if (rest === 0n) return `${whole.toLocaleString('en-US')} KiB`;
  return `${(Number(b) / 1024).toFixed(2)} KiB`;
}

/** Scaled bytes: the integral part and the 63-bit fraction, to two decimals. */
export function scaled(integral: string, fraction: string): string {
  const hundredths = (BigInt(fraction) * 100n) / FRACTION_ONE;
  return hundredths === 0n ? integral : `${integral}.${hundredths.toString().padStart(2, '0')}`;
}

/** A table with a header row, columns padded to their widest cell. */
function table(style: Style, header: string[], rows: string[][], indent = '  '): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    indent +
    cells
      .map((c, i) =>
        i === 0 || /^[\d.,-]+$/.test(c) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [style.dim(line(header)), ...rows.map(line)];
}

function vmoLabel(vmo: VmoSnapshot | undefined, koid: number | null): string {
  if (koid === null) return '';
  const name = vmo?.name ? ` "${vmo.name}"` : '';
  return `VMO ${koid}${name}`;
}

function runText(run: PageRun): string {
  const pages =
    run.count === 1 ? `page ${run.start}` : `pages ${run.start}-${run.start + run.count - 1}`;
  if (run.state === 'zero') return `${pages}: zero marker`;
  const frames =
    run.count === 1 ? `frame ${run.frame}` : `frames ${run.frame}-${run.frame! + run.count - 1}`;
  const share = run.share > 0 ? `, share ${run.share}` : '';
  if (run.state === 'frame') return `${pages}: ${frames}${share}`;
  return `${pages}: seen in #${run.holder} (${frames}${share})`;
}

function treeLines(snapshot: KernelSnapshot, style: Style): string[] {
  const nodes = new Map(snapshot.nodes.map((n) => [n.id, n]));
  const vmos = new Map(snapshot.vmos.map((v) => [v.koid, v]));
  const lines: string[] = [];
  const visit = (node: CowNodeSnapshot, prefix: string, last: boolean, root: boolean) => {
    const branch = root ? '' : last ? '└─ ' : '├─ ';
    const title = node.hidden
      ? style.yellow(`#${node.id} hidden`)
      : style.cyan(`#${node.id} ${vmoLabel(vmos.get(node.ownerKoid!), node.ownerKoid)}`);
    const views = node.views
      .filter((v) => v.koid !== node.ownerKoid)
      .map((v) => `${vmos.get(v.koid)?.childType ?? 'view'} ${v.koid} at page ${v.offsetPages}`);
    const geometry = root
      ? `${node.sizePages} pages`
      : `${node.sizePages} pages at +${node.parentOffsetPages}, limit ${node.parentLimitPages}`;
    const counts = [plural(node.frames, 'frame')];
    if (node.zeroMarkers > 0) counts.push(plural(node.zeroMarkers, 'zero marker'));
    if (node.ancestorPages > 0)
      counts.push(`${plural(node.ancestorPages, 'page')} seen in ancestors`);
    lines.push(`${prefix}${branch}${title}  ${style.dim(`${geometry}; ${counts.join(', ')}`)}`);
    const inner = root ? prefix : prefix + (last ? '   ' : '│  ');
    const bar = node.children.length > 0 ? '│  ' : '   ';
    if (views.length > 0) lines.push(`${inner}${bar}${style.dim(`seen by ${views.join(', ')}`)}`);
    for (const run of node.pages.slice(0, RUN_LIMIT)) {
      const text = runText(run);
      const paint =
        run.state === 'frame' ? style.green : run.state === 'zero' ? style.dim : (s: string) => s;
      lines.push(`${inner}${bar}${paint(text)}`);
    }
    if (node.pages.length > RUN_LIMIT) {
      lines.push(`${inner}${bar}${style.dim(`... ${node.pages.length - RUN_LIMIT} more runs`)}`);
    }
    node.children.forEach((id, i) => {
      visit(nodes.get(id)!, inner, i === node.children.length - 1, false);
    });
  };
  for (const node of snapshot.nodes) if (node.parent === null) visit(node, '  ', true, true);
  return lines.length > 0 ? lines : ['  (no VMO)'];
}

function attributionLines(snapshot: KernelSnapshot, style: Style): string[] {
  if (snapshot.vmos.length === 0) return ['  (no VMO)'];
  const rows = snapshot.vmos.map((vmo) => {
    const i = vmo.info;
    return [
      String(vmo.koid),
      vmo.name,
      vmo.childType ?? vmo.kind,
      i.size_bytes,
      i.committed_bytes,
      i.committed_private_bytes,
      scaled(i.committed_scaled_bytes, i.committed_fractional_scaled_bytes),
      i.num_children,
      vmo.parentKoid === null ? '-' : String(vmo.parentKoid),
      String(vmo.handles),
      i.num_mappings,
    ];
  });
  return table(
    style,
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
      'handles',
      'maps',
    ],
    rows,
  );
}

function mappingLines(mapping: MappingSnapshot, indent: string, style: Style): string[] {
  const end = BigInt(mapping.base) + BigInt(mapping.size);
  const perms = mapping.protections.map((p) => short(p.perms, 'ZX_VM_PERM_')).join(' / ');
  const lines = [
    `${indent}${style.cyan(`mapping ${hex(mapping.base)}-${hex(end)}`)} VMO ${mapping.vmoKoid} +${hex(mapping.vmoOffset)} ${perms}`,
  ];
  for (const pte of mapping.ptes.slice(0, RUN_LIMIT)) {
    const to = BigInt(pte.vaddr) + BigInt(pte.pages * PAGE_SIZE);
    const target = pte.zeroPage
      ? 'the zero page'
      : pte.pages === 1
        ? `frame ${pte.frame}`
        : `frames ${pte.frame}-${pte.frame + pte.pages - 1}`;
    lines.push(
      `${indent}  ${style.dim('pte')} ${hex(pte.vaddr)}-${hex(to)} -> ${target} ${short(pte.perms, 'ZX_VM_PERM_')}`,
    );
  }
  if (mapping.ptes.length > RUN_LIMIT) {
    lines.push(`${indent}  ${style.dim(`... ${mapping.ptes.length - RUN_LIMIT} more runs`)}`);
  }
  if (mapping.ptes.length === 0) lines.push(`${indent}  ${style.dim('no page-table entries yet')}`);
  return lines;
}

function vmarLines(vmar: VmarSnapshot, indent: string, style: Style, root: boolean): string[] {
  const end = BigInt(vmar.base) + BigInt(vmar.size);
  const koid = vmar.koid === null ? '' : ` koid ${vmar.koid}`;
  const lines = [`${indent}${root ? 'root VMAR' : 'VMAR'} ${hex(vmar.base)}-${hex(end)}${koid}`];
  for (const child of vmar.children) {
    if (child.kind === 'mapping') lines.push(...mappingLines(child, `${indent}  `, style));
    else lines.push(...vmarLines(child, `${indent}  `, style, false));
  }
  return lines;
}

function processLines(snapshot: KernelSnapshot, style: Style): string[] {
  const lines: string[] = [];
  const byKoid = new Map(snapshot.processes.map((p) => [p.koid, p]));
  const job = (j: KernelSnapshot['jobs'], indent: string) => {
    lines.push(`${indent}job ${j.koid}${j.name ? ` "${j.name}"` : ''}`);
    for (const koid of j.processes) {
      const p = byKoid.get(koid);
      lines.push(
        `${indent}  process ${koid} "${p?.name ?? ''}" ${p?.state ?? ''}, ${p?.handles.length ?? 0} handles`,
      );
    }
    for (const child of j.jobs) job(child, `${indent}  `);
  };
  job(snapshot.jobs, '  ');
  for (const p of snapshot.processes) {
    if (!snapshot.jobs.processes.includes(p.koid) && p.state === 'dead') {
      lines.push(`  process ${p.koid} "${p.name}" dead (named by a handle)`);
    }
  }
  for (const p of snapshot.processes) {
    if (p.handles.length === 0) continue;
    lines.push('', `  ${style.bold(`handles of process ${p.koid} "${p.name}"`)}`);
    const rows = p.handles.map((h) => [
      hex(h.value),
      short(h.type, 'ZX_OBJ_TYPE_').toLowerCase(),
      String(h.koid),
      short(h.rights, 'ZX_RIGHT_'),
    ]);
    lines.push(...table(style, ['value', 'type', 'koid', 'rights'], rows, '    '));
  }
  return lines;
}

function memoryLines(snapshot: KernelSnapshot): string[] {
  const m = snapshot.memory;
  const k = m.kmem;
  return [
    `  total ${kib(k.total_bytes)}, free ${kib(k.free_bytes)}, VMOs ${kib(k.vmo_bytes)}, wired ${kib(k.wired_bytes)}, other ${kib(k.other_bytes)}`,
    `  frames: ${m.totalFrames} total, ${m.freeFrames} free, ${m.usedFrames.vmo} in VMOs, ${m.pinnedFrames} pinned; ${m.touchedFrames} ever touched, in ${m.arenas.length} host arena${m.arenas.length === 1 ? '' : 's'} of ${m.arenaFrames} frames`,
    `  discardable: ${kib(k.vmo_discardable_locked_bytes)} locked, ${kib(k.vmo_discardable_unlocked_bytes)} unlocked`,
  ];
}

/** A run of page indices: `7`, or `7-9`. */
function indexRun(run: { start: number; count: number }): string {
  return run.count === 1 ? `${run.start}` : `${run.start}-${run.start + run.count - 1}`;
}

/** Each pager: the VMOs it backs (port, key, pages supplied, state) and their requests. */
function pagerLines(snapshot: KernelSnapshot, style: Style): string[] {
  const lines: string[] = [];
  for (const pager of snapshot.pagers) {
    lines.push(`  pager ${pager.koid}: ${plural(pager.vmos.length, 'VMO')}`);
    for (const vmo of pager.vmos) {
      const size = snapshot.vmos.find((v) => v.koid === vmo.vmoKoid)?.sizePages ?? 0;
      const runs = vmo.supplied.map(indexRun);
      const state = [vmo.detached ? 'detached' : 'attached'];
      if (vmo.modified) state.push('modified');
      if (vmo.trapDirty) state.push('TRAP_DIRTY');
      for (const r of vmo.states) {
        state.push(`${r.state} ${indexRun(r)}`);
      }
      lines.push(
        `    VMO ${vmo.vmoKoid}: requests to port ${vmo.portKoid} key ${vmo.key}; ${vmo.suppliedPages} of ${size} pages supplied${runs.length > 0 ? ` (${runs.join(', ')})` : ''}; ${state.join(', ')}`,
      );
      for (const r of vmo.requests) {
        const by = r.primaryThreadKoid === null ? 'the host' : `thread ${r.primaryThreadKoid}`;
        const waiting = r.waitingThreadKoids.map((k) => `thread ${k}`).join(', ') || 'nobody';
        lines.push(
          `      ${r.command} [${hex(r.offset)}, +${hex(r.length)}) next ${hex(r.nextOffset)}, packet ${r.packet}, made by ${by}, ${style.dim(`waiting: ${waiting}`)}`,
        );
      }
    }
  }
  return lines.length === 0 ? [style.dim('  none')] : lines;
}

/** The whole snapshot as text; `title` heads it. */
export function snapshotText(snapshot: KernelSnapshot, title: string, style: Style): string {
  const section = (name: string) => ['', style.bold(name)];
  const lines = [
    style.bold(style.cyan(`== ${title} ==`)),
    ...section('Jobs, processes and handles'),
    ...processLines(snapshot, style),
    ...section('Copy-on-write trees (hidden nodes hold what their children share)'),
    ...treeLines(snapshot, style),
    ...section('Attribution (ZX_INFO_VMO, bytes)'),
    ...attributionLines(snapshot, style),
    ...section('Address spaces'),
  ];
  for (const p of snapshot.processes) {
    if (p.addressSpace === null) continue;
    lines.push(
      `  process ${p.koid} "${p.name}": ${p.addressSpace.pageTableEntries} page-table entries`,
    );
    lines.push(...vmarLines(p.addressSpace.root, '    ', style, true));
  }
  lines.push(...section('Pagers and their page requests'), ...pagerLines(snapshot, style));
  lines.push(...section('Physical memory (ZX_INFO_KMEM_STATS)'), ...memoryLines(snapshot));
  return `${lines.join('\n')}\n`;
}
