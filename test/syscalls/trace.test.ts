// The tracer that the syscall table gives: every call of a traced process, its arguments by
// name with flags decoded, its status by name, and what it copied out; nothing when off. And
// the faults of a traced process (what each did) and the page requests of pagers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_OK,
  ZX_PAGER_OP_FAIL,
  ZX_RIGHT_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import {
  type FaultEvent,
  formatSyscallEvent,
  formatTraceEvent,
  type PageRequestEvent,
  type SyscallEvent,
  type TraceEvent,
  type Tracer,
} from '../../src/syscalls/index.ts';
import { createVmo, handleBasic, newKernel, newProcess, out, PAGE } from '../helpers.ts';
import { createPort } from './ipc-helpers.ts';
import { auxWithDisk, createPagedVmo, createPager } from './pager/pager-helpers.ts';

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

/** Every event a tracer sees. */
function allEvents(): { events: TraceEvent[]; tracer: Tracer } {
  const events: TraceEvent[] = [];
  return { events, tracer: (e) => events.push(e) };
}

function faults(events: readonly TraceEvent[]): FaultEvent[] {
  return events.filter((e): e is FaultEvent => e.kind === 'fault');
}

describe('fault tracing', () => {
  it('tells what each fault did: zero page, committed, copied on write, mapped, failed', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    sys.zx_vmo_write(vmo, new Uint8Array([5]), PAGE, 1);
    const snap = out(0);
    assert.equal(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE, snap), ZX_OK);
    const addr = out(0n);
    const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    assert.equal(sys.zx_vmar_map(proc.rootVmar, rw, 0, snap.value, 0, 2 * PAGE, addr), ZX_OK);
    const { events, tracer } = allEvents();
    proc.setTracer(tracer);
    const base = addr.value;
    const byte = new Uint8Array(1);
    proc.load(base, byte); // page 0: nothing anywhere, the zero page
    proc.store(base, byte); // page 0: a new page
    proc.store(base, byte); // translated writable: no fault
    proc.store(base + BigInt(PAGE), byte); // page 1: the parent's, forked
    proc.load(base + 2n * BigInt(PAGE), byte); // past the mapping: nothing there
    const seen = faults(events);
    assert.deepEqual(
      seen.map((e) => [e.access, e.result, e.statusName]),
      [
        ['read', 'zero_page', 'ZX_OK'],
        ['write', 'committed', 'ZX_OK'],
        ['write', 'copied_on_write', 'ZX_OK'],
        ['read', 'failed', 'ZX_ERR_NOT_FOUND'],
      ],
    );
    const snapKoid = Number(handleBasic(sys, snap.value).koid);
    assert.equal(seen[2]!.vmoKoid, snapKoid);
    assert.equal(seen[2]!.vmoOffset, '0x1000');
    assert.equal(seen[3]!.vmoKoid, null);
    assert.match(seen[3]!.reason ?? '', /^nothing is mapped at 0x/);
    assert.equal(
      formatTraceEvent(seen[2]!),
      `[test] fault write 0x${(base + BigInt(PAGE)).toString(16)} (vmo ${snapKoid} offset 0x1000): copied on write`,
    );
    assert.deepEqual(JSON.parse(JSON.stringify(seen)), seen, 'JSON-safe');
    // A page written through the VMO, then read through a mapping: mapped as it is.
    const other = createVmo(sys, PAGE);
    sys.zx_vmo_write(other, new Uint8Array([1]), 0, 1);
    const at = out(0n);
    assert.equal(sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, other, 0, PAGE, at), ZX_OK);
    proc.load(at.value, byte);
    assert.equal(faults(events).at(-1)!.result, 'mapped');
    proc.store(at.value, byte); // read-only mapping
    const denied = faults(events).at(-1)!;
    assert.deepEqual([denied.result, denied.statusName], ['failed', 'ZX_ERR_ACCESS_DENIED']);
    assert.match(denied.reason ?? '', /may not be written/);
    // Untraced, the address space observes nothing.
    proc.setTracer(null);
    assert.equal(proc.object.aspace.onFault, null);
  });

  it('sees a fault that waits for the pager, and the page requests around it', async () => {
    const kernel = newKernel();
    const { events, tracer } = allEvents();
    kernel.setTracer(tracer);
    const proc = kernel.createProcess({ name: 'fs' });
    const sys = proc.syscalls;
    const pager = createPager(sys);
    const port = createPort(sys);
    const vmo = createPagedVmo(sys, pager, port, 1n, 2);
    const addr = out(0n);
    assert.equal(sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, vmo, 0, 2 * PAGE, addr), ZX_OK);
    const reader = proc.startThread((t) => t.load(addr.value + BigInt(PAGE), new Uint8Array(1)));
    await kernel.idle();
    const aux = auxWithDisk(sys, 1, 1);
    assert.equal(sys.zx_pager_supply_pages(pager, vmo, BigInt(PAGE), BigInt(PAGE), aux, 0n), ZX_OK);
    await reader.done;
    sys.zx_pager_op_range(pager, ZX_PAGER_OP_FAIL, vmo, 0n, BigInt(PAGE), BigInt.asUintN(64, -40n));
    const vmoKoid = Number(handleBasic(sys, vmo).koid);
    const pagerKoid = Number(handleBasic(sys, pager).koid);
    const requests = events.filter((e): e is PageRequestEvent => e.kind === 'page_request');
    const event = (action: string, command: string | null, offset: string, status?: string) => ({
      kind: 'page_request',
      action,
      command,
      pagerKoid,
      vmoKoid,
      offset,
      length: '0x1000',
      ...(status === undefined ? {} : { status }),
    });
    assert.deepEqual(requests, [
      event('sent', 'READ', '0x1000'),
      event('supplied', null, '0x1000'),
      event('completed', 'READ', '0x1000'),
      event('failed', null, '0x0', 'ZX_ERR_IO'),
    ]);
    assert.deepEqual(
      faults(events).map((e) => e.result),
      ['waiting_on_pager', 'mapped'],
    );
    // The request is sent before the fault that made it is told (the fault returns after).
    const sent = events.findIndex((e) => e.kind === 'page_request');
    assert.equal(events[sent + 1]!.kind, 'fault');
    assert.equal(
      formatTraceEvent(requests[0]!),
      `[pager ${pagerKoid}] page request READ vmo ${vmoKoid} [0x1000, +0x1000): sent`,
    );
    kernel.setTracer(null);
    assert.equal(kernel.core.pagerTrace.observer, null);
  });
});
