// The ReplicaSet controller end to end, in virtual time: the real API server on the sim
// transport, the controller on its own client, and the test standing in for scheduler and
// kubelet (binding pods, marking them Ready).

import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/control/client/types.js';
import { getControllerOf } from '../../src/control/controllers/replicaset/controller-ref.js';
import {
  createReplicaSetWorld,
  events,
  listPods,
  markReady,
  namesOf,
  ownedPods,
  podManifest,
  pods,
  replicaSetManifest,
  replicaSets,
  setReplicas,
  statusOf,
} from './replica-set-world.js';

const generatedName = /^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/;

describe('the ReplicaSet controller', () => {
  it('creates the replicas with generated names, template labels and controller references', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const outcome = await world.run(async () => {
      const rs = await user.create(
        replicaSets,
        'default',
        replicaSetManifest('web', { replicas: 5 }),
      );
      await clock.sleep(5_000);
      const all = await listPods(user);
      const stored = await user.get(replicaSets, 'default', 'web');
      const recorded = (await user.list(events, 'default')).items;
      controller.stop();
      return { rs, all, stored, recorded };
    }, 10_000);
    expect(outcome.all).toHaveLength(5);
    for (const pod of outcome.all) {
      expect(pod.metadata.name).toMatch(generatedName);
      expect(pod.metadata.generateName).toBe('web-');
      expect(pod.metadata.labels).toEqual({ app: 'web' });
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: outcome.rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    expect(statusOf(outcome.stored)).toMatchObject({
      replicas: 5,
      fullyLabeledReplicas: 5,
      observedGeneration: 1,
    });
    expect(statusOf(outcome.stored).readyReplicas ?? 0).toBe(0);
    const created = outcome.recorded.filter((event) => event.reason === 'SuccessfulCreate');
    expect(created.map((event) => event.message).sort()).toEqual(
      namesOf(outcome.all)
        .map((name) => `Created pod: ${name}`)
        .sort(),
    );
    expect(world.log).toEqual([
      expect.stringMatching(/too few replicas for default\/web: creating 5$/),
    ]);
  });

  it('scales down by deleting unscheduled pods, then pods that are not ready', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const outcome = await world.run(async () => {
      const rs = await user.create(
        replicaSets,
        'default',
        replicaSetManifest('web', { replicas: 5 }),
      );
      await clock.sleep(2_000);
      const [a, b, c] = (await ownedPods(user, rs)) as [KubeObject, KubeObject, KubeObject];
      for (const pod of [a, b, c]) await user.bind('default', pod.metadata.name ?? '', 'node-1');
      await markReady(user, clock, a);
      await markReady(user, clock, b);
      await clock.sleep(2_000);
      await setReplicas(user, 'web', 2);
      await clock.sleep(3_000);
      const left = await ownedPods(user, rs);
      const everything = await listPods(user);
      const stored = await user.get(replicaSets, 'default', 'web');
      controller.stop();
      return {
        kept: namesOf([a, b]).sort(),
        terminating: c.metadata.name,
        left,
        everything,
        stored,
      };
    }, 10_000);
    expect(namesOf(outcome.left).sort()).toEqual(outcome.kept);
    // The two unscheduled pods are gone at once; the bound one waits for its (absent) kubelet.
    const others = outcome.everything.filter(
      (pod) => !outcome.kept.includes(pod.metadata.name ?? ''),
    );
    expect(namesOf(others)).toEqual([outcome.terminating]);
    expect(others[0]?.metadata.deletionTimestamp).toBeDefined();
    expect(statusOf(outcome.stored)).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
  });

  it('deletes from the node holding most pods of the same owner first', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'web',
      uid: 'uid-deploy',
      controller: true,
    };
    const left = await world.run(async () => {
      const manifest = replicaSetManifest('web', {
        replicas: 3,
        metadata: { ownerReferences: [owner] },
      });
      const rs = await user.create(replicaSets, 'default', manifest);
      await clock.sleep(2_000);
      const owned = await ownedPods(user, rs);
      const nodes = ['node-a', 'node-a', 'node-b'];
      for (const [index, pod] of owned.entries()) {
        await user.bind('default', pod.metadata.name ?? '', nodes[index] ?? '');
        await markReady(user, clock, pod);
      }
      await clock.sleep(2_000);
      await setReplicas(user, 'web', 2);
      await clock.sleep(2_000);
      const result = await ownedPods(user, rs);
      controller.stop();
      return result;
    }, 10_000);
    const nodesLeft = left.map((pod) => (pod.spec as { nodeName: string }).nodeName).sort();
    expect(nodesLeft).toEqual(['node-a', 'node-b']);
  });

  it('adopts a matching orphan instead of creating a pod for it', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const outcome = await world.run(async () => {
      await user.create(pods, 'default', podManifest('stray', { app: 'web' }));
      await user.create(pods, 'default', podManifest('other', { app: 'db' }));
      const rs = await user.create(
        replicaSets,
        'default',
        replicaSetManifest('web', { replicas: 2 }),
      );
      await clock.sleep(3_000);
      const owned = await ownedPods(user, rs);
      const other = await user.get(pods, 'default', 'other');
      controller.stop();
      return { rs, owned, other };
    }, 10_000);
    expect(outcome.owned).toHaveLength(2);
    const stray = outcome.owned.find((pod) => pod.metadata.name === 'stray');
    expect(getControllerOf(stray as KubeObject)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: 'web',
      uid: outcome.rs.metadata.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(getControllerOf(outcome.other)).toBeUndefined();
  });

  it('releases a pod whose labels stop matching and replaces it', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const outcome = await world.run(async () => {
      const rs = await user.create(
        replicaSets,
        'default',
        replicaSetManifest('web', { replicas: 2 }),
      );
      await clock.sleep(2_000);
      const [first] = (await ownedPods(user, rs)) as [KubeObject];
      const name = first.metadata.name ?? '';
      const relabel = { metadata: { labels: { app: 'debug' } } };
      await user.patch(pods, { namespace: 'default', name }, { type: 'merge', body: relabel });
      await clock.sleep(3_000);
      const released = await user.get(pods, 'default', name);
      const owned = await ownedPods(user, rs);
      controller.stop();
      return { name, released, owned };
    }, 10_000);
    expect(getControllerOf(outcome.released)).toBeUndefined();
    expect(outcome.released.metadata.deletionTimestamp).toBeUndefined();
    expect(outcome.owned).toHaveLength(2);
    expect(namesOf(outcome.owned)).not.toContain(outcome.name);
  });

  it('reports ready pods at once and available pods after minReadySeconds', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const samples = await world.run(async () => {
      const manifest = replicaSetManifest('web', { replicas: 3, minReadySeconds: 10 });
      const rs = await user.create(replicaSets, 'default', manifest);
      await clock.sleep(2_500);
      for (const pod of await ownedPods(user, rs)) await markReady(user, clock, pod);
      const seen: Array<Record<string, unknown>> = [];
      for (const waitMs of [3_000, 5_000, 4_000]) {
        await clock.sleep(waitMs);
        seen.push(statusOf(await user.get(replicaSets, 'default', 'web')));
      }
      controller.stop();
      return seen;
    }, 20_000);
    // Ready since t = 2 s (second precision); available once more than 10 s have passed.
    expect(samples.map((s) => [s.readyReplicas, s.availableReplicas ?? 0])).toEqual([
      [3, 0],
      [3, 0],
      [3, 3],
    ]);
  });

  it('sets ReplicaFailure while creates are refused and clears it once they succeed', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const outcome = await world.run(async () => {
      const podSpec = { priorityClassName: 'batch' };
      const rs = await user.create(
        replicaSets,
        'default',
        replicaSetManifest('web', { replicas: 3, podSpec }),
      );
      await clock.sleep(5_000);
      const failing = statusOf(await user.get(replicaSets, 'default', 'web'));
      const attempts = world.log.filter((line) => line.includes('failed')).length;
      const priorityClass = {
        apiVersion: 'scheduling.k8s.io/v1',
        kind: 'PriorityClass',
        metadata: { name: 'batch' },
        value: 1000,
      };
      const classes = {
        group: 'scheduling.k8s.io',
        version: 'v1',
        plural: 'priorityclasses',
        namespaced: false,
      };
      await user.create(classes, '', priorityClass);
      await clock.sleep(30_000);
      const healed = statusOf(await user.get(replicaSets, 'default', 'web'));
      const owned = await ownedPods(user, rs);
      const recorded = (await user.list(events, 'default')).items;
      controller.stop();
      return { failing, attempts, healed, owned, recorded };
    }, 60_000);
    const message = 'pods "web-" is forbidden: no PriorityClass with name batch was found';
    expect(outcome.failing.conditions).toEqual([
      {
        type: 'ReplicaFailure',
        status: 'True',
        lastTransitionTime: '2026-01-01T00:00:00Z',
        reason: 'FailedCreate',
        message,
      },
    ]);
    expect(outcome.attempts).toBeGreaterThan(3);
    expect(outcome.healed.conditions).toBeUndefined();
    expect(outcome.healed.replicas).toBe(3);
    expect(outcome.owned).toHaveLength(3);
    const failed = outcome.recorded.find((event) => event.reason === 'FailedCreate');
    expect(failed?.type).toBe('Warning');
    expect(failed?.message).toBe(`Error creating: ${message}`);
  });

  it('leaves the pods of a deleted ReplicaSet to the garbage collector', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const outcome = await world.run(async () => {
      await user.create(replicaSets, 'default', replicaSetManifest('web', { replicas: 2 }));
      await clock.sleep(2_000);
      const before = namesOf(await listPods(user)).sort();
      await user.delete(replicaSets, 'default', 'web');
      await clock.sleep(5_000);
      const after = await listPods(user);
      controller.stop();
      return { before, after };
    }, 10_000);
    expect(namesOf(outcome.after).sort()).toEqual(outcome.before);
    expect(outcome.after.every((pod) => pod.metadata.deletionTimestamp === undefined)).toBe(true);
    expect(world.controller.pendingExpectations('default/web')).toEqual({ add: 0, del: 0 });
  });

  it('neither adopts nor replaces pods while the ReplicaSet is being deleted', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const outcome = await world.run(async () => {
      const metadata = { finalizers: ['example.com/hold'] };
      const rs = await user.create(
        replicaSets,
        'default',
        replicaSetManifest('web', { replicas: 1, metadata }),
      );
      await clock.sleep(2_000);
      const [owned] = (await ownedPods(user, rs)) as [KubeObject];
      await user.delete(replicaSets, 'default', 'web');
      await user.delete(pods, 'default', owned.metadata.name ?? '');
      await user.create(pods, 'default', podManifest('stray', { app: 'web' }));
      await clock.sleep(5_000);
      const all = await listPods(user);
      const stored = await user.get(replicaSets, 'default', 'web');
      controller.stop();
      return { all, stored };
    }, 10_000);
    expect(outcome.stored.metadata.deletionTimestamp).toBeDefined();
    expect(namesOf(outcome.all)).toEqual(['stray']);
    expect(getControllerOf(outcome.all[0] as KubeObject)).toBeUndefined();
  });

  it('replaces a pod deleted behind its back', async () => {
    const world = await createReplicaSetWorld();
    const { user, clock, controller } = world;
    const outcome = await world.run(async () => {
      const rs = await user.create(
        replicaSets,
        'default',
        replicaSetManifest('web', { replicas: 3 }),
      );
      await clock.sleep(2_000);
      const [victim] = (await ownedPods(user, rs)) as [KubeObject];
      await user.delete(pods, 'default', victim.metadata.name ?? '');
      await clock.sleep(2_000);
      const owned = await ownedPods(user, rs);
      controller.stop();
      return { victim: victim.metadata.name, owned };
    }, 10_000);
    expect(outcome.owned).toHaveLength(3);
    expect(namesOf(outcome.owned)).not.toContain(outcome.victim);
  });

  it('creates at most burstReplicas pods per sync', async () => {
    const world = await createReplicaSetWorld({ controller: { burstReplicas: 3 } });
    const { user, clock, controller } = world;
    const owned = await world.run(async () => {
      const rs = await user.create(
        replicaSets,
        'default',
        replicaSetManifest('web', { replicas: 7 }),
      );
      await clock.sleep(3_000);
      const result = await ownedPods(user, rs);
      controller.stop();
      return result;
    }, 5_000);
    expect(owned).toHaveLength(7);
    const creates = world.log.map((line) => line.replace(/^\d+ /, ''));
    expect(creates).toEqual([
      'too few replicas for default/web: creating 3',
      'too few replicas for default/web: creating 3',
      'too few replicas for default/web: creating 1',
    ]);
  });

  it('waits out the expectations TTL for creates that never show up', async () => {
    const world = await createReplicaSetWorld({ controller: { expectationsTimeoutMs: 60_000 } });
    const { user, clock, controller } = world;
    const namespaces = { group: '', version: 'v1', plural: 'namespaces', namespaced: false };
    const outcome = await world.run(async () => {
      await user.create(namespaces, '', {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'shop' },
      });
      await user.create(replicaSets, 'shop', replicaSetManifest('web', { replicas: 0 }));
      await clock.sleep(1_000);
      // No namespace controller runs here: the namespace stays Terminating, refusing creates.
      await user.delete(namespaces, '', 'shop');
      const scale = { spec: { replicas: 2 } };
      await user.patch(
        replicaSets,
        { namespace: 'shop', name: 'web' },
        { type: 'merge', body: scale },
      );
      await clock.sleep(5_000);
      const pending = controller.pendingExpectations('shop/web');
      await clock.sleep(60_000);
      const stored = await user.get(replicaSets, 'shop', 'web');
      controller.stop();
      return { pending, stored };
    }, 70_000);
    // Refused creates in a terminating namespace count as done, so the controller waits for
    // pods that never come, then tries again once the expectations expire.
    expect(outcome.pending).toEqual({ add: 2, del: 0 });
    expect(statusOf(outcome.stored).conditions).toBeUndefined();
    const times = world.log.map((line) => Number(line.split(' ')[0]));
    expect(
      world.log.every((line) => line.endsWith('too few replicas for shop/web: creating 2')),
    ).toBe(true);
    expect(times).toHaveLength(2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBe(60_001);
  });

  it('runs the same way twice from the same seed', async () => {
    const trace = async () => {
      const world = await createReplicaSetWorld({ seed: 7 });
      const { user, clock, controller } = world;
      const names = await world.run(async () => {
        await user.create(replicaSets, 'default', replicaSetManifest('web', { replicas: 4 }));
        await clock.sleep(2_000);
        await setReplicas(user, 'web', 1);
        await clock.sleep(2_000);
        const result = namesOf(await listPods(user));
        controller.stop();
        await controller.whenStopped();
        return result;
      }, 10_000);
      return { names, log: world.log, revision: world.store.revision };
    };
    const first = await trace();
    expect(first.names).toHaveLength(1);
    expect(await trace()).toEqual(first);
  });
});
