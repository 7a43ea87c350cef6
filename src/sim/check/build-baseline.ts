// Builds a baseline from a run's ReportData: verdicts, key metrics, recoveries and placements.
import { sha256Hex } from '../../control/util/sha256.js';
import { percentileOf, sortedSamples } from '../report/downsample.js';
import { compareText } from '../report/format.js';
import type { Placement, ReportData } from '../report/report-data.js';
import type {
  Baseline,
  BaselineMetric,
  BaselinePlacement,
  BaselinePlacements,
  PlacementCount,
} from './baseline-model.js';
import { placementLinesMaxDefault } from './baseline-model.js';

export interface BuildBaselineOptions {
  /** Most placements listed one per line; more switch to counts. Default 2,000. */
  placementLinesMax?: number;
}

/** Report metrics a baseline keeps; engine.events and the like change with any code change. */
export const reportMetricNames: readonly string[] = [
  'pods.evicted',
  'scheduler.attempts',
  'scheduler.bindFailures',
  'scheduler.scheduled',
  'scheduler.unschedulable',
];

const latencyPercents: readonly number[] = [50, 90, 99];

/** The key metrics of a run, sorted by name (recovery times are the baseline's faults). */
export function keyMetrics(report: ReportData): BaselineMetric[] {
  const out: BaselineMetric[] = [];
  for (const name of reportMetricNames) {
    const value = report.metrics[name];
    if (value !== undefined) out.push({ name, value });
  }
  out.push({ name: 'pods.placed', value: report.placements.length });
  const series = report.series;
  for (const [name, samples] of [
    ['schedulingLatencyMs', series.schedulingLatencyMs],
    ['podStartupLatencyMs', series.podStartupLatencyMs],
  ] as const) {
    const sorted = sortedSamples(samples, name);
    for (const percent of latencyPercents) {
      const value = percentileOf(sorted, percent);
      if (value !== undefined) out.push({ name: `${name}.p${percent}`, value });
    }
  }
  return out.sort((a, b) => compareText(a.name, b.name));
}

export function baselineOf(report: ReportData, options: BuildBaselineOptions = {}): Baseline {
  const lines = placementLines(report.placements);
  const linesMax = options.placementLinesMax ?? placementLinesMaxDefault;
  return {
    scenario: report.scenario.name,
    seed: JSON.stringify(report.seed),
    expectations: report.expectations
      .map((e) => ({ name: e.name, verdict: e.held ? ('held' as const) : ('failed' as const) }))
      .sort((a, b) => compareText(a.name, b.name)),
    metrics: keyMetrics(report),
    faults: report.faults.map((f, index) => ({
      index,
      label: f.label,
      recoveryMs: f.recoveredAtMs === null ? null : f.recoveredAtMs - f.injectedAtMs,
    })),
    placements: lines.length > linesMax ? countsOf(lines) : { mode: 'lines', lines },
  };
}

/** `ReplicaSet/default/web#12` → [`ReplicaSet/default/web`, 12]; no `#`: ordinal -1. */
export function splitIdentity(pod: string): [string, number] {
  const at = pod.lastIndexOf('#');
  if (at < 0) return [pod, -1];
  const ordinal = Number(pod.slice(at + 1));
  return Number.isSafeInteger(ordinal) ? [pod.slice(0, at), ordinal] : [pod, -1];
}

/** Identity order: owner text, then the ordinal as a number (so #2 comes before #10). */
export function compareIdentity(a: string, b: string): number {
  const [ownerA, ordinalA] = splitIdentity(a);
  const [ownerB, ordinalB] = splitIdentity(b);
  return compareText(ownerA, ownerB) || ordinalA - ordinalB || compareText(a, b);
}

export function comparePlacementLines(a: BaselinePlacement, b: BaselinePlacement): number {
  return (
    compareIdentity(a.pod, b.pod) ||
    compareText(a.node, b.node) ||
    a.atMs - b.atMs ||
    compareText(a.name, b.name)
  );
}

function placementLines(placements: readonly Placement[]): BaselinePlacement[] {
  return placements
    .map((p) => ({ pod: p.pod, node: p.node, atMs: p.atMs, name: p.name }))
    .sort(comparePlacementLines);
}

/** The owner a pod counts under: its identity without the ordinal; bare pods by namespace. */
export function countOwnerOf(pod: string): string {
  const [owner, ordinal] = splitIdentity(pod);
  if (ordinal >= 0) return owner;
  const parts = owner.split('/');
  return parts.length >= 2 ? `${parts[0]}/${parts[1]}` : owner;
}

/** Per owner × node counts and the digest of sorted lines (sorted by comparePlacementLines). */
export function countsOf(lines: readonly BaselinePlacement[]): BaselinePlacements {
  const counts = new Map<string, PlacementCount>();
  for (const line of lines) {
    const owner = countOwnerOf(line.pod);
    const key = `${owner} ${line.node}`;
    const entry = counts.get(key) ?? { owner, node: line.node, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  const sorted = [...counts.values()].sort(
    (a, b) => compareText(a.owner, b.owner) || compareText(a.node, b.node),
  );
  return {
    mode: 'counts',
    podCount: lines.length,
    counts: sorted,
    digest: placementDigest(lines),
  };
}

/** SHA-256 of `<pod> <node>\n` per line, in identity order; times and names left out. */
export function placementDigest(lines: readonly BaselinePlacement[]): string {
  const sorted = [...lines].sort(
    (a, b) => compareIdentity(a.pod, b.pod) || compareText(a.node, b.node),
  );
  return sha256Hex(sorted.map((l) => `${l.pod} ${l.node}\n`).join(''));
}
