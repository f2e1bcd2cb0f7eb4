// Why a call failed: the reason each error status carries when the process explains its errors
// (Process.explain, a tracer, the idiomatic API), for representative checks of every family;
// the machinery around it (nothing kept or built when off, the binder's decoding reasons, the
// table's causes as the floor); ZxError's reason; the tracer's line and JSON.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_BTI_PERM_WRITE,
  ZX_CACHE_POLICY_UNCACHED,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_TIMED_OUT,
  ZX_ERR_UNAVAILABLE,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_VMAR,
  ZX_INFO_VMO,
  ZX_JOB_POL_ABSOLUTE,
  ZX_JOB_POL_BASIC_V1,
  ZX_OK,
  ZX_POL_ACTION_DENY,
  ZX_POL_NEW_VMO,
  ZX_PROP_VMO_CONTENT_SIZE,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_RESIZABLE,
  ZX_VMO_UNBOUNDED,
} from '../../src/abi/constants.ts';
import { family, handle, u32 } from '../../src/abi/syscall-spec.ts';
import { Vmo, ZxError } from '../../src/api/index.ts';
import { eventJson } from '../../src/cli/run.ts';
import { explained } from '../../src/syscalls/explain.ts';
import { formatSyscallEvent, type SyscallEvent } from '../../src/syscalls/index.ts';
import { because, explaining, type ReasonSlot } from '../../src/util/reason.ts';
import {
  createChildJob,
  createVmo,
  duplicate,
  encodePolicy,
  exhaustMemory,
  expectFailure,
  newKernel,
  newProcess,
  out,
  PAGE,
  spawnProcess,
  systemResource,
  untyped,
} from '../helpers.ts';
import { bti } from './ddk/ddk-helpers.ts';
import { mmioBase } from './vmar/vmar-helpers.ts';

/** A process that explains its errors. */
function explainingProcess(kernel = newKernel()) {
  const test = newProcess(kernel);
  test.proc.explain(true);
  return test;
}

describe('explaining', () => {
  it('keeps no reason unless asked, and the same syscall object either way', () => {
    const { proc, sys } = newProcess();
    expectFailure(proc, sys.zx_handle_close(0x1234_5673), ZX_ERR_BAD_HANDLE, /^$/);
    assert.equal(proc.lastReason, undefined);
    proc.explain(true);
    assert.equal(proc.syscalls, sys);
    expectFailure(proc, sys.zx_handle_close(0x1234_5673), ZX_ERR_BAD_HANDLE, /names no handle/);
    expectStatus0(sys.zx_vmo_create(PAGE, 0, out(0)));
    assert.equal(proc.lastReason, undefined, 'a success clears the reason');
    proc.explain(false);
    sys.zx_handle_close(0x1234_5673);
    assert.equal(proc.lastReason, undefined);
  });

  it('is on for every process of a kernel with kernel.explain(true), or the option', () => {
    const kernel = newKernel();
    const before = kernel.createProcess();
    kernel.explain(true);
    const after = kernel.createProcess();
    for (const proc of [before, after]) {
      proc.syscalls.zx_handle_close(0x1234_5673);
      assert.match(proc.lastReason ?? '', /names no handle/);
    }
    const optioned = newKernel({ explain: true }).createProcess();
    optioned.syscalls.zx_vmo_create(PAGE, 1 << 20, out(0));
    assert.equal(optioned.lastReason, 'options has unknown bits (0x100000)');
  });

  it('builds no reason when off: a reason that formats values is never called', () => {
    let calls = 0;
    const why = () => {
      calls++;
      return 'built';
    };
    assert.equal(because(ZX_ERR_NOT_FOUND, why), ZX_ERR_NOT_FOUND);
    assert.equal(calls, 0);
    const slot: ReasonSlot = { explain: false, reason: null };
    explaining(slot, () => because(ZX_ERR_NOT_FOUND, why));
    assert.equal(calls, 1);
    assert.deepEqual(slot.reason, { status: ZX_ERR_NOT_FOUND, text: 'built' });
    assert.equal(slot.explain, false, 'explaining ends with the call');
  });

  it("falls back to the table's causes for a status no check explained", () => {
    const { proc } = newProcess();
    const spec = family({
      zx_demo: {
        summary: 'a syscall that fails without saying why',
        params: [handle('handle', 0, 0), u32('options')],
        rights: 'none',
        errors: [
          ['ZX_ERR_BAD_STATE', 'first cause'],
          ['ZX_ERR_INVALID_ARGS', 'options is odd'],
          ['ZX_ERR_BAD_STATE', 'second cause'],
        ],
        test: 'none',
      },
    }).zx_demo;
    const ctx = { core: proc.object, process: proc.object, user: proc.object.aspace };
    const slot = { ...ctx, explain: false, reason: null } as never as Parameters<
      typeof explained
    >[2];
    explained(spec, () => ZX_ERR_BAD_STATE, slot)();
    assert.deepEqual(slot.reason, {
      status: ZX_ERR_BAD_STATE,
      text: 'first cause; second cause',
      fallback: true,
    });
    explained(spec, () => ZX_ERR_NOT_FOUND, slot)();
    assert.equal(slot.reason?.text, 'zx_demo lists no cause for this status');
  });

  it("names the caller's death when a dying process calls", () => {
    const { kernel, proc, sys } = newProcess();
    const job = createChildJob(sys, proc.job);
    const child = spawnProcess(kernel, proc, job, 'doomed');
    child.proc.explain(true);
    child.proc.object.kill(0n);
    const status = child.sys.zx_vmo_create(PAGE, 0, out(0));
    expectFailure(child.proc, status, ZX_ERR_BAD_STATE, /^the calling process is dead/);
  });
});

