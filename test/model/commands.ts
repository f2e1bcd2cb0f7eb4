// fast-check commands for the VMO model test: each one makes the same call on the model
// (./model.ts), which says what status and bytes to expect, and on a real kernel, then checks
// that they agree and that memory accounting still adds up (`verify` in ./real.ts, run after
// every command). To add a syscall: add a Model method that returns the expected status, a
// command class here, and its arbitrary in ARBS.

import assert from 'node:assert/strict';
import fc from 'fast-check';

import {
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_OK,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_TRANSFER,
  ZX_RIGHT_WRITE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_UNBOUNDED,
} from '../../src/abi/constants.ts';
import { decodeZxVmoLockState } from '../../src/abi/structs.ts';
import {
  LOCK_STATE_SIZE,
  type Model,
  type ModelHandle,
  PAGE,
  U64_MAX,
  VMO_MAX_SIZE,
} from './model.ts';
import { expectBytes, expectStatus, type Real, type VmoCommand, verify } from './real.ts';

// --- arguments ------------------------------------------------------------------------------

/** Which handle a command uses: chosen when the command runs, from what exists then. */
export interface Pick {
  readonly kind: 'open' | 'stale' | 'foreign';
  readonly index: number;
}

/**
 * An offset, length or size, resolved against the VMO when the command runs: absolute; a
 * sixteenth-step fraction of the VMO (of what is left after the offset, for a length), page
 * aligned and then moved by `adjust` bytes; relative to the VMO's end; or huge.
 */
export type Pos =
  | { readonly at: 'abs'; readonly n: number }
  | { readonly at: 'frac'; readonly sixteenths: number; readonly adjust: number }
  | { readonly at: 'end'; readonly delta: number }
  | { readonly at: 'huge'; readonly v: bigint };

const HUGE = [U64_MAX, U64_MAX - 4095n, U64_MAX - 4096n, 1n << 63n, VMO_MAX_SIZE + 1n];
/** Huge sizes that fail: a huge valid size would not fit the model's byte array. */
const HUGE_SIZES = [U64_MAX, U64_MAX - 4095n, U64_MAX - 4096n, VMO_MAX_SIZE + 1n];

export const pickArb: fc.Arbitrary<Pick> = fc.record({
  kind: fc.constantFrom<Pick['kind']>(...Array(12).fill('open'), 'stale', 'foreign'),
  index: fc.nat(1000),
});

const adjustArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0) },
  { weight: 2, arbitrary: fc.integer({ min: -PAGE, max: PAGE }) },
);

function posArb(abs: number, minDelta: number, maxDelta: number, huge = HUGE) {
  return fc.oneof(
    { weight: 2, arbitrary: fc.nat(abs).map((n): Pos => ({ at: 'abs', n })) },
    {
      weight: 6,
      arbitrary: fc
        .record({ sixteenths: fc.nat(16), adjust: adjustArb })
        .map((f): Pos => ({ at: 'frac', ...f })),
    },
    {
      weight: 2,
      arbitrary: fc
        .integer({ min: minDelta, max: maxDelta })
        .map((delta): Pos => ({ at: 'end', delta })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...huge).map((v): Pos => ({ at: 'huge', v })) },
  );
}

export const offsetArb = posArb(6 * PAGE, -3 * PAGE, 2);
export const lengthArb = posArb(3 * PAGE, -2 * PAGE, 2);
export const sizeArb = posArb(16 * PAGE, -3 * PAGE, 3 * PAGE, HUGE_SIZES);

function fraction(pos: { sixteenths: number; adjust: number }, of: number): bigint {
  const pages = Math.floor(((of / PAGE) * pos.sixteenths) / 16);
  return BigInt(Math.max(0, pages * PAGE + pos.adjust));
}

/** An offset or size for a VMO of `size` bytes. */
function resolve(pos: Pos, size: number): bigint {
  if (pos.at === 'abs') return BigInt(pos.n);
  if (pos.at === 'huge') return pos.v;
  if (pos.at === 'frac') return fraction(pos, size);
  return BigInt(Math.max(0, size + pos.delta));
}

