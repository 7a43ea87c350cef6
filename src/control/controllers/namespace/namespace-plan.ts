// Pure decisions of the namespace controller (pkg/controller/namespace/deletion), kept apart
// from the client calls so they can be tested and property-checked on plain values.
import { compareGoStrings } from '../../api/values/go-format.js';
import { parseTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';

/** The finalizer token this controller owns in `spec.finalizers`. */
export const namespaceFinalizerToken = 'kubernetes';
/** Upstream's finalizerEstimateSeconds: the wait assumed for objects held by finalizers. */
export const finalizerEstimateSeconds = 15;

/** What a sync of one namespace does first. */
export type NamespaceStep =
  /** Not being deleted: nothing to do. */
  | 'ignore'
  /** Being deleted but status.phase is not Terminating yet: write it first. */
  | 'markTerminating'
  /** spec.finalizers is empty: this controller's work is done. */
  | 'finalized'
  /** Delete all content, then finalize. */
  | 'deleteContent';

function specOf(object: KubeObject): Record<string, unknown> {
  const spec = object.spec;
  return typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>) : {};
}

function statusOf(object: KubeObject): Record<string, unknown> {
  const status = object.status;
  return typeof status === 'object' && status !== null ? (status as Record<string, unknown>) : {};
}

export function specFinalizers(namespace: KubeObject): string[] {
  const list = specOf(namespace).finalizers;
  return Array.isArray(list) ? list.filter((f): f is string => typeof f === 'string') : [];
}

export function planNamespaceStep(namespace: KubeObject): NamespaceStep {
  const deletionTimestamp = namespace.metadata.deletionTimestamp;
  if (deletionTimestamp === undefined || deletionTimestamp === '') return 'ignore';
  if (statusOf(namespace).phase !== 'Terminating') return 'markTerminating';
  if (specFinalizers(namespace).length === 0) return 'finalized';
  return 'deleteContent';
}

/** spec.finalizers without `token`, deduplicated and sorted (upstream builds a string set). */
export function finalizersWithout(finalizers: readonly string[], token: string): string[] {
  const kept = [...new Set(finalizers.filter((f) => f !== token))];
  return kept.sort(compareGoStrings);
}

/**
 * Seconds the pods of a terminating namespace may still need (estimateGracefulTermination):
 * the longest terminationGracePeriodSeconds of its non-terminal pods, or 0 once that long has
 * passed since the namespace's deletionTimestamp.
 */
export function podGraceEstimateSeconds(
  pods: readonly KubeObject[],
  namespaceDeletedAtMs: number,
  nowMs: number,
): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = statusOf(pod).phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace = specOf(pod).terminationGracePeriodSeconds;
    if (typeof grace === 'number' && grace > estimate) estimate = grace;
  }
  return nowMs - namespaceDeletedAtMs >= estimate * 1000 ? 0 : estimate;
}

/** The namespace's deletionTimestamp in ms; undefined when absent or unparseable. */
export function deletedAtMs(namespace: KubeObject): number | undefined {
  const text = namespace.metadata.deletionTimestamp;
  return typeof text === 'string' ? parseTime(text) : undefined;
}

/** What cleaning one resource type of the namespace observed. */
export interface ContentObservation {
  /** `pods`, `deployments.apps`: resource.group as upstream prints it (`pods.`). */
  resource: { group: string; version: string; plural: string };
  /** The graceful-termination estimate taken before deleting (pods only), seconds. */
  estimateSeconds: number;
  /** Why deleting or re-listing failed; remaining is then unknown. */
  error?: string;
  /** Finalizers of each object still there after the delete. */
  remaining?: readonly (readonly string[])[];
}

