// PodTopologySpread (kube-scheduler v1.32 `plugins/podtopologyspread`): hard constraints in
// PreFilter/Filter, soft ones (and the system defaults) in PreScore/Score/NormalizeScore.
import type {
  CycleState,
  NodeInfo,
  NodeScoreList,
  Plugin,
  PluginContext,
  PluginFactory,
  PodInfo,
  PreFilterResult,
  Snapshot,
  Status,
} from '../framework/types.js';
import { maxNodeScore, skip, status, success } from '../framework/types.js';
import { matchesLabels } from '../../api/values/labels.js';
import {
  constraintsFor,
  matchingPodCounter,
  hostnameLabel,
  nodeHasAllKeys,
  spreadArgsOf,
} from './pod-topology-spread-constraints.js';
import type { SpreadArgs, SpreadConstraint } from './pod-topology-spread-constraints.js';
import {
  inclusionInputsOf,
  podMatchesNodeAffinity,
  podToleratesNodeTaints,
} from './pod-topology-spread-node-inclusion.js';
import type { InclusionInputs } from './pod-topology-spread-node-inclusion.js';

export const NAME = 'PodTopologySpread';

export const reasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
export const reasonNodeLabelNotMatch =
  "node(s) didn't match pod topology spread constraints (missing required label)";

const preFilterStateKey = `PreFilter${NAME}`;
const preScoreStateKey = `PreScore${NAME}`;

interface PreFilterState {
  constraints: SpreadConstraint[];
  /** Per constraint: domain value → matching pods in it. */
  matchNums: Map<string, number>[];
  /** Per constraint: the smallest count over its domains (Infinity when none). */
  minMatchNums: number[];
}

interface PreScoreState {
  constraints: SpreadConstraint[];
  ignoredNodes: Set<string>;
  /** Per constraint: domain value → matching pods (hostname constraints count in Score). */
  podCounts: Map<string, number>[];
  normalizingWeights: number[];
}

/** Go's math.Round: halves away from zero. */
export function goRound(x: number): number {
  const t = Math.trunc(x);
  return Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
}

/** constraint.matchNodeInclusionPolicies. */
function nodeIncluded(inputs: InclusionInputs, node: NodeInfo, c: SpreadConstraint): boolean {
  if (c.honorNodeAffinity && !podMatchesNodeAffinity(inputs, node)) return false;
  return !c.honorNodeTaints || podToleratesNodeTaints(inputs, node);
}

function buildPreFilterState(
  pod: PodInfo,
  constraints: SpreadConstraint[],
  snapshot: Snapshot,
): PreFilterState {
  const matchNums = constraints.map(() => new Map<string, number>());
  const counters = constraints.map((c) => matchingPodCounter(c.selector, pod.namespace));
  const inputs = inclusionInputsOf(pod.pod);
  for (const node of snapshot.nodes) {
    if (!nodeHasAllKeys(node.labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i] as SpreadConstraint;
      if (!nodeIncluded(inputs, node, c)) continue;
      const value = node.labels[c.topologyKey] ?? '';
      const count = (counters[i] as (node: NodeInfo) => number)(node);
      const counts = matchNums[i] as Map<string, number>;
      counts.set(value, (counts.get(value) ?? 0) + count);
    }
  }
  const minMatchNums = matchNums.map((m) => {
    let min = Infinity;
    for (const count of m.values()) min = Math.min(min, count);
    return min;
  });
  return { constraints, matchNums, minMatchNums };
}

function preFilter(
  context: { args: SpreadArgs; handle: PluginContext['handle'] },
  state: CycleState,
  pod: PodInfo,
  snapshot: Snapshot,
): { result?: PreFilterResult; status: Status } {
  const constraints = constraintsFor(pod, 'DoNotSchedule', {
    args: context.args,
    selectorsFor: (p) => context.handle.selectorsFor(p),
  });
  if (constraints.length === 0) return { status: skip };
  state.write(preFilterStateKey, buildPreFilterState(pod, constraints, snapshot));
  return { status: success };
}

function filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
  const s = state.read<PreFilterState>(preFilterStateKey);
  if (s === undefined) return success;
  for (const [i, c] of s.constraints.entries()) {
    const value = node.labels[c.topologyKey];
    if (value === undefined) return status('UnschedulableAndUnresolvable', reasonNodeLabelNotMatch);
    const counts = s.matchNums[i] ?? new Map<string, number>();
    const selfMatch = matchesLabels(c.selector, pod.labels) ? 1 : 0;
    const minMatch = counts.size < c.minDomains ? 0 : (s.minMatchNums[i] ?? 0);
    const skew = (counts.get(value) ?? 0) + selfMatch - minMatch;
    if (skew > c.maxSkew) return status('Unschedulable', reasonConstraintsNotMatch);
  }
  return success;
}

