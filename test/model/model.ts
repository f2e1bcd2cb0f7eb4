// The model behind test/model/vmo-model.test.ts: VMOs as a program that sees only syscalls
// knows them (a byte array, a size, a content size, committed pages, a discardable state and
// the handles that name them), and the expected status of every call, derived from the rules in
// docs/zircon-notes/vmo-syscalls.md rather than from the kernel's code. The commands that drive
// model and kernel side by side are in ./commands.ts, the kernel side and the checks run after
// every command in ./real.ts.
//
// Memory is modelled exactly (free frames = frames free at the start - committed pages), so the
// model can predict reclamation: when an allocation of n frames finds fewer than n + watermark
// free, the reclaimable discardable VMOs are discarded whole, least recently unlocked first,
// never the VMO that allocates and never one without pages (it has no trigger page, §10), until
// enough is free; ZX_ERR_NO_MEMORY when even that is not enough.
//
// Extension points, for when the model grows children and mappings:
// - ModelVmo.bytes / committed: a snapshot child copies `bytes` at creation and starts with no
//   committed pages of its own; a slice must alias its parent's storage (make it a view into
//   the parent's `bytes` and count its pages on the parent). `Model.pagesCommitted` is the one
//   place that sums pages for the memory accounting; teach it about sharing there (and make
//   `verify` in ./real.ts compare scaled rather than plain committed bytes).
// - ModelVmo.alive: today a VMO dies with its last handle (`Model.close`); children keep their
//   parent alive and mappings keep their VMO alive: extend `Model.releaseIfUnused`.
// - Model.lookup is the only handle lookup; new syscalls should go through it so the status
//   order (BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED) stays in one place.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RIGHT_WRITE,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_RESIZABLE,
  ZX_VMO_UNBOUNDED,
} from '../../src/abi/constants.ts';

export const PAGE = 4096;
const PAGE_N = 4096n;
export const U64_MAX = (1n << 64n) - 1n;
/** VmObject::MAX_SIZE of the era-A kernel (notes §0.1). */
export const VMO_MAX_SIZE = 0xffff_ffff_fffe_0000n;
/** sizeof(zx_vmo_lock_state_t). */
export const LOCK_STATE_SIZE = 32;

/** The discardable state of a VMO (Zircon's DiscardableVmoTracker states). */
export type DiscardState = 'unset' | 'locked' | 'reclaimable' | 'discarded';

export function roundUp(value: bigint): bigint {
  return (value + PAGE_N - 1n) & ~(PAGE_N - 1n);
}

export class ModelVmo {
  readonly id: number;
  readonly resizable: boolean;
  readonly discardable: boolean;
  /** Every byte of the VMO; its length is the VMO size. */
  bytes: Uint8Array;
  /** Indices of the pages that hold a frame. */
  readonly committed = new Set<number>();
  /** The stream (content) size. */
  contentSize: bigint;
  lockCount = 0;
  state: DiscardState = 'unset';
  /** Times reclamation took the pages (ZX_INFO_VMO committed_change_events). */
  changeEvents = 0;
  handleCount = 0;
  alive = true;

  constructor(id: number, size: number, contentSize: bigint, options: number) {
    this.id = id;
    this.bytes = new Uint8Array(size);
    this.contentSize = contentSize;
    this.resizable = (options & ZX_VMO_RESIZABLE) !== 0;
    this.discardable = (options & ZX_VMO_DISCARDABLE) !== 0;
  }

  get size(): number {
    return this.bytes.length;
  }

  get sizeBig(): bigint {
    return BigInt(this.bytes.length);
  }

  /** Pages of [start, end) that hold no frame. */
  missing(start: number, end: number): number {
    let count = 0;
    for (let page = start; page < end; page++) if (!this.committed.has(page)) count++;
    return count;
  }
}

export interface ModelHandle {
  /** The handle value the kernel gave out. */
  readonly value: number;
  /** The VMO it names, or null for a handle to another kind of object. */
  readonly vmo: ModelVmo | null;
  readonly rights: number;
  open: boolean;
}