/** A length starting at `offset`, within what is left of the VMO after it (give or take). */
function resolveLength(pos: Pos, size: number, offset: bigint): bigint {
  const left = offset < BigInt(size) ? size - Number(offset) : 0;
  if (pos.at === 'frac') return fraction(pos, left);
  if (pos.at !== 'end') return resolve(pos, size);
  return BigInt(Math.max(0, left + pos.delta));
}

function show(pos: Pos): string {
  if (pos.at === 'abs') return String(pos.n);
  if (pos.at === 'huge') return `0x${pos.v.toString(16)}`;
  if (pos.at === 'frac') return `${pos.sixteenths}/16${pos.adjust === 0 ? '' : `~${pos.adjust}`}`;
  return `end${pos.delta >= 0 ? '+' : ''}${pos.delta}`;
}

/**
 * The handle a command uses. `prefer` narrows the open handles (lock ops prefer discardable
 * VMOs) for three picks out of four; the fourth takes any.
 */
function pick(
  model: Model,
  p: Pick,
  allowForeign = true,
  prefer?: (handle: ModelHandle) => boolean,
): ModelHandle | undefined {
  let pool = model.handles.filter((h) => h.open);
  const preferred = prefer === undefined ? [] : pool.filter(prefer);
  if (preferred.length > 0 && p.index % 4 !== 0) pool = preferred;
  const closed = model.handles.filter((h) => !h.open);
  if (p.kind === 'stale' && closed.length > 0) pool = closed;
  if (p.kind === 'foreign' && allowForeign) pool = model.foreign;
  if (pool.length === 0) pool = model.handles;
  return pool.length === 0 ? undefined : pool[p.index % pool.length];
}

/** Deterministic non-trivial bytes for a write. */
function pattern(seed: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    out[i] = (x >>> 16) & 0xff;
  }
  return out;
}

/** A host buffer for a transfer of `length`: real for sane lengths, a token array otherwise. */
function hostBuffer(length: bigint): Uint8Array {
  return new Uint8Array(length <= 8n << 20n ? Number(length) : 16);
}

// --- commands -------------------------------------------------------------------------------

abstract class Base implements VmoCommand {
  check(model: Readonly<Model>): boolean {
    return model.handles.length > 0;
  }
  run(model: Model, real: Real): void {
    this.apply(model, real);
    verify(model, real);
  }
  abstract apply(model: Model, real: Real): void;
  abstract toString(): string;
}

export class CreateCmd extends Base {
  readonly size: bigint;
  readonly options: number;
  constructor(size: bigint, options: number) {
    super();
    this.size = size;
    this.options = options;
  }
  override check(): boolean {
    return true;
  }
  apply(model: Model, real: Real): void {
    const out = { value: 0 };
    const status = real.sys.zx_vmo_create(this.size, this.options, out);
    const expected = model.create(this.size, this.options);
    expectStatus(status, typeof expected === 'number' ? expected : ZX_OK, String(this));
    if (typeof expected === 'number') return;
    const rights = ZX_DEFAULT_VMO_RIGHTS | (expected.resizable ? ZX_RIGHT_RESIZE : 0);
    model.addHandle(out.value, expected, rights);
  }
  toString(): string {
    return `create(${this.size}, 0x${this.options.toString(16)})`;
  }
}

export class WriteCmd extends Base {
  readonly p: Pick;
  readonly offset: Pos;
  readonly length: Pos;
  readonly seed: number;
  constructor(p: Pick, offset: Pos, length: Pos, seed: number) {
    super();
    this.p = p;
    this.offset = offset;
    this.length = length;
    this.seed = seed;
  }
  apply(model: Model, real: Real): void {
    const handle = pick(model, this.p)!;
    const size = handle.vmo?.size ?? 0;
    const offset = resolve(this.offset, size);
    const length = resolveLength(this.length, size, offset);
    const data = length <= 8n << 20n ? pattern(this.seed, Number(length)) : hostBuffer(length);
    const status = real.sys.zx_vmo_write(handle.value, data, offset, length);
    expectStatus(
      status,
      model.write(handle, offset, data, length),
      `${this} at ${offset}+${length}`,
    );
  }
  toString(): string {
    return `write(${this.p.kind}#${this.p.index}, ${show(this.offset)}, ${show(this.length)})`;
  }
}

