// A simulated world with the full admission chain, the system objects and a sim transport.

import type { AdmissionPlugin } from '../../src/control/apiserver/admission.js';
import type { AdmissionChainOptions } from '../../src/control/apiserver/admission-plugins.js';
import { defaultAdmissionChain } from '../../src/control/apiserver/admission-plugins.js';
import { ApiServer } from '../../src/control/apiserver/api-server.js';
import { bootstrapSystemObjects } from '../../src/control/apiserver/bootstrap.js';
import { KubeClient } from '../../src/control/client/client.js';
import type { Rng } from '../../src/control/ports/rng.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import type { VersionedStore } from '../../src/control/store/types.js';
import type { Engine, VirtualClock } from '../../src/sim/engine/engine.js';
import { SimTransport } from '../../src/sim/sim-transport.js';
import { runScript } from '../../src/sim/engine/run-script.js';
import { epochMs, newTestEngine, newTestStore } from '../support/sim-base.js';

export { epochMs };

export interface Reply {
  status: number;
  json: any;
}

export interface NamespaceWorld {
  engine: Engine;
  store: VersionedStore;
  server: ApiServer;
  handler: ApiServer;
  transport: SimTransport;
  rng: Rng;
  /** One request straight to the handler (outside the engine). */
  call(
    method: string,
    path: string,
    body?: unknown,
    query?: Record<string, string>,
  ): Promise<Reply>;
  newClient(name: string): { client: KubeClient; clock: VirtualClock };
  /** Runs `script` as an engine event, then the engine for `untilMs` of virtual time. */
  run<T>(script: () => Promise<T>, untilMs: number): Promise<T>;
}

/** A fresh server over `store` (a restart when the store is reused). */
export function newServer(
  engine: Engine,
  store: VersionedStore,
  rng: Rng,
  options: AdmissionChainOptions = {},
): { server: ApiServer; handler: ApiServer; admission: AdmissionPlugin[] } {
  const admission = defaultAdmissionChain({ store, options });
  const clock = engine.clock('apiserver');
  const server = new ApiServer({ store, clock, rng: rng.fork('apiserver'), admission });
  return { server, handler: server, admission };
}

export async function createNamespaceWorld(
  options: { seed?: number; admission?: AdmissionChainOptions; bootstrap?: boolean } = {},
): Promise<NamespaceWorld> {
  const engine = newTestEngine();
  const rng = createRng(options.seed ?? 1);
  const store = await newTestStore(10_000);
  const { server, handler } = newServer(engine, store, rng, options.admission);
  if (options.bootstrap !== false) await bootstrapSystemObjects({ handler });
  const transport = new SimTransport({ handler });
  const call: NamespaceWorld['call'] = async (method, path, body, query = {}) => {
    const result = await handler.handle({
      method,
      path,
      query,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? '' : JSON.stringify(body),
    });
    if (result.kind !== 'unary') throw new Error(`expected a unary reply for ${method} ${path}`);
    const text = result.response.body;
    return { status: result.response.status, json: text === '' ? undefined : JSON.parse(text) };
  };
  const newClient = (name: string) => {
    const clock = engine.clock(name);
    return { client: new KubeClient({ transport, clock, userAgent: name }), clock };
  };
  const run = <T>(script: () => Promise<T>, untilMs: number): Promise<T> =>
    runScript(engine, { endpoint: 'test', forMs: untilMs }, script);
  return { engine, store, server, handler, transport, rng, call, newClient, run };
}

export function pod(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...extra },
  };
}

export function namespace(name: string, metadata: Record<string, unknown> = {}) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, ...metadata } };
}

export function deployment(name: string): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  };
}

export function service(name: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name },
    spec: { selector: { app: name }, ports: [{ port: 80 }] },
  };
}

export function priorityClass(name: string, value: number, extra: Record<string, unknown> = {}) {
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
    ...extra,
  };
}
