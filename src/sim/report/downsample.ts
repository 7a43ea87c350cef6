// Deterministic downsampling of report series to a bounded number of points (rules: README.md).

import { assert } from '../../control/util/assert.js';
import type { PhaseSample, ReadinessInterval, ReadinessStatus, StepSample } from './report-data.js';
import { readinessStatuses } from './report-data.js';

/** Most points any one series keeps in report.json and in a chart. */
export const reportPointCountMax = 2000;

/**
 * Width of one bucket when [0, durationMs] is cut into at most `bucketCount` equal buckets:
 * bucket b holds the instants [b * width, (b + 1) * width), and floor(durationMs / width) is at
 * most bucketCount - 1 because width exceeds durationMs / bucketCount.
 */
export function bucketWidthMs(durationMs: number, bucketCount: number): number {
  assert(Number.isSafeInteger(durationMs) && durationMs >= 0, 'durationMs must be an integer ≥ 0');
  assert(Number.isSafeInteger(bucketCount) && bucketCount >= 1, 'bucketCount must be ≥ 1');
  return Math.trunc(durationMs / bucketCount) + 1;
}

// Hot loops test first and build a message only on failure: a template literal in an assert
// argument is evaluated on every call.

function checkInstant(tMs: number, durationMs: number, what: string): void {
  if (tMs >= 0 && tMs <= durationMs) return;
  assert(false, `${what}: instant ${tMs} outside [0, ${durationMs}]`);
}

/**
 * Keeps, of samples sharing an instant, only the last (a step function has one value per
 * instant). Asserts that instants never decrease and lie within [0, durationMs].
 */
export function collapseInstants<T extends { tMs: number }>(
  samples: readonly T[],
  durationMs: number,
  what = 'series',
): T[] {
  const result: T[] = [];
  for (const sample of samples) {
    checkInstant(sample.tMs, durationMs, what);
    const previous = result[result.length - 1];
    if (previous === undefined) {
      result.push(sample);
      continue;
    }
    if (sample.tMs < previous.tMs) assert(false, `${what}: instants must not decrease`);
    if (sample.tMs === previous.tMs) result[result.length - 1] = sample;
    else result.push(sample);
  }
  return result;
}

/** Consecutive runs of samples falling into the same bucket of width `widthMs`. */
function bucketRuns<T extends { tMs: number }>(samples: readonly T[], widthMs: number): T[][] {
  const runs: T[][] = [];
  let current: T[] = [];
  let currentBucket = -1;
  for (const sample of samples) {
    const bucket = Math.trunc(sample.tMs / widthMs);
    if (bucket !== currentBucket && current.length > 0) {
      runs.push(current);
      current = [];
    }
    currentBucket = bucket;
    current.push(sample);
  }
  if (current.length > 0) runs.push(current);
  return runs;
}

/** The series with a last sample at `durationMs` repeating the last value (the chart's end). */
function closeAt<T extends { tMs: number }>(
  series: readonly T[],
  durationMs: number,
  repeat: (last: T) => T,
): T[] {
  const last = series[series.length - 1];
  if (last === undefined || last.tMs === durationMs) return [...series];
  return [...series, repeat(last)];
}

/**
 * A step series of at most `pointCountMax` points, closed by a sample at the run's end that
 * repeats the last value. Short series are kept exact (after collapsing shared instants). Longer
 * ones are cut into floor((pointCountMax - 1) / 2) time buckets; each bucket keeps its peak at its
 * first instant and, when different, its last value at its last instant: peaks stay visible and
 * the value carried past the bucket stays right.
 */
export function downsampleSteps(
  samples: readonly StepSample[],
  durationMs: number,
  pointCountMax: number = reportPointCountMax,
): StepSample[] {
  assert(pointCountMax >= 3, 'pointCountMax must be at least 3');
  const exact = collapseInstants(samples, durationMs, 'step series');
  const repeat = (last: StepSample): StepSample => ({ tMs: durationMs, value: last.value });
  const closed = closeAt(exact, durationMs, repeat);
  if (closed.length <= pointCountMax) return closed;
  const widthMs = bucketWidthMs(durationMs, Math.trunc((pointCountMax - 1) / 2));
  const kept: StepSample[] = [];
  for (const run of bucketRuns(exact, widthMs)) {
    const first = run[0] as StepSample;
    const last = run[run.length - 1] as StepSample;
    const peak = run.reduce((high, sample) => Math.max(high, sample.value), first.value);
    kept.push({ tMs: first.tMs, value: peak });
    if (last !== first && last.value !== peak) kept.push({ tMs: last.tMs, value: last.value });
  }
  return closeAt(kept, durationMs, repeat);
}

/**
 * Pod-phase snapshots, at most `pointCountMax`, closed like downsampleSteps. Longer series are
 * cut into floor((pointCountMax - 1) / 2) time buckets, each keeping its first and last snapshot
 * whole, so every kept point is a real instant whose counts add up to the pods that existed then.
 */
