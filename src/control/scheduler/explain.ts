// The decision record of one scheduling cycle and its trace records (`scheduler.decision`).
//
// The runtime fills a Decision as it filters and scores; the Scheduler hands it to
// recordDecision, which writes the whole table at level `full` and a bounded summary (reason
// histogram, sampled count, top nodes with per-plugin scores, chosen node) at level `summary`.
import type { Recorder, TraceLevelSetting, TraceValue } from '../ports/recorder.js';
import { traceLevelAdmits } from '../ports/recorder.js';
import { reasonHistogram } from './failure-message.js';
import type { Status, StatusCode } from './framework/types.js';

export interface FilterOutcome {
  node: string;
  plugin: string;
  code: StatusCode;
  reasons: readonly string[];
}

export interface PluginScore {
  plugin: string;
  raw: number;
  normalized: number;
  weighted: number;
}

export interface ScoredNode {
  node: string;
  plugins: PluginScore[];
  total: number;
}

/** One score plugin's column of a ScoreTable. */
export interface PluginColumn {
  plugin: string;
  weight: number;
  raw: Float64Array;
  normalized: Float64Array;
}

/** The scoring of one cycle, column-wise: row k is node `nodes[k]`. */
export interface ScoreTable {
  nodes: readonly string[];
  /** The plugins that scored (PreScore Skips left out), in profile order. */
  plugins: readonly PluginColumn[];
  /** Σ normalized × weight per node. */
  totals: Float64Array;
}

export interface Decision {
  /** `namespace/name` of the pod. */
  pod: string;
  profile: string;
  /** Nodes in the snapshot. */
  nodeCount: number;
  /** Nodes the filters looked at this cycle (sampling stops early). */
  sampledNodeCount: number;
  feasibleNodeCount: number;
  /** Rejected nodes, in the order they were evaluated (outside-PreFilter nodes last). */
  filtered: FilterOutcome[];
  /**
   * The scored nodes in evaluation order (absent when one node was feasible); a Framework
   * built with `scoreRows: 'top'` keeps only the best rows, best first.
   */
  scores?: ScoreTable;
  chosen?: string;
  /** The FitError or error text when no node was chosen. */
  message?: string;
}

/** How many scored nodes the summary lists (upstream reports the top 3 too). */
export const summaryTopNodeCount = 3;

export function newDecision(pod: string, profile: string, nodeCount: number): Decision {
  return {
    pod,
    profile,
    nodeCount,
    sampledNodeCount: 0,
    feasibleNodeCount: 0,
    filtered: [],
  };
}

/** Row k of a score table as a ScoredNode. */
export function scoredRow(table: ScoreTable, k: number): ScoredNode {
  const plugins = table.plugins.map((c) => {
    const normalized = c.normalized[k] as number;
    return {
      plugin: c.plugin,
      raw: c.raw[k] as number,
      normalized,
      weighted: normalized * c.weight,
    };
  });
  return { node: table.nodes[k] as string, plugins, total: table.totals[k] as number };
}

/** Every scored node in evaluation order (empty when nothing was scored). */
export function scoredNodes(decision: Decision): ScoredNode[] {
  const table = decision.scores;
  if (table === undefined) return [];
  return table.nodes.map((_, k) => scoredRow(table, k));
}

/** Top nodes by total, ties in evaluation order. */
export function topNodes(decision: Decision, count: number): ScoredNode[] {
  const table = decision.scores;
  if (table === undefined) return [];
  return topRowIndexes(table.totals, count).map((k) => scoredRow(table, k));
}

/** The rows of the `count` best totals, best first, ties in row order: one pass. */
export function topRowIndexes(totals: Float64Array, count: number): number[] {
  const best: number[] = [];
  if (count <= 0) return best;
  for (let k = 0; k < totals.length; k++) {
    const total = totals[k] as number;
    if (best.length === count && total <= (totals[best[count - 1] as number] as number)) continue;
    let at = best.length;
    while (at > 0 && total > (totals[best[at - 1] as number] as number)) at -= 1;
    best.splice(at, 0, k);
    if (best.length > count) best.pop();
  }
  return best;
}

function scoredValue(node: ScoredNode): TraceValue {
  const plugins: { [k: string]: TraceValue } = {};
  for (const p of node.plugins) {
    plugins[p.plugin] = { raw: p.raw, normalized: p.normalized, weighted: p.weighted };
  }
  return { node: node.node, total: node.total, plugins };
}

export function summaryFields(decision: Decision): { [k: string]: TraceValue } {
  const statuses = new Map<string, Status>(
    decision.filtered.map((f) => [f.node, { code: f.code, reasons: f.reasons }]),
  );
  const fields: { [k: string]: TraceValue } = {
    pod: decision.pod,
    profile: decision.profile,
    nodeCount: decision.nodeCount,
    sampledNodeCount: decision.sampledNodeCount,
    feasibleNodeCount: decision.feasibleNodeCount,
    reasons: reasonHistogram(statuses),
    top: topNodes(decision, summaryTopNodeCount).map(scoredValue),
    chosen: decision.chosen ?? null,
  };
  if (decision.message !== undefined) fields.message = decision.message;
  return fields;
}

export function fullFields(decision: Decision): { [k: string]: TraceValue } {
  return {
    ...summaryFields(decision),
    filtered: decision.filtered.map((f) => ({
      node: f.node,
      plugin: f.plugin,
      code: f.code,
      reasons: [...f.reasons],
    })),
    scored: scoredNodes(decision).map(scoredValue),
  };
}

/**
 * Writes the summary record and the whole table (level `full`). `levelSetting` skips building
 * records the recorder would drop anyway (default `full`: both are built).
 */
export function recordDecision(
  recorder: Recorder,
  decision: Decision,
  options: { atMs: number; component: string; levelSetting?: TraceLevelSetting },
): void {
  const { atMs, component, levelSetting = 'full' } = options;
  const type = 'scheduler.decision';
  if (traceLevelAdmits(levelSetting, 'summary')) {
    recorder.trace({ atMs, component, type, level: 'summary', fields: summaryFields(decision) });
  }
  if (traceLevelAdmits(levelSetting, 'full')) {
    recorder.trace({ atMs, component, type, level: 'full', fields: fullFields(decision) });
  }
}
