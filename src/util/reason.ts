// Reasons: why a call failed, in words. They are kept only while someone asks (a traced or
// explaining syscall, see src/syscalls/explain.ts); otherwise a failing check costs what it
// cost before: `because(status, why, ...values)` returns `status`, and `why` is a constant
// string or a function that is never called, so no text is built.
//
// A `why` function gets the values it formats as arguments and captures nothing: V8 gives a
// function whose inner closure captures its parameters (or `this`) a context object on every
// call, so a capturing closure on an error path would cost every successful call an allocation.
//
// The syscall layer records into its context (`fail` in src/syscalls/context.ts). The layers
// below it have no context, and should not get one: they call `because`, which records into the
// slot of the explaining syscall running now. Syscalls are synchronous, so "now" is exact: the
// explaining wrapper sets the slot before the call and puts the previous one back after it.

/** A reason, and the status it explains (a reason given for another status is stale). */
export interface Reason {
  readonly status: number;
  readonly text: string;
  /** Set when no check gave a reason and the text is the table's causes for the status. */
  readonly fallback?: true;
}

/** Where an explaining syscall keeps the reason for the status it returns. */
export interface ReasonSlot {
  /** True while a call on this slot explains its errors. */
  explain: boolean;
  /** The last reason given during the call: the last check to fail is the one that decided. */
  reason: Reason | null;
}

/** A reason as a failing check gives it: words, or a function that formats `values` into words. */
export type Why<A extends unknown[]> = string | ((...values: A) => string);

let current: ReasonSlot | null = null;

/** Records `why` (formatting `values`) for `status` in `slot`, and returns `status`. */
export function record<A extends unknown[]>(
  slot: ReasonSlot,
  status: number,
  why: Why<A>,
  values: A,
): number {
  slot.reason = { status, text: typeof why === 'string' ? why : why(...values) };
  return status;
}

/** `status`; with `why` recorded when a syscall is explaining (for layers without a context). */
export function because<A extends unknown[]>(status: number, why: Why<A>, ...values: A): number {
  return current === null ? status : record(current, status, why, values);
}

/** Runs `call` with `because` recording into `slot`. */
export function explaining<T>(slot: ReasonSlot, call: () => T): T {
  const outer = current;
  const wasOn = slot.explain;
  current = slot;
  slot.explain = true;
  try {
    return call();
  } finally {
    current = outer;
    slot.explain = wasOn;
  }
}

/** `0x1f3`: how reasons print addresses, sizes and handle values. */
export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
