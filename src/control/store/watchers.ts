// Watch registrations of the versioned store, indexed by key prefix, and synchronous delivery of
// committed changes to them in revision order, exactly once per watcher.
//
// Delivery order for one change: buckets by ascending prefix length, then registration order.
// A write made by a callback during delivery is queued and delivered after the current change has
// reached every watcher, so each watcher still sees revisions in ascending order.
import { assert } from '../util/assert.js';
import type { Change, ChangeHistory } from './history.js';
import type { ObjectFilter, StoreWatchEvent, WatchCallback } from './types.js';

/** Guards against callbacks that keep writing from inside delivery forever. */
const pendingChangeCountMax = 1_000_000;

export class Watcher {
  active = true;
  readonly bucket: Bucket;
  readonly filter: ObjectFilter | undefined;
  readonly callback: WatchCallback;
  /** Changes up to this revision are never delivered (already replayed, or before the start). */
  afterRevision: number;

  constructor(options: {
    bucket: Bucket;
    filter: ObjectFilter | undefined;
    callback: WatchCallback;
    afterRevision: number;
  }) {
    this.bucket = options.bucket;
    this.filter = options.filter;
    this.callback = options.callback;
    this.afterRevision = options.afterRevision;
  }
}

interface Bucket {
  readonly prefix: string;
  /** Registration order; cancelled watchers stay (inactive) until the bucket is compacted. */
  watchers: Watcher[];
  inactiveCount: number;
}

/** The event a watcher with `filter` receives for `change`, or undefined when it sees nothing. */
export function eventForFilter(
  change: Change,
  filter: ObjectFilter | undefined,
): StoreWatchEvent | undefined {
  const event = change.event;
  if (filter === undefined) return event;
  if (event.prevObject === undefined) return filter(event.object) ? event : undefined;
  if (event.type === 'DELETED') return filter(event.prevObject) ? event : undefined;
  const passesNow = filter(event.object);
  const passedBefore = filter(event.prevObject);
  if (passesNow) return passedBefore ? event : change.entered();
  return passedBefore ? change.left() : undefined;
}

export class WatcherRegistry {
  private readonly buckets = new Map<string, Bucket>();
  /** Distinct prefix lengths of the buckets, ascending; replaced (never mutated) on change. */
  private prefixLengths: readonly number[] = [];
  private readonly watcherCountMax: number;
  private activeCount = 0;
  private delivering = false;
  private readonly pending: Change[] = [];
  private readonly bucketsToCompact = new Set<Bucket>();
  private firstError: { error: unknown } | undefined;

  constructor(options: { watcherCountMax: number }) {
    assert(Number.isInteger(options.watcherCountMax), 'watcherCountMax must be an integer');
    assert(options.watcherCountMax >= 0, 'watcherCountMax must not be negative');
    this.watcherCountMax = options.watcherCountMax;
  }

  get watcherCount(): number {
    return this.activeCount;
  }

  /**
   * Registers a watcher that receives live changes with revision > afterRevision; changes it
   * missed that are still in the history are delivered by `replay`. Throws past watcherCountMax.
   */
  add(
    prefix: string,
    options: { filter: ObjectFilter | undefined; afterRevision: number },
    callback: WatchCallback,
  ): { cancel(): void; watcher: Watcher } {
    assert(
      this.activeCount < this.watcherCountMax,
      `Too many watches on the store: the limit watcherCountMax is ${this.watcherCountMax}`,
    );
    const bucket = this.bucketFor(prefix);
    const { filter, afterRevision } = options;
    const watcher = new Watcher({ bucket, filter, callback, afterRevision });
    bucket.watchers.push(watcher);
    this.activeCount += 1;
    return { cancel: () => this.cancel(watcher), watcher };
  }

