// A job's basic policy (Zircon's object/job_policy.cc): an action per ZX_POL_* condition, and
// whether the entry is locked against change. Entries are applied to a copy, so that a call
// whose any entry fails leaves the policy as it was.

import * as constants from '../abi/constants.ts';
import {
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OK,
  ZX_POL_ACTION_ALLOW,
  ZX_POL_ACTION_MAX,
  ZX_POL_MAX,
  ZX_POL_NEW_ANY,
  ZX_POL_OVERRIDE_ALLOW,
  ZX_POL_OVERRIDE_DENY,
} from '../abi/constants.ts';
import { because } from '../util/reason.ts';

/** One zx_policy_basic_v2_t entry (V1 entries come as V2 with flags ZX_POL_OVERRIDE_DENY). */
export interface PolicyEntry {
  readonly condition: number;
  readonly action: number;
  readonly flags: number;
}

/** Every ZX_POL_NEW_* condition that ZX_POL_NEW_ANY stands for. */
const NEW_OBJECT_CONDITIONS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17];

// Reasons (src/util/reason.ts): each formatter gets the values it prints as arguments.

const CONDITION = /^ZX_POL_(?!ACTION_|OVERRIDE_|MAX$)/;
const ACTION = /^ZX_POL_ACTION_(?!MAX$)/;

/** The name of a ZX_POL_* condition or ZX_POL_ACTION_* action, or its number. */
export function policyName(value: number, kind: 'condition' | 'action'): string {
  const pattern = kind === 'action' ? ACTION : CONDITION;
  const found = Object.entries(constants).find(([name, v]) => v === value && pattern.test(name));
  return found?.[0] ?? String(value);
}

function tooMany(count: number): string {
  return `count (${count}) is above the number of conditions (ZX_POL_MAX, ${ZX_POL_MAX})`;
}

function unknownAction(action: number): string {
  return `an entry has an unknown action (${action})`;
}

function unknownFlags(flags: number): string {
  return `an entry has flags ${flags}: neither ZX_POL_OVERRIDE_ALLOW nor ZX_POL_OVERRIDE_DENY`;
}

function badCondition(condition: number): string {
  return condition === ZX_POL_NEW_ANY
    ? 'ZX_POL_NEW_ANY here'
    : `an entry has an unknown condition (${condition})`;
}

function lockedCondition(condition: number): string {
  return `${policyName(condition, 'condition')} is locked by ZX_POL_OVERRIDE_DENY (ABSOLUTE)`;
}

export class BasicPolicy {
  /** Action for each ZX_POL_* condition; missing entries are ALLOW. */
  private readonly actions: Map<number, number>;
  /** Conditions set with ZX_POL_OVERRIDE_DENY: their action may no longer change. */
  private readonly locked: Set<number>;

  /** A copy of `from`, or the root job's policy (everything allowed, nothing locked). */
  constructor(from?: BasicPolicy) {
    this.actions = new Map(from?.actions ?? []);
    this.locked = new Set(from?.locked ?? []);
  }

  /** The action for a condition (ZX_POL_ACTION_*), ALLOW when never set. */
  actionFor(condition: number): number {
    return this.actions.get(condition) ?? ZX_POL_ACTION_ALLOW;
  }

  /**
   * This policy with `entries` added (JobPolicy::AddBasicPolicy), or the status of the first
   * entry that fails. ABSOLUTE makes a change to a locked entry ZX_ERR_ALREADY_EXISTS; RELATIVE
   * keeps the locked entry silently.
   */
  with(entries: readonly PolicyEntry[], absolute: boolean): BasicPolicy | number {
    if (entries.length > ZX_POL_MAX) return because(ZX_ERR_OUT_OF_RANGE, tooMany, entries.length);
    const next = new BasicPolicy(this);
    // NEW_ANY's own override flags apply only after every entry of the call, so that
    // {NEW_ANY: DENY, NEW_VMO: ALLOW} denies everything but VMOs.
    let newAnyFlags: number | null = null;
    for (const entry of entries) {
      if (entry.condition === ZX_POL_NEW_ANY) {
        if (entry.action >= ZX_POL_ACTION_MAX) {
          return because(ZX_ERR_NOT_SUPPORTED, unknownAction, entry.action);
        }
        for (const condition of NEW_OBJECT_CONDITIONS) {
          const status = next.addPartial(absolute, condition, entry.action, ZX_POL_OVERRIDE_ALLOW);
          if (status !== ZX_OK) return status;
        }
        newAnyFlags = entry.flags;
        continue;
      }
      const status = next.addPartial(absolute, entry.condition, entry.action, entry.flags);
      if (status !== ZX_OK) return status;
    }
    if (newAnyFlags !== null) {
      if (newAnyFlags > ZX_POL_OVERRIDE_DENY) {
        return because(ZX_ERR_INVALID_ARGS, unknownFlags, newAnyFlags);
      }
      for (const condition of NEW_OBJECT_CONDITIONS) {
        if (newAnyFlags === ZX_POL_OVERRIDE_DENY) next.locked.add(condition);
        else next.locked.delete(condition);
      }
    }
    return next;
  }

  /** Applies one entry (JobPolicy::AddPartial). */
  private addPartial(absolute: boolean, condition: number, action: number, flags: number): number {
    if (action >= ZX_POL_ACTION_MAX) return because(ZX_ERR_NOT_SUPPORTED, unknownAction, action);
    if (flags > ZX_POL_OVERRIDE_DENY) return because(ZX_ERR_INVALID_ARGS, unknownFlags, flags);
    if (condition >= ZX_POL_MAX || condition === ZX_POL_NEW_ANY) {
      return because(ZX_ERR_INVALID_ARGS, badCondition, condition);
    }
    if (!this.locked.has(condition)) {
      this.actions.set(condition, action);
      if (flags === ZX_POL_OVERRIDE_DENY) this.locked.add(condition);
      return ZX_OK;
    }
    if (this.actionFor(condition) === action && flags === ZX_POL_OVERRIDE_DENY) return ZX_OK;
    return absolute ? because(ZX_ERR_ALREADY_EXISTS, lockedCondition, condition) : ZX_OK;
  }
}
