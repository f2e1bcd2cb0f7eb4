// kernel.inspect() for the VM layer: the copy-on-write trees (every node, hidden ones included,
// with its pages as runs), the VMOs that see them, the address spaces with their mappings and
// page-table entries, and physical memory as ZX_INFO_KMEM_STATS reports it. This is the one
// module of the layer that reads VmCowPages, VmObjectPaged, VMAR and page-table internals for
// the snapshot; the accessors it uses are gathered at the top.
//
// Everything here only reads: no frame is allocated, no skip list is walked (a list a new
// snapshot left to be derived when first used may be derived, which changes nothing it reads).
// The cost follows what exists: page lists are walked chunk by chunk over the entries they
// hold, pages seen through ancestors come from the run segments the tree already resolves
// (cow-walk.ts) cut against the holders' runs, never from a loop over every page.

import { ZX_CACHE_POLICY_CACHED } from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import type { ZxInfoKmemStats } from '../abi/structs.ts';
import { inspectPmm, type PmmSnapshot } from '../pmm/inspect-pmm.ts';
import type { PhysicalMemory } from '../pmm/pmm.ts';
import { type Decimal, decimalStrings, type InspectIds } from '../util/inspect.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import type { VmCowPages } from './cow-pages.ts';
import { shareCountAt } from './cow-viewers.ts';
import { forEachParentRun } from './cow-walk.ts';
import { type DiscardableList, DiscardState } from './discardable.ts';
import { kmemStats, type ReclaimCounts } from './memory-stats.ts';
import { EMPTY } from './page-list.ts';
import { PTE_NONE, pteFrame, pteWritable } from './page-table.ts';
import { PERM_WRITE, type VmAddressRegionOrMapping } from './region.ts';
import type { VmAddressRegion } from './vm-address-region.ts';
import type { VmAspace } from './vm-aspace.ts';
import type { VmMapping } from './vm-mapping.ts';
import type { VmObject } from './vm-object.ts';
import { VmObjectPaged } from './vm-object-paged.ts';
import { VmObjectPhysical } from './vm-object-physical.ts';

// --- Accessors: the only places that know how the structures are laid out ---

/** Past every page index a list can hold: walks then visit the chunks there are. */
const ALL_PAGES = Number.MAX_SAFE_INTEGER;

/** Visits the entries of a node's page list in ascending order, with their share counts. */
function forEachEntry(
  node: VmCowPages,
  visit: (index: number, entry: number, share: number) => void,
): void {
  node.pages.forEachChunk(0, ALL_PAGES, (chunk, base, from, to) => {
    for (let slot = from; slot < to; slot++) {
      const entry = chunk[slot]!;
      if (entry === EMPTY) continue;
      visit(base + slot, entry, entry > 0 ? shareCountAt(node, base + slot) : 0);
    }
  });
}

/** The VMOs that see a node: its owner, and the slices and references of it. */
function viewsOf(node: VmCowPages): VmObjectPaged[] {
  return node.views.filter((view): view is VmObjectPaged => view instanceof VmObjectPaged);
}

/** The children of a region, in address order. */
function childrenOf(region: VmAddressRegion): VmAddressRegionOrMapping[] {
  return region.children.toArray();
}

// --- Copy-on-write trees ---

/**
 * A run of pages of a node in one state. `frame` runs are frames the node holds (consecutive
 * frames for consecutive pages); `zero` runs are zero markers (zero, whatever an ancestor
 * holds); `ancestor` runs are frames a visible node sees in an ancestor (`holder`, from its page
 * `holderPage`). Pages in no run hold nothing and read as zero.
 */
export interface PageRun {
  /** The first page (index in the node). */
  start: number;
  count: number;
  state: 'frame' | 'zero' | 'ancestor';
  /** The frame of the first page (frame n is physical address n * 4096); null for zero runs. */
  frame: number | null;
  /** Zircon's share_count: how many VMOs besides one see each page (0 when only one does). */
  share: number;
  /** For ancestor runs, the node holding the frames and the page there; else null. */
  holder: number | null;
  holderPage: number | null;
}