export class ReadCmd extends Base {
  readonly p: Pick;
  readonly offset: Pos;
  readonly length: Pos;
  constructor(p: Pick, offset: Pos, length: Pos) {
    super();
    this.p = p;
    this.offset = offset;
    this.length = length;
  }
  apply(model: Model, real: Real): void {
    const handle = pick(model, this.p)!;
    const size = handle.vmo?.size ?? 0;
    const offset = resolve(this.offset, size);
    const length = resolveLength(this.length, size, offset);
    const buffer = hostBuffer(length).fill(0xa5);
    const status = real.sys.zx_vmo_read(handle.value, buffer, offset, length);
    const expected = model.read(handle, offset, length);
    const what = `${this} at ${offset}+${length}`;
    expectStatus(status, expected.status, what);
    if (expected.bytes !== undefined) expectBytes(buffer, expected.bytes, what);
    else
      assert.ok(
        buffer.every((b) => b === 0xa5),
        `${what}: failed read wrote the buffer`,
      );
  }
  toString(): string {
    return `read(${this.p.kind}#${this.p.index}, ${show(this.offset)}, ${show(this.length)})`;
  }
}

export class SetSizeCmd extends Base {
  readonly p: Pick;
  readonly size: Pos;
  readonly stream: boolean;
  constructor(p: Pick, size: Pos, stream: boolean) {
    super();
    this.p = p;
    this.size = size;
    this.stream = stream;
  }
  apply(model: Model, real: Real): void {
    const handle = pick(model, this.p)!;
    const size = resolve(this.size, handle.vmo?.size ?? 0);
    const status = this.stream
      ? real.sys.zx_vmo_set_stream_size(handle.value, size)
      : real.sys.zx_vmo_set_size(handle.value, size);
    const expected = this.stream ? model.setStreamSize(handle, size) : model.setSize(handle, size);
    expectStatus(status, expected, `${this} to ${size}`);
  }
  toString(): string {
    const name = this.stream ? 'set_stream_size' : 'set_size';
    return `${name}(${this.p.kind}#${this.p.index}, ${show(this.size)})`;
  }
}

const RANGE_OPS = { commit: ZX_VMO_OP_COMMIT, decommit: ZX_VMO_OP_DECOMMIT, zero: ZX_VMO_OP_ZERO };
export type RangeOp = keyof typeof RANGE_OPS;

export class RangeOpCmd extends Base {
  readonly p: Pick;
  readonly op: RangeOp;
  readonly offset: Pos;
  readonly length: Pos;
  constructor(p: Pick, op: RangeOp, offset: Pos, length: Pos) {
    super();
    this.p = p;
    this.op = op;
    this.offset = offset;
    this.length = length;
  }
  apply(model: Model, real: Real): void {
    // COMMIT prefers VMOs that are not reclaimable, so that it reclaims others.
    const prefer =
      this.op === 'commit'
        ? (h: ModelHandle) => h.vmo !== null && h.vmo.state !== 'reclaimable'
        : undefined;
    const handle = pick(model, this.p, true, prefer)!;
    const size = handle.vmo?.size ?? 0;
    const offset = resolve(this.offset, size);
    const length = resolveLength(this.length, size, offset);
    const status = real.sys.zx_vmo_op_range(
      handle.value,
      RANGE_OPS[this.op],
      offset,
      length,
      null,
      0,
    );
    expectStatus(status, model[this.op](handle, offset, length), `${this} at ${offset}+${length}`);
  }
  toString(): string {
    return `${this.op}(${this.p.kind}#${this.p.index}, ${show(this.offset)}, ${show(this.length)})`;
  }
}

export type LockOp = 'lock' | 'try_lock' | 'unlock';
/** The range a lock op names: the whole VMO (the only valid one) or something else. */
export type LockRange = 'whole' | 'head' | 'tail' | 'past' | 'wrap';
/** LOCK's buffer: right; NULL; buffer_size too small; a host array shorter than 32 bytes. */
export type LockBuffer = 'ok' | 'null' | 'small' | 'short';

