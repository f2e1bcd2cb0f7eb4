// RegionList: the children of one VMAR (sub-VMARs and mappings), ordered by base address, in a
// treap whose nodes also know the free gap just below them and the largest gap in their
// subtree. Lookups, inserts and removals take O(log n), and so does finding the lowest free
// spot of a given size and alignment, however many children there are: subtrees whose largest
// gap is too small are never entered.

import { assert } from '../util/assert.ts';

/** What a RegionList holds: a range [base, base + size) plus the tree's bookkeeping. */
export abstract class RegionListNode {
  base: number;
  size: number;
  /** Tree links, owned by the RegionList that holds this node. */
  left: RegionListNode | null = null;
  right: RegionListNode | null = null;
  up: RegionListNode | null = null;
  priority = 0;
  /** Free bytes between the previous child (or the VMAR's base) and this one. */
  gap = 0;
  /** The largest `gap` in this node's subtree. */
  maxGap = 0;

  constructor(base: number, size: number) {
    this.base = base;
    this.size = size;
  }

  get end(): number {
    return this.base + this.size;
  }
}

export class RegionList<T extends RegionListNode> {
  private root: T | null = null;
  private seed = 0x2545f491;
  /** Children held. */
  count = 0;

  /** The VMAR's range: children lie inside [lo, hi). */
  readonly lo: number;
  readonly hi: number;

  constructor(lo: number, hi: number) {
    this.lo = lo;
    this.hi = hi;
  }

  get isEmpty(): boolean {
    return this.root === null;
  }

  /** The child with the greatest base at or below `addr`. */
  floor(addr: number): T | null {
    let node = this.root as RegionListNode | null;
    let best: RegionListNode | null = null;
    while (node !== null) {
      if (node.base <= addr) {
        best = node;
        node = node.right;
      } else node = node.left;
    }
    return best as T | null;
  }

  /** The child containing `addr`, if any. */
  find(addr: number): T | null {
    const node = this.floor(addr);
    return node !== null && addr < node.end ? node : null;
  }

  /** The first child that ends above `addr` (the first one a range starting there meets). */
  firstEndingAfter(addr: number): T | null {
    const node = this.floor(addr);
    if (node !== null && node.end > addr) return node;
    return node === null ? this.first() : this.next(node);
  }

  /** True when a child intersects [start, end). */
  intersects(start: number, end: number): boolean {
    const node = this.firstEndingAfter(start);
    return node !== null && node.base < end;
  }

  /** The children intersecting [start, end), in address order. */
  between(start: number, end: number): T[] {
    const found: T[] = [];
    for (let node = this.firstEndingAfter(start); node !== null && node.base < end; ) {
      found.push(node);
      node = this.next(node);
    }
    return found;
  }

  first(): T | null {
    let node = this.root as RegionListNode | null;
    if (node === null) return null;
    while (node.left !== null) node = node.left;
    return node as T;
  }

  last(): T | null {
    let node = this.root as RegionListNode | null;
    if (node === null) return null;
    while (node.right !== null) node = node.right;
    return node as T;
  }

  next(node: T): T | null {
    let n: RegionListNode = node;
    if (n.right !== null) {
      n = n.right;
      while (n.left !== null) n = n.left;
      return n as T;
    }
    while (n.up !== null && n.up.right === n) n = n.up;
    return n.up as T | null;
  }

  prev(node: T): T | null {
    let n: RegionListNode = node;
    if (n.left !== null) {
      n = n.left;
      while (n.right !== null) n = n.right;
      return n as T;
    }
    while (n.up !== null && n.up.left === n) n = n.up;
    return n.up as T | null;
  }

  /** Every child in address order. */
  toArray(): T[] {
    const all: T[] = [];
    for (let node = this.first(); node !== null; node = this.next(node)) all.push(node);
    return all;
  }

