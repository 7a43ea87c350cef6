// pods/exec over WebSocket for the HTTP server: takes node:http's `upgrade` events, refuses what
// it cannot serve with an upstream Status before upgrading, and otherwise accepts the upgrade
// (v5.channel.k8s.io or v4.channel.k8s.io), runs the exec through the same RequestHandler as
// every other request — API server → kubelet → runtime.exec, non-interactive — and sends stdout
// (channel 1), stderr (2) and the closing Status (3), then a normal close (1000).
//
// Refused before the upgrade: bad credentials (401), a path other than pods/exec, SPDY (kubectl
// before 1.30 — and kubectl 1.30+ falls back to SPDY after a refused WebSocket, so an exec it
// cannot run gets the same message either way), stdin (the runtime's exec takes no input), no
// command or no output stream, no common subprotocol, too many sessions. Errors after the upgrade
// (pod not on its node, container not running) arrive as the Status on channel 3, as upstream.

import http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ApiError } from '../control/apiserver/status.js';
import { badRequest, internalError, statusObject } from '../control/apiserver/status.js';
import type {
  HandlerResult,
  RequestHandler,
  TransportRequest,
} from '../control/ports/transport.js';
import type { JsonObject } from '../control/store/types.js';
import {
  channelError,
  channelFrame,
  execExitStatus,
  execOutputFrames,
  execRefusal,
  execSubprotocols,
  offeredSubprotocols,
  parseExecResult,
  parseExecTarget,
  selectSubprotocol,
  spdyUnsupportedMessage,
  type ExecTarget,
} from './websocket-exec-protocol.js';

/** Exec sessions open at once; more get 429 TooManyRequests. */
export const defaultExecSessionCountMax = 64;
/** Largest message a client may send (stdin is refused; resize messages are tiny), bytes. */
export const execIncomingMessageBytesMax = 64 * 1024;

export interface WebSocketExecGatewayOptions {
  /** The API server's handler: receives each exec as `POST …/exec` with `{"command": [...]}`. */
  handler: RequestHandler;
  /** As HttpServerOptions.authenticate; a refused upgrade gets 401. Default: all pass. */
  authenticate?: (authorization: string | undefined) => boolean;
  /** Told of every error the handler throws (its client got an InternalError Status). */
  onHandlerError?: (error: unknown) => void;
  /** Default defaultExecSessionCountMax. */
  sessionCountMax?: number;
}

interface ExecReply {
  frames: Buffer[];
  status: JsonObject;
}

export class WebSocketExecGateway {
  private readonly server: WebSocketServer;
  private readonly sessions = new Set<WebSocket>();
  private closed = false;

  constructor(private readonly options: WebSocketExecGatewayOptions) {
    this.server = new WebSocketServer({
      noServer: true,
      maxPayload: execIncomingMessageBytesMax,
      perMessageDeflate: false,
      handleProtocols: (offered) => selectSubprotocol(offered) ?? false,
    });
  }

  /** Serves one `upgrade` event of node:http; never throws. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    if (this.closed) {
      socket.destroy();
      return;
    }
    const decision = this.decide(req);
    if ('refusal' in decision) {
      writeRawStatus(socket, decision.refusal);
      return;
    }
    const path = (req.url ?? '/').split('?')[0] as string;
    this.server.handleUpgrade(req, socket, head, (ws) => {
      if (this.closed) {
        ws.terminate();
        return;
      }
      this.sessions.add(ws);
      ws.on('close', () => this.sessions.delete(ws));
      ws.on('error', () => ws.terminate());
      // Incoming messages (v5 stream closes, resizes) need no answer: there is no stdin.
      ws.on('message', () => undefined);
      void this.run(ws, path, decision.target);
    });
  }

  /** Cuts every open session; later upgrades are dropped. Idempotent. */
  close(): void {
    this.closed = true;
    for (const ws of [...this.sessions]) ws.terminate();
    this.sessions.clear();
    this.server.close();
  }

