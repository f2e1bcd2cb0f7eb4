// Jobs and processes: zx_job_create, zx_job_set_policy, zx_process_create.

import {
  ZX_DEFAULT_JOB_RIGHTS,
  ZX_DEFAULT_PROCESS_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_JOB_POL_ABSOLUTE,
  ZX_JOB_POL_BASIC_V1,
  ZX_JOB_POL_BASIC_V2,
  ZX_JOB_POL_RELATIVE,
  ZX_JOB_POL_TIMER_SLACK,
  ZX_MAX_NAME_LEN,
  ZX_OBJ_TYPE_JOB,
  ZX_OK,
  ZX_POL_ACTION_MAX,
  ZX_POL_MAX,
  ZX_POL_NEW_ANY,
  ZX_POL_NEW_PROCESS,
  ZX_POL_OVERRIDE_DENY,
  ZX_PROCESS_SHARED,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_MANAGE_JOB,
  ZX_RIGHT_MANAGE_PROCESS,
  ZX_RIGHT_READ,
  ZX_RIGHT_SET_POLICY,
  ZX_RIGHT_WRITE,
} from '../abi/constants.ts';
import type { JobObject } from '../object/job.ts';
import { handleValue, u32, u64 } from './args.ts';
import {
  addHandleAndCopyOut,
  installAndCopyOut,
  lookup,
  makeHandle,
  type SyscallContext,
} from './context.ts';
import { enforcePolicy } from './policy.ts';
import { copyIn, isUserBuffer } from './user.ts';

/** Every ZX_POL_NEW_* condition that ZX_POL_NEW_ANY stands for. */
const NEW_OBJECT_CONDITIONS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17];
const MAX_POLICY_COUNT = 32;

/**
 * zx_job_create(parent_job, options, out)
 * Rights: parent_job must be a job with ZX_RIGHT_MANAGE_JOB.
 * Errors: ZX_ERR_INVALID_ARGS (options not 0, checked first; out unusable);
 * ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED; ZX_ERR_OUT_OF_RANGE (nested 32 deep).
 */
export function zx_job_create(
  ctx: SyscallContext,
  parentJob: unknown,
  options: unknown,
  out: unknown,
): number {
  if (u32(options) !== 0) return ZX_ERR_INVALID_ARGS;
  const parent = lookup<JobObject>(
    ctx,
    handleValue(parentJob),
    ZX_OBJ_TYPE_JOB,
    ZX_RIGHT_MANAGE_JOB,
  );
  if (typeof parent === 'number') return parent;
  const job = ctx.core.createJob(parent);
  if (job === null) return ZX_ERR_OUT_OF_RANGE;
  return addHandleAndCopyOut(ctx, job, ZX_DEFAULT_JOB_RIGHTS, out);
}

interface PolicyEntry {
  condition: number;
  action: number;
  flags: number;
}

/**
 * zx_job_set_policy(handle, options, topic, policy, count)
 * Rights: handle must be a job with ZX_RIGHT_SET_POLICY.
 * Errors: ZX_ERR_INVALID_ARGS (unknown topic; options neither RELATIVE nor ABSOLUTE; policy NULL,
 * count 0 or above 32; bad flags or condition); ZX_ERR_BAD_HANDLE, ZX_ERR_WRONG_TYPE,
 * ZX_ERR_ACCESS_DENIED; ZX_ERR_BAD_STATE (the job has child jobs or processes);
 * ZX_ERR_OUT_OF_RANGE (count above ZX_POL_MAX); ZX_ERR_NOT_SUPPORTED (unknown action);
 * ZX_ERR_ALREADY_EXISTS (ABSOLUTE over a locked entry with another action).
 * Timer slack (ZX_JOB_POL_TIMER_SLACK) is accepted and checked but has no effect on the model.
 */
