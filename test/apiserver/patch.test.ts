// PATCH through the handler: the four patch types, status and scale patches, strict fields.
import { describe, expect, it } from 'vitest';
import { newHarness, podManifest, podsPath } from './harness.js';

const merge = 'application/merge-patch+json';
const jsonPatch = 'application/json-patch+json';
const strategic = 'application/strategic-merge-patch+json';
const apply = 'application/apply-patch+yaml';
const deploymentsPath = '/apis/apps/v1/namespaces/default/deployments';

function deployment(name: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.26' },
            { name: 'side', image: 'busybox' },
          ],
        },
      },
    },
  };
}

describe('API PATCH', () => {
  it('applies a JSON merge patch to labels', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    const reply = await h.call('PATCH', `${podsPath}/a`, {
      contentType: merge,
      body: { metadata: { labels: { tier: 'front', app: null } } },
    });
    expect(reply.status).toBe(200);
    expect(reply.json.metadata.labels).toEqual({ tier: 'front' });
  });

  it('applies a JSON patch and reports a failed test operation', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    const ok = await h.call('PATCH', `${podsPath}/a`, {
      contentType: jsonPatch,
      body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.28' }],
    });
    expect(ok.status).toBe(200);
    expect(ok.json.spec.containers[0].image).toBe('nginx:1.28');
    const failed = await h.call('PATCH', `${podsPath}/a`, {
      contentType: jsonPatch,
      body: [{ op: 'test', path: '/metadata/name', value: 'b' }],
    });
    expect(failed.status).toBeGreaterThanOrEqual(400);
    expect(failed.status).toBeLessThan(500);
    expect(failed.json.kind).toBe('Status');
  });

  it('merges containers by name in a strategic merge patch', async () => {
    const h = await newHarness();
    await h.call('POST', deploymentsPath, { body: deployment('web') });
    const reply = await h.call('PATCH', `${deploymentsPath}/web`, {
      contentType: strategic,
      body: {
        spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
      },
    });
    expect(reply.status).toBe(200);
    const containers = reply.json.spec.template.spec.containers;
    expect(containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`)).toEqual([
      'web=nginx:1.27',
      'side=busybox',
    ]);
    expect(reply.json.metadata.generation).toBe(2);
  });

  it('creates with server-side apply and merges a second apply', async () => {
    const h = await newHarness();
    const first = await h.call('PATCH', `${podsPath}/applied`, {
      contentType: apply,
      query: { fieldManager: 'kubectl' },
      body: podManifest('applied'),
    });
    expect(first.status).toBe(201);
    const second = await h.call('PATCH', `${podsPath}/applied`, {
      contentType: apply,
      query: { fieldManager: 'kubectl' },
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'applied', labels: { extra: 'yes' } },
      },
    });
    expect(second.status).toBe(200);
    expect(second.json.metadata.labels).toEqual({ app: 'web', extra: 'yes' });
    expect(second.json.spec.containers).toHaveLength(1);
  });

  it('answers 404 for a patch of a missing object and 415 for an unknown patch type', async () => {
    const h = await newHarness();
    expect(
      (await h.call('PATCH', `${podsPath}/none`, { contentType: merge, body: {} })).status,
    ).toBe(404);
    await h.call('POST', podsPath, { body: podManifest('a') });
    const reply = await h.call('PATCH', `${podsPath}/a`, { contentType: 'text/plain', body: '{}' });
    expect(reply.status).toBe(415);
    expect(reply.json.reason).toBe('UnsupportedMediaType');
  });

  it('rejects unknown fields in the patched object under Strict', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    const reply = await h.call('PATCH', `${podsPath}/a`, {
      contentType: merge,
      query: { fieldValidation: 'Strict' },
      body: { spec: { bogus: true } },
    });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe('strict decoding error: unknown field "spec.bogus"');
  });

  it('patches status without touching spec, and keeps pod specs immutable', async () => {
    const h = await newHarness();
    await h.call('POST', podsPath, { body: podManifest('a') });
    const status = await h.call('PATCH', `${podsPath}/a/status`, {
      contentType: merge,
      body: { status: { phase: 'Running' }, spec: { nodeName: 'sneaky' } },
    });
    expect(status.status).toBe(200);
    expect(status.json.status.phase).toBe('Running');
    expect(status.json.spec.nodeName).toBeUndefined();
    const immutable = await h.call('PATCH', `${podsPath}/a`, {
      contentType: merge,
      body: { spec: { nodeName: 'n1' } },
    });
    expect(immutable.status).toBe(422);
    expect(immutable.json.message).toContain('spec: Forbidden: pod updates may not change fields');
  });

  it('scales a deployment with a merge patch on the scale subresource', async () => {
    const h = await newHarness();
    await h.call('POST', deploymentsPath, { body: deployment('web') });
    const reply = await h.call('PATCH', `${deploymentsPath}/web/scale`, {
      contentType: merge,
      body: { spec: { replicas: 4 } },
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toMatchObject({ kind: 'Scale', spec: { replicas: 4 } });
    expect((await h.call('GET', `${deploymentsPath}/web`)).json.spec.replicas).toBe(4);
  });
});

describe('dryRun=All', () => {
  it('checks creates, updates, patches and deletes without writing anything', async () => {
    const h = await newHarness();
    const revision = h.store.revision;
    const created = await h.call('POST', podsPath, {
      query: { dryRun: 'All' },
      body: podManifest('dry'),
    });
    expect(created.status).toBe(201);
    expect(created.json.metadata.uid).toBeDefined();
    expect(created.json.metadata.resourceVersion).toBeUndefined();
    expect((await h.call('GET', `${podsPath}/dry`)).status).toBe(404);
    const invalid = await h.call('POST', podsPath, {
      query: { dryRun: 'All' },
      body: { ...podManifest('x'), spec: { containers: [] } },
    });
    expect(invalid.status).toBe(422);
    expect(h.store.revision).toBe(revision);

    const real = (await h.call('POST', podsPath, { body: podManifest('real') })).json;
    const afterCreate = h.store.revision;
    const patched = await h.call('PATCH', `${podsPath}/real`, {
      query: { dryRun: 'All' },
      contentType: merge,
      body: { metadata: { labels: { dry: 'yes' } } },
    });
    expect(patched.json.metadata.labels.dry).toBe('yes');
    expect(patched.json.metadata.resourceVersion).toBe(real.metadata.resourceVersion);
    const deleted = await h.call('DELETE', `${podsPath}/real`, {
      body: { apiVersion: 'v1', kind: 'DeleteOptions', dryRun: ['All'] },
    });
    expect(deleted.status).toBe(200);
    expect(h.store.revision).toBe(afterCreate);
    expect((await h.call('GET', `${podsPath}/real`)).json.metadata.labels.dry).toBeUndefined();
  });

  it('rejects dryRun values other than All', async () => {
    const h = await newHarness();
    const reply = await h.call('POST', podsPath, {
      query: { dryRun: 'Some' },
      body: podManifest('a'),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe('dryRun: Unsupported value: "Some": supported values: "All"');
  });
});
