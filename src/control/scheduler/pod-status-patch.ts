// The PodScheduled=False status patch the Scheduler writes after a failed cycle (upstream
// updatePod with podutil.UpdatePodCondition: no write when nothing changed).
import { formatTime } from '../api/values/time.js';
import type { JsonObject } from '../store/types.js';

/**
 * The status patch for a failed cycle, or undefined when the pod already carries the same
 * condition and nomination (upstream updatePod skips that write).
 */
export function podScheduledPatch(
  pod: JsonObject,
  failure: { message: string; reason: string; nominatedNodeName?: string },
  nowMs: number,
): JsonObject | undefined {
  const status = (pod.status ?? {}) as { conditions?: unknown; nominatedNodeName?: unknown };
  const conditions = Array.isArray(status.conditions) ? (status.conditions as JsonObject[]) : [];
  const existing = conditions.find((c) => c.type === 'PodScheduled');
  const nominationChanges =
    failure.nominatedNodeName !== undefined &&
    failure.nominatedNodeName !== (status.nominatedNodeName ?? '');
  const same =
    existing !== undefined &&
    existing.status === 'False' &&
    existing.reason === failure.reason &&
    existing.message === failure.message;
  if (same && !nominationChanges) return undefined;
  const transition =
    existing !== undefined &&
    existing.status === 'False' &&
    typeof existing.lastTransitionTime === 'string'
      ? existing.lastTransitionTime
      : formatTime(nowMs);
  const condition = {
    type: 'PodScheduled',
    status: 'False',
    reason: failure.reason,
    message: failure.message,
    lastProbeTime: null,
    lastTransitionTime: transition,
  };
  const patch: { conditions: JsonObject[]; nominatedNodeName?: string } = {
    conditions: [condition],
  };
  if (nominationChanges) patch.nominatedNodeName = failure.nominatedNodeName;
  return { status: patch };
}
