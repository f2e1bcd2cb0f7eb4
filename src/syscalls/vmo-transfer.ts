// zx_vmo_transfer_data: moving pages from one VMO to another (or within one) without copying
// them. The order of the checks is Zircon's (docs/zircon-notes/children.md §4): the source's
// pages are taken before the destination is checked, so a destination that fails its checks
// leaves the source range zeroed (its pages are dropped).

import { ZX_ERR_INVALID_ARGS, ZX_OK } from '../abi/constants.ts';
import { VMO_SYSCALLS as S } from '../abi/syscalls/vmo.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { PAGE_MASK_N } from '../util/u64.ts';
import { fail, objectWithRights, type SyscallContext } from './context.ts';
import { notZero, unaligned } from './why.ts';

/** The first of offset, length and src_offset that is not page aligned. */
function misaligned(offset: bigint, length: bigint, srcOffset: bigint): string {
  if ((offset & PAGE_MASK_N) !== 0n) return unaligned('offset', offset);
  return (length & PAGE_MASK_N) !== 0n
    ? unaligned('length', length)
    : unaligned('src_offset', srcOffset);
}

/**
 * zx_vmo_transfer_data(dst_vmo, options, offset, length, src_vmo, src_offset): moves the pages
 * of [src_offset, src_offset + length) of src_vmo to [offset, offset + length) of dst_vmo:
 * afterwards the destination reads what the source read, and the source range reads zero and
 * holds nothing. Zeros overwrite what the destination had; through a slice or reference the
 * pages taken or replaced are the parent's. The same VMO at the same offset does nothing.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_transfer_data(
  ctx: SyscallContext,
  dstVmo: number,
  options: number,
  offset: bigint,
  length: bigint,
  srcVmo: number,
  srcOffset: bigint,
): number {
  if (options !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, notZero, 'options', options);
  if (((offset | length | srcOffset) & PAGE_MASK_N) !== 0n) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, misaligned, offset, length, srcOffset);
  }
  const params = S.zx_vmo_transfer_data.params;
  const dst = objectWithRights<VmObjectDispatcher>(ctx, dstVmo, params[0]);
  if (typeof dst === 'number') return dst;
  const src = objectWithRights<VmObjectDispatcher>(ctx, srcVmo, params[4]);
  if (typeof src === 'number') return src;
  if (dst === src && srcOffset === offset) return ZX_OK;
  const pages = src.vmo.takePages(srcOffset, length);
  if (typeof pages === 'number') return pages;
  const status = dst.vmo.supplyPages(offset, length, pages);
  // Pages the destination did not take are freed, as Zircon's splice list frees them.
  pages.release();
  return status;
}
