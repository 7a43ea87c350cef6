import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  container,
  makeNode,
  makePod,
  newPlugin,
  nodeInfoOf,
  runFilter,
  runScore,
} from '../../../../test/scheduler/fixtures.js';
import { defaultWeight, factory } from './node-resources-fit.js';

const twoNodes = () => [
  nodeInfoOf(makeNode({ name: 'n1', cpu: '4000m', memory: '10Gi' })),
  nodeInfoOf(makeNode({ name: 'n2', cpu: '6000m', memory: '10Gi' })),
];
const bigPod = () => makePod({ requests: { cpu: '3000m', memory: '5Gi' } });

describe('NodeResourcesFit filter', () => {
  it('reports every failing reason in upstream order', () => {
    const node = nodeInfoOf(
      makeNode({
        name: 'n',
        cpu: '1',
        memory: '1Gi',
        pods: '1',
        extra: { 'example.com/gpu': '1' },
      }),
      [
        makePod({
          name: 'old',
          requests: { cpu: '500m', memory: '512Mi', 'example.com/gpu': '1' },
        }),
      ],
    );
    const pod = makePod({
      requests: {
        cpu: '600m',
        memory: '600Mi',
        'ephemeral-storage': '1Gi',
        'example.com/gpu': '1',
      },
    });
    expect(runFilter(newPlugin(factory), pod, [node])).toEqual([
      {
        code: 'Unschedulable',
        reasons: [
          'Too many pods',
          'Insufficient cpu',
          'Insufficient memory',
          'Insufficient ephemeral-storage',
          'Insufficient example.com/gpu',
        ],
      },
    ]);
  });

  it('checks only the pod count for a pod that requests nothing', () => {
    const full = nodeInfoOf(makeNode({ name: 'n', cpu: '1', pods: '2' }), [
      makePod({ name: 'a', requests: { cpu: '2' } }),
    ]);
    const besteffort = makePod({ containers: [container()] });
    expect(runFilter(newPlugin(factory), besteffort, [full])[0]?.code).toBe('Success');
  });

  it('skips resources the pod requests zero of', () => {
    const full = nodeInfoOf(makeNode({ name: 'n', cpu: '1', memory: '1Gi' }), [
      makePod({ name: 'a', requests: { cpu: '2' } }),
    ]);
    const pod = makePod({ requests: { cpu: '0', memory: '1Mi' } });
    expect(runFilter(newPlugin(factory), pod, [full])[0]?.code).toBe('Success');
  });

  it('ignores extended resources named in the args', () => {
    const node = nodeInfoOf(makeNode({ name: 'n' }));
    const pod = makePod({ requests: { 'example.com/a': '1', 'vendor.io/b': '1' } });
    const plugin = newPlugin(factory, {
      ignoredResources: ['example.com/a'],
      ignoredResourceGroups: ['vendor.io'],
    });
    expect(runFilter(plugin, pod, [node])[0]?.code).toBe('Success');
    expect(runFilter(newPlugin(factory), pod, [node])[0]?.reasons).toEqual([
      'Insufficient example.com/a',
      'Insufficient vendor.io/b',
    ]);
  });

  it('agrees with a direct arithmetic model', () => {
    const arb = fc.record({
      allocCpu: fc.integer({ min: 0, max: 8000 }),
      allocMem: fc.integer({ min: 0, max: 4096 }),
      allocPods: fc.integer({ min: 0, max: 4 }),
      existing: fc.array(
        fc.record({
          cpu: fc.integer({ min: 0, max: 3000 }),
          mem: fc.integer({ min: 0, max: 2048 }),
        }),
        {
          maxLength: 4,
        },
      ),
      cpu: fc.integer({ min: 0, max: 4000 }),
      mem: fc.integer({ min: 0, max: 2048 }),
    });
    fc.assert(
      fc.property(arb, (c) => {
        const node = nodeInfoOf(
          makeNode({
            name: 'n',
            cpu: `${c.allocCpu}m`,
            memory: `${c.allocMem}Mi`,
            pods: String(c.allocPods),
          }),
          c.existing.map((e, i) =>
            makePod({ name: `e${i}`, requests: { cpu: `${e.cpu}m`, memory: `${e.mem}Mi` } }),
          ),
        );
        const pod = makePod({ requests: { cpu: `${c.cpu}m`, memory: `${c.mem}Mi` } });
        const usedCpu = c.existing.reduce((s, e) => s + e.cpu, 0);
        const usedMem = c.existing.reduce((s, e) => s + e.mem, 0);
        const expected: string[] = [];
        if (c.existing.length + 1 > c.allocPods) expected.push('Too many pods');
        if (c.cpu > 0 && c.cpu > c.allocCpu - usedCpu) expected.push('Insufficient cpu');
        if (c.mem > 0 && c.mem > c.allocMem - usedMem) expected.push('Insufficient memory');
        const [s] = runFilter(newPlugin(factory), pod, [node]);
        expect(s?.reasons).toEqual(expected);
        expect(s?.code).toBe(expected.length === 0 ? 'Success' : 'Unschedulable');
      }),
      { numRuns: 300 },
    );
  });
});

