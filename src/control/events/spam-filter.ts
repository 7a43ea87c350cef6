// The event spam filter: a token bucket per source+object (client-go EventSourceObjectSpamFilter).

import type { CoreEvent } from './event-types.js';
import { spamKey } from './event-keys.js';
import { LruCache } from './lru-cache.js';
import { assert } from '../util/assert.js';

/** Go's Duration.Seconds() of a whole number of ms ≥ 0: whole seconds plus nanoseconds / 1e9. */
function goSeconds(ms: number): number {
  return Math.trunc(ms / 1000) + ((ms % 1000) * 1e6) / 1e9;
}

/**
 * golang.org/x/time/rate's Limiter used passively (AllowN with no waiting): starts full, refills
 * `qps` tokens per second up to `burst`, and a denied request changes nothing. Tokens are floats
 * as upstream.
 */
export class PassiveTokenBucket {
  private tokens: number;
  /** Time of the last granted request; undefined before the first (the bucket is then full). */
  private lastMs: number | undefined;

  constructor(
    private readonly qps: number,
    private readonly burst: number,
  ) {
    assert(qps > 0 && Number.isFinite(qps), `qps must be positive and finite, got ${qps}`);
    assert(Number.isSafeInteger(burst) && burst >= 1, `burst must be at least 1, got ${burst}`);
    this.tokens = 0;
    this.lastMs = undefined;
  }

  tryAccept(nowMs: number): boolean {
    let tokens = this.burst;
    if (this.lastMs !== undefined) {
      // A clock stepped back counts as no time passing, as rate.Limiter.advance does.
      const elapsedMs = nowMs - Math.min(this.lastMs, nowMs);
      tokens = Math.min(this.burst, this.tokens + goSeconds(elapsedMs) * this.qps);
    }
    tokens -= 1;
    // rate.Limiter grants when the wait for the missing fraction truncates to 0 ns.
    if (tokens < 0 && Math.trunc((-tokens / this.qps) * 1e9) > 0) return false;
    this.tokens = tokens;
    this.lastMs = nowMs;
    return true;
  }
}

export interface SpamFilterOptions {
  /** Sources+objects remembered; default 4096. */
  lruCacheSize: number;
  /** Events a source may send about an object at once; default 25. */
  burst: number;
  /** Refill in events per second; default 1/300 rounded to float32, as upstream's float32 QPS. */
  qps: number;
}

export class EventSpamFilter {
  private readonly buckets: LruCache<PassiveTokenBucket>;
  private readonly burst: number;
  private readonly qps: number;

  constructor(options: SpamFilterOptions) {
    this.buckets = new LruCache({ capacity: options.lruCacheSize });
    this.burst = options.burst;
    this.qps = options.qps;
  }

  /** True when the event must be dropped (its source+object has no token left). */
  filter(event: CoreEvent, nowMs: number): boolean {
    return this.filterKey(spamKey(event), nowMs);
  }

  /** As filter(), for an event whose spamKey the caller has already built. */
  filterKey(key: string, nowMs: number): boolean {
    let bucket = this.buckets.get(key);
    if (bucket === undefined) bucket = new PassiveTokenBucket(this.qps, this.burst);
    const allowed = bucket.tryAccept(nowMs);
    this.buckets.add(key, bucket);
    return !allowed;
  }
}
