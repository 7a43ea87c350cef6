// A simulated cluster: the core world (engine, store, API server) plus the scheduler, the
// controller manager's controllers and one kubelet per node on its own SimRuntime.
//
// Every component gets its own client (own virtual clock and Rng stream) with upstream's
// default rate limits for its kind, as in a real cluster, at its network endpoint: `scheduler`,
// `controller-manager`, `node/<name>` for kubelets, `client/<name>` for users; nodes may run
// skewed clocks. Kubelets can be stopped (a crash: containers keep running in the runtime) and
// started again as a new incarnation on the same runtime, which must adopt what still runs.
import type { KubeClient } from '../control/client/client.js';
import { componentClientOptions } from '../control/controllers/client-defaults.js';
import type { ClientComponent } from '../control/controllers/client-defaults.js';
import { DeploymentController } from '../control/controllers/deployment/deployment-controller.js';
import { EndpointsController } from '../control/controllers/endpoints/endpoints-controller.js';
import { GarbageCollector } from '../control/controllers/garbage-collector/garbage-collector.js';
import { NamespaceController } from '../control/controllers/namespace/namespace-controller.js';
import { NodeLifecycleController } from '../control/controllers/node-lifecycle/node-lifecycle-controller.js';
import type { NodeLifecycleControllerOptions } from '../control/controllers/node-lifecycle/node-lifecycle-controller.js';
import { PodGcController } from '../control/controllers/podgc/podgc-controller.js';
import { ReplicaSetController } from '../control/controllers/replicaset/replica-set-controller.js';
import { Kubelet } from '../control/kubelet/kubelet.js';
import type { KubeletOptions } from '../control/kubelet/kubelet.js';
import type { Rng } from '../control/ports/rng.js';
import { Scheduler } from '../control/scheduler/scheduler.js';
import type { SchedulerOptions } from '../control/scheduler/scheduler.js';
import type { SchedulerConfigInput } from '../control/scheduler/config.js';
import type { Recorder, TraceLevelSetting } from '../control/ports/recorder.js';
import type { JsonObject } from '../control/store/types.js';
import { assert } from '../control/util/assert.js';
import { createCoreWorld } from './core-world.js';
import type { CoreWorld, CoreWorldOptions } from './core-world.js';
import type { VirtualClock } from './engine/engine.js';
import { SimRuntime } from './sim-runtime.js';
import type { SimRuntimeBehavior } from './sim-runtime.js';

export const zoneLabel = 'topology.kubernetes.io/zone';

export interface ClusterNodeSpec {
  name: string;
  /** topology.kubernetes.io/zone label. */
  zone?: string;
  /** Default `{cpu: '4', memory: '16Gi', pods: '110'}`. */
  capacity?: Readonly<Record<string, string>>;
  labels?: Readonly<Record<string, string>>;
  taints?: readonly JsonObject[];
  /** The node's clock runs this far ahead (negative: behind) of the engine. */
  clockSkewMs?: number;
}

export interface ClusterWorldOptions extends CoreWorldOptions {
  nodes: readonly ClusterNodeSpec[];
  /** The runtimes' behaviour (images, pull and start times); shared by every node. */
  runtime?: Partial<SimRuntimeBehavior>;
  /** Upstream client rate limits per component. Default true. */
  rateLimits?: boolean;
  /** Node lifecycle knobs (monitor periods, zone thresholds, rates). */
  nodeLifecycle?: Partial<NodeLifecycleControllerOptions>;
  /** Extra kubelet options for every node. */
  kubelet?: Partial<KubeletOptions>;
  /** One line per notable component event. Default: none. */
  log?: (line: string) => void;
  /** The scheduler's configuration and where its decision records go. */
  scheduler?: {
    config?: SchedulerConfigInput;
    recorder?: Recorder;
    traceLevel?: TraceLevelSetting;
  };
}

interface Component {
  start(): void;
  stop(): void;
  whenStopped(): Promise<void>;
}

export interface ClusterNode {
  spec: ClusterNodeSpec;
  runtime: SimRuntime;
  /** The running kubelet, if any. */
  kubelet: Kubelet | undefined;
  /** Kubelets started on this node so far. */
  incarnation: number;
}

