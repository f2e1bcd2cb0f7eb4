// Attribution as Zircon 2025 reports it: committed/populated bytes count a shared page fully
// in every VMO that sees it, private bytes only pages one VMO sees, scaled bytes 4096/k with a
// 63-bit fixed-point fraction. The worked examples are those of docs/zircon-notes/children.md
// §3.3 (Zircon's core tests ObjMemAccounting, Overflow, ProgressiveCloneDiscard, ...).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_OK,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../../src/abi/constants.ts';
import { pageShare } from '../../../src/vm/cow-attribution.ts';
import { createVmo, expectStatus, newProcess, PAGE, vmoInfo } from '../../helpers.ts';
import {
  checkAttributionSum,
  child,
  readTag,
  scaled,
  tagPages,
  tags,
  writeTag,
} from './tree-helpers.ts';

const P = BigInt(PAGE);
const THIRD = 0x8000_0000_0000_0000n / 3n;

function fraction(sys: ReturnType<typeof newProcess>['sys'], handle: number): bigint {
  return vmoInfo(sys, handle).populated_fractional_scaled_bytes;
}

describe('the fixed-point share of a page', () => {
  it('truncates 2^63 / k and scales it by the remainder of 4096 / k', () => {
    assert.deepEqual(pageShare(1), { integral: 4096n, fraction: 0n });
    assert.deepEqual(pageShare(2), { integral: 2048n, fraction: 0n });
    assert.deepEqual(pageShare(3), { integral: 1365n, fraction: 3074457345618258602n });
    assert.deepEqual(pageShare(5), { integral: 819n, fraction: 1844674407370955161n });
    assert.deepEqual(pageShare(6), { integral: 682n, fraction: 6148914691236517204n });
    assert.deepEqual(pageShare(8), { integral: 512n, fraction: 0n });
  });

  it('sums per page with carry: three pages each seen three ways charge just under 4096', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE);
    tagPages(sys, vmo, 3);
    const a = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    const b = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    for (const h of [vmo, a, b]) {
      assert.equal(scaled(sys, h), 4095n);
      assert.equal(fraction(sys, h), 9223372036854775806n);
      assert.equal(vmoInfo(sys, h).populated_bytes, 3n * P);
      assert.equal(vmoInfo(sys, h).populated_private_bytes, 0n);
    }
    checkAttributionSum(kernel, proc, [vmo, a, b]);
  });
});

