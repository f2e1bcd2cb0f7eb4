// What an implementation of a syscall receives: its arguments decoded by kind (see bind.ts),
// typed from its table entry, so that an implementation whose parameters do not match its entry
// fails to compile.

import type { HandleParam, ParamSpec, SyscallSpec, U64Param } from '../abi/syscall-spec.ts';
import type { Dispatcher } from '../object/dispatcher.ts';
import { Handle } from '../object/handle.ts';
import { assert } from '../util/assert.ts';
import type { SyscallContext } from './context.ts';
import type { UserBuffer } from './user.ts';

/**
 * Where a syscall puts a handle it creates (Zircon's user_out_handle). The binder installs it
 * in the caller's table and copies its value out once the call has succeeded.
 */
export class HandleOut {
  private handle: Handle | null = null;

  /** Makes the handle this out-parameter will receive. */
  set(object: Dispatcher, rights: number): void {
    assert(this.handle === null, 'out handle set twice');
    object.retain(); // the new handle's reference, until the table takes it over
    this.handle = new Handle(object, rights);
  }

  /**
   * The handle, with the reference it holds, for the binder to install (a successful call
   * always sets it); the binder releases that reference once the table holds its own.
   */
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
    handle.object.release();
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
        : P extends { readonly kind: 'buffer_in' | 'buffer_out' }
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
