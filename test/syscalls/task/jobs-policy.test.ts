// zx_job_create, zx_job_set_policy (basic V1/V2 and timer slack), zx_process_create and
// kernel.processFor: the policy a process obeys is its job's, set only while the job is empty.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_JOB_RIGHTS,
  ZX_DEFAULT_PROCESS_RIGHTS,
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_ALREADY_EXISTS,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_JOB_POL_ABSOLUTE,
  ZX_JOB_POL_BASIC_V1,
  ZX_JOB_POL_BASIC_V2,
  ZX_JOB_POL_RELATIVE,
  ZX_JOB_POL_TIMER_SLACK,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OBJ_TYPE_VMAR,
  ZX_OK,
  ZX_POL_ACTION_ALLOW,
  ZX_POL_ACTION_ALLOW_EXCEPTION,
  ZX_POL_ACTION_DENY,
  ZX_POL_ACTION_DENY_EXCEPTION,
  ZX_POL_ACTION_KILL,
  ZX_POL_BAD_HANDLE,
  ZX_POL_NEW_ANY,
  ZX_POL_NEW_PROCESS,
  ZX_POL_NEW_VMO,
  ZX_POL_OVERRIDE_ALLOW,
  ZX_POL_OVERRIDE_DENY,
  ZX_PROCESS_SHARED,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_MANAGE_JOB,
  ZX_RIGHT_MANAGE_PROCESS,
  ZX_RIGHT_READ,
  ZX_RIGHT_SET_POLICY,
  ZX_RIGHT_WRITE,
} from '../../../src/abi/constants.ts';
import type { Kernel } from '../../../src/kernel.ts';
import type { Process } from '../../../src/process.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  ARENA_FULL,
  createChildJob,
  createVmo,
  duplicate,
  encodePolicy,
  expectFailure,
  expectStatus,
  handleBasic,
  kmemStats,
  newProcess,
  out,
  PAGE,
  type PolicyEntry,
  smallArena,
  spawnProcess,
  untyped,
} from '../../helpers.ts';

function setPolicy(
  sys: Syscalls,
  job: number,
  entries: readonly PolicyEntry[],
  { v2 = false, absolute = true } = {},
): number {
  const topic = v2 ? ZX_JOB_POL_BASIC_V2 : ZX_JOB_POL_BASIC_V1;
  const options = absolute ? ZX_JOB_POL_ABSOLUTE : ZX_JOB_POL_RELATIVE;
  return sys.zx_job_set_policy(job, options, topic, encodePolicy(entries, v2), entries.length);
}

/** Whether a new process in `job` may create a VMO. */
function canCreateVmo(kernel: Kernel, owner: Process, job: number): boolean {
  const child = spawnProcess(kernel, owner, job);
  const status = child.sys.zx_vmo_create(PAGE, 0, out(0));
  assert.ok(status === ZX_OK || status === ZX_ERR_ACCESS_DENIED, `status ${status}`);
  return status === ZX_OK;
}

/** Out-parameters no handle can be copied into: NULL and a frozen object. */
const UNWRITABLE_OUTS: readonly unknown[] = [null, Object.freeze({ value: 0 })];

/** A V2 entry that changes nothing a test looks at (and leaves the entry unlocked). */
const ALLOW_VMO: PolicyEntry = { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_ALLOW };

function slack(minSlack: bigint, mode: number): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setBigInt64(0, minSlack, true);
  view.setUint32(8, mode, true);
  return bytes;
}

