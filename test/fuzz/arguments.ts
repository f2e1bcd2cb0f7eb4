// Arguments for the fuzzer, made from a syscall's table entry alone: a handle of the object type
// its parameter names (or of another, or a dead one), option values from its flag domain, sizes
// that go with their buffers, writable and unwritable out-parameters, and garbage of the kind
// that fits the parameter. Every argument carries the code that makes it, so that a failure
// prints a call to paste, with what the binder decodes each argument to.

import { ZX_TIME_INFINITE, ZX_TIME_INFINITE_PAST } from '../../src/abi/constants.ts';
import { flagValues, nameFlags } from '../../src/abi/flags.ts';
import { ZX_HANDLE_LAYOUT } from '../../src/abi/structs-ipc.ts';
import {
  ANY_OBJECT,
  type BufferParam,
  type ParamSpec,
  type SyscallSpec,
} from '../../src/abi/syscall-spec.ts';
import { i64, u32, u64 } from '../../src/syscalls/args.ts';
import {
  BUFFER_GARBAGE,
  garbage,
  type Junk,
  OUT_GARBAGE,
  SCALAR_GARBAGE,
  watched,
} from './garbage.ts';
import type { World } from './world.ts';

/** What a writable out-parameter holds before the call: a ZX_OK must replace it. */
export const UNSET = Symbol('unset');

export interface Arg {
  readonly value: unknown;
  /** Source text that makes the value. */
  readonly code: string;
  /** What the value is, for the reproducer (the object behind a handle...). */
  readonly note?: string;
  /** For out-parameters: a fresh `{ value }`, or one nothing can be written into. */
  readonly out?: 'writable' | 'unwritable';
  /** For watched out-parameters: whether the kernel looked at it or tried to write it. */
  readonly touched?: () => boolean;
  /** A plain host Uint8Array made for this call: its length. */
  readonly hostBytes?: number;
}

const U64_EDGES: readonly bigint[] = [
  0n,
  1n,
  8n,
  4095n,
  4096n,
  4097n,
  8192n,
  3n * 4096n + 5n,
  65536n,
  1n << 20n,
  1n << 32n,
  1n << 40n,
  1n << 47n,
  (1n << 53n) - 1n,
  1n << 53n,
  (1n << 53n) + 2n,
  1n << 63n,
  (1n << 64n) - 1n,
  (1n << 64n) - 4096n,
  0xffff_ffff_fffe_0000n,
];

const U32_EDGES: readonly number[] = [
  0, 1, 2, 3, 4, 8, 12, 16, 31, 32, 64, 255, 4096, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
];

const HOST_SIZES: readonly number[] = [0, 1, 7, 8, 16, 24, 32, 48, 64, 100, 512, 4096, 8193];

function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}

/** `value` as a number or a bigint (the contract takes both for 64-bit parameters). */
function wide(value: bigint, rand: () => number): Arg {
  const asNumber = Number(value);
  if (BigInt(asNumber) === value && rand() < 0.5) {
    return { value: asNumber, code: value < 65536n ? String(asNumber) : hex(asNumber) };
  }
  return { value, code: value < 65536n ? `${value}n` : `${hex(value)}n` };
}

export class ArgMaker {
  /** Where handles and addresses come from: a new world after a call got stuck. */
  world: World;
  private readonly rand: () => number;
  private readonly anyGarbage = garbage();
  /** Per syscall, arguments of calls that gave ZX_OK. */
  private readonly corpus = new Map<string, (readonly Arg[])[]>();

  constructor(world: World, rand: () => number) {
    this.world = world;
    this.rand = rand;
  }

  private pick<T>(values: readonly T[]): T {
    return values[Math.floor(this.rand() * values.length)]!;
  }

  /** Arguments a careful caller would pass: any failure is a real check of the kernel's. */
  sane(spec: SyscallSpec): Arg[] {
    const args = spec.params.map((param) => this.saneArg(param));
    this.matchSizes(spec, args, 1);
    return args;
  }

