// VmMapping: a window of a VMO in an address space. Page `vmoPage` of the VMO appears at
// `base`, and so on for `size` bytes. The mapping carries protection ranges (2025 Zircon no
// longer splits a mapping to protect part of it) and resolves page faults: a read fault maps
// what the VMO shows there (the shared zero page for content never written) without write
// access; a write fault asks the VMO for a page of its own and maps that writable. As the
// VMO's PageObserver it drops translations when pages go away and write access when pages
// become shared, so that no access ever reaches a freed or shared frame.

import { ZX_ERR_ACCESS_DENIED, ZX_ERR_OUT_OF_RANGE, ZX_OK } from '../abi/constants.ts';
import { assert } from '../util/assert.ts';
import { because, hex } from '../util/reason.ts';
import { PAGE_MASK_N, PAGE_SHIFT_N, PAGE_SIZE as SHARED_PAGE_SIZE } from '../util/u64.ts';
import { makePte, PTE_NONE } from './page-table.ts';
import { PERM_READ, PERM_WRITE, VmAddressRegionOrMapping } from './region.ts';
import type { VmAddressRegion } from './vm-address-region.ts';
import type { VmAspace } from './vm-aspace.ts';
import type { PageObserver, VmObject } from './vm-object.ts';

/** PAGE_SIZE as this module's own constant, which V8 folds (see util/u64.ts). */
const PAGE_SIZE = SHARED_PAGE_SIZE;

/** How a mapping was made, beyond its permissions: what must match for two to merge. */
export interface MappingOptions {
  /** ZX_VM_* flags kept with the mapping (SPECIFIC, ALLOW_FAULTS, FAULT_BEYOND_STREAM_SIZE). */
  flags: number;
  /** With ZX_VM_FAULT_BEYOND_STREAM_SIZE: the VMO's stream size, past which faults fail. */
  streamSize: (() => bigint) | null;
}

function deniedAccess(vaddr: number, write: boolean): string {
  return `the mapping at ${hex(vaddr)} may not be ${write ? 'written' : 'read'}`;
}

function pastMappedEnd(vaddr: number, page: number): string {
  return `${hex(vaddr)} shows offset ${hex(page * PAGE_SIZE)} of the VMO, past its end or stream size`;
}

export class VmMapping extends VmAddressRegionOrMapping implements PageObserver {
  readonly isMapping = true;
  readonly vmo: VmObject;
  /** The VMO page shown at `base`. */
  vmoPage: number;
  readonly options: MappingOptions;
  /** Set once the syscall that made it succeeded: only then may it merge with neighbours. */
  mergeable = false;
  readonly announcesTranslations = true;
  /** Set once it installed a translation: from then on the VMO tells it of page changes. */
  private translates = false;
  /** Protection ranges: [starts[i], starts[i + 1] or end) has permissions perms[i]. */
  private starts: number[];
  private perms: number[];
  /** perms[0] while there is one range (the usual case, read by every fault), else -1. */
  private solePerms: number;
  /** options.streamSize, kept here so that a fault reads no other object for it. */
  private readonly streamSize: (() => bigint) | null;
  /** The VMO page a write fault of this mapping is resolving (-1 when none; see fault). */
  private faultingPage = -1;
  /** Whether that fault's own entry was left for the fault to replace. */
  private faultingSkipped = false;

  constructor(
    aspace: VmAspace,
    parent: VmAddressRegion,
    base: number,
    size: number,
    canMap: number,
    vmo: VmObject,
    vmoPage: number,
    perms: number,
    options: MappingOptions,
  ) {
    super(aspace, parent, base, size, canMap);
    this.vmo = vmo;
    this.vmoPage = vmoPage;
    this.options = options;
    this.starts = [base];
    this.perms = [perms];
    this.solePerms = perms;
    this.streamSize = options.streamSize;
    vmo.addMapping(this);
  }

  get basePage(): number {
    return this.base / PAGE_SIZE;
  }

  get pages(): number {
    return this.size / PAGE_SIZE;
  }

