// WallClock: the real-mode Clock over the host's Date.now and setTimeout.

import type { Clock, TimerHandle } from '../control/ports/clock.js';
import { assert } from '../control/util/assert.js';

const hostDelayMsMax = 2_147_483_647;

export interface WallClockOptions {
  /** Let pending timers not keep the process alive (Node's unref). Default false. */
  unrefTimers?: boolean;
}

/**
 * nowMs is Date.now, clamped so it never goes backwards when the host clock is stepped back.
 * Timers are host timers; those set in the same turn with the same delay fire in the order they
 * were set (Node keeps one FIFO list per delay). A callback may run up to 1 ms "early" by nowMs,
 * because host timers use a monotonic clock that Date.now's rounding does not follow.
 */
export class WallClock implements Clock {
  private readonly unrefTimers: boolean;
  private lastNowMs = 0;

  constructor(options: WallClockOptions = {}) {
    this.unrefTimers = options.unrefTimers ?? false;
  }

  nowMs(): number {
    const hostMs = Date.now();
    if (hostMs > this.lastNowMs) this.lastNowMs = hostMs;
    return this.lastNowMs;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    assert(Number.isSafeInteger(delayMs), `delayMs must be an integer, got ${delayMs}`);
    assert(delayMs >= 0, `delayMs must not be negative, got ${delayMs}`);
    let timer: NodeJS.Timeout | undefined;
    const arm = (remainingMs: number): void => {
      // Node fires delays above 2^31 - 1 ms at once; longer waits are chained.
      const stepMs = Math.min(remainingMs, hostDelayMsMax);
      timer = setTimeout(stepMs === remainingMs ? fn : () => arm(remainingMs - stepMs), stepMs);
      if (this.unrefTimers) timer.unref();
    };
    arm(delayMs);
    return { cancel: () => clearTimeout(timer) };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(delayMs, resolve);
    });
  }
}
