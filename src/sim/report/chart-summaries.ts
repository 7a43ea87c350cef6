// A few plain-text lines per chart saying what it shows, for report.md and under each HTML chart.

import type { ChartKey } from './chart-specs.js';
import { notReadyMsOf, peakOf, rankNodesByPeak, readinessNodeCountMax } from './chart-data.js';
import { nodeLineCountMax } from './chart-data.js';
import { collapseInstants, mergeIntervals, percentileOf, sortedSamples } from './downsample.js';
import { compareText, formatMilliseconds, formatNumber, formatSeconds } from './format.js';
import type { NodeReadiness, ReportData, StepSample } from './report-data.js';
import { podPhases } from './report-data.js';

/** Intervals listed per node before the rest are only counted. */
const intervalsListedMax = 10;

/** First sample holding the series' peak; undefined when the series is empty. */
function peakSample(samples: readonly StepSample[]): StepSample | undefined {
  let best: StepSample | undefined;
  for (const sample of samples) if (best === undefined || sample.value > best.value) best = sample;
  return best;
}

function listed(items: readonly string[], countMax: number): string {
  const shown = items.slice(0, countMax).join(', ');
  const more = items.length - countMax;
  return more > 0 ? `${shown} and ${more} more` : shown;
}

function podsByPhaseSummary(data: ReportData, durationMs: number): string[] {
  const samples = collapseInstants(data.series.podsByPhase, durationMs, 'podsByPhase');
  const last = samples[samples.length - 1];
  if (last === undefined) return ['No samples.'];
  const finals = podPhases.filter((phase) => last.counts[phase] > 0);
  const peaks = podPhases.flatMap((phase) => {
    const peak = peakSample(
      samples.map((sample) => ({ tMs: sample.tMs, value: sample.counts[phase] })),
    );
    return peak === undefined || peak.value === 0
      ? []
      : [`${phase} ${formatNumber(peak.value)} at ${formatSeconds(peak.tMs)}`];
  });
  const finalText = finals.map((phase) => `${phase} ${formatNumber(last.counts[phase])}`);
  return [
    `At the end: ${finals.length === 0 ? 'no pods' : finalText.join(', ')}.`,
    `Peaks: ${peaks.length === 0 ? 'none' : peaks.join(', ')}.`,
  ];
}

function finalValue(samples: readonly StepSample[]): number {
  return samples[samples.length - 1]?.value ?? 0;
}

function podsPerNodeSummary(data: ReportData, durationMs: number): string[] {
  const nodes = data.series.podsPerNode.map((node) => ({
    node: node.node,
    samples: collapseInstants(node.samples, durationMs, `podsPerNode ${node.node}`),
  }));
  if (nodes.length === 0) return ['No nodes.'];
  const ranked = rankNodesByPeak(nodes);
  const top = ranked.slice(0, nodeLineCountMax).map((node) => {
    const peak = peakSample(node.samples);
    const peakText =
      peak === undefined
        ? 'no pods'
        : `peak ${formatNumber(peak.value)} at ${formatSeconds(peak.tMs)}`;
    return `${node.node}: ${peakText}, ${formatNumber(finalValue(node.samples))} at the end.`;
  });
  const lines = [`${nodes.length} nodes; highest peak first:`, ...top];
  const rest = ranked.slice(nodeLineCountMax);
  if (rest.length === 0) return lines;
  const finals = sortedSamples(
    rest.map((node) => finalValue(node.samples)),
    'podsPerNode',
  );
  const at = (percent: number): string => formatNumber(percentileOf(finals, percent) ?? 0);
  const highest = rest.reduce((high, node) => Math.max(high, peakOf(node.samples)), 0);
  lines.push(
    `The other ${rest.length} nodes (band in the chart): at the end p10 ${at(10)}, ` +
      `median ${at(50)}, p90 ${at(90)}; highest peak ${formatNumber(highest)}.`,
  );
  return lines;
}

function intervalsText(node: NodeReadiness): string {
  const texts = node.intervals.map(
    (interval) =>
      `${interval.status} from ${formatSeconds(interval.fromMs)} to ${formatSeconds(interval.toMs)}`,
  );
  return `${node.node}: ${listed(texts, intervalsListedMax)}.`;
}

