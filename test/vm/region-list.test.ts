// The VMAR children list (a treap with free-gap sums): random inserts, removals and resizes
// against a plain sorted array, checking lookups and the lowest free spot for every size,
// alignment and limit; and that placing thousands of mappings stays first fit.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';

import { ZX_OK, ZX_VM_PERM_READ } from '../../src/abi/constants.ts';
import { RegionList, RegionListNode } from '../../src/vm/region-list.ts';
import { createVmo, expectStatus, newProcess, out, PAGE } from '../helpers.ts';
import { USER_BASE } from '../syscalls/vmar/vmar-helpers.ts';

class Node extends RegionListNode {}

const LO = 0x10_0000;
const PAGES = 256;
const HI = LO + PAGES * PAGE;

/** The lowest aligned base of `size` free bytes below `limit`, by brute force. */
function naiveSpot(nodes: readonly Node[], size: number, align: number, limit: number): number {
  const sorted = [...nodes].sort((a, b) => a.base - b.base);
  let start = LO;
  for (const gapEnd of [...sorted.map((n) => n.base), HI]) {
    const base = Math.ceil(start / align) * align;
    if (base + size <= gapEnd) return base + size <= limit ? base : -1;
    const node = sorted.find((n) => n.base === gapEnd);
    if (node !== undefined) start = node.end;
  }
  return -1;
}

describe('the VMAR children list', () => {
  it('agrees with a sorted array on lookups and the lowest free spot', () => {
    const op = fc.record({
      kind: fc.constantFrom('insert', 'insert', 'remove', 'shrink', 'spot'),
      page: fc.nat(PAGES - 1),
      pages: fc.integer({ min: 1, max: 24 }),
      align: fc.constantFrom(1, 1, 2, 4, 16, 64),
      limit: fc.nat(PAGES + 8),
      pick: fc.nat(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const list = new RegionList<Node>(LO, HI);
        const nodes: Node[] = [];
        for (const o of ops) {
          if (o.kind === 'insert') {
            const base = LO + o.page * PAGE;
            const end = base + o.pages * PAGE;
            if (end > HI || nodes.some((n) => n.base < end && base < n.end)) continue;
            const node = new Node(base, o.pages * PAGE);
            list.insert(node);
            nodes.push(node);
          } else if (o.kind === 'remove' && nodes.length > 0) {
            const [node] = nodes.splice(o.pick % nodes.length, 1);
            list.remove(node!);
          } else if (o.kind === 'shrink' && nodes.length > 0) {
            const node = nodes[o.pick % nodes.length]!;
            if (node.size <= PAGE) continue;
            if (o.pick % 2 === 0) node.size -= PAGE;
            else {
              node.base += PAGE;
              node.size -= PAGE;
            }
            list.resized(node);
          } else if (o.kind === 'spot') {
            const size = o.pages * PAGE;
            const align = o.align * PAGE;
            const limit = LO + o.limit * PAGE;
            assert.equal(list.findSpot(size, align, limit), naiveSpot(nodes, size, align, limit));
          }
          assert.equal(list.count, nodes.length);
          const sorted = [...nodes].sort((a, b) => a.base - b.base);
          assert.deepEqual(list.toArray(), sorted);
          for (let page = 0; page < PAGES; page += 7) {
            const addr = LO + page * PAGE + 5;
            const owner = nodes.find((n) => n.base <= addr && addr < n.end) ?? null;
            assert.equal(list.find(addr), owner);
          }
        }
      }),
      { seed: 0x7ea9, numRuns: 300 },
    );
  });

  it('keeps placing thousands of mappings at the lowest free address', () => {
    const { sys, proc } = newProcess();
    const vmo = createVmo(sys, PAGE);
    const addrs: bigint[] = [];
    for (let i = 0; i < 4000; i++) {
      const addr = out(0n);
      expectStatus(sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, vmo, 0, PAGE, addr), ZX_OK);
      addrs.push(addr.value);
    }
    assert.equal(addrs[3999], USER_BASE + 3999n * BigInt(PAGE));
    // Free every other page; the holes fill from the bottom.
    for (let i = 0; i < 4000; i += 2) {
      expectStatus(sys.zx_vmar_unmap(proc.rootVmar, addrs[i]!, PAGE), ZX_OK);
    }
    for (let i = 0; i < 4000; i += 2) {
      const addr = out(0n);
      expectStatus(sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, vmo, 0, PAGE, addr), ZX_OK);
      assert.equal(addr.value, addrs[i]);
    }
  });
});
