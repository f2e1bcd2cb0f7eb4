// zx_object_get_info: one record per topic, copied out as its C struct. Older versions of a
// topic (ZX_INFO_VMO_V1 ...) are prefixes of the newest record, so they are answered by
// encoding the newest struct and copying out as many bytes as the older one holds.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_HANDLE_BASIC,
  ZX_INFO_HANDLE_VALID,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_KMEM_STATS_V1,
  ZX_INFO_VMAR,
  ZX_INFO_VMO,
  ZX_INFO_VMO_V1,
  ZX_INFO_VMO_V2,
  ZX_INFO_VMO_V3,
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
import type { VmAddressRegionDispatcher } from '../object/vm-address-region-dispatcher.ts';
import type { VmoObject } from '../object/vmo-object.ts';
import { handleValue, u32, u64, writeOut } from './args.ts';
import { lookupHandle, type SyscallContext } from './context.ts';
import { kmemStats } from './info-kmem.ts';
import { PROCESS_INFO_TOPICS, processInfo } from './info-process.ts';
import { encodeVmoInfo } from './info-vmo.ts';
import { validateRangedResource } from './resource.ts';
import { beginCopyOut, finishCopyOut, isUserBuffer, type UserBuffer } from './user.ts';

const KNOWN_TOPICS = new Set<number>([
  ZX_INFO_HANDLE_VALID,
  ZX_INFO_HANDLE_BASIC,
  ZX_INFO_VMO_V1,
  ZX_INFO_VMO_V2,
  ZX_INFO_VMO_V3,
  ZX_INFO_VMO,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_KMEM_STATS_V1,
  ZX_INFO_VMAR,
  ...PROCESS_INFO_TOPICS,
]);

const VMO_TOPIC_SIZES = new Map<number, number>([
  [ZX_INFO_VMO_V1, ZX_INFO_VMO_V1_SIZE],
  [ZX_INFO_VMO_V2, ZX_INFO_VMO_V2_SIZE],
  [ZX_INFO_VMO_V3, ZX_INFO_VMO_V3_SIZE],
  [ZX_INFO_VMO, ZX_INFO_VMO_SIZE],
]);

/**
 * zx_object_get_info(handle, topic, buffer, buffer_size, actual, avail)
 * Topics: ZX_INFO_HANDLE_VALID (any handle), ZX_INFO_HANDLE_BASIC (any handle),
 * ZX_INFO_VMO and ZX_INFO_VMO_V1/V2/V3 (a VMO, no right needed), ZX_INFO_KMEM_STATS and
 * ZX_INFO_KMEM_STATS_V1 (the system resource, or a SYSTEM resource covering
 * ZX_RSRC_SYSTEM_INFO_BASE; no right needed), ZX_INFO_VMAR (a VMAR with ZX_RIGHT_INSPECT);
 * the multi-record ZX_INFO_PROCESS_VMOS (V1..current) and ZX_INFO_PROCESS_MAPS (a process with
 * ZX_RIGHT_INSPECT) and ZX_INFO_VMAR_MAPS (a VMAR with ZX_RIGHT_INSPECT; info-process.ts),
 * which succeed even when the buffer holds no record.
 * Errors: ZX_ERR_NOT_SUPPORTED (unknown topic, checked before the handle); ZX_ERR_BAD_HANDLE;
 * ZX_ERR_WRONG_TYPE (topic not answered by this object type; a resource of another kind);
 * ZX_ERR_OUT_OF_RANGE (a SYSTEM resource not covering INFO); ZX_ERR_ACCESS_DENIED (missing
 * right); ZX_ERR_BUFFER_TOO_SMALL (buffer_size below one record: actual = 0 and avail = 1 are
 * still written); ZX_ERR_INVALID_ARGS (buffer, actual or avail unusable); ZX_ERR_NOT_FOUND
 * (host buffer shorter than the record).
 */
