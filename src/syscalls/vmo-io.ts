// Byte ranges for VMO syscalls, and the copy loops between VMOs and user buffers.

import { ZX_ERR_NOT_FOUND, ZX_OK } from '../abi/constants.ts';
import { hostByteLength, isHostBytes } from '../util/host-bytes.ts';
import { because } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, PAGE_SIZE } from '../util/u64.ts';
import type { PageRange } from '../vm/cow-pages.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';
import { u64 } from './args.ts';
import { beginCopyOut, copyIn, type UserBuffer, type UserMemory } from './user.ts';

const NOT_ADDRESS = 'the buffer is not an address of this process (past 2^64)';

export function pageRangeOf(offset: bigint | number, length: number): PageRange {
  if (typeof offset === 'number') {
    const page = Math.floor(offset / PAGE_SIZE);
    return { page, inPage: offset - page * PAGE_SIZE, length };
  }
  return { page: Number(offset >> PAGE_SHIFT_N), inPage: Number(offset & PAGE_MASK_N), length };
}

function advance(offset: bigint | number, by: number): bigint | number {
  return typeof offset === 'number' ? offset + by : offset + BigInt(by);
}

/** True for host memory of at least `length` bytes (`buffer` is one the binder decoded). */
function isLongHostBytes(buffer: UserBuffer, length: number): buffer is Uint8Array {
  return typeof buffer === 'object' && buffer !== null && hostByteLength(buffer) >= length;
}

/**
 * Reads `length` bytes of the VMO at `offset` into a user buffer. A buffer given as a virtual
 * address is filled one VMO page at a time, each page read just before it is stored (as
 * Zircon's copy loop does), so a read into a mapping of the same VMO sees what earlier pages
 * of the same read stored. A fault stops the copy with its status: ZX_ERR_NOT_FOUND where
 * nothing is mapped, ZX_ERR_ACCESS_DENIED into a mapping that may not be written,
 * ZX_ERR_OUT_OF_RANGE past the end of the mapped VMO; earlier pages stay copied.
 */
export function readToUser(
  vmo: VmObjectPaged,
  user: UserMemory,
  buffer: UserBuffer,
  offset: bigint | number,
  length: number,
): number {
  // Host memory large enough is copied into directly: the VM layer touches a caller's array
  // only through the intrinsic copy primitives (util/host-bytes.ts), so no view is needed. The
  // binder let only host memory through as an object (isUserBuffer). zx_vmo_read itself takes
  // host memory at number offsets (vmo.readHost): here it comes only at bigint offsets.
  if (isLongHostBytes(buffer, length)) return vmo.read(pageRangeOf(offset, length), buffer, 0);
  if (isHostBytes(buffer) || buffer === null) {
    const dst = beginCopyOut(buffer, length, ZX_ERR_NOT_FOUND);
    if (typeof dst === 'number') return dst;
    return vmo.read(pageRangeOf(offset, length), dst, 0);
  }
  const vaddr = u64(buffer);
  if (vaddr === undefined) return because(ZX_ERR_NOT_FOUND, NOT_ADDRESS);
  const page = new Uint8Array(PAGE_SIZE);
  for (let done = 0; done < length; ) {
    const range = pageRangeOf(advance(offset, done), 0);
    range.length = Math.min(PAGE_SIZE - range.inPage, length - done);
    const bounce = range.length === PAGE_SIZE ? page : page.subarray(0, range.length);
    let status = vmo.read(range, bounce, 0);
    if (status !== ZX_OK) return status;
    status = user.store(vaddr + BigInt(done), bounce);
    if (status !== ZX_OK) return status;
    done += range.length;
  }
  return ZX_OK;
}

/**
 * Writes `length` bytes from a user buffer into the VMO at `offset`, one VMO page at a time
 * for a buffer given as a virtual address; a fault stops it with its status, as for reads.
 */
export function writeFromUser(
  vmo: VmObjectPaged,
  user: UserMemory,
  buffer: UserBuffer,
  offset: bigint | number,
  length: number,
): number {
  if (isLongHostBytes(buffer, length)) return vmo.write(pageRangeOf(offset, length), buffer, 0);
  if (isHostBytes(buffer) || buffer === null) {
    const src = copyIn(user, buffer, length, ZX_ERR_NOT_FOUND);
    if (typeof src === 'number') return src;
    return vmo.write(pageRangeOf(offset, length), src, 0);
  }
  const vaddr = u64(buffer);
  if (vaddr === undefined) return because(ZX_ERR_NOT_FOUND, NOT_ADDRESS);
  const page = new Uint8Array(PAGE_SIZE);
  for (let done = 0; done < length; ) {
    const range = pageRangeOf(advance(offset, done), 0);
    range.length = Math.min(PAGE_SIZE - range.inPage, length - done);
    const bounce = range.length === PAGE_SIZE ? page : page.subarray(0, range.length);
    let status = user.load(vaddr + BigInt(done), bounce);
    if (status !== ZX_OK) return status;
    status = vmo.write(range, bounce, 0);
    if (status !== ZX_OK) return status;
    done += range.length;
  }
  return ZX_OK;
}
