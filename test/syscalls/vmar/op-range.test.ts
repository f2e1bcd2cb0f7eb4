// zx_vmar_op_range: every op and error, in Zircon's order, including mappings in sub-VMARs.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NO_MEMORY,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_SHOULD_WAIT,
  ZX_ERR_WRONG_TYPE,
  ZX_HANDLE_INVALID,
  ZX_OK,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_OP_CHILDREN,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
  ZX_VM_ALLOW_FAULTS,
  ZX_VM_CAN_MAP_EXECUTE,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_FAULT_BEYOND_STREAM_SIZE,
  ZX_VM_SPECIFIC,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_PREFETCH,
  ZX_VMAR_OP_ZERO,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_DISCARDABLE,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_LOCK,
  ZX_VMO_OP_UNLOCK,
  ZX_VMO_OP_ZERO,
} from '../../../src/abi/constants.ts';
import { ZX_VMO_LOCK_STATE_SIZE } from '../../../src/abi/structs.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  pinVmoPages,
  readVmo,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';
import { diskPage, pagedSetup, requestRanges, supplyDisk } from '../pager/pager-helpers.ts';
import {
  allocate,
  expectCleanTables,
  load,
  map,
  pattern,
  R,
  RW,
  store,
  translationCount,
} from './vmar-helpers.ts';

const CAN_MAP_RW = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE;
const CAN_MAP_ALL = CAN_MAP_RW | ZX_VM_CAN_MAP_EXECUTE | ZX_VM_CAN_MAP_SPECIFIC;
const ROOT_RIGHTS = ZX_DEFAULT_VMAR_RIGHTS | ZX_RIGHT_READ | ZX_RIGHT_WRITE | ZX_RIGHT_EXECUTE;
const P = BigInt(PAGE);
const ALL_OPS = [
  ZX_VMAR_OP_COMMIT,
  ZX_VMAR_OP_DECOMMIT,
  ZX_VMAR_OP_MAP_RANGE,
  ZX_VMAR_OP_ZERO,
  ZX_VMAR_OP_DONT_NEED,
  ZX_VMAR_OP_ALWAYS_NEED,
  ZX_VMAR_OP_PREFETCH,
];

function fixture() {
  const { kernel, sys, proc } = newProcess();
  const vmar = allocate(sys, proc.rootVmar, CAN_MAP_ALL, 0, 64 * PAGE);
  const vmo = createVmo(sys, 8 * PAGE);
  return { kernel, sys, proc, vmar, vmo };
}

