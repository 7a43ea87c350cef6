// Compares a stored baseline with a fresh one: moved, appeared and disappeared pods, flipped
// expectations and metrics beyond their tolerance. Times and generated names are not compared.
import { assert } from '../../control/util/assert.js';
import { compareText } from '../report/format.js';
import type {
  Baseline,
  BaselineMetric,
  BaselinePlacement,
  BaselinePlacements,
  PlacementCount,
  Verdict,
} from './baseline-model.js';
import { compareIdentity, countsOf } from './build-baseline.js';
import type { Tolerance, ToleranceConfig } from './tolerances.js';
import { toleranceFor, withinTolerance } from './tolerances.js';

/** A metric's value; `never`: a fault the cluster never recovered from; `absent`: not measured. */
export type MetricValue = number | 'never' | 'absent';

export interface PodMove {
  pod: string;
  from: string;
  to: string;
  /** Generated names before and after (for people; they may differ). */
  nameBefore: string;
  nameAfter: string;
}

export interface PodPresence {
  pod: string;
  node: string;
  name: string;
}

export interface CountChange {
  owner: string;
  node: string;
  before: number;
  after: number;
}

export interface ExpectationFlip {
  name: string;
  before: Verdict | 'absent';
  after: Verdict | 'absent';
}

export interface MetricChange {
  name: string;
  /** What the metric is about when the name alone does not say (a fault's label), or ''. */
  label: string;
  before: MetricValue;
  after: MetricValue;
  tolerance: Tolerance;
}

export interface BaselineDiff {
  seed: { before: string; after: string } | null;
  /** `counts` when either side had too many pods to list. */
  placementMode: 'lines' | 'counts';
  moved: PodMove[];
  appeared: PodPresence[];
  disappeared: PodPresence[];
  /** Counts mode: per owner × node counts that differ. */
  countChanges: CountChange[];
  /** Counts mode: some pod changed node (even when every count is equal). */
  digestChanged: boolean;
  expectations: ExpectationFlip[];
  /** Only the metrics beyond tolerance. */
  metrics: MetricChange[];
}

export interface CompareOptions {
  tolerances: ToleranceConfig;
}

export function diffIsEmpty(diff: BaselineDiff): boolean {
  return (
    diff.seed === null &&
    diff.moved.length === 0 &&
    diff.appeared.length === 0 &&
    diff.disappeared.length === 0 &&
    diff.countChanges.length === 0 &&
    !diff.digestChanged &&
    diff.expectations.length === 0 &&
    diff.metrics.length === 0
  );
}

export function compareBaselines(
  before: Baseline,
  after: Baseline,
  options: CompareOptions,
): BaselineDiff {
  const seed = before.seed === after.seed ? null : { before: before.seed, after: after.seed };
  const counts = before.placements.mode === 'counts' || after.placements.mode === 'counts';
  const placements = counts
    ? compareCounts(asCounts(before.placements), asCounts(after.placements))
    : compareLines(linesOf(before.placements), linesOf(after.placements));
  return {
    seed,
    placementMode: counts ? 'counts' : 'lines',
    ...placements,
    expectations: compareExpectations(before, after),
    metrics: compareMetrics(before, after, options.tolerances),
  };
}

type PlacementDiff = Pick<
  BaselineDiff,
  'moved' | 'appeared' | 'disappeared' | 'countChanges' | 'digestChanged'
>;

function linesOf(placements: BaselinePlacements): readonly BaselinePlacement[] {
  return placements.mode === 'lines' ? placements.lines : [];
}

function asCounts(placements: BaselinePlacements): Extract<BaselinePlacements, { mode: 'counts' }> {
  const counted = placements.mode === 'lines' ? countsOf(placements.lines) : placements;
  assert(counted.mode === 'counts', 'countsOf must give counts');
  return counted;
}

function byPod(lines: readonly BaselinePlacement[]): Map<string, BaselinePlacement[]> {
  const out = new Map<string, BaselinePlacement[]>();
  for (const line of lines) {
    const list = out.get(line.pod) ?? [];
    list.push(line);
    out.set(line.pod, list);
  }
  return out;
}

