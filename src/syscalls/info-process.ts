// The multi-record zx_object_get_info topics: ZX_INFO_PROCESS_VMOS (V1..current),
// ZX_INFO_PROCESS_MAPS and ZX_INFO_VMAR_MAPS (current zx_info_maps_t only). The records come
// from the object layer (object/diagnostics.ts); here they are copied out as Zircon's walkers
// do: min(avail, buffer_size / sizeof(record)) records, then actual and avail, and ZX_OK even
// when the buffer holds none of them.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_INFO_PROCESS_VMOS,
  ZX_INFO_PROCESS_VMOS_V1,
  ZX_INFO_PROCESS_VMOS_V2,
  ZX_INFO_PROCESS_VMOS_V3,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OBJ_TYPE_VMAR,
  ZX_OK,
  ZX_RIGHT_INSPECT,
} from '../abi/constants.ts';
import {
  ZX_INFO_MAPS_SIZE,
  ZX_INFO_VMO_SIZE,
  ZX_INFO_VMO_V1_SIZE,
  ZX_INFO_VMO_V2_SIZE,
  ZX_INFO_VMO_V3_SIZE,
} from '../abi/structs.ts';
import { OBJECT_SYSCALLS as S } from '../abi/syscalls/object.ts';
import { aspaceMaps, processVmos, vmarMaps } from '../object/diagnostics.ts';
import type { ProcessDispatcher } from '../object/process-dispatcher.ts';
import type { VmAddressRegionDispatcher } from '../object/vm-address-region-dispatcher.ts';
import { fail, objectWithRights, type SyscallContext, unwritable } from './context.ts';
import type { UserOut } from './impl.ts';
import { encodeVmObjectInfo } from './info-vmo.ts';
import { beginCopyOut, copyOutU64, finishCopyOut, type UserBuffer } from './user.ts';

/** Where the records of one zx_object_get_info call go. */
export interface InfoOut {
  readonly buffer: UserBuffer;
  readonly bufferSize: bigint;
  readonly actual: UserOut;
  readonly avail: UserOut;
}

/** The record size of each ZX_INFO_PROCESS_VMOS version: a prefix of the newest zx_info_vmo_t. */
export const PROCESS_VMOS_SIZES: ReadonlyMap<number, number> = new Map([
  [ZX_INFO_PROCESS_VMOS_V1, ZX_INFO_VMO_V1_SIZE],
  [ZX_INFO_PROCESS_VMOS_V2, ZX_INFO_VMO_V2_SIZE],
  [ZX_INFO_PROCESS_VMOS_V3, ZX_INFO_VMO_V3_SIZE],
  [ZX_INFO_PROCESS_VMOS, ZX_INFO_VMO_SIZE],
]);

const HANDLE = S.zx_object_get_info.params[0];
const PROCESS_HANDLE = { ...HANDLE, type: ZX_OBJ_TYPE_PROCESS };
const VMAR_HANDLE = { ...HANDLE, type: ZX_OBJ_TYPE_VMAR };

/** ZX_INFO_PROCESS_VMOS and its versions: a process, with ZX_RIGHT_INSPECT. */
export function processVmosInfo(
  ctx: SyscallContext,
  handle: number,
  recordSize: number,
  out: InfoOut,
): number {
  const process = objectWithRights<ProcessDispatcher>(
    ctx,
    handle,
    PROCESS_HANDLE,
    ZX_RIGHT_INSPECT,
  );
  if (typeof process === 'number') return process;
  // ProcessDispatcher::GetVmos answers only a running process; actual and avail are still 0.
  if (process.state !== 'running') return noRecords(ctx, out, `the process is ${process.state}`);
  const records = processVmos(process).map((r) => encodeVmObjectInfo(r.vmo, r.rights, r.via));
  return multiRecord(ctx, out, records, recordSize);
}

/** ZX_INFO_PROCESS_MAPS: a process, with ZX_RIGHT_INSPECT. */
export function processMapsInfo(ctx: SyscallContext, handle: number, out: InfoOut): number {
  const process = objectWithRights<ProcessDispatcher>(
    ctx,
    handle,
    PROCESS_HANDLE,
    ZX_RIGHT_INSPECT,
  );
  if (typeof process === 'number') return process;
  // GetAspaceMaps answers until the address space is destroyed with the process.
  if (process.state === 'dead') {
    return noRecords(ctx, out, 'the process is dead: its address space is destroyed');
  }
  return multiRecord(ctx, out, aspaceMaps(process), ZX_INFO_MAPS_SIZE);
}

/** ZX_INFO_VMAR_MAPS: a VMAR, with ZX_RIGHT_INSPECT, not yet destroyed. */
export function vmarMapsInfo(ctx: SyscallContext, handle: number, out: InfoOut): number {
  const vmar = objectWithRights<VmAddressRegionDispatcher>(
    ctx,
    handle,
    VMAR_HANDLE,
    ZX_RIGHT_INSPECT,
  );
  if (typeof vmar === 'number') return vmar;
  const records = vmarMaps(vmar);
  if (typeof records === 'number') return records;
  return multiRecord(ctx, out, records, ZX_INFO_MAPS_SIZE);
}

/**
 * Copies out the first min(records, buffer_size / recordSize) records (each the first
 * `recordSize` bytes of its encoding), then actual and avail; ZX_OK even when none fit.
 */
/** ZX_ERR_BAD_STATE after writing actual and avail as 0 (whose own failure then wins). */
function noRecords(ctx: SyscallContext, out: InfoOut, why: string): number {
  if (out.actual !== null && !copyOutU64(ctx.user, out.actual, 0n)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'actual', out.actual);
  }
  if (out.avail !== null && !copyOutU64(ctx.user, out.avail, 0n)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'avail', out.avail);
  }
  return fail(ctx, ZX_ERR_BAD_STATE, why);
}

function multiRecord(
  ctx: SyscallContext,
  out: InfoOut,
  records: readonly Uint8Array[],
  recordSize: number,
): number {
  const fit = out.bufferSize / BigInt(recordSize);
  let count = Number(fit < BigInt(records.length) ? fit : BigInt(records.length));
  let copied = ZX_OK;
  if (count > 0) {
    const bytes = beginCopyOut(out.buffer, count * recordSize);
    if (typeof bytes === 'number') copied = bytes;
    else {
      for (let i = 0; i < count; i++) {
        bytes.set(records[i]!.subarray(0, recordSize), i * recordSize);
      }
      copied = finishCopyOut(ctx.user, out.buffer, bytes);
    }
    if (copied !== ZX_OK) count = 0;
  }
  // Zircon's walkers write actual and avail even when copying the records failed; the copy's
  // error then wins.
  if (out.actual !== null && !copyOutU64(ctx.user, out.actual, BigInt(count))) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'actual', out.actual);
  }
  if (out.avail !== null && !copyOutU64(ctx.user, out.avail, BigInt(records.length))) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'avail', out.avail);
  }
  return copied;
}
