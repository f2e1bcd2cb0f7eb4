// Checks the struct layouts in src/abi/structs.ts against sizes and offsets worked out by hand
// from the declarations in zircon/system/public/zircon/syscalls/object.h, types.h, policy.h and
// syscalls-next.h (LP64, natural alignment, every padding field spelled out in the header), and
// round-trips values through the encoders and decoders.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ZX_MAX_NAME_LEN } from '../../src/abi/constants.ts';
import {
  decodeZxInfoHandleBasic,
  decodeZxInfoHandleCount,
  decodeZxInfoKmemStats,
  decodeZxInfoKmemStatsV1,
  decodeZxInfoMaps,
  decodeZxInfoVmar,
  decodeZxInfoVmo,
  decodeZxInfoVmoV1,
  decodeZxInfoVmoV2,
  decodeZxInfoVmoV3,
  decodeZxPagerVmoStats,
  decodeZxPolicyBasic,
  decodeZxPolicyBasicV2,
  decodeZxVmoDirtyRange,
  decodeZxVmoLockState,
  encodeZxInfoHandleBasic,
  encodeZxInfoHandleCount,
  encodeZxInfoKmemStats,
  encodeZxInfoKmemStatsV1,
  encodeZxInfoMaps,
  encodeZxInfoVmar,
  encodeZxInfoVmo,
  encodeZxInfoVmoV1,
  encodeZxInfoVmoV2,
  encodeZxInfoVmoV3,
  encodeZxPagerVmoStats,
  encodeZxPolicyBasic,
  encodeZxPolicyBasicV2,
  encodeZxVmoDirtyRange,
  encodeZxVmoLockState,
  STRUCT_LAYOUTS,
  ZX_CHANNEL_CALL_ARGS_SIZE,
  ZX_CHANNEL_IOVEC_SIZE,
  ZX_CPU_SET_SIZE,
  ZX_INFO_HANDLE_BASIC_SIZE,
  ZX_INFO_HANDLE_COUNT_SIZE,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_KMEM_STATS_V1_SIZE,
  ZX_INFO_MAPS_MAPPING_SIZE,
  ZX_INFO_MAPS_SIZE,
  ZX_INFO_THREAD_SIZE,
  ZX_INFO_VMAR_SIZE,
  ZX_INFO_VMO_SIZE,
  ZX_INFO_VMO_V1_SIZE,
  ZX_INFO_VMO_V2_SIZE,
  ZX_INFO_VMO_V3_SIZE,
  ZX_PACKET_PAGE_REQUEST_SIZE,
  ZX_PACKET_SIGNAL_SIZE,
  ZX_PACKET_USER_SIZE,
  ZX_PAGER_VMO_STATS_SIZE,
  ZX_POLICY_BASIC_SIZE,
  ZX_POLICY_BASIC_V1_SIZE,
  ZX_POLICY_BASIC_V2_SIZE,
  ZX_PORT_PACKET_SIZE,
  ZX_VMO_DIRTY_RANGE_SIZE,
  ZX_VMO_LOCK_STATE_SIZE,
  type ZxInfoKmemStats,
  type ZxInfoMaps,
  type ZxInfoVmo,
} from '../../src/abi/structs.ts';
import { defineStruct } from '../../src/abi/structs-layout.ts';

// [field, offset, width]
type FieldRow = readonly [string, number, number];

const VMO_V1_ROWS: readonly FieldRow[] = [
  ['koid', 0, 8],
  ['name', 8, 32],
  ['size_bytes', 40, 8],
  ['parent_koid', 48, 8],
  ['num_children', 56, 8],
  ['num_mappings', 64, 8],
  ['share_count', 72, 8],
  ['flags', 80, 4],
  ['padding1', 84, 4],
  ['committed_bytes', 88, 8],
  ['handle_rights', 96, 4],
  ['cache_policy', 100, 4],
];
const VMO_V2_ROWS: readonly FieldRow[] = [
  ...VMO_V1_ROWS,
  ['metadata_bytes', 104, 8],
  ['committed_change_events', 112, 8],
];
const VMO_V3_ROWS: readonly FieldRow[] = [...VMO_V2_ROWS, ['populated_bytes', 120, 8]];
const VMO_ROWS: readonly FieldRow[] = [
  ...VMO_V3_ROWS,
  ['committed_private_bytes', 128, 8],
  ['populated_private_bytes', 136, 8],
  ['committed_scaled_bytes', 144, 8],
  ['populated_scaled_bytes', 152, 8],
  ['committed_fractional_scaled_bytes', 160, 8],
  ['populated_fractional_scaled_bytes', 168, 8],
];

