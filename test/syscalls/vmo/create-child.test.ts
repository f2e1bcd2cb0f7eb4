// zx_vmo_create_child: every option rule and error in Zircon's order, the child's rights, name,
// size and content size, what ZX_INFO_VMO reports, and ZX_VMO_ZERO_CHILDREN.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CACHE_POLICY_UNCACHED,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_INFO_VMO_IMMUTABLE,
  ZX_INFO_VMO_IS_COW_CLONE,
  ZX_INFO_VMO_RESIZABLE,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_IOMMU_TYPE_STUB,
  ZX_OK,
  ZX_PROP_NAME,
  ZX_RIGHT_DUPLICATE,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_GET_PROPERTY,
  ZX_RIGHT_MAP,
  ZX_RIGHT_READ,
  ZX_RIGHT_RESIZE,
  ZX_RIGHT_SET_PROPERTY,
  ZX_RIGHT_WRITE,
  ZX_VM_PERM_READ,
  ZX_VMO_CHILD_COPY_ON_WRITE,
  ZX_VMO_CHILD_NO_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_RESIZABLE,
} from '../../../src/abi/constants.ts';
import {
  ARENA_FULL,
  createVmo,
  duplicate,
  expectFailure,
  expectStatus,
  handleBasic,
  newProcess,
  out,
  PAGE,
  pinVmoPages,
  smallArena,
  systemResource,
  UINT64_MAX,
  untyped,
  vmoInfo,
} from '../../helpers.ts';
import {
  child,
  childFails,
  hasZeroChildren,
  readTag,
  tagPages,
} from '../../vm/cow/tree-helpers.ts';
import { mmioBase, mmioResource } from '../vmar/vmar-helpers.ts';

const SNAPSHOT_TYPES = [
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
];
const ALL_TYPES = [...SNAPSHOT_TYPES, ZX_VMO_CHILD_SLICE];
const MAX_SIZE = 0xffff_ffff_fffe_0000n;

function rightsOf(sys: ReturnType<typeof newProcess>['sys'], handle: number): number {
  return handleBasic(sys, handle).rights;
}

/** A contiguous VMO, made through a stub IOMMU and a BTI. */
function contiguousVmo(t: ReturnType<typeof newProcess>, size: number): number {
  const resource = systemResource(t.kernel, t.proc);
  const iommu = out(0);
  expectStatus(
    t.sys.zx_iommu_create(resource, ZX_IOMMU_TYPE_STUB, new Uint8Array(1), 1, iommu),
    ZX_OK,
  );
  const bti = out(0);
  expectStatus(t.sys.zx_bti_create(iommu.value, 0, 0n, bti), ZX_OK);
  const vmo = out(0);
  expectStatus(t.sys.zx_vmo_create_contiguous(bti.value, size, 0, vmo), ZX_OK);
  return vmo.value;
}

