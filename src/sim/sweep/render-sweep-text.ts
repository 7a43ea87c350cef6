// A sweep result as a table for a terminal or a CI log: the spread of every metric over the
// seeds, how often each expectation held, and each failing seed with its reproduce command.
import { formatNumber } from '../report/format.js';
import type { ShardSet, SweepResult } from './sweep-model.js';

/** Failing seeds listed before the rest are only counted. */
export const failingSeedsListedMax = 50;

function shardText(shard: ShardSet | null): string {
  if (shard === null) return '';
  const listed = shard.indexes.join(',');
  return shard.indexes.length === 1
    ? `, shard ${listed}/${shard.count}`
    : `, shards ${listed} of ${shard.count}`;
}

/** Columns left-aligned for the first, right-aligned for the others, two spaces apart. */
function alignedRows(rows: readonly string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, cell.length);
    });
  }
  return rows.map((row) =>
    row
      .map((cell, column) => {
        const width = widths[column] ?? 0;
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join('  ')
      .trimEnd(),
  );
}

function metricLines(result: SweepResult): string[] {
  if (result.summary.metrics.length === 0) return [];
  const rows = result.summary.metrics.map((m) => [
    m.name,
    String(m.count),
    ...[m.min, m.p50, m.p90, m.max, m.mean].map(formatNumber),
  ]);
  return alignedRows([['metric', 'runs', 'min', 'p50', 'p90', 'max', 'mean'], ...rows]);
}

function expectationLines(result: SweepResult): string[] {
  if (result.summary.expectations.length === 0) return [];
  const rows = result.summary.expectations.map((e) => [e.name, `${e.heldCount}/${e.runCount}`]);
  return alignedRows([['expectation', 'held'], ...rows]);
}

function failingLines(result: SweepResult): string[] {
  const failing = result.summary.failingSeeds;
  if (failing.length === 0) return ['no failing seeds'];
  const lines = ['failing seeds:'];
  for (const seed of failing.slice(0, failingSeedsListedMax)) {
    const why =
      seed.error !== null
        ? `did not finish: ${seed.error}`
        : `failed: ${seed.failed.map((name) => `"${name}"`).join(', ')}`;
    lines.push(`  seed ${seed.seed} ${why}`, `    reproduce: ${seed.reproduce}`);
  }
  if (failing.length > failingSeedsListedMax) {
    lines.push(`  … and ${failing.length - failingSeedsListedMax} more (see --format json)`);
  }
  return lines;
}

/** The result as plain text lines, ending in a newline. Same result, same bytes. */
export function renderSweepText(result: SweepResult): string {
  const s = result.summary;
  const head =
    `sweep ${result.scenario.name} (${result.scenario.file}), seeds ${result.seeds}` +
    `${shardText(result.shard)}: ${s.runCount} runs, ${s.passedCount} passed, ` +
    `${s.failedCount} failed` +
    (s.erroredCount === 0 ? '' : ` (${s.erroredCount} did not finish)`);
  const sections = [[head], metricLines(result), expectationLines(result), failingLines(result)];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join('\n'))
    .join('\n\n')}\n`;
}
