// Pure read-outs of API objects for the cluster demo: small summaries of nodes, pods, ReplicaSets
// and Endpoints, the transcript lines that describe a change between two summaries, and tallies.

import type { KubeObject } from '../control/client/types.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
}

interface Taint {
  key: string;
  effect: string;
}

export interface NodeSummary {
  /** Status of the Ready condition ('' before the kubelet reported one). */
  ready: string;
  readyReason: string;
  /** `key:effect`, sorted. */
  taints: readonly string[];
}

export interface PodSummary {
  node: string;
  ready: boolean;
  deleting: boolean;
  /** Reason of a True DisruptionTarget condition, or ''. */
  disruption: string;
}

export interface EndpointsSummary {
  ready: number;
  notReady: number;
}

function conditionsOf(object: KubeObject): readonly Condition[] {
  const status = object.status as { conditions?: Condition[] } | undefined;
  return status?.conditions ?? [];
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function describeNode(node: KubeObject): NodeSummary {
  const ready = conditionsOf(node).find((c) => c.type === 'Ready');
  const taints = ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []).map(
    (t) => `${t.key}:${t.effect}`,
  );
  return {
    ready: ready?.status ?? '',
    readyReason: ready?.reason ?? '',
    taints: taints.sort(byCodeUnits),
  };
}

/** Lines for a node's Ready status change and its added and removed taints. */
export function nodeChanges(name: string, before: NodeSummary, after: NodeSummary): string[] {
  const lines: string[] = [];
  if (before.ready !== after.ready) {
    lines.push(`Node ${name} Ready: ${before.ready} → ${after.ready} (${after.readyReason})`);
  }
  const added = after.taints.filter((t) => !before.taints.includes(t));
  const removed = before.taints.filter((t) => !after.taints.includes(t));
  if (added.length > 0) lines.push(`Node ${name} tainted ${added.join(', ')}`);
  if (removed.length > 0) lines.push(`Node ${name} untainted ${removed.join(', ')}`);
  return lines;
}

export function isPodReady(pod: KubeObject): boolean {
  return conditionsOf(pod).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function nodeOfPod(pod: KubeObject): string {
  return (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
}

export function isDeleting(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

export function describePod(pod: KubeObject): PodSummary {
  const disruption = conditionsOf(pod).find(
    (c) => c.type === 'DisruptionTarget' && c.status === 'True',
  );
  return {
    node: nodeOfPod(pod),
    ready: isPodReady(pod),
    deleting: isDeleting(pod),
    disruption: disruption?.reason ?? '',
  };
}

/** Lines for a pod being scheduled, turning (not) Ready, terminating, or deleted. */
export function podChanges(
  name: string,
  before: PodSummary | undefined,
  after: PodSummary | undefined,
): string[] {
  if (after === undefined) {
    return before === undefined ? [] : [`Pod ${name} deleted (was on ${before.node || 'no node'})`];
  }
  const lines: string[] = [];
  const where = after.node === '' ? 'unscheduled' : `on ${after.node}`;
  if (after.node !== '' && (before?.node ?? '') === '') {
    lines.push(`Pod ${name} scheduled to ${after.node}`);
  }
  if (after.deleting && before?.deleting !== true) {
    const why = after.disruption === '' ? '' : ` (${after.disruption})`;
    lines.push(`Pod ${name} ${where} terminating${why}`);
  }
  if (before !== undefined && after.ready !== before.ready) {
    lines.push(`Pod ${name} ${where} ${after.ready ? 'Ready' : 'not Ready'}`);
  } else if (before === undefined && after.ready) {
    lines.push(`Pod ${name} ${where} Ready`);
  }
  return lines;
}

export function describeReplicaSet(replicaSet: KubeObject): { replicas: number; image: string } {
  const spec = replicaSet.spec as
    { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } } | undefined;
  const image = spec?.template?.spec?.containers?.[0]?.image ?? '';
  return { replicas: spec?.replicas ?? 1, image };
}

export function describeEndpoints(endpoints: KubeObject): EndpointsSummary {
  const subsets = (endpoints.subsets ?? []) as {
    addresses?: unknown[];
    notReadyAddresses?: unknown[];
  }[];
  let ready = 0;
  let notReady = 0;
  for (const subset of subsets) {
    ready += subset.addresses?.length ?? 0;
    notReady += subset.notReadyAddresses?.length ?? 0;
  }
  return { ready, notReady };
}

export function endpointsText(counts: EndpointsSummary): string {
  return `${counts.ready} ready, ${counts.notReady} not ready`;
}

/** The line for a change of an Endpoints' ready address count, if it changed. */
export function endpointsChange(
  name: string,
  before: EndpointsSummary,
  after: EndpointsSummary,
): string | undefined {
  if (before.ready === after.ready) return undefined;
  return `Endpoints ${name}: ${endpointsText(after)} (was ${before.ready} ready)`;
}

/** `node-a 2, node-b 2, node-c 2` over the given nodes (zero counts included), in name order. */
export function podsPerNode(pods: readonly KubeObject[], nodeNames: readonly string[]): string {
  const counts = new Map<string, number>(nodeNames.map((name) => [name, 0]));
  for (const pod of pods) {
    const node = nodeOfPod(pod);
    counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return [...counts.keys()]
    .sort(byCodeUnits)
    .map((node) => `${node === '' ? 'unscheduled' : node} ${counts.get(node) ?? 0}`)
    .join(', ');
}

/** Sum of restartCount over every container status of the pods. */
export function restartCount(pods: readonly KubeObject[]): number {
  let total = 0;
  for (const pod of pods) {
    const status = pod.status as { containerStatuses?: { restartCount?: number }[] } | undefined;
    for (const container of status?.containerStatuses ?? []) total += container.restartCount ?? 0;
  }
  return total;
}

/** Status of the object's condition of `type`, or '' without one. */
export function conditionOf(object: KubeObject | undefined, type: string): string {
  if (object === undefined) return '';
  return conditionsOf(object).find((c) => c.type === type)?.status ?? '';
}

export function isNodeReady(node: KubeObject): boolean {
  return conditionOf(node, 'Ready') === 'True';
}

/** spec.replicas and status.replicas of a ReplicaSet. */
export function replicaSetSizes(replicaSet: KubeObject): { desired: number; current: number } {
  const status = replicaSet.status as { replicas?: number } | undefined;
  return { desired: describeReplicaSet(replicaSet).replicas, current: status?.replicas ?? 0 };
}
