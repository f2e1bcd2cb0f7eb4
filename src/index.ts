// zxvm: the Zircon virtual-memory object system in TypeScript. The package root exports the
// ABI constants and struct codecs, the Kernel and Process classes, and the idiomatic API.

export * from './abi/constants.ts';
export * from './abi/structs.ts';
export type { ParamKind, ParamSpec, SyscallSpec } from './abi/syscall-spec.ts';
export { SYSCALL_SPECS, SYSCALLS } from './abi/syscalls/index.ts';
export { check, Handle, Vmar, Vmo, ZxError } from './api/index.ts';
export type {
  AspaceSnapshot,
  CowNodeSnapshot,
  HandleSnapshot,
  JobSnapshot,
  KernelSnapshot,
  MappingSnapshot,
  MemorySnapshot,
  PageRequestSnapshot,
  PageRun,
  PagerSnapshot,
  PagerVmoSnapshot,
  PmmSnapshot,
  ProcessSnapshot,
  PteRun,
  VmarSnapshot,
  VmoInfoSnapshot,
  VmoSnapshot,
} from './inspect.ts';
export { INSPECT_VERSION } from './inspect.ts';
export { Kernel, type KernelOptions } from './kernel.ts';
export type { PageRequestAction } from './object/pager-dispatcher.ts';
export type { HandleValue, Koid, Vaddr } from './object/types.ts';
export { Process } from './process.ts';
export {
  type FaultEvent,
  formatFaultEvent,
  formatPageRequestEvent,
  formatSyscallEvent,
  formatTraceEvent,
  type PageRequestEvent,
  type SyscallEvent,
  type Syscalls,
  type SyscallTracer,
  type ThreadSyscalls,
  type TraceEvent,
  type Tracer,
} from './syscalls/index.ts';
export type { StartedThread, ThreadBody, ThreadOptions, ThreadSys } from './thread.ts';
export { KernelPanic } from './util/assert.ts';
export type { FaultResult } from './vm/fault-trace.ts';
