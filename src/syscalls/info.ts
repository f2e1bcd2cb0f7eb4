// zx_object_get_info: the topic picks the object type and rights the handle needs and the
// records copied out, as the switch of Zircon's object_info.cc does. Rights and errors: its
// entry in src/abi/syscalls/object.ts.

import {
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_INFO_HANDLE_BASIC,
  ZX_INFO_HANDLE_VALID,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_KMEM_STATS_V1,
  ZX_INFO_PROCESS_MAPS,
  ZX_INFO_THREAD,
  ZX_INFO_VMAR,
  ZX_INFO_VMAR_MAPS,
  ZX_INFO_VMO,
  ZX_INFO_VMO_V1,
  ZX_INFO_VMO_V2,
  ZX_INFO_VMO_V3,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OBJ_TYPE_THREAD,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_INSPECT,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_INFO_BASE,
} from '../abi/constants.ts';
import {
  encodeZxInfoHandleBasic,
  encodeZxInfoKmemStats,
  encodeZxInfoKmemStatsV1,
  encodeZxInfoVmar,
  ZX_INFO_HANDLE_BASIC_SIZE,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_KMEM_STATS_V1_SIZE,
  ZX_INFO_VMAR_SIZE,
  ZX_INFO_VMO_SIZE,
  ZX_INFO_VMO_V1_SIZE,
  ZX_INFO_VMO_V2_SIZE,
  ZX_INFO_VMO_V3_SIZE,
} from '../abi/structs.ts';
import { OBJECT_SYSCALLS as S } from '../abi/syscalls/object.ts';
import type { ThreadDispatcher } from '../object/thread-dispatcher.ts';
import type { VmAddressRegionDispatcher } from '../object/vm-address-region-dispatcher.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { hex } from '../util/reason.ts';
import { kmemStats, kmemStatsV1 } from '../vm/memory-stats.ts';
import {
  fail,
  handleWithRights,
  objectWithRights,
  type SyscallContext,
  unwritable,
} from './context.ts';
import type { UserOut } from './impl.ts';
import {
  type InfoOut,
  PROCESS_VMOS_SIZES,
  processMapsInfo,
  processVmosInfo,
  vmarMapsInfo,
} from './info-process.ts';
import { encodeThreadInfo } from './info-thread.ts';
import { encodeVmoInfo } from './info-vmo.ts';
import { validateRangedResource } from './ranged-resource.ts';
import { beginCopyOut, copyOutU64, finishCopyOut, type UserBuffer } from './user.ts';

const HANDLE = S.zx_object_get_info.params[0];
const VMO_HANDLE = { ...HANDLE, type: ZX_OBJ_TYPE_VMO };
const VMAR_HANDLE = { ...HANDLE, type: ZX_OBJ_TYPE_VMAR };
const THREAD_HANDLE = { ...HANDLE, type: ZX_OBJ_TYPE_THREAD };
const RESOURCE_HANDLE = { ...HANDLE, type: ZX_OBJ_TYPE_RESOURCE };

/** Each ZX_INFO_VMO version's record: a prefix of the newest zx_info_vmo_t. */
const VMO_TOPIC_SIZES: ReadonlyMap<number, number> = new Map([
  [ZX_INFO_VMO_V1, ZX_INFO_VMO_V1_SIZE],
  [ZX_INFO_VMO_V2, ZX_INFO_VMO_V2_SIZE],
  [ZX_INFO_VMO_V3, ZX_INFO_VMO_V3_SIZE],
  [ZX_INFO_VMO, ZX_INFO_VMO_SIZE],
]);

/**
 * zx_object_get_info(handle, topic, buffer, buffer_size, actual, avail): the topic is looked at
 * before the handle. Single-record topics fail with ZX_ERR_BUFFER_TOO_SMALL (actual and avail
 * still written) when the record does not fit; multi-record ones (info-process.ts) copy what
 * fits and succeed.
 * Rights and errors: its entry in src/abi/syscalls/object.ts.
 */
