// Tests for PodTopologySpread: Filter reasons, minDomains, scoring as upstream, system defaults.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { selectorFromSet } from '../../api/values/labels.js';
import type { JsonObject } from '../../store/types.js';
import { CycleState } from '../framework/types.js';
import type { NodeInfo, Plugin, PodInfo } from '../framework/types.js';
import {
  makeNode,
  makePod,
  makeSnapshot,
  RecordingHandle,
} from '../../../../test/scheduler/plugin-fixtures.js';
import {
  goRound,
  factory,
  reasonConstraintsNotMatch,
  reasonNodeLabelNotMatch,
} from './pod-topology-spread.js';

const zone = 'topology.kubernetes.io/zone';

function plugin(args?: JsonObject, handle = new RecordingHandle()): Plugin {
  return factory({ args, schedulerName: 'default-scheduler', handle });
}

function spreadPod(name: string, constraints: Record<string, unknown>[], extra = {}): PodInfo {
  return makePod(name, {
    labels: { app: 'web' },
    spec: { topologySpreadConstraints: constraints, ...extra },
  });
}

function webPods(prefix: string, count: number, options = {}): PodInfo[] {
  return Array.from({ length: count }, (_, i) =>
    makePod(`${prefix}-${i}`, { labels: { app: 'web' }, ...options }),
  );
}

function constraint(key: string, maxSkew: number, when: string, extra = {}) {
  return {
    maxSkew,
    topologyKey: key,
    whenUnsatisfiable: when,
    labelSelector: { matchLabels: { app: 'web' } },
    ...extra,
  };
}

function runFilter(p: Plugin, pod: PodInfo, nodes: NodeInfo[]) {
  const state = new CycleState();
  const pre = p.preFilter!(state, pod, makeSnapshot(nodes));
  return {
    pre: pre.status.code,
    results: nodes.map((n) => {
      const s = p.filter!(state, pod, n);
      return [n.name, s.code, ...s.reasons].join(' ');
    }),
  };
}

function runScore(p: Plugin, pod: PodInfo, nodes: NodeInfo[]) {
  const state = new CycleState();
  const status = p.preScore!(state, pod, nodes, makeSnapshot(nodes));
  if (status.code === 'Skip') return 'skip';
  const scores = Float64Array.from(nodes, (n) => p.score!(state, pod, n).score);
  p.normalizeScore!(state, pod, { names: nodes.map((n) => n.name), scores });
  return [...scores];
}

describe('PodTopologySpread scoring', () => {
  const counts = [2, 1, 0, 3];
  const nodes = counts.map((c, i) => makeNode(`node-${'abcd'[i]}`, {}, webPods(`p${i}`, c)));

  it('scores 2/1/0/3 pods on four hostnames as 20/60/100/0 with maxSkew 1', () => {
    const pod = spreadPod('new', [constraint('kubernetes.io/hostname', 1, 'ScheduleAnyway')]);
    expect(runScore(plugin(), pod, nodes)).toEqual([20, 60, 100, 0]);
  });

  it('scores 2/1/0/3 pods on four hostnames as 33/66/100/16 with maxSkew 2', () => {
    const pod = spreadPod('new', [constraint('kubernetes.io/hostname', 2, 'ScheduleAnyway')]);
    expect(runScore(plugin(), pod, nodes)).toEqual([33, 66, 100, 16]);
  });

  it('gives nodes without the topology key 0 and leaves them out of min and max', () => {
    const zoned = [
      makeNode('a', { [zone]: 'z1' }, webPods('a', 2)),
      makeNode('b', { [zone]: 'z2' }, []),
      makeNode('c', {}, []),
    ];
    const pod = spreadPod('new', [constraint(zone, 1, 'ScheduleAnyway')]);
    // size 2 → ln 4; a: round(2·1.386)=3, b: 0 → normalised 0 and 100; c ignored.
    expect(runScore(plugin(), pod, zoned)).toEqual([0, 100, 0]);
  });

  it('skips scoring when the pod has only hard constraints', () => {
    const pod = spreadPod('new', [constraint(zone, 1, 'DoNotSchedule')]);
    expect(runScore(plugin(), pod, nodes)).toBe('skip');
  });
});