export function zx_job_set_policy(
  ctx: SyscallContext,
  handle: unknown,
  options: unknown,
  topic: unknown,
  policy: unknown,
  count: unknown,
): number {
  const opts = u32(options);
  const topic32 = u32(topic);
  const count32 = u32(count);
  if (opts === undefined || topic32 === undefined || count32 === undefined) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (!isUserBuffer(policy)) return ZX_ERR_INVALID_ARGS;
  if (topic32 === ZX_JOB_POL_TIMER_SLACK) return setTimerSlack(ctx, handle, opts, policy, count32);
  if (topic32 !== ZX_JOB_POL_BASIC_V1 && topic32 !== ZX_JOB_POL_BASIC_V2) {
    return ZX_ERR_INVALID_ARGS;
  }
  if (opts !== ZX_JOB_POL_RELATIVE && opts !== ZX_JOB_POL_ABSOLUTE) return ZX_ERR_INVALID_ARGS;
  if (policy === null || count32 === 0 || count32 > MAX_POLICY_COUNT) return ZX_ERR_INVALID_ARGS;
  const v2 = topic32 === ZX_JOB_POL_BASIC_V2;
  const recordSize = v2 ? 12 : 8;
  const bytes = copyIn(ctx.user, policy, recordSize * count32);
  if (typeof bytes === 'number') return bytes;
  const job = lookup<JobObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_JOB, ZX_RIGHT_SET_POLICY);
  if (typeof job === 'number') return job;
  const view = new DataView(bytes.buffer, bytes.byteOffset, recordSize * count32);
  const entries: PolicyEntry[] = [];
  for (let i = 0; i < count32; i++) {
    const at = i * recordSize;
    entries.push({
      condition: view.getUint32(at, true),
      action: view.getUint32(at + 4, true),
      flags: v2 ? view.getUint32(at + 8, true) : ZX_POL_OVERRIDE_DENY,
    });
  }
  if (job.hasChildren) return ZX_ERR_BAD_STATE;
  if (count32 > ZX_POL_MAX) return ZX_ERR_OUT_OF_RANGE;
  const actions = new Map(job.policy);
  const locked = new Set(job.locked);
  const absolute = opts === ZX_JOB_POL_ABSOLUTE;
  // NEW_ANY's own override flags apply only after every entry of the call, so that
  // {NEW_ANY: DENY, NEW_VMO: ALLOW} denies everything but VMOs (as Zircon's JobPolicy does).
  let newAnyFlags: number | null = null;
  for (const entry of entries) {
    if (entry.condition === ZX_POL_NEW_ANY) {
      if (entry.action >= ZX_POL_ACTION_MAX) return ZX_ERR_NOT_SUPPORTED;
      for (const condition of NEW_OBJECT_CONDITIONS) {
        const status = addPartial(actions, locked, absolute, condition, entry.action, 0);
        if (status !== ZX_OK) return status;
      }
      newAnyFlags = entry.flags;
      continue;
    }
    const status = addPartial(
      actions,
      locked,
      absolute,
      entry.condition,
      entry.action,
      entry.flags,
    );
    if (status !== ZX_OK) return status;
  }
  if (newAnyFlags !== null) {
    if (newAnyFlags > 1) return ZX_ERR_INVALID_ARGS;
    for (const condition of NEW_OBJECT_CONDITIONS) {
      if (newAnyFlags === ZX_POL_OVERRIDE_DENY) locked.add(condition);
      else locked.delete(condition);
    }
  }
  job.replacePolicy(actions, locked);
  return ZX_OK;
}

/** Applies one entry to a working copy of a job's policy (Zircon's JobPolicy::AddPartial). */
function addPartial(
  actions: Map<number, number>,
  locked: Set<number>,
  absolute: boolean,
  condition: number,
  action: number,
  flags: number,
): number {
  if (action >= ZX_POL_ACTION_MAX) return ZX_ERR_NOT_SUPPORTED;
  if (flags > 1) return ZX_ERR_INVALID_ARGS;
  if (condition >= ZX_POL_MAX || condition === ZX_POL_NEW_ANY) return ZX_ERR_INVALID_ARGS;
  if (!locked.has(condition)) {
    actions.set(condition, action);
    if (flags === ZX_POL_OVERRIDE_DENY) locked.add(condition);
    return ZX_OK;
  }
  const current = actions.get(condition) ?? 0;
  if (current === action && flags === ZX_POL_OVERRIDE_DENY) return ZX_OK;
  return absolute ? ZX_ERR_ALREADY_EXISTS : ZX_OK;
}

