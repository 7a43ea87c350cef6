// Tests of the event correlator: counting, aggregation and the spam filter, in upstream's order.

import { describe, expect, it } from 'vitest';
import { formatTime } from '../api/values/time.js';
import type { CorrelateResult } from './event-correlator.js';
import { EventCorrelator, aggregateMessagePrefix } from './event-correlator.js';
import type { CoreEvent } from './event-types.js';

const startMs = Date.UTC(2026, 0, 1);

function setup() {
  const time = { nowMs: startMs };
  let names = 0;
  const correlator = new EventCorrelator({
    clock: { nowMs: () => time.nowMs },
    eventName: (name) => `${name}.agg${names++}`,
  });
  return { time, correlator };
}

let serial = 0;

function sample(fields: Partial<CoreEvent> = {}, nowMs = startMs): CoreEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `web-1.${serial++}`, namespace: 'default' },
    involvedObject: {
      kind: 'Pod',
      namespace: 'default',
      name: 'web-1',
      uid: 'u1',
      apiVersion: 'v1',
    },
    reason: 'Pulled',
    message: 'Pulled image',
    source: { component: 'kubelet', host: 'worker-1' },
    firstTimestamp: formatTime(nowMs),
    lastTimestamp: formatTime(nowMs),
    count: 1,
    type: 'Normal',
    reportingComponent: 'kubelet',
    reportingInstance: 'worker-1',
    ...fields,
  };
}

function written(result: CorrelateResult): Extract<CorrelateResult, { skip: false }> {
  if (result.skip) throw new Error('expected the event to be written');
  return result;
}

