// A simulated world of the control-plane core: engine, store, API server and sim transport,
// with clients that each get their own virtual clock. Later worlds add the components.
import { createApiServer, type ApiServer } from '../control/apiserver/api-server.js';
import { KubeClient } from '../control/client/client.js';
import type { KubeClientOptions } from '../control/client/client.js';
import type { Rng } from '../control/ports/rng.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { MemoryBackend } from '../control/store/memory-backend.js';
import type { VersionedStore } from '../control/store/types.js';
import { createVersionedStore } from '../control/store/versioned-store.js';
import { Engine } from './engine/engine.js';
import type { VirtualClock } from './engine/engine.js';
import { SimTransport } from './sim-transport.js';

export interface CoreWorldOptions {
  seed: string | number;
  /** Virtual epoch in ms since the Unix epoch. */
  startMs: number;
  /** Host macrotask boundary injected by the composition root (src/cli or a test). */
  drain: () => Promise<void>;
  /** Default 10,000. */
  watchHistoryCountMax?: number;
  /** Default 10,000,000. */
  eventCountMax?: number;
  /** Default 100,000. */
  drainRoundsMax?: number;
}

export interface CoreWorld {
  engine: Engine;
  store: VersionedStore;
  apiServer: ApiServer;
  transport: SimTransport;
  rng: Rng;
  /** A client at endpoint `client/<name>` with its own clock and Rng stream. */
  newClient(
    name: string,
    options?: Partial<KubeClientOptions>,
  ): { client: KubeClient; clock: VirtualClock; rng: Rng };
}

export async function createCoreWorld(options: CoreWorldOptions): Promise<CoreWorld> {
  const engine = new Engine({
    startMs: options.startMs,
    drain: options.drain,
    eventCountMax: options.eventCountMax ?? 10_000_000,
    drainRoundsMax: options.drainRoundsMax ?? 100_000,
  });
  const rng = createRng(options.seed);
  const store = await createVersionedStore({
    backend: new MemoryBackend(),
    watchHistoryCountMax: options.watchHistoryCountMax ?? 10_000,
  });
  const apiServer = await createApiServer({
    store,
    clock: engine.clock('apiserver'),
    rng: rng.fork('apiserver'),
  });
  const transport = new SimTransport({ handler: apiServer });
  const newClient: CoreWorld['newClient'] = (name, clientOptions = {}) => {
    const endpoint = `client/${name}`;
    const clock = engine.clock(endpoint);
    const client = new KubeClient({ transport, clock, userAgent: name, ...clientOptions });
    return { client, clock, rng: rng.fork('client').fork(name) };
  };
  return { engine, store, apiServer, transport, rng, newClient };
}
