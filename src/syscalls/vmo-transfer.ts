// zx_vmo_transfer_data: moving pages from one VMO to another (or within one) without copying
// them. The order of the checks is Zircon's (docs/zircon-notes/children.md §4): the source's
// pages are taken before the destination is checked, so a destination that fails its checks
// leaves the source range zeroed (its pages are dropped).

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
} from '../abi/constants.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { U64_MAX } from '../util/u64.ts';
import { dropSpliceList, supplyPages, takePages } from '../vm/cow-transfer.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';
import { handleValue, u32, u64 } from './args.ts';
import { lookup, type SyscallContext } from './context.ts';

/**
 * The checks of pages [offset, offset + length) of `vmo` as one side of a transfer; ZX_OK, or
 * the status. On the destination side an empty range is fine wherever it lies.
 */
function checkSide(vmo: VmObjectPaged, offset: bigint, length: bigint, isDst: boolean): number {
  if (vmo.isContiguous || vmo.isPhysical) return ZX_ERR_NOT_SUPPORTED;
  const end = offset + length;
  if (end > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
  if (isDst && length === 0n) return ZX_OK;
  if (end > vmo.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
  if (vmo.hasPinnedPages(Number(offset >> 12n), Number(end >> 12n))) return ZX_ERR_BAD_STATE;
  return ZX_OK;
}

/**
 * zx_vmo_transfer_data(dst_vmo, options, offset, length, src_vmo, src_offset)
 * Moves the pages of [src_offset, src_offset + length) of src_vmo to [offset, offset + length)
 * of dst_vmo: afterwards the destination reads what the source read, and the source range
 * reads zero and holds nothing. Pages a snapshot shares are forked out of the source first;
 * zeros overwrite what the destination had. Through a slice or reference the pages taken or
 * replaced are the parent's.
 * Rights: dst_vmo must be a VMO with ZX_RIGHT_WRITE; src_vmo a VMO with ZX_RIGHT_READ and
 * ZX_RIGHT_WRITE.
 * Errors, in order: ZX_ERR_INVALID_ARGS (options not 0; offset, length or src_offset not page
 * aligned; arguments of the wrong type); ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE,
 * ZX_ERR_ACCESS_DENIED (dst, then src). The same VMO at the same offset does nothing (ZX_OK).
 * Then for the source: ZX_ERR_NOT_SUPPORTED (contiguous or physical), ZX_ERR_OUT_OF_RANGE
 * (range overflowing or past the end), ZX_ERR_BAD_STATE (pinned pages), ZX_ERR_NO_MEMORY
 * (shared pages cannot be forked); then the same for the destination (an empty range is fine).
 */
export function zx_vmo_transfer_data(
  ctx: SyscallContext,
  dstVmo: unknown,
  options: unknown,
  offset: unknown,
  length: unknown,
  srcVmo: unknown,
  srcOffset: unknown,
): number {
  const opts = u32(options);
  const off = u64(offset);
  const len = u64(length);
  const srcOff = u64(srcOffset);
  if (opts === undefined || off === undefined || len === undefined || srcOff === undefined) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (opts !== 0) return ZX_ERR_INVALID_ARGS;
  if (((off | len | srcOff) & 4095n) !== 0n) return ZX_ERR_INVALID_ARGS;
  const dst = lookup<VmObjectDispatcher>(ctx, handleValue(dstVmo), ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE);
  if (typeof dst === 'number') return dst;
  const src = lookup<VmObjectDispatcher>(
    ctx,
    handleValue(srcVmo),
    ZX_OBJ_TYPE_VMO,
    ZX_RIGHT_READ | ZX_RIGHT_WRITE,
  );
  if (typeof src === 'number') return src;
  if (dst === src && srcOff === off) return ZX_OK;

  const from = src.vmo;
  let status = checkSide(from, srcOff, len, false);
  if (status !== ZX_OK) return status;
  const pages = Number(len >> 12n);
  const srcStart = Number(srcOff >> 12n) + from.cowOffset;
  const taken = takePages(from.cow, srcStart, srcStart + pages);
  if (typeof taken === 'number') return taken;

  const to = dst.vmo;
  status = checkSide(to, off, len, true);
  if (status !== ZX_OK || pages === 0) {
    dropSpliceList(from.cow, taken);
    return status;
  }
  supplyPages(to.cow, Number(off >> 12n) + to.cowOffset, pages, taken);
  return ZX_OK;
}
