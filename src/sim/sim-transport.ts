// Sim transport: carries requests and streams to an in-process RequestHandler, without I/O.
//
// Today delivery has no latency: a request reaches the handler one microtask after the caller's
// synchronous code, and stream chunks reach the sink synchronously (the watch hot path). Every
// crossing from client to server goes through `dispatch`, and every crossing back through
// `SimStream.enqueue`, so latency, loss and partitions can later be added there by routing
// through the engine. Bodies are strings and header/query records are copied at each crossing,
// so a client and the server never share a mutable object.

import type {
  HandlerResult,
  Headers,
  RequestHandler,
  ServerStreamWriter,
  StreamHandle,
  StreamSink,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../control/ports/transport.js';
import { assert, assertNever } from '../control/util/assert.js';
import { internalError, statusObject } from '../control/apiserver/status.js';

export interface SimTransportOptions {
  /** The server side: the API server's handler or a kubelet's small server. */
  handler: RequestHandler;
  /**
   * Name of the server endpoint this transport reaches, e.g. `apiserver`. The engine will key
   * deliveries, latency and partitions by it. Default `apiserver`.
   */
  endpoint?: string;
}

export class SimTransport implements Transport {
  readonly endpoint: string;
  private readonly handler: RequestHandler;

  constructor(options: SimTransportOptions) {
    this.handler = options.handler;
    this.endpoint = options.endpoint ?? 'apiserver';
    assert(this.endpoint !== '', 'SimTransport endpoint must not be empty');
  }

  /** A stream result is read to its end, as an HTTP client reads a whole chunked body. */
  async request(request: TransportRequest): Promise<TransportResponse> {
    const result = await this.dispatch(request);
    switch (result.kind) {
      case 'unary':
        return copyResponse(result.response);
      case 'stream':
        return readWholeStream(result);
      default:
        return assertNever(result, 'unknown handler result');
    }
  }

  /** Sink calls never happen inside stream() itself: the response arrives a microtask later. */
  stream(request: TransportRequest, sink: StreamSink): StreamHandle {
    const stream = new SimStream(sink);
    void this.dispatch(request).then((result) => stream.start(result));
    return { close: () => stream.closeFromClient() };
  }

  /**
   * The one place a request crosses to the server. It runs after the caller's synchronous code,
   * so the server never sees a request before `request()`/`stream()` has returned. A handler that
   * throws gets a 500 InternalError Status, as over HTTP, so clients behave the same in both
   * worlds.
   */
  private async dispatch(request: TransportRequest): Promise<HandlerResult> {
    const copy = copyRequest(request);
    await Promise.resolve();
    try {
      return await this.handler.handle(copy);
    } catch (error) {
      return { kind: 'unary', response: internalErrorResponse(error) };
    }
  }
}

type Outgoing = { kind: 'chunk'; chunk: string } | { kind: 'end' };

/**
 * One client stream. Server writes are delivered synchronously, but through an outbox: a write
 * made while the sink is still inside onChunk (a re-entrant write, e.g. a sink whose handler makes
 * the server write again) is queued and delivered right after the current onChunk returns, still
 * before the outermost write() returns. So the sink sees chunks one at a time, in write order.
 */
class SimStream {
  private state: 'waiting' | 'open' | 'closed' = 'waiting';
  private disconnect: (() => void) | undefined;
  private disconnectRequested = false;
  private serverEnded = false;
  private delivering = false;
  private readonly outbox: Outgoing[] = [];

  constructor(private readonly sink: StreamSink) {}

  start(result: HandlerResult): void {
    if (this.state === 'closed') return; // the client closed before the response arrived
    this.state = 'open';
    switch (result.kind) {
      case 'unary':
        return this.startUnary(result.response);
      case 'stream':
        return this.startStream(result.status, result.headers, result.open);
      default:
        return assertNever(result, 'unknown handler result');
    }
  }

  closeFromClient(): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.outbox.length = 0;
    // A server that already ended is not told of a disconnect, as over HTTP.
    if (!this.serverEnded) {
      if (this.disconnect !== undefined) this.disconnect();
      else if (wasOpen) this.disconnectRequested = true; // open() is still running
    }
    this.sink.onClose();
  }

  private startUnary(response: TransportResponse): void {
    this.serverEnded = true;
    this.sink.onResponse(response.status, { ...response.headers });
    if (response.body !== '') this.enqueue({ kind: 'chunk', chunk: response.body });
    this.enqueue({ kind: 'end' });
  }

  private startStream(
    status: number,
    headers: Headers,
    open: (writer: ServerStreamWriter) => () => void,
  ): void {
    this.sink.onResponse(status, { ...headers });
    if (this.state !== 'open') return; // the sink closed the stream in onResponse
    const disconnect = open(this.writer());
    if (this.disconnectRequested) disconnect();
    else this.disconnect = disconnect;
  }

  private writer(): ServerStreamWriter {
    return {
      write: (chunk) => {
        if (this.serverEnded || this.state !== 'open' || chunk === '') return;
        this.enqueue({ kind: 'chunk', chunk });
      },
      end: () => {
        if (this.serverEnded) return;
        this.serverEnded = true;
        if (this.state === 'open') this.enqueue({ kind: 'end' });
      },
    };
  }

  /** The one place a chunk crosses back to the client; see the class comment on ordering. */
  private enqueue(item: Outgoing): void {
    if (this.state !== 'open') return;
    this.outbox.push(item);
    if (this.delivering) return;
    this.delivering = true;
    try {
      this.drain();
    } finally {
      this.delivering = false;
    }
  }

  private drain(): void {
    for (let item = this.outbox.shift(); item !== undefined; item = this.outbox.shift()) {
      if (this.state !== 'open') return;
      if (item.kind === 'chunk') {
        this.sink.onChunk(item.chunk);
      } else {
        this.state = 'closed';
        this.sink.onClose();
      }
    }
  }
}

function readWholeStream(result: Extract<HandlerResult, { kind: 'stream' }>) {
  return new Promise<TransportResponse>((resolve) => {
    const chunks: string[] = [];
    let ended = false;
    result.open({
      write: (chunk) => {
        if (!ended) chunks.push(chunk);
      },
      end: () => {
        if (ended) return;
        ended = true;
        resolve({ status: result.status, headers: { ...result.headers }, body: chunks.join('') });
      },
    });
  });
}

function copyRequest(request: TransportRequest): TransportRequest {
  return {
    method: request.method,
    path: request.path,
    query: { ...request.query },
    headers: { ...request.headers },
    body: request.body,
  };
}

function copyResponse(response: TransportResponse): TransportResponse {
  return { status: response.status, headers: { ...response.headers }, body: response.body };
}

/** Upstream's NewInternalError Status, the same body the HTTP server sends. */
function internalErrorResponse(error: unknown): TransportResponse {
  const cause = error instanceof Error ? error.message : String(error);
  const body = JSON.stringify(statusObject(internalError(cause)));
  return { status: 500, headers: { 'content-type': 'application/json' }, body };
}
