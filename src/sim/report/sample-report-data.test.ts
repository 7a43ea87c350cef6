// Tests that the sample report has the shapes it promises: 3 nodes, 30 pods, one node crash.

import { describe, expect, it } from 'vitest';
import { minikuVersion } from '../../control/version.js';
import { checkReportData } from './bound-report.js';
import { podPhases } from './report-data.js';
import { sampleReportData } from './sample-report-data.js';

describe('sampleReportData', () => {
  const data = sampleReportData();

  it('is a valid report of this miniku version', () => {
    expect(() => checkReportData(data)).not.toThrow();
    expect(data.minikuVersion).toBe(minikuVersion);
  });

  it('runs 30 pods on 3 nodes and ends with all 30 Running', () => {
    expect(data.series.podsPerNode.map((node) => node.node)).toEqual([
      'worker-1',
      'worker-2',
      'worker-3',
    ]);
    const last = data.series.podsByPhase[data.series.podsByPhase.length - 1];
    expect(last?.counts).toEqual({ Pending: 0, Running: 30, Succeeded: 0, Failed: 0, Unknown: 0 });
    for (const sample of data.series.podsByPhase) {
      const total = podPhases.reduce((sum, phase) => sum + sample.counts[phase], 0);
      expect([20, 30]).toContain(total);
    }
  });

  it('crashes worker-2 once: Unknown from 170 s, its pods moved to the other nodes', () => {
    expect(data.faults).toEqual([
      { label: 'crashNode worker-2', injectedAtMs: 120_000, recoveredAtMs: 472_960 },
    ]);
    const worker2 = data.series.nodeReadiness.find((node) => node.node === 'worker-2');
    expect(worker2?.intervals.map((interval) => interval.status)).toEqual(['Ready', 'Unknown']);
    const finals = data.series.podsPerNode.map(
      (node) => node.samples[node.samples.length - 1]?.value,
    );
    expect(finals).toEqual([15, 0, 15]);
  });

  it('scales to more nodes with the same crash', () => {
    const big = sampleReportData({ nodeCount: 25 });
    expect(big.series.podsPerNode).toHaveLength(25);
    expect(big.series.schedulingLatencyMs).toHaveLength(260);
    expect(() => checkReportData(big)).not.toThrow();
  });
});
