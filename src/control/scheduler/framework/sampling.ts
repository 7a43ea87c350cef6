// Which nodes a cycle evaluates and which top-scored node wins: upstream numFeasibleNodesToFind
// (adaptive sampling from a round-robin start) and selectHost (reservoir sampling over maxima).
import type { Rng } from '../../ports/rng.js';
import { assert } from '../../util/assert.js';

export const minFeasibleNodesPercentageToFind = 5;
export const minFeasibleNodesToFind = 100;

/** upstream numFeasibleNodesToFind: how many feasible nodes a cycle looks for. */
export function numFeasibleNodesToFind(percentage: number, nodeCount: number): number {
  if (nodeCount < minFeasibleNodesToFind || percentage >= 100) return nodeCount;
  let pct = percentage;
  if (pct <= 0) {
    pct = 50 - Math.trunc(nodeCount / 125);
    if (pct < minFeasibleNodesPercentageToFind) pct = minFeasibleNodesPercentageToFind;
  }
  const count = Math.trunc((nodeCount * pct) / 100);
  return count < minFeasibleNodesToFind ? minFeasibleNodesToFind : count;
}

/** Reservoir sampling over the maxima, in list order: upstream selectHost. */
export function selectHost(scores: readonly { node: string; total: number }[], rng: Rng): string {
  assert(scores.length > 0, 'selectHost needs at least one node');
  const totals = Float64Array.from(scores, (s) => s.total);
  return (scores[selectHostIndex(totals, rng)] as { node: string }).node;
}

/** selectHost over a column of totals: the index of the chosen row. */
export function selectHostIndex(totals: Float64Array, rng: Rng): number {
  assert(totals.length > 0, 'selectHost needs at least one node');
  let selected = 0;
  let maxScore = totals[0] as number;
  let countOfMax = 1;
  for (let i = 1; i < totals.length; i++) {
    const total = totals[i] as number;
    if (total > maxScore) {
      maxScore = total;
      selected = i;
      countOfMax = 1;
    } else if (total === maxScore) {
      countOfMax += 1;
      if (rng.intBelow(countOfMax) === 0) selected = i;
    }
  }
  return selected;
}

/** The round-robin start index, shared by every profile of a scheduler (as upstream). */
export interface SamplingState {
  nextStartNodeIndex: number;
}
