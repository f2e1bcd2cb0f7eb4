// ZxError: a failed syscall in the idiomatic API. The status is kept, and named, with the
// reason the kernel gave for it (the API's calls explain their errors: Process.explained).

import { ZX_STATUS_NAMES } from '../abi/constants.ts';

export class ZxError extends Error {
  readonly status: number;
  /** The syscall that failed, e.g. 'zx_vmo_write'. */
  readonly syscall: string;
  /** Why, in words: `handle lacks ZX_RIGHT_WRITE (has ZX_RIGHT_READ | ...)`. */
  readonly reason: string | undefined;

  constructor(status: number, syscall: string, reason?: string) {
    const name = ZX_STATUS_NAMES[status] ?? `status ${status}`;
    super(`${syscall} failed: ${name}${reason === undefined ? '' : ` (${reason})`}`);
    this.name = 'ZxError';
    this.status = status;
    this.syscall = syscall;
    this.reason = reason;
  }
}

/** Throws a ZxError unless `status` is ZX_OK. */
export function check(status: number, syscall: string, reason?: string): void {
  if (status !== 0) throw new ZxError(status, syscall, reason);
}