describe('zx_job_create', () => {
  it('creates a child job with the default job rights, related to its parent', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const basic = handleBasic(sys, job);
    assert.equal(basic.rights, ZX_DEFAULT_JOB_RIGHTS);
    assert.equal(basic.related_koid, handleBasic(sys, proc.job).koid);
  });

  it('gives INVALID_ARGS for non-zero options, before looking at the handle', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_job_create(proc.job, 1, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_job_create(0, 1, out(0)), ZX_ERR_INVALID_ARGS);
  });

  it('gives BAD_HANDLE, WRONG_TYPE, then ACCESS_DENIED without MANAGE_JOB', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_job_create(0, 0, out(0)), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_job_create(createVmo(sys, PAGE), 0, out(0)), ZX_ERR_WRONG_TYPE);
    expectStatus(sys.zx_job_create(proc.self, 0, out(0)), ZX_ERR_WRONG_TYPE);
    const noManage = duplicate(sys, proc.job, ZX_DEFAULT_JOB_RIGHTS & ~ZX_RIGHT_MANAGE_JOB);
    expectStatus(sys.zx_job_create(noManage, 0, out(0)), ZX_ERR_ACCESS_DENIED);
  });

  it('gives OUT_OF_RANGE below 32 levels of nesting', () => {
    const { proc, sys } = newProcess();
    let job: number = proc.job;
    for (let depth = 1; depth <= 32; depth++) job = createChildJob(sys, job);
    expectStatus(sys.zx_job_create(job, 0, out(0)), ZX_ERR_OUT_OF_RANGE);
  });

  it('gives INVALID_ARGS for an unusable out pointer', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_job_create(proc.job, 0, null), ZX_ERR_INVALID_ARGS);
  });

  it('destroys a job whose handle cannot be copied out: no handle stays, the parent is empty', () => {
    const { proc, sys } = newProcess();
    const parent = createChildJob(sys, proc.job);
    for (const bad of UNWRITABLE_OUTS) {
      const before = proc.object.handles.size;
      expectStatus(untyped(sys).zx_job_create(parent, 0, bad), ZX_ERR_INVALID_ARGS);
      assert.equal(proc.object.handles.size, before, 'a handle was left in the table');
      // Policy can be set only on a job without children: the new job is gone from its parent.
      expectStatus(setPolicy(sys, parent, [ALLOW_VMO], { v2: true }), ZX_OK);
    }
  });

  it('copies the parent policy into the child', () => {
    const { kernel, proc, sys } = newProcess();
    const parent = createChildJob(sys, proc.job);
    expectStatus(
      setPolicy(sys, parent, [{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }]),
      ZX_OK,
    );
    const child = createChildJob(sys, parent);
    assert.equal(canCreateVmo(kernel, proc, child), false);
  });

  it('gives NO_MEMORY when the handle arena is full, and the parent keeps no child', () => {
    const { proc, sys, fill } = smallArena();
    const job = createChildJob(sys, proc.job);
    fill(job);
    expectFailure(proc, sys.zx_job_create(job, 0, out(0)), ZX_ERR_NO_MEMORY, ARENA_FULL);
    expectStatus(setPolicy(sys, job, [ALLOW_VMO], { v2: true }), ZX_OK);
  });
});

