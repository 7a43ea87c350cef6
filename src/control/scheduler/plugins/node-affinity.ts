// NodeAffinity: filter on nodeSelector and required node affinity (plus scheduler-enforced
// `addedAffinity`), score by the weights of matching preferred terms.
import { arrayAt, numberAt, objectAt, objectsAt } from '../framework/json-fields.js';
import {
  anyTermMatches,
  compileNodeSelectorTerm,
  compileNodeSelectorTerms,
  requiredNodeAffinityMatches,
  requiredNodeAffinityOf,
  termMatches,
} from '../framework/node-selector.js';
import type { NodeSelectorTerm, RequiredNodeAffinity } from '../framework/node-selector.js';
import type { JsonObject } from '../../store/types.js';
import { maxNodeScore, skip, status, success } from '../framework/types.js';
import type {
  CycleState,
  NodeInfo,
  NodeScoreList,
  PodInfo,
  Plugin,
  PluginContext,
  PluginFactory,
  PreFilterResult,
  Status,
} from '../framework/types.js';
import { defaultNormalizeScore } from './helper/normalize-score.js';

export const NAME = 'NodeAffinity';
export const defaultWeight = 2;
export const reasonPod = "node(s) didn't match Pod's node affinity/selector";
export const reasonEnforced = "node(s) didn't match scheduler-enforced node affinity";
export const reasonConflict = 'pod affinity terms conflict';
const preFilterKey = `PreFilter${NAME}`;
const preScoreKey = `PreScore${NAME}`;

export interface PreferredTerm {
  weight: number;
  term: NodeSelectorTerm;
}

/** NewPreferredSchedulingTerms: weight-0 and empty terms are dropped. */
export function compilePreferredTerms(terms: readonly JsonObject[]): PreferredTerm[] {
  const out: PreferredTerm[] = [];
  for (const t of terms) {
    const weight = numberAt(t, 'weight') ?? 0;
    const term = compileNodeSelectorTerm(objectAt(t, 'preference') ?? {});
    if (weight !== 0 && term !== undefined) out.push({ weight, term });
  }
  return out;
}

export function preferredScore(terms: readonly PreferredTerm[], node: NodeInfo): number {
  let sum = 0;
  for (const t of terms) if (termMatches(t.term, node.labels, node.name)) sum += t.weight;
  return sum;
}

function intersect(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const n of a) if (b.has(n)) out.add(n);
  return out;
}

/** The node names required by matchFields metadata.name In, when every term names some. */
export function requiredNodeNames(required: JsonObject | undefined): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const term of objectsAt(required, 'nodeSelectorTerms')) {
    let termNames: Set<string> | undefined;
    for (const r of objectsAt(term, 'matchFields')) {
      if (r['key'] !== 'metadata.name' || r['operator'] !== 'In') continue;
      const values = new Set<string>();
      for (const v of arrayAt(r, 'values')) if (typeof v === 'string') values.add(v);
      termNames = termNames === undefined ? values : intersect(termNames, values);
    }
    if (termNames === undefined) return undefined;
    names = new Set([...(names ?? []), ...termNames]);
  }
  return names;
}

function nodeAffinityOf(pod: PodInfo): JsonObject | undefined {
  return objectAt(objectAt(objectAt(pod.pod, 'spec'), 'affinity'), 'nodeAffinity');
}

class NodeAffinity implements Plugin {
  readonly name = NAME;
  readonly #addedRequired: NodeSelectorTerm[] | undefined;
  readonly #addedPreferred: PreferredTerm[] | undefined;

  constructor(args: JsonObject | undefined) {
    const added = objectAt(args, 'addedAffinity');
    const required = objectAt(added, 'requiredDuringSchedulingIgnoredDuringExecution');
    this.#addedRequired = required
      ? compileNodeSelectorTerms(objectsAt(required, 'nodeSelectorTerms'))
      : undefined;
    this.#addedPreferred = added
      ? compilePreferredTerms(objectsAt(added, 'preferredDuringSchedulingIgnoredDuringExecution'))
      : undefined;
  }

  preFilter(state: CycleState, pod: PodInfo): { result?: PreFilterResult; status: Status } {
    const required = objectAt(
      nodeAffinityOf(pod),
      'requiredDuringSchedulingIgnoredDuringExecution',
    );
    const hasSelector = objectAt(objectAt(pod.pod, 'spec'), 'nodeSelector') !== undefined;
    if (!required && !hasSelector && this.#addedRequired === undefined) return { status: skip };
    state.write(preFilterKey, requiredNodeAffinityOf(pod.pod));
    if (!required) return { status: success };
    const nodeNames = requiredNodeNames(required);
    if (nodeNames === undefined) return { status: success };
    if (nodeNames.size === 0) {
      return { status: status('UnschedulableAndUnresolvable', reasonConflict) };
    }
    return { result: { nodeNames }, status: success };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    if (this.#addedRequired && !anyTermMatches(this.#addedRequired, node.labels, node.name)) {
      return status('UnschedulableAndUnresolvable', reasonEnforced);
    }
    const affinity =
      state.read<RequiredNodeAffinity>(preFilterKey) ?? requiredNodeAffinityOf(pod.pod);
    if (requiredNodeAffinityMatches(affinity, node.labels, node.name)) return success;
    return status('UnschedulableAndUnresolvable', reasonPod);
  }

  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return success;
    const preferred = this.#podPreferred(pod);
    if (preferred === undefined && this.#addedPreferred === undefined) return skip;
    state.write(preScoreKey, preferred ?? []);
    return success;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): { score: number; status: Status } {
    let count = this.#addedPreferred ? preferredScore(this.#addedPreferred, node) : 0;
    const preferred = state.read<PreferredTerm[]>(preScoreKey) ?? this.#podPreferred(pod) ?? [];
    count += preferredScore(preferred, node);
    return { score: count, status: success };
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScoreList): Status {
    defaultNormalizeScore(maxNodeScore, false, scores);
    return success;
  }

  #podPreferred(pod: PodInfo): PreferredTerm[] | undefined {
    const affinity = nodeAffinityOf(pod);
    const key = 'preferredDuringSchedulingIgnoredDuringExecution';
    if (!Array.isArray(affinity?.[key])) return undefined;
    return compilePreferredTerms(objectsAt(affinity, key));
  }
}

export const factory: PluginFactory = (context: PluginContext): Plugin =>
  new NodeAffinity(context.args);
