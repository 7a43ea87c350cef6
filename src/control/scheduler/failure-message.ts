// The FailedScheduling message, as v1.32's FitError.Error(): `0/<N> nodes are available: ...`.
//
// Callers: the Scheduler, when a pod fits no node; the same text goes into the PodScheduled
// condition and the Warning event. Preemption's message (the PostFilter status) is appended
// without its final period; this function adds it, as upstream's SeparatorFormat " %v." does.
import { compareGoStrings } from '../api/values/go-format.js';
import type { Status } from './framework/types.js';

export interface FitFailure {
  /** Nodes in the snapshot. */
  nodeCount: number;
  /** Each rejected node's status (nodes outside a PreFilter narrowing included). */
  nodeStatuses: ReadonlyMap<string, Status>;
  /** Set when a PreFilter plugin rejected the pod: replaces the histogram. */
  preFilterMessage?: string;
  /** The PostFilter (preemption) message, e.g. `preemption: 0/3 nodes are available: ...`. */
  postFilterMessage?: string;
}

/** `"<count> <reason>"` entries over all nodes' reasons, sorted as Go strings. */
export function reasonHistogram(nodeStatuses: ReadonlyMap<string, Status>): string[] {
  const counts = new Map<string, number>();
  for (const status of nodeStatuses.values()) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const entries = [...counts].map(([reason, count]) => `${count} ${reason}`);
  return entries.sort(compareGoStrings);
}

export function fitErrorMessage(failure: FitFailure): string {
  let message = `0/${failure.nodeCount} nodes are available:`;
  const preFilter = failure.preFilterMessage ?? '';
  if (preFilter !== '') {
    message += ` ${preFilter}.`;
  } else {
    message += ` ${reasonHistogram(failure.nodeStatuses).join(', ')}.`;
  }
  const postFilter = failure.postFilterMessage ?? '';
  if (postFilter !== '') message += ` ${postFilter}.`;
  return message;
}

/** A status's message as upstream's Status.Message(): its reasons joined by ", ". */
export function statusMessage(status: Status): string {
  return status.reasons.join(', ');
}
