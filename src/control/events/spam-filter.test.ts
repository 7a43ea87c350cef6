// Tests of the passive token bucket behind the event spam filter (x/time/rate semantics).

import { describe, expect, it } from 'vitest';
import { PassiveTokenBucket } from './spam-filter.js';

const qps = Math.fround(1 / 300);

describe('PassiveTokenBucket', () => {
  it('starts full and refills one token per 300 s at float32(1/300) per second', () => {
    const bucket = new PassiveTokenBucket(qps, 2);
    expect([bucket.tryAccept(0), bucket.tryAccept(0), bucket.tryAccept(0)]).toEqual([
      true,
      true,
      false,
    ]);
    expect(bucket.tryAccept(299_999)).toBe(false);
    expect(bucket.tryAccept(300_000)).toBe(true);
    expect(bucket.tryAccept(300_000)).toBe(false);
  });

  it('is not drained by denied requests', () => {
    const bucket = new PassiveTokenBucket(qps, 1);
    expect(bucket.tryAccept(0)).toBe(true);
    for (let ms = 1_000; ms < 300_000; ms += 1_000) expect(bucket.tryAccept(ms)).toBe(false);
    expect(bucket.tryAccept(300_000)).toBe(true);
  });

  it('holds at most burst tokens however long it rests', () => {
    const bucket = new PassiveTokenBucket(qps, 2);
    bucket.tryAccept(0);
    const granted = [0, 0, 0].map(() => bucket.tryAccept(10 * 3_600_000));
    expect(granted).toEqual([true, true, false]);
  });

  it('counts a clock stepped back as no time passing', () => {
    const bucket = new PassiveTokenBucket(qps, 1);
    expect(bucket.tryAccept(1_000_000)).toBe(true);
    expect(bucket.tryAccept(0)).toBe(false);
    expect(bucket.tryAccept(300_000)).toBe(false);
    expect(bucket.tryAccept(1_300_000)).toBe(true);
  });
});
