// The typed model of a parsed scenario: what the simulator executes. Durations are integer
// milliseconds (`…Ms`), times are epoch milliseconds; optional knobs left out mean "the
// component's upstream default". scenarios/README.md documents every field's meaning.
import type { SchedulerConfigInput } from '../../control/scheduler/config.js';
import type { JsonObject, JsonValue } from '../../control/store/types.js';

export const scenarioApiVersion = 'miniku.dev/v1alpha1';
export const scenarioKind = 'Scenario';

export interface Scenario {
  apiVersion: typeof scenarioApiVersion;
  kind: typeof scenarioKind;
  metadata: { name: string; description?: string };
  spec: ScenarioSpec;
}

export interface ScenarioSpec {
  /** Root seed of every Rng stream; 42 and "42" are the same seed. */
  seed: number | string;
  /** The virtual epoch: engine time 0 is this instant. */
  startTimeMs: number;
  durationMs: number;
  controlPlane: ControlPlaneSettings;
  /** A KubeSchedulerConfiguration document (already checked with resolveSchedulerConfig). */
  scheduler?: SchedulerConfigInput;
  network: { latency: Distribution };
  nodePools: NodePool[];
  /** Nodes are registered and Ready before t=0. */
  bootstrap: boolean;
  runtime: RuntimeSettings;
  workloads: Workload[];
  faults: Fault[];
  expectations: Expectation[];
}

/** A random duration; `constant` is a plain duration string. Negative draws count as 0. */
export type Distribution =
  | { kind: 'constant'; valueMs: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'normal'; meanMs: number; stddevMs: number };

/** Client rate limits; kubeAPIQPS 0 means unlimited. */
export interface ClientSettings {
  kubeAPIQPS?: number;
  kubeAPIBurst?: number;
}

export interface ControlPlaneSettings {
  apiServer: {
    defaultNotReadyTolerationSeconds?: number;
    defaultUnreachableTolerationSeconds?: number;
  };
  controllerManager: ClientSettings & {
    nodeMonitorPeriodMs?: number;
    nodeMonitorGracePeriodMs?: number;
    nodeStartupGracePeriodMs?: number;
    nodeEvictionRate?: number;
    secondaryNodeEvictionRate?: number;
    largeClusterSizeThreshold?: number;
    unhealthyZoneThreshold?: number;
    terminatedPodGCThreshold?: number;
  };
  scheduler: ClientSettings;
  kubelet: ClientSettings & {
    eventRecordQPS?: number;
    eventBurst?: number;
    nodeStatusUpdateFrequencyMs?: number;
    nodeStatusReportFrequencyMs?: number;
    nodeLeaseDurationSeconds?: number;
    syncFrequencyMs?: number;
  };
}

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodePool {
  /** Nodes are named `<name>-<index>`, index from 0. */
  name: string;
  count: number;
  /** Quantities as strings, e.g. `{cpu: '4', memory: '16Gi', pods: '110'}`. */
  capacity: Record<string, string>;
  labels: Record<string, string>;
  /** Node `<name>-<i>` gets topology.kubernetes.io/zone = zones[i % zones.length]. */
  zones?: string[];
  taints: Taint[];
}

export interface RuntimeSettings {
  imagePull: Distribution;
  containerStart: Distribution;
  images: Record<string, ImageScript>;
}

export interface HttpRoute {
  path: string;
  statusCode: number;
  body?: string;
  fromMs?: number;
  delayMs?: number;
}

export interface Listener {
  port: number;
  fromMs?: number;
  untilMs?: number;
  http?: HttpRoute[];
}

export interface ImageScript {
  pull?: Distribution;
  failPull: boolean;
  sizeBytes?: number;
  exitAfter?: Distribution;
  exitCode?: number;
  memoryBytes?: number;
  memoryAfterMs?: number;
  terminationDelayMs?: number;
  ignoreSigterm: boolean;
  sigtermExitCode?: number;
  logLines?: string[];
  exec?: { exitCode: number; stdout: string; stderr: string; durationMs: number };
  listen?: Listener[];
}

