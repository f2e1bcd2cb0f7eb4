// Debug checks of a copy-on-write tree, for tests: every structural rule and every share
// count, recomputed the slow way (page by page up the chain) and compared with what the tree
// keeps. A failure panics, naming the rule.

import { assert } from '../util/assert.ts';
import type { VmCowPages } from './cow-pages.ts';
import { EMPTY, isFrame } from './page-list.ts';

/** Where a slow walk up from a leaf ends for one page. */
interface Found {
  holder: VmCowPages;
  index: number;
  entry: number;
}

function slowParentLookup(node: VmCowPages, index: number): Found | null {
  let current = node;
  let at = index;
  while (current.parent !== null && at < current.parentLimit) {
    at += current.parentOffset;
    current = current.parent;
    const entry = current.pages.get(at);
    if (entry !== EMPTY) return { holder: current, index: at, entry };
  }
  return null;
}

/** The nodes of the tree `node` belongs to, root first. */
export function treeNodes(node: VmCowPages): VmCowPages[] {
  let root = node;
  while (root.parent !== null) root = root.parent;
  const nodes: VmCowPages[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    nodes.push(n);
    for (const child of n.children) {
      assert(child.parent === n, 'child does not point back at its parent');
      stack.push(child);
    }
  }
  return nodes;
}

/** Checks the whole tree `node` belongs to; returns the frames the tree holds. */
export function checkCowTree(node: VmCowPages): number {
  const nodes = treeNodes(node);
  const frames = new Set<number>();
  for (const n of nodes) {
    assert(!n.dead, 'a dead node is still in the tree');
    if (n.hidden) {
      assert(n.children.length >= 2, 'a hidden node with fewer than two children');
      assert(n.views.length === 0, 'a hidden node with views');
    } else {
      assert(n.children.length === 0, 'a visible node with children');
      assert(n.views.length >= 1, 'a live visible node without views');
      assert(n.parentLimit <= n.sizePages, 'parent limit past the size');
      assert(!n.pages.hasEntriesIn(n.sizePages, Number.MAX_SAFE_INTEGER), 'entries past the end');
    }
    if (n.parent === null) {
      assert(n.parentLimit === 0 && n.parentOffset === 0, 'a root with a parent window');
    } else {
      assert(n.parentLimit >= 0 && n.parentOffset >= 0, 'negative parent window');
      assert(
        n.rootParentOffset === n.parent.rootParentOffset + n.parentOffset,
        'root offset does not add up',
      );
    }
    n.pages.checkCounts();
    let counted = 0;
    n.pages.forEach(0, Number.MAX_SAFE_INTEGER, (index, entry) => {
      if (!isFrame(entry)) return;
      counted++;
      assert(!frames.has(entry), `frame ${entry - 1} held twice`);
      frames.add(entry);
      if (!n.hidden) assert(n.pages.getShare(index) === 0, 'a leaf page with a share count');
    });
    assert(counted === n.pages.frameCount, 'page list frame count is wrong');
  }
  // Count, for every page of a hidden node, the leaves that see it.
  const viewers = new Map<VmCowPages, Map<number, number>>();
  for (const leaf of nodes) {
    if (leaf.hidden || leaf.parent === null) continue;
    const candidates = new Set<number>();
    let current = leaf;
    let delta = 0;
    while (current.parent !== null) {
      delta += current.parentOffset;
      const limit = leaf.parentLimit;
      const d = delta;
      current.parent.pages.forEach(d, d + limit, (index) => candidates.add(index - d));
      current = current.parent;
    }
    for (const index of candidates) {
      if (index >= leaf.parentLimit || leaf.pages.get(index) !== EMPTY) continue;
      const found = slowParentLookup(leaf, index);
      const fast = leaf.parentEntry(index);
      assert(fast === (found?.entry ?? EMPTY), `skip list disagrees at page ${index}`);
      if (found === null || !isFrame(found.entry)) continue;
      assert(found.holder.hidden, 'a leaf sees a page of a visible node');
      let counts = viewers.get(found.holder);
      if (counts === undefined) {
        counts = new Map();
        viewers.set(found.holder, counts);
      }
      counts.set(found.index, (counts.get(found.index) ?? 0) + 1);
    }
  }
  for (const n of nodes) {
    if (!n.hidden) continue;
    const counts = viewers.get(n);
    n.pages.forEach(0, Number.MAX_SAFE_INTEGER, (index, entry) => {
      if (!isFrame(entry)) return;
      const seen = counts?.get(index) ?? 0;
      assert(seen >= 1, `hidden page ${index} is seen by nobody (leaked)`);
      assert(
        n.pages.getShare(index) === seen - 1,
        `share count of hidden page ${index} is ${n.pages.getShare(index)}, seen by ${seen}`,
      );
    });
  }
  return frames.size;
}
