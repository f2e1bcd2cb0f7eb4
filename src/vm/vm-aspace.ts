// VmAspace: one process's address space. It holds the root VMAR (the tree of sub-VMARs and
// mappings) and the page table, and does what the CPU does when the process touches memory:
// translate each page through the page table, and on a miss (or a write to a read-only entry)
// take a page fault, which finds the mapping and asks it to resolve the page. It serves as the
// UserMemory of the process's syscalls, so buffers given as virtual addresses go through the
// same translations and faults.

import { ZX_ERR_NOT_FOUND, ZX_OK } from '../abi/constants.ts';
import { copyFromFrame, copyIntoArena, FrameRunCopier } from '../pmm/frame-runs.ts';
import type { PhysicalMemory } from '../pmm/pmm.ts';
import { hostByteLength } from '../util/host-bytes.ts';
import { because, hex } from '../util/reason.ts';
import { PAGE_SIZE as SHARED_PAGE_SIZE } from '../util/u64.ts';
import { type FaultObserver, observeFault } from './fault-trace.ts';
import { entryFrame, isFrame } from './page-list.ts';
import { PageTable, PTE_NONE, pteFrame, pteWritable } from './page-table.ts';
import { PERM_READ, PERM_RWX, PERM_WRITE } from './region.ts';
import { VmAddressRegion } from './vm-address-region.ts';
import type { VmMapping } from './vm-mapping.ts';
import { VmObjectPaged } from './vm-object-paged.ts';

/** PAGE_SIZE as this module's own constant, which V8 folds (see util/u64.ts). */
const PAGE_SIZE = SHARED_PAGE_SIZE;

/** Addresses at or above this are never mapped (and are not exact as JavaScript numbers). */
const ADDRESS_LIMIT = 2n ** 53n;

function nothingMapped(vaddr: number | bigint): string {
  return `nothing is mapped at ${hex(vaddr)}`;
}

export class VmAspace {
  readonly pmm: PhysicalMemory;
  readonly pageTable = new PageTable();
  /** The root VMAR: the whole user address space, CAN_MAP_SPECIFIC and CAN_MAP_RWX. */
  readonly root: VmAddressRegion;
  /** The mapping the last fault found (faults come in runs). */
  private lastMapping: VmMapping | null = null;
  /** Told of every fault while set (a tracer; see fault-trace.ts); null costs one check. */
  onFault: FaultObserver | null = null;

  constructor(pmm: PhysicalMemory, base: number, size: number) {
    this.pmm = pmm;
    this.root = new VmAddressRegion(this, null, base, size, PERM_RWX, true, false);
  }

  /** The mapping that covers `addr`, or null. */
  findMapping(addr: number): VmMapping | null {
    const cached = this.lastMapping;
    if (cached?.alive && addr >= cached.base && addr < cached.end) return cached;
    let region: VmAddressRegion = this.root;
    if (addr < region.base || addr >= region.end) return null;
    for (;;) {
      const child = region.children.find(addr);
      if (child === null) return null;
      if (child.isMapping) {
        this.lastMapping = child as VmMapping;
        return this.lastMapping;
      }
      region = child as VmAddressRegion;
    }
  }

  /**
   * A page fault at virtual page `vpage`: ZX_OK once the page is translated, or the fault's
   * status (ZX_ERR_NOT_FOUND where nothing is mapped, ZX_ERR_ACCESS_DENIED,
   * ZX_ERR_OUT_OF_RANGE, ...).
   */
  fault(vpage: number, write: boolean): number {
    const observer = this.onFault;
    if (observer !== null) return observeFault(this, observer, vpage, write);
    return this.resolveFault(vpage, write);
  }

  /** The fault itself, told to no one (fault() and the observed path call it). */
  resolveFault(vpage: number, write: boolean): number {
    const mapping = this.findMapping(vpage * PAGE_SIZE);
    if (mapping === null) return because(ZX_ERR_NOT_FOUND, nothingMapped, vpage * PAGE_SIZE);
    return mapping.fault(vpage, write);
  }

  /**
   * Copies `dst.length` bytes at `vaddr` into `dst`, as the CPU would read them. On a fault the
   * bytes before the faulting page have been copied and the fault's status is returned.
   */
  load(vaddr: bigint, dst: Uint8Array): number {
    if (vaddr < ADDRESS_LIMIT) return this.loadAt(Number(vaddr), dst);
    return because(ZX_ERR_NOT_FOUND, nothingMapped, vaddr);
  }

