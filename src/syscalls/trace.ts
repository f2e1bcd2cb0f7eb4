// Tracing, in the style of strace: a tracer sees every syscall of a process with its arguments
// decoded from the table (flag names, not numbers), its status by name (with the reason for an
// error: a traced process explains its errors) and the values it copied out. It costs nothing
// when off: the binder only wraps syscalls in `traced` when a tracer is attached.

import { ZX_STATUS_NAMES } from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import type { ParamSpec, SyscallSpec } from '../abi/syscall-spec.ts';
import type { SyscallContext } from './context.ts';

/** One finished syscall, as a tracer receives it. */
export interface SyscallEvent {
  /** The koid and name of the calling process. */
  readonly process: { readonly koid: number; readonly name: string };
  readonly syscall: string;
  /** Each argument by its C name, decoded for reading: `ZX_VMO_RESIZABLE`, `65536`, `&out`. */
  readonly args: readonly (readonly [name: string, text: string])[];
  /** The returned value: a zx_status_t (or the page size, for zx_system_get_page_size). */
  readonly status: number;
  /** ZX_OK, ZX_ERR_... (empty for syscalls that return no status). */
  readonly statusName: string;
  /** Out-parameters the call wrote, by C name. */
  readonly outs: readonly (readonly [name: string, text: string])[];
  /** Why the call failed (a traced process explains its errors); absent on success. */
  readonly reason?: string;
}

export type SyscallTracer = (event: SyscallEvent) => void;

function describeArg(param: ParamSpec, value: unknown): string {
  switch (param.kind) {
    case 'handle':
      return typeof value === 'number' ? hex(value) : String(value);
    case 'u32':
      return param.flags !== null && typeof value === 'number'
        ? nameFlags(param.flags, value >>> 0)
        : String(value);
    case 'u64':
    case 'time':
      return typeof value === 'bigint' && value > 0xffffn ? hex(value) : String(value);
    case 'buffer_in':
    case 'buffer_out':
    case 'struct_in':
    case 'struct_out':
      if (value === null) return 'NULL';
      if (ArrayBuffer.isView(value)) return `<${(value as Uint8Array).byteLength} bytes>`;
      return typeof value === 'number' || typeof value === 'bigint' ? hex(value) : String(value);
    default:
      return value === null ? 'NULL' : typeof value === 'object' ? '&out' : hex(value as number);
  }
}

function hex(value: number | bigint): string {
  if (typeof value === 'number' && (!Number.isInteger(value) || value < 0)) return String(value);
  return `0x${value.toString(16)}`;
}

/** What an out-parameter holds after the call (only `{ value }` objects are read back). */
function outValue(param: ParamSpec, out: unknown): string | undefined {
  if (typeof out !== 'object' || out === null) return undefined;
  try {
    const value = (out as { value?: unknown }).value;
    if (param.kind === 'out_handle' && typeof value === 'number') return hex(value);
    return typeof value === 'bigint' || typeof value === 'number' ? String(value) : undefined;
  } catch {
    return undefined; // a hostile getter: the tracer never throws either
  }
}

/** `syscall` wrapped so that `tracer` sees each call once it has returned. */
export function traced(
  spec: SyscallSpec,
  syscall: (...args: unknown[]) => number,
  ctx: SyscallContext,
  tracer: SyscallTracer,
): (...args: unknown[]) => number {
  return (...args: unknown[]): number => {
    const described = spec.params.map((p, i) => [p.name, describeArg(p, args[i])] as const);
    const status = syscall(...args);
    const outs: (readonly [string, string])[] = [];
    spec.params.forEach((p, i) => {
      if (!p.kind.startsWith('out_')) return;
      const text = outValue(p, args[i]);
      if (text !== undefined && status === 0) outs.push([p.name, text]);
    });
    const event: SyscallEvent = {
      process: { koid: ctx.process.koid, name: ctx.process.name },
      syscall: spec.name,
      args: described,
      status,
      statusName: spec.returns === 'status' ? (ZX_STATUS_NAMES[status] ?? String(status)) : '',
      outs,
    };
    const reason = ctx.reason?.text;
    tracer(reason === undefined ? event : { ...event, reason });
    return status;
  };
}

/**
 * One line of strace-style text: `zx_vmo_create(size=4096, options=0, out=&out) = ZX_OK;
 * out=0x1f3`, or for a failure `= ZX_ERR_ACCESS_DENIED (handle lacks ZX_RIGHT_WRITE ...)`.
 */
export function formatSyscallEvent(event: SyscallEvent): string {
  const args = event.args.map(([name, text]) => `${name}=${text}`).join(', ');
  const result = event.statusName === '' ? String(event.status) : event.statusName;
  const why = event.reason === undefined ? '' : ` (${event.reason})`;
  const outs = event.outs.map(([name, text]) => `${name}=${text}`).join(' ');
  return `[${event.process.name || event.process.koid}] ${event.syscall}(${args}) = ${result}${why}${outs === '' ? '' : `; ${outs}`}`;
}
