// Jittered exponential backoff with reset, as client-go's reflector uses between list/watch tries.
//
// client-go v1.32 reflector: NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0): each
// delay doubles from 800 ms up to a 30 s cap, is jittered by up to +100 % (rand × jitter ×
// delay, a float as upstream), and the sequence starts over when no backoff was asked for
// during the last 2 minutes (a watch that ran fine for a while).

import type { PassiveClock } from '../ports/clock.js';
import type { Rng } from '../ports/rng.js';
import { assert } from '../util/assert.js';

export interface ExponentialBackoffOptions {
  clock: PassiveClock;
  rng: Rng;
  /** First delay, ms. Default 800. */
  initialMs?: number;
  /** Cap of the un-jittered delay, ms. Default 30,000. */
  maxMs?: number;
  /** Default 2. */
  factor?: number;
  /** Extra random fraction, up to jitter × delay. Default 1. */
  jitter?: number;
  /** Quiet time after which the next delay is initialMs again, ms. Default 120,000. */
  resetAfterMs?: number;
}

export class ExponentialBackoff {
  private readonly clock: PassiveClock;
  private readonly rng: Rng;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly factor: number;
  private readonly jitter: number;
  private readonly resetAfterMs: number;
  private currentMs: number;
  private lastBackoffAtMs: number | undefined;

  constructor(options: ExponentialBackoffOptions) {
    this.clock = options.clock;
    this.rng = options.rng;
    this.initialMs = options.initialMs ?? 800;
    this.maxMs = options.maxMs ?? 30_000;
    this.factor = options.factor ?? 2;
    this.jitter = options.jitter ?? 1;
    this.resetAfterMs = options.resetAfterMs ?? 120_000;
    assert(Number.isSafeInteger(this.initialMs) && this.initialMs >= 0, 'initialMs must be ≥ 0');
    assert(Number.isSafeInteger(this.maxMs) && this.maxMs >= this.initialMs, 'maxMs < initialMs');
    assert(this.factor >= 1, 'factor must be at least 1');
    assert(this.jitter >= 0, 'jitter must not be negative');
    this.currentMs = this.initialMs;
  }

  /** The next delay, integer ms; advances the sequence. */
  nextDelayMs(): number {
    const nowMs = this.clock.nowMs();
    if (this.lastBackoffAtMs === undefined || nowMs - this.lastBackoffAtMs > this.resetAfterMs) {
      this.currentMs = this.initialMs;
    }
    this.lastBackoffAtMs = nowMs;
    const delayMs = this.currentMs;
    this.currentMs = Math.min(this.maxMs, Math.trunc(this.currentMs * this.factor));
    if (this.jitter <= 0) return delayMs;
    return delayMs + Math.trunc(this.rng.float() * this.jitter * delayMs);
  }
}
