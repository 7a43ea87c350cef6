// What one SimTransport's calls share: the server's handler, the two endpoints, and the network
// links between them (or none: a perfect in-process link), plus copying and serving helpers.

import type {
  HandlerResult,
  RequestHandler,
  TransportRequest,
  TransportResponse,
} from '../../control/ports/transport.js';
import { assertNever } from '../../control/util/assert.js';
import { internalError, statusObject } from '../../control/apiserver/status.js';
import type { Link, SendOutcome } from './link.js';
import type { SimNetwork } from './sim-network.js';

export interface TransportContext {
  handler: RequestHandler;
  /** The client's endpoint, e.g. `node/worker-1`. */
  source: string;
  /** The server's endpoint, e.g. `apiserver`. */
  endpoint: string;
  /** Absent: messages cross at once and are never lost (no engine involved). */
  net: NetworkPath | undefined;
}

export interface NetworkPath {
  network: SimNetwork;
  /** Client → server. */
  up: Link;
  /** Server → client. */
  down: Link;
  /** How long a client waits for a response (a stream: for its headers). */
  requestTimeoutMs: number;
}

/**
 * Sends a message from client to server. On a clear link (or without a network) `deliver` runs
 * at once and no message object is built: the in-process fast path stays allocation-light.
 */
export function sendUp(context: TransportContext, deliver: () => void): SendOutcome {
  const net = context.net;
  if (net === undefined || net.up.passesAtOnce()) {
    deliver();
    return 'delivered';
  }
  return net.up.send({ deliver });
}

/** Sends a message from server to client, with sendUp's fast path. */
export function sendDown(context: TransportContext, deliver: () => void): SendOutcome {
  const net = context.net;
  if (net === undefined || net.down.passesAtOnce()) {
    deliver();
    return 'delivered';
  }
  return net.down.send({ deliver });
}

/** Runs the handler; a throw or rejection becomes a 500 InternalError Status, as over HTTP. */
export async function handleSafely(
  handler: RequestHandler,
  request: TransportRequest,
): Promise<HandlerResult> {
  try {
    return await handler.handle(request);
  } catch (error) {
    return { kind: 'unary', response: internalErrorResponse(error) };
  }
}

/** The whole response of a handler; a stream is read to its end, as over HTTP. */
export async function serveWhole(
  handler: RequestHandler,
  request: TransportRequest,
): Promise<TransportResponse> {
  let result: HandlerResult;
  try {
    result = await handler.handle(request);
  } catch (error) {
    return internalErrorResponse(error);
  }
  switch (result.kind) {
    case 'unary':
      return result.response;
    case 'stream':
      return readWholeStream(result);
    default:
      return assertNever(result, 'unknown handler result');
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

export function copyRequest(request: TransportRequest): TransportRequest {
  return {
    method: request.method,
    path: request.path,
    query: { ...request.query },
    headers: { ...request.headers },
    body: request.body,
  };
}

export function copyResponse(response: TransportResponse): TransportResponse {
  return { status: response.status, headers: { ...response.headers }, body: response.body };
}

/** Upstream's NewInternalError Status, the same body the HTTP server sends. */
function internalErrorResponse(error: unknown): TransportResponse {
  const cause = error instanceof Error ? error.message : String(error);
  const body = JSON.stringify(statusObject(internalError(cause)));
  return { status: 500, headers: { 'content-type': 'application/json' }, body };
}

/** The error a client sees when no response arrived in time. */
export function timeoutError(context: TransportContext, timeoutMs: number): Error {
  return new Error(
    `request timed out: no response from ${context.endpoint} within ${timeoutMs} ms ` +
      `(client ${context.source})`,
  );
}
