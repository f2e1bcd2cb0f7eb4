// Handles, the handle arena and handle tables, as Zircon's object/handle.cc and
// object/handle_table.cc make them. Every handle of a kernel takes a slot of one arena, which
// holds at most 256 Ki handles at once. A handle's base value is its slot index (low 18 bits)
// and a generation (the 12 bits above) that grows each time the slot is reused, so a closed
// handle's value names nothing until its slot has been reused 4096 times. Free slots are reused
// last-freed first, as Zircon's arena does. The value a process sees is the base value shifted
// left two bits with the low two bits set (ZX_HANDLE_FIXED_BITS_MASK), xored with the
// process's secret: a value copied from another process names nothing here.

import { ZX_HANDLE_FIXED_BITS_MASK } from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { HandleValue } from './types.ts';

export class Handle {
  readonly object: Dispatcher;
  readonly rights: number;
  /** Slot index and generation (Zircon's base_value), fixed for the handle's life. */
  readonly base: number;
  /** The table the handle is in; null while it is in none (just made, or being closed). */
  owner: HandleTable | null = null;
  /** Its value in `owner`. */
  value = 0;

  /** Only HandleArena.make creates handles: a handle always holds an arena slot. */
  constructor(object: Dispatcher, rights: number, base: number) {
    this.object = object;
    this.rights = rights;
    this.base = base;
  }
}

/** The shape of an arena: Zircon's is 18 index bits, 12 generation bits, 2^18 handles. */
export interface HandleArenaLimits {
  indexBits?: number;
  generationBits?: number;
  /** The most handles that may exist at once, at most 2^indexBits. */
  capacity?: number;
}

/** Zircon's kMaxHandleCount. */
export const MAX_HANDLE_COUNT = 256 * 1024;

/** HandleTable's remembered value when it remembers none: equal to no value at all. */
const NO_VALUE = Number.NaN;

export class HandleArena {
  /** The most handles that may exist at once. */
  readonly capacity: number;
  private readonly indexBits: number;
  private readonly indexMask: number;
  private readonly generationMask: number;
  /** The live handle in each slot ever used. */
  private readonly slots: (Handle | undefined)[] = [];
  /** The base value each slot last had, from which its next generation follows. */
  private readonly lastBase: number[] = [];
  /** Free slots, the last freed on top. */
  private readonly free: number[] = [];
  private live = 0;

  constructor(limits: HandleArenaLimits = {}) {
    const indexBits = limits.indexBits ?? 18;
    const generationBits = limits.generationBits ?? 12;
    const capacity = limits.capacity ?? 2 ** indexBits;
    // A base value must leave the top two bits clear, which the shift into a value drops.
    if (
      !Number.isInteger(indexBits) ||
      !Number.isInteger(generationBits) ||
      indexBits < 1 ||
      generationBits < 1 ||
      indexBits + generationBits > 30 ||
      !Number.isInteger(capacity) ||
      capacity < 1 ||
      capacity > 2 ** indexBits
    ) {
      throw new RangeError('handle arena: bad index bits, generation bits or capacity');
    }
    this.capacity = capacity;
    this.indexBits = indexBits;
    this.indexMask = 2 ** indexBits - 1;
    this.generationMask = (2 ** generationBits - 1) * 2 ** indexBits;
  }

  /** Handles that exist now. */
  get count(): number {
    return this.live;
  }

  /** A new handle to `object`, in no table yet; null when the arena is full. */
  make(object: Dispatcher, rights: number): Handle | null {
    let index = this.free.pop();
    if (index === undefined) {
      if (this.slots.length === this.capacity) return null;
      index = this.slots.length;
      this.slots.push(undefined);
      this.lastBase.push(0);
    }
    // The next generation of the slot, wrapping within its bits (Zircon's NewHandleValue).
    const generation = ((this.lastBase[index]! >>> this.indexBits) + 1) << this.indexBits;
    const base = index | (generation & this.generationMask);
    this.lastBase[index] = base;
    const handle = new Handle(object, rights, base);
    this.slots[index] = handle;
    this.live++;
    object.retain();
    return handle;
  }

  /** Every live handle, in slot order: in tables, or in flight in no table (kernel.inspect()). */
  *liveHandles(): IterableIterator<Handle> {
    for (const handle of this.slots) if (handle !== undefined) yield handle;
  }

  /** The live handle with base value `base`, if any. */
  lookup(base: number): Handle | undefined {
    const handle = this.slots[base & this.indexMask];
    return handle !== undefined && handle.base === base ? handle : undefined;
  }

