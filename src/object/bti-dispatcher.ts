// BusTransactionInitiatorDispatcher: a bus transaction initiator (BTI), the identity
// of a device behind an IOMMU. zx_bti_pin pins VMO pages for the device's DMA and
// returns their device addresses (physical addresses, with the stub IOMMU); each pin is a PMT.

import { ZX_OBJ_TYPE_BTI } from '../abi/constants.ts';
import { Dispatcher } from './dispatcher.ts';
import type { IommuDispatcher } from './iommu-dispatcher.ts';
import type { PinnedMemoryTokenDispatcher } from './pinned-memory-token-dispatcher.ts';
import type { Koid } from './types.ts';

export class BusTransactionInitiatorDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_BTI;
  readonly iommu: IommuDispatcher;
  readonly btiId: bigint;
  /** Live PMTs: pinned, whether their handle is open or they are quarantined. */
  readonly pmts = new Set<PinnedMemoryTokenDispatcher>();
  /** PMTs closed without unpinning: while any is here, new pins are refused. */
  readonly quarantine = new Set<PinnedMemoryTokenDispatcher>();
  /** Set when the last handle is closed: no new pins. Live PMTs keep working. */
  zeroHandles = false;

  constructor(koid: Koid, iommu: IommuDispatcher, btiId: bigint) {
    super(koid);
    this.iommu = iommu;
    this.btiId = btiId;
  }

  /** zx_bti_release_quarantine: unpins every quarantined PMT. */
  releaseQuarantine(): void {
    for (const pmt of [...this.quarantine]) pmt.unpin();
  }

  override onZeroHandles(): void {
    this.zeroHandles = true;
  }
}
