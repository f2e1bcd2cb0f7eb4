// The oracle of the pager model test (pager-model.test.ts): a pager-backed root VMO as pages in
// plain arrays (missing, a frame that is clean, dirty or awaiting clean, part of a dirty zero
// range, or a clean zero marker that a supply of zero pages left), the pager's "disk", and the copy-on-write children as a tree of nodes that mirrors
// Zircon's (2025 VmCowPages::CreateCloneLocked under a pager): one-way (unidirectional) children
// that see their parent's later changes until they write, and hidden nodes for the two-way
// snapshots of SNAPSHOT_MODIFIED. Content and frames follow from the tree alone: what a VMO reads
// is the first page found walking up from it, and the frames in use are the root's, every
// visible node's own, and those of hidden nodes that some live VMO still sees.

import assert from 'node:assert/strict';

import { PAGE } from '../helpers.ts';

export type DirtyState = 'clean' | 'dirty' | 'awaiting';

/** A page of the pager-backed root. */
export type RootPage =
  | null
  | { kind: 'frame'; bytes: Uint8Array; state: DirtyState }
  | { kind: 'zero'; awaiting: boolean }
  /** Supplied as zero (the aux VMO held no page there): a clean zero marker, no frame. */
  | { kind: 'marker' };

export interface Node {
  readonly id: number;
  /** Pages this node holds (for the root: none, see PagerOracle.root). */
  readonly own: Map<number, Uint8Array>;
  parent: Node | null;
  /** Where page 0 of this node is in its parent, in pages. */
  offset: number;
  /** How many of its pages this node may look up in its parent. */
  limit: number;
  size: number;
  hidden: boolean;
  readonly children: Set<Node>;
  /** Live handles viewing this node (the VMO itself, its slices and references). */
  views: number;
}

/** A live VMO handle: a window of a node. */
export interface View {
  handle: number;
  kind: 'root' | 'clone' | 'slice' | 'reference';
  node: Node;
  /** In the node's pages. */
  offset: number;
  /** In pages; a reference of the root follows the root's size. */
  pages: number;
}

/** Why a page cannot be read or written now: it needs the pager, or the pager is gone. */
export type Blocked = 'wait' | 'detached';

export function diskPageBytes(page: number): Uint8Array {
  const bytes = new Uint8Array(PAGE);
  for (let i = 0; i < PAGE; i++) bytes[i] = (page * 31 + i * 7 + 1) & 0xff;
  return bytes;
}

const ZEROS = new Uint8Array(PAGE);

export function clampWindow(offset: number, length: number, max: number): number {
  return Math.max(Math.min(offset + length, max), offset) - offset;
}

export class PagerOracle {
  readonly root: Node;
  readonly pages: RootPage[];
  readonly disk: Uint8Array[] = [];
  detached = false;
  /** Root pages hinted ZX_VMO_OP_DONT_NEED and not yet tried by eviction, in hint order. */
  readonly hinted = new Set<number>();
  /** Root pages whose frame was hinted ZX_VMO_OP_ALWAYS_NEED (the hint goes with the frame). */
  readonly needed = new Set<number>();
  private nextId = 1;

  readonly trapDirty: boolean;
  readonly resizable: boolean;

  constructor(pages: number, trapDirty: boolean, resizable: boolean) {
    this.trapDirty = trapDirty;
    this.resizable = resizable;
    this.root = this.newNode(null, 0, 0, pages);
    this.root.views = 1;
    this.pages = Array.from({ length: pages }, () => null);
  }

  get size(): number {
    return this.pages.length;
  }

  diskAt(page: number): Uint8Array {
    while (this.disk.length <= page) this.disk.push(diskPageBytes(this.disk.length));
    return this.disk[page]!;
  }

  newNode(parent: Node | null, offset: number, limit: number, size: number): Node {
    const node: Node = {
      id: this.nextId++,
      own: new Map(),
      parent,
      offset,
      limit,
      size,
      hidden: false,
      children: new Set(),
      views: 0,
    };
    parent?.children.add(node);
    return node;
  }

  // --- Reading ---

