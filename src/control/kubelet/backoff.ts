// Per-key exponential back-off as client-go's flowcontrol.Backoff (no jitter), used by the
// kubelet for container restarts (CrashLoopBackOff) and image pulls (ImagePullBackOff).
//
// next(key, eventAtMs) starts an entry at initialMs, or doubles it (capped at maxMs) while the
// entry has not expired; it stamps the entry's lastUpdate with now. An entry expires when
// `hasExpired(eventAtMs, lastUpdateAtMs, maxMs)` says so: by default after 2 × maxMs without an
// update; the kubelet's container back-off expires when the event (a container's finish) comes
// more than 600 s after the last restart (kubelet.go's HasExpiredFunc).

import type { PassiveClock } from '../ports/clock.js';
import { assert } from '../util/assert.js';

export interface BackoffOptions {
  clock: PassiveClock;
  /** First delay, ms. */
  initialMs: number;
  /** Cap of the delay, ms. */
  maxMs: number;
  /** Expiry rule; default: more than 2 × maxMs between the event and the last update. */
  hasExpired?: (eventAtMs: number, lastUpdateAtMs: number, maxMs: number) => boolean;
  /** Most keys kept; next() on a new key beyond it first drops expired entries. Default 100,000. */
  keyCountMax?: number;
}

interface Entry {
  backoffMs: number;
  lastUpdateAtMs: number;
}

/** Upstream's default: stable again after twice the maximum delay. */
export function defaultHasExpired(eventAtMs: number, lastUpdateAtMs: number, maxMs: number) {
  return eventAtMs - lastUpdateAtMs > 2 * maxMs;
}

/** The kubelet's container restart rule: expired once it ran 10 minutes since the last restart. */
export const containerBackoffResetMs = 600_000;

export function containerHasExpired(eventAtMs: number, lastUpdateAtMs: number): boolean {
  return eventAtMs - lastUpdateAtMs > containerBackoffResetMs;
}

export class Backoff {
  private readonly clock: PassiveClock;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly expired: (eventAtMs: number, lastUpdateAtMs: number, maxMs: number) => boolean;
  private readonly keyCountMax: number;
  private readonly entries = new Map<string, Entry>();

  constructor(options: BackoffOptions) {
    this.clock = options.clock;
    this.initialMs = options.initialMs;
    this.maxMs = options.maxMs;
    this.expired = options.hasExpired ?? defaultHasExpired;
    this.keyCountMax = options.keyCountMax ?? 100_000;
    assert(Number.isSafeInteger(this.initialMs) && this.initialMs > 0, 'initialMs must be > 0');
    assert(Number.isSafeInteger(this.maxMs) && this.maxMs >= this.initialMs, 'maxMs < initialMs');
    assert(this.keyCountMax > 0, 'keyCountMax must be positive');
  }

  /** The current delay of `key`, 0 without an entry. */
  getMs(key: string): number {
    return this.entries.get(key)?.backoffMs ?? 0;
  }

  /** Moves `key` to its next delay (see the file comment). */
  next(key: string, eventAtMs: number): void {
    const entry = this.entries.get(key);
    const nowMs = this.clock.nowMs();
    if (entry === undefined || this.expired(eventAtMs, entry.lastUpdateAtMs, this.maxMs)) {
      if (entry === undefined && this.entries.size >= this.keyCountMax) this.gc();
      assert(this.entries.size < this.keyCountMax, `more than ${this.keyCountMax} back-off keys`);
      this.entries.set(key, { backoffMs: this.initialMs, lastUpdateAtMs: nowMs });
      return;
    }
    entry.backoffMs = Math.min(entry.backoffMs * 2, this.maxMs);
    entry.lastUpdateAtMs = nowMs;
  }

  /** True while less than the current delay has passed since `eventAtMs`. */
  isInBackOffSince(key: string, eventAtMs: number): boolean {
    return this.remainingSinceMs(key, eventAtMs) > 0;
  }

  /** How long the back-off since `eventAtMs` still lasts, ms (0: not backing off). */
  remainingSinceMs(key: string, eventAtMs: number): number {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(eventAtMs, entry.lastUpdateAtMs, this.maxMs)) return 0;
    return Math.max(0, entry.backoffMs - (this.clock.nowMs() - eventAtMs));
  }

  /** True while less than the current delay has passed between the last update and `eventAtMs`. */
  isInBackOffSinceUpdate(key: string, eventAtMs: number): boolean {
    return this.remainingSinceUpdateMs(key, eventAtMs) > 0;
  }

  /** How long the back-off since the last update still lasts at `eventAtMs`, ms. */
  remainingSinceUpdateMs(key: string, eventAtMs: number): number {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(eventAtMs, entry.lastUpdateAtMs, this.maxMs)) return 0;
    return Math.max(0, entry.backoffMs - (eventAtMs - entry.lastUpdateAtMs));
  }

  /** Drops every key that starts with `prefix` (a pod's keys when the pod goes away). */
  deletePrefix(prefix: string): void {
    for (const key of [...this.entries.keys()])
      if (key.startsWith(prefix)) this.entries.delete(key);
  }

  /** Drops expired entries (upstream GC). */
  gc(): void {
    const nowMs = this.clock.nowMs();
    for (const [key, entry] of [...this.entries]) {
      if (this.expired(nowMs, entry.lastUpdateAtMs, this.maxMs)) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
