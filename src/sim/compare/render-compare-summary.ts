// The compare in a few lines for a terminal or a CI log: what moved, how the spread changed,
// which metrics changed and which expectations flipped.
import { formatNumber } from '../report/format.js';
import type { CompareData, SpreadBalance } from './compare-model.js';
import { formatChange } from './compare-tables.js';

/** Moved pods and changed metrics listed before the rest are only counted. */
export const summaryLinesMax = 10;

/** `3 of 6 pods were placed on a different node in B` (no final period). */
export function movedSentence(data: CompareData): string {
  const p = data.placements;
  const placed =
    p.podCountA === p.podCountB
      ? `${formatNumber(p.movedCount)} of ${formatNumber(p.podCountA)} pods`
      : `${formatNumber(p.movedCount)} pods (A placed ${p.podCountA}, B ${p.podCountB})`;
  return `${placed} ${p.movedCount === 1 ? 'was' : 'were'} placed on a different node in B`;
}

function more(count: number, where: string): string[] {
  return count > summaryLinesMax ? [`    … and ${count - summaryLinesMax} more in ${where}`] : [];
}

function movedLines(data: CompareData): string[] {
  const shown = data.placements.moved.slice(0, summaryLinesMax).map((m) => {
    const name = m.nameA ?? m.nameB ?? '';
    return `    ${m.pod} (${name}): ${m.nodeA ?? '-'} → ${m.nodeB ?? '-'}`;
  });
  return [
    `  placements: ${movedSentence(data)}`,
    ...shown,
    ...more(data.placements.movedCount, 'compare.md'),
  ];
}

function balanceText(a: SpreadBalance, b: SpreadBalance): string {
  return (
    `stddev ${formatNumber(a.stddev)} → ${formatNumber(b.stddev)}, ` +
    `max-min ${formatNumber(a.maxMinusMin)} → ${formatNumber(b.maxMinusMin)}`
  );
}

function spreadLines(data: CompareData): string[] {
  const zones = data.zones.map((z) => `${z.zone} ${z.podsA} → ${z.podsB}`).join(', ');
  return [
    `  pods per node at the end: ${balanceText(data.balance.a, data.balance.b)}`,
    `  pods per zone at the end: ${zones === '' ? 'no zones' : zones}`,
  ];
}

function metricLines(data: CompareData): string[] {
  const changed = data.metrics.filter((m) => m.a !== m.b);
  if (changed.length === 0) return ['  metrics: all equal'];
  const value = (v: number | null) => (v === null ? '-' : formatNumber(v));
  return [
    `  metrics that differ (${changed.length} of ${data.metrics.length}):`,
    ...changed
      .slice(0, summaryLinesMax)
      .map((m) => `    ${m.name}: ${value(m.a)} → ${value(m.b)} (${formatChange(m.a, m.b)})`),
    ...more(changed.length, 'compare.md'),
  ];
}

function expectationLines(data: CompareData): string[] {
  const count = (side: 'a' | 'b') => data.expectations.filter((e) => e[side] === true).length;
  const total = data.expectations.length;
  const flipped = data.expectations
    .filter((e) => e.a !== null && e.b !== null && e.a !== e.b)
    .map((e) => `    flipped: "${e.name}" ${e.a === true ? 'held → FAILED' : 'FAILED → held'}`);
  return [
    `  expectations held: A ${count('a')} of ${total}, B ${count('b')} of ${total}`,
    ...flipped,
  ];
}

/** The terminal summary, ending in a newline; `reportPath` is where compare.html went. */
export function renderCompareSummary(data: CompareData, reportPath: string): string {
  const lines = [
    `compare ${data.scenario.name} (seed ${String(data.seed)}): ` +
      `A = ${data.profiles.a}, B = ${data.profiles.b}`,
    ...movedLines(data),
    ...spreadLines(data),
    ...metricLines(data),
    ...expectationLines(data),
    `  report: ${reportPath}`,
  ];
  return `${lines.join('\n')}\n`;
}
