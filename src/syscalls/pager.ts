// zx_pager_* syscalls (Zircon's lib/syscalls/pager.cc and PagerDispatcher). Rights and errors:
// src/abi/syscalls/pager.ts.

import {
  ZX_DEFAULT_PAGER_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_NO_SPACE,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_PORT,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_STATS_MODIFIED,
  ZX_POL_NEW_PAGER,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_WRITE,
  ZX_STATUS_NAMES,
  ZX_VMO_RESIZABLE,
  ZX_VMO_TRAP_DIRTY,
  ZX_VMO_UNBOUNDED,
} from '../abi/constants.ts';
import { encodeZxPagerVmoStats, ZX_PAGER_VMO_STATS_SIZE } from '../abi/structs.ts';
import type { HandleParam } from '../abi/syscall-spec.ts';
import { PAGER_SYSCALLS as S } from '../abi/syscalls/pager.ts';
import { PagerDispatcher, type PagerProxy } from '../object/pager-dispatcher.ts';
import type { PortDispatcher } from '../object/port-dispatcher.ts';
import { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, roundUpPageU64 } from '../util/u64.ts';
import { UNTRACKED } from '../vm/dirty-ranges.ts';
import {
  createPagerVmo,
  detachPagerVmo,
  failPagerRange,
  pageSourceOf,
  supplyPagerPages,
} from '../vm/pager-vmo.ts';
import { VMO_MAX_SIZE } from '../vm/vm-object.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';
import { tooLarge } from '../vm/vm-reasons.ts';
import {
  fail,
  lacksRights,
  noHandle,
  objectWithRights,
  type SyscallContext,
  wrongType,
} from './context.ts';
import type { HandleOut, UserOut } from './impl.ts';
import { pagersOwnVmo, queryDirtyRanges, writebackOp } from './pager-writeback.ts';
import { enforcePolicy } from './policy.ts';
import { beginCopyOut, finishCopyOut, type UserBuffer } from './user.ts';
import { bitsOtherThan, notZero, roundsPast, unaligned } from './why.ts';

const CREATE_OPTIONS = 'ZX_VMO_RESIZABLE, ZX_VMO_TRAP_DIRTY and ZX_VMO_UNBOUNDED';
const RESIZABLE_UNBOUNDED = 'options has both ZX_VMO_RESIZABLE and ZX_VMO_UNBOUNDED';
const SUPPLY_RANGE = ['offset', 'length', 'aux_offset'];
const OP_RANGE = ['offset', 'length'];
const STATS_OPTIONS = 'ZX_PAGER_RESET_VMO_STATS';
const AUX_PAGER = 'aux_vmo is pager-backed: pages may not come from a pager';

/** The first of `names` whose value is not page aligned (for ZX_ERR_INVALID_ARGS). */
function firstUnaligned(names: readonly string[], values: readonly bigint[]): string {
  const at = values.findIndex((v) => (v & PAGE_MASK_N) !== 0n);
  return unaligned(names[at]!, values[at]!);
}

function notPagers(name: string, koid: number, pagerKoid: number | null): string {
  return pagerKoid === null
    ? `${name} (koid ${koid}) is not pager-backed`
    : `${name} (koid ${koid}) was created by pager ${pagerKoid}, not by this one`;
}

function notFailure(data: bigint): string {
  const signed = BigInt.asIntN(64, data);
  const name = ZX_STATUS_NAMES[Number(signed)];
  return `data (${name ?? signed}) is not a status FAIL takes: ZX_ERR_IO, ZX_ERR_IO_DATA_INTEGRITY, ZX_ERR_BAD_STATE, ZX_ERR_NO_SPACE or ZX_ERR_BUFFER_TOO_SMALL`;
}

function streamPastSize(size: bigint, vmoSize: bigint): string {
  return `size (${size}) is past the largest VMO an UNBOUNDED pager VMO can be (${vmoSize})`;
}

function statsTooSmall(size: bigint): string {
  return `buffer_size (${size}) is less than a zx_pager_vmo_stats_t (${ZX_PAGER_VMO_STATS_SIZE} bytes)`;
}

