// Helpers for the driver tests: physical and contiguous VMOs, a stub IOMMU and BTIs that must
// be made, and pins that must succeed (or whose status is wanted).

import { ZX_IOMMU_TYPE_STUB, ZX_OK } from '../../../src/abi/constants.ts';
import type { Kernel } from '../../../src/kernel.ts';
import type { Process } from '../../../src/process.ts';
import type { Syscalls } from '../../../src/syscalls/index.ts';
import { expectStatus, out, PAGE, systemResource } from '../../helpers.ts';

/** The page size as a bigint. */
export const P = BigInt(PAGE);
/** A zx_iommu_desc_stub_t: one byte of padding. */
export const STUB_DESC = new Uint8Array(1);

/** zx_vmo_create_physical that must succeed. */
export function physicalVmo(
  sys: Syscalls,
  resource: number,
  paddr: bigint | number,
  size: bigint | number,
): number {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create_physical(resource, paddr, size, handle), ZX_OK);
  return handle.value;
}

/** A stub IOMMU made from the system resource. */
export function iommu(kernel: Kernel, proc: Process): number {
  const handle = out(0);
  expectStatus(
    proc.syscalls.zx_iommu_create(
      systemResource(kernel, proc),
      ZX_IOMMU_TYPE_STUB,
      STUB_DESC,
      1,
      handle,
    ),
    ZX_OK,
  );
  return handle.value;
}

/** A BTI of a new stub IOMMU. */
export function bti(kernel: Kernel, proc: Process): number {
  const handle = out(0);
  expectStatus(proc.syscalls.zx_bti_create(iommu(kernel, proc), 0, 0, handle), ZX_OK);
  return handle.value;
}

/** zx_vmo_create_contiguous that must succeed. */
export function contiguousVmo(sys: Syscalls, btiHandle: number, size: number, align = 0): number {
  const handle = out(0);
  expectStatus(sys.zx_vmo_create_contiguous(btiHandle, size, align, handle), ZX_OK);
  return handle.value;
}

/** zx_bti_pin that must succeed: the addresses and the PMT handle. */
export function pin(
  sys: Syscalls,
  btiHandle: number,
  options: number,
  vmo: number,
  offset: number,
  size: number,
  count: number,
): { addrs: bigint[]; pmt: number } {
  const buffer = new Uint8Array(count * 8);
  const pmt = out(0);
  expectStatus(sys.zx_bti_pin(btiHandle, options, vmo, offset, size, buffer, count, pmt), ZX_OK);
  const view = new DataView(buffer.buffer);
  const addrs = Array.from({ length: count }, (_, i) => view.getBigUint64(i * 8, true));
  return { addrs, pmt: pmt.value };
}

/** The status of a zx_bti_pin with a large enough host array. */
export function pinStatus(
  sys: Syscalls,
  btiHandle: number,
  options: number,
  vmo: number,
  offset: number | bigint,
  size: number | bigint,
  count: number,
): number {
  return sys.zx_bti_pin(
    btiHandle,
    options,
    vmo,
    offset,
    size,
    new Uint8Array(Math.min(count, 64) * 8),
    count,
    out(0),
  );
}
