// A small simulated world for client tests: engine, store, real API server, sim transport.

import { ApiServer } from '../../src/control/apiserver/api-server.js';
import { defaultAdmissionPlugins } from '../../src/control/apiserver/admission-plugins.js';
import type { KubeClientOptions } from '../../src/control/client/client.js';
import { KubeClient } from '../../src/control/client/client.js';
import type { Rng } from '../../src/control/ports/rng.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import type { VersionedStore } from '../../src/control/store/types.js';
import type { Engine, VirtualClock } from '../../src/sim/engine/engine.js';
import { SimTransport } from '../../src/sim/sim-transport.js';
import { epochMs, newTestEngine, newTestStore } from '../support/sim-base.js';

export { epochMs };

export interface SimWorld {
  engine: Engine;
  store: VersionedStore;
  server: ApiServer;
  transport: SimTransport;
  rng: Rng;
  /** A client with its own clock (endpoint `name`). */
  newClient(
    name: string,
    options?: Partial<KubeClientOptions>,
  ): { client: KubeClient; clock: VirtualClock };
  /**
   * Runs `script` as an engine event at the current time, then the engine until `untilMs`
   * (virtual, relative to now); fails when the script has not finished by then.
   */
  run<T>(script: () => Promise<T>, untilMs: number): Promise<T>;
}

export async function createSimWorld(
  options: { seed?: number; watchHistoryCountMax?: number; bookmarkIntervalMs?: number } = {},
): Promise<SimWorld> {
  const engine = newTestEngine();
  const rng = createRng(options.seed ?? 1);
  const store = await newTestStore(options.watchHistoryCountMax ?? 10_000);
  // Client tests need no namespaces: only defaulting and validation admit, so resource
  // versions start at 1 and the tests can name them.
  const server = new ApiServer({
    admission: defaultAdmissionPlugins(),
    store,
    clock: engine.clock('apiserver'),
    rng: rng.fork('apiserver'),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
  });
  const transport = new SimTransport({ handler: server });
  const newClient = (name: string, clientOptions: Partial<KubeClientOptions> = {}) => {
    const clock = engine.clock(name);
    return {
      client: new KubeClient({ transport, clock, userAgent: name, ...clientOptions }),
      clock,
    };
  };
  const run = async <T>(script: () => Promise<T>, untilMs: number): Promise<T> => {
    const box: { result?: { value: T } } = {};
    engine.schedule({
      atMs: engine.nowMs(),
      phase: 'timer',
      endpoint: 'test',
      run: async () => {
        box.result = { value: await script() };
      },
    });
    await engine.runUntil(engine.nowMs() + untilMs);
    if (box.result === undefined) {
      throw new Error(`the test script did not finish within ${untilMs} ms`);
    }
    return box.result.value;
  };
  return { engine, store, server, transport, rng, newClient, run };
}
