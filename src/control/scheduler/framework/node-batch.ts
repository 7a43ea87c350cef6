// Batch helpers for plugins whose verdict is fixed for most nodes by a NodeTable flag: nodes
// without the flag take the fixed outcome, the others go through the plugin's per-node method.
import type { NodeBatch, NodeInfo, Status } from './types.js';

/** Runs `filter` on every node of the batch, keeping the passing positions in order. */
export function filterEach(
  batch: NodeBatch,
  filter: (node: NodeInfo) => Status,
  reject: (position: number, status: Status) => void,
): number {
  const { positions, count } = batch;
  const nodes = batch.snapshot.nodes;
  let kept = 0;
  for (let k = 0; k < count; k++) {
    const position = positions[k] as number;
    const s = filter(nodes[position] as NodeInfo);
    if (s.code === 'Success') positions[kept++] = position;
    else reject(position, s);
  }
  return kept;
}

/**
 * filterBatch for a filter that passes every node lacking `mask` in its flags; flagged nodes
 * are checked one by one with `filter`.
 */
export function filterByFlag(
  batch: NodeBatch,
  mask: number,
  filter: (node: NodeInfo) => Status,
  reject: (position: number, status: Status) => void,
): number {
  const { positions, count } = batch;
  const flags = batch.table.flags;
  const nodes = batch.snapshot.nodes;
  let kept = 0;
  for (let k = 0; k < count; k++) {
    const position = positions[k] as number;
    if (((flags[position] as number) & mask) === 0) {
      positions[kept++] = position;
      continue;
    }
    const s = filter(nodes[position] as NodeInfo);
    if (s.code === 'Success') positions[kept++] = position;
    else reject(position, s);
  }
  return kept;
}

/** Scores every node of the batch with `score` (the per-node fallback of a scoreBatch). */
export function scoreEach(batch: NodeBatch, score: (node: NodeInfo) => number, out: Float64Array) {
  const nodes = batch.snapshot.nodes;
  for (let k = 0; k < batch.count; k++) {
    out[k] = score(nodes[batch.positions[k] as number] as NodeInfo);
  }
}

/**
 * scoreBatch for a score that is `unflagged` on every node lacking `mask` in its flags;
 * flagged nodes are scored one by one with `score`.
 */
export function scoreByFlag(
  batch: NodeBatch,
  mask: number,
  unflagged: number,
  score: (node: NodeInfo) => number,
  out: Float64Array,
): void {
  const { positions, count } = batch;
  const flags = batch.table.flags;
  const nodes = batch.snapshot.nodes;
  for (let k = 0; k < count; k++) {
    const position = positions[k] as number;
    out[k] =
      ((flags[position] as number) & mask) === 0 ? unflagged : score(nodes[position] as NodeInfo);
  }
}
