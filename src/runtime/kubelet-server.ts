// The kubelet's own small server (upstream's :10250, read-only parts and exec), a transport-
// agnostic RequestHandler over one node's ContainerRuntime. The API server reaches it for
// pods/log and pods/exec: in-process in `miniku real`, over HTTP on 127.0.0.1 for a kubelet in
// its own process (startKubeletHttpServer).
//
// Routes (errors are Kubernetes `Status` bodies, so kubectl prints them as the API server's):
//   GET /healthz                                   → ok
//   GET /containerLogs/{namespace}/{pod}/{container}?follow&previous&tailLines&timestamps&
//       sinceSeconds&sinceTime&limitBytes          → text/plain (chunked while following)
//   POST|GET /exec/{namespace}/{pod}/{container}?command=…  → JSON {exitCode, stdout, stderr}
// An empty {container} means the pod's only container. exec is non-interactive: the command is
// a JSON body `{"command": [...]}` or one `command` query parameter (a repeated one keeps its
// first value on the transport). kubectl's WebSocket exec ends at the API server's HTTP server
// (websocket-exec.ts), which sends every argument here as the JSON body.

import type { Clock } from '../control/ports/clock.js';
import {
  RuntimeError,
  runtimeLabels,
  type ContainerRuntime,
  type ContainerStatus,
} from '../control/ports/container-runtime.js';
import type {
  HandlerResult,
  RequestHandler,
  ServerStreamWriter,
  TransportRequest,
} from '../control/ports/transport.js';
import { errorResult, objectResult } from '../control/apiserver/responses.js';
import type { ApiError } from '../control/apiserver/status.js';
import { badRequest, internalError, methodNotAllowed } from '../control/apiserver/status.js';
import { startHttpServer, type HttpServer } from './http-server.js';

/** How often a followed log is re-read, ms. */
export const defaultFollowPollMs = 200;
/** Longest exec the server runs, ms. */
export const execTimeoutMsMax = 10 * 60_000;

export interface KubeletServerOptions {
  runtime: ContainerRuntime;
  nodeName: string;
  clock: Clock;
  /** Default defaultFollowPollMs. */
  followPollMs?: number;
}

interface ContainerTarget {
  namespace: string;
  pod: string;
  container: string;
}

interface LogQuery {
  follow: boolean;
  timestamps: boolean;
  tailLines: number;
  /** Earliest line time kept, ms; 0 for all. */
  sinceMs: number;
  /** 0 for no limit. */
  limitBytes: number;
}

export class KubeletServer implements RequestHandler {
  private readonly runtime: ContainerRuntime;
  private readonly nodeName: string;
  private readonly clock: Clock;
  private readonly followPollMs: number;

  constructor(options: KubeletServerOptions) {
    this.runtime = options.runtime;
    this.nodeName = options.nodeName;
    this.clock = options.clock;
    this.followPollMs = options.followPollMs ?? defaultFollowPollMs;
  }

  async handle(request: TransportRequest): Promise<HandlerResult> {
    try {
      return await this.dispatch(request);
    } catch (error) {
      if (error instanceof RequestError) return errorResult(error.apiError);
      const message = error instanceof Error ? error.message : String(error);
      return errorResult(internalError(message));
    }
  }

  private async dispatch(request: TransportRequest): Promise<HandlerResult> {
    let parts: string[];
    try {
      parts = request.path.split('/').slice(1).map(decodeURIComponent);
    } catch {
      return errorResult(badRequest(`malformed path "${request.path}"`));
    }
    const [route, namespace = '', pod = '', container = '', ...rest] = parts;
    if (route === 'healthz' && parts.length === 1) return textResult(200, 'ok');
    if ((route !== 'containerLogs' && route !== 'exec') || rest.length > 0 || pod === '') {
      return errorResult({ code: 404, reason: 'NotFound', message: `404 page not found` });
    }
    const target = { namespace, pod, container };
    if (route === 'containerLogs') {
      if (request.method !== 'GET') return errorResult(methodNotAllowed());
      return this.logs(target, parseLogQuery(request.query, this.clock.nowMs()), request.query);
    }
    if (request.method !== 'GET' && request.method !== 'POST') {
      return errorResult(methodNotAllowed());
    }
    return this.exec(target, request);
  }

