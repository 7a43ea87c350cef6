// InterPodAffinity scoring (upstream `interpodaffinity/scoring.go`): PreScore sums term weights
// per topology pair once; Score reads the node's pairs; NormalizeScore maps min..max to 0..100.
import type { JsonObject } from '../../store/types.js';
import type {
  CycleState,
  NodeInfo,
  NodeScoreList,
  PodInfo,
  Snapshot,
  Status,
} from '../framework/types.js';
import { maxNodeScore, nodesWithAffinityPods, skip, success } from '../framework/types.js';
import { assert } from '../../util/assert.js';
import { termMatcher, termMatches } from './inter-pod-affinity-terms.js';
import type {
  AffinityTerm,
  NamespaceLabelsOf,
  PodAffinityTerms,
  WeightedAffinityTerm,
} from './inter-pod-affinity-terms.js';

const preScoreStateKey = 'PreScoreInterPodAffinity';

export interface ScoringArgs {
  hardPodAffinityWeight: number;
  ignorePreferredTermsOfExistingPods: boolean;
}

export function scoringArgsOf(args: JsonObject | undefined): ScoringArgs {
  const weight = (args?.['hardPodAffinityWeight'] as number | undefined) ?? 1;
  assert(Number.isInteger(weight) && weight >= 0 && weight <= 100, 'hardPodAffinityWeight');
  const ignore = (args?.['ignorePreferredTermsOfExistingPods'] as boolean | undefined) ?? false;
  return { hardPodAffinityWeight: weight, ignorePreferredTermsOfExistingPods: ignore };
}

/** topologyKey → topology value → summed weight. */
type TopologyScore = Map<string, Map<string, number>>;

interface ScoringContext {
  termsOf: (pod: PodInfo) => PodAffinityTerms;
  labelsOf: NamespaceLabelsOf;
  args: ScoringArgs;
}

function add(scores: TopologyScore, node: NodeInfo, term: AffinityTerm, delta: number): void {
  const value = node.labels[term.topologyKey];
  if (value === undefined) return;
  let values = scores.get(term.topologyKey);
  if (values === undefined) {
    values = new Map();
    scores.set(term.topologyKey, values);
  }
  values.set(value, (values.get(value) ?? 0) + delta);
}

function addWeighted(
  ctx: ScoringContext,
  scores: TopologyScore,
  terms: readonly WeightedAffinityTerm[],
  match: { pod: PodInfo; node: NodeInfo; sign: number },
): void {
  for (const term of terms) {
    if (termMatches(term, match.pod, ctx.labelsOf)) {
      add(scores, match.node, term, term.weight * match.sign);
    }
  }
}

function hasAnyLabel(labels: Readonly<Record<string, string>>): boolean {
  for (const key in labels) if (Object.hasOwn(labels, key)) return true;
  return false;
}

function processExistingPod(
  ctx: ScoringContext,
  scores: TopologyScore,
  incoming: { pod: PodInfo; terms: PodAffinityTerms; matches: (term: AffinityTerm) => boolean },
  pod: PodInfo,
  node: NodeInfo,
): void {
  if (!hasAnyLabel(node.labels)) return;
  const own = ctx.termsOf(pod);
  const { preferredAffinity, preferredAntiAffinity } = incoming.terms;
  // Empty term lists are skipped before building the match (most pods have none).
  if (preferredAffinity.length > 0) {
    addWeighted(ctx, scores, preferredAffinity, { pod, node, sign: 1 });
  }
  if (preferredAntiAffinity.length > 0) {
    addWeighted(ctx, scores, preferredAntiAffinity, { pod, node, sign: -1 });
  }
  const weight = ctx.args.hardPodAffinityWeight;
  if (weight > 0) {
    for (const term of own.requiredAffinity) {
      if (incoming.matches(term)) add(scores, node, term, weight);
    }
  }
  for (const term of own.preferredAffinity) {
    if (incoming.matches(term)) add(scores, node, term, term.weight);
  }
  for (const term of own.preferredAntiAffinity) {
    if (incoming.matches(term)) add(scores, node, term, -term.weight);
  }
}

function preScore(
  ctx: ScoringContext,
  state: CycleState,
  pod: PodInfo,
  nodes: readonly NodeInfo[],
  snapshot: Snapshot,
): Status {
  if (nodes.length === 0) return skip;
  const terms = ctx.termsOf(pod);
  const hasConstraints = terms.preferredAffinity.length + terms.preferredAntiAffinity.length > 0;
  if (ctx.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return skip;
  const scores: TopologyScore = new Map();
  const candidates = hasConstraints ? snapshot.nodes : nodesWithAffinityPods(snapshot);
  const incoming = { pod, terms, matches: termMatcher(pod, ctx.labelsOf) };
  for (const node of candidates) {
    const pods = hasConstraints ? node.pods : node.podsWithAffinity;
    for (const existing of pods) processExistingPod(ctx, scores, incoming, existing, node);
  }
  if (scores.size === 0) return skip;
  state.write(preScoreStateKey, scores);
  return success;
}

function score(
  state: CycleState,
  _pod: PodInfo,
  node: NodeInfo,
): { score: number; status: Status } {
  const scores = state.read<TopologyScore>(preScoreStateKey);
  let total = 0;
  for (const [key, values] of scores ?? []) {
    const value = node.labels[key];
    if (value !== undefined) total += values.get(value) ?? 0;
  }
  return { score: total, status: success };
}

function normalizeScore(state: CycleState, _pod: PodInfo, list: NodeScoreList): Status {
  const topology = state.read<TopologyScore>(preScoreStateKey);
  if (topology === undefined || topology.size === 0) return success;
  const scores = list.scores;
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < scores.length; k++) {
    min = Math.min(min, scores[k] as number);
    max = Math.max(max, scores[k] as number);
  }
  const diff = max - min;
  for (let k = 0; k < scores.length; k++) {
    const score = scores[k] as number;
    scores[k] = diff > 0 ? Math.trunc(maxNodeScore * ((score - min) / diff)) : 0;
  }
  return success;
}

/** The scoring extension points, bound to one plugin instance's context. */
export function interPodAffinityScoring(ctx: ScoringContext) {
  return {
    preScore: (state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], snapshot: Snapshot) =>
      preScore(ctx, state, pod, nodes, snapshot),
    score,
    normalizeScore,
  };
}