describe('PodTopologySpread system default constraints', () => {
  const nodes = [
    makeNode('a', { [zone]: 'z1' }, webPods('a', 4)),
    makeNode('b', { [zone]: 'z1' }, []),
    makeNode('c', { [zone]: 'z2' }, []),
  ];
  const bare = makePod('new', { labels: { app: 'web' } });

  it('spreads pods selected by a Service with hostname maxSkew 3 and zone maxSkew 5', () => {
    const handle = new RecordingHandle({ selectors: [selectorFromSet({ app: 'web' })] });
    // a: 4·ln5 + 2 + 4·ln4 + 4 = 17.98 → 18; b: 0 + 2 + 5.55 + 4 → 12; c: 2 + 0 + 4 = 6.
    expect(runScore(plugin(undefined, handle), bare, nodes)).toEqual([33, 66, 100]);
  });

  it('skips scoring when nothing selects the pod', () => {
    expect(runScore(plugin(), bare, nodes)).toBe('skip');
  });

  it('uses the listed default constraints with defaultingType List', () => {
    const handle = new RecordingHandle({ selectors: [selectorFromSet({ app: 'web' })] });
    const args = {
      defaultingType: 'List',
      defaultConstraints: [{ maxSkew: 1, topologyKey: zone, whenUnsatisfiable: 'DoNotSchedule' }],
    } as unknown as JsonObject;
    const { results } = runFilter(plugin(args, handle), bare, nodes);
    expect(results).toEqual([
      `a Unschedulable ${reasonConstraintsNotMatch}`,
      `b Unschedulable ${reasonConstraintsNotMatch}`,
      'c Success',
    ]);
  });

  it('has no default constraints with defaultingType List and an empty list', () => {
    const handle = new RecordingHandle({ selectors: [selectorFromSet({ app: 'web' })] });
    const args = { defaultingType: 'List' } as unknown as JsonObject;
    expect(runScore(plugin(args, handle), bare, nodes)).toBe('skip');
  });
});

describe('PodTopologySpread filter', () => {
  const zoned = (counts: number[], extraNode?: NodeInfo) => [
    ...counts.map((c, i) => makeNode(`n${i}`, { [zone]: `z${i}` }, webPods(`p${i}`, c))),
    ...(extraNode ? [extraNode] : []),
  ];

  it('rejects domains that would exceed maxSkew over the least populated domain', () => {
    const pod = spreadPod('new', [constraint(zone, 1, 'DoNotSchedule')]);
    expect(runFilter(plugin(), pod, zoned([1, 0, 2])).results).toEqual([
      `n0 Unschedulable ${reasonConstraintsNotMatch}`,
      'n1 Success',
      `n2 Unschedulable ${reasonConstraintsNotMatch}`,
    ]);
  });

  it('reports nodes without the topology key as unresolvable', () => {
    const pod = spreadPod('new', [constraint(zone, 1, 'DoNotSchedule')]);
    const results = runFilter(plugin(), pod, zoned([0], makeNode('bare'))).results;
    expect(results[1]).toBe(`bare UnschedulableAndUnresolvable ${reasonNodeLabelNotMatch}`);
  });

  it('treats the minimum as 0 while there are fewer domains than minDomains', () => {
    const pod = spreadPod('new', [constraint(zone, 1, 'DoNotSchedule', { minDomains: 3 })]);
    expect(runFilter(plugin(), pod, zoned([1, 1])).results).toEqual([
      `n0 Unschedulable ${reasonConstraintsNotMatch}`,
      `n1 Unschedulable ${reasonConstraintsNotMatch}`,
    ]);
    const relaxed = spreadPod('new', [constraint(zone, 1, 'DoNotSchedule', { minDomains: 2 })]);
    expect(runFilter(plugin(), relaxed, zoned([1, 1])).results).toEqual([
      'n0 Success',
      'n1 Success',
    ]);
  });

  it('ignores terminating pods and pods of other namespaces', () => {
    const pod = spreadPod('new', [constraint(zone, 1, 'DoNotSchedule')]);
    const nodes = [
      makeNode('n0', { [zone]: 'z0' }, [
        ...webPods('t', 3, { terminating: true }),
        ...webPods('o', 3, { namespace: 'other' }),
      ]),
      makeNode('n1', { [zone]: 'z1' }, []),
    ];
    expect(runFilter(plugin(), pod, nodes).results).toEqual(['n0 Success', 'n1 Success']);
  });

  it('counts only nodes that pass the pod nodeSelector unless nodeAffinityPolicy is Ignore', () => {
    const nodes = [
      makeNode('n0', { [zone]: 'z0', disk: 'ssd' }, []),
      makeNode('n1', { [zone]: 'z1' }, webPods('p', 3)),
    ];
    const honor = spreadPod('new', [constraint(zone, 1, 'DoNotSchedule')], {
      nodeSelector: { disk: 'ssd' },
    });
    expect(runFilter(plugin(), honor, nodes).results[0]).toBe('n0 Success');
    const ignore = spreadPod(
      'new',
      [constraint(zone, 1, 'DoNotSchedule', { nodeAffinityPolicy: 'Ignore' })],
      { nodeSelector: { disk: 'ssd' } },
    );
    // z1 now counts with 3 pods; z0 has 0, so z0 still passes and z1 (3+1−0) fails.
    expect(runFilter(plugin(), ignore, nodes).results[1]).toBe(
      `n1 Unschedulable ${reasonConstraintsNotMatch}`,
    );
  });

  it('excludes untolerated tainted nodes only with nodeTaintsPolicy Honor', () => {
    const taints = { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] };
    const nodes = [
      makeNode('n0', { [zone]: 'z0' }, [], taints),
      makeNode('n1', { [zone]: 'z1' }, webPods('p', 1)),
    ];
    const ignore = spreadPod('new', [constraint(zone, 1, 'DoNotSchedule')]);
    expect(runFilter(plugin(), ignore, nodes).results[1]).toBe(
      `n1 Unschedulable ${reasonConstraintsNotMatch}`,
    );
    const honor = spreadPod('new', [
      constraint(zone, 1, 'DoNotSchedule', { nodeTaintsPolicy: 'Honor' }),
    ]);
    expect(runFilter(plugin(), honor, nodes).results[1]).toBe('n1 Success');
  });

  it('adds matchLabelKeys values of the incoming pod to the selector', () => {
    const nodes = [
      makeNode('n0', { [zone]: 'z0' }, webPods('old', 3, { labels: { app: 'web', rev: '1' } })),
      makeNode('n1', { [zone]: 'z1' }, []),
    ];
    const pod = makePod('new', {
      labels: { app: 'web', rev: '2' },
      spec: {
        topologySpreadConstraints: [
          constraint(zone, 1, 'DoNotSchedule', { matchLabelKeys: ['rev'] }),
        ],
      },
    });
    expect(runFilter(plugin(), pod, nodes).results).toEqual(['n0 Success', 'n1 Success']);
  });

  it('skips PreFilter for a pod without hard constraints', () => {
    expect(runFilter(plugin(), makePod('new'), zoned([0])).pre).toBe('Skip');
  });
});