  private decide(req: IncomingMessage): { target: ExecTarget } | { refusal: JsonObject } {
    const authenticate = this.options.authenticate;
    if (authenticate !== undefined && !authenticate(req.headers.authorization)) {
      return { refusal: unauthorizedStatus };
    }
    const checked = this.check(req);
    if ('refusal' in checked) return { refusal: statusObject(checked.refusal) };
    return checked;
  }

  private check(req: IncomingMessage): { target: ExecTarget } | { refusal: ApiError } {
    const upgradeTo = (req.headers.upgrade ?? '').toLowerCase();
    const target = parseExecTarget(req.url ?? '/');
    if (target === undefined) {
      const message = `upgrading to "${upgradeTo}" is served for pods/exec only`;
      return { refusal: badRequest(message) };
    }
    const refusal = execRefusal(target);
    if (refusal !== undefined) return { refusal };
    if (upgradeTo !== 'websocket') return { refusal: badRequest(spdyUnsupportedMessage) };
    const offered = offeredSubprotocols(req.headers['sec-websocket-protocol']);
    if (selectSubprotocol(offered) === undefined) {
      const supported = `supports [${execSubprotocols.join(' ')}]`;
      const asked = offered.join(' ');
      const message = `requested protocol(s) are not supported: [${asked}]; ${supported}`;
      return { refusal: badRequest(message) };
    }
    if (this.sessions.size >= (this.options.sessionCountMax ?? defaultExecSessionCountMax)) {
      const message = 'too many exec sessions are open; try again later';
      return { refusal: { code: 429, reason: 'TooManyRequests', message } };
    }
    return { target };
  }

  private async run(ws: WebSocket, path: string, target: ExecTarget): Promise<void> {
    const request: TransportRequest = {
      method: 'POST',
      path,
      query: target.query,
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ command: target.command }),
    };
    let reply: ExecReply;
    try {
      reply = replyOf(await this.options.handler.handle(request), target);
    } catch (error) {
      this.options.onHandlerError?.(error);
      const cause = error instanceof Error ? error.message : String(error);
      reply = { frames: [], status: statusObject(internalError(cause)) };
    }
    if (ws.readyState !== WebSocket.OPEN) return; // the client left while the command ran
    for (const frame of reply.frames) ws.send(frame, { binary: true });
    const status = Buffer.from(JSON.stringify(reply.status), 'utf8');
    ws.send(channelFrame(channelError, status), { binary: true });
    ws.close(1000);
  }
}

/** The frames and closing Status for the handler's answer to an exec. */
function replyOf(result: HandlerResult, target: ExecTarget): ExecReply {
  if (result.kind === 'stream') {
    return { frames: [], status: statusObject(internalError('exec was answered with a stream')) };
  }
  const { status, body } = result.response;
  if (status === 200) {
    const exec = parseExecResult(body);
    if (exec === undefined) {
      return { frames: [], status: statusObject(internalError('exec answered no exit code')) };
    }
    const frames = execOutputFrames(exec, target.query);
    return { frames, status: execExitStatus(exec.exitCode, target.command) };
  }
  return { frames: [], status: failureStatusOf(status, body) };
}

/** An error answer's own Status when it has one, else an InternalError quoting it. */
function failureStatusOf(code: number, body: string): JsonObject {
  try {
    const parsed = JSON.parse(body) as JsonObject | null;
    if (parsed !== null && typeof parsed === 'object' && parsed.status === 'Failure') return parsed;
  } catch {
    // not JSON: quoted below
  }
  return statusObject(internalError(`exec failed with HTTP ${code}: ${body.slice(0, 200)}`));
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

/** An HTTP/1.1 error response written on a socket that was never upgraded; then closes it. */
export function writeRawStatus(socket: Duplex, status: JsonObject): void {
  const code = typeof status.code === 'number' ? status.code : 500;
  const body = JSON.stringify(status);
  const head = [
    `HTTP/1.1 ${code} ${http.STATUS_CODES[code] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body, 'utf8')}`,
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
