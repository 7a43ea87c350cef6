// Tests for the chart summaries: exact figures from the full data, bands and empty series.

import { describe, expect, it } from 'vitest';
import { chartSummaries } from './chart-summaries.js';
import type { ReportData } from './report-data.js';
import { sampleReportData } from './sample-report-data.js';

describe('chartSummaries', () => {
  it('summarises the nodes beyond the top 20 as the band the chart draws', () => {
    const summaries = chartSummaries(sampleReportData({ nodeCount: 25 }));
    const lines = summaries.podsPerNode;
    expect(lines[0]).toBe('25 nodes; highest peak first:');
    expect(lines).toHaveLength(22);
    expect(lines[1]).toBe('worker-1: peak 11 at 470.05 s, 11 at the end.');
    expect(lines[21]).toBe(
      'The other 5 nodes (band in the chart): at the end p10 10, median 10, p90 10; ' +
        'highest peak 10.',
    );
  });

  it('weights the pending-queue mean by how long each length held', () => {
    const data = sampleReportData();
    const pendingQueue = [
      { tMs: 0, value: 10 },
      { tMs: 90_000, value: 0 },
    ];
    const summaries = chartSummaries({ ...data, series: { ...data.series, pendingQueue } });
    expect(summaries.pendingQueue).toEqual([
      'Peak 10 pods at 0 s; 0 at the end; time-weighted mean 1.',
    ]);
  });

  it('counts every latency sample, not only those the chart keeps', () => {
    const data = sampleReportData();
    const schedulingLatencyMs = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const summaries = chartSummaries({ ...data, series: { ...data.series, schedulingLatencyMs } });
    expect(summaries.schedulingLatency).toEqual([
      '10000 samples: min 1 ms, p50 5000 ms, p90 9000 ms, p99 9900 ms, max 10000 ms.',
    ]);
  });

  it('says when a chart has nothing to show', () => {
    const data: ReportData = {
      ...sampleReportData(),
      faults: [],
      series: {
        podsByPhase: [],
        podsPerNode: [],
        nodeReadiness: [],
        pendingQueue: [],
        schedulingLatencyMs: [],
        podStartupLatencyMs: [],
      },
    };
    expect(chartSummaries(data)).toEqual({
      podsByPhase: ['No samples.'],
      podsPerNode: ['No nodes.'],
      nodeReadiness: ['No nodes.', 'No faults.'],
      pendingQueue: ['No samples.'],
      schedulingLatency: ['No samples.'],
      podStartupLatency: ['No samples.'],
    });
  });
});
