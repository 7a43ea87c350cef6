// Tests of the event queue's total order, removal and bound.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EventQueue,
  compareEvents,
  eventPhases,
  type EventPhase,
  type QueuedEvent,
} from './event-queue.js';

const noop = (): void => {};

function key(event: QueuedEvent): [number, number, string, number] {
  return [event.atMs, eventPhases.indexOf(event.phase), event.endpoint, event.seq];
}

function tupleLess(a: QueuedEvent, b: QueuedEvent): boolean {
  const [ta, pa, ea, sa] = key(a);
  const [tb, pb, eb, sb] = key(b);
  if (ta !== tb) return ta < tb;
  if (pa !== pb) return pa < pb;
  if (ea !== eb) return ea < eb;
  return sa < sb;
}

type Op =
  | { kind: 'push'; atMs: number; phase: EventPhase; endpoint: string }
  | { kind: 'pop' }
  | { kind: 'remove'; pick: number };

const endpoints = ['a', 'b', 'B', 'aa', 'é', 'ｚ', '😀', ''];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant('push' as const),
      atMs: fc.integer({ min: 0, max: 20 }),
      phase: fc.constantFrom(...eventPhases),
      endpoint: fc.oneof(
        fc.constantFrom(...endpoints),
        fc.string({ unit: 'binary', maxLength: 3 }),
      ),
    }),
    weight: 4,
  },
  { arbitrary: fc.constant({ kind: 'pop' as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }), weight: 1 },
);

describe('EventQueue', () => {
  it('phases run in the order fault, timer, delivery', () => {
    expect(eventPhases).toEqual(['fault', 'timer', 'delivery']);
  });

  it('compares endpoints by UTF-16 code units, not by code points or locale', () => {
    const base = { atMs: 0, phaseRank: 0, seq: 0 };
    // By code point U+FF5A sorts before U+1F600; by code units the emoji's lead surrogate 0xD83D
    // sorts before 0xFF5A.
    const emoji = { ...base, endpoint: '😀' };
    expect(compareEvents(emoji, { ...base, endpoint: 'ｚ' })).toBeLessThan(0);
    expect(compareEvents({ ...base, endpoint: 'B' }, { ...base, endpoint: 'a' })).toBeLessThan(0);
    expect(compareEvents({ ...base, endpoint: 'a' }, { ...base, endpoint: 'aa' })).toBeLessThan(0);
  });

  it('pops in (time, phase, endpoint, sequence) order under any push/pop/remove mix', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200 }), (ops) => {
        const queue = new EventQueue({ queuedCountMax: 1000 });
        const live: QueuedEvent[] = [];
        const popped: QueuedEvent[] = [];
        for (const op of ops) applyOp(queue, op, live, popped);
        for (let event = queue.pop(); event !== undefined; event = queue.pop()) {
          checkPop(event, live, popped);
        }
        expect(live).toEqual([]);
        expect(queue.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps code-unit order among endpoints first seen in descending order', () => {
    // Each new name sorts before all known ones, which exhausts the rank gaps repeatedly.
    const queue = new EventQueue({ queuedCountMax: 1000 });
    const names = Array.from({ length: 300 }, (_, i) => `e${String(i).padStart(3, '0')}`);
    for (const name of [...names].reverse()) {
      queue.push({ atMs: 1, phase: 'timer', endpoint: name, run: noop });
    }
    const popped: string[] = [];
    for (let event = queue.pop(); event !== undefined; event = queue.pop()) {
      popped.push(event.endpoint);
    }
    expect(popped).toEqual(names);
  });

  it('numbers each endpoint’s events by its own counter', () => {
    const queue = new EventQueue({ queuedCountMax: 10 });
    const a0 = queue.push({ atMs: 5, phase: 'timer', endpoint: 'a', run: noop });
    const b0 = queue.push({ atMs: 1, phase: 'fault', endpoint: 'b', run: noop });
    const a1 = queue.push({ atMs: 0, phase: 'delivery', endpoint: 'a', run: noop });
    expect([a0.seq, b0.seq, a1.seq]).toEqual([0, 0, 1]);
  });

  it('refuses to hold more than queuedCountMax events', () => {
    const queue = new EventQueue({ queuedCountMax: 2 });
    queue.push({ atMs: 0, phase: 'timer', endpoint: 'a', run: noop });
    queue.push({ atMs: 0, phase: 'timer', endpoint: 'a', run: noop });
    expect(() => queue.push({ atMs: 0, phase: 'timer', endpoint: 'a', run: noop })).toThrow(
      /queuedCountMax \(2\)/,
    );
  });

  it('remove reports false for events already popped or removed', () => {
    const queue = new EventQueue({ queuedCountMax: 10 });
    const first = queue.push({ atMs: 0, phase: 'timer', endpoint: 'a', run: noop });
    const second = queue.push({ atMs: 1, phase: 'timer', endpoint: 'a', run: noop });
    expect(queue.pop()).toBe(first);
    expect(queue.remove(first)).toBe(false);
    expect(queue.remove(second)).toBe(true);
    expect(queue.remove(second)).toBe(false);
    expect(queue.size).toBe(0);
  });
});

function applyOp(queue: EventQueue, op: Op, live: QueuedEvent[], popped: QueuedEvent[]): void {
  if (op.kind === 'push') {
    live.push(queue.push({ ...op, run: noop }));
  } else if (op.kind === 'pop') {
    const event = queue.pop();
    if (event === undefined) expect(live).toEqual([]);
    else checkPop(event, live, popped);
  } else if (live.length > 0) {
    const index = op.pick % live.length;
    const [victim] = live.splice(index, 1);
    expect(queue.remove(victim as QueuedEvent)).toBe(true);
  }
}

/** The popped event must be the least live event, and each pushed event pops at most once. */
function checkPop(event: QueuedEvent, live: QueuedEvent[], popped: QueuedEvent[]): void {
  const index = live.indexOf(event);
  expect(index).toBeGreaterThanOrEqual(0);
  live.splice(index, 1);
  for (const other of live) expect(tupleLess(event, other)).toBe(true);
  popped.push(event);
}
