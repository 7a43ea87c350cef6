// The same client and informer code over HTTP and wall time: the real world's ports at work.
import { afterEach, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/control/apiserver/api-server.js';
import { KubeClient } from '../../src/control/client/client.js';
import { isConflict, isNotFound } from '../../src/control/client/errors.js';
import { Informer } from '../../src/control/client/informer.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import { MemoryBackend } from '../../src/control/store/memory-backend.js';
import { createVersionedStore } from '../../src/control/store/versioned-store.js';
import { startHttpServer } from '../../src/runtime/http-server.js';
import { HttpTransport } from '../../src/runtime/http-transport.js';
import { WallClock } from '../../src/runtime/wall-clock.js';
import { podObject } from './fixtures.js';

const pods = coreResources.pods;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function httpWorld() {
  const clock = new WallClock({ unrefTimers: true });
  const store = await createVersionedStore({ backend: new MemoryBackend() });
  const api = await createApiServer({ store, clock, rng: createRng('http-world', 'apiserver') });
  const server = await startHttpServer({ handler: api });
  const transport = new HttpTransport({ baseUrl: server.url, requestTimeoutMs: 5_000 });
  cleanups.push(
    () => server.close(),
    () => transport.close(),
  );
  return { clock, client: new KubeClient({ transport, clock }), server };
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('client and informer over HTTP', () => {
  it('creates, conflicts and deletes with typed errors', async () => {
    const { client } = await httpWorld();
    const created = await client.create(pods, 'default', podObject('web-1'));
    expect(created.metadata.resourceVersion).toBeDefined();
    const stale = { ...created, metadata: { ...created.metadata, labels: { v: '1' } } };
    await client.update(pods, 'default', stale);
    await expect(client.update(pods, 'default', stale)).rejects.toSatisfy(isConflict);
    await client.delete(pods, 'default', 'web-1');
    await expect(client.get(pods, 'default', 'web-1')).rejects.toSatisfy(isNotFound);
  });

  it('keeps an informer cache in step with the server over a streaming watch', async () => {
    const { client, clock } = await httpWorld();
    await client.create(pods, 'default', podObject('a'));
    const seen: string[] = [];
    const informer = new Informer<KubeObject>({
      client,
      resource: pods,
      clock,
      rng: createRng(1, 'informer'),
    });
    informer.addEventHandler({
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (_old, o) => seen.push(`update ${o.metadata.name}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    informer.start();
    cleanups.push(() => informer.stop());
    await until(() => informer.hasSynced());
    await client.create(pods, 'default', podObject('b'));
    const b = await client.get(pods, 'default', 'b');
    await client.update(pods, 'default', { ...b, metadata: { ...b.metadata, labels: { x: 'y' } } });
    await client.delete(pods, 'default', 'a');
    await until(() => seen.length >= 4);
    expect(seen).toEqual(['add a', 'add b', 'update b', 'delete a']);
    expect(informer.store.list().map((o) => o.metadata.name)).toEqual(['b']);
  });
});
