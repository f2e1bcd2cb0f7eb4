// Names for numbers: each flag domain of the syscall table (syscall-spec.ts) is a group of the
// exported constants, picked by prefix, so that traces and docs print `ZX_VM_PERM_READ |
// ZX_VM_SPECIFIC` instead of 0x403 without a second list of names to keep in step.

import * as constants from './constants.ts';
import type { FlagDomain } from './syscall-spec.ts';

interface Domain {
  /** Bits are or-ed together; an enumeration names one value. */
  readonly mode: 'bits' | 'enum';
  readonly names: readonly (readonly [name: string, value: number])[];
}

const NUMBERS = (Object.entries(constants) as [string, unknown][]).filter(
  (entry): entry is [string, number] => typeof entry[1] === 'number',
);

function pick(
  mode: Domain['mode'],
  test: (name: string) => boolean,
  exclude: (name: string) => boolean = () => false,
): Domain {
  const names = NUMBERS.filter(([name, value]) => test(name) && !exclude(name) && value !== 0);
  // Tried widest first (from the end), so that a name covering several bits wins over its parts.
  if (mode === 'bits') names.sort((a, b) => bitCount(a[1]) - bitCount(b[1]));
  return { mode, names };
}

function bitCount(value: number): number {
  let count = 0;
  for (let v = value >>> 0; v !== 0; v &= v - 1) count++;
  return count;
}

const starts =
  (...prefixes: string[]) =>
  (name: string) =>
    prefixes.some((p) => name.startsWith(p));

const DOMAINS: Readonly<Record<FlagDomain, Domain>> = {
  rights: pick('bits', starts('ZX_RIGHT_')),
  signals: pick('bits', starts('ZX_USER_SIGNAL_', 'ZX_VMO_ZERO_CHILDREN', 'ZX_SIGNAL_HANDLE')),
  obj_type: pick('enum', starts('ZX_OBJ_TYPE_')),
  vmo_options: pick('bits', (n) =>
    ['ZX_VMO_RESIZABLE', 'ZX_VMO_DISCARDABLE', 'ZX_VMO_UNBOUNDED'].includes(n),
  ),
  vmo_child_options: pick(
    'bits',
    starts('ZX_VMO_CHILD_'),
    (n) => n === 'ZX_VMO_CHILD_COPY_ON_WRITE' || n === 'ZX_VMO_CHILD_PRIVATE_PAGER_COPY',
  ),
  vmo_op: pick('enum', starts('ZX_VMO_OP_')),
  vmar_op: pick('enum', starts('ZX_VMAR_OP_')),
  // ZX_VM_FLAG_* are the old names of the same bits.
  vm_options: pick(
    'bits',
    starts('ZX_VM_'),
    starts('ZX_VM_ALIGN_', 'ZX_VM_FEATURE_', 'ZX_VM_FLAG_'),
  ),
  cache_policy: pick('enum', starts('ZX_CACHE_POLICY_'), (n) => n === 'ZX_CACHE_POLICY_MASK'),
  // Topic names, not the flag values of the records they return (ZX_INFO_VMO_RESIZABLE).
  info_topic: pick('enum', starts('ZX_INFO_'), (n) => /^ZX_INFO_(VMO|MAPS)_(?!V\d)/.test(n)),
  property: pick('enum', starts('ZX_PROP_')),
  policy_option: pick('enum', starts('ZX_JOB_POL_RELATIVE', 'ZX_JOB_POL_ABSOLUTE')),
  policy_topic: pick('enum', starts('ZX_JOB_POL_BASIC_V2', 'ZX_JOB_POL_TIMER_SLACK')),
  process_options: pick('bits', (n) => n === 'ZX_PROCESS_SHARED'),
  rsrc_options: pick('bits', starts('ZX_RSRC_FLAG_')),
  bti_perm: pick('bits', starts('ZX_BTI_')),
  port_options: pick('bits', (n) => n === 'ZX_PORT_BIND_TO_INTERRUPT'),
  wait_async_options: pick('bits', starts('ZX_WAIT_ASYNC_')),
  channel_read_options: pick('bits', (n) => n === 'ZX_CHANNEL_READ_MAY_DISCARD'),
  channel_write_options: pick('bits', (n) => n === 'ZX_CHANNEL_WRITE_USE_IOVEC'),
  status: {
    mode: 'enum',
    names: Object.entries(constants.ZX_STATUS_NAMES).map(([v, n]) => [n, Number(v)]),
  },
};

/** `value` in the names of `domain`: `A | B | 0x40` for bits, `NAME` or a hex number for enums. */
export function nameFlags(domain: FlagDomain, value: number): string {
  const { mode, names } = DOMAINS[domain];
  if (mode === 'enum') {
    const found = names.find(([, v]) => v === value);
    return found === undefined ? hex(value) : found[0];
  }
  if (value === 0) return '0';
  const found: (readonly [string, number])[] = [];
  let rest = value >>> 0;
  for (let i = names.length - 1; i >= 0; i--) {
    const [name, bits] = names[i]!;
    if ((rest & bits) >>> 0 === bits >>> 0 && bits !== 0) {
      found.push([name, bits >>> 0]);
      rest = (rest & ~bits) >>> 0;
    }
  }
  // Printed lowest bit first, as the headers list them.
  const parts = found.sort((a, b) => a[1] - b[1]).map(([name]) => name);
  if (rest !== 0) parts.push(hex(rest));
  return parts.join(' | ');
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16)}`;
}

/** The values `domain` names (each bit or enumerator once), for tools that make up arguments. */
export function flagValues(domain: FlagDomain): readonly number[] {
  return DOMAINS[domain].names.map(([, value]) => value);
}
