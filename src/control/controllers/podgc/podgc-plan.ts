// Pure decisions of the pod garbage collector (pkg/controller/podgc/gc_controller.go, v1.32):
// which pods each pass force-deletes, in which order, and the status patch that marks a
// non-terminal pod Failed first. podgc-controller.ts only calls the API.
import { compareGoStrings } from '../../api/values/go-format.js';
import { formatTime, parseTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';

/** The taint that lets PodGC force-delete terminating pods of a not-Ready node. */
export const outOfServiceTaintKey = 'node.kubernetes.io/out-of-service';

/** A pod condition as PodGC writes it. */
export interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string;
}

/** The condition an orphaned pod gets (upstream gcOrphaned). */
export const nodeGoneCondition: PodCondition = Object.freeze({
  type: 'DisruptionTarget',
  status: 'True',
  reason: 'DeletionByPodGC',
  message: 'PodGC: node no longer exists',
});

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringField(object: Record<string, unknown>, field: string): string {
  const value = object[field];
  return typeof value === 'string' ? value : '';
}

export function podPhase(pod: KubeObject): string {
  return stringField(record(pod.status), 'phase');
}

export function podNodeName(pod: KubeObject): string {
  return stringField(record(pod.spec), 'nodeName');
}

function isTerminating(object: KubeObject): boolean {
  const stamp = object.metadata.deletionTimestamp;
  return typeof stamp === 'string' && stamp !== '';
}

/** Upstream isPodTerminated: any phase but Pending, Running and Unknown (even an empty one). */
export function isPodTerminated(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown';
}

/** The kubelet eviction manager's mark (eviction.PodIsEvicted). */
export function isPodEvicted(pod: KubeObject): boolean {
  return podPhase(pod) === 'Failed' && stringField(record(pod.status), 'reason') === 'Evicted';
}

function createdAtMs(pod: KubeObject): number {
  const text = pod.metadata.creationTimestamp;
  const ms = typeof text === 'string' ? parseTime(text) : undefined;
  return ms ?? 0;
}

/**
 * Upstream byEvictionAndCreationTimestamp: evicted pods first, then the oldest
 * creationTimestamp, then by name; namespace and uid make the order total.
 */
export function compareForDeletion(a: KubeObject, b: KubeObject): number {
  const evicted = Number(isPodEvicted(b)) - Number(isPodEvicted(a));
  if (evicted !== 0) return evicted;
  const age = createdAtMs(a) - createdAtMs(b);
  if (age !== 0) return age < 0 ? -1 : 1;
  return (
    compareGoStrings(a.metadata.name ?? '', b.metadata.name ?? '') ||
    compareGoStrings(a.metadata.namespace ?? '', b.metadata.namespace ?? '') ||
    compareGoStrings(a.metadata.uid ?? '', b.metadata.uid ?? '')
  );
}

/** Terminated pods beyond `threshold`, in deletion order (gcTerminated); ≤ 0 disables. */
export function terminatedPodsToDelete(
  pods: readonly KubeObject[],
  threshold: number,
): KubeObject[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  return terminated.sort(compareForDeletion).slice(0, excess);
}

/** Whether the node's Ready condition is True (nodeutil.IsNodeReady). */
export function isNodeReady(node: KubeObject): boolean {
  const conditions = record(node.status).conditions;
  if (!Array.isArray(conditions)) return false;
  return conditions.some((c) => {
    const condition = record(c);
    return condition.type === 'Ready' && condition.status === 'True';
  });
}

function hasOutOfServiceTaint(node: KubeObject): boolean {
  const taints = record(node.spec).taints;
  if (!Array.isArray(taints)) return false;
  return taints.some((taint) => record(taint).key === outOfServiceTaintKey);
}

/**
 * Terminating pods on a node that is not Ready and carries the out-of-service taint
 * (gcTerminating), in deletion order. `nodeOf` reads the node cache; pods whose node is not
 * cached are skipped.
 */
export function outOfServicePodsToDelete(
  pods: readonly KubeObject[],
  nodeOf: (name: string) => KubeObject | undefined,
): KubeObject[] {
  const chosen = pods.filter((pod) => {
    if (!isTerminating(pod)) return false;
    const node = nodeOf(podNodeName(pod));
    return node !== undefined && !isNodeReady(node) && hasOutOfServiceTaint(node);
  });
  return chosen.sort(compareForDeletion);
}

/** Node names that bound pods refer to but the node cache lacks, sorted (gcOrphaned step 1). */
export function missingNodeNames(
  pods: readonly KubeObject[],
  existing: ReadonlySet<string>,
): string[] {
  const missing = new Set<string>();
  for (const pod of pods) {
    const node = podNodeName(pod);
    if (node !== '' && !existing.has(node)) missing.add(node);
  }
  return [...missing].sort(compareGoStrings);
}

/** Pods bound to a node confirmed deleted, in cache order (gcOrphaned step 3). */
export function podsOnDeletedNodes(
  pods: readonly KubeObject[],
  deleted: ReadonlySet<string>,
): KubeObject[] {
  return pods.filter((pod) => deleted.has(podNodeName(pod)));
}

/** Terminating pods that were never scheduled (gcUnscheduledTerminating), in cache order. */
export function unscheduledTerminatingPods(pods: readonly KubeObject[]): KubeObject[] {
  return pods.filter((pod) => isTerminating(pod) && podNodeName(pod) === '');
}

/**
 * Upstream apipod.UpdatePodCondition: the condition with lastTransitionTime now, or the old
 * one's when the status did not change.
 */
function conditionToWrite(
  existing: readonly unknown[],
  condition: PodCondition,
  nowMs: number,
): PodCondition {
  const old = existing.map(record).find((c) => c.type === condition.type);
  const keep = old !== undefined && old.status === condition.status;
  const since = keep ? stringField(old, 'lastTransitionTime') : formatTime(nowMs);
  return { ...condition, lastTransitionTime: since === '' ? formatTime(nowMs) : since };
}

/**
 * The strategic merge patch of the status subresource that marks a pod Failed before it is
 * force-deleted (markFailedAndDeletePodWithCondition), with the pod's uid as a precondition;
 * undefined for a pod already Succeeded or Failed (no patch is sent).
 */
export function failedStatusPatch(
  pod: KubeObject,
  condition: PodCondition | undefined,
  nowMs: number,
): Record<string, unknown> | undefined {
  const phase = podPhase(pod);
  if (phase === 'Succeeded' || phase === 'Failed') return undefined;
  const status: Record<string, unknown> = { phase: 'Failed' };
  if (condition !== undefined) {
    const existing = record(pod.status).conditions;
    const list = Array.isArray(existing) ? (existing as unknown[]) : [];
    status.conditions = [conditionToWrite(list, condition, nowMs)];
  }
  return { metadata: { uid: pod.metadata.uid ?? '' }, status };
}
