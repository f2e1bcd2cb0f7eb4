// The command's small decisions, in-process: when to colour, how sizes and seeds are read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseBytes, parseUint32, UsageError } from '../../src/cli/common.ts';
import { colourWanted } from '../../src/cli/style.ts';

describe('colour', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };

  it('is on for a terminal and off for a pipe or a file', () => {
    assert.equal(colourWanted(tty, {}), true);
    assert.equal(colourWanted(pipe, {}), false);
    assert.equal(colourWanted({}, {}), false);
  });

  it('is off with NO_COLOR (non-empty) and on a dumb terminal', () => {
    assert.equal(colourWanted(tty, { NO_COLOR: '1' }), false);
    assert.equal(colourWanted(tty, { NO_COLOR: '' }), true);
    assert.equal(colourWanted(tty, { TERM: 'dumb' }), false);
  });

  it('follows FORCE_COLOR either way, over NO_COLOR, as Node does', () => {
    assert.equal(colourWanted(pipe, { FORCE_COLOR: '1' }), true);
    assert.equal(colourWanted(pipe, { FORCE_COLOR: '' }), true);
    assert.equal(colourWanted(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }), true);
    assert.equal(colourWanted(tty, { FORCE_COLOR: '0' }), false);
    assert.equal(colourWanted(tty, { FORCE_COLOR: 'false' }), false);
  });
});

describe('--memory and --seed values', () => {
  it('reads sizes in bytes or binary units', () => {
    assert.equal(parseBytes('65536', '--memory'), 65536);
    assert.equal(parseBytes('64K', '--memory'), 64 * 1024);
    assert.equal(parseBytes('64M', '--memory'), 64 * 1024 ** 2);
    assert.equal(parseBytes('64MiB', '--memory'), 64 * 1024 ** 2);
    assert.equal(parseBytes('1g', '--memory'), 1024 ** 3);
    assert.equal(parseBytes('2GB', '--memory'), 2 * 1024 ** 3);
    for (const bad of ['', 'lots', '-1M', '1.5G', '64X', '9'.repeat(30)]) {
      assert.throws(() => parseBytes(bad, '--memory'), UsageError, bad);
    }
  });

  it('reads seeds as 32-bit unsigned integers', () => {
    assert.equal(parseUint32('0', '--seed'), 0);
    assert.equal(parseUint32('4294967295', '--seed'), 0xffff_ffff);
    assert.equal(parseUint32('0x5eed', '--seed'), 0x5eed);
    for (const bad of ['-1', '4294967296', '1e3', 'seed', '']) {
      assert.throws(() => parseUint32(bad, '--seed'), UsageError, bad);
    }
  });
});
