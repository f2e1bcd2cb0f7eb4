// zx_vmar_* syscalls: allocate, map, unmap, protect, destroy, op_range. The argument checks
// here and in VmAddressRegion follow Zircon's order (docs/zircon-notes/vmar.md), which decides
// the status when several things are wrong.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_OP_CHILDREN,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VM_ALLOW_FAULTS,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_COMPACT,
  ZX_VM_FAULT_BEYOND_STREAM_SIZE,
  ZX_VM_MAP_RANGE,
  ZX_VM_OFFSET_IS_UPPER_LIMIT,
  ZX_VM_PERM_EXECUTE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED,
  ZX_VM_PERM_WRITE,
  ZX_VM_REQUIRE_NON_RESIZABLE,
  ZX_VM_SPECIFIC,
  ZX_VM_SPECIFIC_OVERWRITE,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMAR_OP_ZERO,
} from '../abi/constants.ts';
import type { Handle } from '../object/handle.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { VmarObject } from '../object/vmar-object.ts';
import { roundUpPageU64, U64_MAX } from '../util/u64.ts';
import { PERM_EXECUTE, PERM_READ, PERM_RWX, PERM_WRITE } from '../vm/region.ts';
import type { Placement } from '../vm/vmar.ts';
import { handleValue, u32, u64, writeOut } from './args.ts';
import { addHandleAndCopyOut, lookupWithRights, type SyscallContext } from './context.ts';
import { isUserBuffer } from './user.ts';

/** Every ZX_VM_* option bit below the alignment field. */
const KNOWN_OPTIONS =
  ZX_VM_PERM_READ |
  ZX_VM_PERM_WRITE |
  ZX_VM_PERM_EXECUTE |
  ZX_VM_COMPACT |
  ZX_VM_SPECIFIC |
  ZX_VM_SPECIFIC_OVERWRITE |
  ZX_VM_CAN_MAP_SPECIFIC |
  ZX_VM_CAN_MAP_READ |
  ZX_VM_CAN_MAP_WRITE |
  ZX_VM_CAN_MAP_EXECUTE |
  ZX_VM_MAP_RANGE |
  ZX_VM_REQUIRE_NON_RESIZABLE |
  ZX_VM_ALLOW_FAULTS |
  ZX_VM_OFFSET_IS_UPPER_LIMIT |
  ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED |
  ZX_VM_FAULT_BEYOND_STREAM_SIZE;
const ALIGN_FIELD = 0xff00_0000;
const CAN_MAP_RWX = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_EXECUTE;
/** What zx_vmar_allocate accepts (besides the alignment). */
const ALLOCATE_OPTIONS =
  ZX_VM_SPECIFIC |
  ZX_VM_CAN_MAP_SPECIFIC |
  ZX_VM_COMPACT |
  CAN_MAP_RWX |
  ZX_VM_OFFSET_IS_UPPER_LIMIT;
/** Option bits a mapping keeps (they must match for two mappings to merge). */
const MAPPING_FLAGS = ZX_VM_SPECIFIC | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE;
const VMAR_OPS = new Set([
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_ZERO,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_PREFETCH,
]);

/** log2 of the ZX_VM_ALIGN_* request (0 when none), or -1 when it is not 2^10 .. 2^32. */
function alignShiftOf(options: number): number {
  const shift = options >>> 24;
  if (shift === 0) return 0;
  return shift >= 10 && shift <= 32 ? shift : -1;
}

/** Bits outside KNOWN_OPTIONS and the alignment field, or a bad alignment. */
function badOptionBits(options: number): boolean {
  return (options & ~KNOWN_OPTIONS & ~ALIGN_FIELD) >>> 0 !== 0 || alignShiftOf(options) < 0;
}

/** The handle rights ZX_RIGHT_READ/WRITE/EXECUTE that PERM_* bits `perms` need. */
function rightsFor(perms: number): number {
  return (
    ((perms & PERM_READ) !== 0 ? ZX_RIGHT_READ : 0) |
    ((perms & PERM_WRITE) !== 0 ? ZX_RIGHT_WRITE : 0) |
    ((perms & PERM_EXECUTE) !== 0 ? ZX_RIGHT_EXECUTE : 0)
  );
}