export interface LockResult {
  status: number;
  /** zx_vmo_lock_state_t.discarded_size on success. */
  discardedSize?: bigint;
}

export class Model {
  readonly baseFreeFrames: number;
  readonly watermarkFrames: number;
  /** Every VMO handle ever given out, closed ones included (they must stay BAD_HANDLE). */
  readonly handles: ModelHandle[] = [];
  /** Handles to objects that are not VMOs (process, job, root VMAR, resource). */
  readonly foreign: ModelHandle[] = [];
  /** Live VMOs. */
  readonly vmos: ModelVmo[] = [];
  /** Reclaimable discardable VMOs, least recently unlocked first. */
  readonly reclaimList: ModelVmo[] = [];
  /** VMOs discarded by reclamation so far. */
  discards = 0;
  private nextId = 1;

  constructor(baseFreeFrames: number, watermarkFrames: number) {
    this.baseFreeFrames = baseFreeFrames;
    this.watermarkFrames = watermarkFrames;
  }

  pagesCommitted(filter?: (vmo: ModelVmo) => boolean): number {
    let total = 0;
    for (const vmo of this.vmos)
      if (filter === undefined || filter(vmo)) total += vmo.committed.size;
    return total;
  }

  get freeFrames(): number {
    return this.baseFreeFrames - this.pagesCommitted();
  }

  // --- memory -------------------------------------------------------------------------------

  /** Whether `count` frames can be allocated for `exclude`, reclaiming as the kernel must. */
  ensureFree(count: number, exclude: ModelVmo): boolean {
    if (count <= 0) return true;
    const wanted = count + this.watermarkFrames;
    if (this.freeFrames < wanted) {
      for (const vmo of [...this.reclaimList]) {
        if (this.freeFrames >= wanted) break;
        if (vmo === exclude || vmo.committed.size === 0) continue;
        this.discard(vmo);
      }
    }
    return this.freeFrames >= count;
  }

  discard(vmo: ModelVmo): void {
    this.discards++;
    vmo.changeEvents++;
    vmo.committed.clear();
    vmo.bytes.fill(0);
    vmo.state = 'discarded';
    this.removeFromReclaim(vmo);
  }

  private removeFromReclaim(vmo: ModelVmo): void {
    const at = this.reclaimList.indexOf(vmo);
    if (at >= 0) this.reclaimList.splice(at, 1);
  }

  private commitPages(vmo: ModelVmo, start: number, end: number): number {
    if (!this.ensureFree(vmo.missing(start, end), vmo)) return ZX_ERR_NO_MEMORY;
    for (let page = start; page < end; page++) vmo.committed.add(page);
    return ZX_OK;
  }

  private dropPages(vmo: ModelVmo, start: number, end: number): void {
    for (const page of [...vmo.committed])
      if (page >= start && page < end) vmo.committed.delete(page);
    vmo.bytes.fill(0, start * PAGE, Math.min(end * PAGE, vmo.size));
  }

  /**
   * Zeroes [start, end) as ZERO does (§7.4): whole pages are decommitted, partial pages zeroed
   * in place; a partial page of a discarded VMO is NOT_FOUND (§7.5), before anything changes.
   */
  private zeroRange(vmo: ModelVmo, start: bigint, end: bigint): number {
    if (start >= end) return ZX_OK;
    const s = Number(start);
    const e = Number(end);
    const first = Math.floor(s / PAGE);
    const last = Math.floor((e - 1) / PAGE);
    const partial = (page: number) => page * PAGE < s || (page + 1) * PAGE > e;
    if (vmo.state === 'discarded' && (partial(first) || partial(last))) return ZX_ERR_NOT_FOUND;
    vmo.bytes.fill(0, s, e);
    for (let page = first; page <= last; page++) if (!partial(page)) vmo.committed.delete(page);
    return ZX_OK;
  }

  // --- handles ------------------------------------------------------------------------------

