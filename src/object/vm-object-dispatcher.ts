// VmObjectDispatcher: the kernel object behind a VMO handle, named as Zircon names it. It wraps
// a VmObject (paged or physical) and adds what belongs to the handle-visible object: the
// content (stream) size, the ZX_VMO_ZERO_CHILDREN signal, and the operations the zx_vmo_*
// syscalls call once they have checked their arguments and rights, each one a method here as
// in Zircon's dispatcher. The VMO lives while a handle or a mapping needs it; its children do
// not keep it alive (when it goes they are re-homed to its parent), but the pages they see stay
// as long as they do.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_DISCARDABLE,
  ZX_INFO_VMO_IMMUTABLE,
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_INFO_VMO_RESIZABLE,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_TYPE_PHYSICAL,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_CACHE_CLEAN,
  ZX_VMO_OP_CACHE_CLEAN_INVALIDATE,
  ZX_VMO_OP_CACHE_INVALIDATE,
  ZX_VMO_OP_CACHE_SYNC,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_TRY_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
  ZX_VMO_ZERO_CHILDREN,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import { encodeZxVmoLockState, ZX_VMO_LOCK_STATE_SIZE, type ZxInfoVmo } from '../abi/structs.ts';
import { because, hex } from '../util/reason.ts';
import { PAGE_SHIFT_N, roundUpPageU64 } from '../util/u64.ts';
import { pagerStreamSize } from '../vm/pager-dirty.ts';
import { hintPagerRange } from '../vm/pager-eviction.ts';
import { isPagerBacked, pageSourceOf } from '../vm/pager-vmo.ts';
import type { SnapshotType, UserTransfer, VmObject } from '../vm/vm-object.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';
import { Dispatcher } from './dispatcher.ts';
import type { Koid } from './types.ts';

/** A content (stream) size, shared by a VMO and its references. */
export class ContentSize {
  value: bigint;

  constructor(value: bigint) {
    this.value = value;
  }
}

/** zx_info_vmo_t as the kernel fills it, with the name as raw bytes (as Zircon keeps names). */
export type VmoInfo = Omit<ZxInfoVmo, 'name'> & { readonly name: Uint8Array };

/**
 * The zx_info_vmo_t of `vmo` reached as `via` (ZX_INFO_VMO_VIA_HANDLE with the handle's rights,
 * or ZX_INFO_VMO_VIA_MAPPING with rights 0): Zircon's VmoToInfoEntry.
 */
export function vmoToInfoEntry(vmo: VmObject, via: number, rights: number): VmoInfo {
  let flags = vmo.isPaged ? ZX_INFO_VMO_TYPE_PAGED : ZX_INFO_VMO_TYPE_PHYSICAL;
  if (vmo.isResizable) flags |= ZX_INFO_VMO_RESIZABLE;
  if (vmo.options.discardable) flags |= ZX_INFO_VMO_DISCARDABLE;
  if (vmo.isContiguous) flags |= ZX_INFO_VMO_CONTIGUOUS;
  if (vmo.isCowClone) flags |= ZX_INFO_VMO_IS_COW_CLONE;
  if (isPagerBacked(vmo)) flags |= ZX_INFO_VMO_PAGER_BACKED;
  if (vmo.immutable) flags |= ZX_INFO_VMO_IMMUTABLE;
  const a = vmo.attribution();
  return {
    koid: BigInt(vmo.userId),
    name: vmo.name,
    size_bytes: vmo.sizeBytes,
    parent_koid: BigInt(vmo.parent?.userId ?? 0),
    num_children: BigInt(vmo.childCount),
    num_mappings: BigInt(vmo.mappingCount),
    share_count: BigInt(vmo.shareCount),
    flags: flags | via,
    committed_bytes: a.committedBytes,
    handle_rights: rights,
    cache_policy: vmo.cachePolicy,
    metadata_bytes: BigInt(vmo.heapAllocationBytes()),
    committed_change_events: BigInt(vmo.reclamationEventCount()),
    populated_bytes: a.populatedBytes,
    committed_private_bytes: a.committedPrivateBytes,
    populated_private_bytes: a.populatedPrivateBytes,
    committed_scaled_bytes: a.committedScaledBytes,
    populated_scaled_bytes: a.populatedScaledBytes,
    committed_fractional_scaled_bytes: a.committedFractionalScaledBytes,
    populated_fractional_scaled_bytes: a.populatedFractionalScaledBytes,
  };
}

