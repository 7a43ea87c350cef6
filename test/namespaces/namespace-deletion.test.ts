// Namespace DELETE and PUT .../finalize as upstream's namespace registry: Terminating first,
// removal once spec and metadata finalizers are empty.

import { beforeEach, describe, expect, it } from 'vitest';
import { findResource } from '../../src/control/api/registry.js';
import type { Draft } from '../../src/control/apiserver/json-body.js';
import {
  keepNamespaceSpecFinalizers,
  namespaceRemovalBlocked,
} from '../../src/control/apiserver/namespace-deletion.js';
import { createNamespaceWorld, namespace, pod, type NamespaceWorld } from './namespace-world.js';

let world: NamespaceWorld;

beforeEach(async () => {
  world = await createNamespaceWorld();
  expect((await world.call('POST', '/api/v1/namespaces', namespace('shop'))).status).toBe(201);
  expect((await world.call('POST', '/api/v1/namespaces/shop/pods', pod('web'))).status).toBe(201);
});

const get = async () => world.call('GET', '/api/v1/namespaces/shop');
const finalize = async (body: unknown) =>
  world.call('PUT', '/api/v1/namespaces/shop/finalize', body);

describe('namespace deletion', () => {
  it('marks the namespace Terminating and keeps it while spec.finalizers hold it', async () => {
    const deleted = await world.call('DELETE', '/api/v1/namespaces/shop');
    expect(deleted.status).toBe(200);
    expect(deleted.json.metadata.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(deleted.json.metadata.deletionGracePeriodSeconds).toBeUndefined();
    expect(deleted.json.metadata.finalizers).toBeUndefined();
    expect(deleted.json.status.phase).toBe('Terminating');
    expect(deleted.json.spec.finalizers).toEqual(['kubernetes']);
    const again = await world.call('DELETE', '/api/v1/namespaces/shop');
    expect(again.status).toBe(200);
    expect(again.json.metadata.resourceVersion).toBe(deleted.json.metadata.resourceVersion);
    expect((await get()).status).toBe(200);
  });

  it('removes the namespace when finalize empties spec.finalizers', async () => {
    await world.call('DELETE', '/api/v1/namespaces/shop');
    const reply = await finalize({ ...(await get()).json, spec: { finalizers: [] } });
    expect(reply.status).toBe(200);
    expect(reply.json.metadata.name).toBe('shop');
    expect((await get()).status).toBe(404);
  });

  it('takes only spec and metadata from a finalize body, never status', async () => {
    const current = (await get()).json;
    const reply = await finalize({
      ...current,
      spec: { finalizers: ['kubernetes', 'example.com/hold'] },
      status: { phase: 'Terminating' },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.spec.finalizers).toEqual(['kubernetes', 'example.com/hold']);
    expect(reply.json.status.phase).toBe('Active');
    expect(reply.json.metadata.deletionTimestamp).toBeUndefined();
    const emptied = await finalize({ ...reply.json, spec: { finalizers: [] } });
    expect(emptied.json.spec.finalizers ?? []).toEqual([]);
    expect((await get()).status).toBe(200);
  });

  it('rejects a stale, misnamed or invalid finalize', async () => {
    const current = (await get()).json;
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: '1' } };
    expect((await finalize(stale)).status).toBe(409);
    const misnamed = { ...current, metadata: { name: 'other' } };
    const wrong = await finalize(misnamed);
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toBe(
      'the name of the object (other) does not match the name on the URL (shop)',
    );
    const invalid = await finalize({ ...current, spec: { finalizers: ['hold'] } });
    expect(invalid.status).toBe(422);
    const missing = await world.call('PUT', '/api/v1/namespaces/nowhere/finalize', {
      ...current,
      metadata: { name: 'nowhere' },
    });
    expect(missing.status).toBe(404);
  });

  it('keeps a namespace held by metadata finalizers until they are removed too', async () => {
    const deleted = await world.call('DELETE', '/api/v1/namespaces/shop', undefined, {
      propagationPolicy: 'Foreground',
    });
    expect(deleted.json.metadata.finalizers).toEqual(['foregroundDeletion']);
    const finalized = await finalize({ ...(await get()).json, spec: { finalizers: [] } });
    expect(finalized.status).toBe(200);
    expect((await get()).status).toBe(200);
    const again = await world.call('DELETE', '/api/v1/namespaces/shop');
    expect(again.status).toBe(200);
    expect((await get()).status).toBe(200);
    const held = (await get()).json;
    const released = { ...held, metadata: { ...held.metadata, finalizers: [] } };
    expect((await world.call('PUT', '/api/v1/namespaces/shop', released)).status).toBe(200);
    expect((await get()).status).toBe(404);
  });

  it('marks even an unfinalized namespace first, and removes it on the next DELETE', async () => {
    const emptied = await finalize({ ...(await get()).json, spec: { finalizers: [] } });
    expect(emptied.status).toBe(200);
    const first = await world.call('DELETE', '/api/v1/namespaces/shop');
    expect(first.json.status.phase).toBe('Terminating');
    expect((await get()).status).toBe(200);
    const second = await world.call('DELETE', '/api/v1/namespaces/shop');
    expect(second.status).toBe(200);
    expect(second.json.metadata.name).toBe('shop');
    expect((await get()).status).toBe(404);
  });

  it('checks DELETE preconditions first', async () => {
    const reply = await world.call('DELETE', '/api/v1/namespaces/shop', {
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      preconditions: { uid: 'not-the-uid' },
    });
    expect(reply.status).toBe(409);
    expect((await get()).json.metadata.deletionTimestamp).toBeUndefined();
  });
});

describe('helpers for the update path', () => {
  const namespaces = findResource('', 'v1', 'namespaces')!;
  const pods = findResource('', 'v1', 'pods')!;
  const terminating = {
    metadata: { name: 'shop', deletionTimestamp: '2026-01-01T00:00:00Z' },
    spec: { finalizers: ['kubernetes'] },
  };

  it('blocks removing a namespace while spec.finalizers are left, and nothing else', () => {
    expect(namespaceRemovalBlocked(namespaces, terminating)).toBe(true);
    expect(namespaceRemovalBlocked(namespaces, { ...terminating, spec: {} })).toBe(false);
    expect(namespaceRemovalBlocked(pods, terminating)).toBe(false);
  });

  it('keeps the stored spec.finalizers on a namespace PUT', () => {
    const draft: Draft = { metadata: { name: 'shop' }, spec: { finalizers: [] } };
    keepNamespaceSpecFinalizers(namespaces, draft, terminating);
    expect(draft.spec).toEqual({ finalizers: ['kubernetes'] });
    const other: Draft = { metadata: { name: 'web' }, spec: { finalizers: [] } };
    keepNamespaceSpecFinalizers(pods, other, terminating);
    expect(other.spec).toEqual({ finalizers: [] });
  });
});
