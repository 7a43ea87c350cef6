// Tests of the correlator's cache keys against upstream's definition: the parts joined with ''.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateKeys, eventKey, spamKey } from './event-keys.js';
import type { CoreEvent } from './event-types.js';

const part = fc.option(fc.constantFrom('', 'a', 'b', 'ab', 'Pod', 'x/y'), { nil: undefined });

const event = fc
  .record({
    component: part,
    host: part,
    kind: part,
    namespace: part,
    name: part,
    fieldPath: part,
    uid: part,
    apiVersion: part,
    type: fc.constantFrom('Normal', 'Warning'),
    reason: fc.constantFrom('', 'Scheduled', 'Failed'),
    message: fc.constantFrom('', 'm', 'Successfully assigned'),
    reportingComponent: fc.constantFrom('', 'kubelet'),
    reportingInstance: fc.constantFrom('', 'worker-1'),
  })
  .map((p): CoreEvent => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e', namespace: 'default' },
    involvedObject: {
      kind: p.kind,
      namespace: p.namespace,
      name: p.name,
      fieldPath: p.fieldPath,
      uid: p.uid,
      apiVersion: p.apiVersion,
    },
    source: { component: p.component, host: p.host },
    reason: p.reason,
    message: p.message,
    type: p.type,
    firstTimestamp: '2026-01-01T00:00:00Z',
    lastTimestamp: '2026-01-01T00:00:00Z',
    count: 1,
    reportingComponent: p.reportingComponent,
    reportingInstance: p.reportingInstance,
  }));

/** events_cache.go's getEventKey, getSpamKey and EventAggregatorByReasonFunc, as written. */
function upstreamKeys(e: CoreEvent) {
  const o = e.involvedObject;
  const s = e.source;
  const join = (parts: (string | undefined)[]) => parts.map((x) => x ?? '').join('');
  return {
    event: join(
      [s.component, s.host, o.kind, o.namespace, o.name, o.fieldPath, o.uid].concat([
        o.apiVersion,
        e.type,
        e.reason,
        e.message,
      ]),
    ),
    spam: join([s.component, s.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion, e.type]),
    aggregate: join(
      [s.component, s.host, o.kind, o.namespace, o.name, o.uid, o.apiVersion].concat([
        e.type,
        e.reason,
        e.reportingComponent,
        e.reportingInstance,
      ]),
    ),
  };
}

describe('event keys', () => {
  it('equal upstream joins, whether or not the spam key is passed in', () => {
    fc.assert(
      fc.property(event, (e) => {
        const want = upstreamKeys(e);
        const spam = spamKey(e);
        expect(spam).toBe(want.spam);
        expect(eventKey(e)).toBe(want.event);
        expect(eventKey(e, spam)).toBe(want.event);
        expect(aggregateKeys(e)).toEqual({ aggregateKey: want.aggregate, localKey: e.message });
        expect(aggregateKeys(e, spam).aggregateKey).toBe(want.aggregate);
      }),
      { numRuns: 500 },
    );
  });
});
