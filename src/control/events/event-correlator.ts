// client-go's EventCorrelator (tools/record/events_cache.go, v0.32): aggregation of similar
// events, counting of identical ones, and the per-object spam filter, in upstream's order.
//
// Pure apart from the clock it reads: the recorder calls correlate() for each event as it takes
// it off its queue, and updateState() with what the server stored.

import type { PassiveClock } from '../ports/clock.js';
import { formatTime } from '../api/values/time.js';
import { aggregateKeys, eventKey, spamKey } from './event-keys.js';
import type { CoreEvent, EventPatch } from './event-types.js';
import { LruCache } from './lru-cache.js';
import { EventSpamFilter } from './spam-filter.js';

export interface CorrelatorLimits {
  /** Entries of each LRU cache (aggregation, counting, spam). Default 4096. */
  lruCacheSize: number;
  /** Distinct messages of similar events that switch to one aggregate event. Default 10. */
  aggregateMaxEvents: number;
  /** Gap after which a group of similar events starts over. Default 600 s. */
  aggregateIntervalMs: number;
  /** Spam filter bucket size per source+object. Default 25. */
  spamBurst: number;
  /** Spam filter refill, events per second. Default float32(1/300): one per 5 minutes. */
  spamQps: number;
}

export const defaultCorrelatorLimits: CorrelatorLimits = {
  lruCacheSize: 4096,
  aggregateMaxEvents: 10,
  aggregateIntervalMs: 600_000,
  spamBurst: 25,
  // Upstream's QPS is a float32; rounding keeps exactly 300 s of refill worth ≥ 1 token.
  spamQps: Math.fround(1 / 300),
};

export const aggregateMessagePrefix = '(combined from similar events): ';

/**
 * What the recorder writes: skip it, create it, or (with a patch) update the earlier one.
 * `eventKey` is the event's dedup key when correlate() already built it (pass it back to
 * updateState with the event).
 */
export type CorrelateResult =
  | { skip: true }
  | { skip: false; event: CoreEvent; patch: EventPatch | undefined; eventKey?: string };

interface AggregateRecord {
  /** Distinct messages seen in the group (upstream's localKeys set). */
  messages: Set<string>;
  lastMs: number;
}

interface EventLog {
  count: number;
  firstTimestamp: string;
  name: string;
  resourceVersion: string;
}

export interface EventCorrelatorOptions {
  clock: PassiveClock;
  /** Name of a new aggregate event about object `objectName` at `nowMs`. */
  eventName: (objectName: string, nowMs: number) => string;
  limits?: Partial<CorrelatorLimits>;
}

export class EventCorrelator {
  private readonly clock: PassiveClock;
  private readonly eventName: (objectName: string, nowMs: number) => string;
  private readonly limits: CorrelatorLimits;
  private readonly groups: LruCache<AggregateRecord>;
  private readonly logs: LruCache<EventLog>;
  private readonly spam: EventSpamFilter;

  constructor(options: EventCorrelatorOptions) {
    this.clock = options.clock;
    this.eventName = options.eventName;
    this.limits = { ...defaultCorrelatorLimits, ...options.limits };
    const capacity = this.limits.lruCacheSize;
    this.groups = new LruCache({ capacity });
    this.logs = new LruCache({ capacity });
    this.spam = new EventSpamFilter({
      lruCacheSize: capacity,
      burst: this.limits.spamBurst,
      qps: this.limits.spamQps,
    });
  }

  /**
   * EventCorrelate: aggregate, then count, then filter. A dropped event has still been counted,
   * as upstream: the next identical event that passes carries the higher count.
   */
  correlate(event: CoreEvent): CorrelateResult {
    const nowMs = this.clock.nowMs();
    // The aggregate and observed events keep the source, object and type: one spam key serves.
    const spam = spamKey(event);
    const aggregated = this.aggregate(event, nowMs, spam);
    const observed = this.observe(aggregated.event, aggregated.key);
    if (this.spam.filterKey(spam, nowMs)) return { skip: true };
    // Not aggregated, the observed event has the dedup key it was counted under.
    const key = aggregated.event === event ? aggregated.key : undefined;
    return { skip: false, event: observed.event, patch: observed.patch, eventKey: key };
  }

