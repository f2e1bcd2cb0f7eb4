// zx_object_get_info: ZX_INFO_HANDLE_VALID, ZX_INFO_HANDLE_BASIC, the four ZX_INFO_VMO versions,
// ZX_INFO_KMEM_STATS (and V1) through the system resource, and ZX_INFO_VMAR of the root VMAR;
// the single-record rules (BUFFER_TOO_SMALL still writes actual and avail) and the precedence
// of the topic check over the handle check; the handle checks of ZX_INFO_VMAR_MAPS (its records
// are in info-process.test.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_DEFAULT_JOB_RIGHTS,
  ZX_DEFAULT_PROCESS_RIGHTS,
  ZX_DEFAULT_VMO_RIGHTS,
  ZX_ERR_ACCESS_DENIED,
  ZX_ERR_BAD_HANDLE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_BUFFER_TOO_SMALL,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_NOT_FOUND,
  ZX_ERR_NOT_SUPPORTED,
  ZX_ERR_OUT_OF_RANGE,
  ZX_ERR_WRONG_TYPE,
  ZX_INFO_HANDLE_BASIC,
  ZX_INFO_HANDLE_VALID,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_KMEM_STATS_V1,
  ZX_INFO_VMAR,
  ZX_INFO_VMAR_MAPS,
  ZX_INFO_VMO,
  ZX_INFO_VMO_TYPE_PAGED,
  ZX_INFO_VMO_V1,
  ZX_INFO_VMO_V2,
  ZX_INFO_VMO_V3,
  ZX_INFO_VMO_VIA_HANDLE,
  ZX_OBJ_TYPE_JOB,
  ZX_OBJ_TYPE_PROCESS,
  ZX_OBJ_TYPE_RESOURCE,
  ZX_OBJ_TYPE_VMAR,
  ZX_OBJ_TYPE_VMO,
  ZX_OK,
  ZX_PROP_NAME,
  ZX_RIGHT_INSPECT,
  ZX_RIGHT_NONE,
  ZX_RIGHT_READ,
  ZX_RSRC_KIND_MMIO,
  ZX_RSRC_KIND_SYSTEM,
  ZX_VM_CAN_MAP_READ,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
} from '../../../src/abi/constants.ts';
import {
  decodeZxInfoKmemStatsV1,
  decodeZxInfoVmar,
  decodeZxInfoVmo,
  decodeZxInfoVmoV1,
  decodeZxInfoVmoV2,
  decodeZxInfoVmoV3,
  ZX_INFO_HANDLE_BASIC_SIZE,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_KMEM_STATS_V1_SIZE,
  ZX_INFO_VMAR_SIZE,
  ZX_INFO_VMO_SIZE,
  ZX_INFO_VMO_V1_SIZE,
  ZX_INFO_VMO_V2_SIZE,
  ZX_INFO_VMO_V3_SIZE,
} from '../../../src/abi/structs.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import {
  createVmo,
  duplicate,
  expectStatus,
  filled,
  handleBasic,
  kmemStats,
  newKernel,
  newProcess,
  out,
  PAGE,
  readVmo,
  spawnProcess,
  systemResource,
  untyped,
  vmoInfo,
  writeVmo,
} from '../../helpers.ts';

function getInfo(sys: Syscalls, h: unknown, topic: number, size: number, buffer?: unknown) {
  const actual = out<bigint | number>(-1);
  const avail = out<bigint | number>(-1);
  const bytes = buffer === undefined ? filled(size, 0xff) : buffer;
  const status = untyped(sys).zx_object_get_info(h, topic, bytes, size, actual, avail);
  return { status, bytes: bytes as Uint8Array, actual: actual.value, avail: avail.value };
}

function resource(sys: Syscalls, parent: number, kind: number, base: bigint, size: bigint) {
  const h = out(0);
  expectStatus(sys.zx_resource_create(parent, kind, base, size, null, 0, h), ZX_OK);
  return h.value;
}

