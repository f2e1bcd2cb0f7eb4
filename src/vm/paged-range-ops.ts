// The range operations of a paged VMO that take byte offsets and lengths from syscalls
// (zx_vmo_op_range, zx_vmo_transfer_data, zx_vmo_set_size's neighbours): each checks its range
// in Zircon's order (vm_object_paged.cc) and then hands whole pages to the VMO or its node.
// VmObjectPaged's methods of the same names delegate here; the read/write path stays there.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_OK,
} from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import { because } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, roundUpPageU64, U64_MAX } from '../util/u64.ts';
import { rootOf } from './cow-pager-tree.ts';
import { CowSplice } from './cow-splice.ts';
import { supplyPages, takePages } from './cow-transfer.ts';
import { awaitPages } from './page-source.ts';
import type { LockResult, PageSplice } from './vm-object.ts';
import type { VmObjectPaged } from './vm-object-paged.ts';
import * as why from './vm-reasons.ts';

/** ZX_ERR_OUT_OF_RANGE when offset + length overflows or passes the end; `what` names it. */
function checkRange(vmo: VmObjectPaged, what: string, offset: bigint, length: bigint): number {
  const end = offset + length;
  if (end > U64_MAX) return why.overflow(what, offset, length);
  return end > vmo.sizeBytes ? why.outOfRange(what, end, vmo.sizeBytes) : ZX_OK;
}

/**
 * The pages covering [offset, offset + length), rounded out to page boundaries, or
 * ZX_ERR_OUT_OF_RANGE when the range overflows or passes the end of the VMO.
 */
function roundedPages(
  vmo: VmObjectPaged,
  offset: bigint,
  length: bigint,
  trim = false,
): [number, number] | number {
  const end = offset + length;
  if (end > U64_MAX) return why.overflow(why.OP, offset, length);
  const roundedEnd = roundUpPageU64(end);
  if (roundedEnd !== null && roundedEnd > vmo.sizeBytes && trim) {
    const size = vmo.sizePages;
    return [Math.min(Number(offset >> PAGE_SHIFT_N), size), size];
  }
  if (roundedEnd === null || roundedEnd > vmo.sizeBytes) {
    return why.outOfRange('the range rounded out to pages', roundedEnd ?? end, vmo.sizeBytes);
  }
  return [Number(offset >> PAGE_SHIFT_N), Number(roundedEnd >> PAGE_SHIFT_N)];
}

/**
 * COMMIT: the range is rounded out to pages; a discarded VMO is NOT_FOUND. A thread's COMMIT
 * that a shrink overtook while it waited for a pager is trimmed to the new size, and is done
 * once nothing is left (CommitRangeInternal's TrimRange).
 */
export function commitRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  const overtaken = vmo.cow.pagerTree && rootOf(vmo.cow).source?.resumed === true;
  const pages = roundedPages(vmo, offset, length, overtaken);
  if (typeof pages === 'number') return pages;
  if (pages[0] === pages[1]) return ZX_OK;
  return vmo.commit(pages[0], pages[1]);
}

/** DECOMMIT: out of range beats an empty range, which beats unsupported, which beats misaligned. */
export function decommitRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  // Contiguous pages never go back: refused before the range is looked at.
  if (vmo.isContiguous) return because(ZX_ERR_NOT_SUPPORTED, why.CONTIGUOUS);
  const end = offset + length;
  const range = checkRange(vmo, why.OP, offset, length);
  if (range !== ZX_OK) return range;
  if (length === 0n) return ZX_OK;
  if (!vmo.canDecommit) return because(ZX_ERR_NOT_SUPPORTED, why.SNAPSHOT_TREE);
  if ((offset & PAGE_MASK_N) !== 0n || (length & PAGE_MASK_N) !== 0n) {
    return because(ZX_ERR_INVALID_ARGS, 'DECOMMIT needs offset and size page aligned');
  }
  return vmo.decommit(Number(offset >> PAGE_SHIFT_N), Number(end >> PAGE_SHIFT_N));
}

/** ZERO: an empty range is fine anywhere, even past the end. */
export function zeroRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  if (length === 0n) return ZX_OK;
  const range = checkRange(vmo, why.OP, offset, length);
  return range !== ZX_OK ? range : vmo.zero(offset, offset + length);
}

/** The lock ops need a discardable VMO, and always cover the whole of it. */
function checkLockRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  if (vmo.discardable === null) return because(ZX_ERR_NOT_SUPPORTED, why.NOT_DISCARDABLE);
  if (offset + length > U64_MAX) return why.overflow(why.OP, offset, length);
  if (offset !== 0n || length !== vmo.sizeBytes) {
    return because(ZX_ERR_OUT_OF_RANGE, why.notWhole, offset, length, vmo.sizeBytes);
  }
  return ZX_OK;
}

