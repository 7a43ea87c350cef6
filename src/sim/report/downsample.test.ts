// Tests for the deterministic downsampling rules: bounds, peaks, closing samples, idempotence.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bucketWidthMs,
  downsampleIntervals,
  downsamplePhases,
  downsampleSteps,
  mergeIntervals,
  percentileOf,
  reduceSamples,
} from './downsample.js';
import type { PhaseSample, ReadinessInterval, StepSample } from './report-data.js';
import { readinessStatuses } from './report-data.js';

const durationMs = 100_000;

/** Step series: sorted instants in [0, durationMs] (duplicates allowed), small counts. */
const stepSeries = fc
  .array(fc.record({ tMs: fc.integer({ min: 0, max: durationMs }), value: fc.nat(50) }), {
    maxLength: 300,
  })
  .map((samples) => [...samples].sort((a, b) => a.tMs - b.tMs));

const pointCountMax = fc.integer({ min: 3, max: 40 });

/** The value a step series holds at `tMs` (the last sample at or before it), or undefined. */
function valueAt(samples: readonly StepSample[], tMs: number): number | undefined {
  let value: number | undefined;
  for (const sample of samples) if (sample.tMs <= tMs) value = sample.value;
  return value;
}

describe('bucketWidthMs', () => {
  it('never puts an instant of the run past the last bucket', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.integer({ min: 1, max: 5000 }), (duration, count) => {
        const width = bucketWidthMs(duration, count);
        expect(Math.trunc(duration / width)).toBeLessThan(count);
      }),
      { numRuns: 200 },
    );
  });
});

