// Every error comes with a reason, and every status is in the table. A deterministic sweep calls
// every syscall of the table (src/abi/syscalls/) many times with arguments C could pass, sane
// and broken (handles to every kind of object, closed and made-up handles, every constant and
// mixes of them as flags, sizes at page edges and 64-bit limits, NULL, short and
// virtual-address buffers, unwritable out-parameters), in worlds where the handle arena or
// memory may be full, with the process explaining its errors. It fails when a call
// returns an error without a reason, or a status that its table entry does not list, or when
// a reason is only the table's fallback (its causes for the status), where a check should say why.
// ZXVM_SWEEP_STATS=1 prints how often each syscall returned each status.

import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';

import * as constants from '../../src/abi/constants.ts';
import {
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_INFO_VMO,
  ZX_IOMMU_TYPE_STUB,
  ZX_OK,
  ZX_PROP_NAME,
  ZX_RIGHT_SAME_RIGHTS,
  ZX_RSRC_KIND_MMIO,
  ZX_STATUS_NAMES,
  ZX_USER_SIGNAL_0,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VM_SPECIFIC,
  ZX_VMAR_OP_COMMIT,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
} from '../../src/abi/constants.ts';
import type { FlagDomain, ParamSpec, SyscallSpec } from '../../src/abi/syscall-spec.ts';
import { SYSCALLS } from '../../src/abi/syscalls/index.ts';
import { processCallStatus } from '../../src/object/process-dispatcher.ts';
import { generator, randomU64 } from './garbage.ts';
import { CAN_MAP, newWorld, PAGE, UNMAPPED, type Variant, type World } from './sweep-world.ts';

const SEED = Number(process.env.ZXVM_SWEEP_SEED ?? 0x7ea5_0e5);
/** Calls per syscall: first one parameter broken at a time, then any mix. */
const CALLS = Number(process.env.ZXVM_SWEEP_CALLS ?? 800);
/** Calls that share one world before a fresh one is made. */
const BATCH = 80;
/** The variant of each batch's world, in turn. */
const VARIANTS: readonly Variant[] = ['plain', 'tight', 'plain', 'starved', 'denied'];
/** The size of sane buffers: any record zxvm copies out fits. */
const SANE_BUFFER = 512;

/** Every numeric constant zxvm exports, by name: flags, ops, topics, rights, kinds... */
const NAMED = (Object.entries(constants) as [string, unknown][]).filter(
  (e): e is [string, number] =>
    typeof e[1] === 'number' && Number.isInteger(e[1]) && e[1] >= 0 && e[1] < 2 ** 32,
);
const CONSTANTS: readonly number[] = [...new Set(NAMED.map(([, v]) => v))];

/** The constants a flag domain's parameter takes, by name prefix. */
const DOMAIN_PREFIX: Partial<Record<FlagDomain, string>> = {
  rights: 'ZX_RIGHT_',
  signals: 'ZX_USER_SIGNAL_',
  vmo_options: 'ZX_VMO_',
  vmo_child_options: 'ZX_VMO_CHILD_',
  vmo_op: 'ZX_VMO_OP_',
  vmar_op: 'ZX_VMAR_OP_',
  vm_options: 'ZX_VM_',
  cache_policy: 'ZX_CACHE_POLICY_',
  info_topic: 'ZX_INFO_',
  property: 'ZX_PROP_',
  policy_option: 'ZX_JOB_POL_',
  policy_topic: 'ZX_JOB_POL_',
  process_options: 'ZX_PROCESS_',
  rsrc_options: 'ZX_RSRC_',
  bti_perm: 'ZX_BTI_',
};

function domainValues(domain: FlagDomain | null): readonly number[] {
  const prefix = domain === null ? undefined : DOMAIN_PREFIX[domain];
  if (prefix === undefined) return CONSTANTS;
  return NAMED.filter(([name]) => name.startsWith(prefix)).map(([, v]) => v);
}

const U64S: readonly (number | bigint)[] = [
  0,
  1,
  5,
  8,
  31,
  32,
  4095,
  PAGE,
  PAGE + 1,
  2 * PAGE,
  3 * PAGE + 5,
  64 * PAGE,
  2 ** 32,
  2 ** 40,
  2 ** 53 - 1,
  2n ** 63n,
  2n ** 64n - 1n,
  2n ** 64n - 4096n,
  0xffff_ffff_fffe_0000n,
];

