// Handles and handle tables. A handle is an object reference plus rights. Each process has its
// own table; values have the low two bits set (ZX_HANDLE_FIXED_BITS_MASK) and are scrambled
// with a per-process secret, so a value copied from another process names nothing here.

import { ZX_HANDLE_FIXED_BITS_MASK } from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { HandleValue } from './types.ts';

export class Handle {
  readonly object: Dispatcher;
  readonly rights: number;

  constructor(object: Dispatcher, rights: number) {
    this.object = object;
    this.rights = rights;
  }
}

export class HandleTable {
  private readonly handles = new Map<number, Handle>();
  private nextSlot = 1;

  private readonly secret: number;

  /** `secret` comes from the kernel's deterministic generator, different for each process. */
  constructor(secret: number) {
    this.secret = secret;
  }

  get size(): number {
    return this.handles.size;
  }

  add(handle: Handle): HandleValue {
    // Slots are never reused, so a closed value stays invalid (until 2^30 handles later).
    const slot = this.nextSlot++ & 0x3fff_ffff;
    const value = ((((slot << 2) ^ this.secret) | ZX_HANDLE_FIXED_BITS_MASK) >>> 0) as HandleValue;
    assert(!this.handles.has(value), 'handle value collision');
    this.handles.set(value, handle);
    handle.object.retain();
    return value;
  }

  get(value: number): Handle | undefined {
    return this.handles.get(value);
  }

  /** Removes a handle from the table; the object is told when its last handle is gone. */
  remove(value: number): Handle | undefined {
    const handle = this.take(value);
    if (handle !== undefined) this.release(handle);
    return handle;
  }

  /**
   * Removes a handle from the table but keeps its reference on the object, for syscalls that
   * consume a handle and may hand its object on (zx_handle_replace); `release` drops it.
   */
  take(value: number): Handle | undefined {
    const handle = this.handles.get(value);
    if (handle === undefined) return undefined;
    this.handles.delete(value);
    handle.object.cancelObservers((o) => (o as { handle?: unknown }).handle === handle);
    return handle;
  }

  /** Drops the reference of a handle that `take` removed. */
  release(handle: Handle): void {
    handle.object.release();
  }

  values(): IterableIterator<number> {
    return this.handles.keys();
  }
}