describe('zx_job_set_policy: basic policy', () => {
  for (const [name, action, allowed] of [
    ['ALLOW', ZX_POL_ACTION_ALLOW, true],
    ['DENY', ZX_POL_ACTION_DENY, false],
    ['ALLOW_EXCEPTION', ZX_POL_ACTION_ALLOW_EXCEPTION, true],
    ['DENY_EXCEPTION', ZX_POL_ACTION_DENY_EXCEPTION, false],
    ['KILL', ZX_POL_ACTION_KILL, false],
  ] as const) {
    it(`applies ${name} on ZX_POL_NEW_VMO to processes created in the job`, () => {
      const { kernel, proc, sys } = newProcess();
      const job = createChildJob(sys, proc.job);
      expectStatus(setPolicy(sys, job, [{ condition: ZX_POL_NEW_VMO, action }]), ZX_OK);
      assert.equal(canCreateVmo(kernel, proc, job), allowed);
    });
  }

  it('takes V2 records with override flags', () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const entries = [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY, flags: ZX_POL_OVERRIDE_DENY },
    ];
    expectStatus(setPolicy(sys, job, entries, { v2: true }), ZX_OK);
    assert.equal(canCreateVmo(kernel, proc, job), false);
  });

  it('gives INVALID_ARGS for an unknown topic, then for unknown options, before the handle', () => {
    const { sys } = newProcess();
    const policy = encodePolicy([{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }]);
    expectStatus(sys.zx_job_set_policy(0, 7, 2, policy, 1), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_job_set_policy(0, 2, ZX_JOB_POL_BASIC_V1, policy, 1), ZX_ERR_INVALID_ARGS);
  });

  it('gives INVALID_ARGS for a NULL policy, a count of 0 or a count above 32, before the handle', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    for (const count of [0, 1, 5]) {
      expectStatus(
        sys.zx_job_set_policy(job, 1, 0, null, count),
        ZX_ERR_INVALID_ARGS,
        `NULL, ${count}`,
      );
    }
    const one = encodePolicy([{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }]);
    expectStatus(sys.zx_job_set_policy(job, 1, 0, one, 0), ZX_ERR_INVALID_ARGS);
    const many = encodePolicy(Array.from({ length: 33 }, () => ({ condition: 4, action: 0 })));
    expectStatus(sys.zx_job_set_policy(job, 1, 0, many, 33), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_job_set_policy(0, 1, 0, many, 33), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_job_set_policy(0, 1, 0, one, 0), ZX_ERR_INVALID_ARGS);
  });

  it('gives INVALID_ARGS when the records cannot be read, NOT_FOUND for a short host buffer', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    expectStatus(sys.zx_job_set_policy(job, 1, 0, 0x20_0000, 1), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_job_set_policy(job, 1, 0, new Uint8Array(12), 2), ZX_ERR_NOT_FOUND);
  });

  it('gives BAD_HANDLE, WRONG_TYPE, then ACCESS_DENIED without SET_POLICY', () => {
    const { proc, sys } = newProcess();
    const entries = [{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }];
    expectStatus(setPolicy(sys, 0, entries), ZX_ERR_BAD_HANDLE);
    expectStatus(setPolicy(sys, createVmo(sys, PAGE), entries), ZX_ERR_WRONG_TYPE);
    const job = createChildJob(sys, proc.job);
    const noPolicy = duplicate(sys, job, ZX_DEFAULT_JOB_RIGHTS & ~ZX_RIGHT_SET_POLICY);
    expectStatus(setPolicy(sys, noPolicy, entries), ZX_ERR_ACCESS_DENIED);
  });

  it('gives BAD_STATE for a job with a process or a child job, and for the root job', () => {
    const { kernel, proc, sys } = newProcess();
    const entries = [{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }];
    expectStatus(setPolicy(sys, proc.job, entries), ZX_ERR_BAD_STATE);
    const withJob = createChildJob(sys, proc.job);
    createChildJob(sys, withJob);
    expectStatus(setPolicy(sys, withJob, entries), ZX_ERR_BAD_STATE);
    const withProcess = createChildJob(sys, proc.job);
    spawnProcess(kernel, proc, withProcess);
    expectStatus(setPolicy(sys, withProcess, entries), ZX_ERR_BAD_STATE);
  });

  it('gives OUT_OF_RANGE for 19 to 32 entries, after the BAD_STATE check', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const entries = Array.from({ length: 19 }, () => ({ condition: ZX_POL_NEW_VMO, action: 0 }));
    expectStatus(setPolicy(sys, job, entries), ZX_ERR_OUT_OF_RANGE);
    expectStatus(setPolicy(sys, job, [...entries, ...entries.slice(0, 13)]), ZX_ERR_OUT_OF_RANGE);
    createChildJob(sys, job);
    expectStatus(setPolicy(sys, job, entries), ZX_ERR_BAD_STATE);
  });

  it('gives NOT_SUPPORTED for an unknown action and INVALID_ARGS for bad flags or conditions', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    expectStatus(
      setPolicy(sys, job, [{ condition: ZX_POL_NEW_VMO, action: 5 }]),
      ZX_ERR_NOT_SUPPORTED,
    );
    expectStatus(
      setPolicy(sys, job, [{ condition: ZX_POL_NEW_VMO, action: 0, flags: 2 }], { v2: true }),
      ZX_ERR_INVALID_ARGS,
    );
    for (const condition of [18, 100001]) {
      expectStatus(setPolicy(sys, job, [{ condition, action: 0 }]), ZX_ERR_INVALID_ARGS);
    }
    // The action is looked at before the condition.
    expectStatus(setPolicy(sys, job, [{ condition: 100001, action: 9 }]), ZX_ERR_NOT_SUPPORTED);
  });

  it('leaves the policy unchanged when any entry fails', () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const status = setPolicy(sys, job, [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY },
      { condition: ZX_POL_NEW_PROCESS, action: 7 },
    ]);
    expectStatus(status, ZX_ERR_NOT_SUPPORTED);
    assert.equal(canCreateVmo(kernel, proc, job), true);
  });

  it('locks V1 entries: ABSOLUTE conflicts give ALREADY_EXISTS, RELATIVE ones are ignored', () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const kill = [{ condition: ZX_POL_BAD_HANDLE, action: ZX_POL_ACTION_KILL }];
    expectStatus(setPolicy(sys, job, kill), ZX_OK);
    expectStatus(
      setPolicy(sys, job, [{ condition: ZX_POL_BAD_HANDLE, action: ZX_POL_ACTION_DENY_EXCEPTION }]),
      ZX_ERR_ALREADY_EXISTS,
    );
    expectStatus(setPolicy(sys, job, kill), ZX_OK);
    expectStatus(
      setPolicy(sys, job, [{ condition: ZX_POL_BAD_HANDLE, action: ZX_POL_ACTION_ALLOW }], {
        absolute: false,
      }),
      ZX_OK,
    );
    // Entries that do not conflict are fine in ABSOLUTE mode.
    expectStatus(
      setPolicy(sys, job, [...kill, { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }]),
      ZX_OK,
    );
    expectStatus(
      setPolicy(sys, job, [{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_ALLOW }], {
        absolute: false,
      }),
      ZX_OK,
    );
    assert.equal(canCreateVmo(kernel, proc, job), false, 'the RELATIVE change was ignored');
  });

  it('lets V2 OVERRIDE_ALLOW entries change later, even in ABSOLUTE mode', () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const deny = {
      condition: ZX_POL_NEW_VMO,
      action: ZX_POL_ACTION_DENY,
      flags: ZX_POL_OVERRIDE_ALLOW,
    };
    expectStatus(setPolicy(sys, job, [deny], { v2: true }), ZX_OK);
    const allow = { ...deny, action: ZX_POL_ACTION_ALLOW };
    expectStatus(setPolicy(sys, job, [allow], { v2: true }), ZX_OK);
    assert.equal(canCreateVmo(kernel, proc, job), true);
  });

  it('lets V2 OVERRIDE_DENY entries be repeated but not changed in ABSOLUTE mode', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const deny = {
      condition: ZX_POL_NEW_VMO,
      action: ZX_POL_ACTION_DENY,
      flags: ZX_POL_OVERRIDE_DENY,
    };
    expectStatus(setPolicy(sys, job, [deny], { v2: true }), ZX_OK);
    expectStatus(setPolicy(sys, job, [deny], { v2: true, absolute: false }), ZX_OK);
    expectStatus(setPolicy(sys, job, [deny], { v2: true }), ZX_OK);
    expectStatus(
      setPolicy(sys, job, [{ ...deny, action: ZX_POL_ACTION_KILL }], { v2: true }),
      ZX_ERR_ALREADY_EXISTS,
    );
  });

  it('expands NEW_ANY, then locks it after the other entries of the same call', () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const status = setPolicy(sys, job, [
      { condition: ZX_POL_NEW_ANY, action: ZX_POL_ACTION_DENY },
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_ALLOW },
    ]);
    expectStatus(status, ZX_OK);
    assert.equal(canCreateVmo(kernel, proc, job), true, 'NEW_VMO was allowed after NEW_ANY');
    const child = spawnProcess(kernel, proc, job);
    const name = new Uint8Array([0x61]);
    expectStatus(
      child.sys.zx_process_create(child.proc.job, name, 1, 0, out(0), out(0)),
      ZX_ERR_ACCESS_DENIED,
      'NEW_PROCESS is denied by NEW_ANY',
    );
  });

  it('gives ALREADY_EXISTS when NEW_ANY comes after a locked new-object entry in ABSOLUTE mode', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const status = setPolicy(sys, job, [
      { condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_ALLOW },
      { condition: ZX_POL_NEW_ANY, action: ZX_POL_ACTION_DENY },
    ]);
    expectStatus(status, ZX_ERR_ALREADY_EXISTS);
  });

  it('gives ALREADY_EXISTS for NEW_ANY in ABSOLUTE mode over any locked entry, even one that agrees', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    expectStatus(
      setPolicy(sys, job, [{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }]),
      ZX_OK,
    );
    const child = createChildJob(sys, job);
    const any = [{ condition: ZX_POL_NEW_ANY, action: ZX_POL_ACTION_DENY }];
    expectStatus(setPolicy(sys, child, any), ZX_ERR_ALREADY_EXISTS);
    expectStatus(setPolicy(sys, child, any, { absolute: false }), ZX_OK);
  });

  it('gives INVALID_ARGS for NEW_ANY with bad override flags', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const entries = [{ condition: ZX_POL_NEW_ANY, action: ZX_POL_ACTION_DENY, flags: 2 }];
    expectStatus(setPolicy(sys, job, entries, { v2: true }), ZX_ERR_INVALID_ARGS);
  });

  it('leaves NEW_ANY entries changeable when set with OVERRIDE_ALLOW', () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const any = {
      condition: ZX_POL_NEW_ANY,
      action: ZX_POL_ACTION_DENY,
      flags: ZX_POL_OVERRIDE_ALLOW,
    };
    expectStatus(setPolicy(sys, job, [any], { v2: true }), ZX_OK);
    // Processes a host has a view of never die (DECISIONS.md), so check in child jobs, which
    // start with a copy of this policy.
    assert.equal(canCreateVmo(kernel, proc, createChildJob(sys, job)), false);
    const inner = createChildJob(sys, job);
    const allow = {
      condition: ZX_POL_NEW_VMO,
      action: ZX_POL_ACTION_ALLOW,
      flags: ZX_POL_OVERRIDE_DENY,
    };
    expectStatus(setPolicy(sys, inner, [allow], { v2: true }), ZX_OK);
    assert.equal(canCreateVmo(kernel, proc, inner), true);
    // Locked with OVERRIDE_DENY, it can no longer change in ABSOLUTE mode.
    const innermost = createChildJob(sys, inner);
    expectStatus(
      setPolicy(sys, innermost, [{ ...allow, action: ZX_POL_ACTION_DENY }], { v2: true }),
      ZX_ERR_ALREADY_EXISTS,
    );
  });
});

