// The Node object a kubelet registers and the status it reports (upstream initialNode,
// nodestatus setters and nodeStatusHasChanged). Pure.
//
// Conditions are MemoryPressure, DiskPressure, PIDPressure (never under pressure here) and
// Ready (True: the runtime answers). Every report stamps lastHeartbeatTime; lastTransitionTime
// moves only when a status flips, and each flip yields the node event upstream records
// (`NodeHasSufficientMemory`, `NodeReady`, ...). A status "changed" when anything but the
// heartbeat times differs.

import { arrayAt, isObject, jsonEqual, objectAt, stringAt } from '../api/schema/json.js';
import { formatTime } from '../api/values/time.js';
import type { ImageInfo } from '../ports/container-runtime.js';
import type { JsonObject, JsonValue } from '../store/types.js';

export interface NodeInfo {
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  containerRuntimeVersion: string;
  kubeletVersion: string;
  kubeProxyVersion: string;
  operatingSystem: string;
  architecture: string;
}

export interface NodeIdentity {
  nodeName: string;
  hostname: string;
  nodeIp: string;
  capacity: Readonly<Record<string, string>>;
  allocatable: Readonly<Record<string, string>>;
  /** Extra labels; the standard ones (hostname, os, arch) are added. */
  labels: Readonly<Record<string, string>>;
  taints: readonly JsonObject[];
  /** spec.podCIDR to register with, '' for none. */
  podCidr: string;
  nodeInfo: NodeInfo;
  kubeletPort: number;
}

/** Upstream nodeStatusMaxImages. */
export const nodeStatusImageCountMax = 50;

interface ConditionRule {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  /** Event reason recorded when the condition flips to this status. */
  event: string;
}

const conditionRules: readonly ConditionRule[] = [
  {
    type: 'MemoryPressure',
    status: 'False',
    reason: 'KubeletHasSufficientMemory',
    message: 'kubelet has sufficient memory available',
    event: 'NodeHasSufficientMemory',
  },
  {
    type: 'DiskPressure',
    status: 'False',
    reason: 'KubeletHasNoDiskPressure',
    message: 'kubelet has no disk pressure',
    event: 'NodeHasNoDiskPressure',
  },
  {
    type: 'PIDPressure',
    status: 'False',
    reason: 'KubeletHasSufficientPID',
    message: 'kubelet has sufficient PID available',
    event: 'NodeHasSufficientPID',
  },
  {
    type: 'Ready',
    status: 'True',
    reason: 'KubeletReady',
    message: 'kubelet is posting ready status',
    event: 'NodeReady',
  },
];

export function nodeLabels(identity: NodeIdentity): Record<string, string> {
  const os = identity.nodeInfo.operatingSystem;
  const arch = identity.nodeInfo.architecture;
  return {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/os': os,
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': identity.hostname,
    'kubernetes.io/os': os,
    ...identity.labels,
  };
}

/** Images by size, largest first (ties by reference), at most nodeStatusImageCountMax. */
export function nodeImages(images: readonly ImageInfo[]): JsonObject[] {
  const sorted = [...images].sort((a, b) =>
    a.sizeBytes !== b.sizeBytes
      ? b.sizeBytes - a.sizeBytes
      : a.ref < b.ref
        ? -1
        : a.ref > b.ref
          ? 1
          : 0,
  );
  return sorted
    .slice(0, nodeStatusImageCountMax)
    .map((image) => ({ names: [image.ref], sizeBytes: image.sizeBytes }));
}

function nextConditions(current: readonly JsonValue[], nowText: string) {
  const events: string[] = [];
  const conditions: JsonValue[] = [...current];
  for (const rule of conditionRules) {
    const index = conditions.findIndex((c) => isObject(c) && c.type === rule.type);
    const old = index >= 0 ? conditions[index] : undefined;
    const flips = stringAt(old, 'status') !== rule.status;
    if (flips) events.push(rule.event);
    const condition: JsonObject = {
      type: rule.type,
      status: rule.status,
      lastHeartbeatTime: nowText,
      lastTransitionTime: flips ? nowText : (stringAt(old, 'lastTransitionTime') ?? nowText),
      reason: rule.reason,
      message: rule.message,
    };
    if (index >= 0) conditions[index] = condition;
    else conditions.push(condition);
  }
  return { conditions, events };
}

/**
 * The status to report next, from the node's current status: fresh capacity, allocatable,
 * addresses, nodeInfo, images and heartbeats; `events` lists the condition flips.
 */
export function nextNodeStatus(
  current: JsonObject | undefined,
  identity: NodeIdentity,
  images: readonly ImageInfo[],
  nowMs: number,
): { status: JsonObject; events: string[] } {
  const { conditions, events } = nextConditions(arrayAt(current, 'conditions'), formatTime(nowMs));
  const status: JsonObject = {
    ...(current ?? {}),
    capacity: { ...identity.capacity },
    allocatable: { ...identity.allocatable },
    conditions,
    addresses: [
      { type: 'InternalIP', address: identity.nodeIp },
      { type: 'Hostname', address: identity.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: identity.kubeletPort } },
    nodeInfo: { ...identity.nodeInfo },
    images: nodeImages(images),
  };
  return { status, events };
}

/** The Node to create at registration (upstream initialNode). */
export function initialNode(identity: NodeIdentity, images: readonly ImageInfo[], nowMs: number) {
  const { status, events } = nextNodeStatus(undefined, identity, images, nowMs);
  const spec: Record<string, JsonValue> = {};
  if (identity.podCidr !== '') {
    spec.podCIDR = identity.podCidr;
    spec.podCIDRs = [identity.podCidr];
  }
  if (identity.taints.length > 0) spec.taints = [...identity.taints];
  const node: JsonObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: identity.nodeName,
      labels: nodeLabels(identity),
      annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec,
    status,
  };
  return { node, events };
}

function withoutHeartbeats(status: JsonObject | undefined): JsonObject {
  const conditions = arrayAt(status, 'conditions').map((c) =>
    isObject(c) ? { ...c, lastHeartbeatTime: null } : c,
  );
  return { ...(status ?? {}), conditions };
}

/** Upstream nodeStatusHasChanged: anything but the conditions' heartbeat times differs. */
export function nodeStatusChanged(before: JsonObject | undefined, after: JsonObject): boolean {
  return !jsonEqual(withoutHeartbeats(before), withoutHeartbeats(after));
}

/** The node's labels as a record (for admission). */
export function labelsOf(node: JsonObject): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(objectAt(objectAt(node, 'metadata'), 'labels') ?? {})) {
    if (typeof value === 'string') labels[key] = value;
  }
  return labels;
}
