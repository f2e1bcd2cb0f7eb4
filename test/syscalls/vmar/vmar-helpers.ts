// Helpers for the VMAR tests: maps and sub-VMARs that must succeed, ZX_INFO_VMAR, loads and
// stores that must (or must not) fault, and the page-table debug check.

import assert from 'node:assert/strict';

import {
  ZX_INFO_VMAR,
  ZX_OK,
  ZX_RSRC_KIND_MMIO,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
} from '../../../src/abi/constants.ts';
import { decodeZxInfoVmar, ZX_INFO_VMAR_SIZE } from '../../../src/abi/structs.ts';
import type { Kernel } from '../../../src/kernel.ts';
import type { Process } from '../../../src/process.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { expectStatus, out, PAGE, statusName, systemResource } from '../../helpers.ts';

export const RW = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
export const R = ZX_VM_PERM_READ;
/** The root VMAR of every process (x86-64, no ASLR). */
export const USER_BASE = 0x20_0000n;
export const USER_SIZE = (1n << 47n) - 4096n - USER_BASE;

/** zx_vmar_map that must succeed; returns the address. */
export function map(
  sys: Syscalls,
  vmar: number,
  options: number,
  vmarOffset: number | bigint,
  vmo: number,
  vmoOffset: number | bigint,
  len: number | bigint,
): bigint {
  const addr = out(0n);
  expectStatus(
    sys.zx_vmar_map(vmar, options, vmarOffset, vmo, vmoOffset, len, addr),
    ZX_OK,
    'zx_vmar_map',
  );
  return addr.value;
}

/** zx_vmar_allocate that must succeed. */
export function allocate(
  sys: Syscalls,
  parent: number,
  options: number,
  offset: number | bigint,
  size: number | bigint,
): { handle: number; addr: bigint } {
  const handle = out(0);
  const addr = out(0n);
  expectStatus(
    sys.zx_vmar_allocate(parent, options, offset, size, handle, addr),
    ZX_OK,
    'zx_vmar_allocate',
  );
  return { handle: handle.value, addr: addr.value };
}

/** ZX_INFO_VMAR of a VMAR handle, which must succeed. */
export function vmarInfo(sys: Syscalls, handle: number): { base: bigint; len: bigint } {
  const buffer = new Uint8Array(ZX_INFO_VMAR_SIZE);
  expectStatus(
    sys.zx_object_get_info(handle, ZX_INFO_VMAR, buffer, buffer.length, null, null),
    ZX_OK,
    'zx_object_get_info(ZX_INFO_VMAR)',
  );
  return decodeZxInfoVmar(buffer);
}

/** Loads `length` bytes at `addr`, which must not fault. */
export function load(proc: Process, addr: number | bigint, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  expectStatus(proc.load(addr, bytes), ZX_OK, `load at 0x${addr.toString(16)}`);
  return bytes;
}

/** Stores `bytes` at `addr`, which must not fault. */
export function store(proc: Process, addr: number | bigint, bytes: Uint8Array): void {
  expectStatus(proc.store(addr, bytes), ZX_OK, `store at 0x${addr.toString(16)}`);
}

/** The status of a one-byte load at `addr`. */
export function loadStatus(proc: Process, addr: number | bigint): number {
  return proc.load(addr, new Uint8Array(1));
}

/** The status of a one-byte store at `addr`. */
export function storeStatus(proc: Process, addr: number | bigint, value = 0xaa): number {
  return proc.store(addr, new Uint8Array([value]));
}

/** The page-table debug check: every translation is one the VMO would give now. */
export function expectCleanTables(proc: Process): void {
  assert.deepEqual(proc.object.aspace.checkTranslations(), []);
}

/** Translations installed in `proc`'s page table. */
export function translationCount(proc: Process): number {
  return proc.object.aspace.pageTable.entryCount;
}

/** The physical address where `kernel`'s MMIO region starts. */
export function mmioBase(kernel: Kernel): bigint {
  return BigInt(kernel.core.pmm.mmioFirstFrame) * BigInt(PAGE);
}

/** An MMIO resource over [base, base + size), made from the system resource. */
export function mmioResource(
  kernel: Kernel,
  proc: Process,
  base: bigint,
  size: bigint | number,
): number {
  const handle = out(0);
  const status = proc.syscalls.zx_resource_create(
    systemResource(kernel, proc),
    ZX_RSRC_KIND_MMIO,
    base,
    size,
    null,
    0,
    handle,
  );
  assert.equal(status, ZX_OK, `zx_resource_create: ${statusName(status)}`);
  return handle.value;
}

/** Bytes 0, 1, 2, ... (mod 251) offset by `seed`. */
export function pattern(length: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i + seed) % 251;
  return bytes;
}
