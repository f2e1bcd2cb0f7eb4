// BtiObject: a bus transaction initiator (Zircon's BusTransactionInitiatorDispatcher), the
// identity of a device behind an IOMMU. zx_bti_pin pins VMO pages for the device's DMA and
// returns their device addresses (physical addresses, with the stub IOMMU); each pin is a PMT.

import {
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OBJ_TYPE_BTI,
  ZX_OK,
} from '../abi/constants.ts';
import { U64_MAX } from '../util/u64.ts';
import { pinPages, unpinPages } from '../vm/physical.ts';
import type { IommuObject } from './iommu.ts';
import { KernelObject } from './kernel-object.ts';
import { PmtObject } from './pmt.ts';
import type { Koid } from './types.ts';
import type { VmoObject } from './vmo-object.ts';

export class BtiObject extends KernelObject {
  readonly type = ZX_OBJ_TYPE_BTI;
  readonly iommu: IommuObject;
  readonly btiId: bigint;
  /** Live PMTs: pinned, whether their handle is open or they are quarantined. */
  readonly pmts = new Set<PmtObject>();
  /** PMTs closed without unpinning: while any is here, new pins are refused. */
  readonly quarantine = new Set<PmtObject>();
  /** Set when the last handle is closed: no new pins. Live PMTs keep working. */
  zeroHandles = false;

  constructor(koid: Koid, iommu: IommuObject, btiId: bigint) {
    super(koid);
    this.iommu = iommu;
    this.btiId = btiId;
  }

  /**
   * zx_bti_pin past its argument checks (Zircon's BusTransactionInitiatorDispatcher::Pin):
   * pins [offset, offset + size) of `vmo` (page aligned) with the ZX_BTI_PERM_* bits `perms`,
   * committing it, and makes the PMT that holds the pin (koid from `newKoid`). Nothing stays
   * pinned on failure.
   */
  pin(
    vmo: VmoObject,
    offset: bigint,
    size: bigint,
    perms: number,
    newKoid: () => Koid,
  ): PmtObject | number {
    if (size === 0n) return ZX_ERR_INVALID_ARGS;
    const object = vmo.vmo;
    const end = offset + size;
    if (end > U64_MAX || end > object.sizeBytes) return ZX_ERR_OUT_OF_RANGE;
    const frames = pinPages(object, Number(offset >> 12n), Number(end >> 12n));
    if (typeof frames === 'number') return frames;
    // Driver code must stop the DMA of quarantined PMTs and release them before pinning more;
    // the stub IOMMU then maps nothing without a permission.
    const refused =
      this.zeroHandles || this.quarantine.size > 0
        ? ZX_ERR_BAD_STATE
        : perms === 0
          ? ZX_ERR_INVALID_ARGS
          : ZX_OK;
    if (refused !== ZX_OK) {
      unpinPages(object, frames);
      return refused;
    }
    return new PmtObject(newKoid(), this, vmo, frames);
  }

  /** zx_bti_release_quarantine: unpins every quarantined PMT. */
  releaseQuarantine(): void {
    for (const pmt of [...this.quarantine]) pmt.unpin();
  }

  override onZeroHandles(): void {
    this.zeroHandles = true;
  }
}