  /**
   * Delivers the history's changes after `watcher.afterRevision` up to `currentRevision()`,
   * including changes committed by callbacks meanwhile. Rethrows a callback's error at the end.
   */
  replay(watcher: Watcher, history: ChangeHistory, currentRevision: () => number): void {
    const outermost = !this.delivering;
    this.delivering = true;
    try {
      const prefix = watcher.bucket.prefix;
      while (watcher.active && watcher.afterRevision < currentRevision()) {
        const change = history.at(watcher.afterRevision + 1);
        watcher.afterRevision = change.revision;
        if (change.key.startsWith(prefix)) this.deliverTo(watcher, change);
      }
      if (outermost) this.drainPending();
    } finally {
      if (outermost) this.finishDelivery();
    }
  }

  /** Delivers a committed change now, or after the change being delivered when called inside. */
  publish(change: Change): void {
    if (this.prefixLengths.length === 0) return;
    if (this.delivering) {
      assert(this.pending.length < pendingChangeCountMax, 'watch callbacks keep writing');
      this.pending.push(change);
      return;
    }
    this.delivering = true;
    try {
      this.deliver(change);
      this.drainPending();
    } finally {
      this.finishDelivery();
    }
  }

  private drainPending(): void {
    for (let i = 0; i < this.pending.length; i++) this.deliver(this.pending[i]!);
  }

  /** Resets delivery state; then rethrows the first error a callback threw, if any. */
  private finishDelivery(): void {
    this.delivering = false;
    if (this.pending.length > 0) this.pending.length = 0;
    if (this.bucketsToCompact.size > 0) {
      for (const bucket of this.bucketsToCompact) this.compact(bucket);
      this.bucketsToCompact.clear();
    }
    const failure = this.firstError;
    this.firstError = undefined;
    if (failure !== undefined) throw failure.error;
  }

  private deliver(change: Change): void {
    const key = change.key;
    const lengths = this.prefixLengths;
    for (let i = 0; i < lengths.length; i++) {
      const length = lengths[i]!;
      if (length > key.length) break;
      const bucket = this.buckets.get(length === key.length ? key : key.slice(0, length));
      if (bucket !== undefined) this.deliverToBucket(bucket, change);
    }
  }

  private deliverToBucket(bucket: Bucket, change: Change): void {
    const watchers = bucket.watchers;
    const count = watchers.length;
    const revision = change.revision;
    for (let i = 0; i < count; i++) {
      const watcher = watchers[i]!;
      if (watcher.active && revision > watcher.afterRevision) this.deliverTo(watcher, change);
    }
  }

  private deliverTo(watcher: Watcher, change: Change): void {
    const event = eventForFilter(change, watcher.filter);
    if (event === undefined) return;
    try {
      watcher.callback(event);
    } catch (error) {
      this.firstError ??= { error };
    }
  }

  private cancel(watcher: Watcher): void {
    if (!watcher.active) return;
    watcher.active = false;
    this.activeCount -= 1;
    const bucket = watcher.bucket;
    bucket.inactiveCount += 1;
    if (this.delivering) this.bucketsToCompact.add(bucket);
    else if (bucket.inactiveCount * 2 >= bucket.watchers.length) this.compact(bucket);
  }

  /** Drops cancelled watchers, and the bucket itself once empty. Never runs during delivery. */
  private compact(bucket: Bucket): void {
    if (bucket.inactiveCount === 0) return;
    bucket.watchers = bucket.watchers.filter((watcher) => watcher.active);
    bucket.inactiveCount = 0;
    if (bucket.watchers.length > 0) return;
    this.buckets.delete(bucket.prefix);
    const length = bucket.prefix.length;
    let lengthStillUsed = false;
    for (const prefix of this.buckets.keys()) if (prefix.length === length) lengthStillUsed = true;
    if (!lengthStillUsed) this.prefixLengths = this.prefixLengths.filter((l) => l !== length);
  }

  private bucketFor(prefix: string): Bucket {
    const existing = this.buckets.get(prefix);
    if (existing !== undefined) return existing;
    const bucket: Bucket = { prefix, watchers: [], inactiveCount: 0 };
    this.buckets.set(prefix, bucket);
    if (!this.prefixLengths.includes(prefix.length)) {
      this.prefixLengths = [...this.prefixLengths, prefix.length].sort((a, b) => a - b);
    }
    return bucket;
  }
}
