// Attribution: 1000 snapshots of a 64 MiB VMO, each writing one page of its own. Each snapshot
// "commits" 64 MiB (it can see every page), but only one page is its alone, and its share of
// the memory (scaled bytes) is that page plus a thousandth of the rest. docs/attribution.md
// explains the numbers this prints. Try: npx zxvm run examples/attribution.ts

import {
  check,
  decodeZxInfoKmemStats,
  decodeZxInfoVmo,
  type Kernel,
  type Process,
  ZX_INFO_KMEM_STATS,
  ZX_INFO_KMEM_STATS_SIZE,
  ZX_INFO_VMO,
  ZX_INFO_VMO_SIZE,
  ZX_VMO_CHILD_SNAPSHOT,
  ZX_VMO_OP_COMMIT,
  type ZxInfoVmo,
} from '../src/index.ts';

export const description =
  '1000 snapshots of a 64 MiB VMO, each writing one page: committed, private and scaled bytes.';

const PAGE = 4096;
const SIZE = 64 * 1024 * 1024;
const SNAPSHOTS = 1000;

export default function attribution(kernel: Kernel, proc: Process): void {
  const sys = proc.syscalls;
  const info = (vmo: number): ZxInfoVmo => {
    const bytes = new Uint8Array(ZX_INFO_VMO_SIZE);
    check(sys.zx_object_get_info(vmo, ZX_INFO_VMO, bytes, bytes.length, null, null), 'get_info');
    return decodeZxInfoVmo(bytes);
  };
  const system = kernel.grantSystemResource(proc);
  const vmoBytes = (): bigint => {
    const bytes = new Uint8Array(ZX_INFO_KMEM_STATS_SIZE);
    const status = sys.zx_object_get_info(
      system,
      ZX_INFO_KMEM_STATS,
      bytes,
      bytes.length,
      null,
      null,
    );
    check(status, 'get_info');
    return decodeZxInfoKmemStats(bytes).vmo_bytes;
  };
  const show = (name: string, i: ZxInfoVmo): void => {
    // The fraction is in 63-bit fixed point: 2^63 is one byte.
    const fraction = Number(i.committed_fractional_scaled_bytes) / 2 ** 63;
    console.log(
      `${name.padEnd(14)} committed ${i.committed_bytes}  private ${i.committed_private_bytes}  ` +
        `scaled ${i.committed_scaled_bytes} + ${fraction.toFixed(6)}`,
    );
  };

  const original = { value: 0 };
  check(sys.zx_vmo_create(SIZE, 0, original), 'zx_vmo_create');
  check(sys.zx_vmo_op_range(original.value, ZX_VMO_OP_COMMIT, 0, SIZE, null, 0), 'commit');
  show('alone', info(original.value));

  const snapshots: number[] = [];
  for (let n = 0; n < SNAPSHOTS; n++) {
    const child = { value: 0 };
    check(
      sys.zx_vmo_create_child(original.value, ZX_VMO_CHILD_SNAPSHOT, 0, SIZE, child),
      'zx_vmo_create_child',
    );
    // Snapshot n writes page n: that page becomes its own.
    check(sys.zx_vmo_write(child.value, new Uint8Array([1]), n * PAGE, 1), 'zx_vmo_write');
    snapshots.push(child.value);
  }

  show('original', info(original.value));
  show('snapshot 1', info(snapshots[0]!));
  show(`snapshot ${SNAPSHOTS}`, info(snapshots[SNAPSHOTS - 1]!));

  // The scaled bytes of every VMO add up to the frames the kernel holds (less the fractions).
  let integral = 0n;
  let fraction = 0n;
  for (const vmo of [original.value, ...snapshots]) {
    const i = info(vmo);
    integral += i.committed_scaled_bytes;
    fraction += i.committed_fractional_scaled_bytes;
  }
  const sum = integral + fraction / 2n ** 63n;
  const held = vmoBytes();
  console.log(`sum of scaled ${sum} bytes; KMEM vmo_bytes ${held} (${held / BigInt(PAGE)} frames)`);

  for (const vmo of snapshots) check(sys.zx_handle_close(vmo), 'zx_handle_close');
  check(sys.zx_handle_close(original.value), 'zx_handle_close');
  console.log(`after closing all: vmo_bytes ${vmoBytes()}`);
  check(sys.zx_handle_close(system), 'zx_handle_close');
}