  /**
   * Sane but for one or two parameters (random of their kind, or garbage), so that the calls
   * get past the first checks; or every parameter random of its kind; or anything anywhere.
   * Sizes mostly match their buffers.
   */
  random(spec: SyscallSpec): Arg[] {
    const r = this.rand();
    const known = this.corpus.get(spec.name);
    let args: Arg[];
    if (r < 0.55) {
      // From arguments that once gave ZX_OK, when there are some: they reach deeper.
      const base = known !== undefined && this.rand() < 0.6 ? this.pick(known) : undefined;
      args = spec.params.map((param, i) => this.saneArg(param, base?.[i]));
      for (let k = this.rand() < 0.6 ? 1 : 2; k > 0 && args.length > 0; k--) {
        const at = Math.floor(this.rand() * args.length);
        const param = spec.params[at]!;
        args[at] = this.rand() < 0.8 ? this.randomArg(param) : this.junkFor(param);
      }
    } else if (r < 0.85) {
      args = spec.params.map((param) => this.randomArg(param));
    } else {
      args = spec.params.map((param) => {
        const q = this.rand();
        if (q < 0.3) return this.saneArg(param);
        return q < 0.7 ? this.randomArg(param) : this.junkFor(param);
      });
    }
    this.matchSizes(spec, args, 0.8);
    // Now and then one argument too many, or the last one missing.
    const odd = this.rand();
    if (odd < 0.02) args.push(this.junk(this.pick(this.anyGarbage)));
    else if (odd < 0.04 && args.length > 0) args[args.length - 1] = { value: undefined, code: '' };
    return args;
  }

  /** Garbage for `param`: mostly of the sort made for its kind. */
  junkFor(param: ParamSpec): Arg {
    if (this.rand() < 0.2) return this.junk(this.pick(this.anyGarbage), param);
    switch (param.kind) {
      case 'buffer_in':
      case 'buffer_out':
      case 'struct_in':
      case 'struct_out':
        return this.junk(this.pick(BUFFER_GARBAGE), param);
      case 'out_handle':
      case 'out_u32':
      case 'out_u64':
        return this.junk(this.pick(OUT_GARBAGE), param);
      default:
        return this.junk(this.pick(SCALAR_GARBAGE), param);
    }
  }

  /** `junk` as the argument of `param` (watched, when it is an unwritable scalar out). */
  junk(junk: Junk, param?: ParamSpec): Arg {
    const value = junk.make();
    const isOut = param?.kind.startsWith('out_') === true;
    if (!isOut) return { value, code: junk.code };
    if (junk.writable) {
      // Checked as the test's own out-parameters are: it must hold UNSET until written.
      (value as { value: unknown }).value = UNSET;
      return { value, code: junk.code, out: 'writable' };
    }
    const out = junk.unwritable ? 'unwritable' : undefined;
    const object = typeof value === 'object' && value !== null;
    if (out === 'unwritable' && object && param.kind !== 'out_handle' && this.rand() < 0.5) {
      const watch = watched(value);
      return { value: watch.proxy, code: junk.code, out, touched: watch.touched };
    }
    return { value, code: junk.code, out };
  }

  /** Keeps the scalars of a call that gave ZX_OK, to start later calls from. */
  remember(spec: SyscallSpec, args: readonly Arg[]): void {
    const known = this.corpus.get(spec.name) ?? [];
    this.corpus.set(spec.name, known);
    if (known.length < 16) known.push(args);
    else known[Math.floor(this.rand() * known.length)] = args;
  }

  /**
   * A sane argument for `param`; with `like` (the argument of a call that gave ZX_OK), the
   * same scalar again, or a fresh handle, buffer or out-parameter of the same sort.
   */
  private saneArg(param: ParamSpec, like?: Arg): Arg {
    if (like !== undefined) {
      if (param.kind === 'u32' || param.kind === 'u64' || param.kind === 'time') return like;
      if (like.hostBytes !== undefined) {
        const length = like.hostBytes;
        return {
          value: new Uint8Array(length),
          code: `new Uint8Array(${length})`,
          hostBytes: length,
        };
      }
    }
    switch (param.kind) {
      case 'handle': {
        const { value, label } = this.world.saneHandle(param);
        return { value, code: hex(value), note: label };
      }
      case 'u32': {
        if (param.flags === null) return { value: 0, code: '0' };
        const values = flagValues(param.flags);
        const value = this.rand() < 0.5 || values.length === 0 ? 0 : this.pick(values);
        return { value, code: hex(value) };
      }
      case 'u64':
        // A small offset or size, or an address (the table does not say which a u64 is).
        return wide(this.rand() < 0.2 ? this.address() : this.pick([0n, 4096n, 8192n]), this.rand);
      case 'time':
        return this.rand() < 0.5
          ? { value: 0n, code: '0n' }
          : { value: ZX_TIME_INFINITE_PAST, code: 'ZX_TIME_INFINITE_PAST' };
      case 'buffer_in':
      case 'buffer_out':
        return this.hostBuffer(param);
      case 'struct_in':
      case 'struct_out':
        return this.hostStruct(param.layout.size);
      default:
        return this.writableOut();
    }
  }

