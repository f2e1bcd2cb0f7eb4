// Snapshots: one VMO, three snapshots taken between writes, writes on both sides afterwards,
// then a read of each. A snapshot costs no copy when it is made; a page is copied only when one
// side writes it. Try: npx zxvm run examples/snapshots.ts --trace

import {
  check,
  decodeZxInfoVmo,
  type Kernel,
  type Process,
  ZX_INFO_VMO,
  ZX_INFO_VMO_SIZE,
  ZX_STATUS_NAMES,
  ZX_VMO_CHILD_SNAPSHOT,
} from '../src/index.ts';

export const description =
  'A VMO, three snapshots taken between writes, writes on both sides, a read of each.';

const PAGE = 4096;
const SIZE = 4 * PAGE;

export default function snapshots(kernel: Kernel, proc: Process): void {
  const sys = proc.syscalls;

  const create = (): number => {
    const out = { value: 0 };
    check(sys.zx_vmo_create(SIZE, 0, out), 'zx_vmo_create');
    return out.value;
  };
  const snapshot = (vmo: number): number => {
    const out = { value: 0 };
    check(sys.zx_vmo_create_child(vmo, ZX_VMO_CHILD_SNAPSHOT, 0, SIZE, out), 'zx_vmo_create_child');
    return out.value;
  };
  const write = (vmo: number, text: string, offset: number): void => {
    const bytes = new TextEncoder().encode(text);
    check(sys.zx_vmo_write(vmo, bytes, offset, bytes.length), 'zx_vmo_write');
  };
  const read = (vmo: number, offset: number, length: number): string => {
    const bytes = new Uint8Array(length);
    check(sys.zx_vmo_read(vmo, bytes, offset, length), 'zx_vmo_read');
    // Pages never written read as zeros; show them as an empty string.
    return new TextDecoder().decode(bytes).replace(/\0+$/, '');
  };
  const committed = (vmo: number): bigint => {
    const bytes = new Uint8Array(ZX_INFO_VMO_SIZE);
    check(sys.zx_object_get_info(vmo, ZX_INFO_VMO, bytes, bytes.length, null, null), 'get_info');
    return decodeZxInfoVmo(bytes).committed_bytes;
  };

  const original = create();
  write(original, 'version 1', 0);
  const first = snapshot(original);
  write(original, 'version 2', 0);
  const second = snapshot(original);
  write(original, 'version 3', 0);
  const third = snapshot(original);

  // Writes on both sides: each copies one page, for the side that writes it only.
  write(original, 'version 4', 0);
  write(second, 'written in snapshot 2', PAGE);
  // A snapshot of the kernel for `zxvm inspect` (it changes nothing; the page draws every step).
  kernel.inspect('three snapshots, written on both sides');

  for (const [name, vmo] of [
    ['original', original],
    ['snapshot 1', first],
    ['snapshot 2', second],
    ['snapshot 3', third],
  ] as const) {
    const page0 = read(vmo, 0, 9);
    const page1 = read(vmo, PAGE, 21);
    console.log(
      `${name.padEnd(10)}  page 0: ${JSON.stringify(page0)}  page 1: ${JSON.stringify(page1)}  ` +
        `committed: ${committed(vmo)} bytes`,
    );
  }

  // A snapshot has the size it was given: reading past its end fails (the trace shows it).
  const status = sys.zx_vmo_read(first, new Uint8Array(1), SIZE, 1);
  console.log(`reading past the end of snapshot 1: ${ZX_STATUS_NAMES[status]}`);

  for (const vmo of [third, second, first, original]) {
    check(sys.zx_handle_close(vmo), 'zx_handle_close');
  }
}
