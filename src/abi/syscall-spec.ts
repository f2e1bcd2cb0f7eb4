// The vocabulary of the syscall table: what a parameter is (its C kind, the object type and
// rights a handle needs, the flag names a number decodes to), what a syscall returns, and the
// exceptions Zircon makes to the usual order. Everything that handles syscalls generically (the
// per-process binder, the tracer, the fuzz test, the generated reference) reads these records;
// the TypeScript types of the syscall object are derived from them too.

import type { StructLayout } from './structs-layout.ts';

/** The name of a group of constants that a u32 decodes to in traces and docs (see flags.ts). */
export type FlagDomain =
  | 'rights'
  | 'signals'
  | 'obj_type'
  | 'vmo_options'
  | 'vmo_child_options'
  | 'vmo_op'
  | 'vmar_op'
  | 'vm_options'
  | 'cache_policy'
  | 'info_topic'
  | 'property'
  | 'policy_option'
  | 'policy_topic'
  | 'process_options'
  | 'rsrc_options'
  | 'bti_perm'
  | 'port_options'
  | 'wait_async_options'
  | 'channel_read_options'
  | 'channel_write_options'
  | 'status';

interface ParamBase<N extends string> {
  readonly name: N;
}

/** zx_handle_t in: looked up (with `type` and `rights`) where Zircon looks it up. */
export interface HandleParam<N extends string = string> extends ParamBase<N> {
  readonly kind: 'handle';
  /** ZX_OBJ_TYPE_*, or ANY_OBJECT for syscalls that take any object. */
  readonly type: number;
  /** The rights the lookup always requires (some syscalls add more per option or topic). */
  readonly rights: number;
  /** The syscall removes this handle from the table before any check (zx_handle_replace). */
  readonly consumed: boolean;
}

/** uint32_t and friends (options, rights, topics, counts): a number. */
export interface U32Param<N extends string = string> extends ParamBase<N> {
  readonly kind: 'u32';
  readonly flags: FlagDomain | null;
}

/** uint64_t, size_t, zx_off_t, zx_vaddr_t, zx_paddr_t: number | bigint, exact. */
export interface U64Param<N extends string = string> extends ParamBase<N> {
  readonly kind: 'u64';
  /**
   * The syscall decodes this argument itself (a fast path that keeps small numbers off bigint
   * arithmetic, as zx_vmo_read/write do): the binder hands it over as it came.
   */
  readonly raw: boolean;
}

/** zx_time_t / int64_t: number | bigint, signed. */
export interface TimeParam<N extends string = string> extends ParamBase<N> {
  readonly kind: 'time';
}

/** A user buffer (`const void*` in, `void*` out) whose byte size is another parameter. */
export interface BufferParam<N extends string = string> extends ParamBase<N> {
  readonly kind: 'buffer_in' | 'buffer_out';
  /** The parameter that holds the size (in bytes, or in elements with `element`). */
  readonly size: string;
  /** The record the buffer holds, when it has one fixed layout. */
  readonly element: StructLayout | null;
}

/**
 * A pointer to one C struct of fixed size (`const zx_port_packet_t*` in, `zx_port_packet_t*`
 * out): a buffer of `layout.size` bytes with no size parameter.
 */
export interface StructParam<N extends string = string> extends ParamBase<N> {
  readonly kind: 'struct_in' | 'struct_out';
  readonly layout: StructLayout;
}

/** An out-parameter: a handle, a u32 or a u64 that the kernel writes. */
export interface OutParam<N extends string = string> extends ParamBase<N> {
  readonly kind: 'out_handle' | 'out_u32' | 'out_u64';
}

export type ParamSpec =
  | HandleParam
  | U32Param
  | U64Param
  | TimeParam
  | BufferParam
  | StructParam
  | OutParam;
export type ParamKind = ParamSpec['kind'];

/** An error a syscall returns, with its cause in words, in the order Zircon checks. */
export type ErrorSpec = readonly [status: string, cause: string];

/**
 * ZX_ERR_SHOULD_WAIT where a pager-backed VMO's pages are needed: `what` needs pages the pager
 * has not supplied (a READ request) or, for ZX_VMO_TRAP_DIRTY, not yet let it dirty (a DIRTY
 * request). A zx thread waits there; the host, which never waits, gets SHOULD_WAIT.
 */
export function pagerWait(what: string): ErrorSpec {
  return [
    'ZX_ERR_SHOULD_WAIT',
    `${what} needs pager pages not supplied yet (READ request) or not yet dirty (DIRTY request, TRAP_DIRTY): the request is sent, and the host, which never waits, gets this where a thread waits`,
  ];
}

