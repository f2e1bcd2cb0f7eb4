// The words of the VMAR layer's reasons (src/util/reason.ts): placement, ranges and what the
// mappings of a range refuse. Each formatter gets the values it prints as arguments.

import { nameFlags } from '../abi/flags.ts';
import { hex } from '../util/reason.ts';

/** `[0x1000, 0x3000)` */
function range(start: bigint | number, end: bigint | number): string {
  return `[${hex(start)}, ${hex(end)})`;
}

export function notInside(addr: bigint, len: bigint, base: number, end: number): string {
  return `the range ${range(addr, addr + len)} is not inside the VMAR ${range(base, end)}`;
}

export function cannotMap(perms: number): string {
  return `the VMAR may not map ${nameFlags('vm_options', perms)} (its CAN_MAP_* set lacks it)`;
}

export function strayOffset(offset: bigint): string {
  return `an offset (${hex(offset)}) without ZX_VM_SPECIFIC or ZX_VM_OFFSET_IS_UPPER_LIMIT`;
}

export function unalignedOffset(offset: bigint): string {
  return `the offset (${hex(offset)}) is not page aligned`;
}

export function doesNotFit(offset: bigint, size: bigint, vmarSize: number, upper: boolean): string {
  const what = upper
    ? `${hex(size)} bytes below the upper limit ${hex(offset)}`
    : `offset + size (${hex(offset)} + ${hex(size)})`;
  return `${what} does not fit the VMAR's ${hex(vmarSize)} bytes`;
}

export function misaligned(base: number, shift: number): string {
  return `the address ${hex(base)} is not aligned to 2^${shift} bytes`;
}

export function overlaps(base: number, size: number): string {
  return `the range ${range(base, base + size)} overlaps a mapping or a sub-VMAR`;
}

export function noSpot(size: number, align: number, limit: number): string {
  return `no free spot of ${hex(size)} bytes aligned to ${hex(align)} below ${hex(limit)}`;
}

export function partlyInside(start: number, end: number): string {
  return `the sub-VMAR ${range(start, end)} lies only partly in the range`;
}

export function unmapped(at: number): string {
  return `nothing is mapped at ${hex(at)}`;
}

export function beyondCanMap(at: number, perms: number, canMap: number): string {
  const asked = nameFlags('vm_options', perms & ~canMap);
  return `the mapping at ${hex(at)} may never be ${asked} (the rights it was mapped with)`;
}

export function onlyLose(at: number): string {
  return `the mapping at ${hex(at)} is in a sub-VMAR, where permissions may only be removed`;
}

export function pastStream(at: number): string {
  return `the mapping at ${hex(at)} faults past its VMO's stream size (FAULT_BEYOND_STREAM_SIZE)`;
}

export function startsPastEnd(at: number): string {
  return `the part of the range mapped at ${hex(at)} starts past the end of its VMO`;
}

export function neverWritable(at: number, write: boolean): string {
  return `the mapping at ${hex(at)} could never be made ${write ? 'writable' : 'readable'}`;
}

export function nestedMapping(at: number, always: boolean): string {
  return always
    ? `the mapping at ${hex(at)} is in a sub-VMAR, which COMMIT, DECOMMIT and PREFETCH never reach`
    : `the mapping at ${hex(at)} is in a sub-VMAR, and the handle lacks ZX_RIGHT_OP_CHILDREN`;
}

export const DESTROYED = 'the VMAR is destroyed';
export const SUB_VMAR_WITHOUT_OP_CHILDREN =
  'a sub-VMAR in the range, and the handle lacks ZX_RIGHT_OP_CHILDREN';
export const SPECIFIC_AND_UPPER = 'ZX_VM_SPECIFIC together with ZX_VM_OFFSET_IS_UPPER_LIMIT';
export const NEEDS_CAN_MAP_SPECIFIC =
  'ZX_VM_SPECIFIC or ZX_VM_OFFSET_IS_UPPER_LIMIT in a VMAR without ZX_VM_CAN_MAP_SPECIFIC';
export const OVERWRITES_VMAR = 'ZX_VM_SPECIFIC_OVERWRITE over a sub-VMAR';
