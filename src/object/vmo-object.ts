// VmoObject: the kernel object behind a VMO handle (Zircon's VmObjectDispatcher). It wraps the
// VmObjectPaged and adds what belongs to the handle-visible object: the content size and the
// ZX_VMO_ZERO_CHILDREN signal. The VMO lives while a handle, a mapping or a child needs it.

import { ZX_OBJ_TYPE_VMO, ZX_VMO_ZERO_CHILDREN } from '../abi/constants.ts';
import type { VmObjectPaged } from '../vm/vm-object.ts';
import { KernelObject } from './kernel-object.ts';
import type { Koid } from './types.ts';

export class VmoObject extends KernelObject {
  readonly type = ZX_OBJ_TYPE_VMO;
  /** The stream size (ZX_PROP_VMO_CONTENT_SIZE), in bytes, not rounded. */
  contentSize: bigint;
  private destroyed = false;

  readonly vmo: VmObjectPaged;

  constructor(koid: Koid, vmo: VmObjectPaged, contentSize: bigint) {
    super(koid, ZX_VMO_ZERO_CHILDREN);
    this.vmo = vmo;
    vmo.onLastMappingGone = () => this.destroyIfUnused();
    this.contentSize = contentSize;
  }

  /** The koid of the parent VMO's object, or 0 (set when a child is created). */
  parentKoid: Koid = 0 as Koid;

  get isDestroyed(): boolean {
    return this.destroyed;
  }

  override onZeroHandles(): void {
    this.destroyIfUnused();
  }

  /** Frees the VMO once no handle and no mapping refers to it. */
  destroyIfUnused(): void {
    if (this.destroyed || this.handleCount > 0 || this.vmo.mappingCount > 0) return;
    this.destroyed = true;
    this.vmo.destroy();
  }
}
