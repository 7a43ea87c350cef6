// Generated clusters for scheduler property tests: node and pod shapes, their fast-check
// arbitraries and the API objects built from them.
import fc from 'fast-check';
import type { JsonObject } from '../../src/control/store/types.js';

export const zoneKey = 'topology.kubernetes.io/zone';
export const hostnameKey = 'kubernetes.io/hostname';
export const priorityClassValues: Readonly<Record<string, number>> = { low: 100, high: 10_000 };

export interface TaintShape {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface NodeShape {
  name: string;
  milliCpu: number;
  memoryMi: number;
  podCount: number;
  zone: string;
  disk: 'ssd' | 'hdd';
  taints: TaintShape[];
  unschedulable: boolean;
}

export type PodPlacementRule =
  | { kind: 'none' }
  | { kind: 'spread'; key: string; maxSkew: number; hard: boolean }
  | { kind: 'antiAffinity'; key: string }
  | { kind: 'affinity'; key: string; app: string }
  | { kind: 'preferredAntiAffinity'; key: string };

export interface PodShape {
  name: string;
  milliCpu: number;
  memoryMi: number;
  app: string;
  priorityClass?: string;
  tolerations: TaintShape[];
  nodeSelector?: Record<string, string>;
  hostPort?: number;
  rule: PodPlacementRule;
}

export interface ClusterShape {
  nodes: NodeShape[];
  pods: PodShape[];
}

/** An untainted, schedulable node in zone a with 4 GiB and room for 110 pods. */
export function plainNode(name: string, milliCpu: number): NodeShape {
  return {
    name,
    milliCpu,
    memoryMi: 4_096,
    podCount: 110,
    zone: 'a',
    disk: 'ssd',
    taints: [],
    unschedulable: false,
  };
}

/** A pod with 2 cpu and 128Mi and no constraints (rename and resize with spread). */
export const bigPod: PodShape = {
  name: 'big',
  milliCpu: 2_000,
  memoryMi: 128,
  app: 'web',
  tolerations: [],
  rule: { kind: 'none' },
};

const taintChoices: TaintShape[] = [
  { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
  { key: 'spot', effect: 'PreferNoSchedule' },
  { key: 'maintenance', effect: 'NoExecute' },
];

const nodeArb = fc.record({
  milliCpu: fc.constantFrom(1_000, 2_000, 4_000, 8_000),
  memoryMi: fc.constantFrom(1_024, 2_048, 4_096),
  podCount: fc.oneof(fc.integer({ min: 1, max: 8 }), fc.constant(110)),
  zone: fc.constantFrom('a', 'b', 'c'),
  disk: fc.constantFrom<'ssd' | 'hdd'>('ssd', 'hdd'),
  taints: fc.oneof(
    { weight: 3, arbitrary: fc.constant<TaintShape[]>([]) },
    { weight: 1, arbitrary: fc.subarray(taintChoices, { minLength: 1, maxLength: 2 }) },
  ),
  unschedulable: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
});

const ruleArb: fc.Arbitrary<PodPlacementRule> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<PodPlacementRule>({ kind: 'none' }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant<'spread'>('spread'),
      key: fc.constantFrom(zoneKey, hostnameKey),
      maxSkew: fc.integer({ min: 1, max: 2 }),
      hard: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant<'antiAffinity'>('antiAffinity'),
      key: fc.constantFrom(zoneKey, hostnameKey),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant<'affinity'>('affinity'),
      key: fc.constantFrom(zoneKey, hostnameKey),
      app: fc.constantFrom('web', 'db'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant<'preferredAntiAffinity'>('preferredAntiAffinity'),
      key: fc.constantFrom(zoneKey, hostnameKey),
    }),
  },
);

