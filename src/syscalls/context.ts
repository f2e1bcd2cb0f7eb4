// The calling context of a syscall and the one lookup-with-rights helper. Rights are checked
// here, once, in Zircon's order: a value that names no handle is ZX_ERR_BAD_HANDLE, a handle to
// the wrong kind of object ZX_ERR_WRONG_TYPE, a handle without every required right
// ZX_ERR_ACCESS_DENIED.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_WRONG_TYPE,
  ZX_OK,
} from '../abi/constants.ts';
import { ANY_OBJECT, type HandleParam } from '../abi/syscall-spec.ts';
import type { Handle } from '../object/handle.ts';
import type { KernelCore } from '../object/kernel-core.ts';
import type { KernelObject } from '../object/kernel-object.ts';
import type { ProcessObject } from '../object/process.ts';
import { writeOut } from './args.ts';
import type { UserMemory } from './user.ts';

export interface SyscallContext {
  readonly core: KernelCore;
  readonly process: ProcessObject;
  /** The caller's address space, for buffers passed as virtual addresses. */
  readonly user: UserMemory;
}

/** Looks a handle up: the Handle, or a status. */
export function lookupHandle(ctx: SyscallContext, value: number): Handle | number {
  return ctx.process.handles.get(value) ?? ZX_ERR_BAD_HANDLE;
}

/** For lookups that accept any kind of object (Zircon's generic Dispatcher). */
export const ANY_TYPE = ANY_OBJECT;

/**
 * Looks up the handle `value` as the table entry's parameter `param` describes it (its object
 * type and the rights it always needs), plus `extraRights` where the options or topic ask for
 * more: the Handle (for syscalls that also need its rights), or a status, in Zircon's order
 * BAD_HANDLE, WRONG_TYPE, ACCESS_DENIED.
 */
export function handleWithRights(
  ctx: SyscallContext,
  value: number,
  param: HandleParam,
  extraRights = 0,
): Handle | number {
  const handle = ctx.process.handles.get(value);
  if (handle === undefined) return ZX_ERR_BAD_HANDLE;
  if (param.type !== ANY_OBJECT && handle.object.type !== param.type) return ZX_ERR_WRONG_TYPE;
  const rights = param.rights | extraRights;
  if ((handle.rights & rights) !== rights) return ZX_ERR_ACCESS_DENIED;
  return handle;
}

/** Like handleWithRights, for syscalls that need only the object: the object or a status. */
export function objectWithRights<T extends KernelObject>(
  ctx: SyscallContext,
  value: number,
  param: HandleParam,
  extraRights = 0,
): T | number {
  const handle = handleWithRights(ctx, value, param, extraRights);
  return typeof handle === 'number' ? handle : (handle.object as T);
}

/**
 * Looks up a handle to an object of `type` (or ANY_TYPE) with every right in `rights`: the
 * Handle (for syscalls that also need its rights), or a status.
 */
export function lookupWithRights(
  ctx: SyscallContext,
  value: number,
  type: number,
  rights: number,
): Handle | number {
  const handle = ctx.process.handles.get(value);
  if (handle === undefined) return ZX_ERR_BAD_HANDLE;
  if (type !== ANY_TYPE && handle.object.type !== type) return ZX_ERR_WRONG_TYPE;
  if ((handle.rights & rights) !== rights) return ZX_ERR_ACCESS_DENIED;
  return handle;
}

/** Like lookupWithRights, for syscalls that need only the object: the object or a status. */
export function lookup<T extends KernelObject>(
  ctx: SyscallContext,
  value: number,
  type: number,
  rights: number,
): T | number {
  const handle = lookupWithRights(ctx, value, type, rights);
  return typeof handle === 'number' ? handle : (handle.object as T);
}

/**
 * A new handle to `object`, in no table yet, or ZX_ERR_NO_MEMORY when the kernel's handle arena
 * is full (Handle::Make failing, which syscalls report as ZX_ERR_NO_MEMORY); a new object that
 * gets no handle is then undone, so the failed call leaves nothing behind.
 */
export function makeHandle(
  ctx: SyscallContext,
  object: KernelObject,
  rights: number,
): Handle | number {
  const handle = ctx.core.handleArena.make(object, rights);
  if (handle !== null) return handle;
  object.abandon();
  return ZX_ERR_NO_MEMORY;
}

/**
 * Adds a handle to the caller's table, then copies its value out, as Zircon's syscall glue
 * does: when `out` cannot be written the handle stays in the table (leaked, as in Zircon, which
 * also raises a policy exception) and the status is ZX_ERR_INVALID_ARGS.
 */
export function installAndCopyOut(ctx: SyscallContext, handle: Handle, out: unknown): number {
  const value = ctx.process.handles.add(handle);
  return writeOut(out, value) ? ZX_OK : ZX_ERR_INVALID_ARGS;
}

/** makeHandle, then installAndCopyOut. */
export function addHandleAndCopyOut(
  ctx: SyscallContext,
  object: KernelObject,
  rights: number,
  out: unknown,
): number {
  const handle = makeHandle(ctx, object, rights);
  return typeof handle === 'number' ? handle : installAndCopyOut(ctx, handle, out);
}