  /** Where page `index` of `node` comes from: a node's page, the root's, or zero. */
  resolve(node: Node, index: number): { node: Node; index: number } | null {
    let at = node;
    let i = index;
    while (at !== this.root) {
      if (at.own.has(i)) return { node: at, index: i };
      if (i >= at.limit || at.parent === null) return null;
      i += at.offset;
      at = at.parent;
    }
    return i < this.size ? { node: at, index: i } : null;
  }

  /** The bytes page `index` of `node` reads, or why it cannot be read without the pager. */
  read(node: Node, index: number): Uint8Array | Blocked {
    const found = this.resolve(node, index);
    if (found === null) return ZEROS;
    if (found.node !== this.root) return found.node.own.get(found.index)!;
    const page = this.pages[found.index]!;
    if (page === null) return this.detached ? 'detached' : 'wait';
    return page.kind === 'frame' ? page.bytes : ZEROS;
  }

  /** Why writing page `index` of `node` cannot happen now, or null when it can. */
  writeBlocked(node: Node, index: number): Blocked | null {
    if (node !== this.root) {
      const seen = this.read(node, index);
      return seen instanceof Uint8Array ? null : seen;
    }
    const page = this.pages[index]!;
    const blocked: Blocked = this.detached ? 'detached' : 'wait';
    if (page === null) return blocked;
    if (this.trapDirty && !(page.kind === 'frame' && page.state === 'dirty')) return blocked;
    return null;
  }

  /** Writes `data` at byte `offset` of page `index` of `node` (writeBlocked said null). */
  write(node: Node, index: number, offset: number, data: Uint8Array): void {
    if (node === this.root) {
      const page = this.pages[index]!;
      if (page === null) throw new Error('oracle: write to a missing root page');
      const bytes = page.kind === 'frame' ? page.bytes : new Uint8Array(PAGE);
      bytes.set(data, offset);
      this.pages[index] = { kind: 'frame', bytes, state: 'dirty' };
      return;
    }
    let bytes = node.own.get(index);
    if (bytes === undefined) {
      const seen = this.read(node, index);
      if (!(seen instanceof Uint8Array)) throw new Error('oracle: write to a blocked page');
      bytes = seen.slice();
      node.own.set(index, bytes);
    }
    bytes.set(data, offset);
  }

  // --- The pager's side ---

  /** Supplies the missing pages of [start, end) from the disk, or as zero markers. */
  supply(start: number, end: number, zero = false): void {
    for (let p = start; p < end; p++) {
      if (this.pages[p] !== null) continue;
      this.pages[p] = zero
        ? { kind: 'marker' }
        : { kind: 'frame', bytes: this.diskAt(p).slice(), state: 'clean' };
    }
  }

  /**
   * COMMIT of root pages `indices` (all present by then): a zero marker gets a frame of zeros,
   * clean (upstream LookupCursor::TargetZeroContentSupplyDirty: "Markers start clean"); a page of
   * a dirty zero range (awaiting clean or not) gets one that is dirty ("Zero intervals are
   * considered implicitly dirty").
   */
  commitRoot(indices: number[]): void {
    for (const p of indices) {
      const kind = this.pages[p]?.kind;
      if (kind !== 'marker' && kind !== 'zero') continue;
      const state = kind === 'marker' ? 'clean' : 'dirty';
      this.pages[p] = { kind: 'frame', bytes: new Uint8Array(PAGE), state };
    }
  }

  /**
   * ZERO of whole root pages [start, end): they become a dirty zero range, their frames freed;
   * pages supplied as zero stay clean zero markers. A zero range awaiting clean next to them is
   * dirty again as a whole (upstream PagerWriteback.OpZeroWriteback).
   */
  zeroPages(start: number, end: number): void {
    for (let p = start; p < end; p++) {
      if (this.pages[p]?.kind === 'marker') continue;
      if (this.pages[p]?.kind === 'frame') this.dropFrame(p);
      this.pages[p] = { kind: 'zero', awaiting: false };
    }
    const awaitingZero = (p: number) => {
      const page = this.pages[p];
      return page?.kind === 'zero' && page.awaiting ? page : null;
    };
    if (this.pages[start]?.kind === 'zero') {
      for (let p = start - 1, z = awaitingZero(p); z !== null; z = awaitingZero(--p)) {
        z.awaiting = false;
      }
    }
    if (this.pages[end - 1]?.kind === 'zero') {
      for (let p = end, z = awaitingZero(p); z !== null; z = awaitingZero(++p)) z.awaiting = false;
    }
  }

