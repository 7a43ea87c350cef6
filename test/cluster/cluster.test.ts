// The whole control plane in virtual time: scheduler, controllers and kubelets on sim runtimes.
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import { runtimeLabels } from '../../src/control/ports/container-runtime.js';
import type { ClusterWorld } from '../../src/sim/cluster-world.js';
import {
  isReady,
  newCluster,
  nodeNameOf,
  podsOf,
  replicaSet,
  replicaSets,
  runIn,
  runningContainers,
  waitFor,
} from './cluster-fixtures.js';

const threeNodes = [
  { name: 'node-a', zone: 'zone-a' },
  { name: 'node-b', zone: 'zone-b' },
  { name: 'node-c', zone: 'zone-c' },
];

/** Pod uid → nodes whose runtime runs a container of it. */
async function podPlacements(world: ClusterWorld): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const [node, containers] of await runningContainers(world)) {
    for (const c of containers) {
      const uid = c.config.labels[runtimeLabels.podUid] ?? '';
      const nodes = out.get(uid) ?? new Set<string>();
      nodes.add(node);
      out.set(uid, nodes);
    }
  }
  return out;
}

/** Every pod of `app` runs exactly one container, on its own node, and nothing else runs. */
async function exactlyDesiredRunning(world: ClusterWorld, app: string, count: number) {
  const { client } = world.userClient('check');
  const pods = (await podsOf(client, app)).filter(
    (p) => p.metadata.deletionTimestamp === undefined,
  );
  const running = await runningContainers(world);
  const expected = new Map(pods.map((p) => [p.metadata.uid ?? '', nodeNameOf(p)]));
  let total = 0;
  for (const [node, containers] of running) {
    for (const c of containers) {
      total += 1;
      if (expected.get(c.config.labels[runtimeLabels.podUid] ?? '') !== node) return false;
    }
  }
  return pods.length === count && pods.every(isReady) && total === count;
}

