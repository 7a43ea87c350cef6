// The per-zone tainting queue: uniqueness, rate limiting with burst 1, limiter swaps, retries.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../test/client/manual-clock.js';
import type { TaintingItem, TaintingOutcome } from './tainting-queue.js';
import { TaintingQueue } from './tainting-queue.js';

function recorder(outcome: (item: TaintingItem) => TaintingOutcome = () => ({ done: true })) {
  const seen: string[] = [];
  const action = (item: TaintingItem) => {
    seen.push(item.name);
    return Promise.resolve(outcome(item));
  };
  return { seen, action };
}

describe('TaintingQueue', () => {
  it('takes a node once until it is removed, even after it was processed', async () => {
    const clock = new ManualClock();
    const queue = new TaintingQueue({ clock, qps: 1000 });
    expect(queue.add('a', 'uid-a', 0)).toBe(true);
    expect(queue.add('a', 'uid-a', 0)).toBe(false);
    const { seen, action } = recorder();
    await queue.tryProcess(action);
    expect(seen).toEqual(['a']);
    expect(queue.length).toBe(0);
    expect(queue.add('a', 'uid-a', 0)).toBe(false);
    expect(queue.remove('a')).toBe(true);
    expect(queue.add('a', 'uid-a', 0)).toBe(true);
  });

  it('processes one node per token: at 0.1 qps one node every 10 s', async () => {
    const clock = new ManualClock();
    const queue = new TaintingQueue({ clock, qps: 0.1 });
    for (const name of ['a', 'b', 'c']) queue.add(name, '', 0);
    const { seen, action } = recorder();
    await queue.tryProcess(action);
    expect(seen).toEqual(['a']);
    clock.advance(9_999);
    await queue.tryProcess(action);
    expect(seen).toEqual(['a']);
    clock.advance(1);
    await queue.tryProcess(action);
    expect(seen).toEqual(['a', 'b']);
    clock.advance(10_000);
    await queue.tryProcess(action);
    expect(seen).toEqual(['a', 'b', 'c']);
  });

  it('processes nothing at a rate of 0', async () => {
    const clock = new ManualClock();
    const queue = new TaintingQueue({ clock, qps: 0 });
    queue.add('a', '', 0);
    const { seen, action } = recorder();
    clock.advance(3_600_000);
    await queue.tryProcess(action);
    expect(seen).toEqual([]);
    expect(queue.waitingNames()).toEqual(['a']);
  });

  it('starts a swapped limiter full, unless the old one was out of tokens', async () => {
    const clock = new ManualClock();
    const fresh = new TaintingQueue({ clock, qps: 0.1 });
    fresh.setQps(0.01);
    fresh.add('a', '', 0);
    const first = recorder();
    await fresh.tryProcess(first.action);
    expect(first.seen).toEqual(['a']);

    const drained = new TaintingQueue({ clock, qps: 0.1 });
    drained.add('x', '', 0);
    await drained.tryProcess(recorder().action);
    drained.setQps(0.01);
    drained.add('y', '', 0);
    const second = recorder();
    clock.advance(99_999);
    await drained.tryProcess(second.action);
    expect(second.seen).toEqual([]);
    clock.advance(1);
    await drained.tryProcess(second.action);
    expect(second.seen).toEqual(['y']);
  });

  it('puts a failed node back, due after its retry delay, behind nodes due earlier', async () => {
    const clock = new ManualClock();
    const queue = new TaintingQueue({ clock, qps: 1000 });
    queue.add('a', '', 0);
    queue.add('b', '', 0);
    let fail = true;
    const { seen, action } = recorder((item) =>
      item.name === 'a' && fail ? { done: false, retryAfterMs: 50 } : { done: true },
    );
    await queue.tryProcess(action);
    expect(seen).toEqual(['a']);
    clock.advance(1);
    await queue.tryProcess(action);
    expect(seen).toEqual(['a', 'b']);
    expect(queue.waitingNames()).toEqual(['a']);
    fail = false;
    clock.advance(40);
    await queue.tryProcess(action);
    expect(seen).toEqual(['a', 'b']);
    clock.advance(10);
    await queue.tryProcess(action);
    expect(seen).toEqual(['a', 'b', 'a']);
    expect(queue.length).toBe(0);
  });
});
