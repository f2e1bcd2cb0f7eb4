// Children of pager-backed VMOs: which snapshot kinds Zircon gives and refuses, what they see of
// the root's later changes, the page requests their accesses send (for the root's pages, under
// the root's key), and what ZX_INFO_VMO charges them. Translated from
// zircon/system/utest/core/pager/pager.cc, pager/snapshot.cc and vmo/vmo-clone2.cc (test names
// in the comments); each upstream thread is a zx thread here, the pager is the host.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_INFO_PROCESS_VMOS,
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_INFO_VMO_PAGER_BACKED,
  ZX_OK,
  ZX_PAGER_VMO_COMPLETE,
  ZX_RIGHT_WRITE,
  ZX_THREAD_STATE_BLOCKED_PAGER,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_ALWAYS_NEED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_DONT_NEED,
  ZX_VMO_OP_PREFETCH,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
  ZX_VMO_UNBOUNDED,
} from '../../../src/abi/constants.ts';
import { decodeZxInfoVmo, ZX_INFO_VMO_SIZE } from '../../../src/abi/structs.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { createVmo, expectStatus, out, PAGE, readVmo, vmoInfo, writeVmo } from '../../helpers.ts';
import { checkTree } from '../../vm/cow/tree-helpers.ts';
import { threadState } from '../ipc-helpers.ts';
import { load, map } from '../vmar/vmar-helpers.ts';
import { diskPage, pagerWorld, readRequest, supplyDisk, takeRequests } from './pager-helpers.ts';

const KEY = 0xc10en;
const ALOW = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
const MODIFIED = ZX_VMO_CHILD_SNAPSHOT_MODIFIED;

const setup = (pages: number, options = 0) => pagerWorld(KEY, pages, options);
const read = (offset: number, length: number) => readRequest(KEY, offset, length);

/** A child of `parent`, or the status that refused it (as a negative number). */
function tryChild(sys: Syscalls, parent: number, options: number, offset = 0, size?: number) {
  const child = out(0);
  const length = size ?? Number(vmoInfo(sys, parent).size_bytes);
  const status = sys.zx_vmo_create_child(parent, options, offset, length, child);
  return status === ZX_OK ? child.value : status;
}

function child(sys: Syscalls, parent: number, options: number, offset = 0, size?: number): number {
  const made = tryChild(sys, parent, options, offset, size);
  assert.ok(made > 0, `zx_vmo_create_child failed: ${made}`);
  return made;
}

/** The first 8 bytes of page `page` of `vmo` as a number (SHOULD_WAIT when they are missing). */
function word(sys: Syscalls, vmo: number, page = 0): number | 'wait' {
  const buf = new Uint8Array(8);
  const status = sys.zx_vmo_read(vmo, buf, page * PAGE, 8);
  if (status === ZX_ERR_SHOULD_WAIT) return 'wait';
  expectStatus(status, ZX_OK, 'zx_vmo_read');
  return Number(new DataView(buf.buffer).getBigUint64(0, true));
}

function setWord(sys: Syscalls, vmo: number, value: number, page = 0): void {
  const buf = new Uint8Array(8);
  new DataView(buf.buffer).setBigUint64(0, BigInt(value), true);
  expectStatus(sys.zx_vmo_write(vmo, buf, page * PAGE, 8), ZX_OK, 'zx_vmo_write');
}

const populated = (sys: Syscalls, vmo: number) => vmoInfo(sys, vmo).populated_bytes;
const scaled = (sys: Syscalls, vmo: number) => vmoInfo(sys, vmo).populated_scaled_bytes;

