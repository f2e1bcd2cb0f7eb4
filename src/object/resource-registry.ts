// Which resource ranges are handed out, so that an exclusive range is never shared.

import type { ResourceObject } from './resource.ts';

export class ResourceRegistry {
  private readonly live = new Set<ResourceObject>();

  add(resource: ResourceObject): void {
    this.live.add(resource);
    resource.onRelease = () => this.live.delete(resource);
  }

  /** True when a new range would overlap an exclusive one, or be exclusive over any other. */
  conflicts(kind: number, base: bigint, size: bigint, exclusive: boolean): boolean {
    for (const other of this.live) {
      if (other.kind !== kind || other.isRangedRoot) continue;
      const overlaps = base < other.base + other.size && other.base < base + size;
      if (overlaps && (exclusive || other.isExclusive)) return true;
    }
    return false;
  }
}
