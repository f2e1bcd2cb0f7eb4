// 64-bit unsigned arithmetic as C does it. Syscall inputs arrive as `number | bigint`; they are
// normalised once at the edge into bigints (exact) and, where the value is small enough, into
// numbers for the hot paths.

export const U64_MAX = 0xffff_ffff_ffff_ffffn;
/**
 * The page size. Hot code divides by it (a byte offset to a page index): V8 reads an imported
 * binding through a cell on every use and cannot fold it, so such a division is a division
 * instruction, tens of cycles; modules on hot paths copy it into a constant of their own
 * (`const PAGE_SIZE = SHARED_PAGE_SIZE`), which V8 folds (a division by 4096 is then a
 * multiplication).
 */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_MASK_N = 4095n;
export const PAGE_SIZE_N = 4096n;
export const PAGE_SHIFT_N = 12n;

/** Rounds up to a page boundary; returns null when the result would overflow 64 bits. */
export function roundUpPageU64(value: bigint): bigint | null {
  const rounded = (value + PAGE_MASK_N) & ~PAGE_MASK_N;
  return rounded > U64_MAX ? null : rounded;
}
