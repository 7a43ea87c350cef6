// Zone rules in virtual time: a partially disrupted small zone stops NoExecute tainting (no mass
// eviction), a large one taints at the secondary rate, and a cluster whose every node is
// unreachable evicts nothing until some node comes back.
import { describe, expect, it } from 'vitest';
import { parseTime } from '../../src/control/api/values/time.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { zoneKeyOf } from '../../src/control/controllers/node-lifecycle/zone-state.js';
import type { FakeKubelet } from './fake-kubelet.js';
import {
  createLifecycleWorld,
  evicted,
  getNode,
  podOrGone,
  readyOf,
  taintNames,
  type ControllerKnobs,
  type LifecycleWorld,
} from './node-lifecycle-world.js';

const zoneA = zoneKeyOf({ 'topology.kubernetes.io/zone': 'zone-a' });
const zoneB = zoneKeyOf({ 'topology.kubernetes.io/zone': 'zone-b' });
const unreachableNoExecute = 'node.kubernetes.io/unreachable:NoExecute';
const unreachableNoSchedule = 'node.kubernetes.io/unreachable:NoSchedule';
const untolerating = {
  tolerations: ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'].map((key) => ({
    key,
    operator: 'Equal',
    value: 'never',
    effect: 'NoExecute',
  })),
};

/** Registers kubelets `<zone>-1..count` in each zone and runs an untolerating pod on each. */
async function startZones(
  world: LifecycleWorld,
  zones: Record<string, number>,
): Promise<Map<string, FakeKubelet>> {
  const kubelets = new Map<string, FakeKubelet>();
  for (const [zone, count] of Object.entries(zones)) {
    for (let i = 1; i <= count; i++) {
      const name = `${zone}-${i}`;
      const labels = { 'topology.kubernetes.io/zone': zone };
      const kubelet = world.kubelet(name, { labels });
      await kubelet.register();
      await kubelet.runPod('default', `pod-${name}`, untolerating);
      kubelets.set(name, kubelet);
    }
  }
  return kubelets;
}

async function snapshot(world: LifecycleWorld, names: readonly string[]) {
  const nodes: Record<string, { ready?: string; taints: string[]; node: KubeObject }> = {};
  const podsEvicted: Record<string, boolean> = {};
  for (const name of names) {
    const node = await getNode(world.user.client, name);
    nodes[name] = { ready: readyOf(node)?.status, taints: taintNames(node), node };
    podsEvicted[name] = evicted(await podOrGone(world.user.client, 'default', `pod-${name}`));
  }
  return { nodes, podsEvicted, states: world.controller.zoneStates() };
}

async function killAndWatch(
  knobs: ControllerKnobs,
  zones: Record<string, number>,
  dead: readonly string[],
  watchMs: number,
) {
  const world = await createLifecycleWorld(knobs);
  world.controller.start();
  const result = await world.run(async () => {
    const kubelets = await startZones(world, zones);
    await world.user.clock.sleep(30_000);
    for (const name of dead) kubelets.get(name)?.kill();
    await world.user.clock.sleep(watchMs);
    const seen = await snapshot(world, [...kubelets.keys()]);
    world.controller.stop();
    await world.controller.whenStopped();
    return seen;
  }, watchMs + 60_000);
  return { world, ...result };
}

