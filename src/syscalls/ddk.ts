// Driver syscalls: physical and contiguous VMOs, the stub IOMMU, BTIs, pinning for DMA and
// unpinning. The order of the checks is Zircon's (docs/zircon-notes/vmar.md §7 and §8).

import {
  ZX_BTI_COMPRESS,
  ZX_BTI_CONTIGUOUS,
  ZX_BTI_PERM_EXECUTE,
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_DEFAULT_BTI_RIGHTS,
  ZX_DEFAULT_IOMMU_RIGHTS,
  ZX_DEFAULT_PMT_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_IOMMU_MAX_DESC_LEN,
  ZX_IOMMU_TYPE_STUB,
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_IOMMU,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_RSRC_KIND_MMIO,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_IOMMU_BASE,
} from '../abi/constants.ts';
import { BtiObject } from '../object/bti.ts';
import { IommuObject } from '../object/iommu.ts';
import { PmtObject } from '../object/pmt.ts';
import type { ResourceObject } from '../object/resource.ts';
import { VmoObject } from '../object/vmo-object.ts';
import { roundUpPageU64, U64_MAX } from '../util/u64.ts';
import { createContiguousVmo, pinPages, unpinPages, VmObjectPhysical } from '../vm/physical.ts';
import { handleValue, u32, u64 } from './args.ts';
import { addHandleAndCopyOut, lookup, lookupWithRights, type SyscallContext } from './context.ts';
import { enforcePolicy } from './policy.ts';
import { validateRangedResource } from './resource.ts';
import { beginCopyOut, copyIn, finishCopyOut, isUserBuffer } from './user.ts';

/** sizeof(zx_iommu_desc_stub_t): one byte of padding. */
const IOMMU_DESC_STUB_SIZE = 1n;
/** The most addresses one zx_bti_pin returns: a page of 64 pages' worth of zx_paddr_t. */
const MAX_PIN_ADDRS = (4096n * 64n) / 8n;
const BTI_PERMS = ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE | ZX_BTI_PERM_EXECUTE;

/**
 * Zircon's validate_resource_mmio for [paddr, paddr + size). The system resource (zxvm's ranged
 * root of every kind) grants any range that stays clear of RAM; an MMIO resource grants the
 * pages its range covers. zxvm has device memory only in its MMIO region (next to RAM, see
 * pmm.ts), so a range outside it is denied whatever the resource.
 */
function validateMmio(ctx: SyscallContext, value: number, paddr: bigint, size: bigint): number {
  const resource = lookup<ResourceObject>(ctx, value, ZX_OBJ_TYPE_RESOURCE, ZX_RIGHT_NONE);
  if (typeof resource === 'number') return resource;
  const pmm = ctx.core.pmm;
  const mmioStart = BigInt(pmm.mmioFirstFrame) * 4096n;
  const mmioEnd = mmioStart + BigInt(pmm.mmioFrames) * 4096n;
  const inMmio = paddr >= mmioStart && paddr + size <= mmioEnd;
  if (resource.isRangedRoot) return size === 0n || inMmio ? ZX_OK : ZX_ERR_ACCESS_DENIED;
  if (resource.kind !== ZX_RSRC_KIND_MMIO) return ZX_ERR_WRONG_TYPE;
  const granted = resource.base & ~4095n;
  const grantedEnd = (resource.base + resource.size + 4095n) & ~4095n;
  if (size === 0n || paddr < granted || paddr + size > grantedEnd) return ZX_ERR_OUT_OF_RANGE;
  return inMmio ? ZX_OK : ZX_ERR_ACCESS_DENIED;
}

