// The syscall table: every zx_* call zxvm provides, one family (reference-page group) a file.
// Each entry holds all that is known about a syscall (its C parameters in order with their
// kinds, the object type and rights each handle needs, what it returns, its errors in Zircon's
// order and the test that covers them); src/syscalls/table.ts pairs it with its implementation.
// The per-process syscall object, argument decoding, tracing, the fuzz test and
// docs/syscalls.md are all derived from it.

import type { SyscallSpec } from '../syscall-spec.ts';
import { CHANNEL_SYSCALLS } from './channel.ts';
import { DDK_SYSCALLS } from './ddk.ts';
import { HANDLE_SYSCALLS } from './handle.ts';
import { OBJECT_SYSCALLS } from './object.ts';
import { PAGER_SYSCALLS } from './pager.ts';
import { PORT_SYSCALLS } from './port.ts';
import { RESOURCE_SYSCALLS } from './resource.ts';
import { SYSTEM_SYSCALLS } from './system.ts';
import { TASK_SYSCALLS } from './task.ts';
import { THREAD_SYSCALLS } from './thread.ts';
import { VMAR_SYSCALLS } from './vmar.ts';
import { VMO_SYSCALLS } from './vmo.ts';

export const SYSCALL_SPECS = {
  ...SYSTEM_SYSCALLS,
  ...HANDLE_SYSCALLS,
  ...OBJECT_SYSCALLS,
  ...TASK_SYSCALLS,
  ...RESOURCE_SYSCALLS,
  ...VMO_SYSCALLS,
  ...VMAR_SYSCALLS,
  ...DDK_SYSCALLS,
  ...THREAD_SYSCALLS,
  ...PORT_SYSCALLS,
  ...CHANNEL_SYSCALLS,
  ...PAGER_SYSCALLS,
};

export type SyscallName = keyof typeof SYSCALL_SPECS;

/** Every entry, in table order. */
export const SYSCALLS: readonly SyscallSpec[] = Object.values(SYSCALL_SPECS);
