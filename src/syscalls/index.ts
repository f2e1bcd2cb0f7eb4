// The syscall layer's face: the binder that makes a process's `syscalls` object from the table.

export { bindSyscalls, type Syscalls } from './bind.ts';
export { formatSyscallEvent, type SyscallEvent, type SyscallTracer } from './trace.ts';
