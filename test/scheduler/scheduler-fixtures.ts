// Test helpers for the scheduler: node and pod objects, tiny test plugins and a stub handle.
import { podInfoOf } from '../../src/control/scheduler/framework/pod-info.js';
import { MutableNodeInfo } from '../../src/control/scheduler/framework/node-info.js';
import type {
  FrameworkHandle,
  NodeInfo,
  Plugin,
  PluginFactory,
  PodInfo,
  Snapshot,
} from '../../src/control/scheduler/framework/types.js';
import { status, success } from '../../src/control/scheduler/framework/types.js';
import type { JsonObject } from '../../src/control/store/types.js';

export function nodeObject(
  name: string,
  options: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string> } = {},
): JsonObject {
  const allocatable = {
    cpu: options.cpu ?? '4',
    memory: options.memory ?? '8Gi',
    pods: options.pods ?? '110',
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...options.labels } },
    spec: {},
    status: { capacity: allocatable, allocatable },
  };
}

export function podObject(
  name: string,
  options: { cpu?: string; memory?: string; nodeName?: string; namespace?: string } = {},
): JsonObject {
  const requests: Record<string, string> = {};
  if (options.cpu !== undefined) requests.cpu = options.cpu;
  if (options.memory !== undefined) requests.memory = options.memory;
  const spec: Record<string, unknown> = {
    containers: [{ name: 'c', image: 'nginx', resources: { requests } }],
  };
  if (options.nodeName !== undefined) spec.nodeName = options.nodeName;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: options.namespace ?? 'default', uid: `uid-${name}` },
    spec,
  } as JsonObject;
}

export function podInfo(name: string, options: Parameters<typeof podObject>[1] = {}): PodInfo {
  return podInfoOf(podObject(name, options));
}

export function nodeInfo(
  name: string,
  options: Parameters<typeof nodeObject>[1] = {},
): MutableNodeInfo {
  return new MutableNodeInfo({ node: nodeObject(name, options) });
}

/** A snapshot over fixed node infos, in the given order. */
export function fixedSnapshot(nodes: readonly NodeInfo[]): Snapshot {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return { nodes, get: (name) => byName.get(name), imageNodeCount: () => 0 };
}

/** Sorts by priority then insertion sequence. */
export const testSort: PluginFactory = (): Plugin => ({
  name: 'TestSort',
  less: (a, b) =>
    a.podInfo.priority !== b.podInfo.priority
      ? a.podInfo.priority > b.podInfo.priority
      : a.sequence < b.sequence,
});

/** Rejects nodes whose free cpu is below the pod's request. */
export const testFit: PluginFactory = (): Plugin => ({
  name: 'TestFit',
  filter: (_state, pod, node) =>
    node.requested.milliCpu + pod.requests.milliCpu > node.allocatable.milliCpu
      ? status('Unschedulable', 'Insufficient cpu')
      : success,
});

/** Rejects nodes whose name is in the `reject` arg list, with the given reason. */
export const testReject: PluginFactory = ({ args }): Plugin => {
  const names = new Set((args?.nodes as string[] | undefined) ?? []);
  const reason = (args?.reason as string | undefined) ?? 'node(s) rejected by test';
  return {
    name: 'TestReject',
    filter: (_state, _pod, node) =>
      names.has(node.name) ? status('UnschedulableAndUnresolvable', reason) : success,
  };
};

/** Narrows PreFilter to the nodes in args.nodes. */
export const testNarrow: PluginFactory = ({ args }): Plugin => ({
  name: 'TestNarrow',
  preFilter: () => ({
    result: { nodeNames: new Set((args?.nodes as string[] | undefined) ?? []) },
    status: success,
  }),
});

/** Scores from args.scores (node → raw score); unnamed nodes get 0. */
export const testScore: PluginFactory = ({ args }): Plugin => {
  const scores = (args?.scores ?? {}) as Record<string, number>;
  return {
    name: 'TestScore',
    score: (_state, _pod, node) => ({ score: scores[node.name] ?? 0, status: success }),
  };
};

/** Counts free cpu in millicores / 40 (0..100 for 4-cpu nodes): prefers emptier nodes. */
export const testLeastCpu: PluginFactory = (): Plugin => ({
  name: 'TestLeastCpu',
  score: (_state, pod, node) => {
    const free = node.allocatable.milliCpu - node.requested.milliCpu - pod.requests.milliCpu;
    return { score: Math.max(0, Math.min(100, Math.trunc(free / 40))), status: success };
  },
});

export const testBinder: PluginFactory = ({ handle }): Plugin => ({
  name: 'TestBinder',
  bind: (_state, pod, nodeName) => handle.bindPod(pod, nodeName),
});

export function testRegistry(): Map<string, PluginFactory> {
  return new Map([
    ['TestSort', testSort],
    ['TestFit', testFit],
    ['TestReject', testReject],
    ['TestNarrow', testNarrow],
    ['TestScore', testScore],
    ['TestLeastCpu', testLeastCpu],
    ['TestBinder', testBinder],
  ]);
}

/** A handle whose binds succeed and are recorded. */
export function stubHandle(nowMs = 0): FrameworkHandle & { binds: [string, string][] } {
  const binds: [string, string][] = [];
  return {
    binds,
    bindPod: async (pod, nodeName) => {
      binds.push([pod.key, nodeName]);
      return success;
    },
    deletePod: async () => success,
    setNominatedNodeName: async () => success,
    selectorsFor: () => [],
    nominatedPods: () => [],
    nowMs: () => nowMs,
  };
}
