// VmObjectDispatcher: the kernel object behind a VMO handle, named as Zircon names it. It wraps the
// VmObjectPaged and adds what belongs to the handle-visible object: the content size and the
// ZX_VMO_ZERO_CHILDREN signal. The VMO lives while a handle or a mapping needs it; its children
// do not keep it alive (when it goes they are re-homed to its parent), but the pages they see
// stay as long as they do.

import { ZX_OBJ_TYPE_VMO, ZX_VMO_ZERO_CHILDREN } from '../abi/constants.ts';
import type { VmObjectPaged } from '../vm/vm-object-paged.ts';
import { KernelObject } from './kernel-object.ts';
import type { Koid } from './types.ts';

/** A content (stream) size, shared by a VMO and its references. */
export class ContentSize {
  value: bigint;

  constructor(value: bigint) {
    this.value = value;
  }
}

export class VmObjectDispatcher extends KernelObject {
  readonly type = ZX_OBJ_TYPE_VMO;
  private destroyed = false;
  /** The content size; references share their parent's. */
  readonly content: ContentSize;

  readonly vmo: VmObjectPaged;

  constructor(koid: Koid, vmo: VmObjectPaged, contentSize: bigint | ContentSize) {
    // ZX_VMO_ZERO_CHILDREN is asserted on every new VMO, children included.
    super(koid, ZX_VMO_ZERO_CHILDREN);
    this.vmo = vmo;
    vmo.userId = koid;
    vmo.onLastMappingGone = () => this.destroyIfUnused();
    vmo.onZeroChildren = () => this.updateSignals(0, ZX_VMO_ZERO_CHILDREN);
    this.content = contentSize instanceof ContentSize ? contentSize : new ContentSize(contentSize);
  }

  /** The stream size (ZX_PROP_VMO_CONTENT_SIZE), in bytes, not rounded. */
  /** What zx_vmo_get_stream_size reports: 0 for physical and contiguous VMOs (no stream). */
  get streamSize(): bigint {
    return this.vmo.isDeviceMemory ? 0n : this.contentSize;
  }

  get contentSize(): bigint {
    return this.content.value;
  }

  set contentSize(value: bigint) {
    this.content.value = value;
  }

  /** The koid of the parent VMO (the one its children were re-homed to), or 0. */
  get parentKoid(): Koid {
    return (this.vmo.parent?.userId ?? 0) as Koid;
  }

  /** A child was just made of this VMO: ZX_VMO_ZERO_CHILDREN drops. */
  childCreated(): void {
    this.updateSignals(ZX_VMO_ZERO_CHILDREN, 0);
  }

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
