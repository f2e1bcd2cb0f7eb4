// VmAddressRegionOrMapping: what a VMAR holds. Each child is either a VmAddressRegion (a
// sub-VMAR, which holds children of its own) or a VmMapping (a window onto a VMO). Both occupy
// [base, base + size) of their parent, in absolute virtual addresses.

import { ZX_VM_PERM_EXECUTE, ZX_VM_PERM_READ, ZX_VM_PERM_WRITE } from '../abi/constants.ts';
import { RegionListNode } from './region-list.ts';
import type { VmAddressRegion } from './vm-address-region.ts';
import type { VmAspace } from './vm-aspace.ts';

/** Access permissions, as ZX_VM_PERM_* bits (the model's MMU flags). */
export const PERM_READ = ZX_VM_PERM_READ;
export const PERM_WRITE = ZX_VM_PERM_WRITE;
export const PERM_EXECUTE = ZX_VM_PERM_EXECUTE;
export const PERM_RWX = PERM_READ | PERM_WRITE | PERM_EXECUTE;

export abstract class VmAddressRegionOrMapping extends RegionListNode {
  abstract readonly isMapping: boolean;
  readonly aspace: VmAspace;
  /** The VMAR this lies in; null only for an aspace's root VMAR. */
  readonly parent: VmAddressRegion | null;
  /**
   * The most this region may ever be mapped with (CAN_MAP_READ/WRITE/EXECUTE, as PERM_* bits):
   * a sub-VMAR's children and a mapping's protections stay within it.
   */
  readonly canMap: number;
  /** False once destroyed (unmapped); its handles then report ZX_ERR_BAD_STATE. */
  alive = true;

  constructor(
    aspace: VmAspace,
    parent: VmAddressRegion | null,
    base: number,
    size: number,
    canMap: number,
  ) {
    super(base, size);
    this.aspace = aspace;
    this.parent = parent;
    this.canMap = canMap;
  }

  /** Unmaps everything and marks this dead; its parent forgets it. */
  abstract destroy(): void;
}
