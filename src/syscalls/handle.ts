// zx_handle_* syscalls: close, duplicate, replace.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_HANDLE_INVALID,
  ZX_OK,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_SAME_RIGHTS,
} from '../abi/constants.ts';
import { Handle } from '../object/handle.ts';
import { handleValue, isOutParam, u32, writeOut } from './args.ts';
import type { SyscallContext } from './context.ts';

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
 * (rights not a subset of the handle's, or out unusable).
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
  // A copy-out that fails leaves the new handle in the table (leaked), as in Zircon.
  const added = ctx.process.handles.add(new Handle(source.object, newRights));
  return writeOut(out, added) ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

/**
 * zx_handle_replace(handle, rights, out)
 * The old handle is consumed whenever it is valid, even when the call fails.
 * Errors: ZX_ERR_BAD_HANDLE; ZX_ERR_INVALID_ARGS (rights not a subset, or out unusable).
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
  // Keep the object alive while the old handle goes and the new one comes.
  const object = source.object;
  object.handleCount++;
  ctx.process.handles.remove(value);
  try {
    if (requested === undefined) return ZX_ERR_INVALID_ARGS;
    const newRights = derivedRights(source.rights, requested);
    if (newRights === undefined) return ZX_ERR_INVALID_ARGS;
    if (!isOutParam(out)) return ZX_ERR_INVALID_ARGS;
    const added = ctx.process.handles.add(new Handle(object, newRights));
    return writeOut(out, added) ? ZX_OK : ZX_ERR_INVALID_ARGS;
  } finally {
    if (--object.handleCount === 0) object.onZeroHandles();
  }
}