describe('goRound', () => {
  it('rounds halves away from zero as Go math.Round does', () => {
    expect([2.5, -2.5, 0.49999999999999994, -0.5, 1.4].map(goRound)).toEqual([3, -3, 0, -1, 1]);
  });
});

describe('PodTopologySpread filter property', () => {
  it('never admits a node that puts its domain more than maxSkew above the emptiest', () => {
    const arb = fc.record({
      maxSkew: fc.integer({ min: 1, max: 3 }),
      nodes: fc.array(
        fc.record({ zone: fc.integer({ min: 0, max: 3 }), web: fc.nat(5), other: fc.nat(2) }),
        { minLength: 1, maxLength: 8 },
      ),
    });
    fc.assert(
      fc.property(arb, ({ maxSkew, nodes }) => {
        const infos = nodes.map((n, i) =>
          makeNode(`n${i}`, { [zone]: `z${n.zone}` }, [
            ...webPods(`w${i}`, n.web),
            ...Array.from({ length: n.other }, (_, j) => makePod(`o${i}-${j}`)),
          ]),
        );
        const pod = spreadPod('new', [constraint(zone, maxSkew, 'DoNotSchedule')]);
        const p = plugin();
        const state = new CycleState();
        p.preFilter!(state, pod, makeSnapshot(infos));
        const perZone = new Map<string, number>();
        nodes.forEach((n) => perZone.set(`z${n.zone}`, (perZone.get(`z${n.zone}`) ?? 0) + n.web));
        for (const node of infos) {
          if (p.filter!(state, pod, node).code !== 'Success') continue;
          const after = new Map(perZone);
          const z = node.labels[zone]!;
          after.set(z, after.get(z)! + 1);
          const min = Math.min(...after.values());
          if (after.get(z)! - min > maxSkew) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
  });
});

describe('PodTopologySpread system defaults on partly zoned clusters', () => {
  it('counts unlabelled nodes as one extra zone domain when sizing the zone weight', () => {
    const handle = new RecordingHandle({ selectors: [selectorFromSet({ app: 'web' })] });
    const nodes = [
      makeNode('a', { [zone]: 'z1' }, webPods('a', 3)),
      makeNode('b', {}, webPods('b', 1)),
      makeNode('c', {}, []),
    ];
    // zone domains z1 and "" → ln 4; hostname size 3 → ln 5.
    // a: 3·ln5 + 2 + 3·ln4 + 4 = 14.99 → 15 (14 with ln 3); b: ln5 + 2 = 3.6 → 4; c: 2.
    const pod = makePod('new', { labels: { app: 'web' } });
    expect(runScore(plugin(undefined, handle), pod, nodes)).toEqual([13, 86, 100]);
  });
});
