// Tests of latency specs: validation and deterministic integer samples.

import { describe, expect, it } from 'vitest';
import { createRng } from '../../control/rng/seeded-rng.js';
import type { LatencySpec } from './latency.js';
import { checkLatency, isZeroLatency, latencyMsMax, sampleLatencyMs } from './latency.js';

function samples(spec: LatencySpec, seed: number, count = 2_000): number[] {
  const rng = createRng(seed).fork('latency');
  return Array.from({ length: count }, () => sampleLatencyMs(spec, rng));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('latency samples', () => {
  it('are the fixed value for a number, drawing nothing', () => {
    const rng = createRng(1);
    expect(sampleLatencyMs(12, rng)).toBe(12);
    expect(rng.intBelow(1_000_000)).toBe(createRng(1).intBelow(1_000_000));
  });

  it('cover a uniform range, both bounds included, and nothing else', () => {
    const values = samples({ uniform: [3, 6] }, 1);
    expect([...new Set(values)].sort((a, b) => a - b)).toEqual([3, 4, 5, 6]);
  });

  it('follow an exponential and a normal distribution as integers of about the mean', () => {
    const exponential = samples({ exponential: 50 }, 2);
    const normal = samples({ normal: { mean: 100, stddev: 10 } }, 3);
    for (const value of [...exponential, ...normal]) {
      expect(Number.isSafeInteger(value) && value >= 0 && value <= latencyMsMax).toBe(true);
    }
    expect(Math.abs(mean(exponential) - 50)).toBeLessThan(5);
    expect(Math.abs(mean(normal) - 100)).toBeLessThan(2);
    expect(normal.filter((value) => value < 70 || value > 130).length).toBeLessThan(20);
  });

  it('are the same for a seed and differ for another', () => {
    const spec = { normal: { mean: 20, stddev: 8 } };
    expect(samples(spec, 9, 50)).toEqual(samples(spec, 9, 50));
    expect(samples(spec, 9, 50)).not.toEqual(samples(spec, 10, 50));
  });

  it('are cut at zero for a normal with a negative tail', () => {
    expect(Math.min(...samples({ normal: { mean: 1, stddev: 50 } }, 4))).toBe(0);
  });
});

describe('latency specs', () => {
  it('reject negative, fractional, inverted or unbounded values', () => {
    const bad: LatencySpec[] = [
      -1,
      2.5,
      latencyMsMax + 1,
      { uniform: [4, 3] },
      { uniform: [0, 1.5] },
      { exponential: -1 },
      { exponential: Number.POSITIVE_INFINITY },
      { normal: { mean: 10, stddev: Number.NaN } },
    ];
    for (const spec of bad) expect(() => checkLatency(spec)).toThrow();
    expect(() => checkLatency({ normal: { mean: 2.5, stddev: 1 } })).not.toThrow();
  });

  it('know when every sample is zero', () => {
    expect(isZeroLatency(0)).toBe(true);
    expect(isZeroLatency({ uniform: [0, 0] })).toBe(true);
    expect(isZeroLatency({ uniform: [0, 1] })).toBe(false);
    expect(isZeroLatency({ normal: { mean: 0, stddev: 1 } })).toBe(false);
  });
});