function faultMarkersText(data: ReportData): string {
  const texts = data.faults.map((fault) => {
    const recovered =
      fault.recoveredAtMs === null
        ? 'never recovered'
        : `recovered at ${formatSeconds(fault.recoveredAtMs)}`;
    return `${fault.label} injected at ${formatSeconds(fault.injectedAtMs)}, ${recovered}`;
  });
  return texts.length === 0 ? 'No faults.' : `Faults marked: ${texts.join('; ')}.`;
}

function readinessSummary(data: ReportData, durationMs: number): string[] {
  const nodes = data.series.nodeReadiness.map((node) => ({
    node: node.node,
    intervals: mergeIntervals(node.intervals, durationMs),
  }));
  if (nodes.length === 0) return ['No nodes.', faultMarkersText(data)];
  const notReadyMs = new Map(nodes.map((node) => [node.node, notReadyMsOf(node)]));
  const score = (node: NodeReadiness): number => notReadyMs.get(node.node) ?? 0;
  const troubled = nodes
    .filter((node) => score(node) > 0)
    .sort((a, b) => score(b) - score(a) || compareText(a.node, b.node));
  const steady = nodes
    .filter((node) => score(node) === 0)
    .map((node) => node.node)
    .sort(compareText);
  const lines = troubled.slice(0, readinessNodeCountMax).map(intervalsText);
  if (troubled.length > readinessNodeCountMax) {
    lines.push(`${troubled.length - readinessNodeCountMax} more nodes were not Ready at times.`);
  }
  if (steady.length > 0)
    lines.push(`Never other than Ready: ${listed(steady, readinessNodeCountMax)}.`);
  lines.push(faultMarkersText(data));
  return lines;
}

/** Mean of a step series over [its first instant, the run's end], weighted by time held. */
function timeWeightedMean(samples: readonly StepSample[], durationMs: number): number | undefined {
  const first = samples[0];
  if (first === undefined || first.tMs >= durationMs) return undefined;
  let area = 0;
  samples.forEach((sample, index) => {
    const untilMs = samples[index + 1]?.tMs ?? durationMs;
    area += sample.value * (untilMs - sample.tMs);
  });
  return area / (durationMs - first.tMs);
}

function pendingQueueSummary(data: ReportData, durationMs: number): string[] {
  const samples = collapseInstants(data.series.pendingQueue, durationMs, 'pendingQueue');
  const peak = peakSample(samples);
  if (peak === undefined) return ['No samples.'];
  const mean = timeWeightedMean(samples, durationMs);
  const meanText = mean === undefined ? '' : `; time-weighted mean ${formatNumber(mean)}`;
  return [
    `Peak ${formatNumber(peak.value)} pods at ${formatSeconds(peak.tMs)}; ` +
      `${formatNumber(finalValue(samples))} at the end${meanText}.`,
  ];
}

function latencySummary(samples: readonly number[], what: string): string[] {
  const sorted = sortedSamples(samples, what);
  if (sorted.length === 0) return ['No samples.'];
  const at = (percent: number): string => formatMilliseconds(percentileOf(sorted, percent) ?? 0);
  return [
    `${formatNumber(sorted.length)} samples: min ${formatMilliseconds(sorted[0] ?? 0)}, ` +
      `p50 ${at(50)}, p90 ${at(90)}, p99 ${at(99)}, max ${at(100)}.`,
  ];
}

/** The text lines of every chart, from the full (unbounded) data: counts and peaks are exact. */
export function chartSummaries(data: ReportData): Record<ChartKey, string[]> {
  const durationMs = data.virtualEndMs - data.virtualStartMs;
  return {
    podsByPhase: podsByPhaseSummary(data, durationMs),
    podsPerNode: podsPerNodeSummary(data, durationMs),
    nodeReadiness: readinessSummary(data, durationMs),
    pendingQueue: pendingQueueSummary(data, durationMs),
    schedulingLatency: latencySummary(data.series.schedulingLatencyMs, 'schedulingLatencyMs'),
    podStartupLatency: latencySummary(data.series.podStartupLatencyMs, 'podStartupLatencyMs'),
  };
}
