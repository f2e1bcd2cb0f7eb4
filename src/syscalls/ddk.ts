// Driver syscalls: physical and contiguous VMOs, the stub IOMMU, BTIs, pinning for DMA and
// unpinning. The checks keep Zircon's order (docs/zircon-notes/vmar.md §7 and §8).
// Rights and errors: their entries in src/abi/syscalls/ddk.ts.

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
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_IOMMU_MAX_DESC_LEN,
  ZX_IOMMU_TYPE_STUB,
  ZX_OBJ_TYPE_PMT,
  ZX_OK,
  ZX_POL_NEW_VMO,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_RSRC_KIND_MMIO,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_IOMMU_BASE,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import { DDK_SYSCALLS as S } from '../abi/syscalls/ddk.ts';
import { BusTransactionInitiatorDispatcher } from '../object/bti-dispatcher.ts';
import type { Handle } from '../object/handle.ts';
import { IommuDispatcher } from '../object/iommu-dispatcher.ts';
import type { PinnedMemoryTokenDispatcher } from '../object/pinned-memory-token-dispatcher.ts';
import type { ResourceDispatcher } from '../object/resource-dispatcher.ts';
import { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { hex } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, PAGE_SIZE_N, roundUpPageU64, U64_MAX } from '../util/u64.ts';
import { createContiguousVmo } from '../vm/physical.ts';
import { VmObjectPhysical } from '../vm/vm-object-physical.ts';
import {
  fail,
  handleWithRights,
  lacksRights,
  objectWithRights,
  type SyscallContext,
} from './context.ts';
import type { HandleOut } from './impl.ts';
import { enforcePolicy } from './policy.ts';
import { grantsRange, resourceRefuses } from './ranged-resource.ts';
import { beginCopyOut, copyIn, finishCopyOut, type UserBuffer } from './user.ts';
import { notZero, roundsPast, unaligned } from './why.ts';

/** sizeof(zx_iommu_desc_stub_t): one byte of padding. */
const IOMMU_DESC_STUB_SIZE = 1n;
/** The most addresses one zx_bti_pin returns: a page of 64 pages' worth of zx_paddr_t. */
const MAX_PIN_ADDRS = (PAGE_SIZE_N * 64n) / 8n;
const BTI_PERMS = ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE | ZX_BTI_PERM_EXECUTE;

/**
 * Zircon's validate_resource_mmio for [paddr, paddr + size), once the handle is looked up. The
 * system resource (zxvm's ranged root of every kind) grants any range that stays clear of RAM;
 * an MMIO resource grants the pages its range covers. zxvm has device memory only in its MMIO
 * region (next to RAM, see pmm.ts), so a range outside it is denied whatever the resource.
 */
function validateMmio(
  ctx: SyscallContext,
  resource: ResourceDispatcher,
  paddr: bigint,
  size: bigint,
): number {
  const pmm = ctx.core.pmm;
  const mmioStart = BigInt(pmm.mmioFirstFrame) * PAGE_SIZE_N;
  const mmioEnd = mmioStart + BigInt(pmm.mmioFrames) * PAGE_SIZE_N;
  const inMmio = paddr >= mmioStart && paddr + size <= mmioEnd;
  if (resource.isRangedRoot && (size === 0n || inMmio)) return ZX_OK;
  if (!resource.isRangedRoot) {
    const kind = ZX_RSRC_KIND_MMIO;
    if (resource.kind !== kind) {
      return resourceRefuses(ctx, ZX_ERR_WRONG_TYPE, 'resource', resource, kind, paddr, size);
    }
    const granted = resource.base & ~PAGE_MASK_N;
    const grantedEnd = (resource.base + resource.size + PAGE_MASK_N) & ~PAGE_MASK_N;
    if (size === 0n) return fail(ctx, ZX_ERR_OUT_OF_RANGE, 'size is 0');
    if (paddr < granted || paddr + size > grantedEnd) {
      return resourceRefuses(ctx, ZX_ERR_OUT_OF_RANGE, 'resource', resource, kind, paddr, size);
    }
    if (inMmio) return ZX_OK;
  }
  return fail(ctx, ZX_ERR_ACCESS_DENIED, notMmio, paddr, size, mmioStart, mmioEnd);
}

function notMmio(paddr: bigint, size: bigint, start: bigint, end: bigint): string {
  const range = `[${hex(paddr)}, ${hex(paddr + size)})`;
  return `${range} is not device memory: zxvm's MMIO region is [${hex(start)}, ${hex(end)})`;
}

/**
 * zx_vmo_create_physical(resource, paddr, size, out): a VMO over device memory
 * [paddr, paddr + size), size rounded up to pages. It starts ZX_CACHE_POLICY_UNCACHED and
 * cannot be read or written with zx_vmo_read/write, committed, resized or snapshotted; it can
 * be sliced, mapped and pinned.
 * Rights and errors: its entry in src/abi/syscalls/ddk.ts.
 */
