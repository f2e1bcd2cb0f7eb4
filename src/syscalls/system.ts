// zx_system_* calls. Rights and errors: src/abi/syscalls/system.ts.

import { PAGE_SIZE } from '../util/u64.ts';
import type { SyscallContext } from './context.ts';

/** zx_system_get_page_size(): a vDSO call in Zircon; it cannot fail. */
export function zx_system_get_page_size(ctx: SyscallContext): number {
  void ctx;
  return PAGE_SIZE;
}
