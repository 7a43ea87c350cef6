// Informers against the real API server on the sim transport, in virtual time: sync, event order,
// 410 re-lists, server-closed and broken watches, bookmarks, resync, indexes and stop.

import { describe, expect, it } from 'vitest';
import type { KubeClient } from '../../src/control/client/client.js';
import { KubeClient as Client } from '../../src/control/client/client.js';
import { Informer } from '../../src/control/client/informer.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { VirtualClock } from '../../src/sim/engine/engine.js';
import { BreakableTransport, nodeObject, podObject, recordCalls } from './fixtures.js';
import { createSimWorld, type SimWorld } from './sim-world.js';

const pods = coreResources.pods;

function podInformer(
  world: SimWorld,
  client: KubeClient,
  clock: VirtualClock,
  options: Partial<ConstructorParameters<typeof Informer<KubeObject>>[0]> = {},
) {
  return new Informer<KubeObject>({
    client,
    resource: pods,
    clock,
    rng: world.rng.fork('informer'),
    ...options,
  });
}

/** name → resourceVersion, for comparing a cache with the server. */
function versions(objects: readonly KubeObject[]): Record<string, string | undefined> {
  return Object.fromEntries(objects.map((o) => [o.metadata.name, o.metadata.resourceVersion]));
}

async function serverVersions(client: KubeClient) {
  return versions((await client.list(pods, '')).items);
}

function relabel(object: KubeObject, value: string): KubeObject {
  return { ...object, metadata: { ...object.metadata, labels: { v: value } } };
}

