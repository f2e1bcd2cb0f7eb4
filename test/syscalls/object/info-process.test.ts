// zx_object_get_info: the multi-record process topics ZX_INFO_PROCESS_VMOS (V1..current) and
// ZX_INFO_PROCESS_MAPS. Multi-record topics write min(avail, size / record) records, then actual
// and avail, and give ZX_OK even when the buffer is too small.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_PROCESS_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_MAPS_TYPE_ASPACE,
  ZX_INFO_MAPS_TYPE_MAPPING,
  ZX_INFO_MAPS_TYPE_VMAR,
  ZX_INFO_PROCESS_MAPS,
  ZX_INFO_PROCESS_VMOS,
  ZX_INFO_PROCESS_VMOS_V1,
  ZX_INFO_PROCESS_VMOS_V2,
  ZX_INFO_PROCESS_VMOS_V3,
  ZX_INFO_VMAR_MAPS,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_INFO_VMO_VIA_MAPPING,
  ZX_OK,
  ZX_PROP_NAME,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_READ,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_CAN_MAP_SPECIFIC,
  ZX_VM_CAN_MAP_WRITE,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
} from '../../../src/abi/constants.ts';
import {
  decodeZxInfoMaps,
  decodeZxInfoVmo,
  decodeZxInfoVmoV1,
  decodeZxInfoVmoV2,
  decodeZxInfoVmoV3,
  ZX_INFO_MAPS_SIZE,
  ZX_INFO_VMO_SIZE,
  ZX_INFO_VMO_V1_SIZE,
  ZX_INFO_VMO_V2_SIZE,
  ZX_INFO_VMO_V3_SIZE,
  type ZxInfoMaps,
  type ZxInfoVmo,
} from '../../../src/abi/structs.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  filled,
  newProcess,
  out,
  PAGE,
  untyped,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';

const RW = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;

function getInfo(sys: Syscalls, h: unknown, topic: number, size: number) {
  const actual = out<bigint | number>(-1);
  const avail = out<bigint | number>(-1);
  const bytes = filled(size, 0xff);
  const status = untyped(sys).zx_object_get_info(h, topic, bytes, size, actual, avail);
  return { status, bytes, actual: actual.value, avail: avail.value };
}

/** All the records of `topic`, asking first for the count and then with a buffer that fits. */
function records(sys: Syscalls, h: number, topic: number, recordSize: number): Uint8Array[] {
  const probe = getInfo(sys, h, topic, 0);
  expectStatus(probe.status, ZX_OK);
  const n = Number(probe.avail);
  const full = getInfo(sys, h, topic, n * recordSize);
  expectStatus(full.status, ZX_OK);
  assert.equal(full.actual, BigInt(n));
  assert.equal(full.avail, BigInt(n));
  return Array.from({ length: n }, (_, i) =>
    full.bytes.slice(i * recordSize, (i + 1) * recordSize),
  );
}

function setName(sys: Syscalls, h: number, name: string): void {
  const bytes = new TextEncoder().encode(name);
  expectStatus(sys.zx_object_set_property(h, ZX_PROP_NAME, bytes, bytes.length), ZX_OK);
}

function nameOf(info: { name: string }): string {
  return info.name.replace(/\0.*$/s, '');
}

function map(sys: Syscalls, vmar: number, perms: number, vmo: number, offset: number, len: number) {
  const addr = out(0n);
  expectStatus(sys.zx_vmar_map(vmar, perms, 0, vmo, offset, len, addr), ZX_OK);
  return addr.value;
}

