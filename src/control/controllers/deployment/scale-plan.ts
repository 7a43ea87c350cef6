// How many replicas each ReplicaSet of a Deployment should run next (rolling.go, recreate.go,
// sync.go scale/cleanupDeployment, deploymentutil NewRSNewReplicas/GetProportion). Pure: every
// function returns a plan of scale steps that the controller applies in order.

import type { Deployment, ReplicaSet } from './deployment-objects.js';
import {
  availableReplicas,
  deploymentReplicas,
  isRollingUpdate,
  specReplicas,
  uidOf,
} from './deployment-objects.js';
import {
  activeReplicaSets,
  availableReplicaSum,
  compareByCreation,
  compareByRevision,
  compareBySizeNewer,
  compareBySizeOlder,
  findActiveOrLatest,
  isSaturated,
  sortedBy,
  specReplicaSum,
} from './replica-set-lists.js';
import type { ScaledValue } from './rolling-params.js';
import { maxSurgeOf, maxUnavailableOf, scaledValueFromIntOrPercent } from './rolling-params.js';
import { desiredReplicasOf, maxReplicasOf } from './revision.js';

/**
 * One write: set `rs` to `replicas`. `always` (proportional scaling) also writes when only the
 * replica annotations are stale; otherwise an unchanged size is skipped. `operation` names the
 * direction in the ScalingReplicaSet event ('' when the total did not change).
 */
export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
  always: boolean;
  operation: 'up' | 'down' | '';
}

/** A plan, and the error upstream raises after the steps before it were applied. */
export interface ScalePlan {
  steps: ScaleStep[];
  error?: string;
}

function step(rs: ReplicaSet, replicas: number, always = false): ScaleStep {
  const current = specReplicas(rs);
  const operation = replicas === current ? '' : replicas < current ? 'down' : 'up';
  return { rs, replicas, always, operation };
}

/**
 * NewRSNewReplicas: for RollingUpdate, as many more as fit under spec.replicas + maxSurge (all
 * ReplicaSets counted by spec) without exceeding spec.replicas; for Recreate, spec.replicas.
 */
export function newReplicaSetReplicas(
  deployment: Deployment,
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet,
): ScaledValue {
  const desired = deploymentReplicas(deployment);
  const type = deployment.spec.strategy?.type ?? 'RollingUpdate';
  if (type === 'Recreate') return { ok: true, value: desired };
  if (type !== 'RollingUpdate') {
    return { ok: false, message: `deployment type ${type} isn't supported` };
  }
  const surge = scaledValueFromIntOrPercent(
    deployment.spec.strategy?.rollingUpdate?.maxSurge,
    desired,
    true,
  );
  if (!surge.ok) return surge;
  const current = specReplicaSum(allRSs);
  const maxTotal = desired + surge.value;
  const newReplicas = specReplicas(newRS);
  if (current >= maxTotal) return { ok: true, value: newReplicas };
  const scaleUp = Math.min(maxTotal - current, desired - newReplicas);
  return { ok: true, value: newReplicas + scaleUp };
}

/** reconcileNewReplicaSet: the new ReplicaSet's next size (equal to now: nothing to do). */
export function planNewReplicaSet(
  deployment: Deployment,
  allRSs: readonly (ReplicaSet | undefined)[],
  newRS: ReplicaSet,
): ScaledValue {
  const desired = deploymentReplicas(deployment);
  if (specReplicas(newRS) >= desired) return { ok: true, value: desired };
  return newReplicaSetReplicas(deployment, allRSs, newRS);
}

/**
 * reconcileOldReplicaSets: scale old ReplicaSets down as far as availability allows. First their
 * unavailable replicas (cleanupUnhealthyReplicas, bounded by how far the total may shrink), then
 * available ones down to spec.replicas − maxUnavailable available pods, oldest first.
 */
