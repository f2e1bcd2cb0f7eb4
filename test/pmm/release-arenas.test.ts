// Giving host memory back after a peak (issue 8): arenas whose frames are all free are dropped
// by Kernel.releaseFreeMemory and made again, zeroed, when one of their frames is next used.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { PhysicalMemory } from '../../src/pmm/pmm.ts';
import { createVmo, kmemStats, newProcess, PAGE, readVmo, writeVmo } from '../helpers.ts';

const ARENA = 16 * 1024 * 1024;

describe('releasing free arenas', () => {
  it('gives back every arena without a page once everything is closed, and keeps working', () => {
    const { kernel, proc, sys } = newProcess();
    const pmm = kernel.core.pmm;
    const before = pmm.hostArenaBytes();
    const vmos: number[] = [];
    for (let i = 0; i < 3; i++) {
      const vmo = createVmo(sys, 16 * 1024 * 1024);
      writeVmo(sys, vmo, 0, new Uint8Array(16 * 1024 * 1024).fill(i + 1));
      vmos.push(vmo);
    }
    const peak = pmm.hostArenaBytes();
    assert.ok(peak >= before + 3 * ARENA);
    // Nothing is free yet beyond what was never touched: little or nothing to give back.
    const early = kernel.releaseFreeMemory();
    assert.ok(early <= ARENA, `released ${early} bytes while the VMOs hold their pages`);
    const free = kmemStats(kernel, proc).free_bytes;
    for (const vmo of vmos.slice(1)) assert.equal(sys.zx_handle_close(vmo), 0);
    const released = kernel.releaseFreeMemory();
    assert.ok(released >= ARENA, `released ${released} bytes`);
    assert.ok(pmm.hostArenaBytes() <= peak - released);
    // Simulated memory is unchanged by it: the closed VMOs' pages are free either way.
    assert.equal(kmemStats(kernel, proc).free_bytes, free + 2n * 16n * 1024n * 1024n);
    // The VMO still open keeps its bytes; new pages come from remade (zeroed) arenas.
    assert.deepEqual(readVmo(sys, vmos[0]!, 5 * PAGE, 4), new Uint8Array(4).fill(1));
    const again = createVmo(sys, 16 * 1024 * 1024);
    writeVmo(sys, again, 3 * PAGE, new Uint8Array([9, 9]));
    assert.deepEqual(readVmo(sys, again, 3 * PAGE, 3), new Uint8Array([9, 9, 0]));
    assert.deepEqual(readVmo(sys, again, 7 * PAGE, 2), new Uint8Array(2));
  });

  it('never drops an arena with an allocated frame, nor device memory', () => {
    const pmm = new PhysicalMemory(64 * 1024 * 1024, 0);
    const frames: number[] = [];
    pmm.ensureFree(5000);
    for (let i = 0; i < 5000; i++) frames.push(pmm.alloc(0, true));
    // Fresh frames are zero without their arena being made: write to make the second one.
    pmm.arenaOf(4500)[pmm.frameOffset(4500)] = 1;
    // Frame 4500 lives in the second arena: keep it, free the rest of that arena.
    for (const frame of frames) if (frame >= 4096 && frame !== 4500) pmm.free(frame, 0);
    assert.equal(pmm.releaseFreeArenas(), 0);
    pmm.free(4500, 0);
    assert.equal(pmm.releaseFreeArenas(), ARENA);
    // The first arena holds the zero page and live frames: it stays, with its bytes.
    pmm.arenaOf(frames[10]!)[pmm.frameOffset(frames[10]!)] = 42;
    assert.equal(pmm.releaseFreeArenas(), 0);
    assert.equal(pmm.arenaOf(frames[10]!)[pmm.frameOffset(frames[10]!)], 42);
    // Device memory is never given back.
    const mmio = pmm.mmioFirstFrame;
    pmm.arenaOf(mmio)[0] = 7;
    assert.equal(pmm.releaseFreeArenas(), 0);
    assert.equal(pmm.arenaOf(mmio)[0], 7);
  });
});
