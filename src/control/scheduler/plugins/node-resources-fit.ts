// NodeResourcesFit: filter nodes lacking room for the pod's requests (all reasons, in upstream
// order) and score the rest with the configured strategy (default LeastAllocated).
import type { JsonObject } from '../../store/types.js';
import { arrayAt } from '../framework/json-fields.js';
import { success, status } from '../framework/types.js';
import type {
  CycleState,
  NodeBatch,
  NodeInfo,
  PodInfo,
  Plugin,
  PluginContext,
  PluginFactory,
  PreFilterResult,
  Resource,
  Status,
} from '../framework/types.js';
import { scoreEach } from '../framework/node-batch.js';
import { nodeFlag } from '../framework/node-table.js';
import type { NodeTable } from '../framework/node-table.js';
import {
  parseScoringStrategy,
  podRequestFor,
  strategyScore,
  strategyScoreBatch,
} from './node-resources-scoring.js';
import type { ScoringStrategy } from './node-resources-scoring.js';

export const NAME = 'NodeResourcesFit';
export const defaultWeight = 1;
const preFilterKey = `PreFilter${NAME}`;
const preScoreKey = `PreScore${NAME}`;

/** The pod's requests with the checked scalar resources in a stable (name) order. */
export interface FitRequest {
  milliCpu: number;
  memory: number;
  ephemeralStorage: number;
  /** True when nothing at all is requested (only the pod count is checked). */
  empty: boolean;
  scalars: readonly (readonly [string, number])[];
}

/** Extended resources ignored by the args (`ignoredResources`, `ignoredResourceGroups`). */
export interface FitIgnores {
  resources: ReadonlySet<string>;
  groups: ReadonlySet<string>;
}

function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

function ignored(name: string, ignores: FitIgnores): boolean {
  if (!isExtendedResourceName(name)) return false;
  if (ignores.resources.has(name)) return true;
  return ignores.groups.has(name.slice(0, name.indexOf('/')));
}

export function fitRequestOf(requests: Resource, ignores: FitIgnores): FitRequest {
  const names = [...requests.scalar.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const scalars: [string, number][] = [];
  for (const name of names) {
    const amount = requests.scalar.get(name) ?? 0;
    if (amount !== 0 && !ignored(name, ignores)) scalars.push([name, amount]);
  }
  const empty =
    requests.milliCpu === 0 &&
    requests.memory === 0 &&
    requests.ephemeralStorage === 0 &&
    requests.scalar.size === 0;
  return {
    milliCpu: requests.milliCpu,
    memory: requests.memory,
    ephemeralStorage: requests.ephemeralStorage,
    empty,
    scalars,
  };
}

/** fitsRequest: every failing reason, in upstream order. */
export function insufficientReasons(req: FitRequest, node: NodeInfo): string[] {
  if (fits(req, node)) return [];
  const reasons: string[] = [];
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.pods.length + 1 > alloc.allowedPodNumber) reasons.push('Too many pods');
  if (req.empty) return reasons;
  if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) {
    reasons.push('Insufficient cpu');
  }
  if (req.memory > 0 && req.memory > alloc.memory - used.memory)
    reasons.push('Insufficient memory');
  if (
    req.ephemeralStorage > 0 &&
    req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage
  ) {
    reasons.push('Insufficient ephemeral-storage');
  }
  for (const [name, amount] of req.scalars) {
    const free = (alloc.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0);
    if (amount > free) reasons.push(`Insufficient ${name}`);
  }
  return reasons;
}

/** The allocation-free check insufficientReasons runs first (most nodes fit). */
function fits(req: FitRequest, node: NodeInfo): boolean {
  const alloc = node.allocatable;
  const used = node.requested;
  if (node.pods.length + 1 > alloc.allowedPodNumber) return false;
  if (req.empty) return true;
  if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) return false;
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) return false;
  if (
    req.ephemeralStorage > 0 &&
    req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage
  ) {
    return false;
  }
  for (const [name, amount] of req.scalars) {
    if (amount > (alloc.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0)) return false;
  }
  return true;
}

