// KubeClient against the real API server on the sim transport, in virtual time: CRUD, typed
// errors, pagination, binding, raw watches and client-side rate limiting.

import { describe, expect, it } from 'vitest';
import {
  isAlreadyExists,
  isConflict,
  isInvalid,
  isNotFound,
  type ApiStatusError,
} from '../../src/control/client/errors.js';
import { findResourceByKind } from '../../src/control/api/registry.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject, WatchEvent } from '../../src/control/client/types.js';
import { nodeObject, podObject } from './fixtures.js';
import { createSimWorld } from './sim-world.js';

const pods = coreResources.pods;

async function failureOf(promise: Promise<unknown>): Promise<ApiStatusError> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) throw new Error('expected the call to fail');
  return outcome as ApiStatusError;
}

describe('KubeClient on the API server', () => {
  it('creates, reads, lists, updates and deletes a pod', async () => {
    const world = await createSimWorld();
    const { client } = world.newClient('crud');
    await world.run(async () => {
      const created = await client.create(
        pods,
        'default',
        podObject('web-1', { labels: { app: 'web' } }),
      );
      expect(created.metadata.uid).toMatch(/./);
      const read = await client.get(pods, 'default', 'web-1');
      expect(read.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
      const labels = { ...read.metadata.labels, tier: 'front' };
      const updated = await client.update(pods, 'default', {
        ...read,
        metadata: { ...read.metadata, labels },
      });
      expect(updated.metadata.labels).toEqual({ app: 'web', tier: 'front' });
      const list = await client.list(pods, 'default', { labelSelector: 'tier=front' });
      expect(list.items.map((p) => p.metadata.name)).toEqual(['web-1']);
      await client.delete(pods, 'default', 'web-1', { gracePeriodSeconds: 0 });
      expect(isNotFound(await failureOf(client.get(pods, 'default', 'web-1')))).toBe(true);
    }, 1_000);
  });

  it('reports a missing object as 404 NotFound with the upstream message', async () => {
    const world = await createSimWorld();
    const { client } = world.newClient('crud');
    const error = await world.run(() => failureOf(client.get(pods, 'default', 'ghost')), 1_000);
    expect(isNotFound(error)).toBe(true);
    expect(error.code).toBe(404);
    expect(error.message).toBe('pods "ghost" not found');
  });

  it('reports a stale update as 409 Conflict and a repeated create as AlreadyExists', async () => {
    const world = await createSimWorld();
    const { client } = world.newClient('crud');
    const [stale, duplicate] = await world.run(async () => {
      const first = await client.create(pods, 'default', podObject('a'));
      await client.update(pods, 'default', {
        ...first,
        metadata: { ...first.metadata, labels: { v: '1' } },
      });
      const staleWrite = client.update(pods, 'default', {
        ...first,
        metadata: { ...first.metadata, labels: { v: '2' } },
      });
      return [
        await failureOf(staleWrite),
        await failureOf(client.create(pods, 'default', podObject('a'))),
      ];
    }, 1_000);
    expect(isConflict(stale)).toBe(true);
    expect(isAlreadyExists(stale)).toBe(false);
    expect(stale.message).toMatch(/the object has been modified/);
    expect(isAlreadyExists(duplicate)).toBe(true);
    expect(duplicate.message).toBe('pods "a" already exists');
  });

  it('reports an invalid object as 422 Invalid with field causes', async () => {
    const world = await createSimWorld();
    const { client } = world.newClient('crud');
    const invalidPod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'bad' },
      spec: { containers: [] },
    };
    const error = await world.run(
      () => failureOf(client.create(pods, 'default', invalidPod)),
      1_000,
    );
    expect(isInvalid(error)).toBe(true);
    expect(error.code).toBe(422);
    expect(error.details?.causes?.some((c) => c.field === 'spec.containers')).toBe(true);
  });

  it('lists every page of a collection with listAll', async () => {
    const world = await createSimWorld();
    const { client } = world.newClient('crud');
    const names = await world.run(async () => {
      for (let i = 0; i < 7; i++) await client.create(pods, 'default', podObject(`p${i}`));
      const firstPage = await client.list(pods, 'default', { limit: 3 });
      expect(firstPage.items).toHaveLength(3);
      expect(firstPage.metadata.continue).toMatch(/./);
      const all = await client.listAll(pods, 'default', { pageSize: 3 });
      expect(all.metadata.resourceVersion).toBe(firstPage.metadata.resourceVersion);
      return all.items.map((p) => p.metadata.name);
    }, 1_000);
    expect(names).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  it('binds a pod to a node once; a second binding is a conflict', async () => {
    const world = await createSimWorld();
    const { client } = world.newClient('scheduler');
    const [nodeName, second] = await world.run(async () => {
      await client.create(pods, 'default', podObject('a'));
      const status = await client.bind('default', 'a', 'node-1');
      expect(status.code).toBe(201);
      const bound = await client.get(pods, 'default', 'a');
      return [
        (bound.spec as { nodeName?: string }).nodeName,
        await failureOf(client.bind('default', 'a', 'node-2')),
      ];
    }, 1_000);
    expect(nodeName).toBe('node-1');
    expect(isConflict(second)).toBe(true);
  });

  it('watches changes in order, with bookmarks, until the server timeout', async () => {
    const world = await createSimWorld({ bookmarkIntervalMs: 2_000 });
    const { client, clock } = world.newClient('watcher');
    const events: string[] = [];
    const ends: string[] = [];
    const startMs = world.engine.nowMs();
    await world.run(async () => {
      const start = await client.list(pods, 'default');
      client.watch(
        pods,
        'default',
        {
          resourceVersion: start.metadata.resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: 5,
        },
        {
          onEvent: (e: WatchEvent) =>
            void events.push(
              `${e.type} ${e.type === 'ERROR' ? '' : (e.object.metadata.name ?? '')}`,
            ),
          onEnd: (end) => void ends.push(`${end.kind}@${clock.nowMs() - startMs}`),
        },
      );
      const created = await client.create(pods, 'default', podObject('w'));
      await client.update(pods, 'default', {
        ...created,
        metadata: { ...created.metadata, labels: { x: 'y' } },
      });
      await client.delete(pods, 'default', 'w');
      await clock.sleep(6_000);
    }, 10_000);
    expect(events).toEqual(['ADDED w', 'MODIFIED w', 'DELETED w', 'BOOKMARK ', 'BOOKMARK ']);
    expect(ends).toEqual(['closed@5000']);
  });

  it('spaces requests past the burst at the client’s qps in virtual time', async () => {
    const world = await createSimWorld();
    const { client, clock } = world.newClient('limited', { qps: 2, burst: 2 });
    const startMs = world.engine.nowMs();
    const doneAtMs = await world.run(async () => {
      const done: number[] = [];
      await Promise.all(
        [0, 1, 2, 3, 4].map(async (i) => {
          await client.create(coreResources.nodes, '', nodeObject(`n${i}`));
          done.push(clock.nowMs() - startMs);
        }),
      );
      return done.sort((a, b) => a - b);
    }, 10_000);
    expect(doneAtMs).toEqual([0, 0, 500, 1000, 1500]);
  });

  it('accepts a registry ResourceType as the resource descriptor', async () => {
    const world = await createSimWorld();
    const { client } = world.newClient('crud');
    const replicaSets = findResourceByKind('apps/v1', 'ReplicaSet');
    if (replicaSets === undefined) throw new Error('ReplicaSet is not registered');
    const replicaSet: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
        },
      },
    };
    const names = await world.run(async () => {
      await client.create(replicaSets, 'default', replicaSet);
      return (await client.list(replicaSets, '')).items.map((rs) => rs.metadata.name);
    }, 1_000);
    expect(names).toEqual(['web']);
  });
});