export type Workload =
  | {
      kind: 'apply';
      atMs: number;
      /** The objects, in file order, `kind: List` items expanded. */
      objects: JsonObject[];
      /** The file they came from, as written; absent for inline manifests. */
      file?: string;
    }
  | {
      kind: 'poisson';
      atMs: number;
      untilMs: number;
      ratePerSecond: number;
      /** A Pod manifest without metadata.name. */
      template: JsonObject;
      namePrefix: string;
      countMax: number;
    };

/** An endpoint: `apiserver`, `scheduler`, `controller-manager`, `node/<n>` or `client/<n>`. */
export type Endpoint = string;

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** A pod named `namespace/name` (or `name` in `default`), or one pod picked by a selector. */
export interface PodTarget {
  namespace: string;
  name?: string;
  selector?: string;
}

/** A field path split into names and list indexes: `spec.containers[0].image`. */
export type FieldPath = (string | number)[];

export interface LinkSettings {
  from: Endpoint[];
  to: Endpoint[];
  oneWay: boolean;
  forMs?: number;
}

export type FaultAction =
  | { kind: 'crashNode'; node: string; restartAfterMs?: number }
  | { kind: 'restartKubelet'; node: string }
  | { kind: 'stopHeartbeats'; node: string; forMs?: number }
  | ({ kind: 'partition' } & LinkSettings)
  | { kind: 'heal'; from?: Endpoint[]; to?: Endpoint[] }
  | ({ kind: 'delayLinks'; latency: Distribution } & LinkSettings)
  | ({ kind: 'dropMessages'; rate: number } & LinkSettings)
  | { kind: 'restartApiServer'; downForMs: number }
  | { kind: 'restartComponent'; component: 'scheduler' | 'controller-manager'; downForMs: number }
  | {
      kind: 'conflictingWrites';
      object: ObjectRef;
      clients: number;
      field: string;
      fieldPath: FieldPath;
      values: JsonValue[];
      writes: number;
      interval: Distribution;
      retryOnConflict: boolean;
    }
  | { kind: 'killContainer'; pod: PodTarget; container?: string }
  | { kind: 'oomContainer'; pod: PodTarget; container?: string }
  | { kind: 'cordonNode'; node: string }
  | { kind: 'drainNode'; node: string }
  | { kind: 'addNodes'; pool: string; count: number }
  | {
      kind: 'removeNodes';
      /** The nodes removed, resolved from `pool` and `count` when those were given. */
      nodes: string[];
      pool?: string;
      count?: number;
    }
  | {
      kind: 'skewClock';
      target: { kind: 'component'; component: ClockComponent } | { kind: 'node'; node: string };
      offsetMs?: number;
      driftPpm?: number;
    };

export type ClockComponent = 'apiserver' | 'scheduler' | 'controller-manager';

export interface Fault {
  atMs: number;
  action: FaultAction;
}

export type ExpectationTiming =
  | { kind: 'at'; atMs: number }
  | { kind: 'by'; byMs: number }
  | { kind: 'always'; always: true; fromMs: number; untilMs: number }
  | { kind: 'eventually'; eventually: true };

export interface PodsSubject {
  kind: 'pods';
  /** Absent: every namespace. */
  namespace?: string;
  /** A label selector in kubectl syntax; absent: every pod. */
  selector?: string;
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  ready?: boolean;
  terminating?: boolean;
  onNode?: string;
  notOnNode?: string;
  countMin: number;
  countMax?: number;
}

export interface NodesSubject {
  kind: 'nodes';
  selector?: string;
  names?: string[];
  condition?: { type: string; status: 'True' | 'False' | 'Unknown' };
  taint?: { key: string; value?: string; effect?: Taint['effect'] };
  unschedulable?: boolean;
  countMin: number;
  countMax?: number;
}

export interface ObjectSubject {
  kind: 'object';
  ref: ObjectRef;
  path: string;
  pathSegments: FieldPath;
  check: { kind: 'equals'; equals: JsonValue } | { kind: 'exists'; exists: boolean };
}

export interface MetricSubject {
  kind: 'metric';
  /** One of liveMetricNames (format-expectations.ts). */
  name: string;
  min?: number;
  max?: number;
}

export interface Expectation {
  name: string;
  timing: ExpectationTiming;
  subject: PodsSubject | NodesSubject | ObjectSubject | MetricSubject;
}
