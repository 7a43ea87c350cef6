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
  /** Scored nodes in evaluation order (empty when one node was feasible). */
  scored: ScoredNode[];
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
    scored: [],
  };
}

/** Top nodes by total, ties in evaluation order. */
export function topNodes(decision: Decision, count: number): ScoredNode[] {
  const indexed = decision.scored.map((node, index) => ({ node, index }));
  indexed.sort((a, b) => b.node.total - a.node.total || a.index - b.index);
  return indexed.slice(0, count).map((entry) => entry.node);
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
    scored: decision.scored.map(scoredValue),
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