describe('zone rules', () => {
  it('3 of 4 dead nodes make a small zone PartialDisruption: no NoExecute, no eviction', async () => {
    const dead = ['zone-a-1', 'zone-a-2', 'zone-a-3'];
    const { world, nodes, podsEvicted, states } = await killAndWatch(
      {},
      { 'zone-a': 4, 'zone-b': 2 },
      dead,
      600_000,
    );
    expect(states.get(zoneA)).toBe('PartialDisruption');
    expect(states.get(zoneB)).toBe('Normal');
    expect(world.controller.taintingQpsOf(zoneA)).toBe(0);
    expect(world.controller.taintingQpsOf(zoneB)).toBe(0.1);
    for (const name of dead) {
      expect(nodes[name]?.ready).toBe('Unknown');
      expect(nodes[name]?.taints).toEqual([unreachableNoSchedule]);
    }
    expect(Object.values(podsEvicted).every((e) => !e)).toBe(true);
  });

  it('a zone above largeClusterSizeThreshold taints at the secondary rate instead', async () => {
    const dead = ['zone-a-1', 'zone-a-2', 'zone-a-3'];
    const { nodes, podsEvicted, states, world } = await killAndWatch(
      { largeClusterSizeThreshold: 3 },
      { 'zone-a': 4, 'zone-b': 2 },
      dead,
      300_000,
    );
    expect(states.get(zoneA)).toBe('PartialDisruption');
    expect(world.controller.taintingQpsOf(zoneA)).toBe(0.01);
    const taintTimes = dead.map((name) => {
      const taints = (
        nodes[name]?.node.spec as { taints: { key: string; effect: string; timeAdded: string }[] }
      ).taints;
      const noExecute = taints.find((t) => `${t.key}:${t.effect}` === unreachableNoExecute);
      return parseTime(noExecute!.timeAdded)! / 1000;
    });
    taintTimes.sort((a, b) => a - b);
    expect(taintTimes[1]! - taintTimes[0]!).toBeGreaterThanOrEqual(99);
    expect(taintTimes[1]! - taintTimes[0]!).toBeLessThanOrEqual(101);
    expect(taintTimes[2]! - taintTimes[1]!).toBeGreaterThanOrEqual(99);
    expect(taintTimes[2]! - taintTimes[1]!).toBeLessThanOrEqual(101);
    for (const name of dead) expect(podsEvicted[name]).toBe(true);
    expect(podsEvicted['zone-a-4']).toBe(false);
  });

  it('every node unreachable is FullDisruption everywhere: nothing is evicted', async () => {
    const all = ['zone-a-1', 'zone-a-2', 'zone-b-1', 'zone-b-2'];
    const { nodes, podsEvicted, states } = await killAndWatch(
      {},
      { 'zone-a': 2, 'zone-b': 2 },
      all,
      600_000,
    );
    expect([...states.values()]).toEqual(['FullDisruption', 'FullDisruption']);
    for (const name of all) {
      expect(nodes[name]?.ready).toBe('Unknown');
      expect(nodes[name]?.taints).toEqual([unreachableNoSchedule]);
      expect(podsEvicted[name]).toBe(false);
    }
  });

  it('leaving full disruption restores the rates: dead nodes are tainted and evicted', async () => {
    const world = await createLifecycleWorld();
    world.controller.start();
    const seen = await world.run(async () => {
      const kubelets = await startZones(world, { 'zone-a': 3 });
      await world.user.clock.sleep(30_000);
      for (const kubelet of kubelets.values()) kubelet.kill();
      await world.user.clock.sleep(300_000);
      const during = await snapshot(world, [...kubelets.keys()]);
      await kubelets.get('zone-a-1')?.revive();
      await world.user.clock.sleep(80_000);
      const after = await snapshot(world, [...kubelets.keys()]);
      world.controller.stop();
      await world.controller.whenStopped();
      return { during, after };
    }, 500_000);
    expect([...seen.during.states.values()]).toEqual(['FullDisruption']);
    expect(Object.values(seen.during.podsEvicted)).toEqual([false, false, false]);
    expect([...seen.after.states.values()]).toEqual(['Normal']);
    expect(seen.after.nodes['zone-a-1']?.taints).toEqual([]);
    for (const name of ['zone-a-2', 'zone-a-3']) {
      expect(seen.after.nodes[name]?.taints).toContain(unreachableNoExecute);
      expect(seen.after.podsEvicted[name]).toBe(true);
    }
    expect(seen.after.podsEvicted['zone-a-1']).toBe(false);
  });
});