export interface ClusterWorld extends CoreWorld {
  scheduler: Scheduler;
  controllers: {
    namespace: NamespaceController;
    replicaSet: ReplicaSetController;
    deployment: DeploymentController;
    nodeLifecycle: NodeLifecycleController;
    podGc: PodGcController;
    garbageCollector: GarbageCollector;
    endpoints: EndpointsController;
  };
  nodes: ReadonlyMap<string, ClusterNode>;
  /** Starts the scheduler, the controllers and every node's kubelet. */
  start(): void;
  /** Stops everything and waits for the components' loops to end. */
  stop(): Promise<void>;
  /** Starts a new kubelet incarnation on the node's runtime. */
  startKubelet(nodeName: string): Kubelet;
  /** Stops the node's kubelet as a crash would: its containers keep running. */
  stopKubelet(nodeName: string): Promise<void>;
  /** A client for a user or test at endpoint `client/<name>`, with its own clock (no rate limit). */
  userClient(name: string): { client: KubeClient; clock: VirtualClock };
}

const defaultCapacity = { cpu: '4', memory: '16Gi', pods: '110' };
/**
 * The kubelet's heartbeat client times out after min(nodeStatusUpdateFrequency 10 s,
 * nodeLeaseDurationSeconds 40 s); miniku's kubelet has one client, so all its requests do.
 */
const kubeletRequestTimeoutMs = 10_000;
const defaultImagePullMs = 2_000;
const defaultContainerStartMs = 500;

export async function createClusterWorld(options: ClusterWorldOptions): Promise<ClusterWorld> {
  const core = await createCoreWorld(options);
  const limited = options.rateLimits !== false;
  const log = options.log ?? (() => undefined);
  const componentClient = (name: string, kind: ClientComponent) => {
    const limits = componentClientOptions(kind, limited ? {} : { qps: 0 });
    return core.newClient(name, { ...limits, endpoint: endpointOf(kind) });
  };
  const world = { core, options, componentClient, log };
  const scheduler = newScheduler(world);
  const controllers = newControllers(world);
  const nodes = new Map<string, ClusterNode>();
  options.nodes.forEach((spec, index) => {
    assert(!nodes.has(spec.name), `node ${spec.name} is listed twice`);
    nodes.set(spec.name, {
      spec,
      runtime: newRuntime(world, spec, index),
      kubelet: undefined,
      incarnation: 0,
    });
  });
  const startKubelet = (nodeName: string): Kubelet => {
    const node = nodes.get(nodeName);
    assert(node !== undefined, `no node ${nodeName}`);
    assert(node.kubelet === undefined, `node ${nodeName} already runs a kubelet`);
    node.incarnation += 1;
    node.kubelet = newKubelet(world, node, [...nodes.keys()].indexOf(nodeName));
    node.kubelet.start();
    return node.kubelet;
  };
  const stopKubelet = async (nodeName: string): Promise<void> => {
    const node = nodes.get(nodeName);
    const kubelet = node?.kubelet;
    if (node === undefined || kubelet === undefined) return;
    node.kubelet = undefined;
    kubelet.stop();
    await kubelet.whenStopped();
  };
  const components: Component[] = [scheduler, ...Object.values(controllers)];
  return {
    ...core,
    scheduler,
    controllers,
    nodes,
    start: () => {
      for (const component of components) component.start();
      for (const name of nodes.keys()) startKubelet(name);
    },
    stop: async () => {
      for (const name of nodes.keys()) await stopKubelet(name);
      for (const component of components) component.stop();
      await Promise.all(components.map((c) => c.whenStopped()));
    },
    startKubelet,
    stopKubelet,
    userClient: (name) => {
      const { client, clock } = core.newClient(`user-${name}`, { endpoint: `client/${name}` });
      return { client, clock };
    },
  };
}

interface WorldParts {
  core: CoreWorld;
  options: ClusterWorldOptions;
  componentClient: (
    name: string,
    kind: ClientComponent,
  ) => { client: KubeClient; clock: VirtualClock; rng: Rng };
  log: (line: string) => void;
}

