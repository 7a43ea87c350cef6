// The control-plane knobs of a scenario (client QPS/burst of the controller manager, scheduler and
// kubelets, the kubelet's event QPS, PodGC's threshold, syncFrequency) reach the components of a
// world built by clusterOptions, measured in virtual time. (Named *-faults* with the other tests
// of what `miniku sim run` used to refuse.)
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/control/client/types.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import { createClusterWorld } from '../../src/sim/cluster-world.js';
import type { ClusterWorld } from '../../src/sim/cluster-world.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import { clusterOptions } from '../../src/sim/run/scenario-world.js';
import { parseScenario } from '../../src/sim/scenario/index.js';
import type { Scenario } from '../../src/sim/scenario/scenario-model.js';
import { replicaSet, runIn } from '../cluster/cluster-fixtures.js';

const hostSetImmediate = setImmediate;

/** A one-node scenario with `controlPlane` (YAML lines under it) and extra spec lines. */
function scenarioOf(controlPlane: string[], extra: string[] = []): Scenario {
  const text = [
    'apiVersion: miniku.dev/v1alpha1',
    'kind: Scenario',
    'metadata: { name: knobs }',
    'spec:',
    '  seed: 1',
    "  startTime: '2026-01-01T00:00:00Z'",
    '  duration: 10m',
    '  nodePools:',
    '    - { name: worker, count: 1, capacity: { cpu: 16, memory: 64Gi, pods: 110 } }',
    ...(controlPlane.length === 0
      ? []
      : ['  controlPlane:', ...controlPlane.map((l) => `    ${l}`)]),
    ...extra,
    '',
  ].join('\n');
  const parsed = parseScenario(text, { fileName: 'knobs.yaml', loadFile: () => undefined });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.scenario;
}

async function worldOf(scenario: Scenario): Promise<ClusterWorld> {
  const world = await createClusterWorld({
    seed: 1,
    drain: () => new Promise<void>((resolve) => hostSetImmediate(() => resolve())),
    eventCountMax: 5_000_000,
    drainRoundsMax: 100_000,
    ...clusterOptions(scenario),
  });
  world.start();
  return world;
}

/** Virtual ms from now until `done` holds (polled every 250 ms), at most `limitMs`. */
async function msUntil(
  clock: VirtualClock,
  done: () => Promise<boolean>,
  limitMs = 120_000,
): Promise<number> {
  const startMs = clock.nowMs();
  while (!(await done())) {
    if (clock.nowMs() - startMs > limitMs) throw new Error(`not done after ${limitMs} ms`);
    await clock.sleep(250);
  }
  return clock.nowMs() - startMs;
}

/** Creates a ReplicaSet of `replicas` once the node is up; ms until `done(pods)` holds. */
async function rollOut(
  scenario: Scenario,
  replicas: number,
  done: (pods: KubeObject[]) => boolean,
): Promise<number> {
  const world = await worldOf(scenario);
  const { client, clock } = world.userClient('kubectl');
  const ms = await runIn(world, 200_000, async () => {
    await clock.sleep(20_000);
    await client.create(coreResources.replicaSets, 'default', replicaSet('web', replicas));
    return msUntil(clock, async () =>
      done((await client.list(coreResources.pods, 'default')).items),
    );
  });
  await runIn(world, 60_000, () => world.stop());
  return ms;
}

const created = (count: number) => (pods: KubeObject[]) => pods.length >= count;
const bound = (count: number) => (pods: KubeObject[]) =>
  pods.filter((p) => (p.spec as { nodeName?: string }).nodeName !== undefined).length >= count;
const running = (count: number) => (pods: KubeObject[]) =>
  pods.filter((p) => (p.status as { phase?: string }).phase === 'Running').length >= count;

