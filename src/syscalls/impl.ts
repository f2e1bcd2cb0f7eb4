// What an implementation of a syscall receives: its arguments decoded by kind (see bind.ts),
// typed from its table entry, so that an implementation whose parameters do not match its entry
// fails to compile.

import { ZX_ERR_NO_MEMORY, ZX_OK } from '../abi/constants.ts';
import type { HandleParam, ParamSpec, SyscallSpec, U64Param } from '../abi/syscall-spec.ts';
import type { Dispatcher } from '../object/dispatcher.ts';
import type { Handle, HandleArena } from '../object/handle.ts';
import { assert } from '../util/assert.ts';
import { because } from '../util/reason.ts';
import { ARENA_FULL, type SyscallContext } from './context.ts';
import type { UserBuffer } from './user.ts';

/**
 * Where a syscall puts a handle it creates (Zircon's out handle). The binder installs it in the
 * caller's table and copies its value out once the call has succeeded; a call that fails, or
 * whose value cannot be copied out, has its new handles destroyed.
 */
export class HandleOut {
  private handle: Handle | null = null;
  private readonly arena: HandleArena;

  constructor(arena: HandleArena) {
    this.arena = arena;
  }

  /**
   * Makes the handle this out-parameter will receive: ZX_OK, or ZX_ERR_NO_MEMORY when the
   * kernel's handle arena is full (a new object is then undone, as Zircon's KernelHandle does).
   */
  set(object: Dispatcher, rights: number): number {
    assert(this.handle === null, 'out handle set twice');
    const handle = this.arena.make(object, rights);
    if (handle === null) {
      object.abandon();
      return because(ZX_ERR_NO_MEMORY, ARENA_FULL);
    }
    this.handle = handle;
    return ZX_OK;
  }

  /** The handle, for the binder to install (a successful call always sets it). */
  claim(): Handle {
    const handle = this.handle;
    assert(handle !== null, 'a successful syscall left an out handle unset');
    this.handle = null;
    return handle;
  }

  /** The call failed: a handle made before the failure is destroyed. */
  discard(): void {
    const handle = this.handle;
    if (handle === null) return;
    this.handle = null;
    this.arena.destroy(handle);
  }
}

/** An out-parameter as the caller gave it: written with copyOutU32/copyOutU64 (user.ts). */
export type UserOut = unknown;

export type ImplArg<P> = P extends HandleParam & { readonly consumed: true }
  ? Handle
  : P extends { readonly kind: 'handle' | 'u32' }
    ? number
    : P extends U64Param & { readonly raw: true }
      ? unknown
      : P extends { readonly kind: 'u64' | 'time' }
        ? bigint
        : P extends { readonly kind: 'buffer_in' | 'buffer_out' | 'struct_in' | 'struct_out' }
          ? UserBuffer
          : P extends { readonly kind: 'out_handle' }
            ? HandleOut
            : UserOut;

export type ImplArgs<P extends readonly ParamSpec[]> = { -readonly [K in keyof P]: ImplArg<P[K]> };

/** The implementation of the syscall `S`. */
export type ImplOf<S extends SyscallSpec> = (
  ctx: SyscallContext,
  ...args: ImplArgs<S['params']>
) => number;
