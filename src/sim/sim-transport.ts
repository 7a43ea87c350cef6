// Sim transport: carries requests and streams from one client endpoint to an in-process
// RequestHandler (the API server's, or a kubelet's small server), without I/O.
//
// Without a network the link is perfect: a request reaches the handler one microtask after the
// caller's synchronous code, and stream chunks reach the sink synchronously inside the server's
// write (the watch hot path). With a SimNetwork (network/sim-network.ts) every message (request,
// response, stream headers, each chunk, stream end) crosses the link between the transport's
// `source` and `endpoint` under the network's rules: latency, loss, partitions, holds, as engine
// events; a clear link keeps the in-process fast path. Failures look as over HTTP: a request
// that gets no response within `requestTimeoutMs` rejects (the client's ClientTransportError);
// a stream whose message is dropped or whose link a partition cuts closes with an error.
// Bodies are strings and header/query records are copied at each crossing, so a client and the
// server never share a mutable object. A handler that throws gets a 500 InternalError Status.

import type {
  RequestHandler,
  StreamHandle,
  StreamSink,
  Transport,
  TransportRequest,
  TransportResponse,
} from '../control/ports/transport.js';
import { assert } from '../control/util/assert.js';
import { assertEndpointName } from './network/endpoint-pattern.js';
import type { SimNetwork } from './network/sim-network.js';
import { SimStream } from './network/sim-stream.js';
import type { TransportContext } from './network/transport-context.js';
import { copyRequest } from './network/transport-context.js';
import { UnaryCall } from './network/unary-call.js';

export { SimNetwork, defaultRequestTimeoutMs } from './network/sim-network.js';
export type { LinkSelector, NetworkStats, SimNetworkOptions } from './network/sim-network.js';
export type { LatencySpec } from './network/latency.js';
export type { EndpointSelector } from './network/endpoint-pattern.js';

/** The client endpoint of a transport that was given none. */
export const defaultSourceEndpoint = 'client/default';

export interface SimTransportOptions {
  /** The server side: the API server's handler or a kubelet's small server. */
  handler: RequestHandler;
  /** The server's endpoint, e.g. `apiserver`. Default `apiserver`. */
  endpoint?: string;
  /** The client's endpoint, e.g. `scheduler`, `node/worker-1`. Default `client/default`. */
  source?: string;
  /** The world's network. Absent: a perfect in-process link (no engine needed). */
  network?: SimNetwork;
  /** How long a request waits for its response, ms. Default: the network's requestTimeoutMs. */
  requestTimeoutMs?: number;
}

export class SimTransport implements Transport {
  /** The server's endpoint. */
  readonly endpoint: string;
  /** The client's endpoint. */
  readonly source: string;
  readonly network: SimNetwork | undefined;
  private readonly handler: RequestHandler;
  private readonly context: TransportContext;

  constructor(options: SimTransportOptions) {
    this.handler = options.handler;
    this.endpoint = options.endpoint ?? 'apiserver';
    this.source = options.source ?? defaultSourceEndpoint;
    this.network = options.network;
    assert(this.endpoint !== '', 'SimTransport endpoint must not be empty');
    assertEndpointName(this.endpoint);
    assertEndpointName(this.source);
    const network = options.network;
    const requestTimeoutMs = options.requestTimeoutMs ?? network?.requestTimeoutMs ?? 0;
    if (network !== undefined) {
      assert(
        Number.isSafeInteger(requestTimeoutMs) && requestTimeoutMs > 0,
        `requestTimeoutMs must be a positive integer, got ${requestTimeoutMs}`,
      );
    }
    this.context = {
      handler: options.handler,
      source: this.source,
      endpoint: this.endpoint,
      net:
        network === undefined
          ? undefined
          : {
              network,
              up: network.link(this.source, this.endpoint),
              down: network.link(this.endpoint, this.source),
              requestTimeoutMs,
            },
    };
  }

  /**
   * The same server and network seen from another client endpoint (e.g. `node/worker-1`);
   * `requestTimeoutMs` defaults to the network's, not this transport's.
   */
  from(source: string, options: { requestTimeoutMs?: number } = {}): SimTransport {
    return new SimTransport({
      handler: this.handler,
      endpoint: this.endpoint,
      source,
      ...(this.network === undefined ? {} : { network: this.network }),
      ...options,
    });
  }

  /** A stream result is read to its end, as an HTTP client reads a whole chunked body. */
  request(request: TransportRequest): Promise<TransportResponse> {
    const copy = copyRequest(request);
    return new Promise<TransportResponse>((resolve, reject) => {
      const call = new UnaryCall({ context: this.context, request: copy, resolve, reject });
      // The server never sees a request before request() has returned.
      queueMicrotask(() => call.start());
    });
  }

  /** Sink calls never happen inside stream() itself: the response arrives a microtask later. */
  stream(request: TransportRequest, sink: StreamSink): StreamHandle {
    const copy = copyRequest(request);
    const stream = new SimStream({ context: this.context, sink });
    queueMicrotask(() => stream.sendRequest(copy));
    return { close: () => stream.closeFromClient() };
  }
}
