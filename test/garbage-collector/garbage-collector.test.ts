// The garbage collector end to end, in virtual time: the real API server (propagation
// finalizers included) on the sim transport, ReplicaSets and pods with ownerReferences written
// by hand (no ReplicaSet controller), and the collector cleaning up after each deletion policy.
import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/control/client/client.js';
import { isNotFound } from '../../src/control/client/errors.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject, WatchEvent } from '../../src/control/client/types.js';
import { GarbageCollector } from '../../src/control/controllers/garbage-collector/garbage-collector.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import {
  createNamespaceWorld,
  deployment,
  epochMs,
  pod,
  type NamespaceWorld,
} from '../namespaces/namespace-world.js';

const { pods, replicaSets, nodes, deployments } = coreResources;

interface Started {
  gc: GarbageCollector;
  log: string[];
}

function startGc(world: NamespaceWorld): Started {
  const { client, clock } = world.newClient('garbage-collector');
  const log: string[] = [];
  const gc = new GarbageCollector({
    client,
    clock,
    rng: world.rng.fork('garbage-collector'),
    log: (line) => log.push(`${clock.nowMs() - epochMs} ${line}`),
  });
  gc.start();
  return { gc, log };
}

function replicaSet(name: string, finalizers: string[] = []): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ...(finalizers.length > 0 ? { finalizers } : {}) },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  };
}

function ownerRef(owner: KubeObject, blockOwnerDeletion = true): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    name: owner.metadata.name,
    uid: owner.metadata.uid,
    controller: true,
    blockOwnerDeletion,
  };
}

async function ownedPod(
  client: KubeClient,
  name: string,
  refs: Record<string, unknown>[],
  finalizers: string[] = [],
): Promise<KubeObject> {
  const body = pod(name) as KubeObject;
  body.metadata.ownerReferences = refs;
  if (finalizers.length > 0) body.metadata.finalizers = finalizers;
  return client.create(pods, 'default', body);
}