const KMEM_ROWS: readonly FieldRow[] = [
  ['total_bytes', 0, 8],
  ['free_bytes', 8, 8],
  ['free_loaned_bytes', 16, 8],
  ['wired_bytes', 24, 8],
  ['total_heap_bytes', 32, 8],
  ['free_heap_bytes', 40, 8],
  ['vmo_bytes', 48, 8],
  ['mmu_overhead_bytes', 56, 8],
  ['ipc_bytes', 64, 8],
  ['cache_bytes', 72, 8],
  ['slab_bytes', 80, 8],
  ['zram_bytes', 88, 8],
  ['other_bytes', 96, 8],
  ['vmo_reclaim_total_bytes', 104, 8],
  ['vmo_reclaim_newest_bytes', 112, 8],
  ['vmo_reclaim_oldest_bytes', 120, 8],
  ['vmo_reclaim_disabled_bytes', 128, 8],
  ['vmo_discardable_locked_bytes', 136, 8],
  ['vmo_discardable_unlocked_bytes', 144, 8],
];

const EXPECTED: Readonly<Record<string, { size: number; fields: readonly FieldRow[] }>> = {
  zx_info_vmo_v1_t: { size: 104, fields: VMO_V1_ROWS },
  zx_info_vmo_v2_t: { size: 120, fields: VMO_V2_ROWS },
  zx_info_vmo_v3_t: { size: 128, fields: VMO_V3_ROWS },
  zx_info_vmo_t: { size: 176, fields: VMO_ROWS },
  zx_vmo_lock_state_t: {
    size: 32,
    fields: [
      ['offset', 0, 8],
      ['size', 8, 8],
      ['discarded_offset', 16, 8],
      ['discarded_size', 24, 8],
    ],
  },
  zx_pager_vmo_stats_t: { size: 4, fields: [['modified', 0, 4]] },
  zx_vmo_dirty_range_t: {
    size: 24,
    fields: [
      ['offset', 0, 8],
      ['length', 8, 8],
      ['options', 16, 8],
    ],
  },
  zx_info_handle_basic_t: {
    size: 32,
    fields: [
      ['koid', 0, 8],
      ['rights', 8, 4],
      ['type', 12, 4],
      ['related_koid', 16, 8],
      ['reserved', 24, 4],
      ['padding1', 28, 4],
    ],
  },
  zx_info_handle_count_t: { size: 4, fields: [['handle_count', 0, 4]] },
  zx_info_kmem_stats_t: { size: 152, fields: KMEM_ROWS },
  zx_info_kmem_stats_v1_t: {
    size: 72,
    fields: [
      ['total_bytes', 0, 8],
      ['free_bytes', 8, 8],
      ['wired_bytes', 16, 8],
      ['total_heap_bytes', 24, 8],
      ['free_heap_bytes', 32, 8],
      ['vmo_bytes', 40, 8],
      ['mmu_overhead_bytes', 48, 8],
      ['ipc_bytes', 56, 8],
      ['other_bytes', 64, 8],
    ],
  },
  zx_info_vmar_t: {
    size: 16,
    fields: [
      ['base', 0, 8],
      ['len', 8, 8],
    ],
  },
  zx_info_maps_mapping_t: {
    size: 88,
    fields: [
      ['mmu_flags', 0, 4],
      ['padding1', 4, 4],
      ['vmo_koid', 8, 8],
      ['vmo_offset', 16, 8],
      ['committed_bytes', 24, 8],
      ['populated_bytes', 32, 8],
      ['committed_private_bytes', 40, 8],
      ['populated_private_bytes', 48, 8],
      ['committed_scaled_bytes', 56, 8],
      ['populated_scaled_bytes', 64, 8],
      ['committed_fractional_scaled_bytes', 72, 8],
      ['populated_fractional_scaled_bytes', 80, 8],
    ],
  },
  zx_info_maps_t: {
    size: 152,
    fields: [
      ['name', 0, 32],
      ['base', 32, 8],
      ['size', 40, 8],
      ['depth', 48, 8],
      ['type', 56, 4],
      ['padding1', 60, 4],
      ['u', 64, 88],
    ],
  },
  zx_policy_basic_t: {
    size: 8,
    fields: [
      ['condition', 0, 4],
      ['policy', 4, 4],
    ],
  },
  zx_policy_basic_v1_t: {
    size: 8,
    fields: [
      ['condition', 0, 4],
      ['policy', 4, 4],
    ],
  },
  zx_policy_basic_v2_t: {
    size: 12,
    fields: [
      ['condition', 0, 4],
      ['action', 4, 4],
      ['flags', 8, 4],
    ],
  },
  // syscalls/port.h: the packet and the members of its 32-byte union
  zx_port_packet_t: {
    size: 48,
    fields: [
      ['key', 0, 8],
      ['type', 8, 4],
      ['status', 12, 4],
      ['user', 16, 32],
    ],
  },
  zx_packet_user_t: {
    size: 32,
    fields: [
      ['u64_0', 0, 8],
      ['u64_1', 8, 8],
      ['u64_2', 16, 8],
      ['u64_3', 24, 8],
    ],
  },
  zx_packet_signal_t: {
    size: 32,
    fields: [
      ['trigger', 0, 4],
      ['observed', 4, 4],
      ['count', 8, 8],
      ['timestamp', 16, 8],
      ['reserved1', 24, 8],
    ],
  },
  zx_packet_page_request_t: {
    size: 32,
    fields: [
      ['command', 0, 2],
      ['flags', 2, 2],
      ['reserved0', 4, 4],
      ['offset', 8, 8],
      ['length', 16, 8],
      ['reserved1', 24, 8],
    ],
  },
  // syscalls/object.h
  zx_info_thread_t: {
    size: 72,
    fields: [
      ['state', 0, 4],
      ['wait_exception_channel_type', 4, 4],
      ['cpu_affinity_mask', 8, 64],
    ],
  },
  zx_cpu_set_t: {
    size: 64,
    fields: Array.from({ length: 8 }, (_, i): FieldRow => [`mask_${i}`, i * 8, 8]),
  },
  // types.h
  zx_channel_call_args_t: {
    size: 48,
    fields: [
      ['wr_bytes', 0, 8],
      ['wr_handles', 8, 8],
      ['rd_bytes', 16, 8],
      ['rd_handles', 24, 8],
      ['wr_num_bytes', 32, 4],
      ['wr_num_handles', 36, 4],
      ['rd_num_bytes', 40, 4],
      ['rd_num_handles', 44, 4],
    ],
  },
  zx_channel_iovec_t: {
    size: 16,
    fields: [
      ['buffer', 0, 8],
      ['capacity', 8, 4],
      ['reserved', 12, 4],
    ],
  },
};

