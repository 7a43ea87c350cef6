// InterPodAffinity's view of a pod's (anti-)affinity terms (upstream framework.AffinityTerm) and
// how a term matches another pod: namespaces, namespaceSelector, then the label selector.
//
// A namespaceSelector needs namespace labels. When the handle offers `namespaceLabels(name)` it is
// used; otherwise an empty selector (`{}`) still matches every namespace, and any other selector
// matches only the term owner's namespace (miniku's stand-in for a namespace lister).
import {
  isEverythingLabelSelector,
  matchesLabels,
  nothingLabelSelector,
  selectorFromLabelSelector,
} from '../../api/values/labels.js';
import type { LabelSelector, LabelSelectorObject } from '../../api/values/labels.js';
import type { PodInfo } from '../framework/types.js';

interface PodAffinityTermObject {
  labelSelector?: LabelSelectorObject | null;
  namespaces?: readonly string[] | null;
  namespaceSelector?: LabelSelectorObject | null;
  topologyKey: string;
}

interface WeightedTermObject {
  weight: number;
  podAffinityTerm: PodAffinityTermObject;
}

interface RulesObject {
  requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTermObject[] | null;
  preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedTermObject[] | null;
}

export interface AffinityTerm {
  selector: LabelSelector;
  namespaces: ReadonlySet<string>;
  /** undefined when the term has no namespaceSelector. */
  namespaceSelector: LabelSelector | undefined;
  ownerNamespace: string;
  topologyKey: string;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface PodAffinityTerms {
  requiredAffinity: AffinityTerm[];
  requiredAntiAffinity: AffinityTerm[];
  preferredAffinity: WeightedAffinityTerm[];
  preferredAntiAffinity: WeightedAffinityTerm[];
}

/** Optional FrameworkHandle extension: a namespace's labels (undefined: unknown namespace). */
export interface NamespaceLabelLister {
  namespaceLabels(name: string): Readonly<Record<string, string>> | undefined;
}

export type NamespaceLabelsOf = ((name: string) => Readonly<Record<string, string>>) | undefined;

function parseSelector(object: LabelSelectorObject | null | undefined): LabelSelector {
  const result = selectorFromLabelSelector(object);
  return result.ok ? result.selector : nothingLabelSelector;
}

function toTerm(t: PodAffinityTermObject, ownerNamespace: string): AffinityTerm {
  const namespaces = new Set(t.namespaces ?? []);
  const hasNamespaceSelector = t.namespaceSelector !== undefined && t.namespaceSelector !== null;
  if (namespaces.size === 0 && !hasNamespaceSelector) namespaces.add(ownerNamespace);
  return {
    selector: parseSelector(t.labelSelector),
    namespaces,
    namespaceSelector: hasNamespaceSelector ? parseSelector(t.namespaceSelector) : undefined,
    ownerNamespace,
    topologyKey: t.topologyKey,
  };
}

function rulesOf(pod: PodInfo, kind: 'podAffinity' | 'podAntiAffinity'): RulesObject {
  const spec = (pod.pod['spec'] ?? {}) as Record<string, unknown>;
  const affinity = (spec['affinity'] ?? {}) as Record<string, RulesObject | undefined>;
  return affinity[kind] ?? {};
}

function required(pod: PodInfo, kind: 'podAffinity' | 'podAntiAffinity'): AffinityTerm[] {
  const terms = rulesOf(pod, kind).requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms.map((t) => toTerm(t, pod.namespace));
}

function preferred(pod: PodInfo, kind: 'podAffinity' | 'podAntiAffinity'): WeightedAffinityTerm[] {
  const terms = rulesOf(pod, kind).preferredDuringSchedulingIgnoredDuringExecution ?? [];
  return terms.map((t) => ({ ...toTerm(t.podAffinityTerm, pod.namespace), weight: t.weight }));
}

/** The pod's four term lists, parsed once. */
export function affinityTermsOf(pod: PodInfo): PodAffinityTerms {
  return {
    requiredAffinity: required(pod, 'podAffinity'),
    requiredAntiAffinity: required(pod, 'podAntiAffinity'),
    preferredAffinity: preferred(pod, 'podAffinity'),
    preferredAntiAffinity: preferred(pod, 'podAntiAffinity'),
  };
}

/** Bounds the interning table of a termCache (pods with distinct affinity specs). */
export const internedTermsCountMax = 10_000;

/**
 * A parse cache for one plugin instance, keyed by the (immutable) pod object. Pods with the
 * same affinity spec in the same namespace share one parsed (read-only) PodAffinityTerms, so a
 * cycle can remember a term's verdict once for all of them.
 */
export function termCache(): (pod: PodInfo) => PodAffinityTerms {
  const cache = new WeakMap<object, PodAffinityTerms>();
  const interned = new Map<string, PodAffinityTerms>();
  return (pod) => {
    const hit = cache.get(pod.pod);
    if (hit !== undefined) return hit;
    const spec = (pod.pod['spec'] ?? {}) as Record<string, unknown>;
    const key = `${pod.namespace}\u0000${JSON.stringify(spec['affinity'] ?? null)}`;
    let terms = interned.get(key);
    if (terms === undefined) {
      terms = affinityTermsOf(pod);
      if (interned.size >= internedTermsCountMax) interned.clear();
      interned.set(key, terms);
    }
    cache.set(pod.pod, terms);
    return terms;
  };
}

/** termMatches against one pod, remembered per term object (for one cycle's incoming pod). */
export function termMatcher(
  pod: PodInfo,
  labelsOf: NamespaceLabelsOf,
): (term: AffinityTerm) => boolean {
  const verdicts = new Map<AffinityTerm, boolean>();
  return (term) => {
    let verdict = verdicts.get(term);
    if (verdict === undefined) {
      verdict = termMatches(term, pod, labelsOf);
      verdicts.set(term, verdict);
    }
    return verdict;
  };
}

function namespaceSelected(term: AffinityTerm, namespace: string, labelsOf: NamespaceLabelsOf) {
  const selector = term.namespaceSelector;
  if (selector === undefined || selector.kind === 'nothing') return false;
  if (isEverythingLabelSelector(selector)) return true;
  if (labelsOf === undefined) return namespace === term.ownerNamespace;
  return matchesLabels(selector, labelsOf(namespace));
}

/** AffinityTerm.Matches: the pod is in one of the term's namespaces and its labels match. */
export function termMatches(
  term: AffinityTerm,
  pod: PodInfo,
  labelsOf: NamespaceLabelsOf,
): boolean {
  if (!term.namespaces.has(pod.namespace) && !namespaceSelected(term, pod.namespace, labelsOf)) {
    return false;
  }
  return matchesLabels(term.selector, pod.labels);
}

/** podMatchesAllAffinityTerms: false for an empty list. */
export function matchesAllTerms(
  terms: readonly AffinityTerm[],
  pod: PodInfo,
  labelsOf: NamespaceLabelsOf,
): boolean {
  return terms.length > 0 && terms.every((t) => termMatches(t, pod, labelsOf));
}

/** Reads the optional namespace lister off the handle. */
export function namespaceLabelsOf(handle: object): NamespaceLabelsOf {
  if (!('namespaceLabels' in handle) || typeof handle.namespaceLabels !== 'function') {
    return undefined;
  }
  const lister = handle as NamespaceLabelLister;
  return (name) => lister.namespaceLabels(name) ?? {};
}
