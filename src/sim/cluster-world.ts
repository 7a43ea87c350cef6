// A simulated cluster: the core world (engine, store, API server) plus the scheduler, the
// controller manager's controllers and one kubelet per node on its own SimRuntime.
//
// Every component gets its own client (own virtual clock and Rng stream) with upstream's
// default rate limits for its kind, as in a real cluster, at its network endpoint: `scheduler`,
// `controller-manager`, `node/<name>` for kubelets, `client/<name>` for users; nodes may run
// skewed clocks. Kubelets can be stopped (a crash: containers keep running in the runtime) and
// started again as a new incarnation on the same runtime, which must adopt what still runs.
// Faults reach it here too: the scheduler or the controller manager restarts as new instances
// with empty caches, nodes join and leave for good, a node's heartbeats can be lost, and the
// clock of a node, the scheduler or the controller manager can jump or drift (clock-skews.ts).
import type { KubeClient } from '../control/client/client.js';
import { componentClientOptions } from '../control/controllers/client-defaults.js';
import type { ClientComponent, ClientRateLimit } from '../control/controllers/client-defaults.js';
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
import type { SchedulerOptions, SchedulerStats } from '../control/scheduler/scheduler.js';
import type { SchedulerConfigInput } from '../control/scheduler/config.js';
import type { Recorder, TraceLevelSetting } from '../control/ports/recorder.js';
import type { JsonObject } from '../control/store/types.js';
import { assert } from '../control/util/assert.js';
import { ClockSkews } from './clock-skews.js';
import type { ClockChange } from './clock-skews.js';
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
  /**
   * Overrides of upstream's client rate limits, field by field, per client (`kubelet-events` is
   * the kubelet's event client); `qps: 0` is unlimited. Ignored when rateLimits is false.
   */
  clientRateLimits?: Partial<Record<ClientComponent, Partial<ClientRateLimit>>>;
  /** PodGC's --terminated-pod-gc-threshold (≤ 0 disables). Default: the controller's 12,500. */
  terminatedPodGcThreshold?: number;
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
  /** Its place in the world, fixed for life: picks the node and pod IPs. */
  index: number;
  /** Heartbeats (Lease renewals, node status reports) are being lost, across kubelet restarts. */
  heartbeatsPaused: boolean;
}

/** Components that restart as a whole: the scheduler, or all controllers of the manager. */
export type RestartableComponent = 'scheduler' | 'controller-manager';

/** A clock a skew fault moves: a node's (kubelet and runtime), or a component's. */
export type ClockTarget =
  | { kind: 'node'; node: string }
  | { kind: 'component'; component: RestartableComponent | 'apiserver' };

export type { ClockChange } from './clock-skews.js';

export interface ClusterWorld extends CoreWorld {
  scheduler: Scheduler;
  /** The scheduler's counters summed over every instance so far (restarts included). */
  schedulerStats(): SchedulerStats;
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
  /** Stops the component (the scheduler, or every controller) and waits for its loops to end. */
  stopComponent(name: RestartableComponent): Promise<void>;
  /** Starts new instances of a stopped component: fresh caches, same endpoint and client kind. */
  startComponent(name: RestartableComponent): void;
  /** Whether the component runs (started and not stopped since). */
  componentRunning(name: RestartableComponent): boolean;
  /** Adds a node (new runtime, next index) and starts its kubelet. */
  addNode(spec: ClusterNodeSpec): Kubelet;
  /** Stops the node's kubelet, crashes its runtime (images lost) and forgets the node. */
  removeNode(nodeName: string): Promise<void>;
  /** The node's heartbeats are lost (or, with false, resume); its pods keep running. */
  setHeartbeatsPaused(nodeName: string, paused: boolean): void;
  /** A client for a user or test at endpoint `client/<name>`, with its own clock (no rate limit). */
  userClient(name: string): { client: KubeClient; clock: VirtualClock };
  /**
   * A clock-skew fault: every clock of the target, its later incarnations' too, jumps by
   * `offsetMs` now and drifts by `driftPpm` from now on (see clock-skews.ts). An unknown node
   * is a programmer error.
   */
  skewClock(target: ClockTarget, change: ClockChange): void;
  /** What the target's clocks read minus engine time, ms. */
  clockSkewMs(target: ClockTarget): number;
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
  const log = options.log ?? (() => undefined);
  const clocks = new ClockSkews({ clock: core.engine.clock('clock-drift'), log });
  const componentClient = (name: string, kind: ClientComponent) => {
    const endpoint = endpointOf(kind);
    const parts = core.newClient(name, { ...clientLimits(options, kind), endpoint });
    clocks.track(endpoint, parts.clock);
    return parts;
  };
  clocks.track('apiserver', core.apiServerClock);
  const world = { core, options, componentClient, log, clocks };
  const control = new ControlPlane(world);
  const nodes = new NodeSet(world);
  for (const spec of options.nodes) nodes.add(spec);
  return {
    ...core,
    get apiServer() {
      return core.apiServer;
    },
    get apiServerClock() {
      return core.apiServerClock;
    },
    replaceApiServer: () => {
      core.replaceApiServer();
      clocks.track('apiserver', core.apiServerClock);
    },
    schedulerStats: () => control.schedulerStats(),
    get scheduler() {
      return control.scheduler;
    },
    get controllers() {
      return control.controllers;
    },
    nodes: nodes.nodes,
    start: () => {
      control.startAll();
      for (const name of nodes.nodes.keys()) nodes.startKubelet(name);
    },
    stop: async () => {
      clocks.stop();
      for (const name of nodes.nodes.keys()) await nodes.stopKubelet(name);
      await control.stopAll();
    },
    startKubelet: (name) => nodes.startKubelet(name),
    stopKubelet: (name) => nodes.stopKubelet(name),
    stopComponent: (name) => control.stop(name),
    startComponent: (name) => control.start(name),
    componentRunning: (name) => control.isRunning(name),
    addNode: (spec) => {
      nodes.add(spec);
      return nodes.startKubelet(spec.name);
    },
    removeNode: (name) => nodes.remove(name),
    setHeartbeatsPaused: (name, paused) => nodes.setHeartbeatsPaused(name, paused),
    userClient: (name) => {
      const { client, clock } = core.newClient(`user-${name}`, { endpoint: `client/${name}` });
      return { client, clock };
    },
    skewClock: (target, change) => clocks.change(clockOwner(target, nodes.nodes), change),
    clockSkewMs: (target) => clocks.skewMs(clockOwner(target, nodes.nodes)),
  };
}

