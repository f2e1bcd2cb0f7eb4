// kernel.inspect() for the object layer: the job tree, every process with its state, handle
// table and address space, and the VMOs the kernel's objects reach, handed to the VM layer's
// inspection (vm/inspect-vm.ts) for their copy-on-write trees. This is the one module of the
// layer that reads jobs, processes, handle tables and the handle arena for the snapshot.
//
// A VMO is alive while a handle or a mapping needs it, so walking every live handle of the
// arena (in a table or not), every PMT's pinned VMO and every address space finds every VMO;
// the trees then bring in the nodes and the slices and references that see them.

import {
  ZX_OBJ_TYPE_BTI,
  ZX_OBJ_TYPE_PMT,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import type { InspectIds } from '../util/inspect.ts';
import {
  type AspaceSnapshot,
  type CowNodeSnapshot,
  inspectAspace,
  inspectCowTrees,
  type VmoVmSnapshot,
} from '../vm/inspect-vm.ts';
import { treeSourceOf } from '../vm/pager-vmo.ts';
import type { VmAddressRegion } from '../vm/vm-address-region.ts';
import type { VmMapping } from '../vm/vm-mapping.ts';
import type { VmObject } from '../vm/vm-object.ts';
import type { BusTransactionInitiatorDispatcher } from './bti-dispatcher.ts';
import type { Dispatcher } from './dispatcher.ts';
import type { Handle } from './handle.ts';
import { inspectPagers, type PagerSnapshot } from './inspect-pagers.ts';
import { JobDispatcher } from './job-dispatcher.ts';
import type { KernelCore } from './kernel-core.ts';
import type { PinnedMemoryTokenDispatcher } from './pinned-memory-token-dispatcher.ts';
import { ProcessDispatcher, type ProcessState } from './process-dispatcher.ts';
import type { VmAddressRegionDispatcher } from './vm-address-region-dispatcher.ts';
import type { VmObjectDispatcher } from './vm-object-dispatcher.ts';

// --- Accessors: the only places that know where the objects keep what is read here ---

function allHandles(core: KernelCore): Handle[] {
  return [...core.handleArena.liveHandles()];
}

/** The handles in a process's table, oldest first. */
function tableOf(process: ProcessDispatcher): Handle[] {
  const table = process.handles;
  return [...table.values()].map((value) => table.get(value)!);
}

function childJobs(job: JobDispatcher): JobDispatcher[] {
  return [...job.children].filter((c): c is JobDispatcher => c instanceof JobDispatcher);
}

function childProcesses(job: JobDispatcher): ProcessDispatcher[] {
  return [...job.children].filter((c): c is ProcessDispatcher => c instanceof ProcessDispatcher);
}

/** The mappings of an address space, depth first in address order. */
function mappingsOf(process: ProcessDispatcher): VmMapping[] {
  const root = process.aspace.root;
  return root.alive ? root.mappingsIn(root.base, root.end) : [];
}

// --- Snapshot records ---

export interface JobSnapshot {
  koid: number;
  name: string;
  jobs: JobSnapshot[];
  /** Koids of the processes in the job (see `processes` of the snapshot). */
  processes: number[];
}

export interface HandleSnapshot {
  /** The value the process uses. */
  value: number;
  koid: number;
  /** ZX_OBJ_TYPE_* by name. */
  type: string;
  /** ZX_RIGHT_* names joined with " | " ("0" for none). */
  rights: string;
}

export interface ProcessSnapshot {
  koid: number;
  name: string;
  state: ProcessState;
  jobKoid: number;
  handles: HandleSnapshot[];
  /** Its address space; null once destroyed (a dead process). */
  addressSpace: AspaceSnapshot | null;
}

/** A VMO as the VM layer sees it, plus what its kernel object adds. */
export interface VmoObjectSnapshot extends VmoVmSnapshot {
  /** The pager whose pages it shows (see `pagers`: a pager VMO, or a slice or reference of one). */
  pagerKoid: number | null;
  /** Handles to it, in any table (a pinning PMT counts as one, as it does in Zircon). */
  handles: number;
  /** ZX_PROP_VMO_CONTENT_SIZE (decimal); null when no handle reaches the object (mapped only). */
  contentSize: string | null;
}

export interface ObjectInspection {
  jobs: JobSnapshot;
  processes: ProcessSnapshot[];
  vmos: VmoObjectSnapshot[];
  nodes: CowNodeSnapshot[];
  pagers: PagerSnapshot[];
  /** The VMOs of `vmos`, in the same order (for the kernel layer; not part of the snapshot). */
  vmoObjects: VmObject[];
}

export function inspectObjects(core: KernelCore, ids: InspectIds): ObjectInspection {
  const handles = allHandles(core);
  const dispatchers = new Map<VmObject, VmObjectDispatcher>();
  const vmarKoids = new Map<VmAddressRegion, number>();
  const addVmo = (object: VmObjectDispatcher) => dispatchers.set(object.vmo, object);
  for (const { object } of handles) {
    if (object.type === ZX_OBJ_TYPE_VMO) addVmo(object as VmObjectDispatcher);
    else if (object.type === ZX_OBJ_TYPE_VMAR) {
      const vmar = object as VmAddressRegionDispatcher;
      vmarKoids.set(vmar.region, vmar.koid);
    } else if (object.type === ZX_OBJ_TYPE_PMT) {
      addVmo((object as PinnedMemoryTokenDispatcher).vmo);
    } else if (object.type === ZX_OBJ_TYPE_BTI) {
      for (const pmt of (object as BusTransactionInitiatorDispatcher).pmts) addVmo(pmt.vmo);
    }
  }

  const processes = allProcesses(core, handles);
  const mapped: VmObject[] = [];
  for (const process of processes) {
    if (process.rootVmar !== null) vmarKoids.set(process.rootVmar.region, process.rootVmar.koid);
    for (const mapping of mappingsOf(process)) mapped.push(mapping.vmo);
  }
  const koidOf = (region: VmAddressRegion) => vmarKoids.get(region) ?? null;

  const trees = inspectCowTrees([...dispatchers.keys(), ...mapped], ids);
  const vmos = trees.vmos.map((vmo, i): VmoObjectSnapshot => {
    const object = dispatchers.get(trees.objects[i]!);
    // A child under a pager shows its root's pager, as ZX_INFO_VMO_PAGER_BACKED says.
    const source = treeSourceOf(trees.objects[i]!);
    return {
      ...vmo,
      pagerKoid: source === null ? null : source.provider.pagerKoid,
      handles: object?.handleCount ?? 0,
      contentSize: object === undefined ? null : object.contentSize.toString(),
    };
  });
  return {
    jobs: jobSnapshot(core.rootJob),
    processes: processes.map((process) => processSnapshot(process, koidOf)),
    vmos,
    nodes: trees.nodes,
    pagers: inspectPagers(handles, trees.objects),
    vmoObjects: trees.objects,
  };
}

/** Every process in the job tree, and dead ones that handles still name, by koid. */
function allProcesses(core: KernelCore, handles: readonly Handle[]): ProcessDispatcher[] {
  const found = new Set<ProcessDispatcher>();
  const jobs = [core.rootJob];
  while (jobs.length > 0) {
    const job = jobs.pop()!;
    for (const process of childProcesses(job)) found.add(process);
    jobs.push(...childJobs(job));
  }
  for (const { object } of handles) {
    if (object instanceof ProcessDispatcher) found.add(object);
  }
  return [...found].sort((a, b) => a.koid - b.koid);
}

function jobSnapshot(job: JobDispatcher): JobSnapshot {
  return {
    koid: job.koid,
    name: job.name,
    jobs: childJobs(job)
      .sort((a, b) => a.koid - b.koid)
      .map(jobSnapshot),
    processes: childProcesses(job)
      .map((p) => p.koid as number)
      .sort((a, b) => a - b),
  };
}

function handleSnapshot(handle: Handle): HandleSnapshot {
  const object: Dispatcher = handle.object;
  return {
    value: handle.value,
    koid: object.koid,
    type: nameFlags('obj_type', object.type),
    rights: nameFlags('rights', handle.rights),
  };
}

function processSnapshot(
  process: ProcessDispatcher,
  koidOf: (region: VmAddressRegion) => number | null,
): ProcessSnapshot {
  return {
    koid: process.koid,
    name: process.name,
    state: process.state,
    jobKoid: process.job.koid,
    handles: tableOf(process).map(handleSnapshot),
    addressSpace: inspectAspace(process.aspace, koidOf),
  };
}
