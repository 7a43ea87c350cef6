// The API server's way to its kubelets for pods/log and pods/exec: a kubelet of this process
// is called directly; any other is reached over HTTP at the address its Node reports
// (status.addresses InternalIP, status.daemonEndpoints.kubeletEndpoint.Port), on loopback only.

import type { KubeletStreamConnector } from '../control/apiserver/pod-streams.js';
import { errorResult } from '../control/apiserver/responses.js';
import { internalError } from '../control/apiserver/status.js';
import type {
  HandlerResult,
  RequestHandler,
  StreamHandle,
  TransportRequest,
} from '../control/ports/transport.js';
import type { JsonObject } from '../control/store/types.js';
import { HttpTransport } from '../runtime/http-transport.js';
import { execTimeoutMsMax } from '../runtime/kubelet-server.js';
import { isLoopbackHost, joinHostPort } from '../runtime/loopback-probes.js';

export interface KubeletConnectorOptions {
  /** The Node object by name, undefined when there is none. */
  lookupNode: (name: string) => Promise<JsonObject | undefined>;
  /** How long a proxied request may take (a followed log: until its head), ms. Default 30 s. */
  requestTimeoutMs?: number;
  /**
   * How long a proxied exec may take, ms: the kubelet bounds a command by execTimeoutMsMax, so the
   * default waits that long plus 30 s.
   */
  execTimeoutMs?: number;
}

type Target = { namespace: string; name: string; subresource: 'log' | 'exec' };

export class KubeletConnector implements KubeletStreamConnector {
  private readonly local = new Map<string, RequestHandler>();
  private readonly remote = new Map<string, HttpTransport>();
  private readonly options: KubeletConnectorOptions;

  constructor(options: KubeletConnectorOptions) {
    this.options = options;
  }

  /** A kubelet of this process: its requests skip HTTP. */
  addLocal(nodeName: string, handler: RequestHandler): void {
    this.local.set(nodeName, handler);
  }

  removeLocal(nodeName: string): void {
    this.local.delete(nodeName);
  }

  async forward(
    nodeName: string,
    target: Target,
    request: TransportRequest,
  ): Promise<HandlerResult> {
    const kubeletRequest = toKubeletRequest(target, request);
    const local = this.local.get(nodeName);
    if (local !== undefined) return local.handle(kubeletRequest);
    const address = await this.addressOf(nodeName);
    if (typeof address !== 'string') return errorResult(internalError(address.error));
    const transport = this.transportTo(address, target.subresource);
    try {
      if (kubeletRequest.query.follow === 'true')
        return await proxyStream(transport, kubeletRequest);
      const response = await transport.request(kubeletRequest);
      return { kind: 'unary', response };
    } catch (error) {
      const cause = error instanceof Error ? error.message : String(error);
      return errorResult(
        internalError(`the kubelet of node "${nodeName}" at ${address}: ${cause}`),
      );
    }
  }

  /** Closes the HTTP connections to remote kubelets. */
  close(): void {
    for (const transport of this.remote.values()) transport.close();
    this.remote.clear();
  }

  private async addressOf(nodeName: string): Promise<string | { error: string }> {
    const node = await this.options.lookupNode(nodeName);
    const status = (node?.status ?? {}) as {
      addresses?: Array<{ type?: unknown; address?: unknown }>;
      daemonEndpoints?: { kubeletEndpoint?: { Port?: unknown } };
    };
    const ip = status.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const port = status.daemonEndpoints?.kubeletEndpoint?.Port;
    if (typeof ip !== 'string' || typeof port !== 'number' || port <= 0) {
      return { error: `node "${nodeName}" reports no kubelet endpoint` };
    }
    if (!isLoopbackHost(ip)) {
      return { error: `node "${nodeName}" has its kubelet at ${ip}; miniku reaches loopback only` };
    }
    return joinHostPort(ip, port);
  }

  /** One keep-alive transport per address and subresource (an exec may run for minutes). */
  private transportTo(address: string, subresource: Target['subresource']): HttpTransport {
    const key = `${subresource} ${address}`;
    let transport = this.remote.get(key);
    if (transport === undefined) {
      const requestTimeoutMs =
        subresource === 'exec'
          ? (this.options.execTimeoutMs ?? execTimeoutMsMax + 30_000)
          : (this.options.requestTimeoutMs ?? 30_000);
      transport = new HttpTransport({ baseUrl: `http://${address}`, requestTimeoutMs });
      this.remote.set(key, transport);
    }
    return transport;
  }
}

/** `/api/v1/namespaces/ns/pods/p/log?container=c&…` → `/containerLogs/ns/p/c?…`. */
export function toKubeletRequest(target: Target, request: TransportRequest): TransportRequest {
  const { container = '', ...query } = request.query;
  const route = target.subresource === 'log' ? 'containerLogs' : 'exec';
  const segments = [route, target.namespace, target.name, container].map(encodeURIComponent);
  const headers: Record<string, string> = {};
  const contentType = request.headers['content-type'];
  if (contentType !== undefined) headers['content-type'] = contentType;
  return {
    method: request.method,
    path: `/${segments.join('/')}`,
    query,
    headers,
    body: request.body,
  };
}

/** A followed log from a remote kubelet: answered once its head arrived, then relayed. */
function proxyStream(transport: HttpTransport, request: TransportRequest): Promise<HandlerResult> {
  return new Promise((resolve, reject) => {
    const buffered: string[] = [];
    let writer: { write(chunk: string): void; end(): void } | undefined;
    let ended = false;
    let handle: StreamHandle | undefined = undefined;
    handle = transport.stream(request, {
      onResponse: (status, headers) =>
        resolve({
          kind: 'stream',
          status,
          headers: { 'content-type': headers['content-type'] ?? 'text/plain' },
          open: (out) => {
            writer = out;
            for (const chunk of buffered.splice(0)) out.write(chunk);
            if (ended) out.end();
            return () => handle?.close();
          },
        }),
      onChunk: (chunk) => (writer === undefined ? buffered.push(chunk) : writer.write(chunk)),
      onClose: (error) => {
        ended = true;
        if (writer !== undefined) writer.end();
        else if (error !== undefined) reject(error);
      },
    });
  });
}

/** GETs one object straight from a handler (the API server in this process); 404: undefined. */
export async function readObject(
  handler: RequestHandler,
  path: string,
): Promise<JsonObject | undefined> {
  const headers = { accept: 'application/json' };
  const result = await handler.handle({ method: 'GET', path, query: {}, headers, body: '' });
  if (result.kind !== 'unary' || result.response.status !== 200) return undefined;
  return JSON.parse(result.response.body) as JsonObject;
}
