// Tests for building a baseline from report data: what it keeps, what it leaves out.
import { describe, expect, it } from 'vitest';
import { minikuVersion } from '../../control/version.js';
import { sampleReportData } from '../report/sample-report-data.js';
import { renderBaseline } from './baseline-text.js';
import { baselineOf, compareIdentity, keyMetrics, placementDigest } from './build-baseline.js';

describe('baselineOf', () => {
  const report = sampleReportData();

  it('lists one line per placement, sorted by owner and numeric ordinal', () => {
    const baseline = baselineOf(report);
    expect(baseline.placements.mode).toBe('lines');
    if (baseline.placements.mode !== 'lines') return;
    expect(baseline.placements.lines).toHaveLength(report.placements.length);
    const pods = baseline.placements.lines.map((l) => l.pod);
    expect(pods.slice(0, 3)).toEqual([
      'ReplicaSet/default/web-5d8f7b9c4d#0',
      'ReplicaSet/default/web-5d8f7b9c4d#1',
      'ReplicaSet/default/web-5d8f7b9c4d#2',
    ]);
    expect(pods.indexOf('ReplicaSet/default/web-5d8f7b9c4d#10')).toBe(10);
  });

  it('keeps verdicts, key metrics and recovery times, and nothing about the build or host', () => {
    const baseline = baselineOf(report);
    expect(baseline.expectations.map((e) => e.verdict)).toContain('failed');
    expect(baseline.faults).toEqual([
      { index: 0, label: 'crashNode worker-2', recoveryMs: expect.any(Number) },
    ]);
    const text = renderBaseline(baseline);
    expect(text).not.toContain(report.scenario.hash);
    expect(text).not.toContain(report.streamSha256);
    expect(text).not.toContain(`miniku@${minikuVersion}`);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(text).not.toContain('eventCount');
  });

  it('switches to per-owner counts and a digest above the line limit', () => {
    const baseline = baselineOf(report, { placementLinesMax: 5 });
    expect(baseline.placements.mode).toBe('counts');
    if (baseline.placements.mode !== 'counts') return;
    expect(baseline.placements.podCount).toBe(report.placements.length);
    const total = baseline.placements.counts.reduce((sum, c) => sum + c.count, 0);
    expect(total).toBe(report.placements.length);
    expect(baseline.placements.counts.map((c) => c.node)).toEqual([
      'worker-1',
      'worker-2',
      'worker-3',
    ]);
  });

  it('computes latency percentiles by nearest rank', () => {
    const series = { ...report.series, schedulingLatencyMs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 100] };
    const metrics = Object.fromEntries(
      keyMetrics({ ...report, series }).map((m) => [m.name, m.value]),
    );
    expect(metrics['schedulingLatencyMs.p50']).toBe(5);
    expect(metrics['schedulingLatencyMs.p90']).toBe(9);
    expect(metrics['schedulingLatencyMs.p99']).toBe(100);
    expect(metrics['pods.placed']).toBe(report.placements.length);
  });
});

describe('placement identities', () => {
  it('order #2 before #10 and bare pods before their owner-less neighbours consistently', () => {
    const ids = ['RS/a/x#10', 'RS/a/x#2', 'Pod/a/z', 'RS/a/x#0'];
    expect([...ids].sort(compareIdentity)).toEqual([
      'Pod/a/z',
      'RS/a/x#0',
      'RS/a/x#2',
      'RS/a/x#10',
    ]);
  });

  it('digest ignores times and generated names but not nodes', () => {
    const a = [{ pod: 'RS/a/x#0', node: 'n1', atMs: 5, name: 'a/x-abc' }];
    const b = [{ pod: 'RS/a/x#0', node: 'n1', atMs: 900, name: 'a/x-def' }];
    const c = [{ pod: 'RS/a/x#0', node: 'n2', atMs: 5, name: 'a/x-abc' }];
    expect(placementDigest(a)).toBe(placementDigest(b));
    expect(placementDigest(a)).not.toBe(placementDigest(c));
  });
});
