// The pod garbage collector end to end, in virtual time: the real API server on the sim
// transport, a client per component, and the controller's 20 s passes.
import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/control/client/client.js';
import { isNotFound } from '../../src/control/client/errors.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject, WatchEvent } from '../../src/control/client/types.js';
import {
  PodGcController,
  type PodGcControllerOptions,
} from '../../src/control/controllers/podgc/podgc-controller.js';
import {
  createNamespaceWorld,
  epochMs,
  pod,
  type NamespaceWorld,
} from '../namespaces/namespace-world.js';

const { pods, nodes } = coreResources;

function startPodGc(
  world: NamespaceWorld,
  options: Partial<PodGcControllerOptions> = {},
): { controller: PodGcController; log: string[] } {
  const { client, clock } = world.newClient('pod-garbage-collector');
  const log: string[] = [];
  const controller = new PodGcController({
    client,
    clock,
    rng: world.rng.fork('podgc'),
    log: (line) => log.push(`${clock.nowMs() - epochMs} ${line}`),
    ...options,
  });
  controller.start();
  return { controller, log };
}

function nodeObject(name: string, ready: 'True' | 'False', taints: unknown[] = []): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name },
    spec: { taints },
    status: { conditions: [{ type: 'Ready', status: ready }] },
  };
}

async function setPhase(client: KubeClient, name: string, phase: string, reason?: string) {
  const status: Record<string, unknown> = { phase };
  if (reason !== undefined) status.reason = reason;
  await client.patch(
    pods,
    { namespace: 'default', name },
    { type: 'merge', body: { status } },
    {
      subresource: 'status',
    },
  );
}

