// Real mode's components over HTTP and wall time: the scheduler, the controller manager's
// controllers and a kubelet, built from the same classes as the simulator's cluster
// (src/sim/cluster-world.ts), each with its own HttpTransport client and upstream's client
// rate limits for its kind. `miniku real` starts them all in one process; `miniku scheduler`,
// `controller-manager` and `kubelet` start one each.

import { availableParallelism, totalmem } from 'node:os';
import { KubeClient } from '../control/client/client.js';
import {
  componentClientOptions,
  type ClientComponent,
} from '../control/controllers/client-defaults.js';
import { DeploymentController } from '../control/controllers/deployment/deployment-controller.js';
import { EndpointsController } from '../control/controllers/endpoints/endpoints-controller.js';
import { GarbageCollector } from '../control/controllers/garbage-collector/garbage-collector.js';
import { NamespaceController } from '../control/controllers/namespace/namespace-controller.js';
import { NodeLifecycleController } from '../control/controllers/node-lifecycle/node-lifecycle-controller.js';
import { PodGcController } from '../control/controllers/podgc/podgc-controller.js';
import { ReplicaSetController } from '../control/controllers/replicaset/replica-set-controller.js';
import { Kubelet } from '../control/kubelet/kubelet.js';
import type { Recorder } from '../control/ports/recorder.js';
import type { Rng } from '../control/ports/rng.js';
import { createRng } from '../control/rng/seeded-rng.js';
import { Scheduler } from '../control/scheduler/scheduler.js';
import { HttpTransport } from '../runtime/http-transport.js';
import type { WallClock } from '../runtime/wall-clock.js';
import type { NodeRuntime } from './real-runtime.js';

/** Where the components find the API server, and what they share. */
export interface ComponentContext {
  /** e.g. `http://127.0.0.1:6443`. */
  serverUrl: string;
  bearerToken?: string;
  clock: WallClock;
  /** Root seed of the components' random streams. */
  seed: string;
  /** One line per notable event; the component's name comes first. */
  log: (line: string) => void;
}

/** A started component: stop() ends its loops and closes its connections. */
export interface RunningComponent {
  stop(): Promise<void>;
}

interface Stoppable {
  start(): void;
  stop(): void;
  whenStopped(): Promise<void>;
}

/**
 * The kubelet's heartbeat client times out after min(nodeStatusUpdateFrequency 10 s,
 * nodeLeaseDurationSeconds 40 s), as in the simulator's cluster.
 */
const kubeletRequestTimeoutMs = 10_000;

/** A client of its own (own transport, own token bucket), as upstream builds one per component. */
export function componentClient(
  context: ComponentContext,
  userAgent: string,
  kind: ClientComponent,
  requestTimeoutMs?: number,
): { client: KubeClient; transport: HttpTransport } {
  const transport = new HttpTransport({
    baseUrl: context.serverUrl,
    ...(context.bearerToken === undefined ? {} : { bearerToken: context.bearerToken }),
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
  });
  const limits = componentClientOptions(kind);
  const client = new KubeClient({ transport, clock: context.clock, userAgent, ...limits });
  return { client, transport };
}

/** Starts the parts and returns their joint stop (stop all, await all, close transports). */
function run(parts: Stoppable[], transports: HttpTransport[]): RunningComponent {
  for (const part of parts) part.start();
  return {
    stop: async () => {
      for (const part of parts) part.stop();
      await Promise.all(parts.map((part) => part.whenStopped()));
      for (const transport of transports) transport.close();
    },
  };
}

export function startScheduler(context: ComponentContext, recorder: Recorder): RunningComponent {
  const { client, transport } = componentClient(context, 'kube-scheduler', 'kube-scheduler');
  const rng = createRng(context.seed, 'scheduler');
  const scheduler = new Scheduler({
    client,
    clock: context.clock,
    rng,
    recorder,
    traceLevel: 'summary',
  });
  return run([scheduler], [transport]);
}

/** Every controller of the manager, each over its own client (as in cluster-world.ts). */
export function startControllers(context: ComponentContext): RunningComponent {
  const transports: HttpTransport[] = [];
  const rng = createRng(context.seed, 'controller-manager');
  const parts = (name: string): ControllerParts => {
    const { client, transport } = componentClient(context, name, 'kube-controller-manager');
    transports.push(transport);
    const log = (line: string) => context.log(`${name}: ${line}`);
    return { client, clock: context.clock, rng: rng.fork(name), log };
  };
  const controllers: Stoppable[] = [
    new NamespaceController(parts('namespace-controller')),
    new ReplicaSetController(parts('replicaset-controller')),
    new DeploymentController(parts('deployment-controller')),
    new NodeLifecycleController(parts('node-lifecycle-controller')),
    new PodGcController(parts('pod-garbage-collector')),
    new GarbageCollector(parts('generic-garbage-collector')),
    new EndpointsController(parts('endpoint-controller')),
  ];
  return run(controllers, transports);
}

interface ControllerParts {
  client: KubeClient;
  clock: WallClock;
  rng: Rng;
  log: (line: string) => void;
}

export interface KubeletStartOptions {
  nodeName: string;
  node: NodeRuntime;
  /** The port the node reports for its kubelet server. Default 10250 (in-process: unused). */
  kubeletPort?: number;
}

/** A kubelet on the given runtime; InternalIP 127.0.0.1, the host's CPUs and memory. */
export function startKubelet(
  context: ComponentContext,
  options: KubeletStartOptions,
): RunningComponent & { kubelet: Kubelet } {
  const { nodeName, node } = options;
  const name = `kubelet/${nodeName}`;
  const main = componentClient(context, name, 'kubelet', kubeletRequestTimeoutMs);
  const events = componentClient(context, `${name}-events`, 'kubelet-events');
  const kubelet = new Kubelet({
    client: main.client,
    eventClient: events.client,
    clock: context.clock,
    rng: createRng(context.seed, 'kubelet').fork(nodeName),
    runtime: node.runtime,
    nodeName,
    capacity: hostCapacity(),
    nodeIp: '127.0.0.1',
    ...(options.kubeletPort === undefined ? {} : { kubeletPort: options.kubeletPort }),
    ...(node.podIpPrefix === undefined ? {} : { podIpPrefix: node.podIpPrefix }),
    containerRuntimeVersion: node.version,
    osImage: node.osImage,
    kernelVersion: node.kernelVersion,
    log: (line) => context.log(`${name}: ${line}`),
  });
  return { kubelet, ...run([kubelet], [main.transport, events.transport]) };
}

/** This machine's CPUs and memory, whole: every node of one host reports them (as kind's do). */
export function hostCapacity(): Record<string, string> {
  const memoryKi = Math.trunc(totalmem() / 1024);
  return { cpu: String(availableParallelism()), memory: `${memoryKi}Ki`, pods: '110' };
}