  /**
   * Destroys a handle that is in no table: its waits are cancelled, its slot is freed, and the
   * object is told when its last handle is gone (the order of Zircon's HandleTableArena::Delete).
   */
  destroy(handle: Handle): void {
    const index = handle.base & this.indexMask;
    assert(handle.owner === null, 'destroying a handle that is still in a table');
    assert(this.slots[index] === handle, 'destroying a handle twice');
    const object = handle.object;
    object.cancelObservers((o) => (o as { handle?: unknown }).handle === handle);
    this.slots[index] = undefined;
    this.free.push(index);
    this.live--;
    object.release();
  }
}

export class HandleTable {
  private readonly arena: HandleArena;
  /** The handles in the table, oldest first. */
  private readonly handles = new Set<Handle>();
  /** Xored into every value (Zircon's random_value_): the secret above the two fixed bits. */
  private readonly mixer: number;
  /**
   * The value and handle get found last (a one-entry cache): forgotten when that handle leaves
   * the table, the only way a value stops naming its handle here.
   */
  private lastValue = NO_VALUE;
  private lastHandle: Handle | undefined = undefined;

  /** `secret` comes from the kernel's deterministic generator, different for each process. */
  constructor(arena: HandleArena, secret: number) {
    this.arena = arena;
    this.mixer = (secret << 2) >>> 0;
  }

  get size(): number {
    return this.handles.size;
  }

  /** Puts a handle that is in no table into this one; returns its value here. */
  add(handle: Handle): HandleValue {
    assert(handle.owner === null, 'adding a handle that is already in a table');
    const value = (this.mixer ^ ((handle.base << 2) | ZX_HANDLE_FIXED_BITS_MASK)) >>> 0;
    handle.owner = this;
    handle.value = value;
    this.handles.add(handle);
    return value as HandleValue;
  }

  get(value: number): Handle | undefined {
    // The last handle found answers again at the cost of one comparison (a process tends to
    // call on the same handle many times running); any other value is looked up out of line.
    return value === this.lastValue ? this.lastHandle : this.lookUp(value);
  }

  /** get's lookup in the arena; the handle found becomes the remembered one. */
  private lookUp(value: number): Handle | undefined {
    // Only the very value the table gave out names a handle: a fraction, NaN, a value with a
    // fixed bit clear or past 2^32 finds a slot through the bit operations (which truncate),
    // but not that handle's value. A bigint would throw there, hence the typeof.
    if (typeof value !== 'number') return undefined;
    const handle = this.arena.lookup((value ^ this.mixer) >>> 2);
    if (handle === undefined || handle.value !== value || handle.owner !== this) return undefined;
    this.lastValue = value;
    this.lastHandle = handle;
    return handle;
  }

  /** Forgets the remembered handle (it is leaving the table). */
  private forget(): void {
    this.lastValue = NO_VALUE;
    this.lastHandle = undefined;
  }

  /** Takes a handle out of the table without closing it: it keeps its slot until destroyed. */
  take(value: number): Handle | undefined {
    const handle = this.get(value);
    if (handle === undefined) return undefined;
    this.forget(); // get remembered it
    this.handles.delete(handle);
    handle.owner = null;
    return handle;
  }

  /** Closes a handle that `take` removed (a syscall consumed it). */
  release(handle: Handle): void {
    this.arena.destroy(handle);
  }

  /** Puts back a handle that `take` removed, under the same value (a consuming call undone). */
  restore(handle: Handle): void {
    assert(handle.owner === null, 'restoring a handle that is in a table');
    handle.owner = this;
    this.handles.add(handle);
  }

  /** Closes a handle: the object is told when its last handle is gone. */
  remove(value: number): Handle | undefined {
    const handle = this.take(value);
    if (handle !== undefined) this.arena.destroy(handle);
    return handle;
  }

  /**
   * Closes every handle, newest first (Zircon's HandleTable::Clean). All leave the table before
   * any is closed, so what closing one sets off never sees the others here.
   */
  clean(): void {
    const all = [...this.handles].reverse();
    this.forget();
    this.handles.clear();
    for (const handle of all) handle.owner = null;
    for (const handle of all) this.arena.destroy(handle);
  }

  /** The values in the table, oldest first. */
  *values(): IterableIterator<number> {
    for (const handle of this.handles) yield handle.value;
  }
}

/**
 * Ends the waits registered through `handle` (Zircon's Dispatcher::Cancel), as a handle read
 * out of a channel message has them ended before it joins the reader's table.
 */
export function cancelWaitsThrough(handle: Handle): void {
  handle.object.cancelObservers((o) => o.handle === handle);
}
