// The cluster demo's observer against a real API server: followed topics print their changes,
// waiters resolve on informer events and time out with a message naming what they waited for.
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { ClusterObserver } from '../../src/sim/cluster-demo-observer.js';
import {
  conditionOf,
  nodeChanges,
  podChanges,
  podsPerNode,
} from '../../src/sim/cluster-demo-views.js';
import { createCoreWorld } from '../../src/sim/core-world.js';

const hostSetImmediate = setImmediate;
const drain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(resolve));
const startMs = 1_767_225_600_000;

async function newObserverWorld() {
  const world = await createCoreWorld({ seed: 1, startMs, drain });
  const printed: string[] = [];
  const { client, clock, rng } = world.newClient('observer');
  const observer = new ClusterObserver({
    client,
    clock,
    rng,
    namespace: 'default',
    app: 'web',
    print: (text) => printed.push(text),
  });
  const user = world.newClient('user');
  /** Runs `script` as an engine event, then the engine for `forMs` of virtual time. */
  const runFor = async (forMs: number, script: () => Promise<void>) => {
    const box: { error?: unknown; done: boolean } = { done: false };
    world.engine.schedule({
      atMs: world.engine.nowMs(),
      phase: 'timer',
      endpoint: 'test',
      run: async () => {
        await script().catch((error: unknown) => (box.error = error));
        box.done = true;
      },
    });
    await world.engine.runUntil(world.engine.nowMs() + forMs);
    if (box.error !== undefined) throw box.error;
    expect(box.done).toBe(true);
  };
  return { world, observer, printed, user, runFor };
}

function node(name: string, ready: string, taints: { key: string; effect: string }[]): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status: ready, reason: `Ready${ready}` }] },
  };
}

describe('cluster demo observer', () => {
  it('prints node changes only while nodes are followed', async () => {
    const { observer, printed, user, runFor } = await newObserverWorld();
    await runFor(10_000, async () => {
      observer.start();
      const { client } = user;
      const created = await client.create(coreResources.nodes, '', node('n1', 'False', []));
      // Not followed yet: False → True is not printed.
      const ready = await client.updateStatus(coreResources.nodes, '', {
        ...node('n1', 'True', []),
        metadata: created.metadata,
      });
      await user.clock.sleep(1_000);
      observer.follow('nodes', true);
      const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
      const tainted = await client.update(coreResources.nodes, '', {
        ...node('n1', 'True', [taint]),
        metadata: ready.metadata,
      });
      await client.updateStatus(coreResources.nodes, '', {
        ...node('n1', 'Unknown', [taint]),
        metadata: tainted.metadata,
      });
      await observer.until('n1 Unknown', 5_000, () =>
        observer.nodes.store.list().some((n) => conditionOf(n, 'Ready') === 'Unknown'),
      );
      observer.stop();
    });
    expect(printed).toEqual([
      'Node n1 tainted node.kubernetes.io/unreachable:NoExecute',
      'Node n1 Ready: True → Unknown (ReadyUnknown)',
    ]);
  });

  it('rejects a wait that is not met in time with a message naming it', async () => {
    const { observer, runFor } = await newObserverWorld();
    let message = '';
    await runFor(10_000, async () => {
      observer.start();
      await observer
        .until('the impossible', 3_000, () => false)
        .catch((error: unknown) => {
          message = error instanceof Error ? error.message : String(error);
        });
      observer.stop();
    });
    expect(message).toBe('The cluster demo did not reach "the impossible" within 3 s (virtual)');
  });
});

describe('cluster demo views', () => {
  it('describe a pod being scheduled, evicted, turning unready and deleted', () => {
    const base = { node: '', ready: false, deleting: false, disruption: '' };
    const placed = { ...base, node: 'n1' };
    expect(podChanges('p', base, placed)).toEqual(['Pod p scheduled to n1']);
    expect(podChanges('p', placed, { ...placed, ready: true })).toEqual(['Pod p on n1 Ready']);
    const evicted = { ...placed, deleting: true, disruption: 'DeletionByTaintManager' };
    expect(podChanges('p', { ...placed, ready: true }, evicted)).toEqual([
      'Pod p on n1 terminating (DeletionByTaintManager)',
      'Pod p on n1 not Ready',
    ]);
    expect(podChanges('p', evicted, undefined)).toEqual(['Pod p deleted (was on n1)']);
    expect(podChanges('p', placed, placed)).toEqual([]);
  });

  it('describe added and removed taints separately, in key order', () => {
    const before = { ready: 'True', readyReason: 'KubeletReady', taints: ['a:NoSchedule'] };
    const after = { ready: 'True', readyReason: 'KubeletReady', taints: ['b:NoExecute', 'c:X'] };
    expect(nodeChanges('n', before, after)).toEqual([
      'Node n tainted b:NoExecute, c:X',
      'Node n untainted a:NoSchedule',
    ]);
  });

  it('count pods per node, listing empty nodes too', () => {
    const pod = (nodeName: string): KubeObject => ({ metadata: { name: 'p' }, spec: { nodeName } });
    expect(podsPerNode([pod('b'), pod('a'), pod('b')], ['c', 'b', 'a'])).toBe('a 1, b 2, c 0');
  });
});