describe('EventCorrelator counting', () => {
  it('passes a first occurrence unchanged, with nothing to patch', () => {
    const { correlator } = setup();
    const event = sample();
    const result = written(correlator.correlate(event));
    expect(result.event).toEqual(event);
    expect(result.patch).toBeUndefined();
  });

  it('turns a repeat into count + 1 on the first event, keeping its firstTimestamp', () => {
    const { time, correlator } = setup();
    const first = written(correlator.correlate(sample())).event;
    time.nowMs += 5_000;
    const repeat = written(correlator.correlate(sample({}, time.nowMs)));
    expect(repeat.event.metadata.name).toBe(first.metadata.name);
    expect(repeat.event.count).toBe(2);
    expect(repeat.event.firstTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(repeat.event.lastTimestamp).toBe('2026-01-01T00:00:05Z');
    expect(repeat.patch).toEqual({
      count: 2,
      lastTimestamp: '2026-01-01T00:00:05Z',
      message: 'Pulled image',
    });
  });

  it('carries the resourceVersion the server returned into the next repeat', () => {
    const { correlator } = setup();
    const first = written(correlator.correlate(sample())).event;
    correlator.updateState({ ...first, metadata: { ...first.metadata, resourceVersion: '42' } });
    expect(written(correlator.correlate(sample())).event.metadata.resourceVersion).toBe('42');
  });

  it('records the server copy under the key correlate built when its key fields match', () => {
    const { correlator } = setup();
    const result = written(correlator.correlate(sample()));
    expect(result.eventKey).toBeDefined();
    const stored = {
      ...result.event,
      metadata: { ...result.event.metadata, resourceVersion: '7' },
    };
    correlator.updateState(stored, { event: result.event, key: result.eventKey });
    expect(written(correlator.correlate(sample())).event.metadata.resourceVersion).toBe('7');
  });

  it('records a server copy whose key fields differ under its own key, not the sent one', () => {
    const { correlator } = setup();
    const result = written(correlator.correlate(sample()));
    // The server's copy carries another message: it is a different event to count.
    const stored = {
      ...result.event,
      message: 'Pulled image (edited)',
      metadata: { ...result.event.metadata, resourceVersion: '9' },
    };
    correlator.updateState(stored, { event: result.event, key: result.eventKey });
    const same = written(correlator.correlate(sample()));
    expect(same.event.metadata.resourceVersion).toBeUndefined();
    expect(same.event.count).toBe(2);
    const edited = written(correlator.correlate(sample({ message: 'Pulled image (edited)' })));
    expect(edited.event.metadata.resourceVersion).toBe('9');
    expect(edited.event.count).toBe(2);
  });

  it('counts events about different parts of an object separately', () => {
    const { correlator } = setup();
    const part = (fieldPath: string) => ({
      involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', fieldPath },
    });
    written(correlator.correlate(sample(part('spec.containers{a}'))));
    const other = written(correlator.correlate(sample(part('spec.containers{b}'))));
    expect(other.event.count).toBe(1);
  });
});

describe('EventCorrelator aggregation', () => {
  const numbered = (i: number) => sample({ message: `Failed attempt ${i}` });

  it('keeps nine similar events apart and combines from the tenth distinct message on', () => {
    const { correlator } = setup();
    for (let i = 1; i <= 9; i++) {
      const result = written(correlator.correlate(numbered(i)));
      expect(result.event.message).toBe(`Failed attempt ${i}`);
    }
    const tenth = written(correlator.correlate(numbered(10)));
    expect(tenth.event.message).toBe(`${aggregateMessagePrefix}Failed attempt 10`);
    expect(tenth.event.metadata.name).toBe('web-1.agg0');
    expect(tenth.event.count).toBe(1);
    expect(tenth.event.reportingComponent).toBe('');
    const eleventh = written(correlator.correlate(numbered(11)));
    expect(eleventh.event.metadata.name).toBe('web-1.agg0');
    expect(eleventh.event.count).toBe(2);
    expect(eleventh.patch?.message).toBe(`${aggregateMessagePrefix}Failed attempt 11`);
  });

  it('starts a group over after more than 600 s without a similar event', () => {
    const { time, correlator } = setup();
    for (let i = 1; i <= 9; i++) written(correlator.correlate(numbered(i)));
    time.nowMs += 600_001;
    expect(written(correlator.correlate(numbered(10))).event.message).toBe('Failed attempt 10');
  });

  it('keeps a group alive while similar events come at most 600 s apart', () => {
    const { time, correlator } = setup();
    for (let i = 1; i <= 9; i++) {
      written(correlator.correlate(numbered(i)));
      time.nowMs += 600_000;
    }
    const tenth = written(correlator.correlate(numbered(10)));
    expect(tenth.event.message).toBe(`${aggregateMessagePrefix}Failed attempt 10`);
  });

  it('does not combine events with different reasons', () => {
    const { correlator } = setup();
    for (let i = 1; i <= 12; i++) {
      const result = written(correlator.correlate(sample({ reason: `R${i}`, message: `m${i}` })));
      expect(result.event.message).toBe(`m${i}`);
    }
  });
});

describe('EventCorrelator spam filter', () => {
  const distinct = (i: number) => sample({ reason: `Reason${i}` });

  it('lets 25 events about an object through, then drops until 300 s refill one', () => {
    const { time, correlator } = setup();
    for (let i = 0; i < 25; i++) expect(correlator.correlate(distinct(i)).skip).toBe(false);
    expect(correlator.correlate(distinct(25)).skip).toBe(true);
    time.nowMs += 299_999;
    expect(correlator.correlate(distinct(26)).skip).toBe(true);
    time.nowMs += 1;
    expect(correlator.correlate(distinct(27)).skip).toBe(false);
    expect(correlator.correlate(distinct(28)).skip).toBe(true);
  });

  it('budgets each object and each event type separately', () => {
    const { correlator } = setup();
    for (let i = 0; i < 25; i++) correlator.correlate(distinct(i));
    expect(correlator.correlate(distinct(99)).skip).toBe(true);
    expect(correlator.correlate(sample({ type: 'Warning' })).skip).toBe(false);
    const other = { kind: 'Pod', namespace: 'default', name: 'web-2' };
    expect(correlator.correlate(sample({ involvedObject: other })).skip).toBe(false);
  });

  it('still counts a dropped repeat, so the next one written carries the full count', () => {
    const { time, correlator } = setup();
    for (let i = 0; i < 30; i++) correlator.correlate(sample());
    time.nowMs += 300_000;
    expect(written(correlator.correlate(sample())).event.count).toBe(31);
  });
});
