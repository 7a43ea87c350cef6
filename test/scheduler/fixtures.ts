// Builders for scheduler plugin tests (resources, node infos and the simpler default plugins):
// pods, nodes, node infos, snapshots, and PreFilter/Filter and PreScore/Score runners.
import {
  MutableNodeInfo,
  normalizedImageName,
} from '../../src/control/scheduler/framework/node-info.js';
import { podInfoOf } from '../../src/control/scheduler/framework/pod-info.js';
import { CycleState } from '../../src/control/scheduler/framework/types.js';
import type {
  FrameworkHandle,
  NodeInfo,
  Plugin,
  PluginFactory,
  Snapshot,
  Status,
} from '../../src/control/scheduler/framework/types.js';
import type { JsonObject } from '../../src/control/store/types.js';

export interface PodOptions {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  /** Shorthand for one container with these requests. */
  requests?: Record<string, string>;
  containers?: JsonObject[];
  /** Extra spec fields, merged over the containers. */
  spec?: JsonObject;
}

/** A container with optional requests and extra fields (ports, restartPolicy, image...). */
export function container(requests?: Record<string, string>, extra: JsonObject = {}): JsonObject {
  const base: JsonObject = { name: 'c', image: 'busybox' };
  return requests === undefined
    ? { ...base, ...extra }
    : { ...base, resources: { requests }, ...extra };
}

/** A pod; without `containers` or `requests` it has no containers at all. */
export function makePod(options: PodOptions = {}): JsonObject {
  const containers =
    options.containers ?? (options.requests !== undefined ? [container(options.requests)] : []);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name ?? 'p',
      namespace: options.namespace ?? 'default',
      uid: `uid-${options.name ?? 'p'}`,
      labels: options.labels ?? {},
    },
    spec: { containers, ...options.spec },
  };
}

export interface NodeOptions {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  /** More allocatable entries (ephemeral-storage, extended resources). */
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: JsonObject[];
  unschedulable?: boolean;
  images?: { names: string[]; sizeBytes: number }[];
}

export function makeNode(options: NodeOptions): JsonObject {
  const spec: Record<string, JsonObject[] | boolean> = {};
  if (options.taints !== undefined) spec['taints'] = options.taints;
  if (options.unschedulable !== undefined) spec['unschedulable'] = options.unschedulable;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: options.name, labels: options.labels ?? {} },
    spec,
    status: {
      allocatable: {
        cpu: options.cpu ?? '4',
        memory: options.memory ?? '8Gi',
        pods: options.pods ?? '110',
        ...options.extra,
      },
      images: options.images ?? [],
    },
  };
}

export function nodeInfoOf(node: JsonObject, pods: readonly JsonObject[] = []): MutableNodeInfo {
  const info = new MutableNodeInfo({ node });
  for (const pod of pods) info.addPod(podInfoOf(pod));
  return info;
}

export function snapshotOf(nodes: readonly NodeInfo[]): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return {
    nodes,
    get: (name) => byName.get(name),
    imageNodeCount: (image) =>
      nodes.filter((n) => n.imageSizes.has(normalizedImageName(image))).length,
  };
}

const ok: Status = { code: 'Success', reasons: [] };

export const nullHandle: FrameworkHandle = {
  bindPod: () => Promise.resolve(ok),
  deletePod: () => Promise.resolve(ok),
  setNominatedNodeName: () => Promise.resolve(ok),
  selectorsFor: () => [],
  nominatedPods: () => [],
  nowMs: () => 0,
};

export function newPlugin(factory: PluginFactory, args?: JsonObject): Plugin {
  return factory({ args, schedulerName: 'default-scheduler', handle: nullHandle });
}

/** Runs PreFilter then Filter on every node (a PreFilter Skip fits every node). */
export function runFilter(plugin: Plugin, pod: JsonObject, nodes: readonly NodeInfo[]): Status[] {
  const state = new CycleState();
  const podInfo = podInfoOf(pod);
  const pre = plugin.preFilter?.(state, podInfo, snapshotOf(nodes));
  if (pre !== undefined && pre.status.code === 'Skip') return nodes.map(() => ok);
  if (pre !== undefined && pre.status.code !== 'Success') return nodes.map(() => pre.status);
  return nodes.map((n) => plugin.filter?.(state, podInfo, n) ?? ok);
}

/** Runs PreScore, Score and NormalizeScore; a PreScore Skip gives every node 0. */
export function runScore(plugin: Plugin, pod: JsonObject, nodes: readonly NodeInfo[]): number[] {
  const state = new CycleState();
  const podInfo = podInfoOf(pod);
  const pre = plugin.preScore?.(state, podInfo, nodes, snapshotOf(nodes));
  if (pre !== undefined && pre.code === 'Skip') return nodes.map(() => 0);
  const scores = Float64Array.from(nodes, (n) => {
    const result = plugin.score?.(state, podInfo, n);
    if (result === undefined || result.status.code !== 'Success') throw new Error('score failed');
    return result.score;
  });
  plugin.normalizeScore?.(state, podInfo, { names: nodes.map((n) => n.name), scores });
  return [...scores];
}