export function planOldReplicaSets(
  deployment: Deployment,
  allRSs: readonly (ReplicaSet | undefined)[],
  oldRSs: readonly ReplicaSet[],
  newRS: ReplicaSet,
): ScalePlan {
  if (specReplicaSum(oldRSs) === 0) return { steps: [] };
  const minAvailable = deploymentReplicas(deployment) - maxUnavailableOf(deployment);
  const newUnavailable = specReplicas(newRS) - availableReplicas(newRS);
  const maxScaledDown = specReplicaSum(allRSs) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return { steps: [] };
  const sizes = new Map(oldRSs.map((rs) => [uidOf(rs), specReplicas(rs)]));
  const cleanup = planUnhealthyCleanup(oldRSs, maxScaledDown, sizes);
  if (cleanup.error !== undefined) return cleanup;
  const scaleDown = planAvailableScaleDown(allRSs, oldRSs, minAvailable, sizes);
  return { steps: [...cleanup.steps, ...scaleDown.steps] };
}

/** cleanupUnhealthyReplicas; updates `sizes` with the planned sizes. */
function planUnhealthyCleanup(
  oldRSs: readonly ReplicaSet[],
  maxCount: number,
  sizes: Map<string, number>,
): ScalePlan {
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of sortedBy(oldRSs, compareByCreation)) {
    if (total >= maxCount) break;
    const replicas = specReplicas(rs);
    const available = availableReplicas(rs);
    if (replicas === 0 || replicas === available) continue;
    const count = Math.min(maxCount - total, replicas - available);
    const next = replicas - count;
    if (next > replicas) {
      const name = `${rs.metadata.namespace ?? ''}/${rs.metadata.name ?? ''}`;
      const error = `when cleaning up unhealthy replicas, got invalid request to scale down ${name} ${replicas} -> ${next}`;
      return { steps, error };
    }
    steps.push(step(rs, next));
    sizes.set(uidOf(rs), next);
    total += count;
  }
  return { steps };
}

/** scaleDownOldReplicaSetsForRollingUpdate, on the sizes left by the cleanup. */
function planAvailableScaleDown(
  allRSs: readonly (ReplicaSet | undefined)[],
  oldRSs: readonly ReplicaSet[],
  minAvailable: number,
  sizes: Map<string, number>,
): ScalePlan {
  const available = availableReplicaSum(allRSs);
  if (available <= minAvailable) return { steps: [] };
  const steps: ScaleStep[] = [];
  const target = available - minAvailable;
  let total = 0;
  for (const rs of sortedBy(oldRSs, compareByCreation)) {
    if (total >= target) break;
    const replicas = sizes.get(uidOf(rs)) ?? specReplicas(rs);
    if (replicas === 0) continue;
    const count = Math.min(replicas, target - total);
    steps.push({ rs, replicas: replicas - count, always: false, operation: 'down' });
    total += count;
  }
  return { steps };
}

/** scaleDownOldReplicaSetsForRecreate: every active old ReplicaSet to 0. */
export function planRecreateScaleDown(oldRSs: readonly ReplicaSet[]): ScaleStep[] {
  return activeReplicaSets(oldRSs).map((rs) => step(rs, 0));
}

/** What oldPodsRunning needs of a pod: its phase. */
export interface PodPhaseView {
  status?: { phase?: string };
}

/**
 * oldPodsRunning: an old ReplicaSet still reports pods, or a pod of any ReplicaSet but the new
 * one is not Succeeded/Failed (Unknown counts as running).
 */
export function oldPodsRunning(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
  podsByReplicaSetUid: ReadonlyMap<string, readonly PodPhaseView[]>,
): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  for (const [uid, pods] of podsByReplicaSetUid) {
    if (newRS !== undefined && uidOf(newRS) === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase !== 'Failed' && phase !== 'Succeeded') return true;
    }
  }
  return false;
}

/**
 * isScalingEvent: an active ReplicaSet's desired-replicas annotation differs from
 * spec.replicas, i.e. the Deployment was scaled since the ReplicaSets were last sized.
 */
