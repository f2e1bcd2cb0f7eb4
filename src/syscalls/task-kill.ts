// zx_task_kill (Zircon's sys_task_kill): a process dies with every thread where it stands; a
// job takes every process and job in it down with it. The 2025 kernel refuses threads
// (ZX_ERR_WRONG_TYPE, after RFC-0007 removed thread killing). Rights and errors:
// src/abi/syscalls/thread.ts.

import {
  ZX_ERR_WRONG_TYPE,
  ZX_JOB_TERMINATED,
  ZX_OBJ_TYPE_JOB,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OK,
  ZX_TASK_RETCODE_SYSCALL_KILL,
} from '../abi/constants.ts';
import { THREAD_SYSCALLS as S } from '../abi/syscalls/thread.ts';
import type { JobDispatcher } from '../object/job-dispatcher.ts';
import type { ProcessDispatcher } from '../object/process-dispatcher.ts';
import { fail, handleWithRights, type SyscallContext, wrongType } from './context.ts';

/** zx_task_kill(handle): the rights check comes before the type check, as in Zircon. */
export function zx_task_kill(ctx: SyscallContext, handle: number): number {
  const found = handleWithRights(ctx, handle, S.zx_task_kill.params[0]);
  if (typeof found === 'number') return found;
  switch (found.object.type) {
    case ZX_OBJ_TYPE_PROCESS:
      (found.object as ProcessDispatcher).kill(ZX_TASK_RETCODE_SYSCALL_KILL);
      return ZX_OK;
    case ZX_OBJ_TYPE_JOB:
      killJob(found.object as JobDispatcher);
      return ZX_OK;
    default:
      return fail(ctx, ZX_ERR_WRONG_TYPE, notTask, found.object.type);
  }
}

/** Why zx_task_kill refuses an object: it kills processes and jobs (threads no more). */
function notTask(type: number): string {
  return `${wrongType('handle', type, ZX_OBJ_TYPE_PROCESS)} or ZX_OBJ_TYPE_JOB`;
}

/** Kills every process and child job of `job`, then asserts ZX_JOB_TERMINATED on it. */
function killJob(job: JobDispatcher): void {
  for (const child of [...job.children]) {
    if (child.type === ZX_OBJ_TYPE_PROCESS)
      (child as ProcessDispatcher).kill(ZX_TASK_RETCODE_SYSCALL_KILL);
    else if (child.type === ZX_OBJ_TYPE_JOB) killJob(child as JobDispatcher);
  }
  job.updateSignals(0, ZX_JOB_TERMINATED);
}
