// Normalising syscall arguments. JavaScript callers may pass anything; C callers could only
// pass values of the parameter's type. The rule (written down in docs/DECISIONS.md):
// - an integer parameter takes a JavaScript number or bigint holding an integer that fits the
//   C type, or a negative one that C would wrap (-1 as uint64_t is UINT64_MAX); anything else
//   (NaN, fractions, strings, out-of-range values) is ZX_ERR_INVALID_ARGS before any other check;
// - a handle parameter that is not a number names no handle: ZX_ERR_BAD_HANDLE where Zircon
//   looks the handle up;
// - an out-parameter is an object { value }, written only when Zircon writes it; anything else
//   is an invalid pointer, ZX_ERR_INVALID_ARGS at the point where Zircon copies out.

const TWO_32 = 2 ** 32;
const U64_LIMIT = 1n << 64n;
const I64_MIN = -(1n << 63n);

/** A uint32_t parameter, or undefined when the value cannot be one. */
export function u32(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -(2 ** 31) || value >= TWO_32) return undefined;
    return value >>> 0;
  }
  if (typeof value === 'bigint') {
    if (value < -(1n << 31n) || value >= 1n << 32n) return undefined;
    return Number(BigInt.asUintN(32, value));
  }
  return undefined;
}

/** True when u32(value) gives a value (the binder checks before it converts). */
export function isU32(value: unknown): boolean {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= -(2 ** 31) && value < TWO_32;
  }
  return typeof value === 'bigint' && value >= -(1n << 31n) && value < 1n << 32n;
}

/** True when u64(value), and so i64(value), gives a value; makes no bigint. */
export function isU64(value: unknown): boolean {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 64;
  }
  return typeof value === 'bigint' && value >= I64_MIN && value < U64_LIMIT;
}

/** A uint64_t / size_t / zx_off_t / zx_vaddr_t parameter as an exact bigint. */
export function u64(value: unknown): bigint | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return undefined;
    if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) return BigInt(value);
    if (value < -(2 ** 63) || value >= 2 ** 64) return undefined;
    return BigInt.asUintN(64, BigInt(value));
  }
  if (typeof value === 'bigint') {
    if (value < I64_MIN || value >= U64_LIMIT) return undefined;
    return value >= 0n ? value : BigInt.asUintN(64, value);
  }
  return undefined;
}

/** A zx_time_t / int64_t parameter. */
export function i64(value: unknown): bigint | undefined {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < -(2 ** 63) || value >= 2 ** 64) return undefined;
    return BigInt.asIntN(64, BigInt(value));
  }
  if (typeof value === 'bigint') {
    if (value < I64_MIN || value >= U64_LIMIT) return undefined;
    return BigInt.asIntN(64, value);
  }
  return undefined;
}

/**
 * A small uint64 parameter as a number: the fast path of hot syscalls. Returns -1 when the
 * value is not a non-negative safe integer (the caller then takes the exact bigint path).
 */
export function smallU64(value: unknown): number {
  return typeof value === 'number' && value >= 0 && Number.isSafeInteger(value) ? value : -1;
}

/**
 * True when `offset` and `size` are both non-negative safe integers whose sum is one too: the
 * byte range of a hot syscall's fast path (smallU64 of both, and their end, in one test).
 */
export function isSmallRange(offset: unknown, size: unknown): boolean {
  return (
    typeof offset === 'number' &&
    typeof size === 'number' &&
    offset >= 0 &&
    size >= 0 &&
    Number.isSafeInteger(offset + size) &&
    Number.isInteger(offset) &&
    Number.isInteger(size)
  );
}

/** A zx_handle_t parameter: any non-number becomes a value no table holds. */
export function handleValue(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

/** An out-parameter, as the contract shapes it. */
export interface Out<T> {
  value: T;
}

/** True when `out` can receive a value (checked before side effects that copy-out would undo). */
export function isOutParam(out: unknown): out is Out<unknown> {
  try {
    return typeof out === 'object' && out !== null && !Object.isFrozen(out) && !Array.isArray(out);
  } catch {
    return false; // a Proxy whose traps throw (or a revoked one)
  }
}

/** Writes an out-parameter; false (ZX_ERR_INVALID_ARGS) when it cannot be written. */
export function writeOut(out: unknown, value: unknown): boolean {
  if (!isOutParam(out)) return false;
  try {
    return Reflect.set(out, 'value', value);
  } catch {
    return false;
  }
}