function expectStatus0(status: number): void {
  assert.equal(status, ZX_OK);
}

describe('the binder explains what it decodes and copies out', () => {
  it('names the argument that is no integer of its C type, or no buffer', () => {
    const { proc, sys } = explainingProcess();
    const bad = untyped(sys);
    const vmo = createVmo(sys, PAGE);
    expectFailure(
      proc,
      bad.zx_vmo_create(1.5, 0, out(0)),
      ZX_ERR_INVALID_ARGS,
      /^size \(1\.5\) is not an integer$/,
    );
    expectFailure(
      proc,
      bad.zx_vmo_create('4096', 0, out(0)),
      ZX_ERR_INVALID_ARGS,
      /^size is a string, not an integer$/,
    );
    expectFailure(
      proc,
      bad.zx_vmo_create(PAGE, 2 ** 32, out(0)),
      ZX_ERR_INVALID_ARGS,
      /^options \(4294967296\) does not fit a uint32_t$/,
    );
    expectFailure(
      proc,
      bad.zx_vmo_create(2n ** 64n, 0, out(0)),
      ZX_ERR_INVALID_ARGS,
      /does not fit a uint64_t/,
    );
    expectFailure(
      proc,
      bad.zx_vmo_read(vmo, [1, 2], 0, 2),
      ZX_ERR_INVALID_ARGS,
      /^buffer is an object: neither/,
    );
    expectFailure(
      proc,
      bad.zx_vmo_read(vmo, new Uint8Array(2), 0.5, 2),
      ZX_ERR_INVALID_ARGS,
      /^offset \(0\.5\) is not an integer$/,
    );
    expectFailure(
      proc,
      bad.zx_object_wait_one(vmo, 1, 'soon', out(0)),
      ZX_ERR_INVALID_ARGS,
      /^deadline is a string/,
    );
  });

  it('names the out-parameter that cannot be written, and the handle consumed that names nothing', () => {
    const { proc, sys } = explainingProcess();
    const vmo = createVmo(sys, PAGE);
    expectFailure(proc, sys.zx_vmo_create(PAGE, 0, null), ZX_ERR_INVALID_ARGS, /^out is NULL$/);
    expectFailure(
      proc,
      sys.zx_vmo_get_size(vmo, Object.freeze({ value: 0n })),
      ZX_ERR_INVALID_ARGS,
      /^size cannot be written: not a writable \{ value \} object$/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_get_size(vmo, 0x10_0000),
      ZX_ERR_INVALID_ARGS,
      /^size \(0x100000\) is not writable memory of this process$/,
    );
    expectFailure(
      proc,
      sys.zx_handle_replace(0, ZX_RIGHT_SAME_RIGHTS, out(0)),
      ZX_ERR_BAD_HANDLE,
      /^handle is ZX_HANDLE_INVALID$/,
    );
  });
});