export function zx_vmo_create_physical(
  ctx: SyscallContext,
  resource: number,
  paddr: bigint,
  size: bigint,
  out: HandleOut,
): number {
  const policy = enforcePolicy(ctx, ZX_POL_NEW_VMO);
  if (policy !== ZX_OK) return policy;
  const granting = objectWithRights<ResourceDispatcher>(
    ctx,
    resource,
    S.zx_vmo_create_physical.params[0],
  );
  if (typeof granting === 'number') return granting;
  // The resource is checked against the size as given, before it is rounded.
  const valid = validateMmio(ctx, granting, paddr, size);
  if (valid !== ZX_OK) return valid;
  const rounded = roundUpPageU64(size);
  if (rounded === null) return fail(ctx, ZX_ERR_OUT_OF_RANGE, roundsPast, 'size', size);
  if ((paddr & PAGE_MASK_N) !== 0n)
    return fail(ctx, ZX_ERR_INVALID_ARGS, unaligned, 'paddr', paddr);
  if (rounded === 0n) return fail(ctx, ZX_ERR_INVALID_ARGS, 'size is 0');
  if (paddr + rounded - 1n > U64_MAX) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, 'paddr + size wraps past 2^64');
  }
  const core = ctx.core;
  const vmo = new VmObjectPhysical(Number(paddr >> PAGE_SHIFT_N), Number(rounded >> PAGE_SHIFT_N));
  // Physical VMOs have no stream: their stream size reads as 0.
  return out.set(new VmObjectDispatcher(core.newKoid(), vmo, 0n), ZX_DEFAULT_VMO_RIGHTS);
}

/**
 * zx_vmo_create_contiguous(bti, size, alignment_log2, out): a VMO of `size` bytes (rounded up
 * to pages) of physically contiguous RAM starting at a multiple of 2^alignment_log2 (0 means
 * the page size), committed and zeroed at once. Its pages never move: DECOMMIT is
 * ZX_ERR_NOT_SUPPORTED and ZERO clears them in place; it cannot be resized or snapshotted.
 * Rights and errors: its entry in src/abi/syscalls/ddk.ts.
 */
export function zx_vmo_create_contiguous(
  ctx: SyscallContext,
  bti: number,
  size: bigint,
  alignmentLog2: number,
  out: HandleOut,
): number {
  if (size === 0n) return fail(ctx, ZX_ERR_INVALID_ARGS, 'size is 0');
  const align = alignmentLog2 === 0 ? 12 : alignmentLog2;
  if (align < 12 || align >= 64) return fail(ctx, ZX_ERR_INVALID_ARGS, badAlignment, alignmentLog2);
  const policy = enforcePolicy(ctx, ZX_POL_NEW_VMO);
  if (policy !== ZX_OK) return policy;
  const found = objectWithRights<BusTransactionInitiatorDispatcher>(
    ctx,
    bti,
    S.zx_vmo_create_contiguous.params[0],
  );
  if (typeof found === 'number') return found;
  const rounded = roundUpPageU64(size);
  if (rounded === null) return fail(ctx, ZX_ERR_OUT_OF_RANGE, roundsPast, 'size', size);
  const core = ctx.core;
  const vmo = createContiguousVmo(
    core.pmm,
    core.discardables,
    Number(rounded >> PAGE_SHIFT_N),
    align,
  );
  if (typeof vmo === 'number') return vmo;
  // Contiguous VMOs have no stream: their stream size reads as 0.
  return out.set(new VmObjectDispatcher(core.newKoid(), vmo, 0n), ZX_DEFAULT_VMO_RIGHTS);
}

/**
 * zx_iommu_create(resource, type, desc, desc_size, out): an IOMMU. zxvm has the stub
 * (ZX_IOMMU_TYPE_STUB, also called DUMMY), whose device addresses are physical addresses. The
 * descriptor is read before its type is looked at.
 * Rights and errors: its entry in src/abi/syscalls/ddk.ts.
 */
