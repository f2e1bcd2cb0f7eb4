// The counts hidden nodes keep for share counts: window covers against a count of the windows
// at every index, and sparse hole counts against a plain map.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { HoleCounts, WindowCover } from '../../src/vm/cow-counts.ts';

describe('WindowCover', () => {
  it('counts the windows over every index, one window or many', () => {
    const cover = new WindowCover();
    const windows: [number, number][] = [];
    const check = () => {
      for (let i = -2; i < 140; i++) {
        const want = windows.filter(([a, b]) => i >= a && i < b).length;
        assert.equal(cover.at(i), want, `at ${i}`);
      }
      for (const [from, to] of [
        [0, 64],
        [10, 20],
        [64, 128],
        [100, 140],
      ] as const) {
        const counts = new Set<number>();
        for (let i = from; i < to; i++)
          counts.add(windows.filter(([a, b]) => i >= a && i < b).length);
        assert.equal(cover.constantOver(from, to), counts.size === 1 ? [...counts][0] : -1);
      }
    };
    const add = (a: number, b: number) => {
      cover.add(a, b, 1);
      windows.push([a, b]);
      check();
    };
    const remove = (a: number, b: number) => {
      cover.add(a, b, -1);
      windows.splice(
        windows.findIndex(([x, y]) => x === a && y === b),
        1,
      );
      check();
    };
    check();
    add(0, 128); // one window
    add(0, 128); // the same one twice
    add(64, 100); // now several
    add(100, 130);
    remove(64, 100);
    remove(100, 130);
    add(0, 64); // windows meeting end to end
    remove(0, 128);
    add(64, 128);
    remove(0, 128);
    remove(0, 64);
    remove(64, 128);
  });

  it('takes a different window once the only one is gone, and keeps counting after', () => {
    const cover = new WindowCover();
    cover.add(10, 20, 1);
    cover.add(10, 20, -1);
    assert.equal(cover.at(15), 0);
    assert.equal(cover.constantOver(0, 64), 0);
    cover.add(30, 40, 2); // a new window where nothing covers
    assert.deepEqual([cover.at(29), cover.at(30), cover.at(39), cover.at(40)], [0, 2, 2, 0]);
    assert.equal(cover.constantOver(30, 40), 2);
    assert.equal(cover.constantOver(25, 35), -1);
    cover.add(35, 50, 1); // a second, overlapping one
    assert.deepEqual([cover.at(34), cover.at(35), cover.at(45), cover.at(50)], [2, 3, 1, 0]);
    cover.add(30, 40, -2);
    assert.deepEqual([cover.at(34), cover.at(35), cover.at(49)], [0, 1, 1]);
    assert.equal(cover.constantOver(35, 50), 1);
  });
});

describe('HoleCounts', () => {
  it('keeps counts by index, sparse, reusing emptied spans', () => {
    const holes = new HoleCounts();
    const want = new Map<number, number>();
    const add = (index: number, delta: number) => {
      holes.add(index, delta);
      const next = (want.get(index) ?? 0) + delta;
      if (next === 0) want.delete(index);
      else want.set(index, next);
    };
    for (let i = 0; i < 300; i += 7) add(i, 1 + (i % 3));
    add(5000, 2);
    for (const [index, count] of want) assert.equal(holes.get(index), count);
    assert.equal(holes.get(1), 0);
    assert.deepEqual(new Map(holes.entries()), want);
    assert.equal(holes.anyIn(0, 7), true);
    assert.equal(holes.anyIn(1, 7), false);
    assert.equal(holes.anyIn(4992, 5000), false);
    for (const [index, count] of [...want]) add(index, -count);
    assert.deepEqual(holes.entries(), []);
    assert.equal(holes.metadataBytes, 0);
    add(70, 1); // a new span comes from the spare one, all zero
    assert.deepEqual(holes.entries(), [[70, 1]]);
    assert.throws(() => holes.add(71, -1), /negative hole count/);
  });

  it('counts the same when the first span empties while others live', () => {
    const holes = new HoleCounts();
    holes.add(3, 1); // the first span
    holes.add(200, 2); // a second, third and fourth
    holes.add(130, 1);
    holes.add(70, 4);
    assert.equal(holes.metadataBytes, 4 * 65 * 8);
    holes.add(3, -1); // the first span empties
    assert.equal(holes.get(3), 0);
    assert.equal(holes.anyIn(0, 64), false);
    holes.add(10, 5); // a span again where the first was
    holes.add(300, 1); // and one more
    const got = new Map(holes.entries());
    assert.deepEqual(
      got,
      new Map([
        [10, 5],
        [70, 4],
        [130, 1],
        [200, 2],
        [300, 1],
      ]),
    );
    for (const [index, count] of got) assert.equal(holes.get(index), count);
    assert.equal(holes.anyIn(192, 256), true);
    assert.equal(holes.metadataBytes, 5 * 65 * 8);
    for (const [index, count] of got) holes.add(index, -count);
    assert.deepEqual(holes.entries(), []);
    assert.equal(holes.metadataBytes, 0);
  });
});