export interface SyscallSpec {
  readonly name: string;
  /** One line: what the syscall does. */
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  /** zx_status_t for every syscall but zx_system_get_page_size (a u32). */
  readonly returns: 'status' | 'u32';
  /** Rights and privileges, as the reference page states them. */
  readonly rights: string;
  readonly errors: readonly ErrorSpec[];
  /** The test file that covers every listed error. */
  readonly test: string;
}

/** For handles of any object type (Zircon's generic Dispatcher lookups). */
export const ANY_OBJECT = -1;

// Builders: each keeps the parameter's name and kind as literal types, so that the syscall
// object's TypeScript signature can be derived from the table.

export function handle<const N extends string>(
  name: N,
  type: number,
  rights: number,
): HandleParam<N> {
  return { name, kind: 'handle', type, rights, consumed: false };
}

/** A handle the syscall consumes before it checks anything else. */
export function consumedHandle<const N extends string>(
  name: N,
  type: number,
  rights: number,
): HandleParam<N> & { readonly consumed: true } {
  return { name, kind: 'handle', type, rights, consumed: true };
}

export function u32<const N extends string>(name: N, flags: FlagDomain | null = null): U32Param<N> {
  return { name, kind: 'u32', flags };
}

export function u64<const N extends string>(name: N): U64Param<N> & { readonly raw: false } {
  return { name, kind: 'u64', raw: false };
}

/** A u64 that the syscall decodes itself, on its fast path (see U64Param.raw). */
export function u64Raw<const N extends string>(name: N): U64Param<N> & { readonly raw: true } {
  return { name, kind: 'u64', raw: true };
}

export function time<const N extends string>(name: N): TimeParam<N> {
  return { name, kind: 'time' };
}

export function bufferIn<const N extends string>(
  name: N,
  size: string,
  element: StructLayout | null = null,
): BufferParam<N> & { readonly kind: 'buffer_in' } {
  return { name, kind: 'buffer_in', size, element };
}

export function bufferOut<const N extends string>(
  name: N,
  size: string,
  element: StructLayout | null = null,
): BufferParam<N> & { readonly kind: 'buffer_out' } {
  return { name, kind: 'buffer_out', size, element };
}

export function structIn<const N extends string>(
  name: N,
  layout: StructLayout,
): StructParam<N> & { readonly kind: 'struct_in' } {
  return { name, kind: 'struct_in', layout };
}

export function structOut<const N extends string>(
  name: N,
  layout: StructLayout,
): StructParam<N> & { readonly kind: 'struct_out' } {
  return { name, kind: 'struct_out', layout };
}

export function outHandle<const N extends string>(
  name: N,
): OutParam<N> & { readonly kind: 'out_handle' } {
  return { name, kind: 'out_handle' };
}

export function outU32<const N extends string>(
  name: N,
): OutParam<N> & { readonly kind: 'out_u32' } {
  return { name, kind: 'out_u32' };
}

export function outU64<const N extends string>(
  name: N,
): OutParam<N> & { readonly kind: 'out_u64' } {
  return { name, kind: 'out_u64' };
}

/** A table entry as written: the name is its key in the family. */
export interface SyscallEntry {
  readonly summary: string;
  readonly params: readonly ParamSpec[];
  readonly returns?: 'status' | 'u32';
  readonly rights: string;
  readonly errors: readonly ErrorSpec[];
  readonly test: string;
}

export type SpecOf<K extends string, E extends SyscallEntry> = Omit<
  SyscallSpec,
  'name' | 'params'
> & {
  readonly name: K;
  readonly params: E['params'];
};

/** A family of syscalls (one reference-page group): each entry gets its key as its name. */
export function family<const T extends Record<string, SyscallEntry>>(
  entries: T,
): { readonly [K in keyof T & string]: SpecOf<K, T[K]> } {
  const out: Record<string, SyscallSpec> = {};
  for (const [name, entry] of Object.entries(entries)) {
    out[name] = { returns: 'status', ...entry, name };
  }
  return out as { readonly [K in keyof T & string]: SpecOf<K, T[K]> };
}

// The JavaScript types a host passes for each kind (CONTRACT.md section 2).

/** An out-parameter: an object whose `value` the kernel sets, or a user address, or NULL. */
export interface Out<T> {
  value: T;
}
export type OutArg<T> = Out<T> | number | bigint | null;
export type BufferArg = Uint8Array | number | bigint | null;

export type HostArg<P> = P extends { kind: 'handle' | 'u32' }
  ? number
  : P extends { kind: 'u64' | 'time' }
    ? number | bigint
    : P extends { kind: 'buffer_in' | 'buffer_out' | 'struct_in' | 'struct_out' }
      ? BufferArg
      : P extends { kind: 'out_handle' | 'out_u32' }
        ? OutArg<number>
        : P extends { kind: 'out_u64' }
          ? OutArg<bigint>
          : never;

export type HostArgs<P extends readonly ParamSpec[]> = { -readonly [K in keyof P]: HostArg<P[K]> };
