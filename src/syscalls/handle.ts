// zx_handle_* syscalls: close, duplicate, replace.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_HANDLE_INVALID,
  ZX_OK,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_SAME_RIGHTS,
} from '../abi/constants.ts';
import { handleValue, isOutParam, u32 } from './args.ts';
import { installAndCopyOut, type SyscallContext } from './context.ts';

/**
 * zx_handle_close(handle)
 * Closing ZX_HANDLE_INVALID is a no-op.
 * Errors: ZX_ERR_BAD_HANDLE (handle names nothing in this process).
 */
export function zx_handle_close(ctx: SyscallContext, handle: unknown): number {
  const value = handleValue(handle);
  if (value === ZX_HANDLE_INVALID) return ZX_OK;
  return ctx.process.handles.remove(value) === undefined ? ZX_ERR_BAD_HANDLE : ZX_OK;
}

/** New rights from a request: ZX_RIGHT_SAME_RIGHTS keeps them, others must be a subset. */
function derivedRights(current: number, requested: number): number | undefined {
  if (requested === ZX_RIGHT_SAME_RIGHTS) return current;
  return (requested & ~current) === 0 ? requested : undefined;
}

/**
 * zx_handle_duplicate(handle, rights, out)
 * Rights: handle must have ZX_RIGHT_DUPLICATE.
 * Errors: ZX_ERR_BAD_HANDLE; ZX_ERR_ACCESS_DENIED (no DUPLICATE right); ZX_ERR_INVALID_ARGS
 * (rights not a subset of the handle's, or out unusable); ZX_ERR_NO_MEMORY (the kernel's handle
 * arena is full).
 */
export function zx_handle_duplicate(
  ctx: SyscallContext,
  handle: unknown,
  rights: unknown,
  out: unknown,
): number {
  const requested = u32(rights);
  if (requested === undefined) return ZX_ERR_INVALID_ARGS;
  const source = ctx.process.handles.get(handleValue(handle));
  if (source === undefined) return ZX_ERR_BAD_HANDLE;
  if ((source.rights & ZX_RIGHT_DUPLICATE) === 0) return ZX_ERR_ACCESS_DENIED;
  const newRights = derivedRights(source.rights, requested);
  if (newRights === undefined) return ZX_ERR_INVALID_ARGS;
  if (!isOutParam(out)) return ZX_ERR_INVALID_ARGS;
  const dup = ctx.core.handleArena.make(source.object, newRights);
  if (dup === null) return ZX_ERR_NO_MEMORY;
  // A copy-out that fails leaves the new handle in the table (leaked), as in Zircon.
  return installAndCopyOut(ctx, dup, out);
}

/**
 * zx_handle_replace(handle, rights, out)
 * The old handle is consumed whenever it is valid, even when the call fails, except when the new
 * handle cannot be made: as in Zircon (handle_ops.cc), the new handle is made while the old one
 * still holds its slot, and the old one stays when that fails.
 * Errors: ZX_ERR_BAD_HANDLE; ZX_ERR_INVALID_ARGS (rights not a subset, or out unusable);
 * ZX_ERR_NO_MEMORY (the kernel's handle arena is full).
 */
export function zx_handle_replace(
  ctx: SyscallContext,
  handle: unknown,
  rights: unknown,
  out: unknown,
): number {
  const requested = u32(rights);
  const value = handleValue(handle);
  const source = ctx.process.handles.get(value);
  if (source === undefined) return ZX_ERR_BAD_HANDLE;
  const newRights = requested === undefined ? undefined : derivedRights(source.rights, requested);
  if (newRights === undefined || !isOutParam(out)) {
    ctx.process.handles.remove(value);
    return ZX_ERR_INVALID_ARGS;
  }
  const replacement = ctx.core.handleArena.make(source.object, newRights);
  if (replacement === null) return ZX_ERR_NO_MEMORY;
  // The replacement holds the object, so closing the old handle never reaches zero handles.
  ctx.process.handles.remove(value);
  return installAndCopyOut(ctx, replacement, out);
}