  /** Pages [start, end) may all be dirtied by ZX_PAGER_OP_DIRTY (present or zero). */
  canDirty(start: number, end: number): boolean {
    for (let p = start; p < end; p++) if (this.pages[p] === null) return false;
    return true;
  }

  opDirty(start: number, end: number): void {
    for (let p = start; p < end; p++) {
      const page = this.pages[p]!;
      if (page.kind !== 'frame') {
        this.pages[p] = { kind: 'frame', bytes: new Uint8Array(PAGE), state: 'dirty' };
      } else page.state = 'dirty';
    }
  }

  /** WRITEBACK_BEGIN; with `zeroOnly` (IS_ZERO) pages that hold data stay dirty. */
  writebackBegin(start: number, end: number, zeroOnly: boolean): void {
    for (let p = start; p < end; p++) {
      const page = this.pages[p];
      if (page?.kind === 'zero') page.awaiting = true;
      else if (page?.kind === 'frame' && page.state === 'dirty' && !zeroOnly) {
        page.state = 'awaiting';
      }
    }
  }

  /** Pages awaiting clean become clean (the disk now holds them); zero ranges go. */
  writebackEnd(start: number, end: number): void {
    for (let p = start; p < end; p++) {
      const page = this.pages[p];
      if (page?.kind === 'zero' && page.awaiting) {
        this.diskAt(p);
        this.disk[p] = new Uint8Array(PAGE);
        this.pages[p] = null;
      } else if (page?.kind === 'frame' && page.state === 'awaiting') {
        page.state = 'clean';
        this.diskAt(p);
        this.disk[p] = page.bytes.slice();
      }
    }
  }

  detach(): void {
    this.detached = true;
    for (let p = 0; p < this.size; p++) {
      const page = this.pages[p];
      if (page?.kind === 'marker') this.pages[p] = null;
      else if (page?.kind === 'frame' && page.state === 'clean') this.dropFrame(p);
    }
  }

  /**
   * ZX_VMO_OP_DONT_NEED on pages [start, end) of `node`: the root frames it sees there now are
   * first in line for eviction (a child's own pages take no hint).
   */
  dontNeed(node: Node, start: number, end: number): void {
    for (const p of this.rootFramesSeen(node, start, end)) this.hinted.add(p);
  }

  /**
   * ZX_VMO_OP_ALWAYS_NEED on pages [start, end) of `node` (all present by then): the root
   * frames it sees are spared by ordinary eviction, and leave the DONT_NEED line.
   */
  alwaysNeed(node: Node, start: number, end: number): void {
    for (const p of this.rootFramesSeen(node, start, end)) {
      this.needed.add(p);
      this.hinted.delete(p);
    }
  }

  /** The root pages holding a frame that pages [start, end) of `node` show. */
  private rootFramesSeen(node: Node, start: number, end: number): number[] {
    const seen: number[] = [];
    for (let i = start; i < end; i++) {
      const found = this.resolve(node, i);
      if (found?.node === this.root && this.pages[found.index]?.kind === 'frame') {
        seen.push(found.index);
      }
    }
    return seen;
  }

  /** Root page `p` lost its frame: the hints on it go too. */
  private dropFrame(p: number): void {
    this.pages[p] = null;
    this.hinted.delete(p);
    this.needed.delete(p);
  }

  /**
   * Memory pressure evicts `count` clean pages, the DONT_NEED ones first, in the order they were
   * hinted (each page tried loses its hint); returns how many of them it took. Which other clean
   * pages go is the kernel's choice of the least recently used (zxvm ages pages by access, which
   * this oracle does not model): the caller reads it from the kernel, checks it against
   * cleanPages() and applies it with evictPage. test/pressure/pager-pressure.test.ts checks the
   * age order itself.
   */
  evictHinted(count: number): number {
    let evicted = 0;
    for (const p of [...this.hinted]) {
      if (evicted === count) break;
      this.hinted.delete(p);
      const page = this.pages[p];
      // An ALWAYS_NEED hint is sticky: a later DONT_NEED does not expose the page.
      if (page?.kind !== 'frame' || page.state !== 'clean' || this.needed.has(p)) continue;
      this.dropFrame(p);
      evicted++;
    }
    return evicted;
  }

