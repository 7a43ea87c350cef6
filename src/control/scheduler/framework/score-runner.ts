// PreScore, Score and NormalizeScore over the feasible nodes, with weights and totals
// (upstream prioritizeNodes / RunScorePlugins). Scores outside 0..100 after normalising are an
// error, as upstream reports them.
import type { ScoredNode } from '../explain.js';
import { statusMessage } from '../failure-message.js';
import type {
  CycleState,
  NodeInfo,
  NodeScore,
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

/** Scored nodes in input order, or an error message. */
export function prioritizeNodes(
  plugins: ScorePlugins,
  cycle: ScoreCycle,
  nodes: readonly NodeInfo[],
): ScoredNode[] | string {
  const { state, pod, snapshot } = cycle;
  const skip = new Set<string>();
  for (const plugin of plugins.preScores) {
    const s = plugin.preScore(state, pod, nodes, snapshot);
    if (s.code === 'Skip') skip.add(plugin.name);
    else if (s.code !== 'Success') return errorText(plugin.name, s);
  }
  const scored: ScoredNode[] = nodes.map((n) => ({ node: n.name, plugins: [], total: 0 }));
  for (const { plugin, weight } of plugins.scores) {
    if (skip.has(plugin.name)) continue;
    const error = scoreWithPlugin(cycle, nodes, { plugin, weight }, scored);
    if (error !== undefined) return error;
  }
  return scored;
}

/** Scores every node with one plugin into `scored`; an error message on failure. */
function scoreWithPlugin(
  cycle: ScoreCycle,
  nodes: readonly NodeInfo[],
  weighted: { plugin: ScorePlugin; weight: number },
  scored: ScoredNode[],
): string | undefined {
  const { state, pod } = cycle;
  const { plugin, weight } = weighted;
  const scores: NodeScore[] = new Array<NodeScore>(nodes.length);
  const raw: number[] = new Array<number>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as NodeInfo;
    const { score, status: s } = plugin.score(state, pod, node);
    if (s.code !== 'Success') return errorText(plugin.name, s);
    scores[i] = { name: node.name, score };
    raw[i] = score;
  }
  if (plugin.normalizeScore !== undefined) {
    const s = plugin.normalizeScore(state, pod, scores);
    if (s.code !== 'Success') return errorText(plugin.name, s);
  }
  for (let i = 0; i < scores.length; i++) {
    const value = (scores[i] as NodeScore).score;
    if (!Number.isSafeInteger(value) || value < minNodeScore || value > maxNodeScore) {
      return (
        `plugin ${JSON.stringify(plugin.name)} returns an invalid score ${value}, it should in ` +
        `the range of [${minNodeScore}, ${maxNodeScore}] after normalizing`
      );
    }
  }
  for (let i = 0; i < scores.length; i++) {
    const target = scored[i] as ScoredNode;
    const normalized = (scores[i] as NodeScore).score;
    const entry = { plugin: plugin.name, raw: raw[i] as number, normalized, weighted: 0 };
    entry.weighted = normalized * weight;
    target.plugins.push(entry);
    target.total += entry.weighted;
  }
  return undefined;
}

/** An error status as a cycle error message. */
export function errorText(plugin: string, s: Status): string {
  const message = statusMessage(s);
  return `running plugin ${JSON.stringify(plugin)}: ${message === '' ? s.code : message}`;
}