export function zx_iommu_create(
  ctx: SyscallContext,
  resource: number,
  type: number,
  desc: UserBuffer,
  descSize: bigint,
  out: HandleOut,
): number {
  const granting = objectWithRights<ResourceDispatcher>(ctx, resource, S.zx_iommu_create.params[0]);
  if (typeof granting === 'number') return granting;
  const kind = ZX_RSRC_KIND_SYSTEM;
  const valid = grantsRange(ctx, 'resource', granting, kind, ZX_RSRC_SYSTEM_IOMMU_BASE, 1n);
  if (valid !== ZX_OK) return valid;
  if (descSize > BigInt(ZX_IOMMU_MAX_DESC_LEN)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, descTooLong, descSize);
  }
  if (descSize > 0n) {
    const bytes = copyIn(ctx.user, desc, Number(descSize));
    if (typeof bytes === 'number') return bytes;
  }
  if (type !== ZX_IOMMU_TYPE_STUB) return fail(ctx, ZX_ERR_NOT_SUPPORTED, notStub, type);
  if (desc === null || descSize !== IOMMU_DESC_STUB_SIZE) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, 'a stub IOMMU takes a 1-byte zx_iommu_desc_stub_t');
  }
  return out.set(new IommuDispatcher(ctx.core.newKoid(), type), ZX_DEFAULT_IOMMU_RIGHTS);
}

/**
 * zx_bti_create(iommu, options, bti_id, out): a BTI for the device `bti_id` behind the IOMMU.
 * Rights and errors: its entry in src/abi/syscalls/ddk.ts.
 */
export function zx_bti_create(
  ctx: SyscallContext,
  iommu: number,
  options: number,
  btiId: bigint,
  out: HandleOut,
): number {
  if (options !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, notZero, 'options', options);
  const found = objectWithRights<IommuDispatcher>(ctx, iommu, S.zx_bti_create.params[0]);
  if (typeof found === 'number') return found;
  if (!found.isValidBusTxnId(btiId)) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, 'the IOMMU refuses bti_id as a bus transaction id');
  }
  return out.set(
    new BusTransactionInitiatorDispatcher(ctx.core.newKoid(), found, btiId),
    ZX_DEFAULT_BTI_RIGHTS,
  );
}

/** The VMO rights that the ZX_BTI_PERM_* bits of `options` need (EXECUTE needs READ). */
function pinRights(options: number): number {
  const read = (options & (ZX_BTI_PERM_READ | ZX_BTI_PERM_EXECUTE)) !== 0 ? ZX_RIGHT_READ : 0;
  return read | ((options & ZX_BTI_PERM_WRITE) !== 0 ? ZX_RIGHT_WRITE : 0);
}

// Reasons (src/util/reason.ts): each formatter gets the values it prints as arguments.

function badAlignment(log2: number): string {
  return `alignment_log2 (${log2}) is neither 0 nor between 12 and 63`;
}

function descTooLong(size: bigint): string {
  return `desc_size (${size}) is above ZX_IOMMU_MAX_DESC_LEN (${ZX_IOMMU_MAX_DESC_LEN})`;
}

function notStub(type: number): string {
  return `type (${type}) is not ZX_IOMMU_TYPE_STUB, the only IOMMU zxvm has`;
}

function tooManyAddrs(count: bigint): string {
  return `num_addrs (${count}) is above ${MAX_PIN_ADDRS}`;
}

function leftOver(rest: number, contiguous: boolean): string {
  if ((rest & ZX_BTI_COMPRESS) !== 0 && (rest & ZX_BTI_CONTIGUOUS) !== 0) {
    return 'options has both ZX_BTI_COMPRESS and ZX_BTI_CONTIGUOUS';
  }
  if ((rest & ZX_BTI_CONTIGUOUS) !== 0 && !contiguous) {
    return 'ZX_BTI_CONTIGUOUS of a VMO that is not contiguous';
  }
  return `options has unknown bits (${hex(rest >>> 0)})`;
}

function notPmt(type: number): string {
  return `handle is ${nameFlags('obj_type', type)}, not a PMT (it is closed all the same)`;
}

/** Whether `rights` (a VMO handle's) lack one that the ZX_BTI_PERM_* bits of `options` need. */
function missingPinRight(options: number, rights: number): boolean {
  // EXECUTE is the device's, not the CPU's: it needs READ.
  return (
    ((options & ZX_BTI_PERM_READ) !== 0 && (rights & ZX_RIGHT_READ) === 0) ||
    ((options & ZX_BTI_PERM_WRITE) !== 0 && (rights & ZX_RIGHT_WRITE) === 0) ||
    ((options & ZX_BTI_PERM_EXECUTE) !== 0 && (rights & ZX_RIGHT_READ) === 0)
  );
}

/**
 * zx_bti_pin(handle, options, vmo, offset, size, addrs, num_addrs, pmt): pins
 * [offset, offset + size) of the VMO (committing it, and forking copy-on-write pages into it)
 * for the device's DMA and writes the device (here physical) addresses to addrs: one per
 * page; with ZX_BTI_COMPRESS one per minimum-contiguity run (a page with the stub IOMMU); with
 * ZX_BTI_CONTIGUOUS (contiguous and physical VMOs only) one for the whole run. Pinned pages
 * are never moved or freed. Every failure up to the copy of addrs unpins; a PMT whose handle
 * cannot be copied out is, as in Zircon, closed without unpinning: it goes to the quarantine.
 * Rights and errors: its entry in src/abi/syscalls/ddk.ts.
 */
