// 64-bit unsigned arithmetic as C does it. Syscall inputs arrive as `number | bigint`; they are
// normalised once at the edge into bigints (exact) and, where the value is small enough, into
// numbers for the hot paths.

export const U64_MAX = 0xffff_ffff_ffff_ffffn;
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_SIZE_N = 4096n;
export const PAGE_MASK_N = 4095n;

/** Adds two u64 values; returns null on overflow, as Zircon's add_overflow reports it. */
export function addOverflowU64(a: bigint, b: bigint): bigint | null {
  const sum = a + b;
  return sum > U64_MAX ? null : sum;
}

/** Rounds up to a page boundary; returns null when the result would overflow 64 bits. */
export function roundUpPageU64(value: bigint): bigint | null {
  const rounded = (value + PAGE_MASK_N) & ~PAGE_MASK_N;
  return rounded > U64_MAX ? null : rounded;
}

export function roundDownPageU64(value: bigint): bigint {
  return value & ~PAGE_MASK_N;
}

export function isPageAlignedU64(value: bigint): boolean {
  return (value & PAGE_MASK_N) === 0n;
}

/** Page index of a byte offset. Page indices fit in a double (at most 2^52). */
export function pageIndexOf(offset: bigint): number {
  return Number(offset >> 12n);
}
