// Tests for the per-node chart views: top nodes by peak, the percentile band, readiness rows.

import { describe, expect, it } from 'vitest';
import {
  nodeLineCountMax,
  percentileBand,
  podsPerNodeView,
  rankNodesByPeak,
  readinessNodeCountMax,
  readinessView,
} from './chart-data.js';
import type { NodePodSeries, NodeReadiness } from './report-data.js';

function flat(node: string, value: number, durationMs = 1000): NodePodSeries {
  return {
    node,
    samples: [
      { tMs: 0, value },
      { tMs: durationMs, value },
    ],
  };
}

describe('rankNodesByPeak', () => {
  it('puts the highest peak first and breaks ties by name in code-unit order', () => {
    const ranked = rankNodesByPeak([flat('b', 3), flat('a', 3), flat('c', 7), flat('B', 3)]);
    expect(ranked.map((node) => node.node)).toEqual(['c', 'B', 'a', 'b']);
  });
});

describe('podsPerNodeView', () => {
  it('draws every node as a line when there are at most 20', () => {
    const nodes = Array.from({ length: nodeLineCountMax }, (_, i) => flat(`n-${i}`, i));
    const view = podsPerNodeView(nodes, 1000, 2000);
    expect(view.top).toHaveLength(20);
    expect(view.rest).toEqual([]);
    expect(view.band).toEqual([]);
  });

  it('keeps the 20 busiest nodes and bands the other 5', () => {
    const nodes = Array.from({ length: 25 }, (_, i) => flat(`n-${String(i).padStart(2, '0')}`, i));
    const view = podsPerNodeView(nodes, 1000, 2000);
    expect(view.top.map((node) => node.node)).toEqual(
      Array.from({ length: 20 }, (_, i) => `n-${String(24 - i).padStart(2, '0')}`),
    );
    expect(view.rest.map((node) => node.node)).toEqual(['n-04', 'n-03', 'n-02', 'n-01', 'n-00']);
    expect(view.band[0]).toEqual({ tMs: 0, p10: 0, p50: 2, p90: 4 });
    expect(view.band[view.band.length - 1]?.tMs).toBe(1000);
  });
});

describe('percentileBand', () => {
  it('carries each node’s last value into buckets where it has no sample', () => {
    const nodes: NodePodSeries[] = [
      {
        node: 'a',
        samples: [
          { tMs: 0, value: 1 },
          { tMs: 500, value: 5 },
        ],
      },
      { node: 'b', samples: [{ tMs: 0, value: 3 }] },
    ];
    const band = percentileBand(nodes, 1000, 11);
    expect(band).toEqual([
      { tMs: 0, p10: 1, p50: 1, p90: 3 },
      { tMs: 500, p10: 3, p50: 3, p90: 5 },
      { tMs: 1000, p10: 3, p50: 3, p90: 5 },
    ]);
  });

  it('stays within pointCountMax points however many samples the nodes have', () => {
    const dense = (node: string): NodePodSeries => ({
      node,
      samples: Array.from({ length: 5000 }, (_, t) => ({ tMs: t, value: t % 7 })),
    });
    const band = percentileBand([dense('a'), dense('b'), dense('c')], 4999, 100);
    expect(band.length).toBeLessThanOrEqual(100);
    expect(band[0]).toEqual({ tMs: 0, p10: 6, p50: 6, p90: 6 });
  });
});

describe('readinessView', () => {
  function node(name: string, unknownMs: number): NodeReadiness {
    const intervals =
      unknownMs === 0
        ? [{ fromMs: 0, toMs: 1000, status: 'Ready' as const }]
        : [
            { fromMs: 0, toMs: 1000 - unknownMs, status: 'Ready' as const },
            { fromMs: 1000 - unknownMs, toMs: 1000, status: 'Unknown' as const },
          ];
    return { node: name, intervals };
  }

  it('never leaves out a node that was not Ready, and lists the shown nodes by name', () => {
    const nodes = Array.from({ length: 50 }, (_, i) => node(`n-${String(i).padStart(2, '0')}`, 0));
    nodes.push(node('z-crashed', 300), node('a-flaky', 10));
    const view = readinessView(nodes);
    expect(view.shown).toHaveLength(readinessNodeCountMax);
    expect(view.hiddenCount).toBe(52 - readinessNodeCountMax);
    const names = view.shown.map((shown) => shown.node);
    expect(names[0]).toBe('a-flaky');
    expect(names).toContain('z-crashed');
    expect(names).toEqual([...names].sort());
  });
});
