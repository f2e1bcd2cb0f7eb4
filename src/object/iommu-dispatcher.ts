// IommuDispatcher: an IOMMU, from which BTIs are made. zxvm has only Zircon's stub IOMMU
// (ZX_IOMMU_TYPE_STUB, formerly DUMMY): it translates nothing, so the device addresses a BTI
// hands out are physical addresses, every bus transaction id is valid and the smallest
// contiguous run it promises is one page.

import { ZX_OBJ_TYPE_IOMMU } from '../abi/constants.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import { Dispatcher } from './dispatcher.ts';
import type { Koid } from './types.ts';

export class IommuDispatcher extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_IOMMU;
  /** The ZX_IOMMU_TYPE_* it was made as. */
  readonly iommuType: number;

  constructor(koid: Koid, iommuType: number) {
    super(koid);
    this.iommuType = iommuType;
  }

  /** The stub accepts every bus transaction id. */
  isValidBusTxnId(_btiId: bigint): boolean {
    return true;
  }

  /** Bytes the IOMMU maps contiguously at least (ZX_BTI_COMPRESS granularity). */
  get minimumContiguity(): number {
    return PAGE_SIZE;
  }
}
