// A node whose kubelet dies, in virtual time: the node lifecycle controller marks it Unknown about
// 50 s after its last Lease renewal, taints it, marks its pods not ready, and the taint eviction
// controller evicts its pods at once or after their tolerationSeconds; a recovered node loses its
// taints and keeps the pods whose eviction was still waiting.
import { describe, expect, it } from 'vitest';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeClient } from '../../src/control/client/client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import {
  createLifecycleWorld,
  evicted,
  getNode,
  podOrGone,
  podReady,
  readyOf,
  taintNames,
  waitFor,
  type LifecycleWorld,
} from './node-lifecycle-world.js';

const unreachableNoSchedule = 'node.kubernetes.io/unreachable:NoSchedule';
const unreachableNoExecute = 'node.kubernetes.io/unreachable:NoExecute';

/**
 * DefaultTolerationSeconds admission gives every pod 300 s tolerations of not-ready and
 * unreachable, unless it has a NoExecute toleration for the key already (operator and value are
 * not looked at). An Equal toleration with a value the taints never carry keeps the defaults
 * away and tolerates nothing: the pod is evicted as soon as the node is tainted.
 */
const untolerating = {
  tolerations: ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'].map((key) => ({
    key,
    operator: 'Equal',
    value: 'never',
    effect: 'NoExecute',
  })),
};
const toleratingForever = {
  tolerations: ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'].map((key) => ({
    key,
    operator: 'Exists',
    effect: 'NoExecute',
  })),
};

async function startCluster(world: LifecycleWorld) {
  const kubelets = ['worker-1', 'worker-2', 'worker-3'].map((name) => world.kubelet(name));
  for (const kubelet of kubelets) await kubelet.register();
  const [dying, healthy] = kubelets as [(typeof kubelets)[0], (typeof kubelets)[0]];
  await dying.runPod('default', 'web');
  await dying.runPod('default', 'strict', untolerating);
  await dying.runPod('default', 'sticky', toleratingForever);
  await healthy.runPod('default', 'elsewhere');
  return { dying, healthy };
}

async function eventsFor(client: KubeClient, name: string, reason: string): Promise<KubeObject[]> {
  const events = await client.list(coreResources.events, 'default');
  return events.items.filter(
    (e) => (e.involvedObject as { name: string }).name === name && e.reason === reason,
  );
}

function conditionOf(pod: KubeObject | undefined, type: string) {
  const conditions = (pod?.status as { conditions?: { type: string }[] } | undefined)?.conditions;
  return conditions?.find((c) => c.type === type);
}

