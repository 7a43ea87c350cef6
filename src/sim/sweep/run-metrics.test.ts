// Tests of the per-run metrics a sweep and a compare use: latency percentiles, recovery per
// fault, and pods per node at the end including empty nodes.
import { describe, expect, it } from 'vitest';
import type { ReportData } from '../report/report-data.js';
import { balanceOf, podsPerNodeAtEnd, runMetrics } from './run-metrics.js';

const endMs = 60_000;

function report(overrides: Partial<ReportData> = {}): ReportData {
  const ready = (node: string, toMs = endMs) => ({
    node,
    intervals: [{ fromMs: 0, toMs, status: 'Ready' as const }],
  });
  const pods = (node: string, values: number[]) => ({
    node,
    samples: values.map((value, i) => ({ tMs: i * 1000, value })),
  });
  return {
    scenario: { name: 's', hash: '0'.repeat(64) },
    seed: 1,
    minikuVersion: 'test',
    virtualStartMs: 1_000_000,
    virtualEndMs: 1_000_000 + endMs,
    metrics: { 'scheduler.attempts': 4 },
    expectations: [],
    faults: [
      { label: 'crashNode a-1', injectedAtMs: 10_000, recoveredAtMs: 25_000 },
      { label: 'crashNode a-1', injectedAtMs: 30_000, recoveredAtMs: null },
    ],
    streamSha256: '0'.repeat(64),
    series: {
      podsByPhase: [],
      podsPerNode: [pods('a-0', [1, 3]), pods('a-1', [2, 0]), pods('gone', [1, 1])],
      nodeReadiness: [ready('a-0'), ready('a-1'), ready('a-2'), ready('gone', 30_000)],
      pendingQueue: [],
      schedulingLatencyMs: [5, 1, 4, 2, 3],
      podStartupLatencyMs: [],
    },
    placements: [],
    ...overrides,
  };
}

describe('runMetrics', () => {
  it('adds latency percentiles, recovery per fault and the spread over nodes', () => {
    expect(runMetrics(report())).toEqual({
      'faults.recoveryMs[crashNode a-1]': 15_000,
      'faults.unrecovered': 1,
      'nodes.podsMaxMinusMinAtEnd': 3,
      'nodes.podsStddevAtEnd': balanceOf([3, 0, 0, 1]).stddev,
      'pods.schedulingLatencyMsMax': 5,
      'pods.schedulingLatencyMsP50': 3,
      'pods.schedulingLatencyMsP90': 5,
      'pods.schedulingLatencyMsP99': 5,
      'scheduler.attempts': 4,
    });
  });

  it('lists its metrics in name order', () => {
    const names = Object.keys(runMetrics(report()));
    expect(names).toEqual([...names].sort());
  });
});

describe('podsPerNodeAtEnd', () => {
  it('counts empty nodes that exist at the end, and removed ones only while they hold pods', () => {
    expect([...podsPerNodeAtEnd(report())]).toEqual([
      ['a-0', 3],
      ['a-1', 0],
      ['a-2', 0],
      ['gone', 1],
    ]);
  });
});

describe('balanceOf', () => {
  it('gives the population standard deviation and the range', () => {
    expect(balanceOf([2, 4, 4, 4, 5, 5, 7, 9])).toEqual({ stddev: 2, maxMinusMin: 7 });
    expect(balanceOf([])).toEqual({ stddev: 0, maxMinusMin: 0 });
  });
});