/** The ClockSkews owner of a target: `node/<name>`, `scheduler` or `controller-manager`. */
function clockOwner(target: ClockTarget, nodes: ReadonlyMap<string, ClusterNode>): string {
  if (target.kind === 'component') return target.component;
  assert(nodes.has(target.node), `no node ${target.node}`);
  return `node/${target.node}`;
}

/** A component client's rate limits: upstream's, with the world's overrides. */
function clientLimits(options: ClusterWorldOptions, kind: ClientComponent): ClientRateLimit {
  if (options.rateLimits === false) return componentClientOptions(kind, { qps: 0 });
  return componentClientOptions(kind, options.clientRateLimits?.[kind] ?? {});
}

/** The scheduler and the controllers; each restart builds new instances with empty caches. */
class ControlPlane {
  scheduler: Scheduler;
  controllers: ClusterWorld['controllers'];
  private readonly world: WorldParts;
  private readonly running = new Set<RestartableComponent>();
  private readonly startedOnce = new Set<RestartableComponent>();
  private closed = false;
  /** Counters of the scheduler instances replaced so far. */
  private readonly retiredStats: SchedulerStats = {
    attempts: 0,
    scheduled: 0,
    unschedulable: 0,
    errors: 0,
    bindFailures: 0,
  };

  constructor(world: WorldParts) {
    this.world = world;
    this.scheduler = newScheduler(world);
    this.controllers = newControllers(world);
  }

  startAll(): void {
    this.start('scheduler');
    this.start('controller-manager');
  }

  /** Also ends the world's control plane: a restart still due later starts nothing. */
  async stopAll(): Promise<void> {
    this.closed = true;
    await this.stop('scheduler');
    await this.stop('controller-manager');
  }

  /** The first start runs the instances built with the world; later ones build new ones. */
  start(name: RestartableComponent): void {
    assert(!this.running.has(name), `${name} is already running`);
    if (this.closed) return;
    if (this.startedOnce.has(name)) {
      if (name === 'scheduler') {
        const old = this.scheduler.stats();
        for (const key of Object.keys(old) as (keyof SchedulerStats)[]) {
          this.retiredStats[key] += old[key];
        }
        this.scheduler = newScheduler(this.world);
      } else this.controllers = newControllers(this.world);
    }
    this.startedOnce.add(name);
    this.running.add(name);
    for (const component of this.parts(name)) component.start();
  }

  schedulerStats(): SchedulerStats {
    const now = this.scheduler.stats();
    const sum = { ...this.retiredStats };
    for (const key of Object.keys(now) as (keyof SchedulerStats)[]) sum[key] += now[key];
    return sum;
  }

  isRunning(name: RestartableComponent): boolean {
    return this.running.has(name);
  }

  async stop(name: RestartableComponent): Promise<void> {
    if (!this.running.delete(name)) return;
    const parts = this.parts(name);
    for (const component of parts) component.stop();
    await Promise.all(parts.map((c) => c.whenStopped()));
  }

  private parts(name: RestartableComponent): Component[] {
    return name === 'scheduler' ? [this.scheduler] : Object.values(this.controllers);
  }
}

