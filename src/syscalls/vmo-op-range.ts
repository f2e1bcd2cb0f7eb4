// zx_vmo_op_range: every ZX_VMO_OP_* operation. Rights depend on the op, so the handle is
// looked up without rights and the VMO's kernel object checks the op's own (Zircon's
// VmObjectDispatcher::RangeOp), then the VMO checks the range.

import { VMO_SYSCALLS as S } from '../abi/syscalls/vmo.ts';
import type { VmObjectDispatcher } from '../object/vm-object-dispatcher.ts';
import { handleWithRights, type SyscallContext } from './context.ts';
import { beginCopyOut, finishCopyOut, type UserBuffer } from './user.ts';

/**
 * zx_vmo_op_range(handle, op, offset, size, buffer, buffer_size): COMMIT, DECOMMIT, ZERO, LOCK,
 * TRY_LOCK, UNLOCK, the cache ops, DONT_NEED, ALWAYS_NEED and PREFETCH on a range of the VMO;
 * only LOCK uses the buffer (it receives a zx_vmo_lock_state_t).
 * Rights and errors: its entry in src/abi/syscalls/vmo.ts.
 */
export function zx_vmo_op_range(
  ctx: SyscallContext,
  handle: number,
  op: number,
  offset: bigint,
  size: bigint,
  buffer: UserBuffer,
  bufferSize: bigint,
): number {
  const found = handleWithRights(ctx, handle, S.zx_vmo_op_range.params[0]);
  if (typeof found === 'number') return found;
  const object = found.object as VmObjectDispatcher;
  // Where LOCK's zx_vmo_lock_state_t goes; a fault there undoes the lock.
  const copyOut = (bytes: Uint8Array): number => {
    const out = beginCopyOut(buffer, bytes.length);
    if (typeof out === 'number') return out;
    out.set(bytes);
    return finishCopyOut(ctx.user, buffer, out);
  };
  return object.rangeOp(op, offset, size, bufferSize, found.rights, copyOut);
}
