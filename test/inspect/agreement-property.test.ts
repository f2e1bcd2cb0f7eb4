// Property: after any sequence of syscalls (create, write, every kind of child, close, map and
// unmap, faults through load and store, commit and decommit, resize, and a pager VMO's reads,
// supplies, FAILs and detach), kernel.inspect() agrees
// with zx_object_get_info (ZX_INFO_VMO for every VMO handle, ZX_INFO_KMEM_STATS,
// ZX_INFO_PROCESS_MAPS) and with itself, survives JSON, and changes nothing (agreement.ts).
// Statuses are not checked here: failing calls are part of the sequences too.
//
// ZXVM_FC_SEED and ZXVM_FC_RUNS override the seed and the number of runs.

import { describe, it } from 'node:test';
import fc from 'fast-check';

import {
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_REFERENCE,
  ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_OP_COMMIT,
  ZX_VMO_OP_DECOMMIT,
  ZX_VMO_OP_ZERO,
  ZX_VMO_RESIZABLE,
} from '../../src/abi/constants.ts';
import { newProcess, out, PAGE } from '../helpers.ts';
import { checkAgreement, checkReadOnly } from './agreement.ts';

const SEED = Number(process.env.ZXVM_FC_SEED ?? 0x1_75_ec7);
const RUNS = Number(process.env.ZXVM_FC_RUNS ?? 120);
const MAX_PAGES = 6;

const CHILD_TYPES = [
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_CHILD_SNAPSHOT | ZX_VMO_CHILD_RESIZABLE,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
  ZX_VMO_CHILD_SNAPSHOT_MODIFIED,
  ZX_VMO_CHILD_SLICE,
  ZX_VMO_CHILD_REFERENCE,
];

type Op =
  | { op: 'create'; pages: number; resizable: boolean }
  | { op: 'write'; vmo: number; page: number; pages: number }
  | { op: 'child'; vmo: number; type: number; page: number; pages: number }
  | { op: 'close'; vmo: number }
  | { op: 'map'; vmo: number; page: number; pages: number; writable: boolean }
  | { op: 'unmap'; mapping: number }
  | { op: 'touch'; mapping: number; page: number; write: boolean }
  | { op: 'range'; vmo: number; kind: number; page: number; pages: number }
  | { op: 'resize'; vmo: number; pages: number }
  | { op: 'supply'; page: number; pages: number; written: boolean }
  | { op: 'fail'; page: number; pages: number }
  | { op: 'detach' };

const index = fc.nat(50);
const page = fc.nat(MAX_PAGES - 1);
const pages = fc.integer({ min: 1, max: MAX_PAGES });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('create'), pages, resizable: fc.boolean() }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('write'), vmo: index, page, pages }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('child'),
      vmo: index,
      type: fc.constantFrom(...CHILD_TYPES),
      page: fc.nat(2),
      pages,
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('close'), vmo: index }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('map'),
      vmo: index,
      page,
      pages,
      writable: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('unmap'), mapping: index }) },
  {
    weight: 4,
    arbitrary: fc.record({ op: fc.constant('touch'), mapping: index, page, write: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('range'),
      vmo: index,
      kind: fc.constantFrom(ZX_VMO_OP_COMMIT, ZX_VMO_OP_DECOMMIT, ZX_VMO_OP_ZERO),
      page,
      pages,
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('resize'), vmo: index, pages: page }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('supply'), page, pages, written: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('fail'), page, pages }) },
  { weight: 1, arbitrary: fc.constant({ op: 'detach' as const }) },
);

function pick<T>(list: readonly T[], i: number): T | undefined {
  return list.length === 0 ? undefined : list[i % list.length];
}

