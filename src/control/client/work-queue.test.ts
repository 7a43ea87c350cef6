// Tests of the work queue: dedup, dirty keys, FIFO gets, delays, rate limits, bounds, shutdown.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../../test/client/manual-clock.js';
import { ItemExponentialFailureRateLimiter } from './rate-limiters.js';
import type { QueueGetResult } from './work-queue.js';
import { QueueFullError, WorkQueue } from './work-queue.js';

function newQueue(options: { queueLengthMax?: number } = {}) {
  const clock = new ManualClock({ startMs: 1_000 });
  const queue = new WorkQueue<string>({ clock, name: 'test', ...options });
  return { clock, queue };
}

async function keyOf(result: Promise<QueueGetResult<string>>): Promise<string> {
  const got = await result;
  if (got.shutDown) throw new Error('queue shut down');
  return got.key;
}

describe('WorkQueue', () => {
  it('queues a key at most once and hands keys out in FIFO order', async () => {
    const { queue } = newQueue();
    for (const key of ['a', 'b', 'a', 'c', 'b']) queue.add(key);
    expect(queue.length).toBe(3);
    expect([await keyOf(queue.get()), await keyOf(queue.get()), await keyOf(queue.get())]).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('re-queues a key added while it was processing only after done', async () => {
    const { queue } = newQueue();
    queue.add('a');
    expect(await keyOf(queue.get())).toBe('a');
    queue.add('a');
    queue.add('a');
    expect(queue.length).toBe(0);
    queue.add('b');
    queue.done('a');
    expect(queue.length).toBe(2);
    expect(await keyOf(queue.get())).toBe('b');
    expect(await keyOf(queue.get())).toBe('a');
  });

  it('does not re-queue a processed key that was not added again', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.done(await keyOf(queue.get()));
    expect(queue.length).toBe(0);
    expect(queue.processingCount).toBe(0);
  });

  it('resolves waiting gets in the order they were called', async () => {
    const { queue } = newQueue();
    const order: string[] = [];
    const first = queue.get().then((r) => void order.push(`first:${r.shutDown ? '-' : r.key}`));
    const second = queue.get().then((r) => void order.push(`second:${r.shutDown ? '-' : r.key}`));
    await settle();
    expect(order).toEqual([]);
    queue.add('x');
    queue.add('y');
    await Promise.all([first, second]);
    expect(order).toEqual(['first:x', 'second:y']);
  });

  it('adds a delayed key when its time comes, keeping the earlier of two delays', async () => {
    const { clock, queue } = newQueue();
    queue.addAfter('a', 500);
    queue.addAfter('a', 200);
    queue.addAfter('a', 900);
    expect(queue.waitingCount).toBe(1);
    clock.advance(199);
    expect(queue.length).toBe(0);
    clock.advance(1);
    expect(queue.length).toBe(1);
    clock.advance(10_000);
    expect(queue.length).toBe(1);
    expect(queue.waitingCount).toBe(0);
  });

  it('adds at once when the delay is zero', () => {
    const { clock, queue } = newQueue();
    queue.addAfter('a', 0);
    expect(queue.length).toBe(1);
    expect(clock.pendingTimerCount).toBe(0);
  });

  it('backs a failing key off exponentially and forgets it on success', () => {
    const clock = new ManualClock();
    const queue = new WorkQueue<string>({
      clock,
      name: 'test',
      rateLimiter: new ItemExponentialFailureRateLimiter<string>(),
    });
    queue.addRateLimited('a');
    clock.advance(4);
    expect(queue.length).toBe(0);
    clock.advance(1);
    expect(queue.length).toBe(1);
    queue.addRateLimited('b');
    queue.addRateLimited('b');
    expect(queue.numRequeues('b')).toBe(2);
    queue.forget('b');
    expect(queue.numRequeues('b')).toBe(0);
  });

  it('resolves pending gets with shutDown and ignores later adds', async () => {
    const { clock, queue } = newQueue();
    const pending = queue.get();
    queue.addAfter('late', 100);
    queue.shutDown();
    expect(await pending).toEqual({ shutDown: true });
    queue.add('a');
    clock.advance(1_000);
    expect(queue.length).toBe(0);
    expect(await queue.get()).toEqual({ shutDown: true });
  });

  it('still hands out keys queued before shutdown', async () => {
    const { queue } = newQueue();
    queue.add('a');
    queue.shutDown();
    expect(await queue.get()).toEqual({ shutDown: false, key: 'a' });
    expect((await queue.get()).shutDown).toBe(true);
  });

  it('drops adds past queueLengthMax and reports them', () => {
    const clock = new ManualClock();
    const reported: QueueFullError[] = [];
    const queue = new WorkQueue<string>({
      clock,
      name: 'pods',
      queueLengthMax: 2,
      onQueueFull: (error) => reported.push(error),
    });
    for (const key of ['a', 'b', 'c', 'a']) queue.add(key);
    expect(queue.length).toBe(2);
    expect(queue.droppedCount).toBe(1);
    expect(reported[0]).toBeInstanceOf(QueueFullError);
    expect(reported[0]?.message).toBe(
      'Work queue "pods" is full: dropped key "c": 2 keys are queued',
    );
  });

  it('keeps the last overflow when no reporter is given', () => {
    const { queue } = newQueue({ queueLengthMax: 1 });
    queue.add('a');
    queue.add('b');
    expect(queue.lastQueueFullError?.message).toMatch(/dropped key "b"/);
  });

  it('rejects done for a key that was never handed out', () => {
    const { queue } = newQueue();
    expect(() => queue.done('ghost')).toThrow(/without get/);
  });

  it('never processes one key twice at once and loses no add (model check)', async () => {
    const command = fc.oneof(
      fc.record({ op: fc.constant('add' as const), key: fc.constantFrom('a', 'b', 'c', 'd') }),
      fc.record({ op: fc.constant('get' as const) }),
      fc.record({ op: fc.constant('done' as const), index: fc.nat(5) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 80 }), async (commands) => {
        const { queue } = newQueue();
        const processing: string[] = [];
        const needed = new Set<string>();
        for (const c of commands) {
          if (c.op === 'add') {
            queue.add(c.key);
            needed.add(c.key);
          } else if (c.op === 'get') {
            if (queue.length === 0) continue;
            const key = await keyOf(queue.get());
            expect(processing).not.toContain(key);
            processing.push(key);
            needed.delete(key);
          } else if (processing.length > 0) {
            const [key] = processing.splice(c.index % processing.length, 1);
            queue.done(key as string);
          }
        }
        for (const key of processing.splice(0)) queue.done(key);
        const drained = new Set<string>();
        while (queue.length > 0) drained.add(await keyOf(queue.get()));
        expect([...drained].sort()).toEqual([...needed].sort());
      }),
      { numRuns: 200 },
    );
  });
});
