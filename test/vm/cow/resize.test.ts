// Resizing VMOs that have children, or are children: snapshots never see a resize of their
// parent, a shrunk clone grows back with zeros, references resize with their parent, and
// slices cannot be made of resizable VMOs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_UNAVAILABLE,
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_RESIZABLE,
} from '../../../src/abi/constants.ts';
import { createVmo, expectStatus, newProcess, out, PAGE, vmoInfo } from '../../helpers.ts';
import {
  checkAttributionSum,
  child,
  childFails,
  permutations,
  scaled,
  tagPages,
  tags,
  writeTag,
} from './tree-helpers.ts';

const P = BigInt(PAGE);
const RESIZABLE_SNAPSHOT = ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE;

describe('resizing with snapshot children', () => {
  for (const target of ['parent', 'child'] as const) {
    it(`shrinking the ${target} frees what only it saw and never changes the other`, () => {
      const { kernel, proc, sys } = newProcess();
      const vmo = createVmo(sys, 4 * PAGE, ZX_VMO_RESIZABLE);
      tagPages(sys, vmo, 4);
      const c = child(sys, vmo, RESIZABLE_SNAPSHOT, 0, 4 * PAGE);
      writeTag(sys, vmo, 1, 5);
      writeTag(sys, c, 2, 5);
      assert.equal(scaled(sys, vmo), 3n * P);
      assert.equal(scaled(sys, c), 3n * P);
      const [resized, other] = target === 'child' ? [c, vmo] : [vmo, c];
      expectStatus(sys.zx_vmo_set_size(resized, PAGE), ZX_OK);
      const otherTags = target === 'child' ? [1, 5, 3, 4] : [1, 2, 5, 4];
      assert.deepEqual(tags(sys, other, 4), otherTags);
      assert.deepEqual(tags(sys, resized, 1), [1]);
      assert.equal(scaled(sys, other), 7n * 2048n);
      assert.equal(scaled(sys, resized), 2048n);
      checkAttributionSum(kernel, proc, [vmo, c]);
      // Growing back shows zeros, never the old pages.
      expectStatus(sys.zx_vmo_set_size(resized, 2 * PAGE), ZX_OK);
      assert.deepEqual(tags(sys, resized, 2), [1, 0]);
      // Writes into the other VMO need no fork any more.
      writeTag(sys, other, 3, 6);
      assert.equal(scaled(sys, other), 7n * 2048n);
      sys.zx_handle_close(other);
      assert.deepEqual(tags(sys, resized, 2), [1, 0]);
      assert.equal(scaled(sys, resized), P);
      checkAttributionSum(kernel, proc, [resized]);
    });
  }

  it('grows a clone with zeros that parent writes never reach (ResizeGrow)', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, RESIZABLE_SNAPSHOT, 0, PAGE);
    expectStatus(sys.zx_vmo_set_size(c, 2 * PAGE), ZX_OK);
    assert.deepEqual(tags(sys, c, 2), [1, 0]);
    writeTag(sys, vmo, 1, 3);
    assert.deepEqual(tags(sys, c, 2), [1, 0]);
    assert.equal(scaled(sys, vmo), 3n * 2048n);
    assert.equal(scaled(sys, c), 2048n);
  });

  it('keeps a truncated parent from touching its offset clone (ResizeOffsetChild)', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE, ZX_VMO_RESIZABLE);
    tagPages(sys, vmo, 3);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, PAGE);
    expectStatus(sys.zx_vmo_set_size(vmo, 0), ZX_OK);
    assert.deepEqual(tags(sys, c, 1), [2]);
    assert.equal(scaled(sys, vmo), 0n);
    assert.equal(scaled(sys, c), P);
  });

  it('never lets a shrunk and regrown VMO see through to its parent (ResizeOverSiblingRange)', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE, ZX_VMO_RESIZABLE);
    tagPages(sys, vmo, 4);
    const intermediate = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
    const sibling = child(sys, vmo, RESIZABLE_SNAPSHOT, 2 * PAGE, PAGE);
    expectStatus(sys.zx_vmo_set_size(vmo, PAGE), ZX_OK);
    expectStatus(sys.zx_vmo_set_size(vmo, 4 * PAGE), ZX_OK);
    assert.deepEqual(tags(sys, vmo, 4), [1, 0, 0, 0]);
    for (let page = 1; page < 4; page++) writeTag(sys, vmo, page, page + 1);
    assert.deepEqual(tags(sys, vmo, 4), [1, 2, 3, 4]);
    assert.deepEqual(tags(sys, intermediate, 4), [1, 2, 3, 4]);
    assert.deepEqual(tags(sys, sibling, 1), [3]);
    checkAttributionSum(kernel, proc, [vmo, intermediate, sibling]);
  });

  it('frees pages in every order of shrinking disjoint clones and their parent', () => {
    for (const order of permutations(3)) {
      const { kernel, proc, sys } = newProcess();
      const vmo = createVmo(sys, 3 * PAGE, ZX_VMO_RESIZABLE);
      tagPages(sys, vmo, 3);
      const clones = [0, 1, 2].map((i) => child(sys, vmo, RESIZABLE_SNAPSHOT, i * PAGE, PAGE));
      assert.equal(scaled(sys, vmo), 3n * 2048n);
      for (const c of clones) assert.equal(scaled(sys, c), 2048n);
      expectStatus(sys.zx_vmo_set_size(clones[order[0]!]!, 0), ZX_OK);
      expectStatus(sys.zx_vmo_set_size(clones[order[1]!]!, 0), ZX_OK);
      expectStatus(sys.zx_vmo_set_size(vmo, 0), ZX_OK);
      const last = order[2]!;
      assert.deepEqual(tags(sys, clones[last]!, 1), [last + 1]);
      assert.equal(scaled(sys, vmo), 0n);
      assert.equal(scaled(sys, clones[order[0]!]!), 0n);
      assert.equal(scaled(sys, clones[last]!), P);
      checkAttributionSum(kernel, proc, [vmo, ...clones]);
      expectStatus(sys.zx_vmo_set_size(clones[last]!, 0), ZX_OK);
      assert.equal(scaled(sys, clones[last]!), 0n);
      checkAttributionSum(kernel, proc, [vmo, ...clones]);
    }
  });

  it('refuses to resize a snapshot made without RESIZABLE', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE, ZX_VMO_RESIZABLE);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    expectStatus(sys.zx_vmo_set_size(c, 2 * PAGE), ZX_ERR_UNAVAILABLE);
  });
});

