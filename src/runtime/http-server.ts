// HTTP server: carries node:http requests to a RequestHandler; unary replies and chunked streams;
// `upgrade` requests go to the pods/exec WebSocket gateway.

import http from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  HandlerResult,
  Headers,
  RequestHandler,
  ServerStreamWriter,
  TransportRequest,
  TransportResponse,
} from '../control/ports/transport.js';
import { internalError, requestEntityTooLarge, statusObject } from '../control/apiserver/status.js';
import type { JsonObject } from '../control/store/types.js';
import { WebSocketExecGateway } from './websocket-exec.js';

/** Upstream kube-apiserver's request body limit (`MaxRequestBodyBytes`), 3 MiB. */
export const defaultMaxBodyBytes = 3 * 1024 * 1024;
/** How long close() waits for in-flight requests before cutting their connections. */
export const defaultCloseTimeoutMs = 2_000;
/** Bytes a stream may hold for a client that reads too slowly before the stream is cut. */
export const defaultStreamBufferBytesMax = 16 * 1024 * 1024;

export interface HttpServerOptions {
  handler: RequestHandler;
  /** Interface to bind. Default `127.0.0.1` (loopback only). */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Largest request body in bytes; a larger one gets 413 RequestEntityTooLarge. Default 3 MiB. */
  maxBodyBytes?: number;
  /** Time to receive a whole request (head and body), ms. Default Node's, 300 000. */
  requestTimeoutMs?: number;
  /** How long close() waits for in-flight requests, ms. Default 2 000. */
  closeTimeoutMs?: number;
  /** Bytes buffered for a slow stream client before the stream is cut. Default 16 MiB. */
  streamBufferBytesMax?: number;
  /** Told of every error a handler throws (its client got a 500 or a cut stream). */
  onHandlerError?: (error: unknown) => void;
  /**
   * Decides from the `Authorization` header whether a request may reach the handler; a refused
   * one gets 401 Unauthorized before its body is read. Default: every request passes.
   */
  authenticate?: (authorization: string | undefined) => boolean;
}

export interface HttpServer {
  /** e.g. `http://127.0.0.1:40123`. */
  url: string;
  port: number;
  /** Ends open streams, stops accepting, waits (bounded) for in-flight requests. Idempotent. */
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const host = options.host ?? '127.0.0.1';
  const server = new HttpServerCore(options);
  const port = await listen(server.server, host, options.port ?? 0);
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  return { url: `http://${hostInUrl}:${port}`, port, close: () => server.close() };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

class HttpServerCore {
  readonly server: Server;
  private readonly streams = new Set<HttpServerStream>();
  /** `upgrade` requests: pods/exec over WebSocket (src/runtime/websocket-exec.ts). */
  private readonly execGateway: WebSocketExecGateway;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: HttpServerOptions) {
    const requestTimeout = options.requestTimeoutMs;
    const timeouts =
      requestTimeout === undefined
        ? {}
        : { requestTimeout, headersTimeout: Math.min(60_000, requestTimeout) };
    this.server = http.createServer(timeouts, (req, res) => this.onRequest(req, res));
    this.execGateway = new WebSocketExecGateway({
      handler: options.handler,
      ...(options.authenticate === undefined ? {} : { authenticate: options.authenticate }),
      ...(options.onHandlerError === undefined ? {} : { onHandlerError: options.onHandlerError }),
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.execGateway.upgrade(req, socket, head),
    );
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    for (const stream of [...this.streams]) stream.endFromServer();
    this.execGateway.close();
    const closeTimeoutMs = this.options.closeTimeoutMs ?? defaultCloseTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
      timer = setTimeout(() => this.server.closeAllConnections(), closeTimeoutMs);
    });
    clearTimeout(timer);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    this.serve(req, res).catch((error: unknown) => this.fail(res, error));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const authenticate = this.options.authenticate;
    if (authenticate !== undefined && !authenticate(req.headers.authorization)) {
      discard(req);
      writeStatus(res, unauthorizedStatus, this.closing !== undefined);
      return;
    }
    const maxBodyBytes = this.options.maxBodyBytes ?? defaultMaxBodyBytes;
    const body = await readBody(req, maxBodyBytes);
    if (body.kind === 'aborted') {
      res.destroy();
      return;
    }
    if (body.kind === 'tooLarge') {
      const message = `Request entity too large: limit is ${maxBodyBytes}`;
      writeStatus(res, statusObject(requestEntityTooLarge(message)), true);
      return;
    }
    const result = await this.options.handler.handle(toTransportRequest(req, body.text));
    if (res.destroyed) return; // the client left while the handler worked
    if (result.kind === 'unary') writeUnary(res, result.response, this.closing !== undefined);
    else this.startStream(res, result);
  }

  private startStream(res: ServerResponse, result: Extract<HandlerResult, { kind: 'stream' }>) {
    const headers = withoutFramingHeaders(result.headers);
    headers['transfer-encoding'] = 'chunked';
    res.writeHead(result.status, headers);
    res.flushHeaders();
    const bufferBytesMax = this.options.streamBufferBytesMax ?? defaultStreamBufferBytesMax;
    const stream = new HttpServerStream({
      res,
      bufferBytesMax,
      onFinished: () => this.streams.delete(stream),
    });
    this.streams.add(stream);
    if (this.closing !== undefined) {
      stream.endFromServer();
      return;
    }
    try {
      stream.open(result.open);
    } catch (error) {
      stream.cut();
      this.options.onHandlerError?.(error);
    }
  }

  /** A handler threw: 500 InternalError if nothing was sent yet, else cut the connection. */
  private fail(res: ServerResponse, error: unknown): void {
    this.options.onHandlerError?.(error);
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    const cause = error instanceof Error ? error.message : String(error);
    writeStatus(res, statusObject(internalError(cause)), this.closing !== undefined);
  }
}