describe('zx_object_get_info: topics and handles', () => {
  it('gives NOT_SUPPORTED for an unknown topic, before looking at the handle', () => {
    const { sys } = newProcess();
    for (const topic of [0, 3, 0x40000017, 0x12345678, 5]) {
      expectStatus(getInfo(sys, 0, topic, 64).status, ZX_ERR_NOT_SUPPORTED, `topic ${topic}`);
      expectStatus(getInfo(sys, createVmo(sys, PAGE), topic, 64).status, ZX_ERR_NOT_SUPPORTED);
    }
  });

  it('gives BAD_HANDLE for a known topic and a handle that names nothing', () => {
    const { sys } = newProcess();
    for (const topic of [ZX_INFO_HANDLE_BASIC, ZX_INFO_VMO, ZX_INFO_VMAR, ZX_INFO_KMEM_STATS]) {
      expectStatus(getInfo(sys, 0, topic, 256).status, ZX_ERR_BAD_HANDLE, `topic ${topic}`);
    }
  });

  it('gives INVALID_ARGS for a topic or size no C caller could pass', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_get_info(h, 1.5, null, 0, null, null), ZX_ERR_INVALID_ARGS);
    expectStatus(
      sys.zx_object_get_info(h, ZX_INFO_VMO, null, -0.5, null, null),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(
      untyped(sys).zx_object_get_info(h, ZX_INFO_VMO, 'buf', 176, null, null),
      ZX_ERR_INVALID_ARGS,
    );
  });
});

describe('zx_object_get_info: ZX_INFO_HANDLE_VALID', () => {
  it('is OK for any live handle, even one with no rights, and ignores the buffer', () => {
    const { proc, sys } = newProcess();
    const rightless = duplicate(sys, createVmo(sys, PAGE), ZX_RIGHT_NONE);
    for (const h of [rightless, proc.self, proc.job, proc.rootVmar]) {
      const actual = out(-1);
      const avail = out(-1);
      expectStatus(
        untyped(sys).zx_object_get_info(h, ZX_INFO_HANDLE_VALID, null, 100, actual, avail),
        ZX_OK,
      );
      assert.equal(actual.value, -1);
      assert.equal(avail.value, -1);
    }
  });

  it('gives BAD_HANDLE once the handle is closed', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(sys.zx_object_get_info(h, ZX_INFO_HANDLE_VALID, null, 0, null, null), ZX_OK);
    expectStatus(sys.zx_handle_close(h), ZX_OK);
    expectStatus(
      sys.zx_object_get_info(h, ZX_INFO_HANDLE_VALID, null, 0, null, null),
      ZX_ERR_BAD_HANDLE,
    );
  });
});

describe('zx_object_get_info: ZX_INFO_HANDLE_BASIC', () => {
  it('reports koid, rights, type and related koid of each kind of handle', () => {
    const { kernel, proc, sys } = newProcess();
    const vmo = handleBasic(sys, createVmo(sys, PAGE));
    assert.equal(vmo.type, ZX_OBJ_TYPE_VMO);
    assert.equal(vmo.rights, ZX_DEFAULT_VMO_RIGHTS);
    assert.equal(vmo.related_koid, 0n);
    assert.equal(vmo.reserved, 0);
    const job = handleBasic(sys, proc.job);
    assert.equal(job.type, ZX_OBJ_TYPE_JOB);
    assert.equal(job.rights, ZX_DEFAULT_JOB_RIGHTS);
    assert.equal(job.related_koid, 0n, 'the root job has no parent');
    const self = handleBasic(sys, proc.self);
    assert.equal(self.type, ZX_OBJ_TYPE_PROCESS);
    assert.equal(self.rights, ZX_DEFAULT_PROCESS_RIGHTS);
    assert.equal(self.related_koid, job.koid, "a process's related koid is its job");
    assert.equal(handleBasic(sys, proc.rootVmar).type, ZX_OBJ_TYPE_VMAR);
    assert.equal(handleBasic(sys, systemResource(kernel, proc)).type, ZX_OBJ_TYPE_RESOURCE);
    const child = out(0);
    expectStatus(sys.zx_job_create(proc.job, 0, child), ZX_OK);
    assert.equal(handleBasic(sys, child.value).related_koid, job.koid);
  });

  it('needs no rights and reports the rights of the handle asked', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const rightless = duplicate(sys, h, ZX_RIGHT_NONE);
    const basic = handleBasic(sys, rightless);
    assert.equal(basic.rights, ZX_RIGHT_NONE);
    assert.equal(basic.koid, handleBasic(sys, h).koid);
  });

  it('writes actual 1 and avail 1 on success, as bigints', () => {
    const { sys } = newProcess();
    const r = getInfo(sys, createVmo(sys, PAGE), ZX_INFO_HANDLE_BASIC, ZX_INFO_HANDLE_BASIC_SIZE);
    expectStatus(r.status, ZX_OK);
    assert.equal(r.actual, 1n);
    assert.equal(r.avail, 1n);
  });

  it('gives BUFFER_TOO_SMALL below 32 bytes, still writing actual 0 and avail 1', () => {
    const { sys } = newProcess();
    const r = getInfo(sys, createVmo(sys, PAGE), ZX_INFO_HANDLE_BASIC, 4);
    expectStatus(r.status, ZX_ERR_BUFFER_TOO_SMALL);
    assert.equal(r.actual, 0n);
    assert.equal(r.avail, 1n);
    assert.deepEqual(r.bytes, filled(4, 0xff));
  });
});

