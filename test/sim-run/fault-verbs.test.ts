// The control-plane and node fault verbs of `miniku sim run` (restartComponent, stopHeartbeats,
// restartApiServer, addNodes, removeNodes) carried out on a cluster world in virtual time.
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { ClusterWorld } from '../../src/sim/cluster-world.js';
import { applyFault } from '../../src/sim/run/fault-actions.js';
import type { FaultContext } from '../../src/sim/run/fault-actions.js';
import type { FaultAction, NodePool } from '../../src/sim/scenario/scenario-model.js';
import { newCluster, runIn } from '../cluster/cluster-fixtures.js';

const pool: NodePool = {
  name: 'worker',
  count: 2,
  capacity: { cpu: '4', memory: '16Gi', pods: '110' },
  labels: {},
  taints: [],
};

async function cluster(): Promise<{ world: ClusterWorld; ctx: FaultContext }> {
  const world = await newCluster([{ name: 'worker-0' }, { name: 'worker-1' }]);
  const { client, clock } = world.userClient('kubectl');
  const ctx: FaultContext = {
    world,
    networkRules: [],
    heartbeatStops: [],
    pools: new Map([['worker', { pool, nextIndex: 2 }]]),
    rng: world.rng.fork('faults'),
    client,
    sleep: (ms) => clock.sleep(ms),
    log: () => undefined,
  };
  world.start();
  return { world, ctx };
}

const fault = (action: FaultAction, ctx: FaultContext) => applyFault({ atMs: 0, action }, ctx);

function pod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx' }] },
  };
}

async function nodeNameOf(ctx: FaultContext, name: string): Promise<string | undefined> {
  const found = await ctx.client.get(coreResources.pods, 'default', name);
  return (found.spec as { nodeName?: string }).nodeName;
}

async function leaseRenewTime(ctx: FaultContext, node: string): Promise<unknown> {
  const lease = await ctx.client.get(coreResources.leases, 'kube-node-lease', node);
  return (lease.spec as { renewTime?: unknown }).renewTime;
}