/** PERM_* bits from ZX_VM_CAN_MAP_* bits. */
function canMapPerms(options: number): number {
  return (
    ((options & ZX_VM_CAN_MAP_READ) !== 0 ? PERM_READ : 0) |
    ((options & ZX_VM_CAN_MAP_WRITE) !== 0 ? PERM_WRITE : 0) |
    ((options & ZX_VM_CAN_MAP_EXECUTE) !== 0 ? PERM_EXECUTE : 0)
  );
}

function vmarOf(handle: Handle): VmarObject {
  return handle.object as VmarObject;
}

/**
 * zx_vmar_allocate(parent_vmar, options, offset, size, child_vmar, child_addr)
 * Creates a sub-VMAR: SPECIFIC at `offset`, below the limit `offset` with
 * OFFSET_IS_UPPER_LIMIT, or else at the lowest free spot that fits (with ZX_VM_ALIGN_*).
 * Rights: parent_vmar must be a VMAR with ZX_RIGHT_READ, ZX_RIGHT_WRITE, ZX_RIGHT_EXECUTE for
 * CAN_MAP_READ, CAN_MAP_WRITE, CAN_MAP_EXECUTE. The new handle has ZX_DEFAULT_VMAR_RIGHTS plus
 * READ/WRITE/EXECUTE as its CAN_MAP flags allow.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED (handle); ZX_ERR_INVALID_ARGS
 * (unknown option bits or bad alignment; a PERM_* bit; size not page aligned; an option that is
 * for mappings; size 0; SPECIFIC with OFFSET_IS_UPPER_LIMIT; offset without SPECIFIC or the
 * limit; offset not page aligned; range outside the parent; SPECIFIC base not aligned; out
 * parameters unusable, after which the new VMAR is destroyed if child_addr could not be
 * written); ZX_ERR_BAD_STATE (parent destroyed); ZX_ERR_ACCESS_DENIED (CAN_MAP flags the parent
 * lacks; SPECIFIC or upper limit in a parent without CAN_MAP_SPECIFIC); ZX_ERR_ALREADY_EXISTS
 * (SPECIFIC range in use); ZX_ERR_NO_RESOURCES (no free spot).
 */
export function zx_vmar_allocate(
  ctx: SyscallContext,
  parentVmar: unknown,
  options: unknown,
  offset: unknown,
  size: unknown,
  childVmar: unknown,
  childAddr: unknown,
): number {
  const opts = u32(options);
  const offset64 = u64(offset);
  const size64 = u64(size);
  if (opts === undefined || offset64 === undefined || size64 === undefined) {
    return ZX_ERR_INVALID_ARGS;
  }
  const found = lookupWithRights(
    ctx,
    handleValue(parentVmar),
    ZX_OBJ_TYPE_VMAR,
    rightsFor(canMapPerms(opts)),
  );
  if (typeof found === 'number') return found;
  if (badOptionBits(opts)) return ZX_ERR_INVALID_ARGS;
  if ((opts & (PERM_RWX | ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED)) !== 0) return ZX_ERR_INVALID_ARGS;
  if ((size64 & 4095n) !== 0n) return ZX_ERR_INVALID_ARGS;
  if ((opts & ~ALLOCATE_OPTIONS & ~ALIGN_FIELD) !== 0) return ZX_ERR_INVALID_ARGS;
  const region = vmarOf(found).region;
  const placement: Placement = {
    offset: offset64,
    size: size64,
    alignShift: alignShiftOf(opts),
    specific: (opts & ZX_VM_SPECIFIC) !== 0,
    overwrite: false,
    upperLimit: (opts & ZX_VM_OFFSET_IS_UPPER_LIMIT) !== 0,
  };
  const created = region.createSubVmar(
    placement,
    canMapPerms(opts),
    (opts & ZX_VM_CAN_MAP_SPECIFIC) !== 0,
    (opts & ZX_VM_COMPACT) !== 0,
  );
  if (typeof created === 'number') return created;
  const child = new VmarObject(ctx.core.newKoid(), created);
  const status = addHandleAndCopyOut(ctx, child, child.defaultRights, childVmar);
  if (status !== ZX_OK) return status;
  if (!writeOut(childAddr, BigInt(created.base))) {
    created.destroy();
    return ZX_ERR_INVALID_ARGS;
  }
  return ZX_OK;
}