describe('pager children: which kinds exist', () => {
  // VmoClone2.NoSnapshotPager; vmo-clone2's AT_LEAST_ON_WRITE and MODIFIED counterparts
  it('SNAPSHOT is NOT_SUPPORTED under a pager; the other kinds are one-way children', () => {
    const { sys, pager, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 2);
    expectStatus(tryChild(sys, vmo, ZX_VMO_CHILD_SNAPSHOT), ZX_ERR_NOT_SUPPORTED);
    const alow = child(sys, vmo, ALOW);
    expectStatus(tryChild(sys, alow, ZX_VMO_CHILD_SNAPSHOT), ZX_ERR_NOT_SUPPORTED);
    const modified = child(sys, vmo, MODIFIED);
    for (const c of [alow, modified]) {
      const info = vmoInfo(sys, c);
      assert.equal(info.flags & ZX_INFO_VMO_PAGER_BACKED, ZX_INFO_VMO_PAGER_BACKED);
      assert.equal(info.flags & ZX_INFO_VMO_IS_COW_CLONE, ZX_INFO_VMO_IS_COW_CLONE);
    }
    // A later write of the root shows in both (neither has written).
    setWord(sys, vmo, 0xfeed);
    assert.equal(word(sys, alow), 0xfeed);
    assert.equal(word(sys, modified), 0xfeed);
    assert.equal(vmoInfo(sys, vmo).num_children, 2n);
  });

  it('slices and references of a pager VMO see its pages and wait for missing ones', () => {
    const { sys, pager, port, vmo } = setup(4);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE);
    const reference = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    expectStatus(sys.zx_vmo_read(slice, new Uint8Array(PAGE), PAGE, PAGE), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(takeRequests(sys, port), [read(2, 1)]);
    supplyDisk(sys, pager, vmo, 2, 1);
    assert.deepEqual(readVmo(sys, slice, PAGE, PAGE), diskPage(2));
    assert.deepEqual(readVmo(sys, reference, 2 * PAGE, PAGE), diskPage(2));
    // A one-way snapshot of the slice sees the root's range through it.
    const snap = child(sys, slice, ALOW, 0, 2 * PAGE);
    assert.deepEqual(readVmo(sys, snap, PAGE, PAGE), diskPage(2));
    expectStatus(tryChild(sys, slice, ZX_VMO_CHILD_SNAPSHOT), ZX_ERR_NOT_SUPPORTED);
    // VmoReference.ChildSnapshotAtLeastOnWrite: a child of the reference writes privately.
    const ofRef = child(sys, reference, ALOW);
    supplyDisk(sys, pager, vmo, 0, 1);
    setWord(sys, ofRef, 0xcc);
    assert.equal(word(sys, ofRef), 0xcc);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), diskPage(0));
  });

  // Snapshot.SnapshotReadOnlyVmo
  it('a snapshot of a NO_WRITE child gains write rights', () => {
    const { sys, pager, vmo } = setup(1);
    supplyDisk(sys, pager, vmo, 0, 1);
    const ro = child(sys, vmo, ALOW | ZX_VMO_CHILD_NO_WRITE);
    assert.equal(vmoInfo(sys, ro).handle_rights & ZX_RIGHT_WRITE, 0);
    expectStatus(sys.zx_vmo_write(ro, new Uint8Array(8), 0, 8), -30 /* ACCESS_DENIED */);
    const snap = child(sys, ro, MODIFIED);
    assert.equal(vmoInfo(sys, snap).handle_rights & ZX_RIGHT_WRITE, ZX_RIGHT_WRITE);
    setWord(sys, snap, 0xdead1eaf);
    assert.equal(word(sys, snap), 0xdead1eaf);
  });
});

