// Host memory (a Uint8Array) as the kernel sees it. Everything here reads a typed array's
// internal slots through the intrinsic %TypedArray% getters, never through the object's own
// properties: a subclass (or an instance) may override `length`, `buffer` or `byteOffset` with
// getters that throw, and an array made in another realm (node:vm, an iframe, a worker) fails
// `instanceof Uint8Array` although it is host memory all the same.

const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype);

function intrinsicGetter(key: string | symbol): (this: unknown) => unknown {
  return Object.getOwnPropertyDescriptor(typedArrayPrototype, key)!.get!;
}

const kindOf = intrinsicGetter(Symbol.toStringTag);
const lengthOf = intrinsicGetter('length');
const bufferOf = intrinsicGetter('buffer');
const byteOffsetOf = intrinsicGetter('byteOffset');

/** True when `value` is a Uint8Array of any realm or subclass (a Proxy of one is not). */
export function isHostBytes(value: unknown): value is Uint8Array {
  // isView accepts DataViews too; the tag getter gives undefined for anything but a typed array.
  return ArrayBuffer.isView(value) && kindOf.call(value) === 'Uint8Array';
}

/** The number of bytes of host memory (0 once its buffer is detached). */
export function hostByteLength(bytes: Uint8Array): number {
  return lengthOf.call(bytes) as number;
}

/**
 * A plain Uint8Array of this realm over the same bytes as `bytes`, so that the kernel's own
 * uses of it (`length`, `set`, `subarray`) never run code the caller put on the object.
 */
export function hostView(bytes: Uint8Array): Uint8Array {
  const length = hostByteLength(bytes);
  // A detached buffer has length 0 and cannot be viewed at all.
  if (length === 0) return new Uint8Array(0);
  const buffer = bufferOf.call(bytes) as ArrayBufferLike;
  return new Uint8Array(buffer, byteOffsetOf.call(bytes) as number, length);
}

// The copy primitives the VM layer uses on caller-owned arrays: the intrinsic methods, called
// on the array, so that nothing the caller put on the object (an own `set`, a subclass's
// `subarray` or species constructor) ever runs, and no new view is made per call.

const intrinsicSet = typedArrayPrototype.set as (
  this: Uint8Array,
  source: ArrayLike<number>,
  offset?: number,
) => void;
const intrinsicFill = typedArrayPrototype.fill as (
  this: Uint8Array,
  value: number,
  start?: number,
  end?: number,
) => Uint8Array;

/** target[offset ...] = source, for host arrays of any realm or subclass. */
export function setBytes(target: Uint8Array, source: Uint8Array, offset: number): void {
  intrinsicSet.call(target, source, offset);
}

/** target[start, end) = value. */
export function fillBytes(target: Uint8Array, value: number, start: number, end: number): void {
  intrinsicFill.call(target, value, start, end);
}

/** A plain view of bytes [from, from + length) of `bytes` (no species constructor runs). */
export function viewBytes(bytes: Uint8Array, from: number, length: number): Uint8Array {
  const offset = byteOffsetOf.call(bytes) as number;
  return new Uint8Array(bufferOf.call(bytes) as ArrayBufferLike, offset + from, length);
}
