// zx_vmar_* syscalls: allocate, map, unmap, protect, destroy, op_range. Each looks its handles
// up where Zircon does and hands the rest to the VMAR's dispatcher
// (src/object/vm-address-region-dispatcher.ts), whose checks keep Zircon's order.
// Rights and errors: their entries in src/abi/syscalls/vmar.ts.

import { ZX_ERR_INVALID_ARGS, ZX_OK } from '../abi/constants.ts';
import { VMAR_SYSCALLS as S } from '../abi/syscalls/vmar.ts';
import {
  isValidProtection,
  opChildrenFromRights,
  rightsForCanMap,
  rightsForPerms,
  type VmAddressRegionDispatcher,
  withoutXom,
} from '../object/vm-address-region-dispatcher.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import {
  fail,
  handleWithRights,
  objectWithRights,
  type SyscallContext,
  unwritable,
} from './context.ts';
import type { HandleOut } from './impl.ts';
import { copyOutU64, type UserBuffer } from './user.ts';

/**
 * zx_vmar_allocate(parent_vmar, options, offset, size, child_vmar, child_addr): a sub-VMAR.
 * As in Zircon, child_addr is copied out before the handle: when it cannot be, the new VMAR is
 * destroyed; when only the handle cannot be (the binder finds that out), the handle goes and
 * the VMAR stays, as a VMAR does when its last handle is closed.
 * Rights and errors: its entry in src/abi/syscalls/vmar.ts.
 */
export function zx_vmar_allocate(
  ctx: SyscallContext,
  parentVmar: number,
  options: number,
  offset: bigint,
  size: bigint,
  childVmar: HandleOut,
  childAddr: unknown,
): number {
  const parent = objectWithRights<VmAddressRegionDispatcher>(
    ctx,
    parentVmar,
    S.zx_vmar_allocate.params[0],
    rightsForCanMap(options),
  );
  if (typeof parent === 'number') return parent;
  const child = parent.allocate(offset, size, options, () => ctx.core.newKoid());
  if (typeof child === 'number') return child;
  const made = childVmar.set(child, child.defaultRights);
  if (made !== ZX_OK) return made; // abandoned: the new VMAR is destroyed
  if (!copyOutU64(ctx.user, childAddr, child.base)) {
    child.destroy();
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'child_addr', childAddr);
  }
  return ZX_OK;
}

/**
 * zx_vmar_map(handle, options, vmar_offset, vmo, vmo_offset, len, mapped_addr): maps
 * [vmo_offset, vmo_offset + len) of the VMO (len rounded up to pages). The mapping is undone
 * when mapped_addr cannot be written, and only then may it merge with its neighbours.
 * Rights and errors: its entry in src/abi/syscalls/vmar.ts.
 */
export function zx_vmar_map(
  ctx: SyscallContext,
  handle: number,
  options: number,
  vmarOffset: bigint,
  vmo: number,
  vmoOffset: bigint,
  len: bigint,
  mappedAddr: unknown,
): number {
  const params = S.zx_vmar_map.params;
  const vmar = handleWithRights(ctx, handle, params[0]);
  if (typeof vmar === 'number') return vmar;
  const source = handleWithRights(ctx, vmo, params[3]);
  if (typeof source === 'number') return source;
  const result = (vmar.object as VmAddressRegionDispatcher).map(
    vmar.rights,
    source.object as VmObjectDispatcher,
    source.rights,
    options,
    vmarOffset,
    vmoOffset,
    len,
  );
  if (typeof result === 'number') return result;
  if (!copyOutU64(ctx.user, mappedAddr, result.base)) {
    result.destroy();
    return fail(ctx, ZX_ERR_INVALID_ARGS, unwritable, 'mapped_addr', mappedAddr);
  }
  result.markMergeable();
  return ZX_OK;
}

/**
 * zx_vmar_unmap(handle, addr, len): unmaps [addr, addr + len), len rounded up to pages.
 * Rights and errors: its entry in src/abi/syscalls/vmar.ts.
 */
export function zx_vmar_unmap(
  ctx: SyscallContext,
  handle: number,
  addr: bigint,
  len: bigint,
): number {
  const vmar = handleWithRights(ctx, handle, S.zx_vmar_unmap.params[0]);
  if (typeof vmar === 'number') return vmar;
  const opChildren = opChildrenFromRights(vmar.rights);
  return (vmar.object as VmAddressRegionDispatcher).unmap(addr, len, opChildren);
}

/**
 * zx_vmar_protect(handle, options, addr, len): sets the permissions of [addr, addr + len).
 * The handle is looked up with the rights of the permissions asked for, before anything else
 * about them is checked.
 * Rights and errors: its entry in src/abi/syscalls/vmar.ts.
 */
export function zx_vmar_protect(
  ctx: SyscallContext,
  handle: number,
  options: number,
  addr: bigint,
  len: bigint,
): number {
  const opts = withoutXom(options);
  const vmar = handleWithRights(ctx, handle, S.zx_vmar_protect.params[0], rightsForPerms(opts));
  if (typeof vmar === 'number') return vmar;
  if (!isValidProtection(opts)) {
    return fail(
      ctx,
      ZX_ERR_INVALID_ARGS,
      'ZX_VM_PERM_WRITE or ZX_VM_PERM_EXECUTE without PERM_READ',
    );
  }
  const opChildren = opChildrenFromRights(vmar.rights);
  return (vmar.object as VmAddressRegionDispatcher).protect(addr, len, opts, opChildren);
}

/**
 * zx_vmar_destroy(handle): unmaps everything in the VMAR and destroys it and its sub-VMARs;
 * their handles stay, every operation through them then being ZX_ERR_BAD_STATE.
 * Rights and errors: its entry in src/abi/syscalls/vmar.ts.
 */
export function zx_vmar_destroy(ctx: SyscallContext, handle: number): number {
  const vmar = objectWithRights<VmAddressRegionDispatcher>(
    ctx,
    handle,
    S.zx_vmar_destroy.params[0],
  );
  if (typeof vmar === 'number') return vmar;
  return vmar.destroy();
}

/**
 * zx_vmar_op_range(handle, op, address, size, buffer, buffer_size): a ZX_VMAR_OP_* over the
 * mappings of [address, address + size); it stops at the first error, keeping what was done.
 * Rights and errors: its entry in src/abi/syscalls/vmar.ts.
 */
export function zx_vmar_op_range(
  ctx: SyscallContext,
  handle: number,
  op: number,
  address: bigint,
  size: bigint,
  buffer: UserBuffer,
  bufferSize: bigint,
): number {
  const vmar = handleWithRights(ctx, handle, S.zx_vmar_op_range.params[0]);
  if (typeof vmar === 'number') return vmar;
  const opChildren = opChildrenFromRights(vmar.rights);
  return (vmar.object as VmAddressRegionDispatcher).rangeOp(
    op,
    address,
    size,
    opChildren,
    buffer,
    bufferSize,
  );
}