describe('zx_job_set_policy: timer slack', () => {
  it('accepts one RELATIVE record on an empty job', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    expectStatus(
      sys.zx_job_set_policy(job, ZX_JOB_POL_RELATIVE, ZX_JOB_POL_TIMER_SLACK, slack(1000n, 0), 1),
      ZX_OK,
    );
  });

  it('gives INVALID_ARGS for ABSOLUTE, a count other than 1, NULL, a negative slack or an unknown mode', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const call = (options: number, policy: unknown, count: number) =>
      untyped(sys).zx_job_set_policy(job, options, ZX_JOB_POL_TIMER_SLACK, policy, count);
    expectStatus(call(ZX_JOB_POL_ABSOLUTE, slack(0n, 0), 1), ZX_ERR_INVALID_ARGS);
    expectStatus(call(ZX_JOB_POL_RELATIVE, slack(0n, 0), 0), ZX_ERR_INVALID_ARGS);
    expectStatus(call(ZX_JOB_POL_RELATIVE, new Uint8Array(32), 2), ZX_ERR_INVALID_ARGS);
    expectStatus(call(ZX_JOB_POL_RELATIVE, null, 1), ZX_ERR_INVALID_ARGS);
    expectStatus(call(ZX_JOB_POL_RELATIVE, slack(-1n, 0), 1), ZX_ERR_INVALID_ARGS);
    expectStatus(call(ZX_JOB_POL_RELATIVE, slack(0n, 3), 1), ZX_ERR_INVALID_ARGS);
  });

  it('gives BAD_STATE for a job with a child, and OK again once it is gone', () => {
    const { proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const child = createChildJob(sys, job);
    const call = () => sys.zx_job_set_policy(job, 0, ZX_JOB_POL_TIMER_SLACK, slack(10n, 1), 1);
    expectStatus(call(), ZX_ERR_BAD_STATE);
    expectStatus(sys.zx_handle_close(child), ZX_OK);
    expectStatus(call(), ZX_OK);
  });
});

