// Zircon's validate_ranged_resource, the privilege check of the syscalls that need a resource
// (ZX_INFO_KMEM_STATS, zx_vmo_replace_as_executable, zx_iommu_create...). Kept apart from the
// syscall implementations, which the table (table.ts) takes whole.

import {
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OK,
  ZX_RIGHT_NONE,
} from '../abi/constants.ts';
import { handle } from '../abi/syscall-spec.ts';
import type { ResourceDispatcher } from '../object/resource-dispatcher.ts';
import { objectWithRights, type SyscallContext } from './context.ts';

/** The resource handle of validate_ranged_resource: any resource, no right needed. */
const RANGED_RESOURCE = handle('resource', ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_NONE);

/**
 * Zircon's validate_ranged_resource: the handle must be a resource (no right needed) that is the
 * ranged root, or of `kind` and covering [base, base + size). ZX_ERR_BAD_HANDLE,
 * ZX_ERR_WRONG_TYPE (not a resource, or another kind), ZX_ERR_OUT_OF_RANGE (the range is not
 * inside the resource's), or ZX_OK.
 */
export function validateRangedResource(
  ctx: SyscallContext,
  value: number,
  kind: number,
  base: bigint,
  size: bigint,
): number {
  const resource = objectWithRights<ResourceDispatcher>(ctx, value, RANGED_RESOURCE);
  if (typeof resource === 'number') return resource;
  if (resource.isRangedRoot) return ZX_OK;
  if (resource.kind !== kind) return ZX_ERR_WRONG_TYPE;
  return resource.covers(base, size) ? ZX_OK : ZX_ERR_OUT_OF_RANGE;
}
