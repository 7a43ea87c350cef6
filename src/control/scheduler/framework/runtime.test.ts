import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fixedSnapshot,
  nodeInfo,
  podInfo,
  stubHandle,
  testRegistry,
} from '../../../../test/scheduler/scheduler-fixtures.js';
import { createRng } from '../../rng/seeded-rng.js';
import type { JsonObject } from '../../store/types.js';
import type { PodInfo } from './types.js';
import type { ProfileConfig } from '../config.js';
import { resolveSchedulerConfig } from '../config.js';
import { scoredNodes } from '../explain.js';
import { Framework, numFeasibleNodesToFind, selectHost } from './runtime.js';
import type { SamplingState } from './runtime.js';

function framework(
  plugins: { name: string; weight?: number }[],
  options: {
    args?: Record<string, JsonObject>;
    seed?: number;
    sampling?: SamplingState;
    nominated?: (node: string) => PodInfo[];
  } = {},
) {
  const profile: ProfileConfig = {
    plugins: {
      multiPoint: {
        enabled: [{ name: 'TestSort' }, ...plugins, { name: 'TestBinder' }],
        disabled: [{ name: '*' }],
      },
    },
    pluginConfig: Object.entries(options.args ?? {}).map(([name, args]) => ({ name, args })),
  };
  const resolved = resolveSchedulerConfig({ profiles: [profile] });
  if (!resolved.ok) throw new Error(resolved.errors.join('; '));
  const handle = stubHandle();
  if (options.nominated !== undefined) handle.nominatedPods = options.nominated;
  const sampling = options.sampling ?? { nextStartNodeIndex: 0 };
  const fw = new Framework({
    profile: resolved.config.profiles[0]!,
    registry: testRegistry(),
    handle,
    percentageOfNodesToScore: 0,
    rng: createRng(options.seed ?? 1).fork('select-host'),
    sampling,
  });
  return { fw, handle, sampling };
}

function nodes(count: number) {
  return Array.from({ length: count }, (_, i) => nodeInfo(`n${String(i).padStart(4, '0')}`));
}

describe('numFeasibleNodesToFind', () => {
  it('follows upstream adaptive sampling', () => {
    expect(numFeasibleNodesToFind(0, 50)).toBe(50);
    expect(numFeasibleNodesToFind(0, 100)).toBe(100);
    expect(numFeasibleNodesToFind(0, 500)).toBe(230);
    expect(numFeasibleNodesToFind(0, 1000)).toBe(420);
    expect(numFeasibleNodesToFind(0, 5000)).toBe(500);
    expect(numFeasibleNodesToFind(0, 6000)).toBe(300);
  });

  it('honours an explicit percentage with a floor of 100 nodes', () => {
    expect(numFeasibleNodesToFind(10, 500)).toBe(100);
    expect(numFeasibleNodesToFind(50, 1000)).toBe(500);
    expect(numFeasibleNodesToFind(100, 5000)).toBe(5000);
  });
});

describe('selectHost', () => {
  const scores = [
    { node: 'a', total: 10 },
    { node: 'b', total: 30 },
    { node: 'c', total: 20 },
    { node: 'd', total: 30 },
    { node: 'e', total: 30 },
  ];

  it('picks only among the nodes with the maximum total', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 200; seed++) seen.add(selectHost(scores, createRng(seed)));
    expect([...seen].sort()).toEqual(['b', 'd', 'e']);
  });

  it('is deterministic per seed', () => {
    for (let seed = 0; seed < 20; seed++) {
      expect(selectHost(scores, createRng(seed))).toBe(selectHost(scores, createRng(seed)));
    }
  });

  it('always returns a node with the maximum total (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(5), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (totals, seed) => {
          const list = totals.map((total, i) => ({ node: `n${i}`, total }));
          const chosen = selectHost(list, createRng(seed));
          const max = Math.max(...totals);
          expect(list.find((s) => s.node === chosen)?.total).toBe(max);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('returns the single maximum without drawing', () => {
    expect(
      selectHost(
        [
          { node: 'x', total: 1 },
          { node: 'y', total: 5 },
        ],
        createRng(3),
      ),
    ).toBe('y');
  });
});