  /** Clean page `p` was evicted (the kernel's choice, checked by the caller). */
  evictPage(p: number): void {
    const page = this.pages[p];
    assert(page?.kind === 'frame' && page.state === 'clean', `page ${p} evicted while not clean`);
    this.dropFrame(p);
  }

  /** The clean frames, in page order (what eviction may take). */
  cleanPages(): number[] {
    const clean: number[] = [];
    this.pages.forEach((page, p) => {
      if (page?.kind === 'frame' && page.state === 'clean') clean.push(p);
    });
    return clean;
  }

  resize(pages: number): void {
    const old = this.size;
    if (pages < old) {
      for (let p = pages; p < old; p++) if (this.pages[p]?.kind === 'frame') this.dropFrame(p);
      this.pages.length = pages;
      for (const child of this.root.children) {
        child.limit = clampWindow(child.offset, child.limit, pages);
      }
    }
    for (let p = old; p < pages; p++) this.pages.push({ kind: 'zero', awaiting: false });
    this.root.size = pages;
  }

  /** Dirty pages of the root: [page, isZero] for each page that is not clean or missing. */
  dirtyPages(): [number, boolean][] {
    const dirty: [number, boolean][] = [];
    this.pages.forEach((page, p) => {
      if (page?.kind === 'zero') dirty.push([p, true]);
      else if (page?.kind === 'frame' && page.state !== 'clean') dirty.push([p, false]);
    });
    return dirty;
  }

  // --- Children ---

  /**
   * A snapshot of pages [offset, offset + pages) of `view` (type 'alow' or 'modified'): the new
   * node, or 'refused' (ZX_ERR_NOT_SUPPORTED), following VmCowPages::CreateCloneLocked.
   */
  snapshot(view: View, type: 'alow' | 'modified', offset: number, pages: number): Node | 'refused' {
    const node = view.node;
    const at = view.offset + offset;
    const twoWay = type === 'modified' && node.parent !== null;
    const oneWayOnly = view.kind === 'slice';
    if (twoWay && oneWayOnly) return 'refused';
    if (!twoWay && (node.parent === null || !node.parent.hidden)) {
      return this.oneWay(node, at, pages);
    }
    if (oneWayOnly || node.children.size > 0) return 'refused';
    const [candidate, candidateAt, candidateWindow] = this.twoWayParent(node, at, pages);
    const above = candidate.parent;
    if (above !== null && !above.hidden && above.parent !== null) return 'refused';
    if (candidate.hidden) return this.newNode(candidate, candidateAt, candidateWindow, pages);
    const hidden = this.insertHiddenParent(node);
    return this.newNode(hidden, at, clampWindow(at, pages, node.size), pages);
  }

  private hasEntriesIn(node: Node, start: number, end: number): boolean {
    if (node === this.root) return true;
    for (const p of node.own.keys()) if (p >= start && p < end) return true;
    return false;
  }

  private oneWay(node: Node, offset: number, pages: number): Node {
    let holder = node;
    let at = offset;
    let window = clampWindow(offset, pages, node.size);
    while (holder.parent !== null) {
      if (window > 0 && this.hasEntriesIn(holder, at, at + window)) break;
      window = clampWindow(at, window, holder.limit);
      at += holder.offset;
      holder = holder.parent;
    }
    return this.newNode(holder, at, window, pages);
  }

  private twoWayParent(node: Node, offset: number, pages: number): [Node, number, number] {
    let candidate = node;
    let at = offset;
    let window = clampWindow(offset, pages, node.size);
    while (candidate.parent?.hidden && !this.hasEntriesIn(candidate, at, at + window)) {
      window = clampWindow(at, window, candidate.limit);
      at += candidate.offset;
      candidate = candidate.parent;
    }
    return [candidate, at, window];
  }

