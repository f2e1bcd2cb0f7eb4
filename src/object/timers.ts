// The kernel's simulated monotonic clock and its timers. Time moves only when asked to
// (a sleeping wait, or the host advancing it), so every run is deterministic.

import { ZX_TIME_INFINITE } from '../abi/constants.ts';

interface Timer {
  deadline: bigint;
  seq: number;
  fire: () => void;
}

export class Timers {
  now = 0n;
  private timers: Timer[] = [];
  private seq = 0;

  /** Schedules `fire` at `deadline`; returns a function that cancels it. */
  add(deadline: bigint, fire: () => void): () => void {
    if (deadline >= ZX_TIME_INFINITE) return () => {};
    const timer: Timer = { deadline, seq: this.seq++, fire };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  /** Moves the clock to `time` (never backwards), firing due timers in deadline order. */
  advanceTo(time: bigint): void {
    if (time > this.now) this.now = time;
    for (;;) {
      let next: Timer | undefined;
      for (const t of this.timers) {
        if (t.deadline <= this.now && (next === undefined || t.deadline < next.deadline)) next = t;
      }
      if (next === undefined) return;
      const due = next;
      this.timers = this.timers.filter((t) => t !== due);
      due.fire();
    }
  }
}
