// Plain PodInfo/NodeInfo/Snapshot/FrameworkHandle values for scheduler plugin tests.
import type { LabelSelector } from '../../src/control/api/values/labels.js';
import type { JsonObject } from '../../src/control/store/types.js';
import type {
  FrameworkHandle,
  NodeInfo,
  PodInfo,
  Resource,
  Snapshot,
  Status,
} from '../../src/control/scheduler/framework/types.js';
import { success } from '../../src/control/scheduler/framework/types.js';

function emptyResource(): Resource {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() };
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  priority?: number;
  spec?: Record<string, unknown>;
  terminating?: boolean;
  /** RFC 3339 status.startTime. */
  startTime?: string;
  nodeName?: string;
  nominatedNodeName?: string;
}

export function makePod(name: string, options: PodOptions = {}): PodInfo {
  const namespace = options.namespace ?? 'default';
  const labels = options.labels ?? {};
  const metadata: Record<string, unknown> = { name, namespace, uid: `uid-${name}`, labels };
  if (options.terminating === true) metadata['deletionTimestamp'] = '2026-01-01T00:00:00Z';
  const spec: Record<string, unknown> = { ...(options.spec ?? {}) };
  if (options.nodeName !== undefined) spec['nodeName'] = options.nodeName;
  if (options.priority !== undefined) spec['priority'] = options.priority;
  const status: Record<string, unknown> = {};
  if (options.startTime !== undefined) status['startTime'] = options.startTime;
  if (options.nominatedNodeName !== undefined) {
    status['nominatedNodeName'] = options.nominatedNodeName;
  }
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata, spec, status } as unknown as JsonObject;
  return {
    pod,
    key: `${namespace}/${name}`,
    namespace,
    name,
    uid: `uid-${name}`,
    labels,
    priority: options.priority ?? 0,
    requests: emptyResource(),
    nonZeroRequests: { milliCpu: 0, memory: 0 },
    hostPorts: [],
    terminating: options.terminating === true,
  };
}

function hasAffinity(p: PodInfo): boolean {
  const affinity = (p.pod['spec'] as Record<string, unknown>)['affinity'] as
    Record<string, unknown> | undefined;
  return affinity?.['podAffinity'] !== undefined || affinity?.['podAntiAffinity'] !== undefined;
}

function hasRequiredAntiAffinity(p: PodInfo): boolean {
  const affinity = (p.pod['spec'] as Record<string, unknown>)['affinity'] as
    Record<string, Record<string, unknown[]>> | undefined;
  const terms = affinity?.['podAntiAffinity']?.['requiredDuringSchedulingIgnoredDuringExecution'];
  return terms !== undefined && terms.length > 0;
}

export function makeNode(
  name: string,
  labels: Record<string, string> = {},
  pods: readonly PodInfo[] = [],
  spec: Record<string, unknown> = {},
): NodeInfo {
  const allLabels = { 'kubernetes.io/hostname': name, ...labels };
  const node = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: allLabels },
    spec,
  } as unknown as JsonObject;
  return {
    node,
    name,
    labels: allLabels,
    allocatable: emptyResource(),
    pods,
    requested: emptyResource(),
    nonZeroRequested: { milliCpu: 0, memory: 0 },
    usedPorts: [],
    imageSizes: new Map(),
    podsWithAffinity: pods.filter(hasAffinity),
    podsWithRequiredAntiAffinity: pods.filter(hasRequiredAntiAffinity),
  };
}

export function makeSnapshot(nodes: readonly NodeInfo[]): Snapshot {
  return {
    nodes,
    get: (name) => nodes.find((n) => n.name === name),
    imageNodeCount: () => 0,
  };
}

/** A handle that records deletions and nominations; the other services are stubs. */
export class RecordingHandle implements FrameworkHandle {
  readonly deleted: { victim: string; reason: string }[] = [];
  readonly nominations: { pod: string; nodeName: string }[] = [];
  readonly selectors: readonly LabelSelector[];
  readonly #nowMs: number;

  constructor(options: { selectors?: readonly LabelSelector[]; nowMs?: number } = {}) {
    this.selectors = options.selectors ?? [];
    this.#nowMs = options.nowMs ?? 0;
  }

  async bindPod(): Promise<Status> {
    return success;
  }
  async deletePod(victim: PodInfo, reason: string): Promise<Status> {
    this.deleted.push({ victim: victim.key, reason });
    return success;
  }
  async setNominatedNodeName(pod: PodInfo, nodeName: string): Promise<Status> {
    this.nominations.push({ pod: pod.key, nodeName });
    return success;
  }
  selectorsFor(): readonly LabelSelector[] {
    return this.selectors;
  }
  nominatedPods(_nodeName: string): readonly PodInfo[] {
    return [];
  }
  nowMs(): number {
    return this.#nowMs;
  }
}
