// `miniku apiserver`: the API server alone on 127.0.0.1 with an in-memory store, for kubectl.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { createApiServer } from '../control/apiserver/api-server.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { MemoryBackend } from '../control/store/memory-backend.js';
import { createVersionedStore } from '../control/store/versioned-store.js';
import { KubeClient } from '../control/client/client.js';
import { componentClientOptions } from '../control/controllers/client-defaults.js';
import { NamespaceController } from '../control/controllers/namespace/namespace-controller.js';
import { startHttpServer } from '../runtime/http-server.js';
import { HttpTransport } from '../runtime/http-transport.js';
import { WallClock } from '../runtime/wall-clock.js';
import { MinikuError } from './errors.js';
import { kubeconfigText } from './kubeconfig.js';

export interface ApiServerCommandOptions {
  port: string;
  dataDir: string;
  seed?: string;
}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    throw new MinikuError('E_BAD_FLAG', `Invalid value for --port: "${text}": expected 0-65535`);
  }
  return Number(text);
}

/**
 * The namespace controller empties and removes deleted namespaces; it talks to the server over
 * HTTP like any other component.
 */
function startNamespaceController(url: string, clock: WallClock, seed: string): { stop(): void } {
  const transport = new HttpTransport({ baseUrl: url });
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

/** Starts the server; resolves once it is listening and the kubeconfig is written. */
export async function startApiServerCommand(
  options: ApiServerCommandOptions,
): Promise<{ close(): Promise<void> }> {
  const port = parsePort(options.port);
  const seed = options.seed ?? randomBytes(8).toString('hex');
  const clock = new WallClock();
  const store = await createVersionedStore({ backend: new MemoryBackend() });
  const dataDir = resolve(options.dataDir);
  let server;
  const api = await createApiServer({
    store,
    clock,
    rng: createRng(seed, 'apiserver'),
  });
  try {
    server = await startHttpServer({ handler: api, host: '127.0.0.1', port });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'EADDRINUSE')
      throw new MinikuError(
        'E_PORT_IN_USE',
        `Cannot listen on 127.0.0.1:${port}: the port is in use`,
      );
    throw error;
  }
  api.advertise(`127.0.0.1:${server.port}`);
  const controllers = startNamespaceController(server.url, clock, seed);
  mkdirSync(dataDir, { recursive: true });
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigText(server.url), { mode: 0o600 });
  process.stdout.write(`miniku apiserver listening on ${server.url}\n`);
  process.stdout.write(`kubeconfig: ${kubeconfigPath}\n`);
  process.stdout.write(`try: kubectl --kubeconfig ${kubeconfigPath} get pods\n`);
  return {
    close: async () => {
      controllers.stop();
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