export function zx_object_get_info(
  ctx: SyscallContext,
  handle: unknown,
  topic: unknown,
  buffer: unknown,
  bufferSize: unknown,
  actual: unknown,
  avail: unknown,
): number {
  const topic32 = u32(topic);
  const size = u64(bufferSize);
  if (topic32 === undefined || size === undefined || !isUserBuffer(buffer)) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (!KNOWN_TOPICS.has(topic32)) return ZX_ERR_NOT_SUPPORTED;
  if (topic32 === ZX_INFO_KMEM_STATS || topic32 === ZX_INFO_KMEM_STATS_V1) {
    const status = validateRangedResource(
      ctx,
      handleValue(handle),
      ZX_RSRC_KIND_SYSTEM,
      ZX_RSRC_SYSTEM_INFO_BASE,
      1n,
    );
    if (status !== ZX_OK) return status;
    const stats = kmemStats(ctx.core);
    const v1 = topic32 === ZX_INFO_KMEM_STATS_V1;
    const bytes = new Uint8Array(v1 ? ZX_INFO_KMEM_STATS_V1_SIZE : ZX_INFO_KMEM_STATS_SIZE);
    const view = new DataView(bytes.buffer);
    if (v1)
      encodeZxInfoKmemStatsV1(view, 0, {
        ...stats,
        free_bytes: stats.free_bytes + stats.free_loaned_bytes,
      });
    else encodeZxInfoKmemStats(view, 0, stats);
    return singleRecord(ctx, buffer, size, actual, avail, bytes, bytes.length);
  }
  const found = lookupHandle(ctx, handleValue(handle));
  if (topic32 === ZX_INFO_HANDLE_VALID) return typeof found === 'number' ? found : ZX_OK;
  if (typeof found === 'number') return found;
  const object = found.object;
  const reply = (bytes: Uint8Array, recordSize: number) =>
    singleRecord(ctx, buffer, size, actual, avail, bytes, recordSize);

  if (topic32 === ZX_INFO_HANDLE_BASIC) {
    const bytes = new Uint8Array(ZX_INFO_HANDLE_BASIC_SIZE);
    encodeZxInfoHandleBasic(new DataView(bytes.buffer), 0, {
      koid: BigInt(object.koid),
      rights: found.rights,
      type: object.type,
      related_koid: BigInt(object.relatedKoid),
      reserved: 0,
    });
    return reply(bytes, bytes.length);
  }
  const vmoSize = VMO_TOPIC_SIZES.get(topic32);
  if (vmoSize !== undefined) {
    if (object.type !== ZX_OBJ_TYPE_VMO) return ZX_ERR_WRONG_TYPE;
    return reply(encodeVmoInfo(object as VmoObject, found.rights), vmoSize);
  }
  if (topic32 === ZX_INFO_VMAR) {
    if (object.type !== ZX_OBJ_TYPE_VMAR) return ZX_ERR_WRONG_TYPE;
    if ((found.rights & ZX_RIGHT_INSPECT) === 0) return ZX_ERR_ACCESS_DENIED;
    const vmar = object as VmAddressRegionDispatcher;
    const bytes = new Uint8Array(ZX_INFO_VMAR_SIZE);
    encodeZxInfoVmar(new DataView(bytes.buffer), 0, { base: vmar.base, len: vmar.size });
    return reply(bytes, bytes.length);
  }
  return processInfo(ctx, found, topic32, buffer, size, actual, avail) ?? ZX_ERR_NOT_SUPPORTED;
}

/**
 * Copies out one record (the first `recordSize` bytes of `bytes`) when it fits, then actual and
 * avail; ZX_ERR_BUFFER_TOO_SMALL when it did not fit.
 */
function singleRecord(
  ctx: SyscallContext,
  buffer: UserBuffer,
  bufferSize: bigint,
  actual: unknown,
  avail: unknown,
  bytes: Uint8Array,
  recordSize: number,
): number {
  let copied = 0n;
  if (bufferSize >= BigInt(recordSize)) {
    const out = beginCopyOut(buffer, recordSize);
    if (typeof out === 'number') return out;
    out.set(bytes.subarray(0, recordSize));
    const status = finishCopyOut(ctx.user, buffer, out);
    if (status !== ZX_OK) return status;
    copied = 1n;
  }
  // actual and avail are size_t: bigints, like every 64-bit out-parameter.
  if (actual !== null && !writeOut(actual, copied)) return ZX_ERR_INVALID_ARGS;
  if (avail !== null && !writeOut(avail, 1n)) return ZX_ERR_INVALID_ARGS;
  return copied === 0n ? ZX_ERR_BUFFER_TOO_SMALL : ZX_OK;
}