function setTimerSlack(
  ctx: SyscallContext,
  handle: unknown,
  options: number,
  policy: unknown,
  count: number,
): number {
  if (options !== ZX_JOB_POL_RELATIVE) return ZX_ERR_INVALID_ARGS;
  if (policy === null || count !== 1) return ZX_ERR_INVALID_ARGS;
  const bytes = copyIn(ctx.user, policy as Uint8Array, 16);
  if (typeof bytes === 'number') return bytes;
  const job = lookup<JobObject>(ctx, handleValue(handle), ZX_OBJ_TYPE_JOB, ZX_RIGHT_SET_POLICY);
  if (typeof job === 'number') return job;
  if (job.hasChildren) return ZX_ERR_BAD_STATE;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  const minSlack = view.getBigInt64(0, true);
  const mode = view.getUint32(8, true);
  if (minSlack < 0n || mode > 2) return ZX_ERR_INVALID_ARGS;
  return ZX_OK;
}

/**
 * zx_process_create(job, name, name_size, options, proc_handle, vmar_handle)
 * Rights: job must be a job with ZX_RIGHT_MANAGE_PROCESS; the caller's job policy must allow
 * ZX_POL_NEW_PROCESS.
 * Errors: ZX_ERR_INVALID_ARGS (options other than 0 or ZX_PROCESS_SHARED; name NULL, even with
 * name_size 0; outs unusable); ZX_ERR_ACCESS_DENIED (policy); ZX_ERR_BAD_HANDLE,
 * ZX_ERR_WRONG_TYPE, ZX_ERR_ACCESS_DENIED (job); ZX_ERR_NO_MEMORY (the kernel's handle arena
 * cannot hold both new handles).
 */
export function zx_process_create(
  ctx: SyscallContext,
  job: unknown,
  name: unknown,
  nameSize: unknown,
  options: unknown,
  procHandle: unknown,
  vmarHandle: unknown,
): number {
  const opts = u32(options);
  const size = u64(nameSize);
  if (opts === undefined || size === undefined || !isUserBuffer(name)) return ZX_ERR_INVALID_ARGS;
  if (opts !== 0 && opts !== ZX_PROCESS_SHARED) return ZX_ERR_INVALID_ARGS;
  const policy = enforcePolicy(ctx, ZX_POL_NEW_PROCESS);
  if (policy !== ZX_OK) return policy;
  if (name === null) return ZX_ERR_INVALID_ARGS;
  const length = size > BigInt(ZX_MAX_NAME_LEN) ? ZX_MAX_NAME_LEN : Number(size);
  const bytes = copyIn(ctx.user, name, length);
  if (typeof bytes === 'number') return bytes;
  const raw = bytes.subarray(0, Math.min(length, ZX_MAX_NAME_LEN - 1));
  const nul = raw.indexOf(0);
  const text = new TextDecoder().decode(raw.subarray(0, nul < 0 ? raw.length : nul));
  const parent = lookup<JobObject>(ctx, handleValue(job), ZX_OBJ_TYPE_JOB, ZX_RIGHT_MANAGE_PROCESS);
  if (typeof parent === 'number') return parent;
  const process = ctx.core.createProcess(parent, text);
  // Both handles are made before either goes in the table (as Zircon's glue makes both, then
  // copies both out), so a full handle arena leaves nothing behind: closing the process handle
  // kills the process, which never ran.
  const newProcess = makeHandle(ctx, process, ZX_DEFAULT_PROCESS_RIGHTS);
  if (typeof newProcess === 'number') return newProcess;
  const vmarRights = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;
  const newVmar = ctx.core.handleArena.make(process.rootVmar!, vmarRights);
  if (newVmar === null) {
    ctx.core.handleArena.destroy(newProcess);
    return ZX_ERR_NO_MEMORY;
  }
  const status = installAndCopyOut(ctx, newProcess, procHandle);
  if (status !== ZX_OK) {
    ctx.core.handleArena.destroy(newVmar);
    return status;
  }
  return installAndCopyOut(ctx, newVmar, vmarHandle);
}
