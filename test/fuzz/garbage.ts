// Garbage for the syscall fuzzer: values no C caller could pass, and values a C caller could
// pass that sit on the edges JavaScript gets wrong. Each one comes with the source text that
// makes it, so that a failure prints a call a human can paste (the hostile classes it names are
// exported from here). The attack kinds of issue 8 are all here: numbers and bigints around
// 2^53, 2^63 and 2^64; typed arrays of another realm, of a hostile subclass, detached, out of
// bounds or of another element type; proxies; out-parameters that cannot be written; and
// objects whose conversions to a primitive throw.

import vm from 'node:vm';

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

/** One value of garbage: how to make it (fresh each time), and the code that makes it. */
export interface Junk {
  readonly code: string;
  readonly make: () => unknown;
  /** An out-parameter nothing can be written into (a ZX_OK must not pretend it was). */
  readonly unwritable?: boolean;
  /** An odd out-parameter that may receive a value all the same (sealed, a Proxy...). */
  readonly writable?: boolean;
}

export function thrower(): never {
  throw new Error('fuzz: hostile code ran');
}

/** An object every proxy trap of which throws (even Object.isFrozen and typeof-free checks). */
export function hostileProxy(target: object = {}): object {
  const traps: ProxyHandler<object> = {};
  for (const trap of [
    'get',
    'set',
    'has',
    'getPrototypeOf',
    'setPrototypeOf',
    'isExtensible',
    'getOwnPropertyDescriptor',
    'defineProperty',
    'deleteProperty',
    'ownKeys',
    'preventExtensions',
  ] as const) {
    traps[trap] = thrower;
  }
  return new Proxy(target, traps);
}

export function revokedProxy(): object {
  const { proxy, revoke } = Proxy.revocable({ value: 0 }, {});
  revoke();
  return proxy;
}

/** A Uint8Array whose length getter throws. */
export class LengthThrows extends Uint8Array {
  override get length(): number {
    return thrower();
  }
}

/** A Uint8Array whose every view getter throws: length, byteLength, byteOffset, buffer. */
export class GettersThrow extends Uint8Array {
  override get length(): number {
    return thrower();
  }
  override get byteLength(): number {
    return thrower();
  }
  override get byteOffset(): number {
    return thrower();
  }
  override get buffer(): ArrayBuffer {
    return thrower();
  }
}

/** A Uint8Array subclass whose copying methods throw. */
export class MethodsThrow extends Uint8Array {
  override set(): void {
    thrower();
  }
  override subarray(): Uint8Array<ArrayBuffer> {
    return thrower();
  }
  override slice(): Uint8Array<ArrayBuffer> {
    return thrower();
  }
  override fill(): this {
    return thrower();
  }
}

/**
 * A Uint8Array (at byte `offset` of its memory) whose memory was transferred away: its length
 * reads 0 from then on, and most of its methods throw.
 */
export function detached(length = 64, offset = 0): Uint8Array {
  const bytes = new Uint8Array(offset + length).subarray(offset);
  structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  return bytes;
}

/** A Uint8Array of another realm (vm context): host memory all the same. */
export function foreign(length = 64): Uint8Array {
  return vm.runInNewContext(`new Uint8Array(${length})`) as Uint8Array;
}

/** A view over a resizable ArrayBuffer that shrank below it: out of bounds, length 0. */
export function outOfBounds(): Uint8Array {
  const Resizable = ArrayBuffer as unknown as new (
    n: number,
    o: { maxByteLength: number },
  ) => ArrayBuffer & { resize(n: number): void };
  const memory = new Resizable(64, { maxByteLength: 128 });
  const view = new Uint8Array(memory, 32, 16);
  memory.resize(8);
  return view;
}

