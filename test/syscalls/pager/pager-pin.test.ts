// zx_bti_pin of pager-backed pages: a pin needs the pages as a read does, so a thread pinning
// missing pages sends a READ request and waits BLOCKED_PAGER; the host gets ZX_ERR_SHOULD_WAIT
// with the request sent. A pin through an at-least-on-write child asks for the root's pages and
// then forks them into the child (Pager.PinnedSupplyPages, VmoClone2.PinClonePages).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_BTI_PERM_READ,
  ZX_BTI_PERM_WRITE,
  ZX_ERR_SHOULD_WAIT,
  ZX_OK,
  ZX_THREAD_STATE_BLOCKED_PAGER,
  ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
} from '../../../src/abi/constants.ts';
import { expectStatus, out, PAGE, readVmo, vmoInfo } from '../../helpers.ts';
import { bti } from '../ddk/ddk-helpers.ts';
import { threadState } from '../ipc-helpers.ts';
import { diskPage, pagerWorld, readRequest, supplyDisk, takeRequests } from './pager-helpers.ts';

const KEY = 0xb71n;

describe('zx_bti_pin of pager-backed pages', () => {
  it('a thread pinning missing pages is BLOCKED_PAGER until they are supplied', async () => {
    const { kernel, proc, sys, pager, port, vmo } = pagerWorld(KEY, 4);
    const device = bti(kernel, proc);
    const t = proc.startThread(async (th) => {
      const addrs = new Uint8Array(2 * 8);
      const pmt = out(0);
      const status = await th.zx_bti_pin(
        device,
        ZX_BTI_PERM_READ,
        vmo,
        PAGE,
        2 * PAGE,
        addrs,
        2,
        pmt,
      );
      return { status, pmt: pmt.value };
    });
    await kernel.idle();
    assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    assert.deepEqual(takeRequests(sys, port), [readRequest(KEY, 1, 2)]);
    supplyDisk(sys, pager, vmo, 1, 2);
    const { status, pmt } = (await t.done) as { status: number; pmt: number };
    expectStatus(status, ZX_OK);
    // Pinned pages are never evicted and stay readable; the PMT unpins them.
    assert.deepEqual(readVmo(sys, vmo, 2 * PAGE, PAGE), diskPage(2));
    expectStatus(sys.zx_pmt_unpin(pmt), ZX_OK);
  });

  it('the host gets SHOULD_WAIT, the request sent; once supplied the pin succeeds', () => {
    const { kernel, proc, sys, pager, port, vmo } = pagerWorld(KEY, 2);
    const device = bti(kernel, proc);
    const addrs = new Uint8Array(8);
    const pmt = out(0);
    const pinIt = () => sys.zx_bti_pin(device, ZX_BTI_PERM_READ, vmo, 0, PAGE, addrs, 1, pmt);
    expectStatus(pinIt(), ZX_ERR_SHOULD_WAIT);
    assert.equal(pmt.value, 0);
    assert.deepEqual(takeRequests(sys, port), [readRequest(KEY, 0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    expectStatus(pinIt(), ZX_OK);
    expectStatus(sys.zx_pmt_unpin(pmt.value), ZX_OK);
  });

  it("a pin through a child asks for the root's page, then the child holds its own copy", async () => {
    const { kernel, proc, sys, pager, port, vmo } = pagerWorld(KEY, 1);
    const device = bti(kernel, proc);
    const child = out(0);
    const alow = ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE;
    expectStatus(sys.zx_vmo_create_child(vmo, alow, 0, PAGE, child), ZX_OK);
    const perms = ZX_BTI_PERM_READ | ZX_BTI_PERM_WRITE;
    const t = proc.startThread((th) =>
      th.zx_bti_pin(device, perms, child.value, 0, PAGE, new Uint8Array(8), 1, out(0)),
    );
    await kernel.idle();
    assert.equal(threadState(sys, t.handle), ZX_THREAD_STATE_BLOCKED_PAGER);
    assert.deepEqual(takeRequests(sys, port), [readRequest(KEY, 0, 1)]);
    supplyDisk(sys, pager, vmo, 0, 1);
    expectStatus((await t.done) as number, ZX_OK);
    assert.equal(vmoInfo(sys, child.value).populated_bytes, BigInt(PAGE));
    assert.equal(vmoInfo(sys, vmo).populated_bytes, BigInt(PAGE));
    assert.deepEqual(readVmo(sys, child.value, 0, PAGE), diskPage(0));
  });
});
