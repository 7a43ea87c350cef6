// Tests for the chart specs: what data each chart carries, and that no drawn series is unbounded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundReportData } from './bound-report.js';
import { cdfRows, chartKeys, reportChartSpecs } from './chart-specs.js';
import type { ChartKey } from './chart-specs.js';
import type { ReportData, StepSample } from './report-data.js';
import { sampleReportData } from './sample-report-data.js';

type Row = Record<string, unknown>;

/** The inline data of a spec's layers (or of the spec itself), in layer order. */
function layerRows(spec: unknown): Row[][] {
  const node = spec as { data?: { values?: Row[] }; layer?: Array<{ data?: { values?: Row[] } }> };
  if (node.layer !== undefined) return node.layer.map((layer) => layer.data?.values ?? []);
  return [node.data?.values ?? []];
}

function specsOf(data: ReportData, pointCountMax: number): Record<ChartKey, unknown> {
  const bounded = boundReportData(data, { pointCountMax });
  const entries = reportChartSpecs(bounded, pointCountMax).map(({ key, spec }) => [key, spec]);
  return Object.fromEntries(entries) as Record<ChartKey, unknown>;
}

function countBy(rows: readonly Row[], field: string): Map<unknown, number> {
  const counts = new Map<unknown, number>();
  for (const row of rows) counts.set(row[field], (counts.get(row[field]) ?? 0) + 1);
  return counts;
}

const durationMs = 60_000;

const steps = fc
  .array(fc.record({ tMs: fc.integer({ min: 0, max: durationMs }), value: fc.nat(40) }), {
    maxLength: 250,
  })
  .map((samples): StepSample[] => [...samples].sort((a, b) => a.tMs - b.tMs));

/** Reports with random long series on 1–30 nodes. */
const reports = fc
  .record({
    nodeSteps: fc.array(steps, { minLength: 1, maxLength: 30 }),
    pending: steps,
    latencies: fc.array(fc.nat(5000), { maxLength: 400 }),
    flaps: fc.integer({ min: 1, max: 300 }),
  })
  .map(({ nodeSteps, pending, latencies, flaps }): ReportData => {
    const base = sampleReportData();
    const widthMs = Math.trunc(durationMs / flaps);
    return {
      ...base,
      virtualEndMs: base.virtualStartMs + durationMs,
      faults: [],
      expectations: [],
      series: {
        podsByPhase: pending.map((sample) => ({
          tMs: sample.tMs,
          counts: { Pending: sample.value, Running: 3, Succeeded: 0, Failed: 1, Unknown: 0 },
        })),
        podsPerNode: nodeSteps.map((samples, i) => ({ node: `n-${i}`, samples })),
        nodeReadiness: nodeSteps.map((_, i) => ({
          node: `n-${i}`,
          intervals: Array.from({ length: flaps }, (__, k) => ({
            fromMs: k * widthMs,
            toMs: (k + 1) * widthMs,
            status: k % 2 === 0 ? ('Ready' as const) : ('NotReady' as const),
          })),
        })),
        pendingQueue: pending,
        schedulingLatencyMs: latencies,
        podStartupLatencyMs: latencies.map((latency) => latency * 2),
      },
    };
  });

describe('reportChartSpecs', () => {
  it('draws no series with more than pointCountMax points', () => {
    fc.assert(
      fc.property(reports, fc.integer({ min: 4, max: 60 }), (data, max) => {
        const specs = specsOf(data, max);
        for (const count of countBy(layerRows(specs.podsByPhase)[0] ?? [], 'phase').values()) {
          expect(count).toBeLessThanOrEqual(max);
        }
        const perNode = layerRows(specs.podsPerNode);
        const lines = countBy(perNode[perNode.length - 1] ?? [], 'node');
        expect(lines.size).toBeLessThanOrEqual(20);
        for (const count of lines.values()) expect(count).toBeLessThanOrEqual(max);
        for (const band of perNode.slice(0, -1)) expect(band.length).toBeLessThanOrEqual(max);
        for (const count of countBy(layerRows(specs.nodeReadiness)[0] ?? [], 'node').values()) {
          expect(count).toBeLessThanOrEqual(max);
        }
        for (const key of ['pendingQueue', 'schedulingLatency', 'podStartupLatency'] as const) {
          expect((layerRows(specs[key])[0] ?? []).length).toBeLessThanOrEqual(max);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('builds the six charts in report order with time in seconds', () => {
    const specs = reportChartSpecs(boundReportData(sampleReportData()), 2000);
    expect(specs.map((entry) => entry.key)).toEqual(chartKeys);
    const phases = layerRows(specs[0]?.spec)[0] ?? [];
    expect(phases[phases.length - 1]).toEqual({ t: 900, phase: 'Unknown', order: 4, pods: 0 });
  });

  it('adds the band layers only beyond 20 nodes', () => {
    const small = specsOf(sampleReportData(), 2000);
    expect(layerRows(small.podsPerNode)).toHaveLength(1);
    const big = specsOf(sampleReportData({ nodeCount: 25 }), 2000);
    const layers = layerRows(big.podsPerNode);
    expect(layers).toHaveLength(3);
    expect(countBy(layers[2] ?? [], 'node').size).toBe(20);
    for (const row of layers[0] ?? []) {
      expect(row.p10 as number).toBeLessThanOrEqual(row.p50 as number);
      expect(row.p50 as number).toBeLessThanOrEqual(row.p90 as number);
    }
    expect(layers[0]?.[layers[0].length - 1]).toEqual({ t: 900, p10: 10, p50: 10, p90: 10 });
  });

  it('marks each fault at injection and at recovery', () => {
    const specs = specsOf(sampleReportData(), 2000);
    const [, rules, labels] = layerRows(specs.nodeReadiness);
    expect(rules).toEqual([
      { t: 120, label: 'crashNode worker-2', marker: 'injected' },
      { t: 472.96, label: 'crashNode worker-2', marker: 'recovered' },
    ]);
    expect(labels).toHaveLength(1);
  });
});

describe('cdfRows', () => {
  it('gives each ascending sample the fraction of samples at or below it', () => {
    expect(cdfRows([5, 10, 10, 20])).toEqual([
      { ms: 5, fraction: 0.25 },
      { ms: 10, fraction: 0.5 },
      { ms: 10, fraction: 0.75 },
      { ms: 20, fraction: 1 },
    ]);
  });
});