describe('zx_vmo_create_child checks in Zircon order', () => {
  it('rejects a size that rounds past 2^64 before looking at the handle', () => {
    const { sys } = newProcess();
    childFails(sys, 12345, ZX_VMO_CHILD_SNAPSHOT, 0, UINT64_MAX, ZX_ERR_OUT_OF_RANGE);
    childFails(sys, 12345, ZX_VMO_CHILD_SLICE, 0, UINT64_MAX - 4094n, ZX_ERR_OUT_OF_RANGE);
  });

  it('rejects NO_WRITE with RESIZABLE before looking at the handle', () => {
    const { sys } = newProcess();
    const options = ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE | ZX_VMO_CHILD_RESIZABLE;
    childFails(sys, 12345, options, 0, PAGE, ZX_ERR_INVALID_ARGS);
  });

  it('rejects arguments of the wrong JavaScript type with INVALID_ARGS', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    for (const bad of [
      [1.5, 0, PAGE],
      [ZX_VMO_CHILD_SNAPSHOT, -1.5, PAGE],
      [1, 0, 'x'],
    ]) {
      const handle = out(0);
      expectStatus(
        untyped(sys).zx_vmo_create_child(vmo, bad[0], bad[1], bad[2], handle),
        ZX_ERR_INVALID_ARGS,
      );
    }
  });

  it('gives BAD_HANDLE, WRONG_TYPE and ACCESS_DENIED for the handle', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    childFails(sys, ZX_HANDLE_INVALID, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, ZX_ERR_BAD_HANDLE);
    childFails(sys, proc.job, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, ZX_ERR_WRONG_TYPE);
    const noDup = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_DUPLICATE);
    childFails(sys, noDup, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, ZX_ERR_ACCESS_DENIED);
    const noRead = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ);
    childFails(sys, noRead, ZX_VMO_CHILD_SLICE, 0, PAGE, ZX_ERR_ACCESS_DENIED);
  });

  it('needs RESIZE on the handle for a resizable reference', () => {
    const { sys } = newProcess();
    const fixed = createVmo(sys, PAGE);
    const options = ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_RESIZABLE;
    childFails(sys, fixed, options, 0, 0, ZX_ERR_ACCESS_DENIED);
    const resizable = createVmo(sys, PAGE, ZX_VMO_RESIZABLE);
    const noResize = duplicate(sys, resizable, ZX_DEFAULT_VMO_RIGHTS);
    childFails(sys, noResize, options, 0, 0, ZX_ERR_ACCESS_DENIED);
    const ref = child(sys, resizable, options, 0, 0);
    assert.ok((rightsOf(sys, ref) & ZX_RIGHT_RESIZE) !== 0);
  });

  it('refuses every child of a discardable VMO, whatever the options', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE, ZX_VMO_DISCARDABLE);
    for (const options of [0, 0xffff_0000, ...ALL_TYPES, ZX_VMO_CHILD_REFERENCE]) {
      childFails(
        sys,
        vmo,
        options >>> 0,
        0,
        PAGE * (options === ZX_VMO_CHILD_REFERENCE ? 0 : 1),
        ZX_ERR_NOT_SUPPORTED,
      );
    }
  });

  it('parses options: one type, RESIZABLE where allowed, no unknown bits', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const invalid = [
      0,
      ZX_VMO_CHILD_RESIZABLE,
      ZX_VMO_CHILD_NO_WRITE,
      ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_RESIZABLE,
      ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_SNAPSHOT,
      ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_REFERENCE,
      ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_SNAPSHOT,
      ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
      ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
      ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
      ZX_VMO_CHILD_SNAPSHOT | 0x400,
      ZX_VMO_CHILD_SLICE | 0x400,
      0x400,
    ];
    for (const options of invalid) {
      childFails(sys, vmo, options, 0, PAGE, ZX_ERR_INVALID_ARGS, `options ${options}`);
    }
    childFails(sys, vmo, ZX_VMO_CHILD_REFERENCE | 0x400, 0, 0, ZX_ERR_INVALID_ARGS);
    for (const type of ALL_TYPES) {
      child(sys, vmo, type | ZX_VMO_CHILD_NO_WRITE, 0, PAGE);
      if (type !== ZX_VMO_CHILD_SLICE) child(sys, vmo, type | ZX_VMO_CHILD_RESIZABLE, 0, PAGE);
    }
    child(sys, vmo, ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_NO_WRITE, 0, 0);
    assert.equal(ZX_VMO_CHILD_COPY_ON_WRITE, ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE);
  });

  it('checks a snapshot range: aligned offset, size within the largest VMO, no 2^64 overflow', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    childFails(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 1, PAGE, ZX_ERR_INVALID_ARGS);
    childFails(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, MAX_SIZE + 4096n, ZX_ERR_OUT_OF_RANGE);
    childFails(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, UINT64_MAX - 4095n, 2 * PAGE, ZX_ERR_OUT_OF_RANGE);
    // Starting or ending past the parent is fine.
    child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 10 * PAGE, 3 * PAGE);
    child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 100 * PAGE);
    child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, MAX_SIZE);
    // An unaligned size is rounded up.
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 5);
    assert.equal(vmoInfo(sys, c).size_bytes, BigInt(PAGE));
  });

  it('refuses offsets that overflow once projected onto the root (INVALID_ARGS)', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 0);
    const c1 = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0xffff_ffff_ffff_8000n, 0);
    childFails(sys, c1, ZX_VMO_CHILD_SNAPSHOT, 0x8000, 0, ZX_ERR_INVALID_ARGS);
    const c2 = child(sys, c1, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0x4000, 0);
    expectStatus(sys.zx_vmo_set_size(c2, 0x8000), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmo_set_size(c2, 0x3000), ZX_OK);
  });

  it('refuses snapshots of uncached VMOs, slices, contiguous and physical VMOs', () => {
    const t = newProcess();
    const { sys } = t;
    const uncached = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_set_cache_policy(uncached, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
    childFails(sys, uncached, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, ZX_ERR_BAD_STATE);
    const vmo = createVmo(sys, 4 * PAGE);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE);
    for (const type of SNAPSHOT_TYPES) {
      childFails(sys, slice, type, 0, PAGE, ZX_ERR_NOT_SUPPORTED);
      // The slice's window is checked first.
      childFails(sys, slice, type, 0, 3 * PAGE, ZX_ERR_OUT_OF_RANGE);
    }
    const contiguous = contiguousVmo(t, 2 * PAGE);
    childFails(sys, contiguous, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, ZX_ERR_INVALID_ARGS);
    childFails(sys, contiguous, ZX_VMO_CHILD_REFERENCE, 0, 0, ZX_ERR_NOT_SUPPORTED);
    child(sys, contiguous, ZX_VMO_CHILD_SLICE, PAGE, PAGE);
  });

  it('makes only slices of a physical VMO: other kinds are NOT_SUPPORTED, whatever the range', () => {
    const { kernel, proc, sys } = newProcess();
    const base = mmioBase(kernel);
    const physical = out(0);
    const resource = mmioResource(kernel, proc, base, 2 * PAGE);
    expectStatus(sys.zx_vmo_create_physical(resource, base, 2 * PAGE, physical), ZX_OK);
    const h = physical.value;
    for (const type of SNAPSHOT_TYPES) childFails(sys, h, type, 0, PAGE, ZX_ERR_NOT_SUPPORTED);
    // Zircon's VmObject answers for the kinds VmObjectPhysical lacks, before any range check.
    childFails(sys, h, ZX_VMO_CHILD_REFERENCE, 0, 0, ZX_ERR_NOT_SUPPORTED);
    childFails(sys, h, ZX_VMO_CHILD_REFERENCE, PAGE, PAGE, ZX_ERR_NOT_SUPPORTED);
    childFails(sys, h, ZX_VMO_CHILD_SNAPSHOT, 1, PAGE, ZX_ERR_NOT_SUPPORTED);
    // Slices have VmObjectPhysical's own checks.
    childFails(sys, h, ZX_VMO_CHILD_SLICE, 1, PAGE, ZX_ERR_INVALID_ARGS);
    childFails(sys, h, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE, ZX_ERR_INVALID_ARGS);
    const slice = child(sys, h, ZX_VMO_CHILD_SLICE, PAGE, PAGE);
    assert.equal(vmoInfo(sys, slice).flags & ZX_INFO_VMO_TYPE_PAGED, 0);
    assert.equal(vmoInfo(sys, h).num_children, 1n);
  });

  it('refuses a snapshot while pages are pinned, and allows it once they are unpinned', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const unpin = pinVmoPages(proc, vmo, 1, 2);
    childFails(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, ZX_ERR_BAD_STATE);
    child(sys, vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    unpin();
    child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
  });

  it('checks a slice: aligned offset, size, inside the parent, parent not resizable', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    childFails(sys, vmo, ZX_VMO_CHILD_SLICE, 1, PAGE, ZX_ERR_INVALID_ARGS);
    childFails(sys, vmo, ZX_VMO_CHILD_SLICE, 0, UINT64_MAX - 4095n, ZX_ERR_OUT_OF_RANGE);
    childFails(sys, vmo, ZX_VMO_CHILD_SLICE, UINT64_MAX - 4095n, PAGE, ZX_ERR_INVALID_ARGS);
    childFails(sys, vmo, ZX_VMO_CHILD_SLICE, 3 * PAGE, 2 * PAGE, ZX_ERR_INVALID_ARGS);
    child(sys, vmo, ZX_VMO_CHILD_SLICE, 4 * PAGE, 0);
    const resizable = createVmo(sys, 4 * PAGE, ZX_VMO_RESIZABLE);
    childFails(sys, resizable, ZX_VMO_CHILD_SLICE, 0, PAGE, ZX_ERR_NOT_SUPPORTED);
    // Containment is checked before resizability.
    childFails(sys, resizable, ZX_VMO_CHILD_SLICE, 0, 5 * PAGE, ZX_ERR_INVALID_ARGS);
    const uncached = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_set_cache_policy(uncached, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
    childFails(sys, uncached, ZX_VMO_CHILD_SLICE, 0, PAGE, ZX_ERR_BAD_STATE);
  });

  it('checks a reference: no offset or size, not of a slice, parent cached', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    childFails(sys, vmo, ZX_VMO_CHILD_REFERENCE, PAGE, 0, ZX_ERR_INVALID_ARGS);
    childFails(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 1, ZX_ERR_INVALID_ARGS);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    childFails(sys, slice, ZX_VMO_CHILD_REFERENCE, 0, 0, ZX_ERR_NOT_SUPPORTED);
    const uncached = createVmo(sys, PAGE);
    expectStatus(sys.zx_vmo_set_cache_policy(uncached, ZX_CACHE_POLICY_UNCACHED), ZX_OK);
    childFails(sys, uncached, ZX_VMO_CHILD_REFERENCE, 0, 0, ZX_ERR_BAD_STATE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    child(sys, ref, ZX_VMO_CHILD_REFERENCE, 0, 0);
    child(sys, ref, ZX_VMO_CHILD_SLICE, PAGE, PAGE);
    child(sys, ref, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
  });

  it('destroys the child when out cannot be written, leaving the parent childless', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    const before = proc.object.handles.size;
    for (const options of [ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_CHILD_SLICE, ZX_VMO_CHILD_REFERENCE]) {
      const size = options === ZX_VMO_CHILD_REFERENCE ? 0 : PAGE;
      for (const unusable of [null, Object.freeze({ value: 0 })]) {
        expectStatus(sys.zx_vmo_create_child(vmo, options, 0, size, unusable), ZX_ERR_INVALID_ARGS);
        assert.equal(proc.object.handles.size, before, 'a handle was left in the table');
        assert.equal(vmoInfo(sys, vmo).num_children, 0n);
        assert.equal(hasZeroChildren(sys, vmo), true);
      }
    }
    // No snapshot child is left to make DECOMMIT unsupported on the parent.
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_COMMIT, 0, PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_DECOMMIT, 0, PAGE, null, 0), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).committed_bytes, 0n);
  });

  it('gives NO_MEMORY when the handle arena is full, and the parent keeps no child', () => {
    const { proc, sys, fill } = smallArena();
    const vmo = createVmo(sys, PAGE);
    fill(vmo);
    expectFailure(
      proc,
      sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, out(0)),
      ZX_ERR_NO_MEMORY,
      ARENA_FULL,
    );
    assert.equal(vmoInfo(sys, vmo).num_children, 0n);
  });
});

