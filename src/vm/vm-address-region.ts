// VmAddressRegion (a VMAR): a range of an address space that holds sub-VMARs and mappings.
// It places new children (where the caller says, or at the lowest free spot that fits, as
// Zircon does without ASLR and always does in COMPACT VMARs), and unmaps, protects, destroys
// and runs range operations over what it holds, with the checks of Zircon's
// VmAddressRegion in Zircon's order. Callers have already checked the syscall arguments that
// need no VMAR (option bits, alignment of addresses, lengths rounding to zero).

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_RESOURCES,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMAR_OP_ZERO,
} from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SIZE_N, PAGE_SIZE as SHARED_PAGE_SIZE } from '../util/u64.ts';
import { hintPagerPages } from './pager-eviction.ts';
import { PERM_READ, PERM_WRITE, VmAddressRegionOrMapping } from './region.ts';
import { RegionList } from './region-list.ts';
import * as why from './region-reasons.ts';
import type { VmAspace } from './vm-aspace.ts';
import { type MappingOptions, VmMapping } from './vm-mapping.ts';
import type { VmObject } from './vm-object.ts';

/** PAGE_SIZE as this module's own constant, which V8 folds (see util/u64.ts). */
const PAGE_SIZE = SHARED_PAGE_SIZE;

/** Where a new child goes (zx_vmar_allocate and zx_vmar_map arguments). */
export interface Placement {
  /** vmar_offset, from the VMAR's base; with upperLimit, the exclusive limit of the spot. */
  offset: bigint;
  /** Size in bytes (a multiple of the page size). */
  size: bigint;
  /** log2 of the requested alignment (ZX_VM_ALIGN_*), or 0 for page alignment. */
  alignShift: number;
  /** ZX_VM_SPECIFIC or ZX_VM_SPECIFIC_OVERWRITE. */
  specific: boolean;
  /** ZX_VM_SPECIFIC_OVERWRITE: mappings in the way are unmapped. */
  overwrite: boolean;
  /** ZX_VM_OFFSET_IS_UPPER_LIMIT. */
  upperLimit: boolean;
}

export class VmAddressRegion extends VmAddressRegionOrMapping {
  readonly isMapping = false;
  readonly children: RegionList<VmAddressRegionOrMapping>;
  /** ZX_VM_CAN_MAP_SPECIFIC: children may be placed at chosen offsets. */
  readonly canMapSpecific: boolean;
  /** ZX_VM_COMPACT (placement is first fit in every VMAR here, so it changes nothing). */
  readonly compact: boolean;

  constructor(
    aspace: VmAspace,
    parent: VmAddressRegion | null,
    base: number,
    size: number,
    canMap: number,
    canMapSpecific: boolean,
    compact: boolean,
  ) {
    super(aspace, parent, base, size, canMap);
    this.canMapSpecific = canMapSpecific;
    this.compact = compact;
    this.children = new RegionList(base, base + size);
  }

  /** The root VMAR of its address space (it cannot be destroyed). */
  get isRoot(): boolean {
    return this.parent === null;
  }

  /** A sub-VMAR (zx_vmar_allocate), or a status. */
  createSubVmar(
    placement: Placement,
    canMap: number,
    canMapSpecific: boolean,
    compact: boolean,
  ): VmAddressRegion | number {
    const base = this.place(placement, canMap);
    if (base < 0) return base;
    const size = Number(placement.size);
    const child = new VmAddressRegion(
      this.aspace,
      this,
      base,
      size,
      canMap,
      canMapSpecific,
      compact,
    );
    this.children.insert(child);
    return child;
  }

  /**
   * A mapping of `vmo` from page `vmoPage` (zx_vmar_map), or a status. `canMap` already holds
   * `perms`. With OFFSET_IS_UPPER_LIMIT the mapping starts at page 0 of the VMO whatever
   * `vmoPage` is (Zircon's long-standing behaviour).
   */
  createMapping(
    placement: Placement,
    canMap: number,
    vmo: VmObject,
    vmoPage: number,
    perms: number,
    options: MappingOptions,
  ): VmMapping | number {
    const base = this.place(placement, canMap);
    if (base < 0) return base;
    const size = Number(placement.size);
    if (placement.overwrite) {
      for (const child of this.children.between(base, base + size)) {
        unmapFromMapping(child as VmMapping, base, base + size);
      }
    }
    const mapping = new VmMapping(
      this.aspace,
      this,
      base,
      size,
      canMap,
      vmo,
      placement.upperLimit ? 0 : vmoPage,
      perms,
      options,
    );
    this.children.insert(mapping);
    return mapping;
  }