  /**
   * Records the server's copy (name, resourceVersion, count) under its own dedup key. `sent`
   * (the written event and its eventKey from correlate) saves rebuilding that key when the
   * server's copy has the same key fields.
   */
  updateState(stored: CoreEvent, sent?: { event: CoreEvent; key: string | undefined }): void {
    const key =
      sent?.key !== undefined && sameKeyFields(stored, sent.event) ? sent.key : eventKey(stored);
    this.logs.add(key, logOf(stored));
  }

  /** EventAggregate: returns the event to count and its dedup key. */
  private aggregate(
    event: CoreEvent,
    nowMs: number,
    spam: string,
  ): { event: CoreEvent; key: string } {
    const { aggregateKey, localKey } = aggregateKeys(event, spam);
    let record = this.groups.get(aggregateKey);
    if (record === undefined || nowMs - record.lastMs > this.limits.aggregateIntervalMs) {
      record = { messages: new Set(), lastMs: nowMs };
    }
    record.messages.add(localKey);
    record.lastMs = nowMs;
    this.groups.add(aggregateKey, record);
    if (record.messages.size < this.limits.aggregateMaxEvents) {
      return { event, key: eventKey(event, spam) };
    }
    // Upstream pops an arbitrary member (map order); the oldest is our deterministic choice.
    const oldest = record.messages.values().next();
    if (oldest.done !== true) record.messages.delete(oldest.value);
    return { event: this.aggregateEvent(event, nowMs), key: aggregateKey };
  }

  /** The aggregate event as upstream builds it: no reporting fields, count 1, times = now. */
  private aggregateEvent(event: CoreEvent, nowMs: number): CoreEvent {
    const now = formatTime(nowMs);
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: this.eventName(event.involvedObject.name ?? '', nowMs),
        namespace: event.metadata.namespace,
      },
      involvedObject: event.involvedObject,
      reason: event.reason,
      message: `${aggregateMessagePrefix}${event.message}`,
      source: event.source,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type: event.type,
      reportingComponent: '',
      reportingInstance: '',
    };
  }

  /** eventObserve: a repeat takes the earlier event's name, firstTimestamp and count + 1. */
  private observe(event: CoreEvent, key: string): { event: CoreEvent; patch?: EventPatch } {
    const last = this.logs.get(key);
    if (last === undefined || last.count === 0) {
      this.logs.add(key, logOf(event));
      return { event };
    }
    const { resourceVersion: _dropped, ...rest } = event.metadata;
    const metadata: CoreEvent['metadata'] = { ...rest, name: last.name };
    if (last.resourceVersion !== '') metadata.resourceVersion = last.resourceVersion;
    const observed: CoreEvent = {
      ...event,
      metadata,
      firstTimestamp: last.firstTimestamp,
      count: last.count + 1,
    };
    this.logs.add(key, logOf(observed));
    const patch: EventPatch = { count: observed.count, lastTimestamp: observed.lastTimestamp };
    if (observed.message !== '') patch.message = observed.message;
    return { event: observed, patch };
  }
}

/** The fields eventKey reads are equal (absent reads as ''), so the two keys are equal. */
function sameKeyFields(a: CoreEvent, b: CoreEvent): boolean {
  const x = a.involvedObject;
  const y = b.involvedObject;
  return (
    (a.source.component ?? '') === (b.source.component ?? '') &&
    (a.source.host ?? '') === (b.source.host ?? '') &&
    (x.kind ?? '') === (y.kind ?? '') &&
    (x.namespace ?? '') === (y.namespace ?? '') &&
    (x.name ?? '') === (y.name ?? '') &&
    (x.fieldPath ?? '') === (y.fieldPath ?? '') &&
    (x.uid ?? '') === (y.uid ?? '') &&
    (x.apiVersion ?? '') === (y.apiVersion ?? '') &&
    (a.type ?? '') === (b.type ?? '') &&
    (a.reason ?? '') === (b.reason ?? '') &&
    (a.message ?? '') === (b.message ?? '')
  );
}

function logOf(event: CoreEvent): EventLog {
  return {
    count: event.count,
    firstTimestamp: event.firstTimestamp,
    name: event.metadata.name,
    resourceVersion: event.metadata.resourceVersion ?? '',
  };
}