describe('the rights of a child handle', () => {
  it('give a snapshot WRITE and no EXECUTE, and keep the parent handle rights otherwise', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    assert.equal(
      rightsOf(sys, child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE)),
      ZX_DEFAULT_VMO_RIGHTS,
    );
    const exec = out(0);
    expectStatus(
      sys.zx_vmo_replace_as_executable(duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS), 0, exec),
      ZX_OK,
    );
    for (const type of SNAPSHOT_TYPES) {
      assert.equal(rightsOf(sys, child(sys, exec.value, type, 0, PAGE)), ZX_DEFAULT_VMO_RIGHTS);
    }
    const slice = child(sys, exec.value, ZX_VMO_CHILD_SLICE, 0, PAGE);
    assert.equal(rightsOf(sys, slice), ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE);
    const ref = child(sys, exec.value, ZX_VMO_CHILD_REFERENCE, 0, 0);
    assert.equal(rightsOf(sys, ref), ZX_DEFAULT_VMO_RIGHTS | ZX_RIGHT_EXECUTE);
  });

  it('add GET_PROPERTY and SET_PROPERTY, and WRITE only for snapshots', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const weak = duplicate(sys, vmo, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ);
    const props = ZX_RIGHT_GET_PROPERTY | ZX_RIGHT_SET_PROPERTY;
    const base = ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ | props;
    assert.equal(
      rightsOf(sys, child(sys, weak, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE)),
      base | ZX_RIGHT_WRITE,
    );
    assert.equal(rightsOf(sys, child(sys, weak, ZX_VMO_CHILD_SLICE, 0, PAGE)), base);
    assert.equal(rightsOf(sys, child(sys, weak, ZX_VMO_CHILD_REFERENCE, 0, 0)), base);
    // MAP missing on the parent handle is missing on the child.
    assert.equal(rightsOf(sys, child(sys, weak, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE)) & ZX_RIGHT_MAP, 0);
  });

  it('drop WRITE for NO_WRITE children of every type', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    for (const type of [...ALL_TYPES, ZX_VMO_CHILD_REFERENCE]) {
      const size = type === ZX_VMO_CHILD_REFERENCE ? 0 : PAGE;
      const c = child(sys, vmo, type | ZX_VMO_CHILD_NO_WRITE, 0, size);
      assert.equal(rightsOf(sys, c) & ZX_RIGHT_WRITE, 0);
      assert.equal(rightsOf(sys, c), ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    }
  });

  it('give RESIZE exactly to RESIZABLE children', () => {
    const { sys } = newProcess();
    const resizable = createVmo(sys, PAGE, ZX_VMO_RESIZABLE);
    assert.equal(
      rightsOf(sys, child(sys, resizable, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE)) & ZX_RIGHT_RESIZE,
      0,
    );
    const grown = child(sys, resizable, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0, PAGE);
    assert.ok((rightsOf(sys, grown) & ZX_RIGHT_RESIZE) !== 0);
    // A reference of a resizable VMO made without RESIZABLE is resizable but cannot resize.
    const ref = child(sys, resizable, ZX_VMO_CHILD_REFERENCE, 0, 0);
    assert.equal(rightsOf(sys, ref) & ZX_RIGHT_RESIZE, 0);
    assert.ok((vmoInfo(sys, ref).flags & ZX_INFO_VMO_RESIZABLE) !== 0);
    expectStatus(sys.zx_vmo_set_size(ref, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
  });
});

