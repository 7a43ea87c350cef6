// TaintToleration: filter on untolerated NoSchedule/NoExecute taints, prefer nodes with fewer
// untolerated PreferNoSchedule taints.
import { taintsOf, taintToleratedBy, tolerationsOf } from '../framework/taints.js';
import type { Taint, Toleration } from '../framework/taints.js';
import { filterByFlag, scoreByFlag } from '../framework/node-batch.js';
import { nodeFlag } from '../framework/node-table.js';
import { maxNodeScore, status, success } from '../framework/types.js';
import type {
  CycleState,
  NodeBatch,
  NodeInfo,
  NodeScoreList,
  PodInfo,
  Plugin,
  PluginFactory,
  Status,
} from '../framework/types.js';
import { defaultNormalizeScore } from './helper/normalize-score.js';

export const NAME = 'TaintToleration';
export const defaultWeight = 3;
const preScoreKey = `PreScore${NAME}`;

export function reasonUntoleratedTaint(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value}}`;
}

/** The first NoSchedule/NoExecute taint (in spec order) no toleration matches. */
export function firstUntoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!taintToleratedBy(taint, tolerations)) return taint;
  }
  return undefined;
}

/** Untolerated PreferNoSchedule taints, given the pod's PreferNoSchedule-or-any tolerations. */
export function countIntolerablePreferNoSchedule(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
): number {
  let count = 0;
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule' && !taintToleratedBy(taint, tolerations)) count++;
  }
  return count;
}

class TaintToleration implements Plugin {
  readonly name = NAME;
  // Parsed once per immutable node/pod object.
  readonly #taints = new WeakMap<object, Taint[]>();
  readonly #tolerations = new WeakMap<object, Toleration[]>();

  filter(_state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const taint = firstUntoleratedTaint(this.#taintsOf(node), this.#tolerationsOf(pod));
    if (taint === undefined) return success;
    return status('UnschedulableAndUnresolvable', reasonUntoleratedTaint(taint));
  }

  filterBatch(
    state: CycleState,
    pod: PodInfo,
    batch: NodeBatch,
    reject: (position: number, status: Status) => void,
  ): number {
    const filter = (node: NodeInfo) => this.filter(state, pod, node);
    return filterByFlag(batch, nodeFlag.hardTaints, filter, reject);
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    const preferred = this.#tolerationsOf(pod).filter(
      (t) => t.effect === '' || t.effect === 'PreferNoSchedule',
    );
    state.write(preScoreKey, preferred);
    return success;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): { score: number; status: Status } {
    const tolerations = state.read<Toleration[]>(preScoreKey) ?? this.#tolerationsOf(pod);
    return {
      score: countIntolerablePreferNoSchedule(this.#taintsOf(node), tolerations),
      status: success,
    };
  }

  scoreBatch(state: CycleState, pod: PodInfo, batch: NodeBatch, out: Float64Array): Status {
    const tolerations = state.read<Toleration[]>(preScoreKey) ?? this.#tolerationsOf(pod);
    const score = (node: NodeInfo) =>
      countIntolerablePreferNoSchedule(this.#taintsOf(node), tolerations);
    scoreByFlag(batch, nodeFlag.softTaints, 0, score, out);
    return success;
  }

  normalizeScore(_state: CycleState, _pod: PodInfo, scores: NodeScoreList): Status {
    defaultNormalizeScore(maxNodeScore, true, scores);
    return success;
  }

  #taintsOf(node: NodeInfo): Taint[] {
    let taints = this.#taints.get(node.node);
    if (taints === undefined) this.#taints.set(node.node, (taints = taintsOf(node.node)));
    return taints;
  }

  #tolerationsOf(pod: PodInfo): Toleration[] {
    let tolerations = this.#tolerations.get(pod.pod);
    if (tolerations === undefined) {
      this.#tolerations.set(pod.pod, (tolerations = tolerationsOf(pod.pod)));
    }
    return tolerations;
  }
}

export const factory: PluginFactory = (): Plugin => new TaintToleration();
