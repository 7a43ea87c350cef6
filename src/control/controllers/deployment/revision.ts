// Revision and replica-count annotations of a Deployment's ReplicaSets (deploymentutil's
// SetNewReplicaSetAnnotations, SetReplicasAnnotations, ReplicasAnnotationsNeedUpdate, ...).
// Pure: each function returns new annotation maps and whether anything changed.

import type { ReplicaSet } from './deployment-objects.js';
import {
  annotationsOf,
  deprecatedRollbackToAnnotation,
  desiredReplicasAnnotation,
  lastAppliedAnnotation,
  maxReplicasAnnotation,
  revisionAnnotation,
  revisionHistoryAnnotation,
} from './deployment-objects.js';

/** sync.go's maxRevHistoryLengthInChars: the revision-history annotation's length budget. */
export const revisionHistoryCharsMax = 2000;

export type Annotations = Readonly<Record<string, string>>;

export interface AnnotationUpdate {
  annotations: Record<string, string>;
  changed: boolean;
}

/** Deployment annotations that never reach its ReplicaSets (annotationsToSkip). */
const annotationsNotCopied = new Set([
  lastAppliedAnnotation,
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  deprecatedRollbackToAnnotation,
]);

const goIntPattern = /^[+-]?[0-9]+$/;

/** strconv.ParseInt(text, 10, 64) for the magnitudes revisions reach; undefined on error. */
export function parseRevision(text: string): number | undefined {
  if (!goIntPattern.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** copyDeploymentAnnotationsToReplicaSet, on a copy. */
function copyDeploymentAnnotations(deployment: Annotations, rs: Annotations): AnnotationUpdate {
  const annotations: Record<string, string> = { ...rs };
  let changed = false;
  for (const key of Object.keys(deployment).sort()) {
    const value = deployment[key] as string;
    if (annotationsNotCopied.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  return { annotations, changed };
}

/**
 * The revision-history annotation after `oldRevision` is appended; oldest entries are dropped
 * to stay within `charsMax`, and when even that fails the history is left as it was.
 */
export function appendRevisionHistory(
  history: string | undefined,
  oldRevision: string,
  charsMax: number = revisionHistoryCharsMax,
): string | undefined {
  const text = history ?? '';
  const entries = text.split(',');
  if ((entries[0] ?? '') === '') return oldRevision;
  let totalLength = text.length + oldRevision.length + 1;
  let start = 0;
  while (totalLength > charsMax && start < entries.length) {
    totalLength -= (entries[start] as string).length + 1;
    start++;
  }
  if (totalLength > charsMax) return history;
  return [...entries.slice(start), oldRevision].join(',');
}

/** SetReplicasAnnotations: desired-replicas and max-replicas, as decimal text. */
export function withReplicasAnnotations(
  annotations: Annotations,
  desired: number,
  max: number,
): AnnotationUpdate {
  const next: Record<string, string> = { ...annotations };
  let changed = false;
  for (const [key, value] of [
    [desiredReplicasAnnotation, String(desired)],
    [maxReplicasAnnotation, String(max)],
  ] as const) {
    if (next[key] === value) continue;
    next[key] = value;
    changed = true;
  }
  return { annotations: next, changed };
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number) {
  return withReplicasAnnotations(annotationsOf(rs), desired, max).changed;
}

export interface NewReplicaSetAnnotationOptions {
  /** The Deployment's annotations. */
  deployment: Annotations;
  /** The revision the new ReplicaSet should carry: max old revision + 1. */
  newRevision: number;
  /** False for a ReplicaSet about to be created: it also gets the replica annotations. */
  exists: boolean;
  /** spec.replicas and spec.replicas + maxSurge, for the replica annotations. */
  desiredReplicas: number;
  maxReplicas: number;
  /** Default revisionHistoryCharsMax. */
  revisionHistoryCharsMax?: number;
}

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to
 * `newRevision` when it is lower (a rollback to this ReplicaSet then records the old revision in
 * the revision history) and, for a new ReplicaSet, sets the replica annotations. An unparsable
 * current revision leaves everything unchanged.
 */
export function newReplicaSetAnnotations(
  current: Annotations,
  options: NewReplicaSetAnnotationOptions,
): AnnotationUpdate {
  const copied = copyDeploymentAnnotations(options.deployment, current);
  const annotations = copied.annotations;
  let changed = copied.changed;
  const oldText = current[revisionAnnotation];
  const oldRevision = oldText === undefined || oldText === '' ? 0 : parseRevision(oldText);
  if (oldRevision === undefined) return { annotations: { ...current }, changed: false };
  if (oldRevision < options.newRevision) {
    annotations[revisionAnnotation] = String(options.newRevision);
    changed = true;
    if (oldText !== undefined) {
      const charsMax = options.revisionHistoryCharsMax ?? revisionHistoryCharsMax;
      const history = appendRevisionHistory(
        annotations[revisionHistoryAnnotation],
        oldText,
        charsMax,
      );
      if (history !== undefined) annotations[revisionHistoryAnnotation] = history;
    }
  }
  if (!options.exists) {
    const replicas = withReplicasAnnotations(
      annotations,
      options.desiredReplicas,
      options.maxReplicas,
    );
    return { annotations: replicas.annotations, changed: changed || replicas.changed };
  }
  return { annotations, changed };
}

/** getNonNegativeIntFromAnnotation: an int32 ≥ 0, or undefined. */
function nonNegativeIntAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const text = annotationsOf(rs)[key];
  if (text === undefined || !goIntPattern.test(text)) return undefined;
  const value = Number(text);
  return value >= 0 && value <= 2_147_483_647 ? value : undefined;
}

/** GetDesiredReplicasAnnotation. */
export function desiredReplicasOf(rs: ReplicaSet): number | undefined {
  return nonNegativeIntAnnotation(rs, desiredReplicasAnnotation);
}

/** getMaxReplicasAnnotation. */
export function maxReplicasOf(rs: ReplicaSet): number | undefined {
  return nonNegativeIntAnnotation(rs, maxReplicasAnnotation);
}