/**
 * zx_vmo_create_physical(resource, paddr, size, out)
 * A VMO over device memory [paddr, paddr + size) (size rounded up to pages). It starts
 * ZX_CACHE_POLICY_UNCACHED, reports ZX_INFO_VMO_TYPE_PHYSICAL and CONTIGUOUS, and cannot be
 * read or written with zx_vmo_read/write, committed, resized or snapshotted; slices of it can
 * be made, and it can be mapped and pinned.
 * Rights: resource must be the system resource or a ZX_RSRC_KIND_MMIO resource covering the
 * range (no handle right needed); the job policy must allow ZX_POL_NEW_VMO. The new handle has
 * ZX_DEFAULT_VMO_RIGHTS.
 * Errors: ZX_ERR_ACCESS_DENIED (policy); ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE (not a resource,
 * or another kind); ZX_ERR_OUT_OF_RANGE (an MMIO resource not covering the range, or size 0);
 * ZX_ERR_ACCESS_DENIED (a range touching RAM or outside zxvm's MMIO region); ZX_ERR_OUT_OF_RANGE
 * (size rounding past 2^64); ZX_ERR_INVALID_ARGS (paddr not page aligned; size 0; range
 * wrapping; out unusable: the handle is leaked, as in Zircon).
 */
export function zx_vmo_create_physical(
  ctx: SyscallContext,
  resource: unknown,
  paddr: unknown,
  size: unknown,
  out: unknown,
): number {
  const paddr64 = u64(paddr);
  const size64 = u64(size);
  if (paddr64 === undefined || size64 === undefined) return ZX_ERR_INVALID_ARGS;
  const policy = enforcePolicy(ctx, ZX_POL_NEW_VMO);
  if (policy !== ZX_OK) return policy;
  const valid = validateMmio(ctx, handleValue(resource), paddr64, size64);
  if (valid !== ZX_OK) return valid;
  const rounded = roundUpPageU64(size64);
  if (rounded === null) return ZX_ERR_OUT_OF_RANGE;
  if ((paddr64 & 4095n) !== 0n || rounded === 0n || paddr64 + rounded - 1n > U64_MAX) {
    return ZX_ERR_INVALID_ARGS;
  }
  const core = ctx.core;
  const vmo = new VmObjectPhysical(
    core.pmm,
    core.discardables,
    Number(paddr64 >> 12n),
    Number(rounded >> 12n),
  );
  // Physical VMOs have no stream: their stream size reads as 0.
  const object = new VmoObject(core.newKoid(), vmo, 0n);
  return addHandleAndCopyOut(ctx, object, ZX_DEFAULT_VMO_RIGHTS, out);
}

/**
 * zx_vmo_create_contiguous(bti, size, alignment_log2, out)
 * A VMO of `size` bytes (rounded up to pages) of physically contiguous RAM starting at a
 * multiple of 2^alignment_log2 (0 means the page size), committed and zeroed at once. Its pages
 * never move: DECOMMIT is ZX_ERR_NOT_SUPPORTED and ZERO clears them in place; it cannot be
 * resized or snapshotted (slices are fine). ZX_INFO_VMO reports CONTIGUOUS.
 * Rights: bti must be a BTI with ZX_RIGHT_MAP; the job policy must allow ZX_POL_NEW_VMO. The new
 * handle has ZX_DEFAULT_VMO_RIGHTS.
 * Errors: ZX_ERR_INVALID_ARGS (size 0; alignment_log2 not 0 and below 12 or above 63);
 * ZX_ERR_ACCESS_DENIED (policy); ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED
 * (bti); ZX_ERR_OUT_OF_RANGE (size rounding past 2^64); ZX_ERR_NO_MEMORY (no such run of free
 * frames); ZX_ERR_INVALID_ARGS (out unusable: the handle is leaked, as in Zircon).
 */
