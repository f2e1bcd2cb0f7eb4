// zx_vmo_create_child: snapshots, slices and references. The order of the checks is Zircon's
// (docs/zircon-notes/children.md §1): the syscall's own checks, then the dispatcher's option
// parsing, then the VMO's checks for the kind of child (vm/cow-child.ts).

import {
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OBJ_TYPE_VMO,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_GET_PROPERTY,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SET_PROPERTY,
  ZX_RIGHT_WRITE,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
} from '../abi/constants.ts';
import { type ContentSize, VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { roundUpPageU64 } from '../util/u64.ts';
import { createReferenceChild, createSliceChild, createSnapshotChild } from '../vm/cow-child.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';
import { handleValue, u32, u64 } from './args.ts';
import { addHandleAndCopyOut, lookupWithRights, type SyscallContext } from './context.ts';

/**
 * zx_vmo_create_child(handle, options, offset, size, out)
 * Makes a snapshot (SNAPSHOT, SNAPSHOT_AT_LEAST_ON_WRITE or its alias COPY_ON_WRITE, and
 * SNAPSHOT_MODIFIED: all full copy-on-write snapshots of anonymous memory), a SLICE (a window
 * onto the parent's pages) or a REFERENCE (all of the parent: pages, size and content size),
 * optionally RESIZABLE, and NO_WRITE (a handle without ZX_RIGHT_WRITE; SNAPSHOT | NO_WRITE is
 * ZX_INFO_VMO_IMMUTABLE). Snapshot ranges may start or end past the parent's end: those pages
 * read as zero and are never shared. The child's content size is `size` (a reference shares its
 * parent's); its name is the parent's when the handle has ZX_RIGHT_GET_PROPERTY.
 * Rights: handle must be a VMO with ZX_RIGHT_DUPLICATE and ZX_RIGHT_READ, and ZX_RIGHT_RESIZE
 * for a resizable reference. The child's handle has the parent handle's rights without RESIZE,
 * plus RESIZE when RESIZABLE, GET_PROPERTY and SET_PROPERTY; then without WRITE for NO_WRITE,
 * or, for snapshots, with WRITE and without EXECUTE.
 * Errors, in order: ZX_ERR_INVALID_ARGS (arguments of the wrong type); ZX_ERR_OUT_OF_RANGE
 * (size rounds past 2^64); ZX_ERR_INVALID_ARGS (NO_WRITE with RESIZABLE); ZX_ERR_BAD_HANDLE,
 * ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED; ZX_ERR_NOT_SUPPORTED (discardable parent, whatever
 * the options); ZX_ERR_INVALID_ARGS (no child type, two types, unknown bits, SLICE with
 * RESIZABLE); then per type, as vm/cow-child.ts lists them: ZX_ERR_INVALID_ARGS (unaligned
 * offset; slice not inside the parent; reference with an offset or size; snapshot of a
 * contiguous VMO; snapshot range passing 2^64 once projected onto the root),
 * ZX_ERR_OUT_OF_RANGE (size past the largest VMO; offset + size past 2^64 or a slice's
 * window), ZX_ERR_NOT_SUPPORTED (slice of a resizable VMO; reference of a slice, contiguous or
 * physical VMO; snapshot of a physical VMO or of a slice), ZX_ERR_BAD_STATE (uncached parent;
 * pinned pages, for snapshots); ZX_ERR_INVALID_ARGS (out unusable: the handle is leaked, as in
 * Zircon).
 */
export function zx_vmo_create_child(
  ctx: SyscallContext,
  handle: unknown,
  options: unknown,
  offset: unknown,
  size: unknown,
  out: unknown,
): number {
  const opts = u32(options);
  const off = u64(offset);
  const len = u64(size);
  if (opts === undefined || off === undefined || len === undefined) return ZX_ERR_INVALID_ARGS;
  const rounded = roundUpPageU64(len);
  if (rounded === null) return ZX_ERR_OUT_OF_RANGE;
  if ((opts & ZX_VMO_CHILD_NO_WRITE) !== 0 && (opts & ZX_VMO_CHILD_RESIZABLE) !== 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  // NO_WRITE only shapes the handle's rights; the VMO never sees it.
  const noWrite = (opts & ZX_VMO_CHILD_NO_WRITE) !== 0;
  let rest = opts & ~ZX_VMO_CHILD_NO_WRITE;
  const resizable = (rest & ZX_VMO_CHILD_RESIZABLE) !== 0;
  let needed = ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ;
  if ((rest & ZX_VMO_CHILD_REFERENCE) !== 0 && resizable) needed |= ZX_RIGHT_RESIZE;
  const found = lookupWithRights(ctx, handleValue(handle), ZX_OBJ_TYPE_VMO, needed);
  if (typeof found === 'number') return found;
  const parentObject = found.object as VmObjectDispatcher;
  const parent = parentObject.vmo;
  if (parent.discardable !== null) return ZX_ERR_NOT_SUPPORTED;

  const discardables = ctx.core.discardables;
  let child: VmObjectPaged | number;
  let contentSize: bigint | ContentSize = len;
  let snapshot = false;
  let immutable = false;
  if ((rest & ZX_VMO_CHILD_SLICE) !== 0) {
    if (rest !== ZX_VMO_CHILD_SLICE) return ZX_ERR_INVALID_ARGS;
    child = createSliceChild(parent, off, rounded, discardables);
  } else if ((rest & ZX_VMO_CHILD_REFERENCE) !== 0) {
    rest &= ~(ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_RESIZABLE);
    if (rest !== 0) return ZX_ERR_INVALID_ARGS;
    child = createReferenceChild(parent, off, rounded, resizable, discardables);
    contentSize = parentObject.content;
  } else {
    // The first snapshot type present wins; a second one is left over, and refused.
    if ((rest & ZX_VMO_CHILD_SNAPSHOT) !== 0) {
      rest &= ~ZX_VMO_CHILD_SNAPSHOT;
      immutable = noWrite;
    } else if ((rest & ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE) !== 0) {
      rest &= ~ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
    } else if ((rest & ZX_VMO_CHILD_SNAPSHOT_MODIFIED) !== 0) {
      rest &= ~ZX_VMO_CHILD_SNAPSHOT_MODIFIED;
    } else {
      return ZX_ERR_INVALID_ARGS;
    }
    rest &= ~ZX_VMO_CHILD_RESIZABLE;
    if (rest !== 0) return ZX_ERR_INVALID_ARGS;
    snapshot = true;
    child = createSnapshotChild(parent, off, rounded, resizable, discardables);
  }
  if (typeof child === 'number') return child;

  if ((found.rights & ZX_RIGHT_GET_PROPERTY) !== 0) child.name = parent.name.slice();
  child.immutable = immutable;
  const childObject = new VmObjectDispatcher(ctx.core.newKoid(), child, contentSize);
  parentObject.childCreated();

  let rights =
    (found.rights & ~ZX_RIGHT_RESIZE) |
    (resizable ? ZX_RIGHT_RESIZE : 0) |
    ZX_RIGHT_GET_PROPERTY |
    ZX_RIGHT_SET_PROPERTY;
  if (noWrite) rights &= ~ZX_RIGHT_WRITE;
  else if (snapshot) {
    rights = (rights & ~ZX_RIGHT_EXECUTE) | ZX_RIGHT_WRITE;
  }
  return addHandleAndCopyOut(ctx, childObject, rights, out);
}