export class LockCmd extends Base {
  readonly p: Pick;
  readonly op: LockOp;
  readonly range: LockRange;
  readonly buffer: LockBuffer;
  constructor(p: Pick, op: LockOp, range: LockRange, buffer: LockBuffer) {
    super();
    this.p = p;
    this.op = op;
    this.range = range;
    this.buffer = buffer;
  }
  apply(model: Model, real: Real): void {
    // UNLOCK prefers a locked VMO, TRY_LOCK a discarded one, LOCK any discardable one.
    const prefer = {
      lock: (h: ModelHandle) => h.vmo?.discardable === true,
      try_lock: (h: ModelHandle) => h.vmo?.state === 'discarded',
      unlock: (h: ModelHandle) => (h.vmo?.lockCount ?? 0) > 0,
    }[this.op];
    const handle = pick(model, this.p, true, prefer)!;
    const size = BigInt(handle.vmo?.size ?? 0);
    const ranges: Record<typeof this.range, readonly [bigint, bigint]> = {
      whole: [0n, size],
      head: [0n, size > 4096n ? size - 4096n : size + 4096n],
      tail: [4096n, size > 4096n ? size - 4096n : 0n],
      past: [0n, size + 4096n],
      wrap: [U64_MAX, 2n],
    };
    const [offset, length] = ranges[this.range];
    const what = `${this} on ${offset}+${length}`;
    if (this.op === 'lock') {
      const host = { ok: 40, null: null, small: 40, short: 8 }[this.buffer];
      const bufferSize = this.buffer === 'small' ? 8 : LOCK_STATE_SIZE;
      const buffer = host === null ? null : new Uint8Array(host);
      const status = real.sys.zx_vmo_op_range(
        handle.value,
        ZX_VMO_OP_LOCK,
        offset,
        length,
        buffer,
        bufferSize,
      );
      const expected = model.lock(handle, offset, length, host, bufferSize);
      expectStatus(status, expected.status, what);
      if (expected.discardedSize !== undefined && buffer !== null) {
        const state = decodeZxVmoLockState(buffer.subarray(0, LOCK_STATE_SIZE));
        assert.deepEqual(
          state,
          { offset: 0n, size, discarded_offset: 0n, discarded_size: expected.discardedSize },
          what,
        );
      }
      return;
    }
    const op = this.op === 'try_lock' ? ZX_VMO_OP_TRY_LOCK : ZX_VMO_OP_UNLOCK;
    const status = real.sys.zx_vmo_op_range(handle.value, op, offset, length, null, 0);
    const expected =
      this.op === 'try_lock'
        ? model.tryLock(handle, offset, length)
        : model.unlock(handle, offset, length);
    expectStatus(status, expected, what);
  }
  toString(): string {
    const buffer = this.op === 'lock' ? `, ${this.buffer}` : '';
    return `${this.op}(${this.p.kind}#${this.p.index}, ${this.range}${buffer})`;
  }
}

export class DuplicateCmd extends Base {
  readonly p: Pick;
  readonly rights: number;
  constructor(p: Pick, rights: number) {
    super();
    this.p = p;
    this.rights = rights;
  }
  apply(model: Model, real: Real): void {
    const handle = pick(model, this.p, false)!;
    const out = { value: 0 };
    const status = real.sys.zx_handle_duplicate(handle.value, this.rights, out);
    const expected = model.duplicate(handle, this.rights);
    expectStatus(status, expected.status, `${this}`);
    if (expected.rights !== undefined) model.addHandle(out.value, handle.vmo!, expected.rights);
  }
  toString(): string {
    return `duplicate(${this.p.kind}#${this.p.index}, 0x${this.rights.toString(16)})`;
  }
}

export class CloseCmd extends Base {
  readonly p: Pick;
  constructor(p: Pick) {
    super();
    this.p = p;
  }
  apply(model: Model, real: Real): void {
    const handle = pick(model, this.p, false)!;
    expectStatus(real.sys.zx_handle_close(handle.value), model.close(handle), `${this}`);
  }
  toString(): string {
    return `close(${this.p.kind}#${this.p.index})`;
  }
}

// --- the command mix ------------------------------------------------------------------------

const createSizeArb = fc.oneof(
  { weight: 4, arbitrary: fc.nat(12 * PAGE).map(BigInt) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 64 }).map((p) => BigInt(p * PAGE)) },
  { weight: 1, arbitrary: fc.constantFrom(...HUGE_SIZES) },
);