/** The statuses a pager may fail requests with (PageSource::IsValidExternalFailureCode). */
const FAILURE_CODES = new Set([
  ZX_ERR_IO,
  ZX_ERR_IO_DATA_INTEGRITY,
  ZX_ERR_BAD_STATE,
  ZX_ERR_NO_SPACE,
  ZX_ERR_BUFFER_TOO_SMALL,
]);

/** zx_pager_create(options, out): policy first, then the options. */
export function zx_pager_create(ctx: SyscallContext, options: number, out: HandleOut): number {
  const policy = enforcePolicy(ctx, ZX_POL_NEW_PAGER);
  if (policy !== ZX_OK) return policy;
  if (options !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, notZero, 'options', options >>> 0);
  const pager = new PagerDispatcher(ctx.core.newKoid(), ctx.core.pagerTrace);
  return out.set(pager, ZX_DEFAULT_PAGER_RIGHTS);
}

/**
 * zx_pager_create_vmo(pager, options, port, key, size, out): a VMO whose missing pages are
 * asked of the pager on `port` under `key`. The port is looked up rights first, then type.
 */
export function zx_pager_create_vmo(
  ctx: SyscallContext,
  pager: number,
  options: number,
  port: number,
  key: bigint,
  size: bigint,
  out: HandleOut,
): number {
  const policy = enforcePolicy(ctx, ZX_POL_NEW_VMO);
  if (policy !== ZX_OK) return policy;
  const params = S.zx_pager_create_vmo.params;
  const pagerObj = objectWithRights<PagerDispatcher>(ctx, pager, params[0]);
  if (typeof pagerObj === 'number') return pagerObj;
  const portHandle = ctx.process.handles.get(port);
  if (portHandle === undefined) return fail(ctx, ZX_ERR_BAD_HANDLE, noHandle, 'port', port);
  const rights = portHandle.rights;
  if ((rights & ZX_RIGHT_WRITE) === 0) {
    return fail(ctx, ZX_ERR_ACCESS_DENIED, lacksRights, 'port', rights, ZX_RIGHT_WRITE);
  }
  const type = portHandle.object.type;
  if (type !== ZX_OBJ_TYPE_PORT) {
    return fail(ctx, ZX_ERR_WRONG_TYPE, wrongType, 'port', type, ZX_OBJ_TYPE_PORT);
  }
  const resizable = (options & ZX_VMO_RESIZABLE) !== 0;
  const unbounded = (options & ZX_VMO_UNBOUNDED) !== 0;
  const known = ZX_VMO_RESIZABLE | ZX_VMO_TRAP_DIRTY | ZX_VMO_UNBOUNDED;
  if ((options & ~known) !== 0) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, bitsOtherThan, 'options', options, CREATE_OPTIONS);
  }
  if (resizable && unbounded) return fail(ctx, ZX_ERR_INVALID_ARGS, RESIZABLE_UNBOUNDED);
  const vmoSize = unbounded ? VMO_MAX_SIZE : roundUpPageU64(size);
  if (vmoSize === null) return fail(ctx, ZX_ERR_OUT_OF_RANGE, roundsPast, 'size', size);
  if (vmoSize > VMO_MAX_SIZE) return fail(ctx, ZX_ERR_OUT_OF_RANGE, tooLarge, vmoSize);
  // The stream size (size) may not pass the VMO's size (an UNBOUNDED one's too).
  if (size > vmoSize) return fail(ctx, ZX_ERR_OUT_OF_RANGE, streamPastSize, size, vmoSize);
  const koid = ctx.core.newKoid();
  const source = pagerObj.createSource(
    portHandle.object as PortDispatcher,
    key,
    (options & ZX_VMO_TRAP_DIRTY) !== 0,
    ctx.core.pageWait,
    koid,
  );
  const vmo = createPagerVmo(
    ctx.core.pmm,
    Number(vmoSize >> PAGE_SHIFT_N),
    { resizable, discardable: false, unbounded },
    ctx.core.discardables,
    source,
  );
  ctx.core.pagerEvictor.track(vmo.cow);
  // Past the stream size of an unbounded VMO, pages read as zero and are not the pager's.
  if (unbounded)
    source.runs.set(Number(roundUpPageU64(size)! >> PAGE_SHIFT_N), vmo.sizePages, UNTRACKED);
  const dispatcher = new VmObjectDispatcher(koid, vmo, size);
  return out.set(dispatcher, ZX_DEFAULT_VMO_RIGHTS | (resizable ? ZX_RIGHT_RESIZE : 0));
}

