// Event TTL: the API server forgets an event `ttlMs` after its last write (kube-apiserver's
// --event-ttl, default 1 h).
//
// Upstream attaches an etcd lease to every write of an event, so an event expires one TTL after
// it was last created or updated, whatever its timestamps say; a repeat (count + 1) renews it.
// Here a store watch on the events prefix records the API server's clock at each write, and
// sweeps on that clock delete expired keys from the store (watchers see DELETED, as when etcd
// revokes a lease). Sweeps come at most every `sweepIntervalMs`, timed for the oldest event's
// expiry, and only while events exist. Upstream's lease reuse can stretch a life by a few
// percent of the TTL; here an event goes at the first sweep at or after last write + TTL.
//
// Events already stored at start (e.g. after a simulated API server restart) have no recorded
// write: their last write is taken as the latest of their own timestamps (creationTimestamp,
// lastTimestamp, eventTime, series.lastObservedTime), capped at now, or now if none parses.

import { findResource } from '../api/registry.js';
import { objectAt, stringAt } from '../api/schema/json.js';
import { parseMicroTime, parseTime } from '../api/values/time.js';
import type { Clock, TimerHandle } from '../ports/clock.js';
import type { StoredObject, StoreWatch, StoreWatchEvent, VersionedStore } from '../store/types.js';
import { assert } from '../util/assert.js';
import { collectionPrefix, objectKey } from './context.js';

/** kube-apiserver's --event-ttl default. */
export const defaultEventTtlMs = 3_600_000;

export interface EventTtlOptions {
  store: VersionedStore;
  /** The API server's clock: writes are stamped and sweeps scheduled with it. */
  clock: Clock;
  /** Life of an event after its last write. Default 1 h. */
  ttlMs?: number;
  /** Least time between sweeps. Default 60 s. */
  sweepIntervalMs?: number;
  /** Most events deleted by one sweep; the rest wait for the next. Default 10_000. */
  sweepDeleteCountMax?: number;
}

export interface EventTtlHandle {
  /** Stops the watch and the sweeps; idempotent. */
  stop(): void;
  /** Events being tracked (= events in the store while running). */
  readonly trackedCount: number;
}

interface Tracked {
  lastWriteMs: number;
  resourceVersion: string;
}

function eventsType() {
  const type = findResource('', 'v1', 'events');
  assert(type !== undefined, 'the registry declares core/v1 events');
  return type;
}

/** The latest time an event carries, as a stand-in for its last write; undefined if none. */
function latestTimestampMs(object: StoredObject): number | undefined {
  const candidates = [
    parseTime(stringAt(objectAt(object, 'metadata'), 'creationTimestamp') ?? ''),
    parseTime(stringAt(object, 'lastTimestamp') ?? ''),
    parseMicroTime(stringAt(object, 'eventTime') ?? ''),
    parseMicroTime(stringAt(objectAt(object, 'series'), 'lastObservedTime') ?? ''),
  ].filter((ms): ms is number => ms !== undefined);
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}

function resourceVersionOf(object: StoredObject): string {
  return stringAt(objectAt(object, 'metadata'), 'resourceVersion') ?? '';
}

class EventTtl implements EventTtlHandle {
  private readonly store: VersionedStore;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly sweepIntervalMs: number;
  private readonly sweepDeleteCountMax: number;
  /** Map order is write order, so expired keys are at the front. */
  private readonly tracked = new Map<string, Tracked>();
  private watch: StoreWatch | undefined;
  private timer: TimerHandle | undefined;

  constructor(options: EventTtlOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.ttlMs = options.ttlMs ?? defaultEventTtlMs;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
    this.sweepDeleteCountMax = options.sweepDeleteCountMax ?? 10_000;
    assert(Number.isSafeInteger(this.ttlMs) && this.ttlMs > 0, 'ttlMs must be a positive integer');
    assert(
      Number.isSafeInteger(this.sweepIntervalMs) && this.sweepIntervalMs > 0,
      'sweepIntervalMs must be a positive integer',
    );
    assert(this.sweepDeleteCountMax >= 1, 'sweepDeleteCountMax must be at least 1');
  }