  /**
   * Merges a new mapping with the neighbours it continues (same VMO, adjacent in address and
   * offset, same flags): what Zircon does once a map syscall has succeeded.
   */
  mergeMapping(mapping: VmMapping): VmMapping {
    mapping.mergeable = true;
    let merged = mapping;
    const prev = this.children.prev(merged);
    if (prev?.isMapping && (prev as VmMapping).canMergeWith(merged)) {
      (prev as VmMapping).absorb(merged);
      merged = prev as VmMapping;
    }
    const next = this.children.next(merged);
    if (next?.isMapping && merged.canMergeWith(next as VmMapping)) {
      merged.absorb(next as VmMapping);
    }
    return merged;
  }

  /** Zircon's CreateSubVmarInner checks and placement: the child's base, or a status (< 0). */
  private place(p: Placement, canMap: number): number {
    if (!this.alive) return because(ZX_ERR_BAD_STATE, why.DESTROYED);
    if (p.size === 0n) return because(ZX_ERR_INVALID_ARGS, 'the size is 0');
    if ((canMap & ~this.canMap) !== 0) {
      return because(ZX_ERR_ACCESS_DENIED, why.cannotMap, canMap & ~this.canMap);
    }
    const specific = p.specific || p.overwrite;
    if (specific && p.upperLimit) return because(ZX_ERR_INVALID_ARGS, why.SPECIFIC_AND_UPPER);
    if (!specific && !p.upperLimit && p.offset !== 0n) {
      return because(ZX_ERR_INVALID_ARGS, why.strayOffset, p.offset);
    }
    if ((p.offset & PAGE_MASK_N) !== 0n)
      return because(ZX_ERR_INVALID_ARGS, why.unalignedOffset, p.offset);
    if ((specific || p.upperLimit) && !this.canMapSpecific) {
      return because(ZX_ERR_ACCESS_DENIED, why.NEEDS_CAN_MAP_SPECIFIC);
    }
    const vmarSize = BigInt(this.size);
    if (
      p.upperLimit
        ? p.offset > vmarSize || p.size > vmarSize || p.size > p.offset
        : p.offset >= vmarSize || p.size > vmarSize - p.offset
    ) {
      return because(
        ZX_ERR_INVALID_ARGS,
        why.doesNotFit,
        p.offset,
        p.size,
        this.size,
        p.upperLimit,
      );
    }
    const offset = Number(p.offset);
    const size = Number(p.size);
    if (specific) {
      const base = this.base + offset;
      if (p.alignShift !== 0 && base % 2 ** p.alignShift !== 0) {
        return because(ZX_ERR_INVALID_ARGS, why.misaligned, base, p.alignShift);
      }
      if (!this.children.intersects(base, base + size)) return base;
      if (!p.overwrite) return because(ZX_ERR_ALREADY_EXISTS, why.overlaps, base, size);
      // Overwriting replaces mappings only, never sub-VMARs.
      const inTheWay = this.children.between(base, base + size);
      if (!inTheWay.some((child) => !child.isMapping)) return base;
      return because(ZX_ERR_INVALID_ARGS, why.OVERWRITES_VMAR);
    }
    const align = Math.max(2 ** p.alignShift, PAGE_SIZE);
    const limit = p.upperLimit ? this.base + offset : this.end;
    const spot = this.children.findSpot(size, align, limit);
    return spot < 0 ? because(ZX_ERR_NO_RESOURCES, why.noSpot, size, align, limit) : spot;
  }

  /** A syscall range [addr, addr + len) lies inside this VMAR. */
  contains(addr: bigint, len: bigint): boolean {
    return addr >= BigInt(this.base) && addr + len <= BigInt(this.end);
  }

  /**
   * zx_vmar_unmap of [addr, addr + len) (page aligned, len > 0): mappings inside go, mappings
   * across the edges are trimmed or split, sub-VMARs inside are destroyed. A sub-VMAR only
   * partly inside, or any sub-VMAR without `opChildren`, is ZX_ERR_INVALID_ARGS and nothing
   * changes.
   */
  unmap(addr: bigint, len: bigint, opChildren: boolean): number {
    if (!this.alive) return because(ZX_ERR_BAD_STATE, why.DESTROYED);
    if (!this.contains(addr, len)) return this.notInside(ZX_ERR_INVALID_ARGS, addr, len);
    const start = Number(addr);
    const end = start + Number(len);
    const hits = this.children.between(start, end);
    for (const child of hits) {
      if (child.isMapping) continue;
      if (!opChildren) return because(ZX_ERR_INVALID_ARGS, why.SUB_VMAR_WITHOUT_OP_CHILDREN);
      if (child.base < start || child.end > end) {
        return because(ZX_ERR_INVALID_ARGS, why.partlyInside, child.base, child.end);
      }
    }
    for (const child of hits) {
      if (child.isMapping) unmapFromMapping(child as VmMapping, start, end);
      else child.destroy();
    }
    return ZX_OK;
  }

