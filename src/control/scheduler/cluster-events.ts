// What the Scheduler's informer handlers need to know about objects: which scheduler a pod asks
// for, whether it is terminal, and whether a node update can make pending pods fit.
import type { JsonObject } from '../store/types.js';
import { defaultSchedulerName } from './config.js';

export function schedulerNameOf(pod: JsonObject): string {
  const spec = (pod.spec ?? {}) as { schedulerName?: unknown };
  return typeof spec.schedulerName === 'string' && spec.schedulerName !== ''
    ? spec.schedulerName
    : defaultSchedulerName;
}

export function isTerminal(pod: JsonObject): boolean {
  const phase = ((pod.status ?? {}) as { phase?: unknown }).phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Node changes that can make a pod fit: labels, taints, unschedulable, allocatable. */
export function nodeSchedulingChanged(oldNode: JsonObject, newNode: JsonObject): boolean {
  const view = (node: JsonObject): string => {
    const meta = (node.metadata ?? {}) as JsonObject;
    const spec = (node.spec ?? {}) as JsonObject;
    const status = (node.status ?? {}) as JsonObject;
    return JSON.stringify([
      meta.labels ?? null,
      spec.taints ?? null,
      spec.unschedulable ?? null,
      status.allocatable ?? null,
    ]);
  };
  return view(oldNode) !== view(newNode);
}
