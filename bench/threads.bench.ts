// Thread switches. Two zx threads play ping-pong through two ports: the pinger queues a packet
// on one port (waking the ponger, parked in zx_port_wait) and waits on the other for the
// answer, which the ponger queues before parking again. Each round trip is two switches: wake
// a parked thread, park this one. One benchmark iteration is 100 round trips (200 switches),
// started by the host through a third port; the baseline is 200 awaits of a resolved promise,
// the cheapest switch the event loop has, so the ratio is the cost of one thread switch in
// awaits.

import { Kernel, ZX_PORT_PACKET_SIZE, ZX_TIME_INFINITE } from '../src/index.ts';
import { bench, ok, runBenchmarks, summary } from './harness.ts';

const ROUNDS = 100;
const SWITCHES = 2 * ROUNDS;

const kernel = new Kernel({ memoryBytes: 1 << 24 });
const proc = kernel.createProcess({ name: 'switch' });
const sys = proc.syscalls;

function port(): number {
  const out = { value: 0 };
  ok(sys.zx_port_create(0, out), 'zx_port_create');
  return out.value;
}

const go = port();
const ping = port();
const pong = port();
const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
let finished: (() => void) | null = null;

proc.startThread(async (t) => {
  const buffer = new Uint8Array(ZX_PORT_PACKET_SIZE);
  for (;;) {
    ok(await t.zx_port_wait(ping, ZX_TIME_INFINITE, buffer), 'ponger wait');
    ok(await t.zx_port_queue(pong, buffer), 'ponger queue');
  }
});

proc.startThread(async (t) => {
  const buffer = new Uint8Array(ZX_PORT_PACKET_SIZE);
  for (;;) {
    ok(await t.zx_port_wait(go, ZX_TIME_INFINITE, buffer), 'pinger go');
    for (let i = 0; i < ROUNDS; i++) {
      ok(await t.zx_port_queue(ping, buffer), 'pinger queue');
      ok(await t.zx_port_wait(pong, ZX_TIME_INFINITE, buffer), 'pinger wait');
    }
    finished?.();
  }
});

await kernel.idle();

summary(() => {
  bench(`${SWITCHES} awaits of a resolved promise`, async () => {
    for (let i = 0; i < SWITCHES; i++) await Promise.resolve();
  }).baseline();
  bench(`${ROUNDS} thread round trips through ports (${SWITCHES} switches)`, () => {
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    ok(sys.zx_port_queue(go, packet), 'host go');
    return done;
  });
});

await runBenchmarks({
  title: 'Thread switches',
  comparisons: [
    {
      label: 'thread switch (port wake + wait) vs await',
      subject: `${ROUNDS} thread round trips through ports (${SWITCHES} switches)`,
      baseline: `${SWITCHES} awaits of a resolved promise`,
    },
  ],
});