/** The nodes: each a runtime that outlives its kubelets, at a fixed index. */
class NodeSet {
  readonly nodes = new Map<string, ClusterNode>();
  private readonly world: WorldParts;
  private nextIndex = 0;

  constructor(world: WorldParts) {
    this.world = world;
  }

  add(spec: ClusterNodeSpec): void {
    assert(!this.nodes.has(spec.name), `node ${spec.name} is listed twice`);
    const index = this.nextIndex++;
    this.world.clocks.declare(`node/${spec.name}`, spec.clockSkewMs ?? 0);
    this.nodes.set(spec.name, {
      spec,
      runtime: newRuntime(this.world, spec, index),
      kubelet: undefined,
      incarnation: 0,
      index,
      heartbeatsPaused: false,
    });
  }

  startKubelet(nodeName: string): Kubelet {
    const node = this.nodes.get(nodeName);
    assert(node !== undefined, `no node ${nodeName}`);
    assert(node.kubelet === undefined, `node ${nodeName} already runs a kubelet`);
    node.incarnation += 1;
    const kubelet = newKubelet(this.world, node);
    node.kubelet = kubelet;
    if (node.heartbeatsPaused) kubelet.pauseHeartbeats();
    kubelet.start();
    return kubelet;
  }

  async stopKubelet(nodeName: string): Promise<void> {
    const node = this.nodes.get(nodeName);
    const kubelet = node?.kubelet;
    if (node === undefined || kubelet === undefined) return;
    node.kubelet = undefined;
    kubelet.stop();
    await kubelet.whenStopped();
    this.world.clocks.untrack(`node/${nodeName}`, kubeletClockEndpoint(nodeName, node.incarnation));
  }

  async remove(nodeName: string): Promise<void> {
    const node = this.nodes.get(nodeName);
    assert(node !== undefined, `no node ${nodeName}`);
    await this.stopKubelet(nodeName);
    node.runtime.crash({ keepImages: false });
    this.nodes.delete(nodeName);
    this.world.clocks.forget(`node/${nodeName}`);
  }

  setHeartbeatsPaused(nodeName: string, paused: boolean): void {
    const node = this.nodes.get(nodeName);
    assert(node !== undefined, `no node ${nodeName}`);
    node.heartbeatsPaused = paused;
    if (paused) node.kubelet?.pauseHeartbeats();
    else node.kubelet?.resumeHeartbeats();
  }
}

interface WorldParts {
  core: CoreWorld;
  options: ClusterWorldOptions;
  componentClient: (
    name: string,
    kind: ClientComponent,
  ) => { client: KubeClient; clock: VirtualClock; rng: Rng };
  log: (line: string) => void;
  clocks: ClockSkews;
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
    podGc: new PodGcController({
      ...parts('pod-garbage-collector'),
      ...(world.options.terminatedPodGcThreshold === undefined
        ? {}
        : { terminatedPodThreshold: world.options.terminatedPodGcThreshold }),
    }),
    garbageCollector: new GarbageCollector(parts('generic-garbage-collector')),
    endpoints: new EndpointsController(parts('endpoint-controller')),
  };
}

function newRuntime(world: WorldParts, spec: ClusterNodeSpec, index: number): SimRuntime {
  const clock = world.clocks.track(
    `node/${spec.name}`,
    world.core.engine.clock(`node/${spec.name}`),
  );
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

function newKubelet(world: WorldParts, node: ClusterNode): Kubelet {
  const { spec, index } = node;
  const name = `kubelet-${spec.name}-${node.incarnation}`;
  const endpoint = kubeletClockEndpoint(spec.name, node.incarnation);
  const clock = world.clocks.track(`node/${spec.name}`, world.core.engine.clock(endpoint));
  const kubeletClient = (clientName: string, kind: ClientComponent) =>
    world.core.newClient(clientName, {
      ...clientLimits(world.options, kind),
      clock,
      endpoint: `node/${spec.name}`,
      requestTimeoutMs: kubeletRequestTimeoutMs,
    }).client;
  const client = kubeletClient(name, 'kubelet');
  // Upstream's kubelet writes Events through a client of their own (eventRecordQPS/eventBurst).
  const eventClient = kubeletClient(`${name}-events`, 'kubelet-events');
  const labels: Record<string, string> = { ...spec.labels };
  if (spec.zone !== undefined) labels[zoneLabel] = spec.zone;
  const kubeletOptions: KubeletOptions = {
    client,
    eventClient,
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

/** The engine endpoint of a kubelet incarnation's clock. */
function kubeletClockEndpoint(nodeName: string, incarnation: number): string {
  return `node/${nodeName}/kubelet-${incarnation}`;
}

/** 10.<64 + index / 256>.<index % 256>: a /24 of pod IPs per node. */
function podIpPrefixOf(index: number): string {
  return `10.${64 + Math.trunc(index / 256)}.${index % 256}`;
}
