// Virtual clock: one component's view of engine time (plus its skew); timers are engine events.

import type { Clock, TimerHandle } from '../../control/ports/clock.js';
import { assert } from '../../control/util/assert.js';
import type { ScheduleInput } from './event-queue.js';

/** The part of the engine a clock needs. */
export interface EventScheduler {
  /** Engine (unskewed) virtual time in ms. */
  nowMs(): number;
  schedule(input: ScheduleInput): TimerHandle;
}

export interface VirtualClockOptions {
  scheduler: EventScheduler;
  /** Endpoint that owns this clock's timers (orders them against other components'). */
  endpoint: string;
  /** Offset added to engine time, integer ms (negative: behind). Default 0. */
  skewMs?: number;
}

export class VirtualClock implements Clock {
  private readonly scheduler: EventScheduler;
  readonly endpoint: string;
  private skewMsValue: number;

  constructor(options: VirtualClockOptions) {
    this.scheduler = options.scheduler;
    this.endpoint = options.endpoint;
    this.skewMsValue = 0;
    this.setSkewMs(options.skewMs ?? 0);
  }

  get skewMs(): number {
    return this.skewMsValue;
  }

  /**
   * Changes the skew from now on (a clock-skew fault). Pending timers keep their engine due time,
   * as a real timer keeps its monotonic deadline when the wall clock is stepped.
   */
  setSkewMs(skewMs: number): void {
    assert(Number.isSafeInteger(skewMs), `skewMs must be an integer, got ${skewMs}`);
    this.skewMsValue = skewMs;
  }

  nowMs(): number {
    return this.scheduler.nowMs() + this.skewMsValue;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    assert(Number.isSafeInteger(delayMs), `delayMs must be an integer, got ${delayMs}`);
    assert(delayMs >= 0, `delayMs must not be negative, got ${delayMs}`);
    return this.scheduler.schedule({
      atMs: this.scheduler.nowMs() + delayMs,
      phase: 'timer',
      endpoint: this.endpoint,
      run: fn,
    });
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(delayMs, resolve);
    });
  }
}
