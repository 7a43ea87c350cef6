// Transport contract suite: the behaviour every Transport must show, run by each implementation.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  HandlerResult,
  Headers,
  RequestHandler,
  ServerStreamWriter,
  StreamSink,
  Transport,
  TransportRequest,
} from '../../src/control/ports/transport.js';

export interface TransportFixture {
  transport: Transport;
  /** Releases everything newTransport created (server, sockets). */
  close(): Promise<void>;
}

export interface TransportContractOptions {
  /** Builds a transport whose requests reach `handler`. */
  newTransport(handler: RequestHandler): Promise<TransportFixture>;
}

/** Bound on every contract test, ms. */
const contractTestTimeoutMs = 5_000;

export function runTransportContract(name: string, options: TransportContractOptions): void {
  describe(`${name} meets the transport contract`, () => {
    let server: ContractHandler;
    let fixture: TransportFixture;

    beforeEach(async () => {
      server = new ContractHandler();
      fixture = await options.newTransport(server);
    });
    afterEach(async () => {
      await fixture.close();
    });

    const test = (title: string, body: () => Promise<void>) =>
      it(title, body, contractTestTimeoutMs);

    test('delivers method, path, query, headers and body intact', async () => {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const request = echoRequest(method, method === 'GET' ? '' : `{"method":"${method}"}`);
        const response = await fixture.transport.request(request);
        expect(response.status).toBe(200);
        const seen = JSON.parse(response.body) as TransportRequest;
        expect(seen.method).toBe(method);
        expect(seen.path).toBe(request.path);
        expect(seen.query).toEqual(request.query);
        expect(seen.headers).toMatchObject(request.headers);
        expect(seen.body).toBe(request.body);
      }
      expect(server.received.map((request) => request.method)).toEqual([
        'GET',
        'POST',
        'PUT',
        'PATCH',
        'DELETE',
      ]);
    });

    test('round-trips a JSON document losslessly in both directions', async () => {
      const document = losslessJsonDocument();
      expect(hasLoneSurrogate(document)).toBe(false);
      expect(() => JSON.parse(document) as unknown).not.toThrow();
      const sent = await fixture.transport.request(post('/raw', document));
      expect(server.received.at(-1)?.body === document).toBe(true);
      expect(sent.body === document).toBe(true);
      expect(sent.headers['x-body-length']).toBe(String(document.length));
      const fetched = await fixture.transport.request(get('/document'));
      expect(fetched.body === document).toBe(true);
    });

    test('passes status codes and response headers through', async () => {
      for (const status of [200, 201, 404, 409, 422, 503]) {
        const body = `body of ${status}`;
        const request = get('/reply', { status: String(status), body, value: `v-${status}` });
        const response = await fixture.transport.request(request);
        expect(response.status).toBe(status);
        expect(response.headers['x-reply']).toBe(`v-${status}`);
        expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(response.body).toBe(body);
      }
    });

    test('answers a handler that throws with a 500 InternalError Status', async () => {
      const response = await fixture.transport.request(get('/throw'));
      expect(response.status).toBe(500);
      expect(JSON.parse(response.body)).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        reason: 'InternalError',
        message: 'Internal error occurred: handler exploded',
        code: 500,
      });
    });

    test('answers many concurrent requests each with its own response', async () => {
      const bodies = Array.from({ length: 40 }, (_, i) => `{"index":${i}}`);
      const responses = await Promise.all(
        bodies.map((body) => fixture.transport.request(post('/raw', body))),
      );
      expect(responses.map((response) => response.body)).toEqual(bodies);
    });

    test('streams newline-delimited events in order as whole lines, then closes', async () => {
      const sink = new RecordingSink();
      fixture.transport.stream(get('/watch', { count: '50' }), sink);
      expect(await sink.closed).toBeUndefined();
      sink.expectWellFormed();
      expect(sink.status).toBe(200);
      expect(sink.headers['content-type']).toBe('application/json');
      expect(sink.chunks).toEqual(watchLines(50));
    });

    test('streams a megabyte-long unicode line whole', async () => {
      const sink = new RecordingSink();
      fixture.transport.stream(get('/watch-document'), sink);
      expect(await sink.closed).toBeUndefined();
      sink.expectWellFormed();
      expect(sink.chunks.length).toBe(2);
      expect(sink.chunks[0] === `${losslessJsonDocument()}\n`).toBe(true);
      expect(sink.chunks[1]).toBe('{"type":"BOOKMARK"}\n');
    });

    test('delivers an unterminated last line when the stream ends', async () => {
      const sink = new RecordingSink();
      fixture.transport.stream(get('/unterminated'), sink);
      expect(await sink.closed).toBeUndefined();
      expect(sink.chunks).toEqual(['first\n', 'last without newline']);
    });

    test('calls no sink method before stream() returns', async () => {
      const sink = new RecordingSink();
      fixture.transport.stream(get('/watch', { count: '1' }), sink);
      expect(sink.events).toEqual([]);
      await sink.closed;
      expect(sink.events).toEqual(['response', 'chunk', 'close']);
    });

    test('runs the server disconnect callback when the client closes a stream', async () => {
      const sink = new RecordingSink();
      const handle = fixture.transport.stream(get('/forever'), sink);
      expect(await sink.firstChunk).toBe('ready\n');
      handle.close();
      handle.close();
      await server.disconnected;
      expect(await sink.closed).toBeUndefined();
      await pause(20);
      sink.expectWellFormed();
      expect(sink.chunks).toEqual(['ready\n']);
      expect(server.lateWriteAttempted).toBe(true);
    });

    test('closes the sink once when a stream is closed before its response', async () => {
      const sink = new RecordingSink();
      const handle = fixture.transport.stream(get('/watch', { count: '3' }), sink);
      handle.close();
      expect(await sink.closed).toBeUndefined();
      await pause(20);
      sink.expectWellFormed();
      expect(sink.events).toEqual(['close']);
    });

    test('delivers a non-stream reply to stream() as response, one chunk, close', async () => {
      const body = '{\n  "kind": "Status",\n  "reason": "NotFound",\n  "code": 404\n}\n';
      const sink = new RecordingSink();
      fixture.transport.stream(get('/reply', { status: '404', body, value: 'nf' }), sink);
      expect(await sink.closed).toBeUndefined();
      sink.expectWellFormed();
      expect(sink.status).toBe(404);
      expect(sink.headers['x-reply']).toBe('nf');
      expect(sink.chunks).toEqual([body]);
    });

    test('reads a whole stream through request()', async () => {
      const response = await fixture.transport.request(get('/watch', { count: '3' }));
      expect(response.status).toBe(200);
      expect(response.body).toBe(watchLines(3).join(''));
    });
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function get(path: string, query: Record<string, string> = {}): TransportRequest {
  return { method: 'GET', path, query, headers: {}, body: '' };
}