/** Objects whose every way to become a primitive throws. */
const HOSTILE_PRIMITIVES: readonly Junk[] = [
  { code: '({ valueOf: thrower })', make: () => ({ valueOf: thrower }) },
  { code: '({ toString: thrower })', make: () => ({ toString: thrower }) },
  { code: '({ [Symbol.toPrimitive]: thrower })', make: () => ({ [Symbol.toPrimitive]: thrower }) },
  {
    code: '({ valueOf: thrower, toString: thrower, [Symbol.toPrimitive]: thrower })',
    make: () => ({ valueOf: thrower, toString: thrower, [Symbol.toPrimitive]: thrower }),
  },
  {
    code: 'Object.assign(() => 0, { valueOf: thrower })',
    make: () => Object.assign(() => 0, { valueOf: thrower }),
  },
  { code: 'hostileProxy()', make: () => hostileProxy() },
  { code: 'revokedProxy()', make: revokedProxy },
];

const constant = (code: string, value: unknown): Junk => ({ code, make: () => value });

/** Integers around the edges of JavaScript numbers and of C's 32- and 64-bit types. */
const EDGE_NUMBERS: readonly Junk[] = [
  constant('2 ** 53 - 1', 2 ** 53 - 1),
  constant('2 ** 53', 2 ** 53),
  constant('2 ** 53 + 2', 2 ** 53 + 2),
  constant('2 ** 64 - 4096', 2 ** 64 - 4096),
  constant('2 ** 63', 2 ** 63),
  constant('2 ** 64', 2 ** 64),
  constant('-(2 ** 53)', -(2 ** 53)),
  constant('-(2 ** 63)', -(2 ** 63)),
  constant('-(2 ** 64)', -(2 ** 64)),
  constant('2 ** 32', 2 ** 32),
  constant('2 ** 32 - 1', 2 ** 32 - 1),
  constant('-(2 ** 31) - 1', -(2 ** 31) - 1),
  constant('-1', -1),
  constant('-0', -0),
  constant('-4096', -4096),
  constant('2n ** 64n - 1n', 2n ** 64n - 1n),
  constant('2n ** 64n - 4096n', 2n ** 64n - 4096n),
  constant('2n ** 63n', 2n ** 63n),
  constant('2n ** 64n', 2n ** 64n),
  constant('2n ** 32n', 2n ** 32n),
  constant('-1n', -1n),
  constant('-(2n ** 63n)', -(2n ** 63n)),
  constant('-(2n ** 63n) - 1n', -(2n ** 63n) - 1n),
  constant('2n ** 70n', 2n ** 70n),
];

/** Numbers that are no integers, and values of the wrong JavaScript type. */
const WRONG_TYPES: readonly Junk[] = [
  constant('NaN', Number.NaN),
  constant('Infinity', Number.POSITIVE_INFINITY),
  constant('-Infinity', Number.NEGATIVE_INFINITY),
  constant('0.5', 0.5),
  constant('4096.25', 4096.25),
  constant('-1.5', -1.5),
  constant('1e300', 1e300),
  constant('undefined', undefined),
  constant('null', null),
  constant('true', true),
  constant("''", ''),
  constant("'4096'", '4096'),
  constant("'0x1000'", '0x1000'),
  { code: "Symbol('fuzz')", make: () => Symbol('fuzz') },
  { code: '() => 0', make: () => () => 0 },
  { code: '{}', make: () => ({}) },
  { code: '[]', make: () => [] },
  { code: '[4096]', make: () => [4096] },
  { code: 'Object.create(null)', make: () => Object.create(null) },
  { code: 'new Date(0)', make: () => new Date(0) },
  { code: '/re/', make: () => /re/ },
  { code: 'new Map()', make: () => new Map() },
  { code: 'new Number(4096)', make: () => new Number(4096) },
  { code: 'Object(4096n)', make: () => Object(4096n) },
];

