// Copying between a buffer and page frames, a run at a time. Consecutive pieces of a copy that
// lie in physically adjacent frames of one arena are gathered into one run and moved with one
// set() call, so copying many pages costs a few calls instead of one per page.

import { hostByteLength, setBytes, viewBytes } from '../util/host-bytes.ts';
import { PAGE_SIZE } from '../util/u64.ts';
import type { PhysicalMemory } from './pmm.ts';

/** PAGE_SIZE as this module's own constant, which V8 folds (see util/u64.ts). */
const FRAME_BYTES = PAGE_SIZE;
/** The copy primitives of the view and arena copies, likewise folded (their hot path). */
const copyBytes = setBytes;
const byteLength = hostByteLength;

export class FrameRunCopier {
  private readonly pmm: PhysicalMemory;
  private readonly buffer: Uint8Array;
  /** True: frames are copied into the buffer; false: the buffer is copied into frames. */
  private readonly toBuffer: boolean;
  private arena: Uint8Array | null = null;
  /** The run's first frame when the run starts at a page boundary, else -1. */
  private firstFrame = -1;
  private arenaOffset = 0;
  private length = 0;
  private bufferOffset = 0;
  /** The frame the run ends with, when it ends at a page boundary (else -2: no run can grow). */
  private lastFrame = -2;

  constructor(pmm: PhysicalMemory, buffer: Uint8Array, toBuffer: boolean) {
    this.pmm = pmm;
    this.buffer = buffer;
    this.toBuffer = toBuffer;
  }

  /** Adds `length` bytes at `inPage` of `frame`, matching buffer[bufferOffset...]. */
  add(frame: number, inPage: number, length: number, bufferOffset: number): void {
    const pmm = this.pmm;
    if (this.arena !== null && inPage === 0 && pmm.adjacent(this.lastFrame, frame)) {
      this.length += length;
    } else {
      if (this.arena !== null) this.copyRun();
      this.arena = pmm.arenaOf(frame);
      this.firstFrame = inPage === 0 ? frame : -1;
      this.arenaOffset = pmm.frameOffset(frame) + inPage;
      this.length = length;
      this.bufferOffset = bufferOffset;
    }
    this.lastFrame = inPage + length === PAGE_SIZE ? frame : -2;
  }

  /** Copies the pending run; the next piece starts a new one. */
  flush(): void {
    if (this.arena !== null) this.copyRun();
    this.arena = null;
    this.lastFrame = -2;
  }

  private copyRun(): void {
    const arena = this.arena!;
    const buffer = this.buffer;
    const at = this.arenaOffset;
    const length = this.length;
    const offset = this.bufferOffset;
    if (this.toBuffer) {
      if (length === 1) buffer[offset] = arena[at]!;
      else if (this.firstFrame >= 0 && length === PAGE_SIZE) {
        // A whole frame comes from its cached view: a 4 KiB copy makes no new view.
        setBytes(buffer, this.pmm.frameView(this.firstFrame), offset);
      } else setBytes(buffer, arena.subarray(at, at + length), offset);
    } else copyIntoArena(arena, at, buffer, offset, length);
  }
}

/** arena[at, at + length) = src[from, from + length), passing src itself when that is all. */
export function copyIntoArena(
  arena: Uint8Array,
  at: number,
  src: Uint8Array,
  from: number,
  length: number,
): void {
  if (length === 1) arena[at] = src[from]!;
  else if (from === 0 && length === byteLength(src)) copyBytes(arena, src, at);
  else copyBytes(arena, viewBytes(src, from, length), at);
}

/** dst[0, length) = view[inPage, inPage + length), `view` being a frame's (PAGE_SIZE bytes). */
export function copyFromView(view: Uint8Array, inPage: number, dst: Uint8Array, length: number) {
  if (length === FRAME_BYTES) copyBytes(dst, view, 0);
  else copyBytes(dst, view.subarray(inPage, inPage + length), 0);
}

/** view[inPage, inPage + length) = src[0, length), `view` being a frame's. */
export function copyIntoView(view: Uint8Array, inPage: number, src: Uint8Array, length: number) {
  copyIntoArena(view, inPage, src, 0, length);
}

/** dst[0, length) = bytes [inPage, inPage + length) of `frame`. */
export function copyFromFrame(
  pmm: PhysicalMemory,
  frame: number,
  inPage: number,
  dst: Uint8Array,
  length: number,
): void {
  // A whole page comes from the frame's cached view; the rest is out of line, so that this
  // stays small enough for the JIT to inline into a 4 KiB read.
  if (length === PAGE_SIZE) setBytes(dst, pmm.frameView(frame), 0);
  else copyPartFromFrame(pmm, frame, inPage, dst, length);
}

function copyPartFromFrame(
  pmm: PhysicalMemory,
  frame: number,
  inPage: number,
  dst: Uint8Array,
  length: number,
): void {
  const arena = pmm.arenaOf(frame);
  const at = pmm.frameOffset(frame) + inPage;
  if (length === 1) dst[0] = arena[at]!;
  else setBytes(dst, arena.subarray(at, at + length), 0);
}
