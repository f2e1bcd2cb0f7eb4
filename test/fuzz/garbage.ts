// Garbage for the syscall fuzzer: values that are wrong for every parameter kind (wrong
// JavaScript types, NaN, infinities, fractions, huge numbers and bigints, frozen objects,
// accessors and proxies that throw, Uint8Arrays that are short, detached or whose members
// throw), and a small seeded generator.

/** mulberry32: a small seeded generator, so that every run makes the same calls. */
export function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function thrower(): never {
  throw new Error('fuzz: accessor throws');
}

/** An object every one of whose proxy traps throws (even typeof-free checks like isFrozen). */
function hostileProxy(): object {
  return new Proxy(
    {},
    {
      get: thrower,
      set: thrower,
      has: thrower,
      getPrototypeOf: thrower,
      isExtensible: thrower,
      getOwnPropertyDescriptor: thrower,
      defineProperty: thrower,
      ownKeys: thrower,
      preventExtensions: thrower,
    },
  );
}

function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({ value: 0 }, {});
  revoke();
  return proxy;
}

/** A Uint8Array whose length getter throws. */
class LengthThrows extends Uint8Array {
  override get length(): number {
    return thrower();
  }
}

/** A Uint8Array subclass whose copying methods throw. */
class MethodsThrow extends Uint8Array {
  override set(): void {
    thrower();
  }
  override subarray(): Uint8Array<ArrayBuffer> {
    return thrower();
  }
  override fill(): this {
    return thrower();
  }
}

/** A Uint8Array whose memory was transferred away. */
function detached(): Uint8Array {
  const bytes = new Uint8Array(64);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return bytes;
}

/** Out-parameters that cannot be written: a syscall given one must not report ZX_OK. */
export const UNWRITABLE = new WeakSet<object>();

function unwritable(values: object[]): object[] {
  for (const value of values) UNWRITABLE.add(value);
  return values;
}

/** Values that are wrong for every parameter kind. */
export function garbage(): unknown[] {
  return [
    undefined,
    null,
    true,
    false,
    '',
    'str',
    '4096',
    Symbol('fuzz'),
    () => 0,
    {},
    [],
    [1, 2, 3],
    Object.create(null),
    new Date(0),
    /re/,
    new Map(),
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    -1,
    -4096,
    0.5,
    -1.5,
    4096.25,
    1e300,
    -1e300,
    2 ** 53,
    2 ** 53 + 2,
    2 ** 63,
    2 ** 64,
    -(2 ** 63),
    -(2 ** 64),
    -1n,
    2n ** 63n,
    2n ** 64n - 1n,
    2n ** 64n,
    -(2n ** 64n),
    -(2n ** 63n) - 1n,
    2n ** 70n,
    -(2n ** 70n),
    ...unwritable([
      Object.freeze({ value: 0 }),
      Object.seal(Object.defineProperty({}, 'value', { value: 0, writable: false })),
      Object.defineProperty({}, 'value', { get: thrower, set: thrower, enumerable: true }),
      Object.defineProperty({}, 'value', { get: thrower, enumerable: true }),
      hostileProxy(),
      revokedProxy(),
    ]),
    Object.seal({ value: 0 }),
    new Proxy(new Uint8Array(64), {}),
    new LengthThrows(64),
    new MethodsThrow(64),
    detached(),
    new Uint8Array(0),
    new Uint16Array(16),
    new Int8Array(64),
    new Uint8ClampedArray(64),
    new DataView(new ArrayBuffer(64)),
    new ArrayBuffer(64),
    Buffer.alloc(64),
  ];
}

/** A random uint64 as a bigint, from small to huge. */
export function randomU64(rand: () => number): bigint {
  const bits = BigInt(Math.floor(rand() * 65));
  const high = BigInt(Math.floor(rand() * 2 ** 32));
  const low = BigInt(Math.floor(rand() * 2 ** 32));
  return ((high << 32n) | low) & ((1n << bits) - 1n);
}
