// `miniku apiserver`: the API server alone on 127.0.0.1 with an in-memory store, for kubectl.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { ApiServer } from '../control/apiserver/api-server.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { MemoryBackend } from '../control/store/memory-backend.js';
import { createVersionedStore } from '../control/store/versioned-store.js';
import { startHttpServer } from '../runtime/http-server.js';
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
  const api = new ApiServer({
    store,
    clock,
    rng: createRng(seed, 'apiserver'),
    serverAddress: `127.0.0.1:${port}`,
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
  mkdirSync(dataDir, { recursive: true });
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  writeFileSync(kubeconfigPath, kubeconfigText(server.url), { mode: 0o600 });
  process.stdout.write(`miniku apiserver listening on ${server.url}\n`);
  process.stdout.write(`kubeconfig: ${kubeconfigPath}\n`);
  process.stdout.write(`try: kubectl --kubeconfig ${kubeconfigPath} get pods\n`);
  return server;
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
