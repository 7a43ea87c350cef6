// Test harness: the real ApiServer over a real store, called the way a transport calls it.
import {
  createApiServer,
  type ApiServer,
  type ApiServerOptions,
} from '../../src/control/apiserver/api-server.js';
import type {
  HandlerResult,
  ServerStreamWriter,
  TransportRequest,
} from '../../src/control/ports/transport.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import type { VersionedStore } from '../../src/control/store/types.js';
import type { Engine } from '../../src/sim/engine/engine.js';
import { epochMs, newTestEngine, newTestStore } from '../support/sim-base.js';

export { epochMs };

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export interface WatchTap {
  events: Array<{ type: string; object: any }>;
  ended: boolean;
  close(): void;
}

export interface Harness {
  engine: Engine;
  api: ApiServer;
  store: VersionedStore;
  call(
    method: string,
    path: string,
    options?: { query?: Record<string, string>; body?: unknown; contentType?: string },
  ): Promise<Reply>;
  watch(path: string, query?: Record<string, string>): Promise<WatchTap & { status: number }>;
}

export async function newHarness(
  options: { watchHistoryCountMax?: number; server?: Partial<ApiServerOptions> } = {},
): Promise<Harness> {
  const engine = newTestEngine();
  const store = await newTestStore(options.watchHistoryCountMax ?? 10_000);
  const api = await createApiServer({
    store,
    clock: engine.clock('apiserver'),
    rng: createRng(7, 'apiserver'),
    ...options.server,
  });
  const toRequest = (
    method: string,
    path: string,
    query: Record<string, string>,
    body: unknown,
    contentType = 'application/json',
  ): TransportRequest => ({
    method,
    path,
    query,
    headers: { 'content-type': contentType },
    body: body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const call: Harness['call'] = async (method, path, opts = {}) => {
    const request = toRequest(method, path, opts.query ?? {}, opts.body, opts.contentType);
    const result = await api.handle(request);
    if (result.kind !== 'unary') throw new Error(`expected a unary reply for ${method} ${path}`);
    const { status, headers, body } = result.response;
    let json: unknown;
    try {
      json = body === '' ? undefined : JSON.parse(body);
    } catch {
      json = undefined;
    }
    return { status, headers, text: body, json };
  };
  const watch: Harness['watch'] = async (path, query = {}) => {
    const result: HandlerResult = await api.handle(
      toRequest('GET', path, { watch: '1', ...query }, undefined),
    );
    if (result.kind !== 'stream') {
      return {
        status: result.response.status,
        events: [JSON.parse(result.response.body)],
        ended: true,
        close() {},
      };
    }
    const tap: WatchTap & { status: number } = {
      status: result.status,
      events: [],
      ended: false,
      close() {},
    };
    const writer: ServerStreamWriter = {
      write(chunk) {
        for (const line of chunk.split('\n')) if (line !== '') tap.events.push(JSON.parse(line));
      },
      end() {
        tap.ended = true;
      },
    };
    const disconnect = result.open(writer);
    tap.close = disconnect;
    return tap;
  };
  return { engine, api, store, call, watch };
}

export function podManifest(
  name: string,
  labels: Record<string, string> = { app: 'web' },
): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
  };
}

export const podsPath = '/api/v1/namespaces/default/pods';
