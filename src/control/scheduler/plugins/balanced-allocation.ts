// NodeResourcesBalancedAllocation score (v1.32): prefer nodes whose resource fractions stay
// close to each other once the pod is placed; best-effort pods are scored too.
import type { JsonObject } from '../../store/types.js';
import { objectsAt } from '../framework/json-fields.js';
import { scoreEach } from '../framework/node-batch.js';
import { maxNodeScore, success } from '../framework/types.js';
import type {
  CycleState,
  NodeBatch,
  NodeInfo,
  PodInfo,
  Plugin,
  PluginContext,
  PluginFactory,
  Status,
} from '../framework/types.js';
import {
  allocatableFor,
  batchColumns,
  parseResourceSpecs,
  podRequestFor,
  requestedFor,
} from './node-resources-scoring.js';
import type { ResourceBatchColumn, ResourceSpec } from './node-resources-scoring.js';

export const NAME = 'NodeResourcesBalancedAllocation';
export const defaultWeight = 1;
const preScoreKey = `PreScore${NAME}`;

/** balancedResourceScorer: (1 − std of the capped fractions) × 100, truncated. */
export function balancedScore(fractions: ArrayLike<number>, length = fractions.length): number {
  let std = 0;
  if (length === 2) {
    std = Math.abs(((fractions[0] as number) - (fractions[1] as number)) / 2);
  } else if (length > 2) {
    let total = 0;
    for (let i = 0; i < length; i++) total += fractions[i] as number;
    const mean = total / length;
    let sum = 0;
    for (let i = 0; i < length; i++) {
      const f = fractions[i] as number;
      sum += (f - mean) * (f - mean);
    }
    std = Math.sqrt(sum / length);
  }
  return Math.trunc((1 - std) * maxNodeScore);
}

export function balancedAllocationScore(
  resources: readonly ResourceSpec[],
  podRequests: readonly number[],
  node: NodeInfo,
): number {
  const capacities = new Float64Array(resources.length);
  const requesteds = new Float64Array(resources.length);
  for (let i = 0; i < resources.length; i++) {
    const name = (resources[i] as ResourceSpec).name;
    const podRequest = podRequests[i] ?? 0;
    capacities[i] = allocatableFor(node, name, podRequest);
    requesteds[i] = requestedFor(node, name, podRequest, true);
  }
  return balancedScoreOf(capacities, requesteds, new Float64Array(resources.length));
}

/** The score from each resource's capacity and requested amount; `fractions` is scratch. */
function balancedScoreOf(
  capacities: Float64Array,
  requesteds: Float64Array,
  fractions: Float64Array,
): number {
  let length = 0;
  for (let i = 0; i < capacities.length; i++) {
    const capacity = capacities[i] as number;
    if (capacity === 0) continue;
    const fraction = (requesteds[i] as number) / capacity;
    fractions[length++] = fraction > 1 ? 1 : fraction;
  }
  return balancedScore(fractions, length);
}

/** balancedAllocationScore for every node of a batch, from the table's columns. */
function balancedScoreBatch(
  columns: readonly ResourceBatchColumn[],
  batch: NodeBatch,
  out: Float64Array,
): void {
  const n = columns.length;
  const fractions = new Float64Array(n);
  const { positions, count } = batch;
  for (let k = 0; k < count; k++) {
    const position = positions[k] as number;
    let length = 0;
    for (let i = 0; i < n; i++) {
      const c = columns[i] as ResourceBatchColumn;
      const capacity = c.allocatable[position] as number;
      if (capacity === 0) continue;
      const fraction = ((c.requested[position] as number) + c.podRequest) / capacity;
      fractions[length++] = fraction > 1 ? 1 : fraction;
    }
    out[k] = balancedScore(fractions, length);
  }
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

  scoreBatch(state: CycleState, pod: PodInfo, batch: NodeBatch, out: Float64Array): Status {
    const podRequests = state.read<number[]>(preScoreKey) ?? this.#podRequests(pod);
    const columns = batchColumns(batch.table, this.resources, podRequests, true);
    if (columns !== undefined) {
      balancedScoreBatch(columns, batch, out);
      return success;
    }
    scoreEach(batch, (node) => balancedAllocationScore(this.resources, podRequests, node), out);
    return success;
  }

  #podRequests(pod: PodInfo): number[] {
    return this.resources.map((r) => podRequestFor(pod, r.name, true));
  }
}

export const factory: PluginFactory = (context: PluginContext): Plugin =>
  new BalancedAllocation(context.args);