async function exists(client: KubeClient, name: string): Promise<boolean> {
  try {
    await client.get(pods, 'default', name);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function podNames(client: KubeClient): Promise<string[]> {
  return (await client.list(pods, 'default')).items.map((p) => p.metadata.name ?? '');
}

/** Records the last state of every deleted pod, as a watch delivers it. */
function watchDeletions(client: KubeClient): Map<string, KubeObject> {
  const deleted = new Map<string, KubeObject>();
  client.watch(
    pods,
    'default',
    {},
    {
      onEvent: (event: WatchEvent) => {
        if (event.type === 'DELETED') deleted.set(event.object.metadata.name ?? '', event.object);
      },
      onEnd: () => undefined,
    },
  );
  return deleted;
}

describe('the pod garbage collector', () => {
  it('force-deletes a pod whose node is gone, only after the quarantine, marking it Failed first', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const outcome = await world.run(async () => {
      await client.create(nodes, '', nodeObject('worker-1', 'True'));
      await client.create(pods, 'default', pod('web') as KubeObject);
      await client.bind('default', 'web', 'worker-1');
      const deleted = watchDeletions(client);
      const { controller, log } = startPodGc(world);
      await clock.sleep(1_000);
      await client.delete(nodes, '', 'worker-1');
      await clock.sleep(54_000);
      const presentAt55s = await exists(client, 'web');
      await clock.sleep(10_000);
      const presentAt65s = await exists(client, 'web');
      controller.stop();
      await controller.whenStopped();
      return { presentAt55s, presentAt65s, last: deleted.get('web'), log };
    }, 120_000);
    expect(outcome.presentAt55s).toBe(true);
    expect(outcome.presentAt65s).toBe(false);
    // Seen missing by the pass at ~20 s, quarantined 40 s, confirmed by GET in the pass at ~60 s.
    expect(outcome.log).toEqual(['60100 force deleted pod default/web']);
    const status = outcome.last?.status as { phase: string; conditions: unknown[] };
    expect(status.phase).toBe('Failed');
    expect(status.conditions).toContainEqual({
      type: 'DisruptionTarget',
      status: 'True',
      reason: 'DeletionByPodGC',
      message: 'PodGC: node no longer exists',
      lastTransitionTime: '2026-01-01T00:01:00Z',
    });
  });

  it('keeps the pods of a node that comes back within the quarantine', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const outcome = await world.run(async () => {
      await client.create(nodes, '', nodeObject('worker-1', 'True'));
      await client.create(pods, 'default', pod('web') as KubeObject);
      await client.bind('default', 'web', 'worker-1');
      const { controller } = startPodGc(world);
      await clock.sleep(1_000);
      await client.delete(nodes, '', 'worker-1');
      await clock.sleep(30_000);
      await client.create(nodes, '', nodeObject('worker-1', 'True'));
      await clock.sleep(60_000);
      const present = await exists(client, 'web');
      controller.stop();
      return { present, stats: controller.stats() };
    }, 120_000);
    expect(outcome.present).toBe(true);
    expect(outcome.stats.deletedCount).toBe(0);
    expect(outcome.stats.passCount).toBeGreaterThanOrEqual(4);
  });

  it('trims terminated pods above the threshold, evicted first and then oldest first', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const outcome = await world.run(async () => {
      for (const name of ['t1', 't2', 't3', 't4', 't5', 'live']) {
        await client.create(pods, 'default', pod(name) as KubeObject);
        await clock.sleep(1_000);
      }
      for (const name of ['t1', 't2', 't3', 't4']) await setPhase(client, name, 'Succeeded');
      await setPhase(client, 't5', 'Failed', 'Evicted');
      await setPhase(client, 'live', 'Running');
      const { controller, log } = startPodGc(world, { terminatedPodThreshold: 2 });
      await clock.sleep(1_000);
      const left = await podNames(client);
      controller.stop();
      return { left, log };
    }, 60_000);
    expect(outcome.left).toEqual(['live', 't3', 't4']);
    expect(outcome.log.map((line) => line.split(' ').slice(1).join(' ')).sort()).toEqual([
      'force deleted pod default/t1',
      'force deleted pod default/t2',
      'force deleted pod default/t5',
    ]);
  });

  it('marks an unscheduled terminating pod Failed and force-deletes it', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const outcome = await world.run(async () => {
      const held = pod('held') as KubeObject;
      held.metadata.finalizers = ['example.com/hold'];
      await client.create(pods, 'default', held);
      await client.delete(pods, 'default', 'held');
      const { controller, log } = startPodGc(world);
      await clock.sleep(1_000);
      const marked = await client.get(pods, 'default', 'held');
      await client.patch(
        pods,
        { namespace: 'default', name: 'held' },
        { type: 'merge', body: { metadata: { finalizers: null } } },
      );
      const present = await exists(client, 'held');
      controller.stop();
      return { marked, present, log };
    }, 60_000);
    expect((outcome.marked.status as { phase: string }).phase).toBe('Failed');
    expect(outcome.marked.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(outcome.log).toEqual(['100 force deleted pod default/held']);
    expect(outcome.present).toBe(false);
  });

  it('force-deletes terminating pods on a not-Ready node tainted out-of-service', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const outOfService = { key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' };
    const outcome = await world.run(async () => {
      await client.create(nodes, '', nodeObject('dead', 'False', [outOfService]));
      await client.create(nodes, '', nodeObject('slow', 'False'));
      for (const [name, node] of [
        ['a', 'dead'],
        ['b', 'slow'],
        ['c', 'dead'],
      ] as const) {
        await client.create(pods, 'default', pod(name) as KubeObject);
        await client.bind('default', name, node);
      }
      await client.delete(pods, 'default', 'a');
      await client.delete(pods, 'default', 'b');
      const { controller } = startPodGc(world);
      await clock.sleep(1_000);
      const left = await podNames(client);
      controller.stop();
      return { left };
    }, 60_000);
    // a: terminating on the tainted node → gone; b: node not tainted; c: not terminating.
    expect(outcome.left).toEqual(['b', 'c']);
  });
});