describe('Framework.schedulePod', () => {
  it('stops filtering once enough feasible nodes are found and records the sample size', async () => {
    const { fw, sampling } = framework([{ name: 'TestFit' }]);
    const outcome = await fw.schedulePod(podInfo('p', { cpu: '1' }), fixedSnapshot(nodes(500)));
    expect(outcome.kind).toBe('scheduled');
    expect(outcome.decision.sampledNodeCount).toBe(230);
    expect(outcome.decision.feasibleNodeCount).toBe(230);
    expect(sampling.nextStartNodeIndex).toBe(230);
  });

  it('starts the next cycle where the previous one stopped, wrapping around', async () => {
    const sampling = { nextStartNodeIndex: 400 };
    const { fw } = framework([{ name: 'TestFit' }], { sampling });
    const outcome = await fw.schedulePod(podInfo('p', { cpu: '1' }), fixedSnapshot(nodes(500)));
    expect(outcome.decision.sampledNodeCount).toBe(230);
    expect(sampling.nextStartNodeIndex).toBe((400 + 230) % 500);
  });

  it('counts rejected nodes as processed when moving the start index', async () => {
    const all = nodes(200);
    const rejected = all.slice(0, 50).map((n) => n.name);
    const { fw, sampling } = framework([{ name: 'TestReject' }], {
      args: { TestReject: { nodes: rejected } },
    });
    const outcome = await fw.schedulePod(podInfo('p'), fixedSnapshot(all));
    // 200 nodes → want 100 feasible; the first 50 fail, so 150 are processed.
    expect(outcome.decision.sampledNodeCount).toBe(150);
    expect(sampling.nextStartNodeIndex).toBe(150);
  });

  it('builds the FailedScheduling message from every rejected node', async () => {
    const full = nodeInfo('full', { cpu: '1' });
    const { fw } = framework([{ name: 'TestReject' }, { name: 'TestFit' }], {
      args: { TestReject: { nodes: ['t1', 't2'], reason: 'node(s) had untolerated taint {a: b}' } },
    });
    const snapshot = fixedSnapshot([full, nodeInfo('t1'), nodeInfo('t2')]);
    const outcome = await fw.schedulePod(podInfo('p', { cpu: '2' }), snapshot);
    expect(outcome.kind).toBe('unschedulable');
    if (outcome.kind !== 'unschedulable') return;
    expect(outcome.message).toBe(
      '0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {a: b}.',
    );
    expect(outcome.decision.filtered.map((f) => [f.node, f.plugin])).toEqual([
      ['full', 'TestFit'],
      ['t1', 'TestReject'],
      ['t2', 'TestReject'],
    ]);
  });

  it('counts nodes outside a PreFilter narrowing with the plugin reason', async () => {
    const { fw } = framework([{ name: 'TestNarrow' }, { name: 'TestFit' }], {
      args: { TestNarrow: { nodes: ['a'] } },
    });
    const snapshot = fixedSnapshot([nodeInfo('a', { cpu: '1' }), nodeInfo('b'), nodeInfo('c')]);
    const outcome = await fw.schedulePod(podInfo('p', { cpu: '2' }), snapshot);
    expect(outcome.kind === 'unschedulable' && outcome.message).toBe(
      "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [TestNarrow].",
    );
  });

  it('rejects the pod in PreFilter when the narrowing is empty', async () => {
    const { fw } = framework([{ name: 'TestNarrow' }], { args: { TestNarrow: { nodes: [] } } });
    const outcome = await fw.schedulePod(podInfo('p'), fixedSnapshot([nodeInfo('a')]));
    expect(outcome.kind === 'unschedulable' && outcome.message).toBe(
      "0/1 nodes are available: node(s) didn't satisfy plugin TestNarrow.",
    );
  });

  it('skips scoring when exactly one node is feasible', async () => {
    const { fw } = framework([{ name: 'TestFit' }, { name: 'TestScore' }]);
    const snapshot = fixedSnapshot([nodeInfo('small', { cpu: '1' }), nodeInfo('big')]);
    const outcome = await fw.schedulePod(podInfo('p', { cpu: '2' }), snapshot);
    expect(outcome.kind === 'scheduled' && outcome.nodeName).toBe('big');
    expect(scoredNodes(outcome.decision)).toEqual([]);
  });

  it('weights scores and picks the best total', async () => {
    const { fw } = framework([{ name: 'TestScore', weight: 3 }, { name: 'TestLeastCpu' }], {
      args: { TestScore: { scores: { a: 10, b: 20, c: 0 } } },
    });
    const snapshot = fixedSnapshot([nodeInfo('a'), nodeInfo('b'), nodeInfo('c')]);
    const outcome = await fw.schedulePod(podInfo('p', { cpu: '1' }), snapshot);
    expect(outcome.kind === 'scheduled' && outcome.nodeName).toBe('b');
    const b = scoredNodes(outcome.decision).find((s) => s.node === 'b');
    expect(b).toEqual({
      node: 'b',
      total: 60 + 75,
      plugins: [
        { plugin: 'TestScore', raw: 20, normalized: 20, weighted: 60 },
        { plugin: 'TestLeastCpu', raw: 75, normalized: 75, weighted: 75 },
      ],
    });
  });

  it('binds through the bind plugin', async () => {
    const { fw, handle } = framework([]);
    const outcome = await fw.schedulePod(podInfo('p'), fixedSnapshot([nodeInfo('a')]));
    expect(outcome.kind).toBe('scheduled');
    if (outcome.kind !== 'scheduled') return;
    const result = await fw.runBind(outcome.state, podInfo('p'), outcome.nodeName);
    expect(result.code).toBe('Success');
    expect(handle.binds).toEqual([['default/p', 'a']]);
  });
});

describe('Framework filters with nominated pods', () => {
  it('counts higher-priority pods nominated to a node as already there', async () => {
    const nominee = podInfo('nominee', { cpu: '3' });
    const { fw } = framework([{ name: 'TestFit' }], {
      nominated: (node) => (node === 'a' ? [nominee] : []),
    });
    const snapshot = fixedSnapshot([nodeInfo('a'), nodeInfo('b')]);
    const outcome = await fw.schedulePod(podInfo('p', { cpu: '2' }), snapshot);
    expect(outcome.kind === 'scheduled' && outcome.nodeName).toBe('b');
    expect(outcome.decision.filtered.map((f) => [f.node, f.reasons[0]])).toEqual([
      ['a', 'Insufficient cpu'],
    ]);
  });
});