describe('zx_object_get_info: ZX_INFO_VMO and its versions', () => {
  const versions = [
    ['ZX_INFO_VMO_V1', ZX_INFO_VMO_V1, 104, ZX_INFO_VMO_V1_SIZE],
    ['ZX_INFO_VMO_V2', ZX_INFO_VMO_V2, 120, ZX_INFO_VMO_V2_SIZE],
    ['ZX_INFO_VMO_V3', ZX_INFO_VMO_V3, 128, ZX_INFO_VMO_V3_SIZE],
    ['ZX_INFO_VMO', ZX_INFO_VMO, 176, ZX_INFO_VMO_SIZE],
  ] as const;

  for (const [name, topic, size, layoutSize] of versions) {
    it(`${name} writes exactly ${size} bytes`, () => {
      const { sys } = newProcess();
      assert.equal(layoutSize, size);
      const h = createVmo(sys, 2 * PAGE);
      const r = getInfo(sys, h, topic, size + 8, filled(size + 8, 0xff));
      expectStatus(r.status, ZX_OK);
      assert.equal(r.actual, 1n);
      assert.equal(r.avail, 1n);
      assert.deepEqual(r.bytes.subarray(size), filled(8, 0xff));
      // Each older record is a prefix of the newest one.
      const newest = getInfo(sys, h, ZX_INFO_VMO, 176).bytes;
      assert.deepEqual(r.bytes.subarray(0, size), newest.subarray(0, size));
    });

    it(`${name} gives BUFFER_TOO_SMALL one byte short, writing actual 0 and avail 1 only`, () => {
      const { sys } = newProcess();
      const r = getInfo(sys, createVmo(sys, PAGE), topic, size - 1);
      expectStatus(r.status, ZX_ERR_BUFFER_TOO_SMALL);
      assert.equal(r.actual, 0n);
      assert.equal(r.avail, 1n);
      assert.deepEqual(r.bytes, filled(size - 1, 0xff));
    });
  }

  it('decodes the same values through every version', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, 3 * PAGE);
    writeVmo(sys, h, 0, filled(PAGE + 1, 1));
    const v1 = decodeZxInfoVmoV1(getInfo(sys, h, ZX_INFO_VMO_V1, 104).bytes);
    const v2 = decodeZxInfoVmoV2(getInfo(sys, h, ZX_INFO_VMO_V2, 120).bytes);
    const v3 = decodeZxInfoVmoV3(getInfo(sys, h, ZX_INFO_VMO_V3, 128).bytes);
    const v4 = decodeZxInfoVmo(getInfo(sys, h, ZX_INFO_VMO, 176).bytes);
    for (const v of [v1, v2, v3, v4]) {
      assert.equal(v.koid, handleBasic(sys, h).koid);
      assert.equal(v.size_bytes, BigInt(3 * PAGE));
      assert.equal(v.committed_bytes, BigInt(2 * PAGE));
      assert.equal(v.flags, ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE);
      assert.equal(v.handle_rights, ZX_DEFAULT_VMO_RIGHTS);
      assert.equal(v.share_count, 1n);
      assert.equal(v.num_mappings, 0n);
    }
    assert.equal(v2.committed_change_events, 0n);
    assert.equal(v3.populated_bytes, BigInt(2 * PAGE));
    assert.equal(v4.committed_private_bytes, BigInt(2 * PAGE));
    assert.equal(v4.populated_private_bytes, BigInt(2 * PAGE));
    assert.equal(v4.committed_scaled_bytes, BigInt(2 * PAGE));
    assert.equal(v4.populated_scaled_bytes, BigInt(2 * PAGE));
    assert.equal(v4.committed_fractional_scaled_bytes, 0n);
    assert.equal(v4.populated_fractional_scaled_bytes, 0n);
  });

  it('accepts a 104-byte buffer for V1 but not for the current topic', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    expectStatus(getInfo(sys, h, ZX_INFO_VMO_V1, 104).status, ZX_OK);
    expectStatus(getInfo(sys, h, ZX_INFO_VMO, 104).status, ZX_ERR_BUFFER_TOO_SMALL);
  });

  it('reports no metadata for a fresh VMO and some once a page is written', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    assert.equal(vmoInfo(sys, h).metadata_bytes, 0n);
    writeVmo(sys, h, 0, filled(1, 1));
    assert.ok(vmoInfo(sys, h).metadata_bytes > 0n);
  });

  it('reports the name and the rights of the handle asked, which needs no rights', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const name = new TextEncoder().encode('scratch');
    expectStatus(sys.zx_object_set_property(h, ZX_PROP_NAME, name, name.length), ZX_OK);
    const rightless = duplicate(sys, h, ZX_RIGHT_NONE);
    const info = vmoInfo(sys, rightless);
    assert.equal(info.name, 'scratch');
    assert.equal(info.handle_rights, ZX_RIGHT_NONE);
    assert.equal(vmoInfo(sys, duplicate(sys, h, ZX_RIGHT_READ)).handle_rights, ZX_RIGHT_READ);
  });

  it('gives WRONG_TYPE for a handle that is not a VMO, even one without rights', () => {
    const { proc, sys } = newProcess();
    for (const h of [proc.job, proc.self, proc.rootVmar, duplicate(sys, proc.job, ZX_RIGHT_NONE)]) {
      for (const topic of [ZX_INFO_VMO_V1, ZX_INFO_VMO]) {
        expectStatus(getInfo(sys, h, topic, 176).status, ZX_ERR_WRONG_TYPE);
      }
    }
  });

  it('checks the type before the buffer size', () => {
    const { proc, sys } = newProcess();
    expectStatus(getInfo(sys, proc.job, ZX_INFO_VMO, 0).status, ZX_ERR_WRONG_TYPE);
  });
});