  /**
   * zx_vmar_protect of [addr, addr + len): every byte must be mapped (ZX_ERR_NOT_FOUND), within
   * each mapping's CAN_MAP set (ZX_ERR_ACCESS_DENIED); mappings in sub-VMARs need `opChildren`
   * (ZX_ERR_INVALID_ARGS) and can only lose permissions there (ZX_ERR_ACCESS_DENIED). All is
   * checked before anything changes.
   */
  protect(addr: bigint, len: bigint, perms: number, opChildren: boolean): number {
    if (!this.alive) return because(ZX_ERR_BAD_STATE, why.DESTROYED);
    if (!this.contains(addr, len)) return this.notInside(ZX_ERR_INVALID_ARGS, addr, len);
    const start = Number(addr);
    const end = start + Number(len);
    const mappings = this.mappingsIn(start, end);
    let expected = start;
    for (const m of mappings) {
      if (m.base > expected) return because(ZX_ERR_NOT_FOUND, why.unmapped, expected);
      if ((perms & ~m.canMap) !== 0) {
        return because(ZX_ERR_ACCESS_DENIED, why.beyondCanMap, m.base, perms, m.canMap);
      }
      if (m.parent !== this) {
        if (!opChildren) return because(ZX_ERR_INVALID_ARGS, why.nestedMapping, m.base, false);
        const from = Math.max(start, m.base);
        const to = Math.min(end, m.end);
        for (const [, , current] of m.protectionsIn(from, to)) {
          if ((perms & ~current) !== 0) return because(ZX_ERR_ACCESS_DENIED, why.onlyLose, m.base);
        }
      }
      expected = m.end;
    }
    if (expected < end) return because(ZX_ERR_NOT_FOUND, why.unmapped, expected);
    for (const m of mappings) m.protect(Math.max(start, m.base), Math.min(end, m.end), perms);
    return ZX_OK;
  }

  /**
   * zx_vmar_op_range over [addr, addr + len): every byte must be mapped (ZX_ERR_BAD_STATE);
   * ops stop at the first error, keeping what earlier mappings did.
   */
  rangeOp(op: number, addr: bigint, len: bigint, opChildren: boolean): number {
    if (!this.contains(addr, len)) return this.notInside(ZX_ERR_OUT_OF_RANGE, addr, len);
    if (!this.alive) return because(ZX_ERR_BAD_STATE, why.DESTROYED);
    const start = Number(addr);
    const end = start + Number(len);
    let expected = start;
    for (const m of this.mappingsIn(start, end)) {
      if (m.base > expected) return because(ZX_ERR_BAD_STATE, why.unmapped, expected);
      if (m.parent !== this) {
        const neverNested =
          op === ZX_VMAR_OP_COMMIT || op === ZX_VMAR_OP_DECOMMIT || op === ZX_VMAR_OP_PREFETCH;
        if (neverNested || !opChildren) {
          return because(ZX_ERR_INVALID_ARGS, why.nestedMapping, m.base, neverNested);
        }
      }
      const from = Math.max(start, m.base);
      const to = Math.min(end, m.end);
      const firstPage = m.vmoPage + (from - m.base) / PAGE_SIZE;
      const endPage = firstPage + (to - from) / PAGE_SIZE;
      if (endPage > m.streamLimitPages()) return because(ZX_ERR_OUT_OF_RANGE, why.pastStream, from);
      const status = mappingRangeOp(m, op, from, to, firstPage, endPage);
      if (status !== ZX_OK) return status;
      expected = m.end;
    }
    return expected < end ? because(ZX_ERR_BAD_STATE, why.unmapped, expected) : ZX_OK;
  }

  /** `status`, because [addr, addr + len) is not inside this VMAR. */
  private notInside(status: number, addr: bigint, len: bigint): number {
    return because(status, why.notInside, addr, len, this.base, this.end);
  }

  /** Unmaps everything inside, depth first, and marks this VMAR and its sub-VMARs dead. */
  destroy(): void {
    if (!this.alive) return;
    for (const child of this.children.toArray()) child.destroy();
    this.alive = false;
    this.parent?.children.remove(this);
  }

  /** The mappings meeting [start, end), in sub-VMARs too, in address order. */
  mappingsIn(start: number, end: number): VmMapping[] {
    const found: VmMapping[] = [];
    const walk = (region: VmAddressRegion) => {
      for (const child of region.children.between(start, end)) {
        if (child.isMapping) found.push(child as VmMapping);
        else walk(child as VmAddressRegion);
      }
    };
    walk(this);
    return found;
  }
}

