// The skewClock fault verb carried out on a cluster world in virtual time: a node's kubelet, the
// controller manager and the scheduler read skewed (jumped or drifting) clocks, across restarts.
import { describe, expect, it } from 'vitest';
import { parseMicroTime, parseTime } from '../../src/control/api/values/time.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { ClusterWorld } from '../../src/sim/cluster-world.js';
import { applyFault } from '../../src/sim/run/fault-actions.js';
import type { FaultContext } from '../../src/sim/run/fault-actions.js';
import type { FaultAction } from '../../src/sim/scenario/scenario-model.js';
import { newCluster, replicaSet, runIn } from '../cluster/cluster-fixtures.js';

async function cluster(): Promise<{ world: ClusterWorld; ctx: FaultContext }> {
  const world = await newCluster([{ name: 'worker-0' }, { name: 'worker-1' }]);
  const { client, clock } = world.userClient('kubectl');
  const ctx: FaultContext = {
    world,
    networkRules: [],
    heartbeatStops: [],
    pools: new Map(),
    rng: world.rng.fork('faults'),
    client,
    sleep: (ms) => clock.sleep(ms),
    log: () => undefined,
  };
  world.start();
  return { world, ctx };
}

const fault = (action: FaultAction, ctx: FaultContext) => applyFault({ atMs: 0, action }, ctx);

/** The node's Lease renewTime minus engine time, ms. */
async function leaseAheadMs(ctx: FaultContext, node: string): Promise<number> {
  const lease = await ctx.client.get(coreResources.leases, 'kube-node-lease', node);
  const renewTime = (lease.spec as { renewTime?: string }).renewTime ?? '';
  return (parseMicroTime(renewTime) ?? 0) - ctx.world.engine.nowMs();
}

async function readyOf(ctx: FaultContext, node: string): Promise<string | undefined> {
  const found = await ctx.client.get(coreResources.nodes, '', node);
  const status = found.status as { conditions?: { type: string; status: string }[] };
  return status.conditions?.find((c) => c.type === 'Ready')?.status;
}

/** For each Event of `reason`: its firstTimestamp (the recorder's clock) minus the API server's. */
async function eventLeadsMs(ctx: FaultContext, reason: string): Promise<number[]> {
  const events = (await ctx.client.list(coreResources.events, 'default')).items;
  return events
    .filter((e) => (e as { reason?: string }).reason === reason)
    .map((e) => {
      const first = parseTime((e as { firstTimestamp?: string }).firstTimestamp ?? '') ?? 0;
      return first - (parseTime(e.metadata.creationTimestamp ?? '') ?? 0);
    });
}

