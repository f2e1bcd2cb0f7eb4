// Zircon's validate_ranged_resource, the privilege check of the syscalls that need a resource
// (ZX_INFO_KMEM_STATS, zx_vmo_replace_as_executable, zx_iommu_create...). Kept apart from the
// syscall implementations, which the table (table.ts) takes whole.

import * as constants from '../abi/constants.ts';
import {
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OK,
  ZX_RIGHT_NONE,
} from '../abi/constants.ts';
import { type HandleParam, handle } from '../abi/syscall-spec.ts';
import type { ResourceDispatcher } from '../object/resource-dispatcher.ts';
import { hex } from '../util/reason.ts';
import { fail, objectWithRights, type SyscallContext } from './context.ts';

/** The resource handle of validate_ranged_resource: any resource, no right needed. */
const RANGED_RESOURCE = handle('resource', ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_NONE);

/** `ZX_RSRC_KIND_MMIO`, or the number of a kind that has no name. */
export function kindName(kind: number): string {
  const found = Object.entries(constants).find(
    ([name, value]) =>
      value === kind && name.startsWith('ZX_RSRC_KIND_') && name !== 'ZX_RSRC_KIND_COUNT',
  );
  return found?.[0] ?? `kind ${kind}`;
}

/** Why a resource does not grant [base, base + size) of `kind`: another kind, or range. */
export function ungranted(
  name: string,
  resource: ResourceDispatcher,
  kind: number,
  base: bigint,
  size: bigint,
): string {
  const own = kindName(resource.kind);
  if (resource.kind !== kind) return `${name} is a resource of ${own}, not ${kindName(kind)}`;
  const held = `[${hex(resource.base)}, ${hex(resource.base + resource.size)})`;
  return `${name} covers ${held} of ${own}, not [${hex(base)}, ${hex(base + size)})`;
}

/**
 * Zircon's validate_ranged_resource: the handle must be a resource (no right needed) that is the
 * ranged root, or of `kind` and covering [base, base + size). ZX_ERR_BAD_HANDLE,
 * ZX_ERR_WRONG_TYPE (not a resource, or another kind), ZX_ERR_OUT_OF_RANGE (the range is not
 * inside the resource's), or ZX_OK. `param` names the handle in reasons.
 */
export function validateRangedResource(
  ctx: SyscallContext,
  value: number,
  kind: number,
  base: bigint,
  size: bigint,
  param: HandleParam = RANGED_RESOURCE,
): number {
  const resource = objectWithRights<ResourceDispatcher>(ctx, value, param);
  if (typeof resource === 'number') return resource;
  return grantsRange(ctx, param.name, resource, kind, base, size);
}

/** validate_ranged_resource once the handle `name` is looked up. */
export function grantsRange(
  ctx: SyscallContext,
  name: string,
  resource: ResourceDispatcher,
  kind: number,
  base: bigint,
  size: bigint,
): number {
  if (resource.isRangedRoot) return ZX_OK;
  if (resource.kind !== kind) {
    return resourceRefuses(ctx, ZX_ERR_WRONG_TYPE, name, resource, kind, base, size);
  }
  if (resource.covers(base, size)) return ZX_OK;
  return resourceRefuses(ctx, ZX_ERR_OUT_OF_RANGE, name, resource, kind, base, size);
}

/** `status`, because `resource` does not grant [base, base + size) of `kind`. */
export function resourceRefuses(
  ctx: SyscallContext,
  status: number,
  name: string,
  resource: ResourceDispatcher,
  kind: number,
  base: bigint,
  size: bigint,
): number {
  return fail(ctx, status, ungranted, name, resource, kind, base, size);
}
