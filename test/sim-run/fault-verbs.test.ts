// The control-plane, node and container fault verbs of `miniku sim run` (restartComponent,
// stopHeartbeats, restartApiServer, addNodes, removeNodes, killContainer, oomContainer) carried out
// on a cluster world in virtual time.
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

function pod(name: string, restartPolicy = 'Always'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { restartPolicy, containers: [{ name: 'app', image: 'nginx' }] },
  };
}

function podWithSidecar(name: string): KubeObject {
  const base = pod(name);
  const containers = [
    { name: 'app', image: 'nginx' },
    { name: 'sidecar', image: 'busybox' },
  ];
  return { ...base, spec: { ...(base.spec as object), containers } };
}

interface ContainerStatusView {
  name: string;
  restartCount: number;
  state: { running?: object; terminated?: { exitCode: number; reason: string } };
  lastState: { terminated?: { exitCode: number; reason: string } };
}

async function containerStatus(
  ctx: FaultContext,
  podName: string,
  container: string,
): Promise<ContainerStatusView | undefined> {
  const found = await ctx.client.get(coreResources.pods, 'default', podName);
  const status = found.status as { containerStatuses?: ContainerStatusView[] };
  return status.containerStatuses?.find((c) => c.name === container);
}

async function phaseOf(ctx: FaultContext, podName: string): Promise<string | undefined> {
  const found = await ctx.client.get(coreResources.pods, 'default', podName);
  return (found.status as { phase?: string }).phase;
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

  it('killContainer kills the first container with exit 137, reason Error, and it restarts', async () => {
    const { world, ctx } = await cluster();
    await runIn(world, 120_000, async () => {
      await ctx.client.create(coreResources.pods, 'default', podWithSidecar('k'));
      await ctx.sleep(20_000);
      expect((await containerStatus(ctx, 'k', 'app'))?.state.running).toBeDefined();
      await fault({ kind: 'killContainer', pod: { namespace: 'default', selector: 'app=k' } }, ctx);
      await ctx.sleep(30_000);
      const app = await containerStatus(ctx, 'k', 'app');
      expect(app?.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'Error' });
      expect(app?.restartCount).toBe(1);
      expect(app?.state.running).toBeDefined();
      expect((await containerStatus(ctx, 'k', 'sidecar'))?.restartCount).toBe(0);
    });
  }, 20_000);

  it('oomContainer OOM-kills the named container (137, OOMKilled) and the kubelet restarts it', async () => {
    const { world, ctx } = await cluster();
    await runIn(world, 120_000, async () => {
      await ctx.client.create(coreResources.pods, 'default', podWithSidecar('o'));
      await ctx.sleep(20_000);
      const target = { namespace: 'default', name: 'o' };
      await fault({ kind: 'oomContainer', pod: target, container: 'sidecar' }, ctx);
      await ctx.sleep(30_000);
      const sidecar = await containerStatus(ctx, 'o', 'sidecar');
      expect(sidecar?.lastState.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
      expect(sidecar?.restartCount).toBe(1);
      expect((await containerStatus(ctx, 'o', 'app'))?.restartCount).toBe(0);
      await fault({ kind: 'oomContainer', pod: target, container: 'sidecar' }, ctx);
      await ctx.sleep(40_000);
      expect((await containerStatus(ctx, 'o', 'sidecar'))?.restartCount).toBe(2);
    });
  }, 20_000);

  it('oomContainer leaves a restartPolicy Never pod Failed with the container OOMKilled', async () => {
    const { world, ctx } = await cluster();
    await runIn(world, 120_000, async () => {
      await ctx.client.create(coreResources.pods, 'default', pod('n', 'Never'));
      await ctx.sleep(20_000);
      expect(await phaseOf(ctx, 'n')).toBe('Running');
      await fault({ kind: 'oomContainer', pod: { namespace: 'default', name: 'n' } }, ctx);
      await ctx.sleep(20_000);
      const app = await containerStatus(ctx, 'n', 'app');
      expect(app?.state.terminated).toMatchObject({ exitCode: 137, reason: 'OOMKilled' });
      expect(app?.restartCount).toBe(0);
      expect(await phaseOf(ctx, 'n')).toBe('Failed');
    });
  }, 20_000);
});
