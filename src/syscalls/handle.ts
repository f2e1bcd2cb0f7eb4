// zx_handle_* syscalls: close, duplicate, replace. Rights and errors: src/abi/syscalls/handle.ts.

import {
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_OUT_OF_RANGE,
  ZX_HANDLE_FIXED_BITS_MASK,
  ZX_HANDLE_INVALID,
  ZX_OK,
  ZX_RIGHT_SAME_RIGHTS,
} from '../abi/constants.ts';
import { nameFlags } from '../abi/flags.ts';
import { HANDLE_SYSCALLS as S } from '../abi/syscalls/handle.ts';
import type { Handle } from '../object/handle.ts';
import { hex } from '../util/reason.ts';
import { fail, handleWithRights, noHandle, type SyscallContext } from './context.ts';
import type { HandleOut } from './impl.ts';

/** zx_handle_close(handle): ZX_HANDLE_INVALID is a no-op. */
export function zx_handle_close(ctx: SyscallContext, handle: number): number {
  if (handle === ZX_HANDLE_INVALID) return ZX_OK;
  if (ctx.process.handles.remove(handle) !== undefined) return ZX_OK;
  return fail(ctx, ZX_ERR_BAD_HANDLE, noHandle, 'handle', handle);
}

/** Why `requested` rights cannot be derived from a handle's `current` ones. */
function notSubset(requested: number, current: number): string {
  const extra = nameFlags('rights', (requested & ~current) >>> 0);
  const held = current === 0 ? 'no rights' : nameFlags('rights', current);
  return `rights asks for ${extra}, which the handle lacks (has ${held})`;
}

function neverHandle(handle: number): string {
  return `handle (${hex(handle >>> 0)}) has a bit of ZX_HANDLE_FIXED_BITS_MASK clear: never a handle`;
}

/** New rights from a request: ZX_RIGHT_SAME_RIGHTS keeps them, others must be a subset. */
function derivedRights(current: number, requested: number): number | undefined {
  if (requested === ZX_RIGHT_SAME_RIGHTS) return current;
  return (requested & ~current) === 0 ? requested : undefined;
}

/** zx_handle_duplicate(handle, rights, out) */
export function zx_handle_duplicate(
  ctx: SyscallContext,
  handle: number,
  rights: number,
  out: HandleOut,
): number {
  const source = handleWithRights(ctx, handle, S.zx_handle_duplicate.params[0]);
  if (typeof source === 'number') return source;
  const newRights = derivedRights(source.rights, rights);
  if (newRights === undefined)
    return fail(ctx, ZX_ERR_INVALID_ARGS, notSubset, rights, source.rights);
  return out.set(source.object, newRights);
}

/**
 * zx_handle_replace(handle, rights, out): `handle` was taken out of the table by the binder. As
 * in Zircon (handle_ops.cc) the new handle is made while the old one still holds its slot, and
 * when that fails (the handle arena is full) the old one stays.
 */
export function zx_handle_replace(
  ctx: SyscallContext,
  handle: Handle,
  rights: number,
  out: HandleOut,
): number {
  const newRights = derivedRights(handle.rights, rights);
  if (newRights === undefined)
    return fail(ctx, ZX_ERR_INVALID_ARGS, notSubset, rights, handle.rights);
  const status = out.set(handle.object, newRights);
  if (status === ZX_ERR_NO_MEMORY) ctx.process.handles.restore(handle);
  return status;
}

/**
 * zx_handle_check_valid(handle): a vDSO call in Zircon that reads the handle table; unlike
 * the other calls it never says ZX_ERR_BAD_HANDLE, so it raises no bad-handle policy.
 */
export function zx_handle_check_valid(ctx: SyscallContext, handle: number): number {
  if (handle === ZX_HANDLE_INVALID)
    return fail(ctx, ZX_ERR_INVALID_ARGS, 'handle is ZX_HANDLE_INVALID');
  if ((handle & ZX_HANDLE_FIXED_BITS_MASK) !== ZX_HANDLE_FIXED_BITS_MASK) {
    return fail(ctx, ZX_ERR_OUT_OF_RANGE, neverHandle, handle);
  }
  if (ctx.process.handles.get(handle) !== undefined) return ZX_OK;
  return fail(ctx, ZX_ERR_NOT_FOUND, noHandle, 'handle', handle);
}
