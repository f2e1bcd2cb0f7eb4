// ZxError: a failed syscall in the idiomatic API. The status is kept, and named.

import { ZX_STATUS_NAMES } from '../abi/constants.ts';

export class ZxError extends Error {
  readonly status: number;
  /** The syscall that failed, e.g. 'zx_vmo_write'. */
  readonly syscall: string;

  constructor(status: number, syscall: string) {
    super(`${syscall} failed: ${ZX_STATUS_NAMES[status] ?? `status ${status}`}`);
    this.name = 'ZxError';
    this.status = status;
    this.syscall = syscall;
  }
}

/** Throws a ZxError unless `status` is ZX_OK. */
export function check(status: number, syscall: string): void {
  if (status !== 0) throw new ZxError(status, syscall);
}
