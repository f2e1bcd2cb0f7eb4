// PmtObject: a pinned memory token (Zircon's PinnedMemoryTokenDispatcher). It holds the pages
// zx_bti_pin pinned, and the VMO they belong to, until zx_pmt_unpin. A PMT whose handle is
// closed without unpinning stays pinned: it goes to its BTI's quarantine, where it stays until
// zx_bti_release_quarantine (or forever, once the BTI's handles are gone too).

import { ZX_OBJ_TYPE_PMT } from '../abi/constants.ts';
import { type PinnedFrames, unpinPages } from '../vm/physical.ts';
import type { BtiObject } from './bti.ts';
import { KernelObject } from './kernel-object.ts';
import type { Koid } from './types.ts';
import type { VmoObject } from './vmo-object.ts';

export class PmtObject extends KernelObject {
  readonly type = ZX_OBJ_TYPE_PMT;
  readonly bti: BtiObject;
  readonly vmo: VmoObject;
  /** The pinned frames, one per page. */
  readonly frames: PinnedFrames;
  private pinned = true;

  /** Takes a reference on `vmo` (as a handle would) so it outlives its handles while pinned. */
  constructor(koid: Koid, bti: BtiObject, vmo: VmoObject, frames: PinnedFrames) {
    super(koid);
    this.bti = bti;
    this.vmo = vmo;
    this.frames = frames;
    vmo.handleCount++;
    bti.pmts.add(this);
  }

  get isPinned(): boolean {
    return this.pinned;
  }

  /** zx_pmt_unpin, or the release of a quarantined PMT: the pages may move and go again. */
  unpin(): void {
    if (!this.pinned) return;
    this.pinned = false;
    unpinPages(this.vmo.vmo, this.frames);
    this.bti.pmts.delete(this);
    this.bti.quarantine.delete(this);
    if (--this.vmo.handleCount === 0) this.vmo.onZeroHandles();
  }

  /** Closed without unpinning: the pages stay pinned, in the BTI's quarantine. */
  override onZeroHandles(): void {
    if (this.pinned) this.bti.quarantine.add(this);
  }
}