  /** The permissions at `addr` (inside the mapping). */
  permsAt(addr: number): number {
    if (this.solePerms >= 0) return this.solePerms;
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= addr) lo = mid;
      else hi = mid - 1;
    }
    return this.perms[lo]!;
  }

  /** The protection ranges that meet [start, end), as [start, end, perms] triples. */
  protectionsIn(start: number, end: number): [number, number, number][] {
    const found: [number, number, number][] = [];
    for (let i = 0; i < this.starts.length; i++) {
      const from = Math.max(this.starts[i]!, start);
      const to = Math.min(i + 1 < this.starts.length ? this.starts[i + 1]! : this.end, end);
      if (from < to) found.push([from, to, this.perms[i]!]);
    }
    return found;
  }

  /** Keeps solePerms in step with the protection ranges. */
  private rangesChanged(): void {
    this.solePerms = this.starts.length === 1 ? this.perms[0]! : -1;
  }

  /**
   * Resolves a fault at virtual page `vpage` (inside the mapping) and installs its page-table
   * entry. ZX_OK, ZX_ERR_ACCESS_DENIED (the protection forbids it), ZX_ERR_OUT_OF_RANGE (past
   * the end of the VMO, or of its stream for FAULT_BEYOND_STREAM_SIZE mappings), or what the
   * VMO answers (ZX_ERR_NOT_FOUND when discarded, ZX_ERR_NO_MEMORY).
   */
  fault(vpage: number, write: boolean): number {
    const perms = this.permsAt(vpage * PAGE_SIZE);
    if ((perms & (write ? PERM_WRITE : PERM_READ)) === 0) {
      return because(ZX_ERR_ACCESS_DENIED, deniedAccess, vpage * PAGE_SIZE, write);
    }
    const page = this.vmoPage + (vpage - this.basePage);
    if (page >= this.vmo.sizePages || page >= this.streamLimitPages()) {
      return because(ZX_ERR_OUT_OF_RANGE, pastMappedEnd, vpage * PAGE_SIZE, page);
    }
    if (!this.translates) {
      this.translates = true;
      this.vmo.translates(this);
    }
    if (!write) {
      const frame = this.vmo.pageForRead(page);
      if (frame < 0) return frame;
      this.aspace.pageTable.set(vpage, makePte(frame, false));
      return ZX_OK;
    }
    // A write that forks the page tells every mapping that its frame changed. This mapping's
    // entry for it is replaced right after, so it is not dropped first: one change of the entry.
    this.faultingPage = page;
    this.faultingSkipped = false;
    const frame = this.vmo.pageForWrite(page);
    this.faultingPage = -1;
    if (frame < 0) {
      if (this.faultingSkipped) this.aspace.pageTable.unmap(vpage, vpage + 1);
      return frame;
    }
    this.aspace.pageTable.set(vpage, makePte(frame, true));
    return ZX_OK;
  }

  /** Pages past the stream size fault for FAULT_BEYOND_STREAM_SIZE mappings. */
  streamLimitPages(): number {
    const streamSize = this.streamSize;
    if (streamSize === null) return Number.POSITIVE_INFINITY;
    return Number((streamSize() + PAGE_MASK_N) >> PAGE_SHIFT_N);
  }

  /** The virtual pages showing VMO pages [start, end): [first, end) or null when none. */
  private vpagesOf(start: number, end: number): [number, number] | null {
    const from = Math.max(start, this.vmoPage);
    const to = Math.min(end, this.vmoPage + this.pages);
    if (from >= to) return null;
    const shift = this.basePage - this.vmoPage;
    return [from + shift, to + shift];
  }

  pagesRemoved(start: number, end: number): void {
    if (start === this.faultingPage && end === start + 1) {
      this.faultingSkipped = true;
      return;
    }
    const range = this.vpagesOf(start, end);
    if (range !== null) this.aspace.pageTable.unmap(range[0], range[1]);
  }

  pagesWriteProtected(start: number, end: number): void {
    const range = this.vpagesOf(start, end);
    if (range !== null) this.aspace.pageTable.protect(range[0], range[1]);
  }

  /** Drops the translations of [start, end) (addresses inside the mapping). */
  unmapTranslations(start: number, end: number): void {
    this.aspace.pageTable.unmap(start / PAGE_SIZE, end / PAGE_SIZE);
  }

  /**
   * Sets the permissions of [start, end) (inside the mapping, within canMap). Taking away
   * read takes the translations away; taking away write makes them read-only. Granting write
   * installs nothing: the next write faults, so copy-on-write still sees it.
   */
  protect(start: number, end: number, perms: number): void {
    assert((perms & ~this.canMap) === 0, 'protecting beyond what the mapping may do');
    const starts: number[] = [];
    const values: number[] = [];
    const push = (from: number, value: number) => {
      if (values.length > 0 && values[values.length - 1] === value) return;
      starts.push(from);
      values.push(value);
    };
    for (let i = 0; i < this.starts.length; i++) {
      const from = this.starts[i]!;
      const to = i + 1 < this.starts.length ? this.starts[i + 1]! : this.end;
      const old = this.perms[i]!;
      if (from < start) push(from, old);
      if (from < end && to > start) push(Math.max(from, start), perms);
      if (to > end) push(Math.max(from, end), old);
    }
    this.starts = starts;
    this.perms = values;
    this.rangesChanged();
    if ((perms & PERM_READ) === 0) this.unmapTranslations(start, end);
    else if ((perms & PERM_WRITE) === 0) {
      this.aspace.pageTable.protect(start / PAGE_SIZE, end / PAGE_SIZE);
    }
  }

  /**
   * Installs read-only translations for the pages of [start, end) that the VMO already holds
   * (MAP_RANGE): nothing is committed, pages never written stay unmapped, pages already
   * translated are left alone. Writes still fault, so copy-on-write stays correct.
   */
  mapRange(start: number, end: number): void {
    const first = this.vmoPage + (start - this.base) / PAGE_SIZE;
    const last = Math.min(
      this.vmoPage + (end - this.base) / PAGE_SIZE,
      this.vmo.sizePages,
      this.streamLimitPages(),
    );
    if (first >= last) return;
    const shift = this.basePage - this.vmoPage;
    const install = (page: number) => {
      const vpage = page + shift;
      const table = this.aspace.pageTable;
      if ((this.permsAt(vpage * PAGE_SIZE) & PERM_READ) === 0) return;
      if (table.get(vpage) !== PTE_NONE) return;
      // Mapping what is there is no access (Zircon's MapRange does not mark pages accessed).
      const frame = this.vmo.pageForRead(page, false);
      if (frame >= 0 && frame !== this.aspace.pmm.zeroFrame) {
        if (!this.translates) {
          this.translates = true;
          this.vmo.translates(this);
        }
        table.set(vpage, makePte(frame, false));
      }
    };
    this.vmo.lookup(first, last, install);
  }

  /** Cuts off everything below `newBase`: the mapping then starts there. */
  trimFront(newBase: number): void {
    assert(newBase > this.base && newBase < this.end, 'trimming outside the mapping');
    this.unmapTranslations(this.base, newBase);
    let keep = 0;
    while (keep + 1 < this.starts.length && this.starts[keep + 1]! <= newBase) keep++;
    this.starts = this.starts.slice(keep);
    this.perms = this.perms.slice(keep);
    this.starts[0] = newBase;
    this.rangesChanged();
    this.vmoPage += (newBase - this.base) / PAGE_SIZE;
    this.size = this.end - newBase;
    this.base = newBase;
    this.parent!.children.resized(this);
  }

  /** Cuts off everything from `newEnd` up. */
  trimBack(newEnd: number): void {
    assert(newEnd > this.base && newEnd < this.end, 'trimming outside the mapping');
    this.unmapTranslations(newEnd, this.end);
    let count = this.starts.length;
    while (count > 1 && this.starts[count - 1]! >= newEnd) count--;
    this.starts.length = count;
    this.perms.length = count;
    this.rangesChanged();
    this.size = newEnd - this.base;
    this.parent!.children.resized(this);
  }

  /**
   * Unmaps [start, end) strictly inside the mapping: this keeps the part below, and a new
   * mapping (returned, already in the parent VMAR) takes the part above.
   */
  splitOut(start: number, end: number): VmMapping {
    assert(start > this.base && end < this.end && start < end, 'split outside the mapping');
    const upper = new VmMapping(
      this.aspace,
      this.parent!,
      end,
      this.end - end,
      this.canMap,
      this.vmo,
      this.vmoPage + (end - this.base) / PAGE_SIZE,
      this.permsAt(end),
      this.options,
    );
    if (this.translates) {
      // The part above keeps the translations there: it must hear of changes too.
      upper.translates = true;
      this.vmo.translates(upper);
    }
    const ranges = this.protectionsIn(end, this.end);
    upper.starts = ranges.map(([from]) => from);
    upper.perms = ranges.map(([, , perms]) => perms);
    upper.rangesChanged();
    upper.mergeable = true;
    this.trimBack(start);
    this.parent!.children.insert(upper);
    return upper;
  }

  /** True when `next` directly follows this mapping in address and VMO offset and may join it. */
  canMergeWith(next: VmMapping): boolean {
    return (
      this.alive &&
      next.alive &&
      this.mergeable &&
      next.mergeable &&
      this.parent === next.parent &&
      this.vmo === next.vmo &&
      this.end === next.base &&
      this.vmoPage + this.pages === next.vmoPage &&
      this.canMap === next.canMap &&
      this.options.flags === next.options.flags &&
      this.options.streamSize === next.options.streamSize
    );
  }

  /** Takes `next` (which canMergeWith approved) into this mapping; `next` is gone after. */
  absorb(next: VmMapping): void {
    const parent = this.parent!;
    const ranges = next.protectionsIn(next.base, next.end);
    parent.children.remove(next);
    next.alive = false;
    this.size += next.size;
    parent.children.resized(this);
    for (const [from, , perms] of ranges) {
      if (this.perms[this.perms.length - 1] === perms) continue;
      this.starts.push(from);
      this.perms.push(perms);
    }
    this.rangesChanged();
    // Its translations stay: they are keyed by address and still right for this mapping.
    if (next.translates && !this.translates) {
      this.translates = true;
      this.vmo.translates(this);
    }
    next.vmo.removeMapping(next);
  }

  /** Unmaps the whole mapping: translations first, then the VMO may go. */
  destroy(): void {
    if (!this.alive) return;
    this.unmapTranslations(this.base, this.end);
    this.alive = false;
    this.parent!.children.remove(this);
    this.vmo.removeMapping(this);
  }
}
