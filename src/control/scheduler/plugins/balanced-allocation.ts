// NodeResourcesBalancedAllocation score (v1.32): prefer nodes whose resource fractions stay
// close to each other once the pod is placed; best-effort pods are scored too.
import type { JsonObject } from '../../store/types.js';
import { objectsAt } from '../framework/json-fields.js';
import { maxNodeScore, success } from '../framework/types.js';
import type {
  CycleState,
  NodeInfo,
  PodInfo,
  Plugin,
  PluginContext,
  PluginFactory,
  Status,
} from '../framework/types.js';
import {
  allocatableFor,
  parseResourceSpecs,
  podRequestFor,
  requestedFor,
} from './node-resources-scoring.js';
import type { ResourceSpec } from './node-resources-scoring.js';

export const NAME = 'NodeResourcesBalancedAllocation';
export const defaultWeight = 1;
const preScoreKey = `PreScore${NAME}`;

/** balancedResourceScorer: (1 − std of the capped fractions) × 100, truncated. */
export function balancedScore(fractions: readonly number[]): number {
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs(((fractions[0] as number) - (fractions[1] as number)) / 2);
  } else if (fractions.length > 2) {
    let total = 0;
    for (const f of fractions) total += f;
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * maxNodeScore);
}

export function balancedAllocationScore(
  resources: readonly ResourceSpec[],
  podRequests: readonly number[],
  node: NodeInfo,
): number {
  const fractions: number[] = [];
  for (let i = 0; i < resources.length; i++) {
    const name = (resources[i] as ResourceSpec).name;
    const podRequest = podRequests[i] ?? 0;
    const capacity = allocatableFor(node, name, podRequest);
    if (capacity === 0) continue;
    const fraction = requestedFor(node, name, podRequest, true) / capacity;
    fractions.push(fraction > 1 ? 1 : fraction);
  }
  return balancedScore(fractions);
}

class BalancedAllocation implements Plugin {
  readonly name = NAME;
  readonly resources: readonly ResourceSpec[];

  constructor(args: JsonObject | undefined) {
    const list = Array.isArray(args?.['resources']) ? objectsAt(args, 'resources') : undefined;
    this.resources = parseResourceSpecs(list);
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    state.write(preScoreKey, this.#podRequests(pod));
    return success;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): { score: number; status: Status } {
    const podRequests = state.read<number[]>(preScoreKey) ?? this.#podRequests(pod);
    return { score: balancedAllocationScore(this.resources, podRequests, node), status: success };
  }

  #podRequests(pod: PodInfo): number[] {
    return this.resources.map((r) => podRequestFor(pod, r.name, true));
  }
}

export const factory: PluginFactory = (context: PluginContext): Plugin =>
  new BalancedAllocation(context.args);