function pick<T>(rand: () => number, values: readonly T[]): T {
  return values[Math.floor(rand() * values.length)]!;
}

/** A value C could pass for `param`, sane or not. */
function anyValue(param: ParamSpec, world: World, rand: () => number): unknown {
  switch (param.kind) {
    case 'handle':
      return pick(rand, world.handles);
    case 'u32': {
      const own = domainValues(param.flags);
      const r = rand();
      if (r < 0.4) return pick(rand, own);
      if (r < 0.6) return (pick(rand, own) | pick(rand, own)) >>> 0;
      if (r < 0.75) return pick(rand, CONSTANTS);
      if (r < 0.9) return pick(rand, [0, 1, 2, 3, 0x8000_0000, 0xffff_ffff]);
      return Math.floor(rand() * 2 ** 32);
    }
    case 'u64':
      if (rand() < 0.1) return randomU64(rand);
      // Addresses near the sub-VMAR's base reach past its checks of alignment and range.
      return rand() < 0.2
        ? world.vmarBase + BigInt(pick(rand, [0, 1, PAGE, 63 * PAGE]))
        : pick(rand, U64S);
    case 'time':
      return pick(rand, [
        0n,
        -1n,
        1000n,
        constants.ZX_TIME_INFINITE,
        constants.ZX_TIME_INFINITE_PAST,
      ]);
    case 'buffer_in':
    case 'buffer_out':
    case 'struct_in':
    case 'struct_out':
      return pick<unknown>(rand, [
        null,
        new Uint8Array(0),
        new Uint8Array(1),
        new Uint8Array(8),
        new Uint8Array(16),
        new Uint8Array(31),
        new Uint8Array(32),
        new Uint8Array(200),
        new Uint8Array(PAGE),
        world.rw,
        world.ro,
        UNMAPPED,
      ]);
    case 'out_handle':
    case 'out_u32':
    case 'out_u64':
      return pick<unknown>(rand, [
        { value: 0 },
        null,
        Object.freeze({ value: 0 }),
        world.rw + 64n,
        world.ro,
        UNMAPPED,
      ]);
  }
}

/** Sane handles by syscall and parameter: the object that call expects (else a VMO). */
const SANE_HANDLES: Record<string, string> = {
  'zx_vmar_allocate.parent_vmar': 'vmar',
  'zx_vmar_map.handle': 'vmar',
  'zx_vmar_unmap.handle': 'vmar',
  'zx_vmar_protect.handle': 'vmar',
  'zx_vmar_destroy.handle': 'vmar',
  'zx_vmar_op_range.handle': 'vmar',
  'zx_job_create.parent_job': 'job',
  'zx_job_set_policy.handle': 'childJob',
  'zx_process_create.job': 'job',
  'zx_resource_create.parent_rsrc': 'resource',
  'zx_vmo_create_physical.resource': 'resource',
  'zx_iommu_create.resource': 'resource',
  'zx_vmo_replace_as_executable.vmex': 'resource',
  'zx_bti_create.iommu': 'iommu',
  'zx_bti_pin.handle': 'bti',
  'zx_bti_release_quarantine.handle': 'bti',
  'zx_vmo_create_contiguous.bti': 'bti',
  'zx_pmt_unpin.handle': 'pmt',
  'zx_object_get_child.handle': 'job',
  'zx_port_queue.handle': 'port',
  'zx_port_wait.handle': 'port',
  'zx_port_cancel.handle': 'port',
  'zx_port_cancel.source': 'channel',
  'zx_port_cancel_key.handle': 'port',
  'zx_object_wait_async.handle': 'channel',
  'zx_object_wait_async.port': 'port',
  'zx_object_wait_one.handle': 'channel',
  'zx_channel_read.handle': 'channel',
  'zx_channel_write.handle': 'channel',
  'zx_channel_call.handle': 'channel',
  'zx_pager_create_vmo.pager': 'pager',
  'zx_pager_create_vmo.port': 'port',
  'zx_pager_detach_vmo.pager': 'pager',
  'zx_pager_detach_vmo.vmo': 'pagerVmo',
  'zx_pager_supply_pages.pager': 'pager',
  'zx_pager_supply_pages.pager_vmo': 'pagerVmo',
  'zx_pager_op_range.pager': 'pager',
  'zx_pager_op_range.pager_vmo': 'pagerVmo',
  'zx_pager_query_vmo_stats.pager': 'pager',
  'zx_pager_query_vmo_stats.pager_vmo': 'pagerVmo',
  'zx_task_kill.handle': 'childProcess',
};