describe('Informer', () => {
  it('syncs from a paginated list, then sees creates, updates and deletes in order', async () => {
    const world = await createSimWorld();
    const { client: writer } = world.newClient('writer');
    const { client, clock } = world.newClient('informer');
    const log: string[] = [];
    const informer = podInformer(world, client, clock, { pageSize: 2 });
    informer.addEventHandler(recordCalls(log));
    await world.run(async () => {
      for (const name of ['c', 'a', 'b']) await writer.create(pods, 'default', podObject(name));
      expect(informer.hasSynced()).toBe(false);
      informer.start();
      await clock.sleep(10);
      expect(informer.hasSynced()).toBe(true);
      const d = await writer.create(pods, 'default', podObject('d'));
      await writer.update(pods, 'default', relabel(d, '1'));
      await writer.delete(pods, 'default', 'a');
      await clock.sleep(10);
    }, 1_000);
    expect(log).toEqual([
      'add default/a 2',
      'add default/b 3',
      'add default/c 1',
      'add default/d 4',
      'update default/d 5',
      'delete default/a 6',
    ]);
    expect(informer.store.keys()).toEqual(['default/b', 'default/c', 'default/d']);
    expect(Object.isFrozen(informer.store.get('default/d')?.metadata)).toBe(true);
    expect(informer.listCount).toBe(1);
  });

  it('re-lists after a 410 on a too-old watch and converges to the server state', async () => {
    const world = await createSimWorld({ watchHistoryCountMax: 5 });
    const { client: writer } = world.newClient('writer');
    // One request per second: the watch starts a second after the list, too late for history.
    const { client, clock } = world.newClient('informer', { qps: 1, burst: 1 });
    const log: string[] = [];
    const informer = podInformer(world, client, clock);
    informer.addEventHandler(recordCalls(log));
    const server = await world.run(async () => {
      for (const name of ['gone', 'kept']) await writer.create(pods, 'default', podObject(name));
      informer.start();
      await clock.sleep(500);
      expect(informer.hasSynced()).toBe(true);
      await writer.delete(pods, 'default', 'gone');
      const kept = await writer.get(pods, 'default', 'kept');
      await writer.update(pods, 'default', relabel(kept, 'new'));
      for (let i = 0; i < 8; i++) await writer.create(pods, 'default', podObject(`n${i}`));
      await clock.sleep(10_000);
      return serverVersions(writer);
    }, 20_000);
    expect(informer.listCount).toBe(2);
    expect(versions(informer.store.list())).toEqual(server);
    expect(log.filter((l) => !l.startsWith('add default/n'))).toEqual([
      'add default/gone 1',
      'add default/kept 2',
      'update default/kept 4',
      'tombstone default/gone 1',
    ]);
    expect(informer.lastError?.message).toMatch(/too old resource version/);
  });

  it('re-watches from the last version when the server ends a watch, losing nothing', async () => {
    const world = await createSimWorld();
    const { client: writer } = world.newClient('writer');
    const { client, clock } = world.newClient('informer');
    const log: string[] = [];
    const informer = podInformer(world, client, clock, { watchTimeoutSecondsMin: 5 });
    informer.addEventHandler(recordCalls(log));
    const expected: string[] = [];
    const server = await world.run(async () => {
      informer.start();
      for (let i = 0; i < 40; i++) {
        await clock.sleep(1_300);
        const created = await writer.create(pods, 'default', podObject(`p${i % 7}-${i}`));
        expected.push(`add default/${created.metadata.name} ${created.metadata.resourceVersion}`);
      }
      await clock.sleep(100);
      return serverVersions(writer);
    }, 120_000);
    expect(log).toEqual(expected);
    expect(informer.watchCount).toBeGreaterThan(4);
    expect(informer.listCount).toBe(1);
    expect(versions(informer.store.list())).toEqual(server);
  });

  it('backs off and re-watches after a broken stream, catching up from history', async () => {
    const world = await createSimWorld();
    const breakable = new BreakableTransport(world.transport);
    const clock = world.engine.clock('informer');
    const client = new Client({ transport: breakable, clock });
    const { client: writer } = world.newClient('writer');
    const log: string[] = [];
    const informer = podInformer(world, client, clock);
    informer.addEventHandler(recordCalls(log));
    const server = await world.run(async () => {
      await writer.create(pods, 'default', podObject('before'));
      informer.start();
      await clock.sleep(10);
      expect(breakable.breakAll()).toBe(1);
      expect(informer.phase).toBe('backingOff');
      await writer.create(pods, 'default', podObject('during-outage'));
      expect(log).toEqual(['add default/before 1']);
      await clock.sleep(2_000);
      return serverVersions(writer);
    }, 5_000);
    expect(log).toEqual(['add default/before 1', 'add default/during-outage 2']);
    expect(informer.listCount).toBe(1);
    expect(informer.watchCount).toBe(2);
    expect(informer.lastError?.message).toMatch(/network partition/);
    expect(versions(informer.store.list())).toEqual(server);
  });

  it('advances its resourceVersion on bookmarks while its own objects are quiet', async () => {
    const world = await createSimWorld({ bookmarkIntervalMs: 1_000 });
    const { client: writer } = world.newClient('writer');
    const { client, clock } = world.newClient('informer');
    const informer = podInformer(world, client, clock);
    await world.run(async () => {
      informer.start();
      await clock.sleep(10);
      expect(informer.lastSyncResourceVersion).toBe('0');
      for (let i = 0; i < 3; i++) await writer.create(coreResources.nodes, '', nodeObject(`n${i}`));
      await clock.sleep(1_500);
    }, 5_000);
    expect(informer.lastSyncResourceVersion).toBe('3');
  });

  it('re-delivers every cached object as an update at each resync', async () => {
    const world = await createSimWorld();
    const { client: writer } = world.newClient('writer');
    const { client, clock } = world.newClient('informer');
    const log: string[] = [];
    const informer = podInformer(world, client, clock, { resyncPeriodMs: 30_000 });
    informer.addEventHandler(recordCalls(log));
    await world.run(async () => {
      await writer.create(pods, 'default', podObject('b'));
      await writer.create(pods, 'default', podObject('a'));
      informer.start();
      await clock.sleep(65_000);
    }, 70_000);
    expect(log.filter((l) => l.startsWith('resync'))).toEqual([
      'resync default/a 2',
      'resync default/b 1',
      'resync default/a 2',
      'resync default/b 1',
    ]);
  });

  it('indexes pods by node and replays the cache to a late handler', async () => {
    const world = await createSimWorld();
    const { client: writer } = world.newClient('writer');
    const { client, clock } = world.newClient('informer');
    const informer = podInformer(world, client, clock, {
      indexers: {
        node: (pod) => {
          const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
          return nodeName === undefined || nodeName === '' ? [] : [nodeName];
        },
      },
    });
    await world.run(async () => {
      for (const name of ['a', 'b', 'c']) await writer.create(pods, 'default', podObject(name));
      informer.start();
      await writer.bind('default', 'c', 'node-1');
      await writer.bind('default', 'a', 'node-1');
      await writer.bind('default', 'b', 'node-2');
      await clock.sleep(10);
    }, 1_000);
    expect(informer.store.byIndex('node', 'node-1').map((p) => p.metadata.name)).toEqual([
      'a',
      'c',
    ]);
    expect(informer.store.byIndex('node', 'node-2').map((p) => p.metadata.name)).toEqual(['b']);
    const late: string[] = [];
    informer.addEventHandler(recordCalls(late));
    expect(late).toEqual(['add default/a 5', 'add default/b 6', 'add default/c 4']);
  });

  it('stops watching on stop and closes its stream on the server', async () => {
    const world = await createSimWorld();
    const { client: writer } = world.newClient('writer');
    const { client, clock } = world.newClient('informer');
    const log: string[] = [];
    const informer = podInformer(world, client, clock, { resyncPeriodMs: 1_000 });
    informer.addEventHandler(recordCalls(log));
    await world.run(async () => {
      informer.start();
      await clock.sleep(10);
      expect(world.server.openWatchCount).toBe(1);
      informer.stop();
      expect(world.server.openWatchCount).toBe(0);
      await writer.create(pods, 'default', podObject('after-stop'));
      await clock.sleep(5_000);
    }, 10_000);
    expect(log).toEqual([]);
    expect(informer.phase).toBe('stopped');
  });

  it('produces the same event log for the same seed', async () => {
    const runOnce = async () => {
      const world = await createSimWorld({ seed: 9, watchHistoryCountMax: 3 });
      const { client: writer } = world.newClient('writer');
      const { client, clock } = world.newClient('informer', { qps: 1, burst: 1 });
      const log: string[] = [];
      const informer = podInformer(world, client, clock, { watchTimeoutSecondsMin: 3 });
      informer.addEventHandler({
        ...recordCalls(log),
        onAdd: (o) => void log.push(`add ${o.metadata.name} @${clock.nowMs()}`),
      });
      await world.run(async () => {
        await writer.create(pods, 'default', podObject('first'));
        informer.start();
        for (let i = 0; i < 30; i++) {
          await clock.sleep(700);
          const burst = i % 10 === 0 ? 5 : 1;
          for (let j = 0; j < burst; j++) {
            await writer.create(pods, 'default', podObject(`p${i}-${j}`));
          }
        }
      }, 60_000);
      return { log, lists: informer.listCount, watches: informer.watchCount };
    };
    const first = await runOnce();
    expect(first.lists).toBeGreaterThan(1);
    expect(first.log).toHaveLength(43);
    expect(await runOnce()).toEqual(first);
  });
});
