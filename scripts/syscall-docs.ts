// Writes docs/syscalls.md, the syscall reference, from the table (src/abi/syscalls/). Run it
// after changing the table: `npm run docs:syscalls`. A test checks the file is current.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import * as constants from '../src/abi/constants.ts';
import type { ParamSpec, SyscallSpec } from '../src/abi/syscall-spec.ts';
import { ANY_OBJECT } from '../src/abi/syscall-spec.ts';
import { SYSCALLS } from '../src/abi/syscalls/index.ts';

const OBJ_TYPE_NAMES = new Map<number, string>(
  Object.entries(constants)
    .filter(([name, value]) => name.startsWith('ZX_OBJ_TYPE_') && typeof value === 'number')
    .map(([name, value]) => [value as number, name]),
);

const RIGHT_NAMES = Object.entries(constants).filter(
  ([name, value]) => name.startsWith('ZX_RIGHT_') && typeof value === 'number' && value !== 0,
) as [string, number][];

function rightsText(rights: number): string {
  const names = RIGHT_NAMES.filter(([, bit]) => (rights & bit) === bit).map(([name]) => name);
  return names.length === 0 ? 'no right' : names.join(' + ');
}

const C_TYPES: Record<ParamSpec['kind'], string> = {
  handle: 'zx_handle_t',
  u32: 'uint32_t',
  u64: 'uint64_t',
  time: 'zx_time_t',
  buffer_in: 'const void*',
  buffer_out: 'void*',
  struct_in: 'const void*',
  struct_out: 'void*',
  out_handle: 'zx_handle_t*',
  out_u32: 'uint32_t*',
  out_u64: 'uint64_t*',
};

/** The C type of a parameter; a struct pointer names its struct. */
function cType(p: ParamSpec): string {
  if (p.kind === 'struct_in') return `const ${p.layout.name}*`;
  if (p.kind === 'struct_out') return `${p.layout.name}*`;
  return C_TYPES[p.kind];
}

function describeParam(p: ParamSpec): string {
  switch (p.kind) {
    case 'handle': {
      const type = p.type === ANY_OBJECT ? 'any object' : (OBJ_TYPE_NAMES.get(p.type) ?? p.type);
      const consumed = p.consumed ? '; consumed before any check' : '';
      return `${type}, ${rightsText(p.rights)}${consumed}`;
    }
    case 'u32':
      return p.flags === null ? '' : `flags: ${p.flags}`;
    case 'u64':
      return p.raw ? 'decoded by the syscall (fast path)' : '';
    case 'buffer_in':
    case 'buffer_out':
      return `${p.size} bytes${p.element === null ? '' : ` of ${p.element.name}`}`;
    case 'struct_in':
    case 'struct_out':
      return `one ${p.layout.name} (${p.layout.size} bytes)`;
    default:
      return '';
  }
}

function renderOne(spec: SyscallSpec): string {
  const params = spec.params.map((p) => `${cType(p)} ${p.name}`).join(', ');
  const ret = spec.returns === 'u32' ? 'uint32_t' : 'zx_status_t';
  const lines = [
    `## ${spec.name}`,
    '',
    spec.summary,
    '',
    '```c',
    `${ret} ${spec.name}(${params || 'void'});`,
    '```',
    '',
  ];
  if (spec.params.length > 0) {
    lines.push('| parameter | kind | |', '|---|---|---|');
    for (const p of spec.params) lines.push(`| \`${p.name}\` | ${p.kind} | ${describeParam(p)} |`);
    lines.push('');
  }
  lines.push(`**Rights:** ${spec.rights}`, '');
  if (spec.errors.length > 0) {
    lines.push('**Errors**, in the order Zircon checks them:', '');
    for (const [status, cause] of spec.errors) lines.push(`- \`${status}\`: ${cause}`);
    lines.push('');
  }
  lines.push(`**Tests:** \`${spec.test}\``, '');
  return lines.join('\n');
}

/** The whole reference, as docs/syscalls.md holds it. */
export function renderSyscallDocs(): string {
  const header = [
    '# Syscall reference',
    '',
    'Generated from the syscall table (`src/abi/syscalls/`) by `npm run docs:syscalls`; do not',
    'edit by hand. Each entry gives the C signature, what each parameter must be (for handles:',
    'the object type and the rights the lookup requires; more may be needed per option, as the',
    'rights line says), every error in the order Zircon checks it, and the test file with a case',
    'for each. How JavaScript values stand for C ones is in `docs/CONTRACT.md`.',
    '',
    SYSCALLS.map((s) => `[\`${s.name}\`](#${s.name})`).join(' · '),
    '',
  ];
  return `${[...header, ...SYSCALLS.map(renderOne)].join('\n').trimEnd()}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../docs/syscalls.md', import.meta.url), renderSyscallDocs());
}