describe('kernel.inspect() agrees with zx_object_get_info', () => {
  it(`after random syscall sequences (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 6, maxLength: 30 }), (ops) => {
        const { kernel, proc, sys } = newProcess();
        // A written VMO to start from, so that most sequences make trees.
        const first = out(0);
        sys.zx_vmo_create(4 * PAGE, 0, first);
        sys.zx_vmo_write(first.value, new Uint8Array(4 * PAGE).fill(0xee), 0, 4 * PAGE);
        // A pager VMO among them: host reads of its missing pages send requests.
        const pager = out(0);
        const port = out(0);
        const paged = out(0);
        sys.zx_pager_create(0, pager);
        sys.zx_port_create(0, port);
        sys.zx_pager_create_vmo(pager.value, 0, port.value, 7n, MAX_PAGES * PAGE, paged);
        const vmos: number[] = [first.value, paged.value];
        const mappings: { addr: bigint; pages: number }[] = [];
        let byte = 1;
        for (const step of ops) {
          switch (step.op) {
            case 'create': {
              const handle = out(0);
              const options = step.resizable ? ZX_VMO_RESIZABLE : 0;
              if (sys.zx_vmo_create(step.pages * PAGE, options, handle) === 0)
                vmos.push(handle.value);
              break;
            }
            case 'write': {
              const vmo = pick(vmos, step.vmo);
              if (vmo === undefined) break;
              // Short writes, so that most land inside the VMO.
              const bytes = new Uint8Array(Math.min(step.pages, 2) * PAGE).fill(byte++ & 0xff);
              sys.zx_vmo_write(vmo, bytes, step.page * PAGE, bytes.length);
              break;
            }
            case 'child': {
              const vmo = pick(vmos, step.vmo);
              if (vmo === undefined) break;
              const handle = out(0);
              const reference = step.type === ZX_VMO_CHILD_REFERENCE;
              const offset = reference ? 0 : step.page * PAGE;
              const size = reference ? 0 : step.pages * PAGE;
              if (sys.zx_vmo_create_child(vmo, step.type, offset, size, handle) === 0) {
                vmos.push(handle.value);
              }
              break;
            }
            case 'close': {
              if (vmos.length === 0) break;
              const [vmo] = vmos.splice(step.vmo % vmos.length, 1);
              sys.zx_handle_close(vmo!);
              break;
            }
            case 'map': {
              const vmo = pick(vmos, step.vmo);
              if (vmo === undefined) break;
              const perms = ZX_VM_PERM_READ | (step.writable ? ZX_VM_PERM_WRITE : 0);
              const addr = out(0n);
              const size = step.pages * PAGE;
              if (sys.zx_vmar_map(proc.rootVmar, perms, 0, vmo, step.page * PAGE, size, addr) === 0)
                mappings.push({ addr: addr.value, pages: step.pages });
              break;
            }
            case 'unmap': {
              if (mappings.length === 0) break;
              const [m] = mappings.splice(step.mapping % mappings.length, 1);
              sys.zx_vmar_unmap(proc.rootVmar, m!.addr, m!.pages * PAGE);
              break;
            }
            case 'touch': {
              const m = pick(mappings, step.mapping);
              if (m === undefined) break;
              const at = m.addr + BigInt((step.page % m.pages) * PAGE);
              if (step.write) proc.store(at, new Uint8Array([byte++ & 0xff]));
              else proc.load(at, new Uint8Array(1));
              break;
            }
            case 'range': {
              const vmo = pick(vmos, step.vmo);
              if (vmo === undefined) break;
              sys.zx_vmo_op_range(vmo, step.kind, step.page * PAGE, step.pages * PAGE, null, 0);
              break;
            }
            case 'resize': {
              const vmo = pick(vmos, step.vmo);
              if (vmo !== undefined) sys.zx_vmo_set_size(vmo, step.pages * PAGE);
              break;
            }
            case 'supply': {
              const aux = out(0);
              const size = step.pages * PAGE;
              sys.zx_vmo_create(size, 0, aux);
              if (step.written) sys.zx_vmo_write(aux.value, new Uint8Array(size).fill(7), 0, size);
              const offset = step.page * PAGE;
              sys.zx_pager_supply_pages(pager.value, paged.value, offset, size, aux.value, 0);
              sys.zx_handle_close(aux.value);
              break;
            }
            case 'fail': {
              const offset = step.page * PAGE;
              const io = BigInt.asUintN(64, -40n); // ZX_ERR_IO
              sys.zx_pager_op_range(pager.value, 1, paged.value, offset, step.pages * PAGE, io);
              break;
            }
            case 'detach':
              sys.zx_pager_detach_vmo(pager.value, paged.value);
              break;
          }
          checkAgreement(kernel, proc);
        }
        checkReadOnly(kernel, proc);
        // Everything closed and unmapped: no node, no VMO, no frame left.
        for (const m of mappings) sys.zx_vmar_unmap(proc.rootVmar, m.addr, m.pages * PAGE);
        for (const vmo of vmos) sys.zx_handle_close(vmo);
        sys.zx_handle_close(pager.value);
        sys.zx_handle_close(port.value);
        const empty = checkAgreement(kernel, proc);
        if (empty.nodes.length !== 0 || empty.vmos.length !== 0) {
          throw new Error('nodes or VMOs left after closing everything');
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
