// Discardable VMOs: lock counts, and the list the kernel reclaims from under memory pressure.
// A VMO becomes reclaimable only when it is unlocked (its lock count drops to zero); one that
// was never locked is never discarded. The reclaim list is kept in unlock order, so the VMO
// unlocked longest ago is discarded first, whole.

import { assert } from '../util/assert.ts';

export interface Discardable {
  /** Frees every page and marks the VMO discarded. Returns the frames freed. */
  discard(): number;
  /** Pages the VMO holds now. */
  readonly committedPages: number;
}

export const DiscardState = {
  /** Created, never unlocked: not reclaimable. */
  unset: 0,
  /** Locked at least once more than unlocked. */
  locked: 1,
  /** Unlocked: may be discarded. */
  reclaimable: 2,
  /** Discarded while unlocked; reads and writes fail until the next LOCK. */
  discarded: 3,
} as const;
export type DiscardState = (typeof DiscardState)[keyof typeof DiscardState];

export class DiscardableTracker {
  lockCount = 0;
  state: DiscardState = DiscardState.unset;

  private readonly list: DiscardableList;
  readonly vmo: Discardable;

  constructor(list: DiscardableList, vmo: Discardable) {
    this.list = list;
    this.vmo = vmo;
    list.all.add(this);
  }

  get isDiscarded(): boolean {
    return this.state === DiscardState.discarded;
  }

  /** Takes a lock; returns true when the VMO had been discarded (its contents are now zero). */
  lock(): boolean {
    const wasDiscarded = this.state === DiscardState.discarded;
    if (this.lockCount++ === 0) {
      this.list.remove(this);
      this.state = DiscardState.locked;
    }
    return wasDiscarded;
  }

  unlock(): void {
    assert(this.lockCount > 0, 'unlock of an unlocked discardable VMO');
    if (--this.lockCount === 0) {
      this.state = DiscardState.reclaimable;
      this.list.append(this);
    }
  }

  /** Called by the reclaimer. */
  discarded(): void {
    assert(this.state === DiscardState.reclaimable, 'discarding a VMO that is not reclaimable');
    this.state = DiscardState.discarded;
    this.list.remove(this);
  }

  /** The VMO is being destroyed. */
  detach(): void {
    this.list.remove(this);
    this.list.all.delete(this);
  }
}

export class DiscardableList {
  /** Reclaimable trackers, least recently unlocked first (a Set keeps insertion order). */
  private readonly reclaimable = new Set<DiscardableTracker>();
  /** Every live tracker, for the locked/unlocked byte counts of ZX_INFO_KMEM_STATS. */
  readonly all = new Set<DiscardableTracker>();

  append(tracker: DiscardableTracker): void {
    this.reclaimable.delete(tracker);
    this.reclaimable.add(tracker);
  }

  remove(tracker: DiscardableTracker): void {
    this.reclaimable.delete(tracker);
  }

  /**
   * Pages held by locked and by unlocked (reclaimable) discardable VMOs. VMOs never locked, and
   * discarded ones, count in neither (as Zircon's tracker lists them).
   */
  pageCounts(): { locked: number; unlocked: number } {
    let locked = 0;
    let unlocked = 0;
    for (const tracker of this.all) {
      if (tracker.state === DiscardState.locked) locked += tracker.vmo.committedPages;
      else if (tracker.state === DiscardState.reclaimable) unlocked += tracker.vmo.committedPages;
    }
    return { locked, unlocked };
  }

  /** Discards the oldest reclaimable VMOs (never `exclude`) until `enough()` holds. */
  reclaim(enough: () => boolean, exclude: unknown): void {
    for (const tracker of [...this.reclaimable]) {
      if (enough()) return;
      // A VMO without pages has no first page to trigger its discard in Zircon: never discarded.
      if (tracker.vmo === exclude || tracker.vmo.committedPages === 0) continue;
      tracker.vmo.discard();
    }
  }
}
