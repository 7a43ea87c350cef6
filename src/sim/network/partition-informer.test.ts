// An informer across a partition: its watch breaks, it retries as over HTTP, and after the heal
// it catches up with what changed meanwhile (by re-watching, or by re-listing when too late).

import { describe, expect, it } from 'vitest';
import { Informer } from '../../control/client/informer.js';
import { coreResources } from '../../control/client/resource-client.js';
import type { KubeObject } from '../../control/client/types.js';
import type { CoreWorld } from '../core-world.js';
import { newNetworkWorld, nodeObject, runScript } from './network-world.js';

const hostSetImmediate = setImmediate;
const drain = (): Promise<void> => new Promise((resolve) => hostSetImmediate(() => resolve()));
const { nodes } = coreResources;

function cachedNames(informer: Informer<KubeObject>): string[] {
  return informer.store.list().map((node) => node.metadata.name ?? '');
}

/** Partitions the informer for 5 virtual minutes while a writer adds, updates and deletes. */
async function partitionAndHeal(world: CoreWorld) {
  const { client: writer } = world.newClient('writer');
  const { client, clock, rng } = world.newClient('informer');
  const informer = new Informer({ client, resource: nodes, clock, rng });
  const log: string[] = [];
  informer.addEventHandler({
    onAdd: (node) => log.push(`add ${node.metadata.name}`),
    onDelete: (node, unknown) =>
      log.push(`delete ${node.metadata.name}${unknown ? ' (relist)' : ''}`),
  });
  const during = await runScript(
    world,
    async () => {
      await writer.create(nodes, '', nodeObject('before'));
      informer.start();
      await clock.sleep(100);
      expect(cachedNames(informer)).toEqual(['before']);
      const id = world.network.partition({ from: 'client/informer', to: 'apiserver' });
      expect(informer.phase).toBe('backingOff');
      for (let i = 0; i < 20; i++) await writer.create(nodes, '', nodeObject(`during-${i}`));
      await writer.delete(nodes, '', 'before');
      await clock.sleep(300_000);
      const stale = cachedNames(informer);
      world.network.heal(id);
      await clock.sleep(120_000);
      return { stale };
    },
    500_000,
  );
  return { informer, log, stale: during.stale };
}

describe('An informer across a network partition', () => {
  it('re-watches after the heal and sees the changes made meanwhile', async () => {
    const world = await newNetworkWorld(drain);
    const { informer, log, stale } = await partitionAndHeal(world);
    expect(stale).toEqual(['before']);
    const expected = Array.from({ length: 20 }, (_, i) => `during-${i}`).sort();
    expect(cachedNames(informer)).toEqual(expected);
    expect(log.at(-1)).toBe('delete before');
    expect(informer.listCount).toBe(1);
    expect(informer.watchCount).toBeGreaterThan(2);
    expect(informer.phase).toBe('watching');
    expect(world.network.stats().streamsBroken).toBe(1);
    expect(world.network.stats().partitioned).toBeGreaterThan(1);
  });

  it('re-lists when the watch history no longer reaches back to its version', async () => {
    const world = await newNetworkWorld(drain, { watchHistoryCountMax: 5 });
    const { informer, log, stale } = await partitionAndHeal(world);
    expect(stale).toEqual(['before']);
    const expected = Array.from({ length: 20 }, (_, i) => `during-${i}`).sort();
    expect(cachedNames(informer)).toEqual(expected);
    expect(log).toContain('delete before (relist)');
    expect(informer.listCount).toBe(2);
    expect(informer.phase).toBe('watching');
  });

  it('keeps watching when the partition cuts other endpoints only', async () => {
    const world = await newNetworkWorld(drain);
    const { client, clock, rng } = world.newClient('informer');
    const { client: writer } = world.newClient('writer');
    const informer = new Informer({ client, resource: nodes, clock, rng });
    await runScript(
      world,
      async () => {
        informer.start();
        await clock.sleep(100);
        world.network.partition({ from: 'node/*', to: 'apiserver' });
        await writer.create(nodes, '', nodeObject('seen'));
        await clock.sleep(100);
      },
      1_000,
    );
    expect(cachedNames(informer)).toEqual(['seen']);
    expect(informer.watchCount).toBe(1);
    expect(world.network.stats().streamsBroken).toBe(0);
  });
});
