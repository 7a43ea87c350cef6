// The API server's connector to kubelets: local handlers directly, remote kubelets over HTTP at
// the address their Node reports (loopback only), followed logs relayed as streams.

import { afterEach, describe, expect, it } from 'vitest';
import type {
  HandlerResult,
  RequestHandler,
  TransportRequest,
} from '../control/ports/transport.js';
import type { JsonObject } from '../control/store/types.js';
import { startHttpServer } from '../runtime/http-server.js';
import { KubeletConnector, toKubeletRequest } from './real-kubelet-connector.js';

const logTarget = { namespace: 'default', name: 'web-1', subresource: 'log' as const };

function podLogRequest(query: Record<string, string>): TransportRequest {
  const path = '/api/v1/namespaces/default/pods/web-1/log';
  return { method: 'GET', path, query, headers: { accept: '*/*' }, body: '' };
}

/** Answers with what it was asked; `follow=true` streams two chunks. */
const echo: RequestHandler = {
  handle: async (request): Promise<HandlerResult> => {
    const text = `${request.method} ${request.path} ${JSON.stringify(request.query)}\n`;
    if (request.query.follow !== 'true') {
      return { kind: 'unary', response: { status: 200, headers: {}, body: text } };
    }
    return {
      kind: 'stream',
      status: 200,
      headers: { 'content-type': 'text/plain' },
      open: (writer) => {
        writer.write(text);
        writer.write('second\n');
        writer.end();
        return () => undefined;
      },
    };
  },
};

function node(ip: string, port: number): JsonObject {
  return {
    metadata: { name: 'n1' },
    status: {
      addresses: [{ type: 'InternalIP', address: ip }],
      daemonEndpoints: { kubeletEndpoint: { Port: port } },
    },
  };
}

async function collect(result: HandlerResult): Promise<{ status: number; body: string }> {
  if (result.kind === 'unary')
    return { status: result.response.status, body: result.response.body };
  let body = '';
  await new Promise<void>((resolve) => {
    result.open({ write: (chunk) => void (body += chunk), end: resolve });
  });
  return { status: result.status, body };
}

describe('KubeletConnector', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('maps pods/log and pods/exec to the kubelet paths, container in the path', () => {
    const log = toKubeletRequest(logTarget, podLogRequest({ container: 'app', tailLines: '5' }));
    expect(log).toMatchObject({
      path: '/containerLogs/default/web-1/app',
      query: { tailLines: '5' },
    });
    const exec = toKubeletRequest(
      { ...logTarget, subresource: 'exec' },
      { ...podLogRequest({ command: 'ls' }), method: 'POST', body: '{}' },
    );
    expect(exec).toMatchObject({ method: 'POST', path: '/exec/default/web-1/', body: '{}' });
  });

  it('calls a kubelet of this process directly', async () => {
    const connector = new KubeletConnector({ lookupNode: async () => undefined });
    connector.addLocal('n1', echo);
    const result = await collect(await connector.forward('n1', logTarget, podLogRequest({})));
    expect(result.body).toBe('GET /containerLogs/default/web-1/ {}\n');
  });

  it("reaches another process's kubelet over HTTP, following logs as a stream", async () => {
    const server = await startHttpServer({ handler: echo, port: 0 });
    const connector = new KubeletConnector({
      lookupNode: async () => node('127.0.0.1', server.port),
    });
    cleanups.push(
      () => connector.close(),
      () => server.close(),
    );
    const once = await collect(await connector.forward('n1', logTarget, podLogRequest({})));
    expect(once).toEqual({ status: 200, body: 'GET /containerLogs/default/web-1/ {}\n' });
    const followed = await connector.forward('n1', logTarget, podLogRequest({ follow: 'true' }));
    expect(followed.kind).toBe('stream');
    const body = (await collect(followed)).body;
    expect(body).toBe('GET /containerLogs/default/web-1/ {"follow":"true"}\nsecond\n');
  });

  it('refuses kubelets off loopback and nodes without an endpoint', async () => {
    const far = new KubeletConnector({ lookupNode: async () => node('10.0.0.7', 10250) });
    const refused = await collect(await far.forward('n1', logTarget, podLogRequest({})));
    expect(refused.status).toBe(500);
    expect(JSON.parse(refused.body).message).toContain('miniku reaches loopback only');
    const none = new KubeletConnector({ lookupNode: async () => undefined });
    const missing = await collect(await none.forward('n1', logTarget, podLogRequest({})));
    expect(JSON.parse(missing.body).message).toContain('reports no kubelet endpoint');
  });
});
