// PageTable: the translations of one address space, from virtual page number to a page-table
// entry (a frame, and whether writes may use it without faulting). Like the last level of an
// x86-64 page table, entries live in tables of 512 that are created when their first entry is
// set and dropped when their last one is cleared, so a sparse address space costs memory only
// where something is mapped, and walks over a range visit the tables there are (their keys are
// kept in order), not every table the range could hold. Permissions beyond "present" and
// "writable" are the mappings'
// business: an entry exists only where its mapping may be read, and is writable only where the
// mapping may be written and the frame belongs to the VMO alone.

import { assert } from '../util/assert.ts';
import { SortedKeys } from './sorted-keys.ts';

const TABLE_SHIFT = 9;
const TABLE_ENTRIES = 1 << TABLE_SHIFT;
/** Slot TABLE_ENTRIES of each table counts its present entries. */
const COUNT_SLOT = TABLE_ENTRIES;

/** No translation. */
export const PTE_NONE = 0;
const PTE_WRITABLE = 1;

/** The entry for `frame`, writable or not. */
export function makePte(frame: number, writable: boolean): number {
  return ((frame + 1) << 1) | (writable ? PTE_WRITABLE : 0);
}
export function pteFrame(pte: number): number {
  return (pte >>> 1) - 1;
}
export function pteWritable(pte: number): boolean {
  return (pte & PTE_WRITABLE) !== 0;
}

export class PageTable {
  private readonly tables = new Map<number, Int32Array>();
  /** The keys of `tables`, in order. */
  private readonly order = new SortedKeys();
  private lastKey = -1;
  private lastTable: Int32Array | undefined;
  /** Present entries. */
  entryCount = 0;

  /** The entry for virtual page `vpage`, or PTE_NONE. */
  get(vpage: number): number {
    const key = Math.floor(vpage / TABLE_ENTRIES);
    let table: Int32Array | undefined;
    if (key === this.lastKey) table = this.lastTable;
    else {
      table = this.tables.get(key);
      this.lastKey = key;
      this.lastTable = table;
    }
    return table === undefined ? PTE_NONE : table[vpage - key * TABLE_ENTRIES]!;
  }

  /** Installs (or replaces) the entry of `vpage`. */
  set(vpage: number, pte: number): void {
    assert(pte !== PTE_NONE, 'setting an empty page-table entry');
    const key = Math.floor(vpage / TABLE_ENTRIES);
    let table = key === this.lastKey ? this.lastTable : this.tables.get(key);
    if (table === undefined) {
      table = new Int32Array(TABLE_ENTRIES + 1);
      this.tables.set(key, table);
      this.order.add(key);
    }
    this.lastKey = key;
    this.lastTable = table;
    const slot = vpage - key * TABLE_ENTRIES;
    if (table[slot] === PTE_NONE) {
      table[COUNT_SLOT]!++;
      this.entryCount++;
    }
    table[slot] = pte;
  }

  /** Removes every entry of virtual pages [start, end). */
  unmap(start: number, end: number): void {
    this.visit(start, end, (table, slot) => {
      table[slot] = PTE_NONE;
      this.entryCount--;
      return --table[COUNT_SLOT]! === 0;
    });
  }

  /** Takes write access away from every entry of [start, end); the next write faults. */
  protect(start: number, end: number): void {
    this.visit(start, end, (table, slot) => {
      table[slot] = table[slot]! & ~PTE_WRITABLE;
      return false;
    });
  }

  /** Calls `fn` for each present entry of [start, end), in address order. */
  forEach(start: number, end: number, fn: (vpage: number, pte: number) => void): void {
    this.visit(start, end, (table, slot, vpage) => {
      fn(vpage, table[slot]!);
      return false;
    });
  }

  /**
   * Visits the present entries of [start, end). The visitor returns true when it emptied the
   * table, which is then dropped. Walks the tables there are in the range.
   */
  private visit(
    start: number,
    end: number,
    visitor: (table: Int32Array, slot: number, vpage: number) => boolean,
  ): void {
    if (start >= end || this.tables.size === 0) return;
    const firstKey = Math.floor(start / TABLE_ENTRIES);
    const lastKey = Math.floor((end - 1) / TABLE_ENTRIES);
    let keys: number[];
    if (lastKey === firstKey) keys = this.tables.has(firstKey) ? [firstKey] : [];
    else keys = this.order.between(firstKey, lastKey);
    for (const key of keys) {
      const table = this.tables.get(key)!;
      const base = key * TABLE_ENTRIES;
      const from = Math.max(start, base) - base;
      const to = Math.min(end, base + TABLE_ENTRIES) - base;
      for (let slot = from; slot < to; slot++) {
        if (table[slot] === PTE_NONE) continue;
        if (visitor(table, slot, base + slot)) {
          this.tables.delete(key);
          this.order.delete(key);
          if (this.lastKey === key) {
            this.lastKey = -1;
            this.lastTable = undefined;
          }
          break;
        }
      }
    }
  }
}