  /**
   * load() at an address that is a safe integer. `dst` may be a caller's array of any realm or
   * subclass: it is touched only through the intrinsic primitives (util/host-bytes.ts). Pages whose frames are adjacent in one arena
   * are copied with one call. A read fault changes no frame (it only looks the page up), so a
   * run may go on across one.
   */
  loadAt(vaddr: number, dst: Uint8Array): number {
    const length = hostByteLength(dst);
    const table = this.pageTable;
    const firstPage = Math.floor(vaddr / PAGE_SIZE);
    const inFirst = vaddr - firstPage * PAGE_SIZE;
    if (length > 0 && inFirst + length <= PAGE_SIZE) {
      // Within one page (the common small access): fault it in if need be, then copy out.
      let pte = table.get(firstPage);
      const accessed = this.pmm.accessed;
      if (pte === PTE_NONE) {
        const status = this.fault(firstPage, false);
        if (status !== ZX_OK) return status;
        pte = table.get(firstPage);
      } else if (accessed !== null) {
        // The accessed bit, as the CPU sets it (the pager evictor harvests it); a fault marks
        // the page's access itself.
        accessed[pteFrame(pte)] = 1;
      }
      copyFromFrame(this.pmm, pteFrame(pte), inFirst, dst, length);
      return ZX_OK;
    }
    let addr = vaddr;
    let done = 0;
    const runs = new FrameRunCopier(this.pmm, dst, true);
    const accessed = this.pmm.accessed;
    let status = ZX_OK;
    while (done < length) {
      const vpage = Math.floor(addr / PAGE_SIZE);
      const inPage = addr - vpage * PAGE_SIZE;
      const chunk = Math.min(PAGE_SIZE - inPage, length - done);
      let pte = table.get(vpage);
      if (pte === PTE_NONE) {
        status = this.fault(vpage, false);
        if (status !== ZX_OK) break;
        pte = table.get(vpage);
      } else if (accessed !== null) accessed[pteFrame(pte)] = 1;
      runs.add(pteFrame(pte), inPage, chunk, done);
      done += chunk;
      addr += chunk;
    }
    runs.flush();
    return status;
  }

  /**
   * Copies `src` to `vaddr`, as the CPU would write it. On a fault the bytes before the
   * faulting page have been written and the fault's status is returned.
   */
  store(vaddr: bigint, src: Uint8Array): number {
    if (vaddr < ADDRESS_LIMIT) return this.storeAt(Number(vaddr), src);
    return because(ZX_ERR_NOT_FOUND, nothingMapped, vaddr);
  }

  /**
   * store() at an address that is a safe integer; `src` may be a caller's array, as for loadAt. Write faults come first, page by page up to
   * the first one that fails; then the bytes go in, runs of pages whose frames are adjacent in
   * one arena with one call. A later fault may have freed or replaced an earlier page's frame
   * (a fork, reclaiming), so each page's entry is looked at again, and faulted again if gone,
   * before its bytes are written.
   */
  storeAt(vaddr: number, src: Uint8Array): number {
    const table = this.pageTable;
    const firstPage = Math.floor(vaddr / PAGE_SIZE);
    const inFirst = vaddr - firstPage * PAGE_SIZE;
    let length = hostByteLength(src);
    // Nothing to write touches nothing, as load() of nothing reads nothing (no write fault, so
    // no copy-on-write fork, commit or DIRTY request for the page the address falls in).
    if (length === 0) return ZX_OK;
    if (inFirst + length <= PAGE_SIZE) {
      // Within one page (the common small access): fault it in writable if need be, then copy
      // straight in.
      let pte = table.get(firstPage);
      const accessed = this.pmm.accessed;
      if (pte === PTE_NONE || !pteWritable(pte)) {
        const status = this.fault(firstPage, true);
        if (status !== ZX_OK) return status;
        pte = table.get(firstPage);
      } else if (accessed !== null) accessed[pteFrame(pte)] = 1;
      const frame = pteFrame(pte);
      const at = this.pmm.frameOffset(frame) + inFirst;
      copyIntoArena(this.pmm.arenaOf(frame), at, src, 0, length);
      return ZX_OK;
    }
    const endPage = Math.ceil((vaddr + length) / PAGE_SIZE);
    let status = ZX_OK;
    for (let vpage = firstPage; vpage < endPage; vpage++) {
      const pte = table.get(vpage);
      if (pte !== PTE_NONE && pteWritable(pte)) continue;
      status = this.fault(vpage, true);
      if (status !== ZX_OK) {
        length = Math.max(0, vpage * PAGE_SIZE - vaddr);
        break;
      }
    }
    const copied = this.copyIn(vaddr, src, length);
    return copied !== ZX_OK ? copied : status;
  }

