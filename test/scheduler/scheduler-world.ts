// A simulated world for scheduler tests: engine, real API server (with `default`), a scheduler.
import { createApiServer } from '../../src/control/apiserver/api-server.js';
import { KubeClient } from '../../src/control/client/client.js';
import { coreResources } from '../../src/control/client/resource-client.js';
import type { KubeObject } from '../../src/control/client/types.js';
import type { Recorder, TraceRecord } from '../../src/control/ports/recorder.js';
import { createRng } from '../../src/control/rng/seeded-rng.js';
import type { PluginRegistry } from '../../src/control/scheduler/framework/registry.js';
import type { SchedulerConfigInput } from '../../src/control/scheduler/config.js';
import { Scheduler } from '../../src/control/scheduler/scheduler.js';
import type { Engine } from '../../src/sim/engine/engine.js';
import { SimTransport } from '../../src/sim/sim-transport.js';
import type { Clock } from '../../src/control/ports/clock.js';
import type { Transport } from '../../src/control/ports/transport.js';
import { nodeObject, podObject } from './scheduler-fixtures.js';
import { epochMs, newTestEngine, newTestStore } from '../support/sim-base.js';

export { epochMs };

/** The default profile minus DefaultPreemption (tests that do not exercise preemption). */
export const withoutPreemption: SchedulerConfigInput = {
  profiles: [{ plugins: { multiPoint: { disabled: [{ name: 'DefaultPreemption' }] } } }],
};

export interface SchedulerWorld {
  engine: Engine;
  scheduler: Scheduler;
  /** A client for the test itself. */
  client: KubeClient;
  traces: TraceRecord[];
  addNode(name: string, options?: Parameters<typeof nodeObject>[1]): Promise<void>;
  addPod(name: string, options?: Parameters<typeof podObject>[1]): Promise<void>;
  pods(): Promise<KubeObject[]>;
  events(): Promise<KubeObject[]>;
  /** Runs the engine for `ms` of virtual time. */
  advance(ms: number): Promise<void>;
  /** Runs `script` inside the engine (so its awaits complete), then `ms` more. */
  run<T>(script: () => Promise<T>, ms?: number): Promise<T>;
}

export async function createSchedulerWorld(
  options: {
    seed?: number;
    config?: SchedulerConfigInput | string;
    registry?: PluginRegistry;
    /** Holds the scheduler's binding requests this long (virtual ms) before sending them. */
    bindDelayMs?: number;
    /** Fails this many of the scheduler's first binding requests (as an unreachable server). */
    failBindings?: number;
  } = {},
): Promise<SchedulerWorld> {
  const engine = newTestEngine();
  const rng = createRng(options.seed ?? 1);
  const store = await newTestStore(10_000);
  const server = await createApiServer({
    store,
    clock: engine.clock('apiserver'),
    rng: rng.fork('apiserver'),
  });
  const transport = new SimTransport({ handler: server });
  const testClock = engine.clock('test');
  const client = new KubeClient({ transport, clock: testClock, userAgent: 'test' });
  const schedulerClock = engine.clock('scheduler');
  const traces: TraceRecord[] = [];
  const recorder: Recorder = { trace: (r) => void traces.push(r), metric: () => undefined };
  const scheduler = new Scheduler({
    client: new KubeClient({
      transport: delayBindings(transport, schedulerClock, {
        delayMs: options.bindDelayMs ?? 0,
        failCount: options.failBindings ?? 0,
      }),
      clock: schedulerClock,
      userAgent: 'kube-scheduler',
    }),
    clock: schedulerClock,
    rng: rng.fork('scheduler'),
    config: options.config,
    registry: options.registry,
    recorder,
  });
  const run = async <T>(script: () => Promise<T>, ms = 0): Promise<T> => {
    const box: { result?: { value: T } } = {};
    engine.schedule({
      atMs: engine.nowMs(),
      phase: 'timer',
      endpoint: 'test',
      run: async () => {
        box.result = { value: await script() };
      },
    });
    await engine.runUntil(engine.nowMs() + ms);
    if (box.result === undefined) throw new Error('the test script did not finish');
    return box.result.value;
  };
  return {
    engine,
    scheduler,
    client,
    traces,
    addNode: async (name, nodeOptions) => {
      await run(() =>
        client.create(coreResources.nodes, '', nodeObject(name, nodeOptions) as never),
      );
    },
    addPod: async (name, podOptions) => {
      await run(() =>
        client.create(coreResources.pods, 'default', podObject(name, podOptions) as never),
      );
    },
    pods: () => run(async () => (await client.list(coreResources.pods, 'default')).items),
    events: () => run(async () => (await client.list(coreResources.events, 'default')).items),
    advance: (ms) => engine.runUntil(engine.nowMs() + ms),
    run,
  };
}

/** A transport that delays (or fails the first few) POST .../binding requests. */
function delayBindings(
  inner: Transport,
  clock: Clock,
  options: { delayMs: number; failCount: number },
): Transport {
  let failuresLeft = options.failCount;
  return {
    request: async (request) => {
      if (request.method === 'POST' && request.path.endsWith('/binding')) {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('connection refused');
        }
        if (options.delayMs > 0) await clock.sleep(options.delayMs);
      }
      return inner.request(request);
    },
    stream: (request, sink) => inner.stream(request, sink),
  };
}