export function zx_vmo_create_contiguous(
  ctx: SyscallContext,
  bti: unknown,
  size: unknown,
  alignmentLog2: unknown,
  out: unknown,
): number {
  const size64 = u64(size);
  let align = u32(alignmentLog2);
  if (size64 === undefined || align === undefined) return ZX_ERR_INVALID_ARGS;
  if (size64 === 0n) return ZX_ERR_INVALID_ARGS;
  if (align === 0) align = 12;
  if (align < 12 || align >= 64) return ZX_ERR_INVALID_ARGS;
  const policy = enforcePolicy(ctx, ZX_POL_NEW_VMO);
  if (policy !== ZX_OK) return policy;
  const found = lookup<BtiObject>(ctx, handleValue(bti), ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP);
  if (typeof found === 'number') return found;
  const rounded = roundUpPageU64(size64);
  if (rounded === null) return ZX_ERR_OUT_OF_RANGE;
  const core = ctx.core;
  const pages = rounded >> 12n;
  if (pages > BigInt(core.pmm.totalFrames)) return ZX_ERR_NO_MEMORY;
  const vmo = createContiguousVmo(core.pmm, core.discardables, Number(pages), align);
  if (typeof vmo === 'number') return vmo;
  // Contiguous VMOs have no stream: their stream size reads as 0.
  const object = new VmoObject(core.newKoid(), vmo, 0n);
  return addHandleAndCopyOut(ctx, object, ZX_DEFAULT_VMO_RIGHTS, out);
}

/**
 * zx_iommu_create(resource, type, desc, desc_size, out)
 * Makes an IOMMU; zxvm has the stub (ZX_IOMMU_TYPE_STUB, also called DUMMY), whose device
 * addresses are physical addresses.
 * Rights: resource must be the system resource, or a ZX_RSRC_KIND_SYSTEM resource covering
 * ZX_RSRC_SYSTEM_IOMMU_BASE. The new handle has ZX_DEFAULT_IOMMU_RIGHTS.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE (not a resource, or not SYSTEM);
 * ZX_ERR_OUT_OF_RANGE (a SYSTEM resource not covering IOMMU); ZX_ERR_INVALID_ARGS (desc_size
 * above ZX_IOMMU_MAX_DESC_LEN; desc unreadable; a stub IOMMU without a
 * zx_iommu_desc_stub_t-sized desc; out unusable: the handle is leaked); ZX_ERR_NOT_SUPPORTED
 * (any other type).
 */
export function zx_iommu_create(
  ctx: SyscallContext,
  resource: unknown,
  type: unknown,
  desc: unknown,
  descSize: unknown,
  out: unknown,
): number {
  const type32 = u32(type);
  const size64 = u64(descSize);
  if (type32 === undefined || size64 === undefined || !isUserBuffer(desc)) {
    return ZX_ERR_INVALID_ARGS;
  }
  const valid = validateRangedResource(
    ctx,
    handleValue(resource),
    ZX_RSRC_KIND_SYSTEM,
    ZX_RSRC_SYSTEM_IOMMU_BASE,
    1n,
  );
  if (valid !== ZX_OK) return valid;
  if (size64 > BigInt(ZX_IOMMU_MAX_DESC_LEN)) return ZX_ERR_INVALID_ARGS;
  if (size64 > 0n) {
    const bytes = copyIn(ctx.user, desc, Number(size64));
    if (typeof bytes === 'number') return bytes;
  }
  if (type32 !== ZX_IOMMU_TYPE_STUB) return ZX_ERR_NOT_SUPPORTED;
  if (desc === null || size64 !== IOMMU_DESC_STUB_SIZE) return ZX_ERR_INVALID_ARGS;
  const iommu = new IommuObject(ctx.core.newKoid(), type32);
  return addHandleAndCopyOut(ctx, iommu, ZX_DEFAULT_IOMMU_RIGHTS, out);
}

/**
 * zx_bti_create(iommu, options, bti_id, out)
 * Rights: iommu must be an IOMMU (no right needed). The new handle has ZX_DEFAULT_BTI_RIGHTS.
 * Errors: ZX_ERR_INVALID_ARGS (options not 0, checked first; a bus transaction id the IOMMU
 * refuses, which the stub never does; out unusable: the handle is leaked);
 * ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE.
 */
export function zx_bti_create(
  ctx: SyscallContext,
  iommu: unknown,
  options: unknown,
  btiId: unknown,
  out: unknown,
): number {
  const opts = u32(options);
  const id = u64(btiId);
  if (opts === undefined || id === undefined || opts !== 0) return ZX_ERR_INVALID_ARGS;
  const found = lookup<IommuObject>(ctx, handleValue(iommu), ZX_OBJ_TYPE_IOMMU, ZX_RIGHT_NONE);
  if (typeof found === 'number') return found;
  if (!found.isValidBusTxnId(id)) return ZX_ERR_INVALID_ARGS;
  const bti = new BtiObject(ctx.core.newKoid(), found, id);
  return addHandleAndCopyOut(ctx, bti, ZX_DEFAULT_BTI_RIGHTS, out);
}