describe('handle lookups', () => {
  it('say which handle names nothing, is of the wrong type, or lacks which rights', () => {
    const { proc, sys } = explainingProcess();
    const vmo = createVmo(sys, PAGE);
    const readOnly = duplicate(sys, vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    expectFailure(
      proc,
      sys.zx_vmo_write(readOnly, new Uint8Array(1), 0, 1),
      ZX_ERR_ACCESS_DENIED,
      /^handle lacks ZX_RIGHT_WRITE \(has ZX_RIGHT_READ \| ZX_RIGHT_MAP\)$/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_write(proc.rootVmar, new Uint8Array(1), 0, 1),
      ZX_ERR_WRONG_TYPE,
      /^handle is ZX_OBJ_TYPE_VMAR, not ZX_OBJ_TYPE_VMO$/,
    );
    assert.equal(sys.zx_handle_close(readOnly), ZX_OK);
    const hex = `0x${readOnly.toString(16)}`;
    expectFailure(
      proc,
      sys.zx_vmo_read(readOnly, new Uint8Array(1), 0, 1),
      ZX_ERR_BAD_HANDLE,
      new RegExp(`^handle \\(${hex}\\) names no handle in this process$`),
    );
    const noRights = duplicate(sys, vmo, 0);
    expectFailure(
      proc,
      sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, noRights, 0, PAGE, out(0n)),
      ZX_ERR_ACCESS_DENIED,
      /^vmo lacks ZX_RIGHT_MAP \(has no rights\)$/,
    );
    expectFailure(
      proc,
      sys.zx_handle_duplicate(vmo, ZX_RIGHT_READ | (1 << 30), out(0)),
      ZX_ERR_INVALID_ARGS,
      /^rights asks for 0x40000000, which the handle lacks/,
    );
  });
});

