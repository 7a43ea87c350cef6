// The six vega-lite chart specs of a report, built from bounded ReportData (data inline).

import type { TopLevelSpec } from 'vega-lite';
import {
  chartConfig,
  chartHeightPx,
  chartWidthPx,
  faultColor,
  phaseColors,
  readinessColors,
  timeTitle,
} from './chart-config.js';
import type { BandPoint } from './chart-data.js';
import { podsPerNodeView, readinessView } from './chart-data.js';
import { downsampleIntervals } from './downsample.js';
import { formatNumber } from './format.js';
import type { NodeReadiness, ReportData, StepSample } from './report-data.js';
import { podPhases, readinessStatuses } from './report-data.js';

export type ChartKey =
  | 'podsByPhase'
  | 'podsPerNode'
  | 'nodeReadiness'
  | 'pendingQueue'
  | 'schedulingLatency'
  | 'podStartupLatency';

/** Chart keys in the order the report shows them. */
export const chartKeys: readonly ChartKey[] = [
  'podsByPhase',
  'podsPerNode',
  'nodeReadiness',
  'pendingQueue',
  'schedulingLatency',
  'podStartupLatency',
];

export const chartTitles: Readonly<Record<ChartKey, string>> = {
  podsByPhase: 'Pods by phase over time',
  podsPerNode: 'Pods per node over time',
  nodeReadiness: 'Node readiness timeline',
  pendingQueue: 'Pending-queue length over time',
  schedulingLatency: 'Scheduling latency (CDF)',
  podStartupLatency: 'Pod startup latency (CDF)',
};

type Row = Record<string, number | string>;

function seconds(ms: number): number {
  return ms / 1000;
}

/** The x scale of every time axis: [0, run length] in seconds, not rounded outwards. */
function timeScale(durationMs: number) {
  return { domain: [0, seconds(Math.max(durationMs, 1))], nice: false, zero: true };
}

/** A y scale; with no rows, a fixed [0, 1] domain (vega warns about the extent of nothing). */
function countScale(rowCount: number) {
  return rowCount === 0 ? { domain: [0, 1] } : { zero: true };
}

function titled(key: ChartKey, subtitle: string | undefined) {
  return subtitle === undefined
    ? { text: chartTitles[key], anchor: 'start' as const }
    : { text: chartTitles[key], subtitle, anchor: 'start' as const };
}

function podsByPhaseSpec(data: ReportData, durationMs: number): TopLevelSpec {
  const rows: Row[] = data.series.podsByPhase.flatMap((sample) =>
    podPhases.map((phase, order) => ({
      t: seconds(sample.tMs),
      phase,
      order,
      pods: sample.counts[phase],
    })),
  );
  return {
    title: titled('podsByPhase', undefined),
    width: chartWidthPx,
    height: chartHeightPx,
    config: chartConfig,
    data: { values: rows },
    mark: { type: 'area', interpolate: 'step-after' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: timeTitle, scale: timeScale(durationMs) },
      y: {
        field: 'pods',
        type: 'quantitative',
        stack: 'zero',
        title: 'pods',
        scale: countScale(rows.length),
      },
      color: {
        field: 'phase',
        type: 'nominal',
        title: 'phase',
        sort: [...podPhases],
        scale: { domain: [...podPhases], range: phaseColors },
      },
      order: { field: 'order', type: 'quantitative' },
    },
  };
}

function stepRows(samples: readonly StepSample[], valueField: string): Row[] {
  return samples.map((sample) => ({ t: seconds(sample.tMs), [valueField]: sample.value }));
}

