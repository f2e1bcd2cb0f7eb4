// The user pager. Two measurements:
// - the page-request round trip: a zx thread faults on a missing page of a mapped pager-backed
//   VMO and parks (BLOCKED_PAGER); the pager thread, parked in zx_port_wait, takes the READ
//   packet, writes the page into a one-page aux VMO and supplies it; the faulting thread resumes
//   and faults on the next page. One iteration is 64 pages of a new VMO (made, mapped, unmapped
//   and closed by the host around them). Baselines: 64 copies of 4 KiB, and the same round trip
//   on Linux with userfaultfd (bench/native/uffd-roundtrip.c, built with the system `cc` when
//   there is one; the script says why when it cannot run);
// - supplying 1 MiB from an aux VMO (the pages move) against zx_vmo_write of 1 MiB (a copy
//   into committed pages). The aux VMO is filled, and the pager VMO made, outside the timing.

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  Kernel,
  ZX_PAGER_VMO_READ,
  ZX_PORT_PACKET_SIZE,
  ZX_TIME_INFINITE,
  ZX_VM_PERM_READ,
  ZX_VMO_OP_COMMIT,
} from '../src/index.ts';
import { bench, flags, ok, PAGE, runBenchmarks, summary } from './harness.ts';

const PAGES = 64;
const MIB = 1 << 20;

const kernel = new Kernel({ memoryBytes: 1 << 28 });
const proc = kernel.createProcess({ name: 'pager-bench' });
const sys = proc.syscalls;

function handle(make: (out: { value: number }) => number, what: string): number {
  const out = { value: 0 };
  ok(make(out), what);
  return out.value;
}

const pager = handle((o) => sys.zx_pager_create(0, o), 'zx_pager_create');
const port = handle((o) => sys.zx_port_create(0, o), 'zx_port_create');
const go = handle((o) => sys.zx_port_create(0, o), 'zx_port_create');
const pageBytes = new Uint8Array(PAGE).fill(0x5a);

/** The VMO the round trips fault on now, and where it is mapped. */
let file = 0;
let base = 0n;
let finished: (() => void) | null = null;

// The pager: each READ is answered with one page written into an aux VMO and moved in.
proc.startThread(async (t) => {
  const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
  // The request's fields read in place, as C reads zx_packet_page_request_t.
  const fields = new DataView(packet.buffer);
  const aux = handle((o) => t.zx_vmo_create(PAGE, 0, o) as number, 'aux');
  for (;;) {
    ok(await t.zx_port_wait(port, ZX_TIME_INFINITE, packet), 'pager wait');
    if (fields.getUint16(16, true) !== ZX_PAGER_VMO_READ) continue; // COMPLETE of a closed VMO
    const offset = fields.getBigUint64(24, true);
    const length = fields.getBigUint64(32, true);
    for (let at = 0n; at < length; at += BigInt(PAGE)) {
      // Neither call can wait: the aux page is the pager's own, the range is the request's.
      ok(t.zx_vmo_write(aux, pageBytes, 0, PAGE) as number, 'aux write');
      const status = t.zx_pager_supply_pages(pager, file, offset + at, BigInt(PAGE), aux, 0);
      ok(status as number, 'supply');
    }
  }
});

// The faulting thread: one load per page of the mapped file, each a fault and a round trip.
proc.startThread(async (t) => {
  const packet = new Uint8Array(ZX_PORT_PACKET_SIZE);
  const byte = new Uint8Array(1);
  for (;;) {
    ok(await t.zx_port_wait(go, ZX_TIME_INFINITE, packet), 'reader go');
    for (let page = 0; page < PAGES; page++) {
      ok(await t.load(base + BigInt(page * PAGE), byte), 'load');
    }
    finished?.();
  }
});

await kernel.idle();

/** One iteration of the round trip: a new file of PAGES pages, faulted in page by page. */
async function roundTrips(): Promise<void> {
  file = handle(
    (o) => sys.zx_pager_create_vmo(pager, 0, port, 1n, PAGES * PAGE, o),
    'zx_pager_create_vmo',
  );
  const addr = { value: 0n };
  ok(sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, file, 0, PAGES * PAGE, addr), 'map');
  base = addr.value;
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });
  ok(sys.zx_port_queue(go, new Uint8Array(ZX_PORT_PACKET_SIZE)), 'go');
  await done;
  ok(sys.zx_vmar_unmap(proc.rootVmar, base, PAGES * PAGE), 'unmap');
  ok(sys.zx_handle_close(file), 'close');
}

// The round trip's code needs thousands of faults before the JIT settles (a first run is 50
// times slower): warm it up before mitata measures.
for (let i = 0; i < (flags.quick ? 50 : 300); i++) await roundTrips();

