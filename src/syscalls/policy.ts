// Job policy at the syscall edge: what the caller's job says about a condition.

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_OK,
  ZX_POL_ACTION_ALLOW,
  ZX_POL_ACTION_ALLOW_EXCEPTION,
} from '../abi/constants.ts';
import { policyName } from '../object/job-policy.ts';
import { fail, type SyscallContext } from './context.ts';

/**
 * ZX_OK when the caller's job allows `condition`, ZX_ERR_ACCESS_DENIED otherwise. The exception
 * actions raise no exception here (zxvm has no exception channels): ALLOW_EXCEPTION allows and
 * DENY_EXCEPTION denies; KILL denies (the process is not killed). ZX_POL_NEW_ANY is expanded
 * into every ZX_POL_NEW_* condition when the policy is set, as Zircon does.
 */
export function enforcePolicy(ctx: SyscallContext, condition: number): number {
  const action = ctx.process.policyAction(condition);
  return action === ZX_POL_ACTION_ALLOW || action === ZX_POL_ACTION_ALLOW_EXCEPTION
    ? ZX_OK
    : fail(ctx, ZX_ERR_ACCESS_DENIED, denied, condition, action);
}

function denied(condition: number, action: number): string {
  const names = `${policyName(condition, 'condition')} (${policyName(action, 'action')})`;
  return `the job policy denies ${names}`;
}