describe('resizing references and slices', () => {
  it('resizes a reference with its parent, both ways, and shares the content size', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE, ZX_VMO_RESIZABLE);
    tagPages(sys, vmo, 2);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_RESIZABLE, 0, 0);
    expectStatus(sys.zx_vmo_set_size(vmo, 3 * PAGE - 8), ZX_OK);
    assert.equal(vmoInfo(sys, ref).size_bytes, 3n * P);
    const content = out(0n);
    expectStatus(sys.zx_vmo_get_stream_size(ref, content), ZX_OK);
    assert.equal(content.value, 3n * P - 8n);
    expectStatus(sys.zx_vmo_set_size(ref, PAGE), ZX_OK);
    assert.equal(vmoInfo(sys, vmo).size_bytes, P);
    expectStatus(sys.zx_vmo_get_stream_size(vmo, content), ZX_OK);
    assert.equal(content.value, P);
    expectStatus(sys.zx_vmo_set_stream_size(ref, 100), ZX_OK);
    expectStatus(sys.zx_vmo_get_stream_size(vmo, content), ZX_OK);
    assert.equal(content.value, 100n);
    expectStatus(sys.zx_vmo_set_size(vmo, 2 * PAGE), ZX_OK);
    assert.deepEqual(tags(sys, ref, 2), [1, 0]);
  });

  it('gives a reference without RESIZE ACCESS_DENIED, and UNAVAILABLE when not resizable', () => {
    const { sys } = newProcess();
    const resizable = createVmo(sys, PAGE, ZX_VMO_RESIZABLE);
    const ref = child(sys, resizable, ZX_VMO_CHILD_REFERENCE, 0, 0);
    expectStatus(sys.zx_vmo_set_size(ref, 2 * PAGE), ZX_ERR_ACCESS_DENIED);
    const fixed = createVmo(sys, PAGE);
    const fixedRef = child(sys, fixed, ZX_VMO_CHILD_REFERENCE, 0, 0);
    expectStatus(sys.zx_vmo_set_size(fixedRef, 2 * PAGE), ZX_ERR_UNAVAILABLE);
  });

  it('refuses slices of resizable VMOs, and never resizes a slice', () => {
    const { sys } = newProcess();
    const resizable = createVmo(sys, 2 * PAGE, ZX_VMO_RESIZABLE);
    childFails(sys, resizable, ZX_VMO_CHILD_SLICE, 0, PAGE, ZX_ERR_NOT_SUPPORTED);
    const resizableRef = child(sys, resizable, ZX_VMO_CHILD_REFERENCE, 0, 0);
    childFails(sys, resizableRef, ZX_VMO_CHILD_SLICE, 0, PAGE, ZX_ERR_NOT_SUPPORTED);
    const grown = child(sys, resizable, RESIZABLE_SNAPSHOT, 0, PAGE);
    childFails(sys, grown, ZX_VMO_CHILD_SLICE, 0, PAGE, ZX_ERR_NOT_SUPPORTED);
    const fixed = createVmo(sys, 2 * PAGE);
    const slice = child(sys, fixed, ZX_VMO_CHILD_SLICE, 0, PAGE);
    expectStatus(sys.zx_vmo_set_size(slice, 2 * PAGE), ZX_ERR_UNAVAILABLE);
  });
});
