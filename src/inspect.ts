// kernel.inspect(): a plain, versioned, JSON-safe snapshot of a whole kernel, for tools (the
// zxvm inspect command, the inspector page) and tests. The object layer (object/
// inspect-objects.ts) and the VM layer (vm/inspect-vm.ts) read their own internals; here the
// parts are put together and each VMO gets its zx_info_vmo_t from the very code that answers
// ZX_INFO_VMO. Every field is described in docs/inspect.md.

import {
  ZX_INFO_VMO_CONTIGUOUS,
  ZX_INFO_VMO_DISCARDABLE,
  ZX_INFO_VMO_IMMUTABLE,
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_INFO_VMO_RESIZABLE,
  ZX_INFO_VMO_TYPE_PAGED,
} from './abi/constants.ts';
import { decodeZxInfoVmo, type ZxInfoVmo } from './abi/structs.ts';
import {
  inspectObjects,
  type JobSnapshot,
  type ProcessSnapshot,
  type VmoObjectSnapshot,
} from './object/inspect-objects.ts';
import type { PagerSnapshot } from './object/inspect-pagers.ts';
import type { KernelCore } from './object/kernel-core.ts';
import { encodeVmObjectInfo } from './syscalls/info-vmo.ts';
import { type Decimal, decimalStrings, type InspectIds } from './util/inspect.ts';
import { PAGE_SIZE } from './util/u64.ts';
import { type CowNodeSnapshot, inspectMemory, type MemorySnapshot } from './vm/inspect-vm.ts';

export type {
  HandleSnapshot,
  JobSnapshot,
  ProcessSnapshot,
  VmoObjectSnapshot,
} from './object/inspect-objects.ts';
export type {
  PageRequestSnapshot,
  PagerSnapshot,
  PagerVmoSnapshot,
} from './object/inspect-pagers.ts';
export type { PmmSnapshot } from './pmm/inspect-pmm.ts';
export type {
  AspaceSnapshot,
  CowNodeSnapshot,
  MappingSnapshot,
  MemorySnapshot,
  PageRun,
  PteRun,
  VmarSnapshot,
} from './vm/inspect-vm.ts';

/**
 * The version of the snapshot's shape; it changes when a field changes meaning or goes. 2:
 * `pagers` describes the kernel's pagers (it was always empty in 1).
 */
export const INSPECT_VERSION = 2;

/** zx_info_vmo_t as ZX_INFO_VMO gives it, u64 fields as decimal strings, flags also by name. */
export type VmoInfoSnapshot = Omit<Decimal<ZxInfoVmo>, 'handle_rights'> & { flagNames: string[] };

export interface VmoSnapshot extends VmoObjectSnapshot {
  /**
   * The record ZX_INFO_VMO returns for this VMO, from the code that answers it (so attribution
   * is the kernel's own): without VIA_HANDLE/VIA_MAPPING in the flags and without
   * handle_rights, which belong to a handle, not to the VMO.
   */
  info: VmoInfoSnapshot;
}

export interface KernelSnapshot {
  version: typeof INSPECT_VERSION;
  /** The label given to inspect(), or null. */
  label: string | null;
  /** The kernel's simulated monotonic clock, in nanoseconds (decimal). */
  time: string;
  pageSize: number;
  memory: MemorySnapshot;
  /** The root job and every job below it. */
  jobs: JobSnapshot;
  /** Every process in a job, and dead ones that handles still name, by koid. */
  processes: ProcessSnapshot[];
  /** Every VMO alive, by koid. */
  vmos: VmoSnapshot[];
  /** Every node of every copy-on-write tree, hidden ones included, each tree root first. */
  nodes: CowNodeSnapshot[];
  /** Every pager a handle reaches, by koid, with the VMOs it backs and their page requests. */
  pagers: PagerSnapshot[];
}

const FLAG_NAMES: readonly (readonly [number, string])[] = [
  [ZX_INFO_VMO_TYPE_PAGED, 'ZX_INFO_VMO_TYPE_PAGED'],
  [ZX_INFO_VMO_RESIZABLE, 'ZX_INFO_VMO_RESIZABLE'],
  [ZX_INFO_VMO_IS_COW_CLONE, 'ZX_INFO_VMO_IS_COW_CLONE'],
  [ZX_INFO_VMO_PAGER_BACKED, 'ZX_INFO_VMO_PAGER_BACKED'],
  [ZX_INFO_VMO_CONTIGUOUS, 'ZX_INFO_VMO_CONTIGUOUS'],
  [ZX_INFO_VMO_DISCARDABLE, 'ZX_INFO_VMO_DISCARDABLE'],
  [ZX_INFO_VMO_IMMUTABLE, 'ZX_INFO_VMO_IMMUTABLE'],
];

function vmoFlagNames(flags: number): string[] {
  const names = FLAG_NAMES.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name);
  // TYPE_PHYSICAL is the absence of TYPE_PAGED.
  return (flags & ZX_INFO_VMO_TYPE_PAGED) === 0 ? ['ZX_INFO_VMO_TYPE_PHYSICAL', ...names] : names;
}

/** The snapshot of `core`; `ids` numbers the nodes the same way from one snapshot to the next. */
export function inspectKernel(
  core: KernelCore,
  ids: InspectIds,
  label: string | null,
): KernelSnapshot {
  const objects = inspectObjects(core, ids);
  const vmos = objects.vmos.map((vmo, i): VmoSnapshot => {
    const record = decodeZxInfoVmo(encodeVmObjectInfo(objects.vmoObjects[i]!, 0, 0));
    const { handle_rights: _rights, ...rest } = decimalStrings(record);
    return { ...vmo, info: { ...rest, flagNames: vmoFlagNames(record.flags) } };
  });
  return {
    version: INSPECT_VERSION,
    label,
    time: core.timers.now.toString(),
    pageSize: PAGE_SIZE,
    memory: inspectMemory(core.pmm, core.discardables, core.pagerEvictor.counts()),
    jobs: objects.jobs,
    processes: objects.processes,
    vmos,
    nodes: objects.nodes,
    pagers: objects.pagers,
  };
}
