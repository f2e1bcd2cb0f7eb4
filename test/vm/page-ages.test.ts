// PageAgeList: the pager evictor's line of frames, least recently used first.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { NO_FRAME, PageAgeList } from '../../src/vm/page-ages.ts';

/** The frames in line, oldest first, as [frame, owner, page]. */
function line(ages: PageAgeList): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let f = ages.oldest; f !== NO_FRAME; f = ages.newerThan(f)) {
    out.push([f, ages.ownerOf(f), ages.pageOf(f)]);
  }
  return out;
}

describe('PageAgeList', () => {
  it('frames join at the end; a touch moves one to the end; a removal closes the gap', () => {
    const ages = new PageAgeList();
    assert.equal(ages.oldest, NO_FRAME);
    ages.touch(5, 1, 10);
    ages.touch(2, 1, 11);
    ages.touch(9, 2, 0);
    assert.deepEqual(line(ages), [
      [5, 1, 10],
      [2, 1, 11],
      [9, 2, 0],
    ]);
    ages.touch(5, 1, 10);
    assert.deepEqual(
      line(ages).map(([f]) => f),
      [2, 9, 5],
    );
    // Touching the newest again changes nothing but what it holds.
    ages.touch(5, 3, 2 ** 52);
    assert.deepEqual(line(ages).at(-1), [5, 3, 2 ** 52]);
    ages.remove(9);
    assert.deepEqual(
      line(ages).map(([f]) => f),
      [2, 5],
    );
    assert.equal(ages.ownerOf(9), 0);
    ages.remove(9);
    ages.remove(2);
    ages.remove(5);
    assert.equal(ages.oldest, NO_FRAME);
    assert.equal(ages.newest, NO_FRAME);
    // A frame that left may join again.
    ages.touch(2, 4, 1);
    assert.deepEqual(line(ages), [[2, 4, 1]]);
  });

  it('grows to frames far past what it held, keeping the line', () => {
    const ages = new PageAgeList();
    ages.touch(3, 1, 0);
    ages.touch(100_000, 1, 1);
    ages.touch(3, 1, 0);
    assert.deepEqual(
      line(ages).map(([f]) => f),
      [100_000, 3],
    );
    assert.equal(ages.ownerOf(5_000_000), 0);
  });
});
