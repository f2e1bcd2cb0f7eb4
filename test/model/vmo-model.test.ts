// Model-based test of the VMO syscalls: random sequences of create, write, read, set_size,
// set_stream_size, COMMIT / DECOMMIT / ZERO, LOCK / TRY_LOCK / UNLOCK, duplicate and close run
// against the kernel and against a byte-array model (./model.ts) side by side. Every status,
// every byte read, and after every command the memory accounting (committed_bytes of each VMO,
// KMEM vmo_bytes, free_bytes, discardable locked/unlocked bytes) must agree. The kernels are
// small (256 KiB to 1 MiB), so allocations fail and discardable VMOs get reclaimed, which the
// model predicts exactly. At the end every handle is closed and all memory must be free again.
//
// ZXVM_FC_SEED and ZXVM_FC_RUNS override the seed and the number of runs (to explore further
// than CI does: ZXVM_FC_SEED=$RANDOM ZXVM_FC_RUNS=5000 node --import tsx --test <this file>).

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';

import { ZX_OK, ZX_RIGHT_READ } from '../../src/abi/constants.ts';
import { mix } from './commands.ts';
import type { Model } from './model.ts';
import {
  expectBytes,
  kmem,
  OUTCOMES,
  type Real,
  setup,
  statusName,
  tally,
  type VmoCommand,
} from './real.ts';

const SEED = Number(process.env.ZXVM_FC_SEED ?? 0x2b_0b_2025);
const RUNS = Number(process.env.ZXVM_FC_RUNS ?? 500);

/** Every command, with every argument error. */
const GENERAL = mix({
  create: 2,
  write: 3,
  read: 2,
  setSize: 1,
  rangeOp: 2,
  lock: 3,
  duplicate: 1,
  close: 1,
});

/** Mostly discardable VMOs locked, filled and unlocked, then whole-VMO commits. */
const PRESSURE = mix({
  create: 1,
  createDiscardable: 2,
  write: 2,
  read: 1,
  setSize: 1,
  rangeOp: 1,
  commitWhole: 2,
  lock: 1,
  lockWhole: 4,
  close: 1,
});

/** Reads every live VMO whole, checks its bytes, then closes every handle. */
function teardown(model: Model, real: Real, startFree: bigint): void {
  tally('reclaim discards', model.discards);
  for (const vmo of model.vmos) {
    const handle = model.anyOpenHandle(vmo, ZX_RIGHT_READ);
    if (handle === undefined || vmo.state === 'discarded') continue;
    const bytes = new Uint8Array(vmo.size);
    const status = real.sys.zx_vmo_read(handle.value, bytes, 0, vmo.size);
    assert.equal(status, ZX_OK, `final read of vmo ${vmo.id}: ${statusName(status)}`);
    expectBytes(bytes, vmo.bytes, `final read of vmo ${vmo.id}`);
  }
  for (const handle of model.handles) {
    if (!handle.open) continue;
    assert.equal(real.sys.zx_handle_close(handle.value), ZX_OK);
    model.close(handle);
  }
  const stats = kmem(real);
  assert.equal(stats.free_bytes, startFree, 'closing every handle frees every page');
  assert.equal(stats.vmo_bytes, 0n);
  assert.equal(stats.vmo_discardable_locked_bytes, 0n);
  assert.equal(stats.vmo_discardable_unlocked_bytes, 0n);
}

/** Runs command sequences from `commands` on kernels configured by `config`. */
function runModel(
  commands: fc.Arbitrary<VmoCommand>[],
  config: fc.Arbitrary<{ memory: number; watermark: number }>,
  seed: number,
  numRuns: number,
): void {
  const sequences = fc.commands(commands, { maxCommands: 60, size: 'max' });
  fc.assert(
    fc.property(config, sequences, (cfg, cmds) => {
      let state: { model: Model; real: Real; startFree: bigint } | undefined;
      fc.modelRun(() => {
        const { model, real } = setup(cfg.memory, cfg.watermark);
        state = { model, real, startFree: kmem(real).free_bytes };
        return { model, real };
      }, cmds);
      assert.ok(state !== undefined);
      teardown(state.model, state.real, state.startFree);
    }),
    { seed, numRuns, includeErrorInReport: true },
  );
}

describe('VMO model', () => {
  after(() => {
    if (process.env.ZXVM_FC_STATS === undefined) return;
    console.log(
      [...OUTCOMES]
        .sort()
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
  });

  it('agrees with the kernel on every status, byte and page over random command sequences', () => {
    const config = fc.record({
      memory: fc.constantFrom(256 * 1024, 512 * 1024, 1024 * 1024),
      watermark: fc.constantFrom(0, 0, 0, 2 * 4096, 5 * 4096),
    });
    runModel(GENERAL, config, SEED, RUNS);
  });

  it('predicts reclamation exactly when memory is tight and most VMOs are discardable', () => {
    // 128 or 256 KiB kernels: nearly every sequence reclaims, and NO_MEMORY is common.
    const config = fc.record({
      memory: fc.constantFrom(128 * 1024, 256 * 1024),
      watermark: fc.constantFrom(0, 0, 3 * 4096),
    });
    runModel(PRESSURE, config, SEED + 1, RUNS);
  });

  it('reached the paths that matter: no memory, discards, and every kind of refusal', () => {
    if (OUTCOMES.size === 0) return; // the property tests were filtered out
    for (const outcome of [
      'reclaim discards',
      'commit ZX_ERR_NO_MEMORY',
      'write ZX_ERR_NO_MEMORY',
      'commit ZX_ERR_NOT_FOUND',
      'read ZX_ERR_NOT_FOUND',
      'try_lock ZX_ERR_UNAVAILABLE',
      'lock ZX_OK',
      'unlock ZX_ERR_BAD_STATE',
      'lock ZX_ERR_NOT_SUPPORTED',
      'set_size ZX_ERR_UNAVAILABLE',
      'set_size ZX_OK',
      'set_stream_size ZX_OK',
      'decommit ZX_OK',
      'decommit ZX_ERR_INVALID_ARGS',
      'zero ZX_OK',
      'write ZX_ERR_ACCESS_DENIED',
      'read ZX_ERR_WRONG_TYPE',
      'read ZX_ERR_BAD_HANDLE',
      'duplicate ZX_ERR_INVALID_ARGS',
    ]) {
      assert.ok((OUTCOMES.get(outcome) ?? 0) > 0, `no run reached ${outcome}`);
    }
  });
});
