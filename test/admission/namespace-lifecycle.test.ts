// NamespaceLifecycle through the real API server: upstream's messages and Status details for
// missing, terminating and immortal namespaces, and what a terminating namespace still allows.

import { beforeEach, describe, expect, it } from 'vitest';
import {
  createNamespaceWorld,
  deployment,
  namespace,
  pod,
  priorityClass,
  type NamespaceWorld,
} from '../namespaces/namespace-world.js';

const terminating = (ns: string) =>
  `unable to create new content in namespace ${ns} because it is being terminated`;
const terminatingCause = (ns: string) => ({
  reason: 'NamespaceTerminating',
  message: `namespace ${ns} is being terminated`,
  field: 'metadata.namespace',
});

let world: NamespaceWorld;

async function terminatingNamespace(name: string): Promise<void> {
  expect((await world.call('POST', '/api/v1/namespaces', namespace(name))).status).toBe(201);
  expect((await world.call('POST', `/api/v1/namespaces/${name}/pods`, pod('old'))).status).toBe(
    201,
  );
  const deleted = await world.call('DELETE', `/api/v1/namespaces/${name}`);
  expect(deleted.status).toBe(200);
  expect(deleted.json.status.phase).toBe('Terminating');
}

beforeEach(async () => {
  world = await createNamespaceWorld();
});

describe('NamespaceLifecycle admission', () => {
  it('rejects content in a namespace that does not exist with 404 namespaces not found', async () => {
    const reply = await world.call('POST', '/api/v1/namespaces/nowhere/pods', pod('web'));
    expect(reply.status).toBe(404);
    expect(reply.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'namespaces "nowhere" not found',
      reason: 'NotFound',
      details: { name: 'nowhere', kind: 'namespaces' },
      code: 404,
    });
  });

  it.each([
    {
      what: 'a pod',
      path: '/api/v1/namespaces/shop/pods',
      body: pod('web'),
      message: `pods "web" is forbidden: ${terminating('shop')}`,
      details: { name: 'web', kind: 'pods' },
    },
    {
      what: 'a pod with generateName, named by its prefix as upstream',
      path: '/api/v1/namespaces/shop/pods',
      body: { ...pod(''), metadata: { generateName: 'web-' } },
      message: `pods "web-" is forbidden: ${terminating('shop')}`,
      details: { name: 'web-', kind: 'pods' },
    },
    {
      what: 'a deployment (group-qualified resource)',
      path: '/apis/apps/v1/namespaces/shop/deployments',
      body: deployment('web'),
      message: `deployments.apps "web" is forbidden: ${terminating('shop')}`,
      details: { name: 'web', group: 'apps', kind: 'deployments' },
    },
    {
      what: 'an event (events get no exemption)',
      path: '/api/v1/namespaces/shop/events',
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: 'web.1' },
        involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web' },
        reason: 'Started',
        message: 'started',
        type: 'Normal',
      },
      message: `events "web.1" is forbidden: ${terminating('shop')}`,
      details: { name: 'web.1', kind: 'events' },
    },
  ])(
    'forbids creating $what in a terminating namespace',
    async ({ path, body, message, details }) => {
      await terminatingNamespace('shop');
      const reply = await world.call('POST', path, body);
      expect(reply.status).toBe(403);
      expect(reply.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'Forbidden',
        details: { ...details, causes: [terminatingCause('shop')] },
        code: 403,
      });
    },
  );

  it('still lets updates, status writes and deletes reach a terminating namespace', async () => {
    await terminatingNamespace('shop');
    const current = await world.call('GET', '/api/v1/namespaces/shop/pods/old');
    const labelled = {
      ...current.json,
      metadata: { ...current.json.metadata, labels: { a: 'b' } },
    };
    expect((await world.call('PUT', '/api/v1/namespaces/shop/pods/old', labelled)).status).toBe(
      200,
    );
    const fresh = await world.call('GET', '/api/v1/namespaces/shop/pods/old');
    const status = { ...fresh.json, status: { phase: 'Pending' } };
    const statusReply = await world.call('PUT', '/api/v1/namespaces/shop/pods/old/status', status);
    expect(statusReply.status).toBe(200);
    expect((await world.call('DELETE', '/api/v1/namespaces/shop/pods/old')).status).toBe(200);
  });

  it('rejects updates of content whose namespace is gone with 404, but allows deleting it', async () => {
    expect((await world.call('POST', '/api/v1/namespaces', namespace('gone'))).status).toBe(201);
    expect((await world.call('POST', '/api/v1/namespaces/gone/pods', pod('left'))).status).toBe(
      201,
    );
    await world.call('DELETE', '/api/v1/namespaces/gone');
    const forced = await world.call('PUT', '/api/v1/namespaces/gone/finalize', {
      ...(await world.call('GET', '/api/v1/namespaces/gone')).json,
      spec: { finalizers: [] },
    });
    expect(forced.status).toBe(200);
    expect((await world.call('GET', '/api/v1/namespaces/gone')).status).toBe(404);
    const left = (await world.call('GET', '/api/v1/namespaces/gone/pods/left')).json;
    for (const path of [
      '/api/v1/namespaces/gone/pods/left',
      '/api/v1/namespaces/gone/pods/left/status',
    ]) {
      const reply = await world.call('PUT', path, left);
      expect(reply.status).toBe(404);
      expect(reply.json.message).toBe('namespaces "gone" not found');
    }
    expect((await world.call('DELETE', '/api/v1/namespaces/gone/pods/left')).status).toBe(200);
  });

  it.each(['default', 'kube-system', 'kube-public'])(
    'forbids deleting the %s namespace',
    async (name) => {
      const reply = await world.call('DELETE', `/api/v1/namespaces/${name}`);
      expect(reply.status).toBe(403);
      expect(reply.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: `namespaces "${name}" is forbidden: this namespace may not be deleted`,
        reason: 'Forbidden',
        details: { name, kind: 'namespaces' },
        code: 403,
      });
      const kept = await world.call('GET', `/api/v1/namespaces/${name}`);
      expect(kept.json.metadata.deletionTimestamp).toBeUndefined();
    },
  );

  it('lets kube-node-lease and user namespaces be deleted', async () => {
    const reply = await world.call('DELETE', '/api/v1/namespaces/kube-node-lease');
    expect(reply.status).toBe(200);
    expect(reply.json.status.phase).toBe('Terminating');
  });

  it('leaves cluster-scoped resources alone', async () => {
    const reply = await world.call(
      'POST',
      '/apis/scheduling.k8s.io/v1/priorityclasses',
      priorityClass('high', 1000),
    );
    expect(reply.status).toBe(201);
  });
});
