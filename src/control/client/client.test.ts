// Tests of KubeClient request shapes, rate limiting, pagination and failure mapping, against a
// scripted in-test Transport (the real API server is exercised in test/client/).

import { describe, expect, it } from 'vitest';
import { ManualClock, settle } from '../../../test/client/manual-clock.js';
import type {
  StreamHandle,
  StreamSink,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../ports/transport.js';
import { KubeClient } from './client.js';
import { ClientTransportError, isConflict, isExpired, ResponseDecodeError } from './errors.js';
import { coreResources, resourcesOf } from './resource-client.js';
import type { KubeObject } from './types.js';

type Reply = TransportResponse | Error;

/** Answers requests from a script, in order, and records what it was asked. */
class ScriptedTransport implements Transport {
  readonly requests: TransportRequest[] = [];
  readonly streams: { request: TransportRequest; sink: StreamSink; closed: boolean }[] = [];
  constructor(private readonly replies: Reply[]) {}

  async request(request: TransportRequest): Promise<TransportResponse> {
    this.requests.push(request);
    const reply = this.replies.shift();
    if (reply === undefined) throw new Error('no scripted reply left');
    if (reply instanceof Error) throw reply;
    return reply;
  }

  stream(request: TransportRequest, sink: StreamSink): StreamHandle {
    const entry = { request, sink, closed: false };
    this.streams.push(entry);
    return { close: () => void (entry.closed = true) };
  }
}

const json = (status: number, body: unknown): TransportResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const page = (names: string[], rv: string, token?: string) =>
  json(200, {
    kind: 'PodList',
    apiVersion: 'v1',
    metadata:
      token === undefined ? { resourceVersion: rv } : { resourceVersion: rv, continue: token },
    items: names.map((name) => ({ metadata: { name, namespace: 'ns' } })),
  });

const expiredStatus = json(410, {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'The provided continue parameter is too old',
  reason: 'Expired',
  code: 410,
});

function newClient(replies: Reply[], limits: { qps?: number; burst?: number } = {}) {
  const transport = new ScriptedTransport(replies);
  const clock = new ManualClock();
  const client = new KubeClient({ transport, clock, userAgent: 'test/1', ...limits });
  return { transport, clock, client };
}

describe('KubeClient', () => {
  it('sends a create as a JSON POST with fieldValidation and returns the answer', async () => {
    const { transport, client } = newClient([json(201, { metadata: { name: 'a', uid: 'u1' } })]);
    const pod: KubeObject = { metadata: { name: 'a' }, spec: {} };
    const created = await client.create(coreResources.pods, 'ns', pod, {
      fieldValidation: 'Strict',
    });
    expect(created.metadata.uid).toBe('u1');
    expect(transport.requests[0]).toEqual({
      method: 'POST',
      path: '/api/v1/namespaces/ns/pods',
      query: { fieldValidation: 'Strict' },
      headers: {
        accept: 'application/json',
        'user-agent': 'test/1',
        'content-type': 'application/json',
      },
      body: JSON.stringify(pod),
    });
  });

  it('puts updates and status updates at the object’s path', async () => {
    const ok = json(200, { metadata: { name: 'w' } });
    const { transport, client } = newClient([ok, ok]);
    const rs = { metadata: { name: 'w', resourceVersion: '4' } };
    await client.update(coreResources.replicaSets, 'ns', rs);
    await client.updateStatus(coreResources.replicaSets, 'ns', rs);
    expect(transport.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /apis/apps/v1/namespaces/ns/replicasets/w',
      'PUT /apis/apps/v1/namespaces/ns/replicasets/w/status',
    ]);
  });

  it('sends DeleteOptions as the body only when some are set', async () => {
    const ok = json(200, { metadata: { name: 'p' } });
    const { transport, client } = newClient([ok, ok]);
    await client.delete(coreResources.pods, 'ns', 'p');
    await client.delete(coreResources.pods, 'ns', 'p', {
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
      propagationPolicy: 'Foreground',
    });
    expect(transport.requests[0]?.body).toBe('');
    expect(JSON.parse(transport.requests[1]?.body ?? '')).toEqual({
      kind: 'DeleteOptions',
      apiVersion: 'v1',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'u1' },
      propagationPolicy: 'Foreground',
    });
  });

  it('binds a pod through the binding subresource', async () => {
    const success = json(201, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      code: 201,
    });
    const { transport, client } = newClient([success]);
    const status = await client.bind('ns', 'web-1', 'node-2');
    expect(status.status).toBe('Success');
    expect(transport.requests[0]?.path).toBe('/api/v1/namespaces/ns/pods/web-1/binding');
    expect(JSON.parse(transport.requests[0]?.body ?? '')).toEqual({
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'web-1', namespace: 'ns' },
      target: { apiVersion: 'v1', kind: 'Node', name: 'node-2' },
    });
  });

  it('rejects (never throws) a create or bind whose path is invalid, sending nothing', async () => {
    const { transport, client } = newClient([]);
    const node = { metadata: { name: 'n1' } };
    let created: Promise<unknown> | undefined;
    let bound: Promise<unknown> | undefined;
    expect(() => (created = client.create(coreResources.nodes, 'ns', node))).not.toThrow();
    expect(() => (bound = client.bind('ns', '', 'node-2'))).not.toThrow();
    await expect(created).rejects.toThrow(/cluster-scoped/);
    await expect(bound).rejects.toThrow(/name must not be empty/);
    expect(transport.requests).toEqual([]);
  });

  it('turns a non-2xx answer into an ApiStatusError', async () => {
    const conflict = json(409, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Operation cannot be fulfilled on pods "a": the object has been modified',
      reason: 'Conflict',
      code: 409,
    });
    const { client } = newClient([conflict]);
    const failure = await client.get(coreResources.pods, 'ns', 'a').catch((e: unknown) => e);
    expect(isConflict(failure)).toBe(true);
  });

  it('wraps a transport rejection in a ClientTransportError that keeps the cause', async () => {
    const cause = new Error('connection refused');
    const { client } = newClient([cause]);
    const failure = await client.get(coreResources.nodes, '', 'n').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ClientTransportError);
    expect((failure as Error).message).toBe('GET /api/v1/nodes/n failed: connection refused');
    expect((failure as Error).cause).toBe(cause);
  });

  it('rejects a 2xx body that is not a JSON object', async () => {
    const { client } = newClient([{ status: 200, headers: {}, body: '[1,2]' }]);
    await expect(client.get(coreResources.nodes, '', 'n')).rejects.toBeInstanceOf(
      ResponseDecodeError,
    );
  });

  it('reads every page with the continue token and keeps the first resourceVersion', async () => {
    const { transport, client } = newClient([page(['a', 'b'], '10', 't1'), page(['c'], '10')]);
    const list = await client.listAll(coreResources.pods, 'ns', {
      pageSize: 2,
      labelSelector: 'app=web',
    });
    expect(list.items.map((p) => p.metadata.name)).toEqual(['a', 'b', 'c']);
    expect(list.metadata).toEqual({ resourceVersion: '10' });
    expect(transport.requests.map((r) => r.query)).toEqual([
      { labelSelector: 'app=web', limit: '2' },
      { labelSelector: 'app=web', limit: '2', continue: 't1' },
    ]);
  });

  it('falls back to one full list when a continue token expires', async () => {
    const replies = [page(['a'], '10', 't1'), expiredStatus, page(['a', 'b', 'c'], '17')];
    const { transport, client } = newClient(replies);
    const list = await client.listAll(coreResources.pods, 'ns', { pageSize: 1 });
    expect(list.items).toHaveLength(3);
    expect(list.metadata.resourceVersion).toBe('17');
    expect(transport.requests[2]?.query).toEqual({});
  });

  it('passes a list error that is not an expiry through', async () => {
    const { client } = newClient([expiredStatus]);
    const failure = await client.listAll(coreResources.pods, 'ns').catch((e: unknown) => e);
    expect(isExpired(failure)).toBe(true);
  });

  it('holds requests past the burst until the bucket refills', async () => {
    const ok = json(200, { metadata: { name: 'n' } });
    const { transport, clock, client } = newClient([ok, ok, ok], { qps: 1, burst: 2 });
    const calls = [1, 2, 3].map(() => client.get(coreResources.nodes, '', 'n'));
    await settle();
    expect(transport.requests).toHaveLength(2);
    clock.advance(999);
    await settle();
    expect(transport.requests).toHaveLength(2);
    clock.advance(1);
    await Promise.all(calls);
    expect(transport.requests).toHaveLength(3);
  });

  it('opens a watch with bookmarks and selectors, after the rate limiter allows', async () => {
    const { transport, clock, client } = newClient([json(200, { metadata: { name: 'n' } })], {
      qps: 2,
      burst: 1,
    });
    await client.get(coreResources.nodes, '', 'n');
    const handle = client.watch(
      coreResources.pods,
      '',
      {
        resourceVersion: '7',
        allowWatchBookmarks: true,
        timeoutSeconds: 60,
        fieldSelector: 'spec.nodeName=n1',
      },
      { onEvent: () => undefined, onEnd: () => undefined },
    );
    expect(transport.streams).toHaveLength(0);
    clock.advance(500);
    expect(transport.streams[0]?.request.path).toBe('/api/v1/pods');
    expect(transport.streams[0]?.request.query).toEqual({
      watch: '1',
      resourceVersion: '7',
      fieldSelector: 'spec.nodeName=n1',
      timeoutSeconds: '60',
      allowWatchBookmarks: 'true',
    });
    handle.stop();
    expect(transport.streams[0]?.closed).toBe(true);
  });

  it('offers per-resource views that address the right collection', async () => {
    const { transport, client } = newClient([json(200, { metadata: { name: 'l' } })]);
    await resourcesOf(client).leases('kube-node-lease').get('node-1');
    expect(transport.requests[0]?.path).toBe(
      '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-1',
    );
  });
});