/** The judgement over every resource type (deleteAllContent). */
export interface ContentVerdict {
  /** Longest wait still expected, seconds; 0 when nothing is expected to go away by itself. */
  estimateSeconds: number;
  /** Failures, in resource order. */
  errors: string[];
  /** `<plural>.<group>` → objects left (types with none are absent), in resource order. */
  remainingByResource: { resource: string; count: number }[];
  /** Finalizer → objects it holds, sorted by finalizer. */
  remainingByFinalizer: { finalizer: string; count: number }[];
}

/** Go's `%v` of a GroupVersionResource: `/v1, Resource=pods`, `apps/v1, Resource=deployments`. */
function gvrText(resource: ContentObservation['resource']): string {
  return `${resource.group}/${resource.version}, Resource=${resource.plural}`;
}

interface TypeVerdict {
  estimateSeconds: number;
  error?: string;
  remaining: number;
}

/** deleteAllContentForGroupVersionResource's verdict for one type. */
function judgeType(namespace: string, observation: ContentObservation): TypeVerdict {
  const estimate = observation.estimateSeconds;
  if (observation.error !== undefined || observation.remaining === undefined) {
    return {
      estimateSeconds: estimate,
      error: observation.error ?? 'listing failed',
      remaining: 0,
    };
  }
  const remaining = observation.remaining;
  if (remaining.length === 0) return { estimateSeconds: 0, remaining: 0 };
  if (estimate !== 0) return { estimateSeconds: estimate, remaining: remaining.length };
  if (remaining.some((finalizers) => finalizers.length > 0)) {
    return { estimateSeconds: finalizerEstimateSeconds, remaining: remaining.length };
  }
  const gvr = gvrText(observation.resource);
  const error = `unexpected items still remain in namespace: ${namespace} for gvr: ${gvr}`;
  return { estimateSeconds: 0, error, remaining: remaining.length };
}

export function judgeContent(
  namespace: string,
  observations: readonly ContentObservation[],
): ContentVerdict {
  const verdict: ContentVerdict = {
    estimateSeconds: 0,
    errors: [],
    remainingByResource: [],
    remainingByFinalizer: [],
  };
  const byFinalizer = new Map<string, number>();
  for (const observation of observations) {
    const judged = judgeType(namespace, observation);
    if (judged.error !== undefined) verdict.errors.push(judged.error);
    if (judged.estimateSeconds > verdict.estimateSeconds) {
      verdict.estimateSeconds = judged.estimateSeconds;
    }
    if (judged.remaining === 0) continue;
    const { group, plural } = observation.resource;
    verdict.remainingByResource.push({ resource: `${plural}.${group}`, count: judged.remaining });
    for (const finalizers of observation.remaining ?? []) {
      for (const f of finalizers) byFinalizer.set(f, (byFinalizer.get(f) ?? 0) + 1);
    }
  }
  const finalizerNames = [...byFinalizer.keys()].sort(compareGoStrings);
  verdict.remainingByFinalizer = finalizerNames.map((finalizer) => ({
    finalizer,
    count: byFinalizer.get(finalizer) ?? 0,
  }));
  return verdict;
}

/** What a sync does after the content pass. */
export type ContentOutcome =
  /** Failures: error out, the work queue retries with backoff. */
  | { kind: 'retry'; message: string }
  /** Content is going away by itself: look again after upstream's estimate/2 + 1 seconds. */
  | { kind: 'wait'; requeueAfterMs: number }
  /** Everything is gone: remove the token from spec.finalizers. */
  | { kind: 'finalize' };

/** utilerrors.NewAggregate(errs).Error(): duplicates dropped, brackets around two or more. */
export function aggregateText(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

export function planContentOutcome(verdict: ContentVerdict): ContentOutcome {
  if (verdict.errors.length > 0) return { kind: 'retry', message: aggregateText(verdict.errors) };
  if (verdict.estimateSeconds > 0) {
    const seconds = Math.trunc(verdict.estimateSeconds / 2) + 1;
    return { kind: 'wait', requeueAfterMs: seconds * 1000 };
  }
  return { kind: 'finalize' };
}