describe('pager children: page requests', () => {
  // Pager.CloneReadFromCloneTest (vmo and vmar variants)
  it("a child's read asks for the root's page under the root's key; the reader is BLOCKED_PAGER", async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(1);
    const clone = child(sys, vmo, ALOW);
    const addr = map(sys, proc.rootVmar, ZX_VM_PERM_READ, 0, clone, 0, PAGE);
    const t = proc.startThread(async (th) => {
      const buf = new Uint8Array(PAGE);
      return { status: await th.load(addr, buf), buf };
    });
    await kernel.idle();
    assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    assert.deepEqual(takeRequests(sys, port), [read(0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    assert.deepEqual(await t.done, { status: ZX_OK, buf: diskPage(0) });
    // Pager.CloneReadFromParentTest: what the root has, the child reads without a request.
    const second = child(sys, vmo, ALOW);
    assert.deepEqual(readVmo(sys, second, 0, PAGE), diskPage(0));
    assert.deepEqual(takeRequests(sys, port), []);
  });

  // Pager.CloneSimultaneousReadTest, Pager.CloneSimultaneousChildReadTest
  it('readers of the root and of two children share one request', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(1);
    const a = child(sys, vmo, ALOW);
    const b = child(sys, vmo, MODIFIED);
    const readers = [vmo, a, b].map((h) =>
      proc.startThread(async (th) => {
        const buf = new Uint8Array(PAGE);
        return { status: await th.zx_vmo_read(h, buf, 0, PAGE), buf };
      }),
    );
    await kernel.idle();
    for (const t of readers)
      assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    assert.deepEqual(takeRequests(sys, port), [read(0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    for (const t of readers) assert.deepEqual(await t.done, { status: ZX_OK, buf: diskPage(0) });
    assert.deepEqual(takeRequests(sys, port), []);
  });

  // Pager.CloneWriteToCloneTest
  it("a child's write waits for the root's page, then forks it: the root keeps the disk's bytes", async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(1);
    const clone = child(sys, vmo, ALOW);
    const addr = map(sys, proc.rootVmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, clone, 0, PAGE);
    const t = proc.startThread((th) => th.store(addr, new Uint8Array([0xef, 0xbe, 0xad, 0xde])));
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    expectStatus((await t.done) as number, ZX_OK);
    assert.deepEqual(readVmo(sys, vmo, 0, PAGE), diskPage(0));
    const forked = diskPage(0);
    forked.set([0xef, 0xbe, 0xad, 0xde]);
    assert.deepEqual(readVmo(sys, clone, 0, PAGE), forked);
    // From now on the root's changes no longer show in the forked page.
    setWord(sys, vmo, 7);
    assert.equal(readVmo(sys, clone, 0, 4)[0], 0xef);
  });

  // Pager.CloneCommitTest, Pager.CloneChainCommitTest
  it('COMMIT of a child of a child asks once for the whole range; only the committer holds pages', async () => {
    const pages = 32;
    const { kernel, proc, sys, pager, port, vmo } = setup(pages);
    const intermediate = child(sys, vmo, ALOW);
    const clone = child(sys, intermediate, ALOW);
    const t = proc.startThread((th) =>
      th.zx_vmo_op_range(clone, ZX_VMO_OP_COMMIT, 0, pages * PAGE, null, 0),
    );
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, pages)]);
    supplyDisk(sys, pager, vmo, 0, pages);
    expectStatus((await t.done) as number, ZX_OK);
    assert.equal(populated(sys, clone), BigInt(pages * PAGE));
    assert.equal(populated(sys, intermediate), 0n);
    assert.equal(populated(sys, vmo), BigInt(pages * PAGE));
  });

  // Pager.CloneSplitCommitTest
  it('COMMIT of a child asks for the runs the root is missing, in order', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(4);
    const clone = child(sys, vmo, ALOW);
    supplyDisk(sys, pager, vmo, 1, 2);
    assert.deepEqual(readVmo(sys, clone, PAGE, PAGE), diskPage(1));
    const t = proc.startThread((th) =>
      th.zx_vmo_op_range(clone, ZX_VMO_OP_COMMIT, 0, 4 * PAGE, null, 0),
    );
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(3, 1)]);
    supplyDisk(sys, pager, vmo, 3, 1);
    expectStatus((await t.done) as number, ZX_OK);
    assert.equal(populated(sys, clone), BigInt(4 * PAGE));
  });

  // Pager.PageRequestBatchingChecksAncestorPages
  it('a batched request stops at pages present in any ancestor', async () => {
    const n = 8;
    const { kernel, proc, sys, pager, port, vmo } = setup(n);
    const c = child(sys, vmo, ALOW);
    supplyDisk(sys, pager, vmo, 1, 2);
    writeVmo(sys, c, PAGE, new Uint8Array(2 * PAGE).fill(0x62));
    const g = child(sys, c, ALOW);
    supplyDisk(sys, pager, vmo, 5, 3);
    writeVmo(sys, g, 5 * PAGE, new Uint8Array(3 * PAGE).fill(0x63));
    const gg = child(sys, g, ZX_VMO_CHILD_SLICE, 0, n * PAGE);
    // Evict nothing: pages 1-2 and 5-7 of the root stay; reading gg needs [0,1) and [3,5).
    const t = proc.startThread(async (th) => {
      const buf = new Uint8Array(n * PAGE);
      return { status: await th.zx_vmo_read(gg, buf, 0, n * PAGE), buf };
    });
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(3, 2)]);
    supplyDisk(sys, pager, vmo, 3, 2);
    const { status, buf } = (await t.done) as { status: number; buf: Uint8Array };
    expectStatus(status, ZX_OK);
    assert.deepEqual(buf.subarray(PAGE, 3 * PAGE), new Uint8Array(2 * PAGE).fill(0x62));
    assert.deepEqual(buf.subarray(5 * PAGE), new Uint8Array(3 * PAGE).fill(0x63));
    assert.deepEqual(buf.subarray(3 * PAGE, 4 * PAGE), diskPage(3));
  });

  // Pager.EvictionHintsWithClones (the ALWAYS_NEED part)
  it('ALWAYS_NEED through a child asks for the root pages it does not hold', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(40);
    const clone = child(sys, vmo, ALOW);
    supplyDisk(sys, pager, vmo, 25, 1);
    writeVmo(sys, clone, 25 * PAGE, new Uint8Array([0xc]));
    const t = proc.startThread((th) =>
      th.zx_vmo_op_range(clone, ZX_VMO_OP_ALWAYS_NEED, 23 * PAGE, 4 * PAGE, null, 0),
    );
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(23, 2)]);
    supplyDisk(sys, pager, vmo, 23, 2);
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(26, 1)]);
    supplyDisk(sys, pager, vmo, 26, 1);
    expectStatus((await t.done) as number, ZX_OK);
  });

  // VmObjectPaged::HintRange checks the range whenever the tree's root has a user pager
  // (can_root_source_evict_locked), children included, detached or not; anonymous VMOs ignore
  // hints whatever the range. (Found by test/model/pager-model.test.ts.)
  it('DONT_NEED and ALWAYS_NEED past the end of a child are OUT_OF_RANGE, as of the root', () => {
    const { sys, pager, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 2);
    const clone = child(sys, vmo, ALOW, 0, PAGE);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, PAGE, PAGE);
    for (const op of [ZX_VMO_OP_DONT_NEED, ZX_VMO_OP_ALWAYS_NEED]) {
      for (const h of [vmo, clone, slice]) {
        const size = Number(vmoInfo(sys, h).size_bytes);
        expectStatus(sys.zx_vmo_op_range(h, op, 0, size, null, 0), ZX_OK);
        expectStatus(sys.zx_vmo_op_range(h, op, 0, size + PAGE, null, 0), ZX_ERR_OUT_OF_RANGE);
      }
    }
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    expectStatus(
      sys.zx_vmo_op_range(clone, ZX_VMO_OP_DONT_NEED, 0, 2 * PAGE, null, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
    const anonymous = createVmo(sys, PAGE);
    const snapshot = child(sys, anonymous, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    for (const h of [anonymous, snapshot]) {
      expectStatus(sys.zx_vmo_op_range(h, ZX_VMO_OP_DONT_NEED, 0, 8 * PAGE, null, 0), ZX_OK);
    }
  });

  // Pager.DecommitTest, Pager.CloneDetachTest
  it('DECOMMIT of a child is NOT_SUPPORTED; a detach fails what the child did not fork', () => {
    const { sys, pager, port, vmo } = setup(3);
    const clone = child(sys, vmo, ALOW);
    expectStatus(
      sys.zx_vmo_op_range(clone, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0),
      ZX_ERR_NOT_SUPPORTED,
    );
    supplyDisk(sys, pager, vmo, 0, 2);
    setWord(sys, clone, 0xdeadbeef);
    assert.deepEqual(readVmo(sys, clone, PAGE, PAGE), diskPage(1));
    takeRequests(sys, port);
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), ZX_OK);
    assert.deepEqual(takeRequests(sys, port), [
      { key: KEY, command: ZX_PAGER_VMO_COMPLETE, offset: 0, length: 0 },
    ]);
    for (const page of [1, 2]) {
      expectStatus(sys.zx_vmo_read(clone, new Uint8Array(8), page * PAGE, 8), ZX_ERR_BAD_STATE);
    }
    assert.equal(word(sys, clone), 0xdeadbeef);
  });

  it("closing the root keeps its pages for its children; COMPLETE follows the last child's close", () => {
    const { sys, pager, port, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 1);
    const clone = child(sys, vmo, ALOW);
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    assert.deepEqual(readVmo(sys, clone, 0, PAGE), diskPage(0));
    expectStatus(sys.zx_vmo_read(clone, new Uint8Array(8), PAGE, 8), ZX_ERR_SHOULD_WAIT);
    assert.deepEqual(takeRequests(sys, port), [read(1, 1)]);
    expectStatus(sys.zx_handle_close(clone), ZX_OK);
    assert.deepEqual(takeRequests(sys, port), [
      { key: KEY, command: ZX_PAGER_VMO_COMPLETE, offset: 0, length: 0 },
    ]);
  });
});

