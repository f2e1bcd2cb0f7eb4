// A user pager serving a file: a pager-backed VMO starts with no pages; a reader thread maps it
// and loads from it, which faults, sends a READ request to the pager's port and parks the
// reader until a pager thread supplies the pages, copied from a Uint8Array "disk". The
// scenario inspects the kernel while the reader waits, then lets the pager run.
// Try: npx zxvm run examples/pager-file.ts --trace

import {
  decodeZxPortPacket,
  type Kernel,
  type Process,
  ZX_PAGER_VMO_COMPLETE,
  ZX_PAGER_VMO_READ,
  ZX_PORT_PACKET_SIZE,
  ZX_TIME_INFINITE,
  ZX_VM_PERM_READ,
} from '../src/index.ts';

export const description =
  'A pager thread serves a file from a Uint8Array disk to a reader that maps it: faults, page requests, supplies.';

const PAGE = 4096;
const PAGES = 4;

export default async function pagerFile(kernel: Kernel, proc: Process): Promise<void> {
  const sys = proc.syscalls;
  // The disk: page i holds the text "page i" and then dots.
  const disk = new Uint8Array(PAGES * PAGE).fill(46);
  for (let i = 0; i < PAGES; i++) disk.set(new TextEncoder().encode(`page ${i}`), i * PAGE);

  const pager = { value: 0 };
  const port = { value: 0 };
  const file = { value: 0 };
  sys.zx_pager_create(0, pager);
  sys.zx_port_create(0, port);
  sys.zx_pager_create_vmo(pager.value, 0, port.value, 1n, disk.length, file);

  // The reader maps the file and reads the first bytes of pages 1 and 2.
  const reader = proc.startThread(async (t) => {
    const addr = { value: 0n };
    t.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, file.value, 0, disk.length, addr);
    const text: string[] = [];
    for (const page of [1, 2]) {
      const bytes = new Uint8Array(6);
      await t.load(addr.value + BigInt(page * PAGE), bytes); // faults, waits for the pager
      text.push(new TextDecoder().decode(bytes));
    }
    return text.join(', ');
  });
  await kernel.idle();
  kernel.inspect('the reader waits for page 1');

  // The pager: each READ request is answered with the disk's bytes, moved in through an aux
  // VMO; COMPLETE (after the detach below) ends it.
  const server = proc.startThread(async (t) => {
    const bytes = new Uint8Array(ZX_PORT_PACKET_SIZE);
    let served = 0;
    for (;;) {
      await t.zx_port_wait(port.value, ZX_TIME_INFINITE, bytes);
      const request = decodeZxPortPacket(bytes).page_request!;
      if (request.command === ZX_PAGER_VMO_COMPLETE) return served;
      if (request.command !== ZX_PAGER_VMO_READ) continue;
      const offset = Number(request.offset);
      const length = Number(request.length);
      const aux = { value: 0 };
      t.zx_vmo_create(length, 0, aux);
      t.zx_vmo_write(aux.value, disk.subarray(offset, offset + length), 0, length);
      t.zx_pager_supply_pages(pager.value, file.value, offset, length, aux.value, 0);
      t.zx_handle_close(aux.value);
      served += length / PAGE;
    }
  });

  const read = await reader.done;
  console.log(`the reader read: ${String(read)}`);
  kernel.inspect('pages 1 and 2 supplied');
  sys.zx_pager_detach_vmo(pager.value, file.value);
  console.log(`the pager served ${String(await server.done)} pages, then saw COMPLETE`);
}