/**
 * While a tracer listens, the proxy serving `vmo`, told that an answer begins (the requests it
 * completes are told after it); null otherwise, at the cost of one check.
 */
function answering(ctx: SyscallContext, vmo: VmObjectPaged): PagerProxy | null {
  if (ctx.core.pagerTrace.observer === null) return null;
  const proxy = vmo.cow.source!.provider as PagerProxy;
  proxy.answering();
  return proxy;
}

/** The pager VMO of a call, if `pager` made it: the VmObjectPaged, or INVALID_ARGS. */
function pagersVmo(
  ctx: SyscallContext,
  pager: PagerDispatcher,
  vmo: VmObjectDispatcher,
  name: string,
): VmObjectPaged | number {
  const source = pageSourceOf(vmo.vmo);
  if (source === null || source.provider.pagerKoid !== pager.koid) {
    const owner = source === null ? null : source.provider.pagerKoid;
    return fail(ctx, ZX_ERR_INVALID_ARGS, notPagers, name, vmo.koid, owner);
  }
  return vmo.vmo as VmObjectPaged;
}

/**
 * The pager's VMO, looked up in Zircon's order (pager, then VMO, then that the VMO is that
 * pager's), or a status.
 */
function pagerAndVmo(
  ctx: SyscallContext,
  pager: number,
  pagerParam: HandleParam,
  vmo: number,
  vmoParam: HandleParam,
): VmObjectPaged | number {
  const pagerObj = objectWithRights<PagerDispatcher>(ctx, pager, pagerParam);
  if (typeof pagerObj === 'number') return pagerObj;
  const vmoObj = objectWithRights<VmObjectDispatcher>(ctx, vmo, vmoParam);
  if (typeof vmoObj === 'number') return vmoObj;
  return pagersVmo(ctx, pagerObj, vmoObj, vmoParam.name);
}

/** zx_pager_detach_vmo(pager, vmo). */
export function zx_pager_detach_vmo(ctx: SyscallContext, pager: number, vmo: number): number {
  const params = S.zx_pager_detach_vmo.params;
  const paged = pagerAndVmo(ctx, pager, params[0], vmo, params[1]);
  if (typeof paged === 'number') return paged;
  const traced = answering(ctx, paged);
  detachPagerVmo(paged);
  if (traced !== null) traced.answered('detached', 0n, paged.sizeBytes, null, ZX_OK);
  return ZX_OK;
}

/**
 * zx_pager_supply_pages(pager, pager_vmo, offset, length, aux_vmo, aux_offset): the aux
 * VMO's pages are taken out (moved, not copied) before the pager VMO's range is checked.
 */
export function zx_pager_supply_pages(
  ctx: SyscallContext,
  pager: number,
  pagerVmo: number,
  offset: bigint,
  length: bigint,
  auxVmo: number,
  auxOffset: bigint,
): number {
  if (((offset | length | auxOffset) & PAGE_MASK_N) !== 0n) {
    const values = [offset, length, auxOffset];
    return fail(ctx, ZX_ERR_INVALID_ARGS, firstUnaligned, SUPPLY_RANGE, values);
  }
  const params = S.zx_pager_supply_pages.params;
  const paged = pagerAndVmo(ctx, pager, params[0], pagerVmo, params[1]);
  if (typeof paged === 'number') return paged;
  const aux = objectWithRights<VmObjectDispatcher>(ctx, auxVmo, params[4]);
  if (typeof aux === 'number') return aux;
  // Pages may not come from another pager's VMO (upstream refuses to take them).
  if (pageSourceOf(aux.vmo) !== null) return fail(ctx, ZX_ERR_NOT_SUPPORTED, AUX_PAGER);
  const pages = aux.vmo.takePages(auxOffset, length);
  if (typeof pages === 'number') return pages;
  const traced = answering(ctx, paged);
  const status = supplyPagerPages(paged, offset, length, pages);
  if (traced !== null) traced.answered('supplied', offset, length, null, status);
  pages.release();
  return status;
}