export function isScalingEvent(
  deployment: Deployment,
  allRSs: readonly (ReplicaSet | undefined)[],
): boolean {
  const desired = deploymentReplicas(deployment);
  return activeReplicaSets(allRSs).some((rs) => {
    const annotated = desiredReplicasOf(rs);
    return annotated !== undefined && annotated !== desired;
  });
}

/** getReplicaSetFraction: this ReplicaSet's share of the change in maximum size. */
function replicaSetFraction(rs: ReplicaSet, deployment: Deployment): number {
  const desired = deploymentReplicas(deployment);
  if (desired === 0) return -specReplicas(rs);
  const maxNow = desired + maxSurgeOf(deployment);
  let maxBefore = maxReplicasOf(rs) ?? 0;
  if (maxBefore === 0) maxBefore = deployment.status?.replicas ?? 0;
  if (maxBefore === 0) return 0;
  // integer.RoundToInt32(spec × maxNow / maxBefore), rounding halves up (all terms ≥ 0).
  const product = specReplicas(rs) * maxNow;
  const rounded = Math.floor((2 * product + maxBefore) / (2 * maxBefore));
  return rounded - specReplicas(rs);
}

/** GetProportion: the fraction, bounded by what is left to add (or remove). */
export function proportionOf(
  rs: ReplicaSet,
  deployment: Deployment,
  toAdd: number,
  added: number,
): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, deployment);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * sync.go scale(): with one active (or no active) ReplicaSet, size it to spec.replicas; once
 * the new ReplicaSet is saturated, zero the old ones; during a rolling update, spread the change
 * in spec.replicas + maxSurge over the active ReplicaSets in proportion to their size, the
 * rounding leftover going to the largest.
 */
export function planScale(
  deployment: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ScaleStep[] {
  const desired = deploymentReplicas(deployment);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest !== undefined) {
    return specReplicas(activeOrLatest) === desired ? [] : [step(activeOrLatest, desired)];
  }
  if (isSaturated(deployment, newRS)) return planRecreateScaleDown(oldRSs);
  if (!isRollingUpdate(deployment)) return [];
  return planProportionalScale(deployment, activeReplicaSets([...oldRSs, newRS]));
}

function planProportionalScale(deployment: Deployment, active: ReplicaSet[]): ScaleStep[] {
  const desired = deploymentReplicas(deployment);
  const allowed = desired > 0 ? desired + maxSurgeOf(deployment) : 0;
  const toAdd = allowed - specReplicaSum(active);
  const operation = toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '';
  const ordered =
    toAdd > 0
      ? sortedBy(active, compareBySizeNewer)
      : toAdd < 0
        ? sortedBy(active, compareBySizeOlder)
        : active;
  const sizes = ordered.map((rs) => specReplicas(rs));
  let added = 0;
  if (toAdd !== 0) {
    ordered.forEach((rs, i) => {
      const proportion = proportionOf(rs, deployment, toAdd, added);
      sizes[i] = (sizes[i] as number) + proportion;
      added += proportion;
    });
    if (sizes.length > 0) sizes[0] = Math.max(0, (sizes[0] as number) + toAdd - added);
  }
  return ordered.map((rs, i) => ({ rs, replicas: sizes[i] as number, always: true, operation }));
}

/**
 * cleanupDeployment: the oldest ReplicaSets beyond revisionHistoryLimit that are fully scaled
 * down, observed and not already being deleted.
 */
export function planHistoryCleanup(
  deployment: Deployment,
  oldRSs: readonly ReplicaSet[],
): ReplicaSet[] {
  const limit = deployment.spec.revisionHistoryLimit;
  if (limit === undefined) return [];
  const alive = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
  const excess = alive.length - limit;
  if (excess <= 0) return [];
  return sortedBy(alive, compareByRevision)
    .slice(0, excess)
    .filter(
      (rs) =>
        (rs.status?.replicas ?? 0) === 0 &&
        specReplicas(rs) === 0 &&
        (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0),
    );
}