/** One node of a copy-on-write tree. Geometry is in pages of 4096 bytes. */
export interface CowNodeSnapshot {
  /** A number stable for the node's life, across snapshots of the same kernel. */
  id: number;
  /** Hidden nodes hold pages shared by their children; no VMO sees them directly. */
  hidden: boolean;
  /** The koid of the VMO this node was made for; null for hidden nodes. */
  ownerKoid: number | null;
  /** The VMOs that see this node (its owner, slices and references), with their windows. */
  views: { koid: number; offsetPages: number; sizePages: number }[];
  parent: number | null;
  /** Children in the tree (only hidden nodes have them). */
  children: number[];
  sizePages: number;
  /** Where page 0 of this node sits in the parent. */
  parentOffsetPages: number;
  /** Pages at or past this index never look into the parent. */
  parentLimitPages: number;
  /** Frames the node holds (the sum of its frame runs). */
  frames: number;
  zeroMarkers: number;
  /** Pages seen in ancestors (the sum of its ancestor runs; always 0 for hidden nodes). */
  ancestorPages: number;
  /** Frame, zero and ancestor runs, by start. */
  pages: PageRun[];
}

/** What the VM layer knows of a VMO. */
export interface VmoVmSnapshot {
  koid: number;
  /** The name (ZX_PROP_NAME), decoded as UTF-8. */
  name: string;
  kind: 'paged' | 'contiguous' | 'physical';
  /** The kind of child it was made as; null for a VMO made by zx_vmo_create. */
  childType: 'snapshot' | 'slice' | 'reference' | null;
  /** The parent VMO's koid (where children went when it died), or null. */
  parentKoid: number | null;
  childKoids: number[];
  /** The node whose pages it sees, and where its page 0 sits there (non-zero for slices). */
  node: number | null;
  nodeOffsetPages: number;
  sizePages: number;
  mappings: number;
  pinnedPages: number;
  cachePolicy: string;
  /** Lock state of a discardable VMO; null for others. */
  discardable: {
    state: 'unset' | 'locked' | 'reclaimable' | 'discarded';
    lockCount: number;
  } | null;
  /** The first device frame of a physical VMO; null for others. */
  physicalBaseFrame: number | null;
}

export interface CowInspection {
  nodes: CowNodeSnapshot[];
  vmos: VmoVmSnapshot[];
  /** The VMOs of `vmos`, in the same order (for the layers above; not part of the snapshot). */
  objects: VmObject[];
}

const DISCARD_STATES = {
  [DiscardState.unset]: 'unset',
  [DiscardState.locked]: 'locked',
  [DiscardState.reclaimable]: 'reclaimable',
  [DiscardState.discarded]: 'discarded',
} as const;

const utf8 = new TextDecoder();

/**
 * Every tree that the given VMOs belong to, each node once (root first, children in order),
 * and every VMO that sees a node of them, by koid.
 */
export function inspectCowTrees(vmos: Iterable<VmObject>, ids: InspectIds): CowInspection {
  const found = new Set<VmObject>();
  const order: VmCowPages[] = [];
  const seen = new Set<VmCowPages>();
  const start = [...vmos].sort((a, b) => a.userId - b.userId);
  for (const vmo of start) {
    // Device memory has no copy-on-write node: it is listed, with no tree.
    if (!(vmo instanceof VmObjectPaged)) {
      found.add(vmo);
      continue;
    }
    let root = vmo.cow;
    while (root.parent !== null) root = root.parent;
    if (seen.has(root)) continue;
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      seen.add(node);
      order.push(node);
      for (const view of viewsOf(node)) found.add(view);
      for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
    }
  }
  const own = new Map<VmCowPages, PageRun[]>();
  for (const node of order) own.set(node, ownRuns(node));
  const nodes = order.map((node) => nodeSnapshot(node, own, ids));
  const objects = [...found].sort((a, b) => a.userId - b.userId);
  return { nodes, vmos: objects.map((vmo) => vmoSnapshot(vmo, ids)), objects };
}

/** The node's own entries as frame and zero runs. */
function ownRuns(node: VmCowPages): PageRun[] {
  const runs: PageRun[] = [];
  let last: PageRun | null = null;
  forEachEntry(node, (index, entry, share) => {
    const isFrame = entry > 0;
    const frame = isFrame ? entry - 1 : null;
    if (
      last !== null &&
      last.start + last.count === index &&
      last.state === (isFrame ? 'frame' : 'zero') &&
      last.share === share &&
      (!isFrame || last.frame! + last.count === frame)
    ) {
      last.count++;
      return;
    }
    last = {
      start: index,
      count: 1,
      state: isFrame ? 'frame' : 'zero',
      frame,
      share,
      holder: null,
      holderPage: null,
    };
    runs.push(last);
  });
  return runs;
}