describe('zx_process_create', () => {
  it('creates a process and its root VMAR with the default rights', () => {
    const { proc, sys } = newProcess();
    const p = out(0);
    const v = out(0);
    const name = new TextEncoder().encode('worker');
    expectStatus(sys.zx_process_create(proc.job, name, name.length, 0, p, v), ZX_OK);
    const basic = handleBasic(sys, p.value);
    assert.equal(basic.type, ZX_OBJ_TYPE_PROCESS);
    assert.equal(basic.rights, ZX_DEFAULT_PROCESS_RIGHTS);
    assert.equal(basic.related_koid, handleBasic(sys, proc.job).koid);
    const vmar = handleBasic(sys, v.value);
    assert.equal(vmar.type, ZX_OBJ_TYPE_VMAR);
    assert.equal(
      vmar.rights,
      ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE,
    );
  });

  it('accepts ZX_PROCESS_SHARED and rejects other options with INVALID_ARGS, first of all', () => {
    const { proc, sys } = newProcess();
    const name = new Uint8Array([0x70]);
    expectStatus(
      sys.zx_process_create(proc.job, name, 1, ZX_PROCESS_SHARED, out(0), out(0)),
      ZX_OK,
    );
    expectStatus(sys.zx_process_create(proc.job, name, 1, 2, out(0), out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_process_create(0, null, 0, 2, out(0), out(0)), ZX_ERR_INVALID_ARGS);
  });

  it('gives INVALID_ARGS for a NULL name even of size 0, before the job handle', () => {
    const { proc, sys } = newProcess();
    expectStatus(sys.zx_process_create(proc.job, null, 0, 0, out(0), out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_process_create(0, null, 0, 0, out(0), out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_process_create(proc.job, new Uint8Array(0), 0, 0, out(0), out(0)), ZX_OK);
  });

  it('gives INVALID_ARGS for an unmapped name and NOT_FOUND for a short host buffer', () => {
    const { proc, sys } = newProcess();
    expectStatus(
      sys.zx_process_create(proc.job, 0x20_0000, 4, 0, out(0), out(0)),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      sys.zx_process_create(proc.job, new Uint8Array(2), 4, 0, out(0), out(0)),
      ZX_ERR_NOT_FOUND,
    );
  });

  it('truncates the name to 31 characters and stops it at the first NUL', () => {
    const { kernel, proc, sys } = newProcess();
    const long = new TextEncoder().encode('p'.repeat(40));
    const p = out(0);
    expectStatus(sys.zx_process_create(proc.job, long, long.length, 0, p, out(0)), ZX_OK);
    assert.equal(kernel.processFor(proc, p.value).name, 'p'.repeat(31));
    const withNul = new Uint8Array([0x61, 0x62, 0, 0x63]);
    const q = out(0);
    expectStatus(sys.zx_process_create(proc.job, withNul, 4, 0, q, out(0)), ZX_OK);
    assert.equal(kernel.processFor(proc, q.value).name, 'ab');
  });

  it('gives BAD_HANDLE, WRONG_TYPE, then ACCESS_DENIED without MANAGE_PROCESS', () => {
    const { proc, sys } = newProcess();
    const name = new Uint8Array([0x61]);
    expectStatus(sys.zx_process_create(0, name, 1, 0, out(0), out(0)), ZX_ERR_BAD_HANDLE);
    expectStatus(sys.zx_process_create(proc.self, name, 1, 0, out(0), out(0)), ZX_ERR_WRONG_TYPE);
    const noManage = duplicate(sys, proc.job, ZX_DEFAULT_JOB_RIGHTS & ~ZX_RIGHT_MANAGE_PROCESS);
    expectStatus(sys.zx_process_create(noManage, name, 1, 0, out(0), out(0)), ZX_ERR_ACCESS_DENIED);
  });

  it("obeys the caller's NEW_PROCESS policy before the name and the handle", () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    expectStatus(
      setPolicy(sys, job, [{ condition: ZX_POL_NEW_PROCESS, action: ZX_POL_ACTION_DENY }]),
      ZX_OK,
    );
    const child = spawnProcess(kernel, proc, job);
    const name = new Uint8Array([0x61]);
    expectStatus(
      child.sys.zx_process_create(child.proc.job, name, 1, 0, out(0), out(0)),
      ZX_ERR_ACCESS_DENIED,
    );
    expectStatus(child.sys.zx_process_create(0, null, 0, 0, out(0), out(0)), ZX_ERR_ACCESS_DENIED);
    // The policy is the caller's: the owner may still create processes in that job.
    expectStatus(sys.zx_process_create(job, name, 1, 0, out(0), out(0)), ZX_OK);
  });

  it('gives INVALID_ARGS for unusable out pointers', () => {
    const { proc, sys } = newProcess();
    const name = new Uint8Array([0x61]);
    expectStatus(sys.zx_process_create(proc.job, name, 1, 0, null, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_process_create(proc.job, name, 1, 0, out(0), null), ZX_ERR_INVALID_ARGS);
  });

  it('destroys both handles when either cannot be copied out, and the new process with them', () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const name = new Uint8Array([0x61]);
    const free = kmemStats(kernel, proc).free_bytes;
    for (const bad of UNWRITABLE_OUTS) {
      for (const [procOut, vmarOut] of [
        [bad, out(0)],
        [out(0), bad],
      ]) {
        const before = proc.object.handles.size;
        const status = untyped(sys).zx_process_create(job, name, 1, 0, procOut, vmarOut);
        expectStatus(status, ZX_ERR_INVALID_ARGS);
        assert.equal(proc.object.handles.size, before, 'a handle was left in the table');
        // A value copied out before the failure names nothing.
        for (const written of [procOut, vmarOut]) {
          const value = (written as { value?: number } | null)?.value ?? 0;
          if (value !== 0) expectStatus(sys.zx_handle_close(value), ZX_ERR_BAD_HANDLE);
        }
        // The process is gone from its job (whose policy can be set again) with its memory.
        expectStatus(setPolicy(sys, job, [ALLOW_VMO], { v2: true }), ZX_OK);
        assert.equal(kmemStats(kernel, proc).free_bytes, free);
      }
    }
  });

  it('gives NO_MEMORY when the handle arena cannot hold both handles', () => {
    const { proc, sys, fill } = smallArena();
    const job = createChildJob(sys, proc.job);
    fill(job);
    const name = new Uint8Array([0x61]);
    expectFailure(
      proc,
      sys.zx_process_create(job, name, 1, 0, out(0), out(0)),
      ZX_ERR_NO_MEMORY,
      ARENA_FULL,
    );
    expectStatus(setPolicy(sys, job, [ALLOW_VMO], { v2: true }), ZX_OK);
  });
});

describe('arguments no C caller could pass', () => {
  it('give INVALID_ARGS at the edge, before any handle is looked at', () => {
    const { sys } = newProcess();
    const bad = untyped(sys);
    const name = new Uint8Array([0x61]);
    expectStatus(bad.zx_job_create(0, 0.5, out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(
      bad.zx_job_set_policy(0, 1, ZX_JOB_POL_BASIC_V2, 'policy', 1),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      bad.zx_job_set_policy(0, 1, ZX_JOB_POL_BASIC_V2, name, Number.NaN),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(bad.zx_process_create(0, name, 1.5, 0, out(0), out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(bad.zx_process_create(0, name, 1, 2 ** 32, out(0), out(0)), ZX_ERR_INVALID_ARGS);
    expectStatus(bad.zx_process_create(0, [0x61], 1, 0, out(0), out(0)), ZX_ERR_INVALID_ARGS);
  });
});