describe('attribution of snapshots', () => {
  it('charges a shared page fully (RSS), privately to nobody (USS), half each (PSS)', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    tagPages(sys, vmo, 1);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    for (const h of [vmo, c]) {
      const info = vmoInfo(sys, h);
      assert.equal(info.committed_bytes, P);
      assert.equal(info.populated_bytes, P);
      assert.equal(info.committed_private_bytes, 0n);
      assert.equal(info.populated_private_bytes, 0n);
      assert.equal(info.committed_scaled_bytes, 2048n);
      assert.equal(info.populated_scaled_bytes, 2048n);
      assert.equal(info.committed_fractional_scaled_bytes, 0n);
    }
  });

  it('follows forks: halves, then one and a half, then two pages each (ObjMemAccounting)', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    writeTag(sys, vmo, 0, 1);
    writeTag(sys, vmo, 1, 1);
    assert.equal(scaled(sys, vmo), 2n * P);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    assert.equal(scaled(sys, vmo), P);
    assert.equal(scaled(sys, c), P);
    writeTag(sys, vmo, 0, 2);
    assert.equal(scaled(sys, vmo), 6144n);
    assert.equal(scaled(sys, c), 6144n);
    writeTag(sys, c, 1, 2);
    assert.equal(scaled(sys, vmo), 2n * P);
    assert.equal(scaled(sys, c), 2n * P);
    // Writes to pages now private move nothing and change nothing.
    writeTag(sys, vmo, 1, 2);
    writeTag(sys, c, 0, 2);
    assert.equal(scaled(sys, vmo), 2n * P);
    assert.equal(scaled(sys, c), 2n * P);
    checkAttributionSum(kernel, proc, [vmo, c]);
  });

  it('spreads a page three ways with the fraction Zircon reports (Overflow)', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, PAGE);
    tagPages(sys, vmo, 1);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    assert.deepEqual(tags(sys, c, 2), [1, 0]);
    assert.equal(scaled(sys, vmo), 2048n);
    assert.equal(scaled(sys, c), 2048n);
    writeTag(sys, c, 1, 2);
    const c2 = child(sys, c, ZX_VMO_CHILD_SNAPSHOT, 0, 3 * PAGE);
    assert.deepEqual(tags(sys, c2, 3), [1, 2, 0]);
    assert.equal(scaled(sys, vmo), 1365n);
    assert.equal(scaled(sys, c), 3413n);
    assert.equal(scaled(sys, c2), 3413n);
    for (const h of [vmo, c, c2]) assert.equal(fraction(sys, h), THIRD);
    assert.equal(1365n + 3413n + 3413n + 1n, 2n * P);
    writeTag(sys, c2, 2, 3);
    assert.equal(scaled(sys, c2), 7509n);
    assert.equal(fraction(sys, c2), THIRD);
    assert.equal(scaled(sys, vmo), 1365n);
    assert.equal(scaled(sys, c), 3413n);
    writeTag(sys, c2, 0, 4);
    writeTag(sys, c2, 1, 5);
    assert.deepEqual(tags(sys, vmo, 1), [1]);
    assert.deepEqual(tags(sys, c, 2), [1, 2]);
    assert.deepEqual(tags(sys, c2, 3), [4, 5, 3]);
    assert.equal(scaled(sys, vmo), 2048n);
    assert.equal(scaled(sys, c), 6144n);
    assert.equal(scaled(sys, c2), 3n * P);
    checkAttributionSum(kernel, proc, [vmo, c, c2]);
    sys.zx_handle_close(c);
    assert.equal(scaled(sys, vmo), P);
    assert.equal(scaled(sys, c2), 3n * P);
    checkAttributionSum(kernel, proc, [vmo, c2]);
  });

  for (const how of ['closing', 'truncating'] as const) {
    it(`redistributes pages as clones go (ProgressiveCloneDiscard, ${how})`, () => {
      const { kernel, proc, sys } = newProcess();
      const count = 6;
      const vmos = [createVmo(sys, count * PAGE, ZX_VMO_RESIZABLE)];
      tagPages(sys, vmos[0]!, count);
      assert.equal(scaled(sys, vmos[0]!), BigInt(count) * P);
      for (let i = 1; i < count; i++) {
        const options = ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE;
        vmos.push(child(sys, vmos[0]!, options, 0, count * PAGE));
        writeTag(sys, vmos[i]!, i, count + 2);
      }
      for (let i = 0; i < count; i++) {
        for (let j = 0; j < count; j++) {
          assert.equal(readTag(sys, vmos[i]!, j), i !== 0 && j === i ? count + 2 : j + 1);
        }
      }
      assert.equal(scaled(sys, vmos[0]!), 4778n);
      for (let i = 1; i < count; i++) assert.equal(scaled(sys, vmos[i]!), 8055n);
      checkAttributionSum(kernel, proc, vmos);
      const drop = (h: number) => {
        if (how === 'closing') sys.zx_handle_close(h);
        else expectStatus(sys.zx_vmo_set_size(h, 0), ZX_OK);
      };
      drop(vmos[0]!);
      const live = how === 'closing' ? vmos.slice(1) : vmos;
      for (let i = 1; i < count; i++) {
        assert.equal(scaled(sys, vmos[i]!), 9011n);
        for (let j = 0; j < count; j++) {
          assert.equal(readTag(sys, vmos[i]!, j), j === i ? count + 2 : j + 1);
        }
      }
      checkAttributionSum(kernel, proc, live);
      for (let i = 1; i < count - 2; i++) drop(vmos[i]!);
      for (const i of [count - 2, count - 1]) {
        assert.equal(scaled(sys, vmos[i]!), 4n * P);
        for (let j = 0; j < count; j++) {
          assert.equal(readTag(sys, vmos[i]!, j), j === i ? count + 2 : j + 1);
        }
      }
      checkAttributionSum(kernel, proc, how === 'closing' ? vmos.slice(count - 2) : vmos);
    });
  }

  it('splits halves between a clone at an offset and its two clones (OffsetTest2)', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const offsetClone = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, 3 * PAGE);
    const c1 = child(sys, offsetClone, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    const c2 = child(sys, offsetClone, ZX_VMO_CHILD_SNAPSHOT, 2 * PAGE, PAGE);
    assert.deepEqual(tags(sys, c1, 2), [2, 3]);
    assert.deepEqual(tags(sys, c2, 1), [4]);
    writeTag(sys, offsetClone, 1, 4);
    sys.zx_handle_close(offsetClone);
    assert.deepEqual(tags(sys, c1, 2), [2, 3]);
    assert.deepEqual(tags(sys, c2, 1), [4]);
    assert.equal(scaled(sys, vmo), 5n * 2048n);
    assert.equal(scaled(sys, c1), P);
    assert.equal(scaled(sys, c2), 2048n);
    checkAttributionSum(kernel, proc, [vmo, c1, c2]);
    sys.zx_handle_close(c1);
    assert.equal(scaled(sys, vmo), 7n * 2048n);
    assert.equal(scaled(sys, c2), 2048n);
    sys.zx_handle_close(c2);
    assert.equal(scaled(sys, vmo), 4n * P);
    checkAttributionSum(kernel, proc, [vmo]);
  });

  it('frees what nobody can see when the original goes (SmallClones)', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE);
    tagPages(sys, vmo, 3);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, 2 * PAGE);
    writeTag(sys, c, 1, 4);
    const c2 = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    assert.equal(readTag(sys, c, 0), 2);
    assert.equal(scaled(sys, vmo), 2n * P);
    assert.equal(scaled(sys, c), 6144n);
    assert.equal(scaled(sys, c2), 2048n);
    sys.zx_handle_close(vmo);
    assert.equal(scaled(sys, c), 2n * P);
    assert.equal(scaled(sys, c2), P);
    checkAttributionSum(kernel, proc, [c, c2]);
  });

  it('does not charge writes the original makes outside a small clone (SmallClone)', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE);
    tagPages(sys, vmo, 3);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, PAGE, PAGE);
    assert.equal(scaled(sys, vmo), 5n * 2048n);
    assert.equal(scaled(sys, c), 2048n);
    writeTag(sys, vmo, 0, 4);
    writeTag(sys, vmo, 2, 5);
    assert.equal(scaled(sys, vmo), 5n * 2048n);
    sys.zx_handle_close(vmo);
    assert.equal(readTag(sys, c, 0), 2);
    assert.equal(scaled(sys, c), P);
  });

  it('follows resizes of parent and children (ResizeMultipleProgressive)', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 3 * PAGE, ZX_VMO_RESIZABLE);
    tagPages(sys, vmo, 3);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE, 0, 2 * PAGE);
    writeTag(sys, vmo, 0, 4);
    writeTag(sys, c, 1, 5);
    const c2 = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE);
    assert.deepEqual(tags(sys, vmo, 3), [4, 2, 3]);
    assert.deepEqual(tags(sys, c, 2), [1, 5]);
    assert.deepEqual(tags(sys, c2, 1), [4]);
    expectStatus(sys.zx_vmo_set_size(c, 0), ZX_OK);
    assert.equal(scaled(sys, vmo), 5n * 2048n);
    assert.equal(scaled(sys, c), 0n);
    assert.equal(scaled(sys, c2), 2048n);
    checkAttributionSum(kernel, proc, [vmo, c, c2]);
    expectStatus(sys.zx_vmo_set_size(vmo, 0), ZX_OK);
    assert.deepEqual(tags(sys, c2, 1), [4]);
    assert.equal(scaled(sys, vmo), 0n);
    assert.equal(scaled(sys, c2), P);
    checkAttributionSum(kernel, proc, [vmo, c, c2]);
  });

  it('charges nothing for zero content: never-written pages, or pages ZERO dropped', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 4 * PAGE);
    assert.equal(vmoInfo(sys, c).populated_bytes, 2n * P);
    expectStatus(sys.zx_vmo_op_range(c, ZX_VMO_OP_ZERO, 0, PAGE, null, 0), ZX_OK);
    assert.equal(vmoInfo(sys, c).populated_bytes, P);
    assert.equal(scaled(sys, c), 2048n);
    assert.equal(scaled(sys, vmo), P + 2048n);
    checkAttributionSum(kernel, proc, [vmo, c]);
  });
});

