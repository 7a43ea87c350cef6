// Compares two runs of one scenario and seed: which pods landed elsewhere, how pods spread
// over nodes and zones at the end, and the metrics and expectation verdicts side by side.
import { reduceSamples } from '../report/downsample.js';
import { compareText } from '../report/format.js';
import type { Placement, ReportData } from '../report/report-data.js';
import type { Scenario } from '../scenario/scenario-model.js';
import { balanceOf, podsPerNodeAtEnd, runMetrics } from '../sweep/index.js';
import { compareFormatVersion } from './compare-model.js';
import type {
  CompareData,
  ExpectationRow,
  MetricRow,
  MovedPod,
  NodeRow,
  ZoneRow,
} from './compare-model.js';
import { nodeFactsOf } from './node-zones.js';

/** Moved pods kept in compare.json (the count is always exact). */
export const movedPodsMax = 10_000;
/** Latency samples kept per run and series for the CDF charts. */
export const latencySampleCountMax = 500;
/** The zone name that gathers nodes without a zone. */
export const noZone = '(none)';

export interface CompareOptions {
  scenario: Scenario;
  /** What each side ran, for people: a profile file as given, or `scenario`. */
  profiles: { a: string; b: string };
}

/** Pod ids in order: owner text, then the `#<ordinal>` as a number (so #9 before #10). */
export function comparePodIds(x: string, y: string): number {
  const split = (id: string): [string, number] => {
    const hash = id.lastIndexOf('#');
    const ordinal = hash < 0 ? '' : id.slice(hash + 1);
    return /^\d{1,15}$/.test(ordinal) ? [id.slice(0, hash), Number(ordinal)] : [id, -1];
  };
  const [ownerX, ordinalX] = split(x);
  const [ownerY, ordinalY] = split(y);
  return compareText(ownerX, ownerY) || ordinalX - ordinalY || compareText(x, y);
}

function byPod(placements: readonly Placement[]): Map<string, Placement> {
  const out = new Map<string, Placement>();
  for (const placement of placements)
    if (!out.has(placement.pod)) out.set(placement.pod, placement);
  return out;
}

function movedPods(a: ReportData, b: ReportData): { moved: MovedPod[]; a: number; b: number } {
  const inA = byPod(a.placements);
  const inB = byPod(b.placements);
  const ids = [...new Set([...inA.keys(), ...inB.keys()])].sort(comparePodIds);
  const moved: MovedPod[] = [];
  for (const pod of ids) {
    const pa = inA.get(pod);
    const pb = inB.get(pod);
    if (pa?.node === pb?.node) continue;
    moved.push({
      pod,
      nameA: pa?.name ?? null,
      nameB: pb?.name ?? null,
      nodeA: pa?.node ?? null,
      nodeB: pb?.node ?? null,
    });
  }
  return { moved, a: inA.size, b: inB.size };
}

function nodeRows(a: ReportData, b: ReportData, scenario: Scenario): NodeRow[] {
  const podsA = podsPerNodeAtEnd(a);
  const podsB = podsPerNodeAtEnd(b);
  const names = [...new Set([...podsA.keys(), ...podsB.keys()])].sort(compareText);
  return names.map((node) => ({
    node,
    ...nodeFactsOf(scenario, node),
    podsA: podsA.get(node) ?? 0,
    podsB: podsB.get(node) ?? 0,
  }));
}

function zoneRows(nodes: readonly NodeRow[]): ZoneRow[] {
  const zones = new Map<string, ZoneRow>();
  for (const node of nodes) {
    const zone = node.zone ?? noZone;
    const row = zones.get(zone) ?? { zone, nodeCount: 0, podsA: 0, podsB: 0 };
    zones.set(zone, {
      zone,
      nodeCount: row.nodeCount + 1,
      podsA: row.podsA + node.podsA,
      podsB: row.podsB + node.podsB,
    });
  }
  return [...zones.values()].sort((x, y) => compareText(x.zone, y.zone));
}

function metricRows(a: ReportData, b: ReportData): MetricRow[] {
  const metricsA = runMetrics(a);
  const metricsB = runMetrics(b);
  const names = [...new Set([...Object.keys(metricsA), ...Object.keys(metricsB)])];
  return names.sort(compareText).map((name) => ({
    name,
    a: metricsA[name] ?? null,
    b: metricsB[name] ?? null,
  }));
}

function expectationRows(a: ReportData, b: ReportData): ExpectationRow[] {
  const names = [...a.expectations.map((e) => e.name)];
  for (const e of b.expectations) if (!names.includes(e.name)) names.push(e.name);
  return names.map((name) => ({
    name,
    a: a.expectations.find((e) => e.name === name)?.held ?? null,
    b: b.expectations.find((e) => e.name === name)?.held ?? null,
  }));
}

function samples(list: readonly number[], what: string): number[] {
  return reduceSamples(list, what, latencySampleCountMax);
}

/** The compare of run A with run B (same scenario and seed, two scheduler configurations). */
export function compareRuns(a: ReportData, b: ReportData, options: CompareOptions): CompareData {
  const placements = movedPods(a, b);
  const nodes = nodeRows(a, b, options.scenario);
  const zones = zoneRows(nodes);
  return {
    compareFormatVersion,
    scenario: { ...a.scenario },
    seed: a.seed,
    minikuVersion: a.minikuVersion,
    profiles: { ...options.profiles },
    passed: { a: a.expectations.every((e) => e.held), b: b.expectations.every((e) => e.held) },
    placements: {
      podCountA: placements.a,
      podCountB: placements.b,
      movedCount: placements.moved.length,
      moved: placements.moved.slice(0, movedPodsMax),
    },
    nodes,
    balance: { a: balanceOf(nodes.map((n) => n.podsA)), b: balanceOf(nodes.map((n) => n.podsB)) },
    zones,
    zoneBalance: {
      a: balanceOf(zones.map((z) => z.podsA)),
      b: balanceOf(zones.map((z) => z.podsB)),
    },
    metrics: metricRows(a, b),
    expectations: expectationRows(a, b),
    latency: {
      scheduling: {
        a: samples(a.series.schedulingLatencyMs, 'A scheduling latency'),
        b: samples(b.series.schedulingLatencyMs, 'B scheduling latency'),
      },
      startup: {
        a: samples(a.series.podStartupLatencyMs, 'A startup latency'),
        b: samples(b.series.podStartupLatencyMs, 'B startup latency'),
      },
    },
  };
}
