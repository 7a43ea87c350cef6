// Tests of the token bucket: burst, steady refill rate, waits on the clock, and unlimited mode.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../../test/client/manual-clock.js';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('lets a full burst through at once, then refuses until a token refills', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ clock, qps: 10, burst: 3 });
    expect([bucket.tryAccept(), bucket.tryAccept(), bucket.tryAccept()]).toEqual([
      true,
      true,
      true,
    ]);
    expect(bucket.tryAccept()).toBe(false);
    clock.advance(99);
    expect(bucket.tryAccept()).toBe(false);
    clock.advance(1);
    expect(bucket.tryAccept()).toBe(true);
  });

  it('spaces reservations after the burst at 1/qps', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ clock, qps: 5, burst: 2 });
    const delays = [1, 2, 3, 4, 5].map(() => bucket.reserve());
    expect(delays).toEqual([0, 0, 200, 400, 600]);
  });

  it('never holds more than burst tokens however long it idles', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ clock, qps: 100, burst: 4 });
    clock.advance(3_600_000);
    expect(bucket.available()).toBe(4);
  });

  it('makes wait() resolve when the reserved token exists', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ clock, qps: 2, burst: 1 });
    const passedAtMs: number[] = [];
    const waits = [0, 1, 2].map((i) =>
      bucket.wait().then(() => void (passedAtMs[i] = clock.nowMs())),
    );
    await settle();
    expect(passedAtMs).toEqual([0]);
    clock.advance(499);
    await settle();
    expect(passedAtMs).toEqual([0]);
    clock.advance(1);
    await settle();
    clock.advance(500);
    await Promise.all(waits);
    expect(passedAtMs).toEqual([0, 500, 1000]);
  });

  it('treats qps <= 0 as unlimited and sets no timers', async () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ clock, qps: 0, burst: 0 });
    for (let i = 0; i < 1000; i++) expect(bucket.tryAccept()).toBe(true);
    await bucket.wait();
    expect(bucket.reserve()).toBe(0);
    expect(clock.pendingTimerCount).toBe(0);
  });

  it('rejects a limited bucket without room for one token', () => {
    const clock = new ManualClock();
    expect(() => new TokenBucket({ clock, qps: 1, burst: 0 })).toThrow(/burst must be at least 1/);
  });

  it('admits at most burst + elapsed × qps requests over any schedule', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(fc.integer({ min: 0, max: 500 }), { maxLength: 60 }),
        (qps, burst, gapsMs) => {
          const clock = new ManualClock();
          const bucket = new TokenBucket({ clock, qps, burst });
          let admitted = 0;
          for (const gapMs of gapsMs) {
            clock.advance(gapMs);
            while (bucket.tryAccept()) admitted += 1;
          }
          const bound = burst + (clock.nowMs() * qps) / 1000;
          expect(admitted).toBeLessThanOrEqual(bound + 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });
});
