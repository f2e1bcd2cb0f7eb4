// A first-in, first-out queue with O(1) push and shift (an array with a moving head, compacted
// once the dead prefix dominates), for port packets and channel messages, where queues of
// thousands are normal and Array.prototype.shift would make draining them quadratic.

export class Fifo<T> {
  /** Items [head, tail) are queued; slots past them are free (undefined) for reuse. */
  private items: (T | undefined)[] = [];
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  push(item: T): void {
    // A queue that empties and fills again (a port's, packet by packet) reuses its slots.
    if (this.tail < this.items.length) this.items[this.tail] = item;
    else this.items.push(item);
    this.tail++;
  }

  /** The oldest item, or undefined when empty. */
  peek(): T | undefined {
    return this.head < this.tail ? this.items[this.head] : undefined;
  }

  /** Removes and returns the oldest item, or undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.tail) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.tail) {
      // Empty: the slots are reused, but a burst's worth of them is let go.
      if (this.items.length > 1024) this.items = [];
      this.head = 0;
      this.tail = 0;
    } else if (this.head > 1024 && this.head * 2 > this.tail) {
      this.items = this.items.slice(this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
    return item;
  }

  /** Removes every item for which `drop` is true, keeping the order of the rest. */
  removeWhere(drop: (item: T) => boolean): T[] {
    const removed: T[] = [];
    const kept: T[] = [];
    for (let i = this.head; i < this.tail; i++) {
      const item = this.items[i] as T;
      (drop(item) ? removed : kept).push(item);
    }
    if (removed.length > 0) {
      this.items = kept;
      this.head = 0;
      this.tail = kept.length;
    }
    return removed;
  }

  /** Empties the queue, returning what it held, oldest first. */
  drain(): T[] {
    const all = this.items.slice(this.head, this.tail) as T[];
    this.items = [];
    this.head = 0;
    this.tail = 0;
    return all;
  }
}