describe('attribution of slices and references', () => {
  it('is zero in every field, and the parent keeps the full count', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = createVmo(sys, 4 * PAGE);
    tagPages(sys, vmo, 4);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, PAGE, 2 * PAGE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    writeTag(sys, slice, 0, 9);
    writeTag(sys, ref, 3, 9);
    for (const h of [slice, ref]) {
      const info = vmoInfo(sys, h);
      assert.equal(info.committed_bytes, 0n);
      assert.equal(info.populated_bytes, 0n);
      assert.equal(info.committed_private_bytes, 0n);
      assert.equal(info.populated_private_bytes, 0n);
      assert.equal(info.committed_scaled_bytes, 0n);
      assert.equal(info.populated_scaled_bytes, 0n);
      assert.equal(info.committed_fractional_scaled_bytes, 0n);
      assert.equal(info.populated_fractional_scaled_bytes, 0n);
    }
    assert.equal(scaled(sys, vmo), 4n * P);
    assert.equal(vmoInfo(sys, vmo).populated_private_bytes, 4n * P);
    checkAttributionSum(kernel, proc, [vmo, slice, ref]);
  });

  it('stays zero after the parent handle is closed', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const slice = child(sys, vmo, ZX_VMO_CHILD_SLICE, 0, PAGE);
    const ref = child(sys, vmo, ZX_VMO_CHILD_REFERENCE, 0, 0);
    sys.zx_handle_close(vmo);
    assert.equal(vmoInfo(sys, slice).populated_bytes, 0n);
    assert.equal(vmoInfo(sys, ref).populated_bytes, 0n);
    assert.deepEqual(tags(sys, ref, 2), [1, 2]);
  });

  it('of a snapshot parent counts on the snapshot', () => {
    const { sys } = newProcess();
    const vmo = createVmo(sys, 2 * PAGE);
    tagPages(sys, vmo, 2);
    const c = child(sys, vmo, ZX_VMO_CHILD_SNAPSHOT, 0, 2 * PAGE);
    const slice = child(sys, c, ZX_VMO_CHILD_SLICE, PAGE, PAGE);
    writeTag(sys, slice, 0, 7);
    assert.equal(scaled(sys, c), 2048n + P);
    assert.equal(scaled(sys, slice), 0n);
    assert.deepEqual(tags(sys, vmo, 2), [1, 2]);
    assert.deepEqual(tags(sys, c, 2), [1, 7]);
  });
});
