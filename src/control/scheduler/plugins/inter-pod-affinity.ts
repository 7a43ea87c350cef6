// InterPodAffinity (kube-scheduler v1.32 `plugins/interpodaffinity`): required pod (anti-)affinity
// in PreFilter/Filter, preferred terms (and existing pods' terms) in PreScore/Score.
import type {
  CycleState,
  NodeInfo,
  Plugin,
  PluginFactory,
  PodInfo,
  PreFilterResult,
  Snapshot,
  Status,
} from '../framework/types.js';
import { nodesWithRequiredAntiAffinityPods, skip, status, success } from '../framework/types.js';
import {
  matchesAllTerms,
  namespaceLabelsOf,
  termCache,
  termMatcher,
  termMatches,
} from './inter-pod-affinity-terms.js';
import type {
  AffinityTerm,
  NamespaceLabelsOf,
  PodAffinityTerms,
} from './inter-pod-affinity-terms.js';
import { interPodAffinityScoring, scoringArgsOf } from './inter-pod-affinity-scoring.js';

export const NAME = 'InterPodAffinity';

export const reasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
export const reasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
export const reasonExistingAntiAffinityRulesNotMatch =
  "node(s) didn't satisfy existing pods anti-affinity rules";

const preFilterStateKey = `PreFilter${NAME}`;

/** Counts keyed by `topologyKey + '\0' + value` (upstream topologyToMatchedTermCount). */
type PairCounts = Map<string, number>;

interface PreFilterState {
  terms: PodAffinityTerms;
  existingAntiAffinityCounts: PairCounts;
  affinityCounts: PairCounts;
  antiAffinityCounts: PairCounts;
  selfMatchesAll: boolean;
}

export function pairKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function bump(counts: PairCounts, node: NodeInfo, topologyKey: string, by = 1): void {
  const value = node.labels[topologyKey];
  if (value === undefined) return;
  const key = pairKey(topologyKey, value);
  counts.set(key, (counts.get(key) ?? 0) + by);
}

interface Ctx {
  termsOf: (pod: PodInfo) => PodAffinityTerms;
  labelsOf: NamespaceLabelsOf;
}

/** Pairs where an existing pod's required anti-affinity term matches the incoming pod. */
function existingAntiAffinityCounts(ctx: Ctx, pod: PodInfo, snapshot: Snapshot): PairCounts {
  const counts: PairCounts = new Map();
  const matches = termMatcher(pod, ctx.labelsOf);
  for (const node of nodesWithRequiredAntiAffinityPods(snapshot)) {
    for (const existing of node.podsWithRequiredAntiAffinity) {
      for (const term of ctx.termsOf(existing).requiredAntiAffinity) {
        if (matches(term)) bump(counts, node, term.topologyKey);
      }
    }
  }
  return counts;
}

function incomingCounts(ctx: Ctx, terms: PodAffinityTerms, snapshot: Snapshot) {
  const affinity: PairCounts = new Map();
  const antiAffinity: PairCounts = new Map();
  if (terms.requiredAffinity.length + terms.requiredAntiAffinity.length === 0) {
    return { affinity, antiAffinity };
  }
  // Matches are summed per node first, then added once per node and term (same totals, same
  // first-insertion order as bumping pod by pod).
  const antiMatches = terms.requiredAntiAffinity.map(() => 0);
  for (const node of snapshot.nodes) {
    let affinityMatches = 0;
    antiMatches.fill(0);
    for (const existing of node.pods) {
      if (matchesAllTerms(terms.requiredAffinity, existing, ctx.labelsOf)) affinityMatches++;
      for (let i = 0; i < antiMatches.length; i++) {
        const t = terms.requiredAntiAffinity[i] as AffinityTerm;
        if (termMatches(t, existing, ctx.labelsOf)) antiMatches[i] = (antiMatches[i] as number) + 1;
      }
    }
    if (affinityMatches > 0) {
      for (const t of terms.requiredAffinity) bump(affinity, node, t.topologyKey, affinityMatches);
    }
    for (let i = 0; i < antiMatches.length; i++) {
      const n = antiMatches[i] as number;
      const t = terms.requiredAntiAffinity[i] as AffinityTerm;
      if (n > 0) bump(antiAffinity, node, t.topologyKey, n);
    }
  }
  return { affinity, antiAffinity };
}