describe('a child VMO', () => {
  it('copies the parent name when the handle can read properties', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const name = new TextEncoder().encode('parent-name');
    expectStatus(sys.zx_object_set_property(vmo, ZX_PROP_NAME, name, name.length), ZX_OK);
    const nameOf = (h: number) => {
      const bytes = new Uint8Array(32);
      expectStatus(sys.zx_object_get_property(h, ZX_PROP_NAME, bytes, 32), ZX_OK);
      return new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
    };
    for (const [type, size] of [
      [ZX_VMO_CHILD_SNAPSHOT, PAGE],
      [ZX_VMO_CHILD_SLICE, PAGE],
      [ZX_VMO_CHILD_REFERENCE, 0],
    ]) {
      const c = child(sys, vmo, type!, 0, size!);
      assert.equal(nameOf(c), 'parent-name');
    }
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const other = new TextEncoder().encode('renamed');
    expectStatus(sys.zx_object_set_property(vmo, ZX_PROP_NAME, other, other.length), ZX_OK);
    assert.equal(nameOf(c), 'parent-name');
    const blind = duplicate(sys, vmo, ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ);
    assert.equal(nameOf(child(sys, blind, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE)), '');
  });

  it('has the rounded size and the unrounded size as content size', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    for (const type of [ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_CHILD_SLICE]) {
      const c = child(sys, vmo, type, 0, PAGE + 7);
      assert.equal(vmoInfo(sys, c).size_bytes, BigInt(2 * PAGE));
      const content = out(0n);
      expectStatus(sys.zx_vmo_get_stream_size(c, content), ZX_OK);
      assert.equal(content.value, BigInt(PAGE + 7));
    }
  });

  it('reports its kind, parent and children in ZX_INFO_VMO', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const plain = ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE;
    const snap = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    const vmoKoid = vmoInfo(sys, vmo).koid;
    assert.equal(vmoInfo(sys, vmo).flags, plain);
    assert.equal(vmoInfo(sys, vmo).num_children, 3n);
    assert.equal(vmoInfo(sys, snap).flags, plain | ZX_INFO_VMO_IS_COW_CLONE);
    assert.equal(vmoInfo(sys, slice).flags, plain);
    assert.equal(vmoInfo(sys, ref).flags, plain);
    for (const c of [snap, slice, ref]) {
      assert.equal(vmoInfo(sys, c).parent_koid, vmoKoid);
      assert.equal(vmoInfo(sys, c).num_children, 0n);
    }
    const nested = child(sys, ref, ZX_VMO_CHILD_REFERENCE, 0, 0);
    assert.equal(vmoInfo(sys, nested).parent_koid, vmoInfo(sys, ref).koid);
    const snapOfRef = child(sys, ref, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    assert.equal(vmoInfo(sys, snapOfRef).parent_koid, vmoInfo(sys, ref).koid);
    assert.equal(vmoInfo(sys, ref).num_children, 2n);
    assert.equal(vmoInfo(sys, vmo).num_children, 3n);
  });

  it('is IMMUTABLE only as a SNAPSHOT made with NO_WRITE', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const immutable = (options: number, size = PAGE) =>
      (vmoInfo(sys, child(sys, vmo, options, 0, size)).flags & ZX_INFO_VMO_IMMUTABLE) !== 0;
    assert.equal(immutable(ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_NO_WRITE), true);
    assert.equal(immutable(ZX_VMO_CHILD_SNAPSHOT), false);
    assert.equal(immutable(ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE | ZX_VMO_CHILD_NO_WRITE), false);
    assert.equal(immutable(ZX_VMO_CHILD_SNAPSHOT_MODIFIED | ZX_VMO_CHILD_NO_WRITE), false);
    assert.equal(immutable(ZX_VMO_CHILD_SLICE | ZX_VMO_CHILD_NO_WRITE), false);
    assert.equal(immutable(ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_NO_WRITE, 0), false);
  });

  it('is RESIZABLE when made so; a reference is exactly when its parent is', () => {
    const { sys } = newProcess();
    const fixed = createVmo(sys, PAGE);
    const resizable = createVmo(sys, PAGE, ZX_VMO_RESIZABLE);
    const flag = (h: number) => (vmoInfo(sys, h).flags & ZX_INFO_VMO_RESIZABLE) !== 0;
    assert.equal(
      flag(child(sys, fixed, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0, PAGE)),
      true,
    );
    assert.equal(flag(child(sys, resizable, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE)), false);
    assert.equal(flag(child(sys, fixed, ZX_VMO_CHILD_SLICE, 0, PAGE)), false);
    assert.equal(flag(child(sys, fixed, ZX_VMO_CHILD_REFERENCE, 0, 0)), false);
    assert.equal(flag(child(sys, resizable, ZX_VMO_CHILD_REFERENCE, 0, 0)), true);
  });

  it('loses IS_COW_CLONE and its parent koid when its parent goes, and is re-homed to the grandparent', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    tagPages(sys, vmo, 1);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const g = child(sys, c, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const s = child(sys, c, ZX_VMO_CHILD_SLICE, 0, PAGE);
    sys.zx_handle_close(c);
    assert.equal(vmoInfo(sys, g).parent_koid, vmoInfo(sys, vmo).koid);
    assert.equal(vmoInfo(sys, s).parent_koid, vmoInfo(sys, vmo).koid);
    assert.equal(vmoInfo(sys, vmo).num_children, 2n);
    assert.ok((vmoInfo(sys, g).flags & ZX_INFO_VMO_IS_COW_CLONE) !== 0);
    sys.zx_handle_close(vmo);
    assert.equal(vmoInfo(sys, g).parent_koid, 0n);
    assert.equal(vmoInfo(sys, g).flags & ZX_INFO_VMO_IS_COW_CLONE, 0);
    assert.equal(readTag(sys, g, 0), 1);
    assert.equal(readTag(sys, s, 0), 1);
  });
});