  /** Handle lookup in Zircon's order (§0.2): the VMO, or a status. */
  lookup(handle: ModelHandle, rights: number): ModelVmo | number {
    if (!handle.open) return ZX_ERR_BAD_HANDLE;
    if (handle.vmo === null) return ZX_ERR_WRONG_TYPE;
    if ((handle.rights & rights) !== rights) return ZX_ERR_ACCESS_DENIED;
    return handle.vmo;
  }

  addHandle(value: number, vmo: ModelVmo, rights: number): ModelHandle {
    const handle: ModelHandle = { value, vmo, rights, open: true };
    vmo.handleCount++;
    this.handles.push(handle);
    return handle;
  }

  anyOpenHandle(vmo: ModelVmo, rights = 0): ModelHandle | undefined {
    return this.handles.find((h) => h.open && h.vmo === vmo && (h.rights & rights) === rights);
  }

  // --- syscalls: each returns the expected status and, when the kernel would change state,
  // --- applies the change ------------------------------------------------------------------

  /** zx_vmo_create (§1): the new VMO on success (its handle is added by the caller). */
  create(size: bigint, options: number): ModelVmo | number {
    if ((options & ZX_VMO_RESIZABLE) !== 0 && (options & ZX_VMO_UNBOUNDED) !== 0) {
      return ZX_ERR_INVALID_ARGS;
    }
    const rounded = roundUp(size);
    if (rounded > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
    if ((options & ~(ZX_VMO_RESIZABLE | ZX_VMO_DISCARDABLE | ZX_VMO_UNBOUNDED)) !== 0) {
      return ZX_ERR_INVALID_ARGS;
    }
    if (rounded > VMO_MAX_SIZE) return ZX_ERR_OUT_OF_RANGE;
    const vmo = new ModelVmo(this.nextId++, Number(rounded), size, options);
    this.vmos.push(vmo);
    return vmo;
  }

  /** zx_vmo_read (§2): the status, and the bytes on success. */
  read(
    handle: ModelHandle,
    offset: bigint,
    length: bigint,
  ): { status: number; bytes?: Uint8Array } {
    const vmo = this.lookup(handle, ZX_RIGHT_READ);
    if (typeof vmo === 'number') return { status: vmo };
    const end = offset + length;
    if (end > U64_MAX || end > vmo.sizeBig) return { status: ZX_ERR_OUT_OF_RANGE };
    if (length === 0n) return { status: ZX_OK, bytes: new Uint8Array(0) };
    if (vmo.state === 'discarded') return { status: ZX_ERR_NOT_FOUND };
    return { status: ZX_OK, bytes: vmo.bytes.slice(Number(offset), Number(end)) };
  }

  /** zx_vmo_write (§2). */
  write(handle: ModelHandle, offset: bigint, data: Uint8Array, length: bigint): number {
    const vmo = this.lookup(handle, ZX_RIGHT_WRITE);
    if (typeof vmo === 'number') return vmo;
    const end = offset + length;
    if (end > U64_MAX || end > vmo.sizeBig) return ZX_ERR_OUT_OF_RANGE;
    if (length === 0n) return ZX_OK;
    if (vmo.state === 'discarded') return ZX_ERR_NOT_FOUND;
    const s = Number(offset);
    const e = Number(end);
    const status = this.commitPages(vmo, Math.floor(s / PAGE), Math.ceil(e / PAGE));
    if (status !== ZX_OK) return status;
    vmo.bytes.set(data.subarray(0, e - s), s);
    return ZX_OK;
  }

  /** zx_vmo_set_size (§4). */
  setSize(handle: ModelHandle, size: bigint): number {
    const vmo = this.lookup(handle, ZX_RIGHT_WRITE);
    if (typeof vmo === 'number') return vmo;
    if (vmo.resizable && (handle.rights & ZX_RIGHT_RESIZE) === 0) return ZX_ERR_ACCESS_DENIED;
    const rounded = roundUp(size);
    if (rounded > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
    if (!vmo.resizable) return ZX_ERR_UNAVAILABLE;
    if (rounded > VMO_MAX_SIZE) return ZX_ERR_OUT_OF_RANGE;
    const pages = Number(rounded) / PAGE;
    this.dropPages(vmo, pages, Number.MAX_SAFE_INTEGER);
    const bytes = new Uint8Array(Number(rounded));
    bytes.set(vmo.bytes.subarray(0, Math.min(vmo.size, bytes.length)));
    // The tail of the last page reads as zero, grown or shrunk.
    bytes.fill(0, Number(size));
    vmo.bytes = bytes;
    vmo.contentSize = size;
    return ZX_OK;
  }

  /** zx_vmo_get_stream_size (§5a): no rights needed. */
  getStreamSize(handle: ModelHandle): { status: number; size?: bigint } {
    const vmo = this.lookup(handle, 0);
    return typeof vmo === 'number' ? { status: vmo } : { status: ZX_OK, size: vmo.contentSize };
  }

  /** zx_vmo_set_stream_size (§5b): the VMO is never resized; the bytes past it read zero. */
  setStreamSize(handle: ModelHandle, size: bigint): number {
    const vmo = this.lookup(handle, ZX_RIGHT_WRITE);
    if (typeof vmo === 'number') return vmo;
    if (size === vmo.contentSize) return ZX_OK;
    if (size > vmo.sizeBig) return ZX_ERR_OUT_OF_RANGE;
    const from = size < vmo.contentSize ? size : vmo.contentSize;
    const status = this.zeroRange(vmo, from, vmo.sizeBig);
    if (status !== ZX_OK) return status;
    vmo.contentSize = size;
    return ZX_OK;
  }

  /** ZX_VMO_OP_COMMIT (§7.2): rounded out to pages. */
  commit(handle: ModelHandle, offset: bigint, length: bigint): number {
    const vmo = this.lookup(handle, ZX_RIGHT_WRITE);
    if (typeof vmo === 'number') return vmo;
    const end = offset + length;
    if (end > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
    const roundedEnd = roundUp(end);
    if (roundedEnd > U64_MAX || roundedEnd > vmo.sizeBig) return ZX_ERR_OUT_OF_RANGE;
    const start = Number(offset / PAGE_N);
    const stop = Number(roundedEnd / PAGE_N);
    if (start === stop) return ZX_OK;
    if (vmo.state === 'discarded') return ZX_ERR_NOT_FOUND;
    return this.commitPages(vmo, start, stop);
  }

  /** ZX_VMO_OP_DECOMMIT (§7.3). */
  decommit(handle: ModelHandle, offset: bigint, length: bigint): number {
    const vmo = this.lookup(handle, ZX_RIGHT_WRITE);
    if (typeof vmo === 'number') return vmo;
    const end = offset + length;
    if (end > U64_MAX || end > vmo.sizeBig) return ZX_ERR_OUT_OF_RANGE;
    if (length === 0n) return ZX_OK;
    if (offset % PAGE_N !== 0n || length % PAGE_N !== 0n) return ZX_ERR_INVALID_ARGS;
    this.dropPages(vmo, Number(offset / PAGE_N), Number(end / PAGE_N));
    return ZX_OK;
  }

  /** ZX_VMO_OP_ZERO (§7.4): a zero length is OK at any offset. */
  zero(handle: ModelHandle, offset: bigint, length: bigint): number {
    const vmo = this.lookup(handle, ZX_RIGHT_WRITE);
    if (typeof vmo === 'number') return vmo;
    if (length === 0n) return ZX_OK;
    const end = offset + length;
    if (end > U64_MAX || end > vmo.sizeBig) return ZX_ERR_OUT_OF_RANGE;
    return this.zeroRange(vmo, offset, end);
  }

  /** The checks LOCK, TRY_LOCK and UNLOCK share (§7.5 steps 1-4). */
  private lockTarget(handle: ModelHandle, offset: bigint, length: bigint): ModelVmo | number {
    const vmo = this.lookup(handle, 0);
    if (typeof vmo === 'number') return vmo;
    if ((handle.rights & (ZX_RIGHT_READ | ZX_RIGHT_WRITE)) === 0) return ZX_ERR_ACCESS_DENIED;
    if (!vmo.discardable) return ZX_ERR_NOT_SUPPORTED;
    if (offset + length > U64_MAX) return ZX_ERR_OUT_OF_RANGE;
    if (offset !== 0n || length !== vmo.sizeBig) return ZX_ERR_OUT_OF_RANGE;
    return vmo;
  }

  private takeLock(vmo: ModelVmo): boolean {
    const wasDiscarded = vmo.state === 'discarded';
    if (vmo.lockCount++ === 0) {
      this.removeFromReclaim(vmo);
      vmo.state = 'locked';
    }
    return wasDiscarded;
  }

  private dropLock(vmo: ModelVmo): void {
    if (--vmo.lockCount === 0) {
      vmo.state = 'reclaimable';
      this.reclaimList.push(vmo);
    }
  }

  /**
   * ZX_VMO_OP_LOCK. `buffer` describes what the caller passes: a host array of `hostBytes`
   * bytes (null for a NULL buffer) and `bufferSize`. The lock is taken first and given back
   * when the state cannot be copied out (§7.5 steps 6-7).
   */
  lock(
    handle: ModelHandle,
    offset: bigint,
    length: bigint,
    hostBytes: number | null,
    bufferSize: number,
  ): LockResult {
    const vmo = this.lockTarget(handle, offset, length);
    if (typeof vmo === 'number') return { status: vmo };
    const wasDiscarded = this.takeLock(vmo);
    let status = ZX_OK;
    if (bufferSize < LOCK_STATE_SIZE || hostBytes === null) status = ZX_ERR_INVALID_ARGS;
    else if (hostBytes < LOCK_STATE_SIZE) status = ZX_ERR_NOT_FOUND;
    if (status !== ZX_OK) {
      this.dropLock(vmo);
      return { status };
    }
    return { status, discardedSize: wasDiscarded ? vmo.sizeBig : 0n };
  }

  tryLock(handle: ModelHandle, offset: bigint, length: bigint): number {
    const vmo = this.lockTarget(handle, offset, length);
    if (typeof vmo === 'number') return vmo;
    if (vmo.state === 'discarded') return ZX_ERR_UNAVAILABLE;
    this.takeLock(vmo);
    return ZX_OK;
  }

  unlock(handle: ModelHandle, offset: bigint, length: bigint): number {
    const vmo = this.lockTarget(handle, offset, length);
    if (typeof vmo === 'number') return vmo;
    if (vmo.lockCount === 0) return ZX_ERR_BAD_STATE;
    this.dropLock(vmo);
    return ZX_OK;
  }

  /** zx_handle_duplicate: the new rights on success (the caller adds the handle). */
  duplicate(handle: ModelHandle, rights: number): { status: number; rights?: number } {
    if (!handle.open) return { status: ZX_ERR_BAD_HANDLE };
    if ((handle.rights & ZX_RIGHT_DUPLICATE) === 0) return { status: ZX_ERR_ACCESS_DENIED };
    if (rights === ZX_RIGHT_SAME_RIGHTS) return { status: ZX_OK, rights: handle.rights };
    if ((rights & ~handle.rights) !== 0) return { status: ZX_ERR_INVALID_ARGS };
    return { status: ZX_OK, rights };
  }

  /** zx_handle_close: the VMO goes with its last handle, and its pages with it. */
  close(handle: ModelHandle): number {
    if (!handle.open) return ZX_ERR_BAD_HANDLE;
    handle.open = false;
    if (handle.vmo !== null) {
      handle.vmo.handleCount--;
      this.releaseIfUnused(handle.vmo);
    }
    return ZX_OK;
  }

  private releaseIfUnused(vmo: ModelVmo): void {
    if (vmo.handleCount > 0 || !vmo.alive) return;
    vmo.alive = false;
    vmo.committed.clear();
    this.removeFromReclaim(vmo);
    this.vmos.splice(this.vmos.indexOf(vmo), 1);
  }
}
