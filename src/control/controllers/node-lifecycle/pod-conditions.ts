// Pure pod status edits of the node lifecycle and taint eviction controllers: upstream's
// UpdatePodCondition, MarkPodsNotReady's Ready=False, and the DisruptionTarget condition.
import type { KubeObject } from '../../client/types.js';
import { disruptionTargetMessage, disruptionTargetReason } from './eviction-plan.js';

/** core/v1 PodCondition with metav1.Time texts. */
export interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** pod.status, or an empty one. */
export function podStatusOf(pod: KubeObject): Record<string, unknown> {
  return isRecord(pod.status) ? pod.status : {};
}

/** pod.status.conditions, skipping malformed entries. */
export function podConditionsOf(pod: KubeObject): PodCondition[] {
  const list = podStatusOf(pod).conditions;
  if (!Array.isArray(list)) return [];
  return (list as unknown[]).filter(
    (c): c is PodCondition => isRecord(c) && typeof c.type === 'string',
  );
}

function sameCondition(a: PodCondition, b: PodCondition): boolean {
  return (
    a.status === b.status &&
    (a.reason ?? '') === (b.reason ?? '') &&
    (a.message ?? '') === (b.message ?? '') &&
    (a.lastProbeTime ?? null) === (b.lastProbeTime ?? null) &&
    (a.lastTransitionTime ?? '') === (b.lastTransitionTime ?? '')
  );
}

/**
 * UpdatePodCondition: sets `condition` in `conditions` (appended when missing). Its
 * lastTransitionTime is `nowText` when the status changes, the old one otherwise. `changed` is
 * false when the stored condition would be identical.
 */
export function withPodCondition(
  conditions: readonly PodCondition[],
  condition: PodCondition,
  options: { nowText: string },
): { conditions: PodCondition[]; changed: boolean } {
  const { nowText } = options;
  const index = conditions.findIndex((c) => c.type === condition.type);
  const next: PodCondition = { ...condition, lastTransitionTime: nowText };
  if (index < 0) return { conditions: [...conditions, next], changed: true };
  const old = conditions[index] as PodCondition;
  if (old.status === next.status) {
    if (old.lastTransitionTime === undefined) delete next.lastTransitionTime;
    else next.lastTransitionTime = old.lastTransitionTime;
  }
  const changed = !sameCondition(old, next);
  return { conditions: conditions.map((c, i) => (i === index ? next : c)), changed };
}

/**
 * MarkPodsNotReady for one pod: its Ready condition with status False (reason and message kept),
 * or undefined when the pod has no Ready condition or it is False already.
 */
export function podStatusNotReady(
  pod: KubeObject,
  nowText: string,
): Record<string, unknown> | undefined {
  const conditions = podConditionsOf(pod);
  const ready = conditions.find((c) => c.type === 'Ready');
  if (ready === undefined) return undefined;
  const result = withPodCondition(conditions, { ...ready, status: 'False' }, { nowText });
  if (!result.changed) return undefined;
  return { ...podStatusOf(pod), conditions: result.conditions };
}

/** The DisruptionTarget condition the taint eviction controller sets before deleting a pod. */
export function disruptionTargetCondition(): PodCondition {
  return {
    type: 'DisruptionTarget',
    status: 'True',
    reason: disruptionTargetReason,
    message: disruptionTargetMessage,
  };
}
