// Fifo: first in, first out through every way a queue is used (emptied and refilled, grown past
// its compaction point, filtered, drained), checked against a plain array.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Fifo } from '../../src/util/fifo.ts';

/** Drains `fifo` by shift(), checking peek() and length on the way. */
function shiftAll<T>(fifo: Fifo<T>): T[] {
  const out: T[] = [];
  while (fifo.length > 0) {
    const next = fifo.peek();
    const length = fifo.length;
    assert.equal(fifo.shift(), next);
    assert.equal(fifo.length, length - 1);
    out.push(next as T);
  }
  assert.equal(fifo.shift(), undefined);
  assert.equal(fifo.peek(), undefined);
  return out;
}

describe('Fifo', () => {
  it('keeps the order of items pushed while it empties and fills again', () => {
    const fifo = new Fifo<number>();
    let next = 0;
    for (let round = 0; round < 5; round++) {
      const pushed: number[] = [];
      for (let i = 0; i <= round; i++) {
        fifo.push(next);
        pushed.push(next++);
      }
      assert.equal(fifo.length, round + 1);
      assert.deepEqual(shiftAll(fifo), pushed);
    }
  });

  it('interleaves pushes and shifts like an array queue, past its compaction point', () => {
    const fifo = new Fifo<number>();
    const model: number[] = [];
    let next = 0;
    for (let step = 0; step < 6000; step++) {
      // Mostly pushes at first, mostly shifts later: the head passes 1024 with items queued.
      const push = step < 3000 ? step % 4 !== 3 : step % 4 === 3;
      if (push) {
        fifo.push(next);
        model.push(next++);
      } else {
        assert.equal(fifo.shift(), model.shift());
      }
      assert.equal(fifo.length, model.length);
      assert.equal(fifo.peek(), model[0]);
    }
    assert.deepEqual(shiftAll(fifo), model);
  });

  it('removeWhere keeps the rest in order; drain returns everything and empties it', () => {
    const fifo = new Fifo<number>();
    for (let i = 0; i < 10; i++) fifo.push(i);
    fifo.shift();
    assert.deepEqual(
      fifo.removeWhere((n) => n % 3 === 0),
      [3, 6, 9],
    );
    assert.deepEqual(
      fifo.removeWhere(() => false),
      [],
    );
    fifo.push(10);
    assert.equal(fifo.length, 7);
    assert.deepEqual(fifo.drain(), [1, 2, 4, 5, 7, 8, 10]);
    assert.equal(fifo.length, 0);
    fifo.push(11);
    assert.deepEqual(shiftAll(fifo), [11]);
  });
});