/** Present one time in `oneIn`, else undefined. */
function sometimes<T>(arb: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | undefined> {
  return fc.oneof(
    { weight: oneIn - 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: arb },
  );
}

const podArb = fc.record({
  milliCpu: fc.integer({ min: 0, max: 20 }).map((n) => n * 100),
  memoryMi: fc.integer({ min: 0, max: 16 }).map((n) => n * 128),
  app: fc.constantFrom('web', 'db', 'cache'),
  priorityClass: sometimes(fc.constantFrom('low', 'high'), 2),
  tolerations: fc.subarray(taintChoices, { maxLength: 2 }),
  nodeSelector: sometimes(
    fc.oneof(
      fc.constant<Record<string, string>>({ disk: 'ssd' }),
      fc.constantFrom('a', 'b', 'c').map((z) => ({ [zoneKey]: z })),
    ),
    4,
  ),
  hostPort: sometimes(fc.constant(8080), 8),
  rule: ruleArb,
});

export interface ClusterArbOptions {
  nodeCountMin?: number;
  nodeCountMax?: number;
  podCountMin?: number;
  podCountMax?: number;
}

/** 2–12 nodes and 1–40 pods by default; names are n00.. and p00.. in generation order. */
export function clusterArb(options: ClusterArbOptions = {}): fc.Arbitrary<ClusterShape> {
  const nodes = fc.array(nodeArb, {
    size: 'max',
    minLength: options.nodeCountMin ?? 2,
    maxLength: options.nodeCountMax ?? 12,
  });
  const pods = fc.array(podArb, {
    size: 'max',
    minLength: options.podCountMin ?? 1,
    maxLength: options.podCountMax ?? 40,
  });
  return fc.record({ nodes, pods }).map(({ nodes: ns, pods: ps }) => ({
    nodes: ns.map((n, i) => ({ ...n, name: `n${String(i).padStart(2, '0')}` })),
    pods: ps.map((p, i) => withoutUndefined({ ...p, name: `p${String(i).padStart(2, '0')}` })),
  }));
}

function withoutUndefined(pod: PodShape): PodShape {
  const out = { ...pod };
  if (out.priorityClass === undefined) delete out.priorityClass;
  if (out.nodeSelector === undefined) delete out.nodeSelector;
  if (out.hostPort === undefined) delete out.hostPort;
  return out;
}

function taintObject(t: TaintShape): JsonObject {
  return t.value === undefined
    ? { key: t.key, effect: t.effect }
    : { key: t.key, value: t.value, effect: t.effect };
}

export function nodeObjectOf(shape: NodeShape): JsonObject {
  const allocatable = {
    cpu: `${shape.milliCpu}m`,
    memory: `${shape.memoryMi}Mi`,
    pods: String(shape.podCount),
  };
  const labels = { [hostnameKey]: shape.name, [zoneKey]: shape.zone, disk: shape.disk };
  const spec: JsonObject = {
    taints: shape.taints.map(taintObject),
    ...(shape.unschedulable ? { unschedulable: true } : {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: shape.name, labels },
    spec,
    status: { capacity: allocatable, allocatable },
  };
}

function tolerationObject(t: TaintShape): JsonObject {
  return t.value === undefined
    ? { key: t.key, operator: 'Exists', effect: t.effect }
    : { key: t.key, operator: 'Equal', value: t.value, effect: t.effect };
}

function affinityTerm(key: string, app: string): JsonObject {
  return { labelSelector: { matchLabels: { app } }, topologyKey: key };
}

function placementFields(shape: PodShape): JsonObject {
  const rule = shape.rule;
  switch (rule.kind) {
    case 'none':
      return {};
    case 'spread':
      return {
        topologySpreadConstraints: [
          {
            maxSkew: rule.maxSkew,
            topologyKey: rule.key,
            whenUnsatisfiable: rule.hard ? 'DoNotSchedule' : 'ScheduleAnyway',
            labelSelector: { matchLabels: { app: shape.app } },
          },
        ],
      };
    case 'antiAffinity':
      return {
        affinity: {
          podAntiAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm(rule.key, shape.app)],
          },
        },
      };
    case 'affinity':
      return {
        affinity: {
          podAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: [affinityTerm(rule.key, rule.app)],
          },
        },
      };
    case 'preferredAntiAffinity':
      return {
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 50, podAffinityTerm: affinityTerm(rule.key, shape.app) },
            ],
          },
        },
      };
  }
}

function requestsOf(shape: PodShape): Record<string, string> {
  const requests: Record<string, string> = {};
  if (shape.milliCpu > 0) requests.cpu = `${shape.milliCpu}m`;
  if (shape.memoryMi > 0) requests.memory = `${shape.memoryMi}Mi`;
  return requests;
}

export function podObjectOf(shape: PodShape): JsonObject {
  const container: JsonObject = {
    name: 'c',
    image: 'nginx',
    resources: { requests: requestsOf(shape) },
    ...(shape.hostPort === undefined
      ? {}
      : { ports: [{ containerPort: 80, hostPort: shape.hostPort }] }),
  };
  const spec: JsonObject = {
    containers: [container],
    tolerations: shape.tolerations.map(tolerationObject),
    ...placementFields(shape),
    ...(shape.nodeSelector === undefined ? {} : { nodeSelector: shape.nodeSelector }),
    ...(shape.priorityClass === undefined ? {} : { priorityClassName: shape.priorityClass }),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: shape.name,
      namespace: 'default',
      uid: `uid-${shape.name}`,
      labels: { app: shape.app },
    },
    spec,
  };
}

export function priorityClassObject(name: string, value: number): JsonObject {
  return {
    apiVersion: 'scheduling.k8s.io/v1',
    kind: 'PriorityClass',
    metadata: { name },
    value,
  };
}