/** A process holding two VMO handles (one of them twice) and three mappings. */
function setup() {
  const { proc, sys } = newProcess();
  const a = createVmo(sys, 4 * PAGE);
  setName(sys, a, 'alpha');
  const b = createVmo(sys, 2 * PAGE);
  setName(sys, b, 'beta');
  duplicate(sys, a, ZX_RIGHT_READ | ZX_RIGHT_INSPECT);
  writeVmo(sys, a, 0, filled(2 * PAGE, 1));
  const mapA = map(sys, proc.rootVmar, RW, a, 0, 4 * PAGE);
  const sub = out(0);
  const subAddr = out(0n);
  const canMap = ZX_VM_CAN_MAP_READ | ZX_VM_CAN_MAP_WRITE | ZX_VM_CAN_MAP_SPECIFIC;
  expectStatus(sys.zx_vmar_allocate(proc.rootVmar, canMap, 0, 16 * PAGE, sub, subAddr), ZX_OK);
  const mapB = map(sys, sub.value, ZX_VM_PERM_READ, b, PAGE, PAGE);
  return { proc, sys, a, b, mapA, mapB, sub: sub.value, subAddr: subAddr.value };
}

describe('zx_object_get_info: ZX_INFO_PROCESS_VMOS', () => {
  it('lists one entry per VMO handle, then one per mapping', () => {
    const { proc, sys, a, b } = setup();
    const all = records(sys, proc.self, ZX_INFO_PROCESS_VMOS, ZX_INFO_VMO_SIZE).map(
      decodeZxInfoVmo,
    );
    const viaHandle = all.filter((r) => (r.flags & ZX_INFO_VMO_VIA_HANDLE) !== 0);
    const viaMapping = all.filter((r) => (r.flags & ZX_INFO_VMO_VIA_MAPPING) !== 0);
    assert.equal(all.length, 5);
    assert.equal(viaHandle.length, 3);
    assert.equal(viaMapping.length, 2);
    // Handles come first; mapping entries follow, in address order.
    assert.deepEqual(
      all.map((r) => (r.flags & ZX_INFO_VMO_VIA_HANDLE) !== 0),
      [true, true, true, false, false],
    );
    const koidA = vmoInfo(sys, a).koid;
    const koidB = vmoInfo(sys, b).koid;
    const rightsOf = (koid: bigint) =>
      viaHandle
        .filter((r) => r.koid === koid)
        .map((r) => r.handle_rights)
        .sort((x, y) => x - y);
    assert.deepEqual(rightsOf(koidA), [ZX_RIGHT_READ | ZX_RIGHT_INSPECT, ZX_DEFAULT_VMO_RIGHTS]);
    assert.deepEqual(rightsOf(koidB), [ZX_DEFAULT_VMO_RIGHTS]);
    for (const r of viaMapping) {
      assert.equal(r.handle_rights, 0);
      assert.equal(r.flags & ZX_INFO_VMO_VIA_HANDLE, 0);
      assert.equal(r.flags & ZX_INFO_VMO_TYPE_PAGED, ZX_INFO_VMO_TYPE_PAGED);
    }
    assert.deepEqual(
      viaMapping.map((r) => [r.koid, nameOf(r)]),
      [
        [koidA, 'alpha'],
        [koidB, 'beta'],
      ],
    );
    const mappedA = viaMapping[0]!;
    assert.equal(mappedA.size_bytes, BigInt(4 * PAGE));
    assert.equal(mappedA.num_mappings, 1n);
    assert.equal(mappedA.committed_bytes, BigInt(2 * PAGE));
    // The same VMO through its handle gives the same record but for the flag and the rights.
    const handleA = viaHandle.find(
      (r) => r.handle_rights === ZX_DEFAULT_VMO_RIGHTS && r.koid === koidA,
    )!;
    const strip = (r: ZxInfoVmo) => ({ ...r, flags: 0, handle_rights: 0 });
    assert.deepEqual(strip(handleA), strip(mappedA));
  });

  it('lists handles newest first, as Zircon walks its handle list', () => {
    const { proc, sys } = newProcess();
    const first = createVmo(sys, PAGE);
    const second = createVmo(sys, PAGE);
    const third = duplicate(sys, first, ZX_RIGHT_READ);
    const koids = records(sys, proc.self, ZX_INFO_PROCESS_VMOS, ZX_INFO_VMO_SIZE)
      .map(decodeZxInfoVmo)
      .map((r) => [r.koid, r.handle_rights]);
    assert.deepEqual(koids, [
      [vmoInfo(sys, third).koid, ZX_RIGHT_READ],
      [vmoInfo(sys, second).koid, ZX_DEFAULT_VMO_RIGHTS],
      [vmoInfo(sys, first).koid, ZX_DEFAULT_VMO_RIGHTS],
    ]);
  });

  it('writes each version as the matching prefix of the newest record', () => {
    const { proc, sys } = setup();
    const newest = records(sys, proc.self, ZX_INFO_PROCESS_VMOS, ZX_INFO_VMO_SIZE);
    const versions: [number, number, (b: Uint8Array) => unknown][] = [
      [ZX_INFO_PROCESS_VMOS_V1, ZX_INFO_VMO_V1_SIZE, decodeZxInfoVmoV1],
      [ZX_INFO_PROCESS_VMOS_V2, ZX_INFO_VMO_V2_SIZE, decodeZxInfoVmoV2],
      [ZX_INFO_PROCESS_VMOS_V3, ZX_INFO_VMO_V3_SIZE, decodeZxInfoVmoV3],
    ];
    for (const [topic, size, decode] of versions) {
      const got = records(sys, proc.self, topic, size);
      assert.equal(got.length, newest.length, `topic ${topic}`);
      for (let i = 0; i < got.length; i++) {
        assert.deepEqual(got[i], newest[i]!.subarray(0, size));
        assert.doesNotThrow(() => decode(got[i]!));
      }
      // The records are packed at the version's own size.
      const two = getInfo(sys, proc.self, topic, 2 * size + size - 1);
      expectStatus(two.status, ZX_OK);
      assert.equal(two.actual, 2n);
      assert.equal(two.avail, 5n);
      assert.deepEqual(two.bytes.subarray(size, 2 * size), newest[1]!.subarray(0, size));
      assert.ok(two.bytes.subarray(2 * size).every((x) => x === 0xff));
    }
  });

  it('gives ZX_OK with actual 0 and avail N for a zero-size buffer, even a null one', () => {
    const { proc, sys } = setup();
    const probe = getInfo(sys, proc.self, ZX_INFO_PROCESS_VMOS, 0);
    expectStatus(probe.status, ZX_OK);
    assert.equal(probe.actual, 0n);
    assert.equal(probe.avail, 5n);
    const actual = out<bigint>(-1n);
    const avail = out<bigint>(-1n);
    expectStatus(
      sys.zx_object_get_info(proc.self, ZX_INFO_PROCESS_VMOS, null, 0, actual, avail),
      ZX_OK,
    );
    assert.equal(actual.value, 0n);
    assert.equal(avail.value, 5n);
    expectStatus(
      sys.zx_object_get_info(proc.self, ZX_INFO_PROCESS_VMOS, null, 0, null, null),
      ZX_OK,
    );
  });

  it('writes the first records into a partial buffer', () => {
    const { proc, sys } = setup();
    const all = records(sys, proc.self, ZX_INFO_PROCESS_VMOS, ZX_INFO_VMO_SIZE);
    const part = getInfo(sys, proc.self, ZX_INFO_PROCESS_VMOS, 2 * ZX_INFO_VMO_SIZE + 10);
    expectStatus(part.status, ZX_OK);
    assert.equal(part.actual, 2n);
    assert.equal(part.avail, 5n);
    assert.deepEqual(part.bytes.subarray(0, 2 * ZX_INFO_VMO_SIZE), concat(all.slice(0, 2)));
    assert.ok(part.bytes.subarray(2 * ZX_INFO_VMO_SIZE).every((x) => x === 0xff));
  });

  it('needs ZX_RIGHT_INSPECT on a process', () => {
    const { proc, sys, a } = setup();
    const blind = duplicate(sys, proc.self, ZX_DEFAULT_PROCESS_RIGHTS & ~ZX_RIGHT_INSPECT);
    for (const topic of [ZX_INFO_PROCESS_VMOS, ZX_INFO_PROCESS_VMOS_V1, ZX_INFO_PROCESS_MAPS]) {
      const r = getInfo(sys, blind, topic, 4096);
      expectStatus(r.status, ZX_ERR_ACCESS_DENIED, `topic ${topic}`);
      assert.equal(r.actual, -1);
      expectStatus(getInfo(sys, a, topic, 4096).status, ZX_ERR_WRONG_TYPE);
      expectStatus(getInfo(sys, proc.rootVmar, topic, 4096).status, ZX_ERR_WRONG_TYPE);
      expectStatus(getInfo(sys, proc.job, topic, 4096).status, ZX_ERR_WRONG_TYPE);
      expectStatus(getInfo(sys, 0, topic, 4096).status, ZX_ERR_BAD_HANDLE);
    }
  });

  it('counts only the process itself when it holds no VMO and maps nothing', () => {
    const { proc, sys } = newProcess();
    const r = getInfo(sys, proc.self, ZX_INFO_PROCESS_VMOS, ZX_INFO_VMO_SIZE);
    expectStatus(r.status, ZX_OK);
    assert.equal(r.actual, 0n);
    assert.equal(r.avail, 0n);
  });
});

