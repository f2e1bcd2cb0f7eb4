// Generic machinery for Zircon C struct layouts: a layout is computed once from an ordered field
// list using the C rules for natural alignment on a 64-bit little-endian target, and the same
// layout then drives both encoding and decoding. Zircon's ABI structs spell out every padding byte
// as a named field, so a layout that would need compiler-inserted padding is rejected at module
// load time: it means a field list was transcribed wrongly.

import { ZX_MAX_NAME_LEN } from './constants.ts';

/** Scalar C types that appear in the ABI structs. size_t and uintptr_t are 'u64' (LP64). */
export type ScalarType = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'i64';

/** How one field of a struct is declared. */
export type FieldSpec =
  | readonly [name: string, type: ScalarType]
  | readonly [name: string, type: 'name']
  | readonly [name: string, type: 'pad', bytes: number]
  | readonly [name: string, type: StructLayout];

/** Computed placement of one field. */
export interface FieldLayout {
  readonly name: string;
  /** Byte offset from the start of the struct. */
  readonly offset: number;
  /** Width of the field in bytes. */
  readonly size: number;
  /** C-ish spelling of the field type, e.g. 'u64', 'char[32]', 'u8[4]', 'zx_info_maps_mapping_t'. */
  readonly type: string;
}

/** Computed layout of a whole struct. */
export interface StructLayout {
  /** The C typedef name, e.g. 'zx_info_vmo_t'. */
  readonly name: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly FieldLayout[];
  /** Internal: declared field kinds, parallel to `fields`. */
  readonly specs: readonly FieldSpec[];
}

const SCALAR_SIZE: Readonly<Record<ScalarType, number>> = {
  u8: 1,
  u16: 2,
  u32: 4,
  i32: 4,
  u64: 8,
  i64: 8,
};

function specSizeAlign(spec: FieldSpec): { size: number; align: number; type: string } {
  const kind = spec[1];
  if (typeof kind === 'object') return { size: kind.size, align: kind.align, type: kind.name };
  if (kind === 'name') return { size: ZX_MAX_NAME_LEN, align: 1, type: `char[${ZX_MAX_NAME_LEN}]` };
  if (kind === 'pad') {
    const bytes = spec[2] as number;
    return { size: bytes, align: 1, type: `u8[${bytes}]` };
  }
  const size = SCALAR_SIZE[kind];
  return { size, align: size, type: kind };
}

/** Lays out `specs` in order with natural alignment; throws if any implicit padding is needed. */
export function defineStruct(name: string, specs: readonly FieldSpec[]): StructLayout {
  const fields: FieldLayout[] = [];
  let offset = 0;
  let align = 1;
  for (const spec of specs) {
    const f = specSizeAlign(spec);
    if (offset % f.align !== 0) {
      throw new Error(`${name}.${spec[0]}: offset ${offset} needs implicit padding`);
    }
    fields.push({ name: spec[0], offset, size: f.size, type: f.type });
    offset += f.size;
    align = Math.max(align, f.align);
  }
  if (offset % align !== 0) throw new Error(`${name}: needs implicit tail padding`);
  return { name, size: offset, align, fields, specs };
}

const INT_RANGE: Readonly<Record<'u8' | 'u16' | 'u32' | 'i32', readonly [number, number]>> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
};
const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');

/**
 * Encodes a kernel object name into a char[ZX_MAX_NAME_LEN] field: UTF-8, cut to at most
 * ZX_MAX_NAME_LEN - 1 bytes without splitting a character, and NUL-filled to the end.
 */
export function encodeName(view: DataView, offset: number, name: string): void {
  let bytes = utf8Encoder.encode(name);
  let len = Math.min(bytes.length, ZX_MAX_NAME_LEN - 1);
  // Step back over UTF-8 continuation bytes so the cut lands on a character boundary.
  while (len > 0 && len < bytes.length && ((bytes[len] as number) & 0xc0) === 0x80) len--;
  bytes = bytes.subarray(0, len);
  for (let i = 0; i < ZX_MAX_NAME_LEN; i++) {
    view.setUint8(offset + i, i < bytes.length ? (bytes[i] as number) : 0);
  }
}

/** Decodes a char[ZX_MAX_NAME_LEN] field: the bytes up to the first NUL, as UTF-8. */
export function decodeName(view: DataView, offset: number): string {
  const raw = new Uint8Array(view.buffer, view.byteOffset + offset, ZX_MAX_NAME_LEN);
  const end = raw.indexOf(0);
  return utf8Decoder.decode(raw.subarray(0, end < 0 ? ZX_MAX_NAME_LEN : end));
}

function fail(path: string, what: string, value: unknown, wrongType: boolean): never {
  const shown = typeof value === 'bigint' ? `${value}n` : String(value);
  const ctor = wrongType ? TypeError : RangeError;
  throw new ctor(`${path}: expected ${what}, got ${shown}`);
}