  /** Writes src[0, length) at `vaddr`, faulting again any page whose entry went meanwhile. */
  private copyIn(vaddr: number, src: Uint8Array, length: number): number {
    const table = this.pageTable;
    let addr = vaddr;
    let done = 0;
    const runs = new FrameRunCopier(this.pmm, src, false);
    const accessed = this.pmm.accessed;
    while (done < length) {
      const vpage = Math.floor(addr / PAGE_SIZE);
      const inPage = addr - vpage * PAGE_SIZE;
      const chunk = Math.min(PAGE_SIZE - inPage, length - done);
      let pte = table.get(vpage);
      if (pte === PTE_NONE || !pteWritable(pte)) {
        // The fault may replace frames of pages already gathered: copy them first.
        runs.flush();
        const status = this.fault(vpage, true);
        if (status !== ZX_OK) return status;
        pte = table.get(vpage);
      } else if (accessed !== null) accessed[pteFrame(pte)] = 1;
      runs.add(pteFrame(pte), inPage, chunk, done);
      done += chunk;
      addr += chunk;
    }
    runs.flush();
    return ZX_OK;
  }

  /** The process is gone: everything is unmapped. */
  destroy(): void {
    this.root.destroy();
    this.lastMapping = null;
  }

  /**
   * Debug check of every page-table entry: it lies in a live mapping that may be read (and
   * written, when the entry is writable), inside the VMO, and its frame is exactly the one the
   * VMO shows there now: a frame in use (never a freed one), the zero page only read-only, a
   * writable frame only one the VMO holds itself. Returns the problems found (none when all
   * is well).
   */
  checkTranslations(): string[] {
    const problems: string[] = [];
    const pmm = this.pmm;
    const free = pmm.freeFrameSet();
    this.pageTable.forEach(0, Number.MAX_SAFE_INTEGER, (vpage, pte) => {
      const addr = vpage * PAGE_SIZE;
      const where = `page-table entry at 0x${addr.toString(16)}`;
      const frame = pteFrame(pte);
      const writable = pteWritable(pte);
      const mapping = this.findMapping(addr);
      if (mapping === null) {
        problems.push(`${where} is not in any mapping`);
        return;
      }
      const perms = mapping.permsAt(addr);
      if ((perms & PERM_READ) === 0) problems.push(`${where} is in a mapping that cannot be read`);
      if (writable && (perms & PERM_WRITE) === 0) {
        problems.push(`${where} is writable in a mapping that cannot be written`);
      }
      const vmo = mapping.vmo;
      const page = mapping.vmoPage + (vpage - mapping.basePage);
      if (page >= vmo.sizePages) {
        problems.push(`${where} is past the end of its VMO`);
        return;
      }
      const expected = vmo.pageForRead(page, false);
      if (frame !== expected) {
        problems.push(`${where} maps frame ${frame} but the VMO shows ${expected} there`);
      }
      if (!(vmo instanceof VmObjectPaged)) {
        if (!pmm.isMmioFrame(frame)) problems.push(`${where} maps RAM through a physical VMO`);
        return;
      }
      if (frame === pmm.zeroFrame) {
        if (writable) problems.push(`${where} maps the zero page writable`);
        return;
      }
      if (!pmm.isAllocated(frame, free)) problems.push(`${where} maps free frame ${frame}`);
      const own = vmo.cow.pages.get(page + vmo.cowOffset);
      if (writable && !(isFrame(own) && entryFrame(own) === frame)) {
        problems.push(`${where} is writable but frame ${frame} is not the VMO's own`);
      }
    });
    return problems;
  }
}