describe('zx_object_get_info: ZX_INFO_PROCESS_MAPS', () => {
  it('describes the aspace, its VMARs and its mappings, depth first in address order', () => {
    const { proc, sys, a, b, mapA, mapB, subAddr } = setup();
    const maps = records(sys, proc.self, ZX_INFO_PROCESS_MAPS, ZX_INFO_MAPS_SIZE).map(
      decodeZxInfoMaps,
    );
    assert.equal(maps.length, 5);
    const [aspace, rootVmar, ...rest] = maps as [ZxInfoMaps, ZxInfoMaps, ...ZxInfoMaps[]];
    assert.equal(aspace.type, ZX_INFO_MAPS_TYPE_ASPACE);
    assert.equal(aspace.depth, 0n);
    assert.match(nameOf(aspace), /^proc:\d+$/);
    assert.equal(rootVmar.type, ZX_INFO_MAPS_TYPE_VMAR);
    assert.equal(rootVmar.depth, 1n);
    assert.equal(nameOf(rootVmar), 'root');
    assert.equal(rootVmar.base, aspace.base);
    assert.equal(rootVmar.size, aspace.size);
    assert.deepEqual(rootVmar.u.mapping.vmo_koid, 0n);
    // The rest is in address order, each mapping one level below the VMAR holding it.
    const bases = rest.map((m) => m.base);
    assert.deepEqual(
      bases,
      [...bases].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)),
    );
    const koidA = vmoInfo(sys, a).koid;
    const koidB = vmoInfo(sys, b).koid;
    const entryA = rest.find((m) => m.type === ZX_INFO_MAPS_TYPE_MAPPING && m.base === mapA)!;
    assert.equal(entryA.type, ZX_INFO_MAPS_TYPE_MAPPING);
    assert.equal(entryA.depth, 2n);
    assert.equal(nameOf(entryA), 'alpha');
    assert.equal(entryA.size, BigInt(4 * PAGE));
    assert.equal(entryA.u.mapping.mmu_flags, RW);
    assert.equal(entryA.u.mapping.vmo_koid, koidA);
    assert.equal(entryA.u.mapping.vmo_offset, 0n);
    assert.equal(entryA.u.mapping.committed_bytes, BigInt(2 * PAGE));
    assert.equal(entryA.u.mapping.populated_bytes, BigInt(2 * PAGE));
    assert.equal(entryA.u.mapping.committed_private_bytes, BigInt(2 * PAGE));
    assert.equal(entryA.u.mapping.committed_scaled_bytes, BigInt(2 * PAGE));
    const subEntry = rest.find((m) => m.type === ZX_INFO_MAPS_TYPE_VMAR)!;
    assert.equal(subEntry.base, subAddr);
    assert.equal(subEntry.size, BigInt(16 * PAGE));
    assert.equal(subEntry.depth, 2n);
    assert.equal(nameOf(subEntry), 'useralloc');
    // A mapping may start where its VMAR starts: same base, one level deeper, listed after it.
    const entryB = rest.find((m) => m.type === ZX_INFO_MAPS_TYPE_MAPPING && m.base === mapB)!;
    assert.equal(rest.indexOf(entryB), rest.indexOf(subEntry) + 1);
    assert.equal(entryB.depth, 3n);
    assert.equal(nameOf(entryB), 'beta');
    assert.equal(entryB.u.mapping.mmu_flags, ZX_VM_PERM_READ);
    assert.equal(entryB.u.mapping.vmo_koid, koidB);
    assert.equal(entryB.u.mapping.vmo_offset, BigInt(PAGE));
    assert.equal(entryB.u.mapping.committed_bytes, 0n);
  });

  it('gives one entry per protection range, its memory counted over that range', () => {
    const { proc, sys, mapA } = setup();
    expectStatus(
      sys.zx_vmar_protect(proc.rootVmar, ZX_VM_PERM_READ, mapA + BigInt(PAGE), PAGE),
      ZX_OK,
    );
    const maps = records(sys, proc.self, ZX_INFO_PROCESS_MAPS, ZX_INFO_MAPS_SIZE)
      .map(decodeZxInfoMaps)
      .filter((m) => m.type === ZX_INFO_MAPS_TYPE_MAPPING && nameOf(m) === 'alpha');
    assert.deepEqual(
      maps.map((m) => [
        m.base - mapA,
        m.size,
        m.u.mapping.mmu_flags,
        m.u.mapping.vmo_offset,
        m.u.mapping.committed_bytes,
      ]),
      [
        [0n, BigInt(PAGE), RW, 0n, BigInt(PAGE)],
        [BigInt(PAGE), BigInt(PAGE), ZX_VM_PERM_READ, BigInt(PAGE), BigInt(PAGE)],
        [BigInt(2 * PAGE), BigInt(2 * PAGE), RW, BigInt(2 * PAGE), 0n],
      ],
    );
  });

  it('follows the multi-record rules: zero size, partial buffer, null actual/avail', () => {
    const { proc, sys } = setup();
    const all = records(sys, proc.self, ZX_INFO_PROCESS_MAPS, ZX_INFO_MAPS_SIZE);
    const zero = getInfo(sys, proc.self, ZX_INFO_PROCESS_MAPS, 0);
    expectStatus(zero.status, ZX_OK);
    assert.equal(zero.actual, 0n);
    assert.equal(zero.avail, BigInt(all.length));
    const part = getInfo(sys, proc.self, ZX_INFO_PROCESS_MAPS, 3 * ZX_INFO_MAPS_SIZE - 1);
    expectStatus(part.status, ZX_OK);
    assert.equal(part.actual, 2n);
    assert.equal(part.avail, BigInt(all.length));
    assert.deepEqual(part.bytes.subarray(0, 2 * ZX_INFO_MAPS_SIZE), concat(all.slice(0, 2)));
    assert.ok(part.bytes.subarray(2 * ZX_INFO_MAPS_SIZE).every((x) => x === 0xff));
    const buffer = new Uint8Array(ZX_INFO_MAPS_SIZE);
    expectStatus(
      sys.zx_object_get_info(proc.self, ZX_INFO_PROCESS_MAPS, buffer, buffer.length, null, null),
      ZX_OK,
    );
    assert.deepEqual(buffer, all[0]);
  });
});

