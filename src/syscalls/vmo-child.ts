// zx_vmo_create_child: snapshots, slices and references. The order of the checks is Zircon's
// (docs/zircon-notes/children.md §1): the syscall's own checks, then the dispatcher's option
// parsing (VmObjectDispatcher.createChild), then the VMO's checks for the kind of child
// (vm/cow-child.ts, VmObjectPhysical).

import {
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_GET_PROPERTY,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SET_PROPERTY,
  ZX_RIGHT_WRITE,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
} from '../abi/constants.ts';
import { VMO_SYSCALLS as S } from '../abi/syscalls/vmo.ts';
import { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { roundUpPageU64 } from '../util/u64.ts';
import { fail, handleWithRights, type SyscallContext } from './context.ts';
import type { HandleOut } from './impl.ts';
import { roundsPast } from './why.ts';

const SNAPSHOTS =
  ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_SNAPSHOT_MODIFIED;

/**
 * zx_vmo_create_child(handle, options, offset, size, out): a snapshot (SNAPSHOT,
 * SNAPSHOT_AT_LEAST_ON_WRITE or its alias COPY_ON_WRITE, and SNAPSHOT_MODIFIED: all full
 * copy-on-write snapshots of anonymous memory), a SLICE (a window onto the parent's pages) or
 * a REFERENCE (all of the parent: pages, size and content size), optionally RESIZABLE, and
 * NO_WRITE (a handle without ZX_RIGHT_WRITE; SNAPSHOT | NO_WRITE is ZX_INFO_VMO_IMMUTABLE).
 * Snapshot ranges may start or end past the parent's end: those pages read as zero and are
 * never shared. The child's content size is `size` (a reference shares its parent's); its name
 * is the parent's when the handle has ZX_RIGHT_GET_PROPERTY.
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_create_child(
  ctx: SyscallContext,
  handle: number,
  options: number,
  offset: bigint,
  size: bigint,
  out: HandleOut,
): number {
  const rounded = roundUpPageU64(size);
  if (rounded === null) return fail(ctx, ZX_ERR_OUT_OF_RANGE, roundsPast, 'size', size);
  const noWrite = (options & ZX_VMO_CHILD_NO_WRITE) !== 0;
  const resizable = (options & ZX_VMO_CHILD_RESIZABLE) !== 0;
  if (noWrite && resizable) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, 'options has both NO_WRITE and RESIZABLE');
  }
  // NO_WRITE only shapes the handle's rights; the VMO never sees it.
  const rest = options & ~ZX_VMO_CHILD_NO_WRITE;
  const reference = (rest & ZX_VMO_CHILD_REFERENCE) !== 0;
  // A resizable reference can resize its parent.
  const extra = reference && resizable ? ZX_RIGHT_RESIZE : 0;
  const found = handleWithRights(ctx, handle, S.zx_vmo_create_child.params[0], extra);
  if (typeof found === 'number') return found;
  const parent = found.object as VmObjectDispatcher;
  const copyName = (found.rights & ZX_RIGHT_GET_PROPERTY) !== 0;
  const child = parent.createChild(rest, offset, rounded, copyName);
  if (typeof child === 'number') return child;

  const immutable = noWrite && (rest & ZX_VMO_CHILD_SNAPSHOT) !== 0;
  const content = reference ? parent.content : size;
  const object = new VmObjectDispatcher(ctx.core.newKoid(), child, content, immutable);
  let rights =
    (found.rights & ~ZX_RIGHT_RESIZE) |
    (resizable ? ZX_RIGHT_RESIZE : 0) |
    ZX_RIGHT_GET_PROPERTY |
    ZX_RIGHT_SET_PROPERTY;
  if (noWrite) rights &= ~ZX_RIGHT_WRITE;
  else if ((rest & SNAPSHOTS) !== 0) rights = (rights & ~ZX_RIGHT_EXECUTE) | ZX_RIGHT_WRITE;
  return out.set(object, rights);
}
