// Deployment status and conditions (deploymentutil conditions helpers, sync.go calculateStatus,
// progress.go syncRolloutStatus / requeueStuckDeployment, checkPausedConditions). Pure: "now" is
// an argument, condition times are metav1.Time text (seconds).

import { canonicalStringify } from '../../api/values/canonical-json.js';
import { formatTime, parseTime } from '../../api/values/time.js';
import type {
  ConditionStatus,
  Deployment,
  DeploymentCondition,
  DeploymentStatus,
  ReplicaSet,
  ReplicaSetCondition,
} from './deployment-objects.js';
import { deploymentReplicas, hasProgressDeadline, nameOf } from './deployment-objects.js';
import { maxUnavailableOf } from './rolling-params.js';
import {
  availableReplicaSum,
  readyReplicaSum,
  specReplicaSum,
  statusReplicaSum,
} from './replica-set-lists.js';

export const progressingCondition = 'Progressing';
export const availableCondition = 'Available';
export const replicaFailureCondition = 'ReplicaFailure';

/** Condition reasons, as deploymentutil names them. */
export const reasons = {
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

/** NewDeploymentCondition: both times are now; an empty reason or message is omitted. */
export function newCondition(
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  nowMs: number,
): DeploymentCondition {
  const now = formatTime(nowMs);
  return {
    type,
    status,
    lastUpdateTime: now,
    lastTransitionTime: now,
    ...(reason === '' ? {} : { reason }),
    ...(message === '' ? {} : { message }),
  };
}

export function getCondition(
  status: DeploymentStatus | undefined,
  type: string,
): DeploymentCondition | undefined {
  return status?.conditions?.find((condition) => condition.type === type);
}

/** RemoveDeploymentCondition. */
export function removeCondition(status: DeploymentStatus, type: string): DeploymentStatus {
  const conditions = (status.conditions ?? []).filter((condition) => condition.type !== type);
  return withConditions(status, conditions);
}

function withConditions(
  status: DeploymentStatus,
  conditions: readonly DeploymentCondition[],
): DeploymentStatus {
  const { conditions: _dropped, ...rest } = status;
  return conditions.length === 0 ? rest : { ...rest, conditions };
}

/**
 * SetDeploymentCondition: no change when a condition of the type has the same status and reason;
 * the transition time is kept when only the reason changes; the condition moves to the end.
 */
export function setCondition(
  status: DeploymentStatus,
  condition: DeploymentCondition,
): DeploymentStatus {
  const current = getCondition(status, condition.type);
  if (current?.status === condition.status && current.reason === condition.reason) return status;
  let next = condition;
  if (current?.status === condition.status) {
    const { lastTransitionTime: _replaced, ...rest } = condition;
    const kept = current.lastTransitionTime;
    next = kept === undefined ? rest : { ...rest, lastTransitionTime: kept };
  }
  const others = (status.conditions ?? []).filter((c) => c.type !== condition.type);
  return withConditions(status, [...others, next]);
}

/** ReplicaSetToDeploymentCondition: the update time is the transition time. */
export function replicaSetToDeploymentCondition(
  condition: ReplicaSetCondition,
): DeploymentCondition {
  const { type, status, lastTransitionTime, reason, message } = condition;
  return {
    type,
    status,
    ...(lastTransitionTime === undefined ? {} : { lastUpdateTime: lastTransitionTime }),
    ...(lastTransitionTime === undefined ? {} : { lastTransitionTime }),
    ...(reason === undefined ? {} : { reason }),
    ...(message === undefined ? {} : { message }),
  };
}

/** Builds a status the way Go serialises it: zero counts omitted (collisionCount is a pointer). */
function statusOf(fields: Required<Omit<DeploymentStatus, 'conditions' | 'collisionCount'>>) {
  const status: Record<string, number> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== 0) status[key] = value;
  return status as DeploymentStatus;
}

