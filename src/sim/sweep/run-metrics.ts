// The numbers one run is judged by in a sweep or an A/B compare: the report's own metrics plus
// latency percentiles, fault recovery times and how evenly pods ended up over the nodes.
import { percentileOf, sortedSamples } from '../report/downsample.js';
import { compareText } from '../report/format.js';
import type { ReportData } from '../report/report-data.js';

/** Percentiles each latency series is summarised by (nearest rank). */
export const latencyPercentiles: readonly number[] = [50, 90, 99];

function latencyMetrics(name: string, samples: readonly number[]): Record<string, number> {
  const sorted = sortedSamples(samples, name);
  const out: Record<string, number> = {};
  if (sorted.length === 0) return out;
  for (const percent of latencyPercentiles) {
    out[`${name}P${percent}`] = percentileOf(sorted, percent) as number;
  }
  out[`${name}Max`] = sorted[sorted.length - 1] as number;
  return out;
}

/** Recovery time per fault, named after its label (`#2`, `#3` … on repeated labels). */
function recoveryMetrics(report: ReportData): Record<string, number> {
  const out: Record<string, number> = {};
  const seen = new Map<string, number>();
  let unrecovered = 0;
  for (const fault of report.faults) {
    const count = (seen.get(fault.label) ?? 0) + 1;
    seen.set(fault.label, count);
    const label = count === 1 ? fault.label : `${fault.label} #${count}`;
    if (fault.recoveredAtMs === null) unrecovered += 1;
    else out[`faults.recoveryMs[${label}]`] = fault.recoveredAtMs - fault.injectedAtMs;
  }
  if (report.faults.length > 0) out['faults.unrecovered'] = unrecovered;
  return out;
}

/**
 * Pods bound to each node and not terminal at the end of the run, by node name: every node that
 * still exists at the end (its readiness timeline reaches the end), with 0 for empty ones, and
 * any other node that still holds pods.
 */
export function podsPerNodeAtEnd(report: ReportData): Map<string, number> {
  const endMs = report.virtualEndMs - report.virtualStartMs;
  const out = new Map<string, number>();
  for (const node of report.series.nodeReadiness) {
    const last = node.intervals[node.intervals.length - 1];
    if (last !== undefined && last.toMs >= endMs) out.set(node.node, 0);
  }
  for (const node of report.series.podsPerNode) {
    const pods = node.samples[node.samples.length - 1]?.value ?? 0;
    if (pods > 0 || out.has(node.node)) out.set(node.node, pods);
  }
  return new Map([...out].sort(([x], [y]) => compareText(x, y)));
}

export interface Balance {
  /** Population standard deviation of the counts. */
  stddev: number;
  maxMinusMin: number;
}

/** How evenly a set of counts is spread; zero for no counts. */
export function balanceOf(counts: readonly number[]): Balance {
  if (counts.length === 0) return { stddev: 0, maxMinusMin: 0 };
  let sum = 0;
  for (const count of counts) sum += count;
  const mean = sum / counts.length;
  let squares = 0;
  for (const count of counts) squares += (count - mean) * (count - mean);
  return {
    stddev: Math.sqrt(squares / counts.length),
    maxMinusMin: Math.max(...counts) - Math.min(...counts),
  };
}

/**
 * The run's metrics by name, keys sorted: everything in `report.metrics`, scheduling and startup
 * latency percentiles (`pods.schedulingLatencyMsP50` …, absent without samples), recovery per
 * fault (`faults.recoveryMs[<label>]`, absent when it never recovered) and the spread of pods
 * over nodes at the end (`nodes.podsStddevAtEnd`, `nodes.podsMaxMinusMinAtEnd`).
 */
export function runMetrics(report: ReportData): Record<string, number> {
  const balance = balanceOf([...podsPerNodeAtEnd(report).values()]);
  const all: Record<string, number> = {
    ...report.metrics,
    ...latencyMetrics('pods.schedulingLatencyMs', report.series.schedulingLatencyMs),
    ...latencyMetrics('pods.startupLatencyMs', report.series.podStartupLatencyMs),
    ...recoveryMetrics(report),
    'nodes.podsStddevAtEnd': balance.stddev,
    'nodes.podsMaxMinusMinAtEnd': balance.maxMinusMin,
  };
  const sorted: Record<string, number> = {};
  for (const name of Object.keys(all).sort(compareText)) sorted[name] = all[name] as number;
  return sorted;
}
