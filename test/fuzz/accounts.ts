// The end-of-run account of VMO memory: what the VMOs the fuzzed process holds report (scaled
// committed bytes) against what the kernel says VMOs hold (KMEM vmo_bytes).

import assert from 'node:assert/strict';

import {
  ZX_INFO_HANDLE_BASIC,
  ZX_INFO_VMO,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
} from '../../src/abi/constants.ts';
import {
  decodeZxInfoHandleBasic,
  decodeZxInfoVmo,
  ZX_INFO_HANDLE_BASIC_SIZE,
  ZX_INFO_VMO_SIZE,
  type ZxInfoVmo,
} from '../../src/abi/structs.ts';
import type { VmObjectDispatcher } from '../../src/object/vm-object-dispatcher.ts';
import type { VmObject } from '../../src/vm/vm-object.ts';
import { VmObjectPaged } from '../../src/vm/vm-object-paged.ts';
import type { World } from './world.ts';

/** One byte in the 63-bit fixed point of zx_info_vmo_t's fractional scaled bytes. */
const ONE_BYTE = 1n << 63n;
const U64_MAX = (1n << 64n) - 1n;

/**
 * The scaled committed bytes of the VMOs the process holds (or that are in flight in channel
 * messages) add up to KMEM vmo_bytes; to no
 * more than that when the node a slice or reference shows is owned by no VMO counted (its
 * pages are reported by nobody).
 */
export function checkAccounts(world: World): void {
  const { sys } = world;
  const table = world.proc.object.handles;
  const committed = new Map<number, bigint>();
  const objects: VmObject[] = [];
  type Scaled = Pick<ZxInfoVmo, 'committed_scaled_bytes' | 'committed_fractional_scaled_bytes'>;
  const count = (koid: number, record: Scaled, vmo: VmObject) => {
    // Scaled (PSS) bytes: a page shared by n VMOs counts 1/n in each, so they add up to RAM.
    const fraction = record.committed_fractional_scaled_bytes;
    const exact = record.committed_scaled_bytes * ONE_BYTE + (fraction === U64_MAX ? 0n : fraction);
    committed.set(koid, exact);
    objects.push(vmo);
  };
  for (const value of table.values()) {
    const basic = new Uint8Array(ZX_INFO_HANDLE_BASIC_SIZE);
    const status = sys.zx_object_get_info(
      value,
      ZX_INFO_HANDLE_BASIC,
      basic,
      basic.length,
      null,
      null,
    );
    assert.equal(status, ZX_OK, 'ZX_INFO_HANDLE_BASIC of a handle in the table');
    const info = decodeZxInfoHandleBasic(basic);
    if (info.type !== ZX_OBJ_TYPE_VMO) continue;
    const vmo = new Uint8Array(ZX_INFO_VMO_SIZE);
    assert.equal(sys.zx_object_get_info(value, ZX_INFO_VMO, vmo, vmo.length, null, null), ZX_OK);
    const object = table.get(value)!.object as VmObjectDispatcher;
    count(Number(info.koid), decodeZxInfoVmo(vmo), object.vmo);
  }
  // VMOs whose only handles are in flight (in a channel message) count too.
  for (const handle of world.kernel.core.handleArena.liveHandles()) {
    if (handle.owner !== null || handle.object.type !== ZX_OBJ_TYPE_VMO) continue;
    const object = handle.object as VmObjectDispatcher;
    if (committed.has(Number(object.koid))) continue;
    count(Number(object.koid), object.getVmoInfo(handle.rights), object.vmo);
  }
  // A slice or reference reports none of the pages of the node it sees: when no VMO counted
  // here owns that node (its parent was closed, or is gone and the child re-homed), those
  // pages are reported by nobody.
  const owned = new Set(objects.filter((v) => !viewOnly(v)).map(nodeOf));
  const hiddenParent = objects.some((v) => viewOnly(v) && !owned.has(nodeOf(v)));
  const sum = [...committed.values()].reduce((a, b) => a + b, 0n);
  const vmoBytes = world.kmem().vmo_bytes;
  // Fractions such as 1/3 do not add up exactly: allow a byte of rounding per VMO.
  const slack = BigInt(committed.size) * ONE_BYTE;
  const total = vmoBytes * ONE_BYTE;
  assert.ok(
    sum <= total && (hiddenParent || total - sum <= slack),
    `KMEM vmo_bytes ${vmoBytes} = the VMOs' scaled committed bytes ${Number(sum / ONE_BYTE)}`,
  );
}

function viewOnly(vmo: VmObject): boolean {
  return vmo.childType === 'slice' || vmo.childType === 'reference';
}

/** The copy-on-write node whose pages `vmo` shows (device memory has none). */
function nodeOf(vmo: VmObject): unknown {
  return vmo instanceof VmObjectPaged ? vmo.cow : vmo;
}