/** Network endpoints of the components: one per process, as in a real cluster. */
function endpointOf(kind: ClientComponent): string {
  switch (kind) {
    case 'kube-scheduler':
      return 'scheduler';
    case 'kube-controller-manager':
      return 'controller-manager';
    default:
      return `client/${kind}`;
  }
}

function newScheduler(world: WorldParts): Scheduler {
  const { client, clock, rng } = world.componentClient('kube-scheduler', 'kube-scheduler');
  const options: SchedulerOptions = { client, clock, rng };
  const { scheduler } = world.options;
  if (scheduler?.config !== undefined) options.config = scheduler.config;
  if (scheduler?.recorder !== undefined) options.recorder = scheduler.recorder;
  if (scheduler?.traceLevel !== undefined) options.traceLevel = scheduler.traceLevel;
  return new Scheduler(options);
}

function newControllers(world: WorldParts): ClusterWorld['controllers'] {
  const parts = (name: string) => {
    const { client, clock, rng } = world.componentClient(name, 'kube-controller-manager');
    const log = (line: string) => world.log(`${name}: ${line}`);
    return { client, clock, rng, log };
  };
  return {
    namespace: new NamespaceController(parts('namespace-controller')),
    replicaSet: new ReplicaSetController(parts('replicaset-controller')),
    deployment: new DeploymentController(parts('deployment-controller')),
    nodeLifecycle: new NodeLifecycleController({
      ...parts('node-lifecycle-controller'),
      ...world.options.nodeLifecycle,
    }),
    podGc: new PodGcController(parts('pod-garbage-collector')),
    garbageCollector: new GarbageCollector(parts('generic-garbage-collector')),
    endpoints: new EndpointsController(parts('endpoint-controller')),
  };
}

function newRuntime(world: WorldParts, spec: ClusterNodeSpec, index: number): SimRuntime {
  const clock = world.core.engine.clock(`node/${spec.name}`, { skewMs: spec.clockSkewMs ?? 0 });
  const behavior = world.options.runtime ?? {};
  return new SimRuntime({
    clock,
    rng: world.core.rng.fork('runtime').fork(spec.name),
    nodeName: spec.name,
    behavior: {
      imagePullMs: behavior.imagePullMs ?? defaultImagePullMs,
      containerStartMs: behavior.containerStartMs ?? defaultContainerStartMs,
      images: { ...(behavior.images ?? {}) },
    },
    podIpPrefix: podIpPrefixOf(index),
  });
}

function newKubelet(world: WorldParts, node: ClusterNode, index: number): Kubelet {
  const { spec } = node;
  const name = `kubelet-${spec.name}-${node.incarnation}`;
  const limits = componentClientOptions(
    'kubelet',
    world.options.rateLimits === false ? { qps: 0 } : {},
  );
  const clock = world.core.engine.clock(`node/${spec.name}/kubelet-${node.incarnation}`, {
    skewMs: spec.clockSkewMs ?? 0,
  });
  const { client } = world.core.newClient(name, {
    ...limits,
    clock,
    endpoint: `node/${spec.name}`,
    requestTimeoutMs: kubeletRequestTimeoutMs,
  });
  const labels: Record<string, string> = { ...spec.labels };
  if (spec.zone !== undefined) labels[zoneLabel] = spec.zone;
  const kubeletOptions: KubeletOptions = {
    client,
    clock,
    rng: world.core.rng.fork('kubelet').fork(`${spec.name}#${node.incarnation}`),
    runtime: node.runtime,
    nodeName: spec.name,
    capacity: spec.capacity ?? defaultCapacity,
    labels,
    nodeIp: `192.168.${Math.trunc(index / 250)}.${(index % 250) + 2}`,
    podIpPrefix: podIpPrefixOf(index),
    log: (line) => world.log(`${name}: ${line}`),
    ...world.options.kubelet,
  };
  if (spec.taints !== undefined) kubeletOptions.taints = spec.taints;
  return new Kubelet(kubeletOptions);
}

/** 10.<64 + index / 256>.<index % 256>: a /24 of pod IPs per node. */
function podIpPrefixOf(index: number): string {
  return `10.${64 + Math.trunc(index / 256)}.${index % 256}`;
}
