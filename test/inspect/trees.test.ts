// kernel.inspect() against copy-on-write trees built by hand: every child type (snapshot,
// snapshot-at-least-on-write, snapshot-modified, slice, reference, resizable), hidden nodes
// appearing on the second snapshot, the merge when a clone closes, mappings with their
// page-table runs, the job tree and handle tables, and a sparse VMO of a terabyte whose
// snapshot costs what its few pages cost. Each state is also checked against the syscalls
// (agreement.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_OK,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import type { CowNodeSnapshot, KernelSnapshot, VmoSnapshot } from '../../src/inspect.ts';
import {
  createChildJob,
  createVmo,
  expectStatus,
  filled,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  spawnProcess,
} from '../helpers.ts';
import { child } from '../vm/cow/tree-helpers.ts';
import { checkAgreement, checkReadOnly, mappingsUnder, runAt } from './agreement.ts';

function vmoOf(snapshot: KernelSnapshot, koid: number): VmoSnapshot {
  const vmo = snapshot.vmos.find((v) => v.koid === koid);
  assert.ok(vmo !== undefined, `VMO ${koid} in the snapshot`);
  return vmo;
}

function nodeOf(snapshot: KernelSnapshot, id: number): CowNodeSnapshot {
  const node = snapshot.nodes.find((n) => n.id === id);
  assert.ok(node !== undefined, `node ${id} in the snapshot`);
  return node;
}

function koidOf(snapshot: KernelSnapshot, proc: { object: { koid: number } }, value: number) {
  const me = snapshot.processes.find((p) => p.koid === proc.object.koid)!;
  return me.handles.find((h) => h.value === value)!.koid;
}

/** A two-page VMO with both pages written (frames in the root). */
function writtenVmo(sys: ReturnType<typeof newProcess>['sys'], pages = 2, options = 0): number {
  const vmo = createVmo(sys, pages * PAGE, options);
  expectStatus(sys.zx_vmo_write(vmo, filled(pages * PAGE, 7), 0, pages * PAGE), ZX_OK);
  return vmo;
}