const createOptionsArb = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(0, ZX_VMO_RESIZABLE) },
  { weight: 12, arbitrary: fc.constantFrom(ZX_VMO_DISCARDABLE, ZX_VMO_DISCARDABLE | 2) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, 0x20, 1 << 31, 0x1),
  },
);

/** Rights a duplicate asks for: mostly subsets of the VMO rights that matter here. */
const rightsArb = fc.oneof(
  { weight: 1, arbitrary: fc.constant(ZX_RIGHT_SAME_RIGHTS) },
  {
    weight: 6,
    arbitrary: fc
      .subarray([ZX_RIGHT_READ, ZX_RIGHT_WRITE, ZX_RIGHT_RESIZE, ZX_RIGHT_DUPLICATE, ZX_RIGHT_MAP])
      .map((bits) => bits.reduce((a, b) => a | b, ZX_RIGHT_TRANSFER)),
  },
);

const lockOpArb = fc.constantFrom<LockOp>('lock', 'lock', 'try_lock', 'unlock', 'unlock', 'unlock');
const WHOLE: Pos = { at: 'frac', sixteenths: 16, adjust: 0 };
const START: Pos = { at: 'abs', n: 0 };

/** Every command's arbitrary; a test weights them with `mix`. */
export const ARBS = {
  create: fc.tuple(createSizeArb, createOptionsArb).map(([s, o]) => new CreateCmd(s, o)),
  /** A discardable VMO of 1 to 32 pages. */
  createDiscardable: fc
    .tuple(fc.integer({ min: 1, max: 32 }), fc.boolean())
    .map(([pages, r]) => new CreateCmd(BigInt(pages * PAGE), ZX_VMO_DISCARDABLE | (r ? 2 : 0))),
  write: fc
    .tuple(pickArb, offsetArb, lengthArb, fc.integer())
    .map(([p, o, l, s]) => new WriteCmd(p, o, l, s)),
  read: fc.tuple(pickArb, offsetArb, lengthArb).map(([p, o, l]) => new ReadCmd(p, o, l)),
  setSize: fc
    .tuple(pickArb, sizeArb, fc.boolean())
    .map(([p, s, stream]) => new SetSizeCmd(p, s, stream)),
  rangeOp: fc
    .tuple(
      pickArb,
      fc.constantFrom<RangeOp>('commit', 'commit', 'decommit', 'zero'),
      offsetArb,
      lengthArb,
    )
    .map(([p, op, o, l]) => new RangeOpCmd(p, op, o, l)),
  /** COMMIT of a whole VMO: the quickest way to run out of memory. */
  commitWhole: pickArb.map((p) => new RangeOpCmd(p, 'commit', START, WHOLE)),
  lock: fc
    .tuple(
      pickArb,
      lockOpArb,
      fc.constantFrom<LockRange>(...Array(12).fill('whole'), 'head', 'tail', 'past', 'wrap'),
      fc.constantFrom<LockBuffer>(...Array(8).fill('ok'), 'null', 'small', 'short'),
    )
    .map(([p, op, r, b]) => new LockCmd(p, op, r, b)),
  /** LOCK, TRY_LOCK or UNLOCK of the whole VMO with a good buffer. */
  lockWhole: fc.tuple(pickArb, lockOpArb).map(([p, op]) => new LockCmd(p, op, 'whole', 'ok')),
  duplicate: fc.tuple(pickArb, rightsArb).map(([p, r]) => new DuplicateCmd(p, r)),
  close: pickArb.map((p) => new CloseCmd(p)),
} satisfies Record<string, fc.Arbitrary<VmoCommand>>;

/** The arbitraries repeated by weight (fc.commands picks among them uniformly). */
export function mix(
  weights: Partial<Record<keyof typeof ARBS, number>>,
): fc.Arbitrary<VmoCommand>[] {
  const out: fc.Arbitrary<VmoCommand>[] = [];
  for (const [name, weight] of Object.entries(weights) as [keyof typeof ARBS, number][]) {
    for (let i = 0; i < weight; i++) out.push(ARBS[name]);
  }
  return out;
}