describe('fault verbs on a cluster world', () => {
  it('restartComponent stops the scheduler for downFor, then a new one binds the pending pod', async () => {
    const { world, ctx } = await cluster();
    const before = world.scheduler;
    await runIn(world, 120_000, async () => {
      await ctx.sleep(15_000);
      await fault({ kind: 'restartComponent', component: 'scheduler', downForMs: 30_000 }, ctx);
      await ctx.client.create(coreResources.pods, 'default', pod('p'));
      await ctx.sleep(20_000);
      expect(await nodeNameOf(ctx, 'p')).toBeUndefined();
      await ctx.sleep(20_000);
      expect(await nodeNameOf(ctx, 'p')).toMatch(/^worker-/);
    });
    expect(world.scheduler).not.toBe(before);
  }, 20_000);

  it('restartComponent of the controller manager replaces every controller', async () => {
    const { world, ctx } = await cluster();
    const before = world.controllers;
    await runIn(world, 60_000, async () => {
      await ctx.sleep(5_000);
      await fault(
        { kind: 'restartComponent', component: 'controller-manager', downForMs: 10_000 },
        ctx,
      );
      expect(world.controllers).toBe(before);
      await ctx.sleep(11_000);
    });
    expect(world.controllers.replicaSet).not.toBe(before.replicaSet);
    expect(world.controllers.nodeLifecycle).not.toBe(before.nodeLifecycle);
  }, 20_000);

  it('stopHeartbeats freezes the Lease until it ends, and heal resumes it', async () => {
    const { world, ctx } = await cluster();
    await runIn(world, 200_000, async () => {
      await ctx.sleep(15_000);
      await fault({ kind: 'stopHeartbeats', node: 'worker-1', forMs: 40_000 }, ctx);
      await ctx.sleep(1_000);
      const frozen = await leaseRenewTime(ctx, 'worker-1');
      const other = await leaseRenewTime(ctx, 'worker-0');
      await ctx.sleep(30_000);
      expect(await leaseRenewTime(ctx, 'worker-1')).toBe(frozen);
      expect(await leaseRenewTime(ctx, 'worker-0')).not.toBe(other);
      await ctx.sleep(25_000);
      expect(await leaseRenewTime(ctx, 'worker-1')).not.toBe(frozen);
      await fault({ kind: 'stopHeartbeats', node: 'worker-0' }, ctx);
      await ctx.sleep(1_000);
      const stopped = await leaseRenewTime(ctx, 'worker-0');
      await ctx.sleep(20_000);
      expect(await leaseRenewTime(ctx, 'worker-0')).toBe(stopped);
      await fault({ kind: 'heal' }, ctx);
      await ctx.sleep(20_000);
      expect(await leaseRenewTime(ctx, 'worker-0')).not.toBe(stopped);
    });
  }, 20_000);

  it('stopHeartbeats makes the node Unknown while its pod keeps running', async () => {
    const { world, ctx } = await cluster();
    await runIn(world, 120_000, async () => {
      await ctx.client.create(coreResources.pods, 'default', pod('r'));
      await ctx.sleep(20_000);
      const node = (await nodeNameOf(ctx, 'r')) ?? '';
      expect(node).toMatch(/^worker-/);
      await fault({ kind: 'stopHeartbeats', node }, ctx);
      await ctx.sleep(60_000);
      const found = await ctx.client.get(coreResources.nodes, '', node);
      const conditions = (found.status as { conditions?: { type: string; status: string }[] })
        .conditions;
      expect(conditions?.find((c) => c.type === 'Ready')?.status).toBe('Unknown');
      const running = await world.nodes.get(node)?.runtime.listContainers({ state: 'running' });
      expect(running?.length).toBe(1);
    });
  }, 20_000);

  it('restartApiServer cuts the components off, then a new API server serves the same store', async () => {
    const { world, ctx } = await cluster();
    const before = world.apiServer;
    await runIn(world, 120_000, async () => {
      await ctx.sleep(15_000);
      await fault({ kind: 'restartApiServer', downForMs: 20_000 }, ctx);
      expect(world.apiServer).not.toBe(before);
      await ctx.client.create(coreResources.pods, 'default', pod('q'));
      await ctx.sleep(15_000);
      expect(await nodeNameOf(ctx, 'q')).toBeUndefined();
      // The components re-list with back-off once the partition ends.
      await ctx.sleep(45_000);
      expect(await nodeNameOf(ctx, 'q')).toMatch(/^worker-/);
    });
    expect(world.network.stats().partitioned).toBeGreaterThan(0);
  }, 20_000);

  it('addNodes registers the next nodes of the pool, removeNodes deletes them for good', async () => {
    const { world, ctx } = await cluster();
    await runIn(world, 120_000, async () => {
      await ctx.sleep(5_000);
      await fault({ kind: 'addNodes', pool: 'worker', count: 2 }, ctx);
      await ctx.sleep(15_000);
      const names = (await ctx.client.list(coreResources.nodes, '')).items.map(
        (n) => n.metadata.name,
      );
      expect(names).toEqual(['worker-0', 'worker-1', 'worker-2', 'worker-3']);
      await fault({ kind: 'removeNodes', nodes: ['worker-1'] }, ctx);
      await ctx.sleep(5_000);
      const left = (await ctx.client.list(coreResources.nodes, '')).items.map(
        (n) => n.metadata.name,
      );
      expect(left).toEqual(['worker-0', 'worker-2', 'worker-3']);
      await fault({ kind: 'addNodes', pool: 'worker', count: 1 }, ctx);
      await ctx.sleep(5_000);
    });
    expect([...world.nodes.keys()].sort()).toEqual([
      'worker-0',
      'worker-2',
      'worker-3',
      'worker-4',
    ]);
    expect(world.nodes.get('worker-4')?.index).toBe(4);
  }, 20_000);
});