  private randomArg(param: ParamSpec): Arg {
    switch (param.kind) {
      case 'handle': {
        const { value, label } = this.world.randomHandle(param);
        return { value, code: hex(value), note: label };
      }
      case 'u32': {
        const value = param.flags === null ? this.u32Value() : this.flagsValue(param.flags);
        return { value, code: hex(value) };
      }
      case 'u64':
        return wide(this.rand() < 0.3 ? this.address() : this.u64Value(), this.rand);
      case 'time': {
        const now = this.world.kernel.now;
        const value = this.pick([0n, -1n, 1n, 1_000_000n, ZX_TIME_INFINITE, now, now + 1000n]);
        if (value === ZX_TIME_INFINITE) return { value, code: 'ZX_TIME_INFINITE' };
        return this.rand() < 0.3
          ? { value: ZX_TIME_INFINITE_PAST, code: 'ZX_TIME_INFINITE_PAST' }
          : wide(value, this.rand);
      }
      case 'buffer_in':
      case 'buffer_out':
      case 'struct_in':
      case 'struct_out': {
        const r = this.rand();
        if (r < 0.6) {
          if ('size' in param) return this.hostBuffer(param);
          // A struct, or one byte short of one.
          return this.hostStruct(param.layout.size - (this.rand() < 0.2 ? 1 : 0));
        }
        if (r < 0.7) return { value: null, code: 'null' };
        // A virtual address: mapped (the calls reported it), or not.
        const vaddr = r < 0.9 ? this.address() : this.pick([0x1000n, 1n << 47n, 1n << 63n]);
        return { ...wide(vaddr, this.rand), note: 'a virtual address' };
      }
      default: {
        const r = this.rand();
        if (r < 0.75) return this.writableOut();
        if (r < 0.85) return { ...wide(this.address(), this.rand), note: 'a virtual address' };
        return this.junk(this.pick(OUT_GARBAGE), param);
      }
    }
  }

  private writableOut(): Arg {
    return { value: { value: UNSET }, code: '{ value: 0 }', out: 'writable' };
  }

  private hostBuffer(param: BufferParam): Arg {
    const unit = param.element?.size ?? 1;
    const length = unit === 1 ? this.pick(HOST_SIZES) : unit * this.pick([0, 1, 2, 3, 8]);
    if (param.kind === 'buffer_in' && param.element === ZX_HANDLE_LAYOUT) {
      // Handles to send: values of the pool (the call takes them out of the table).
      const values = Uint32Array.from({ length: length / 4 }, () => {
        return this.world.live(ANY_OBJECT)?.value ?? 0;
      });
      const code = `new Uint8Array(Uint32Array.of(${[...values].map(hex).join(', ')}).buffer)`;
      return { value: new Uint8Array(values.buffer), code, hostBytes: length, note: 'handles' };
    }
    return { value: new Uint8Array(length), code: `new Uint8Array(${length})`, hostBytes: length };
  }

  /** Host memory for a struct parameter (no size parameter: the layout's size). */
  private hostStruct(length: number): Arg {
    return { value: new Uint8Array(length), code: `new Uint8Array(${length})`, hostBytes: length };
  }