/** ZX_VMO_OP_LOCK: whether the VMO had been discarded (it now reads as zeros). */
export function lockRange(vmo: VmObjectPaged, offset: bigint, length: bigint): LockResult | number {
  const status = checkLockRange(vmo, offset, length);
  return status !== ZX_OK ? status : { discarded: vmo.discardable!.lock() };
}

/** ZX_VMO_OP_TRY_LOCK: UNAVAILABLE once discarded. */
export function tryLockRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  const status = checkLockRange(vmo, offset, length);
  if (status !== ZX_OK) return status;
  if (vmo.discardable!.isDiscarded) return because(ZX_ERR_UNAVAILABLE, why.DISCARDED);
  vmo.discardable!.lock();
  return ZX_OK;
}

/** ZX_VMO_OP_UNLOCK: BAD_STATE when not locked. */
export function unlockRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  const status = checkLockRange(vmo, offset, length);
  if (status !== ZX_OK) return status;
  if (vmo.discardable!.lockCount === 0) return because(ZX_ERR_BAD_STATE, 'the VMO is not locked');
  vmo.discardable!.unlock();
  return ZX_OK;
}

/** The cache ops: a size above 0, within the VMO. */
export function cacheOp(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  if (length === 0n) return because(ZX_ERR_INVALID_ARGS, 'a cache op needs a size above 0');
  return checkRange(vmo, why.OP, offset, length);
}

/**
 * Hints matter only to VMOs in a tree with a user pager at its root (children included), which
 * check the range (upstream's HintRange, can_root_source_evict_locked).
 */
export function hintRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  return vmo.cow.pagerTree ? checkRange(vmo, why.OP, offset, length) : ZX_OK;
}

/** Anonymous memory has nothing to fetch: only the range is checked. */
export function prefetchRange(vmo: VmObjectPaged, offset: bigint, length: bigint): number {
  const pages = roundedPages(vmo, offset, length);
  if (typeof pages === 'number') return pages;
  return awaitPages(vmo.cow, pages[0] + vmo.cowOffset, pages[1] + vmo.cowOffset);
}

/**
 * The checks of one side of zx_vmo_transfer_data on [offset, offset + length): ZX_OK, or the
 * status. On the destination side an empty range is fine wherever it lies.
 */
function checkTransfer(vmo: VmObjectPaged, offset: bigint, length: bigint, isDst: boolean) {
  if (vmo.isContiguous) return because(ZX_ERR_NOT_SUPPORTED, why.CONTIGUOUS);
  const end = offset + length;
  const what = isDst ? 'offset + length' : 'src_offset + length';
  if (end > U64_MAX) return why.overflow(what, offset, length);
  if (isDst && length === 0n) return ZX_OK;
  if (end > vmo.sizeBytes) return why.outOfRange(what, end, vmo.sizeBytes);
  if (vmo.hasPinnedPages(Number(offset >> PAGE_SHIFT_N), Number(end >> PAGE_SHIFT_N))) {
    return because(ZX_ERR_BAD_STATE, why.PINNED);
  }
  return ZX_OK;
}

/**
 * The source side of zx_vmo_transfer_data: pages a snapshot shares are forked out first
 * (ZX_ERR_NO_MEMORY possible); through a slice or reference the pages taken are the parent's.
 */
export function takeRange(vmo: VmObjectPaged, offset: bigint, length: bigint): PageSplice | number {
  const status = checkTransfer(vmo, offset, length, false);
  if (status !== ZX_OK) return status;
  const start = Number(offset >> PAGE_SHIFT_N) + vmo.cowOffset;
  const end = start + Number(length >> PAGE_SHIFT_N);
  const wait = awaitPages(vmo.cow, start, end);
  if (wait !== ZX_OK) return wait;
  const taken = takePages(vmo.cow, start, end);
  return typeof taken === 'number' ? taken : new CowSplice(vmo.cow, taken);
}

/** The destination side: zeros in the splice list overwrite what the destination had too. */
export function supplyRange(
  vmo: VmObjectPaged,
  offset: bigint,
  length: bigint,
  pages: PageSplice,
): number {
  const status = checkTransfer(vmo, offset, length, true);
  const count = Number(length >> PAGE_SHIFT_N);
  if (status !== ZX_OK || count === 0) return status;
  assert(pages instanceof CowSplice, 'pages taken from another kind of VMO');
  supplyPages(vmo.cow, Number(offset >> PAGE_SHIFT_N) + vmo.cowOffset, count, pages.take());
  return ZX_OK;
}