/** zx_pager_op_range(pager, op, pager_vmo, offset, length, data). */
export function zx_pager_op_range(
  ctx: SyscallContext,
  pager: number,
  op: number,
  pagerVmo: number,
  offset: bigint,
  length: bigint,
  data: bigint,
): number {
  if (((offset | length) & PAGE_MASK_N) !== 0n) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, firstUnaligned, OP_RANGE, [offset, length]);
  }
  const params = S.zx_pager_op_range.params;
  const paged = pagerAndVmo(ctx, pager, params[0], pagerVmo, params[2]);
  if (typeof paged === 'number') return paged;
  if (op !== ZX_PAGER_OP_FAIL) return writebackOp(paged, op, offset, length, data);
  // data is a zx_status_t in a u64: it must be an int32 (sign-extended) from the list.
  const signed = BigInt.asIntN(64, data);
  const status = signed < -(2n ** 31n) || signed >= 2n ** 31n ? 0 : Number(signed);
  if (!FAILURE_CODES.has(status)) return fail(ctx, ZX_ERR_INVALID_ARGS, notFailure, data);
  const traced = answering(ctx, paged);
  const result = failPagerRange(paged, offset, length, status);
  if (traced !== null) traced.answered('failed', offset, length, status, result);
  return result;
}

/**
 * zx_pager_query_vmo_stats(pager, pager_vmo, options, buffer, buffer_size): the modified flag,
 * reset when asked (before the copy out, as upstream queries and resets in one step).
 */
export function zx_pager_query_vmo_stats(
  ctx: SyscallContext,
  pager: number,
  pagerVmo: number,
  options: number,
  buffer: UserBuffer,
  bufferSize: bigint,
): number {
  const params = S.zx_pager_query_vmo_stats.params;
  const vmo = pagerAndVmo(ctx, pager, params[0], pagerVmo, params[1]);
  if (typeof vmo === 'number') return vmo;
  const paged = pagersOwnVmo(vmo);
  if (typeof paged === 'number') return paged;
  if (bufferSize < BigInt(ZX_PAGER_VMO_STATS_SIZE)) {
    return fail(ctx, ZX_ERR_BUFFER_TOO_SMALL, statsTooSmall, bufferSize);
  }
  if ((options & ~ZX_PAGER_RESET_VMO_STATS) !== 0) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, bitsOtherThan, 'options', options, STATS_OPTIONS);
  }
  const source = paged.cow.source!;
  const modified = source.modified;
  if ((options & ZX_PAGER_RESET_VMO_STATS) !== 0) source.modified = false;
  const dst = beginCopyOut(buffer, ZX_PAGER_VMO_STATS_SIZE);
  if (typeof dst === 'number') return dst;
  encodeZxPagerVmoStats(new DataView(dst.buffer, dst.byteOffset, dst.byteLength), 0, {
    modified: modified ? ZX_PAGER_VMO_STATS_MODIFIED : 0,
  });
  return finishCopyOut(ctx.user, buffer, dst);
}

/**
 * zx_pager_query_dirty_ranges(pager, pager_vmo, offset, length, buffer, buffer_size, actual,
 * avail): the dirty ranges of the pager's VMO in the range (pager-writeback.ts).
 */
export function zx_pager_query_dirty_ranges(
  ctx: SyscallContext,
  pager: number,
  pagerVmo: number,
  offset: bigint,
  length: bigint,
  buffer: UserBuffer,
  bufferSize: bigint,
  actual: UserOut,
  avail: UserOut,
): number {
  const params = S.zx_pager_query_dirty_ranges.params;
  const vmo = pagerAndVmo(ctx, pager, params[0], pagerVmo, params[1]);
  if (typeof vmo === 'number') return vmo;
  const paged = pagersOwnVmo(vmo);
  if (typeof paged === 'number') return paged;
  return queryDirtyRanges(ctx, paged, offset, length, buffer, bufferSize, actual, avail);
}
