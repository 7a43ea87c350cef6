// Tests of the work queue's rate limiters: per-item exponential backoff, the bucket and their max.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/client/manual-clock.js';
import {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
} from './rate-limiters.js';

describe('ItemExponentialFailureRateLimiter', () => {
  it('doubles each item’s delay from 5 ms and caps it at 1000 s', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    const delays = Array.from({ length: 20 }, () => limiter.whenMs('a'));
    expect(delays.slice(0, 5)).toEqual([5, 10, 20, 40, 80]);
    expect(delays[17]).toBe(5 * 2 ** 17);
    expect(delays[18]).toBe(1_000_000);
    expect(delays[19]).toBe(1_000_000);
    expect(limiter.numRequeues('a')).toBe(20);
  });

  it('keeps items independent and starts over after forget', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>();
    limiter.whenMs('a');
    limiter.whenMs('a');
    expect(limiter.whenMs('b')).toBe(5);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
    expect(limiter.whenMs('a')).toBe(5);
  });

  it('stays at the cap for absurd failure counts', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>({
      baseDelayMs: 1,
      maxDelayMs: 7,
    });
    for (let i = 0; i < 2000; i++) limiter.whenMs('x');
    expect(limiter.whenMs('x')).toBe(7);
  });
});

describe('BucketRateLimiter', () => {
  it('lets the burst through, then spaces items at 1/qps whatever the item', () => {
    const clock = new ManualClock();
    const limiter = new BucketRateLimiter<string>({ clock, qps: 10, burst: 2 });
    expect(['a', 'b', 'c', 'd'].map((k) => limiter.whenMs(k))).toEqual([0, 0, 100, 200]);
    expect(limiter.numRequeues('c')).toBe(0);
  });
});

describe('defaultControllerRateLimiter', () => {
  it('uses per-item backoff while the overall bucket has tokens', () => {
    const clock = new ManualClock();
    const limiter = defaultControllerRateLimiter<string>({ clock });
    expect([1, 2, 3].map(() => limiter.whenMs('a'))).toEqual([5, 10, 20]);
    expect(limiter.numRequeues('a')).toBe(3);
  });

  it('falls back to the 10 qps bucket once 100 retries were spent at once', () => {
    const clock = new ManualClock();
    const limiter = defaultControllerRateLimiter<string>({ clock });
    for (let i = 0; i < 100; i++) expect(limiter.whenMs(`k${i}`)).toBe(5);
    expect(limiter.whenMs('late')).toBe(100);
    expect(limiter.whenMs('later')).toBe(200);
  });

  it('forgets an item in every limiter', () => {
    const clock = new ManualClock();
    const inner = new ItemExponentialFailureRateLimiter<string>();
    const limiter = new MaxOfRateLimiter<string>({
      limiters: [inner, new BucketRateLimiter<string>({ clock })],
    });
    limiter.whenMs('a');
    limiter.forget('a');
    expect(inner.numRequeues('a')).toBe(0);
  });
});