export function downsamplePhases(
  samples: readonly PhaseSample[],
  durationMs: number,
  pointCountMax: number = reportPointCountMax,
): PhaseSample[] {
  assert(pointCountMax >= 3, 'pointCountMax must be at least 3');
  const exact = collapseInstants(samples, durationMs, 'phase series');
  const repeat = (last: PhaseSample): PhaseSample => ({ tMs: durationMs, counts: last.counts });
  const closed = closeAt(exact, durationMs, repeat);
  if (closed.length <= pointCountMax) return closed;
  const widthMs = bucketWidthMs(durationMs, Math.trunc((pointCountMax - 1) / 2));
  const kept: PhaseSample[] = [];
  for (const run of bucketRuns(exact, widthMs)) {
    const first = run[0] as PhaseSample;
    const last = run[run.length - 1] as PhaseSample;
    kept.push(first);
    if (last !== first) kept.push(last);
  }
  return closeAt(kept, durationMs, repeat);
}

function severity(status: ReadinessStatus): number {
  return readinessStatuses.indexOf(status);
}

/** Joins touching intervals of the same status; asserts order, bounds and no overlap. */
export function mergeIntervals(
  intervals: readonly ReadinessInterval[],
  durationMs: number,
): ReadinessInterval[] {
  const result: ReadinessInterval[] = [];
  for (const interval of intervals) {
    checkInstant(interval.fromMs, durationMs, 'readiness interval');
    checkInstant(interval.toMs, durationMs, 'readiness interval');
    assert(interval.toMs > interval.fromMs, 'readiness interval must not be empty');
    const previous = result[result.length - 1];
    if (previous === undefined) {
      result.push(interval);
      continue;
    }
    assert(interval.fromMs >= previous.toMs, 'readiness intervals must be sorted, not overlapping');
    if (interval.fromMs === previous.toMs && interval.status === previous.status) {
      result[result.length - 1] = { ...previous, toMs: interval.toMs };
    } else {
      result.push(interval);
    }
  }
  return result;
}

/** The worst status of the intervals overlapping each bucket (undefined where none does). */
function worstPerBucket(
  intervals: readonly ReadinessInterval[],
  widthMs: number,
  bucketCount: number,
): Array<ReadinessStatus | undefined> {
  const worst = new Array<ReadinessStatus | undefined>(bucketCount).fill(undefined);
  for (const interval of intervals) {
    const firstBucket = Math.trunc(interval.fromMs / widthMs);
    const lastBucket = Math.trunc((interval.toMs - 1) / widthMs);
    for (let bucket = firstBucket; bucket <= lastBucket; bucket++) {
      const current = worst[bucket];
      if (current === undefined || severity(interval.status) > severity(current)) {
        worst[bucket] = interval.status;
      }
    }
  }
  return worst;
}

/**
 * A node's readiness intervals, at most `pointCountMax`. Touching intervals of one status are
 * joined first; if still too many, time is cut into pointCountMax buckets, each takes the worst
 * status overlapping it (Unknown over NotReady over Ready), and equal neighbours are joined.
 */
export function downsampleIntervals(
  intervals: readonly ReadinessInterval[],
  durationMs: number,
  pointCountMax: number = reportPointCountMax,
): ReadinessInterval[] {
  assert(pointCountMax >= 1, 'pointCountMax must be at least 1');
  const exact = mergeIntervals(intervals, durationMs);
  if (exact.length <= pointCountMax) return exact;
  const widthMs = bucketWidthMs(durationMs, pointCountMax);
  const worst = worstPerBucket(exact, widthMs, pointCountMax);
  const gridded: ReadinessInterval[] = [];
  worst.forEach((status, bucket) => {
    if (status === undefined) return;
    const fromMs = bucket * widthMs;
    gridded.push({ fromMs, toMs: Math.min(fromMs + widthMs, durationMs), status });
  });
  return mergeIntervals(
    gridded.filter((interval) => interval.toMs > interval.fromMs),
    durationMs,
  );
}

/** Ascending copy of the samples; asserts every sample is finite and not negative. */
export function sortedSamples(samples: readonly number[], what: string): number[] {
  for (const sample of samples) {
    if (!(Number.isFinite(sample) && sample >= 0)) {
      assert(false, `${what}: samples must be finite and ≥ 0, not ${sample}`);
    }
  }
  return [...samples].sort((a, b) => a - b);
}

/**
 * At most `pointCountMax` latency samples, ascending. Longer lists are replaced by order
 * statistics at evenly spaced ranks: the k-th kept value (k = 1..max) is the
 * ceil(k * n / max)-th smallest, so the maximum is always kept and the CDF drawn from the kept
 * values stays within 1/max of the true one.
 */
export function reduceSamples(
  samples: readonly number[],
  what: string,
  pointCountMax: number = reportPointCountMax,
): number[] {
  assert(pointCountMax >= 1, 'pointCountMax must be at least 1');
  const sorted = sortedSamples(samples, what);
  const count = sorted.length;
  if (count <= pointCountMax) return sorted;
  const kept: number[] = [];
  for (let k = 1; k <= pointCountMax; k++) {
    const rank = Math.trunc((k * count + pointCountMax - 1) / pointCountMax);
    kept.push(sorted[rank - 1] as number);
  }
  return kept;
}

/** Nearest-rank percentile (0 < percent ≤ 100) of ascending samples; undefined when empty. */
export function percentileOf(sorted: readonly number[], percent: number): number | undefined {
  assert(percent > 0 && percent <= 100, 'percent must be in (0, 100]');
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((percent * sorted.length) / 100));
  return sorted[rank - 1];
}
