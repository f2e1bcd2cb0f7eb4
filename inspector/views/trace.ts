// The trace table's rows: one per event (a syscall, a page fault, a page-request event), as
// text cells, so that the page and the browser test make them the same way.

import type { TraceEvent } from '../../src/index.ts';

/** The cells of one trace row: what happened, its arguments, its result and outs. */
export interface TraceRow {
  readonly call: string;
  readonly args: string;
  readonly result: string;
  /** The result is an error (painted so). */
  readonly error: boolean;
  /** Why it failed, for a tooltip; null when it did not. */
  readonly reason: string | null;
  readonly outs: string;
  /** `syscall`, `fault` or `page_request`, for styling. */
  readonly kind: TraceEvent['kind'];
}

export function traceRow(event: TraceEvent): TraceRow {
  if (event.kind === 'fault') {
    const where = event.vmoKoid === null ? '' : `, vmo=${event.vmoKoid}, offset=${event.vmoOffset}`;
    const failed = event.result === 'failed';
    return {
      call: `fault ${event.access}`,
      args: `address=${event.address}${where}`,
      result: failed ? event.statusName : event.result,
      error: failed,
      reason: event.reason ?? null,
      outs: '',
      kind: event.kind,
    };
  }
  if (event.kind === 'page_request') {
    return {
      call: `page request${event.command === null ? '' : ` ${event.command}`}`,
      args: `pager=${event.pagerKoid}, vmo=${event.vmoKoid}, offset=${event.offset}, length=${event.length}`,
      result: event.status === undefined ? event.action : `${event.action} ${event.status}`,
      error: false,
      reason: null,
      outs: '',
      kind: event.kind,
    };
  }
  return {
    call: event.syscall,
    args: event.args.map(([name, text]) => `${name}=${text}`).join(', '),
    result: event.statusName === '' ? String(event.status) : event.statusName,
    error: event.status !== 0 && event.statusName !== '',
    reason: event.reason ?? null,
    outs: event.outs.map(([name, text]) => `${name}=${text}`).join(' '),
    kind: event.kind,
  };
}

/** The rows as the table shows them: number, call, args, result, outs. */
export function traceTable(events: readonly TraceEvent[]): string[][] {
  return events.map((event, i) => {
    const row = traceRow(event);
    return [String(i + 1), row.call, row.args, row.result, row.outs];
  });
}
