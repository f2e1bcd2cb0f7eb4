// The task syscalls. TODO(table): object types, rights and errors still to fill from the implementations.

import { ZX_RIGHT_NONE } from '../constants.ts';
import { ANY_OBJECT, bufferIn, family, handle, outHandle, u32, u64 } from '../syscall-spec.ts';

export const TASK_SYSCALLS = family({
  zx_job_create: {
    summary: '',
    params: [handle('parent_job', ANY_OBJECT, ZX_RIGHT_NONE), u32('options'), outHandle('out')],
    rights: 'parent_job: ZX_RIGHT_MANAGE_JOB',
    errors: [],
    test: '',
  },
  zx_job_set_policy: {
    summary: '',
    params: [
      handle('handle', ANY_OBJECT, ZX_RIGHT_NONE),
      u32('options'),
      u32('topic'),
      bufferIn('policy', 'count'),
      u32('count'),
    ],
    rights: 'handle: ZX_RIGHT_SET_POLICY',
    errors: [],
    test: '',
  },
  zx_process_create: {
    summary: '',
    params: [
      handle('job', ANY_OBJECT, ZX_RIGHT_NONE),
      bufferIn('name', 'name_size'),
      u64('name_size'),
      u32('options'),
      outHandle('proc_handle'),
      outHandle('vmar_handle'),
    ],
    rights: 'job: ZX_RIGHT_MANAGE_PROCESS; job policy: ZX_POL_NEW_PROCESS',
    errors: [],
    test: '',
  },
});