/** Things that look like buffers, or nearly: typed arrays of every sort and state. */
const BUFFERS: readonly Junk[] = [
  { code: 'foreign(64)', make: () => foreign(64) },
  { code: 'foreign(0)', make: () => foreign(0) },
  { code: 'new LengthThrows(64)', make: () => new LengthThrows(64) },
  { code: 'new GettersThrow(64)', make: () => new GettersThrow(64) },
  { code: 'new MethodsThrow(64)', make: () => new MethodsThrow(64) },
  {
    code: 'Object.setPrototypeOf(new Uint8Array(64), null)',
    make: () => Object.setPrototypeOf(new Uint8Array(64), null),
  },
  { code: 'new Proxy(new Uint8Array(64), {})', make: () => new Proxy(new Uint8Array(64), {}) },
  { code: 'hostileProxy(new Uint8Array(64))', make: () => hostileProxy(new Uint8Array(64)) },
  { code: 'detached(64)', make: () => detached(64) },
  { code: 'detached(64, 8)', make: () => detached(64, 8) },
  { code: 'outOfBounds()', make: outOfBounds },
  { code: 'new Uint8Array(0)', make: () => new Uint8Array(0) },
  { code: 'new Uint8Array(1)', make: () => new Uint8Array(1) },
  { code: 'new Uint16Array(32)', make: () => new Uint16Array(32) },
  { code: 'new Int8Array(64)', make: () => new Int8Array(64) },
  { code: 'new Uint8ClampedArray(64)', make: () => new Uint8ClampedArray(64) },
  { code: 'new BigUint64Array(8)', make: () => new BigUint64Array(8) },
  { code: 'new DataView(new ArrayBuffer(64))', make: () => new DataView(new ArrayBuffer(64)) },
  { code: 'new ArrayBuffer(64)', make: () => new ArrayBuffer(64) },
  {
    code: 'new Uint8Array(new SharedArrayBuffer(64))',
    make: () => new Uint8Array(new SharedArrayBuffer(64)),
  },
  { code: 'Buffer.alloc(64)', make: () => Buffer.alloc(64) },
  { code: "Buffer.from('pooled, at an offset')", make: () => Buffer.from('pooled, at an offset') },
];

/** Out-parameters: C's NULL, and objects that cannot (or can only just) be written. */
const OUTS: readonly Junk[] = [
  { code: 'null', make: () => null, unwritable: true },
  {
    code: 'Object.freeze({ value: 0 })',
    make: () => Object.freeze({ value: 0 }),
    unwritable: true,
  },
  {
    code: "Object.seal(Object.defineProperty({}, 'value', { value: 0, writable: false }))",
    make: () => Object.seal(Object.defineProperty({}, 'value', { value: 0, writable: false })),
    unwritable: true,
  },
  {
    code: "Object.defineProperty({}, 'value', { get: thrower, set: thrower })",
    make: () => Object.defineProperty({}, 'value', { get: thrower, set: thrower }),
    unwritable: true,
  },
  {
    code: "Object.defineProperty({}, 'value', { get: () => 0 })",
    make: () => Object.defineProperty({}, 'value', { get: () => 0 }),
    unwritable: true,
  },
  {
    code: 'new Proxy({ value: 0 }, { set: () => false })',
    make: () => new Proxy({ value: 0 }, { set: () => false }),
    unwritable: true,
  },
  { code: 'hostileProxy()', make: () => hostileProxy(), unwritable: true },
  { code: 'revokedProxy()', make: revokedProxy, unwritable: true },
  {
    code: 'Object.preventExtensions({})',
    make: () => Object.preventExtensions({}),
    unwritable: true,
  },
  { code: 'Object.freeze([0])', make: () => Object.freeze([0]), unwritable: true },
  { code: "'out'", make: () => 'out', unwritable: true },
  { code: 'true', make: () => true, unwritable: true },
  // Writable, if oddly shaped: each of these may receive the value.
  { code: 'Object.seal({ value: 0 })', make: () => Object.seal({ value: 0 }), writable: true },
  {
    code: 'Object.preventExtensions({ value: 0 })',
    make: () => Object.preventExtensions({ value: 0 }),
    writable: true,
  },
  { code: 'Object.create(null)', make: () => Object.create(null), writable: true },
  { code: 'new Proxy({ value: 0 }, {})', make: () => new Proxy({ value: 0 }, {}), writable: true },
  // Virtual addresses: NULL, unmapped, and not canonical.
  constant('0', 0),
  constant('8', 8),
  constant('2n ** 64n - 8n', 2n ** 64n - 8n),
];

