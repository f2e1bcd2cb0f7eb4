// Helpers for the pager tests: pagers, pager-backed VMOs, supplying pages with known bytes,
// and reading the page-request packets the kernel sends.

import assert from 'node:assert/strict';

import {
  ZX_OK,
  ZX_PAGER_RESET_VMO_STATS,
  ZX_PAGER_VMO_DIRTY,
  ZX_PAGER_VMO_READ,
  ZX_PAGER_VMO_STATS_MODIFIED,
  ZX_PKT_TYPE_PAGE_REQUEST,
  ZX_VMO_DIRTY_RANGE_IS_ZERO,
} from '../../../src/abi/constants.ts';
import { decodeZxVmoDirtyRange, ZX_VMO_DIRTY_RANGE_SIZE } from '../../../src/abi/structs.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { createVmo, expectStatus, newProcess, out, PAGE } from '../../helpers.ts';
import { createPort, drainPackets } from '../ipc-helpers.ts';

export function createPager(sys: Syscalls): number {
  const pager = out(0);
  expectStatus(sys.zx_pager_create(0, pager), ZX_OK, 'zx_pager_create');
  return pager.value;
}

/** A pager-backed VMO of `pages` pages, its requests on `port` under `key`. */
export function createPagedVmo(
  sys: Syscalls,
  pager: number,
  port: number,
  key: bigint,
  pages: number,
  options = 0,
): number {
  const vmo = out(0);
  const status = sys.zx_pager_create_vmo(pager, options, port, key, BigInt(pages * PAGE), vmo);
  expectStatus(status, ZX_OK, 'zx_pager_create_vmo');
  return vmo.value;
}

/** The byte page `page` of the test's "disk" holds: its index, so reads show where they came from. */
export function diskByte(page: number): number {
  return (page * 7 + 1) & 0xff;
}

/** An aux VMO holding pages [start, start + count) of the disk. */
export function auxWithDisk(sys: Syscalls, start: number, count: number): number {
  const aux = createVmo(sys, count * PAGE);
  const bytes = new Uint8Array(count * PAGE);
  for (let i = 0; i < count; i++) bytes.fill(diskByte(start + i), i * PAGE, (i + 1) * PAGE);
  expectStatus(sys.zx_vmo_write(aux, bytes, 0, bytes.length), ZX_OK, 'zx_vmo_write(aux)');
  return aux;
}

/** Supplies pages [start, start + count) with the disk's bytes. */
export function supplyDisk(
  sys: Syscalls,
  pager: number,
  vmo: number,
  start: number,
  count: number,
): void {
  const aux = auxWithDisk(sys, start, count);
  const status = sys.zx_pager_supply_pages(
    pager,
    vmo,
    BigInt(start * PAGE),
    BigInt(count * PAGE),
    aux,
    0n,
  );
  expectStatus(status, ZX_OK, 'zx_pager_supply_pages');
  expectStatus(sys.zx_handle_close(aux), ZX_OK);
}

export interface Request {
  key: bigint;
  command: number;
  /** In pages. */
  offset: number;
  length: number;
}

/** Every page-request packet queued on `port` now, in pages. */
export function takeRequests(sys: Syscalls, port: number): Request[] {
  return drainPackets(sys, port).map((p) => {
    assert.equal(p.type, ZX_PKT_TYPE_PAGE_REQUEST);
    const r = p.page_request!;
    assert.equal(r.flags, 0);
    assert.equal(r.offset % BigInt(PAGE), 0n);
    return {
      key: p.key,
      command: r.command,
      offset: Number(r.offset) / PAGE,
      length: Number(r.length) / PAGE,
    };
  });
}

/** Page `page`'s bytes as the disk holds them. */
export function diskPage(page: number): Uint8Array {
  return new Uint8Array(PAGE).fill(diskByte(page));
}

/** A process with a pager, a port and a pager-backed VMO of `pages` pages under `key`. */
export function pagerWorld(key: bigint, pages: number, options = 0) {
  const p = newProcess();
  const pager = createPager(p.sys);
  const port = createPort(p.sys);
  const vmo = createPagedVmo(p.sys, pager, port, key, pages, options);
  return { ...p, pager, port, vmo };
}

/** The READ request for pages [offset, offset + length) under `key`, as takeRequests gives it. */
export function readRequest(key: bigint, offset: number, length: number): Request {
  return { command: ZX_PAGER_VMO_READ, key, offset, length };
}

/** A pager, its port, and a VMO of `pages` pages it backs (key 1), nothing supplied yet. */
export function pagedSetup(sys: Syscalls, pages: number, options = 0) {
  const pager = createPager(sys);
  const port = createPort(sys);
  const vmo = createPagedVmo(sys, pager, port, 1n, pages, options);
  return { pager, port, vmo };
}

/** The commands and page ranges of the requests queued on `port`: ['READ', 0, 1], ... */
export function requestRanges(sys: Syscalls, port: number): [string, number, number][] {
  return takeRequests(sys, port).map((r) => [
    r.command === ZX_PAGER_VMO_READ ? 'READ' : r.command === ZX_PAGER_VMO_DIRTY ? 'DIRTY' : '?',
    r.offset,
    r.length,
  ]);
}

/** zx_pager_query_dirty_ranges over the first `pages` pages, as [offset, length, zero] in pages. */
export function dirtyRanges(sys: Syscalls, pager: number, vmo: number, pages: number) {
  const buffer = new Uint8Array(64 * ZX_VMO_DIRTY_RANGE_SIZE);
  const actual = out(0n);
  const avail = out(0n);
  const status = sys.zx_pager_query_dirty_ranges(
    pager,
    vmo,
    0n,
    BigInt(pages * PAGE),
    buffer,
    buffer.length,
    actual,
    avail,
  );
  expectStatus(status, ZX_OK, 'zx_pager_query_dirty_ranges');
  assert.equal(actual.value, avail.value);
  return Array.from({ length: Number(actual.value) }, (_, i) => {
    const r = decodeZxVmoDirtyRange(buffer.subarray(i * ZX_VMO_DIRTY_RANGE_SIZE));
    const P = BigInt(PAGE);
    return [Number(r.offset / P), Number(r.length / P), r.options === ZX_VMO_DIRTY_RANGE_IS_ZERO];
  });
}

/** zx_pager_query_dirty_ranges' modified flag, reset as it is read (VerifyModified). */
export function modified(sys: Syscalls, pager: number, vmo: number): boolean {
  const buffer = new Uint8Array(4);
  const status = sys.zx_pager_query_vmo_stats(pager, vmo, ZX_PAGER_RESET_VMO_STATS, buffer, 4);
  expectStatus(status, ZX_OK, 'zx_pager_query_vmo_stats');
  return new DataView(buffer.buffer).getUint32(0, true) === ZX_PAGER_VMO_STATS_MODIFIED;
}