// Reasons (src/util/reason.ts): each formatter gets the values it prints as arguments.

/** The snapshot kind each ZX_VMO_CHILD_SNAPSHOT* option asks for. */
const SNAPSHOT_TYPES = new Map<number, SnapshotType>([
  [ZX_VMO_CHILD_SNAPSHOT, 'full'],
  [ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE, 'onWrite'],
  [ZX_VMO_CHILD_SNAPSHOT_MODIFIED, 'modified'],
]);

const NO_STREAM = 'a physical or contiguous VMO (it has no stream)';
const PAST_ROOT = "the VMO would end past 2^64 bytes of its copy-on-write tree's root";
const CACHE_INVALIDATE = 'ZX_VMO_OP_CACHE_INVALIDATE needs a kernel with debugging syscalls';
const NO_CHILD_TYPE = 'options names no child type (SNAPSHOT*, SLICE or REFERENCE)';

function roundsPast(size: bigint): string {
  return `size (${hex(size)}) rounds up past 2^64`;
}

function pastSize(size: bigint, vmoSize: bigint): string {
  return `size (${hex(size)}) is past the VMO's size (${hex(vmoSize)})`;
}

function opLacks(op: number, needed: number, rights: number): string {
  const held = rights === 0 ? 'no rights' : nameFlags('rights', rights);
  const wants = nameFlags('rights', needed).replace(' | ', ' or ');
  return `${nameFlags('vmo_op', op)} needs ${wants}; handle has ${held}`;
}

function unknownOp(op: number): string {
  return `op (${op}) is not a ZX_VMO_OP_*`;
}

function smallLockBuffer(size: bigint): string {
  return `buffer_size (${size}) is below sizeof(zx_vmo_lock_state_t) (${ZX_VMO_LOCK_STATE_SIZE})`;
}

/** Option bits that a child of type `kind` may not have with it. */
function besides(extra: number, kind: number): string {
  const names = nameFlags('vmo_child_options', extra);
  return `options has ${names} besides ${nameFlags('vmo_child_options', kind)}`;
}

