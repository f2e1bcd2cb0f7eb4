// VmAddressRegionDispatcher: the kernel object behind a VMAR handle, named as Zircon names it. It
// names one VmAddressRegion of an address space and holds what the VMAR syscalls do once their
// handles are looked up: splitting the ZX_VM_* options, the checks Zircon's dispatcher and
// vmar_map_common make, and the call into the region. Closing its handles changes nothing in
// the address space; destroying the region (zx_vmar_destroy, or unmapping it from its parent)
// leaves the handles valid but makes every operation through them ZX_ERR_BAD_STATE.

import {
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OBJ_TYPE_VMAR,
  ZX_OK,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_MAP,
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
  ZX_VM_PERM_READ,
  ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED,
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
import { nameFlags } from '../abi/flags.ts';
import { because, hex } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, roundUpPageU64, U64_MAX } from '../util/u64.ts';
import { PERM_EXECUTE, PERM_READ, PERM_RWX, PERM_WRITE } from '../vm/region.ts';
import type { Placement, VmAddressRegion } from '../vm/vm-address-region.ts';
import type { VmMapping } from '../vm/vm-mapping.ts';
import { Dispatcher } from './dispatcher.ts';
import type { Koid } from './types.ts';
import type { VmObjectDispatcher } from './vm-object-dispatcher.ts';

/** Every ZX_VM_* option bit below the alignment field (what split_syscall_flags knows). */
const KNOWN_OPTIONS =
  PERM_RWX |
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
/** What a sub-VMAR may be made with (besides the alignment). */
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

/** split_syscall_flags fails: bits outside KNOWN_OPTIONS and the alignment, or a bad alignment. */
function badOptionBits(options: number): boolean {
  return (options & ~KNOWN_OPTIONS & ~ALIGN_FIELD) >>> 0 !== 0 || alignShiftOf(options) < 0;
}

