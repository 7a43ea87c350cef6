// Tests of the HTTP transport: the transport contract over a real loopback server, and failures.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RequestHandler, TransportRequest } from '../control/ports/transport.js';
import { RecordingSink, runTransportContract } from '../../test/contracts/transport.js';
import { startHttpServer } from './http-server.js';
import { HttpTransport, LineDecoder, TransportError } from './http-transport.js';

runTransportContract('HttpTransport', {
  newTransport: async (handler) => {
    const server = await startHttpServer({ handler });
    const transport = new HttpTransport({ baseUrl: server.url, requestTimeoutMs: 4_000 });
    return {
      transport,
      close: async () => {
        transport.close();
        await server.close();
      },
    };
  },
});

const get = (path: string): TransportRequest => ({
  method: 'GET',
  path,
  query: {},
  headers: {},
  body: '',
});

const echoHandler: RequestHandler = {
  handle: async (request) => ({
    kind: 'unary',
    response: { status: 200, headers: {}, body: JSON.stringify(request) },
  }),
};

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** A raw server whose responses the test writes by hand (for broken streams). */
async function rawServer(onRequest: http.RequestListener) {
  const server = http.createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url: `http://127.0.0.1:${port}`, close };
}

async function rejection(promise: Promise<unknown>): Promise<TransportError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe('HttpTransport', () => {
  it('rejects with ECONNREFUSED when nothing listens', async () => {
    const transport = new HttpTransport({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const error = await rejection(transport.request(get('/api')));
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.message).toMatch(/^GET "http:\/\/127\.0\.0\.1:\d+\/api" failed: /);
    transport.close();
  });

  it('closes a stream with ECONNREFUSED when nothing listens', async () => {
    const transport = new HttpTransport({ baseUrl: `http://127.0.0.1:${await closedPort()}` });
    const sink = new RecordingSink();
    transport.stream(get('/api'), sink);
    const error = await sink.closed;
    expect((error as TransportError).code).toBe('ECONNREFUSED');
    expect(sink.events).toEqual(['close']);
    transport.close();
  });

  it('rejects with TIMEOUT when the server does not answer in time', async () => {
    const handler: RequestHandler = { handle: () => new Promise(() => undefined) };
    const server = await startHttpServer({ handler, closeTimeoutMs: 200 });
    const transport = new HttpTransport({ baseUrl: server.url, requestTimeoutMs: 100 });
    const error = await rejection(transport.request(get('/slow')));
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain('timed out after 100 ms');
    const sink = new RecordingSink();
    transport.stream(get('/slow'), sink);
    expect(((await sink.closed) as TransportError).code).toBe('TIMEOUT');
    transport.close();
    await server.close();
  });

  it('closes a stream with STREAM_BROKEN when the connection drops mid-stream', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"type":"ADDED"}\n{"type":"MOD');
      setTimeout(() => res.destroy(), 20);
    });
    const transport = new HttpTransport({ baseUrl: server.url });
    const sink = new RecordingSink();
    transport.stream(get('/watch'), sink);
    const error = await sink.closed;
    expect((error as TransportError).code).toBe('STREAM_BROKEN');
    expect(sink.chunks).toEqual(['{"type":"ADDED"}\n']);
    transport.close();
    await server.close();
  });

  it('rejects request() with STREAM_BROKEN when the body is cut short', async () => {
    const server = await rawServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part');
      setTimeout(() => res.destroy(), 20);
    });
    const transport = new HttpTransport({ baseUrl: server.url });
    const error = await rejection(transport.request(get('/x')));
    expect(error.code).toBe('STREAM_BROKEN');
    transport.close();
    await server.close();
  });

  it('rejects a response larger than responseBodyBytesMax', async () => {
    const server = await startHttpServer({ handler: echoHandler });
    const transport = new HttpTransport({ baseUrl: server.url, responseBodyBytesMax: 10 });
    const error = await rejection(transport.request(get('/x')));
    expect(error.code).toBe('RESPONSE_TOO_LARGE');
    transport.close();
    await server.close();
  });

  it('sends default headers, the bearer token and a base path prefix', async () => {
    const server = await startHttpServer({ handler: echoHandler });
    const transport = new HttpTransport({
      baseUrl: `${server.url}/prefix/`,
      headers: { 'user-agent': 'miniku-test', accept: 'text/plain' },
      bearerToken: 'secret-token',
    });
    const request = { ...get('/api'), headers: { accept: 'application/json' } };
    const seen = JSON.parse((await transport.request(request)).body) as TransportRequest;
    expect(seen.path).toBe('/prefix/api');
    expect(seen.headers['authorization']).toBe('Bearer secret-token');
    expect(seen.headers['user-agent']).toBe('miniku-test');
    expect(seen.headers['accept']).toBe('application/json');
    transport.close();
    await server.close();
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const ports = new Set<number>();
    const server = await rawServer((req, res) => {
      ports.add(req.socket.remotePort ?? 0);
      res.end('ok');
    });
    const transport = new HttpTransport({ baseUrl: server.url });
    for (let i = 0; i < 5; i++) await transport.request(get('/x'));
    expect(ports.size).toBe(1);
    transport.close();
    await server.close();
  });

  it('closes open streams without error when the transport closes', async () => {
    const handler: RequestHandler = {
      handle: async () => ({
        kind: 'stream',
        status: 200,
        headers: {},
        open: (writer) => {
          writer.write('ready\n');
          return () => undefined;
        },
      }),
    };
    const server = await startHttpServer({ handler });
    const transport = new HttpTransport({ baseUrl: server.url });
    const sink = new RecordingSink();
    transport.stream(get('/watch'), sink);
    await sink.firstChunk;
    transport.close();
    expect(await sink.closed).toBeUndefined();
    expect((await rejection(transport.request(get('/x')))).code).toBe('CLOSED');
    await server.close();
  });
});

describe('LineDecoder', () => {
  it('splits bytes cut anywhere into the same whole lines', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '日', '🚀', '\n', '\u2028') });
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 8 }), (original, cuts) => {
        const bytes = Buffer.from(original, 'utf8');
        const positions = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))];
        positions.sort((a, b) => a - b);
        const decoder = new LineDecoder();
        const lines: string[] = [];
        let from = 0;
        for (const to of [...positions, bytes.length]) {
          lines.push(...decoder.push(bytes.subarray(from, to)));
          from = to;
        }
        const rest = decoder.end();
        expect(
          lines.every((line) => line.endsWith('\n') && line.indexOf('\n') === line.length - 1),
        ).toBe(true);
        expect(rest.includes('\n')).toBe(false);
        expect(lines.join('') + rest).toBe(original);
      }),
      { numRuns: 300 },
    );
  });
});