export class VmObjectDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_VMO;
  private destroyed = false;
  /** The content size; references share their parent's. */
  readonly content: ContentSize;

  readonly vmo: VmObject;

  /**
   * `immutable` marks a SNAPSHOT made with NO_WRITE (Zircon's InitialMutability); zxvm keeps it
   * on the VmObject, so that every zx_info_vmo_t of the VMO reports it.
   */
  constructor(koid: Koid, vmo: VmObject, contentSize: bigint | ContentSize, immutable = false) {
    // ZX_VMO_ZERO_CHILDREN is asserted on every new VMO, children included.
    super(koid, ZX_VMO_ZERO_CHILDREN);
    this.vmo = vmo;
    vmo.userId = koid;
    vmo.immutable = immutable;
    vmo.onLastMappingGone = () => this.destroyIfUnused();
    vmo.onZeroChildren = () => this.updateSignals(0, ZX_VMO_ZERO_CHILDREN);
    this.content = contentSize instanceof ContentSize ? contentSize : new ContentSize(contentSize);
  }

  /** Physical and contiguous VMOs (and their slices) have no stream. */
  private get hasStream(): boolean {
    return this.vmo.isPaged && !this.vmo.isContiguous;
  }

  /** What zx_vmo_get_stream_size and ZX_PROP_VMO_CONTENT_SIZE report: 0 without a stream. */
  get streamSize(): bigint {
    return this.hasStream ? this.contentSize : 0n;
  }

  get contentSize(): bigint {
    return this.content.value;
  }

  set contentSize(value: bigint) {
    this.content.value = value;
  }

  /** The koid of the parent VMO (the one its children were re-homed to), or 0. */
  get parentKoid(): Koid {
    return (this.vmo.parent?.userId ?? 0) as Koid;
  }

  /** ZX_INFO_VMO through a handle with `rights`. */
  getVmoInfo(rights: number): VmoInfo {
    return vmoToInfoEntry(this.vmo, ZX_INFO_VMO_VIA_HANDLE, rights);
  }

  /**
   * zx_vmo_read: `offset` and `length` both numbers (sum exact) or both bigints; `copy` is the
   * syscall's copy loop, given `user` and `buffer` as they are.
   */
  read<U, B>(
    offset: number | bigint,
    length: number | bigint,
    copy: UserTransfer<U, B>,
    user: U,
    buffer: B,
  ): number {
    return this.vmo.readUser(offset, length, copy, user, buffer);
  }

  /** zx_vmo_write, as read. */
  write<U, B>(
    offset: number | bigint,
    length: number | bigint,
    copy: UserTransfer<U, B>,
    user: U,
    buffer: B,
  ): number {
    return this.vmo.writeUser(offset, length, copy, user, buffer);
  }

  /**
   * zx_vmo_set_size: rounds up to pages, zeroes the tail of the last page (a failure there is
   * ignored, as in Zircon) and sets the content size to exactly `size`.
   */
  setSize(size: bigint): number {
    if (!this.hasStream) return because(ZX_ERR_UNAVAILABLE, NO_STREAM);
    const rounded = roundUpPageU64(size);
    if (rounded === null) return because(ZX_ERR_OUT_OF_RANGE, roundsPast, size);
    const status = this.vmo.resize(rounded);
    // The copy-on-write node refuses growth past 2^64 bytes of its root without saying why.
    if (status === ZX_ERR_INVALID_ARGS) return because(status, PAST_ROOT);
    if (status !== ZX_OK) return status;
    if (size < rounded) this.vmo.zero(size, rounded);
    this.contentSize = size;
    return ZX_OK;
  }

  /**
   * zx_vmo_set_stream_size: never resizes; zeroes from the lower of the old and new stream
   * sizes to the end of the VMO, so bytes past the stream always read as zero.
   */
  setStreamSize(size: bigint): number {
    if (!this.hasStream) return because(ZX_ERR_NOT_SUPPORTED, NO_STREAM);
    if (size === this.contentSize) return ZX_OK;
    const vmo = this.vmo;
    if (size > vmo.sizeBytes) return because(ZX_ERR_OUT_OF_RANGE, pastSize, size, vmo.sizeBytes);
    const from = size < this.contentSize ? size : this.contentSize;
    const source = pageSourceOf(vmo);
    // A pager's pages past the stream size are untracked zeros (pager-dirty.ts): only the
    // partial page is zeroed here.
    const to = source === null ? vmo.sizeBytes : (roundUpPageU64(from) ?? vmo.sizeBytes);
    if (from < to && from < vmo.sizeBytes) {
      const status = vmo.zero(from, to < vmo.sizeBytes ? to : vmo.sizeBytes);
      if (status !== ZX_OK) return status;
    }
    if (source !== null) pagerStreamSize(vmo as VmObjectPaged, this.contentSize, size);
    // As upstream, every mapping (through any VMO showing these pages) lets go of them from
    // the page of the lower size on: a FAULT_BEYOND_STREAM_SIZE mapping then faults past the
    // new size (OUT_OF_RANGE), also where it had mapped a page while the stream was larger.
    (vmo as VmObjectPaged).unmapShared(Number(from >> PAGE_SHIFT_N), vmo.sizePages);
    this.contentSize = size;
    return ZX_OK;
  }

  /** The name lives on the VmObject, where children and the VM layer see it. */
  override getName(): Uint8Array {
    return this.vmo.name;
  }

  override setName(name: Uint8Array): boolean {
    this.vmo.name = name.slice();
    return true;
  }

  /**
   * ZX_PROP_VMO_CONTENT_SIZE set: the 2025 kernel takes any value, even past the VMO's end, and
   * zeroes what lies past it (a failure there is ignored, as in Zircon).
   */
  setContentSize(size: bigint): number {
    if (!this.hasStream) return because(ZX_ERR_NOT_SUPPORTED, NO_STREAM);
    const vmo = this.vmo;
    if (size < vmo.sizeBytes) vmo.zero(size, vmo.sizeBytes);
    this.contentSize = size;
    return ZX_OK;
  }

  /**
   * zx_vmo_op_range once the handle is known to be a VMO: each op checks the rights it needs
   * first (none for the hints), then the VMO checks the range. Only LOCK uses the buffer: it
   * must hold `bufferSize` bytes, and `copyOut` stores the zx_vmo_lock_state_t there.
   */
  rangeOp(
    op: number,
    offset: bigint,
    size: bigint,
    bufferSize: bigint,
    rights: number,
    copyOut: (bytes: Uint8Array) => number,
  ): number {
    const vmo = this.vmo;
    const has = (needed: number): boolean => (rights & needed) !== 0;
    // The op's right, missing: ZX_ERR_ACCESS_DENIED, with the reason.
    const denied = (needed: number): number =>
      because(ZX_ERR_ACCESS_DENIED, opLacks, op, needed, rights);
    switch (op) {
      case ZX_VMO_OP_COMMIT:
        return has(ZX_RIGHT_WRITE) ? vmo.commitRange(offset, size) : denied(ZX_RIGHT_WRITE);
      case ZX_VMO_OP_DECOMMIT:
        return has(ZX_RIGHT_WRITE) ? vmo.decommitRange(offset, size) : denied(ZX_RIGHT_WRITE);
      case ZX_VMO_OP_ZERO:
        return has(ZX_RIGHT_WRITE) ? vmo.zeroRange(offset, size) : denied(ZX_RIGHT_WRITE);
      case ZX_VMO_OP_LOCK:
        if (!has(ZX_RIGHT_READ | ZX_RIGHT_WRITE)) return denied(ZX_RIGHT_READ | ZX_RIGHT_WRITE);
        return this.lock(offset, size, bufferSize, copyOut);
      case ZX_VMO_OP_TRY_LOCK:
        if (!has(ZX_RIGHT_READ | ZX_RIGHT_WRITE)) return denied(ZX_RIGHT_READ | ZX_RIGHT_WRITE);
        return vmo.tryLockRange(offset, size);
      case ZX_VMO_OP_UNLOCK:
        if (!has(ZX_RIGHT_READ | ZX_RIGHT_WRITE)) return denied(ZX_RIGHT_READ | ZX_RIGHT_WRITE);
        return vmo.unlockRange(offset, size);
      case ZX_VMO_OP_CACHE_SYNC:
      case ZX_VMO_OP_CACHE_CLEAN:
      case ZX_VMO_OP_CACHE_CLEAN_INVALIDATE:
        return has(ZX_RIGHT_READ) ? vmo.cacheOp(offset, size) : denied(ZX_RIGHT_READ);
      case ZX_VMO_OP_CACHE_INVALIDATE:
        // Only kernels booted with kernel.enable-debugging-syscalls allow it.
        return because(ZX_ERR_NOT_SUPPORTED, CACHE_INVALIDATE);
      case ZX_VMO_OP_DONT_NEED: {
        const status = vmo.hintRange(offset, size);
        if (status === ZX_OK) hintPagerRange(vmo, offset, size, false);
        return status;
      }
      case ZX_VMO_OP_ALWAYS_NEED: {
        // A pager-backed VMO fetches the pages it is told it will need (and waits for them).
        let status = vmo.hintRange(offset, size);
        if (status !== ZX_OK || !isPagerBacked(vmo)) return status;
        status = vmo.prefetchRange(offset, size);
        if (status === ZX_OK) hintPagerRange(vmo, offset, size, true);
        return status;
      }
      case ZX_VMO_OP_PREFETCH:
        return has(ZX_RIGHT_READ) ? vmo.prefetchRange(offset, size) : denied(ZX_RIGHT_READ);
      default:
        return because(ZX_ERR_INVALID_ARGS, unknownOp, op);
    }
  }

  /** LOCK takes the lock first and gives it back if the state cannot be copied out. */
  private lock(
    offset: bigint,
    size: bigint,
    bufferSize: bigint,
    copyOut: (bytes: Uint8Array) => number,
  ): number {
    const vmo = this.vmo;
    const locked = vmo.lockRange(offset, size);
    if (typeof locked === 'number') return locked;
    if (bufferSize < BigInt(ZX_VMO_LOCK_STATE_SIZE)) {
      vmo.unlockRange(offset, size);
      return because(ZX_ERR_INVALID_ARGS, smallLockBuffer, bufferSize);
    }
    const state = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
    encodeZxVmoLockState(new DataView(state.buffer), 0, {
      offset,
      size,
      discarded_offset: 0n,
      discarded_size: locked.discarded ? size : 0n,
    });
    const status = copyOut(state);
    if (status !== ZX_OK) vmo.unlockRange(offset, size);
    return status;
  }

  /** zx_vmo_set_cache_policy, with a policy inside ZX_CACHE_POLICY_MASK. */
  setMappingCachePolicy(policy: number): number {
    return this.vmo.setMappingCachePolicy(policy);
  }

  /**
   * The VMO of a zx_vmo_create_child (NO_WRITE already taken out of `options`; `size` page
   * aligned), or a status. A discardable VMO has no children, whatever the options; then
   * exactly one kind of child: a SLICE alone, a REFERENCE (maybe RESIZABLE), or the first
   * snapshot type present (maybe RESIZABLE; a second type is left over, and refused).
   * ZX_VMO_ZERO_CHILDREN drops once the child exists.
   */
  createChild(options: number, offset: bigint, size: bigint, copyName: boolean) {
    const vmo = this.vmo;
    if (vmo.options.discardable) {
      return because(ZX_ERR_NOT_SUPPORTED, 'a discardable VMO has no children');
    }
    const resizable = (options & ZX_VMO_CHILD_RESIZABLE) !== 0;
    let child: VmObject | number;
    if ((options & ZX_VMO_CHILD_SLICE) !== 0) {
      if (options !== ZX_VMO_CHILD_SLICE)
        return because(
          ZX_ERR_INVALID_ARGS,
          besides,
          options & ~ZX_VMO_CHILD_SLICE,
          ZX_VMO_CHILD_SLICE,
        );
      child = vmo.createChildSlice(offset, size, copyName);
    } else if ((options & ZX_VMO_CHILD_REFERENCE) !== 0) {
      const extra = options & ~(ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_RESIZABLE);
      if (extra !== 0) return because(ZX_ERR_INVALID_ARGS, besides, extra, ZX_VMO_CHILD_REFERENCE);
      child = vmo.createChildReference(resizable, offset, size, copyName);
    } else {
      const type = [
        ZX_VMO_CHILD_SNAPSHOT,
        ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
        ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
      ].find((bit) => (options & bit) !== 0);
      if (type === undefined) return because(ZX_ERR_INVALID_ARGS, NO_CHILD_TYPE);
      const extra = options & ~(type | ZX_VMO_CHILD_RESIZABLE);
      if (extra !== 0) return because(ZX_ERR_INVALID_ARGS, besides, extra, type);
      child = vmo.createClone(resizable, offset, size, copyName, SNAPSHOT_TYPES.get(type));
    }
    if (typeof child !== 'number') this.updateSignals(ZX_VMO_ZERO_CHILDREN, 0);
    return child;
  }

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  override onZeroHandles(): void {
    this.destroyIfUnused();
  }

  /** Frees the VMO once no handle and no mapping refers to it. */
  destroyIfUnused(): void {
    if (this.destroyed || this.handleCount > 0 || this.vmo.mappingCount > 0) return;
    this.destroyed = true;
    this.vmo.destroy();
  }
}
