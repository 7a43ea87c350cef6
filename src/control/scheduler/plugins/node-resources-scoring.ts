// Resource scoring shared by NodeResourcesFit and BalancedAllocation (upstream
// noderesources/resource_allocation.go and the three scoring strategies), integer arithmetic.
import type { JsonObject } from '../../store/types.js';
import { numberAt, objectAt, objectsAt, stringAt } from '../framework/json-fields.js';
import { isScalarResourceName, resourceAmount } from '../framework/resources.js';
import { maxNodeScore } from '../framework/types.js';
import type { NodeTable } from '../framework/node-table.js';
import type { NodeBatch, NodeInfo, PodInfo } from '../framework/types.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

export interface ShapePoint {
  utilization: number;
  /** Already scaled to 0..100. */
  score: number;
}

export type ScoringStrategyType = 'LeastAllocated' | 'MostAllocated' | 'RequestedToCapacityRatio';

export interface ScoringStrategy {
  type: ScoringStrategyType;
  resources: readonly ResourceSpec[];
  shape: readonly ShapePoint[];
}

export const defaultResources: readonly ResourceSpec[] = Object.freeze([
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
]);
/** config.MaxCustomPriorityScore: shape scores are 0..10 and scaled ×10. */
const maxCustomPriorityScore = 10;
const maxUtilization = 100;

/** Parses `resources: [{name, weight}]` (default cpu:1, memory:1); weights must be 1..100. */
export function parseResourceSpecs(list: readonly JsonObject[] | undefined): ResourceSpec[] {
  if (list === undefined) return defaultResources.map((r) => ({ ...r }));
  return list.map((r, i) => {
    const weight = numberAt(r, 'weight') ?? 0;
    if (!Number.isInteger(weight) || weight < 1 || weight > 100) {
      throw new Error(
        `scoringStrategy.resources[${i}].weight: invalid value ${weight}: must be 1..100`,
      );
    }
    return { name: stringAt(r, 'name') ?? '', weight };
  });
}

function parseShape(points: readonly JsonObject[]): ShapePoint[] {
  if (points.length === 0)
    throw new Error('requestedToCapacityRatio.shape: at least one point is required');
  let previous = -1;
  return points.map((p, i) => {
    const utilization = numberAt(p, 'utilization') ?? -1;
    const score = numberAt(p, 'score') ?? -1;
    if (
      !Number.isInteger(utilization) ||
      utilization < 0 ||
      utilization > 100 ||
      utilization <= previous
    ) {
      throw new Error(
        `requestedToCapacityRatio.shape[${i}].utilization: invalid value ${utilization}`,
      );
    }
    if (!Number.isInteger(score) || score < 0 || score > maxCustomPriorityScore) {
      throw new Error(`requestedToCapacityRatio.shape[${i}].score: invalid value ${score}`);
    }
    previous = utilization;
    return { utilization, score: score * (maxNodeScore / maxCustomPriorityScore) };
  });
}

/** NodeResourcesFitArgs.scoringStrategy, defaulted as upstream (LeastAllocated, cpu:1 memory:1). */
export function parseScoringStrategy(args: JsonObject | undefined): ScoringStrategy {
  const strategy = objectAt(args, 'scoringStrategy');
  const type = stringAt(strategy, 'type') ?? 'LeastAllocated';
  if (
    type !== 'LeastAllocated' &&
    type !== 'MostAllocated' &&
    type !== 'RequestedToCapacityRatio'
  ) {
    throw new Error(`scoringStrategy.type: unsupported value "${type}"`);
  }
  const resources = Array.isArray(strategy?.['resources'])
    ? objectsAt(strategy, 'resources')
    : undefined;
  const shape =
    type === 'RequestedToCapacityRatio'
      ? parseShape(objectsAt(objectAt(strategy, 'requestedToCapacityRatio'), 'shape'))
      : [];
  return { type, resources: parseResourceSpecs(resources), shape };
}

