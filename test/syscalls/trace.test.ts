// The tracer that the syscall table gives: every call of a traced process, its arguments by
// name with flags decoded, its status by name, and what it copied out; nothing when off.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_OK,
  ZX_RIGHT_READ,
  ZX_VM_PERM_READ,
  ZX_VM_SPECIFIC,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import { formatSyscallEvent, type SyscallEvent, type Tracer } from '../../src/syscalls/index.ts';
import { createVmo, newKernel, newProcess, out, PAGE } from '../helpers.ts';

/** Records the syscall events a tracer sees (faults and page requests are left out). */
function recorder(): { events: SyscallEvent[]; tracer: Tracer } {
  const events: SyscallEvent[] = [];
  return {
    events,
    tracer: (e) => {
      if (e.kind === 'syscall') events.push(e);
    },
  };
}

describe('syscall tracing', () => {
  it('sees each call with decoded arguments, the status name and the out-values', () => {
    const { proc, sys } = newProcess();
    const { events, tracer } = recorder();
    proc.setTracer(tracer);
    const h = out(0);
    assert.equal(sys.zx_vmo_create(PAGE, ZX_VMO_RESIZABLE, h), ZX_OK);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.equal(event!.syscall, 'zx_vmo_create');
    assert.deepEqual(event!.args.slice(0, 2), [
      ['size', '4096'],
      ['options', 'ZX_VMO_RESIZABLE'],
    ]);
    assert.equal(event!.statusName, 'ZX_OK');
    assert.deepEqual(event!.outs, [['out', `0x${h.value.toString(16)}`]]);
    assert.equal(event!.process.name, 'test');
    const line = formatSyscallEvent(event!);
    assert.match(
      line,
      /^\[test\] zx_vmo_create\(size=4096, options=ZX_VMO_RESIZABLE, out=&out\) = ZX_OK; out=0x/,
    );
  });

  it('names failures and decodes rights and VM options', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const readOnly = out(0);
    assert.equal(sys.zx_handle_duplicate(vmo, ZX_RIGHT_READ, readOnly), ZX_OK);
    const { events, tracer } = recorder();
    proc.setTracer(tracer);
    sys.zx_handle_duplicate(readOnly.value, ZX_RIGHT_READ, out(0));
    sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE, out(0n));
    assert.equal(events[0]!.status, ZX_ERR_ACCESS_DENIED);
    assert.equal(events[0]!.statusName, 'ZX_ERR_ACCESS_DENIED');
    assert.deepEqual(events[0]!.args[1], ['rights', 'ZX_RIGHT_READ']);
    assert.deepEqual(events[0]!.outs, []);
    assert.equal(events[1]!.args[1]![1], 'ZX_VM_PERM_READ | ZX_VM_SPECIFIC');
  });

  it('stops when the tracer is removed, and keeps the same syscall object', () => {
    const { proc, sys } = newProcess();
    const { events, tracer } = recorder();
    proc.setTracer(tracer);
    createVmo(sys, PAGE);
    proc.setTracer(null);
    createVmo(sys, PAGE);
    assert.equal(events.length, 1);
    assert.equal(proc.syscalls, sys);
  });

  it('traces every process of a kernel, those created later included', () => {
    const kernel = newKernel();
    const first = kernel.createProcess({ name: 'first' });
    const { events, tracer } = recorder();
    kernel.setTracer(tracer);
    const second = kernel.createProcess({ name: 'second' });
    createVmo(first.syscalls, PAGE);
    createVmo(second.syscalls, PAGE);
    assert.deepEqual(
      events.map((e) => e.process.name),
      ['first', 'second'],
    );
    kernel.setTracer(null);
    createVmo(second.syscalls, PAGE);
    assert.equal(events.length, 2);
  });

  it('never throws on hostile out-parameters', () => {
    const { proc, sys } = newProcess();
    const { events, tracer } = recorder();
    proc.setTracer(tracer);
    const hostile = {
      get value(): number {
        throw new Error('no');
      },
      set value(_: number) {},
    };
    sys.zx_vmo_create(PAGE, 0, hostile);
    assert.equal(events.length, 1);
  });
});
