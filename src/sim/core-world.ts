// A simulated world of the control-plane core: engine, store, API server, the simulated network
// and sim transports, with clients that each get their own virtual clock and network endpoint.
// Later worlds add the components.
import { ApiServer, createApiServer } from '../control/apiserver/api-server.js';
import type { ApiResultObserver } from '../control/apiserver/api-server.js';
import type { RequestHandler } from '../control/ports/transport.js';
import { defaultAdmissionChain } from '../control/apiserver/admission-plugins.js';
import type { AdmissionChainOptions } from '../control/apiserver/admission-plugins.js';
import { KubeClient } from '../control/client/client.js';
import type { KubeClientOptions } from '../control/client/client.js';
import type { Rng } from '../control/ports/rng.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { MemoryBackend } from '../control/store/memory-backend.js';
import type { VersionedStore } from '../control/store/types.js';
import { createVersionedStore } from '../control/store/versioned-store.js';
import { Engine } from './engine/engine.js';
import type { VirtualClock } from './engine/engine.js';
import { SimNetwork, SimTransport } from './sim-transport.js';
import type { SimNetworkOptions } from './sim-transport.js';

export interface CoreWorldOptions {
  seed: string | number;
  /** kube-apiserver admission settings (e.g. the default toleration seconds). */
  admission?: AdmissionChainOptions;
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
  /**
   * Sees every API server's results before the observer of `setApiServerObserver` (the
   * simulator's `full` trace of requests and watch events); default none.
   */
  apiTap?: ApiResultObserver;
  /** Default latency, request timeout and bounds of the world's network. */
  network?: Omit<SimNetworkOptions, 'scheduler' | 'rng'>;
}

/** A client's KubeClient options, plus where it sits on the network. */
export interface NewClientOptions extends Partial<KubeClientOptions> {
  /** Its network endpoint, e.g. `scheduler`, `node/worker-1`. Default `client/<name>`. */
  endpoint?: string;
  /** How long its requests wait for a response, ms. Default: the network's. */
  requestTimeoutMs?: number;
}

export interface CoreWorld {
  engine: Engine;
  store: VersionedStore;
  /** The instance serving now (`replaceApiServer` swaps it). */
  readonly apiServer: ApiServer;
  /** The serving instance's clock (endpoint `apiserver`; each restart makes a new one). */
  readonly apiServerClock: VirtualClock;
  /**
   * A restarted API server: the serving instance stops its timers and every later request is
   * served by a new instance over the same store (open watches are the caller's to break).
   */
  replaceApiServer(): void;
  /**
   * Every API server instance, serving now or later, hands each request's result to `observer`
   * (undefined: to nobody) before the transport sees it: the simulator's invariant checks.
   */
  setApiServerObserver(observer: ApiResultObserver | undefined): void;
  /** Latency, loss, partitions and holds between endpoints; the API server is `apiserver`. */
  network: SimNetwork;
  /** The API server as reached from `client/default`; `transport.from(endpoint)` for others. */
  transport: SimTransport;
  rng: Rng;
  /**
   * A client with its own clock (engine endpoint `client/<name>`), Rng stream and transport
   * from its network endpoint (`options.endpoint`, default `client/<name>`), unless
   * `options.transport` is given.
   */
  newClient(
    name: string,
    options?: NewClientOptions,
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
  const observing: { observer: ApiResultObserver | undefined } = { observer: undefined };
  const tap = options.apiTap;
  const observer: ApiResultObserver = (request, result) => {
    const tapped = tap === undefined ? result : tap(request, result);
    return observing.observer === undefined ? tapped : observing.observer(request, tapped);
  };
  const serverOptions = (incarnation: number, clock: VirtualClock) => ({
    store,
    clock,
    rng: incarnation === 0 ? rng.fork('apiserver') : rng.fork('apiserver').fork(`${incarnation}`),
    admission: defaultAdmissionChain({ store, options: options.admission ?? {} }),
    observer,
  });
  const firstClock = engine.clock('apiserver');
  const serving = {
    apiServer: await createApiServer(serverOptions(0, firstClock)),
    clock: firstClock,
    incarnation: 0,
  };
  const handler: RequestHandler = { handle: (request) => serving.apiServer.handle(request) };
  const network = new SimNetwork({
    ...options.network,
    scheduler: engine,
    rng: rng.fork('network'),
  });
  const transport = new SimTransport({ handler, network });
  const newClient: CoreWorld['newClient'] = (name, clientOptions = {}) => {
    const { endpoint = `client/${name}`, requestTimeoutMs, ...kubeOptions } = clientOptions;
    const clock = engine.clock(`client/${name}`);
    const timeout = requestTimeoutMs === undefined ? {} : { requestTimeoutMs };
    const client = new KubeClient({
      transport: transport.from(endpoint, timeout),
      clock,
      userAgent: name,
      ...kubeOptions,
    });
    return { client, clock, rng: rng.fork('client').fork(name) };
  };
  const replaceApiServer = () => {
    serving.apiServer.stop();
    serving.incarnation += 1;
    serving.clock = engine.clock('apiserver');
    serving.apiServer = new ApiServer(serverOptions(serving.incarnation, serving.clock));
  };
  return {
    engine,
    store,
    get apiServer() {
      return serving.apiServer;
    },
    get apiServerClock() {
      return serving.clock;
    },
    replaceApiServer,
    setApiServerObserver: (observer) => {
      observing.observer = observer;
    },
    network,
    transport,
    rng,
    newClient,
  };
}
