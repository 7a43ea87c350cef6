// The cache keys of client-go's event correlator (tools/record/events_cache.go, v0.32).
//
// Upstream joins the parts with no separator (strings.Join(parts, "")); so do we, so that two
// events share a key exactly when they would upstream.

import type { CoreEvent } from './event-types.js';

/** Dedup key: source, involved object (with fieldPath), type, reason and message. */
export function eventKey(event: CoreEvent): string {
  const o = event.involvedObject;
  return [
    event.source.component ?? '',
    event.source.host ?? '',
    o.kind ?? '',
    o.namespace ?? '',
    o.name ?? '',
    o.fieldPath ?? '',
    o.uid ?? '',
    o.apiVersion ?? '',
    event.type,
    event.reason,
    event.message,
  ].join('');
}

/** Spam-filter key: source, involved object (without fieldPath) and type. */
export function spamKey(event: CoreEvent): string {
  const o = event.involvedObject;
  return [
    event.source.component ?? '',
    event.source.host ?? '',
    o.kind ?? '',
    o.namespace ?? '',
    o.name ?? '',
    o.uid ?? '',
    o.apiVersion ?? '',
    event.type,
  ].join('');
}

/**
 * EventAggregatorByReasonFunc: the group of events that differ only by message, and the
 * message as the key inside the group.
 */
export function aggregateKeys(event: CoreEvent): { aggregateKey: string; localKey: string } {
  const o = event.involvedObject;
  const aggregateKey = [
    event.source.component ?? '',
    event.source.host ?? '',
    o.kind ?? '',
    o.namespace ?? '',
    o.name ?? '',
    o.uid ?? '',
    o.apiVersion ?? '',
    event.type,
    event.reason,
    event.reportingComponent,
    event.reportingInstance,
  ].join('');
  return { aggregateKey, localKey: event.message };
}
