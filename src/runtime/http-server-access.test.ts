// Tests of the HTTP server's request check (bearer tokens), watch disconnects and bounded close.
import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { RequestHandler } from '../control/ports/transport.js';
import { RecordingSink } from '../../test/contracts/transport.js';
import { startHttpServer } from './http-server.js';
import { HttpTransport } from './http-transport.js';
import { StaticTokenAuthenticator } from './static-token-file.js';
import { createApiServer } from '../control/apiserver/api-server.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { MemoryBackend } from '../control/store/memory-backend.js';
import { createVersionedStore } from '../control/store/versioned-store.js';
import { WallClock } from './wall-clock.js';

const okHandler: RequestHandler = {
  handle: async () => ({ kind: 'unary', response: { status: 200, headers: {}, body: '{}' } }),
};

function get(transport: HttpTransport, path = '/api') {
  return transport.request({ method: 'GET', path, query: {}, headers: {}, body: '' });
}

/** Resolves once `predicate` holds, polling every 10 ms for at most a second. */
async function eventually(predicate: () => boolean): Promise<boolean> {
  for (let i = 0; i < 100 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10));
  return predicate();
}

describe('startHttpServer access and lifetime', () => {
  it('answers 401 Unauthorized without a valid bearer token and never calls the handler', async () => {
    let calls = 0;
    const handler: RequestHandler = {
      handle: async (request) => {
        calls++;
        return okHandler.handle(request);
      },
    };
    const tokens = new Map([['t0k3n', { name: 'admin', uid: '1', groups: [] }]]);
    const authenticator = new StaticTokenAuthenticator({ tokens });
    const server = await startHttpServer({
      handler,
      authenticate: (header) => authenticator.authenticate(header) !== undefined,
    });
    const anonymous = new HttpTransport({ baseUrl: server.url });
    const wrong = new HttpTransport({ baseUrl: server.url, bearerToken: 'nope' });
    const right = new HttpTransport({ baseUrl: server.url, bearerToken: 't0k3n' });
    for (const transport of [anonymous, wrong]) {
      const reply = await get(transport);
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.body)).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    const refusedPost = await anonymous.request({
      method: 'POST',
      path: '/api/v1/namespaces/default/pods',
      query: {},
      headers: { 'content-type': 'application/json' },
      body: 'x'.repeat(100_000),
    });
    expect(refusedPost.status).toBe(401);
    expect(calls).toBe(0);
    expect((await get(right)).status).toBe(200);
    expect(calls).toBe(1);
    for (const transport of [anonymous, wrong, right]) transport.close();
    await server.close();
  });

  it("notices a watch client's disconnect on the response and stops the stream", async () => {
    let disconnects = 0;
    const handler: RequestHandler = {
      handle: async () => ({
        kind: 'stream',
        status: 200,
        headers: { 'content-type': 'application/json' },
        open: (writer) => {
          writer.write('{"type":"ADDED"}\n');
          return () => disconnects++;
        },
      }),
    };
    const server = await startHttpServer({ handler });
    const transport = new HttpTransport({ baseUrl: server.url });
    const sink = new RecordingSink();
    const handle = transport.stream(
      { method: 'GET', path: '/w', query: {}, headers: {}, body: '' },
      sink,
    );
    await sink.firstChunk;
    expect(disconnects).toBe(0);
    handle.close();
    expect(await eventually(() => disconnects === 1)).toBe(true);
    transport.close();
    await server.close();
    expect(disconnects).toBe(1);
  });

  it('cuts an in-flight request that outlasts the close bound', async () => {
    let entered: () => void = () => undefined;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    const handler: RequestHandler = {
      handle: async () => {
        entered();
        return new Promise(() => undefined); // never answers
      },
    };
    const server = await startHttpServer({ handler, closeTimeoutMs: 200 });
    const outcome = new Promise<string>((resolve) => {
      const req = http.get(`${server.url}/slow`, () => resolve('answered'));
      req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    await handlerEntered;
    const started = process.hrtime.bigint();
    await server.close();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(await outcome).toBe('ECONNRESET');
    expect(elapsedMs).toBeGreaterThanOrEqual(150);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});

describe('the API server over HTTP', () => {
  async function serve() {
    const store = await createVersionedStore({ backend: new MemoryBackend() });
    const clock = new WallClock({ unrefTimers: true });
    const api = await createApiServer({ store, clock, rng: createRng('limits', 'apiserver') });
    const server = await startHttpServer({ handler: api });
    const transport = new HttpTransport({ baseUrl: server.url });
    const close = async () => {
      api.stop();
      await server.close();
      transport.close();
    };
    return { api, server, transport, close };
  }

  const podsPath = '/api/v1/namespaces/default/pods';
  const post = (body: string) => ({
    method: 'POST',
    path: podsPath,
    query: {},
    headers: { 'content-type': 'application/json' },
    body,
  });

  it('refuses bodies nested too deep with 400 and bodies over 3 MiB with 413', async () => {
    const { transport, close } = await serve();
    const deep = `{"metadata":{"labels":${'['.repeat(300)}${']'.repeat(300)}}}`;
    const nested = await transport.request(post(deep));
    expect(nested.status).toBe(400);
    expect(JSON.parse(nested.body).message).toBe('json: exceeded max depth of 200');
    const huge = await transport.request(post(`{"x":"${'a'.repeat(3 * 1024 * 1024)}"}`));
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body).reason).toBe('RequestEntityTooLarge');
    await close();
  });

  it('ends open watches on shutdown and releases their slots', async () => {
    const { api, transport, close } = await serve();
    const sink = new RecordingSink();
    transport.stream(
      { method: 'GET', path: podsPath, query: { watch: '1' }, headers: {}, body: '' },
      sink,
    );
    expect(await eventually(() => api.openWatchCount === 1)).toBe(true);
    await close();
    expect(await sink.closed).toBeUndefined();
    expect(api.openWatchCount).toBe(0);
  });
});