describe('pager children: resizes', () => {
  // Pager.CloneResizeCloneHazard
  it('a child shrunk under its mapping faults OUT_OF_RANGE', () => {
    const { proc, sys, pager, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 2);
    const clone = child(sys, vmo, ALOW | ZX_VMO_CHILD_RESIZABLE);
    const addr = map(sys, proc.rootVmar, ZX_VM_PERM_READ | ZX_VM_PERM_WRITE, 0, clone, 0, 2 * PAGE);
    assert.deepEqual(load(proc, addr + 4n, 4), diskPage(0).subarray(0, 4));
    expectStatus(sys.zx_vmo_set_size(clone, 0), ZX_OK);
    expectStatus(proc.load(addr + 4n, new Uint8Array(4)), ZX_ERR_OUT_OF_RANGE);
    expectStatus(proc.store(addr + 4n, new Uint8Array(4)), ZX_ERR_OUT_OF_RANGE);
  });

  // Pager.CloneResizeParentOK, Pager.CloneShrinkGrowParent
  it("a shrunk root shows zeros to its child, which never sees the root's regrown pages", () => {
    for (const [size, cloneOffset, testPage] of [
      [1, 0, 0],
      [2, 1, 0],
      [3, 1, 1],
    ] as const) {
      const { proc, sys, pager, vmo } = setup(size, ZX_VMO_RESIZABLE);
      supplyDisk(sys, pager, vmo, 0, size);
      const clone = child(sys, vmo, ALOW, cloneOffset * PAGE, size * PAGE);
      const addr = map(
        sys,
        proc.rootVmar,
        ZX_VM_PERM_READ,
        0,
        clone,
        0,
        PAGE * (size - cloneOffset),
      );
      const at = addr + BigInt(testPage * PAGE);
      const rootOffset = (cloneOffset + testPage) * PAGE;
      writeVmo(sys, vmo, rootOffset, new Uint8Array([1, 0, 0, 0]));
      assert.deepEqual(load(proc, at, 4), new Uint8Array([1, 0, 0, 0]));
      expectStatus(sys.zx_vmo_set_size(vmo, 0), ZX_OK);
      assert.deepEqual(load(proc, at, 4), new Uint8Array(4));
      expectStatus(sys.zx_vmo_set_size(vmo, size * PAGE), ZX_OK);
      supplyDisk(sys, pager, vmo, 0, size);
      writeVmo(sys, vmo, rootOffset, new Uint8Array([2, 0, 0, 0]));
      assert.deepEqual(load(proc, at, 4), new Uint8Array(4));
    }
  });
});