export function zx_object_get_info(
  ctx: SyscallContext,
  handle: number,
  topic: number,
  buffer: UserBuffer,
  bufferSize: bigint,
  actual: UserOut,
  avail: UserOut,
): number {
  const out: InfoOut = { buffer, bufferSize, actual, avail };
  const vmoSize = VMO_TOPIC_SIZES.get(topic);
  if (vmoSize !== undefined) {
    // Any VMO handle, whatever its rights; the record shows them.
    const found = handleWithRights(ctx, handle, VMO_HANDLE);
    if (typeof found === 'number') return found;
    const info = (found.object as VmObjectDispatcher).getVmoInfo(found.rights);
    return singleRecord(ctx, out, encodeVmoInfo(info).subarray(0, vmoSize));
  }
  const processVmosSize = PROCESS_VMOS_SIZES.get(topic);
  if (processVmosSize !== undefined) return processVmosInfo(ctx, handle, processVmosSize, out);
  switch (topic) {
    case ZX_INFO_HANDLE_VALID: {
      // Only whether the handle exists: the buffer, actual and avail are never touched.
      const found = handleWithRights(ctx, handle, HANDLE);
      return typeof found === 'number' ? found : ZX_OK;
    }
    case ZX_INFO_HANDLE_BASIC: {
      const found = handleWithRights(ctx, handle, HANDLE);
      if (typeof found === 'number') return found;
      const object = found.object;
      const bytes = new Uint8Array(ZX_INFO_HANDLE_BASIC_SIZE);
      encodeZxInfoHandleBasic(new DataView(bytes.buffer), 0, {
        koid: BigInt(object.koid),
        rights: found.rights,
        type: object.type,
        related_koid: BigInt(object.relatedKoid),
        reserved: 0,
      });
      return singleRecord(ctx, out, bytes);
    }
    case ZX_INFO_THREAD: {
      const thread = objectWithRights<ThreadDispatcher>(
        ctx,
        handle,
        THREAD_HANDLE,
        ZX_RIGHT_INSPECT,
      );
      if (typeof thread === 'number') return thread;
      return singleRecord(ctx, out, encodeThreadInfo(thread));
    }
    case ZX_INFO_VMAR: {
      const vmar = objectWithRights<VmAddressRegionDispatcher>(
        ctx,
        handle,
        VMAR_HANDLE,
        ZX_RIGHT_INSPECT,
      );
      if (typeof vmar === 'number') return vmar;
      const bytes = new Uint8Array(ZX_INFO_VMAR_SIZE);
      encodeZxInfoVmar(new DataView(bytes.buffer), 0, { base: vmar.base, len: vmar.size });
      return singleRecord(ctx, out, bytes);
    }
    case ZX_INFO_KMEM_STATS:
    case ZX_INFO_KMEM_STATS_V1: {
      // No right: a SYSTEM resource covering the INFO base is the privilege.
      const status = validateRangedResource(
        ctx,
        handle,
        ZX_RSRC_KIND_SYSTEM,
        ZX_RSRC_SYSTEM_INFO_BASE,
        1n,
        RESOURCE_HANDLE,
      );
      if (status !== ZX_OK) return status;
      const core = ctx.core;
      const stats = kmemStats(core.pmm, core.discardables, core.pagerEvictor.counts());
      if (topic === ZX_INFO_KMEM_STATS) {
        const bytes = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
        encodeZxInfoKmemStats(new DataView(bytes.buffer), 0, stats);
        return singleRecord(ctx, out, bytes);
      }
      const bytes = new Uint8Array(ZX_INFO_KMEM_STATS_V1_SIZE);
      encodeZxInfoKmemStatsV1(new DataView(bytes.buffer), 0, kmemStatsV1(stats));
      return singleRecord(ctx, out, bytes);
    }
    case ZX_INFO_PROCESS_MAPS:
      return processMapsInfo(ctx, handle, out);
    case ZX_INFO_VMAR_MAPS:
      return vmarMapsInfo(ctx, handle, out);
    default:
      return fail(ctx, ZX_ERR_NOT_SUPPORTED, unknownTopic, topic);
  }
}

function unknownTopic(topic: number): string {
  return `topic (${hex(topic >>> 0)}) is not a ZX_INFO_* topic zxvm answers`;
}

function tooSmall(size: bigint, record: number): string {
  return `buffer_size (${size}) is below the ${record}-byte record (actual 0 and avail 1 written)`;
}

/**
 * Copies out one record when it fits, then actual and avail (Zircon's single_record_result): a
 * failed copy of the record is returned before they are written; ZX_ERR_BUFFER_TOO_SMALL when
 * the record did not fit.
 */
function singleRecord(ctx: SyscallContext, out: InfoOut, record: Uint8Array): number {
  let copied = 0n;
  if (out.bufferSize >= BigInt(record.length)) {
    const bytes = beginCopyOut(out.buffer, record.length);
    if (typeof bytes === 'number') return bytes;
    bytes.set(record);
    const status = finishCopyOut(ctx.user, out.buffer, bytes);
    if (status !== ZX_OK) return status;
    copied = 1n;
  }
  if (out.actual !== null && !copyOutU64(ctx.user, out.actual, copied)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'actual', out.actual);
  }
  if (out.avail !== null && !copyOutU64(ctx.user, out.avail, 1n)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'avail', out.avail);
  }
  if (copied !== 0n) return ZX_OK;
  return fail(ctx, ZX_ERR_BUFFER_TOO_SMALL, tooSmall, out.bufferSize, record.length);
}
