// Helpers of kernel.inspect(), the read-only snapshot of a kernel: stable numbers for things that
// have no koid (copy-on-write nodes, hidden ones above all), so that successive snapshots name the
// same node the same way and a viewer can follow it from step to step (weak: a number never keeps
// its object alive); and bigints made JSON-safe.

export class InspectIds {
  private readonly ids = new WeakMap<object, number>();
  private next = 1;

  /** The number of `object`, given on first sight. */
  of(object: object): number {
    let id = this.ids.get(object);
    if (id === undefined) {
      id = this.next++;
      this.ids.set(object, id);
    }
    return id;
  }
}

/** A record's 64-bit fields as decimal strings (JSON has no bigints; numbers lose past 2^53). */
export type Decimal<T> = { [K in keyof T]: T[K] extends bigint ? string : T[K] };

/** `record` with every bigint written as a decimal string, the rest as it is. */
export function decimalStrings<T extends object>(record: T): Decimal<T> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] = typeof value === 'bigint' ? value.toString() : value;
  }
  return out as Decimal<T>;
}