describe('the families explain their checks', () => {
  it('VMOs: options, sizes, ranges against the VMO, state', () => {
    const { proc, sys } = explainingProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const buffer = new Uint8Array(PAGE);
    expectFailure(
      proc,
      sys.zx_vmo_read(vmo, buffer, PAGE + 1, PAGE),
      ZX_ERR_OUT_OF_RANGE,
      /^offset \+ buffer_size \(0x2001\) is past the VMO's size \(0x2000\)$/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_write(vmo, buffer, 2n ** 64n - 1n, 2),
      ZX_ERR_OUT_OF_RANGE,
      /^offset \+ buffer_size \(0xffffffffffffffff \+ 0x2\) overflows 64 bits$/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_read(vmo, new Uint8Array(3), 0, 4),
      ZX_ERR_NOT_FOUND,
      /^the buffer is a Uint8Array of 3 bytes, fewer than the 4 the call copies$/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_set_size(vmo, 3 * PAGE),
      ZX_ERR_UNAVAILABLE,
      /^the VMO is not resizable$/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_create(PAGE, ZX_VMO_RESIZABLE | ZX_VMO_UNBOUNDED, out(0)),
      ZX_ERR_INVALID_ARGS,
      /^options has both ZX_VMO_RESIZABLE and ZX_VMO_UNBOUNDED$/,
    );
    const readOnly = duplicate(sys, vmo, ZX_RIGHT_READ);
    expectFailure(
      proc,
      sys.zx_vmo_op_range(readOnly, ZX_VMO_OP_COMMIT, 0, PAGE, null, 0),
      ZX_ERR_ACCESS_DENIED,
      /^ZX_VMO_OP_COMMIT needs ZX_RIGHT_WRITE; handle has ZX_RIGHT_READ$/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_REFERENCE, PAGE, 0, out(0)),
      ZX_ERR_INVALID_ARGS,
      /^a reference takes offset 0 and size 0/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_RESIZABLE, 0, PAGE, out(0)),
      ZX_ERR_INVALID_ARGS,
      /^options has ZX_VMO_CHILD_RESIZABLE besides ZX_VMO_CHILD_SLICE$/,
    );
    // With a snapshot child, the VMO's pages are shared: DECOMMIT is refused.
    assert.equal(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, out(0)), ZX_OK);
    expectFailure(
      proc,
      sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0),
      ZX_ERR_NOT_SUPPORTED,
      /^DECOMMIT of a snapshot child/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_transfer_data(vmo, 0, 1, PAGE, vmo, 0),
      ZX_ERR_INVALID_ARGS,
      /^offset \(0x1\) is not page aligned$/,
    );
    const uncached = createVmo(sys, PAGE);
    assert.equal(sys.zx_vmo_set_cache_policy(uncached, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
    expectFailure(
      proc,
      sys.zx_vmo_read(uncached, buffer, 0, 1),
      ZX_ERR_BAD_STATE,
      /^the VMO is not cached/,
    );
  });

  it('VMARs: the options a call takes, rights for permissions, ranges inside the VMAR', () => {
    const { proc, sys } = explainingProcess();
    const vmo = createVmo(sys, PAGE);
    expectFailure(
      proc,
      sys.zx_vmar_allocate(
        proc.rootVmar,
        ZX_VM_PERM_READ | ZX_VM_CAN_MAP_READ,
        0,
        PAGE,
        out(0),
        out(0n),
      ),
      ZX_ERR_INVALID_ARGS,
      /^options has ZX_VM_PERM_READ; zx_vmar_allocate takes ZX_VM_CAN_MAP_\*$/,
    );
    const readOnly = duplicate(sys, vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    expectFailure(
      proc,
      sys.zx_vmar_map(proc.rootVmar, rw, 0, readOnly, 0, PAGE, out(0n)),
      ZX_ERR_ACCESS_DENIED,
      /^ZX_VM_PERM_WRITE needs ZX_RIGHT_WRITE: vmo lacks it$/,
    );
    expectFailure(
      proc,
      sys.zx_vmar_unmap(proc.rootVmar, 0x1000, PAGE),
      ZX_ERR_INVALID_ARGS,
      /^the range \[0x1000, 0x2000\) is not inside the VMAR \[0x/,
    );
    expectFailure(
      proc,
      sys.zx_vmar_destroy(proc.rootVmar),
      ZX_ERR_NOT_SUPPORTED,
      /^the root VMAR of an address space is never destroyed$/,
    );
    const addr = out(0n);
    assert.equal(
      sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, readOnly, 0, PAGE, addr),
      ZX_OK,
    );
    expectFailure(
      proc,
      sys.zx_vmar_protect(proc.rootVmar, rw, addr.value, PAGE),
      ZX_ERR_ACCESS_DENIED,
      /^the mapping at 0x[0-9a-f]+ may never be ZX_VM_PERM_WRITE/,
    );
    expectFailure(
      proc,
      sys.zx_vmar_protect(proc.rootVmar, ZX_VM_PERM_READ, addr.value + BigInt(PAGE), PAGE),
      ZX_ERR_NOT_FOUND,
      /^nothing is mapped at 0x/,
    );
    // Through a mapping that may not be written, the copy out faults.
    expectFailure(
      proc,
      sys.zx_vmo_read(vmo, addr.value, 0, 8),
      ZX_ERR_ACCESS_DENIED,
      /^the mapping at 0x[0-9a-f]+ may not be written$/,
    );
  });

  it('objects: topics, properties, signals, waits', () => {
    const { proc, sys } = explainingProcess();
    const vmo = createVmo(sys, PAGE);
    const buffer = new Uint8Array(256);
    expectFailure(
      proc,
      sys.zx_object_get_info(vmo, 0x7777, buffer, 256, null, null),
      ZX_ERR_NOT_SUPPORTED,
      /^topic \(0x7777\) is not a ZX_INFO_\* topic zxvm answers$/,
    );
    expectFailure(
      proc,
      sys.zx_object_get_info(vmo, ZX_INFO_VMO, buffer, 8, null, null),
      ZX_ERR_BUFFER_TOO_SMALL,
      /^buffer_size \(8\) is below the 176-byte record/,
    );
    const noInspect = duplicate(sys, proc.rootVmar, 0);
    expectFailure(
      proc,
      sys.zx_object_get_info(noInspect, ZX_INFO_VMAR, buffer, 256, null, null),
      ZX_ERR_ACCESS_DENIED,
      /^handle lacks ZX_RIGHT_INSPECT \(has no rights\)$/,
    );
    expectFailure(
      proc,
      sys.zx_object_get_property(proc.job, ZX_PROP_VMO_CONTENT_SIZE, buffer, 8),
      ZX_ERR_WRONG_TYPE,
      /^ZX_OBJ_TYPE_JOB has no ZX_PROP_VMO_CONTENT_SIZE$/,
    );
    expectFailure(
      proc,
      sys.zx_object_signal(vmo, 0, 1 << 2),
      ZX_ERR_INVALID_ARGS,
      /^a mask has bits outside ZX_USER_SIGNAL_ALL/,
    );
    expectFailure(
      proc,
      sys.zx_object_wait_one(vmo, ZX_USER_SIGNAL_0, 0n, out(0)),
      ZX_ERR_TIMED_OUT,
      /^the deadline \(0 ns\) passed/,
    );
    expectFailure(
      proc,
      sys.zx_object_wait_one(vmo, ZX_USER_SIGNAL_0, ZX_TIME_INFINITE, out(0)),
      ZX_ERR_SHOULD_WAIT,
      /^no signal is active and the deadline is ahead/,
    );
  });

  it('tasks and resources: policies by name, kinds and ranges', () => {
    const { kernel, proc, sys } = explainingProcess();
    const job = createChildJob(sys, proc.job);
    const deny = encodePolicy([{ condition: ZX_POL_NEW_VMO, action: ZX_POL_ACTION_DENY }]);
    assert.equal(
      sys.zx_job_set_policy(job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V1, deny, 1),
      ZX_OK,
    );
    const child = spawnProcess(kernel, proc, job, 'denied');
    child.proc.explain(true);
    expectFailure(
      child.proc,
      child.sys.zx_vmo_create(PAGE, 0, out(0)),
      ZX_ERR_ACCESS_DENIED,
      /^the job policy denies ZX_POL_NEW_VMO \(ZX_POL_ACTION_DENY\)$/,
    );
    expectFailure(
      proc,
      sys.zx_job_set_policy(job, 7, ZX_JOB_POL_BASIC_V1, deny, 1),
      ZX_ERR_INVALID_ARGS,
      /^options is neither ZX_JOB_POL_RELATIVE nor ABSOLUTE$/,
    );
    expectFailure(
      proc,
      sys.zx_job_set_policy(proc.job, ZX_JOB_POL_ABSOLUTE, ZX_JOB_POL_BASIC_V1, deny, 1),
      ZX_ERR_BAD_STATE,
      /^the job has a child job or process/,
    );
    const system = systemResource(kernel, proc);
    const mmio = out(0);
    assert.equal(sys.zx_resource_create(system, 0, mmioBase(kernel), PAGE, null, 0, mmio), ZX_OK);
    expectFailure(
      proc,
      sys.zx_resource_create(mmio.value, 0, mmioBase(kernel), 2 * PAGE, null, 0, out(0)),
      ZX_ERR_ACCESS_DENIED,
      /^parent_rsrc covers \[0x[0-9a-f]+, 0x[0-9a-f]+\) of ZX_RSRC_KIND_MMIO, not \[/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_create_physical(system, 0x1000, PAGE, out(0)),
      ZX_ERR_ACCESS_DENIED,
      /^\[0x1000, 0x2000\) is not device memory/,
    );
  });

  it('drivers and memory: pins, and what the physical memory lacks', () => {
    const kernel = newKernel({ memoryBytes: 64 * PAGE, reclaimWatermarkBytes: 0 });
    const { proc, sys } = explainingProcess(kernel);
    const device = bti(kernel, proc);
    const vmo = createVmo(sys, PAGE);
    const readOnly = duplicate(sys, vmo, ZX_RIGHT_READ | ZX_RIGHT_MAP);
    expectFailure(
      proc,
      sys.zx_bti_pin(device, ZX_BTI_PERM_WRITE, readOnly, 0, PAGE, new Uint8Array(8), 1, out(0)),
      ZX_ERR_ACCESS_DENIED,
      /^vmo lacks ZX_RIGHT_WRITE/,
    );
    expectFailure(
      proc,
      sys.zx_vmo_create_contiguous(device, 1024 * PAGE, 0, out(0)),
      ZX_ERR_NO_MEMORY,
      /^1024 contiguous pages aligned to 2\^12 bytes cannot fit in 64 pages of RAM$/,
    );
    exhaustMemory(kernel, proc);
    expectFailure(
      proc,
      sys.zx_vmo_write(vmo, new Uint8Array(1), 0, 1),
      ZX_ERR_NO_MEMORY,
      /^out of memory: 1 free pages needed, 0 free after reclaiming$/,
    );
  });
});

