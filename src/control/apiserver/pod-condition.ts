// Setting one condition in a pod's status as the API server's own writes do (upstream
// podutil.UpdatePodCondition): an existing condition of the type is replaced where it stands,
// keeping its lastTransitionTime when the status did not change; a new one is appended.
import type { JsonObject, JsonValue } from '../store/types.js';

export interface PodConditionChange {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** `status` with the condition set; `nowText` is the RFC 3339 time of the change. */
export function withPodCondition(
  status: JsonObject,
  change: PodConditionChange,
  nowText: string,
): JsonObject {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as JsonObject[]) : [];
  const index = conditions.findIndex((c) => c.type === change.type);
  const existing = index < 0 ? undefined : conditions[index];
  const condition: JsonObject = {
    type: change.type,
    status: change.status,
    lastProbeTime: null,
    lastTransitionTime:
      existing?.status === change.status ? (existing.lastTransitionTime as JsonValue) : nowText,
    ...(change.reason === undefined ? {} : { reason: change.reason }),
    ...(change.message === undefined ? {} : { message: change.message }),
  };
  const next = index < 0 ? [...conditions, condition] : conditions.with(index, condition);
  return { ...status, conditions: next };
}