  private async logs(
    target: ContainerTarget,
    query: LogQuery,
    raw: Record<string, string>,
  ): Promise<HandlerResult> {
    const containers = await this.containersOf(target);
    const previous = raw.previous === 'true';
    const chosen = previous ? containers[1] : containers[0];
    if (chosen === undefined) {
      const which = previous ? 'previous terminated container' : 'container';
      const message = `${which} "${containers.name}" in pod "${target.pod}" not found`;
      throw new RequestError(badRequest(message));
    }
    const lines = await this.runtime.logs(chosen.id, { tailLines: 0, timestamps: true });
    const first = selectLines(lines, query);
    if (!query.follow || previous || chosen.state === 'exited') {
      return textResult(200, limitText(first.text, query.limitBytes));
    }
    return {
      kind: 'stream',
      status: 200,
      headers: { 'content-type': 'text/plain' },
      open: (writer) => this.follow(chosen.id, lines.length, first.text, query, writer),
    };
  }

  /** Sends `initial`, then new lines as they arrive until the container ends. */
  private follow(
    containerId: string,
    seenCount: number,
    initial: string,
    query: LogQuery,
    writer: ServerStreamWriter,
  ): () => void {
    let sentBytes = 0;
    let stopped = false;
    let timer: { cancel(): void } | undefined;
    const send = (text: string): boolean => {
      const cut = limitText(text, query.limitBytes === 0 ? 0 : query.limitBytes - sentBytes);
      sentBytes += Buffer.byteLength(cut);
      writer.write(cut);
      return query.limitBytes === 0 || sentBytes < query.limitBytes;
    };
    const finish = () => {
      stopped = true;
      writer.end();
    };
    const poll = async () => {
      if (stopped) return;
      const status = await this.runtime.containerStatus(containerId).catch(() => undefined);
      const lines = await this.runtime
        .logs(containerId, { tailLines: 0, timestamps: true })
        .catch(() => []);
      if (stopped) return;
      const fresh = selectLines(lines.slice(seenCount), { ...query, tailLines: 0 });
      seenCount = Math.max(seenCount, lines.length);
      if (!send(fresh.text) || status === undefined || status.state === 'exited') finish();
      else timer = this.clock.setTimer(this.followPollMs, () => void poll());
    };
    if (send(initial)) timer = this.clock.setTimer(this.followPollMs, () => void poll());
    else finish();
    return () => {
      stopped = true;
      timer?.cancel();
    };
  }

  private async exec(target: ContainerTarget, request: TransportRequest): Promise<HandlerResult> {
    const command = execCommand(request);
    const timeoutSeconds = Number(request.query.timeoutSeconds ?? '0');
    const timeoutMs =
      Number.isSafeInteger(timeoutSeconds) && timeoutSeconds > 0
        ? Math.min(timeoutSeconds * 1000, execTimeoutMsMax)
        : execTimeoutMsMax;
    const [latest] = await this.containersOf(target);
    if (latest === undefined || latest.state !== 'running') {
      const message = `container "${target.container}" in pod "${target.pod}" is not running`;
      throw new RequestError(badRequest(message));
    }
    try {
      const result = await this.runtime.exec(latest.id, command, timeoutMs);
      return objectResult(200, { ...result });
    } catch (error) {
      if (!(error instanceof RuntimeError)) throw error;
      throw new RequestError(badRequest(error.message));
    }
  }

  /**
   * The pod's containers of the target's name (its only one when the name is empty), newest
   * attempt first; `name` carries the resolved name. A pod this node does not run is 404.
   */
  private async containersOf(
    target: ContainerTarget,
  ): Promise<ContainerStatus[] & { name: string }> {
    const all = await this.runtime.listContainers({
      labels: {
        [runtimeLabels.podNamespace]: target.namespace,
        [runtimeLabels.podName]: target.pod,
      },
    });
    if (all.length === 0) {
      const sandboxes = await this.runtime.listPodSandboxes();
      const known = sandboxes.some(
        (s) => s.config.namespace === target.namespace && s.config.name === target.pod,
      );
      if (!known) {
        const message = `pod "${target.pod}" in namespace "${target.namespace}" is not running on node "${this.nodeName}"`;
        throw new RequestError({ code: 404, reason: 'NotFound', message });
      }
    }
    const name = target.container === '' ? onlyName(all, target.pod) : target.container;
    const mine = all
      .filter((c) => c.config.name === name)
      .sort((a, b) => attemptOf(b) - attemptOf(a) || b.createdAtMs - a.createdAtMs);
    if (mine.length === 0) {
      const message = `container "${name}" in pod "${target.pod}" is waiting to start: ContainerCreating`;
      throw new RequestError(badRequest(message));
    }
    return Object.assign(mine, { name });
  }
}

