// A hand-driven Clock for unit tests: time moves only when the test calls advance().

import type { Clock, TimerHandle } from '../../src/control/ports/clock.js';
import { assert } from '../../src/control/util/assert.js';

interface ManualTimer {
  atMs: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

export class ManualClock implements Clock {
  private now: number;
  private seq = 0;
  private timers: ManualTimer[] = [];

  constructor(options: { startMs?: number } = {}) {
    this.now = options.startMs ?? 0;
  }

  nowMs(): number {
    return this.now;
  }

  /** Timers not yet fired or cancelled. */
  get pendingTimerCount(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    assert(Number.isSafeInteger(delayMs) && delayMs >= 0, `bad delay ${delayMs}`);
    const timer: ManualTimer = { atMs: this.now + delayMs, seq: this.seq++, fn, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => void this.setTimer(delayMs, resolve));
  }

  /** Moves time forward by `deltaMs`, firing due timers in (time, creation) order. */
  advance(deltaMs: number): void {
    assert(deltaMs >= 0, 'time never moves backwards');
    const endMs = this.now + deltaMs;
    for (let next = this.nextDue(endMs); next !== undefined; next = this.nextDue(endMs)) {
      this.now = next.atMs;
      next.cancelled = true;
      next.fn();
    }
    this.now = endMs;
    this.timers = this.timers.filter((t) => !t.cancelled);
  }

  private nextDue(endMs: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) {
      if (t.cancelled || t.atMs > endMs) continue;
      if (best === undefined || t.atMs < best.atMs || (t.atMs === best.atMs && t.seq < best.seq)) {
        best = t;
      }
    }
    return best;
  }
}

/** Lets pending promise continuations run (a bounded number of microtask turns). */
export async function settle(turns = 50): Promise<void> {
  for (let i = 0; i < turns; i++) await Promise.resolve();
}
