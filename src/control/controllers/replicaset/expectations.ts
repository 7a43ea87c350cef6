// Controller expectations (controller_utils.go's UIDTrackingControllerExpectations): after a
// controller issues creates or deletes, it does not act on that controller key again until its
// informer has shown them, or until the expectations expire.
//
// Contract, as upstream:
// - expectCreations / expectDeletions replace the key's counts and restart its TTL clock.
// - creationObserved lowers the add count; deletionObserved(key, podKey) lowers the delete count
//   only for a pod key recorded by expectDeletions, and only once per pod key, so a graceful
//   deletion (an update setting deletionTimestamp, then the DELETE event) counts once.
// - satisfied(key) is true when the key has no expectations, when both counts are ≤ 0, or when
//   more than `timeoutMs` have passed since they were set (then the controller acts again).
// - delete(key) forgets the key (its controller was deleted).
// Time comes from the injected PassiveClock. The map holds one entry per controller key that
// ever expected something and is emptied by delete(); its size is bounded by the number of
// controllers the informer holds.

import type { PassiveClock } from '../../ports/clock.js';
import { assert } from '../../util/assert.js';

/** Upstream's ExpectationsTimeout. */
export const expectationsTimeoutMsDefault = 300_000;

export interface ControllerExpectationsOptions {
  clock: PassiveClock;
  /** How long unmet expectations block a key. Default 300,000 ms (5 min). */
  timeoutMs?: number;
}

interface Entry {
  add: number;
  del: number;
  setAtMs: number;
  /** Pod keys whose deletion is still expected (upstream's UID set). */
  deleteKeys: Set<string>;
}

export class ControllerExpectations {
  readonly timeoutMs: number;
  readonly #clock: PassiveClock;
  readonly #entries = new Map<string, Entry>();

  constructor(options: ControllerExpectationsOptions) {
    this.#clock = options.clock;
    this.timeoutMs = options.timeoutMs ?? expectationsTimeoutMsDefault;
    assert(Number.isSafeInteger(this.timeoutMs), 'timeoutMs must be an integer');
    assert(this.timeoutMs >= 0, 'timeoutMs must not be negative');
  }

  /** Keys with expectations recorded (diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  /** Whether the controller may act on `key` now (see the file comment). */
  satisfied(key: string): boolean {
    const entry = this.#entries.get(key);
    if (entry === undefined) return true;
    return this.#fulfilled(entry) || this.#expired(entry);
  }

  /** Pending adds and deletes of `key` ({0, 0} when none). */
  pending(key: string): { add: number; del: number } {
    const entry = this.#entries.get(key);
    return entry === undefined ? { add: 0, del: 0 } : { add: entry.add, del: entry.del };
  }

  /**
   * Milliseconds until the unmet expectations of `key` expire (at least 1); undefined when the
   * key is already satisfied.
   */
  msUntilExpiry(key: string): number | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || this.satisfied(key)) return undefined;
    return Math.max(1, entry.setAtMs + this.timeoutMs + 1 - this.#clock.nowMs());
  }

  expectCreations(key: string, count: number): void {
    assert(Number.isSafeInteger(count) && count >= 0, 'a creation count is an integer ≥ 0');
    const keep = this.#entries.get(key)?.deleteKeys ?? new Set<string>();
    this.#entries.set(key, { add: count, del: 0, setAtMs: this.#clock.nowMs(), deleteKeys: keep });
  }

  expectDeletions(key: string, podKeys: readonly string[]): void {
    const deleteKeys = new Set(podKeys);
    const entry = { add: 0, del: deleteKeys.size, setAtMs: this.#clock.nowMs(), deleteKeys };
    this.#entries.set(key, entry);
  }

  creationObserved(key: string): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined) entry.add -= 1;
  }

  deletionObserved(key: string, podKey: string): void {
    const entry = this.#entries.get(key);
    if (entry === undefined || !entry.deleteKeys.delete(podKey)) return;
    entry.del -= 1;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  #fulfilled(entry: Entry): boolean {
    return entry.add <= 0 && entry.del <= 0;
  }

  #expired(entry: Entry): boolean {
    return this.#clock.nowMs() - entry.setAtMs > this.timeoutMs;
  }
}