describe('ZxError', () => {
  it('carries the reason, in its message too', () => {
    const { proc } = newProcess();
    using vmo = Vmo.create(proc, PAGE);
    try {
      vmo.read(PAGE, 1);
      assert.fail('read past the end');
    } catch (caught) {
      assert.ok(caught instanceof ZxError);
      assert.equal(caught.status, ZX_ERR_OUT_OF_RANGE);
      assert.equal(caught.reason, "offset + buffer_size (0x1001) is past the VMO's size (0x1000)");
      assert.equal(
        caught.message,
        "zx_vmo_read failed: ZX_ERR_OUT_OF_RANGE (offset + buffer_size (0x1001) is past the VMO's size (0x1000))",
      );
    }
    // The API's calls explain; the process's own syscalls stay as they were.
    proc.syscalls.zx_handle_close(0x1234_5673);
    assert.equal(proc.lastReason, undefined);
  });
});

describe('the tracer', () => {
  it('shows the reason of an error in the line and in the JSON, and none for ZX_OK', () => {
    const { proc, sys } = newProcess();
    const events: SyscallEvent[] = [];
    proc.setTracer((event) => {
      if (event.kind === 'syscall') events.push(event);
    });
    const vmo = createVmo(sys, PAGE);
    const readOnly = duplicate(sys, vmo, ZX_RIGHT_READ);
    sys.zx_vmo_write(readOnly, new Uint8Array(1), 0, 1);
    const [created, , failed] = events;
    assert.equal(created!.reason, undefined);
    assert.equal(failed!.reason, 'handle lacks ZX_RIGHT_WRITE (has ZX_RIGHT_READ)');
    assert.match(
      formatSyscallEvent(failed!),
      /^\[test\] zx_vmo_write\(handle=0x[0-9a-f]+, buffer=<1 bytes>, offset=0, buffer_size=1\) = ZX_ERR_ACCESS_DENIED \(handle lacks ZX_RIGHT_WRITE \(has ZX_RIGHT_READ\)\)$/,
    );
    const json = eventJson(failed!) as { reason?: string };
    assert.equal(json.reason, 'handle lacks ZX_RIGHT_WRITE (has ZX_RIGHT_READ)');
    assert.equal('reason' in eventJson(created!), false);
    // Tracing explains; stopping it stops explaining too: the last failure stays the traced one.
    proc.setTracer(null);
    sys.zx_handle_close(0x1234_5673);
    assert.equal(proc.lastFailure?.status, ZX_ERR_ACCESS_DENIED);
  });
});
