// Jobs and processes: zx_job_create, zx_job_set_policy, zx_process_create. Rights and errors:
// src/abi/syscalls/task.ts.

import {
  ZX_DEFAULT_JOB_RIGHTS,
  ZX_DEFAULT_PROCESS_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_JOB_POL_ABSOLUTE,
  ZX_JOB_POL_BASIC_V1,
  ZX_JOB_POL_BASIC_V2,
  ZX_JOB_POL_RELATIVE,
  ZX_JOB_POL_TIMER_SLACK,
  ZX_MAX_NAME_LEN,
  ZX_OK,
  ZX_POL_NEW_PROCESS,
  ZX_POL_OVERRIDE_DENY,
  ZX_PROCESS_SHARED,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
} from '../abi/constants.ts';
import { ZX_POLICY_BASIC_SIZE, ZX_POLICY_BASIC_V2_SIZE } from '../abi/structs.ts';
import { TASK_SYSCALLS as S } from '../abi/syscalls/task.ts';
import type { JobDispatcher } from '../object/job-dispatcher.ts';
import type { PolicyEntry } from '../object/job-policy.ts';
import { hex } from '../util/reason.ts';
import { fail, objectWithRights, type SyscallContext } from './context.ts';
import type { HandleOut } from './impl.ts';
import { enforcePolicy } from './policy.ts';
import { copyIn, type UserBuffer } from './user.ts';
import { notZero, unknownBits } from './why.ts';

function unknownTopic(topic: number): string {
  return `topic (${hex(topic >>> 0)}) is not a ZX_JOB_POL_* topic`;
}

function badCount(count: number): string {
  return `count is ${count}: between 1 and ${MAX_POLICY_COUNT} records`;
}

/** The most records one zx_job_set_policy call takes (the kernel's inline array). */
const MAX_POLICY_COUNT = 32;

/** zx_policy_timer_slack_t: min_slack (i64), default_mode (u32), 4 bytes of padding. */
const TIMER_SLACK_SIZE = 16;

/**
 * zx_job_create(parent_job, options, out): a child job with a copy of its parent's policy;
 * options must be 0.
 * Rights and errors: its entry in src/abi/syscalls/task.ts.
 */
export function zx_job_create(
  ctx: SyscallContext,
  parentJob: number,
  options: number,
  out: HandleOut,
): number {
  if (options !== 0) return fail(ctx, ZX_ERR_INVALID_ARGS, notZero, 'options', options);
  const parent = objectWithRights<JobDispatcher>(ctx, parentJob, S.zx_job_create.params[0]);
  if (typeof parent === 'number') return parent;
  const job = ctx.core.createJob(parent);
  if (job === null)
    return fail(ctx, ZX_ERR_OUT_OF_RANGE, 'parent_job is already nested 32 jobs deep');
  return out.set(job, ZX_DEFAULT_JOB_RIGHTS);
}

/**
 * zx_job_set_policy(handle, options, topic, policy, count): the arguments and the records are
 * checked and read before the handle is looked up. V1 records are locked
 * (ZX_POL_OVERRIDE_DENY). Timer slack is checked but has no effect on the model.
 * Rights and errors: its entry in src/abi/syscalls/task.ts.
 */
export function zx_job_set_policy(
  ctx: SyscallContext,
  handle: number,
  options: number,
  topic: number,
  policy: UserBuffer,
  count: number,
): number {
  if (topic === ZX_JOB_POL_TIMER_SLACK) return setTimerSlack(ctx, handle, options, policy, count);
  if (topic !== ZX_JOB_POL_BASIC_V1 && topic !== ZX_JOB_POL_BASIC_V2) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unknownTopic, topic);
  }
  if (options !== ZX_JOB_POL_RELATIVE && options !== ZX_JOB_POL_ABSOLUTE) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, 'options is neither ZX_JOB_POL_RELATIVE nor ABSOLUTE');
  }
  if (policy === null) return fail(ctx, ZX_ERR_INVALID_ARGS, 'policy is NULL');
  if (count === 0 || count > MAX_POLICY_COUNT) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, badCount, count);
  }
  const v2 = topic === ZX_JOB_POL_BASIC_V2;
  const recordSize = v2 ? ZX_POLICY_BASIC_V2_SIZE : ZX_POLICY_BASIC_SIZE;
  const bytes = copyIn(ctx.user, policy, recordSize * count);
  if (typeof bytes === 'number') return bytes;
  const job = objectWithRights<JobDispatcher>(ctx, handle, S.zx_job_set_policy.params[0]);
  if (typeof job === 'number') return job;
  const view = new DataView(bytes.buffer, bytes.byteOffset, recordSize * count);
  const entries: PolicyEntry[] = [];
  for (let at = 0; at < recordSize * count; at += recordSize) {
    entries.push({
      condition: view.getUint32(at, true),
      action: view.getUint32(at + 4, true),
      flags: v2 ? view.getUint32(at + 8, true) : ZX_POL_OVERRIDE_DENY,
    });
  }
  return job.setBasicPolicy(entries, options === ZX_JOB_POL_ABSOLUTE);
}

