// Scheduling on the host's event loop: the same multi-thread program interleaves the same way
// and gives the same statuses every run (no timers, no randomness), and kernel.idle() settles
// exactly when no thread can run.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  ZX_CHANNEL_READABLE,
  ZX_ERR_TIMED_OUT,
  ZX_OK,
  ZX_THREAD_STATE_BLOCKED_PORT,
  ZX_TIME_INFINITE,
  ZX_USER_SIGNAL_0,
} from '../../../src/abi/constants.ts';
import { decodeZxPortPacket, ZX_PORT_PACKET_SIZE } from '../../../src/abi/structs.ts';
import { Kernel } from '../../../src/kernel.ts';
import { createVmo, expectStatus, out } from '../../helpers.ts';
import { createChannel, createPort, threadState, userPacket } from '../ipc-helpers.ts';

/**
 * Three threads pass work around: a producer queues packets on a port, two workers take them,
 * each answering through a channel to a collector, which also waits with a deadline. Every
 * step goes to the log with its status.
 */
async function program(): Promise<string[]> {
  const kernel = new Kernel({ memoryBytes: 1 << 24 });
  const proc = kernel.createProcess({ name: 'sched' });
  const sys = proc.syscalls;
  const port = createPort(sys);
  const [toCollector, collector] = createChannel(sys);
  const event = createVmo(sys, 0);
  const log: string[] = [];
  const worker = (name: string) =>
    proc.startThread(async (t) => {
      for (;;) {
        const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
        const status = await t.zx_port_wait(port, ZX_TIME_INFINITE, packet);
        const key = decodeZxPortPacket(packet).key;
        log.push(`${name} got ${key} (${status})`);
        if (key === 0n) return;
        const reply = new Uint8Array([Number(key), name.charCodeAt(0)]);
        log.push(`${name} wrote (${await t.zx_channel_write(toCollector, 0, reply, 2, null, 0)})`);
      }
    });
  const workers = [worker('A'), worker('B')];
  const collectorThread = proc.startThread(async (t) => {
    let got = 0;
    while (got < 6) {
      const observed = out(0);
      const status = await t.zx_object_wait_one(
        collector,
        ZX_CHANNEL_READABLE,
        ZX_TIME_INFINITE,
        observed,
      );
      const bytes = new Uint8Array(2);
      while ((await t.zx_channel_read(collector, 0, bytes, null, 2, 0, null, null)) === ZX_OK) {
        log.push(`collector read ${bytes[0]} from ${String.fromCharCode(bytes[1]!)} (${status})`);
        got++;
      }
    }
    const late = await t.zx_object_wait_one(event, ZX_USER_SIGNAL_0, kernel.now + 100n, null);
    log.push(`collector deadline (${late})`);
  });
  const producer = proc.startThread(async (t) => {
    for (let key = 1n; key <= 6n; key++) {
      log.push(`producer queued ${key} (${await t.zx_port_queue(port, userPacket(key))})`);
    }
    log.push(`producer queued stop (${await t.zx_port_queue(port, userPacket(0n))})`);
    log.push(`producer queued stop (${await t.zx_port_queue(port, userPacket(0n))})`);
  });
  await kernel.idle();
  log.push('idle');
  kernel.advanceTime(100);
  await Promise.all([producer.done, collectorThread.done, ...workers.map((w) => w.done)]);
  log.push('done');
  return log;
}

describe('scheduling', () => {
  it('runs the same program with the same interleaving and statuses every time', async () => {
    const first = await program();
    const second = await program();
    assert.deepEqual(second, first);
    // The run did interleave: both workers took packets, and the deadline fired on advanceTime.
    assert.ok(first.some((line) => line.startsWith('A got')));
    assert.ok(first.some((line) => line.startsWith('B got')));
    assert.ok(first.includes(`collector deadline (${ZX_ERR_TIMED_OUT})`));
    assert.ok(first.indexOf('idle') < first.indexOf(`collector deadline (${ZX_ERR_TIMED_OUT})`));
  });
});

describe('kernel.idle()', () => {
  it('settles at once when no thread exists', async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 24 });
    await kernel.idle();
  });

  it('waits for new threads to run, and settles once all wait', async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 24 });
    const proc = kernel.createProcess();
    const port = createPort(proc.syscalls);
    const ran: number[] = [];
    const threads = [0, 1, 2].map((i) =>
      proc.startThread(async (t) => {
        ran.push(i);
        await t.zx_port_wait(port, ZX_TIME_INFINITE, new Uint8Array(ZX_PORT_PACKET_SIZE));
      }),
    );
    await kernel.idle();
    assert.deepEqual(ran, [0, 1, 2]);
    for (const t of threads) {
      assert.equal(threadState(proc.syscalls, t.handle), ZX_THREAD_STATE_BLOCKED_PORT);
    }
    for (let i = 0; i < 3; i++)
      expectStatus(proc.syscalls.zx_port_queue(port, userPacket(1n)), ZX_OK);
    await kernel.idle();
    await Promise.all(threads.map((t) => t.done));
  });

  it('does not settle while a thread runs outside the kernel (awaiting something else)', async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 24 });
    const proc = kernel.createProcess();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const thread = proc.startThread(() => gate);
    let idle = false;
    const waiting = kernel.idle().then(() => {
      idle = true;
    });
    for (let i = 0; i < 50; i++) await Promise.resolve();
    assert.equal(idle, false);
    release();
    await thread.done;
    await waiting;
    assert.equal(idle, true);
  });

  it('settles when the last thread dies', async () => {
    const kernel = new Kernel({ memoryBytes: 1 << 24 });
    const proc = kernel.createProcess();
    const thread = proc.startThread(async (t) => {
      await t.zx_port_create(0, out(0));
      return 7;
    });
    await kernel.idle();
    assert.equal(await thread.done, 7);
  });
});
