// Upstream `Status` error bodies for the common failures.
import { describe, expect, it } from 'vitest';
import { newHarness, podManifest, podsPath } from './harness.js';

describe('API errors as upstream Status objects', () => {
  it('answers 404 NotFound for a missing pod', async () => {
    const h = await newHarness();
    const reply = await h.call('GET', `${podsPath}/nope`);
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
  });

  it('qualifies non-core resources with their group in NotFound', async () => {
    const h = await newHarness();
    const reply = await h.call('GET', '/apis/apps/v1/namespaces/default/deployments/web');
    expect(reply.status).toBe(404);
    expect(reply.json.message).toBe('deployments.apps "web" not found');
    expect(reply.json.details).toEqual({ name: 'web', group: 'apps', kind: 'deployments' });
  });

  it('answers 409 AlreadyExists when the name is taken', async () => {
    const h = await newHarness();
    expect((await h.call('POST', podsPath, { body: podManifest('a') })).status).toBe(201);
    const reply = await h.call('POST', podsPath, { body: podManifest('a') });
    expect(reply.status).toBe(409);
    expect(reply.json.reason).toBe('AlreadyExists');
    expect(reply.json.message).toBe('pods "a" already exists');
    expect(reply.json.details).toEqual({ name: 'a', kind: 'pods' });
  });

  it('answers 422 Invalid with field causes for a pod without containers', async () => {
    const h = await newHarness();
    const reply = await h.call('POST', podsPath, {
      body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [] } },
    });
    expect(reply.status).toBe(422);
    expect(reply.json.reason).toBe('Invalid');
    expect(reply.json.message).toMatch(/^Pod "x" is invalid: /);
    expect(reply.json.message).toContain('spec.containers: Required value');
    expect(reply.json.details.kind).toBe('Pod');
    expect(reply.json.details.name).toBe('x');
    expect(reply.json.details.causes).toContainEqual({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.containers',
    });
  });

  it('answers 422 for an invalid name', async () => {
    const h = await newHarness();
    const reply = await h.call('POST', podsPath, { body: podManifest('Bad_Name') });
    expect(reply.status).toBe(422);
    expect(reply.json.message).toContain('metadata.name: Invalid value: "Bad_Name"');
  });

  it('answers 400 BadRequest for malformed JSON', async () => {
    const h = await newHarness();
    const reply = await h.call('POST', podsPath, { body: '{"kind": ' });
    expect(reply.status).toBe(400);
    expect(reply.json.reason).toBe('BadRequest');
    expect(reply.json.message).toMatch(/^couldn't get version\/kind; json parse error: /);
  });

  it('answers 400 for unknown fields under fieldValidation=Strict, and warns under Warn', async () => {
    const h = await newHarness();
    const manifest = podManifest('s');
    (manifest.spec as Record<string, unknown>).bogus = 1;
    const strict = await h.call('POST', podsPath, {
      query: { fieldValidation: 'Strict' },
      body: manifest,
    });
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.bogus"',
    );
    const warned = await h.call('POST', podsPath, {
      query: { fieldValidation: 'Warn' },
      body: manifest,
    });
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.bogus\\""');
    expect(warned.json.spec.bogus).toBeUndefined();
  });

  it('reports duplicate fields under Strict and warns under Warn', async () => {
    const h = await newHarness();
    const body =
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"d","name":"d"},' +
      '"spec":{"containers":[{"name":"c","image":"a","image":"b"}]}}';
    const strict = await h.call('POST', podsPath, { query: { fieldValidation: 'Strict' }, body });
    expect(strict.status).toBe(400);
    expect(strict.json.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "metadata.name", duplicate field "spec.containers[0].image"',
    );
    const warned = await h.call('POST', podsPath, { body });
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toContain('duplicate field \\"metadata.name\\"');
    expect(warned.json.spec.containers[0].image).toBe('b');
  });

  it('answers 400 for a body whose namespace differs from the URL', async () => {
    const h = await newHarness();
    const manifest = podManifest('n');
    (manifest.metadata as Record<string, unknown>).namespace = 'other';
    const reply = await h.call('POST', podsPath, { body: manifest });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  it('answers 405 MethodNotAllowed for a verb the path does not take', async () => {
    const h = await newHarness();
    const reply = await h.call('PUT', podsPath, { body: {} });
    expect(reply.status).toBe(405);
    expect(reply.json.reason).toBe('MethodNotAllowed');
  });

  it('answers 404 for unknown resources and paths', async () => {
    const h = await newHarness();
    expect((await h.call('GET', '/api/v1/widgets')).status).toBe(404);
    expect((await h.call('GET', '/nope')).status).toBe(404);
    expect((await h.call('GET', '/apis/apps/v1/namespaces/default/pods')).status).toBe(404);
  });

  it('answers 400 for an unsupported field selector label', async () => {
    const h = await newHarness();
    const reply = await h.call('GET', podsPath, { query: { fieldSelector: 'spec.bogus=x' } });
    expect(reply.status).toBe(400);
    expect(reply.json.message).toBe('field label not supported: spec.bogus');
  });
});