function preFilter(
  ctx: Ctx,
  state: CycleState,
  pod: PodInfo,
  snapshot: Snapshot,
): { result?: PreFilterResult; status: Status } {
  const terms = ctx.termsOf(pod);
  const existing = existingAntiAffinityCounts(ctx, pod, snapshot);
  if (
    existing.size === 0 &&
    terms.requiredAffinity.length === 0 &&
    terms.requiredAntiAffinity.length === 0
  ) {
    return { status: skip };
  }
  const { affinity, antiAffinity } = incomingCounts(ctx, terms, snapshot);
  state.write(preFilterStateKey, {
    terms,
    existingAntiAffinityCounts: existing,
    affinityCounts: affinity,
    antiAffinityCounts: antiAffinity,
    selfMatchesAll: matchesAllTerms(terms.requiredAffinity, pod, ctx.labelsOf),
  } satisfies PreFilterState);
  return { status: success };
}

function satisfiesPodAffinity(s: PreFilterState, node: NodeInfo): boolean {
  let podsExist = true;
  for (const term of s.terms.requiredAffinity) {
    const value = node.labels[term.topologyKey];
    if (value === undefined) return false;
    if ((s.affinityCounts.get(pairKey(term.topologyKey, value)) ?? 0) <= 0) podsExist = false;
  }
  // The first pod of a group whose affinity selects itself may go anywhere the keys exist.
  return podsExist || (s.affinityCounts.size === 0 && s.selfMatchesAll);
}

function violatesTerms(terms: readonly AffinityTerm[], counts: PairCounts, node: NodeInfo) {
  if (counts.size === 0) return false;
  return terms.some((term) => {
    const value = node.labels[term.topologyKey];
    return value !== undefined && (counts.get(pairKey(term.topologyKey, value)) ?? 0) > 0;
  });
}

function violatesExistingAntiAffinity(s: PreFilterState, node: NodeInfo): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return false;
  return Object.entries(node.labels).some(
    ([key, value]) => (s.existingAntiAffinityCounts.get(pairKey(key, value)) ?? 0) > 0,
  );
}

function filter(state: CycleState, _pod: PodInfo, node: NodeInfo): Status {
  const s = state.read<PreFilterState>(preFilterStateKey);
  if (s === undefined) return success;
  if (!satisfiesPodAffinity(s, node)) {
    return status('UnschedulableAndUnresolvable', reasonAffinityRulesNotMatch);
  }
  if (violatesTerms(s.terms.requiredAntiAffinity, s.antiAffinityCounts, node)) {
    return status('Unschedulable', reasonAntiAffinityRulesNotMatch);
  }
  if (violatesExistingAntiAffinity(s, node)) {
    return status('Unschedulable', reasonExistingAntiAffinityRulesNotMatch);
  }
  return success;
}

/**
 * Args: `hardPodAffinityWeight` (0–100, default 1) and `ignorePreferredTermsOfExistingPods`
 * (default false). Namespace labels come from an optional `handle.namespaceLabels(name)`.
 */
export const factory: PluginFactory = (context): Plugin => {
  const ctx: Ctx = { termsOf: termCache(), labelsOf: namespaceLabelsOf(context.handle) };
  const scoring = interPodAffinityScoring({ ...ctx, args: scoringArgsOf(context.args) });
  return {
    name: NAME,
    preFilter: (state, pod, snapshot) => preFilter(ctx, state, pod, snapshot),
    filter,
    preScore: scoring.preScore,
    score: scoring.score,
    normalizeScore: scoring.normalizeScore,
  };
};
