// Tracing, in the style of strace: a tracer sees every syscall of a process with its arguments
// decoded from the table (flag names, not numbers), its status by name (with the reason for an
// error: a traced process explains its errors) and the values it copied out; every page fault
// of a traced process (where, what it found and did); and what happens to pagers' page
// requests. It costs nothing when off: the binder only wraps syscalls in `traced` when a tracer
// is attached, an address space observes its faults only with an observer set (one check), and
// pagers tell of their requests only with one set (vm/fault-trace.ts, object/pager-dispatcher.ts).

import {
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_STATUS_NAMES,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import type { ParamSpec, SyscallSpec } from '../abi/syscall-spec.ts';
import type { PageRequestAction, PageRequestRecord } from '../object/pager-dispatcher.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import type { FaultRecord, FaultResult } from '../vm/fault-trace.ts';
import type { SyscallContext } from './context.ts';

/** One finished syscall, as a tracer receives it. */
export interface SyscallEvent {
  readonly kind: 'syscall';
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

/** One page fault of a traced process (a load, a store, or a syscall's copy of user memory). */
export interface FaultEvent {
  readonly kind: 'fault';
  readonly process: { readonly koid: number; readonly name: string };
  /** The faulting address (hex), its page's first byte. */
  readonly address: string;
  readonly access: 'read' | 'write';
  /** The VMO mapped there and the offset (hex) of the page in it; null where nothing is. */
  readonly vmoKoid: number | null;
  readonly vmoOffset: string | null;
  /** What the fault did (see FaultResult). */
  readonly result: FaultResult;
  readonly status: number;
  readonly statusName: string;
  /** Why it failed; absent unless it did. */
  readonly reason?: string;
}

/** What happened to a pager's page requests (see PageRequestAction). */
export interface PageRequestEvent {
  readonly kind: 'page_request';
  readonly action: PageRequestAction;
  /** READ, DIRTY or COMPLETE for `sent` and `completed`; null for answers. */
  readonly command: 'READ' | 'DIRTY' | 'COMPLETE' | null;
  readonly pagerKoid: number;
  readonly vmoKoid: number;
  /** The range, in bytes (hex). */
  readonly offset: string;
  readonly length: string;
  /** The status of a FAIL (`failed`); absent otherwise. */
  readonly status?: string;
}

/** Everything a tracer sees. */
export type TraceEvent = SyscallEvent | FaultEvent | PageRequestEvent;

export type Tracer = (event: TraceEvent) => void;

/** The tracer of Kernel.setTracer and Process.setTracer (the same as Tracer). */
export type SyscallTracer = Tracer;

const COMMANDS: Record<number, 'READ' | 'DIRTY' | 'COMPLETE'> = {
  [ZX_PAGER_VMO_READ]: 'READ',
  [ZX_PAGER_VMO_DIRTY]: 'DIRTY',
  [ZX_PAGER_VMO_COMPLETE]: 'COMPLETE',
};

/** The event of a fault of `process`. */
export function faultEvent(
  process: { readonly koid: number; readonly name: string },
  fault: FaultRecord,
): FaultEvent {
  const event: FaultEvent = {
    kind: 'fault',
    process: { koid: process.koid, name: process.name },
    address: hex(fault.vaddr),
    access: fault.write ? 'write' : 'read',
    vmoKoid: fault.vmo === null ? null : fault.vmo.userId,
    vmoOffset: fault.vmoPage === null ? null : hex(BigInt(fault.vmoPage) * BigInt(PAGE_SIZE)),
    result: fault.result,
    status: fault.status,
    statusName: ZX_STATUS_NAMES[fault.status] ?? String(fault.status),
  };
  return fault.reason === null ? event : { ...event, reason: fault.reason };
}

/** The event of a pager's request record. */
export function pageRequestEvent(record: PageRequestRecord): PageRequestEvent {
  const event: PageRequestEvent = {
    kind: 'page_request',
    action: record.action,
    command: record.command === null ? null : (COMMANDS[record.command] ?? null),
    pagerKoid: record.pagerKoid,
    vmoKoid: record.vmoKoid,
    offset: hex(record.offset),
    length: hex(record.length),
  };
  if (record.status === null) return event;
  return { ...event, status: ZX_STATUS_NAMES[record.status] ?? String(record.status) };
}

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
      kind: 'syscall',
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

/** What a fault did, in words. */
const RESULT_WORDS: Record<FaultResult, string> = {
  zero_page: 'mapped the zero page',
  mapped: 'mapped',
  committed: 'committed a new page',
  copied_on_write: 'copied on write',
  waiting_on_pager: 'waits for the pager',
  failed: 'failed',
};

/**
 * One line for a fault: `[demo] fault write 0x201000 (vmo 1027 offset 0x1000): copied on
 * write`, or for a failure `... : ZX_ERR_ACCESS_DENIED (the mapping at ... may not be written)`.
 */
export function formatFaultEvent(event: FaultEvent): string {
  const where = event.vmoKoid === null ? '' : ` (vmo ${event.vmoKoid} offset ${event.vmoOffset})`;
  const what =
    event.result === 'failed'
      ? `${event.statusName}${event.reason === undefined ? '' : ` (${event.reason})`}`
      : RESULT_WORDS[event.result];
  return `[${event.process.name || event.process.koid}] fault ${event.access} ${event.address}${where}: ${what}`;
}

/** One line for a page request: `[pager 1025] page request READ vmo 1027 [0x0, +0x2000): sent`. */
export function formatPageRequestEvent(event: PageRequestEvent): string {
  const command = event.command === null ? '' : ` ${event.command}`;
  const status = event.status === undefined ? '' : ` ${event.status}`;
  return `[pager ${event.pagerKoid}] page request${command} vmo ${event.vmoKoid} [${event.offset}, +${event.length}): ${event.action}${status}`;
}

/** One line of text for any event. */
export function formatTraceEvent(event: TraceEvent): string {
  if (event.kind === 'fault') return formatFaultEvent(event);
  if (event.kind === 'page_request') return formatPageRequestEvent(event);
  return formatSyscallEvent(event);
}