describe('a simulated cluster', () => {
  it('runs a ReplicaSet to ready pods spread over the nodes, never one pod on two nodes', async () => {
    const world = await newCluster(threeNodes);
    world.start();
    const { client, clock } = world.userClient('alice');
    const seen: number[] = [];
    await runIn(world, 300_000, async () => {
      await client.create(replicaSets, 'default', replicaSet('web', 6));
      await waitFor(
        clock,
        'six ready pods',
        async () => {
          const placements = await podPlacements(world);
          seen.push(Math.max(0, ...[...placements.values()].map((s) => s.size)));
          const pods = await podsOf(client, 'web');
          return pods.length === 6 && pods.every(isReady) ? true : undefined;
        },
        240_000,
      );
    });
    expect(Math.max(...seen)).toBe(1);
    const pods = await runIn(world, 1_000, () => podsOf(client, 'web'));
    const perNode = new Map<string, number>();
    for (const p of pods) perNode.set(nodeNameOf(p), (perNode.get(nodeNameOf(p)) ?? 0) + 1);
    // System default spreading: two per node.
    expect([...perNode.values()]).toEqual([2, 2, 2]);
    await runIn(world, 60_000, () => world.stop());
  });

  it('a kubelet restart in the middle of a ReplicaSet life leaves exactly the desired containers', async () => {
    const world = await newCluster(threeNodes);
    world.start();
    const { client, clock } = world.userClient('bob');
    await runIn(world, 300_000, async () => {
      await client.create(replicaSets, 'default', replicaSet('api', 4));
      await waitFor(
        clock,
        'four ready pods',
        async () => ((await exactlyDesiredRunning(world, 'api', 4)) ? true : undefined),
        240_000,
      );
      // The kubelet of node-b goes away; meanwhile one of its pods is deleted and the set grows.
      await world.stopKubelet('node-b');
      const onB = (await podsOf(client, 'api')).filter((p) => nodeNameOf(p) === 'node-b');
      expect(onB.length).toBeGreaterThan(0);
      await client.delete(coreResources.pods, 'default', onB[0]!.metadata.name ?? '');
      const scale = { type: 'merge' as const, body: { spec: { replicas: 6 } } };
      await client.patch(replicaSets, { namespace: 'default', name: 'api' }, scale);
      await clock.sleep(20_000);
      world.startKubelet('node-b');
      await waitFor(
        clock,
        'six pods, one container each',
        async () => ((await exactlyDesiredRunning(world, 'api', 6)) ? true : undefined),
        240_000,
      );
    });
    const placements = await runIn(world, 1_000, () => podPlacements(world));
    expect([...placements.values()].every((nodes) => nodes.size === 1)).toBe(true);
    expect(placements.size).toBe(6);
    await runIn(world, 60_000, () => world.stop());
  });

  it('replaces the pods of a node that stops heartbeating once their 300 s toleration ends', async () => {
    const nodes = [
      { name: 'a1', zone: 'zone-a' },
      { name: 'a2', zone: 'zone-a' },
      { name: 'b1', zone: 'zone-b' },
      { name: 'b2', zone: 'zone-b' },
    ];
    const world = await newCluster(nodes);
    world.start();
    const { client, clock } = world.userClient('carol');
    const active = async () =>
      (await podsOf(client, 'db')).filter((p) => p.metadata.deletionTimestamp === undefined);
    const timeline = await runIn(world, 900_000, async () => {
      await client.create(replicaSets, 'default', replicaSet('db', 4));
      await waitFor(
        clock,
        'four ready pods',
        async () => {
          const pods = await active();
          return pods.length === 4 && pods.every(isReady) ? true : undefined;
        },
        240_000,
      );
      const victims = (await active()).filter((p) => nodeNameOf(p) === 'b2');
      expect(victims.length).toBe(1);
      await world.stopKubelet('b2');
      const stoppedAtMs = clock.nowMs();
      const tainted = await waitFor(
        clock,
        'the unreachable NoExecute taint',
        async () => {
          const node = await client.get(coreResources.nodes, '', 'b2');
          const taints = ((node.spec ?? {}) as { taints?: { key: string; effect: string }[] })
            .taints;
          const found = (taints ?? []).some(
            (t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute',
          );
          return found ? clock.nowMs() - stoppedAtMs : undefined;
        },
        120_000,
      );
      const replaced = await waitFor(
        clock,
        'a replacement on another node',
        async () => {
          const pods = await active();
          const ok =
            pods.length === 4 && pods.every(isReady) && pods.every((p) => nodeNameOf(p) !== 'b2');
          return ok ? clock.nowMs() - stoppedAtMs : undefined;
        },
        600_000,
      );
      return { tainted, replaced };
    });
    // Unknown after the 50 s grace (checked every 5 s), then the NoExecute taint.
    expect(timeline.tainted).toBeGreaterThanOrEqual(50_000);
    expect(timeline.tainted).toBeLessThanOrEqual(70_000);
    // The pod tolerates unreachable for 300 s (DefaultTolerationSeconds), then is replaced.
    expect(timeline.replaced).toBeGreaterThanOrEqual(timeline.tainted + 300_000);
    expect(timeline.replaced).toBeLessThanOrEqual(timeline.tainted + 340_000);
    await runIn(world, 60_000, () => world.stop());
  });

  it('the same seed gives the same pod names on the same nodes', async () => {
    const placements = async () => {
      const world = await newCluster(threeNodes, { seed: 9 });
      world.start();
      const { client, clock } = world.userClient('dave');
      const out = await runIn(world, 300_000, async () => {
        await client.create(replicaSets, 'default', replicaSet('cache', 5));
        return waitFor(
          clock,
          'five ready pods',
          async () => {
            const pods = await podsOf(client, 'cache');
            if (pods.length !== 5 || !pods.every(isReady)) return undefined;
            return pods.map((p) => `${p.metadata.name}@${nodeNameOf(p)}:${p.metadata.uid}`).sort();
          },
          240_000,
        );
      });
      await runIn(world, 60_000, () => world.stop());
      return out;
    };
    const first = await placements();
    expect(first.length).toBe(5);
    expect(await placements()).toEqual(first);
  });

  it('kubelets whose clocks are 10 minutes off either way stay Ready', async () => {
    const skewed = [
      { name: 'fast', zone: 'zone-a', clockSkewMs: 600_000 },
      { name: 'slow', zone: 'zone-a', clockSkewMs: -600_000 },
      { name: 'true', zone: 'zone-a' },
    ];
    const world = await newCluster(skewed);
    world.start();
    const { client, clock } = world.userClient('erin');
    const notReady = await runIn(world, 1_300_000, async () => {
      const seen = new Set<string>();
      for (let t = 0; t < 1_200_000; t += 5_000) {
        await clock.sleep(5_000);
        if (t < 20_000) continue;
        for (const name of ['fast', 'slow', 'true']) {
          const node = await client.get(coreResources.nodes, '', name);
          const status = (node.status ?? {}) as { conditions?: { type: string; status: string }[] };
          const ready = (status.conditions ?? []).find((c) => c.type === 'Ready');
          if (ready?.status !== 'True') seen.add(name);
        }
      }
      return [...seen];
    });
    expect(notReady).toEqual([]);
    await runIn(world, 60_000, () => world.stop());
  });
});