describe('struct layouts match the headers', () => {
  it('STRUCT_LAYOUTS lists exactly the expected structs', () => {
    assert.deepEqual(Object.keys(STRUCT_LAYOUTS).sort(), Object.keys(EXPECTED).sort());
  });

  for (const [name, want] of Object.entries(EXPECTED)) {
    it(`${name}: size ${want.size} and every field offset`, () => {
      const layout = STRUCT_LAYOUTS[name];
      assert.ok(layout, name);
      assert.equal(layout.size, want.size);
      assert.deepEqual(
        layout.fields.map((f) => [f.name, f.offset, f.size]),
        want.fields.map((r) => [...r]),
      );
    });
  }

  it('exported *_SIZE constants agree', () => {
    const sizes: Record<string, number> = {
      zx_info_vmo_v1_t: ZX_INFO_VMO_V1_SIZE,
      zx_info_vmo_v2_t: ZX_INFO_VMO_V2_SIZE,
      zx_info_vmo_v3_t: ZX_INFO_VMO_V3_SIZE,
      zx_info_vmo_t: ZX_INFO_VMO_SIZE,
      zx_vmo_lock_state_t: ZX_VMO_LOCK_STATE_SIZE,
      zx_pager_vmo_stats_t: ZX_PAGER_VMO_STATS_SIZE,
      zx_vmo_dirty_range_t: ZX_VMO_DIRTY_RANGE_SIZE,
      zx_info_handle_basic_t: ZX_INFO_HANDLE_BASIC_SIZE,
      zx_info_handle_count_t: ZX_INFO_HANDLE_COUNT_SIZE,
      zx_info_kmem_stats_t: ZX_INFO_KMEM_STATS_SIZE,
      zx_info_kmem_stats_v1_t: ZX_INFO_KMEM_STATS_V1_SIZE,
      zx_info_vmar_t: ZX_INFO_VMAR_SIZE,
      zx_info_maps_mapping_t: ZX_INFO_MAPS_MAPPING_SIZE,
      zx_info_maps_t: ZX_INFO_MAPS_SIZE,
      zx_policy_basic_t: ZX_POLICY_BASIC_SIZE,
      zx_policy_basic_v1_t: ZX_POLICY_BASIC_V1_SIZE,
      zx_policy_basic_v2_t: ZX_POLICY_BASIC_V2_SIZE,
      zx_port_packet_t: ZX_PORT_PACKET_SIZE,
      zx_packet_user_t: ZX_PACKET_USER_SIZE,
      zx_packet_signal_t: ZX_PACKET_SIGNAL_SIZE,
      zx_packet_page_request_t: ZX_PACKET_PAGE_REQUEST_SIZE,
      zx_info_thread_t: ZX_INFO_THREAD_SIZE,
      zx_cpu_set_t: ZX_CPU_SET_SIZE,
      zx_channel_call_args_t: ZX_CHANNEL_CALL_ARGS_SIZE,
      zx_channel_iovec_t: ZX_CHANNEL_IOVEC_SIZE,
    };
    for (const [name, want] of Object.entries(EXPECTED)) assert.equal(sizes[name], want.size, name);
  });

  it('older zx_info_vmo versions are prefixes of the newer ones', () => {
    const chain = ['zx_info_vmo_v1_t', 'zx_info_vmo_v2_t', 'zx_info_vmo_v3_t', 'zx_info_vmo_t'];
    for (let i = 1; i < chain.length; i++) {
      const older = STRUCT_LAYOUTS[chain[i - 1] as string]!.fields;
      const newer = STRUCT_LAYOUTS[chain[i] as string]!.fields;
      assert.deepEqual(newer.slice(0, older.length), older);
    }
  });

  it('a field list needing implicit padding is rejected', () => {
    assert.throws(
      () =>
        defineStruct('bad_t', [
          ['a', 'u32'],
          ['b', 'u64'],
        ]),
      /padding/,
    );
    assert.throws(
      () =>
        defineStruct('bad_tail_t', [
          ['a', 'u64'],
          ['b', 'u32'],
        ]),
      /tail/,
    );
  });
});

