// A slice in a mapping: a slice is a window onto its parent's pages, not a copy. Mapped into the
// address space, a store through the mapping changes the parent, and a write to the parent shows
// in the mapping. Try: npx zxvm run examples/slice-in-mapping.ts --trace

import {
  check,
  type Kernel,
  type Process,
  ZX_STATUS_NAMES,
  ZX_VM_PERM_READ,
  ZX_VM_PERM_WRITE,
  ZX_VMO_CHILD_SLICE,
} from '../src/index.ts';

export const description =
  'A slice of a VMO mapped into the address space: stores through it change the parent.';

const PAGE = 4096;

export default function sliceInMapping(kernel: Kernel, proc: Process): void {
  const sys = proc.syscalls;
  const encode = (text: string) => new TextEncoder().encode(text);
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/\0+$/, '');

  const parent = { value: 0 };
  check(sys.zx_vmo_create(4 * PAGE, 0, parent), 'zx_vmo_create');
  for (let page = 0; page < 4; page++) {
    const label = encode(`parent page ${page}`);
    check(sys.zx_vmo_write(parent.value, label, page * PAGE, label.length), 'zx_vmo_write');
  }

  // Pages 1 and 2 of the parent, as a VMO of its own.
  const slice = { value: 0 };
  const sliceStatus = sys.zx_vmo_create_child(
    parent.value,
    ZX_VMO_CHILD_SLICE,
    PAGE,
    2 * PAGE,
    slice,
  );
  check(sliceStatus, 'zx_vmo_create_child');

  const addr = { value: 0n };
  const perms = ZX_VM_PERM_READ | ZX_VM_PERM_WRITE;
  check(sys.zx_vmar_map(proc.rootVmar, perms, 0, slice.value, 0, 2 * PAGE, addr), 'zx_vmar_map');
  const base = addr.value;
  console.log(`slice mapped at 0x${base.toString(16)}, 2 pages`);

  // Loads and stores are what the CPU does: no syscall, so they are not in the trace.
  const seen = new Uint8Array(13);
  check(proc.load(base, seen), 'load');
  console.log(`load at the mapping's start: ${JSON.stringify(decode(seen))}`);

  const through = encode('stored through the mapping');
  check(proc.store(base + BigInt(PAGE), through), 'store');
  const back = new Uint8Array(through.length);
  check(sys.zx_vmo_read(parent.value, back, 2 * PAGE, back.length), 'zx_vmo_read');
  console.log(`parent page 2 now reads: ${JSON.stringify(decode(back))}`);

  const fromParent = encode('the parent wrote this');
  check(sys.zx_vmo_write(parent.value, fromParent, PAGE, fromParent.length), 'zx_vmo_write');
  const again = new Uint8Array(fromParent.length);
  check(proc.load(base, again), 'load');
  console.log(`the mapping now shows: ${JSON.stringify(decode(again))}`);
  kernel.inspect('the slice mapped, written through the mapping and the parent');

  // Past the two mapped pages there is nothing: a store there faults.
  const fault = proc.store(base + BigInt(2 * PAGE), encode('x'));
  console.log(`store one page past the slice: ${ZX_STATUS_NAMES[fault]}`);

  // A slice cannot reach past its own size either.
  const outside = sys.zx_vmo_read(slice.value, new Uint8Array(1), 2 * PAGE, 1);
  console.log(`zx_vmo_read past the slice's end: ${ZX_STATUS_NAMES[outside]}`);

  check(sys.zx_vmar_unmap(proc.rootVmar, base, 2 * PAGE), 'zx_vmar_unmap');
  check(sys.zx_handle_close(slice.value), 'zx_handle_close');
  check(sys.zx_handle_close(parent.value), 'zx_handle_close');
}
