// Tests of the A/B comparison of two runs: moved pods by stable id, spread per node and zone,
// metrics and expectation verdicts side by side, and the renderers' bounds.
import { describe, expect, it } from 'vitest';
import type { Placement, ReportData } from '../report/report-data.js';
import type { NodePool, Scenario } from '../scenario/scenario-model.js';
import { comparePodIds, compareRuns } from './compare-runs.js';
import { renderCompareMarkdown } from './render-compare.js';
import { renderCompareSummary, summaryLinesMax } from './render-compare-summary.js';
import { movedListedMax } from './compare-tables.js';

function pool(name: string, count: number, zones?: string[]): NodePool {
  return {
    name,
    count,
    capacity: { cpu: '4', pods: '20' },
    labels: {},
    taints: [],
    ...(zones === undefined ? {} : { zones }),
  };
}

const scenario = {
  spec: { nodePools: [pool('web', 3, ['z1', 'z2']), pool('web-big', 1)] },
} as unknown as Scenario;

function placement(pod: string, node: string): Placement {
  return { atMs: 0, pod, name: `default/${pod.replace(/\W/g, '')}`, node };
}

function report(placements: Placement[], held: boolean[], extra: Partial<ReportData> = {}) {
  const counts = new Map<string, number>();
  for (const p of placements) counts.set(p.node, (counts.get(p.node) ?? 0) + 1);
  const nodes = ['web-0', 'web-1', 'web-2', 'web-big-0'];
  const data: ReportData = {
    scenario: { name: 'demo', hash: 'f'.repeat(64) },
    seed: 7,
    minikuVersion: 'test',
    virtualStartMs: 0,
    virtualEndMs: 10_000,
    metrics: { 'scheduler.attempts': placements.length },
    expectations: held.map((h, i) => ({
      name: `e${i}`,
      kind: 'eventually',
      held: h,
      instantMs: null,
      message: '',
    })),
    faults: [],
    streamSha256: '0'.repeat(64),
    series: {
      podsByPhase: [],
      podsPerNode: [...counts].map(([node, value]) => ({ node, samples: [{ tMs: 0, value }] })),
      nodeReadiness: nodes.map((node) => ({
        node,
        intervals: [{ fromMs: 0, toMs: 10_000, status: 'Ready' as const }],
      })),
      pendingQueue: [],
      schedulingLatencyMs: [],
      podStartupLatencyMs: [],
    },
    placements,
    ...extra,
  };
  return data;
}

const profiles = { a: 'a.yaml', b: 'b.yaml' };

describe('compareRuns', () => {
  it('lists the pods whose node differs, by stable id with ordinals in numeric order', () => {
    const a = report(
      [
        placement('RS/default/web#10', 'web-0'),
        placement('RS/default/web#9', 'web-1'),
        placement('RS/default/web#2', 'web-2'),
      ],
      [true, true],
    );
    const b = report(
      [
        placement('RS/default/web#10', 'web-1'),
        placement('RS/default/web#9', 'web-1'),
        placement('Pod/default/x', 'web-big-0'),
      ],
      [true, false],
    );
    const data = compareRuns(a, b, { scenario, profiles });
    expect(data.placements.moved.map((m) => [m.pod, m.nodeA, m.nodeB])).toEqual([
      ['Pod/default/x', null, 'web-big-0'],
      ['RS/default/web#2', 'web-2', null],
      ['RS/default/web#10', 'web-0', 'web-1'],
    ]);
    expect(data.placements).toMatchObject({ podCountA: 3, podCountB: 3, movedCount: 3 });
    expect(data.nodes).toEqual([
      { node: 'web-0', zone: 'z1', podCapacity: 20, podsA: 1, podsB: 0 },
      { node: 'web-1', zone: 'z2', podCapacity: 20, podsA: 1, podsB: 2 },
      { node: 'web-2', zone: 'z1', podCapacity: 20, podsA: 1, podsB: 0 },
      { node: 'web-big-0', zone: null, podCapacity: 20, podsA: 0, podsB: 1 },
    ]);
    expect(data.zones).toEqual([
      { zone: '(none)', nodeCount: 1, podsA: 0, podsB: 1 },
      { zone: 'z1', nodeCount: 2, podsA: 2, podsB: 0 },
      { zone: 'z2', nodeCount: 1, podsA: 1, podsB: 2 },
    ]);
    expect(data.balance.b.maxMinusMin).toBe(2);
    expect(data.expectations).toEqual([
      { name: 'e0', a: true, b: true },
      { name: 'e1', a: true, b: false },
    ]);
    expect(data.passed).toEqual({ a: true, b: false });
  });

  it('finds nothing moved when both runs placed every pod alike', () => {
    const placements = [
      placement('RS/default/web#0', 'web-0'),
      placement('RS/default/web#1', 'web-1'),
    ];
    const data = compareRuns(report(placements, [true]), report(placements, [true]), {
      scenario,
      profiles,
    });
    expect(data.placements.moved).toEqual([]);
    expect(data.metrics.every((m) => m.a === m.b)).toBe(true);
  });

  it('bounds the moved pods listed in compare.md and on the terminal', () => {
    const count = movedListedMax + 5;
    const ids = Array.from({ length: count }, (_, i) => `RS/default/web#${i}`);
    const a = report(
      ids.map((id) => placement(id, 'web-0')),
      [],
    );
    const b = report(
      ids.map((id) => placement(id, 'web-1')),
      [],
    );
    const data = compareRuns(a, b, { scenario, profiles });
    expect(data.placements.moved.length).toBe(count);
    const markdown = renderCompareMarkdown(data);
    expect(markdown.match(/^\| RS\/default\/web#/gm)?.length).toBe(movedListedMax);
    expect(markdown).toContain('5 more not listed here');
    const summary = renderCompareSummary(data, 'out/compare.html');
    expect(summary.match(/: web-0 → web-1$/gm)?.length).toBe(summaryLinesMax);
    expect(summary).toContain(`… and ${count - summaryLinesMax} more in compare.md`);
  });
});

describe('comparePodIds', () => {
  it('orders by owner, then ordinal as a number, and is total', () => {
    const ids = ['RS/a/b#10', 'RS/a/b#9', 'Pod/a/z', 'RS/a/b#x', 'RS/a/a#100'];
    expect([...ids].sort(comparePodIds)).toEqual([
      'Pod/a/z',
      'RS/a/a#100',
      'RS/a/b#9',
      'RS/a/b#10',
      'RS/a/b#x',
    ]);
    for (const x of ids) expect(comparePodIds(x, x)).toBe(0);
  });
});