/** Takes [start, end) out of a mapping: all of it, a side, or the middle (a split). */
function unmapFromMapping(m: VmMapping, start: number, end: number): void {
  if (start <= m.base && end >= m.end) m.destroy();
  else if (start <= m.base) m.trimFront(end);
  else if (end >= m.end) m.trimBack(start);
  else m.splitOut(start, end);
}

/**
 * One zx_vmar_op_range op on the part [from, to) of a mapping, which shows VMO pages
 * [firstPage, endPage). VMO operations are trimmed to the VMO's size (a piece starting past
 * the end is ZX_ERR_OUT_OF_RANGE); permissions are the mapping's CAN_MAP set.
 */
function mappingRangeOp(
  m: VmMapping,
  op: number,
  from: number,
  to: number,
  firstPage: number,
  endPage: number,
): number {
  const vmo = m.vmo;
  const canWrite = (m.canMap & PERM_WRITE) !== 0;
  const lastPage = Math.min(endPage, vmo.sizePages);
  switch (op) {
    case ZX_VMAR_OP_COMMIT: {
      if (!canWrite) return because(ZX_ERR_ACCESS_DENIED, why.neverWritable, from, true);
      if (!vmo.isPaged) return because(ZX_ERR_NOT_SUPPORTED, PHYSICAL);
      if (firstPage > vmo.sizePages) return because(ZX_ERR_OUT_OF_RANGE, why.startsPastEnd, from);
      const status = vmo.commit(firstPage, lastPage);
      if (status !== ZX_OK) return status;
      m.mapRange(from, to);
      return ZX_OK;
    }
    case ZX_VMAR_OP_DECOMMIT:
      if (!canWrite) return because(ZX_ERR_ACCESS_DENIED, why.neverWritable, from, true);
      if (!vmo.canDecommit) return because(ZX_ERR_NOT_SUPPORTED, NO_DECOMMIT);
      if (firstPage > vmo.sizePages) return because(ZX_ERR_OUT_OF_RANGE, why.startsPastEnd, from);
      return vmo.decommit(firstPage, lastPage);
    case ZX_VMAR_OP_ZERO:
      if (!canWrite) return because(ZX_ERR_ACCESS_DENIED, why.neverWritable, from, true);
      if (!vmo.isPaged) return because(ZX_ERR_NOT_SUPPORTED, PHYSICAL);
      if (firstPage > vmo.sizePages) return because(ZX_ERR_OUT_OF_RANGE, why.startsPastEnd, from);
      return vmo.zero(BigInt(firstPage) * PAGE_SIZE_N, BigInt(lastPage) * PAGE_SIZE_N);
    case ZX_VMAR_OP_PREFETCH:
      if ((m.canMap & PERM_READ) === 0) {
        return because(ZX_ERR_ACCESS_DENIED, why.neverWritable, from, false);
      }
      return fetchAndMap(m, from, to, firstPage, lastPage);
    case ZX_VMAR_OP_ALWAYS_NEED: {
      const status = fetchAndMap(m, from, to, firstPage, lastPage);
      if (status === ZX_OK) hintPagerPages(m.vmo, firstPage, lastPage, true);
      return status;
    }
    case ZX_VMAR_OP_MAP_RANGE:
      m.mapRange(from, to);
      return ZX_OK;
    case ZX_VMAR_OP_DONT_NEED:
      hintPagerPages(m.vmo, firstPage, Math.min(lastPage, m.vmo.sizePages), false);
      return ZX_OK;
    default:
      return because(ZX_ERR_INVALID_ARGS, 'an unknown op');
  }
}

/**
 * PREFETCH and ALWAYS_NEED: a pager-backed VMO is asked for the missing pages first (the call
 * waits for them); then what the VMO holds is mapped.
 */
function fetchAndMap(
  m: VmMapping,
  from: number,
  to: number,
  firstPage: number,
  lastPage: number,
): number {
  if (firstPage < lastPage && m.vmo.isPaged) {
    const pages = BigInt(lastPage - firstPage) * PAGE_SIZE_N;
    const status = m.vmo.prefetchRange(BigInt(firstPage) * PAGE_SIZE_N, pages);
    if (status !== ZX_OK) return status;
  }
  m.mapRange(from, to);
  return ZX_OK;
}
const PHYSICAL = 'the mapping shows a physical VMO (device memory has nothing to commit or zero)';
const NO_DECOMMIT = 'the mapping shows a contiguous, physical or copy-on-write VMO';
