// The namespace controller end to end, in virtual time: the real API server (full admission
// chain, bootstrap, finalize route) on the sim transport, a client per component, and the
// controller emptying a terminating namespace until the API server removes it.

import { describe, expect, it } from 'vitest';
import { isForbidden, isNotFound } from '../../src/control/client/errors.js';
import type { KubeClient } from '../../src/control/client/client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { NamespaceController } from '../../src/control/controllers/namespace/namespace-controller.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import {
  createNamespaceWorld,
  deployment,
  epochMs,
  namespace,
  pod,
  service,
  type NamespaceWorld,
} from './namespace-world.js';

const namespaces = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
const pods = { group: '', version: 'v1', plural: 'pods', namespaced: true };
const services = { group: '', version: 'v1', plural: 'services', namespaced: true };
const deployments = { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true };

function startController(
  world: NamespaceWorld,
  options: { statusConditions?: boolean } = {},
): { controller: NamespaceController; log: string[] } {
  const { client, clock } = world.newClient('namespace-controller');
  const log: string[] = [];
  const controller = new NamespaceController({
    client,
    clock,
    rng: world.rng.fork('namespace-controller'),
    log: (line) => log.push(`${clock.nowMs() - epochMs} ${line}`),
    ...options,
  });
  controller.start();
  return { controller, log };
}

async function populate(client: KubeClient, name: string, podCount: number): Promise<void> {
  await client.create(namespaces, '', namespace(name) as KubeObject);
  for (let i = 0; i < podCount; i++) {
    await client.create(pods, name, pod(`web-${i}`) as KubeObject);
  }
  await client.create(deployments, name, deployment('web') as KubeObject);
  await client.create(services, name, service('web') as KubeObject);
}

/** Polls once a second until the namespace is gone; resolves with the elapsed virtual ms. */
async function waitUntilGone(client: KubeClient, clock: VirtualClock, name: string) {
  const startMs = clock.nowMs();
  for (let i = 0; i < 600; i++) {
    try {
      await client.get(namespaces, '', name);
    } catch (error) {
      if (isNotFound(error)) return clock.nowMs() - startMs;
      throw error;
    }
    await clock.sleep(1_000);
  }
  throw new Error(`namespace ${name} still exists after 600 s`);
}

async function countIn(client: KubeClient, name: string): Promise<number> {
  let count = 0;
  for (const resource of [pods, services, deployments]) {
    count += (await client.list(resource, name)).items.length;
  }
  return count;
}

