// What the per-node charts show: the top nodes by peak, a percentile band of the rest, and which
// nodes the readiness timeline has room for. Pure, on bounded series.

import { assert } from '../../control/util/assert.js';
import { bucketWidthMs, percentileOf, reportPointCountMax } from './downsample.js';
import { compareText } from './format.js';
import type { NodePodSeries, NodeReadiness, StepSample } from './report-data.js';

/** Nodes drawn as their own line in the pods-per-node chart; the rest form a band. */
export const nodeLineCountMax = 20;

/** Nodes drawn in the readiness timeline (ever-not-Ready nodes first). */
export const readinessNodeCountMax = 40;

/** Pods on the nodes beyond the top ones at one instant, across those nodes. */
export interface BandPoint {
  tMs: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface PodsPerNodeView {
  /** The nodeLineCountMax nodes with the highest peak (ties by name), highest first. */
  top: NodePodSeries[];
  /** Every other node, in the same order. */
  rest: NodePodSeries[];
  /** p10/p50/p90 of the rest, on a time grid; empty when there is no rest. */
  band: BandPoint[];
}

export function peakOf(samples: readonly StepSample[]): number {
  return samples.reduce((high, sample) => Math.max(high, sample.value), 0);
}

/** Nodes by peak pod count, highest first, ties by name in code-unit order. */
export function rankNodesByPeak(series: readonly NodePodSeries[]): NodePodSeries[] {
  const peaks = new Map(series.map((node) => [node.node, peakOf(node.samples)]));
  const peak = (node: NodePodSeries): number => peaks.get(node.node) ?? 0;
  return [...series].sort((a, b) => peak(b) - peak(a) || compareText(a.node, b.node));
}

/** Grid buckets holding a sample of any series, ascending, each with its earliest instant. */
function occupiedBuckets(
  series: readonly NodePodSeries[],
  widthMs: number,
): Array<{ bucket: number; firstMs: number }> {
  const firstMs = new Map<number, number>();
  for (const node of series) {
    for (const sample of node.samples) {
      const bucket = Math.trunc(sample.tMs / widthMs);
      firstMs.set(bucket, Math.min(firstMs.get(bucket) ?? sample.tMs, sample.tMs));
    }
  }
  return [...firstMs.entries()]
    .map(([bucket, first]) => ({ bucket, firstMs: first }))
    .sort((a, b) => a.bucket - b.bucket);
}

/** Per bucket, the node's peak inside it, or the value carried into it (0 before any sample). */
function valuesOnGrid(samples: readonly StepSample[], buckets: readonly number[], widthMs: number) {
  const values: number[] = [];
  let index = 0;
  let carried = 0;
  for (const bucket of buckets) {
    let peak: number | undefined;
    while (index < samples.length) {
      const sample = samples[index] as StepSample;
      if (Math.trunc(sample.tMs / widthMs) > bucket) break;
      peak = peak === undefined ? sample.value : Math.max(peak, sample.value);
      carried = sample.value;
      index += 1;
    }
    values.push(peak ?? carried);
  }
  return values;
}

/**
 * The p10/p50/p90 (nearest rank) of the nodes' pod counts on a grid of at most
 * `pointCountMax - 1` equal time buckets: one point per bucket that holds a sample, at the
 * earliest sample instant in it (exact when no node has two samples in a bucket), plus a closing
 * point at the run's end: at most `pointCountMax` points.
 */
export function percentileBand(
  series: readonly NodePodSeries[],
  durationMs: number,
  pointCountMax: number = reportPointCountMax,
): BandPoint[] {
  assert(pointCountMax >= 2, 'pointCountMax must be at least 2');
  const widthMs = bucketWidthMs(durationMs, pointCountMax - 1);
  const buckets = occupiedBuckets(series, widthMs);
  const columns = series.map((node) =>
    valuesOnGrid(
      node.samples,
      buckets.map((entry) => entry.bucket),
      widthMs,
    ),
  );
  const band = buckets.map(({ firstMs }, k) => {
    const values = columns.map((column) => column[k] as number).sort((a, b) => a - b);
    const at = (percent: number): number => percentileOf(values, percent) ?? 0;
    return { tMs: firstMs, p10: at(10), p50: at(50), p90: at(90) };
  });
  const last = band[band.length - 1];
  if (last !== undefined && last.tMs < durationMs) band.push({ ...last, tMs: durationMs });
  return band;
}

export function podsPerNodeView(
  series: readonly NodePodSeries[],
  durationMs: number,
  pointCountMax: number = reportPointCountMax,
): PodsPerNodeView {
  const ranked = rankNodesByPeak(series);
  const top = ranked.slice(0, nodeLineCountMax);
  const rest = ranked.slice(nodeLineCountMax);
  return {
    top,
    rest,
    band: rest.length === 0 ? [] : percentileBand(rest, durationMs, pointCountMax),
  };
}

/** Virtual ms the node spent in a status other than Ready. */
export function notReadyMsOf(node: NodeReadiness): number {
  return node.intervals
    .filter((interval) => interval.status !== 'Ready')
    .reduce((total, interval) => total + (interval.toMs - interval.fromMs), 0);
}

export interface ReadinessView {
  /**
   * Nodes drawn, by name: the readinessNodeCountMax nodes with the most time not Ready (ties by
   * name), so a crashed node is never the one left out.
   */
  shown: NodeReadiness[];
  /** Nodes left out of the chart. */
  hiddenCount: number;
}

export function readinessView(nodes: readonly NodeReadiness[]): ReadinessView {
  const notReady = new Map(nodes.map((node) => [node.node, notReadyMsOf(node)]));
  const score = (node: NodeReadiness): number => notReady.get(node.node) ?? 0;
  const ranked = [...nodes].sort((a, b) => score(b) - score(a) || compareText(a.node, b.node));
  const shown = ranked.slice(0, readinessNodeCountMax).sort((a, b) => compareText(a.node, b.node));
  return { shown, hiddenCount: ranked.length - shown.length };
}
