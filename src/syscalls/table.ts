// The implementations of the syscall table, by name. The type below makes the compiler check
// that every table entry has an implementation whose parameters are its entry's decoded kinds
// (impl.ts); the binder (bind.ts) reads both.

import { SYSCALL_SPECS, type SyscallName } from '../abi/syscalls/index.ts';
import * as channel from './channel.ts';
import * as channelCall from './channel-call.ts';
import * as ddk from './ddk.ts';
import * as handle from './handle.ts';
import type { ImplOf } from './impl.ts';
import * as info from './info.ts';
import * as object from './object.ts';
import * as objectWait from './object-wait.ts';
import * as pager from './pager.ts';
import * as port from './port.ts';
import * as resource from './resource.ts';
import * as system from './system.ts';
import * as task from './task.ts';
import * as taskKill from './task-kill.ts';
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
  ...objectWait,
  ...taskKill,
  ...port,
  ...channel,
  ...channelCall,
  ...pager,
};

const checked: Implementations = EXPORTS;

/** The implementation of each table entry, by name (and nothing else the modules export). */
export const IMPLEMENTATIONS = Object.fromEntries(
  Object.keys(SYSCALL_SPECS).map((name) => [name, checked[name as SyscallName]]),
) as unknown as Implementations;