function buildPreScoreState(
  constraints: SpreadConstraint[],
  nodes: readonly NodeInfo[],
  requireAllTopologies: boolean,
): PreScoreState {
  const ignoredNodes = new Set<string>();
  const podCounts = constraints.map(() => new Map<string, number>());
  for (const node of nodes) {
    if (requireAllTopologies && !nodeHasAllKeys(node.labels, constraints)) {
      ignoredNodes.add(node.name);
      continue;
    }
    constraints.forEach((c, i) => {
      // As upstream, a node without the key (possible with system defaults) joins domain "".
      if (c.topologyKey === hostnameLabel) return;
      const value = node.labels[c.topologyKey] ?? '';
      if (!podCounts[i]?.has(value)) podCounts[i]?.set(value, 0);
    });
  }
  const normalizingWeights = constraints.map((c, i) => {
    const size =
      c.topologyKey === hostnameLabel
        ? nodes.length - ignoredNodes.size
        : (podCounts[i]?.size ?? 0);
    return Math.log(size + 2);
  });
  return { constraints, ignoredNodes, podCounts, normalizingWeights };
}

function countDomains(
  pod: PodInfo,
  s: PreScoreState,
  snapshot: Snapshot,
  requireAll: boolean,
): void {
  const inputs = inclusionInputsOf(pod.pod);
  const counters = s.constraints.map((c) => matchingPodCounter(c.selector, pod.namespace));
  const constraints = s.constraints;
  for (const node of snapshot.nodes) {
    if (requireAll && !nodeHasAllKeys(node.labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i] as SpreadConstraint;
      const counts = s.podCounts[i] as Map<string, number>;
      const value = node.labels[c.topologyKey] ?? '';
      // Checked before the inclusion policies: a domain PreScore left out counts nothing.
      if (!counts.has(value) || !nodeIncluded(inputs, node, c)) continue;
      const count = (counters[i] as (node: NodeInfo) => number)(node);
      counts.set(value, (counts.get(value) ?? 0) + count);
    }
  }
}

function preScore(
  context: { args: SpreadArgs; handle: PluginContext['handle'] },
  state: CycleState,
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  snapshot: Snapshot,
): Status {
  if (nodes.length === 0 || snapshot.nodes.length === 0) return skip;
  const constraints = constraintsFor(pod, 'ScheduleAnyway', {
    args: context.args,
    selectorsFor: (p) => context.handle.selectorsFor(p),
  });
  if (constraints.length === 0) return skip;
  const spec = (pod.pod['spec'] ?? {}) as Record<string, unknown>;
  const own = (spec['topologySpreadConstraints'] ?? []) as readonly unknown[];
  const requireAll = own.length > 0 || !context.args.systemDefaulted;
  const s = buildPreScoreState(constraints, nodes, requireAll);
  countDomains(pod, s, snapshot, requireAll);
  state.write(preScoreStateKey, s);
  return success;
}

function score(state: CycleState, pod: PodInfo, node: NodeInfo): { score: number; status: Status } {
  const s = state.read<PreScoreState>(preScoreStateKey);
  if (s === undefined || s.ignoredNodes.has(node.name)) return { score: 0, status: success };
  let raw = 0;
  for (const [i, c] of s.constraints.entries()) {
    const value = node.labels[c.topologyKey];
    if (value === undefined) continue;
    const count =
      c.topologyKey === hostnameLabel
        ? matchingPodCounter(c.selector, pod.namespace)(node)
        : (s.podCounts[i]?.get(value) ?? 0);
    raw += count * (s.normalizingWeights[i] ?? 0) + (c.maxSkew - 1);
  }
  return { score: goRound(raw), status: success };
}

function normalizeScore(state: CycleState, _pod: PodInfo, list: NodeScoreList): Status {
  const s = state.read<PreScoreState>(preScoreStateKey);
  if (s === undefined) return success;
  const { names, scores } = list;
  const ignored = (k: number) => s.ignoredNodes.size > 0 && s.ignoredNodes.has(names[k] as string);
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (let k = 0; k < scores.length; k++) {
    if (ignored(k)) continue;
    min = Math.min(min, scores[k] as number);
    max = Math.max(max, scores[k] as number);
  }
  for (let k = 0; k < scores.length; k++) {
    if (ignored(k)) scores[k] = 0;
    else if (max === 0) scores[k] = maxNodeScore;
    else scores[k] = Math.trunc((maxNodeScore * (max + min - (scores[k] as number))) / max);
  }
  return success;
}

/** Args: `defaultingType` (`System` default, or `List`) and `defaultConstraints` (List only). */
export const factory: PluginFactory = (context): Plugin => {
  const c = { args: spreadArgsOf(context.args), handle: context.handle };
  return {
    name: NAME,
    preFilter: (state, pod, snapshot) => preFilter(c, state, pod, snapshot),
    filter,
    preScore: (state, pod, nodes, snapshot) => preScore(c, state, pod, nodes, snapshot),
    score,
    normalizeScore,
  };
};
