// Copy-on-write faults: a snapshot mapped into the address space shares every page with its
// parent until a store touches one; the fault then copies that page alone. The scenario prints
// what each VMO holds and how many frames the kernel uses after each step.
// Try: npx zxvm run examples/cow-faults.ts --trace

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
  ZX_STATUS_NAMES,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SNAPSHOT,
} from '../src/index.ts';

export const description =
  'A snapshot mapped writable: each first store to a shared page faults and copies that page.';

const PAGE = 4096;
const PAGES = 4;

export default function cowFaults(kernel: Kernel, proc: Process): void {
  const sys = proc.syscalls;
  const system = kernel.grantSystemResource(proc);

  /** Pages that this VMO alone holds (shared ones are not counted). */
  const privatePages = (vmo: number): number => {
    const bytes = new Uint8Array(ZX_INFO_VMO_SIZE);
    check(sys.zx_object_get_info(vmo, ZX_INFO_VMO, bytes, bytes.length, null, null), 'get_info');
    return Number(decodeZxInfoVmo(bytes).committed_private_bytes) / PAGE;
  };
  const framesInVmos = (): number => {
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
    return Number(decodeZxInfoKmemStats(bytes).vmo_bytes) / PAGE;
  };
  const report = (step: string, parent: number, child: number): void => {
    const pages = `parent ${privatePages(parent)}, snapshot ${privatePages(child)}`;
    console.log(`${step.padEnd(44)} private pages: ${pages}; frames in VMOs: ${framesInVmos()}`);
  };

  // A parent with every page written.
  const parent = { value: 0 };
  check(sys.zx_vmo_create(PAGES * PAGE, 0, parent), 'zx_vmo_create');
  const fill = new Uint8Array(PAGES * PAGE).fill(0x61); // 'a'
  check(sys.zx_vmo_write(parent.value, fill, 0, fill.length), 'zx_vmo_write');

  const child = { value: 0 };
  const size = PAGES * PAGE;
  check(
    sys.zx_vmo_create_child(parent.value, ZX_VMO_CHILD_SNAPSHOT, 0, size, child),
    'zx_vmo_create_child',
  );
  report('snapshot made', parent.value, child.value);

  const addr = { value: 0n };
  const rw = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  check(sys.zx_vmar_map(proc.rootVmar, rw, 0, child.value, 0, size, addr), 'zx_vmar_map');
  const base = addr.value;

  // Reading through the mapping shares the parent's frame: no copy.
  const one = new Uint8Array(1);
  check(proc.load(base + BigInt(PAGE), one), 'load');
  report(`load page 1 (reads "${String.fromCharCode(one[0]!)}")`, parent.value, child.value);

  // The first store to a shared page faults and copies it; the second store does not. The
  // original of that page is now seen by the parent alone, so both count one private page.
  check(proc.store(base, new Uint8Array([0x62])), 'store');
  report('store to page 0 (copy-on-write fault)', parent.value, child.value);
  check(proc.store(base + 1n, new Uint8Array([0x62])), 'store');
  report('store to page 0 again (no fault)', parent.value, child.value);

  // A write on the parent's side copies too, and the snapshot keeps what it saw.
  const z = new Uint8Array([0x7a]);
  check(sys.zx_vmo_write(parent.value, z, 2 * PAGE, 1), 'zx_vmo_write');
  check(proc.load(base + BigInt(2 * PAGE), one), 'load');
  report(
    `parent writes page 2 (snapshot reads "${String.fromCharCode(one[0]!)}")`,
    parent.value,
    child.value,
  );

  kernel.inspect('the snapshot mapped: one page forked by a fault, one by the parent');

  // A read-only mapping of the parent: a store is a permission fault.
  const ro = { value: 0n };
  check(
    sys.zx_vmar_map(proc.rootVmar, ZX_VM_PERM_READ, 0, parent.value, 0, size, ro),
    'zx_vmar_map',
  );
  const denied = proc.store(ro.value, z);
  console.log(`store through a read-only mapping: ${ZX_STATUS_NAMES[denied]}`);

  check(sys.zx_vmar_unmap(proc.rootVmar, ro.value, size), 'zx_vmar_unmap');
  check(sys.zx_vmar_unmap(proc.rootVmar, base, size), 'zx_vmar_unmap');
  check(sys.zx_handle_close(child.value), 'zx_handle_close');
  check(sys.zx_handle_close(parent.value), 'zx_handle_close');
  console.log(`after closing both: frames in VMOs: ${framesInVmos()}`);
  check(sys.zx_handle_close(system), 'zx_handle_close');
}