describe('downsampleSteps', () => {
  it('keeps at most pointCountMax points, the peak, the final value and the run end', () => {
    fc.assert(
      fc.property(stepSeries, pointCountMax, (samples, max) => {
        const kept = downsampleSteps(samples, durationMs, max);
        expect(kept.length).toBeLessThanOrEqual(max);
        if (samples.length === 0) {
          expect(kept).toEqual([]);
          return;
        }
        // Of samples sharing an instant only the last holds any time, so only it can be a peak.
        const peak = Math.max(...samples.map((sample) => valueAt(samples, sample.tMs) ?? 0));
        expect(Math.max(...kept.map((sample) => sample.value))).toBe(peak);
        expect(kept[kept.length - 1]).toEqual({
          tMs: durationMs,
          value: valueAt(samples, durationMs),
        });
        for (let i = 1; i < kept.length; i++) {
          expect((kept[i] as StepSample).tMs).toBeGreaterThan((kept[i - 1] as StepSample).tMs);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('changes nothing when applied to its own output', () => {
    fc.assert(
      fc.property(stepSeries, pointCountMax, (samples, max) => {
        const once = downsampleSteps(samples, durationMs, max);
        expect(downsampleSteps(once, durationMs, max)).toEqual(once);
      }),
      { numRuns: 100 },
    );
  });

  it('keeps a short series exact, closed at the run end', () => {
    const samples = [
      { tMs: 0, value: 3 },
      { tMs: 10, value: 9 },
      { tMs: 10, value: 4 },
    ];
    expect(downsampleSteps(samples, 50, 10)).toEqual([
      { tMs: 0, value: 3 },
      { tMs: 10, value: 4 },
      { tMs: 50, value: 4 },
    ]);
  });

  it('keeps a spike and the value after it when both fall into one bucket', () => {
    const samples: StepSample[] = [];
    for (let t = 0; t < 1000; t++)
      samples.push({ tMs: t, value: t === 500 ? 99 : t < 500 ? 1 : 2 });
    const kept = downsampleSteps(samples, 1000, 3);
    expect(kept).toEqual([
      { tMs: 0, value: 99 },
      { tMs: 999, value: 2 },
      { tMs: 1000, value: 2 },
    ]);
  });

  it('rejects instants outside the run or out of order', () => {
    expect(() => downsampleSteps([{ tMs: 101, value: 1 }], 100)).toThrow(/outside \[0, 100\]/);
    expect(() =>
      downsampleSteps(
        [
          { tMs: 5, value: 1 },
          { tMs: 4, value: 1 },
        ],
        100,
      ),
    ).toThrow(/must not decrease/);
  });
});

describe('downsamplePhases', () => {
  const phaseSeries = stepSeries.map((samples) =>
    samples.map((sample): PhaseSample => ({
      tMs: sample.tMs,
      counts: {
        Pending: sample.value,
        Running: 50 - sample.value,
        Succeeded: 0,
        Failed: 0,
        Unknown: 0,
      },
    })),
  );

  it('keeps at most pointCountMax whole snapshots taken from the input', () => {
    fc.assert(
      fc.property(phaseSeries, pointCountMax, (samples, max) => {
        const kept = downsamplePhases(samples, durationMs, max);
        expect(kept.length).toBeLessThanOrEqual(max);
        for (const sample of kept) {
          expect(samples.some((original) => original.counts === sample.counts)).toBe(true);
          expect(sample.counts.Pending + sample.counts.Running).toBe(50);
        }
        if (samples.length > 0) expect(kept[kept.length - 1]?.tMs).toBe(durationMs);
      }),
      { numRuns: 100 },
    );
  });
});

describe('downsampleIntervals', () => {
  /** Intervals from cut points: sorted, touching or with gaps, random statuses. */
  const intervalSeries = fc
    .array(
      fc.record({
        lengthMs: fc.integer({ min: 1, max: 2000 }),
        gapMs: fc.oneof(fc.constant(0), fc.nat(500)),
        status: fc.constantFrom(...readinessStatuses),
      }),
      { maxLength: 120 },
    )
    .map((parts) => {
      const intervals: ReadinessInterval[] = [];
      let atMs = 0;
      for (const part of parts) {
        const fromMs = atMs + part.gapMs;
        if (fromMs + part.lengthMs > durationMs) break;
        intervals.push({ fromMs, toMs: fromMs + part.lengthMs, status: part.status });
        atMs = fromMs + part.lengthMs;
      }
      return intervals;
    });

  it('keeps at most pointCountMax sorted, disjoint intervals, never hiding a bad status', () => {
    fc.assert(
      fc.property(intervalSeries, fc.integer({ min: 1, max: 40 }), (intervals, max) => {
        const kept = downsampleIntervals(intervals, durationMs, max);
        expect(kept.length).toBeLessThanOrEqual(max);
        expect(mergeIntervals(kept, durationMs)).toEqual(kept);
        const worstKept = Math.max(-1, ...kept.map((i) => readinessStatuses.indexOf(i.status)));
        const worstIn = Math.max(-1, ...intervals.map((i) => readinessStatuses.indexOf(i.status)));
        expect(worstKept).toBe(worstIn);
      }),
      { numRuns: 150 },
    );
  });

  it('joins touching intervals of one status and keeps gaps', () => {
    const intervals: ReadinessInterval[] = [
      { fromMs: 0, toMs: 10, status: 'Ready' },
      { fromMs: 10, toMs: 20, status: 'Ready' },
      { fromMs: 30, toMs: 40, status: 'Unknown' },
    ];
    expect(downsampleIntervals(intervals, 40)).toEqual([
      { fromMs: 0, toMs: 20, status: 'Ready' },
      { fromMs: 30, toMs: 40, status: 'Unknown' },
    ]);
  });

  it('rejects overlapping or empty intervals', () => {
    const overlapping: ReadinessInterval[] = [
      { fromMs: 0, toMs: 10, status: 'Ready' },
      { fromMs: 5, toMs: 20, status: 'NotReady' },
    ];
    expect(() => downsampleIntervals(overlapping, 20)).toThrow(/not overlapping/);
    expect(() => downsampleIntervals([{ fromMs: 5, toMs: 5, status: 'Ready' }], 20)).toThrow(
      /must not be empty/,
    );
  });
});

describe('reduceSamples', () => {
  it('keeps at most pointCountMax ascending order statistics including min-rank and max', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(10_000), { maxLength: 500 }), pointCountMax, (samples, max) => {
        const kept = reduceSamples(samples, 'latency', max);
        const sorted = [...samples].sort((a, b) => a - b);
        expect(kept.length).toBe(Math.min(max, samples.length));
        expect(kept).toEqual([...kept].sort((a, b) => a - b));
        if (samples.length > 0) expect(kept[kept.length - 1]).toBe(sorted[sorted.length - 1]);
        if (samples.length <= max) expect(kept).toEqual(sorted);
      }),
      { numRuns: 150 },
    );
  });

  it('picks the ceil(k·n/max)-th smallest sample', () => {
    const samples = Array.from({ length: 10 }, (_, i) => 10 - i);
    expect(reduceSamples(samples, 'latency', 4)).toEqual([3, 5, 8, 10]);
  });

  it('rejects negative or non-finite samples', () => {
    expect(() => reduceSamples([1, -1], 'latency')).toThrow(/latency: samples must be finite/);
    expect(() => reduceSamples([Number.NaN], 'latency')).toThrow(/not NaN/);
  });
});

describe('percentileOf', () => {
  it('uses the nearest rank', () => {
    const sorted = Array.from({ length: 40 }, (_, i) => i + 1);
    expect(percentileOf(sorted, 50)).toBe(20);
    expect(percentileOf(sorted, 90)).toBe(36);
    expect(percentileOf(sorted, 99)).toBe(40);
    expect(percentileOf(sorted, 100)).toBe(40);
    expect(percentileOf([], 50)).toBeUndefined();
  });
});