describe('the cache policy of children', () => {
  it('cannot change on a parent with children, a child, a reference or a slice', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const snap = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    for (const h of [vmo, snap, ref, slice]) {
      expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    }
    sys.zx_handle_close(vmo);
    // Their parent gone, a reference and a slice still see its pages.
    for (const h of [ref, slice]) {
      expectStatus(sys.zx_vmo_set_cache_policy(h, ZX_CACHE_POLICY_UNCACHED), ZX_ERR_BAD_STATE);
    }
  });
});

describe('ZX_VMO_ZERO_CHILDREN', () => {
  it('is set on a new VMO and on a new child, cleared by the first child, set when none is left', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    assert.equal(hasZeroChildren(sys, vmo), true);
    const clones = [0, 1, 2, 3, 4].map(() => child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE));
    assert.equal(hasZeroChildren(sys, vmo), false);
    assert.equal(hasZeroChildren(sys, clones[0]!), true);
    for (const [i, c] of clones.entries()) {
      assert.equal(vmoInfo(sys, vmo).num_children, BigInt(5 - i));
      sys.zx_handle_close(c);
      assert.equal(hasZeroChildren(sys, vmo), i === 4);
    }
  });

  it('counts slices and references, and stays clear when a creation fails', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    childFails(sys, vmo, ZX_VMO_CHILD_SLICE, 0, 2 * PAGE, ZX_ERR_INVALID_ARGS);
    assert.equal(hasZeroChildren(sys, vmo), true);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    assert.equal(hasZeroChildren(sys, vmo), false);
    sys.zx_handle_close(slice);
    assert.equal(hasZeroChildren(sys, vmo), false);
    sys.zx_handle_close(ref);
    assert.equal(hasZeroChildren(sys, vmo), true);
  });

  it('stays clear while a re-homed grandchild lives', () => {
    for (const type of [ZX_VMO_CHILD_SNAPSHOT, ZX_VMO_CHILD_SLICE]) {
      const { sys } = newProcess();
      const vmo = createVmo(sys, PAGE);
      const c = child(sys, vmo, type, 0, PAGE);
      const g = child(sys, c, type, 0, PAGE);
      sys.zx_handle_close(c);
      assert.equal(hasZeroChildren(sys, vmo), false);
      assert.equal(vmoInfo(sys, vmo).num_children, 1n);
      sys.zx_handle_close(g);
      assert.equal(hasZeroChildren(sys, vmo), true);
    }
  });

  it('stays clear while a child without handles is kept alive by a mapping', () => {
    const { proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    const addr = out(0n);
    expectStatus(sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, c, 0, PAGE, addr), ZX_OK);
    sys.zx_handle_close(c);
    assert.equal(hasZeroChildren(sys, vmo), false);
    assert.equal(vmoInfo(sys, vmo).num_children, 1n);
    expectStatus(sys.zx_vmar_unmap(proc.rootVmar, addr.value, PAGE), ZX_OK);
    assert.equal(hasZeroChildren(sys, vmo), true);
    assert.equal(vmoInfo(sys, vmo).num_children, 0n);
  });
});
