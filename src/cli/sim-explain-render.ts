// `sim explain`: renders one pod's scheduling attempts as text for a terminal, or as JSON.
import type { ExplainAttempt, ExplainScoredNode } from './sim-explain-trace.js';

/** Where the attempts came from: the run's own trace, or a re-run with full records. */
export type ExplainSource =
  | { kind: 'trace'; traceFile: string }
  | { kind: 'rerun'; scenarioFile: string; traceLevel: 'none' | 'summary' };

export interface Explanation {
  /** `namespace/name`. */
  pod: string;
  scenario: { name: string; hash: string };
  seed: number | string;
  /** The run's virtual start, ms since the Unix epoch (attempt times are shown from it). */
  virtualStartMs: number;
  source: ExplainSource;
  attempts: ExplainAttempt[];
}

/** Past this many attempts the text shows the first and last ones (JSON has them all). */
export const attemptsShownMax = 50;
const attemptsShownFirst = 10;

export function renderExplanationJson(explanation: Explanation): string {
  const attempts = explanation.attempts.map((a) => ({
    elapsedMs: a.atMs - explanation.virtualStartMs,
    ...a,
  }));
  return `${JSON.stringify({ ...explanation, attempts }, null, 2)}\n`;
}

export function renderExplanationText(explanation: Explanation): string {
  const { attempts } = explanation;
  const count = `${attempts.length} scheduling attempt${attempts.length === 1 ? '' : 's'}`;
  const lines = [
    `Pod ${explanation.pod} in scenario ${explanation.scenario.name} ` +
      `(seed ${String(explanation.seed)}): ${count}`,
    sourceLine(explanation.source),
  ];
  const omitted = attempts.length - attemptsShownMax;
  attempts.forEach((attempt, index) => {
    if (omitted > 0 && index >= attemptsShownFirst && index < attemptsShownFirst + omitted) {
      if (index === attemptsShownFirst) {
        lines.push('', `… ${omitted} attempts not shown (--format json lists every one)`);
      }
      return;
    }
    lines.push('', ...attemptLines(attempt, index + 1, explanation.virtualStartMs));
  });
  return `${lines.join('\n')}\n`;
}

function sourceLine(source: ExplainSource): string {
  if (source.kind === 'trace') return `Decisions from ${source.traceFile} (full records)`;
  const why = source.traceLevel === 'none' ? 'the run kept no trace' : 'its trace is summary';
  return `Decisions from a re-run of ${source.scenarioFile} with full records (${why})`;
}

function attemptLines(attempt: ExplainAttempt, number: number, startMs: number): string[] {
  const at = `${formatSeconds(attempt.atMs - startMs)} (${new Date(attempt.atMs).toISOString()})`;
  const outcome = attempt.chosen === null ? 'not scheduled' : `scheduled on ${attempt.chosen}`;
  const lines = [
    `Attempt ${number} at ${at}: ${outcome}`,
    `  nodes: ${attempt.nodeCount} in the snapshot, ${attempt.sampledNodeCount} sampled, ` +
      `${attempt.feasibleNodeCount} feasible (profile ${attempt.profile})`,
  ];
  if (attempt.message !== undefined) lines.push(`  FailedScheduling: ${attempt.message}`);
  if (attempt.filtered.length > 0) {
    lines.push('  filtered out:');
    for (const g of attempt.filtered) {
      const more = g.nodeCount > g.nodes.length ? `, … ${g.nodeCount - g.nodes.length} more` : '';
      const reason = g.reason === '' ? '(no reason given)' : g.reason;
      lines.push(
        `    ${g.nodeCount} node(s) by ${g.plugin} [${g.code}]: ${reason}: ` +
          `${g.nodes.join(', ')}${more}`,
      );
    }
  }
  lines.push(...scoreLines(attempt));
  return lines;
}

function scoreLines(attempt: ExplainAttempt): string[] {
  if (attempt.scoredNodeCount === 0) {
    if (attempt.chosen === null || attempt.feasibleNodeCount !== 1) return [];
    return [`  scores: none (${attempt.chosen} was the only feasible node)`];
  }
  const shown = attempt.top.length;
  const lines = [
    `  scores: ${shown} of ${attempt.scoredNodeCount} scored nodes, best first ` +
      '(weighted = normalized × plugin weight; total = Σ weighted)',
  ];
  const nameWidth = Math.max(
    0,
    ...attempt.top.flatMap((n) => n.plugins.map((p) => p.plugin.length)),
  );
  for (const node of attempt.top) {
    const chosen = node.node === attempt.chosen ? '  ← chosen' : '';
    lines.push(`    ${node.node}  total ${formatNumber(node.total)}${chosen}`);
    lines.push(...pluginLines(node, nameWidth));
  }
  const best = attempt.top[0];
  if (attempt.bestTotalNodeCount > 1 && best !== undefined && attempt.chosen !== null) {
    lines.push(
      `  ${attempt.bestTotalNodeCount} nodes tie at the best total ${formatNumber(best.total)}: ` +
        `the scheduler's seeded RNG picked ${attempt.chosen} (as upstream's selectHost)`,
    );
  }
  return lines;
}

function pluginLines(node: ExplainScoredNode, nameWidth: number): string[] {
  const cells = node.plugins.map((p) => [p.raw, p.normalized, p.weighted].map(formatNumber));
  const widths = [0, 1, 2].map((c) => Math.max(0, ...cells.map((row) => (row[c] ?? '').length)));
  return node.plugins.map((p, k) => {
    const [raw, normalized, weighted] = (cells[k] ?? []).map((cell, c) =>
      cell.padStart(widths[c] ?? 0),
    );
    return (
      `      ${p.plugin.padEnd(nameWidth)}  raw ${raw ?? ''}  normalized ${normalized ?? ''}` +
      `  weighted ${weighted ?? ''}`
    );
  });
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return Number.isInteger(seconds) ? `${seconds}s` : `${seconds.toFixed(3)}s`;
}
