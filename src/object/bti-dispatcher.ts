// BusTransactionInitiatorDispatcher: a bus transaction initiator (BTI), the identity
// of a device behind an IOMMU. zx_bti_pin pins VMO pages for the device's DMA and
// returns their device addresses (physical addresses, with the stub IOMMU); each pin is a PMT.

import {
  ZX_BTI_PERM_WRITE,
  ZX_ERR_BAD_STATE,
  ZX_ERR_INVALID_ARGS,
  ZX_ERR_OUT_OF_RANGE,
  ZX_OBJ_TYPE_BTI,
  ZX_OK,
} from '../abi/constants.ts';
import { because, hex } from '../util/reason.ts';
import { PAGE_SHIFT_N, U64_MAX } from '../util/u64.ts';
import { pinPages, unpinPages } from '../vm/physical.ts';
import { Dispatcher } from './dispatcher.ts';
import type { IommuDispatcher } from './iommu-dispatcher.ts';
import { PinnedMemoryTokenDispatcher } from './pinned-memory-token-dispatcher.ts';
import type { Koid } from './types.ts';
import type { VmObjectDispatcher } from './vm-object-dispatcher.ts';

function pastEnd(offset: bigint, size: bigint, vmoSize: bigint): string {
  const sum = `offset + size (${hex(offset)} + ${hex(size)})`;
  if (offset + size > U64_MAX) return `${sum} overflows 64 bits`;
  return `${sum} is past the VMO's size (${hex(vmoSize)})`;
}

/** Why a pin is refused once the pages are pinned (they are unpinned again). */
function refusal(zeroHandles: boolean, quarantined: number): string {
  if (zeroHandles) return "the BTI's handles are all closed";
  if (quarantined > 0)
    return `the BTI holds ${quarantined} quarantined PMTs (zx_bti_release_quarantine)`;
  return 'options has no ZX_BTI_PERM_*';
}

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

  /** ZX_PROP_NAME: BTIs take names (Zircon's BusTransactionInitiatorDispatcher::set_name). */
  private name = new Uint8Array(0);

  override getName(): Uint8Array {
    return this.name;
  }

  override setName(name: Uint8Array): boolean {
    this.name = name.slice(0, 31);
    return true;
  }

  constructor(koid: Koid, iommu: IommuDispatcher, btiId: bigint) {
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
    vmo: VmObjectDispatcher,
    offset: bigint,
    size: bigint,
    perms: number,
    newKoid: () => Koid,
  ): PinnedMemoryTokenDispatcher | number {
    if (size === 0n) return because(ZX_ERR_INVALID_ARGS, 'size is 0');
    const object = vmo.vmo;
    const end = offset + size;
    if (end > U64_MAX || end > object.sizeBytes) {
      return because(ZX_ERR_OUT_OF_RANGE, pastEnd, offset, size, object.sizeBytes);
    }
    const [first, last] = [Number(offset >> PAGE_SHIFT_N), Number(end >> PAGE_SHIFT_N)];
    const frames = pinPages(object, first, last, (perms & ZX_BTI_PERM_WRITE) !== 0);
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
      return because(refused, refusal, this.zeroHandles, this.quarantine.size);
    }
    return new PinnedMemoryTokenDispatcher(newKoid(), this, vmo, frames);
  }

  /** zx_bti_release_quarantine: unpins every quarantined PMT. */
  releaseQuarantine(): void {
    for (const pmt of [...this.quarantine]) pmt.unpin();
  }

  override onZeroHandles(): void {
    this.zeroHandles = true;
  }
}