function bandLayers(band: readonly BandPoint[], restCount: number) {
  const rows: Row[] = band.map((point) => ({
    t: seconds(point.tMs),
    p10: point.p10,
    p50: point.p50,
    p90: point.p90,
  }));
  const note = `other ${restCount} nodes`;
  return [
    {
      data: { values: rows },
      mark: { type: 'area' as const, interpolate: 'step-after' as const, color: '#bbbbbb' },
      encoding: {
        x: { field: 't', type: 'quantitative' as const },
        y: { field: 'p10', type: 'quantitative' as const, title: 'pods' },
        y2: { field: 'p90' },
      },
      description: `${note}: p10 to p90`,
    },
    {
      data: { values: rows },
      mark: { type: 'line' as const, interpolate: 'step-after' as const, color: '#777777' },
      encoding: {
        x: { field: 't', type: 'quantitative' as const },
        y: { field: 'p50', type: 'quantitative' as const },
        strokeDash: { value: [4, 3] },
      },
      description: `${note}: median`,
    },
  ];
}

function podsPerNodeSpec(
  data: ReportData,
  durationMs: number,
  pointCountMax: number,
): TopLevelSpec {
  const view = podsPerNodeView(data.series.podsPerNode, durationMs, pointCountMax);
  const lineRows: Row[] = view.top.flatMap((node) =>
    stepRows(node.samples, 'pods').map((row) => ({ ...row, node: node.node })),
  );
  const names = view.top.map((node) => node.node);
  const lines = {
    data: { values: lineRows },
    mark: { type: 'line' as const, interpolate: 'step-after' as const },
    encoding: {
      x: {
        field: 't',
        type: 'quantitative' as const,
        title: timeTitle,
        scale: timeScale(durationMs),
      },
      y: {
        field: 'pods',
        type: 'quantitative' as const,
        title: 'pods',
        scale: countScale(lineRows.length),
      },
      color: {
        field: 'node',
        type: 'nominal' as const,
        title: 'node',
        sort: names,
        scale: { domain: names, scheme: 'category20' },
      },
    },
  };
  const subtitle =
    view.rest.length === 0
      ? undefined
      : `Top ${view.top.length} nodes by peak; grey band: p10-p90 of the other ` +
        `${view.rest.length} nodes, dashed: their median`;
  const layer = [...(view.rest.length === 0 ? [] : bandLayers(view.band, view.rest.length)), lines];
  return {
    title: titled('podsPerNode', subtitle),
    width: chartWidthPx,
    height: chartHeightPx,
    config: chartConfig,
    layer,
  };
}

function faultRows(data: ReportData): Row[] {
  return data.faults.flatMap((fault) => [
    { t: seconds(fault.injectedAtMs), label: fault.label, marker: 'injected' },
    ...(fault.recoveredAtMs === null
      ? []
      : [{ t: seconds(fault.recoveredAtMs), label: fault.label, marker: 'recovered' }]),
  ]);
}

function readinessBarLayer(shown: readonly NodeReadiness[], durationMs: number) {
  const names = shown.map((node) => node.node);
  // One bucket per pixel column: finer intervals could not be seen, and 40 nodes × 2,000 bars
  // would make the page megabytes long.
  const rows: Row[] = shown.flatMap((node) =>
    downsampleIntervals(node.intervals, durationMs, chartWidthPx).map((interval) => ({
      node: node.node,
      from: seconds(interval.fromMs),
      to: seconds(interval.toMs),
      status: interval.status,
    })),
  );
  return {
    data: { values: rows },
    mark: { type: 'bar' as const },
    encoding: {
      x: {
        field: 'from',
        type: 'quantitative' as const,
        title: timeTitle,
        scale: timeScale(durationMs),
      },
      x2: { field: 'to' },
      y: {
        field: 'node',
        type: 'nominal' as const,
        title: 'node',
        sort: names,
        scale: { domain: names },
      },
      color: {
        field: 'status',
        type: 'nominal' as const,
        title: 'Ready',
        sort: [...readinessStatuses],
        scale: { domain: [...readinessStatuses], range: readinessColors },
      },
    },
  };
}