/** The handle rights ZX_RIGHT_READ/WRITE/EXECUTE that PERM_* bits `perms` need. */
export function rightsForPerms(perms: number): number {
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

/** The handle rights a parent VMAR needs for the CAN_MAP_* bits of zx_vmar_allocate. */
export function rightsForCanMap(options: number): number {
  return rightsForPerms(canMapPerms(options));
}

/** x86-64 cannot map execute-only: PERM_READ_IF_XOM_UNSUPPORTED is PERM_READ. */
export function withoutXom(options: number): number {
  if ((options & ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED) === 0) return options;
  return (options & ~ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED) | ZX_VM_PERM_READ;
}

/** No way to express a mapping that can be written or executed but not read. */
export function isValidProtection(options: number): boolean {
  return (options & PERM_READ) !== 0 || (options & (PERM_WRITE | PERM_EXECUTE)) === 0;
}

// Reasons (src/util/reason.ts): each formatter gets the values it prints as arguments.

function badOptions(options: number): string {
  const unknown = (options & ~KNOWN_OPTIONS & ~ALIGN_FIELD) >>> 0;
  if (unknown !== 0) return `options has unknown bits (${hex(unknown)})`;
  return `the alignment 2^${options >>> 24} is outside ZX_VM_ALIGN_1KB .. ZX_VM_ALIGN_4GB`;
}

function permsForVmar(perms: number): string {
  const names = nameFlags('vm_options', perms);
  return `options has ${names}; zx_vmar_allocate takes ZX_VM_CAN_MAP_*`;
}

function onlyMappings(bits: number): string {
  return `options has ${nameFlags('vm_options', bits)}, which only mappings take`;
}

function onlyVmars(bits: number): string {
  return `options has ${nameFlags('vm_options', bits)}, which only zx_vmar_allocate takes`;
}

function notPerms(bits: number): string {
  return `options has ${nameFlags('vm_options', bits)}; zx_vmar_protect takes ZX_VM_PERM_* only`;
}

function unaligned(name: string, value: bigint): string {
  return `${name} (${hex(value)}) is not page aligned`;
}

function badLength(name: string, value: bigint): string {
  return value === 0n ? `${name} is 0` : `${name} (${hex(value)}) rounds up past 2^64`;
}

function roundsPast(name: string, value: bigint): string {
  return `${name} (${hex(value)}) rounds up past 2^64`;
}

function endsPast(offset: bigint, size: bigint): string {
  return `vmo_offset + len (${hex(offset)} + ${hex(size)}, rounded up) passes 2^64`;
}

function unknownOp(op: number): string {
  return `op (${op}) is not a ZX_VMAR_OP_*`;
}

function lacksRight(name: string, right: string, rights: number): string {
  return `${name} lacks ${right} (has ${rights === 0 ? 'no rights' : nameFlags('rights', rights)})`;
}

/** Which handle lacks the right a permission needs (both must have it). */
function lacksPerm(perm: number, vmarRights: number, vmoRights: number): string {
  const right = rightsForPerms(perm);
  const vmarLacks = (vmarRights & right) === 0;
  const vmoLacks = (vmoRights & right) === 0;
  const who =
    vmarLacks && vmoLacks ? 'handle and vmo lack' : vmarLacks ? 'handle lacks' : 'vmo lacks';
  return `${nameFlags('vm_options', perm)} needs ${nameFlags('rights', right)}: ${who} it`;
}

function cannotMap(perms: number): string {
  return `the VMAR may not map ${nameFlags('vm_options', perms)} (its CAN_MAP_* set lacks it)`;
}

const NO_STREAM =
  'ZX_VM_FAULT_BEYOND_STREAM_SIZE of a VMO without a stream (physical or contiguous)';
const WRITE_WITHOUT_READ = 'ZX_VM_PERM_WRITE or ZX_VM_PERM_EXECUTE without ZX_VM_PERM_READ';

/** Whether a handle with `rights` may reach into sub-VMARs. */
export function opChildrenFromRights(rights: number): boolean {
  return (rights & ZX_RIGHT_OP_CHILDREN) !== 0;
}

/**
 * A mapping zx_vmar_map has made but not yet handed out (Zircon's MapResult): the syscall
 * destroys it when mapped_addr cannot be written, or else lets it merge with its neighbours.
 */
export class MapResult {
  private readonly region: VmAddressRegion;
  private readonly mapping: VmMapping;

  constructor(region: VmAddressRegion, mapping: VmMapping) {
    this.region = region;
    this.mapping = mapping;
  }

  get base(): bigint {
    return BigInt(this.mapping.base);
  }

  destroy(): void {
    this.mapping.destroy();
  }

  markMergeable(): void {
    this.region.mergeMapping(this.mapping);
  }
}

export class VmAddressRegionDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_VMAR;
  readonly region: VmAddressRegion;

  constructor(koid: Koid, region: VmAddressRegion) {
    super(koid);
    this.region = region;
  }

  /** No handle could be made for a new sub-VMAR: nobody could name it, so it goes. */
  override abandon(): void {
    if (this.handleCount === 0 && this.region.alive) this.region.destroy();
  }

  /** The region's absolute base address (ZX_INFO_VMAR base). */
  get base(): bigint {
    return BigInt(this.region.base);
  }

  /** The region's size in bytes (ZX_INFO_VMAR len). */
  get size(): bigint {
    return BigInt(this.region.size);
  }

  /** The rights of a new handle to this VMAR: the defaults, plus READ/WRITE/EXECUTE as it may map. */
  get defaultRights(): number {
    return ZX_DEFAULT_VMAR_RIGHTS | rightsForPerms(this.region.canMap);
  }

  /**
   * zx_vmar_allocate past the handle lookup: a sub-VMAR of `size` bytes (page aligned, not
   * rounded) placed as `options` say, with a dispatcher of its own (koid from `newKoid`).
   */
  allocate(
    offset: bigint,
    size: bigint,
    options: number,
    newKoid: () => Koid,
  ): VmAddressRegionDispatcher | number {
    if (badOptionBits(options)) return because(ZX_ERR_INVALID_ARGS, badOptions, options);
    // No MMU flags for a VMAR (PERM_READ_IF_XOM_UNSUPPORTED counts as one here).
    const perms = options & (PERM_RWX | ZX_VM_PERM_READ_IF_XOM_UNSUPPORTED);
    if (perms !== 0) return because(ZX_ERR_INVALID_ARGS, permsForVmar, perms);
    if ((size & PAGE_MASK_N) !== 0n) return because(ZX_ERR_INVALID_ARGS, unaligned, 'size', size);
    const mappingOnly = options & ~ALLOCATE_OPTIONS & ~ALIGN_FIELD;
    if (mappingOnly !== 0) return because(ZX_ERR_INVALID_ARGS, onlyMappings, mappingOnly);
    const placement: Placement = {
      offset,
      size,
      alignShift: alignShiftOf(options),
      specific: (options & ZX_VM_SPECIFIC) !== 0,
      overwrite: false,
      upperLimit: (options & ZX_VM_OFFSET_IS_UPPER_LIMIT) !== 0,
    };
    const created = this.region.createSubVmar(
      placement,
      canMapPerms(options),
      (options & ZX_VM_CAN_MAP_SPECIFIC) !== 0,
      (options & ZX_VM_COMPACT) !== 0,
    );
    if (typeof created === 'number') return created;
    return new VmAddressRegionDispatcher(newKoid(), created);
  }

  /** zx_vmar_destroy: the root VMAR of an address space stays. */
  destroy(): number {
    if (this.region.isRoot) {
      return because(ZX_ERR_NOT_SUPPORTED, 'the root VMAR of an address space is never destroyed');
    }
    if (!this.region.alive) return because(ZX_ERR_BAD_STATE, 'the VMAR is already destroyed');
    this.region.destroy();
    return ZX_OK;
  }

  /**
   * zx_vmar_map past the handle lookups (Zircon's vmar_map_common, then its dispatcher's Map and
   * CreateVmMapping): `vmarRights` and `vmoRights` are the rights of the two handles.
   */
  map(
    vmarRights: number,
    vmo: VmObjectDispatcher,
    vmoRights: number,
    options: number,
    vmarOffset: bigint,
    vmoOffset: bigint,
    len: bigint,
  ): MapResult | number {
    const object = vmo.vmo;
    // Zircon makes the VMO's stream-size manager first, which VMOs with no stream refuse.
    if ((options & ZX_VM_FAULT_BEYOND_STREAM_SIZE) !== 0 && object.isContiguous) {
      return because(ZX_ERR_NOT_SUPPORTED, NO_STREAM);
    }
    if ((vmoRights & ZX_RIGHT_MAP) === 0) {
      return because(ZX_ERR_ACCESS_DENIED, lacksRight, 'vmo', 'ZX_RIGHT_MAP', vmoRights);
    }
    let opts = withoutXom(options);
    if (!isValidProtection(opts)) return because(ZX_ERR_INVALID_ARGS, WRITE_WITHOUT_READ);
    const mapRange = (opts & ZX_VM_MAP_RANGE) !== 0;
    if (mapRange && (opts & ZX_VM_SPECIFIC_OVERWRITE) !== 0) {
      return because(ZX_ERR_INVALID_ARGS, 'ZX_VM_MAP_RANGE with ZX_VM_SPECIFIC_OVERWRITE');
    }
    opts &= ~ZX_VM_MAP_RANGE;
    if ((opts & CAN_MAP_RWX) !== 0) {
      return because(ZX_ERR_INVALID_ARGS, onlyVmars, opts & CAN_MAP_RWX);
    }
    // Each permission needs its right on both handles; what both allow is what protect may
    // grant later.
    const perms = opts & PERM_RWX;
    let canMap = 0;
    for (const perm of [PERM_READ, PERM_WRITE, PERM_EXECUTE]) {
      const right = rightsForPerms(perm);
      const allowed = (vmoRights & right) !== 0 && (vmarRights & right) !== 0;
      if ((perms & perm) !== 0 && !allowed) {
        return because(ZX_ERR_ACCESS_DENIED, lacksPerm, perm, vmarRights, vmoRights);
      }
      if (allowed) canMap |= perm;
    }
    const allowFaults = (opts & ZX_VM_ALLOW_FAULTS) !== 0;
    const beyondStream = (opts & ZX_VM_FAULT_BEYOND_STREAM_SIZE) !== 0;
    if (beyondStream && !allowFaults) {
      return because(ZX_ERR_INVALID_ARGS, 'FAULT_BEYOND_STREAM_SIZE without ZX_VM_ALLOW_FAULTS');
    }
    if (badOptionBits(opts)) return because(ZX_ERR_INVALID_ARGS, badOptions, opts);
    if ((opts & ZX_VM_REQUIRE_NON_RESIZABLE) !== 0 && object.options.resizable) {
      return because(ZX_ERR_NOT_SUPPORTED, 'ZX_VM_REQUIRE_NON_RESIZABLE, and the VMO is resizable');
    }
    if (!allowFaults && object.options.discardable) {
      return because(ZX_ERR_NOT_SUPPORTED, 'a discardable VMO is mapped only with ALLOW_FAULTS');
    }
    const vmarOnly = opts & (ZX_VM_COMPACT | ZX_VM_CAN_MAP_SPECIFIC);
    if (vmarOnly !== 0) return because(ZX_ERR_INVALID_ARGS, onlyVmars, vmarOnly);
    const region = this.region;
    if ((perms & ~region.canMap) !== 0) {
      return because(ZX_ERR_ACCESS_DENIED, cannotMap, perms & ~region.canMap);
    }
    if ((vmoOffset & PAGE_MASK_N) !== 0n) {
      return because(ZX_ERR_INVALID_ARGS, unaligned, 'vmo_offset', vmoOffset);
    }
    const size = roundUpPageU64(len);
    if (size === null) return because(ZX_ERR_OUT_OF_RANGE, roundsPast, 'len', len);
    if (vmoOffset + size > U64_MAX) return because(ZX_ERR_OUT_OF_RANGE, endsPast, vmoOffset, size);
    const placement: Placement = {
      offset: vmarOffset,
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
      Number(vmoOffset >> PAGE_SHIFT_N),
      perms,
      { flags, streamSize: beyondStream ? () => vmo.contentSize : null },
    );
    if (typeof mapping === 'number') return mapping;
    if (mapRange) mapping.mapRange(mapping.base, mapping.end);
    return new MapResult(region, mapping);
  }

  /** zx_vmar_unmap past the handle lookup; `opChildren` lets it destroy sub-VMARs. */
  unmap(addr: bigint, len: bigint, opChildren: boolean): number {
    if ((addr & PAGE_MASK_N) !== 0n) return because(ZX_ERR_INVALID_ARGS, unaligned, 'addr', addr);
    const size = roundUpPageU64(len);
    if (size === null || size === 0n) return because(ZX_ERR_INVALID_ARGS, badLength, 'len', len);
    return this.region.unmap(addr, size, opChildren);
  }

  /**
   * zx_vmar_protect past the handle lookup and the protection check: `options` holds PERM_*
   * bits only (PERM_READ_IF_XOM_UNSUPPORTED already made PERM_READ).
   */
  protect(addr: bigint, len: bigint, options: number, opChildren: boolean): number {
    if ((addr & PAGE_MASK_N) !== 0n) return because(ZX_ERR_INVALID_ARGS, unaligned, 'addr', addr);
    // Unknown bits, VMAR flags and alignments alike.
    if ((options & ~PERM_RWX) !== 0) {
      return because(ZX_ERR_INVALID_ARGS, notPerms, (options & ~PERM_RWX) >>> 0);
    }
    const size = roundUpPageU64(len);
    if (size === null || size === 0n) return because(ZX_ERR_INVALID_ARGS, badLength, 'len', len);
    return this.region.protect(addr, size, options & PERM_RWX, opChildren);
  }

  /** zx_vmar_op_range past the handle lookup. */
  rangeOp(
    op: number,
    addr: bigint,
    len: bigint,
    opChildren: boolean,
    buffer: unknown,
    bufferSize: bigint,
  ): number {
    if (!VMAR_OPS.has(op)) return because(ZX_ERR_INVALID_ARGS, unknownOp, op);
    // No op takes a buffer yet.
    const isNull = buffer === null || buffer === 0 || buffer === 0n;
    if (!isNull || bufferSize !== 0n) {
      return because(
        ZX_ERR_INVALID_ARGS,
        'no ZX_VMAR_OP_* takes a buffer: NULL and 0 are required',
      );
    }
    const size = roundUpPageU64(len);
    if (size === null || size === 0n) return because(ZX_ERR_INVALID_ARGS, badLength, 'size', len);
    if ((addr & PAGE_MASK_N) !== 0n)
      return because(ZX_ERR_INVALID_ARGS, unaligned, 'address', addr);
    return this.region.rangeOp(op, addr, size, opChildren);
  }
}
