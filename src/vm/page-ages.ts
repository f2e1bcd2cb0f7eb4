// PageAgeList: the pager evictor's line of pager-backed pages, oldest first, kept the way
// Zircon keeps its page queues: in the pages themselves. Zircon links each vm_page_t into a
// queue; zxvm links frames, in typed arrays indexed by frame number, each frame noting the root
// (by a number the evictor gives it) and the page it holds. Joining the line, moving to its end
// and leaving it cost a few array stores: no allocation, no map lookup. The arrays grow (by
// doubling) to the highest frame that ever joined, so they cost 20 bytes per frame of the
// memory pager pages have used.
//
// A frame may stay in line after its page let it go (decommitted, zeroed, cut by a shrink): the
// evictor checks what it meets and drops such frames (pager-eviction.ts).

/** No frame: the end of the line, or an empty line. */
export const NO_FRAME = -1;

export class PageAgeList {
  /** The frame that joined (or moved to the end) before each frame, or NO_FRAME. */
  private older = new Int32Array(0);
  /** The frame after each frame, or NO_FRAME. */
  private newer = new Int32Array(0);
  /** The number of the root whose page each frame holds; 0 for a frame not in line. */
  private owners = new Int32Array(0);
  /** The root page each frame holds. */
  private pages = new Float64Array(0);
  /** The first frame in line (the least recently used), or NO_FRAME. */
  oldest = NO_FRAME;
  /** The last frame in line (the most recently used), or NO_FRAME. */
  newest = NO_FRAME;

  /** The root number of `frame` (0 when it is not in line). */
  ownerOf(frame: number): number {
    return frame < this.owners.length ? this.owners[frame]! : 0;
  }

  /** The root page `frame` holds (meaningful while it is in line). */
  pageOf(frame: number): number {
    return this.pages[frame]!;
  }

  /** The frame after `frame` in line, or NO_FRAME. */
  newerThan(frame: number): number {
    return this.newer[frame]!;
  }

  /** `frame`, holding page `page` of root number `owner` (above 0), is the newest in line. */
  touch(frame: number, owner: number, page: number): void {
    if (frame >= this.owners.length) this.grow(frame);
    this.owners[frame] = owner;
    this.pages[frame] = page;
    const newest = this.newest;
    if (frame === newest) return;
    if (this.older[frame] !== NO_FRAME || frame === this.oldest) this.unlink(frame);
    this.older[frame] = newest;
    this.newer[frame] = NO_FRAME;
    if (newest === NO_FRAME) this.oldest = frame;
    else this.newer[newest] = frame;
    this.newest = frame;
  }

  /** `frame` leaves the line (nothing when it is not in it). */
  remove(frame: number): void {
    if (this.ownerOf(frame) === 0) return;
    this.unlink(frame);
    this.owners[frame] = 0;
  }

  private unlink(frame: number): void {
    const older = this.older[frame]!;
    const newer = this.newer[frame]!;
    if (older === NO_FRAME) this.oldest = newer;
    else this.newer[older] = newer;
    if (newer === NO_FRAME) this.newest = older;
    else this.older[newer] = older;
    this.older[frame] = NO_FRAME;
    this.newer[frame] = NO_FRAME;
  }

  /** Room for `frame`: the arrays double (at least), new frames not in line. */
  private grow(frame: number): void {
    const size = Math.max(frame + 1, this.owners.length * 2, 1024);
    const older = new Int32Array(size).fill(NO_FRAME);
    const newer = new Int32Array(size).fill(NO_FRAME);
    older.set(this.older);
    newer.set(this.newer);
    const owners = new Int32Array(size);
    owners.set(this.owners);
    const pages = new Float64Array(size);
    pages.set(this.pages);
    this.older = older;
    this.newer = newer;
    this.owners = owners;
    this.pages = pages;
  }
}
