// SortedKeys: a set of integers kept in order, so that the keys inside a range can be listed in
// O(log n + k) whatever the range's width. Page lists and page tables keep their chunks in Maps
// (O(1) lookups) and their chunk keys here, so walks over a huge sparse range jump from one
// present chunk to the next instead of looking at every key the range could hold.
//
// The keys live in sorted blocks of at most BLOCK_MAX (a "sorted list of sorted lists"): an
// insert or removal moves at most one block's worth of numbers, and the list of blocks is only
// spliced when a block splits or empties.

import { assert } from '../util/assert.ts';

/** Keys per block before it splits in two. */
const BLOCK_MAX = 512;

export class SortedKeys {
  /** Non-empty sorted blocks; every key of a block is below every key of the next. */
  private readonly blocks: number[][] = [];
  size = 0;

  /** Adds `key`, which must not be in the set. */
  add(key: number): void {
    this.size++;
    const blocks = this.blocks;
    if (blocks.length === 0) {
      blocks.push([key]);
      return;
    }
    // The block that should hold it: the first whose last key is above it, else the last one.
    let b = this.blockFor(key);
    if (b === blocks.length) b--;
    const block = blocks[b]!;
    if (key > block[block.length - 1]!) block.push(key);
    else block.splice(lowerBound(block, key), 0, key);
    if (block.length > BLOCK_MAX) blocks.splice(b + 1, 0, block.splice(BLOCK_MAX >> 1));
  }

  /** Removes `key`, which must be in the set. */
  delete(key: number): void {
    const b = this.blockFor(key);
    const block = this.blocks[b]!;
    const i = lowerBound(block, key);
    assert(block !== undefined && block[i] === key, 'removing a key that is not there');
    this.size--;
    if (block.length === 1) this.blocks.splice(b, 1);
    else block.splice(i, 1);
  }

  /** The keys k with from <= k <= to, ascending. */
  between(from: number, to: number): number[] {
    const out: number[] = [];
    const blocks = this.blocks;
    for (let b = this.blockFor(from); b < blocks.length; b++) {
      const block = blocks[b]!;
      if (block[0]! > to) break;
      for (let i = block[0]! >= from ? 0 : lowerBound(block, from); i < block.length; i++) {
        const key = block[i]!;
        if (key > to) return out;
        out.push(key);
      }
    }
    return out;
  }

  /** The smallest key at least `from`, or -1 when there is none. */
  firstAtLeast(from: number): number {
    const b = this.blockFor(from);
    if (b === this.blocks.length) return -1;
    const block = this.blocks[b]!;
    return block[lowerBound(block, from)]!;
  }

  /** The index of the first block whose last key is at least `key` (blocks.length if none). */
  private blockFor(key: number): number {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = blocks[mid]!;
      if (block[block.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The first index of a sorted array whose value is at least `key`. */
function lowerBound(values: number[], key: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
