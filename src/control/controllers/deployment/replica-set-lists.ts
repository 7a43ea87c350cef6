// Orders, filters and sums over a Deployment's ReplicaSets (controller_utils.go sort types and
// deploymentutil's Find*/Get*Count helpers). Every order is total: ties end on the name.

import { parseTime } from '../../api/values/time.js';
import type { Deployment, ReplicaSet } from './deployment-objects.js';
import {
  annotationsOf,
  availableReplicas,
  deploymentReplicas,
  desiredReplicasAnnotation,
  nameOf,
  readyReplicas,
  revisionAnnotation,
  specReplicas,
  statusReplicas,
  uidOf,
} from './deployment-objects.js';
import { equalIgnoreHash } from './template-hash.js';

/** An unset or unparsable creationTimestamp sorts first, like Go's zero time. */
function createdAtMs(rs: ReplicaSet): number {
  const text = rs.metadata.creationTimestamp;
  const ms = text === undefined ? undefined : parseTime(text);
  return ms ?? Number.MIN_SAFE_INTEGER;
}

function compareNames(a: ReplicaSet, b: ReplicaSet): number {
  const left = nameOf(a);
  const right = nameOf(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** ReplicaSetsByCreationTimestamp: older first, then by name. */
export function compareByCreation(a: ReplicaSet, b: ReplicaSet): number {
  const delta = createdAtMs(a) - createdAtMs(b);
  return delta !== 0 ? Math.sign(delta) : compareNames(a, b);
}

/** ReplicaSetsBySizeOlder: larger spec.replicas first, then older first. */
export function compareBySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  const delta = specReplicas(b) - specReplicas(a);
  return delta !== 0 ? Math.sign(delta) : compareByCreation(a, b);
}

/** ReplicaSetsBySizeNewer: larger spec.replicas first, then newer first. */
export function compareBySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  const delta = specReplicas(b) - specReplicas(a);
  return delta !== 0 ? Math.sign(delta) : compareByCreation(b, a);
}

/**
 * Revision: the revision annotation as an integer; 0 when absent, undefined when it does not
 * parse as a Go int64 (callers skip such ReplicaSets, as upstream does).
 */
export function revisionOf(rs: ReplicaSet | Deployment): number | undefined {
  const text = annotationsOf(rs)[revisionAnnotation];
  if (text === undefined) return 0;
  return /^[+-]?[0-9]+$/.test(text) && Number.isSafeInteger(Number(text))
    ? Number(text)
    : undefined;
}

/** ReplicaSetsByRevision: lower revision first (unparsable counts as 0), then by creation. */
export function compareByRevision(a: ReplicaSet, b: ReplicaSet): number {
  const delta = (revisionOf(a) ?? 0) - (revisionOf(b) ?? 0);
  return delta !== 0 ? Math.sign(delta) : compareByCreation(a, b);
}

export function sortedBy(
  list: readonly ReplicaSet[],
  compare: (a: ReplicaSet, b: ReplicaSet) => number,
): ReplicaSet[] {
  return [...list].sort(compare);
}

/** MaxRevision: the highest parsable revision, 0 when there is none. */
export function maxRevision(list: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of list) {
    const revision = revisionOf(rs);
    if (revision !== undefined && revision > max) max = revision;
  }
  return max;
}

/** FindNewReplicaSet: the oldest ReplicaSet whose template equals the Deployment's. */
export function findNewReplicaSet(
  deployment: Deployment,
  list: readonly ReplicaSet[],
): ReplicaSet | undefined {
  return sortedBy(list, compareByCreation).find((rs) =>
    equalIgnoreHash(rs.spec.template, deployment.spec.template),
  );
}

/** FindOldReplicaSets minus the "required" list: every ReplicaSet but the new one. */
export function findOldReplicaSets(
  deployment: Deployment,
  list: readonly ReplicaSet[],
): ReplicaSet[] {
  const newRS = findNewReplicaSet(deployment, list);
  return list.filter((rs) => newRS === undefined || uidOf(rs) !== uidOf(newRS));
}

/** FilterActiveReplicaSets: spec.replicas > 0. */
export function activeReplicaSets(list: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return list.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

function sum(list: readonly (ReplicaSet | undefined)[], count: (rs: ReplicaSet) => number): number {
  let total = 0;
  for (const rs of list) if (rs !== undefined) total += count(rs);
  return total;
}

/** GetReplicaCountForReplicaSets: the sum of spec.replicas. */
export function specReplicaSum(list: readonly (ReplicaSet | undefined)[]): number {
  return sum(list, specReplicas);
}

/** GetActualReplicaCountForReplicaSets: the sum of status.replicas. */
export function statusReplicaSum(list: readonly (ReplicaSet | undefined)[]): number {
  return sum(list, statusReplicas);
}

export function readyReplicaSum(list: readonly (ReplicaSet | undefined)[]): number {
  return sum(list, readyReplicas);
}

export function availableReplicaSum(list: readonly (ReplicaSet | undefined)[]): number {
  return sum(list, availableReplicas);
}

/**
 * FindActiveOrLatest: the only active ReplicaSet, or the newest one when none is active;
 * undefined when several are active (they are then scaled proportionally).
 */
export function findActiveOrLatest(
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ReplicaSet | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const newestFirst = sortedBy(oldRSs, (a, b) => compareByCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 1) return active[0];
  if (active.length > 1) return undefined;
  return newRS ?? newestFirst[0];
}

/** IsSaturated: the new ReplicaSet runs the full desired count, all of it available. */
export function isSaturated(deployment: Deployment, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const text = annotationsOf(rs)[desiredReplicasAnnotation];
  if (text === undefined || !/^[+-]?[0-9]+$/.test(text)) return false;
  const desired = deploymentReplicas(deployment);
  return (
    specReplicas(rs) === desired && Number(text) === desired && availableReplicas(rs) === desired
  );
}