  /** Adds a child, which must not overlap any other. */
  insert(node: T): void {
    assert(node.base >= this.lo && node.end <= this.hi, 'child outside its VMAR');
    node.left = node.right = node.up = null;
    node.priority = this.nextPriority();
    let parent: RegionListNode | null = null;
    let cursor = this.root as RegionListNode | null;
    while (cursor !== null) {
      parent = cursor;
      cursor = node.base < cursor.base ? cursor.left : cursor.right;
    }
    node.up = parent;
    if (parent === null) this.root = node;
    else if (node.base < parent.base) parent.left = node;
    else parent.right = node;
    this.count++;
    const prev = this.prev(node);
    const next = this.next(node);
    assert(prev === null || prev.end <= node.base, 'child overlaps the one below it');
    assert(next === null || node.end <= next.base, 'child overlaps the one above it');
    node.gap = node.base - (prev === null ? this.lo : prev.end);
    this.updateUp(node);
    if (next !== null) this.updateGap(next, node.end);
    while (node.up !== null && node.up.priority < node.priority) this.rotateUp(node);
  }

  /** Removes a child. */
  remove(node: T): void {
    const prev = this.prev(node);
    const next = this.next(node);
    // Rotate the node down until it has at most one child, then splice it out.
    while (node.left !== null && node.right !== null) {
      const child = node.left.priority > node.right.priority ? node.left : node.right;
      this.rotateUp(child);
    }
    const child = node.left ?? node.right;
    const parent = node.up;
    if (child !== null) child.up = parent;
    if (parent === null) this.root = child as T | null;
    else if (parent.left === node) parent.left = child;
    else parent.right = child;
    node.left = node.right = node.up = null;
    this.count--;
    if (parent !== null) this.updateUp(parent);
    if (next !== null) this.updateGap(next, prev === null ? this.lo : prev.end);
  }

  /** A child's base or size changed without changing its place in the order. */
  resized(node: T): void {
    const prev = this.prev(node);
    const next = this.next(node);
    assert(prev === null || prev.end <= node.base, 'resized child overlaps the one below it');
    assert(next === null || node.end <= next.base, 'resized child overlaps the one above it');
    this.updateGap(node, prev === null ? this.lo : prev.end);
    if (next !== null) this.updateGap(next, node.end);
  }

  /**
   * The lowest base in [lo, hi) that is a multiple of `align` where `size` bytes are free and
   * end at or below `limit`; -1 when there is none.
   */
  findSpot(size: number, align: number, limit: number): number {
    const fits = (start: number, end: number): number => {
      const base = Math.ceil(start / align) * align;
      return base + size <= end ? base : -1;
    };
    let spot = -1;
    const search = (node: RegionListNode | null): boolean => {
      if (node === null || node.maxGap < size) return false;
      if (search(node.left)) return true;
      if (node.gap >= size) {
        spot = fits(node.base - node.gap, node.base);
        if (spot >= 0) return true;
      }
      return search(node.right);
    };
    if (!search(this.root)) {
      const last = this.last();
      spot = fits(last === null ? this.lo : last.end, this.hi);
    }
    return spot >= 0 && spot + size <= limit ? spot : -1;
  }

  private nextPriority(): number {
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }

  private updateGap(node: RegionListNode, below: number): void {
    node.gap = node.base - below;
    this.updateUp(node);
  }

  private updateUp(from: RegionListNode): void {
    for (let node: RegionListNode | null = from; node !== null; node = node.up) pull(node);
  }

  /** Rotates `node` above its parent, keeping the order and the subtree maxima. */
  private rotateUp(node: RegionListNode): void {
    const parent = node.up;
    assert(parent !== null, 'rotating the root');
    const grand = parent.up;
    if (parent.left === node) {
      parent.left = node.right;
      if (node.right !== null) node.right.up = parent;
      node.right = parent;
    } else {
      parent.right = node.left;
      if (node.left !== null) node.left.up = parent;
      node.left = parent;
    }
    parent.up = node;
    node.up = grand;
    if (grand === null) this.root = node as T;
    else if (grand.left === parent) grand.left = node;
    else grand.right = node;
    pull(parent);
    pull(node);
  }
}

function pull(node: RegionListNode): void {
  let max = node.gap;
  if (node.left !== null && node.left.maxGap > max) max = node.left.maxGap;
  if (node.right !== null && node.right.maxGap > max) max = node.right.maxGap;
  node.maxGap = max;
}