/** The pod's request of one resource for scoring (non-zero defaults unless useRequested). */
export function podRequestFor(pod: PodInfo, name: string, useRequested: boolean): number {
  if (!useRequested && name === 'cpu') return pod.nonZeroRequests.milliCpu;
  if (!useRequested && name === 'memory') return pod.nonZeroRequests.memory;
  return resourceAmount(pod.requests, name);
}

/** Allocatable of one resource; 0 (skip it) for a scalar resource the pod does not request. */
export function allocatableFor(node: NodeInfo, name: string, podRequest: number): number {
  if (podRequest === 0 && isScalarResourceName(name)) return 0;
  if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage') {
    return resourceAmount(node.allocatable, name);
  }
  return node.allocatable.scalar.get(name) ?? 0;
}

/** Requested of one resource on the node with this pod added (cpu/memory non-zero by default). */
export function requestedFor(
  node: NodeInfo,
  name: string,
  podRequest: number,
  useRequested: boolean,
): number {
  if (name === 'cpu') {
    return (useRequested ? node.requested : node.nonZeroRequested).milliCpu + podRequest;
  }
  if (name === 'memory') {
    return (useRequested ? node.requested : node.nonZeroRequested).memory + podRequest;
  }
  return resourceAmount(node.requested, name) + podRequest;
}

export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * maxNodeScore) / capacity);
}

export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  return Math.trunc((Math.min(requested, capacity) * maxNodeScore) / capacity);
}

/** helper.BuildBrokenLinearFunction over scaled shape points, Go integer arithmetic. */
export function brokenLinear(shape: readonly ShapePoint[], p: number): number {
  for (let i = 0; i < shape.length; i++) {
    const point = shape[i] as ShapePoint;
    if (p > point.utilization) continue;
    if (i === 0) return point.score;
    const prev = shape[i - 1] as ShapePoint;
    const slope = (point.score - prev.score) * (p - prev.utilization);
    return prev.score + Math.trunc(slope / (point.utilization - prev.utilization));
  }
  return shape[shape.length - 1]?.score ?? 0;
}

export function requestedToCapacityRatioScore(
  shape: readonly ShapePoint[],
  requested: number,
  capacity: number,
): number {
  if (capacity === 0 || requested > capacity) return brokenLinear(shape, maxUtilization);
  return brokenLinear(shape, Math.trunc((requested * maxUtilization) / capacity));
}

/** One node's score under the strategy; podRequests[i] is the pod's request of resources[i]. */
export function strategyScore(
  strategy: ScoringStrategy,
  podRequests: readonly number[],
  node: NodeInfo,
): number {
  const n = strategy.resources.length;
  const capacities = new Float64Array(n);
  const requesteds = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const name = (strategy.resources[i] as ResourceSpec).name;
    const podRequest = podRequests[i] ?? 0;
    capacities[i] = allocatableFor(node, name, podRequest);
    requesteds[i] = requestedFor(node, name, podRequest, false);
  }
  return strategyScoreOf(strategy, capacities, requesteds);
}

/** The strategy's score from each resource's capacity and requested amount (pod included). */
export function strategyScoreOf(
  strategy: ScoringStrategy,
  capacities: Float64Array,
  requesteds: Float64Array,
): number {
  let nodeScore = 0;
  let weightSum = 0;
  for (let i = 0; i < strategy.resources.length; i++) {
    const capacity = capacities[i] as number;
    if (capacity === 0) continue;
    const score = resourceScore(strategy, requesteds[i] as number, capacity);
    if (strategy.type === 'RequestedToCapacityRatio' && score <= 0) continue;
    const weight = (strategy.resources[i] as ResourceSpec).weight;
    nodeScore += score * weight;
    weightSum += weight;
  }
  if (weightSum === 0) return 0;
  if (strategy.type === 'RequestedToCapacityRatio')
    return roundHalfAwayFromZero(nodeScore / weightSum);
  return Math.trunc(nodeScore / weightSum);
}

export interface ResourceColumns {
  allocatable: Float64Array;
  requested: Float64Array;
}

