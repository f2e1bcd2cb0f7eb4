// The syscall layer's face: the binder that makes a process's `syscalls` object from the table.

export { bindSyscalls, bindThreadSyscalls, type Syscalls, type ThreadSyscalls } from './bind.ts';
export { runOnThread } from './park.ts';
export { formatSyscallEvent, type SyscallEvent, type SyscallTracer } from './trace.ts';