/** Sane u32s by syscall and parameter, then by parameter name. */
const SANE_U32: Record<string, number> = {
  'zx_vmar_map.options': ZX_VM_PERM_READ | ZX_VM_PERM_WRITE,
  'zx_vmar_allocate.options': CAN_MAP,
  'zx_vmar_protect.options': ZX_VM_PERM_READ,
  'zx_vmar_op_range.op': ZX_VMAR_OP_COMMIT,
  'zx_iommu_create.type': ZX_IOMMU_TYPE_STUB,
  'zx_resource_create.options': ZX_RSRC_KIND_MMIO,
  'zx_bti_pin.options': ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE,
  'zx_vmo_create_child.options': ZX_VMO_CHILD_SNAPSHOT,
  'zx_object_get_info.topic': ZX_INFO_VMO,
  'zx_job_set_policy.topic': 0,
  op: ZX_VMO_OP_COMMIT,
  property: ZX_PROP_NAME,
  rights: ZX_RIGHT_SAME_RIGHTS,
  signals: ZX_USER_SIGNAL_0,
  set_mask: ZX_USER_SIGNAL_0,
  count: 1,
};

/** A sane value for `param` of `spec`: what a correct call passes. */
function saneValue(spec: SyscallSpec, param: ParamSpec, world: World): unknown {
  const key = `${spec.name}.${param.name}`;
  // No ZX_VMAR_OP_* takes a buffer.
  if (spec.name === 'zx_vmar_op_range' && param.name.startsWith('buffer')) {
    return param.kind === 'u64' ? 0 : null;
  }
  switch (param.kind) {
    case 'handle':
      return world.h[SANE_HANDLES[key] ?? 'vmo'];
    case 'u32':
      return SANE_U32[key] ?? SANE_U32[param.name] ?? 0;
    case 'u64':
      if (key === 'zx_resource_create.base' || key === 'zx_vmo_create_physical.paddr') {
        return BigInt(world.kernel.core.pmm.mmioFirstFrame) * 4096n;
      }
      if (['addr', 'address'].includes(param.name)) return world.vmarBase;
      if (param.name === 'koid') return world.childKoid;
      // FAIL's data: a status a pager may fail requests with (ZX_ERR_IO).
      if (key === 'zx_pager_op_range.data') return BigInt.asUintN(64, -5n);
      if (param.name === 'desc_size' || param.name === 'num_addrs') return 1;
      if (param.name.endsWith('_size')) return SANE_BUFFER;
      return ['size', 'len', 'length'].includes(param.name) ? PAGE : 0;
    case 'time':
      return 0n;
    case 'struct_in':
    case 'struct_out':
      return new Uint8Array(param.layout.size);
    case 'buffer_in':
    case 'buffer_out':
      // A policy record allowing ZX_POL_NEW_VMO reads the same as V1, V2 or a timer slack.
      return param.name === 'desc' ? new Uint8Array(1) : new Uint8Array(SANE_BUFFER).fill(4, 0, 1);
    case 'out_handle':
    case 'out_u32':
    case 'out_u64':
      return { value: 0 };
  }
}

/** How often each syscall returned each status, and a reason for each (one example). */
const SEEN = new Map<string, { count: number; reason: string }>();

interface Problem {
  call: string;
  problem: string;
}

function shown(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (typeof value === 'number') return value > 0xffff ? `0x${value.toString(16)}` : String(value);
  if (typeof value === 'object' && value !== null)
    return Object.isFrozen(value) ? '&frozen' : '&out';
  return String(value);
}

