// Words that several syscalls' reasons share (src/util/reason.ts). Each formatter gets the
// values it prints as arguments, so that nothing is formatted unless a call explains its errors.

import { nameFlags } from '../abi/flags.ts';
import { hex } from '../util/reason.ts';

/** `options has unknown bits (0x40)` */
export function unknownBits(name: string, bits: number): string {
  return `${name} has unknown bits (${hex(bits >>> 0)})`;
}

/** `size (0xffff...) rounds up past 2^64` */
export function roundsPast(name: string, value: bigint): string {
  return `${name} (${hex(value)}) rounds up past 2^64`;
}

/** `options is 0x1, not 0` */
export function notZero(name: string, value: number | bigint): string {
  return `${name} is ${hex(value)}, not 0`;
}

/** `offset (0x10) is not page aligned` */
export function unaligned(name: string, value: bigint): string {
  return `${name} (${hex(value)}) is not page aligned`;
}

/** `source is ZX_OBJ_TYPE_VMAR, whose object cannot be waited on`: for ZX_ERR_NOT_SUPPORTED. */
export function notWaitable(name: string, type: number): string {
  return `${name} is ${nameFlags('obj_type', type)}, whose object cannot be waited on`;
}

/** `the deadline (0 ns) passed with the port empty` */
export function deadlineGone(deadline: bigint, what: string): string {
  return `the deadline (${deadline} ns) passed ${what}`;
}

/** `options (0x3) has bits other than ZX_PORT_BIND_TO_INTERRUPT` */
export function bitsOtherThan(name: string, value: number, allowed: string): string {
  return `${name} (${hex(value >>> 0)}) has bits other than ${allowed}`;
}