  private insertHiddenParent(node: Node): Node {
    const parent = node.parent!;
    const hidden = this.newNode(parent, node.offset, node.limit, node.size);
    hidden.hidden = true;
    for (const [p, bytes] of node.own) hidden.own.set(p, bytes);
    node.own.clear();
    parent.children.delete(node);
    node.parent = hidden;
    node.offset = 0;
    node.limit = node.size;
    hidden.children.add(node);
    return hidden;
  }

  /** A view of `node` closed. */
  closeView(node: Node): void {
    node.views--;
    if (node.views === 0) this.releaseIfUnused(node);
  }

  private releaseIfUnused(node: Node): void {
    if (node.views > 0 || node.children.size > 0 || node === this.root) return;
    const parent = node.parent!;
    parent.children.delete(node);
    node.parent = null;
    node.own.clear();
    if (!parent.hidden) this.releaseIfUnused(parent);
    else if (parent.children.size === 1) this.merge(parent, [...parent.children][0]!);
  }

  /** A hidden node left with one child merges into it. */
  private merge(hidden: Node, child: Node): void {
    for (const [p, bytes] of hidden.own) {
      const i = p - child.offset;
      if (i >= 0 && i < child.size && !child.own.has(i)) child.own.set(i, bytes);
    }
    child.limit = Math.min(child.limit, Math.max(0, hidden.limit - child.offset));
    child.offset += hidden.offset;
    const parent = hidden.parent!;
    parent.children.delete(hidden);
    child.parent = parent;
    parent.children.add(child);
  }

  // --- Frames ---

  /** Every node still in the tree below the root (hidden and visible, dead or not). */
  nodes(): Node[] {
    const all: Node[] = [];
    const visit = (n: Node) => {
      for (const c of n.children) {
        all.push(c);
        visit(c);
      }
    };
    visit(this.root);
    return all;
  }

  /** For each hidden node, how many visible nodes see each of its pages. */
  private hiddenViewers(): Map<Node, Map<number, number>> {
    const viewers = new Map<Node, Map<number, number>>();
    for (const n of this.nodes()) {
      if (n.hidden) continue;
      for (let i = 0; i < n.size; i++) {
        const found = this.resolve(n, i);
        if (!found?.node.hidden) continue;
        let counts = viewers.get(found.node);
        if (counts === undefined) {
          counts = new Map();
          viewers.set(found.node, counts);
        }
        counts.set(found.index, (counts.get(found.index) ?? 0) + 1);
      }
    }
    return viewers;
  }

  /**
   * Drops the pages of hidden nodes that no live VMO sees any more (the kernel frees them as it
   * goes), and returns the frames in use.
   */
  collect(): number {
    const viewers = this.hiddenViewers();
    const rootAlive = this.root.views > 0 || this.root.children.size > 0;
    let frames = rootAlive ? this.pages.filter((p) => p?.kind === 'frame').length : 0;
    for (const n of this.nodes()) {
      if (n.hidden) {
        const seen = viewers.get(n);
        for (const p of [...n.own.keys()]) if (!seen?.has(p)) n.own.delete(p);
      }
      frames += n.own.size;
    }
    return frames;
  }

  /**
   * What ZX_INFO_VMO charges a child's node, in pages: its own pages and the pages of hidden
   * ancestors it sees (pages of the root and of visible ancestors are theirs), the latter
   * shared equally by the visible nodes that see them.
   */
  attribution(node: Node): { pages: number; privatePages: number; scaledPages: number } {
    const viewers = this.hiddenViewers();
    let pages = node.own.size;
    let privatePages = node.own.size;
    let scaledPages = node.own.size;
    for (let i = 0; i < node.size; i++) {
      const found = this.resolve(node, i);
      if (!found?.node.hidden) continue;
      const sharers = viewers.get(found.node)!.get(found.index)!;
      pages++;
      if (sharers === 1) privatePages++;
      scaledPages += 1 / sharers;
    }
    return { pages, privatePages, scaledPages };
  }

  /** Visible nodes whose VMO is closed but which one-way children keep (nobody is charged). */
  orphanFrames(): number {
    let frames = 0;
    for (const n of this.nodes()) if (!n.hidden && n.views === 0) frames += n.own.size;
    return frames;
  }
}
