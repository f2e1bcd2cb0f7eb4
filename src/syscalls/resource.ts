// Resources: zx_resource_create. Rights and errors: src/abi/syscalls/resource.ts.

import {
  ZX_DEFAULT_RESOURCE_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_INVALID_ARGS,
  ZX_MAX_NAME_LEN,
  ZX_RSRC_FLAG_EXCLUSIVE,
  ZX_RSRC_KIND_COUNT,
} from '../abi/constants.ts';
import { RESOURCE_SYSCALLS as S } from '../abi/syscalls/resource.ts';
import type { ResourceDispatcher } from '../object/resource-dispatcher.ts';
import { hex } from '../util/reason.ts';
import { U64_MAX } from '../util/u64.ts';
import { fail, objectWithRights, type SyscallContext } from './context.ts';
import type { HandleOut } from './impl.ts';
import { ungranted } from './ranged-resource.ts';
import { copyIn, type UserBuffer } from './user.ts';
import { unknownBits } from './why.ts';

const CUT_EXCLUSIVE = 'an exclusive resource is cut only from the ranged root';
const SLICE_EXCLUSIVE = 'parent_rsrc is exclusive: it is never sliced';

function overflows(base: bigint, size: bigint): string {
  return `base + size (${hex(base)} + ${hex(size)}) overflows 64 bits`;
}

function badKind(kind: number): string {
  return `options names kind ${kind}, not a valid ZX_RSRC_KIND_*`;
}

/** Kind 3 was ZX_RSRC_KIND_ROOT; it is no longer a valid kind. */
const RETIRED_ROOT_KIND = 3;

/**
 * zx_resource_create(parent_rsrc, options, base, size, name, name_size, resource_out): options
 * holds the kind (low 16 bits) and ZX_RSRC_FLAG_EXCLUSIVE.
 * Rights and errors: its entry in src/abi/syscalls/resource.ts.
 */
export function zx_resource_create(
  ctx: SyscallContext,
  parentRsrc: number,
  options: number,
  base: bigint,
  size: bigint,
  name: UserBuffer,
  nameSize: bigint,
  resourceOut: HandleOut,
): number {
  if (base + size > U64_MAX) return fail(ctx, ZX_ERR_INVALID_ARGS, overflows, base, size);
  const parent = objectWithRights<ResourceDispatcher>(
    ctx,
    parentRsrc,
    S.zx_resource_create.params[0],
  );
  if (typeof parent === 'number') return parent;
  const kind = options & 0xffff;
  const flags = (options & 0xffff0000) >>> 0;
  if (kind >= ZX_RSRC_KIND_COUNT || kind === RETIRED_ROOT_KIND) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, badKind, kind);
  }
  if ((flags & ~ZX_RSRC_FLAG_EXCLUSIVE) !== 0) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unknownBits, 'options', flags & ~ZX_RSRC_FLAG_EXCLUSIVE);
  }
  // Every failure of the parent's range check is ACCESS_DENIED here.
  if (!parent.isRangedRoot && (parent.kind !== kind || !parent.covers(base, size))) {
    return fail(ctx, ZX_ERR_ACCESS_DENIED, ungranted, 'parent_rsrc', parent, kind, base, size);
  }
  // Exclusive ranges are cut only from the ranged root, and never sliced.
  const exclusive = (flags & ZX_RSRC_FLAG_EXCLUSIVE) !== 0;
  if (!parent.isRangedRoot && (exclusive || parent.isExclusive)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, exclusive ? CUT_EXCLUSIVE : SLICE_EXCLUSIVE);
  }
  let text = '';
  if (nameSize > 0n) {
    const length = nameSize >= BigInt(ZX_MAX_NAME_LEN) ? ZX_MAX_NAME_LEN - 1 : Number(nameSize);
    const bytes = copyIn(ctx.user, name, length);
    if (typeof bytes === 'number') return bytes;
    const raw = bytes.subarray(0, length);
    const nul = raw.indexOf(0);
    text = new TextDecoder().decode(raw.subarray(0, nul < 0 ? raw.length : nul));
  }
  const newKoid = () => ctx.core.newKoid();
  const resource = ctx.core.resources.create(newKoid, kind, base, size, flags, text);
  if (typeof resource === 'number') return resource;
  return resourceOut.set(resource, ZX_DEFAULT_RESOURCE_RIGHTS);
}