// Distinct, non-trivial values so that a field written at the wrong offset shows up.
function sampleVmo(): ZxInfoVmo {
  return {
    koid: 0x0102030405060708n,
    name: 'vmo-under-test',
    size_bytes: 0x10000n,
    parent_koid: 0x1111n,
    num_children: 2n,
    num_mappings: 3n,
    share_count: 4n,
    flags: 0x8000_0121,
    committed_bytes: 0x2000n,
    handle_rights: 0xd0ef,
    cache_policy: 3,
    metadata_bytes: 0x333n,
    committed_change_events: 7n,
    populated_bytes: 0x3000n,
    committed_private_bytes: 0x1000n,
    populated_private_bytes: 0x1800n,
    committed_scaled_bytes: 0x1555n,
    populated_scaled_bytes: 0x1aaan,
    committed_fractional_scaled_bytes: 0x8000_0000_0000_0000n,
    populated_fractional_scaled_bytes: 0xffff_ffff_ffff_ffffn,
  };
}

function sampleKmem(): ZxInfoKmemStats {
  const out: Record<string, bigint> = {};
  KMEM_ROWS.forEach(([name], i) => {
    out[name] = BigInt(i + 1) * 0x0101_0101_0101n;
  });
  return out as ZxInfoKmemStats;
}