/** Fault rules (solid at injection, dashed at recovery) and the injections' labels. */
function faultLayers(data: ReportData) {
  const markers = faultRows(data);
  const dashes = {
    domain: ['injected', 'recovered'],
    range: [
      [1, 0],
      [4, 3],
    ],
  };
  return [
    {
      data: { values: markers },
      mark: { type: 'rule' as const, color: faultColor, strokeWidth: 1.5 },
      encoding: {
        x: { field: 't', type: 'quantitative' as const },
        strokeDash: { field: 'marker', type: 'nominal' as const, title: 'fault', scale: dashes },
      },
    },
    {
      data: { values: markers.filter((row) => row.marker === 'injected') },
      mark: {
        type: 'text' as const,
        color: faultColor,
        align: 'left' as const,
        baseline: 'top' as const,
        dx: 3,
        y: 2,
      },
      encoding: {
        x: { field: 't', type: 'quantitative' as const },
        text: { field: 'label' },
      },
    },
  ];
}

function readinessSpec(data: ReportData, durationMs: number): TopLevelSpec {
  const view = readinessView(data.series.nodeReadiness);
  const hidden = view.hiddenCount === 0 ? undefined : `${view.hiddenCount} more nodes not shown`;
  return {
    title: titled('nodeReadiness', hidden),
    width: chartWidthPx,
    height: view.shown.length === 0 ? 40 : { step: 18 },
    config: chartConfig,
    layer: [readinessBarLayer(view.shown, durationMs), ...faultLayers(data)],
  };
}

function pendingQueueSpec(data: ReportData, durationMs: number): TopLevelSpec {
  const rows = stepRows(data.series.pendingQueue, 'pods');
  return {
    title: titled('pendingQueue', undefined),
    width: chartWidthPx,
    height: chartHeightPx,
    config: chartConfig,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after', color: '#3969ac' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: timeTitle, scale: timeScale(durationMs) },
      y: {
        field: 'pods',
        type: 'quantitative',
        title: 'pending pods',
        scale: countScale(rows.length),
      },
    },
  };
}

/** Points (latency, fraction of samples at or below it) of ascending samples. */
export function cdfRows(sorted: readonly number[]): Row[] {
  const count = sorted.length;
  return sorted.map((latencyMs, index) => ({ ms: latencyMs, fraction: (index + 1) / count }));
}

function cdfSpec(key: ChartKey, sorted: readonly number[]): TopLevelSpec {
  const rows = cdfRows(sorted);
  const subtitle = `${formatNumber(sorted.length)} samples drawn`;
  return {
    title: titled(key, subtitle),
    width: chartWidthPx,
    height: chartHeightPx,
    config: chartConfig,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after', color: '#3969ac' },
    encoding: {
      x: {
        field: 'ms',
        type: 'quantitative',
        title: 'milliseconds',
        scale: rows.length === 0 ? { domain: [0, 1] } : { zero: false },
      },
      y: {
        field: 'fraction',
        type: 'quantitative',
        title: 'fraction of pods',
        scale: { domain: [0, 1] },
        axis: { format: '.0%' },
      },
    },
  };
}

/**
 * The six chart specs, in chartKeys order, from bounded data (see boundReportData): every series
 * drawn has at most `pointCountMax` points.
 */
export function reportChartSpecs(
  bounded: ReportData,
  pointCountMax: number,
): Array<{ key: ChartKey; spec: TopLevelSpec }> {
  const durationMs = bounded.virtualEndMs - bounded.virtualStartMs;
  const specs: Record<ChartKey, TopLevelSpec> = {
    podsByPhase: podsByPhaseSpec(bounded, durationMs),
    podsPerNode: podsPerNodeSpec(bounded, durationMs, pointCountMax),
    nodeReadiness: readinessSpec(bounded, durationMs),
    pendingQueue: pendingQueueSpec(bounded, durationMs),
    schedulingLatency: cdfSpec('schedulingLatency', bounded.series.schedulingLatencyMs),
    podStartupLatency: cdfSpec('podStartupLatency', bounded.series.podStartupLatencyMs),
  };
  return chartKeys.map((key) => ({ key, spec: specs[key] }));
}
