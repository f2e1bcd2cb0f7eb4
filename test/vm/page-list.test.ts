// VmPageList: a chunk that empties stays in the list's map (drained) until another empties or a
// new chunk is needed, and nothing but get() and set() sees it: walks, lookups, counts and
// whole-chunk moves behave as if it were gone.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { CHUNK, EMPTY, frameEntry, VmPageList } from '../../src/vm/page-list.ts';

/** Every entry a walk of [start, end) visits, as [index, entry] pairs. */
function walk(list: VmPageList, start: number, end: number): [number, number][] {
  const seen: [number, number][] = [];
  list.forEach(start, end, (index, entry) => seen.push([index, entry]));
  return seen;
}

/** Every chunk forEachChunk visits, by base. */
function chunkBases(list: VmPageList, start: number, end: number): number[] {
  const bases: number[] = [];
  list.forEachChunk(start, end, (_chunk, base) => bases.push(base));
  return bases;
}

describe('VmPageList drained chunks', () => {
  it('a page that comes and goes leaves the list empty in every view', () => {
    const list = new VmPageList();
    for (let round = 0; round < 3; round++) {
      assert.equal(list.set(5, frameEntry(7)), EMPTY);
      assert.equal(list.get(5), frameEntry(7));
      assert.equal(list.isEmpty, false);
      assert.equal(list.set(5, EMPTY), frameEntry(7));
      assert.equal(list.isEmpty, true);
      assert.equal(list.get(5), EMPTY);
      assert.equal(list.chunkAt(0), undefined);
      assert.equal(list.detachChunk(0), undefined);
      assert.equal(list.hasEntriesIn(0, CHUNK), false);
      assert.deepEqual(list.keysIn(0, 10 * CHUNK), []);
      assert.deepEqual(chunkBases(list, 0, 10 * CHUNK), []);
      assert.deepEqual(walk(list, 0, CHUNK), []);
      assert.equal(list.firstEntry(0, CHUNK), CHUNK);
      assert.equal(list.firstEmpty(0, CHUNK), 0);
      assert.equal(list.frameCount, 0);
      assert.equal(list.metadataBytes, 0);
      list.checkCounts();
    }
  });

  it('a drained chunk is reused at another key, empty', () => {
    const list = new VmPageList();
    list.set(3, frameEntry(1));
    list.set(3, EMPTY);
    list.set(3 * CHUNK + 2, frameEntry(9));
    assert.deepEqual(walk(list, 0, 4 * CHUNK), [[3 * CHUNK + 2, frameEntry(9)]]);
    assert.deepEqual(list.keysIn(0, 4 * CHUNK), [3]);
    assert.equal(list.get(3), EMPTY);
    const chunk = list.chunkAt(3)!;
    assert.equal(chunk.slice(0, CHUNK).filter((e) => e !== EMPTY).length, 1);
    list.checkCounts();
  });

  it('only the last chunk to empty stays; the one before leaves the map', () => {
    const list = new VmPageList();
    list.set(0, frameEntry(1));
    list.set(CHUNK, frameEntry(2));
    list.set(0, EMPTY);
    list.set(CHUNK, EMPTY);
    assert.equal(list.isEmpty, true);
    // The first drained chunk is gone for good: filling its key again makes a chunk there.
    list.set(1, frameEntry(3));
    assert.deepEqual(list.keysIn(0, 2 * CHUNK), [0]);
    assert.deepEqual(walk(list, 0, 2 * CHUNK), [[1, frameEntry(3)]]);
    list.checkCounts();
  });

  it('walks over many chunks skip the drained one, and moves see it as absent', () => {
    const list = new VmPageList();
    for (let key = 0; key < 8; key++) list.set(key * CHUNK + key, frameEntry(100 + key));
    list.set(4 * CHUNK + 4, EMPTY);
    assert.deepEqual(list.keysIn(0, 100 * CHUNK), [0, 1, 2, 3, 5, 6, 7]);
    assert.deepEqual(
      chunkBases(list, 0, 100 * CHUNK),
      [0, 1, 2, 3, 5, 6, 7].map((k) => k * CHUNK),
    );
    assert.equal(list.hasEntriesIn(4 * CHUNK, 5 * CHUNK), false);
    assert.equal(list.hasEntriesIn(4 * CHUNK, 5 * CHUNK + 6), true);
    assert.equal(list.firstEntry(4 * CHUNK, 100 * CHUNK), 5 * CHUNK + 5);
    assert.equal(list.countFrames(0, 100 * CHUNK), 7);
    assert.equal(list.metadataBytes, 7 * (CHUNK + 1) * 4);
    // A chunk attached at the drained key takes its place.
    const other = new VmPageList();
    other.set(4 * CHUNK + 9, frameEntry(55));
    list.attachChunk(4, other.detachChunk(4)!);
    assert.deepEqual(walk(list, 4 * CHUNK, 5 * CHUNK), [[4 * CHUNK + 9, frameEntry(55)]]);
    assert.equal(list.frameCount, 8);
    list.checkCounts();
    other.checkCounts();
    assert.equal(other.isEmpty, true);
  });
});