describe('the namespace controller', () => {
  it('empties a terminating namespace and lets the API server remove it', async () => {
    const world = await createNamespaceWorld();
    const { controller, log } = startController(world);
    const { client, clock } = world.newClient('user');
    const outcome = await world.run(async () => {
      await populate(client, 'shop', 3);
      expect(await countIn(client, 'shop')).toBe(5);
      const deleted = (await client.delete(namespaces, '', 'shop')) as KubeObject;
      expect((deleted.status as { phase: string }).phase).toBe('Terminating');
      const refused = await client.create(pods, 'shop', pod('late') as KubeObject).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isForbidden(refused)).toBe(true);
      expect((refused as Error).message).toBe(
        'pods "late" is forbidden: unable to create new content in namespace shop because it is being terminated',
      );
      const elapsedMs = await waitUntilGone(client, clock, 'shop');
      const left = await countIn(client, 'shop');
      controller.stop();
      return { elapsedMs, left };
    }, 120_000);
    expect(outcome.left).toBe(0);
    expect(outcome.elapsedMs).toBeGreaterThanOrEqual(5_000);
    expect(outcome.elapsedMs).toBeLessThanOrEqual(7_000);
    expect(log).toEqual([expect.stringMatching(/^5\d\d\d namespace shop finalized$/)]);
  });

  it('waits for bound pods to terminate, as upstream, and finishes once they are gone', async () => {
    const world = await createNamespaceWorld();
    const { controller, log } = startController(world);
    const { client, clock } = world.newClient('user');
    const kubelet = world.newClient('kubelet').client;
    const outcome = await world.run(async () => {
      await populate(client, 'shop', 1);
      await kubelet.bind('shop', 'web-0', 'worker-1');
      await client.delete(namespaces, '', 'shop');
      await clock.sleep(60_000);
      const terminating = await client.get(pods, 'shop', 'web-0');
      const stillThere = (await client.get(namespaces, '', 'shop')).metadata.name;
      await kubelet.delete(pods, 'shop', 'web-0', { gracePeriodSeconds: 0 });
      const elapsedMs = await waitUntilGone(client, clock, 'shop');
      controller.stop();
      return { terminating, stillThere, elapsedMs };
    }, 300_000);
    expect(outcome.stillThere).toBe('shop');
    expect(outcome.terminating.metadata.deletionTimestamp).toBe('2026-01-01T00:00:35Z');
    expect(outcome.terminating.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(outcome.elapsedMs).toBeLessThanOrEqual(61_000);
    // 5 s after the DELETE the controller deletes the pod (30 s grace) and writes its status
    // conditions; that write wakes it again 5 s later. Each pass requeues after 30/2 + 1 = 16 s
    // (the earliest waiting time wins, as client-go's delaying queue). Once the grace period has
    // passed, leftovers without finalizers are an error, retried with backoff.
    expect(log.slice(0, 4)).toEqual([
      '5000 content remains in namespace shop: waiting',
      '10000 content remains in namespace shop: waiting',
      '26000 content remains in namespace shop: waiting',
      '42000 deletion of namespace shop failed: unexpected items still remain in namespace: shop for gvr: /v1, Resource=pods',
    ]);
    expect(log.at(-1)).toMatch(/namespace shop finalized$/);
  });

  it('writes the deletion conditions and finalizes a namespace also held by a metadata finalizer', async () => {
    const world = await createNamespaceWorld();
    const { controller } = startController(world, { statusConditions: true });
    const { client, clock } = world.newClient('user');
    const held = await world.run(async () => {
      await client.create(
        namespaces,
        '',
        namespace('shop', { finalizers: ['example.com/hold'] }) as KubeObject,
      );
      await client.create(pods, 'shop', pod('web') as KubeObject);
      await client.delete(namespaces, '', 'shop');
      await clock.sleep(20_000);
      const result = await client.get(namespaces, '', 'shop');
      controller.stop();
      return result;
    }, 60_000);
    // Upstream omits the empty list (omitempty); miniku's canonical form may keep `[]`.
    expect((held.spec as { finalizers?: string[] }).finalizers ?? []).toEqual([]);
    expect(held.status).toMatchObject({ phase: 'Terminating' });
    const conditions = (held.status as { conditions: Array<Record<string, string>> }).conditions;
    expect(conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentRemoved'],
    ]);
    expect(conditions.every((c) => c.lastTransitionTime === '2026-01-01T00:00:05Z')).toBe(true);
    const released = { ...held, metadata: { ...held.metadata, finalizers: [] } };
    const reply = await world.call('PUT', '/api/v1/namespaces/shop', released);
    expect(reply.status).toBe(200);
    expect((await world.call('GET', '/api/v1/namespaces/shop')).status).toBe(404);
  });

  it('ignores namespaces that are not being deleted', async () => {
    const world = await createNamespaceWorld();
    const { controller, log } = startController(world);
    const { client, clock } = world.newClient('user');
    const count = await world.run(async () => {
      await populate(client, 'shop', 2);
      await clock.sleep(30_000);
      const result = await countIn(client, 'shop');
      controller.stop();
      return result;
    }, 60_000);
    expect(count).toBe(4);
    expect(controller.pendingCount).toBe(0);
    expect(log).toEqual([]);
  });

  it('runs the same way twice from the same seed', async () => {
    const trace = async () => {
      const world = await createNamespaceWorld({ seed: 9 });
      const { controller, log } = startController(world);
      const { client, clock } = world.newClient('user');
      await world.run(async () => {
        await populate(client, 'shop', 2);
        await client.delete(namespaces, '', 'shop');
        await waitUntilGone(client, clock, 'shop');
        controller.stop();
      }, 60_000);
      return { log, revision: world.store.revision };
    };
    expect(await trace()).toEqual(await trace());
  });
});