describe('zx_object_get_info: buffers, actual and avail', () => {
  it('gives BUFFER_TOO_SMALL for a NULL buffer of size 0', () => {
    const { sys } = newProcess();
    const r = getInfo(sys, createVmo(sys, PAGE), ZX_INFO_VMO, 0, null);
    expectStatus(r.status, ZX_ERR_BUFFER_TOO_SMALL);
    assert.equal(r.actual, 0n);
    assert.equal(r.avail, 1n);
  });

  it('gives INVALID_ARGS for a NULL buffer of full size, before writing actual and avail', () => {
    const { sys } = newProcess();
    const r = getInfo(sys, createVmo(sys, PAGE), ZX_INFO_VMO, 176, null);
    expectStatus(r.status, ZX_ERR_INVALID_ARGS);
    assert.equal(r.actual, -1);
    assert.equal(r.avail, -1);
  });

  it('gives INVALID_ARGS for an unmapped buffer address', () => {
    const { sys } = newProcess();
    const r = getInfo(sys, createVmo(sys, PAGE), ZX_INFO_HANDLE_BASIC, 32, 0x20_0000);
    expectStatus(r.status, ZX_ERR_INVALID_ARGS);
  });

  it('gives INVALID_ARGS for unusable actual or avail pointers, and accepts NULL ones', () => {
    const { sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const buffer = new Uint8Array(176);
    expectStatus(sys.zx_object_get_info(h, ZX_INFO_VMO, buffer, 176, 1, null), ZX_ERR_INVALID_ARGS);
    expectStatus(sys.zx_object_get_info(h, ZX_INFO_VMO, buffer, 176, null, 1), ZX_ERR_INVALID_ARGS);
    const frozen = Object.freeze({ value: 0n });
    expectStatus(
      sys.zx_object_get_info(h, ZX_INFO_VMO, buffer, 176, frozen, null),
      ZX_ERR_INVALID_ARGS,
    );
    expectStatus(sys.zx_object_get_info(h, ZX_INFO_VMO, buffer, 176, null, null), ZX_OK);
  });

  it('writes actual and avail through virtual addresses of the caller', () => {
    const { proc, sys } = newProcess();
    const h = createVmo(sys, PAGE);
    const addr = out(0n);
    const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
    expectStatus(sys.zx_vmar_map(proc.rootVmar, rw, 0, h, 0, PAGE, addr), ZX_OK);
    writeVmo(sys, h, 0, filled(16, 0xff));
    const buffer = new Uint8Array(ZX_INFO_HANDLE_BASIC_SIZE);
    expectStatus(
      sys.zx_object_get_info(h, ZX_INFO_HANDLE_BASIC, buffer, 4, addr.value, addr.value + 8n),
      ZX_ERR_BUFFER_TOO_SMALL,
    );
    const words = new DataView(readVmo(sys, h, 0, 16).buffer);
    assert.equal(words.getBigUint64(0, true), 0n);
    assert.equal(words.getBigUint64(8, true), 1n);
  });

  it('gives NOT_FOUND for a host buffer shorter than the size given', () => {
    const { sys } = newProcess();
    const r = getInfo(sys, createVmo(sys, PAGE), ZX_INFO_VMO, 176, new Uint8Array(100));
    expectStatus(r.status, ZX_ERR_NOT_FOUND);
  });
});

describe('zx_object_get_info: ZX_INFO_KMEM_STATS', () => {
  it('reports the simulated memory through the system resource', () => {
    const kernel = newKernel({ memoryBytes: 32 * 1024 * 1024 });
    const { proc, sys } = newProcess(kernel);
    const stats = kmemStats(kernel, proc);
    assert.equal(stats.total_bytes, 32n * 1024n * 1024n);
    assert.ok(stats.free_bytes < stats.total_bytes);
    const h = createVmo(sys, 4 * PAGE);
    writeVmo(sys, h, 0, filled(4 * PAGE, 1));
    const after = kmemStats(kernel, proc);
    assert.equal(after.vmo_bytes - stats.vmo_bytes, BigInt(4 * PAGE));
    assert.equal(stats.free_bytes - after.free_bytes, BigInt(4 * PAGE));
    assert.ok(after.vmo_bytes > 0n);
  });

  it('answers V1 (72 bytes) with free bytes including loaned ones', () => {
    const { kernel, proc, sys } = newProcess();
    const system = systemResource(kernel, proc);
    const r = getInfo(sys, system, ZX_INFO_KMEM_STATS_V1, ZX_INFO_KMEM_STATS_V1_SIZE);
    expectStatus(r.status, ZX_OK);
    assert.equal(ZX_INFO_KMEM_STATS_V1_SIZE, 72);
    assert.equal(ZX_INFO_KMEM_STATS_SIZE, 152);
    const v1 = decodeZxInfoKmemStatsV1(r.bytes);
    const now = kmemStats(kernel, proc);
    assert.equal(v1.total_bytes, now.total_bytes);
    assert.equal(v1.free_bytes, now.free_bytes + now.free_loaned_bytes);
  });

  it('accepts SYSTEM children covering INFO and a rightless duplicate', () => {
    const { kernel, proc, sys } = newProcess();
    const system = systemResource(kernel, proc);
    const info = resource(sys, system, ZX_RSRC_KIND_SYSTEM, 3n, 1n);
    const wide = resource(sys, system, ZX_RSRC_KIND_SYSTEM, 0n, 16n);
    for (const h of [info, wide, duplicate(sys, system, ZX_RIGHT_NONE)]) {
      expectStatus(getInfo(sys, h, ZX_INFO_KMEM_STATS, 152).status, ZX_OK);
    }
  });

  it('gives WRONG_TYPE for a job and for a resource of another kind', () => {
    const { kernel, proc, sys } = newProcess();
    const mmio = resource(sys, systemResource(kernel, proc), ZX_RSRC_KIND_MMIO, 0n, 4096n);
    expectStatus(getInfo(sys, proc.job, ZX_INFO_KMEM_STATS, 152).status, ZX_ERR_WRONG_TYPE);
    expectStatus(getInfo(sys, mmio, ZX_INFO_KMEM_STATS, 152).status, ZX_ERR_WRONG_TYPE);
    expectStatus(
      getInfo(sys, createVmo(sys, PAGE), ZX_INFO_KMEM_STATS_V1, 72).status,
      ZX_ERR_WRONG_TYPE,
    );
  });

  it('gives OUT_OF_RANGE for a SYSTEM child that does not cover INFO', () => {
    const { kernel, proc, sys } = newProcess();
    const vmex = resource(sys, systemResource(kernel, proc), ZX_RSRC_KIND_SYSTEM, 1n, 1n);
    expectStatus(getInfo(sys, vmex, ZX_INFO_KMEM_STATS, 152).status, ZX_ERR_OUT_OF_RANGE);
  });

  it('follows the single-record rules for NULL and short buffers', () => {
    const { kernel, proc, sys } = newProcess();
    const system = systemResource(kernel, proc);
    expectStatus(getInfo(sys, system, ZX_INFO_KMEM_STATS, 152, null).status, ZX_ERR_INVALID_ARGS);
    const r = getInfo(sys, system, ZX_INFO_KMEM_STATS, 0, null);
    expectStatus(r.status, ZX_ERR_BUFFER_TOO_SMALL);
    assert.equal(r.actual, 0n);
    assert.equal(r.avail, 1n);
    const ok = getInfo(sys, system, ZX_INFO_KMEM_STATS, 152);
    expectStatus(ok.status, ZX_OK);
    assert.equal(ok.actual, 1n);
    assert.equal(ok.avail, 1n);
  });
});

describe('zx_object_get_info: ZX_INFO_VMAR', () => {
  it('reports the whole x86-64 user address space for the root VMAR', () => {
    const { sys, proc } = newProcess();
    const r = getInfo(sys, proc.rootVmar, ZX_INFO_VMAR, ZX_INFO_VMAR_SIZE);
    expectStatus(r.status, ZX_OK);
    const vmar = decodeZxInfoVmar(r.bytes);
    assert.equal(vmar.base, 0x20_0000n);
    assert.equal(vmar.len, 0x7fff_ffdf_f000n);
  });

  it('reports the same for the root VMAR handle zx_process_create returns', () => {
    const { kernel, proc, sys } = newProcess();
    const child = spawnProcess(kernel, proc, proc.job);
    const vmar = decodeZxInfoVmar(getInfo(sys, child.vmar, ZX_INFO_VMAR, 16).bytes);
    assert.equal(vmar.base, 0x20_0000n);
    assert.equal(vmar.len, 0x7fff_ffdf_f000n);
  });

  it('gives WRONG_TYPE for jobs, processes and VMOs', () => {
    const { proc, sys } = newProcess();
    for (const h of [proc.job, proc.self, createVmo(sys, PAGE)]) {
      expectStatus(getInfo(sys, h, ZX_INFO_VMAR, 16).status, ZX_ERR_WRONG_TYPE);
    }
  });

  it('needs the INSPECT right, checked after the type', () => {
    const { proc, sys } = newProcess();
    const noInspect = duplicate(sys, proc.rootVmar, ZX_RIGHT_NONE);
    expectStatus(getInfo(sys, noInspect, ZX_INFO_VMAR, 16).status, ZX_ERR_ACCESS_DENIED);
    const inspect = duplicate(sys, proc.rootVmar, ZX_RIGHT_INSPECT);
    expectStatus(getInfo(sys, inspect, ZX_INFO_VMAR, 16).status, ZX_OK);
    const rightlessJob = duplicate(sys, proc.job, ZX_RIGHT_NONE);
    expectStatus(getInfo(sys, rightlessJob, ZX_INFO_VMAR, 16).status, ZX_ERR_WRONG_TYPE);
  });

  it('gives BUFFER_TOO_SMALL below 16 bytes', () => {
    const { proc, sys } = newProcess();
    const r = getInfo(sys, proc.rootVmar, ZX_INFO_VMAR, 15);
    expectStatus(r.status, ZX_ERR_BUFFER_TOO_SMALL);
    assert.equal(r.actual, 0n);
    assert.equal(r.avail, 1n);
  });
});

describe('zx_object_get_info: ZX_INFO_VMAR_MAPS (records in info-process.test.ts)', () => {
  it('gives BAD_STATE for a destroyed VMAR, after its type and INSPECT right, writing nothing', () => {
    const { proc, sys } = newProcess();
    const sub = out(0);
    const addr = out(0n);
    expectStatus(
      sys.zx_vmar_allocate(proc.rootVmar, ZX_VM_CAN_MAP_READ, 0, 4 * PAGE, sub, addr),
      ZX_OK,
    );
    const blind = duplicate(sys, sub.value, ZX_RIGHT_READ);
    expectStatus(sys.zx_vmar_destroy(sub.value), ZX_OK);
    const dead = getInfo(sys, sub.value, ZX_INFO_VMAR_MAPS, 4096);
    expectStatus(dead.status, ZX_ERR_BAD_STATE);
    assert.equal(dead.actual, -1);
    assert.equal(dead.avail, -1);
    expectStatus(getInfo(sys, blind, ZX_INFO_VMAR_MAPS, 4096).status, ZX_ERR_ACCESS_DENIED);
    expectStatus(getInfo(sys, proc.job, ZX_INFO_VMAR_MAPS, 4096).status, ZX_ERR_WRONG_TYPE);
  });
});
