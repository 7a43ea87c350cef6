// Per-item rate limiters for the work queue, as client-go's workqueue package defines them.
//
// A limiter answers "how long must this item wait before it is retried?" (`whenMs`), counts the
// item's failures until `forget`, and is combined the way DefaultControllerRateLimiter does:
// per-item exponential backoff (5 ms × 2^failures, at most 1000 s) and an overall token bucket
// (10 qps, burst 100), taking the longer of the two delays.

import type { Clock } from '../ports/clock.js';
import { assert } from '../util/assert.js';
import { TokenBucket } from './token-bucket.js';

export interface RateLimiter<K> {
  /** Records one more retry of `item` and returns its delay before re-queueing, integer ms. */
  whenMs(item: K): number;
  /** Clears the item's failure history (call after a successful reconcile). */
  forget(item: K): void;
  /** Retries recorded for `item` since the last forget. */
  numRequeues(item: K): number;
}

export interface ItemExponentialFailureOptions {
  /** Delay of the first retry, ms. Default 5. */
  baseDelayMs?: number;
  /** Longest delay, ms. Default 1,000,000 (1000 s). */
  maxDelayMs?: number;
}

/** client-go's ItemExponentialFailureRateLimiter: baseDelay × 2^failures, capped. */
export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(options: ItemExponentialFailureOptions = {}) {
    this.baseDelayMs = options.baseDelayMs ?? 5;
    this.maxDelayMs = options.maxDelayMs ?? 1_000_000;
    assert(Number.isSafeInteger(this.baseDelayMs), 'baseDelayMs must be an integer');
    assert(this.baseDelayMs >= 0, 'baseDelayMs must not be negative');
    assert(Number.isSafeInteger(this.maxDelayMs), 'maxDelayMs must be an integer');
    assert(this.maxDelayMs >= this.baseDelayMs, 'maxDelayMs must be at least baseDelayMs');
  }

  whenMs(item: K): number {
    const exponent = this.failures.get(item) ?? 0;
    this.failures.set(item, exponent + 1);
    const backoffMs = this.baseDelayMs * 2 ** exponent;
    // Upstream guards against overflowing a Duration; here the float just grows past the cap.
    return backoffMs > this.maxDelayMs ? this.maxDelayMs : backoffMs;
  }

  forget(item: K): void {
    this.failures.delete(item);
  }

  numRequeues(item: K): number {
    return this.failures.get(item) ?? 0;
  }
}

export interface BucketRateLimiterOptions {
  clock: Clock;
  /** Default 10. */
  qps?: number;
  /** Default 100. */
  burst?: number;
}

/** client-go's BucketRateLimiter: one token bucket shared by all items; no per-item memory. */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  private readonly bucket: TokenBucket;

  constructor(options: BucketRateLimiterOptions) {
    this.bucket = new TokenBucket({
      clock: options.clock,
      qps: options.qps ?? 10,
      burst: options.burst ?? 100,
    });
  }

  whenMs(_item: K): number {
    return this.bucket.reserve();
  }

  forget(_item: K): void {}

  numRequeues(_item: K): number {
    return 0;
  }
}

/** client-go's MaxOfRateLimiter: asks every limiter (each records the retry), keeps the longest. */
export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: readonly RateLimiter<K>[];

  constructor(options: { limiters: readonly RateLimiter<K>[] }) {
    assert(options.limiters.length > 0, 'MaxOfRateLimiter needs at least one limiter');
    this.limiters = options.limiters;
  }

  whenMs(item: K): number {
    let longestMs = 0;
    for (const limiter of this.limiters) longestMs = Math.max(longestMs, limiter.whenMs(item));
    return longestMs;
  }

  forget(item: K): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: K): number {
    let most = 0;
    for (const limiter of this.limiters) most = Math.max(most, limiter.numRequeues(item));
    return most;
  }
}

/** client-go's DefaultControllerRateLimiter: max(5 ms × 2^n up to 1000 s, 10 qps burst 100). */
export function defaultControllerRateLimiter<K>(options: { clock: Clock }): RateLimiter<K> {
  return new MaxOfRateLimiter<K>({
    limiters: [
      new ItemExponentialFailureRateLimiter<K>({ baseDelayMs: 5, maxDelayMs: 1_000_000 }),
      new BucketRateLimiter<K>({ clock: options.clock, qps: 10, burst: 100 }),
    ],
  });
}