describe('NodeResourcesFit score', () => {
  it('has the upstream default weight', () => {
    expect(defaultWeight).toBe(1);
  });

  it('scores LeastAllocated by default', () => {
    // n1: cpu (4000−3000)×100/4000 = 25, memory 50 → 37; n2: 50, 50 → 50
    expect(runScore(newPlugin(factory), bigPod(), twoNodes())).toEqual([37, 50]);
  });

  it('counts 100m and 200Mi for containers without requests', () => {
    const node = nodeInfoOf(makeNode({ name: 'n1', cpu: '4000m', memory: '10Gi' }), [
      makePod({ name: 'old', requests: { cpu: '1000m', memory: '2Gi' } }),
    ]);
    // cpu 1100 → 2900×100/4000 = 72; memory 2248Mi of 10240Mi → 78; (72 + 78) / 2 = 75
    expect(runScore(newPlugin(factory), makePod({ containers: [container()] }), [node])).toEqual([
      75,
    ]);
  });

  it('gives 100 on empty nodes to a pod without containers, which adds nothing', () => {
    expect(runScore(newPlugin(factory), makePod(), twoNodes())).toEqual([100, 100]);
  });

  it('scores MostAllocated', () => {
    const plugin = newPlugin(factory, { scoringStrategy: { type: 'MostAllocated' } });
    expect(runScore(plugin, bigPod(), twoNodes())).toEqual([62, 50]);
  });

  it('weights resources', () => {
    const plugin = newPlugin(factory, {
      scoringStrategy: {
        type: 'LeastAllocated',
        resources: [
          { name: 'cpu', weight: 3 },
          { name: 'memory', weight: 1 },
        ],
      },
    });
    // n1: (25×3 + 50) / 4 = 31
    expect(runScore(plugin, bigPod(), twoNodes())).toEqual([31, 50]);
  });

  it('leaves out an extended resource the pod does not request', () => {
    const resources = [
      { name: 'cpu', weight: 1 },
      { name: 'memory', weight: 1 },
      { name: 'example.com/gpu', weight: 5 },
    ];
    const plugin = newPlugin(factory, { scoringStrategy: { type: 'LeastAllocated', resources } });
    expect(runScore(plugin, bigPod(), twoNodes())).toEqual([37, 50]);
  });

  it('rounds the RequestedToCapacityRatio average half away from zero', () => {
    const shape = [
      { utilization: 0, score: 0 },
      { utilization: 100, score: 10 },
    ];
    const plugin = newPlugin(factory, {
      scoringStrategy: { type: 'RequestedToCapacityRatio', requestedToCapacityRatio: { shape } },
    });
    // n1: cpu 75, memory 50 → round(62.5) = 63
    expect(runScore(plugin, bigPod(), twoNodes())).toEqual([63, 50]);
  });

  it('evaluates the broken-linear shape between points in integers', () => {
    const shape = [
      { utilization: 10, score: 2 },
      { utilization: 50, score: 8 },
    ];
    const plugin = newPlugin(factory, {
      scoringStrategy: {
        type: 'RequestedToCapacityRatio',
        resources: [{ name: 'cpu', weight: 1 }],
        requestedToCapacityRatio: { shape },
      },
    });
    const nodes = ['5', '33', '90'].map((pct, i) =>
      nodeInfoOf(makeNode({ name: `n${i}`, cpu: '100m' }), [
        makePod({ name: 'x', requests: { cpu: `${pct}m` } }),
      ]),
    );
    // utilization 5 → 20; 33 → 20 + 60×23/40 = 54; 90 → 80 (the pod adds 0 cpu)
    expect(runScore(plugin, makePod({ requests: { cpu: '0' } }), nodes)).toEqual([20, 54, 80]);
  });

  it('leaves resources that score 0 out of the RequestedToCapacityRatio weights', () => {
    const plugin = newPlugin(factory, {
      scoringStrategy: {
        type: 'RequestedToCapacityRatio',
        resources: [
          { name: 'cpu', weight: 1 },
          { name: 'memory', weight: 3 },
        ],
        requestedToCapacityRatio: {
          shape: [
            { utilization: 0, score: 0 },
            { utilization: 100, score: 10 },
          ],
        },
      },
    });
    const pod = makePod({ requests: { cpu: '0', memory: '5Gi' } });
    expect(runScore(plugin, pod, twoNodes())).toEqual([50, 50]);
  });

  it('rejects weights outside 1..100', () => {
    const args = {
      scoringStrategy: { type: 'LeastAllocated', resources: [{ name: 'cpu', weight: 0 }] },
    };
    expect(() => newPlugin(factory, args)).toThrow(/weight/);
  });

  it('keeps every strategy within 0..100', () => {
    const types = ['LeastAllocated', 'MostAllocated', 'RequestedToCapacityRatio'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...types),
        fc.integer({ min: 0, max: 9000 }),
        fc.integer({ min: 1, max: 8000 }),
        fc.integer({ min: 0, max: 20000 }),
        (type, cpu, allocCpu, mem) => {
          const shape = [
            { utilization: 0, score: 10 },
            { utilization: 60, score: 3 },
            { utilization: 100, score: 0 },
          ];
          const plugin = newPlugin(factory, {
            scoringStrategy: { type, requestedToCapacityRatio: { shape } },
          });
          const node = nodeInfoOf(makeNode({ name: 'n', cpu: `${allocCpu}m`, memory: '10000Mi' }));
          const [s] = runScore(
            plugin,
            makePod({ requests: { cpu: `${cpu}m`, memory: `${mem}Mi` } }),
            [node],
          );
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(100);
        },
      ),
      { numRuns: 200 },
    );
  });
});