describe('kernel.inspect()', () => {
  it('shows a plain VMO as one node whose frames are one run', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = writtenVmo(sys, 3);
    const snapshot = checkAgreement(kernel, proc);
    const shown = vmoOf(snapshot, koidOf(snapshot, proc, vmo));
    assert.equal(shown.kind, 'paged');
    assert.equal(shown.childType, null);
    assert.equal(shown.info.committed_bytes, String(3 * PAGE));
    assert.equal(shown.info.committed_scaled_bytes, String(3 * PAGE));
    assert.equal(shown.cachePolicy, 'ZX_CACHE_POLICY_CACHED');
    assert.deepEqual(shown.info.flagNames, ['ZX_INFO_VMO_TYPE_PAGED']);
    const node = nodeOf(snapshot, shown.node!);
    assert.equal(node.hidden, false);
    assert.equal(node.ownerKoid, shown.koid);
    assert.equal(node.parent, null);
    assert.deepEqual(
      node.pages.map((r) => [r.start, r.count, r.state, r.share]),
      [[0, 3, 'frame', 0]],
    );
  });

  for (const [name, option] of [
    ['SNAPSHOT', ZX_VMO_CHILD_SNAPSHOT],
    ['SNAPSHOT_AT_LEAST_ON_WRITE', ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE],
    ['SNAPSHOT_MODIFIED', ZX_VMO_CHILD_SNAPSHOT_MODIFIED],
  ] as const) {
    it(`puts the shared pages of a ${name} child in a hidden node, each VMO paying half`, () => {
      const { kernel, proc, sys } = newProcess();
      const vmo = writtenVmo(sys);
      const clone = child(sys, vmo, option, 0, 2 * PAGE);
      const snapshot = checkAgreement(kernel, proc);
      const parent = vmoOf(snapshot, koidOf(snapshot, proc, vmo));
      const snap = vmoOf(snapshot, koidOf(snapshot, proc, clone));
      assert.equal(snap.childType, 'snapshot');
      assert.equal(snap.parentKoid, parent.koid);
      assert.deepEqual(parent.childKoids, [snap.koid]);
      assert.ok(snap.info.flagNames.includes('ZX_INFO_VMO_IS_COW_CLONE'));
      const hidden = snapshot.nodes.filter((n) => n.hidden);
      assert.equal(hidden.length, 1);
      assert.deepEqual(hidden[0]!.children.sort(), [parent.node, snap.node].sort());
      assert.deepEqual(
        hidden[0]!.pages.map((r) => [r.start, r.count, r.state, r.share]),
        [[0, 2, 'frame', 1]],
      );
      for (const vmo of [parent, snap]) {
        const leaf = nodeOf(snapshot, vmo.node!);
        assert.equal(leaf.frames, 0);
        assert.equal(leaf.ancestorPages, 2);
        assert.deepEqual(
          leaf.pages.map((r) => [r.state, r.holder, r.holderPage, r.share]),
          [['ancestor', hidden[0]!.id, 0, 1]],
        );
        assert.equal(vmo.info.committed_bytes, String(2 * PAGE));
        assert.equal(vmo.info.committed_private_bytes, '0');
        assert.equal(vmo.info.committed_scaled_bytes, String(PAGE));
      }
    });
  }

  it('shows a slice and a reference as views of their parent node, charged nothing', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = writtenVmo(sys, 4);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE);
    const reference = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    const snapshot = checkAgreement(kernel, proc);
    const parent = vmoOf(snapshot, koidOf(snapshot, proc, vmo));
    const s = vmoOf(snapshot, koidOf(snapshot, proc, slice));
    const r = vmoOf(snapshot, koidOf(snapshot, proc, reference));
    assert.equal(snapshot.nodes.length, 1, 'no new node for a slice or a reference');
    assert.equal(s.node, parent.node!);
    assert.equal(r.node, parent.node!);
    assert.equal(s.childType, 'slice');
    assert.equal(s.nodeOffsetPages, 1);
    assert.equal(s.sizePages, 2);
    assert.equal(r.childType, 'reference');
    assert.equal(r.nodeOffsetPages, 0);
    assert.deepEqual(
      nodeOf(snapshot, parent.node!)
        .views.map((v) => [v.koid, v.offsetPages, v.sizePages])
        .sort(),
      [
        [parent.koid, 0, 4],
        [s.koid, 1, 2],
        [r.koid, 0, 4],
      ].sort(),
    );
    for (const view of [s, r]) {
      assert.equal(view.info.committed_bytes, '0');
      assert.equal(view.info.committed_scaled_bytes, '0');
    }
    assert.equal(parent.info.committed_bytes, String(4 * PAGE));
  });

  it('shows a resizable snapshot shrunk: its size and parent limit follow', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = writtenVmo(sys, 4, ZX_VMO_RESIZABLE);
    const clone = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0, 4 * PAGE);
    expectStatus(sys.zx_vmo_set_size(clone, PAGE), ZX_OK);
    const snapshot = checkAgreement(kernel, proc);
    const snap = vmoOf(snapshot, koidOf(snapshot, proc, clone));
    assert.ok(snap.info.flagNames.includes('ZX_INFO_VMO_RESIZABLE'));
    const leaf = nodeOf(snapshot, snap.node!);
    assert.equal(leaf.sizePages, 1);
    assert.equal(leaf.parentLimitPages, 1);
    assert.equal(leaf.ancestorPages, 1);
    assert.equal(snap.info.committed_bytes, String(PAGE));
  });

  it('adds a hidden node on the second snapshot after a write, and merges it away on close', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = writtenVmo(sys);
    const first = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    expectStatus(sys.zx_vmo_write(vmo, filled(1, 9), 0, 1), ZX_OK);
    let snapshot = checkAgreement(kernel, proc);
    assert.equal(snapshot.nodes.filter((n) => n.hidden).length, 1);
    const original = vmoOf(snapshot, koidOf(snapshot, proc, vmo));
    const leafId = original.node;
    // The original forked page 0: it holds one frame of its own now.
    assert.deepEqual(
      nodeOf(snapshot, leafId!).pages.map((r) => [r.start, r.count, r.state]),
      [
        [0, 1, 'frame'],
        [1, 1, 'ancestor'],
      ],
    );

    const second = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    snapshot = checkAgreement(kernel, proc);
    const hidden = snapshot.nodes.filter((n) => n.hidden);
    assert.equal(hidden.length, 2, 'the second snapshot adds a hidden node');
    const top = hidden.find((n) => n.parent === null)!;
    const lower = hidden.find((n) => n.parent === top.id)!;
    assert.ok(lower !== undefined, 'the new hidden node hangs below the first');
    assert.equal(snapshot.nodes.length, 5);
    // Page 1 is seen by all three VMOs now, page 0 of the top node by the first snapshot only.
    assert.equal(runAt(top, 1)?.share, 2);
    assert.equal(runAt(top, 0)?.share, 0);
    assert.equal(runAt(lower, 0)?.share, 1);
    assert.equal(nodeOf(snapshot, leafId!).hidden, false, 'the original keeps its node id');
    const roots = snapshot.nodes.filter((n) => n.parent === null);
    assert.equal(roots.length, 1);

    expectStatus(sys.zx_handle_close(second), ZX_OK);
    expectStatus(sys.zx_handle_close(first), ZX_OK);
    snapshot = checkAgreement(kernel, proc);
    assert.equal(snapshot.nodes.length, 1, 'every hidden node merged away');
    const alone = snapshot.nodes[0]!;
    assert.equal(alone.id, leafId, 'the same node, by the same number');
    assert.equal(alone.parent, null);
    assert.equal(alone.frames, 2);
    assert.equal(kmemStats(kernel, proc).vmo_bytes, BigInt(2 * PAGE));
  });

  it('shows mappings with their page-table runs: the zero page, shared and forked frames', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = writtenVmo(sys, 2);
    const clone = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
    const addr = out(0n);
    const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    expectStatus(sys.zx_vmar_map(proc.rootVmar, rw, 0, clone, 0, 4 * PAGE, addr), ZX_OK);
    expectStatus(proc.load(addr.value, new Uint8Array(4 * PAGE)), ZX_OK);
    expectStatus(proc.store(addr.value + BigInt(PAGE), filled(1, 1)), ZX_OK);
    const snapshot = checkAgreement(kernel, proc);
    const me = snapshot.processes.find((p) => p.koid === proc.object.koid)!;
    const [mapping] = mappingsUnder(me.addressSpace!.root);
    assert.ok(mapping !== undefined);
    assert.equal(mapping.base, String(addr.value));
    assert.equal(mapping.vmoKoid, koidOf(snapshot, proc, clone));
    assert.equal(mapping.protections[0]!.perms, 'ZX_VM_PERM_READ | ZX_VM_PERM_WRITE');
    assert.deepEqual(
      mapping.ptes.map((p) => [p.pages, p.writable, p.zeroPage, p.perms]),
      [
        [1, false, false, 'ZX_VM_PERM_READ'],
        [1, true, false, 'ZX_VM_PERM_READ | ZX_VM_PERM_WRITE'],
        [2, false, true, 'ZX_VM_PERM_READ'],
      ],
    );
    assert.equal(me.addressSpace!.pageTableEntries, 4);
    assert.equal(me.addressSpace!.root.koid, koidOf(snapshot, proc, proc.rootVmar));
  });

  it('shows the job tree, the processes and their handle tables by name', () => {
    const kernel = newKernel();
    const { proc, sys } = newProcess(kernel);
    const other = kernel.createProcess({ name: 'other' });
    const vmo = createVmo(sys, PAGE);
    const snapshot = checkAgreement(kernel, proc);
    assert.equal(snapshot.jobs.name, 'root');
    assert.deepEqual(snapshot.jobs.processes, [proc.object.koid, other.object.koid]);
    const me = snapshot.processes.find((p) => p.koid === proc.object.koid)!;
    assert.equal(me.name, 'test');
    assert.equal(me.state, 'running');
    assert.equal(me.jobKoid, snapshot.jobs.koid);
    const handle = me.handles.find((h) => h.value === vmo)!;
    assert.equal(handle.type, 'ZX_OBJ_TYPE_VMO');
    assert.match(handle.rights, /^ZX_RIGHT_DUPLICATE \| ZX_RIGHT_TRANSFER \| ZX_RIGHT_READ/);
    assert.deepEqual(
      me.handles.slice(0, 3).map((h) => h.type),
      ['ZX_OBJ_TYPE_PROCESS', 'ZX_OBJ_TYPE_JOB', 'ZX_OBJ_TYPE_VMAR'],
    );
  });

  it('shows sub-VMARs with their mappings, and VMOs that only a mapping keeps alive', () => {
    const { kernel, proc, sys } = newProcess();
    const vmar = out(0);
    const base = out(0n);
    const can = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC;
    expectStatus(sys.zx_vmar_allocate(proc.rootVmar, can, 0, 16 * PAGE, vmar, base), ZX_OK);
    const vmo = writtenVmo(sys, 2);
    const addr = out(0n);
    const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    expectStatus(sys.zx_vmar_map(vmar.value, rw, 0, vmo, PAGE, PAGE, addr), ZX_OK);
    expectStatus(sys.zx_vmar_protect(vmar.value, ZX_VM_PERM_READ, addr.value, PAGE), ZX_OK);
    const koid = koidOf(kernel.inspect(), proc, vmo);
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    let snapshot = checkAgreement(kernel, proc);
    const me = snapshot.processes.find((p) => p.koid === proc.object.koid)!;
    const [sub] = me.addressSpace!.root.children;
    assert.ok(sub !== undefined && sub.kind === 'vmar');
    assert.equal(sub.koid, koidOf(snapshot, proc, vmar.value));
    assert.equal(sub.base, String(base.value));
    assert.equal(sub.canMap, 'ZX_VM_PERM_READ | ZX_VM_PERM_WRITE');
    const [mapping] = sub.children;
    assert.ok(mapping !== undefined && mapping.kind === 'mapping');
    assert.equal(mapping.vmoOffset, String(PAGE));
    assert.deepEqual(
      mapping.protections.map((p) => p.perms),
      ['ZX_VM_PERM_READ'],
    );
    // The VMO has no handle left: the mapping keeps it, its content size is unknown.
    const kept = vmoOf(snapshot, koid);
    assert.equal(kept.handles, 0);
    assert.equal(kept.mappings, 1);
    assert.equal(kept.contentSize, null);
    assert.equal(kept.info.num_mappings, '1');

    // With its handle closed, the sub-VMAR is still there, but no object names it.
    expectStatus(sys.zx_handle_close(vmar.value), ZX_OK);
    snapshot = checkAgreement(kernel, proc);
    const again = snapshot.processes.find((p) => p.koid === proc.object.koid)!;
    assert.equal(again.addressSpace!.root.children[0]!.kind, 'vmar');
    assert.equal((again.addressSpace!.root.children[0] as { koid: number | null }).koid, null);
  });

  it('shows a discardable VMO lock state, and child jobs with their processes', () => {
    const kernel = newKernel();
    const { proc, sys } = newProcess(kernel);
    const vmo = createVmo(sys, 2 * PAGE, ZX_VMO_DISCARDABLE);
    const state = new Uint8Array(32);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, 2 * PAGE, state, 32), ZX_OK);
    let snapshot = checkAgreement(kernel, proc);
    const koid = koidOf(snapshot, proc, vmo);
    assert.deepEqual(vmoOf(snapshot, koid).discardable, { state: 'locked', lockCount: 1 });
    assert.ok(vmoOf(snapshot, koid).info.flagNames.includes('ZX_INFO_VMO_DISCARDABLE'));
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_UNLOCK, 0, 2 * PAGE, null, 0), ZX_OK);
    snapshot = checkAgreement(kernel, proc);
    assert.deepEqual(vmoOf(snapshot, koid).discardable, { state: 'reclaimable', lockCount: 0 });

    const job = createChildJob(sys, proc.job);
    const child = spawnProcess(kernel, proc, job, 'spawned');
    snapshot = checkAgreement(kernel, proc);
    const [sub] = snapshot.jobs.jobs;
    assert.ok(sub !== undefined);
    assert.equal(sub.koid, koidOf(snapshot, proc, job));
    assert.deepEqual(sub.processes, [child.proc.object.koid]);
    const spawned = snapshot.processes.find((p) => p.koid === child.proc.object.koid)!;
    assert.equal(spawned.name, 'spawned');
    assert.equal(spawned.state, 'initial');
    assert.equal(spawned.jobKoid, sub.koid);
  });

  it('walks a sparse terabyte VMO and its snapshot by the pages they hold', () => {
    const { kernel, proc, sys } = newProcess();
    const size = 2 ** 40;
    const vmo = createVmo(sys, size);
    for (const offset of [0, 2 ** 30, size - PAGE]) {
      expectStatus(sys.zx_vmo_write(vmo, filled(PAGE, 3), offset, PAGE), ZX_OK);
    }
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 2 * PAGE, 2 * PAGE, null, 0), ZX_OK);
    const clone = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, size);
    const started = performance.now();
    const snapshot = checkReadOnly(kernel, proc);
    assert.ok(performance.now() - started < 2000, 'two snapshots of a terabyte in < 2 s');
    const hidden = snapshot.nodes.find((n) => n.hidden)!;
    assert.deepEqual(
      hidden.pages.map((r) => [r.start, r.count]),
      [
        [0, 1],
        [2, 2],
        [2 ** 18, 1],
        [2 ** 28 - 1, 1],
      ].map(([start, count]) => [start, count]),
    );
    const snap = vmoOf(snapshot, koidOf(snapshot, proc, clone));
    assert.equal(nodeOf(snapshot, snap.node!).ancestorPages, 5);
    assert.equal(snap.info.size_bytes, String(size));
    checkAgreement(kernel, proc, snapshot);
  });

  it('changes nothing: the same KMEM stats and the same snapshot twice', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = writtenVmo(sys, 3);
    child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, 3 * PAGE);
    const snapshot = checkReadOnly(kernel, proc);
    assert.equal(snapshot.label, null);
    assert.equal(kernel.inspect('after the snapshot').label, 'after the snapshot');
  });
});
