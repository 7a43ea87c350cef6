// The compare's vega-lite chart specs (data inline): pods per node and per zone at the end of
// each run as grouped bars, and scheduling and startup latency of both runs as CDFs.
import type { TopLevelSpec } from 'vega-lite';
import { chartConfig, chartHeightPx, chartWidthPx } from '../report/chart-config.js';
import { cdfRows } from '../report/chart-specs.js';
import { formatNumber } from '../report/format.js';
import type { CompareData, LatencySamples } from './compare-model.js';
import { nodesNote, shownNodes } from './compare-tables.js';

export type CompareChartKey =
  'podsPerNode' | 'podsPerZone' | 'schedulingLatency' | 'startupLatency';

export const compareChartKeys: readonly CompareChartKey[] = [
  'podsPerNode',
  'podsPerZone',
  'schedulingLatency',
  'startupLatency',
];

export const compareChartTitles: Readonly<Record<CompareChartKey, string>> = {
  podsPerNode: 'Pods per node at the end',
  podsPerZone: 'Pods per zone at the end',
  schedulingLatency: 'Scheduling latency (CDF)',
  startupLatency: 'Pod startup latency (CDF)',
};

const runs = ['A', 'B'];
const runColors = ['#3969ac', '#e68310'];
const runColor = {
  field: 'run',
  type: 'nominal' as const,
  title: 'run',
  sort: runs,
  scale: { domain: runs, range: runColors },
};

type Row = Record<string, number | string>;

function title(key: CompareChartKey, subtitle: string | undefined) {
  return subtitle === undefined
    ? { text: compareChartTitles[key], anchor: 'start' as const }
    : { text: compareChartTitles[key], subtitle, anchor: 'start' as const };
}

function groupedBars(
  key: CompareChartKey,
  groups: readonly { name: string; a: number; b: number }[],
  axisTitle: string,
  subtitle: string | undefined,
): TopLevelSpec {
  const rows: Row[] = groups.flatMap((g) => [
    { group: g.name, run: 'A', pods: g.a },
    { group: g.name, run: 'B', pods: g.b },
  ]);
  const names = groups.map((g) => g.name);
  return {
    title: title(key, subtitle),
    width: chartWidthPx,
    height: chartHeightPx,
    config: chartConfig,
    data: { values: rows },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'group',
        type: 'nominal',
        title: axisTitle,
        sort: names,
        scale: { domain: names },
      },
      xOffset: { field: 'run', type: 'nominal', sort: runs, scale: { domain: runs } },
      y: {
        field: 'pods',
        type: 'quantitative',
        title: 'pods',
        scale: rows.every((row) => row['pods'] === 0) ? { domain: [0, 1] } : { zero: true },
        axis: { tickMinStep: 1, format: 'd' },
      },
      color: runColor,
    },
  };
}

function cdfSpec(key: CompareChartKey, samples: LatencySamples): TopLevelSpec {
  const rows: Row[] = [
    ...cdfRows(samples.a).map((row) => ({ ...row, run: 'A' })),
    ...cdfRows(samples.b).map((row) => ({ ...row, run: 'B' })),
  ];
  const subtitle =
    `${formatNumber(samples.a.length)} samples drawn for A, ` +
    `${formatNumber(samples.b.length)} for B`;
  return {
    title: title(key, subtitle),
    width: chartWidthPx,
    height: chartHeightPx,
    config: chartConfig,
    data: { values: rows },
    mark: { type: 'line', interpolate: 'step-after' },
    encoding: {
      x: {
        field: 'ms',
        type: 'quantitative',
        title: 'milliseconds',
        scale: rows.every((row) => row['ms'] === 0) ? { domain: [0, 1] } : { zero: true },
      },
      y: {
        field: 'fraction',
        type: 'quantitative',
        title: 'fraction of pods',
        scale: { domain: [0, 1] },
        axis: { format: '.0%' },
      },
      color: runColor,
    },
  };
}

/** The four chart specs, in compareChartKeys order. */
export function compareChartSpecs(
  data: CompareData,
): Array<{ key: CompareChartKey; spec: TopLevelSpec }> {
  const nodes = shownNodes(data.nodes).map((n) => ({ name: n.node, a: n.podsA, b: n.podsB }));
  const zones = data.zones.map((z) => ({ name: z.zone, a: z.podsA, b: z.podsB }));
  const specs: Record<CompareChartKey, TopLevelSpec> = {
    podsPerNode: groupedBars('podsPerNode', nodes, 'node', nodesNote(data)),
    podsPerZone: groupedBars('podsPerZone', zones, 'zone', undefined),
    schedulingLatency: cdfSpec('schedulingLatency', data.latency.scheduling),
    startupLatency: cdfSpec('startupLatency', data.latency.startup),
  };
  return compareChartKeys.map((key) => ({ key, spec: specs[key] }));
}