/** A kubelet server on 127.0.0.1 (port 0 picks one): what a separate `miniku kubelet` runs. */
export function startKubeletHttpServer(
  options: KubeletServerOptions & { port: number },
): Promise<HttpServer> {
  const handler = new KubeletServer(options);
  return startHttpServer({ handler, host: '127.0.0.1', port: options.port });
}

class RequestError extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

function textResult(status: number, body: string): HandlerResult {
  return { kind: 'unary', response: { status, headers: { 'content-type': 'text/plain' }, body } };
}

function attemptOf(status: ContainerStatus): number {
  const value = Number(status.config.labels[runtimeLabels.attempt] ?? status.config.attempt);
  return Number.isSafeInteger(value) ? value : 0;
}

function onlyName(containers: readonly ContainerStatus[], pod: string): string {
  const names = [...new Set(containers.map((c) => c.config.name))].sort();
  if (names.length === 1) return names[0] as string;
  const message = `a container name must be specified for pod ${pod}, choose one of: [${names.join(' ')}]`;
  throw new RequestError(badRequest(message));
}

function flag(query: Record<string, string>, name: string): boolean {
  return query[name] === 'true' || query[name] === '1';
}

function count(query: Record<string, string>, name: string): number {
  const text = query[name];
  if (text === undefined || text === '') return 0;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RequestError(badRequest(`${name}: invalid value "${text}"`));
  }
  return value;
}

function parseLogQuery(query: Record<string, string>, nowMs: number): LogQuery {
  const sinceSeconds = count(query, 'sinceSeconds');
  let sinceMs = sinceSeconds > 0 ? nowMs - sinceSeconds * 1000 : 0;
  if (query.sinceTime !== undefined && query.sinceTime !== '') {
    const parsed = Date.parse(query.sinceTime);
    if (Number.isNaN(parsed)) {
      throw new RequestError(badRequest(`sinceTime: invalid value "${query.sinceTime}"`));
    }
    sinceMs = parsed;
  }
  return {
    follow: flag(query, 'follow'),
    timestamps: flag(query, 'timestamps'),
    tailLines: count(query, 'tailLines'),
    sinceMs,
    limitBytes: count(query, 'limitBytes'),
  };
}

/** Lines (each `<time> <text>`) after `since` and tail, as text, stamped only if asked. */
function selectLines(stamped: readonly string[], query: LogQuery): { text: string } {
  let kept = stamped.filter((line) => {
    if (query.sinceMs === 0) return true;
    const at = Date.parse(line.slice(0, line.indexOf(' ')));
    return Number.isNaN(at) || at >= query.sinceMs;
  });
  if (query.tailLines > 0) kept = kept.slice(-query.tailLines);
  const lines = query.timestamps ? kept : kept.map((line) => line.slice(line.indexOf(' ') + 1));
  return { text: lines.map((line) => `${line}\n`).join('') };
}

/** The first `limitBytes` bytes of `text` (0: all), never splitting a character. */
function limitText(text: string, limitBytes: number): string {
  if (limitBytes <= 0 || Buffer.byteLength(text) <= limitBytes) return text;
  return Buffer.from(text)
    .subarray(0, limitBytes)
    .toString()
    .replace(/\uFFFD$/, '');
}

function execCommand(request: TransportRequest): string[] {
  if (request.body.trim() !== '') {
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      throw new RequestError(badRequest('exec: the body is not JSON'));
    }
    const command = (body as { command?: unknown }).command;
    if (Array.isArray(command) && command.length > 0 && command.every(isString)) return command;
    throw new RequestError(badRequest('exec: body.command must be a non-empty string array'));
  }
  const one = request.query.command;
  if (one === undefined || one === '') {
    throw new RequestError(badRequest('you must specify at least 1 command'));
  }
  return [one];
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