async function getOrUndefined(
  client: KubeClient,
  resource: typeof pods | typeof replicaSets,
  name: string,
) {
  try {
    return await client.get(resource, 'default', name);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function podNames(client: KubeClient): Promise<string[]> {
  return (await client.list(pods, 'default')).items.map((p) => p.metadata.name ?? '');
}

/** Waits until the collector's informers have listed, so the graph knows every object. */
async function synced(gc: GarbageCollector, clock: VirtualClock): Promise<void> {
  for (let i = 0; i < 100 && !gc.hasSynced(); i++) await clock.sleep(100);
  expect(gc.hasSynced()).toBe(true);
}

/** `<kind>/<name>` of every DELETED event, in stream order. */
function deletions(client: KubeClient): string[] {
  const seen: string[] = [];
  const record = (kind: string) => ({
    onEvent: (event: WatchEvent) => {
      if (event.type === 'DELETED') seen.push(`${kind}/${event.object.metadata.name ?? ''}`);
    },
    onEnd: () => undefined,
  });
  client.watch(pods, 'default', {}, record('pod'));
  client.watch(replicaSets, 'default', {}, record('replicaset'));
  return seen;
}

describe('the garbage collector', () => {
  it('deletes the pods of a ReplicaSet deleted in the background', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const { gc, log } = startGc(world);
    const outcome = await world.run(async () => {
      const rs = await client.create(replicaSets, 'default', replicaSet('web'));
      for (const name of ['web-a', 'web-b']) await ownedPod(client, name, [ownerRef(rs)]);
      await client.create(pods, 'default', pod('unrelated') as KubeObject);
      await synced(gc, clock);
      await client.delete(replicaSets, 'default', 'web', { propagationPolicy: 'Background' });
      const ownerGone = (await getOrUndefined(client, replicaSets, 'web')) === undefined;
      await clock.sleep(1_000);
      const left = await podNames(client);
      gc.stop();
      await gc.whenStopped();
      return { ownerGone, left };
    }, 60_000);
    expect(outcome.ownerGone).toBe(true);
    expect(outcome.left).toEqual(['unrelated']);
    expect(gc.stats()).toMatchObject({ deletedCount: 2, errorCount: 0 });
    expect(log.map((line) => line.replace(/^\d+ /, '').replace(/uid \S+/, 'uid *'))).toEqual([
      'deleted v1, Kind=Pod, default/web-a, uid * with propagationPolicy Background',
      'deleted v1, Kind=Pod, default/web-b, uid * with propagationPolicy Background',
    ]);
  });

  it('orphans the pods of a ReplicaSet deleted with Orphan, then lets it go', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const { gc } = startGc(world);
    const outcome = await world.run(async () => {
      const rs = await client.create(replicaSets, 'default', replicaSet('web'));
      for (const name of ['web-a', 'web-b']) await ownedPod(client, name, [ownerRef(rs)]);
      await synced(gc, clock);
      const marked = await client.delete(replicaSets, 'default', 'web', {
        propagationPolicy: 'Orphan',
      });
      await clock.sleep(1_000);
      const owner = await getOrUndefined(client, replicaSets, 'web');
      const left = (await client.list(pods, 'default')).items;
      gc.stop();
      return { marked: marked as KubeObject, owner, left };
    }, 60_000);
    expect(outcome.marked.metadata.finalizers).toEqual(['orphan']);
    expect(outcome.owner).toBeUndefined();
    expect(outcome.left.map((p) => p.metadata.name)).toEqual(['web-a', 'web-b']);
    for (const orphan of outcome.left) expect(orphan.metadata.ownerReferences ?? []).toEqual([]);
    expect(outcome.left.every((p) => p.metadata.deletionTimestamp === undefined)).toBe(true);
  });

  it('deletes the pods of a ReplicaSet deleted in the foreground before the ReplicaSet itself', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const kubelet = world.newClient('kubelet').client;
    const { gc } = startGc(world);
    const outcome = await world.run(async () => {
      await client.create(nodes, '', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
      const rs = await client.create(replicaSets, 'default', replicaSet('web'));
      for (const name of ['web-a', 'web-b']) {
        await ownedPod(client, name, [ownerRef(rs)]);
        await client.bind('default', name, 'n1');
      }
      const seen = deletions(client);
      await synced(gc, clock);
      await client.delete(replicaSets, 'default', 'web', { propagationPolicy: 'Foreground' });
      await clock.sleep(5_000);
      const waiting = await getOrUndefined(client, replicaSets, 'web');
      const terminating = (await client.list(pods, 'default')).items;
      // The kubelet finishes the pods' graceful termination.
      for (const p of terminating) {
        await kubelet.delete(pods, 'default', p.metadata.name ?? '', { gracePeriodSeconds: 0 });
      }
      await clock.sleep(1_000);
      const owner = await getOrUndefined(client, replicaSets, 'web');
      gc.stop();
      return { waiting, terminating, owner, seen };
    }, 60_000);
    expect(outcome.waiting?.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(outcome.waiting?.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(outcome.terminating.map((p) => p.metadata.deletionGracePeriodSeconds)).toEqual([30, 30]);
    expect(outcome.owner).toBeUndefined();
    expect(outcome.seen).toEqual(['pod/web-a', 'pod/web-b', 'replicaset/web']);
  });

  it('lets a foreground-deleted owner go at once when no dependent blocks it', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const { gc } = startGc(world);
    const outcome = await world.run(async () => {
      const rs = await client.create(replicaSets, 'default', replicaSet('web'));
      await ownedPod(client, 'web-a', [ownerRef(rs, false)]);
      await client.bind('default', 'web-a', 'n1');
      await synced(gc, clock);
      await client.delete(replicaSets, 'default', 'web', { propagationPolicy: 'Foreground' });
      await clock.sleep(1_000);
      const owner = await getOrUndefined(client, replicaSets, 'web');
      const dependent = await getOrUndefined(client, pods, 'web-a');
      gc.stop();
      return { owner, dependent };
    }, 60_000);
    expect(outcome.owner).toBeUndefined();
    expect(outcome.dependent?.metadata.deletionTimestamp).toBe('2026-01-01T00:00:30Z');
  });

  it('keeps a pod with a second live owner and drops only the dangling reference', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const { gc } = startGc(world);
    const outcome = await world.run(async () => {
      const a = await client.create(replicaSets, 'default', replicaSet('a'));
      const b = await client.create(replicaSets, 'default', replicaSet('b'));
      const refB = { ...ownerRef(b), controller: false };
      await ownedPod(client, 'shared', [ownerRef(a), refB]);
      await synced(gc, clock);
      await client.delete(replicaSets, 'default', 'a');
      await clock.sleep(1_000);
      const shared = await getOrUndefined(client, pods, 'shared');
      gc.stop();
      return { shared, b };
    }, 60_000);
    expect(outcome.shared?.metadata.deletionTimestamp).toBeUndefined();
    const refs = outcome.shared?.metadata.ownerReferences ?? [];
    expect(refs.map((ref) => ref.uid)).toEqual([outcome.b.metadata.uid]);
  });

  it('never removes a finalizer it does not own, on dependents or on owners', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const { gc } = startGc(world);
    const outcome = await world.run(async () => {
      const bg = await client.create(replicaSets, 'default', replicaSet('bg'));
      await ownedPod(client, 'kept', [ownerRef(bg)], ['example.com/keep']);
      const fg = await client.create(
        replicaSets,
        'default',
        replicaSet('fg', ['example.com/keep']),
      );
      await ownedPod(client, 'fg-a', [ownerRef(fg)]);
      await synced(gc, clock);
      await client.delete(replicaSets, 'default', 'bg');
      await client.delete(replicaSets, 'default', 'fg', { propagationPolicy: 'Foreground' });
      await clock.sleep(2_000);
      const kept = await getOrUndefined(client, pods, 'kept');
      const fgOwner = await getOrUndefined(client, replicaSets, 'fg');
      const fgPod = await getOrUndefined(client, pods, 'fg-a');
      gc.stop();
      return { kept, fgOwner, fgPod };
    }, 60_000);
    // The dependent was deleted but its own finalizer holds it.
    expect(outcome.kept?.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(outcome.kept?.metadata.finalizers).toEqual(['example.com/keep']);
    // The foreground owner lost only foregroundDeletion once its pod was gone.
    expect(outcome.fgPod).toBeUndefined();
    expect(outcome.fgOwner?.metadata.finalizers).toEqual(['example.com/keep']);
    expect(outcome.fgOwner?.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
  });

  it('collects a pod whose owner never existed, after checking the owner live', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const outcome = await world.run(async () => {
      const ghost = { metadata: { name: 'ghost', uid: 'no-such-uid' } } as KubeObject;
      await ownedPod(client, 'stray', [ownerRef(ghost)]);
      const rs = await client.create(replicaSets, 'default', replicaSet('web'));
      await ownedPod(client, 'owned', [ownerRef(rs)]);
      const { gc } = startGc(world);
      await synced(gc, clock);
      await clock.sleep(1_000);
      const left = await podNames(client);
      const graphKnowsGhost = gc.graph.get('no-such-uid') !== undefined;
      gc.stop();
      return { left, graphKnowsGhost };
    }, 60_000);
    expect(outcome.left).toEqual(['owned']);
    expect(outcome.graphKnowsGhost).toBe(false);
  });
  it('deletes a Deployment → ReplicaSet → pods chain in the foreground, leaves first', async () => {
    const world = await createNamespaceWorld();
    const { client, clock } = world.newClient('user');
    const { gc, log } = startGc(world);
    const outcome = await world.run(async () => {
      const deploy = await client.create(deployments, 'default', deployment('web') as KubeObject);
      const rsBody = replicaSet('web-1');
      rsBody.metadata.ownerReferences = [
        { ...ownerRef(deploy), apiVersion: 'apps/v1', kind: 'Deployment' },
      ];
      const rs = await client.create(replicaSets, 'default', rsBody);
      for (const name of ['web-1-a', 'web-1-b']) await ownedPod(client, name, [ownerRef(rs)]);
      const seen = deletions(client);
      client.watch(
        deployments,
        'default',
        {},
        {
          onEvent: (event: WatchEvent) => {
            if (event.type === 'DELETED')
              seen.push(`deployment/${event.object.metadata.name ?? ''}`);
          },
          onEnd: () => undefined,
        },
      );
      await synced(gc, clock);
      await client.delete(deployments, 'default', 'web', { propagationPolicy: 'Foreground' });
      await clock.sleep(2_000);
      gc.stop();
      return { seen, left: await podNames(client) };
    }, 60_000);
    expect(outcome.left).toEqual([]);
    expect(outcome.seen).toEqual([
      'pod/web-1-a',
      'pod/web-1-b',
      'replicaset/web-1',
      'deployment/web',
    ]);
    expect(
      log.some((line) => line.includes('ReplicaSet, default/web-1') && line.endsWith('Foreground')),
    ).toBe(true);
  });

  it('makes the same decisions at the same virtual times for the same seed', async () => {
    const runOnce = async (): Promise<string[]> => {
      const world = await createNamespaceWorld({ seed: 7 });
      const { client, clock } = world.newClient('user');
      const { gc, log } = startGc(world);
      await world.run(async () => {
        for (const name of ['a', 'b', 'c']) {
          const rs = await client.create(replicaSets, 'default', replicaSet(name));
          for (let i = 0; i < 3; i++) await ownedPod(client, `${name}-${i}`, [ownerRef(rs)]);
        }
        await synced(gc, clock);
        await client.delete(replicaSets, 'default', 'a');
        await client.delete(replicaSets, 'default', 'b', { propagationPolicy: 'Foreground' });
        await client.delete(replicaSets, 'default', 'c', { propagationPolicy: 'Orphan' });
        await clock.sleep(2_000);
        gc.stop();
      }, 60_000);
      return log;
    };
    const first = await runOnce();
    expect(first.length).toBeGreaterThanOrEqual(8);
    expect(await runOnce()).toEqual(first);
  });
});