function compareLines(
  before: readonly BaselinePlacement[],
  after: readonly BaselinePlacement[],
): PlacementDiff {
  const out: PlacementDiff = {
    moved: [],
    appeared: [],
    disappeared: [],
    countChanges: [],
    digestChanged: false,
  };
  const old = byPod(before);
  const now = byPod(after);
  const pods = [...new Set([...old.keys(), ...now.keys()])].sort(compareIdentity);
  for (const pod of pods) {
    const a = old.get(pod) ?? [];
    const b = now.get(pod) ?? [];
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const x = a[i];
      const y = b[i];
      if (x !== undefined && y !== undefined) {
        if (x.node !== y.node) {
          out.moved.push({ pod, from: x.node, to: y.node, nameBefore: x.name, nameAfter: y.name });
        }
      } else if (x !== undefined) out.disappeared.push({ pod, node: x.node, name: x.name });
      else if (y !== undefined) out.appeared.push({ pod, node: y.node, name: y.name });
    }
  }
  return out;
}

function compareCounts(
  before: { counts: readonly PlacementCount[]; digest: string },
  after: { counts: readonly PlacementCount[]; digest: string },
): PlacementDiff {
  const key = (c: PlacementCount) => `${c.owner} ${c.node}`;
  const old = new Map(before.counts.map((c) => [key(c), c]));
  const now = new Map(after.counts.map((c) => [key(c), c]));
  const countChanges: CountChange[] = [];
  for (const k of [...new Set([...old.keys(), ...now.keys()])]) {
    const x = old.get(k);
    const y = now.get(k);
    const entry = (x ?? y) as PlacementCount;
    const [b, a] = [x?.count ?? 0, y?.count ?? 0];
    if (a !== b) countChanges.push({ owner: entry.owner, node: entry.node, before: b, after: a });
  }
  countChanges.sort((p, q) => compareText(p.owner, q.owner) || compareText(p.node, q.node));
  return {
    moved: [],
    appeared: [],
    disappeared: [],
    countChanges,
    digestChanged: before.digest !== after.digest,
  };
}

function compareExpectations(before: Baseline, after: Baseline): ExpectationFlip[] {
  const old = new Map(before.expectations.map((e) => [e.name, e.verdict]));
  const now = new Map(after.expectations.map((e) => [e.name, e.verdict]));
  const names = [...new Set([...old.keys(), ...now.keys()])].sort(compareText);
  const out: ExpectationFlip[] = [];
  for (const name of names) {
    const b: Verdict | 'absent' = old.get(name) ?? 'absent';
    const a: Verdict | 'absent' = now.get(name) ?? 'absent';
    if (a !== b) out.push({ name, before: b, after: a });
  }
  return out;
}

interface Measured {
  value: MetricValue;
  label: string;
}

function measuredOf(baseline: Baseline): Map<string, Measured> {
  const out = new Map<string, Measured>();
  for (const m of baseline.metrics as readonly BaselineMetric[]) {
    out.set(m.name, { value: m.value, label: '' });
  }
  for (const f of baseline.faults) {
    out.set(`recoveryMs.${f.index}`, { value: f.recoveryMs ?? 'never', label: f.label });
  }
  return out;
}

function compareMetrics(
  before: Baseline,
  after: Baseline,
  tolerances: ToleranceConfig,
): MetricChange[] {
  const old = measuredOf(before);
  const now = measuredOf(after);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort(compareText);
  const out: MetricChange[] = [];
  for (const name of names) {
    const tolerance = toleranceFor(tolerances, after.scenario, name);
    if (tolerance.ignore) continue;
    const b = old.get(name) ?? { value: 'absent', label: '' };
    const a = now.get(name) ?? { value: 'absent', label: '' };
    const same =
      typeof a.value === 'number' && typeof b.value === 'number'
        ? withinTolerance(b.value, a.value, tolerance)
        : a.value === b.value;
    const label = a.label !== '' ? a.label : b.label;
    if (!same) out.push({ name, label, before: b.value, after: a.value, tolerance });
  }
  return out;
}