  get trackedCount(): number {
    return this.tracked.size;
  }

  start(): void {
    const type = eventsType();
    const prefix = collectionPrefix(type, '');
    const listed = this.store.list(prefix);
    assert(listed.ok, 'listing the current events cannot fail');
    this.trackExisting(listed.value.items, (item) => {
      const meta = objectAt(item, 'metadata');
      return objectKey(type, stringAt(meta, 'namespace') ?? '', stringAt(meta, 'name') ?? '');
    });
    const fromRevision = listed.value.revision;
    const watch = this.store.watch(prefix, { fromRevision }, (event) => this.onChange(event));
    assert(watch.ok, 'a watch from the revision just listed cannot be expired');
    this.watch = watch.value;
    this.armSweep();
  }

  stop(): void {
    this.watch?.cancel();
    this.watch = undefined;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private trackExisting(items: readonly StoredObject[], keyOf: (item: StoredObject) => string) {
    const nowMs = this.clock.nowMs();
    const seeded = items.map((item) => ({
      key: keyOf(item),
      lastWriteMs: Math.min(nowMs, latestTimestampMs(item) ?? nowMs),
      resourceVersion: resourceVersionOf(item),
    }));
    seeded.sort(
      (a, b) => a.lastWriteMs - b.lastWriteMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    );
    for (const { key, ...entry } of seeded) this.tracked.set(key, entry);
  }

  /** Hot path: runs synchronously inside every event write. */
  private onChange(event: StoreWatchEvent): void {
    this.tracked.delete(event.key);
    if (event.type === 'DELETED') return;
    const resourceVersion = resourceVersionOf(event.object);
    this.tracked.set(event.key, { lastWriteMs: this.clock.nowMs(), resourceVersion });
    if (this.timer === undefined) this.armSweep();
  }

  /**
   * Arms the next sweep unless one is armed or nothing is tracked: at the oldest write's expiry,
   * but no sooner than sweepIntervalMs from now. With no events there is no timer, so an idle
   * simulation can go quiet.
   */
  private armSweep(): void {
    if (this.timer !== undefined || this.watch === undefined) return;
    const oldest = this.tracked.values().next();
    if (oldest.done === true) return;
    const untilExpiryMs = oldest.value.lastWriteMs + this.ttlMs - this.clock.nowMs();
    this.timer = this.clock.setTimer(Math.max(this.sweepIntervalMs, untilExpiryMs), () => {
      this.timer = undefined;
      this.sweep();
      this.armSweep();
    });
  }

  /** Deletes expired events, oldest write first, at most sweepDeleteCountMax of them. */
  private sweep(): void {
    const nowMs = this.clock.nowMs();
    const expired: [string, string][] = [];
    for (const [key, entry] of this.tracked) {
      // Entries are in write order; with a clock stepped back a later one may expire first and
      // waits for the front, which only ever delays a deletion.
      if (entry.lastWriteMs + this.ttlMs > nowMs) break;
      expired.push([key, entry.resourceVersion]);
      if (expired.length >= this.sweepDeleteCountMax) break;
    }
    for (const [key, resourceVersion] of expired) {
      const removed = this.store.delete(key, { expectedResourceVersion: resourceVersion });
      if (!removed.ok && removed.error.code === 'NotFound') this.tracked.delete(key);
    }
  }
}

/**
 * Starts expiring events in `store`: lists the events stored now, watches later writes, and
 * sweeps while there are events. The API server calls it once at start and stop() on shutdown.
 */
export function startEventTtl(options: EventTtlOptions): EventTtlHandle {
  const ttl = new EventTtl(options);
  ttl.start();
  return ttl;
}
