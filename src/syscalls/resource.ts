// Resources: zx_resource_create and the ranged-resource check other syscalls use.

import {
  ZX_DEFAULT_RESOURCE_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OK,
  ZX_RIGHT_WRITE,
  ZX_RSRC_FLAG_EXCLUSIVE,
  ZX_RSRC_KIND_COUNT,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_COUNT,
} from '../abi/constants.ts';
import { ResourceObject } from '../object/resource.ts';
import { U64_MAX } from '../util/u64.ts';
import { handleValue, u32, u64 } from './args.ts';
import { addHandleAndCopyOut, lookup, type SyscallContext } from './context.ts';
import { copyIn, isUserBuffer } from './user.ts';

/** Kind 3 was ZX_RSRC_KIND_ROOT; it is no longer a valid kind. */
const RETIRED_ROOT_KIND = 3;

/**
 * Zircon's validate_ranged_resource: the handle must be a resource (no right needed) that is the
 * ranged root, or of `kind` and covering [base, base + size).
 * Errors: ZX_ERR_BAD_HANDLE; ZX_ERR_WRONG_TYPE (not a resource, or another kind);
 * ZX_ERR_OUT_OF_RANGE (the range is not inside the resource's).
 */
export function validateRangedResource(
  ctx: SyscallContext,
  value: number,
  kind: number,
  base: bigint,
  size: bigint,
): number {
  const handle = ctx.process.handles.get(value);
  if (handle === undefined) return ZX_ERR_BAD_HANDLE;
  if (handle.object.type !== ZX_OBJ_TYPE_RESOURCE) return ZX_ERR_WRONG_TYPE;
  const resource = handle.object as ResourceObject;
  if (resource.isRangedRoot) return ZX_OK;
  if (resource.kind !== kind) return ZX_ERR_WRONG_TYPE;
  return resource.covers(base, size) ? ZX_OK : ZX_ERR_OUT_OF_RANGE;
}

/**
 * zx_resource_create(parent_rsrc, options, base, size, name, name_size, resource_out)
 * options holds the kind (low 16 bits) and ZX_RSRC_FLAG_EXCLUSIVE.
 * Rights: parent_rsrc must be a resource with ZX_RIGHT_WRITE.
 * Errors: ZX_ERR_INVALID_ARGS (base + size overflows, checked first; bad kind or flags; an
 * exclusive slice not made from the ranged root; name unreadable); ZX_ERR_BAD_HANDLE,
 * ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED (handle); ZX_ERR_ACCESS_DENIED (the parent does not
 * grant the kind or range); ZX_ERR_NOT_FOUND (a SYSTEM range outside [0, ZX_RSRC_SYSTEM_COUNT),
 * or an exclusive range that overlaps another resource of the kind).
 */
export function zx_resource_create(
  ctx: SyscallContext,
  parentRsrc: unknown,
  options: unknown,
  base: unknown,
  size: unknown,
  name: unknown,
  nameSize: unknown,
  resourceOut: unknown,
): number {
  const opts = u32(options);
  const base64 = u64(base);
  const size64 = u64(size);
  const nameLen = u64(nameSize);
  if (opts === undefined || base64 === undefined || size64 === undefined || nameLen === undefined) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (!isUserBuffer(name)) return ZX_ERR_INVALID_ARGS;
  if (base64 + size64 > U64_MAX) return ZX_ERR_INVALID_ARGS;
  const parent = lookup<ResourceObject>(
    ctx,
    handleValue(parentRsrc),
    ZX_OBJ_TYPE_RESOURCE,
    ZX_RIGHT_WRITE,
  );
  if (typeof parent === 'number') return parent;
  const kind = opts & 0xffff;
  const flags = opts & 0xffff0000;
  if (kind >= ZX_RSRC_KIND_COUNT || kind === RETIRED_ROOT_KIND) return ZX_ERR_INVALID_ARGS;
  if ((flags & ~ZX_RSRC_FLAG_EXCLUSIVE) !== 0) return ZX_ERR_INVALID_ARGS;
  if (!parent.isRangedRoot && (parent.kind !== kind || !parent.covers(base64, size64))) {
    return ZX_ERR_ACCESS_DENIED;
  }
  const exclusive = (flags & ZX_RSRC_FLAG_EXCLUSIVE) !== 0;
  if (!parent.isRangedRoot && (exclusive || (parent.flags & ZX_RSRC_FLAG_EXCLUSIVE) !== 0)) {
    return ZX_ERR_INVALID_ARGS;
  }
  let text = '';
  if (nameLen > 0n) {
    const length = nameLen >= BigInt(ZX_MAX_NAME_LEN) ? ZX_MAX_NAME_LEN - 1 : Number(nameLen);
    const bytes = copyIn(ctx.user, name, length);
    if (typeof bytes === 'number') return bytes;
    const raw = bytes.subarray(0, length);
    const nul = raw.indexOf(0);
    text = new TextDecoder().decode(raw.subarray(0, nul < 0 ? raw.length : nul));
  }
  if (kind === ZX_RSRC_KIND_SYSTEM && base64 + size64 > ZX_RSRC_SYSTEM_COUNT) {
    return ZX_ERR_NOT_FOUND;
  }
  const registry = ctx.core.resources;
  if (registry.conflicts(kind, base64, size64, exclusive)) return ZX_ERR_NOT_FOUND;
  const resource = new ResourceObject(ctx.core.newKoid(), kind, base64, size64, flags, text);
  registry.add(resource);
  return addHandleAndCopyOut(ctx, resource, ZX_DEFAULT_RESOURCE_RIGHTS, resourceOut);
}
