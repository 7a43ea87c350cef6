// Pure per-node health verdict of the node lifecycle controller (tryUpdateNodeHealth, v1.32).
//
// The controller keeps, per node, its OWN observation time `probeTimestampMs` (controller clock)
// and moves it to "now" only when it sees the node's signals move: the Ready condition's
// lastHeartbeatTime differs from the one it saw last time (any change, even backwards), or the
// node's Lease renewTime is later than the last one it saw. A node is stale once
// now > probeTimestampMs + grace period. Kubelet timestamps are never compared with the
// controller's clock, so a kubelet with a skewed clock that keeps renewing never looks stale.
//
// Upstream quirks kept on purpose: a new record after a heartbeat change forgets the lease it
// saw, so the next pass counts any existing lease as new (one more probe refresh); a node that
// never posted a Ready condition starts from its creationTimestamp with the startup grace period;
// a status write happens only when the Ready condition itself changes.
import type { KubeObject } from '../../client/types.js';

export const nodeStatusUnknownReason = 'NodeStatusUnknown';
export const nodeStatusUnknownMessage = 'Kubelet stopped posting node status.';
export const nodeStatusNeverUpdatedReason = 'NodeStatusNeverUpdated';
export const nodeStatusNeverUpdatedMessage = 'Kubelet never posted node status.';

/** The conditions set to Unknown when a node is stale; NetworkUnavailable is left alone. */
export const staleConditionTypes = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

/** core/v1 NodeCondition with metav1.Time texts. */
export interface NodeCondition {
  type: string;
  status: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** What the controller remembers about one node between passes (nodeHealthData). */
export interface NodeHealthRecord {
  /** Controller-clock time the node's signals last moved. */
  readonly probeTimestampMs: number;
  /** Controller-clock time the Ready condition was last seen to transition. */
  readonly readyTransitionTimestampMs: number;
  /** The Ready condition as last seen; undefined when the node had none. */
  readonly readyCondition: NodeCondition | undefined;
  /** The Lease as last seen (its renewTime, ms, undefined when unset); undefined: none seen. */
  readonly lease: { readonly renewMs: number | undefined } | undefined;
}

/** One node as the controller observes it now. */
export interface NodeObservation {
  /** metadata.creationTimestamp text. */
  creationTimestamp: string;
  /** creationTimestamp in ms. */
  creationMs: number;
  conditions: readonly NodeCondition[];
  /** The node's Lease in kube-node-lease, if the informer has one. */
  lease: { renewMs: number | undefined } | undefined;
}

export interface HealthVerdict {
  /** The record to keep (before any status write). */
  record: NodeHealthRecord;
  gracePeriodMs: number;
  /** Ready as the node has it now (a made-up Unknown one when it has none). */
  observedReady: NodeCondition;
  /** Ready after this pass's decision (undefined: the node has none and is not stale). */
  currentReady: NodeCondition | undefined;
  /** Set when the node is stale and its Ready condition changes: the conditions to write. */
  nextConditions: NodeCondition[] | undefined;
}

export interface HealthOptions {
  nowMs: number;
  /** metav1.Time text of nowMs. */
  nowText: string;
  monitorGracePeriodMs: number;
  startupGracePeriodMs: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** node.status.conditions, skipping malformed entries. */
export function nodeConditionsOf(node: KubeObject): NodeCondition[] {
  const status = isRecord(node.status) ? node.status : {};
  const list = Array.isArray(status.conditions) ? (status.conditions as unknown[]) : [];
  const out: NodeCondition[] = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.type !== 'string') continue;
    const condition: NodeCondition = {
      type: item.type,
      status: typeof item.status === 'string' ? item.status : '',
    };
    for (const field of ['lastHeartbeatTime', 'lastTransitionTime', 'reason', 'message'] as const) {
      const value = optionalString(item[field]);
      if (value !== undefined) condition[field] = value;
    }
    out.push(condition);
  }
  return out;
}

export function conditionOfType(
  conditions: readonly NodeCondition[],
  type: string,
): NodeCondition | undefined {
  return conditions.find((c) => c.type === type);
}

/** apiequality.Semantic.DeepEqual of two conditions (absent and empty strings are equal). */
export function sameCondition(a: NodeCondition | undefined, b: NodeCondition | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const fields = ['type', 'status', 'lastHeartbeatTime', 'lastTransitionTime', 'reason', 'message'];
  return fields.every(
    (f) => (a[f as keyof NodeCondition] ?? '') === (b[f as keyof NodeCondition] ?? ''),
  );
}

function freshRecord(
  nowMs: number,
  readyCondition: NodeCondition | undefined,
  readyTransitionTimestampMs = nowMs,
): NodeHealthRecord {
  return { probeTimestampMs: nowMs, readyTransitionTimestampMs, readyCondition, lease: undefined };
}