describe('control-plane knobs of a scenario world', () => {
  it('controllerManager.kubeAPIQPS with kubeAPIBurst paces the ReplicaSet controller', async () => {
    const fast = await rollOut(scenarioOf([]), 20, created(20));
    const slow = await rollOut(
      scenarioOf(['controllerManager: { kubeAPIQPS: 2, kubeAPIBurst: 1 }']),
      20,
      created(20),
    );
    expect(fast).toBeLessThan(3_000);
    // 20 creates at 2 per second, on top of the controller's own list and watch calls.
    expect(slow).toBeGreaterThanOrEqual(9_000);
  }, 20_000);

  it('controllerManager.kubeAPIQPS alone keeps the default burst of 30', async () => {
    const ms = await rollOut(scenarioOf(['controllerManager: { kubeAPIQPS: 1 }']), 10, created(10));
    expect(ms).toBeLessThan(3_000);
  }, 20_000);

  it('scheduler.kubeAPIQPS paces the bindings', async () => {
    const fast = await rollOut(scenarioOf([]), 12, bound(12));
    const slow = await rollOut(
      scenarioOf(['scheduler: { kubeAPIQPS: 1, kubeAPIBurst: 1 }']),
      12,
      bound(12),
    );
    expect(fast).toBeLessThan(3_000);
    expect(slow).toBeGreaterThanOrEqual(10_000);
  }, 20_000);

  it("kubelet.kubeAPIQPS paces the kubelet's pod status writes", async () => {
    const fast = await rollOut(scenarioOf([]), 12, running(12));
    const slow = await rollOut(
      scenarioOf(['kubelet: { kubeAPIQPS: 1, kubeAPIBurst: 1 }']),
      12,
      running(12),
    );
    expect(slow).toBeGreaterThanOrEqual(fast + 8_000);
  }, 20_000);

  it("kubelet.eventRecordQPS paces the kubelet's Events, not its other requests", async () => {
    const count = async (scenario: Scenario) => {
      const world = await worldOf(scenario);
      const { client, clock } = world.userClient('kubectl');
      const result = await runIn(world, 200_000, async () => {
        await clock.sleep(20_000);
        await client.create(coreResources.replicaSets, 'default', replicaSet('web', 10));
        const ms = await msUntil(clock, async () =>
          running(10)((await client.list(coreResources.pods, 'default')).items),
        );
        await clock.sleep(5_000);
        const events = (await client.list(coreResources.events, 'default')).items;
        const fromKubelet = events.filter(
          (e) => (e as { source?: { component?: string } }).source?.component === 'kubelet',
        );
        return { ms, events: fromKubelet.length };
      });
      await runIn(world, 60_000, () => world.stop());
      return result;
    };
    const free = await count(scenarioOf([]));
    const paced = await count(scenarioOf(['kubelet: { eventRecordQPS: 0.5, eventBurst: 1 }']));
    expect(free.events).toBeGreaterThanOrEqual(30);
    expect(paced.events).toBeLessThan(10);
    expect(paced.ms).toBeLessThan(free.ms + 2_000);
  }, 20_000);

  it('controllerManager.terminatedPodGCThreshold makes PodGC delete the oldest terminated pods', async () => {
    const scenario = scenarioOf(
      ['controllerManager: { terminatedPodGCThreshold: 2 }'],
      ['  runtime:', "    images: { 'job:1': { exitAfter: 2s, exitCode: 0 } }"],
    );
    const world = await worldOf(scenario);
    const { client, clock } = world.userClient('kubectl');
    const left = await runIn(world, 200_000, async () => {
      await clock.sleep(20_000);
      for (let i = 0; i < 5; i++) {
        await client.create(coreResources.pods, 'default', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: `job-${i}`, namespace: 'default' },
          spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'job:1' }] },
        });
      }
      await clock.sleep(60_000);
      return (await client.list(coreResources.pods, 'default')).items;
    });
    await runIn(world, 60_000, () => world.stop());
    expect(left).toHaveLength(2);
    expect(left.every((p) => (p.status as { phase?: string }).phase === 'Succeeded')).toBe(true);
  }, 20_000);

  it('kubelet.syncFrequency becomes the kubelet pod resync period', () => {
    const options = clusterOptions(scenarioOf(['kubelet: { syncFrequency: 30s }']));
    expect(options.kubelet?.podResyncPeriodMs).toBe(30_000);
    const defaults = clusterOptions(scenarioOf([]));
    expect(defaults.kubelet?.podResyncPeriodMs).toBeUndefined();
  });
});
