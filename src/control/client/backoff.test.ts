// Tests of the reflector's jittered exponential backoff.

import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../test/client/manual-clock.js';
import { createRng } from '../rng/seeded-rng.js';
import { ExponentialBackoff } from './backoff.js';

describe('ExponentialBackoff', () => {
  it('doubles from 800 ms to a 30 s cap without jitter', () => {
    const backoff = new ExponentialBackoff({
      clock: new ManualClock(),
      rng: createRng(1),
      jitter: 0,
    });
    const delays = Array.from({ length: 8 }, () => backoff.nextDelayMs());
    expect(delays).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  });

  it('adds up to +100 % jitter, deterministically for a seed', () => {
    const draw = () => {
      const backoff = new ExponentialBackoff({ clock: new ManualClock(), rng: createRng(7, 'b') });
      return Array.from({ length: 10 }, () => backoff.nextDelayMs());
    };
    const delays = draw();
    expect(draw()).toEqual(delays);
    const bases = [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000, 30000, 30000];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(bases[i] as number);
      expect(delay).toBeLessThan(2 * (bases[i] as number));
      expect(Number.isInteger(delay)).toBe(true);
    });
  });

  it('starts over after two quiet minutes', () => {
    const clock = new ManualClock();
    const backoff = new ExponentialBackoff({ clock, rng: createRng(1), jitter: 0 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    clock.advance(120_000);
    expect(backoff.nextDelayMs()).toBe(3200);
    clock.advance(120_001);
    expect(backoff.nextDelayMs()).toBe(800);
  });
});