/** The record before the lease check: upstream's four cases of saved vs current Ready. */
function recordFromReady(
  previous: NodeHealthRecord | undefined,
  current: NodeCondition | undefined,
  nowMs: number,
): NodeHealthRecord {
  const saved = previous?.readyCondition;
  if (previous === undefined) return freshRecord(nowMs, current);
  if (saved === undefined && current !== undefined) return freshRecord(nowMs, current);
  if (saved !== undefined && current === undefined) return freshRecord(nowMs, undefined);
  if (saved === undefined || current === undefined) return previous;
  if ((saved.lastHeartbeatTime ?? '') === (current.lastHeartbeatTime ?? '')) return previous;
  const transitioned = (saved.lastTransitionTime ?? '') !== (current.lastTransitionTime ?? '');
  const transitionMs = transitioned ? nowMs : previous.readyTransitionTimestampMs;
  return freshRecord(nowMs, current, transitionMs);
}

/** Whether the observed lease counts as a renewal since `saved` (later renewTime, or first). */
function leaseRenewed(
  saved: NodeHealthRecord['lease'],
  observed: NodeObservation['lease'],
): boolean {
  if (observed === undefined) return false;
  if (saved === undefined) return true;
  if (saved.renewMs === undefined || observed.renewMs === undefined) return false;
  return saved.renewMs < observed.renewMs;
}

/**
 * The conditions with Ready/MemoryPressure/DiskPressure/PIDPressure set to Unknown: missing ones
 * are appended as never updated (heartbeat = creationTimestamp), others change only if not
 * Unknown already (their heartbeat is kept).
 */
export function conditionsMarkedUnknown(
  conditions: readonly NodeCondition[],
  options: { creationTimestamp: string; nowText: string },
): NodeCondition[] {
  const { creationTimestamp, nowText } = options;
  const next = conditions.map((c) => ({ ...c }));
  for (const type of staleConditionTypes) {
    const current = next.find((c) => c.type === type);
    if (current === undefined) {
      next.push({
        type,
        status: 'Unknown',
        reason: nodeStatusNeverUpdatedReason,
        message: nodeStatusNeverUpdatedMessage,
        lastHeartbeatTime: creationTimestamp,
        lastTransitionTime: nowText,
      });
    } else if (current.status !== 'Unknown') {
      current.status = 'Unknown';
      current.reason = nodeStatusUnknownReason;
      current.message = nodeStatusUnknownMessage;
      current.lastTransitionTime = nowText;
    }
  }
  return next;
}

/** One pass's verdict on one node (see the file comment). */
export function judgeNodeHealth(
  previous: NodeHealthRecord | undefined,
  node: NodeObservation,
  options: HealthOptions,
): HealthVerdict {
  const { nowMs } = options;
  const current = conditionOfType(node.conditions, 'Ready');
  let base = previous;
  if (current === undefined) {
    base =
      previous === undefined
        ? freshRecord(node.creationMs, undefined)
        : { ...previous, readyCondition: undefined };
  }
  const observedReady: NodeCondition = current ?? {
    type: 'Ready',
    status: 'Unknown',
    lastHeartbeatTime: node.creationTimestamp,
    lastTransitionTime: node.creationTimestamp,
  };
  const gracePeriodMs =
    current === undefined ? options.startupGracePeriodMs : options.monitorGracePeriodMs;
  let record = recordFromReady(base, current, nowMs);
  if (leaseRenewed(base?.lease, node.lease)) {
    record = { ...record, lease: node.lease, probeTimestampMs: nowMs };
  }
  const verdict = { record, gracePeriodMs, observedReady, currentReady: current };
  if (nowMs <= record.probeTimestampMs + gracePeriodMs) {
    return { ...verdict, nextConditions: undefined };
  }
  const marked = conditionsMarkedUnknown(node.conditions, {
    creationTimestamp: node.creationTimestamp,
    nowText: options.nowText,
  });
  const markedReady = conditionOfType(marked, 'Ready');
  if (sameCondition(markedReady, observedReady)) {
    return { ...verdict, currentReady: markedReady, nextConditions: undefined };
  }
  return { ...verdict, currentReady: markedReady, nextConditions: marked };
}

/** The record after the controller wrote `written` conditions for a stale node. */
export function recordAfterStatusWrite(
  verdict: HealthVerdict,
  write: { written: readonly NodeCondition[]; lease: NodeObservation['lease']; nowMs: number },
): NodeHealthRecord {
  const { written, lease, nowMs } = write;
  return {
    probeTimestampMs: verdict.record.probeTimestampMs,
    readyTransitionTimestampMs: nowMs,
    readyCondition: conditionOfType(written, 'Ready'),
    lease,
  };
}
