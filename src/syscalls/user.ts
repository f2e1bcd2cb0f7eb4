// User buffers. A syscall buffer is host memory (a Uint8Array), a virtual address in the
// caller's address space (number | bigint), or null (C's NULL). Host memory shorter than the
// size argument is ZX_ERR_NOT_FOUND (the contract), at the point where Zircon would touch the
// memory. NULL and unusable addresses give what that syscall's Zircon code gives for a faulting
// copy: ZX_ERR_INVALID_ARGS for plain user copies, ZX_ERR_NOT_FOUND for zx_vmo_read/write.

import { ZX_ERR_INVALID_ARGS, ZX_ERR_NOT_FOUND, ZX_OK } from '../abi/constants.ts';
import { u64 } from './args.ts';

/** A caller's address space as syscalls see it: copies with faults, status on failure. */
export interface UserMemory {
  /** Copies user memory at `vaddr` into `dst`. */
  load(vaddr: bigint, dst: Uint8Array): number;
  /** Copies `src` into user memory at `vaddr`. */
  store(vaddr: bigint, src: Uint8Array): number;
}

/** An address space with nothing mapped (before the VMAR layer maps anything). */
export const EMPTY_USER_MEMORY: UserMemory = {
  load: () => ZX_ERR_NOT_FOUND,
  store: () => ZX_ERR_NOT_FOUND,
};

export type UserBuffer = Uint8Array | number | bigint | null;

/** True when `buffer` has a shape a syscall can take (checked at the edge). */
export function isUserBuffer(buffer: unknown): buffer is UserBuffer {
  return (
    buffer === null ||
    buffer instanceof Uint8Array ||
    typeof buffer === 'bigint' ||
    (typeof buffer === 'number' && Number.isInteger(buffer))
  );
}

/**
 * Where a syscall writes `length` bytes of output: the host array itself (no extra copy) or
 * a bounce buffer that `finishCopyOut` then stores into user memory. A status on failure.
 */
export function beginCopyOut(
  buffer: UserBuffer,
  length: number,
  faultStatus: number = ZX_ERR_INVALID_ARGS,
): Uint8Array | number {
  if (buffer instanceof Uint8Array) return buffer.length >= length ? buffer : ZX_ERR_NOT_FOUND;
  if (buffer === null) return faultStatus;
  return new Uint8Array(length);
}

/** Stores a bounce buffer into user memory (nothing to do for host memory). */
export function finishCopyOut(
  user: UserMemory,
  buffer: UserBuffer,
  bounce: Uint8Array,
  faultStatus: number = ZX_ERR_INVALID_ARGS,
): number {
  if (buffer instanceof Uint8Array || buffer === null) return ZX_OK;
  const vaddr = u64(buffer);
  if (vaddr === undefined) return faultStatus;
  return user.store(vaddr, bounce) === ZX_OK ? ZX_OK : faultStatus;
}

/**
 * Reads `length` bytes of user input: the host array itself or a copy from user memory.
 * `faultStatus` is what this syscall's Zircon code returns when the copy faults: plain user
 * copies give ZX_ERR_INVALID_ARGS, the VMO read/write paths ZX_ERR_NOT_FOUND.
 */
export function copyIn(
  user: UserMemory,
  buffer: UserBuffer,
  length: number,
  faultStatus: number = ZX_ERR_INVALID_ARGS,
): Uint8Array | number {
  if (buffer instanceof Uint8Array) return buffer.length >= length ? buffer : ZX_ERR_NOT_FOUND;
  if (buffer === null) return faultStatus;
  const vaddr = u64(buffer);
  if (vaddr === undefined) return faultStatus;
  const bytes = new Uint8Array(length);
  return user.load(vaddr, bytes) === ZX_OK ? bytes : faultStatus;
}