describe('zx_object_get_info: ZX_INFO_VMAR_MAPS', () => {
  it('describes the VMAR at depth 0 and what it holds below it', () => {
    const { proc, sys, b, mapB, sub, subAddr } = setup();
    const maps = records(sys, sub, ZX_INFO_VMAR_MAPS, ZX_INFO_MAPS_SIZE).map(decodeZxInfoMaps);
    assert.equal(maps.length, 2);
    const [vmar, mapping] = maps as [ZxInfoMaps, ZxInfoMaps];
    assert.deepEqual(
      [vmar.type, vmar.depth, vmar.base, vmar.size, nameOf(vmar)],
      [ZX_INFO_MAPS_TYPE_VMAR, 0n, subAddr, BigInt(16 * PAGE), 'useralloc'],
    );
    assert.deepEqual(
      [mapping.type, mapping.depth, mapping.base, mapping.size, nameOf(mapping)],
      [ZX_INFO_MAPS_TYPE_MAPPING, 1n, mapB, BigInt(PAGE), 'beta'],
    );
    assert.equal(mapping.u.mapping.vmo_koid, vmoInfo(sys, b).koid);
    // Through the root VMAR: the same records as PROCESS_MAPS without the aspace, one level up.
    const fromRoot = records(sys, proc.rootVmar, ZX_INFO_VMAR_MAPS, ZX_INFO_MAPS_SIZE);
    const fromProcess = records(sys, proc.self, ZX_INFO_PROCESS_MAPS, ZX_INFO_MAPS_SIZE);
    assert.equal(fromRoot.length, fromProcess.length - 1);
    fromRoot.forEach((bytes, i) => {
      const a = decodeZxInfoMaps(bytes);
      const p = decodeZxInfoMaps(fromProcess[i + 1]!);
      assert.deepEqual({ ...a, depth: a.depth + 1n }, p);
    });
  });

  it('follows the multi-record rules and checks the handle', () => {
    const { proc, sys, a, sub } = setup();
    const zero = getInfo(sys, sub, ZX_INFO_VMAR_MAPS, 0);
    expectStatus(zero.status, ZX_OK);
    assert.equal(zero.actual, 0n);
    assert.equal(zero.avail, 2n);
    const one = getInfo(sys, sub, ZX_INFO_VMAR_MAPS, ZX_INFO_MAPS_SIZE + 1);
    expectStatus(one.status, ZX_OK);
    assert.equal(one.actual, 1n);
    assert.equal(one.avail, 2n);
    const blind = duplicate(sys, sub, ZX_RIGHT_READ);
    expectStatus(getInfo(sys, blind, ZX_INFO_VMAR_MAPS, 4096).status, ZX_ERR_ACCESS_DENIED);
    expectStatus(getInfo(sys, proc.self, ZX_INFO_VMAR_MAPS, 4096).status, ZX_ERR_WRONG_TYPE);
    expectStatus(getInfo(sys, a, ZX_INFO_VMAR_MAPS, 4096).status, ZX_ERR_WRONG_TYPE);
    expectStatus(sys.zx_vmar_destroy(sub), ZX_OK);
    const dead = getInfo(sys, sub, ZX_INFO_VMAR_MAPS, 4096);
    expectStatus(dead.status, ZX_ERR_BAD_STATE);
    assert.equal(dead.actual, -1);
  });
});

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}

it('a failed copy of PROCESS_VMOS records still writes actual and avail, and its error wins', () => {
  const { proc, sys } = newProcess();
  createVmo(sys, 4096);
  const actual = { value: 7n };
  const avail = { value: 7n };
  const status = sys.zx_object_get_info(proc.self, ZX_INFO_PROCESS_VMOS, null, 4096, actual, avail);
  assert.equal(status, ZX_ERR_INVALID_ARGS);
  assert.equal(actual.value, 0n);
  assert.ok(avail.value >= 1n);
});
