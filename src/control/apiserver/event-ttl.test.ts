// Tests of the event TTL on the versioned store with a hand-driven clock.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/client/manual-clock.js';
import { formatTime } from '../api/values/time.js';
import type { StoredObject, StoreWatchEvent } from '../store/types.js';
import { frozen, newStore, ok } from '../store/testing/store-fixtures.js';
import { startEventTtl } from './event-ttl.js';

const startMs = Date.UTC(2026, 0, 1);
const hourMs = 3_600_000;
const minuteMs = 60_000;

function eventObject(name: string, options: { lastMs?: number; count?: number } = {}) {
  const last = options.lastMs === undefined ? {} : { lastTimestamp: formatTime(options.lastMs) };
  return frozen({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1' },
    reason: 'Pulled',
    count: options.count ?? 1,
    ...last,
  }) as StoredObject;
}

async function setup() {
  const { store } = await newStore();
  const clock = new ManualClock({ startMs });
  const deleted: string[] = [];
  ok(
    store.watch('/', { fromRevision: 0 }, (event: StoreWatchEvent) => {
      if (event.type === 'DELETED') deleted.push(event.key);
    }),
  );
  return { store, clock, deleted };
}

describe('startEventTtl', () => {
  it('deletes an event at the first sweep one TTL after its write, and watchers see it', async () => {
    const { store, clock, deleted } = await setup();
    const ttl = startEventTtl({ store, clock, ttlMs: hourMs });
    ok(store.create('/events/default/a', eventObject('a')));
    clock.advance(hourMs - 1);
    expect(store.get('/events/default/a')).toBeDefined();
    clock.advance(minuteMs);
    expect(store.get('/events/default/a')).toBeUndefined();
    expect(deleted).toEqual(['/events/default/a']);
    expect(ttl.trackedCount).toBe(0);
    ttl.stop();
  });

  it('renews an event on every write', async () => {
    const { store, clock } = await setup();
    const ttl = startEventTtl({ store, clock, ttlMs: hourMs });
    ok(store.create('/events/default/a', eventObject('a')));
    clock.advance(30 * minuteMs);
    ok(store.update('/events/default/a', eventObject('a', { count: 2 })));
    clock.advance(hourMs - minuteMs);
    expect(store.get('/events/default/a')).toBeDefined();
    clock.advance(2 * minuteMs);
    expect(store.get('/events/default/a')).toBeUndefined();
    ttl.stop();
  });

  it('leaves other resources alone', async () => {
    const { store, clock } = await setup();
    const ttl = startEventTtl({ store, clock, ttlMs: minuteMs });
    ok(store.create('/pods/default/p', eventObject('p')));
    ok(store.create('/events.events.k8s.io/default/e', eventObject('e')));
    clock.advance(10 * minuteMs);
    expect(store.get('/pods/default/p')).toBeDefined();
    expect(store.get('/events.events.k8s.io/default/e')).toBeDefined();
    ttl.stop();
  });

  it('dates events stored before it started by their own timestamps, capped at now', async () => {
    const { store, clock } = await setup();
    ok(
      store.create('/events/default/old', eventObject('old', { lastMs: startMs - 50 * minuteMs })),
    );
    ok(store.create('/events/default/future', eventObject('future', { lastMs: startMs + hourMs })));
    ok(store.create('/events/default/undated', eventObject('undated')));
    const ttl = startEventTtl({ store, clock, ttlMs: hourMs });
    clock.advance(11 * minuteMs);
    expect(store.get('/events/default/old')).toBeUndefined();
    expect(store.get('/events/default/future')).toBeDefined();
    clock.advance(hourMs - 10 * minuteMs);
    expect(store.get('/events/default/future')).toBeUndefined();
    expect(store.get('/events/default/undated')).toBeUndefined();
    ttl.stop();
  });

  it('deletes at most sweepDeleteCountMax events per sweep, oldest write first', async () => {
    const { store, clock, deleted } = await setup();
    const sweepIntervalMs = 2 * minuteMs;
    const options = { ttlMs: minuteMs, sweepIntervalMs, sweepDeleteCountMax: 2 };
    const ttl = startEventTtl({ store, clock, ...options });
    for (const name of ['c', 'a', 'b']) {
      ok(store.create(`/events/default/${name}`, eventObject(name)));
      clock.advance(1);
    }
    clock.advance(sweepIntervalMs);
    expect(deleted).toEqual(['/events/default/c', '/events/default/a']);
    clock.advance(sweepIntervalMs);
    expect(deleted).toEqual(['/events/default/c', '/events/default/a', '/events/default/b']);
    ttl.stop();
  });

  it('keeps no timer while no event is stored, so an idle world can go quiet', async () => {
    const { store, clock } = await setup();
    const ttl = startEventTtl({ store, clock, ttlMs: hourMs });
    expect(clock.pendingTimerCount).toBe(0);
    ok(store.create('/events/default/a', eventObject('a')));
    ok(store.create('/events/default/b', eventObject('b')));
    expect(clock.pendingTimerCount).toBe(1);
    clock.advance(hourMs);
    expect(ttl.trackedCount).toBe(0);
    expect(clock.pendingTimerCount).toBe(0);
    ttl.stop();
  });

  it('stops sweeping and watching when stopped', async () => {
    const { store, clock } = await setup();
    const ttl = startEventTtl({ store, clock, ttlMs: minuteMs });
    ok(store.create('/events/default/a', eventObject('a')));
    ttl.stop();
    ttl.stop();
    clock.advance(10 * minuteMs);
    expect(store.get('/events/default/a')).toBeDefined();
    expect(clock.pendingTimerCount).toBe(0);
  });
});
