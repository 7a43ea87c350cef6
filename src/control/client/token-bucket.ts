// Token-bucket rate limiter with client-go flowcontrol's qps/burst semantics, on an injected Clock.
//
// Like golang.org/x/time/rate (what client-go's NewTokenBucketRateLimiter wraps): the bucket holds
// at most `burst` tokens, starts full and refills at `qps` tokens per second. A reservation takes
// one token at once, possibly driving the count below zero; the caller then waits until the debt
// would have been refilled. Tokens are floats as upstream; delays are rounded up to whole ms so a
// waiter never wakes before its token exists.

import type { Clock } from '../ports/clock.js';
import { assert } from '../util/assert.js';

export interface TokenBucketOptions {
  /** Read for refills; its timers are used only by wait(). */
  clock: Clock;
  /** Tokens per second; `<= 0` means unlimited (the sim default). */
  qps: number;
  /** Bucket size, the most requests that may pass at once; ≥ 1 when qps > 0. */
  burst: number;
}

export class TokenBucket {
  readonly qps: number;
  readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private lastMs: number;

  constructor(options: TokenBucketOptions) {
    assert(Number.isFinite(options.qps), `qps must be finite, got ${options.qps}`);
    this.qps = options.qps;
    this.burst = options.burst;
    this.clock = options.clock;
    if (this.unlimited) {
      this.tokens = 0;
    } else {
      assert(Number.isSafeInteger(options.burst), `burst must be an integer, got ${options.burst}`);
      assert(options.burst >= 1, `burst must be at least 1 when qps > 0, got ${options.burst}`);
      this.tokens = options.burst;
    }
    this.lastMs = this.clock.nowMs();
  }

  get unlimited(): boolean {
    return this.qps <= 0;
  }

  /** Takes a token if one is available now; never waits. */
  tryAccept(): boolean {
    if (this.unlimited) return true;
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Takes a token now, possibly on credit, and returns how long the caller must wait before
   * acting (integer ms, 0 when a token was available). What the work queue's bucket limiter uses.
   */
  reserve(): number {
    if (this.unlimited) return 0;
    this.refill();
    this.tokens -= 1;
    if (this.tokens >= 0) return 0;
    return Math.ceil((-this.tokens * 1000) / this.qps);
  }

  /** Resolves once the caller may proceed; resolves without a timer when no wait is needed. */
  wait(): Promise<void> {
    const delayMs = this.reserve();
    return delayMs === 0 ? Promise.resolve() : this.clock.sleep(delayMs);
  }

  /** Tokens available now (may be negative while reservations are outstanding). */
  available(): number {
    if (this.unlimited) return Number.POSITIVE_INFINITY;
    this.refill();
    return this.tokens;
  }

  private refill(): void {
    const nowMs = this.clock.nowMs();
    // A clock stepped backwards (skew fault) refills nothing, as x/time/rate does.
    const elapsedMs = Math.max(0, nowMs - this.lastMs);
    this.lastMs = nowMs;
    if (elapsedMs === 0) return;
    this.tokens = Math.min(this.burst, this.tokens + (elapsedMs * this.qps) / 1000);
  }
}
