// VmarObject: the kernel object behind a VMAR handle (Zircon's VmAddressRegionDispatcher). It
// names one VmAddressRegion of an address space. Closing its handles changes nothing in the
// address space; destroying the region (zx_vmar_destroy, or unmapping it from its parent)
// leaves the handles valid but makes every operation through them ZX_ERR_BAD_STATE.

import {
  ZX_DEFAULT_VMAR_RIGHTS,
  ZX_OBJ_TYPE_VMAR,
  ZX_RIGHT_EXECUTE,
  ZX_RIGHT_READ,
  ZX_RIGHT_WRITE,
} from '../abi/constants.ts';
import { PERM_EXECUTE, PERM_READ, PERM_WRITE } from '../vm/region.ts';
import type { VmAddressRegion } from '../vm/vmar.ts';
import { Dispatcher } from './dispatcher.ts';
import type { Koid } from './types.ts';

export class VmarObject extends Dispatcher {
  readonly type = ZX_OBJ_TYPE_VMAR;
  readonly region: VmAddressRegion;

  constructor(koid: Koid, region: VmAddressRegion) {
    super(koid);
    this.region = region;
  }

  /** The region's absolute base address (ZX_INFO_VMAR base). */
  get base(): bigint {
    return BigInt(this.region.base);
  }

  /** The region's size in bytes (ZX_INFO_VMAR len). */
  get size(): bigint {
    return BigInt(this.region.size);
  }

  /** The rights of a new handle to this VMAR: the defaults, plus READ/WRITE/EXECUTE as it may map. */
  get defaultRights(): number {
    const canMap = this.region.canMap;
    return (
      ZX_DEFAULT_VMAR_RIGHTS |
      ((canMap & PERM_READ) !== 0 ? ZX_RIGHT_READ : 0) |
      ((canMap & PERM_WRITE) !== 0 ? ZX_RIGHT_WRITE : 0) |
      ((canMap & PERM_EXECUTE) !== 0 ? ZX_RIGHT_EXECUTE : 0)
    );
  }
}