function sampleMaps(): ZxInfoMaps {
  return {
    name: 'data',
    base: 0x2000_0000_0000n,
    size: 0x4000n,
    depth: 3n,
    type: 3,
    u: {
      mapping: {
        mmu_flags: 0x3,
        vmo_koid: 0x4242n,
        vmo_offset: 0x1000n,
        committed_bytes: 0x2000n,
        populated_bytes: 0x3000n,
        committed_private_bytes: 0x1000n,
        populated_private_bytes: 0x1000n,
        committed_scaled_bytes: 0x1800n,
        populated_scaled_bytes: 0x2000n,
        committed_fractional_scaled_bytes: 1n,
        populated_fractional_scaled_bytes: 2n,
      },
    },
  };
}

function roundTrip<T>(
  size: number,
  encode: (view: DataView, offset: number, value: T) => void,
  decode: (bytes: Uint8Array) => T,
  value: T,
): Uint8Array {
  // Encode at a non-zero offset inside a larger, dirty buffer.
  const buf = new Uint8Array(size + 24).fill(0xee);
  encode(new DataView(buf.buffer), 16, value);
  assert.deepEqual(buf.subarray(0, 16), new Uint8Array(16).fill(0xee), 'bytes before touched');
  assert.deepEqual(buf.subarray(16 + size), new Uint8Array(8).fill(0xee), 'bytes after touched');
  const bytes = buf.subarray(16, 16 + size);
  assert.deepEqual(decode(bytes), value);
  return bytes;
}

