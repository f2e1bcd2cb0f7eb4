// Debug checks of a copy-on-write tree, for tests: every structural rule and every share
// count, recomputed the slow way (page by page up the chain, counting the leaves that see each
// page) and compared with what the tree computes from its counts (cow-viewers.ts); the counts
// themselves (each hidden node's cover and holes) are recounted from the children too. A failure
// panics, naming the rule.

import { assert } from '../util/assert.ts';
import type { VmCowPages } from './cow-pages.ts';
import { shareCountAt } from './cow-viewers.ts';
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
      checkCounts(n);
    } else {
      // Under a pager a visible node may have children, and outlives its views for them.
      assert(n.pagerTree || n.children.length === 0, 'a visible node with children');
      assert(n.views.length + n.children.length >= 1, 'a live visible node without views');
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
    n.pages.forEach(0, Number.MAX_SAFE_INTEGER, (_index, entry) => {
      if (!isFrame(entry)) return;
      counted++;
      assert(!frames.has(entry), `frame ${entry - 1} held twice`);
      frames.add(entry);
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
      if (!found.holder.hidden) {
        // A visible ancestor's page (under a pager) is its own: no counts are kept for it.
        assert(leaf.pagerTree, 'a leaf sees a page of a visible node');
        continue;
      }
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
      const share = shareCountAt(n, index);
      assert(
        share === seen - 1,
        `share count of hidden page ${index} is ${share}, seen by ${seen}`,
      );
    });
  }
  return frames.size;
}

/** Recounts a hidden node's units (its children's windows and entries) against its counts. */
function checkCounts(node: VmCowPages): void {
  const holes = new Map<number, number>();
  let hiddenKids = 0;
  for (const child of node.children) {
    if (child.hidden) hiddenKids++;
    child.pages.forEach(0, child.parentLimit, (index) => {
      const at = index + child.parentOffset;
      holes.set(at, (holes.get(at) ?? 0) + 1);
    });
  }
  assert(hiddenKids === node.hiddenKids.length, 'hidden children miscounted');
  for (const kid of node.hiddenKids) assert(kid.parent === node && kid.hidden, 'hidden child list');
  const kept = node.holes!.entries();
  assert(kept.length === holes.size, 'hole counts at the wrong indices');
  for (const [index, count] of kept) {
    assert(holes.get(index) === count, `hole count at ${index} is ${count}`);
  }
  // The cover at every window edge (the count is constant between edges).
  const edges = new Set<number>();
  for (const child of node.children) {
    edges.add(child.parentOffset);
    edges.add(child.parentOffset + child.parentLimit);
    if (child.parentOffset > 0) edges.add(child.parentOffset - 1);
  }
  for (const edge of edges) {
    let covering = 0;
    for (const child of node.children) {
      const at = edge - child.parentOffset;
      if (at >= 0 && at < child.parentLimit) covering++;
    }
    assert(node.cover!.at(edge) === covering, `cover at ${edge} is ${node.cover!.at(edge)}`);
  }
}