/**
 * zx_bti_pin(handle, options, vmo, offset, size, addrs, num_addrs, pmt)
 * Pins [offset, offset + size) of the VMO (committing it, and forking copy-on-write pages into
 * it) for the device's DMA and writes the device (here physical) addresses to addrs: one per
 * page; with ZX_BTI_COMPRESS one per minimum-contiguity run (a page with the stub IOMMU); with
 * ZX_BTI_CONTIGUOUS (contiguous and physical VMOs only) one for the whole run. Pinned pages are
 * never moved or freed: DECOMMIT, shrinking and snapshots over them are ZX_ERR_BAD_STATE.
 * Rights: handle must be a BTI with ZX_RIGHT_MAP; vmo must have ZX_RIGHT_MAP, and ZX_RIGHT_READ
 * for ZX_BTI_PERM_READ or ZX_BTI_PERM_EXECUTE, ZX_RIGHT_WRITE for ZX_BTI_PERM_WRITE. The PMT
 * handle has ZX_DEFAULT_PMT_RIGHTS.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED (bti); ZX_ERR_INVALID_ARGS
 * (offset or size not page aligned; num_addrs above 32768); ZX_ERR_BAD_HANDLE,
 * ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED (vmo and its rights); ZX_ERR_INVALID_ARGS (unknown
 * options; COMPRESS with CONTIGUOUS; CONTIGUOUS on a VMO that is not contiguous; size 0);
 * ZX_ERR_OUT_OF_RANGE (range past the VMO's end); ZX_ERR_NO_MEMORY; ZX_ERR_NOT_FOUND (a
 * discarded VMO); ZX_ERR_BAD_STATE (the BTI's handles are closed, or it holds quarantined
 * PMTs); ZX_ERR_INVALID_ARGS (no ZX_BTI_PERM_*; num_addrs not the count the options need; addrs
 * or pmt unusable); ZX_ERR_NOT_FOUND (addrs a host array too short). Every failure unpins.
 */