  /** Options: zero, one named value, several or-ed, all of them, or one with an unknown bit. */
  private flagsValue(domain: Parameters<typeof flagValues>[0]): number {
    const values = flagValues(domain);
    if (values.length === 0) return this.u32Value();
    const r = this.rand();
    if (r < 0.1) return 0;
    if (r < 0.45) return this.pick(values);
    if (r < 0.75) return (this.pick(values) | this.pick(values) | this.pick(values)) >>> 0;
    if (r < 0.85) return values.reduce((a, b) => a | b, 0) >>> 0;
    const all = values.reduce((a, b) => a | b, 0);
    let unknown = 1;
    while (unknown !== 0 && (all & unknown) !== 0) unknown = (unknown << 1) >>> 0;
    return (this.pick(values) | (unknown || 0x8000_0000)) >>> 0;
  }

  private u32Value(): number {
    return this.rand() < 0.8 ? this.pick(U32_EDGES) : Math.floor(this.rand() * 2 ** 32);
  }

  private u64Value(): bigint {
    if (this.rand() < 0.85) return this.pick(U64_EDGES);
    const bits = BigInt(Math.floor(this.rand() * 65));
    const high = BigInt(Math.floor(this.rand() * 2 ** 32));
    const low = BigInt(Math.floor(this.rand() * 2 ** 32));
    return ((high << 32n) | low) & ((1n << bits) - 1n);
  }

  /** An address a call reported (mapped memory, a VMAR), at or near its start. */
  private address(): bigint {
    const known = this.world.addresses;
    if (known.length === 0) return 0x1000n;
    const base = this.pick(known);
    return base + this.pick([0n, 0n, 4096n, 3n * 4096n + 5n, 16n * 4096n]);
  }

  /**
   * Makes the size parameter of each host buffer hold its size (with `probability`): in
   * elements when the entry gives the element's layout; otherwise in bytes, or as a count small
   * enough for elements of up to 8 bytes.
   */
  private matchSizes(spec: SyscallSpec, args: Arg[], probability: number): void {
    spec.params.forEach((param, i) => {
      if (param.kind !== 'buffer_in' && param.kind !== 'buffer_out') return;
      const length = args[i]?.hostBytes;
      const at = spec.params.findIndex((p) => p.name === param.size);
      if (length === undefined || at < 0 || this.rand() >= probability) return;
      const unit = param.element?.size ?? 1;
      let size = Math.floor(length / unit);
      if (unit === 1 && this.rand() < 0.4) size = Math.floor(length / 8);
      args[at] = { value: size, code: String(size), note: `the size of ${param.name}` };
    });
  }
}

/** What the binder makes of `value` as `param`, in words. */
function decoded(param: ParamSpec | undefined, arg: Arg): string {
  const { value } = arg;
  if (param === undefined) return 'one argument too many';
  const note = arg.note === undefined ? '' : ` (${arg.note})`;
  switch (param.kind) {
    case 'handle':
      return `${typeof value === 'number' ? 'handle' : 'no number: names no handle'}${note}`;
    case 'u32': {
      const v = u32(value);
      if (v === undefined) return 'not a u32: ZX_ERR_INVALID_ARGS at the edge';
      return param.flags === null ? `${v}${note}` : `${nameFlags(param.flags, v)}${note}`;
    }
    case 'u64': {
      const v = u64(value);
      return v === undefined ? 'not a u64: ZX_ERR_INVALID_ARGS' : `${hex(v)}n${note}`;
    }
    case 'time': {
      const v = i64(value);
      return v === undefined ? 'not an i64: ZX_ERR_INVALID_ARGS' : `${v}n${note}`;
    }
    case 'buffer_in':
    case 'buffer_out':
    case 'struct_in':
    case 'struct_out':
      if (arg.hostBytes !== undefined) return `${arg.hostBytes} bytes of host memory`;
      return u64(value) === undefined ? `a buffer?${note}` : `address ${hex(u64(value)!)}n`;
    default:
      return arg.out === undefined ? `an out-parameter${note}` : `${arg.out} out-parameter`;
  }
}

/** The call as code to paste, each argument with what it decodes to. */
export function reproducer(spec: SyscallSpec, args: readonly Arg[]): string {
  const lines = args.map((arg, i) => {
    const param = spec.params[i];
    const code = arg.code === '' ? '/* omitted */' : arg.code;
    return `  ${code}, // ${param?.name ?? `extra ${i}`}: ${decoded(param, arg)}`;
  });
  return `sys.${spec.name}(\n${lines.join('\n')}\n)`;
}
