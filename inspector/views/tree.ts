/// <reference lib="dom" />
// The copy-on-write trees as an SVG graph: one box per node, hidden nodes dashed and grey,
// each node's pages as a strip coloured by state (held frames, shared frames, pages seen in an
// ancestor, zero markers), details on hover through <title>, edges from parent to child, and
// the slices and references of a VMO named under its box.

import type { CowNodeSnapshot, KernelSnapshot, PageRun } from '../../src/index.ts';

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 190;
const BOX_H = 62;
const GAP_X = 22;
const GAP_Y = 46;
const STRIP_X = 8;
const STRIP_Y = 36;
const STRIP_W = BOX_W - 2 * STRIP_X;
const STRIP_H = 16;

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  parent?.append(node);
  return node;
}

function titled(parent: Element, text: string): void {
  svg('title', {}, parent).textContent = text;
}

/** The state class of a run: what colour it is drawn in. */
export function runClass(run: PageRun): string {
  if (run.state === 'zero') return 'run-zero';
  if (run.state === 'ancestor') return 'run-ancestor';
  return run.share > 0 ? 'run-shared' : 'run-frame';
}

function runTitle(run: PageRun): string {
  const pages =
    run.count === 1 ? `page ${run.start}` : `pages ${run.start}–${run.start + run.count - 1}`;
  if (run.state === 'zero') return `${pages}: zero marker (reads zero, whatever the parent has)`;
  const frames =
    run.count === 1 ? `frame ${run.frame}` : `frames ${run.frame}–${run.frame! + run.count - 1}`;
  const viewers = `seen by ${run.share + 1} VMO${run.share === 0 ? '' : 's'} (share count ${run.share})`;
  if (run.state === 'frame') return `${pages}: ${frames}, held here, ${viewers}`;
  return `${pages}: ${frames}, held by node #${run.holder} at page ${run.holderPage}, ${viewers}`;
}

interface Placed {
  node: CowNodeSnapshot;
  x: number;
  y: number;
}

/** Tidy enough: leaves side by side in tree order, parents centred over their children. */
function layout(snapshot: KernelSnapshot): { placed: Placed[]; width: number; height: number } {
  const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
  const placed: Placed[] = [];
  let nextLeaf = 0;
  let depthMax = 0;
  const place = (node: CowNodeSnapshot, depth: number): number => {
    depthMax = Math.max(depthMax, depth);
    let x: number;
    if (node.children.length === 0) x = nextLeaf++ * (BOX_W + GAP_X);
    else {
      const xs = node.children.map((id) => place(byId.get(id)!, depth + 1));
      x = (xs[0]! + xs[xs.length - 1]!) / 2;
    }
    placed.push({ node, x, y: depth * (BOX_H + GAP_Y) });
    return x;
  };
  for (const node of snapshot.nodes) if (node.parent === null) place(node, 0);
  return {
    placed,
    width: Math.max(1, nextLeaf) * (BOX_W + GAP_X) - GAP_X,
    height: (depthMax + 1) * (BOX_H + GAP_Y) - GAP_Y + 22,
  };
}

/** Draws the trees of `snapshot` into `container` (replacing what was there). */
export function drawTree(container: HTMLElement, snapshot: KernelSnapshot): void {
  const vmos = new Map(snapshot.vmos.map((v) => [v.koid, v]));
  const { placed, width, height } = layout(snapshot);
  const hidden = snapshot.nodes.filter((n) => n.hidden).length;
  const root = svg('svg', {
    id: 'tree-graph',
    viewBox: `-4 -4 ${width + 8} ${height + 8}`,
    width: width + 8,
    height: height + 8,
    role: 'img',
    'aria-label': `Copy-on-write trees: ${snapshot.nodes.length} nodes, ${hidden} hidden`,
    'data-nodes': snapshot.nodes.length,
    'data-hidden': hidden,
  });
  const where = new Map(placed.map((p) => [p.node.id, p]));
  const edges = svg('g', { class: 'edges' }, root);
  for (const { node, x, y } of placed) {
    for (const id of node.children) {
      const child = where.get(id)!;
      svg(
        'path',
        {
          d: `M${x + BOX_W / 2},${y + BOX_H} C${x + BOX_W / 2},${y + BOX_H + GAP_Y / 2} ${child.x + BOX_W / 2},${child.y - GAP_Y / 2} ${child.x + BOX_W / 2},${child.y}`,
          class: 'edge',
        },
        edges,
      );
    }
  }
  for (const { node, x, y } of placed) {
    const owner = node.ownerKoid === null ? undefined : vmos.get(node.ownerKoid);
    const g = svg(
      'g',
      {
        class: node.hidden ? 'node hidden' : 'node',
        transform: `translate(${x},${y})`,
        'data-id': node.id,
      },
      root,
    );
    const heading = node.hidden
      ? `#${node.id} hidden`
      : `#${node.id} VMO ${node.ownerKoid}${owner?.name ? ` “${owner.name}”` : ''}`;
    titled(
      g,
      `${heading}\n${node.sizePages} pages; ${node.frames} frames held` +
        (node.parent === null
          ? ''
          : `; at page ${node.parentOffsetPages} of #${node.parent}, parent limit ${node.parentLimitPages}`) +
        (node.ancestorPages > 0 ? `; ${node.ancestorPages} pages seen in ancestors` : ''),
    );
    svg('rect', { class: 'box', width: BOX_W, height: BOX_H, rx: 6 }, g);
    const text = svg('text', { x: 8, y: 15, class: 'heading' }, g);
    text.textContent = heading;
    const sub = svg('text', { x: 8, y: 29, class: 'sub' }, g);
    const kind = node.hidden ? 'shared pages' : (owner?.childType ?? owner?.kind ?? '');
    sub.textContent = `${kind} · ${node.sizePages} pages · ${node.frames} held`;
    // The strip: pages in proportion, at least 2 px per run so single pages show.
    const strip = svg('g', { class: 'strip', transform: `translate(${STRIP_X},${STRIP_Y})` }, g);
    svg('rect', { class: 'run-empty', width: STRIP_W, height: STRIP_H }, strip);
    const scale = STRIP_W / Math.max(1, node.sizePages);
    for (const run of node.pages) {
      if (run.start >= node.sizePages) continue;
      const r = svg(
        'rect',
        {
          class: `run ${runClass(run)}`,
          x: run.start * scale,
          y: 0,
          width: Math.max(2, Math.min(run.count, node.sizePages - run.start) * scale),
          height: STRIP_H,
          'data-state': run.state,
        },
        strip,
      );
      titled(r, runTitle(run));
    }
    svg('rect', { class: 'strip-frame', width: STRIP_W, height: STRIP_H }, strip);
    const views = node.views.filter((v) => v.koid !== node.ownerKoid);
    if (views.length > 0) {
      const label = svg('text', { x: 8, y: BOX_H + 14, class: 'views' }, g);
      label.textContent = views
        .map((v) => `${vmos.get(v.koid)?.childType ?? 'view'} ${v.koid} @${v.offsetPages}`)
        .join(', ');
    }
  }
  if (snapshot.nodes.length === 0) {
    const empty = svg('text', { x: 8, y: 20, class: 'sub' }, root);
    empty.textContent = 'No VMO exists at this step.';
  }
  container.replaceChildren(root);
}