function post(path: string, body: string): TransportRequest {
  return { method: 'POST', path, query: {}, headers: { 'content-type': 'application/json' }, body };
}

function echoRequest(method: string, body: string): TransportRequest {
  return {
    method,
    path: '/echo/api/v1/namespaces/default/pods/a%2Fb%20c',
    query: {
      labelSelector: 'app in (web,db),tier!=cache',
      fieldSelector: 'metadata.name=x y',
      odd: 'a&b=c+d/é%20 ?#',
      empty: '',
    },
    headers: { 'x-test': 'value with spaces', 'content-type': 'application/json' },
    body,
  };
}

export function watchLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const object = { kind: 'Pod', metadata: { name: `pod-${i}`, resourceVersion: String(i + 1) } };
    return `${JSON.stringify({ type: 'ADDED', object })}\n`;
  });
}

/**
 * A JSON text that only a byte-exact transport preserves: astral-plane characters, escapes,
 * escaped lone surrogates, raw U+2028/U+2029, a ~1 MiB string of mixed-width characters (so
 * network chunks split multi-byte sequences), ~100 levels of nesting, and integers beyond 2^53
 * that JSON.parse would round.
 */
export function losslessJsonDocument(): string {
  const unit = 'ascii-ünïcödé-日本語-🚀🧪-\u{10FFFF}|';
  const value = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    data: {
      unicode: 'héllo wörld — 日本語 — 🚀🧪 𝕂𝔲𝔟𝔢 \u{1F600}',
      escapes: 'quote " backslash \\ slash / newline \n tab \t cr \r nul \u0000 bell \u0007 \u007f',
      separators: 'line\u2028paragraph\u2029end',
      loneSurrogates: 'high \ud800 low \udc00 reversed \udc00\ud800',
      long: unit.repeat(Math.ceil((1024 * 1024) / Buffer.byteLength(unit))),
    },
    nested: nest(100),
  };
  const bigIntegers = '[9007199254740993,-9223372036854775808,123456789012345678901234567890]';
  return `${JSON.stringify(value).slice(0, -1)},"bigIntegers":${bigIntegers}}`;
}

function nest(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let level = depth; level > 0; level--) {
    value = level % 2 === 0 ? [value] : { level, child: value };
  }
  return value;
}

