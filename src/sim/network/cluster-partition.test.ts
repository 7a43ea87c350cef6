// A partitioned kubelet in a simulated cluster: components sit at their own network endpoints,
// so cutting `node/<name>` silences that kubelet only, and healing brings its node back.

import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../control/client/client.js';
import { coreResources } from '../../control/client/resource-client.js';
import { createClusterWorld } from '../cluster-world.js';
import type { ClusterWorld } from '../cluster-world.js';
import type { VirtualClock } from '../engine/engine.js';
import { runScript, testEpochMs } from './network-world.js';

const hostSetImmediate = setImmediate;
const drain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));

function newCluster(): Promise<ClusterWorld> {
  return createClusterWorld({
    seed: 1,
    startMs: testEpochMs,
    drain,
    eventCountMax: 5_000_000,
    drainRoundsMax: 100_000,
    nodes: [{ name: 'worker-1' }, { name: 'worker-2' }, { name: 'worker-3' }],
  });
}

/** Ready condition status per node name, in name order. */
async function readiness(client: KubeClient): Promise<string[]> {
  const list = await client.list(coreResources.nodes, '');
  return list.items.map((node) => {
    const conditions = (node.status as { conditions?: { type: string; status: string }[] })
      .conditions;
    const ready = conditions?.find((condition) => condition.type === 'Ready')?.status;
    return `${node.metadata.name}=${ready ?? 'none'}`;
  });
}

/** Polls every second until `check` holds; returns the virtual ms it took. */
async function until(clock: VirtualClock, limitMs: number, check: () => Promise<boolean>) {
  const startMs = clock.nowMs();
  while (!(await check())) {
    if (clock.nowMs() - startMs > limitMs) throw new Error(`not within ${limitMs} ms`);
    await clock.sleep(1_000);
  }
  return clock.nowMs() - startMs;
}

describe('A kubelet behind a network partition', () => {
  it('goes Unknown while cut off, and Ready again after the heal', async () => {
    const world = await newCluster();
    world.start();
    const { client, clock } = world.userClient('observer');
    const allReady = ['worker-1=True', 'worker-2=True', 'worker-3=True'];
    const cut = ['worker-1=True', 'worker-2=Unknown', 'worker-3=True'];
    const timeline = await runScript(
      world,
      async () => {
        await until(
          clock,
          60_000,
          async () => (await readiness(client)).join() === allReady.join(),
        );
        const id = world.network.partition({ from: 'node/worker-2', to: 'apiserver' });
        expect(world.network.isCut('node/worker-2', 'apiserver')).toBe(true);
        const unknownAfterMs = await until(
          clock,
          120_000,
          async () => (await readiness(client)).join() === cut.join(),
        );
        world.network.heal(id);
        const readyAfterMs = await until(
          clock,
          120_000,
          async () => (await readiness(client)).join() === allReady.join(),
        );
        return { unknownAfterMs, readyAfterMs };
      },
      400_000,
    );
    // The node monitor grace period is 50 s (checked every 5 s) after the last renewal.
    expect(timeline.unknownAfterMs).toBeGreaterThanOrEqual(40_000);
    expect(timeline.unknownAfterMs).toBeLessThanOrEqual(70_000);
    expect(timeline.readyAfterMs).toBeLessThanOrEqual(60_000);
    expect(world.network.stats().partitioned).toBeGreaterThan(0);
    await runScript(world, () => world.stop(), 60_000);
  });
});
