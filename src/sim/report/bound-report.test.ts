// Tests for checking and bounding a whole ReportData.

import { describe, expect, it } from 'vitest';
import { boundReportData, checkReportData } from './bound-report.js';
import type { ReportData } from './report-data.js';
import { sampleReportData } from './sample-report-data.js';

function longRun(): ReportData {
  const data = sampleReportData();
  const durationMs = data.virtualEndMs - data.virtualStartMs;
  const pendingQueue = Array.from({ length: 10_000 }, (_, i) => ({
    tMs: Math.trunc((i * durationMs) / 10_000),
    value: i % 13,
  }));
  const latencies = Array.from({ length: 5_000 }, (_, i) => (i * 7919) % 1000);
  return {
    ...data,
    series: { ...data.series, pendingQueue, schedulingLatencyMs: latencies },
  };
}

describe('boundReportData', () => {
  it('bounds every series to pointCountMax points', () => {
    const bounded = boundReportData(longRun(), { pointCountMax: 100 });
    expect(bounded.series.pendingQueue.length).toBeLessThanOrEqual(100);
    expect(bounded.series.schedulingLatencyMs).toHaveLength(100);
    expect(Math.max(...bounded.series.pendingQueue.map((sample) => sample.value))).toBe(12);
  });

  it('changes nothing when bounding bounded data', () => {
    const once = boundReportData(longRun(), { pointCountMax: 100 });
    expect(boundReportData(once, { pointCountMax: 100 })).toEqual(once);
  });

  it('keeps everything but the series as given', () => {
    const data = sampleReportData();
    const bounded = boundReportData(data);
    expect({ ...bounded, series: null }).toEqual({ ...data, series: null });
    expect(bounded.series.podsPerNode.map((node) => node.node)).toEqual([
      'worker-1',
      'worker-2',
      'worker-3',
    ]);
  });
});

describe('checkReportData', () => {
  it('accepts the sample', () => {
    expect(() => checkReportData(sampleReportData())).not.toThrow();
  });

  it('rejects a run that ends before it starts', () => {
    const data = sampleReportData();
    expect(() => checkReportData({ ...data, virtualEndMs: data.virtualStartMs - 1 })).toThrow(
      /must not precede/,
    );
  });

  it('rejects instants outside the run and recoveries before injections', () => {
    const data = sampleReportData();
    const late = { label: 'late', injectedAtMs: 10_000_000, recoveredAtMs: null };
    expect(() => checkReportData({ ...data, faults: [late] })).toThrow(/fault "late"/);
    const early = { label: 'early', injectedAtMs: 500, recoveredAtMs: 100 };
    expect(() => checkReportData({ ...data, faults: [early] })).toThrow(/recovered early/);
  });

  it('rejects duplicate expectation names and non-finite metrics', () => {
    const data = sampleReportData();
    const first = data.expectations.slice(0, 1);
    const twice = [...first, ...first];
    expect(() => checkReportData({ ...data, expectations: twice })).toThrow(/unique/);
    const metrics = { ...data.metrics, broken: Number.NaN };
    expect(() => checkReportData({ ...data, metrics })).toThrow(/metric "broken"/);
  });
});
