// Tests of the what-if scheduling run: placements, explanations, determinism and bad input.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../control/store/types.js';
import { runWhatIf, WhatIfInputError } from './what-if.js';

const hostSetImmediate = setImmediate;
const drain = () => new Promise<void>((resolve) => hostSetImmediate(() => resolve()));

function node(name: string, cpu: string, extra: JsonObject = {}): JsonObject {
  const allocatable = { cpu, memory: '8Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: { capacity: allocatable, allocatable },
    ...extra,
  };
}

function pod(name: string, cpu: string, spec: JsonObject = {}, namespace = 'default'): JsonObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace },
    spec: {
      containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }],
      ...spec,
    },
  };
}

describe('runWhatIf', () => {
  it('binds pending pods next to bound ones and explains the choice', async () => {
    const objects = [
      node('a', '2'),
      node('b', '4'),
      pod('old', '1500m', { nodeName: 'a' }),
      pod('new', '1', {}, 'team'),
    ];
    const result = await runWhatIf({ objects, seed: 1, drain });
    expect(result.nodeCount).toBe(2);
    expect(result.pods).toHaveLength(1);
    const only = result.pods[0]!;
    expect(only).toMatchObject({ namespace: 'team', name: 'new', node: 'b', message: null });
    expect(only.reasons).toEqual(['1 Insufficient cpu']);
    expect(only.filtered).toEqual([
      { node: 'a', plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'] },
    ]);
  });

  it('reports the FailedScheduling message of a pod that fits nowhere', async () => {
    const objects = [node('a', '2'), node('b', '2'), pod('huge', '3')];
    const result = await runWhatIf({ objects, seed: 1, drain });
    expect(result.pods[0]).toMatchObject({
      node: null,
      message:
        '0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: ' +
        '2 No preemption victims found for incoming pod.',
      sampledNodeCount: 2,
    });
  });

  it('rejects a config that fails validation with its field path', async () => {
    const run = runWhatIf({ objects: [], seed: 1, drain, percentageOfNodesToScore: 150 });
    await expect(run).rejects.toThrow(WhatIfInputError);
    await expect(run).rejects.toThrow('percentageOfNodesToScore: Invalid value: 150');
  });

  it('samples as many nodes as percentageOfNodesToScore allows (at least 100)', async () => {
    const nodes = Array.from({ length: 130 }, (_, i) =>
      node(`n${String(i).padStart(3, '0')}`, '4'),
    );
    const objects = [...nodes, pod('p', '1')];
    const adaptive = await runWhatIf({ objects, seed: 1, drain });
    const all = await runWhatIf({ objects, seed: 1, drain, percentageOfNodesToScore: 100 });
    expect(adaptive.pods[0]?.sampledNodeCount).toBe(100);
    expect(all.pods[0]?.sampledNodeCount).toBe(130);
  });

  it('creates priority classes, services and replica sets, and skips kinds it does not read', async () => {
    const selector = { app: 'web' };
    const objects: JsonObject[] = [
      node('a', '4'),
      node('b', '4'),
      {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'high' },
        value: 1000,
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { selector, ports: [{ port: 80 }] },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop' },
        spec: {
          selector: { matchLabels: selector },
          template: {
            metadata: { labels: selector },
            spec: { containers: [{ name: 'c', image: 'x' }] },
          },
        },
      },
      {
        ...pod('w1', '100m', { nodeName: 'a' }, 'shop'),
        metadata: { name: 'w1', namespace: 'shop', labels: selector },
      },
      {
        ...pod('w2', '100m', { priorityClassName: 'high' }, 'shop'),
        metadata: { name: 'w2', namespace: 'shop', labels: selector },
      },
    ];
    const result = await runWhatIf({ objects, seed: 3, drain });
    expect(result.skipped).toEqual(['Deployment shop/web']);
    const w2 = result.pods[0]!;
    // Default spreading over the Service's pods moves w2 away from w1's node.
    expect(w2).toMatchObject({ name: 'w2', node: 'b' });
    const spread = (n: string) =>
      w2.top.find((s) => s.node === n)?.plugins.find((p) => p.plugin === 'PodTopologySpread');
    expect(spread('b')!.normalized).toBeGreaterThan(spread('a')!.normalized);
  });

  it('gives identical results for the same seed', async () => {
    const objects = Array.from({ length: 8 }, (_, i) => [
      node(`n${i}`, '4'),
      pod(`p${i}`, '1'),
    ]).flat();
    const first = await runWhatIf({ objects, seed: 'x', drain });
    const second = await runWhatIf({ objects, seed: 'x', drain });
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(first.pods.every((p) => p.node !== null)).toBe(true);
  });
});

describe('runWhatIf with gated pods', () => {
  it('reports a pod with scheduling gates as blocked without waiting for it', async () => {
    const gated = pod('g', '1', { schedulingGates: [{ name: 'example.com/wait' }] });
    const result = await runWhatIf({ objects: [node('a', '2'), gated], seed: 1, drain });
    expect(result.settled).toBe(true);
    expect(result.virtualMs).toBeLessThan(10_000);
    expect(result.pods[0]).toMatchObject({
      node: null,
      attempts: 0,
      message: 'Scheduling is blocked due to non-empty scheduling gates',
    });
  });
});