describe('skewClock on a cluster world', () => {
  it("moves a node's kubelet clock: its Lease runs 5 min ahead, also after a kubelet restart", async () => {
    const { world, ctx } = await cluster();
    const target = { kind: 'node', node: 'worker-1' } as const;
    await runIn(world, 200_000, async () => {
      await ctx.sleep(15_000);
      await fault({ kind: 'skewClock', target, offsetMs: 300_000 }, ctx);
      expect(world.clockSkewMs(target)).toBe(300_000);
      await ctx.sleep(15_000);
      expect(await leaseAheadMs(ctx, 'worker-1')).toBeGreaterThan(300_000 - 11_000);
      expect(await leaseAheadMs(ctx, 'worker-1')).toBeLessThanOrEqual(300_000);
      expect(await leaseAheadMs(ctx, 'worker-0')).toBeLessThanOrEqual(0);
      await fault({ kind: 'restartKubelet', node: 'worker-1' }, ctx);
      await ctx.sleep(15_000);
      expect(await leaseAheadMs(ctx, 'worker-1')).toBeGreaterThan(300_000 - 11_000);
      await ctx.sleep(90_000);
      expect(await readyOf(ctx, 'worker-1')).toBe('True');
    });
  }, 20_000);

  it('a kubelet clock stepped back past the grace period flaps its node Unknown, as upstream', async () => {
    const { world, ctx } = await cluster();
    const target = { kind: 'node', node: 'worker-0' } as const;
    const seen = { 'worker-0': new Set<string>(), 'worker-1': new Set<string>() };
    await runIn(world, 200_000, async () => {
      await ctx.sleep(15_000);
      // Renewals stamped before the last one seen do not count (node-health.ts), so the node
      // goes stale until the kubelet re-posts its status or its renewTime passes the old one.
      await fault({ kind: 'skewClock', target, offsetMs: -120_000 }, ctx);
      for (let i = 0; i < 170; i++) {
        await ctx.sleep(1_000);
        for (const node of ['worker-0', 'worker-1'] as const) {
          seen[node].add((await readyOf(ctx, node)) ?? 'none');
        }
      }
      expect(await readyOf(ctx, 'worker-0')).toBe('True');
    });
    expect([...seen['worker-0']].sort()).toEqual(['True', 'Unknown']);
    expect([...seen['worker-1']]).toEqual(['True']);
  }, 20_000);

  it("drifts the controller manager's clocks: its Events are stamped ahead, also after a restart", async () => {
    const { world, ctx } = await cluster();
    const target = { kind: 'component', component: 'controller-manager' } as const;
    await runIn(world, 200_000, async () => {
      await ctx.sleep(5_000);
      await ctx.client.create(coreResources.replicaSets, 'default', replicaSet('before', 1));
      await ctx.sleep(5_000);
      // 100,000 ppm: 100 ms per second.
      await fault({ kind: 'skewClock', target, driftPpm: 100_000 }, ctx);
      // Half a step past 60 s: the drift steps every second of engine time.
      await ctx.sleep(60_500);
      expect(world.clockSkewMs(target)).toBe(6_000);
      await ctx.client.create(coreResources.replicaSets, 'default', replicaSet('during', 1));
      await ctx.sleep(5_000);
      await fault({ kind: 'restartComponent', component: 'controller-manager', downForMs: 0 }, ctx);
      await ctx.sleep(55_000);
      expect(world.clockSkewMs(target)).toBe(12_000);
      await ctx.client.create(coreResources.replicaSets, 'default', replicaSet('after', 1));
      await ctx.sleep(5_000);
    });
    const leads = await runIn(world, 1_000, () => eventLeadsMs(ctx, 'SuccessfulCreate'));
    expect(leads).toHaveLength(3);
    const sorted = [...leads].sort((a, b) => a - b);
    expect(sorted[0]).toBeLessThanOrEqual(1_000);
    expect(sorted[1]).toBeGreaterThanOrEqual(5_000);
    expect(sorted[2]).toBeGreaterThanOrEqual(11_000);
  }, 20_000);

  it("steps the scheduler's clock back without stopping it from binding pods", async () => {
    const { world, ctx } = await cluster();
    const target = { kind: 'component', component: 'scheduler' } as const;
    await runIn(world, 60_000, async () => {
      await ctx.sleep(5_000);
      await fault({ kind: 'skewClock', target, offsetMs: -600_000 }, ctx);
      expect(world.clockSkewMs(target)).toBe(-600_000);
      await ctx.client.create(coreResources.replicaSets, 'default', replicaSet('web', 3));
      await ctx.sleep(30_000);
      const pods = (await ctx.client.list(coreResources.pods, 'default')).items;
      expect(pods.filter((p) => (p.spec as { nodeName?: string }).nodeName).length).toBe(3);
    });
  }, 20_000);

  it("moves the API server's clock: what it stamps runs ahead, also after a restart", async () => {
    const { world, ctx } = await cluster();
    const target = { kind: 'component', component: 'apiserver' } as const;
    const aheadMs = async (name: string) => {
      const rs = await ctx.client.create(coreResources.replicaSets, 'default', replicaSet(name, 0));
      const stamped = parseTime(rs.metadata.creationTimestamp ?? '');
      return (stamped ?? 0) - world.engine.nowMs();
    };
    await runIn(world, 60_000, async () => {
      await ctx.sleep(1_000);
      expect(Math.abs(await aheadMs('before'))).toBeLessThan(1_000);
      await fault({ kind: 'skewClock', target, offsetMs: 300_000 }, ctx);
      expect(await aheadMs('skewed')).toBeGreaterThan(299_000);
      await fault({ kind: 'restartApiServer', downForMs: 0 }, ctx);
      await ctx.sleep(1_000);
      expect(await aheadMs('restarted')).toBeGreaterThan(299_000);
    });
  }, 20_000);
});