/** Makes the calls of one syscall and records what is wrong with their reasons. */
function sweep(spec: SyscallSpec, seed: number, problems: Problem[]): void {
  const rand = generator(seed);
  let world: World | null = null;
  for (let n = 0; n < CALLS; n++) {
    if (n % BATCH === 0) {
      const batch = n / BATCH;
      world = newWorld(seed + n, VARIANTS[batch % VARIANTS.length]!);
    }
    const w = world!;
    // One parameter broken at a time first (40 rounds over them), then any mix.
    const one = n < spec.params.length * 40 ? n % spec.params.length : -1;
    const args = spec.params.map((param, i) =>
      i === one || (one < 0 && rand() < 0.4) ? anyValue(param, w, rand) : saneValue(spec, param, w),
    );
    // A SPECIFIC mapping needs an offset of its own: keep sane ones at the sub-VMAR's start.
    if (
      spec.name === 'zx_vmar_map' &&
      args[1] === SANE_U32['zx_vmar_map.options'] &&
      rand() < 0.3
    ) {
      args[1] = ZX_VM_PERM_READ | ZX_VM_SPECIFIC;
    }
    const dead = processCallStatus(w.proc.object) !== ZX_OK;
    const status = w.call[spec.name]!(...args) as number;
    if (spec.returns !== 'status' || status === ZX_OK) continue;
    const name = ZX_STATUS_NAMES[status] ?? String(status);
    const failure = w.proc.lastFailure;
    const reason = failure?.status === status ? failure.text : '';
    const key = `${spec.name} ${name}`;
    const seen = SEEN.get(key);
    SEEN.set(key, { count: (seen?.count ?? 0) + 1, reason: seen?.reason ?? reason });
    const call = `${spec.name}(${args.map(shown).join(', ')}) = ${name}`;
    if (reason.trim() === '') problems.push({ call, problem: 'no reason' });
    // A dying process's calls all fail so (the binder's rule, before any check).
    if (dead) continue;
    if (name === 'ZX_ERR_SHOULD_WAIT' && WAIT_UNLISTED.has(spec.name)) continue;
    if (!spec.errors.some(([listed]) => listed === name)) {
      problems.push({ call, problem: `${name} is not in the table (${reason})` });
    } else if (failure?.fallback === true) {
      problems.push({ call, problem: `only the table's fallback: ${reason}` });
    }
  }
}

/**
 * The host's ZX_ERR_SHOULD_WAIT on a pager VMO's missing page is not in these entries yet
 * (README, known gaps): a transfer may take the pager VMO's pages, and a later call waits.
 */
const WAIT_UNLISTED = new Set([
  'zx_vmo_read',
  'zx_vmo_write',
  'zx_vmo_op_range',
  'zx_vmo_transfer_data',
  'zx_vmo_set_stream_size',
  'zx_bti_pin',
]);

/** The statuses the table lists, and those of them the sweep never met. */
function coverage(): { listed: number; missed: string[] } {
  let listed = 0;
  const missed: string[] = [];
  for (const spec of SYSCALLS) {
    for (const name of new Set(spec.errors.map(([status]) => status))) {
      listed++;
      if (!SEEN.has(`${spec.name} ${name}`)) missed.push(`${spec.name} ${name}`);
    }
  }
  return { listed, missed };
}

function report(problems: Problem[]): string {
  const first = new Map<string, Problem>();
  for (const p of problems) {
    const key = `${p.call.slice(0, p.call.indexOf('('))} ${p.problem.slice(0, 60)}`;
    if (!first.has(key)) first.set(key, p);
  }
  const lines = [...first.values()].map((p) => `${p.call}\n    ${p.problem}`);
  return `${problems.length} calls, ${first.size} kinds:\n${lines.join('\n')}`;
}

describe('reasons for every error', () => {
  after(() => {
    if (process.env.ZXVM_SWEEP_STATS === undefined) return;
    const rows = [...SEEN].sort().map(([k, v]) => `${k}: ${v.count}  (${v.reason})`);
    console.log(rows.join('\n'));
    console.log(`never met: ${coverage().missed.join(', ')}`);
  });

  for (const [index, spec] of SYSCALLS.entries()) {
    it(`${spec.name}: every error has a reason of its own, and is in the table`, () => {
      const problems: Problem[] = [];
      sweep(spec, SEED + index * 7919, problems);
      assert.equal(problems.length, 0, report(problems));
    });
  }

  it('reached most of what the table lists', () => {
    // The sweep is only worth its name if it meets the listed statuses: 85% of them at least.
    const { listed, missed } = coverage();
    const reached = listed - missed.length;
    assert.ok(
      reached >= 0.85 * listed,
      `reached ${reached} of ${listed}; missed ${missed.join(', ')}`,
    );
  });
});