interface HttpServerStreamOptions {
  res: ServerResponse;
  /** Bytes buffered for a slow client before the stream is cut. */
  bufferBytesMax: number;
  /** Called once when the stream finished, whichever way. */
  onFinished: () => void;
}

/**
 * One open chunked response. `finished` turns true once, whoever finishes first: the server's
 * end(), a client disconnect (then the handler's disconnect function runs), a server shutdown
 * (disconnect runs too, then the response ends cleanly), or a cut for a too-slow client.
 */
class HttpServerStream {
  private finished = false;
  private disconnect: (() => void) | undefined;
  private disconnectRequested = false;

  private readonly res: ServerResponse;

  constructor(private readonly options: HttpServerStreamOptions) {
    this.res = options.res;
    // Not req.on('close'): since Node 16 that fires once the request body has been read.
    this.res.on('close', () => this.finish(true));
  }

  open(open: (writer: ServerStreamWriter) => () => void): void {
    const disconnect = open({ write: (chunk) => this.write(chunk), end: () => this.end() });
    if (this.disconnectRequested) disconnect();
    else this.disconnect = disconnect;
  }

  endFromServer(): void {
    if (this.finish(true)) this.res.end();
  }

  cut(): void {
    if (this.finish(true)) this.res.destroy();
  }

  private write(chunk: string): void {
    if (this.finished || chunk === '') return;
    this.res.write(chunk);
    if (this.res.writableLength > this.options.bufferBytesMax) this.cut();
  }

  private end(): void {
    if (this.finish(false)) this.res.end();
  }

  /** Returns false if already finished; calls the handler's disconnect when asked to. */
  private finish(disconnect: boolean): boolean {
    if (this.finished) return false;
    this.finished = true;
    this.options.onFinished();
    if (!disconnect) return true;
    if (this.disconnect === undefined) this.disconnectRequested = true;
    else this.disconnect();
    return true;
  }
}

type Body = { kind: 'text'; text: string } | { kind: 'tooLarge' } | { kind: 'aborted' };

/** Reads the body as UTF-8, bounded by `maxBodyBytes`. */
function readBody(req: IncomingMessage, maxBodyBytes: number): Promise<Body> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > maxBodyBytes) return Promise.resolve(discard(req));
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxBodyBytes) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      resolve(discard(req));
    };
    req.on('data', onData);
    req.on('end', () => resolve({ kind: 'text', text: Buffer.concat(chunks, length).toString() }));
    req.on('error', () => resolve({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve({ kind: 'aborted' });
    });
  });
}

/** Reads and drops the rest of a rejected body, so the client can finish sending and read 413. */
function discard(req: IncomingMessage): Body {
  req.on('error', () => undefined);
  req.resume();
  return { kind: 'tooLarge' };
}

function toTransportRequest(req: IncomingMessage, body: string): TransportRequest {
  const target = req.url ?? '/';
  const queryAt = target.indexOf('?');
  const path = queryAt === -1 ? target : target.slice(0, queryAt);
  const query = queryAt === -1 ? {} : parseQuery(target.slice(queryAt + 1));
  const method = (req.method ?? 'GET').toUpperCase();
  return { method, path, query, headers: flattenHeaders(req.headers), body };
}

/** A repeated parameter keeps its first value. fromEntries keeps `__proto__` a plain key. */
function parseQuery(raw: string): Record<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(raw)) {
    if (!entries.has(key)) entries.set(key, value);
  }
  return Object.fromEntries(entries);
}

/** Node lower-cases header names already; repeated values are joined as HTTP allows. */
export function flattenHeaders(headers: http.IncomingHttpHeaders): Headers {
  const entries: [string, string][] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    entries.push([name, Array.isArray(value) ? value.join(', ') : value]);
  }
  return Object.fromEntries(entries);
}

/** `closeConnection` (during shutdown) keeps a keep-alive socket from outliving the server. */
function writeUnary(res: ServerResponse, response: TransportResponse, closeConnection: boolean) {
  const headers = withoutFramingHeaders(response.headers);
  // Pieces already encoded (a list of cached objects) are copied, not encoded again.
  const pieces = response.bodyPieces?.();
  const body = pieces === undefined ? response.body : asBuffer(pieces);
  headers['content-length'] = String(
    typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length,
  );
  if (closeConnection) headers['connection'] = 'close';
  res.writeHead(response.status, headers);
  res.end(body);
}

/** One buffer over the pieces: a single piece is wrapped without a copy. */
function asBuffer(pieces: readonly Uint8Array[]): Buffer {
  const only = pieces.length === 1 ? pieces[0] : undefined;
  if (only === undefined) return Buffer.concat(pieces);
  return Buffer.from(only.buffer, only.byteOffset, only.byteLength);
}

/** The transport owns framing: a handler's own length or encoding headers would lie. */
function withoutFramingHeaders(headers: Headers): Headers {
  const entries = Object.entries(headers).filter(
    ([name]) => name !== 'content-length' && name !== 'transfer-encoding',
  );
  return Object.fromEntries(entries);
}

/** What kube-apiserver answers a request without valid credentials. */
const unauthorizedStatus: JsonObject = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

/** An upstream `Status` failure body, keys in upstream's order. */
function writeStatus(res: ServerResponse, status: JsonObject, closeConnection: boolean) {
  const body = JSON.stringify(status);
  const headers: Headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body, 'utf8')),
  };
  if (closeConnection) headers['connection'] = 'close';
  res.writeHead(status.code as number, headers);
  res.end(body);
}