/** calculateStatus: counts from the ReplicaSets, and the Available condition. */
export function calculateStatus(
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  deployment: Deployment,
  nowMs: number,
): DeploymentStatus {
  const available = availableReplicaSum(allRSs);
  const unavailable = Math.max(0, specReplicaSum(allRSs) - available);
  let status = statusOf({
    observedGeneration: deployment.metadata.generation ?? 0,
    replicas: statusReplicaSum(allRSs),
    updatedReplicas: statusReplicaSum([newRS]),
    readyReplicas: readyReplicaSum(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  });
  const collisionCount = deployment.status?.collisionCount;
  if (collisionCount !== undefined) status = { ...status, collisionCount };
  const conditions = deployment.status?.conditions ?? [];
  if (conditions.length > 0) status = { ...status, conditions };
  const minimum = deploymentReplicas(deployment) - maxUnavailableOf(deployment);
  const condition =
    available >= minimum
      ? newCondition(
          availableCondition,
          'True',
          reasons.minimumReplicasAvailable,
          'Deployment has minimum availability.',
          nowMs,
        )
      : newCondition(
          availableCondition,
          'False',
          reasons.minimumReplicasUnavailable,
          'Deployment does not have minimum availability.',
          nowMs,
        );
  return setCondition(status, condition);
}

/** DeploymentComplete: every desired pod is updated and available, and the spec was seen. */
export function deploymentComplete(deployment: Deployment, status: DeploymentStatus): boolean {
  const desired = deploymentReplicas(deployment);
  return (
    (status.updatedReplicas ?? 0) === desired &&
    (status.replicas ?? 0) === desired &&
    (status.availableReplicas ?? 0) === desired &&
    (status.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, ready or available pods, or fewer old ones. */
export function deploymentProgressing(deployment: Deployment, next: DeploymentStatus): boolean {
  const old = deployment.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const nextOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    nextOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

function lastUpdateMs(condition: DeploymentCondition): number {
  const text = condition.lastUpdateTime;
  return (text === undefined ? undefined : parseTime(text)) ?? Number.MIN_SAFE_INTEGER;
}

/** DeploymentTimedOut: no progress reported for progressDeadlineSeconds. */
export function deploymentTimedOut(
  deployment: Deployment,
  next: DeploymentStatus,
  nowMs: number,
): boolean {
  if (!hasProgressDeadline(deployment)) return false;
  const condition = getCondition(next, progressingCondition);
  if (condition === undefined || condition.reason === reasons.newRSAvailable) return false;
  if (condition.reason === reasons.timedOut) return true;
  const deadlineMs = (deployment.spec.progressDeadlineSeconds ?? 0) * 1000;
  return lastUpdateMs(condition) + deadlineMs < nowMs;
}

/** syncRolloutStatus's Progressing update: complete, progressing, timed out, or as it was. */
function progressUpdate(
  deployment: Deployment,
  newRS: ReplicaSet | undefined,
  next: DeploymentStatus,
  nowMs: number,
): DeploymentStatus {
  const subject =
    newRS === undefined ? `Deployment "${nameOf(deployment)}"` : `ReplicaSet "${nameOf(newRS)}"`;
  if (deploymentComplete(deployment, next)) {
    const message = `${subject} has successfully progressed.`;
    const condition = newCondition(
      progressingCondition,
      'True',
      reasons.newRSAvailable,
      message,
      nowMs,
    );
    return setCondition(next, condition);
  }
  if (deploymentProgressing(deployment, next)) {
    const message = `${subject} is progressing.`;
    let condition = newCondition(
      progressingCondition,
      'True',
      reasons.replicaSetUpdated,
      message,
      nowMs,
    );
    const current = getCondition(deployment.status, progressingCondition);
    let base = next;
    if (current !== undefined) {
      if (current.status === 'True' && current.lastTransitionTime !== undefined) {
        condition = { ...condition, lastTransitionTime: current.lastTransitionTime };
      }
      base = removeCondition(next, progressingCondition);
    }
    return setCondition(base, condition);
  }
  if (deploymentTimedOut(deployment, next, nowMs)) {
    const message = `${subject} has timed out progressing.`;
    const condition = newCondition(progressingCondition, 'False', reasons.timedOut, message, nowMs);
    return setCondition(next, condition);
  }
  return next;
}

/** getReplicaFailures: the new ReplicaSet's ReplicaFailure conditions first, else any old one's. */
function replicaFailures(
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
): DeploymentCondition[] {
  const failuresOf = (rs: ReplicaSet | undefined) =>
    (rs?.status?.conditions ?? [])
      .filter((condition) => condition.type === replicaFailureCondition)
      .map(replicaSetToDeploymentCondition);
  const fromNew = failuresOf(newRS);
  if (fromNew.length > 0) return fromNew;
  return allRSs.flatMap(failuresOf);
}

/** syncRolloutStatus's new status: counts, Available, Progressing and ReplicaFailure. */
export function rolloutStatus(
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet | undefined,
  deployment: Deployment,
  nowMs: number,
): DeploymentStatus {
  let next = calculateStatus(allRSs, newRS, deployment, nowMs);
  if (!hasProgressDeadline(deployment)) next = removeCondition(next, progressingCondition);
  const current = getCondition(deployment.status, progressingCondition);
  const complete =
    (next.replicas ?? 0) === (next.updatedReplicas ?? 0) &&
    current?.reason === reasons.newRSAvailable;
  if (hasProgressDeadline(deployment) && !complete) {
    next = progressUpdate(deployment, newRS, next, nowMs);
  }
  const failures = replicaFailures(allRSs, newRS);
  const first = failures[0];
  return first === undefined
    ? removeCondition(next, replicaFailureCondition)
    : setCondition(next, first);
}

/** reflect.DeepEqual on two statuses, as JSON (absent zero counts equal 0). */
export function statusesEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return canonicalStringify(normalStatus(a ?? {})) === canonicalStringify(normalStatus(b));
}

function normalStatus(status: DeploymentStatus): DeploymentStatus {
  const { conditions, collisionCount, ...counts } = status;
  const normal: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(counts)) if (value !== 0) normal[key] = value;
  if (collisionCount !== undefined) normal.collisionCount = collisionCount;
  if (conditions !== undefined && conditions.length > 0) normal.conditions = conditions;
  return normal as DeploymentStatus;
}

export type StuckRequeue =
  { kind: 'none' } | { kind: 'rateLimited' } | { kind: 'after'; delayMs: number };

/**
 * requeueStuckDeployment: when a rollout with a deadline shows no progress, look again when
 * the deadline passes (+1 s against skew), or at once (rate-limited) when under 1 s remains.
 */
export function stuckRequeue(
  deployment: Deployment,
  next: DeploymentStatus,
  nowMs: number,
): StuckRequeue {
  const current = getCondition(deployment.status, progressingCondition);
  if (!hasProgressDeadline(deployment) || current === undefined) return { kind: 'none' };
  if (deploymentComplete(deployment, next) || current.reason === reasons.timedOut) {
    return { kind: 'none' };
  }
  const deadlineMs = (deployment.spec.progressDeadlineSeconds ?? 0) * 1000;
  const afterMs = lastUpdateMs(current) + deadlineMs - nowMs;
  if (afterMs < 1000) return { kind: 'rateLimited' };
  return { kind: 'after', delayMs: afterMs + 1000 };
}

/**
 * checkPausedConditions: the Progressing condition becomes Unknown/DeploymentPaused when a
 * Deployment with a deadline is paused, and Unknown/DeploymentResumed when it is resumed; a
 * timed-out condition stays. Returns the new status, or undefined when nothing changes.
 */
export function pausedConditionUpdate(
  deployment: Deployment,
  nowMs: number,
): DeploymentStatus | undefined {
  if (!hasProgressDeadline(deployment)) return undefined;
  const current = getCondition(deployment.status, progressingCondition);
  if (current?.reason === reasons.timedOut) return undefined;
  const pausedNoted = current?.reason === reasons.paused;
  const paused = deployment.spec.paused === true;
  let condition: DeploymentCondition | undefined;
  if (paused && !pausedNoted) {
    condition = newCondition(
      progressingCondition,
      'Unknown',
      reasons.paused,
      'Deployment is paused',
      nowMs,
    );
  } else if (!paused && pausedNoted) {
    condition = newCondition(
      progressingCondition,
      'Unknown',
      reasons.resumed,
      'Deployment is resumed',
      nowMs,
    );
  }
  if (condition === undefined) return undefined;
  return setCondition(deployment.status ?? {}, condition);
}