export function zx_bti_pin(
  ctx: SyscallContext,
  handle: unknown,
  options: unknown,
  vmo: unknown,
  offset: unknown,
  size: unknown,
  addrs: unknown,
  numAddrs: unknown,
  pmt: unknown,
): number {
  const opts = u32(options);
  const offset64 = u64(offset);
  const size64 = u64(size);
  const count64 = u64(numAddrs);
  if (
    opts === undefined ||
    offset64 === undefined ||
    size64 === undefined ||
    count64 === undefined ||
    !isUserBuffer(addrs)
  ) {
    return ZX_ERR_INVALID_ARGS;
  }
  const bti = lookup<BtiObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_BTI, ZX_RIGHT_MAP);
  if (typeof bti === 'number') return bti;
  if ((offset64 & 4095n) !== 0n || (size64 & 4095n) !== 0n || count64 > MAX_PIN_ADDRS) {
    return ZX_ERR_INVALID_ARGS;
  }
  const vmoHandle = lookupWithRights(ctx, handleValue(vmo), ZX_OBJ_TYPE_VMO, ZX_RIGHT_NONE);
  if (typeof vmoHandle === 'number') return vmoHandle;
  const rights = vmoHandle.rights;
  if ((rights & ZX_RIGHT_MAP) === 0) return ZX_ERR_ACCESS_DENIED;
  if ((opts & ZX_BTI_PERM_READ) !== 0 && (rights & ZX_RIGHT_READ) === 0) {
    return ZX_ERR_ACCESS_DENIED;
  }
  if ((opts & ZX_BTI_PERM_WRITE) !== 0 && (rights & ZX_RIGHT_WRITE) === 0) {
    return ZX_ERR_ACCESS_DENIED;
  }
  if ((opts & ZX_BTI_PERM_EXECUTE) !== 0 && (rights & ZX_RIGHT_READ) === 0) {
    return ZX_ERR_ACCESS_DENIED;
  }
  const vmoObject = vmoHandle.object as VmoObject;
  const object = vmoObject.vmo;
  let rest = opts & ~BTI_PERMS;
  const compress = (rest & ZX_BTI_COMPRESS) !== 0;
  const contiguous = (rest & ZX_BTI_CONTIGUOUS) !== 0;
  // Both together consume neither; CONTIGUOUS is consumed only for a contiguous VMO.
  if (compress && !contiguous) rest &= ~ZX_BTI_COMPRESS;
  else if (contiguous && !compress && object.isContiguous) rest &= ~ZX_BTI_CONTIGUOUS;
  if (rest !== 0) return ZX_ERR_INVALID_ARGS;
  if (size64 === 0n) return ZX_ERR_INVALID_ARGS;
  const end = offset64 + size64;
  if (end > U64_MAX || end > object.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
  const pages = Number(size64 >> 12n);
  const frames = pinPages(object, Number(offset64 >> 12n), Number(end >> 12n));
  if (typeof frames === 'number') return frames;
  const fail = (status: number): number => {
    unpinPages(object, frames);
    return status;
  };
  if (bti.zeroHandles || bti.quarantine.size > 0) return fail(ZX_ERR_BAD_STATE);
  if ((opts & BTI_PERMS) === 0) return fail(ZX_ERR_INVALID_ARGS);
  const minimum = bti.iommu.minimumContiguity;
  const wanted = contiguous ? 1 : compress ? Math.ceil((pages * 4096) / minimum) : pages;
  if (count64 !== BigInt(wanted)) return fail(ZX_ERR_INVALID_ARGS);
  const out = beginCopyOut(addrs, wanted * 8);
  if (typeof out === 'number') return fail(out);
  const view = new DataView(out.buffer, out.byteOffset, wanted * 8);
  for (let i = 0; i < wanted; i++) {
    const frame = frames.frameAt(contiguous ? 0 : (i * minimum) / 4096);
    view.setBigUint64(i * 8, BigInt(frame) * 4096n, true);
  }
  const copied = finishCopyOut(ctx.user, addrs, out);
  if (copied !== ZX_OK) return fail(copied);
  const token = new PmtObject(ctx.core.newKoid(), bti, vmoObject, frames);
  return addHandleAndCopyOut(ctx, token, ZX_DEFAULT_PMT_RIGHTS, pmt);
}

/**
 * zx_pmt_unpin(handle)
 * Unpins the pages and closes the handle. The handle is taken out of the table first, so a
 * handle to anything but a PMT is closed too.
 * Rights: none.
 * Errors: ZX_ERR_BAD_HANDLE; ZX_ERR_WRONG_TYPE (not a PMT; the handle is gone all the same).
 */
export function zx_pmt_unpin(ctx: SyscallContext, handle: unknown): number {
  const value = handleValue(handle);
  const found = ctx.process.handles.get(value);
  if (found === undefined) return ZX_ERR_BAD_HANDLE;
  if (found.object.type !== ZX_OBJ_TYPE_PMT) {
    ctx.process.handles.remove(value);
    return ZX_ERR_WRONG_TYPE;
  }
  // Unpinned before the handle goes, so closing it does not quarantine it.
  (found.object as PmtObject).unpin();
  ctx.process.handles.remove(value);
  return ZX_OK;
}

/**
 * zx_bti_release_quarantine(handle)
 * Unpins the PMTs whose handles were closed without zx_pmt_unpin; pins work again.
 * Rights: handle must be a BTI with ZX_RIGHT_WRITE.
 * Errors: ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED.
 */
export function zx_bti_release_quarantine(ctx: SyscallContext, handle: unknown): number {
  const bti = lookup<BtiObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_BTI, ZX_RIGHT_WRITE);
  if (typeof bti === 'number') return bti;
  bti.releaseQuarantine();
  return ZX_OK;
}