/** The table columns allocatableFor/requestedFor read for a resource (undefined: scalar). */
function resourceColumns(
  table: NodeTable,
  name: string,
  useRequested: boolean,
): ResourceColumns | undefined {
  switch (name) {
    case 'cpu':
      return {
        allocatable: table.allocMilliCpu,
        requested: useRequested ? table.reqMilliCpu : table.nonZeroMilliCpu,
      };
    case 'memory':
      return {
        allocatable: table.allocMemory,
        requested: useRequested ? table.reqMemory : table.nonZeroMemory,
      };
    case 'ephemeral-storage':
      return { allocatable: table.allocEphemeralStorage, requested: table.reqEphemeralStorage };
    default:
      return undefined;
  }
}

/** A resource's columns and the pod's request of it, for batch scoring. */
export interface ResourceBatchColumn extends ResourceColumns {
  podRequest: number;
  weight: number;
}

/**
 * The columns of every resource that scores (a scalar the pod does not request scores
 * nothing and is left out), or undefined when a requested scalar is not in the table: then the
 * caller scores node by node.
 */
export function batchColumns(
  table: NodeTable,
  resources: readonly ResourceSpec[],
  podRequests: readonly number[],
  useRequested: boolean,
): ResourceBatchColumn[] | undefined {
  const columns: ResourceBatchColumn[] = [];
  for (let i = 0; i < resources.length; i++) {
    const { name, weight } = resources[i] as ResourceSpec;
    const podRequest = podRequests[i] ?? 0;
    if (podRequest === 0 && isScalarResourceName(name)) continue;
    const c = resourceColumns(table, name, useRequested);
    if (c === undefined) return undefined;
    columns.push({ allocatable: c.allocatable, requested: c.requested, podRequest, weight });
  }
  return columns;
}

/**
 * strategyScore for every node of a batch, one resource at a time; false when the table
 * cannot answer (a requested scalar). `weightSums` is scratch of at least batch.count.
 */
export function strategyScoreBatch(
  strategy: ScoringStrategy,
  podRequests: readonly number[],
  batch: NodeBatch,
  out: Float64Array,
  weightSums: Float64Array,
): boolean {
  const columns = batchColumns(batch.table, strategy.resources, podRequests, false);
  if (columns === undefined) return false;
  const { positions, count } = batch;
  out.fill(0, 0, count);
  weightSums.fill(0, 0, count);
  const ratio = strategy.type === 'RequestedToCapacityRatio';
  const least = strategy.type === 'LeastAllocated';
  for (const column of columns) {
    const { allocatable, requested, podRequest, weight } = column;
    for (let k = 0; k < count; k++) {
      const position = positions[k] as number;
      const capacity = allocatable[position] as number;
      if (capacity === 0) continue;
      const used = (requested[position] as number) + podRequest;
      // The default strategy inline (leastRequestedScore), the others through resourceScore.
      let score: number;
      if (least)
        score = used > capacity ? 0 : Math.trunc(((capacity - used) * maxNodeScore) / capacity);
      else score = resourceScore(strategy, used, capacity);
      if (ratio && score <= 0) continue;
      out[k] = (out[k] as number) + score * weight;
      weightSums[k] = (weightSums[k] as number) + weight;
    }
  }
  for (let k = 0; k < count; k++) {
    const weightSum = weightSums[k] as number;
    const nodeScore = out[k] as number;
    if (weightSum === 0) out[k] = 0;
    else if (ratio) out[k] = roundHalfAwayFromZero(nodeScore / weightSum);
    else out[k] = Math.trunc(nodeScore / weightSum);
  }
  return true;
}

function resourceScore(strategy: ScoringStrategy, requested: number, capacity: number): number {
  switch (strategy.type) {
    case 'LeastAllocated':
      return leastRequestedScore(requested, capacity);
    case 'MostAllocated':
      return mostRequestedScore(requested, capacity);
    case 'RequestedToCapacityRatio':
      return requestedToCapacityRatioScore(strategy.shape, requested, capacity);
  }
}

/** Go's math.Round. */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
