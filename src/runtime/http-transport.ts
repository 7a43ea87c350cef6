// HTTP transport: the real world's Transport, node:http requests over a keep-alive agent.
//
// Failures reject (request) or close the sink (stream) with a `TransportError` whose `code` says
// what broke, so callers such as informers can tell a refused connection from a timeout or a
// broken stream and choose their backoff: Node's own codes (`ECONNREFUSED`, `ECONNRESET`, ...)
// for connection failures, and `TIMEOUT`, `STREAM_BROKEN`, `RESPONSE_TOO_LARGE`, `CLOSED`.

import http from 'node:http';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import type {
  Headers,
  StreamHandle,
  StreamSink,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../control/ports/transport.js';
import { assert } from '../control/util/assert.js';
import { flattenHeaders } from './http-server.js';

/** Largest body request() reads: 256 MiB, well under V8's longest string. */
export const defaultResponseBodyBytesMax = 256 * 1024 * 1024;
/** Longest unterminated line a stream buffers, in UTF-16 code units. */
export const streamLineLengthMax = 64 * 1024 * 1024;

export interface HttpTransportOptions {
  /** Server URL, e.g. `http://127.0.0.1:6443`; a path prefix is kept. Only `http:`. */
  baseUrl: string;
  /** Headers sent with every request (lower-case names); a request's own headers win. */
  headers?: Headers;
  /**
   * Time for request() to receive its whole response, and for stream() to receive the response
   * head (a watch may then run for as long as the server keeps it open), ms. Default 60 000.
   */
  requestTimeoutMs?: number;
  /** Sent as `authorization: Bearer <token>`. */
  bearerToken?: string;
  /** Largest response body request() reads, bytes. Default 256 MiB. */
  responseBodyBytesMax?: number;
}

export class TransportError extends Error {
  override readonly name = 'TransportError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class HttpTransport implements Transport {
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly base: URL;
  private readonly pathPrefix: string;
  private readonly defaultHeaders: Headers;
  private readonly requestTimeoutMs: number;
  private readonly responseBodyBytesMax: number;
  private readonly streams = new Set<HttpClientStream>();
  private closed = false;

  constructor(options: HttpTransportOptions) {
    this.base = new URL(options.baseUrl);
    assert(
      this.base.protocol === 'http:',
      `HttpTransport needs an http: URL: "${options.baseUrl}"`,
    );
    this.pathPrefix = this.base.pathname.replace(/\/+$/, '');
    this.defaultHeaders = { ...options.headers };
    if (options.bearerToken !== undefined) {
      this.defaultHeaders['authorization'] = `Bearer ${options.bearerToken}`;
    }
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.responseBodyBytesMax = options.responseBodyBytesMax ?? defaultResponseBodyBytesMax;
    assert(Number.isInteger(this.requestTimeoutMs), 'requestTimeoutMs must be an integer');
    assert(this.requestTimeoutMs > 0, 'requestTimeoutMs must be positive');
  }

  request(request: TransportRequest): Promise<TransportResponse> {
    return new Promise((resolve, reject) => {
      const call = new HttpCall({
        description: this.describe(request),
        timeoutMs: this.requestTimeoutMs,
        onError: reject,
        onResponse: (res) =>
          readWhole(res, this.responseBodyBytesMax).then(
            (body) => call.succeed(() => resolve(toResponse(res, body))),
            (error: unknown) => call.failWith(error),
          ),
      });
      if (this.closed) call.failWith(new TransportError('CLOSED', 'HttpTransport is closed'));
      else call.start(() => this.send(request));
    });
  }

  stream(request: TransportRequest, sink: StreamSink): StreamHandle {
    const stream = new HttpClientStream({
      sink,
      description: this.describe(request),
      timeoutMs: this.requestTimeoutMs,
      bodyBytesMax: this.responseBodyBytesMax,
      onDone: () => this.streams.delete(stream),
    });
    this.streams.add(stream);
    if (this.closed) {
      queueMicrotask(() => stream.fail(new TransportError('CLOSED', 'HttpTransport is closed')));
    } else {
      stream.start(() => this.send(request));
    }
    return { close: () => stream.close() };
  }

  /** Closes open streams (their sinks get onClose()) and destroys the agent's sockets. */
  close(): void {
    this.closed = true;
    for (const stream of [...this.streams]) stream.close();
    this.agent.destroy();
  }

  private send(request: TransportRequest): ClientRequest {
    const headers: Headers = { ...this.defaultHeaders, ...request.headers };
    const hasBody = request.body !== '' || ['POST', 'PUT', 'PATCH'].includes(request.method);
    if (hasBody) headers['content-length'] = String(Buffer.byteLength(request.body, 'utf8'));
    const req = http.request({
      agent: this.agent,
      protocol: 'http:',
      hostname: this.base.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: this.base.port === '' ? 80 : Number(this.base.port),
      method: request.method,
      path: this.target(request),
      headers,
    });
    req.end(hasBody ? request.body : undefined);
    return req;
  }

  /** Path (as given, already escaped) plus the query, keys sorted like Go's url.Values. */
  private target(request: TransportRequest): string {
    const keys = Object.keys(request.query).sort();
    const query = new URLSearchParams(
      keys.map((key): [string, string] => [key, request.query[key] ?? '']),
    );
    const text = query.toString();
    return `${this.pathPrefix}${request.path}${text === '' ? '' : `?${text}`}`;
  }

  private describe(request: TransportRequest): string {
    return `${request.method} "${this.base.origin}${this.target(request)}"`;
  }
}

interface HttpCallOptions {
  /** `GET "http://…"`, the start of every error message. */
  description: string;
  timeoutMs: number;
  onError(error: TransportError): void;
  onResponse(res: IncomingMessage): void;
}

/** One request's life: a timeout, and exactly one outcome (success or error). */
class HttpCall {
  private req: ClientRequest | undefined;
  private timer: NodeJS.Timeout | undefined;
  private settled = false;
  private responded = false;

  constructor(private readonly options: HttpCallOptions) {}

  get isSettled(): boolean {
    return this.settled;
  }

  start(send: () => ClientRequest): void {
    if (this.settled) return; // closed before it was sent
    const timeout = `${this.options.description} timed out after ${this.options.timeoutMs} ms`;
    this.timer = setTimeout(
      () => this.failWith(new TransportError('TIMEOUT', timeout)),
      this.options.timeoutMs,
    );
    try {
      this.req = send();
    } catch (error) {
      this.failWith(error);
      return;
    }
    this.req.on('error', (error) => this.failWith(error));
    this.req.on('response', (res) => {
      this.responded = true;
      res.on('error', (error) => this.failWith(error));
      res.on('close', () => {
        if (!res.complete) this.failWith(new Error('the connection closed mid-response'));
      });
      if (!this.settled) this.options.onResponse(res);
    });
  }

  /** The response head arrived: later errors are broken streams, and the timer may stop. */
  stopTimer(): void {
    clearTimeout(this.timer);
  }

  succeed(deliver: () => void): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    deliver();
  }

  failWith(error: unknown): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.req?.destroy();
    this.options.onError(toTransportError(error, this.options.description, this.responded));
  }

  /** Ends the call without an outcome event (the client closed it). */
  abandon(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.req?.destroy();
  }
}

