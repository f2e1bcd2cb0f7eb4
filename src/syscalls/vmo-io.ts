// Byte ranges for VMO syscalls: validation of offset + length against the VMO size in exact
// 64-bit arithmetic, and the copy loops between VMOs and user buffers.

import { ZX_ERR_NOT_FOUND, ZX_ERR_OUT_OF_RANGE, ZX_OK } from '../abi/constants.ts';
import type { PageRange } from '../vm/cow-pages.ts';
import type { VmObjectPaged } from '../vm/vm-object.ts';
import { beginCopyOut, copyIn, finishCopyOut, type UserBuffer, type UserMemory } from './user.ts';

const U64_MAX = 0xffff_ffff_ffff_ffffn;
/** Bytes moved per step when a buffer is a user virtual address. */
const BOUNCE_CHUNK = 64 * 1024;

/**
 * Checks [offset, offset + length) against the VMO: ZX_ERR_OUT_OF_RANGE when the sum
 * overflows 64 bits or passes the end.
 */
export function checkRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  const end = offset + length;
  if (end > U64_MAX || end > vmo.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
  return ZX_OK;
}

/** Fast-path variant for offsets and lengths that are safe integers. */
export function checkRangeSmall(vmo: VmObjectPaged, offset: number, length: number): number {
  return offset + length > vmo.sizePages * 4096 ? ZX_ERR_OUT_OF_RANGE : ZX_OK;
}

export function pageRangeOf(offset: bigint | number, length: number): PageRange {
  if (typeof offset === 'number') {
    const page = Math.floor(offset / 4096);
    return { page, inPage: offset - page * 4096, length };
  }
  return { page: Number(offset >> 12n), inPage: Number(offset & 4095n), length };
}

function advance(offset: bigint | number, by: number): bigint | number {
  return typeof offset === 'number' ? offset + by : offset + BigInt(by);
}

/** Reads `length` bytes of the VMO at `offset` into a user buffer. */
export function readToUser(
  vmo: VmObjectPaged,
  user: UserMemory,
  buffer: UserBuffer,
  offset: bigint | number,
  length: number,
): number {
  if (buffer instanceof Uint8Array || buffer === null) {
    const dst = beginCopyOut(buffer, length, ZX_ERR_NOT_FOUND);
    if (typeof dst === 'number') return dst;
    return vmo.read(pageRangeOf(offset, length), dst, 0);
  }
  for (let done = 0; done < length; ) {
    const step = Math.min(BOUNCE_CHUNK, length - done);
    const bounce = new Uint8Array(step);
    let status = vmo.read(pageRangeOf(advance(offset, done), step), bounce, 0);
    if (status !== ZX_OK) return status;
    status = finishCopyOut(user, advanceBuffer(buffer, done), bounce, ZX_ERR_NOT_FOUND);
    if (status !== ZX_OK) return status;
    done += step;
  }
  return ZX_OK;
}

/** Writes `length` bytes from a user buffer into the VMO at `offset`. */
export function writeFromUser(
  vmo: VmObjectPaged,
  user: UserMemory,
  buffer: UserBuffer,
  offset: bigint | number,
  length: number,
): number {
  if (buffer instanceof Uint8Array || buffer === null) {
    const src = copyIn(user, buffer, length, ZX_ERR_NOT_FOUND);
    if (typeof src === 'number') return src;
    return vmo.write(pageRangeOf(offset, length), src, 0);
  }
  for (let done = 0; done < length; ) {
    const step = Math.min(BOUNCE_CHUNK, length - done);
    const src = copyIn(user, advanceBuffer(buffer, done), step, ZX_ERR_NOT_FOUND);
    if (typeof src === 'number') return src;
    const status = vmo.write(pageRangeOf(advance(offset, done), step), src, 0);
    if (status !== ZX_OK) return status;
    done += step;
  }
  return ZX_OK;
}

function advanceBuffer(buffer: number | bigint, by: number): number | bigint {
  return typeof buffer === 'number' ? buffer + by : buffer + BigInt(by);
}
