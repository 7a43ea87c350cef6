// The human form of a check: one verdict per scenario, then what moved, flipped and drifted.
// Plain ASCII, two-space indents, so it reads well in any CI log.
import { formatNumber } from '../report/format.js';
import type { CheckReport, ScenarioCheck } from './check-result.js';
import { countByStatus } from './check-result.js';
import type { BaselineDiff, MetricChange, MetricValue } from './compare-baseline.js';
import { diffIsEmpty } from './compare-baseline.js';
import type { Tolerance } from './tolerances.js';

export interface RenderTextOptions {
  /** Most lines listed per section (moved pods, count changes, …). Default 50. */
  listMax?: number;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** One line: what differs, e.g. `3 pods moved, 1 expectation flipped`. */
export function diffSummary(diff: BaselineDiff): string {
  const parts: string[] = [];
  if (diff.seed !== null) parts.push('the seed changed');
  if (diff.moved.length > 0) parts.push(`${plural(diff.moved.length, 'pod', 'pods')} moved`);
  if (diff.appeared.length > 0) {
    parts.push(`${plural(diff.appeared.length, 'pod', 'pods')} newly placed`);
  }
  if (diff.disappeared.length > 0) {
    parts.push(`${plural(diff.disappeared.length, 'pod', 'pods')} no longer placed`);
  }
  if (diff.countChanges.length > 0) {
    parts.push(`${plural(diff.countChanges.length, 'pod count', 'pod counts')} per node changed`);
  } else if (diff.digestChanged) parts.push('pods changed nodes (equal counts, digest differs)');
  if (diff.expectations.length > 0) {
    parts.push(`${plural(diff.expectations.length, 'expectation', 'expectations')} flipped`);
  }
  if (diff.metrics.length > 0) {
    parts.push(`${plural(diff.metrics.length, 'metric', 'metrics')} beyond tolerance`);
  }
  return parts.length === 0 ? 'no difference' : parts.join(', ');
}

function section<T>(title: string, items: readonly T[], line: (item: T) => string, max: number) {
  if (items.length === 0) return [];
  const out = [`  ${title}:`, ...items.slice(0, max).map((item) => `    ${line(item)}`)];
  if (items.length > max) out.push(`    ... and ${items.length - max} more`);
  return out;
}

function valueText(value: MetricValue): string {
  return typeof value === 'number' ? formatNumber(value) : value;
}

export function toleranceText(tolerance: Tolerance): string {
  const parts: string[] = [];
  if (tolerance.absolute > 0) parts.push(`±${formatNumber(tolerance.absolute)}`);
  if (tolerance.relative > 0) parts.push(`±${formatNumber(tolerance.relative * 100)}%`);
  return parts.length === 0 ? 'must be equal' : `tolerance ${parts.join(' or ')}`;
}

function metricLine(change: MetricChange): string {
  const label = change.label === '' ? '' : ` (${change.label})`;
  const { before, after } = change;
  let delta = '';
  if (typeof before === 'number' && typeof after === 'number') {
    const d = after - before;
    const sign = d > 0 ? '+' : '';
    const percent = before === 0 ? '' : `, ${sign}${formatNumber((d / Math.abs(before)) * 100)}%`;
    delta = ` (${sign}${formatNumber(d)}${percent}; ${toleranceText(change.tolerance)})`;
  }
  return `${change.name}${label}: ${valueText(before)} -> ${valueText(after)}${delta}`;
}

/** The diff's detail lines, indented by two spaces. */
export function renderDiffLines(diff: BaselineDiff, options: RenderTextOptions = {}): string[] {
  const max = options.listMax ?? 50;
  const lines: string[] = [];
  if (diff.seed !== null) lines.push(`  seed: ${diff.seed.before} -> ${diff.seed.after}`);
  lines.push(
    ...section(
      'pods moved (pod: from -> to)',
      diff.moved,
      (m) => {
        const names =
          m.nameBefore === m.nameAfter ? m.nameAfter : `${m.nameBefore}, now ${m.nameAfter}`;
        return `${m.pod}: ${m.from} -> ${m.to}  (${names})`;
      },
      max,
    ),
    ...section(
      'pods newly placed',
      diff.appeared,
      (p) => `${p.pod}: -> ${p.node}  (${p.name})`,
      max,
    ),
    ...section(
      'pods no longer placed',
      diff.disappeared,
      (p) => `${p.pod}: ${p.node} ->  (${p.name})`,
      max,
    ),
    ...section(
      'pods per owner and node',
      diff.countChanges,
      (c) => `${c.owner} on ${c.node}: ${c.before} -> ${c.after}`,
      max,
    ),
  );
  if (diff.countChanges.length === 0 && diff.digestChanged) {
    lines.push(
      '  pods changed nodes: every per-node count is equal but the placement digest differs',
    );
  }
  lines.push(
    ...section(
      'expectations flipped',
      diff.expectations,
      (e) => `${JSON.stringify(e.name)}: ${e.before} -> ${e.after}`,
      max,
    ),
    ...section('metrics beyond tolerance', diff.metrics, metricLine, max),
  );
  return lines;
}

const verdictWords: Record<ScenarioCheck['status'], string> = {
  pass: 'PASS',
  regression: 'FAIL',
  missing: 'FAIL',
  error: 'ERROR',
  created: 'NEW',
  updated: 'UPDATED',
};

/** One scenario's verdict and, when it differs, the diff and the command that accepts it. */
export function renderScenarioText(check: ScenarioCheck, options: RenderTextOptions = {}): string {
  const head = `${verdictWords[check.status]} ${check.scenario}`;
  const lines: string[] = [];
  switch (check.status) {
    case 'pass':
      lines.push(
        `${head}: ${plural(check.placementCount, 'pod', 'pods')} placed as in ${check.baselineFile}`,
      );
      break;
    case 'created':
      lines.push(`${head}: wrote ${check.baselineFile}`);
      break;
    case 'missing':
      lines.push(`${head}: ${check.message}`, `  create it: ${check.updateCommand}`);
      break;
    case 'error':
      lines.push(`${head}: ${check.message}`);
      break;
    case 'regression':
    case 'updated': {
      const diff = check.diff;
      const what =
        diff === null
          ? 'differs'
          : diffIsEmpty(diff)
            ? 'only placement times or generated names changed'
            : diffSummary(diff);
      const verb = check.status === 'updated' ? 'rewrote' : 'differs from';
      lines.push(`${head}: ${verb} ${check.baselineFile}: ${what}`);
      if (diff !== null) lines.push(...renderDiffLines(diff, options));
      if (check.status === 'regression') lines.push(`  accept the change: ${check.updateCommand}`);
      break;
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The last line: counts by outcome. */
export function renderSummaryText(report: CheckReport): string {
  const c = countByStatus(report);
  const total = report.scenarios.length;
  const parts = [`${c.pass} passed`];
  if (c.regression > 0) {
    parts.push(
      c.regression === 1
        ? '1 differs from its baseline'
        : `${c.regression} differ from their baselines`,
    );
  }
  if (c.missing > 0) parts.push(`${c.missing} without a baseline`);
  if (c.error > 0) parts.push(`${c.error} failed to run`);
  if (c.created > 0) parts.push(`${plural(c.created, 'baseline', 'baselines')} created`);
  if (c.updated > 0) parts.push(`${plural(c.updated, 'baseline', 'baselines')} updated`);
  const shard = report.shard === null ? '' : ` (shard ${report.shard.index}/${report.shard.count})`;
  return `sim check: ${plural(total, 'scenario', 'scenarios')}${shard}: ${parts.join(', ')}\n`;
}

/** Every scenario's text, then the summary. */
export function renderCheckText(report: CheckReport, options: RenderTextOptions = {}): string {
  return (
    report.scenarios.map((s) => renderScenarioText(s, options)).join('') + renderSummaryText(report)
  );
}
