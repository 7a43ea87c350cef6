// `miniku apiserver`: the API server alone on 127.0.0.1 with an in-memory store, for kubectl.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { createApiServer, type ApiServer } from '../control/apiserver/api-server.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { MemoryBackend } from '../control/store/memory-backend.js';
import { createVersionedStore } from '../control/store/versioned-store.js';
import { KubeClient } from '../control/client/client.js';
import { componentClientOptions } from '../control/controllers/client-defaults.js';
import { NamespaceController } from '../control/controllers/namespace/namespace-controller.js';
import { startHttpServer, type HttpServer } from '../runtime/http-server.js';
import { HttpTransport } from '../runtime/http-transport.js';
import { WallClock } from '../runtime/wall-clock.js';
import { MinikuError } from './errors.js';
import { kubeconfigText } from './kubeconfig.js';
import { KubeletConnector, readObject } from './real-kubelet-connector.js';
import type { ApiServerAccess, ApiServerAccessFlags } from './apiserver-access.js';
import { hostPort, hostUrl, resolveApiServerAccess } from './apiserver-access.js';

export interface ApiServerCommandOptions extends ApiServerAccessFlags {
  port: string;
  dataDir: string;
  seed?: string;
}

export function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new MinikuError('E_BAD_FLAG', `Invalid value for --port: "${text}": expected 0-65535`);
  }
  return Number(text);
}

/**
 * The namespace controller empties and removes deleted namespaces; it talks to the server over
 * HTTP like any other component.
 */
function startNamespaceController(
  url: string,
  clock: WallClock,
  seed: string,
  bearerToken?: string,
): { stop(): void } {
  const transport = new HttpTransport({
    baseUrl: url,
    ...(bearerToken === undefined ? {} : { bearerToken }),
  });
  const client = new KubeClient({
    transport,
    clock,
    ...componentClientOptions('kube-controller-manager'),
    userAgent: 'namespace-controller',
  });
  const controller = new NamespaceController({
    client,
    clock,
    rng: createRng(seed, 'namespace-controller'),
  });
  controller.start();
  return {
    stop: () => {
      controller.stop();
      transport.close();
    },
  };
}

/** A listening API server over a fresh in-memory store, reaching kubelets through `connector`. */
export interface ApiServing {
  api: ApiServer;
  server: HttpServer;
  connector: KubeletConnector;
}

/** Store, API server (pods/log and pods/exec go to the nodes' kubelets) and HTTP on 127.0.0.1. */
export async function serveApiServer(
  port: number,
  seed: string,
  clock: WallClock,
  access: ApiServerAccess = { bindAddress: '127.0.0.1', clientHost: '127.0.0.1' },
): Promise<ApiServing> {
  const store = await createVersionedStore({ backend: new MemoryBackend() });
  const connector = new KubeletConnector({
    lookupNode: (name) => readObject(api, `/api/v1/nodes/${encodeURIComponent(name)}`),
  });
  const api: ApiServer = await createApiServer({
    store,
    clock,
    rng: createRng(seed, 'apiserver'),
    kubeletStreams: connector,
  });
  let server;
  try {
    const authenticate = access.authenticate;
    const host = access.bindAddress;
    server = await startHttpServer({
      handler: api,
      host,
      port,
      ...(authenticate === undefined ? {} : { authenticate }),
    });
  } catch (error) {
    api.stop();
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE')
      throw new MinikuError(
        'E_PORT_IN_USE',
        `Cannot listen on ${access.bindAddress}:${port}: the port is in use`,
      );
    throw error;
  }
  api.advertise(hostPort(access.clientHost, server.port));
  return { api, server, connector };
}

/** Writes `<dataDir>/kubeconfig` (mode 0600) for the server; returns its path. */
export function writeKubeconfig(dataDir: string, serverUrl: string, bearerToken?: string): string {
  mkdirSync(dataDir, { recursive: true });
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigText(serverUrl, bearerToken), { mode: 0o600 });
  return kubeconfigPath;
}

/** Starts the server; resolves once it is listening and the kubeconfig is written. */
export async function startApiServerCommand(
  options: ApiServerCommandOptions,
): Promise<{ close(): Promise<void> }> {
  const port = parsePort(options.port);
  const access = resolveApiServerAccess(options);
  const seed = options.seed ?? randomBytes(8).toString('hex');
  const clock = new WallClock();
  const dataDir = resolve(options.dataDir);
  const { api, server, connector } = await serveApiServer(port, seed, clock, access);
  const url = hostUrl(access.clientHost, server.port);
  const controllers = startNamespaceController(url, clock, seed, access.clientToken);
  const kubeconfigPath = writeKubeconfig(dataDir, url, access.clientToken);
  process.stdout.write(`miniku apiserver listening on ${server.url}\n`);
  process.stdout.write(`kubeconfig: ${kubeconfigPath}\n`);
  process.stdout.write(`try: kubectl --kubeconfig ${kubeconfigPath} get pods\n`);
  return {
    close: async () => {
      controllers.stop();
      connector.close();
      api.stop();
      await server.close();
    },
  };
}

/** Runs until SIGINT/SIGTERM, then shuts down gracefully. */
export async function runApiServerCommand(options: ApiServerCommandOptions): Promise<void> {
  const server = await startApiServerCommand(options);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
