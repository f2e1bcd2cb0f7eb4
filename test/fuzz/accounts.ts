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
} from '../../src/abi/structs.ts';
import type { VmObjectDispatcher } from '../../src/object/vm-object-dispatcher.ts';
import type { World } from './world.ts';

/** One byte in the 63-bit fixed point of zx_info_vmo_t's fractional scaled bytes. */
const ONE_BYTE = 1n << 63n;
const U64_MAX = (1n << 64n) - 1n;

/**
 * The scaled committed bytes of the VMOs the process holds (or that are in flight in channel
 * messages) add up to KMEM vmo_bytes; to no
 * more than that when the parent of a slice or reference is held by nobody (its pages are
 * its own, and no handle shows them).
 */
export function checkAccounts(world: World): void {
  const { sys } = world;
  const table = world.proc.object.handles;
  const committed = new Map<number, bigint>();
  const parents: (number | undefined)[] = [];
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
    const record = decodeZxInfoVmo(vmo);
    // Scaled (PSS) bytes: a page shared by n VMOs counts 1/n in each, so they add up to RAM.
    const fraction = record.committed_fractional_scaled_bytes;
    const exact = record.committed_scaled_bytes * ONE_BYTE + (fraction === U64_MAX ? 0n : fraction);
    committed.set(Number(info.koid), exact);
    // A slice or reference reports none of its parent's pages (its parent_koid is 0 once
    // the parent is gone: the object layer is asked, not ZX_INFO_VMO).
    const vm = (table.get(value)!.object as VmObjectDispatcher).vmo;
    if (vm.childType === 'slice' || vm.childType === 'reference') parents.push(vm.parent?.userId);
  }
  // VMOs whose only handles are in flight (in a channel message) count too.
  for (const handle of world.kernel.core.handleArena.liveHandles()) {
    if (handle.owner !== null || handle.object.type !== ZX_OBJ_TYPE_VMO) continue;
    const object = handle.object as VmObjectDispatcher;
    if (committed.has(Number(object.koid))) continue;
    const record = object.getVmoInfo(handle.rights);
    const fraction = record.committed_fractional_scaled_bytes;
    const exact = record.committed_scaled_bytes * ONE_BYTE + (fraction === U64_MAX ? 0n : fraction);
    committed.set(Number(object.koid), exact);
    const vm = object.vmo;
    if (vm.childType === 'slice' || vm.childType === 'reference') parents.push(vm.parent?.userId);
  }
  const hiddenParent = parents.some((koid) => koid === undefined || !committed.has(koid));
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