describe('encode / decode round trips', () => {
  it('zx_info_vmo_t, all versions', () => {
    const v = sampleVmo();
    roundTrip(ZX_INFO_VMO_SIZE, encodeZxInfoVmo, decodeZxInfoVmo, v);
    const { metadata_bytes, committed_change_events, populated_bytes } = v;
    const v1 = {
      koid: v.koid,
      name: v.name,
      size_bytes: v.size_bytes,
      parent_koid: v.parent_koid,
      num_children: v.num_children,
      num_mappings: v.num_mappings,
      share_count: v.share_count,
      flags: v.flags,
      committed_bytes: v.committed_bytes,
      handle_rights: v.handle_rights,
      cache_policy: v.cache_policy,
    };
    roundTrip(ZX_INFO_VMO_V1_SIZE, encodeZxInfoVmoV1, decodeZxInfoVmoV1, v1);
    const v2 = { ...v1, metadata_bytes, committed_change_events };
    roundTrip(ZX_INFO_VMO_V2_SIZE, encodeZxInfoVmoV2, decodeZxInfoVmoV2, v2);
    const v3 = { ...v2, populated_bytes };
    roundTrip(ZX_INFO_VMO_V3_SIZE, encodeZxInfoVmoV3, decodeZxInfoVmoV3, v3);

    // A current record truncated to an older size decodes as that older version.
    const full = new Uint8Array(ZX_INFO_VMO_SIZE);
    encodeZxInfoVmo(new DataView(full.buffer), 0, v);
    assert.deepEqual(decodeZxInfoVmoV1(full.subarray(0, ZX_INFO_VMO_V1_SIZE)), v1);
    assert.deepEqual(decodeZxInfoVmoV2(full.subarray(0, ZX_INFO_VMO_V2_SIZE)), v2);
    assert.deepEqual(decodeZxInfoVmoV3(full.subarray(0, ZX_INFO_VMO_V3_SIZE)), v3);
  });

  it('zx_info_vmo_t bytes are little-endian at the header offsets, padding zeroed', () => {
    const buf = new Uint8Array(ZX_INFO_VMO_SIZE).fill(0xff);
    encodeZxInfoVmo(new DataView(buf.buffer), 0, sampleVmo());
    assert.deepEqual([...buf.subarray(0, 8)], [8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(new TextDecoder().decode(buf.subarray(8, 8 + 14)), 'vmo-under-test');
    assert.deepEqual([...buf.subarray(8 + 14, 40)], new Array(32 - 14).fill(0));
    assert.deepEqual([...buf.subarray(80, 84)], [0x21, 0x01, 0x00, 0x80]);
    assert.deepEqual([...buf.subarray(84, 88)], [0, 0, 0, 0]);
    assert.deepEqual([...buf.subarray(96, 100)], [0xef, 0xd0, 0, 0]);
    assert.deepEqual([...buf.subarray(160, 168)], [0, 0, 0, 0, 0, 0, 0, 0x80]);
  });

  it('zx_info_handle_basic_t', () => {
    const bytes = roundTrip(
      ZX_INFO_HANDLE_BASIC_SIZE,
      encodeZxInfoHandleBasic,
      decodeZxInfoHandleBasic,
      {
        koid: 1025n,
        rights: 0x80000000,
        type: 3,
        related_koid: 0xffff_ffff_ffff_ffffn,
        reserved: 0,
      },
    );
    assert.deepEqual([...bytes.subarray(8, 16)], [0, 0, 0, 0x80, 3, 0, 0, 0]);
    assert.deepEqual([...bytes.subarray(28, 32)], [0, 0, 0, 0]);
  });

  it('zx_info_handle_count_t', () => {
    roundTrip(ZX_INFO_HANDLE_COUNT_SIZE, encodeZxInfoHandleCount, decodeZxInfoHandleCount, {
      handle_count: 0xffffffff,
    });
  });

  it('zx_info_kmem_stats_t and v1', () => {
    roundTrip(ZX_INFO_KMEM_STATS_SIZE, encodeZxInfoKmemStats, decodeZxInfoKmemStats, sampleKmem());
    roundTrip(ZX_INFO_KMEM_STATS_V1_SIZE, encodeZxInfoKmemStatsV1, decodeZxInfoKmemStatsV1, {
      total_bytes: 1n << 33n,
      free_bytes: 2n,
      wired_bytes: 3n,
      total_heap_bytes: 4n,
      free_heap_bytes: 5n,
      vmo_bytes: 6n,
      mmu_overhead_bytes: 7n,
      ipc_bytes: 8n,
      other_bytes: 9n,
    });
  });

  it('zx_info_vmar_t', () => {
    roundTrip(ZX_INFO_VMAR_SIZE, encodeZxInfoVmar, decodeZxInfoVmar, {
      base: 0x0000_7fff_0000_0000n,
      len: 0x0000_0001_0000_0000n,
    });
  });

  it('zx_info_maps_t', () => {
    const bytes = roundTrip(ZX_INFO_MAPS_SIZE, encodeZxInfoMaps, decodeZxInfoMaps, sampleMaps());
    // mapping.vmo_koid sits at 64 (union) + 8.
    assert.equal(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(72, true), 0x4242n);
  });

  it('zx_vmo_lock_state_t, zx_pager_vmo_stats_t, zx_vmo_dirty_range_t', () => {
    roundTrip(ZX_VMO_LOCK_STATE_SIZE, encodeZxVmoLockState, decodeZxVmoLockState, {
      offset: 0x1000n,
      size: 0x4000n,
      discarded_offset: 0x2000n,
      discarded_size: 0x1000n,
    });
    roundTrip(ZX_PAGER_VMO_STATS_SIZE, encodeZxPagerVmoStats, decodeZxPagerVmoStats, {
      modified: 1,
    });
    roundTrip(ZX_VMO_DIRTY_RANGE_SIZE, encodeZxVmoDirtyRange, decodeZxVmoDirtyRange, {
      offset: 0n,
      length: 0x8000n,
      options: 1n,
    });
  });

  it('zx_policy_basic_t and zx_policy_basic_v2_t', () => {
    roundTrip(ZX_POLICY_BASIC_SIZE, encodeZxPolicyBasic, decodeZxPolicyBasic, {
      condition: 4,
      policy: 1,
    });
    roundTrip(ZX_POLICY_BASIC_V2_SIZE, encodeZxPolicyBasicV2, decodeZxPolicyBasicV2, {
      condition: 15,
      action: 4,
      flags: 1,
    });
  });
});

describe('names', () => {
  const encodeName = (name: string): Uint8Array => {
    const buf = new Uint8Array(ZX_INFO_VMO_SIZE);
    encodeZxInfoVmo(new DataView(buf.buffer), 0, { ...sampleVmo(), name });
    return buf;
  };

  it('an empty name encodes as all NULs', () => {
    const buf = encodeName('');
    assert.deepEqual([...buf.subarray(8, 40)], new Array(32).fill(0));
    assert.equal(decodeZxInfoVmo(buf).name, '');
  });

  it('a name of exactly ZX_MAX_NAME_LEN - 1 bytes keeps its terminator', () => {
    const name = 'x'.repeat(ZX_MAX_NAME_LEN - 1);
    const buf = encodeName(name);
    assert.equal(buf[8 + 31], 0);
    assert.equal(decodeZxInfoVmo(buf).name, name);
  });

  it('a longer name is cut to ZX_MAX_NAME_LEN - 1 bytes', () => {
    const buf = encodeName('y'.repeat(100));
    assert.equal(decodeZxInfoVmo(buf).name, 'y'.repeat(31));
    assert.equal(buf[8 + 31], 0);
  });

  it('cutting never splits a UTF-8 character', () => {
    // 30 ASCII bytes, then a 3-byte character that would straddle the 31-byte limit.
    const name = `${'a'.repeat(30)}\u20ac`;
    assert.equal(decodeZxInfoVmo(encodeName(name)).name, 'a'.repeat(30));
    const fits = `${'a'.repeat(28)}\u20ac`;
    assert.equal(decodeZxInfoVmo(encodeName(fits)).name, fits);
  });

  it('a decoded name stops at the first NUL even without a terminator at the end', () => {
    const buf = new Uint8Array(ZX_INFO_VMO_SIZE);
    buf.fill(0x41, 8, 40); // 32 'A's and no NUL at all
    assert.equal(decodeZxInfoVmo(buf).name, 'A'.repeat(32));
    buf[8 + 5] = 0;
    assert.equal(decodeZxInfoVmo(buf).name, 'AAAAA');
  });
});

describe('errors', () => {
  const view = () => new DataView(new ArrayBuffer(256));

  it('out-of-range and wrongly typed integers are rejected', () => {
    const bad: Array<[Partial<ZxInfoVmo>, ErrorConstructor]> = [
      [{ flags: -1 }, RangeError],
      [{ flags: 2 ** 32 }, RangeError],
      [{ flags: 1.5 }, RangeError],
      [{ koid: -1n }, RangeError],
      [{ koid: 1n << 64n }, RangeError],
      [{ koid: 5 as unknown as bigint }, TypeError],
      [{ flags: 5n as unknown as number }, TypeError],
      [{ name: 5 as unknown as string }, TypeError],
      [{ koid: undefined as unknown as bigint }, TypeError],
      [{ name: undefined as unknown as string }, TypeError],
    ];
    for (const [patch, ctor] of bad) {
      assert.throws(() => encodeZxInfoVmo(view(), 0, { ...sampleVmo(), ...patch }), ctor);
    }
  });

  it('a nested struct must be an object', () => {
    const maps = { ...sampleMaps(), u: null as unknown as ZxInfoMaps['u'] };
    assert.throws(() => encodeZxInfoMaps(view(), 0, maps), TypeError);
  });

  it('a failed encode leaves the destination untouched', () => {
    const buf = new Uint8Array(ZX_INFO_VMO_SIZE).fill(0x5a);
    const v = { ...sampleVmo(), populated_fractional_scaled_bytes: -1n };
    assert.throws(() => encodeZxInfoVmo(new DataView(buf.buffer), 0, v), RangeError);
    assert.deepEqual(buf, new Uint8Array(ZX_INFO_VMO_SIZE).fill(0x5a));
  });

  it('buffers that are too small are rejected', () => {
    const small = new DataView(new ArrayBuffer(ZX_INFO_VMO_SIZE - 1));
    assert.throws(() => encodeZxInfoVmo(small, 0, sampleVmo()), RangeError);
    const exact = new DataView(new ArrayBuffer(ZX_INFO_VMO_SIZE));
    assert.throws(() => encodeZxInfoVmo(exact, 1, sampleVmo()), RangeError);
    assert.throws(() => encodeZxInfoVmo(exact, -1, sampleVmo()), RangeError);
    assert.throws(() => decodeZxInfoVmo(new Uint8Array(ZX_INFO_VMO_SIZE - 1)), RangeError);
    assert.throws(() => decodeZxInfoVmoV1(new Uint8Array(ZX_INFO_VMO_V1_SIZE - 1)), RangeError);
  });

  it('decoding accepts a longer buffer and reads only the struct', () => {
    const buf = new Uint8Array(ZX_INFO_VMAR_SIZE + 8).fill(0xff);
    encodeZxInfoVmar(new DataView(buf.buffer), 0, { base: 1n, len: 2n });
    assert.deepEqual(decodeZxInfoVmar(buf), { base: 1n, len: 2n });
  });
});
