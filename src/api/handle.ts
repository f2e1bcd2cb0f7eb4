// Handle: an owned handle value in one process, closed by dispose (`using`) or close(). Like
// Rust's zx crate, each method names the syscall it wraps.

import { ZX_HANDLE_INVALID, ZX_INFO_HANDLE_BASIC, ZX_RIGHT_SAME_RIGHTS } from '../abi/constants.ts';
import {
  decodeZxInfoHandleBasic,
  ZX_INFO_HANDLE_BASIC_SIZE,
  type ZxInfoHandleBasic,
} from '../abi/structs.ts';
import type { Process } from '../process.ts';
import { check } from './error.ts';

export class Handle {
  protected readonly process: Process;
  private value: number;

  constructor(process: Process, value: number) {
    this.process = process;
    this.value = value;
  }

  /** The raw handle value (ZX_HANDLE_INVALID once closed or moved). */
  get raw(): number {
    return this.value;
  }

  get isValid(): boolean {
    return this.value !== ZX_HANDLE_INVALID;
  }

  /** The process's syscalls that explain their errors, so that a ZxError says why. */
  protected get sys() {
    return this.process.explained;
  }

  /** Throws a ZxError, with the kernel's reason, unless `status` is ZX_OK. */
  protected check(status: number, syscall: string): void {
    if (status !== 0) check(status, syscall, this.process.explainedReason);
  }

  /** zx_handle_close */
  close(): void {
    if (this.value === ZX_HANDLE_INVALID) return;
    const value = this.value;
    this.value = ZX_HANDLE_INVALID;
    this.check(this.sys.zx_handle_close(value), 'zx_handle_close');
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** zx_handle_duplicate: a new handle value with `rights` (default: the same rights). */
  duplicateRaw(rights: number = ZX_RIGHT_SAME_RIGHTS): number {
    const out = { value: 0 };
    this.check(this.sys.zx_handle_duplicate(this.value, rights, out), 'zx_handle_duplicate');
    return out.value;
  }

  /** zx_handle_replace: consumes this handle, returns the new value. */
  replaceRaw(rights: number = ZX_RIGHT_SAME_RIGHTS): number {
    const out = { value: 0 };
    const value = this.value;
    this.value = ZX_HANDLE_INVALID;
    this.check(this.sys.zx_handle_replace(value, rights, out), 'zx_handle_replace');
    return out.value;
  }

  /** zx_object_get_info(ZX_INFO_HANDLE_BASIC) */
  basicInfo(): ZxInfoHandleBasic {
    const bytes = new Uint8Array(ZX_INFO_HANDLE_BASIC_SIZE);
    this.check(
      this.sys.zx_object_get_info(
        this.value,
        ZX_INFO_HANDLE_BASIC,
        bytes,
        bytes.length,
        null,
        null,
      ),
      'zx_object_get_info',
    );
    return decodeZxInfoHandleBasic(bytes);
  }

  /** Gives up ownership: the caller now owns the raw value. */
  intoRaw(): number {
    const value = this.value;
    this.value = ZX_HANDLE_INVALID;
    return value;
  }
}
