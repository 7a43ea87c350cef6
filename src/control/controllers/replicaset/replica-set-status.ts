// ReplicaSet spec readers and status computation (replica_set_utils.go: calculateStatus,
// updateReplicaSetStatus's "steady state" test and the ReplicaFailure condition helpers).

import { formatTime } from '../../api/values/time.js';
import { canonicalStringify } from '../../api/values/canonical-json.js';
import { matchesLabels, selectorFromSet } from '../../api/values/labels.js';
import type { KubeObject } from '../../client/types.js';
import { podIsAvailable, podIsReady } from './pod-availability.js';
import { labelsOf, recordAt, specOf, statusOf, stringMapOf } from './pod-fields.js';

export const replicaFailureConditionType = 'ReplicaFailure';
/** Condition reasons and event reasons of pod creates/deletes (controller_utils.go). */
export const failedCreateReason = 'FailedCreate';
export const failedDeleteReason = 'FailedDelete';

/** apps/v1 ReplicaSetCondition. */
export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** apps/v1 ReplicaSetStatus with Go's zero values filled in. */
export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  observedGeneration: number;
  conditions: ReplicaSetCondition[];
}

function intAt(record: Readonly<Record<string, unknown>>, field: string, zero: number): number {
  const value = record[field];
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : zero;
}

/** spec.replicas; 1 when absent (the API server defaults it, this is a fallback). */
export function desiredReplicasOf(replicaSet: KubeObject): number {
  return intAt(specOf(replicaSet), 'replicas', 1);
}

export function minReadySecondsOf(replicaSet: KubeObject): number {
  return intAt(specOf(replicaSet), 'minReadySeconds', 0);
}

/** spec.template (a PodTemplateSpec), {} when absent. */
export function podTemplateOf(replicaSet: KubeObject): Readonly<Record<string, unknown>> {
  return recordAt(specOf(replicaSet).template);
}

export function generationOf(object: KubeObject): number {
  return typeof object.metadata.generation === 'number' ? object.metadata.generation : 0;
}

/** The stored status with absent fields read as Go's zero values. */
export function replicaSetStatusOf(replicaSet: KubeObject): ReplicaSetStatus {
  const status = statusOf(replicaSet);
  const conditions = Array.isArray(status.conditions)
    ? (status.conditions as ReplicaSetCondition[])
    : [];
  return {
    replicas: intAt(status, 'replicas', 0),
    fullyLabeledReplicas: intAt(status, 'fullyLabeledReplicas', 0),
    readyReplicas: intAt(status, 'readyReplicas', 0),
    availableReplicas: intAt(status, 'availableReplicas', 0),
    observedGeneration: intAt(status, 'observedGeneration', 0),
    conditions,
  };
}

/** A failed manageReplicas: the error text becomes the ReplicaFailure condition's message. */
export interface ManageFailure {
  message: string;
}

function failureReason(podCount: number, desired: number): string {
  if (podCount < desired) return failedCreateReason;
  if (podCount > desired) return failedDeleteReason;
  return '';
}

/**
 * calculateStatus: counts over the controller's active pods, and the ReplicaFailure condition —
 * added (reason FailedCreate/FailedDelete, message = the error) when manageReplicas failed and
 * there is none, removed when it succeeded (or did not run) and there is one. observedGeneration
 * is carried over; the writer sets it.
 */
export function calculateReplicaSetStatus(
  replicaSet: KubeObject,
  pods: readonly KubeObject[],
  options: {
    /** The manageReplicas error of this sync; undefined when it succeeded or did not run. */
    failure?: ManageFailure;
    /** Reference time of availability and of a new condition's lastTransitionTime. */
    nowMs: number;
  },
): ReplicaSetStatus {
  const { failure, nowMs } = options;
  const old = replicaSetStatusOf(replicaSet);
  const templateLabels = stringMapOf(recordAt(podTemplateOf(replicaSet).metadata).labels);
  const templateSelector = selectorFromSet(templateLabels);
  const minReadySeconds = minReadySecondsOf(replicaSet);
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (matchesLabels(templateSelector, labelsOf(pod))) fullyLabeled += 1;
    if (!podIsReady(pod)) continue;
    ready += 1;
    if (podIsAvailable(pod, minReadySeconds, nowMs)) available += 1;
  }
  let conditions = old.conditions;
  const hasFailure = conditions.some((c) => c.type === replicaFailureConditionType);
  if (failure !== undefined && !hasFailure) {
    const condition: ReplicaSetCondition = {
      type: replicaFailureConditionType,
      status: 'True',
      lastTransitionTime: formatTime(nowMs),
      reason: failureReason(pods.length, desiredReplicasOf(replicaSet)),
      message: failure.message,
    };
    conditions = [...conditions, condition];
  } else if (failure === undefined && hasFailure) {
    conditions = conditions.filter((c) => c.type !== replicaFailureConditionType);
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: old.observedGeneration,
    conditions,
  };
}

/**
 * Whether updateReplicaSetStatus must write: a count changed, the conditions changed, or the
 * stored observedGeneration lags metadata.generation.
 */
export function replicaSetStatusNeedsWrite(
  replicaSet: KubeObject,
  next: ReplicaSetStatus,
): boolean {
  const old = replicaSetStatusOf(replicaSet);
  return (
    old.replicas !== next.replicas ||
    old.fullyLabeledReplicas !== next.fullyLabeledReplicas ||
    old.readyReplicas !== next.readyReplicas ||
    old.availableReplicas !== next.availableReplicas ||
    generationOf(replicaSet) !== old.observedGeneration ||
    canonicalStringify(old.conditions) !== canonicalStringify(next.conditions)
  );
}

/**
 * The status as upstream serialises it: `replicas` always, the other counts and conditions
 * only when non-zero / non-empty (omitempty), observedGeneration set to `generation`.
 */
export function replicaSetStatusBody(
  status: ReplicaSetStatus,
  generation: number,
): Record<string, unknown> {
  const body: Record<string, unknown> = { replicas: status.replicas };
  if (status.fullyLabeledReplicas !== 0) body.fullyLabeledReplicas = status.fullyLabeledReplicas;
  if (status.readyReplicas !== 0) body.readyReplicas = status.readyReplicas;
  if (status.availableReplicas !== 0) body.availableReplicas = status.availableReplicas;
  if (generation !== 0) body.observedGeneration = generation;
  if (status.conditions.length > 0) body.conditions = status.conditions;
  return body;
}
