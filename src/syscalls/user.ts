// User buffers. A syscall buffer is host memory (a Uint8Array), a virtual address in the
// caller's address space (number | bigint), or null (C's NULL). Host memory shorter than the
// size argument is ZX_ERR_NOT_FOUND (the contract), at the point where Zircon would touch the
// memory. A virtual address goes through the caller's address space (its VmAspace is the
// UserMemory), with the same translations and faults as Process.load/store. NULL and unusable
// addresses give what that syscall's Zircon code gives for a faulting copy: ZX_ERR_INVALID_ARGS
// for plain user copies; zx_vmo_read/write (vmo-io.ts) give the fault's own status, which is
// ZX_ERR_NOT_FOUND for NULL and unmapped memory.

import { ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_FOUND, ZX_OK, ZX_STATUS_NAMES } from '../abi/constants.ts';
import { hostByteLength, hostView, isHostBytes, setBytes } from '../util/host-bytes.ts';
import { because, hex } from '../util/reason.ts';
import { u64, writeOut } from './args.ts';

/**
 * A caller's address space as syscalls see it: copies with faults, ZX_OK or the status of the
 * fault that stopped the copy (the bytes before the faulting page are copied).
 */
export interface UserMemory {
  /** Copies user memory at `vaddr` into `dst`. */
  load(vaddr: bigint, dst: Uint8Array): number;
  /** Copies `src` into user memory at `vaddr`. */
  store(vaddr: bigint, src: Uint8Array): number;
}

export type UserBuffer = Uint8Array | number | bigint | null;

/**
 * True when `buffer` has a shape a syscall can take (checked at the edge). Host memory is
 * recognised from its internal slots without running user code, so a Proxy (whose traps may
 * throw) is no buffer.
 */
export function isUserBuffer(buffer: unknown): buffer is UserBuffer {
  return (
    buffer === null ||
    isHostBytes(buffer) ||
    typeof buffer === 'bigint' ||
    (typeof buffer === 'number' && Number.isInteger(buffer))
  );
}

/**
 * Host memory that holds at least `length` bytes, as a plain Uint8Array over the same bytes (a
 * subclass's overridden members, which could throw, are never run), or ZX_ERR_NOT_FOUND. Host
 * memory of any realm counts (util/host-bytes.ts).
 */
function hostBytes(buffer: Uint8Array, length: number): Uint8Array | number {
  const held = hostByteLength(buffer);
  if (held >= length) return hostView(buffer);
  return because(ZX_ERR_NOT_FOUND, shortBuffer, held, length);
}

function shortBuffer(held: number, length: number): string {
  return `the buffer is a Uint8Array of ${held} bytes, fewer than the ${length} the call copies`;
}

const NULL_BUFFER = 'the buffer is NULL';

/** Why a copy through the address space at `vaddr` failed with the fault's `status`. */
function faulted(vaddr: bigint, length: number, status: number): string {
  const name = ZX_STATUS_NAMES[status] ?? String(status);
  return `the user copy of ${length} bytes at ${hex(vaddr)} faults (${name})`;
}

/** `faultStatus` for a copy at `vaddr` whose fault gave `status` (ZX_OK passes through). */
function copyStatus(vaddr: bigint, length: number, status: number, faultStatus: number): number {
  if (status === ZX_OK) return ZX_OK;
  return because(faultStatus, faulted, vaddr, length, status);
}

/**
 * Where a syscall writes `length` bytes of output: a view of the host array (no extra copy) or
 * a bounce buffer that `finishCopyOut` then stores into user memory. A status on failure.
 */
export function beginCopyOut(
  buffer: UserBuffer,
  length: number,
  faultStatus: number = ZX_ERR_INVALID_ARGS,
): Uint8Array | number {
  if (isHostBytes(buffer)) return hostBytes(buffer, length);
  if (buffer === null) return because(faultStatus, NULL_BUFFER);
  return new Uint8Array(length);
}

/** Stores a bounce buffer into user memory (nothing to do for host memory). */
export function finishCopyOut(
  user: UserMemory,
  buffer: UserBuffer,
  bounce: Uint8Array,
  faultStatus: number = ZX_ERR_INVALID_ARGS,
): number {
  if (isHostBytes(buffer) || buffer === null) return ZX_OK;
  const vaddr = u64(buffer);
  if (vaddr === undefined) return because(faultStatus, notAddress, buffer);
  return copyStatus(vaddr, bounce.length, user.store(vaddr, bounce), faultStatus);
}

function notAddress(buffer: unknown): string {
  return `the buffer (${String(buffer)}) is not an address of this process`;
}

/**
 * Copies `bytes` out to the start of `buffer`: beginCopyOut, a copy and finishCopyOut in one,
 * with the same statuses; host memory is written in place, with no view made.
 */
export function copyOutBytes(
  user: UserMemory,
  buffer: UserBuffer,
  bytes: Uint8Array,
  faultStatus: number = ZX_ERR_INVALID_ARGS,
): number {
  const length = bytes.length;
  if (isHostBytes(buffer)) {
    const held = hostByteLength(buffer);
    if (held < length) return because(ZX_ERR_NOT_FOUND, shortBuffer, held, length);
    setBytes(buffer, bytes, 0);
    return ZX_OK;
  }
  const bounce = beginCopyOut(buffer, length, faultStatus);
  if (typeof bounce === 'number') return bounce;
  bounce.set(bytes);
  return finishCopyOut(user, buffer, bounce, faultStatus);
}

/**
 * Reads `length` bytes of user input: a view of the host array or a copy from user memory.
 * `faultStatus` is what this syscall's Zircon code returns when the copy faults: plain user
 * copies give ZX_ERR_INVALID_ARGS, the VMO read/write paths ZX_ERR_NOT_FOUND.
 */
export function copyIn(
  user: UserMemory,
  buffer: UserBuffer,
  length: number,
  faultStatus: number = ZX_ERR_INVALID_ARGS,
): Uint8Array | number {
  if (isHostBytes(buffer)) return hostBytes(buffer, length);
  if (buffer === null) return because(faultStatus, NULL_BUFFER);
  const vaddr = u64(buffer);
  if (vaddr === undefined) return because(faultStatus, notAddress, buffer);
  const bytes = new Uint8Array(length);
  const status = user.load(vaddr, bytes);
  return status === ZX_OK ? bytes : copyStatus(vaddr, length, status, faultStatus);
}

/**
 * Copies a scalar out-parameter (Zircon's user_out_ptr<T>::copy_to_user): into `{ value }`, or
 * through the address space at a virtual address; false (the syscall's ZX_ERR_INVALID_ARGS)
 * when it cannot be written: NULL, a frozen or hostile object, an unmapped address.
 */
function copyOutScalar(user: UserMemory, out: unknown, value: number | bigint, bytes: number) {
  if (typeof out === 'number' || typeof out === 'bigint') {
    const vaddr = u64(out);
    if (vaddr === undefined) return false;
    const raw = new Uint8Array(bytes);
    const view = new DataView(raw.buffer);
    if (bytes === 4) view.setUint32(0, Number(value), true);
    else view.setBigUint64(0, BigInt.asUintN(64, BigInt(value)), true);
    return user.store(vaddr, raw) === ZX_OK;
  }
  return writeOut(out, value);
}

/** A u32 or handle out-parameter. */
export function copyOutU32(user: UserMemory, out: unknown, value: number): boolean {
  return copyOutScalar(user, out, value, 4);
}

/** A u64 out-parameter (its value a bigint in `{ value }`). */
export function copyOutU64(user: UserMemory, out: unknown, value: bigint): boolean {
  return copyOutScalar(user, out, value, 8);
}