/**
 * zx_vmar_map(handle, options, vmar_offset, vmo, vmo_offset, len, mapped_addr)
 * Maps [vmo_offset, vmo_offset + len) of the VMO (len rounded up to pages) with the PERM_*
 * permissions: SPECIFIC at `vmar_offset` (SPECIFIC_OVERWRITE unmaps what is there), below the
 * limit `vmar_offset` with OFFSET_IS_UPPER_LIMIT (the VMO is then mapped from offset 0, as in
 * Zircon), or else at the lowest free spot that fits. MAP_RANGE maps the pages the VMO already
 * holds. A mapping may reach past the end of the VMO; faults there are ZX_ERR_OUT_OF_RANGE.
 * Rights: vmo must have ZX_RIGHT_MAP; each of PERM_READ, PERM_WRITE, PERM_EXECUTE needs
 * ZX_RIGHT_READ, ZX_RIGHT_WRITE, ZX_RIGHT_EXECUTE on both handles. The permissions both handles
 * allow are the most zx_vmar_protect may later grant.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE (either handle); ZX_ERR_NOT_SUPPORTED
 * (FAULT_BEYOND_STREAM_SIZE on a physical or contiguous VMO); ZX_ERR_ACCESS_DENIED (no MAP
 * right); ZX_ERR_INVALID_ARGS (WRITE or EXECUTE without READ; MAP_RANGE with
 * SPECIFIC_OVERWRITE; a CAN_MAP_* bit); ZX_ERR_ACCESS_DENIED (a permission a handle lacks);
 * ZX_ERR_INVALID_ARGS (FAULT_BEYOND_STREAM_SIZE without ALLOW_FAULTS; unknown bits; bad
 * alignment); ZX_ERR_NOT_SUPPORTED (REQUIRE_NON_RESIZABLE on a resizable VMO; a discardable VMO
 * without ALLOW_FAULTS); ZX_ERR_INVALID_ARGS (COMPACT or CAN_MAP_SPECIFIC; vmo_offset not page
 * aligned); ZX_ERR_ACCESS_DENIED (permissions the VMAR may not map); ZX_ERR_OUT_OF_RANGE (len
 * rounding past 2^64, or vmo_offset + len overflowing); then as zx_vmar_allocate from
 * ZX_ERR_BAD_STATE on, except that SPECIFIC_OVERWRITE over a sub-VMAR is ZX_ERR_INVALID_ARGS;
 * ZX_ERR_INVALID_ARGS (mapped_addr unusable: the mapping is undone).
 */
