// Which resource ranges are handed out, so that an exclusive range is never shared (the
// bookkeeping behind Zircon's ResourceDispatcher::Create).

import {
  ZX_ERR_NOT_FOUND,
  ZX_RSRC_FLAG_EXCLUSIVE,
  ZX_RSRC_KIND_SYSTEM,
  ZX_RSRC_SYSTEM_COUNT,
} from '../abi/constants.ts';
import { because } from '../util/reason.ts';
import { ResourceDispatcher } from './resource-dispatcher.ts';
import type { Koid } from './types.ts';

const EXCLUSIVE_OVER = 'an exclusive range over another resource of the kind';
const OVER_EXCLUSIVE = 'the range overlaps an exclusive resource of the kind';

export class ResourceRegistry {
  private readonly live = new Set<ResourceDispatcher>();

  /**
   * A new resource over [base, base + size) of `kind` (arguments already checked by the
   * syscall), or ZX_ERR_NOT_FOUND when its kind's allocator cannot hand the range out: a SYSTEM
   * range outside [0, ZX_RSRC_SYSTEM_COUNT), an exclusive range over another resource of the
   * kind, or any range over an exclusive one.
   */
  create(
    newKoid: () => Koid,
    kind: number,
    base: bigint,
    size: bigint,
    flags: number,
    name: string,
  ): ResourceDispatcher | number {
    if (kind === ZX_RSRC_KIND_SYSTEM && base + size > ZX_RSRC_SYSTEM_COUNT) {
      return because(ZX_ERR_NOT_FOUND, 'a SYSTEM range past ZX_RSRC_SYSTEM_COUNT');
    }
    const exclusive = (flags & ZX_RSRC_FLAG_EXCLUSIVE) !== 0;
    if (this.conflicts(kind, base, size, exclusive)) {
      return because(ZX_ERR_NOT_FOUND, exclusive ? EXCLUSIVE_OVER : OVER_EXCLUSIVE);
    }
    const resource = new ResourceDispatcher(newKoid(), kind, base, size, flags, name);
    this.live.add(resource);
    resource.onRelease = () => this.live.delete(resource);
    return resource;
  }

  /** True when a new range would overlap an exclusive one, or be exclusive over any other. */
  private conflicts(kind: number, base: bigint, size: bigint, exclusive: boolean): boolean {
    for (const other of this.live) {
      if (other.kind !== kind || other.isRangedRoot) continue;
      const overlaps = base < other.base + other.size && other.base < base + size;
      if (overlaps && (exclusive || other.isExclusive)) return true;
    }
    return false;
  }
}
