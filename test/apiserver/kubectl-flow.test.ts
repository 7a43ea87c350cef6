// Drives the API handler the way kubectl and client-go do: create, get, list, stale update, watch.
import { describe, expect, it } from 'vitest';
import { newHarness, podManifest, podsPath } from './harness.js';

describe('API handler driven like kubectl', () => {
  it('creates a pod, gets it, lists it by label, rejects a stale update, and watches changes in order', async () => {
    const h = await newHarness();
    const created = await h.call('POST', podsPath, {
      query: { fieldValidation: 'Strict' },
      body: podManifest('web-1'),
    });
    expect(created.status).toBe(201);
    expect(created.json.metadata.namespace).toBe('default');
    expect(created.json.metadata.uid).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(created.json.metadata.creationTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(created.json.status.phase).toBe('Pending');
    await h.call('POST', podsPath, { body: podManifest('db-1', { app: 'db' }) });

    const got = await h.call('GET', `${podsPath}/web-1`);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(created.json);

    const listed = await h.call('GET', podsPath, {
      query: { labelSelector: 'app=web', limit: '500' },
    });
    expect(listed.status).toBe(200);
    expect(listed.json.kind).toBe('PodList');
    expect(listed.json.items.map((p: { metadata: { name: string } }) => p.metadata.name)).toEqual([
      'web-1',
    ]);
    const listRv = listed.json.metadata.resourceVersion as string;

    const fresh = structuredClone(got.json);
    fresh.metadata.labels.tier = 'front';
    const updated = await h.call('PUT', `${podsPath}/web-1`, { body: fresh });
    expect(updated.status).toBe(200);
    expect(Number(updated.json.metadata.resourceVersion)).toBeGreaterThan(
      Number(got.json.metadata.resourceVersion),
    );

    const stale = structuredClone(got.json);
    stale.metadata.labels.tier = 'back';
    const rejected = await h.call('PUT', `${podsPath}/web-1`, { body: stale });
    expect(rejected.status).toBe(409);
    expect(rejected.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on pods "web-1": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'web-1', kind: 'pods' },
      code: 409,
    });

    const deleted = await h.call('DELETE', `${podsPath}/web-1`);
    expect(deleted.status).toBe(200);

    const tap = await h.watch(podsPath, { resourceVersion: listRv, labelSelector: 'app=web' });
    expect(tap.status).toBe(200);
    expect(tap.events.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(tap.events[0]?.object.metadata.labels.tier).toBe('front');

    await h.call('POST', podsPath, { body: podManifest('web-2') });
    expect(tap.events.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual([
      'MODIFIED web-1',
      'DELETED web-1',
      'ADDED web-2',
    ]);
    const rvs = tap.events.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((a, b) => a - b)).toEqual(rvs);
    tap.close();
  });
});
