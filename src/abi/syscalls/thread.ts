// The thread and task syscalls that come with zx threads: zx_task_kill.

import { ZX_RIGHT_DESTROY } from '../constants.ts';
import { ANY_OBJECT, family, handle } from '../syscall-spec.ts';

export const THREAD_SYSCALLS = family({
  zx_task_kill: {
    summary:
      'Kills a process (every thread dies where it is) or a job (every process and job in it).',
    params: [handle('handle', ANY_OBJECT, ZX_RIGHT_DESTROY)],
    rights: 'handle: ZX_RIGHT_DESTROY',
    errors: [
      ['ZX_ERR_BAD_HANDLE', 'handle names nothing in this process'],
      ['ZX_ERR_ACCESS_DENIED', 'handle lacks ZX_RIGHT_DESTROY'],
      [
        'ZX_ERR_WRONG_TYPE',
        'handle is neither a process nor a job; a thread included (the 2025 kernel does not kill threads)',
      ],
    ],
    test: 'test/syscalls/thread/task-kill.test.ts',
  },
});
