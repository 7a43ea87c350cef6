// PreScore, Score and NormalizeScore over the feasible nodes, with weights and totals
// (upstream prioritizeNodes / RunScorePlugins). Scores outside 0..100 after normalising are an
// error, as upstream reports them.
import type { PluginColumn, ScoreTable } from '../explain.js';
import { summaryTopNodeCount, topRowIndexes } from '../explain.js';
import { statusMessage } from '../failure-message.js';
import type {
  CycleState,
  NodeBatch,
  NodeInfo,
  PodInfo,
  PreScorePlugin,
  ScorePlugin,
  Snapshot,
  Status,
} from './types.js';
import { maxNodeScore, minNodeScore } from './types.js';

export interface ScorePlugins {
  preScores: readonly PreScorePlugin[];
  scores: readonly { plugin: ScorePlugin; weight: number }[];
}

export interface ScoreCycle {
  state: CycleState;
  pod: PodInfo;
  snapshot: Snapshot;
}

/**
 * The nodes to score: `nodes[k]` is at snapshot position `positions[k]` when positions are
 * given (then plugins with scoreBatch score them in one call).
 */
export interface ScoreInput {
  nodes: readonly NodeInfo[];
  positions?: Int32Array;
}

/**
 * What the table keeps: every row, or only the `summaryTopNodeCount` best ones (the columns
 * are then computed in `scratch`, reused from cycle to cycle, and the best rows copied out).
 */
export type ScoreKeep = { rows: 'all' } | { rows: 'top'; scratch: ScoreScratch };

/** A growable buffer a Framework reuses for the columns of tables that keep only top rows. */
export class ScoreScratch {
  #buffer = new Float64Array(0);

  /** At least `length` doubles, zeroed. */
  take(length: number): Float64Array {
    if (this.#buffer.length < length) this.#buffer = new Float64Array(length * 2);
    const view = this.#buffer.subarray(0, length);
    view.fill(0);
    return view;
  }
}

/** The score table of the feasible nodes (rows in input order), or an error message. */
export function prioritizeNodes(
  plugins: ScorePlugins,
  cycle: ScoreCycle,
  input: ScoreInput,
  keep: ScoreKeep = { rows: 'all' },
): ScoreTable | string {
  const { state, pod, snapshot } = cycle;
  const nodes = input.nodes;
  const skip = new Set<string>();
  for (const plugin of plugins.preScores) {
    const s = plugin.preScore(state, pod, nodes, snapshot);
    if (s.code === 'Skip') skip.add(plugin.name);
    else if (s.code !== 'Success') return errorText(plugin.name, s);
  }
  const table = snapshot.table;
  const batch: NodeBatch | undefined =
    table === undefined || input.positions === undefined
      ? undefined
      : { snapshot, table, positions: input.positions, count: nodes.length };
  const names = batch === undefined ? nodes.map((n) => n.name) : namesOf(batch);
  const active = plugins.scores.filter((p) => !skip.has(p.plugin.name));
  // One allocation per cycle: totals, then each plugin's raw and normalized columns.
  const n = nodes.length;
  const length = n * (1 + 2 * active.length);
  const buffer = keep.rows === 'all' ? new Float64Array(length) : keep.scratch.take(length);
  const totals = buffer.subarray(0, n);
  const columns: PluginColumn[] = [];
  for (const { plugin, weight } of active) {
    const at = n * (1 + 2 * columns.length);
    const scratch = {
      raw: buffer.subarray(at, at + n),
      normalized: buffer.subarray(at + n, at + 2 * n),
    };
    const input = { nodes, names, batch, scratch };
    const column = scoreWithPlugin(cycle, input, { plugin, weight });
    if (typeof column === 'string') return column;
    columns.push(column);
    const normalized = column.normalized;
    for (let k = 0; k < totals.length; k++) {
      totals[k] = (totals[k] as number) + (normalized[k] as number) * weight;
    }
  }
  return { nodes: names, plugins: columns, totals };
}

/**
 * The table a Decision keeps: `table` itself, or (rows 'top') a copy of its best
 * `summaryTopNodeCount` rows, since the scratch it lives in is reused by the next cycle.
 */
export function keptRows(table: ScoreTable, keep: ScoreKeep): ScoreTable {
  return keep.rows === 'all' ? table : topRowsOf(table, summaryTopNodeCount);
}

/** A table of the best `count` rows (by total, ties in row order), copied out of `table`. */
function topRowsOf(table: ScoreTable, count: number): ScoreTable {
  const rows = topRowIndexes(table.totals, count);
  const pick = (column: Float64Array) => {
    const out = new Float64Array(rows.length);
    for (let r = 0; r < rows.length; r++) out[r] = column[rows[r] as number] as number;
    return out;
  };
  return {
    nodes: rows.map((k) => table.nodes[k] as string),
    plugins: table.plugins.map((c) => {
      const raw = pick(c.raw);
      return { ...c, raw, normalized: c.normalized === c.raw ? raw : pick(c.normalized) };
    }),
    totals: pick(table.totals),
  };
}

/** The node names of a batch, from the table. */
function namesOf(batch: NodeBatch): string[] {
  const names = new Array<string>(batch.count);
  const tableNames = batch.table.names;
  for (let k = 0; k < batch.count; k++)
    names[k] = tableNames[batch.positions[k] as number] as string;
  return names;
}

/** One plugin's raw and normalized scores of every node, or an error message. */
function scoreWithPlugin(
  cycle: ScoreCycle,
  input: {
    nodes: readonly NodeInfo[];
    names: readonly string[];
    batch: NodeBatch | undefined;
    /** Zeroed columns for the raw and the normalized scores. */
    scratch: { raw: Float64Array; normalized: Float64Array };
  },
  weighted: { plugin: ScorePlugin; weight: number },
): PluginColumn | string {
  const { state, pod } = cycle;
  const { plugin, weight } = weighted;
  const { nodes, batch } = input;
  const raw = input.scratch.raw;
  if (batch !== undefined && plugin.scoreBatch !== undefined) {
    const s = plugin.scoreBatch(state, pod, batch, raw);
    if (s.code !== 'Success') return errorText(plugin.name, s);
  } else {
    for (let k = 0; k < nodes.length; k++) {
      const { score, status: s } = plugin.score(state, pod, nodes[k] as NodeInfo);
      if (s.code !== 'Success') return errorText(plugin.name, s);
      raw[k] = score;
    }
  }
  let normalized = raw;
  if (plugin.normalizeScore !== undefined) {
    normalized = input.scratch.normalized;
    normalized.set(raw);
    const s = plugin.normalizeScore(state, pod, { names: input.names, scores: normalized });
    if (s.code !== 'Success') return errorText(plugin.name, s);
  }
  for (let k = 0; k < normalized.length; k++) {
    const value = normalized[k] as number;
    // One test for integer and range (NaN fails it too).
    if (!(value >= minNodeScore && value <= maxNodeScore && Math.floor(value) === value)) {
      return (
        `plugin ${JSON.stringify(plugin.name)} returns an invalid score ${value}, it should in ` +
        `the range of [${minNodeScore}, ${maxNodeScore}] after normalizing`
      );
    }
  }
  return { plugin: plugin.name, weight, raw, normalized };
}

/** An error status as a cycle error message. */
export function errorText(plugin: string, s: Status): string {
  const message = statusMessage(s);
  return `running plugin ${JSON.stringify(plugin)}: ${message === '' ? s.code : message}`;
}