/** The first run of sorted `runs` that ends past `page`. */
function firstEndingAfter(runs: readonly PageRun[], page: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (runs[mid]!.start + runs[mid]!.count <= page) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The frames a visible node sees in its ancestors: each segment of its range that resolves to
 * one holder, cut to the holder's frame runs, less the pages the node's own entries hide.
 */
function ancestorRuns(
  node: VmCowPages,
  own: ReadonlyMap<VmCowPages, PageRun[]>,
  ids: InspectIds,
): PageRun[] {
  const runs: PageRun[] = [];
  const mine = own.get(node)!;
  forEachParentRun(node, 0, node.sizePages, (holder, holderStart, holderEnd, delta) => {
    const theirs = own.get(holder) ?? [];
    for (let i = firstEndingAfter(theirs, holderStart); i < theirs.length; i++) {
      const run = theirs[i]!;
      if (run.start >= holderEnd) break;
      if (run.state !== 'frame') continue;
      const from = Math.max(run.start, holderStart);
      const to = Math.min(run.start + run.count, holderEnd);
      // In the node's pages, with the node's own entries cut out.
      let at = from - delta;
      const end = to - delta;
      const emit = (a: number, b: number) => {
        if (a >= b) return;
        const holderPage = a + delta;
        runs.push({
          start: a,
          count: b - a,
          state: 'ancestor',
          frame: run.frame! + (holderPage - run.start),
          share: run.share,
          holder: ids.of(holder),
          holderPage,
        });
      };
      for (let j = firstEndingAfter(mine, at); j < mine.length && at < end; j++) {
        const hide = mine[j]!;
        if (hide.start >= end) break;
        emit(at, hide.start);
        at = Math.max(at, hide.start + hide.count);
      }
      emit(at, end);
    }
  });
  return runs;
}

function nodeSnapshot(
  node: VmCowPages,
  own: ReadonlyMap<VmCowPages, PageRun[]>,
  ids: InspectIds,
): CowNodeSnapshot {
  const mine = own.get(node)!;
  const seen = !node.hidden && node.parent !== null ? ancestorRuns(node, own, ids) : [];
  const pages = [...mine, ...seen].sort((a, b) => a.start - b.start);
  const owner = node.owner instanceof VmObjectPaged ? node.owner : null;
  return {
    id: ids.of(node),
    hidden: node.hidden,
    ownerKoid: node.hidden || owner === null ? null : owner.userId,
    views: viewsOf(node).map((vmo) => ({
      koid: vmo.userId,
      offsetPages: vmo.cowOffset,
      sizePages: vmo.sizePages,
    })),
    parent: node.parent === null ? null : ids.of(node.parent),
    children: node.children.map((child) => ids.of(child)),
    sizePages: node.sizePages,
    parentOffsetPages: node.parent === null ? 0 : node.parentOffset,
    parentLimitPages: node.parent === null ? 0 : node.parentLimit,
    frames: node.pages.frameCount,
    zeroMarkers: node.pages.markerCount,
    ancestorPages: seen.reduce((sum, run) => sum + run.count, 0),
    pages,
  };
}

function vmoSnapshot(vmo: VmObject, ids: InspectIds): VmoVmSnapshot {
  const paged = vmo instanceof VmObjectPaged ? vmo : null;
  const tracker = paged?.discardable ?? null;
  return {
    koid: vmo.userId,
    name: utf8.decode(vmo.name),
    kind: vmo instanceof VmObjectPhysical ? 'physical' : vmo.isContiguous ? 'contiguous' : 'paged',
    childType: vmo.childType,
    parentKoid: vmo.parent?.userId ?? null,
    childKoids: [...vmo.children].map((child) => child.userId).sort((a, b) => a - b),
    node: paged === null ? null : ids.of(paged.cow),
    nodeOffsetPages: paged === null ? 0 : paged.cowOffset,
    sizePages: vmo.sizePages,
    mappings: vmo.mappingCount,
    pinnedPages: paged?.pinnedCount ?? 0,
    // The enumeration's names leave out 0, which is CACHED.
    cachePolicy:
      vmo.cachePolicy === ZX_CACHE_POLICY_CACHED
        ? 'ZX_CACHE_POLICY_CACHED'
        : nameFlags('cache_policy', vmo.cachePolicy),
    discardable:
      tracker === null
        ? null
        : { state: DISCARD_STATES[tracker.state], lockCount: tracker.lockCount },
    physicalBaseFrame: vmo instanceof VmObjectPhysical ? vmo.baseFrame : null,
  };
}

// --- Address spaces ---

/** Page-table entries of consecutive pages mapping consecutive frames the same way. */
export interface PteRun {
  /** The first virtual address (decimal). */
  vaddr: string;
  pages: number;
  /** The frame of the first page (the zero page's frame for every page of a zeroPage run). */
  frame: number;
  writable: boolean;
  /** The shared zero page: memory never written, mapped read-only. */
  zeroPage: boolean;
  /** What an access there may do without faulting: the mapping's permissions, less write. */
  perms: string;
}

export interface MappingSnapshot {
  kind: 'mapping';
  base: string;
  size: string;
  vmoKoid: number;
  /** Offset in the VMO of the mapping's first byte. */
  vmoOffset: string;
  /** The most the mapping may ever be protected to (ZX_VM_PERM_* names). */
  canMap: string;
  /** Permissions per range (zx_vmar_protect may give parts of a mapping their own). */
  protections: { base: string; size: string; perms: string }[];
  ptes: PteRun[];
}

export interface VmarSnapshot {
  kind: 'vmar';
  /** The koid of the VMAR's kernel object, when a handle or the process names one; else null. */
  koid: number | null;
  base: string;
  size: string;
  /** What its children may be mapped with (ZX_VM_PERM_* names). */
  canMap: string;
  canMapSpecific: boolean;
  children: (VmarSnapshot | MappingSnapshot)[];
}

export interface AspaceSnapshot {
  root: VmarSnapshot;
  /** Present page-table entries (the sum of every mapping's runs). */
  pageTableEntries: number;
}

/** An address space, or null once destroyed (its process died). */
export function inspectAspace(
  aspace: VmAspace,
  koidOf: (region: VmAddressRegion) => number | null,
): AspaceSnapshot | null {
  if (!aspace.root.alive) return null;
  const zeroFrame = aspace.pmm.zeroFrame;
  const mapping = (m: VmMapping): MappingSnapshot => {
    const ranges = m.protectionsIn(m.base, m.end);
    const ptes: PteRun[] = [];
    for (const [from, to, perms] of ranges) {
      let last: (PteRun & { vpage: number }) | null = null;
      aspace.pageTable.forEach(from / PAGE_SIZE, to / PAGE_SIZE, (vpage, pte) => {
        if (pte === PTE_NONE) return;
        const frame = pteFrame(pte);
        const writable = pteWritable(pte);
        const zeroPage = frame === zeroFrame;
        if (
          last !== null &&
          last.vpage + last.pages === vpage &&
          last.writable === writable &&
          last.zeroPage === zeroPage &&
          (zeroPage || last.frame + last.pages === frame)
        ) {
          last.pages++;
          return;
        }
        last = {
          vpage,
          vaddr: String(vpage * PAGE_SIZE),
          pages: 1,
          frame,
          writable,
          zeroPage,
          perms: nameFlags('vm_options', writable ? perms : perms & ~PERM_WRITE),
        };
        ptes.push(last);
      });
    }
    return {
      kind: 'mapping',
      base: String(m.base),
      size: String(m.size),
      vmoKoid: m.vmo.userId,
      vmoOffset: String(m.vmoPage * PAGE_SIZE),
      canMap: nameFlags('vm_options', m.canMap),
      protections: ranges.map(([from, to, perms]) => ({
        base: String(from),
        size: String(to - from),
        perms: nameFlags('vm_options', perms),
      })),
      // Without the walk's bookkeeping field.
      ptes: ptes.map(({ vpage: _vpage, ...run }: PteRun & { vpage?: number }) => run),
    };
  };
  const vmar = (region: VmAddressRegion): VmarSnapshot => ({
    kind: 'vmar',
    koid: koidOf(region),
    base: String(region.base),
    size: String(region.size),
    canMap: nameFlags('vm_options', region.canMap),
    canMapSpecific: region.canMapSpecific,
    children: childrenOf(region).map((child) =>
      child.isMapping ? mapping(child as VmMapping) : vmar(child as VmAddressRegion),
    ),
  });
  return { root: vmar(aspace.root), pageTableEntries: aspace.pageTable.entryCount };
}

// --- Physical memory ---

export interface MemorySnapshot extends PmmSnapshot {
  /** zx_info_kmem_stats_t exactly as ZX_INFO_KMEM_STATS reports it, bytes as decimal strings. */
  kmem: Decimal<ZxInfoKmemStats>;
}

export function inspectMemory(
  pmm: PhysicalMemory,
  discardables: DiscardableList,
  reclaim?: ReclaimCounts,
): MemorySnapshot {
  return { kmem: decimalStrings(kmemStats(pmm, discardables, reclaim)), ...inspectPmm(pmm) };
}
