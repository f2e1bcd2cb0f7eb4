// The syscall layer's face: the binder that makes a process's `syscalls` object from the table.

export { bindSyscalls, bindThreadSyscalls, type Syscalls, type ThreadSyscalls } from './bind.ts';
export { Parker } from './park.ts';
export {
  type FaultEvent,
  faultEvent,
  formatFaultEvent,
  formatPageRequestEvent,
  formatSyscallEvent,
  formatTraceEvent,
  type PageRequestEvent,
  pageRequestEvent,
  type SyscallEvent,
  type SyscallTracer,
  type TraceEvent,
  type Tracer,
} from './trace.ts';
