// The zx_system_* calls.

import { family } from '../syscall-spec.ts';

export const SYSTEM_SYSCALLS = family({
  zx_system_get_page_size: {
    summary: 'The page size in bytes (4096); a vDSO call, it cannot fail.',
    params: [],
    returns: 'u32',
    rights: 'none',
    errors: [],
    test: 'test/syscalls/vmo/vmo-create.test.ts',
  },
});
