// The implementations of the syscall table, by name. The type below makes the compiler check
// that every table entry has an implementation whose parameters are its entry's decoded kinds
// (impl.ts); the binder (bind.ts) reads both.

import { SYSCALL_SPECS, type SyscallName } from '../abi/syscalls/index.ts';
import * as ddk from './ddk.ts';
import * as handle from './handle.ts';
import type { ImplOf } from './impl.ts';
import * as info from './info.ts';
import * as object from './object.ts';
import * as resource from './resource.ts';
import * as system from './system.ts';
import * as task from './task.ts';
import * as vmar from './vmar.ts';
import * as vmo from './vmo.ts';
import * as vmoChild from './vmo-child.ts';
import * as vmoOpRange from './vmo-op-range.ts';
import * as vmoTransfer from './vmo-transfer.ts';

export type Implementations = { readonly [K in SyscallName]: ImplOf<(typeof SYSCALL_SPECS)[K]> };

/** Every export of the syscall modules; the type check below is what pairs them with the table. */
const EXPORTS = {
  ...system,
  ...handle,
  ...object,
  ...info,
  ...task,
  ...resource,
  ...vmo,
  ...vmoChild,
  ...vmoOpRange,
  ...vmoTransfer,
  ...vmar,
  ...ddk,
};

const checked: Implementations = EXPORTS;

/** The implementation of each table entry, by name (and nothing else the modules export). */
export const IMPLEMENTATIONS = Object.fromEntries(
  Object.keys(SYSCALL_SPECS).map((name) => [name, checked[name as SyscallName]]),
) as unknown as Implementations;

/**
 * Syscalls whose implementations still decode their own arguments (the old calling
 * convention): the binder hands them the arguments as they came. TODO(table): empty it.
 */
export const LEGACY = new Set<string>([
  'zx_object_get_info',
  'zx_object_get_property',
  'zx_object_set_property',
  'zx_object_signal',
  'zx_object_wait_one',
  'zx_job_create',
  'zx_job_set_policy',
  'zx_process_create',
  'zx_resource_create',
  'zx_vmo_create',
  'zx_vmo_read',
  'zx_vmo_write',
  'zx_vmo_get_size',
  'zx_vmo_set_size',
  'zx_vmo_get_stream_size',
  'zx_vmo_set_stream_size',
  'zx_vmo_op_range',
  'zx_vmo_set_cache_policy',
  'zx_vmo_replace_as_executable',
  'zx_vmo_create_child',
  'zx_vmo_transfer_data',
]);