describe('pager children: snapshots of modified children (snapshot.cc)', () => {
  // Snapshot.Smoke
  it('SNAPSHOT_MODIFIED of a modified child: the modified page is shared, then forked', async () => {
    const { kernel, proc, sys, pager, port, vmo } = setup(1);
    const clone = child(sys, vmo, MODIFIED);
    const t = proc.startThread((th) => {
      const buf = new Uint8Array(8);
      new DataView(buf.buffer).setBigUint64(0, 0xdead1eafn, true);
      return th.zx_vmo_write(clone, buf, 0, 8);
    });
    await kernel.idle();
    assert.deepEqual(takeRequests(sys, port), [read(0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    expectStatus((await t.done) as number, ZX_OK);
    assert.equal(populated(sys, vmo), BigInt(PAGE));
    assert.equal(populated(sys, clone), BigInt(PAGE));
    const snapshot = child(sys, clone, MODIFIED);
    assert.equal(scaled(sys, snapshot), BigInt(PAGE / 2));
    assert.equal(word(sys, clone), 0xdead1eaf);
    assert.equal(word(sys, snapshot), 0xdead1eaf);
    setWord(sys, clone, 0xc10e);
    assert.equal(scaled(sys, snapshot), BigInt(PAGE));
    assert.equal(word(sys, clone), 0xc10e);
    assert.equal(word(sys, snapshot), 0xdead1eaf);
    assert.equal(populated(sys, vmo), BigInt(PAGE));
    assert.equal(populated(sys, clone), BigInt(PAGE));
  });

  // Snapshot.AtLeastOnWriteAfterSnapshotModified
  it('AT_LEAST_ON_WRITE of a two-way snapshot is two-way too', () => {
    const { sys, pager, vmo } = setup(1);
    supplyDisk(sys, pager, vmo, 0, 1);
    const clone = child(sys, vmo, MODIFIED);
    setWord(sys, clone, 0xdead1eaf);
    const snapshot = child(sys, clone, MODIFIED);
    setWord(sys, clone, 0xc0ffee);
    const alow = child(sys, snapshot, ALOW);
    assert.equal(word(sys, snapshot), 0xdead1eaf);
    assert.equal(word(sys, alow), 0xdead1eaf);
    setWord(sys, snapshot, 0xfff);
    assert.equal(word(sys, snapshot), 0xfff);
    assert.equal(word(sys, alow), 0xdead1eaf);
    expectStatus(sys.zx_handle_close(snapshot), ZX_OK);
    assert.equal(word(sys, alow), 0xdead1eaf);
  });

  // Snapshot.SnapshotModifiedAfterAtLeastOnWrite
  it('SNAPSHOT_MODIFIED after several at-least-on-write children of the root', () => {
    const { sys, pager, vmo } = setup(1);
    supplyDisk(sys, pager, vmo, 0, 1);
    setWord(sys, vmo, 0xdead1eaf);
    const alow1 = child(sys, vmo, ALOW);
    const alow2 = child(sys, vmo, ALOW);
    const alowSnapshot = child(sys, alow1, MODIFIED);
    const clone = child(sys, vmo, MODIFIED);
    setWord(sys, clone, 0xc0ffee);
    const snapshot = child(sys, clone, MODIFIED);
    for (const c of [alow1, alow2, alowSnapshot]) assert.equal(word(sys, c), 0xdead1eaf);
    assert.equal(word(sys, clone), 0xc0ffee);
    assert.equal(word(sys, snapshot), 0xc0ffee);
  });

  // Snapshot.DropVmos
  it('closing snapshots gives their pages to whoever still sees them', () => {
    const { sys, pager, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 2);
    setWord(sys, vmo, 0xdead1eaf, 0);
    setWord(sys, vmo, 0xdead1eaf, 1);
    const clone = child(sys, vmo, MODIFIED);
    assert.equal(populated(sys, clone), 0n);
    setWord(sys, clone, 0xc0ffee, 0);
    setWord(sys, clone, 0xc0ffee, 1);
    assert.equal(populated(sys, clone), BigInt(2 * PAGE));
    const full = child(sys, clone, MODIFIED);
    setWord(sys, full, 0xbee5, 0);
    setWord(sys, full, 0xdead1eaf, 1);
    const partial = child(sys, full, MODIFIED, 0, 1);
    assert.equal(scaled(sys, full), BigInt((3 * PAGE) / 2));
    assert.equal(scaled(sys, partial), BigInt(PAGE / 2));
    expectStatus(sys.zx_handle_close(full), ZX_OK);
    assert.equal(populated(sys, partial), BigInt(PAGE));
    assert.equal(word(sys, partial), 0xbee5);
    expectStatus(sys.zx_handle_close(partial), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).num_children, 1n);
    assert.equal(populated(sys, vmo), BigInt(2 * PAGE));
    assert.equal(populated(sys, clone), BigInt(2 * PAGE));
  });

  // Snapshot.ResizeShrinkSnapshot
  it('shrinking snapshots lets the pages nobody sees go', () => {
    const { sys, pager, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 2);
    setWord(sys, vmo, 0xdead1eaf, 0);
    setWord(sys, vmo, 0xdead1eaf, 1);
    const clone = child(sys, vmo, MODIFIED | ZX_VMO_CHILD_RESIZABLE);
    setWord(sys, clone, 0xc0ffee, 0);
    setWord(sys, clone, 0xc0ffee, 1);
    const snapshot = child(sys, clone, MODIFIED | ZX_VMO_CHILD_RESIZABLE);
    assert.equal(populated(sys, vmo), BigInt(2 * PAGE));
    assert.equal(scaled(sys, clone), BigInt(PAGE));
    assert.equal(scaled(sys, snapshot), BigInt(PAGE));
    expectStatus(sys.zx_vmo_set_size(clone, PAGE), ZX_OK);
    assert.equal(scaled(sys, clone), BigInt(PAGE / 2));
    assert.equal(scaled(sys, snapshot), BigInt((3 * PAGE) / 2));
    expectStatus(sys.zx_vmo_set_size(snapshot, PAGE), ZX_OK);
    assert.equal(populated(sys, vmo), BigInt(2 * PAGE));
    assert.equal(scaled(sys, clone), BigInt(PAGE / 2));
    assert.equal(scaled(sys, snapshot), BigInt(PAGE / 2));
  });

  // Snapshot.ReleaseCowParentPagesRight, Snapshot.ReleaseCowParentPagesLeft
  it('closing a full clone above a half clone keeps the root whole', () => {
    for (const half of [0, 1]) {
      const { sys, pager, vmo } = setup(2);
      supplyDisk(sys, pager, vmo, 0, 2);
      setWord(sys, vmo, 0xdead1eaf, 0);
      setWord(sys, vmo, 0xdead1eaf, 1);
      const full = child(sys, vmo, MODIFIED);
      const halfClone = child(sys, full, MODIFIED, half * PAGE, PAGE);
      expectStatus(sys.zx_handle_close(full), ZX_OK);
      assert.equal(word(sys, halfClone), 0xdead1eaf);
      assert.equal(vmoInfo(sys, vmo).num_children, 1n);
      assert.equal(word(sys, vmo, 0), 0xdead1eaf);
      assert.equal(word(sys, vmo, 1), 0xdead1eaf);
    }
  });

  it('a root with unwritten at-least-on-write children is charged for every page it holds', () => {
    const { sys, pager, vmo } = setup(4);
    supplyDisk(sys, pager, vmo, 0, 4);
    const a = child(sys, vmo, ALOW);
    const b = child(sys, vmo, MODIFIED);
    assert.equal(populated(sys, vmo), BigInt(4 * PAGE));
    assert.equal(scaled(sys, vmo), BigInt(4 * PAGE));
    assert.equal(populated(sys, a), 0n);
    assert.equal(populated(sys, b), 0n);
    setWord(sys, a, 1);
    assert.equal(vmoInfo(sys, a).populated_private_bytes, BigInt(PAGE));
    assert.equal(populated(sys, vmo), BigInt(4 * PAGE));
  });

  it('ZX_INFO_PROCESS_VMOS lists the pager VMO and its children as pager-backed', () => {
    const { proc, sys, pager, vmo } = setup(2);
    supplyDisk(sys, pager, vmo, 0, 2);
    const alow = child(sys, vmo, ALOW);
    setWord(sys, alow, 1);
    const buffer = new Uint8Array(8 * ZX_INFO_VMO_SIZE);
    const actual = out(0n);
    const status = sys.zx_object_get_info(
      proc.self,
      ZX_INFO_PROCESS_VMOS,
      buffer,
      buffer.length,
      actual,
      null,
    );
    expectStatus(status, ZX_OK);
    const records = Array.from({ length: Number(actual.value) }, (_, i) =>
      decodeZxInfoVmo(buffer.subarray(i * ZX_INFO_VMO_SIZE, (i + 1) * ZX_INFO_VMO_SIZE)),
    );
    const byKoid = new Map(records.map((r) => [r.koid, r]));
    const root = byKoid.get(vmoInfo(sys, vmo).koid)!;
    const kid = byKoid.get(vmoInfo(sys, alow).koid)!;
    assert.equal(root.flags & ZX_INFO_VMO_PAGER_BACKED, ZX_INFO_VMO_PAGER_BACKED);
    assert.equal(kid.flags & ZX_INFO_VMO_PAGER_BACKED, ZX_INFO_VMO_PAGER_BACKED);
    assert.equal(root.populated_bytes, BigInt(2 * PAGE));
    assert.equal(kid.populated_bytes, BigInt(PAGE));
    assert.equal(kid.parent_koid, root.koid);
  });
});

describe('pager children: the computed share counts (cow-counts.ts) under a visible root', () => {
  const diskWord = (page: number) =>
    Number(new DataView(diskPage(page).buffer).getBigUint64(0, true));

  it('hidden nodes below the root count only their own pages; the root keeps its pages', () => {
    const { proc, sys, pager, vmo } = setup(4);
    supplyDisk(sys, pager, vmo, 0, 4);
    const oneWay = child(sys, vmo, ALOW);
    const modified = child(sys, oneWay, MODIFIED);
    checkTree(proc, vmo);
    setWord(sys, oneWay, 0xa, 1);
    const twoWay = child(sys, oneWay, MODIFIED);
    setWord(sys, twoWay, 0xb, 2);
    for (const h of [vmo, oneWay, modified, twoWay]) checkTree(proc, h);
    // The root's pages are copied, never moved: it still reads the disk's bytes.
    assert.deepEqual(readVmo(sys, vmo, PAGE, PAGE), diskPage(1));
    assert.equal(word(sys, oneWay, 1), 0xa);
    assert.equal(word(sys, modified, 1), diskWord(1));
    assert.equal(word(sys, twoWay, 1), 0xa);
    assert.equal(word(sys, twoWay, 2), 0xb);
    // Closing the two-way snapshot frees only its page; the root's stay for the others.
    expectStatus(sys.zx_handle_close(twoWay), ZX_OK);
    for (const h of [vmo, oneWay, modified]) checkTree(proc, h);
    expectStatus(sys.zx_handle_close(vmo), ZX_OK);
    checkTree(proc, oneWay);
    assert.equal(word(sys, modified, 2), diskWord(2));
    assert.equal(word(sys, oneWay, 1), 0xa);
  });
});

// zxvm's own hardening: an operation on a child costs what exists in and above it, not the
// range it is given (here 2^38 pages that all read zero, past the root's stream size).
describe('children of pager-backed VMOs: ranges as wide as the VMO', () => {
  it('COMMIT, ZERO, ALWAYS_NEED and PREFETCH of 2^50 bytes of a child answer at once', () => {
    const { sys, pager, port } = setup(0);
    const root = out(0);
    expectStatus(sys.zx_pager_create_vmo(pager, ZX_VMO_UNBOUNDED, port, KEY, 0n, root), ZX_OK);
    const size = 1n << 50n;
    for (const type of [ALOW, ZX_VMO_CHILD_SLICE]) {
      const child = out(0);
      expectStatus(sys.zx_vmo_create_child(root.value, type, 0n, size, child), ZX_OK);
      const ops: [number, number][] = [
        [ZX_VMO_OP_COMMIT, ZX_ERR_NO_MEMORY],
        [ZX_VMO_OP_ZERO, ZX_OK],
        [ZX_VMO_OP_ALWAYS_NEED, ZX_OK],
        [ZX_VMO_OP_PREFETCH, ZX_OK],
      ];
      for (const [op, status] of ops) {
        const started = performance.now();
        expectStatus(sys.zx_vmo_op_range(child.value, op, 0n, size, null, 0), status);
        const took = performance.now() - started;
        assert.ok(took < 250, `op ${op} of child type ${type} took ${took.toFixed(0)} ms`);
      }
    }
  });
});