export function zx_vmar_map(
  ctx: SyscallContext,
  handle: unknown,
  options: unknown,
  vmarOffset: unknown,
  vmo: unknown,
  vmoOffset: unknown,
  len: unknown,
  mappedAddr: unknown,
): number {
  let opts = u32(options);
  const vmarOffset64 = u64(vmarOffset);
  const vmoOffset64 = u64(vmoOffset);
  const len64 = u64(len);
  if (
    opts === undefined ||
    vmarOffset64 === undefined ||
    vmoOffset64 === undefined ||
    len64 === undefined
  ) {
    return ZX_ERR_INVALID_ARGS;
  }
  const vmarHandle = lookupWithRights(ctx, handleValue(handle), ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
  if (typeof vmarHandle === 'number') return vmarHandle;
  const vmoHandle = lookupWithRights(ctx, handleValue(vmo), ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE);
  if (typeof vmoHandle === 'number') return vmoHandle;
  const vmoObject = vmoHandle.object as VmObjectDispatcher;
  const object = vmoObject.vmo;
  if ((opts & ZX_VM_FAULT_BEYOND_STREAM_SIZE) !== 0 && object.isContiguous) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  if ((vmoHandle.rights & ZX_RIGHT_MAP) === 0) return ZX_ERR_ACCESS_DENIED;
  // x86-64 cannot map execute-only: READ_IF_XOM_UNSUPPORTED is READ.
  if ((opts & ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED) !== 0) {
    opts = (opts & ~ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED) | ZX_VM_PERM_READ;
  }
  const perms = opts & PERM_RWX;
  if ((perms & (PERM_WRITE | PERM_EXECUTE)) !== 0 && (perms & PERM_READ) === 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  const mapRange = (opts & ZX_VM_MAP_RANGE) !== 0;
  if (mapRange && (opts & ZX_VM_SPECIFIC_OVERWRITE) !== 0) return ZX_ERR_INVALID_ARGS;
  opts &= ~ZX_VM_MAP_RANGE;
  if ((opts & CAN_MAP_RWX) !== 0) return ZX_ERR_INVALID_ARGS;
  let canMap = 0;
  for (const perm of [PERM_READ, PERM_WRITE, PERM_EXECUTE]) {
    const right = rightsFor(perm);
    const allowed = (vmoHandle.rights & right) !== 0 && (vmarHandle.rights & right) !== 0;
    if ((perms & perm) !== 0 && !allowed) return ZX_ERR_ACCESS_DENIED;
    if (allowed) canMap |= perm;
  }
  const allowFaults = (opts & ZX_VM_ALLOW_FAULTS) !== 0;
  const beyondStream = (opts & ZX_VM_FAULT_BEYOND_STREAM_SIZE) !== 0;
  if (beyondStream && !allowFaults) return ZX_ERR_INVALID_ARGS;
  if (badOptionBits(opts)) return ZX_ERR_INVALID_ARGS;
  if ((opts & ZX_VM_REQUIRE_NON_RESIZABLE) !== 0 && object.options.resizable) {
    return ZX_ERR_NOT_SUPPORTED;
  }
  if (!allowFaults && object.options.discardable) return ZX_ERR_NOT_SUPPORTED;
  if ((opts & (ZX_VM_COMPACT | ZX_VM_CAN_MAP_SPECIFIC)) !== 0) return ZX_ERR_INVALID_ARGS;
  const region = vmarOf(vmarHandle).region;
  if ((perms & ~region.canMap) !== 0) return ZX_ERR_ACCESS_DENIED;
  if ((vmoOffset64 & 4095n) !== 0n) return ZX_ERR_INVALID_ARGS;
  const size = roundUpPageU64(len64);
  if (size === null || vmoOffset64 + size > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
  const placement: Placement = {
    offset: vmarOffset64,
    size,
    alignShift: alignShiftOf(opts),
    specific: (opts & (ZX_VM_SPECIFIC | ZX_VM_SPECIFIC_OVERWRITE)) !== 0,
    overwrite: (opts & ZX_VM_SPECIFIC_OVERWRITE) !== 0,
    upperLimit: (opts & ZX_VM_OFFSET_IS_UPPER_LIMIT) !== 0,
  };
  const flags =
    (opts & MAPPING_FLAGS) | ((opts & ZX_VM_SPECIFIC_OVERWRITE) !== 0 ? ZX_VM_SPECIFIC : 0);
  const mapping = region.createMapping(
    placement,
    canMap | perms,
    object,
    Number(vmoOffset64 >> 12n),
    perms,
    { flags, streamSize: beyondStream ? () => vmoObject.contentSize : null },
  );
  if (typeof mapping === 'number') return mapping;
  if (mapRange) mapping.mapRange(mapping.base, mapping.end);
  if (!writeOut(mappedAddr, BigInt(mapping.base))) {
    mapping.destroy();
    return ZX_ERR_INVALID_ARGS;
  }
  region.mergeMapping(mapping);
  return ZX_OK;
}

/**
 * zx_vmar_unmap(handle, addr, len)
 * Unmaps [addr, addr + len) (len rounded up to pages): mappings inside go, mappings across its
 * edges are trimmed or split in two, sub-VMARs inside are destroyed; gaps are fine.
 * Rights: handle must be a VMAR (no right needed); touching a sub-VMAR needs
 * ZX_RIGHT_OP_CHILDREN.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE; ZX_ERR_INVALID_ARGS (addr not page aligned; len
 * 0 or rounding past 2^64); ZX_ERR_BAD_STATE (VMAR destroyed); ZX_ERR_INVALID_ARGS (range not
 * inside the VMAR; a sub-VMAR only partly inside, or any sub-VMAR without OP_CHILDREN: nothing
 * is unmapped then).
 */
export function zx_vmar_unmap(
  ctx: SyscallContext,
  handle: unknown,
  addr: unknown,
  len: unknown,
): number {
  const addr64 = u64(addr);
  const len64 = u64(len);
  if (addr64 === undefined || len64 === undefined) return ZX_ERR_INVALID_ARGS;
  const found = lookupWithRights(ctx, handleValue(handle), ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
  if (typeof found === 'number') return found;
  if ((addr64 & 4095n) !== 0n) return ZX_ERR_INVALID_ARGS;
  const size = roundUpPageU64(len64);
  if (size === null || size === 0n) return ZX_ERR_INVALID_ARGS;
  const opChildren = (found.rights & ZX_RIGHT_OP_CHILDREN) !== 0;
  return vmarOf(found).region.unmap(addr64, size, opChildren);
}

/**
 * zx_vmar_protect(handle, options, addr, len)
 * Sets the permissions (PERM_* in options) of [addr, addr + len), len rounded up to pages.
 * Every page must be mapped; no permission may exceed what the mapping was allowed when made.
 * Through a parent VMAR, mappings in sub-VMARs can only lose permissions.
 * Rights: handle must be a VMAR with ZX_RIGHT_READ, ZX_RIGHT_WRITE, ZX_RIGHT_EXECUTE for each
 * PERM_* requested; mappings in sub-VMARs need ZX_RIGHT_OP_CHILDREN.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED (handle); ZX_ERR_INVALID_ARGS
 * (WRITE or EXECUTE without READ; addr not page aligned; any option but PERM_*; len 0 or
 * rounding past 2^64); ZX_ERR_BAD_STATE (VMAR destroyed); ZX_ERR_INVALID_ARGS (range not in the
 * VMAR; a sub-VMAR's mapping without OP_CHILDREN); ZX_ERR_NOT_FOUND (an unmapped page in the
 * range); ZX_ERR_ACCESS_DENIED (beyond a mapping's CAN_MAP set; adding a permission through a
 * parent VMAR). Nothing changes on error.
 */
export function zx_vmar_protect(
  ctx: SyscallContext,
  handle: unknown,
  options: unknown,
  addr: unknown,
  len: unknown,
): number {
  let opts = u32(options);
  const addr64 = u64(addr);
  const len64 = u64(len);
  if (opts === undefined || addr64 === undefined || len64 === undefined) {
    return ZX_ERR_INVALID_ARGS;
  }
  if ((opts & ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED) !== 0) {
    opts = (opts & ~ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED) | ZX_VM_PERM_READ;
  }
  const perms = opts & PERM_RWX;
  const found = lookupWithRights(ctx, handleValue(handle), ZX_OBJ_TYPE_VMAR, rightsFor(perms));
  if (typeof found === 'number') return found;
  if ((perms & (PERM_WRITE | PERM_EXECUTE)) !== 0 && (perms & PERM_READ) === 0) {
    return ZX_ERR_INVALID_ARGS;
  }
  if ((addr64 & 4095n) !== 0n) return ZX_ERR_INVALID_ARGS;
  if ((opts & ~PERM_RWX) !== 0) return ZX_ERR_INVALID_ARGS;
  const size = roundUpPageU64(len64);
  if (size === null || size === 0n) return ZX_ERR_INVALID_ARGS;
  const opChildren = (found.rights & ZX_RIGHT_OP_CHILDREN) !== 0;
  return vmarOf(found).region.protect(addr64, size, perms, opChildren);
}

/**
 * zx_vmar_destroy(handle)
 * Unmaps everything in the VMAR and destroys it and its sub-VMARs; their handles stay valid
 * but every operation through them is ZX_ERR_BAD_STATE, and the range is free in the parent.
 * Rights: handle must be a VMAR with ZX_RIGHT_OP_CHILDREN.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED; ZX_ERR_NOT_SUPPORTED (the
 * root VMAR of an address space); ZX_ERR_BAD_STATE (already destroyed).
 */
export function zx_vmar_destroy(ctx: SyscallContext, handle: unknown): number {
  const found = lookupWithRights(ctx, handleValue(handle), ZX_OBJ_TYPE_VMAR, ZX_RIGHT_OP_CHILDREN);
  if (typeof found === 'number') return found;
  const region = vmarOf(found).region;
  if (region.isRoot) return ZX_ERR_NOT_SUPPORTED;
  if (!region.alive) return ZX_ERR_BAD_STATE;
  region.destroy();
  return ZX_OK;
}

/**
 * zx_vmar_op_range(handle, op, address, size, buffer, buffer_size)
 * Runs a ZX_VMAR_OP_* over the mappings of [address, address + size) (size rounded up to
 * pages), which must all be mapped: COMMIT and DECOMMIT and ZERO the VMO pages behind them,
 * MAP_RANGE, ALWAYS_NEED and PREFETCH map the pages the VMOs hold, DONT_NEED does nothing for
 * anonymous memory. It stops at the first error, keeping what was done.
 * Rights: handle must be a VMAR (no right needed). COMMIT, DECOMMIT and ZERO need mappings
 * that could be made writable, PREFETCH mappings that could be made readable; mappings in
 * sub-VMARs need ZX_RIGHT_OP_CHILDREN (and COMMIT, DECOMMIT and PREFETCH refuse them).
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE; ZX_ERR_INVALID_ARGS (unknown op; buffer or
 * buffer_size not 0; size 0 or rounding past 2^64; address not page aligned);
 * ZX_ERR_OUT_OF_RANGE (range not in the VMAR); ZX_ERR_BAD_STATE (VMAR destroyed; an unmapped
 * page in the range); ZX_ERR_INVALID_ARGS (a sub-VMAR's mapping, as above);
 * ZX_ERR_OUT_OF_RANGE (past the stream size of a FAULT_BEYOND_STREAM_SIZE mapping, or a piece
 * starting past the end of its VMO); ZX_ERR_ACCESS_DENIED (the mapping's permissions);
 * ZX_ERR_NOT_SUPPORTED (COMMIT or ZERO of a physical VMO, DECOMMIT of a contiguous, physical or
 * copy-on-write VMO); ZX_ERR_BAD_STATE (DECOMMIT over pinned pages; ZERO of an uncached VMO's
 * partial pages); ZX_ERR_NOT_FOUND (a discarded VMO); ZX_ERR_NO_MEMORY (COMMIT).
 */
export function zx_vmar_op_range(
  ctx: SyscallContext,
  handle: unknown,
  op: unknown,
  address: unknown,
  size: unknown,
  buffer: unknown,
  bufferSize: unknown,
): number {
  const op32 = u32(op);
  const addr64 = u64(address);
  const size64 = u64(size);
  const bufferSize64 = u64(bufferSize);
  if (
    op32 === undefined ||
    addr64 === undefined ||
    size64 === undefined ||
    bufferSize64 === undefined ||
    !isUserBuffer(buffer)
  ) {
    return ZX_ERR_INVALID_ARGS;
  }
  const found = lookupWithRights(ctx, handleValue(handle), ZX_OBJ_TYPE_VMAR, ZX_RIGHT_NONE);
  if (typeof found === 'number') return found;
  if (!VMAR_OPS.has(op32)) return ZX_ERR_INVALID_ARGS;
  const isNull = buffer === null || buffer === 0 || buffer === 0n;
  if (!isNull || bufferSize64 !== 0n) return ZX_ERR_INVALID_ARGS;
  const length = roundUpPageU64(size64);
  if (length === null || length === 0n) return ZX_ERR_INVALID_ARGS;
  if ((addr64 & 4095n) !== 0n) return ZX_ERR_INVALID_ARGS;
  const opChildren = (found.rights & ZX_RIGHT_OP_CHILDREN) !== 0;
  return vmarOf(found).region.rangeOp(op32, addr64, length, opChildren);
}