function writeScalar(view: DataView, at: number, type: ScalarType, v: unknown, path: string) {
  if (type === 'u64' || type === 'i64') {
    const [min, max] = type === 'u64' ? [0n, UINT64_MAX] : [INT64_MIN, INT64_MAX];
    if (typeof v !== 'bigint') fail(path, `a bigint (${type})`, v, true);
    if (v < min || v > max) fail(path, `a value in ${type} range`, v, false);
    if (type === 'u64') view.setBigUint64(at, v, true);
    else view.setBigInt64(at, v, true);
    return;
  }
  const [min, max] = INT_RANGE[type];
  if (typeof v !== 'number') fail(path, `a number (${type})`, v, true);
  if (!Number.isInteger(v) || v < min || v > max) {
    fail(path, `an integer in [${min}, ${max}]`, v, false);
  }
  if (type === 'u8') view.setUint8(at, v);
  else if (type === 'u16') view.setUint16(at, v, true);
  else if (type === 'u32') view.setUint32(at, v, true);
  else view.setInt32(at, v, true);
}

function readScalar(view: DataView, at: number, type: ScalarType): number | bigint {
  switch (type) {
    case 'u8':
      return view.getUint8(at);
    case 'u16':
      return view.getUint16(at, true);
    case 'u32':
      return view.getUint32(at, true);
    case 'i32':
      return view.getInt32(at, true);
    case 'u64':
      return view.getBigUint64(at, true);
    case 'i64':
      return view.getBigInt64(at, true);
  }
}

function encodeAt(layout: StructLayout, view: DataView, base: number, value: object, path: string) {
  const record = value as Record<string, unknown>;
  layout.specs.forEach((spec, i) => {
    const at = base + (layout.fields[i] as FieldLayout).offset;
    const kind = spec[1];
    const fieldPath = `${path}.${spec[0]}`;
    if (kind === 'pad') {
      for (let j = 0; j < (spec[2] as number); j++) view.setUint8(at + j, 0);
      return;
    }
    const v = record[spec[0]];
    if (kind === 'name') {
      if (typeof v !== 'string') fail(fieldPath, 'a string', v, true);
      encodeName(view, at, v);
    } else if (typeof kind === 'object') {
      if (typeof v !== 'object' || v === null) fail(fieldPath, `a ${kind.name} object`, v, true);
      encodeAt(kind, view, at, v, fieldPath);
    } else {
      writeScalar(view, at, kind, v, fieldPath);
    }
  });
}

function decodeAt(layout: StructLayout, view: DataView, base: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  layout.specs.forEach((spec, i) => {
    const at = base + (layout.fields[i] as FieldLayout).offset;
    const kind = spec[1];
    if (kind === 'pad') return;
    if (kind === 'name') out[spec[0]] = decodeName(view, at);
    else if (typeof kind === 'object') out[spec[0]] = decodeAt(kind, view, at);
    else out[spec[0]] = readScalar(view, at, kind);
  });
  return out;
}

/**
 * Writes `value` at `offset` in `view` following `layout`. Padding bytes are zeroed. Throws
 * RangeError if the struct does not fit or a number is out of range for its C type, and
 * TypeError if a field is missing or has the wrong JavaScript type. On error nothing is written.
 */
export function encodeStruct(layout: StructLayout, view: DataView, offset: number, value: object) {
  if (!Number.isInteger(offset) || offset < 0 || offset + layout.size > view.byteLength) {
    throw new RangeError(
      `${layout.name}: ${layout.size} bytes at offset ${offset} do not fit in ${view.byteLength}`,
    );
  }
  // Encode into scratch space first so a validation failure leaves the target untouched.
  const scratch = new DataView(new ArrayBuffer(layout.size));
  encodeAt(layout, scratch, 0, value, layout.name);
  new Uint8Array(view.buffer, view.byteOffset + offset, layout.size).set(
    new Uint8Array(scratch.buffer),
  );
}

/** Reads a struct laid out as `layout` from the start of `bytes`; padding bytes are ignored. */
export function decodeStruct(layout: StructLayout, bytes: Uint8Array): Record<string, unknown> {
  if (bytes.byteLength < layout.size) {
    throw new RangeError(`${layout.name}: need ${layout.size} bytes, got ${bytes.byteLength}`);
  }
  return decodeAt(layout, new DataView(bytes.buffer, bytes.byteOffset, layout.size), 0);
}

/**
 * One struct: its layout and both directions of its codec, derived from that one description.
 * `T` is the TypeScript shape of the record (64-bit fields bigint, names strings).
 */
export interface StructCodec<T extends object> {
  readonly layout: StructLayout;
  readonly size: number;
  /** encodeStruct with this layout. */
  readonly encode: (view: DataView, offset: number, value: T) => void;
  /** decodeStruct with this layout. */
  readonly decode: (bytes: Uint8Array) => T;
}

/** Lays out `specs` (defineStruct) and derives the struct's encoder and decoder from it. */
export function defineCodec<T extends object>(
  name: string,
  specs: readonly FieldSpec[],
): StructCodec<T> {
  const layout = defineStruct(name, specs);
  return {
    layout,
    size: layout.size,
    encode: (view, offset, value) => encodeStruct(layout, view, offset, value),
    decode: (bytes) => decodeStruct(layout, bytes) as unknown as T,
  };
}
