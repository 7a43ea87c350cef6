// The built-in invariants hold over ordinary cluster runs (a ReplicaSet placed and scaled, a node
// crashing and coming back, the scheduler and the API server restarting), the checker looked at
// every kind of event meanwhile, and running it changes nothing the cluster does.
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { ClusterWorld } from '../../src/sim/cluster-world.js';
import { InvariantChecker } from '../../src/sim/run/invariants.js';
import {
  isReady,
  newCluster,
  podsOf,
  replicaSet,
  runIn,
  waitFor,
} from '../cluster/cluster-fixtures.js';

const capacity = { cpu: '2', memory: '4Gi', pods: '110' };
const nodes = ['worker-0', 'worker-1', 'worker-2'].map((name) => ({ name, capacity }));

async function cluster(checked: boolean): Promise<{
  world: ClusterWorld;
  checker: InvariantChecker | undefined;
}> {
  const world = await newCluster(nodes, { seed: 7 });
  const checker = checked ? new InvariantChecker({ world }) : undefined;
  checker?.start();
  world.start();
  return { world, checker };
}

/** A node crash as the crashNode fault does it: the kubelet stops and the machine loses power. */
async function crashNode(world: ClusterWorld, name: string): Promise<void> {
  await world.stopKubelet(name);
  world.nodes.get(name)?.runtime.crash({ keepImages: true });
}

/** Six replicas placed, scaled to nine, worker-1 crashing for 400 s, then back. */
async function story(world: ClusterWorld): Promise<void> {
  const { client, clock } = world.userClient('test');
  await client.create(coreResources.replicaSets, 'default', replicaSet('web', 6));
  const sixReady = async () =>
    (await podsOf(client, 'web')).filter(isReady).length === 6 ? 1 : undefined;
  await waitFor(clock, 'six ready pods', sixReady, 60_000);
  const rs = await client.get(coreResources.replicaSets, 'default', 'web');
  await client.update(coreResources.replicaSets, 'default', {
    ...rs,
    spec: { ...(rs.spec as object), replicas: 9 },
  });
  await clock.sleep(20_000);
  await crashNode(world, 'worker-1');
  await clock.sleep(400_000);
  world.startKubelet('worker-1');
  await clock.sleep(60_000);
}

/** The whole stored state, in key order: what the cluster did. */
function storeDump(world: ClusterWorld): string {
  const listed = world.store.list('');
  return listed.ok ? JSON.stringify(listed.value.items) : 'unlistable';
}

describe('built-in invariants over a normal cluster run', () => {
  it('hold while a ReplicaSet is placed, scaled, and survives a node crash', async () => {
    const { world, checker } = await cluster(true);
    await runIn(world, 600_000, () => story(world));
    checker?.stop();
    expect(checker?.violations()).toEqual([]);
    const stats = checker?.stats();
    expect(stats?.commits).toBeGreaterThan(100);
    // Nine replicas, and three replacements for the crashed node's pods.
    expect(stats?.bindingsVerified).toBe(12);
    expect(stats?.bindingsUnverified).toBe(0);
    expect(stats?.acknowledgedWritesVerified).toBeGreaterThan(100);
    expect(stats?.acknowledgedWritesUnverified).toBe(0);
    expect(stats?.watchLinesChecked).toBeGreaterThan(500);
    expect(stats?.containerChanges).toBeGreaterThanOrEqual(12);
  }, 20_000);

  it('hold across restarts of the scheduler and the API server', async () => {
    const { world, checker } = await cluster(true);
    await runIn(world, 120_000, async () => {
      const { client, clock } = world.userClient('test');
      await clock.sleep(5_000);
      await world.stopComponent('scheduler');
      world.startComponent('scheduler');
      world.replaceApiServer();
      await client.create(coreResources.replicaSets, 'default', replicaSet('web', 4));
      await clock.sleep(60_000);
    });
    checker?.stop();
    expect(checker?.violations()).toEqual([]);
    // The restarted scheduler's decisions were followed: every binding matched one.
    expect(checker?.stats()).toMatchObject({ bindingsVerified: 4, bindingsUnverified: 0 });
  }, 20_000);

  it('change nothing the cluster does', async () => {
    const runs = [await cluster(false), await cluster(true)];
    for (const { world } of runs) {
      await runIn(world, 90_000, async () => {
        const { client, clock } = world.userClient('test');
        await client.create(coreResources.replicaSets, 'default', replicaSet('web', 5));
        await clock.sleep(60_000);
      });
    }
    const [unchecked, checked] = runs.map((run) => run.world);
    expect(checked?.store.revision).toBe(unchecked?.store.revision);
    expect(checked?.engine.eventCount).toBe(unchecked?.engine.eventCount);
    expect(checked && storeDump(checked)).toBe(unchecked && storeDump(unchecked));
    expect(runs[1]?.checker?.stats().watchLinesChecked).toBeGreaterThan(0);
  }, 20_000);
});