describe('zx_vmar_op_range', () => {
  it('matches the VMO op numbers it mirrors', () => {
    assert.equal(ZX_VMAR_OP_DECOMMIT, ZX_VMO_OP_DECOMMIT);
    assert.equal(ZX_VMAR_OP_ZERO, ZX_VMO_OP_ZERO);
  });

  it('reports bad handles before anything else, and needs no right', () => {
    const { sys, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    expectStatus(
      sys.zx_vmar_op_range(ZX_HANDLE_INVALID, 99, addr, PAGE, null, 0),
      ZX_ERR_BAD_HANDLE,
    );
    expectStatus(sys.zx_vmar_op_range(vmo, 99, addr, PAGE, null, 0), ZX_ERR_WRONG_TYPE);
    const bare = duplicate(sys, vmar.handle, 0);
    expectStatus(sys.zx_vmar_op_range(bare, ZX_VMAR_OP_COMMIT, addr, PAGE, null, 0), ZX_OK);
  });

  it('refuses unknown ops, buffers, empty lengths and unaligned addresses with ZX_ERR_INVALID_ARGS', () => {
    const { sys, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    for (const op of [0, 4, 5, 11, 15, 99]) {
      expectStatus(sys.zx_vmar_op_range(vmar.handle, op, addr, PAGE, null, 0), ZX_ERR_INVALID_ARGS);
    }
    const op = ZX_VMAR_OP_COMMIT;
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, op, addr, PAGE, new Uint8Array(8), 8),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_vmar_op_range(vmar.handle, op, addr, PAGE, null, 8), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_vmar_op_range(vmar.handle, op, addr, 0, null, 0), ZX_ERR_INVALID_ARGS);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, op, addr + 1n, PAGE, null, 0),
      ZX_ERR_INVALID_ARGS,
    );
    // An unaligned length is rounded up.
    expectStatus(sys.zx_vmar_op_range(vmar.handle, op, addr, 1, null, 0), ZX_OK);
  });

  it('gives ZX_ERR_OUT_OF_RANGE for a range outside the VMAR, before a destroyed VMAR', () => {
    const { sys, vmo, vmar } = fixture();
    map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    for (const op of ALL_OPS) {
      expectStatus(
        sys.zx_vmar_op_range(vmar.handle, op, vmar.addr, 65 * PAGE, null, 0),
        ZX_ERR_OUT_OF_RANGE,
      );
      expectStatus(
        sys.zx_vmar_op_range(vmar.handle, op, vmar.addr - P, PAGE, null, 0),
        ZX_ERR_OUT_OF_RANGE,
      );
    }
    expectStatus(sys.zx_vmar_destroy(vmar.handle), ZX_OK);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_COMMIT, vmar.addr, PAGE, null, 0),
      ZX_ERR_BAD_STATE,
    );
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_COMMIT, vmar.addr, 65 * PAGE, null, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
  });

  it('needs every page of the range mapped: a gap is ZX_ERR_BAD_STATE', () => {
    const { sys, vmo, vmar } = fixture();
    const a = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, PAGE, vmo, 0, PAGE);
    map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 3 * PAGE, vmo, 0, PAGE);
    for (const op of ALL_OPS) {
      expectStatus(
        sys.zx_vmar_op_range(vmar.handle, op, vmar.addr, 2 * PAGE, null, 0),
        ZX_ERR_BAD_STATE,
      );
      expectStatus(sys.zx_vmar_op_range(vmar.handle, op, a, 3 * PAGE, null, 0), ZX_ERR_BAD_STATE);
      expectStatus(sys.zx_vmar_op_range(vmar.handle, op, a, 2 * PAGE, null, 0), ZX_ERR_BAD_STATE);
    }
  });

  it('COMMIT commits the pages behind the mappings and maps them', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, 8 * PAGE);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_COMMIT, addr + P, 3 * PAGE, null, 0),
      ZX_OK,
    );
    assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(3 * PAGE));
    assert.equal(translationCount(proc), 3);
    expectCleanTables(proc);
    store(proc, addr + P, new Uint8Array([4]));
    assert.equal(readVmo(sys, vmo, PAGE, 1)[0], 4);
  });

  it('COMMIT, DECOMMIT and ZERO need a mapping that could be written', () => {
    const { sys, proc, vmo, vmar } = fixture();
    writeVmo(sys, vmo, 0, pattern(PAGE));
    const readOnlyHandle = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    const denied = map(sys, vmar.handle, R, 0, readOnlyHandle, 0, PAGE);
    for (const op of [ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_DECOMMIT, ZX_VMAR_OP_ZERO]) {
      expectStatus(
        sys.zx_vmar_op_range(vmar.handle, op, denied, PAGE, null, 0),
        ZX_ERR_ACCESS_DENIED,
      );
    }
    // A read-only mapping made through a writable handle may be made writable: allowed.
    const readOnly = map(sys, vmar.handle, R, 0, vmo, 0, PAGE);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_DECOMMIT, readOnly, PAGE, null, 0),
      ZX_OK,
    );
    assert.deepEqual(load(proc, denied, 4), new Uint8Array(4));
    expectCleanTables(proc);
  });

  it('DECOMMIT frees the pages: the mappings then read zeros', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const a = map(sys, vmar.handle, RW, 0, vmo, 0, 4 * PAGE);
    const b = map(sys, vmar.handle, R, 0, vmo, 0, 4 * PAGE);
    store(proc, a, pattern(4 * PAGE));
    assert.deepEqual(load(proc, b, 4 * PAGE), pattern(4 * PAGE));
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_DECOMMIT, a, 2 * PAGE, null, 0),
      ZX_OK,
    );
    assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(2 * PAGE));
    assert.deepEqual(load(proc, b, 2 * PAGE), new Uint8Array(2 * PAGE));
    assert.deepEqual(load(proc, a + 2n * P, 2 * PAGE), pattern(4 * PAGE).subarray(2 * PAGE));
    expectCleanTables(proc);
  });

  it('DECOMMIT over pinned pages is ZX_ERR_BAD_STATE', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, 4 * PAGE);
    const unpin = pinVmoPages(proc, vmo, 1, 2);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_DECOMMIT, addr, 4 * PAGE, null, 0),
      ZX_ERR_BAD_STATE,
    );
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_DECOMMIT, addr + 2n * P, 2 * PAGE, null, 0),
      ZX_OK,
    );
    unpin();
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_DECOMMIT, addr, 4 * PAGE, null, 0),
      ZX_OK,
    );
  });

  it('ZERO zeroes what the mappings show', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, 4 * PAGE);
    store(proc, addr, pattern(4 * PAGE, 7));
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_ZERO, addr + P, 2 * PAGE, null, 0),
      ZX_OK,
    );
    const expected = pattern(4 * PAGE, 7);
    expected.fill(0, PAGE, 3 * PAGE);
    assert.deepEqual(load(proc, addr, 4 * PAGE), expected);
    assert.deepEqual(readVmo(sys, vmo, 0, 4 * PAGE), expected);
    expectCleanTables(proc);
  });

  it('MAP_RANGE, ALWAYS_NEED and PREFETCH map what the VMO holds without committing', () => {
    const { sys, proc, vmo, vmar } = fixture();
    writeVmo(sys, vmo, 0, pattern(2 * PAGE));
    for (const op of [ZX_VMAR_OP_MAP_RANGE, ZX_VMAR_OP_ALWAYS_NEED, ZX_VMAR_OP_PREFETCH]) {
      const addr = map(sys, vmar.handle, RW, 0, vmo, 0, 8 * PAGE);
      const before = translationCount(proc);
      expectStatus(sys.zx_vmar_op_range(vmar.handle, op, addr, 8 * PAGE, null, 0), ZX_OK);
      assert.equal(translationCount(proc), before + 2, `op ${op}`);
      assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(2 * PAGE));
      expectCleanTables(proc);
    }
  });

  it('DONT_NEED does nothing to anonymous memory', () => {
    const { sys, proc, vmo, vmar } = fixture();
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    store(proc, addr, new Uint8Array([1]));
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_DONT_NEED, addr, PAGE, null, 0),
      ZX_OK,
    );
    assert.equal(load(proc, addr, 1)[0], 1);
  });

  it('PREFETCH needs a mapping that could be read, even when protected to nothing', () => {
    const { sys, vmo, vmar } = fixture();
    const noRead = duplicate(sys, vmo, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_READ);
    const none = map(sys, vmar.handle, 0, 0, noRead, 0, PAGE);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_PREFETCH, none, PAGE, null, 0),
      ZX_ERR_ACCESS_DENIED,
    );
    const addr = map(sys, vmar.handle, RW, 0, vmo, 0, PAGE);
    expectStatus(sys.zx_vmar_protect(vmar.handle, 0, addr, PAGE), ZX_OK);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_PREFETCH, addr, PAGE, null, 0),
      ZX_OK,
    );
  });

  it('refuses COMMIT, DECOMMIT and PREFETCH over mappings in sub-VMARs, even with OP_CHILDREN', () => {
    const { sys, vmo, vmar } = fixture();
    const child = allocate(sys, vmar.handle, CAN_MAP_ALL | ZX_VM_SPECIFIC, 0, 4 * PAGE);
    const addr = map(sys, child.handle, RW, 0, vmo, 0, 4 * PAGE);
    for (const op of [ZX_VMAR_OP_COMMIT, ZX_VMAR_OP_DECOMMIT, ZX_VMAR_OP_PREFETCH]) {
      expectStatus(sys.zx_vmar_op_range(vmar.handle, op, addr, PAGE, null, 0), ZX_ERR_INVALID_ARGS);
      expectStatus(sys.zx_vmar_op_range(child.handle, op, addr, PAGE, null, 0), ZX_OK);
    }
  });

  it('runs MAP_RANGE, ZERO, DONT_NEED and ALWAYS_NEED in sub-VMARs only with OP_CHILDREN', () => {
    const { sys, vmo, vmar } = fixture();
    const child = allocate(sys, vmar.handle, CAN_MAP_ALL | ZX_VM_SPECIFIC, 0, 4 * PAGE);
    const addr = map(sys, child.handle, RW, 0, vmo, 0, 4 * PAGE);
    const weak = duplicate(sys, vmar.handle, ROOT_RIGHTS & ~ZX_RIGHT_OP_CHILDREN);
    for (const op of [
      ZX_VMAR_OP_MAP_RANGE,
      ZX_VMAR_OP_ZERO,
      ZX_VMAR_OP_DONT_NEED,
      ZX_VMAR_OP_ALWAYS_NEED,
    ]) {
      expectStatus(sys.zx_vmar_op_range(weak, op, addr, PAGE, null, 0), ZX_ERR_INVALID_ARGS);
      expectStatus(sys.zx_vmar_op_range(vmar.handle, op, addr, PAGE, null, 0), ZX_OK);
    }
  });

  it('stops at the first failing mapping, keeping what it did before', () => {
    const { sys, vmo, vmar } = fixture();
    const other = createVmo(sys, PAGE);
    const readOnly = duplicate(sys, other, ZX_DEFAULT_VMO_RIGHTS & ~ZX_RIGHT_WRITE);
    const first = map(sys, vmar.handle, RW | ZX_VM_SPECIFIC, 0, vmo, 0, PAGE);
    map(sys, vmar.handle, R | ZX_VM_SPECIFIC, PAGE, readOnly, 0, PAGE);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_COMMIT, first, 2 * PAGE, null, 0),
      ZX_ERR_ACCESS_DENIED,
    );
    assert.equal(vmoInfo(sys, vmo).committed_bytes, BigInt(PAGE));
  });

  it('trims VMO ops to the VMO: a piece starting past its end is ZX_ERR_OUT_OF_RANGE', () => {
    const { sys, vmar } = fixture();
    const small = createVmo(sys, 2 * PAGE);
    const addr = map(sys, vmar.handle, RW, 0, small, 0, 4 * PAGE);
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_COMMIT, addr, 4 * PAGE, null, 0),
      ZX_OK,
    );
    assert.equal(vmoInfo(sys, small).committed_bytes, BigInt(2 * PAGE));
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_COMMIT, addr + 3n * P, PAGE, null, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
  });

  it('refuses a piece past the stream size of a FAULT_BEYOND_STREAM_SIZE mapping', () => {
    const { sys, vmar } = fixture();
    const vmo = createVmo(sys, PAGE + 10);
    const addr = map(
      sys,
      vmar.handle,
      RW | ZX_VM_ALLOW_FAULTS | ZX_VM_FAULT_BEYOND_STREAM_SIZE,
      0,
      vmo,
      0,
      4 * PAGE,
    );
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_COMMIT, addr, 2 * PAGE, null, 0),
      ZX_OK,
    );
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_MAP_RANGE, addr, 3 * PAGE, null, 0),
      ZX_ERR_OUT_OF_RANGE,
    );
  });

  it('passes on what the VMO refuses: DECOMMIT of a copy-on-write clone is ZX_ERR_NOT_SUPPORTED', () => {
    const { sys, proc, vmo, vmar } = fixture();
    writeVmo(sys, vmo, 0, pattern(PAGE));
    const clone = out(0);
    expectStatus(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, PAGE, clone), ZX_OK);
    const addr = map(sys, vmar.handle, RW, 0, clone.value, 0, PAGE);
    store(proc, addr, new Uint8Array([1]));
    expectStatus(
      sys.zx_vmar_op_range(vmar.handle, ZX_VMAR_OP_DECOMMIT, addr, PAGE, null, 0),
      ZX_ERR_NOT_SUPPORTED,
    );
  });

  it('gives ZX_ERR_NO_MEMORY when COMMIT runs out of memory', () => {
    const kernel = newKernel({ memoryBytes: 64 * PAGE, reclaimWatermarkBytes: 0 });
    const { sys, proc } = newProcess(kernel);
    const vmo = createVmo(sys, 128 * PAGE);
    const addr = map(sys, proc.rootVmar, RW, 0, vmo, 0, 128 * PAGE);
    expectStatus(
      sys.zx_vmar_op_range(proc.rootVmar, ZX_VMAR_OP_COMMIT, addr, 128 * PAGE, null, 0),
      ZX_ERR_NO_MEMORY,
    );
  });

  it('gives ZX_ERR_NOT_FOUND for a discarded VMO', () => {
    const kernel = newKernel({ memoryBytes: 64 * PAGE, reclaimWatermarkBytes: 0 });
    const { sys, proc } = newProcess(kernel);
    const vmo = createVmo(sys, 4 * PAGE, ZX_VMO_DISCARDABLE);
    const state = new Uint8Array(ZX_VMO_LOCK_STATE_SIZE);
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_LOCK, 0, 4 * PAGE, state, state.length), ZX_OK);
    writeVmo(sys, vmo, 0, pattern(4 * PAGE));
    expectStatus(sys.zx_vmo_op_range(vmo, ZX_VMO_OP_UNLOCK, 0, 4 * PAGE, null, 0), ZX_OK);
    const addr = map(sys, proc.rootVmar, RW | ZX_VM_ALLOW_FAULTS, 0, vmo, 0, 4 * PAGE);
    // Memory pressure reclaims the unlocked VMO whole.
    const pages = Number(kmemStats(kernel, proc).free_bytes) / PAGE + 1;
    const filler = createVmo(sys, pages * PAGE);
    expectStatus(sys.zx_vmo_op_range(filler, ZX_VMO_OP_COMMIT, 0, pages * PAGE, null, 0), ZX_OK);
    expectStatus(sys.zx_handle_close(filler), ZX_OK);
    expectStatus(
      sys.zx_vmar_op_range(proc.rootVmar, ZX_VMAR_OP_COMMIT, addr, PAGE, null, 0),
      ZX_ERR_NOT_FOUND,
    );
  });
});