/** Every kind of garbage, for any parameter. */
export function garbage(): readonly Junk[] {
  return [...EDGE_NUMBERS, ...WRONG_TYPES, ...HOSTILE_PRIMITIVES, ...BUFFERS, ...OUTS];
}

/** Garbage that fits a scalar (handle, u32, u64, time) better than anything else. */
export const SCALAR_GARBAGE: readonly Junk[] = [
  ...EDGE_NUMBERS,
  ...WRONG_TYPES,
  ...HOSTILE_PRIMITIVES,
];
/** Garbage made for buffer parameters. */
export const BUFFER_GARBAGE: readonly Junk[] = [...BUFFERS, ...HOSTILE_PRIMITIVES, ...EDGE_NUMBERS];
/** Garbage made for out-parameters. */
export const OUT_GARBAGE: readonly Junk[] = [...OUTS, ...HOSTILE_PRIMITIVES];

/** Ways to hold the same bytes as a plain Uint8Array: each must work exactly like one. */
export const HOST_MEMORY_FORMS: readonly {
  readonly code: (length: number) => string;
  readonly make: (length: number) => Uint8Array;
}[] = [
  { code: (n) => `foreign(${n})`, make: foreign },
  { code: (n) => `new LengthThrows(${n})`, make: (n) => new LengthThrows(n) },
  { code: (n) => `new GettersThrow(${n})`, make: (n) => new GettersThrow(n) },
  { code: (n) => `new MethodsThrow(${n})`, make: (n) => new MethodsThrow(n) },
  {
    code: (n) => `Object.setPrototypeOf(new Uint8Array(${n}), null)`,
    make: (n) => Object.setPrototypeOf(new Uint8Array(n), null) as Uint8Array,
  },
  {
    code: (n) => `new Uint8Array(${n} + 24).subarray(24)`,
    make: (n) => new Uint8Array(n + 24).subarray(24),
  },
  { code: (n) => `Buffer.alloc(${n})`, make: (n) => Buffer.alloc(n) },
  {
    code: (n) => `new Uint8Array(new SharedArrayBuffer(${n}))`,
    make: (n) => new Uint8Array(new SharedArrayBuffer(n)),
  },
];

const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
const slot = (name: string) => Object.getOwnPropertyDescriptor(typedArray, name)!.get!;
const [slotBuffer, slotOffset, slotLength] = ['buffer', 'byteOffset', 'length'].map(slot);

/**
 * A plain Uint8Array over the memory of a Uint8Array of any form (another realm, a subclass
 * whose getters throw), found through its internal slots only.
 */
export function plainView(view: Uint8Array): Uint8Array {
  return new Uint8Array(slotBuffer!.call(view), slotOffset!.call(view), slotLength!.call(view));
}

/**
 * An out-parameter wrapped so that the test sees whether the kernel touched it at all (looked
 * at it, or tried to write it): a call that touched an unwritable one must not return ZX_OK.
 */
export function watched(target: object): { proxy: object; touched: () => boolean } {
  let touched = false;
  const handler: ProxyHandler<object> = {};
  for (const trap of Object.getOwnPropertyNames(Reflect) as (keyof typeof Reflect)[]) {
    if (trap === 'apply' || trap === 'construct') continue;
    (handler as Record<string, unknown>)[trap] = (...args: unknown[]) => {
      touched = true;
      return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return { proxy: new Proxy(target, handler), touched: () => touched };
}

/** A random uint64 as a bigint, from small to huge (any bit width is as likely). */
export function randomU64(rand: () => number): bigint {
  const bits = BigInt(Math.floor(rand() * 65));
  const high = BigInt(Math.floor(rand() * 2 ** 32));
  const low = BigInt(Math.floor(rand() * 2 ** 32));
  return ((high << 32n) | low) & ((1n << bits) - 1n);
}
