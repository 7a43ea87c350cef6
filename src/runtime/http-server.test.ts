// Tests of the HTTP server: limits, handler failures, shutdown and the loopback default.

import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { itemsResult, JsonCache } from '../control/apiserver/responses.js';
import type { RequestHandler, TransportRequest } from '../control/ports/transport.js';
import type { JsonObject } from '../control/store/types.js';
import { RecordingSink } from '../../test/contracts/transport.js';
import { defaultMaxBodyBytes, startHttpServer } from './http-server.js';
import { HttpTransport } from './http-transport.js';

const echoHandler: RequestHandler = {
  handle: async (request) => ({
    kind: 'unary',
    response: { status: 200, headers: {}, body: JSON.stringify(request) },
  }),
};

const post = (body: string): TransportRequest => ({
  method: 'POST',
  path: '/api/v1/namespaces/default/configmaps',
  query: {},
  headers: { 'content-type': 'application/json' },
  body,
});

/** Sends a body in pieces without a content-length (chunked), as a streaming client would. */
function postChunked(url: string, pieces: Buffer[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}/upload`, { method: 'POST' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
    req.on('error', reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

/** 'settled' if `promise` settles within a second, far below the close bound under test. */
function promptly(promise: Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('slow'), 1_000)));
  return Promise.race([promise.then(() => 'settled'), slow]).finally(() => clearTimeout(timer));
}

describe('startHttpServer', () => {
  it('listens on 127.0.0.1 by default', async () => {
    const server = await startHttpServer({ handler: echoHandler });
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).toBe(server.port);
    expect(server.port).toBeGreaterThan(0);
    await server.close();
  });

  it('sends a list body from its encoded pieces, byte for byte as the text', async () => {
    const json = new JsonCache();
    const items: JsonObject[] = [
      { name: 'a', note: 'naïve — ü' },
      { name: 'b' },
      { name: 'c', emoji: '🚀' },
    ];
    const parts = { head: '{"kind":"ThingList","items":[', items, tail: ']}' };
    const handler: RequestHandler = { handle: async () => itemsResult(json, parts, 'ThingList') };
    const server = await startHttpServer({ handler });
    const reply = await new Promise<{ length: string; bytes: Buffer }>((resolve, reject) => {
      http
        .get(`${server.url}/things`, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              length: res.headers['content-length'] ?? '',
              bytes: Buffer.concat(chunks),
            }),
          );
        })
        .on('error', reject);
    });
    await server.close();
    const expected = `{"kind":"ThingList","items":[${items.map((i) => JSON.stringify(i)).join(',')}]}`;
    const inProcess = await handler.handle(post(''));
    expect(inProcess.kind === 'unary' && inProcess.response.body).toBe(expected);
    expect(reply.bytes.toString('utf8')).toBe(expected);
    expect(reply.length).toBe(String(Buffer.byteLength(expected)));
    expect(JSON.parse(reply.bytes.toString('utf8')).items).toEqual(items);
  });

  it('keeps the path as received and decodes query parameters, first value wins', async () => {
    const server = await startHttpServer({ handler: echoHandler });
    const target = '/api/v1/pods/a%2Fb?labelSelector=app%3Dweb%2Ctier+in+(x)&x=1&x=2';
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get(`${server.url}${target}`, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks).toString()));
        })
        .on('error', reject);
    });
    const seen = JSON.parse(body) as TransportRequest;
    expect(seen.path).toBe('/api/v1/pods/a%2Fb');
    expect(seen.query).toEqual({ labelSelector: 'app=web,tier in (x)', x: '1' });
    await server.close();
  });

  it('answers a body over the limit with 413 RequestEntityTooLarge', async () => {
    const server = await startHttpServer({ handler: echoHandler });
    const transport = new HttpTransport({ baseUrl: server.url });
    const limit = defaultMaxBodyBytes;
    const fits = await transport.request(post('x'.repeat(limit)));
    expect(fits.status).toBe(200);
    const tooBig = await transport.request(post('x'.repeat(limit + 1)));
    expect(tooBig.status).toBe(413);
    expect(JSON.parse(tooBig.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Request entity too large: limit is ${limit}`,
      reason: 'RequestEntityTooLarge',
      code: 413,
    });
    expect((await transport.request(post('{}'))).status).toBe(200);
    transport.close();
    await server.close();
  });

  it('answers a chunked body that grows over the limit with 413', async () => {
    let handled = 0;
    const handler: RequestHandler = {
      handle: async (request) => {
        handled++;
        return echoHandler.handle(request);
      },
    };
    const server = await startHttpServer({ handler, maxBodyBytes: 1000 });
    const pieces = Array.from({ length: 20 }, () => Buffer.alloc(100, 'y'));
    const answer = await postChunked(server.url, pieces);
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ reason: 'RequestEntityTooLarge', code: 413 });
    expect(handled).toBe(0);
    const small = await postChunked(server.url, pieces.slice(0, 10));
    expect(small.status).toBe(200);
    expect((JSON.parse(small.body) as TransportRequest).body).toBe('y'.repeat(1000));
    await server.close();
  });

  it('answers a handler that throws with a 500 Status and keeps serving', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const handler: RequestHandler = {
      handle: async (request) => {
        calls++;
        if (calls === 1) throw new Error('boom');
        return echoHandler.handle(request);
      },
    };
    const server = await startHttpServer({ handler, onHandlerError: (e) => errors.push(e) });
    const transport = new HttpTransport({ baseUrl: server.url });
    const failed = await transport.request(post('{}'));
    expect(failed.status).toBe(500);
    expect(failed.headers['content-type']).toBe('application/json');
    expect(JSON.parse(failed.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Internal error occurred: boom',
      reason: 'InternalError',
      details: { causes: [{ message: 'boom' }] },
      code: 500,
    });
    expect(errors).toHaveLength(1);
    expect((await transport.request(post('{}'))).status).toBe(200);
    transport.close();
    await server.close();
  });

  it('cuts a stream whose open() throws, and keeps serving', async () => {
    const handler: RequestHandler = {
      handle: async (request) =>
        request.path === '/bad'
          ? {
              kind: 'stream',
              status: 200,
              headers: {},
              open: () => {
                throw new Error('open failed');
              },
            }
          : echoHandler.handle(request),
    };
    const errors: unknown[] = [];
    const server = await startHttpServer({ handler, onHandlerError: (e) => errors.push(e) });
    const transport = new HttpTransport({ baseUrl: server.url });
    const sink = new RecordingSink();
    transport.stream({ ...post(''), method: 'GET', path: '/bad' }, sink);
    expect(await sink.closed).toBeInstanceOf(Error);
    expect(errors).toHaveLength(1);
    expect((await transport.request(post('{}'))).status).toBe(200);
    transport.close();
    await server.close();
  });

  it('ends open streams on close, runs their disconnect callbacks, and stops', async () => {
    let disconnects = 0;
    const handler: RequestHandler = {
      handle: async () => ({
        kind: 'stream',
        status: 200,
        headers: { 'content-type': 'application/json' },
        open: (writer) => {
          writer.write('ready\n');
          return () => disconnects++;
        },
      }),
    };
    const server = await startHttpServer({ handler });
    const transport = new HttpTransport({ baseUrl: server.url, requestTimeoutMs: 1_000 });
    const sinks = [new RecordingSink(), new RecordingSink()];
    for (const sink of sinks) transport.stream({ ...post(''), method: 'GET' }, sink);
    await Promise.all(sinks.map((sink) => sink.firstChunk));
    await server.close();
    for (const sink of sinks) {
      expect(await sink.closed).toBeUndefined();
      sink.expectWellFormed();
      expect(sink.chunks).toEqual(['ready\n']);
    }
    expect(disconnects).toBe(2);
    const refused = await transport.request(post('{}')).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(Error);
    transport.close();
  });

  it('lets an in-flight request finish during close without waiting for the bound', async () => {
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    const handler: RequestHandler = {
      handle: async (request) => {
        entered();
        await new Promise<void>((resolve) => (release = resolve));
        return echoHandler.handle(request);
      },
    };
    const server = await startHttpServer({ handler, closeTimeoutMs: 5_000 });
    const transport = new HttpTransport({ baseUrl: server.url });
    const pending = transport.request(post('{}'));
    await handlerEntered;
    const closing = server.close();
    release();
    expect((await pending).status).toBe(200);
    expect(await promptly(closing)).toBe('settled');
    transport.close();
  });

  it('closes promptly with idle keep-alive connections open', async () => {
    const server = await startHttpServer({ handler: echoHandler, closeTimeoutMs: 5_000 });
    const transport = new HttpTransport({ baseUrl: server.url });
    await transport.request(post('{}'));
    expect(await promptly(server.close())).toBe('settled');
    transport.close();
  });
});

describe('JsonCache.listBytes', () => {
  it('reuses a list body only while head, tail and every object are the same', () => {
    const json = new JsonCache();
    const a: JsonObject = { name: 'a' };
    const b: JsonObject = { name: 'b' };
    const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
    const first = json.listBytes('L', { head: '{"items":[', items: [a, b], tail: ']}' });
    expect(text(first)).toBe('{"items":[{"name":"a"},{"name":"b"}]}');
    expect(json.listBytes('L', { head: '{"items":[', items: [a, b], tail: ']}' })).toBe(first);
    const b2: JsonObject = { name: 'b2' };
    const changed = json.listBytes('L', { head: '{"items":[', items: [a, b2], tail: ']}' });
    expect(text(changed)).toBe('{"items":[{"name":"a"},{"name":"b2"}]}');
    const newer = json.listBytes('L', { head: '{"rv":"2","items":[', items: [a, b2], tail: ']}' });
    expect(text(newer)).toBe('{"rv":"2","items":[{"name":"a"},{"name":"b2"}]}');
    expect(text(json.listBytes('L', { head: '{"items":[', items: [], tail: ']}' }))).toBe(
      '{"items":[]}',
    );
  });
});