// The host is no zx thread: where a thread would wait for the pager, it gets SHOULD_WAIT.
describe('zx_vmar_op_range over a pager-backed VMO, from the host', () => {
  for (const [name, op] of [
    ['COMMIT', ZX_VMAR_OP_COMMIT],
    ['PREFETCH', ZX_VMAR_OP_PREFETCH],
    ['ALWAYS_NEED', ZX_VMAR_OP_ALWAYS_NEED],
  ] as const) {
    it(`${name} gives ZX_ERR_SHOULD_WAIT on missing pages, having sent the READ request`, () => {
      const { sys, proc, vmar: sub } = fixture();
      const vmar = sub.handle;
      const { pager, port, vmo } = pagedSetup(sys, 4);
      const addr = map(sys, vmar, RW, 0, vmo, 0, 4 * PAGE);
      expectStatus(sys.zx_vmar_op_range(vmar, op, addr + P, 2n * P, null, 0), ZX_ERR_SHOULD_WAIT);
      assert.deepEqual(requestRanges(sys, port), [['READ', 1, 2]]);
      supplyDisk(sys, pager, vmo, 1, 2);
      expectStatus(sys.zx_vmar_op_range(vmar, op, addr + P, 2n * P, null, 0), ZX_OK);
      // The pages are mapped now: reading them faults no more.
      assert.equal(translationCount(proc), 2);
      assert.deepEqual(load(proc, addr + 2n * P, PAGE), diskPage(2));
    });
  }
});
