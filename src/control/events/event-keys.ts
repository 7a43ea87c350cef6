// The cache keys of client-go's event correlator (tools/record/events_cache.go, v0.32).
//
// Upstream joins the parts with no separator (strings.Join(parts, "")); so do we, so that two
// events share a key exactly when they would upstream. Parts are concatenated directly (the
// keys are built several times per event); a missing part reads as '', as Go's zero value.

import type { CoreEvent, EventObjectReference } from './event-types.js';

/** Source and involved object without fieldPath (the prefix of the spam and aggregate keys). */
function sourceObjectPrefix(event: CoreEvent, o: EventObjectReference): string {
  return (
    (event.source.component ?? '') +
    (event.source.host ?? '') +
    (o.kind ?? '') +
    (o.namespace ?? '') +
    (o.name ?? '')
  );
}

/**
 * Dedup key: source, involved object (with fieldPath), type, reason and message. `spam` may
 * pass the event's spamKey, already built: without a fieldPath the dedup key extends it.
 */
export function eventKey(event: CoreEvent, spam?: string): string {
  const o = event.involvedObject;
  const tail = (event.reason ?? '') + (event.message ?? '');
  if (spam !== undefined && (o.fieldPath ?? '') === '') return spam + tail;
  return (
    sourceObjectPrefix(event, o) +
    (o.fieldPath ?? '') +
    (o.uid ?? '') +
    (o.apiVersion ?? '') +
    (event.type ?? '') +
    tail
  );
}

/** Spam-filter key: source, involved object (without fieldPath) and type. */
export function spamKey(event: CoreEvent): string {
  const o = event.involvedObject;
  return sourceObjectPrefix(event, o) + (o.uid ?? '') + (o.apiVersion ?? '') + (event.type ?? '');
}

/**
 * EventAggregatorByReasonFunc: the group of events that differ only by message, and the
 * message as the key inside the group. `spam` may pass the event's spamKey, already built.
 */
export function aggregateKeys(
  event: CoreEvent,
  spam: string = spamKey(event),
): { aggregateKey: string; localKey: string } {
  const aggregateKey =
    spam +
    (event.reason ?? '') +
    (event.reportingComponent ?? '') +
    (event.reportingInstance ?? '');
  return { aggregateKey, localKey: event.message };
}
