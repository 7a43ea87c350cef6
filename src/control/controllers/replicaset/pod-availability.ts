// Pod readiness and availability as the workload controllers judge them (pkg/api/v1/pod/util.go).

import type { KubeObject } from '../../client/types.js';
import { recordAt, statusOf, timeMsOf } from './pod-fields.js';

/** A core/v1 PodCondition as read from a pod's status. */
export interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** The first condition of `type` in status.conditions (GetPodCondition); undefined if none. */
export function podCondition(pod: KubeObject, type: string): PodCondition | undefined {
  const conditions = statusOf(pod).conditions;
  if (!Array.isArray(conditions)) return undefined;
  for (const entry of conditions) {
    const condition = recordAt(entry);
    if (condition.type === type) return condition as unknown as PodCondition;
  }
  return undefined;
}

/** The pod's Ready condition (GetPodReadyCondition); undefined when it has none. */
export function podReadyCondition(pod: KubeObject): PodCondition | undefined {
  return podCondition(pod, 'Ready');
}

/** IsPodReady: the Ready condition exists and its status is True. */
export function podIsReady(pod: KubeObject): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/**
 * When the pod last became Ready (its Ready condition's lastTransitionTime, in ms), for a ready
 * pod; undefined when it is not ready or the time is missing (Go's zero time).
 */
export function podReadySinceMs(pod: KubeObject): number | undefined {
  const condition = podReadyCondition(pod);
  if (condition?.status !== 'True') return undefined;
  return timeMsOf(condition.lastTransitionTime);
}

/**
 * IsPodAvailable: the pod is Ready, and either minReadySeconds is 0 or it has been Ready for
 * strictly longer than minReadySeconds at `nowMs` (lastTransitionTime + minReadySeconds < now).
 * A ready pod without a lastTransitionTime is available only when minReadySeconds is 0.
 */
export function podIsAvailable(pod: KubeObject, minReadySeconds: number, nowMs: number): boolean {
  if (!podIsReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const readySinceMs = timeMsOf(podReadyCondition(pod)?.lastTransitionTime);
  return readySinceMs !== undefined && readySinceMs + minReadySeconds * 1000 < nowMs;
}