describe('a node whose kubelet stops renewing its Lease', () => {
  it('goes Unknown after the grace period, is tainted, and loses pods per tolerations', async () => {
    const world = await createLifecycleWorld();
    world.controller.start();
    const { client, clock } = world.user;
    const seen = await world.run(async () => {
      const { dying } = await startCluster(world);
      await clock.sleep(30_000);
      dying.kill();
      const killedAt = world.seconds();
      const pollNode = (test: (node: KubeObject) => boolean, what: string) =>
        waitFor(
          clock,
          async () => {
            const node = await getNode(client, 'worker-1');
            return test(node) ? { at: world.seconds(), node } : undefined;
          },
          { maxMs: 400_000, what },
        );
      const unknown = await pollNode((n) => readyOf(n)?.status === 'Unknown', 'Unknown');
      const noSchedule = await pollNode((n) => taintNames(n).includes(unreachableNoSchedule), 'NS');
      const podsAfterUnknown = await Promise.all(
        ['web', 'strict', 'sticky'].map((name) => podOrGone(client, 'default', name)),
      );
      const noExecute = await pollNode((n) => taintNames(n).includes(unreachableNoExecute), 'NE');
      const pollEvicted = (name: string) =>
        waitFor(
          clock,
          async () => {
            const pod = await podOrGone(client, 'default', name);
            return evicted(pod) ? { at: world.seconds(), pod } : undefined;
          },
          { maxMs: 400_000, what: `eviction of ${name}` },
        );
      const strict = await pollEvicted('strict');
      const web = await pollEvicted('web');
      await clock.sleep(30_000);
      const sticky = await podOrGone(client, 'default', 'sticky');
      const elsewhere = await podOrGone(client, 'default', 'elsewhere');
      const evictionEvents = await eventsFor(client, 'strict', 'TaintManagerEviction');
      const notReadyEvents = await eventsFor(client, 'worker-1', 'NodeNotReady');
      world.controller.stop();
      await world.controller.whenStopped();
      return {
        killedAt,
        unknown,
        noSchedule,
        podsAfterUnknown,
        noExecute,
        strict,
        web,
        sticky,
        elsewhere,
        evictionEvents,
        notReadyEvents,
      };
    }, 600_000);

    const silentSeconds = seen.unknown.at - seen.killedAt;
    expect(silentSeconds).toBeGreaterThan(50);
    expect(silentSeconds).toBeLessThanOrEqual(61);
    expect(readyOf(seen.unknown.node)).toMatchObject({
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    expect(seen.noSchedule.at - seen.unknown.at).toBeLessThanOrEqual(1);
    for (const pod of seen.podsAfterUnknown) expect(podReady(pod!)).toBe('False');
    const taintDelay = seen.noExecute.at - seen.unknown.at;
    expect(taintDelay).toBeGreaterThanOrEqual(4);
    expect(taintDelay).toBeLessThanOrEqual(6);

    expect(seen.strict.at - seen.noExecute.at).toBeLessThanOrEqual(1);
    expect(conditionOf(seen.strict.pod, 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
    });
    expect(seen.evictionEvents.map((e) => e.message)).toEqual([
      'Marking for deletion Pod default/strict',
    ]);
    expect(seen.evictionEvents[0]?.source).toEqual({ component: 'taint-eviction-controller' });

    const webDelay = seen.web.at - seen.noExecute.at;
    expect(webDelay).toBeGreaterThanOrEqual(299);
    expect(webDelay).toBeLessThanOrEqual(301);
    expect(evicted(seen.sticky)).toBe(false);
    expect(podReady(seen.elsewhere!)).toBe('True');
    expect(seen.notReadyEvents.map((e) => [e.type, e.message])).toEqual([
      ['Normal', 'Node worker-1 status is now: NodeNotReady'],
    ]);
  });

  it('loses its taints when the kubelet comes back; waiting evictions are cancelled', async () => {
    const world = await createLifecycleWorld();
    world.controller.start();
    const { client, clock } = world.user;
    const seen = await world.run(async () => {
      const { dying } = await startCluster(world);
      await clock.sleep(30_000);
      dying.kill();
      await waitFor(
        clock,
        async () => {
          const node = await getNode(client, 'worker-1');
          return taintNames(node).includes(unreachableNoExecute) ? node : undefined;
        },
        { maxMs: 200_000, what: 'the NoExecute taint' },
      );
      const scheduled =
        world.controller.taintEvictionController?.scheduledDeletionOf('default/web');
      const revivedAt = world.seconds();
      await dying.revive();
      const clean = await waitFor(
        clock,
        async () => {
          const node = await getNode(client, 'worker-1');
          return taintNames(node).length === 0 ? world.seconds() : undefined;
        },
        { maxMs: 60_000, what: 'the taints to go' },
      );
      await clock.sleep(400_000);
      const node = await getNode(client, 'worker-1');
      const web = await podOrGone(client, 'default', 'web');
      const cancelled = await eventsFor(client, 'web', 'TaintManagerEviction');
      world.controller.stop();
      await world.controller.whenStopped();
      return { scheduled, revivedAt, clean, node, web, cancelled };
    }, 800_000);

    expect(seen.scheduled).toBeDefined();
    expect(seen.clean - seen.revivedAt).toBeLessThanOrEqual(6);
    expect(readyOf(seen.node)?.status).toBe('True');
    expect(taintNames(seen.node)).toEqual([]);
    expect(evicted(seen.web)).toBe(false);
    expect(seen.cancelled.map((e) => e.message)).toEqual([
      'Cancelling deletion of Pod default/web',
    ]);
  });
});

describe('a node that never posts its status', () => {
  it('goes Unknown after the startup grace period, as never updated', async () => {
    const world = await createLifecycleWorld();
    world.controller.start();
    const { client, clock } = world.user;
    const seen = await world.run(async () => {
      for (const name of ['worker-1', 'worker-2']) await world.kubelet(name).register();
      const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'silent' }, spec: {} };
      await client.create(coreResources.nodes, '', node);
      const unknown = await waitFor(
        clock,
        async () => {
          const found = await getNode(client, 'silent');
          return readyOf(found) === undefined ? undefined : { at: world.seconds(), node: found };
        },
        { maxMs: 120_000, what: 'a Ready condition' },
      );
      world.controller.stop();
      await world.controller.whenStopped();
      return unknown;
    }, 200_000);

    expect(seen.at).toBeGreaterThan(60);
    expect(seen.at).toBeLessThanOrEqual(66);
    const conditions = (seen.node.status as { conditions: Record<string, string>[] }).conditions;
    expect(conditions.map((c) => [c.type, c.status, c.reason, c.message])).toEqual(
      ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'].map((type) => [
        type,
        'Unknown',
        'NodeStatusNeverUpdated',
        'Kubelet never posted node status.',
      ]),
    );
    expect(conditions[0]?.lastHeartbeatTime).toBe(seen.node.metadata.creationTimestamp);
  });
});

describe('the node lifecycle controller', () => {
  async function runOnce() {
    const world = await createLifecycleWorld({}, { seed: 7 });
    world.controller.start();
    const { client, clock } = world.user;
    const state = await world.run(async () => {
      const { dying } = await startCluster(world);
      await clock.sleep(30_000);
      dying.kill();
      await clock.sleep(120_000);
      const nodes = await client.list(coreResources.nodes, '');
      const pods = await client.list(coreResources.pods, 'default');
      const events = await client.list(coreResources.events, 'default');
      world.controller.stop();
      await world.controller.whenStopped();
      return JSON.stringify([nodes.items, pods.items, events.items]);
    }, 200_000);
    return { log: world.log, state };
  }

  it('makes the same decisions at the same virtual times in two runs with one seed', async () => {
    const first = await runOnce();
    const second = await runOnce();
    expect(first.log.length).toBeGreaterThan(3);
    expect(second.log).toEqual(first.log);
    expect(second.state).toBe(first.state);
  });
});