/** fits for a node without extended resources, from its table row. */
function fitsRow(req: FitRequest, table: NodeTable, i: number): boolean {
  if ((table.podCount[i] as number) + 1 > (table.allocPods[i] as number)) return false;
  if (req.empty) return true;
  const freeCpu = (table.allocMilliCpu[i] as number) - (table.reqMilliCpu[i] as number);
  if (req.milliCpu > 0 && req.milliCpu > freeCpu) return false;
  const freeMemory = (table.allocMemory[i] as number) - (table.reqMemory[i] as number);
  if (req.memory > 0 && req.memory > freeMemory) return false;
  const freeEphemeral =
    (table.allocEphemeralStorage[i] as number) - (table.reqEphemeralStorage[i] as number);
  return !(req.ephemeralStorage > 0 && req.ephemeralStorage > freeEphemeral);
}

function stringSet(args: JsonObject | undefined, key: string): Set<string> {
  return new Set(arrayAt(args, key).filter((v): v is string => typeof v === 'string'));
}

class NodeResourcesFit implements Plugin {
  readonly name = NAME;
  readonly strategy: ScoringStrategy;
  readonly #ignores: FitIgnores;
  /** Scratch for scoreBatch, grown as needed. */
  #weightSums = new Float64Array(0);

  constructor(args: JsonObject | undefined) {
    this.strategy = parseScoringStrategy(args);
    this.#ignores = {
      resources: stringSet(args, 'ignoredResources'),
      groups: stringSet(args, 'ignoredResourceGroups'),
    };
  }

  preFilter(state: CycleState, pod: PodInfo): { result?: PreFilterResult; status: Status } {
    state.write(preFilterKey, fitRequestOf(pod.requests, this.#ignores));
    return { status: success };
  }

  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status {
    const req = state.read<FitRequest>(preFilterKey) ?? fitRequestOf(pod.requests, this.#ignores);
    if (fits(req, node)) return success;
    const reasons = insufficientReasons(req, node);
    return reasons.length === 0 ? success : status('Unschedulable', ...reasons);
  }

  filterBatch(
    state: CycleState,
    pod: PodInfo,
    batch: NodeBatch,
    reject: (position: number, status: Status) => void,
  ): number {
    const req = state.read<FitRequest>(preFilterKey) ?? fitRequestOf(pod.requests, this.#ignores);
    const { positions, count, table } = batch;
    const nodes = batch.snapshot.nodes;
    let kept = 0;
    for (let k = 0; k < count; k++) {
      const position = positions[k] as number;
      const node = nodes[position] as NodeInfo;
      const fit =
        req.scalars.length > 0 || (table.flags[position] as number) & nodeFlag.scalars
          ? fits(req, node)
          : fitsRow(req, table, position);
      if (fit) positions[kept++] = position;
      else reject(position, this.filter(state, pod, node));
    }
    return kept;
  }

  preScore(state: CycleState, pod: PodInfo): Status {
    state.write(preScoreKey, this.#podRequests(pod));
    return success;
  }

  score(state: CycleState, pod: PodInfo, node: NodeInfo): { score: number; status: Status } {
    const podRequests = state.read<number[]>(preScoreKey) ?? this.#podRequests(pod);
    return { score: strategyScore(this.strategy, podRequests, node), status: success };
  }

  scoreBatch(state: CycleState, pod: PodInfo, batch: NodeBatch, out: Float64Array): Status {
    const podRequests = state.read<number[]>(preScoreKey) ?? this.#podRequests(pod);
    if (this.#weightSums.length < batch.count) this.#weightSums = new Float64Array(batch.count);
    if (strategyScoreBatch(this.strategy, podRequests, batch, out, this.#weightSums)) {
      return success;
    }
    scoreEach(batch, (node) => strategyScore(this.strategy, podRequests, node), out);
    return success;
  }

  #podRequests(pod: PodInfo): number[] {
    return this.strategy.resources.map((r) => podRequestFor(pod, r.name, false));
  }
}

export const factory: PluginFactory = (context: PluginContext): Plugin =>
  new NodeResourcesFit(context.args);