export function zx_bti_pin(
  ctx: SyscallContext,
  handle: number,
  options: number,
  vmo: number,
  offset: bigint,
  size: bigint,
  addrs: UserBuffer,
  numAddrs: bigint,
  pmt: HandleOut,
): number {
  const params = S.zx_bti_pin.params;
  const bti = objectWithRights<BusTransactionInitiatorDispatcher>(ctx, handle, params[0]);
  if (typeof bti === 'number') return bti;
  if ((offset & PAGE_MASK_N) !== 0n)
    return fail(ctx, ZX_ERR_INVALID_ARGS, unaligned, 'offset', offset);
  if ((size & PAGE_MASK_N) !== 0n) return fail(ctx, ZX_ERR_INVALID_ARGS, unaligned, 'size', size);
  if (numAddrs > MAX_PIN_ADDRS) return fail(ctx, ZX_ERR_INVALID_ARGS, tooManyAddrs, numAddrs);
  const source = handleWithRights(ctx, vmo, params[2]);
  if (typeof source === 'number') return source;
  const rights = source.rights;
  if ((rights & ZX_RIGHT_MAP) === 0) {
    return fail(ctx, ZX_ERR_ACCESS_DENIED, lacksRights, 'vmo', rights, ZX_RIGHT_MAP);
  }
  if (missingPinRight(options, rights)) {
    return fail(ctx, ZX_ERR_ACCESS_DENIED, lacksRights, 'vmo', rights, pinRights(options));
  }
  const vmoObject = source.object as VmObjectDispatcher;
  let rest = options & ~BTI_PERMS;
  const compress = (rest & ZX_BTI_COMPRESS) !== 0;
  const contiguous = (rest & ZX_BTI_CONTIGUOUS) !== 0;
  // Both together consume neither; CONTIGUOUS is consumed only for a contiguous VMO.
  if (compress && !contiguous) rest &= ~ZX_BTI_COMPRESS;
  else if (contiguous && !compress && vmoObject.vmo.isContiguous) rest &= ~ZX_BTI_CONTIGUOUS;
  if (rest !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, leftOver, rest, vmoObject.vmo.isContiguous);
  const token = bti.pin(vmoObject, offset, size, options & BTI_PERMS, () => ctx.core.newKoid());
  if (typeof token === 'number') return token;
  const status = copyOutAddrs(ctx, token, compress, contiguous, addrs, numAddrs);
  if (status !== ZX_OK) {
    token.unpin();
    return status;
  }
  // No handle for it (the arena is full): the PMT is abandoned, which unpins it.
  return pmt.set(token, ZX_DEFAULT_PMT_RIGHTS);
}

/** Encodes the PMT's addresses and writes them to `addrs`: ZX_OK or the status of the copy. */
function copyOutAddrs(
  ctx: SyscallContext,
  token: PinnedMemoryTokenDispatcher,
  compress: boolean,
  contiguous: boolean,
  addrs: UserBuffer,
  count: bigint,
): number {
  const encoded = token.encodeAddrs(compress, contiguous, count);
  if (typeof encoded === 'number') return encoded;
  const bytes = beginCopyOut(addrs, encoded.length * 8);
  if (typeof bytes === 'number') return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, encoded.length * 8);
  for (let i = 0; i < encoded.length; i++) view.setBigUint64(i * 8, encoded[i]!, true);
  return finishCopyOut(ctx.user, addrs, bytes);
}

/**
 * zx_pmt_unpin(handle): unpins the pages and closes the handle. The binder has taken the handle
 * out of the table already, so a handle to anything but a PMT is closed too.
 * Rights and errors: its entry in src/abi/syscalls/ddk.ts.
 */
export function zx_pmt_unpin(ctx: SyscallContext, handle: Handle): number {
  if (handle.object.type !== ZX_OBJ_TYPE_PMT) {
    return fail(ctx, ZX_ERR_WRONG_TYPE, notPmt, handle.object.type);
  }
  // Unpinned before the binder drops the handle, so its closing does not quarantine it.
  (handle.object as PinnedMemoryTokenDispatcher).unpin();
  return ZX_OK;
}

/**
 * zx_bti_release_quarantine(handle): unpins the PMTs whose handles were closed without
 * zx_pmt_unpin; pins work again.
 * Rights and errors: its entry in src/abi/syscalls/ddk.ts.
 */
export function zx_bti_release_quarantine(ctx: SyscallContext, handle: number): number {
  const bti = objectWithRights<BusTransactionInitiatorDispatcher>(
    ctx,
    handle,
    S.zx_bti_release_quarantine.params[0],
  );
  if (typeof bti === 'number') return bti;
  bti.releaseQuarantine();
  return ZX_OK;
}
