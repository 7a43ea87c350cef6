// The compare's tables as plain text cells, shared by compare.md, compare.html and the
// terminal summary; each renderer escapes them.
import { compareText, formatNumber } from '../report/format.js';
import type { TextTable } from '../report/report-tables.js';
import type { CompareData, NodeRow, SpreadBalance } from './compare-model.js';
import { movedPodsMax } from './compare-runs.js';

/** Rows of the moved-pods table in compare.md and compare.html. */
export const movedListedMax = 200;
/** Nodes listed in the node table and drawn in the node chart. */
export const nodesListedMax = 40;

/** `+3`, `-1.5`, `0`; `-` when either side is missing. */
export function formatChange(a: number | null, b: number | null): string {
  if (a === null || b === null) return '-';
  const change = b - a;
  return change > 0 ? `+${formatNumber(change)}` : formatNumber(change);
}

function valueText(value: number | null): string {
  return value === null ? '-' : formatNumber(value);
}

function verdictText(held: boolean | null): string {
  if (held === null) return '-';
  return held ? 'held' : 'FAILED';
}

function heldCount(data: CompareData, side: 'a' | 'b'): string {
  const known = data.expectations.filter((e) => e[side] !== null);
  const held = known.filter((e) => e[side] === true).length;
  return `${held} of ${known.length}`;
}

export function runTable(data: CompareData): TextTable {
  return {
    headers: ['Field', 'Value'],
    rows: [
      ['Scenario', data.scenario.name],
      ['Scenario SHA-256', data.scenario.hash],
      ['Seed', String(data.seed)],
      ['miniku version', data.minikuVersion],
      ['Profile A', data.profiles.a],
      ['Profile B', data.profiles.b],
    ],
  };
}

function balanceRows(what: string, a: SpreadBalance, b: SpreadBalance): string[][] {
  return [
    [`${what}: standard deviation`, formatNumber(a.stddev), formatNumber(b.stddev)],
    [`${what}: max - min`, formatNumber(a.maxMinusMin), formatNumber(b.maxMinusMin)],
  ];
}

export function sideBySideTable(data: CompareData): TextTable {
  const p = data.placements;
  return {
    headers: ['', 'A', 'B'],
    rows: [
      ['Expectations held', heldCount(data, 'a'), heldCount(data, 'b')],
      ['Pods placed', formatNumber(p.podCountA), formatNumber(p.podCountB)],
      ...balanceRows('Pods per node at the end', data.balance.a, data.balance.b),
      ...balanceRows('Pods per zone at the end', data.zoneBalance.a, data.zoneBalance.b),
    ],
  };
}

export function movedTable(data: CompareData): TextTable {
  return {
    headers: ['Pod', 'Name in A', 'Node in A', 'Node in B', 'Name in B'],
    rows: data.placements.moved
      .slice(0, movedListedMax)
      .map((m) => [m.pod, m.nameA ?? '-', m.nodeA ?? '-', m.nodeB ?? '-', m.nameB ?? '-']),
  };
}

/** Why the moved-pods table is shorter than the count, or undefined when it is complete. */
export function movedNote(data: CompareData): string | undefined {
  const hidden =
    data.placements.movedCount - Math.min(data.placements.moved.length, movedListedMax);
  if (hidden <= 0) return undefined;
  const kept = formatNumber(movedPodsMax);
  return `${formatNumber(hidden)} more not listed here (compare.json lists up to ${kept}).`;
}

/** The nodes shown: all when few, else those whose pod count changed most (then by name). */
export function shownNodes(nodes: readonly NodeRow[]): NodeRow[] {
  if (nodes.length <= nodesListedMax) return [...nodes];
  const change = (n: NodeRow) => Math.abs(n.podsB - n.podsA);
  const ranked = [...nodes].sort((x, y) => change(y) - change(x) || compareText(x.node, y.node));
  return ranked.slice(0, nodesListedMax).sort((x, y) => compareText(x.node, y.node));
}

export function nodesTable(data: CompareData): TextTable {
  return {
    headers: ['Node', 'Zone', 'Pod capacity', 'Pods in A', 'Pods in B', 'Change'],
    rows: shownNodes(data.nodes).map((n) => [
      n.node,
      n.zone ?? '-',
      valueText(n.podCapacity),
      formatNumber(n.podsA),
      formatNumber(n.podsB),
      formatChange(n.podsA, n.podsB),
    ]),
  };
}

export function nodesNote(data: CompareData): string | undefined {
  const hidden = data.nodes.length - nodesListedMax;
  if (hidden <= 0) return undefined;
  return `${formatNumber(hidden)} nodes whose pod count changed least are not listed.`;
}

export function zonesTable(data: CompareData): TextTable {
  return {
    headers: ['Zone', 'Nodes', 'Pods in A', 'Pods in B', 'Change'],
    rows: data.zones.map((z) => [
      z.zone,
      formatNumber(z.nodeCount),
      formatNumber(z.podsA),
      formatNumber(z.podsB),
      formatChange(z.podsA, z.podsB),
    ]),
  };
}

export function metricsTable(data: CompareData): TextTable {
  return {
    headers: ['Metric', 'A', 'B', 'Change'],
    rows: data.metrics.map((m) => [m.name, valueText(m.a), valueText(m.b), formatChange(m.a, m.b)]),
  };
}

export function expectationsTable(data: CompareData): TextTable {
  return {
    headers: ['Expectation', 'A', 'B', ''],
    rows: data.expectations.map((e) => [
      e.name,
      verdictText(e.a),
      verdictText(e.b),
      e.a !== null && e.b !== null && e.a !== e.b ? 'flipped' : '',
    ]),
  };
}
