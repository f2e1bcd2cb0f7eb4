// The syscall surface of one process: every implementation, bound to its calling context.

import { processCallStatus } from '../object/process.ts';
import type { SyscallContext } from './context.ts';
import {
  zx_bti_create,
  zx_bti_pin,
  zx_bti_release_quarantine,
  zx_iommu_create,
  zx_pmt_unpin,
  zx_vmo_create_contiguous,
  zx_vmo_create_physical,
} from './ddk.ts';
import { zx_handle_close, zx_handle_duplicate, zx_handle_replace } from './handle.ts';
import { zx_object_get_info } from './info.ts';
import {
  zx_object_get_property,
  zx_object_set_property,
  zx_object_signal,
  zx_object_wait_one,
} from './object.ts';
import { zx_resource_create } from './resource.ts';
import { zx_system_get_page_size } from './system.ts';
import { zx_job_create, zx_job_set_policy, zx_process_create } from './task.ts';
import {
  zx_vmar_allocate,
  zx_vmar_destroy,
  zx_vmar_map,
  zx_vmar_op_range,
  zx_vmar_protect,
  zx_vmar_unmap,
} from './vmar.ts';
import {
  zx_vmo_create,
  zx_vmo_get_size,
  zx_vmo_get_stream_size,
  zx_vmo_read,
  zx_vmo_replace_as_executable,
  zx_vmo_set_cache_policy,
  zx_vmo_set_size,
  zx_vmo_set_stream_size,
  zx_vmo_write,
} from './vmo.ts';
import { zx_vmo_create_child } from './vmo-child.ts';
import { zx_vmo_op_range } from './vmo-op-range.ts';
import { zx_vmo_transfer_data } from './vmo-transfer.ts';

// biome-ignore lint/suspicious/noExplicitAny: implementations take `unknown` arguments.
type Impl = (ctx: SyscallContext, ...args: any[]) => number;

/** Every implemented syscall by name; the table in abi/syscalls.ts lists their parameters. */
export const IMPLEMENTATIONS = {
  zx_system_get_page_size,
  zx_handle_close,
  zx_handle_duplicate,
  zx_handle_replace,
  zx_object_get_info,
  zx_object_get_property,
  zx_object_set_property,
  zx_object_signal,
  zx_object_wait_one,
  zx_job_create,
  zx_job_set_policy,
  zx_process_create,
  zx_resource_create,
  zx_vmo_create,
  zx_vmo_read,
  zx_vmo_write,
  zx_vmo_get_size,
  zx_vmo_set_size,
  zx_vmo_get_stream_size,
  zx_vmo_set_stream_size,
  zx_vmo_op_range,
  zx_vmo_set_cache_policy,
  zx_vmo_replace_as_executable,
  zx_vmo_create_child,
  zx_vmo_transfer_data,
  zx_vmo_create_contiguous,
  zx_vmo_create_physical,
  zx_vmar_allocate,
  zx_vmar_map,
  zx_vmar_unmap,
  zx_vmar_protect,
  zx_vmar_destroy,
  zx_vmar_op_range,
  zx_iommu_create,
  zx_bti_create,
  zx_bti_pin,
  zx_bti_release_quarantine,
  zx_pmt_unpin,
} satisfies Record<string, Impl>;

type Implementations = typeof IMPLEMENTATIONS;
type DropContext<F> = F extends (ctx: SyscallContext, ...args: infer A) => number
  ? (...args: { [K in keyof A]: unknown }) => number
  : never;

/** The `syscalls` object of a Process: each zx_* function with the context bound. */
export type Syscalls = { [K in keyof Implementations]: DropContext<Implementations[K]> };

export function bindSyscalls(ctx: SyscallContext): Syscalls {
  const bound: Record<string, unknown> = {};
  for (const [name, impl] of Object.entries(IMPLEMENTATIONS) as [string, Impl][]) {
    bound[name] = bindAlive(ctx, impl); // process-alive check
  }
  return bound as Syscalls;
}

/** `impl` bound to `ctx`, refusing every call once the process is dying or dead. */
function bindAlive(ctx: SyscallContext, impl: Impl): (...args: unknown[]) => number {
  const call = (...args: unknown[]) => processCallStatus(ctx.process) || impl(ctx, ...args);
  // Keep the arity of the C prototype, as a bound function would.
  return Object.defineProperty(call, 'length', { value: Math.max(0, impl.length - 1) });
}