/** ZX_JOB_POL_TIMER_SLACK: one zx_policy_timer_slack_t, RELATIVE only. */
function setTimerSlack(
  ctx: SyscallContext,
  handle: number,
  options: number,
  policy: UserBuffer,
  count: number,
): number {
  if (options !== ZX_JOB_POL_RELATIVE) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, 'timer slack takes options ZX_JOB_POL_RELATIVE only');
  }
  if (policy === null) return fail(ctx, ZX_ERR_INVALID_ARGS, 'policy is NULL');
  if (count !== 1) return fail(ctx, ZX_ERR_INVALID_ARGS, 'timer slack takes count 1');
  const bytes = copyIn(ctx.user, policy, TIMER_SLACK_SIZE);
  if (typeof bytes === 'number') return bytes;
  const job = objectWithRights<JobDispatcher>(ctx, handle, S.zx_job_set_policy.params[0]);
  if (typeof job === 'number') return job;
  const view = new DataView(bytes.buffer, bytes.byteOffset, TIMER_SLACK_SIZE);
  return job.setTimerSlack(view.getBigInt64(0, true), view.getUint32(8, true));
}

/**
 * zx_process_create(job, name, name_size, options, proc_handle, vmar_handle): the caller's
 * policy and the name come before the job handle. The name is cut to 31 bytes and ends at its
 * first NUL. If either handle cannot be copied out, the binder destroys both, and the process,
 * which never ran, dies with its handle.
 * Rights and errors: its entry in src/abi/syscalls/task.ts.
 */
export function zx_process_create(
  ctx: SyscallContext,
  job: number,
  name: UserBuffer,
  nameSize: bigint,
  options: number,
  procHandle: HandleOut,
  vmarHandle: HandleOut,
): number {
  if (options !== 0 && options !== ZX_PROCESS_SHARED) {
    return fail(ctx, ZX_ERR_INVALID_ARGS, unknownBits, 'options', options & ~ZX_PROCESS_SHARED);
  }
  const policy = enforcePolicy(ctx, ZX_POL_NEW_PROCESS);
  if (policy !== ZX_OK) return policy;
  if (name === null) return fail(ctx, ZX_ERR_INVALID_ARGS, 'name is NULL');
  const length = nameSize > BigInt(ZX_MAX_NAME_LEN) ? ZX_MAX_NAME_LEN : Number(nameSize);
  const bytes = copyIn(ctx.user, name, length);
  if (typeof bytes === 'number') return bytes;
  const raw = bytes.subarray(0, Math.min(length, ZX_MAX_NAME_LEN - 1));
  const nul = raw.indexOf(0);
  const text = new TextDecoder().decode(raw.subarray(0, nul < 0 ? raw.length : nul));
  const parent = objectWithRights<JobDispatcher>(ctx, job, S.zx_process_create.params[0]);
  if (typeof parent === 'number') return parent;
  const process = ctx.core.createProcess(parent, text);
  // Both handles are made before either is copied out: when the handle arena cannot hold
  // both, the binder destroys the one made, and the process, which never ran, dies with it.
  const made = procHandle.set(process, ZX_DEFAULT_PROCESS_RIGHTS);
  if (made !== ZX_OK) return made;
  // The root VMAR may map anything: its handle gets READ, WRITE and EXECUTE too.
  const vmarRights = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;
  return vmarHandle.set(process.rootVmar!, vmarRights);
}
