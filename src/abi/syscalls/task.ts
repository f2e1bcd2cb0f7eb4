// The task syscalls (zircon/syscalls/task.h and policy.h): jobs, job policy, processes.

import {
  ZX_OBJ_TYPE_JOB,
  ZX_RIGHT_MANAGE_JOB,
  ZX_RIGHT_MANAGE_PROCESS,
  ZX_RIGHT_SET_POLICY,
} from '../constants.ts';
import { bufferIn, family, handle, outHandle, u32, u64 } from '../syscall-spec.ts';

const TEST = 'test/syscalls/task/jobs-policy.test.ts';

export const TASK_SYSCALLS = family({
  zx_job_create: {
    summary: "Creates a child job, which starts with a copy of its parent's policy.",
    params: [
      handle('parent_job', ZX_OBJ_TYPE_JOB, ZX_RIGHT_MANAGE_JOB),
      u32('options'),
      outHandle('out'),
    ],
    rights: 'parent_job: ZX_RIGHT_MANAGE_JOB',
    errors: [
      ['ZX_ERR_INVALID_ARGS', 'options is not 0 (checked before the handle)'],
      ['ZX_ERR_BAD_HANDLE', 'parent_job names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'parent_job is not a job'],
      ['ZX_ERR_ACCESS_DENIED', 'parent_job lacks ZX_RIGHT_MANAGE_JOB'],
      ['ZX_ERR_OUT_OF_RANGE', 'parent_job is already nested 32 jobs deep'],
      ['ZX_ERR_NO_MEMORY', "the kernel's handle arena is full (the new job is undone)"],
      ['ZX_ERR_INVALID_ARGS', 'out cannot be written (the new job is destroyed)'],
    ],
    test: TEST,
  },
  zx_job_set_policy: {
    summary:
      'Sets the basic policy (an action per ZX_POL_* condition) or the timer slack of a job with no children.',
    params: [
      handle('handle', ZX_OBJ_TYPE_JOB, ZX_RIGHT_SET_POLICY),
      u32('options', 'policy_option'),
      u32('topic', 'policy_topic'),
      // zx_policy_basic_v1_t, zx_policy_basic_v2_t or zx_policy_timer_slack_t, by topic.
      bufferIn('policy', 'count'),
      u32('count'),
    ],
    rights: 'handle: ZX_RIGHT_SET_POLICY',
    errors: [
      [
        'ZX_ERR_INVALID_ARGS',
        'topic unknown, then options neither RELATIVE nor ABSOLUTE (timer slack: not RELATIVE), then policy NULL or count 0 or above 32 (timer slack: not 1), then the records cannot be read (all before the handle); after it, a flag other than OVERRIDE_ALLOW/DENY or an unknown condition (NEW_ANY included), a negative slack or an unknown slack mode',
      ],
      ['ZX_ERR_NOT_FOUND', 'host policy shorter than count records'],
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'handle is not a job'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_SET_POLICY'],
      ['ZX_ERR_BAD_STATE', 'the job has a child job or process'],
      ['ZX_ERR_OUT_OF_RANGE', 'count above the number of conditions (ZX_POL_MAX)'],
      ['ZX_ERR_NOT_SUPPORTED', 'an entry has an unknown action'],
      [
        'ZX_ERR_ALREADY_EXISTS',
        'ABSOLUTE: an entry changes a condition locked with ZX_POL_OVERRIDE_DENY',
      ],
    ],
    test: TEST,
  },
  zx_process_create: {
    summary:
      'Creates a process in a job, with its address space; returns handles to it and to its root VMAR.',
    params: [
      handle('job', ZX_OBJ_TYPE_JOB, ZX_RIGHT_MANAGE_PROCESS),
      bufferIn('name', 'name_size'),
      u64('name_size'),
      u32('options', 'process_options'),
      outHandle('proc_handle'),
      outHandle('vmar_handle'),
    ],
    rights: "job: ZX_RIGHT_MANAGE_PROCESS; the caller's job policy must allow ZX_POL_NEW_PROCESS",
    errors: [
      [
        'ZX_ERR_INVALID_ARGS',
        'options other than 0 or ZX_PROCESS_SHARED (checked first); name NULL (even with name_size 0) or unreadable',
      ],
      [
        'ZX_ERR_ACCESS_DENIED',
        "the caller's job policy denies ZX_POL_NEW_PROCESS (before the name); job lacks ZX_RIGHT_MANAGE_PROCESS",
      ],
      ['ZX_ERR_NOT_FOUND', 'host name shorter than the bytes read'],
      ['ZX_ERR_BAD_HANDLE', 'job names nothing in this process'],
      ['ZX_ERR_WRONG_TYPE', 'job is not a job'],
      [
        'ZX_ERR_NO_MEMORY',
        "the kernel's handle arena cannot hold both handles (the new process, never run, dies)",
      ],
      [
        'ZX_ERR_INVALID_ARGS',
        'proc_handle or vmar_handle cannot be written (both handles are destroyed and the new process with them)',
      ],
    ],
    test: TEST,
  },
});
