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
