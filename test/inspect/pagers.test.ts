// kernel.inspect() of pagers, by hand: a pager VMO with two reader threads, one whose read made
// the request (its primary) and one that joined it (an overlap); the packet queued in the port,
// then taken; an early wake of the primary on a partial supply; the request completing; a
// detach. Each state is also checked against the syscalls (agreement.ts).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ZX_PAGER_OP_DIRTY, ZX_VMO_TRAP_DIRTY } from '../../src/abi/constants.ts';
import { ZX_PORT_PACKET_SIZE } from '../../src/abi/structs.ts';
import { expectStatus, handleBasic, newProcess, PAGE } from '../helpers.ts';
import { createPort } from '../syscalls/ipc-helpers.ts';
import { auxWithDisk, createPagedVmo, createPager } from '../syscalls/pager/pager-helpers.ts';
import { checkAgreement } from './agreement.ts';

describe('kernel.inspect() of pagers', () => {
  it('shows each pager, its VMOs with port and key, supplied pages and waiting threads', async () => {
    const { kernel, proc, sys } = newProcess();
    const pager = createPager(sys);
    const port = createPort(sys);
    const vmo = createPagedVmo(sys, pager, port, 42n, 4);
    const koidOf = (handle: number) => Number(handleBasic(sys, handle).koid);

    let snapshot = checkAgreement(kernel, proc);
    assert.deepEqual(snapshot.pagers, [
      {
        koid: koidOf(pager),
        handles: 1,
        vmos: [
          {
            vmoKoid: koidOf(vmo),
            portKoid: koidOf(port),
            key: '42',
            detached: false,
            trapDirty: false,
            modified: false,
            states: [],
            supplied: [],
            suppliedPages: 0,
            requests: [],
          },
        ],
      },
    ]);
    assert.equal(snapshot.vmos.find((v) => v.koid === koidOf(vmo))?.pagerKoid, koidOf(pager));

    // The first reader asks for pages 1 to 3 (one request); the second needs page 2, inside it,
    // and joins.
    const read = (page: number, pages: number) =>
      proc.startThread((t) =>
        t.zx_vmo_read(vmo, new Uint8Array(pages * PAGE), page * PAGE, pages * PAGE),
      );
    const first = read(1, 3);
    await kernel.idle();
    const second = read(2, 1);
    await kernel.idle();
    const [a, b] = [koidOf(first.handle), koidOf(second.handle)];
    snapshot = checkAgreement(kernel, proc);
    let requests = snapshot.pagers[0]!.vmos[0]!.requests;
    assert.deepEqual(requests, [
      {
        command: 'READ',
        offset: String(PAGE),
        length: String(3 * PAGE),
        nextOffset: String(PAGE),
        packet: 'in_port',
        primaryThreadKoid: a,
        waitingThreadKoids: [a, b],
        overlaps: [{ threadKoid: b, offset: String(2 * PAGE) }],
      },
    ]);

    // The pager takes the packet; page 1 comes: the first reader wakes early and goes on
    // waiting on the same request for page 2.
    expectStatus(sys.zx_port_wait(port, 0n, new Uint8Array(ZX_PORT_PACKET_SIZE)), 0);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, BigInt(PAGE), BigInt(PAGE), auxWithDisk(sys, 1, 1), 0n),
      0,
    );
    await kernel.idle();
    snapshot = checkAgreement(kernel, proc);
    const served = snapshot.pagers[0]!.vmos[0]!;
    assert.deepEqual(served.supplied, [{ start: 1, count: 1 }]);
    assert.equal(served.suppliedPages, 1);
    requests = served.requests;
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.packet, 'taken');
    assert.equal(requests[0]!.nextOffset, String(2 * PAGE));
    assert.deepEqual(requests[0]!.waitingThreadKoids, [a, b]);

    // The rest comes: the request completes and both readers go on.
    const aux = auxWithDisk(sys, 2, 2);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, BigInt(2 * PAGE), BigInt(2 * PAGE), aux, 0n),
      0,
    );
    assert.equal(await first.done, 0);
    assert.equal(await second.done, 0);
    snapshot = checkAgreement(kernel, proc);
    assert.deepEqual(snapshot.pagers[0]!.vmos[0]!.requests, []);
    assert.deepEqual(snapshot.pagers[0]!.vmos[0]!.supplied, [{ start: 1, count: 3 }]);

    // A write marks it modified; a detach shows.
    expectStatus(sys.zx_vmo_write(vmo, new Uint8Array(1), PAGE, 1), 0);
    expectStatus(sys.zx_pager_detach_vmo(pager, vmo), 0);
    snapshot = checkAgreement(kernel, proc);
    assert.equal(snapshot.pagers[0]!.vmos[0]!.detached, true);
    assert.equal(snapshot.pagers[0]!.vmos[0]!.modified, true);

    // Closing the VMO leaves the pager with nothing to show; closing the pager, no pager.
    sys.zx_handle_close(vmo);
    assert.deepEqual(checkAgreement(kernel, proc).pagers[0]!.vmos, []);
    sys.zx_handle_close(pager);
    assert.deepEqual(checkAgreement(kernel, proc).pagers, []);
  });

  it('shows DIRTY requests beside READ ones, by first page, even inside a READ one', async () => {
    const { kernel, proc, sys } = newProcess();
    const pager = createPager(sys);
    const port = createPort(sys);
    const vmo = createPagedVmo(sys, pager, port, 7n, 4, ZX_VMO_TRAP_DIRTY);
    const koidOf = (handle: number) => Number(handleBasic(sys, handle).koid);
    const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);

    // A reader asks for pages 0 to 3; the pager takes the packet and supplies page 2 alone.
    const reader = proc.startThread((t) =>
      t.zx_vmo_read(vmo, new Uint8Array(4 * PAGE), 0, 4 * PAGE),
    );
    await kernel.idle();
    expectStatus(sys.zx_port_wait(port, 0n, packet), 0);
    const page = BigInt(PAGE);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, 2n * page, page, auxWithDisk(sys, 2, 1), 0n),
      0,
    );
    await kernel.idle();

    // A writer of page 2 (present, clean, TRAP_DIRTY) asks the pager to dirty it.
    const writer = proc.startThread((t) => t.zx_vmo_write(vmo, new Uint8Array([9]), 2 * PAGE, 1));
    await kernel.idle();
    const requests = checkAgreement(kernel, proc).pagers[0]!.vmos[0]!.requests;
    const [r, w] = [koidOf(reader.handle), koidOf(writer.handle)];
    assert.deepEqual(
      requests.map((q) => [q.command, q.offset, q.length, q.packet, q.waitingThreadKoids]),
      [
        ['READ', '0', String(4 * PAGE), 'taken', [r]],
        ['DIRTY', String(2 * PAGE), String(PAGE), 'in_port', [w]],
      ],
    );

    // The pager dirties page 2 and supplies the rest: both finish, nothing is outstanding.
    expectStatus(sys.zx_port_wait(port, 0n, packet), 0);
    expectStatus(sys.zx_pager_op_range(pager, ZX_PAGER_OP_DIRTY, vmo, 2n * page, page, 0n), 0);
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, 0n, 2n * page, auxWithDisk(sys, 0, 2), 0n),
      0,
    );
    expectStatus(
      sys.zx_pager_supply_pages(pager, vmo, 3n * page, page, auxWithDisk(sys, 3, 1), 0n),
      0,
    );
    assert.equal(await reader.done, 0);
    assert.equal(await writer.done, 0);
    assert.deepEqual(checkAgreement(kernel, proc).pagers[0]!.vmos[0]!.requests, []);
  });
});