function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Records what a sink receives; checks the order the StreamSink contract promises. */
export class RecordingSink implements StreamSink {
  readonly events: ('response' | 'chunk' | 'close')[] = [];
  readonly chunks: string[] = [];
  status: number | undefined;
  headers: Headers = {};
  closeCount = 0;
  readonly closed: Promise<Error | undefined>;
  readonly firstChunk: Promise<string>;
  private resolveClosed: (error: Error | undefined) => void = () => undefined;
  private resolveFirstChunk: (chunk: string) => void = () => undefined;

  constructor() {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.firstChunk = new Promise((resolve) => (this.resolveFirstChunk = resolve));
  }

  onResponse(status: number, headers: Headers): void {
    this.events.push('response');
    this.status = status;
    this.headers = headers;
  }

  onChunk(chunk: string): void {
    this.events.push('chunk');
    this.chunks.push(chunk);
    this.resolveFirstChunk(chunk);
  }

  onClose(error?: Error): void {
    this.events.push('close');
    this.closeCount++;
    this.resolveClosed(error);
  }

  /** (response chunk*)? close, and nothing after close. */
  expectWellFormed(): void {
    const letters = { response: 'r', chunk: 'k', close: 'x' } as const;
    const shape = this.events.map((event) => letters[event]).join('');
    expect(shape).toMatch(/^(rk*)?x$/);
    expect(this.closeCount).toBe(1);
  }
}

/** The server side of the contract: a few endpoints, and a record of what reached them. */
class ContractHandler implements RequestHandler {
  readonly received: TransportRequest[] = [];
  lateWriteAttempted = false;
  readonly disconnected: Promise<void>;
  private resolveDisconnected: () => void = () => undefined;

  constructor() {
    this.disconnected = new Promise((resolve) => (this.resolveDisconnected = resolve));
  }

  async handle(request: TransportRequest): Promise<HandlerResult> {
    this.received.push(request);
    await Promise.resolve();
    if (request.path.startsWith('/echo/')) return json(200, JSON.stringify(request));
    switch (request.path) {
      case '/raw':
        return unary(200, { 'x-body-length': String(request.body.length) }, request.body);
      case '/document':
        return json(200, losslessJsonDocument());
      case '/reply':
        return reply(request.query);
      case '/throw':
        throw new Error('handler exploded');
      case '/watch':
        return stream((writer) => writeWatch(writer, Number(request.query['count'] ?? '0')));
      case '/watch-document':
        return stream((writer) => {
          writer.write(`${losslessJsonDocument()}\n`);
          writer.write('{"type":"BOOKMARK"}\n');
          writer.end();
        });
      case '/unterminated':
        return stream((writer) => {
          writer.write('first\n');
          writer.write('last without newline');
          writer.end();
        });
      case '/forever':
        return this.forever();
      default:
        return json(404, '{"kind":"Status","reason":"NotFound","code":404}');
    }
  }

  /** Streams until the client leaves; then records the disconnect and tries one late write. */
  private forever(): HandlerResult {
    return {
      kind: 'stream',
      status: 200,
      headers: { 'content-type': 'application/json' },
      open: (writer) => {
        writer.write('ready\n');
        return () => {
          this.lateWriteAttempted = true;
          writer.write('late\n');
          this.resolveDisconnected();
        };
      },
    };
  }
}

/** Writes half the lines inside open() and the rest after a few awaits, then ends. */
function writeWatch(writer: ServerStreamWriter, count: number): void {
  const lines = watchLines(count);
  const half = Math.floor(count / 2);
  for (const line of lines.slice(0, half)) writer.write(line);
  void (async () => {
    for (const line of lines.slice(half)) {
      await Promise.resolve();
      writer.write(line);
    }
    writer.end();
  })();
}

function stream(write: (writer: ServerStreamWriter) => void): HandlerResult {
  return {
    kind: 'stream',
    status: 200,
    headers: { 'content-type': 'application/json' },
    open: (writer) => {
      write(writer);
      return () => undefined;
    },
  };
}

function reply(query: Record<string, string>): HandlerResult {
  const headers = { 'x-reply': query['value'] ?? '', 'content-type': 'text/plain; charset=utf-8' };
  return unary(Number(query['status'] ?? '200'), headers, query['body'] ?? '');
}

function json(status: number, body: string): HandlerResult {
  return unary(status, { 'content-type': 'application/json' }, body);
}

function unary(status: number, headers: Headers, body: string): HandlerResult {
  return { kind: 'unary', response: { status, headers, body } };
}