function toTransportError(error: unknown, description: string, responded: boolean) {
  if (error instanceof TransportError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  const nodeCode = (error as { code?: unknown } | null)?.code;
  const code = responded
    ? 'STREAM_BROKEN'
    : typeof nodeCode === 'string'
      ? nodeCode
      : 'REQUEST_FAILED';
  return new TransportError(code, `${description} failed: ${detail}`, { cause: error });
}

interface HttpClientStreamOptions {
  sink: StreamSink;
  description: string;
  /** Time to receive the response head, ms. */
  timeoutMs: number;
  /** Largest non-chunked body delivered as one chunk, bytes. */
  bodyBytesMax: number;
  /** Called once when the stream finished, whichever way. */
  onDone: () => void;
}

/**
 * A client stream. A chunked response (a watch) reaches the sink as whole lines; a response
 * with a content-length (a unary reply such as a 404 Status) arrives as one chunk.
 */
class HttpClientStream {
  private readonly sink: StreamSink;
  private readonly call: HttpCall;
  private readonly lines = new LineDecoder();
  private done = false;

  constructor(private readonly options: HttpClientStreamOptions) {
    this.sink = options.sink;
    this.call = new HttpCall({
      description: options.description,
      timeoutMs: options.timeoutMs,
      onError: (error) => this.finish(error),
      onResponse: (res) => this.receive(res),
    });
  }

  /** Sends a microtask later, so that no sink call happens inside stream() itself. */
  start(send: () => ClientRequest): void {
    queueMicrotask(() => this.call.start(send));
  }

  close(): void {
    this.call.abandon();
    this.finish(undefined);
  }

  fail(error: TransportError): void {
    this.call.failWith(error);
  }

  private receive(res: IncomingMessage): void {
    this.call.stopTimer();
    this.sink.onResponse(res.statusCode ?? 0, flattenHeaders(res.headers));
    if (res.headers['content-length'] === undefined) this.receiveLines(res);
    else this.receiveWhole(res);
  }

  private receiveLines(res: IncomingMessage): void {
    res.on('data', (bytes: Buffer) => {
      if (this.call.isSettled) return;
      for (const line of this.lines.push(bytes)) {
        if (this.call.isSettled) return; // the sink closed the stream
        this.sink.onChunk(line);
      }
      if (this.lines.pendingLength > streamLineLengthMax) {
        this.call.failWith(new Error(`a line is longer than ${streamLineLengthMax}`));
      }
    });
    res.on('end', () =>
      this.call.succeed(() => {
        const rest = this.lines.end();
        if (rest !== '') this.sink.onChunk(rest);
        this.finish(undefined);
      }),
    );
  }

  private receiveWhole(res: IncomingMessage): void {
    readWhole(res, this.options.bodyBytesMax).then(
      (body) =>
        this.call.succeed(() => {
          if (body !== '') this.sink.onChunk(body);
          this.finish(undefined);
        }),
      (error: unknown) => this.call.failWith(error),
    );
  }

  private finish(error: TransportError | undefined): void {
    if (this.done) return;
    this.done = true;
    this.options.onDone();
    this.sink.onClose(error);
  }
}

/** Splits UTF-8 bytes into whole lines; multi-byte characters may straddle pushes. */
export class LineDecoder {
  private readonly decoder = new StringDecoder('utf8');
  private pending: string[] = [];
  private pendingChars = 0;

  /** UTF-16 length of the unterminated text held so far. */
  get pendingLength(): number {
    return this.pendingChars;
  }

  /** Returns the lines these bytes complete, each ending in '\n'. */
  push(bytes: Buffer): string[] {
    return this.split(this.decoder.write(bytes));
  }

  /** Returns the final unterminated text ('' if none). */
  end(): string {
    const rest = this.pending.join('') + this.decoder.end();
    this.pending = [];
    this.pendingChars = 0;
    return rest;
  }

  private split(text: string): string[] {
    const lines: string[] = [];
    let start = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', start)) {
      const piece = text.slice(start, at + 1);
      lines.push(this.pending.length === 0 ? piece : this.pending.join('') + piece);
      this.pending = [];
      this.pendingChars = 0;
      start = at + 1;
    }
    if (start < text.length) {
      this.pending.push(text.slice(start));
      this.pendingChars += text.length - start;
    }
    return lines;
  }
}

/** Reads a whole body as UTF-8 (bytes joined before decoding, so split characters survive). */
function readWhole(res: IncomingMessage, bytesMax: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    res.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > bytesMax) {
        const message = `the response body is larger than ${bytesMax} bytes`;
        reject(new TransportError('RESPONSE_TOO_LARGE', message));
        res.destroy();
        return;
      }
      chunks.push(chunk);
    });
    res.on('end', () => resolve(Buffer.concat(chunks, length).toString('utf8')));
  });
}

function toResponse(res: IncomingMessage, body: string): TransportResponse {
  return { status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), body };
}