const sources = Array.from({ length: PAGES }, () => new Uint8Array(PAGE).fill(1));
const sinks = Array.from({ length: PAGES }, () => new Uint8Array(PAGE));

// The 1 MiB supply and its baseline.
const megabyte = new Uint8Array(MIB).fill(7);
const written = handle((o) => sys.zx_vmo_create(MIB, 0, o), 'zx_vmo_create');
ok(sys.zx_vmo_op_range(written, ZX_VMO_OP_COMMIT, 0, MIB, null, 0), 'commit');
const supplyPort = handle((o) => sys.zx_port_create(0, o), 'zx_port_create');
let previous: number[] = [];

/** A filled aux VMO and a new pager VMO to supply into (the last pair closed first). */
function supplyPair(): [number, number] {
  for (const h of previous) ok(sys.zx_handle_close(h), 'close');
  const aux = handle((o) => sys.zx_vmo_create(MIB, 0, o), 'aux');
  ok(sys.zx_vmo_write(aux, megabyte, 0, MIB), 'aux write');
  const target = handle(
    (o) => sys.zx_pager_create_vmo(pager, 0, supplyPort, 2n, MIB, o),
    'zx_pager_create_vmo',
  );
  previous = [aux, target];
  return [aux, target];
}

summary(() => {
  bench(`${PAGES} copies of 4 KiB`, () => {
    for (let i = 0; i < PAGES; i++) sinks[i]!.set(sources[i]!);
  }).baseline();
  bench(`${PAGES} page-request round trips (fault, supply, resume)`, roundTrips);
});

summary(() => {
  bench('zx_vmo_write 1 MiB', () =>
    ok(sys.zx_vmo_write(written, megabyte, 0, MIB), 'write'),
  ).baseline();
  bench('zx_pager_supply_pages 1 MiB from an aux VMO', function* () {
    yield {
      0: supplyPair,
      manual([aux, target]: [number, number]) {
        const t0 = process.hrtime.bigint();
        ok(sys.zx_pager_supply_pages(pager, target, 0, MIB, aux, 0), 'supply');
        return Number(process.hrtime.bigint() - t0);
      },
    };
  });
});

const report = await runBenchmarks({
  title: 'User pager',
  comparisons: [
    {
      label: `${PAGES} page-request round trips vs ${PAGES} copies of 4 KiB`,
      subject: `${PAGES} page-request round trips (fault, supply, resume)`,
      baseline: `${PAGES} copies of 4 KiB`,
    },
    {
      label: 'supply 1 MiB from an aux VMO vs zx_vmo_write 1 MiB',
      subject: 'zx_pager_supply_pages 1 MiB from an aux VMO',
      baseline: 'zx_vmo_write 1 MiB',
      bytes: MIB,
      maxRatio: 1,
    },
  ],
});

// The round trip against userfaultfd: a native figure, so a table of its own.
const native = userfaultfdNsPerPage();
const ours = report.stats.get(`${PAGES} page-request round trips (fault, supply, resume)`);
if (ours !== undefined) {
  const perPage = ours.p50 / PAGES;
  console.log('\n### Page-request round trip vs Linux userfaultfd\n');
  if (typeof native === 'string') {
    console.log(`zxvm: ${(perPage / 1000).toFixed(2)} µs per page; userfaultfd skipped: ${native}`);
  } else {
    const speedup = native / perPage;
    const pass = speedup >= 4;
    console.log(
      '| comparison | zxvm per page | userfaultfd per page | speedup | target | result |',
    );
    console.log('|---|---:|---:|---:|---|---|');
    console.log(
      `| page-request round trip | ${(perPage / 1000).toFixed(2)} µs | ${(native / 1000).toFixed(2)} µs | ${speedup.toFixed(2)}x | ≥ 4x | ${pass ? 'pass' : '**FAIL**'} |`,
    );
    if (flags.check && !pass) process.exitCode = 1;
  }
}

/** ns per page of bench/native/uffd-roundtrip.c, or why it could not run. */
function userfaultfdNsPerPage(): number | string {
  const source = new URL('./native/uffd-roundtrip.c', import.meta.url).pathname;
  const binary = join(mkdtempSync(join(tmpdir(), 'zxvm-uffd-')), 'uffd-roundtrip');
  try {
    execFileSync('cc', ['-O2', '-pthread', '-o', binary, source], { stdio: 'pipe' });
  } catch (error) {
    return `no C compiler could build ${source} (${(error as Error).message.split('\n')[0]})`;
  }
  const runs = flags.quick ? '5' : '21';
  const output = execFileSync(binary, ['256', runs], { encoding: 'utf8' }).trim();
  const match = /^ns_per_page ([\d.]+)$/.exec(output);
  return match === null ? output.replace(/^skipped /, '') : Number(match[1]);
}
