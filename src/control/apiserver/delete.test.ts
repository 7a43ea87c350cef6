// DELETE with a propagation policy through the real handler: which finalizers and deletion
// marks the API server leaves for the garbage collector, and when it removes the object.
import { describe, expect, it } from 'vitest';
import {
  newHarness,
  podManifest,
  podsPath,
  type Harness,
} from '../../../test/apiserver/harness.js';

const rsPath = '/apis/apps/v1/namespaces/default/replicasets';

function replicaSet(name: string, finalizers?: string[]): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, ...(finalizers === undefined ? {} : { finalizers }) },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'busybox' }] },
      },
    },
  };
}

async function deleteWith(h: Harness, path: string, body?: Record<string, unknown>) {
  const options =
    body === undefined ? {} : { body: { kind: 'DeleteOptions', apiVersion: 'v1', ...body } };
  return h.call('DELETE', path, options);
}

describe('DELETE with a propagation policy', () => {
  it('removes a ReplicaSet at once by default and with Background', async () => {
    const h = await newHarness();
    await h.call('POST', rsPath, { body: replicaSet('a') });
    await h.call('POST', rsPath, { body: replicaSet('b') });
    expect((await deleteWith(h, `${rsPath}/a`)).status).toBe(200);
    expect((await deleteWith(h, `${rsPath}/b`, { propagationPolicy: 'Background' })).status).toBe(
      200,
    );
    expect((await h.call('GET', `${rsPath}/a`)).status).toBe(404);
    expect((await h.call('GET', `${rsPath}/b`)).status).toBe(404);
  });

  it('marks a ReplicaSet deleted in the foreground and keeps it for the garbage collector', async () => {
    const h = await newHarness();
    const created = (await h.call('POST', rsPath, { body: replicaSet('web') })).json;
    const reply = await deleteWith(h, `${rsPath}/web`, { propagationPolicy: 'Foreground' });
    expect(reply.status).toBe(200);
    const meta = (await h.call('GET', `${rsPath}/web`)).json.metadata;
    expect(meta.finalizers).toEqual(['foregroundDeletion']);
    expect(meta.deletionTimestamp).toBe('2026-01-01T00:00:00Z');
    expect(meta.deletionGracePeriodSeconds).toBe(0);
    expect(meta.generation).toBe(created.metadata.generation + 1);
  });

  it('marks an orphaning delete with the orphan finalizer, also from orphanDependents', async () => {
    const h = await newHarness();
    await h.call('POST', rsPath, { body: replicaSet('a') });
    await h.call('POST', rsPath, { body: replicaSet('b') });
    await deleteWith(h, `${rsPath}/a`, { propagationPolicy: 'Orphan' });
    await h.call('DELETE', `${rsPath}/b`, { query: { orphanDependents: 'true' } });
    expect((await h.call('GET', `${rsPath}/a`)).json.metadata.finalizers).toEqual(['orphan']);
    expect((await h.call('GET', `${rsPath}/b`)).json.metadata.finalizers).toEqual(['orphan']);
  });

  it('lets a later DELETE switch the policy of an object held only by GC finalizers', async () => {
    const h = await newHarness();
    await h.call('POST', rsPath, { body: replicaSet('web', ['example.com/hold']) });
    await deleteWith(h, `${rsPath}/web`, { propagationPolicy: 'Foreground' });
    await deleteWith(h, `${rsPath}/web`);
    const kept = (await h.call('GET', `${rsPath}/web`)).json.metadata.finalizers;
    expect(kept).toEqual(['example.com/hold', 'foregroundDeletion']);
    await deleteWith(h, `${rsPath}/web`, { propagationPolicy: 'Orphan' });
    const swapped = (await h.call('GET', `${rsPath}/web`)).json.metadata.finalizers;
    expect(swapped).toEqual(['example.com/hold', 'orphan']);
    await deleteWith(h, `${rsPath}/web`, { propagationPolicy: 'Background' });
    const left = (await h.call('GET', `${rsPath}/web`)).json.metadata.finalizers;
    expect(left).toEqual(['example.com/hold']);
  });

  it('removes a foreground-deleting object once a Background DELETE drops its last finalizer', async () => {
    const h = await newHarness();
    await h.call('POST', rsPath, { body: replicaSet('web') });
    await deleteWith(h, `${rsPath}/web`, { propagationPolicy: 'Foreground' });
    expect((await h.call('GET', `${rsPath}/web`)).status).toBe(200);
    await deleteWith(h, `${rsPath}/web`, { propagationPolicy: 'Background' });
    expect((await h.call('GET', `${rsPath}/web`)).status).toBe(404);
  });

  it('removes the object when the garbage collector patches the finalizer away', async () => {
    const h = await newHarness();
    await h.call('POST', rsPath, { body: replicaSet('web') });
    const marked = (await deleteWith(h, `${rsPath}/web`, { propagationPolicy: 'Orphan' })).json;
    const patch = {
      metadata: { resourceVersion: marked.metadata.resourceVersion, finalizers: null },
    };
    const reply = await h.call('PATCH', `${rsPath}/web`, {
      body: patch,
      contentType: 'application/merge-patch+json',
    });
    expect(reply.status).toBe(200);
    expect((await h.call('GET', `${rsPath}/web`)).status).toBe(404);
  });

  it('gives pods the propagation finalizers too, next to their grace period', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('p') });
    await deleteWith(h, `${podsPath}/p`, { propagationPolicy: 'Foreground' });
    const meta = (await h.call('GET', `${podsPath}/p`)).json.metadata;
    expect(meta.finalizers).toEqual(['foregroundDeletion']);
    expect(meta.deletionGracePeriodSeconds).toBe(0);
  });

  it('shortens a pending pod grace period by moving the deadline by the difference', async () => {
    const h = await newHarness();
    const body = podManifest('p');
    (body.metadata as Record<string, unknown>).finalizers = ['example.com/hold'];
    await h.call('POST', podsPath, { body });
    await h.call('POST', `${podsPath}/p/binding`, {
      body: { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { name: 'n1' } },
    });
    await deleteWith(h, `${podsPath}/p`);
    await h.engine.runUntil(h.engine.nowMs() + 5_000);
    const again = await deleteWith(h, `${podsPath}/p`, { gracePeriodSeconds: 40 });
    expect(again.json.metadata.deletionGracePeriodSeconds).toBe(30);
    await deleteWith(h, `${podsPath}/p`, { gracePeriodSeconds: 10, propagationPolicy: 'Orphan' });
    const meta = (await h.call('GET', `${podsPath}/p`)).json.metadata;
    expect(meta.deletionTimestamp).toBe('2026-01-01T00:00:10Z');
    expect(meta.deletionGracePeriodSeconds).toBe(10);
    expect(meta.finalizers).toEqual(['example.com/hold', 'orphan']);
  });
});
