// The value of the endpoints.kubernetes.io/last-change-trigger-time annotation, as
// k8s.io/endpointslice/util's TriggerTimeTracker computes it (v1.32).
//
// Per service the tracker remembers the trigger times it saw at the last sync: the service's
// creationTimestamp and, per selected pod, its Ready condition's lastTransitionTime. A sync
// returns the earliest trigger time that moved forward since then; the first sync of a service
// returns its creationTimestamp. Undefined means "no trigger time" (the annotation is removed).
// Callers must not compute the same key concurrently (the work queue guarantees it).

import { parseTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';
import { readyCondition } from './endpoints-subsets.js';

interface ServiceState {
  serviceTriggerMs: number | undefined;
  podTriggerMs: ReadonlyMap<string, number>;
}

function timeOf(text: unknown): number | undefined {
  return typeof text === 'string' ? parseTime(text) : undefined;
}

/** Go's time.After against a possibly zero time: any real time is after the zero time. */
function isAfter(timeMs: number, previousMs: number | undefined): boolean {
  return previousMs === undefined || timeMs > previousMs;
}

function earliest(currentMs: number | undefined, candidateMs: number): number {
  return currentMs === undefined || candidateMs < currentMs ? candidateMs : currentMs;
}

export class TriggerTimeTracker {
  readonly #states = new Map<string, ServiceState>();

  /** Services with remembered state (diagnostics and tests). */
  get size(): number {
    return this.#states.size;
  }

  /** ComputeEndpointLastChangeTriggerTime for the service `key` over its selected `pods`. */
  compute(key: string, service: KubeObject, pods: readonly KubeObject[]): number | undefined {
    const previous = this.#states.get(key);
    let earliestChangeMs: number | undefined;
    const podTriggerMs = new Map<string, number>();
    for (const pod of pods) {
      const triggerMs = timeOf(readyCondition(pod)?.lastTransitionTime);
      const name = pod.metadata.name;
      if (triggerMs === undefined || typeof name !== 'string') continue;
      podTriggerMs.set(name, triggerMs);
      if (isAfter(triggerMs, previous?.podTriggerMs.get(name))) {
        earliestChangeMs = earliest(earliestChangeMs, triggerMs);
      }
    }
    const serviceTriggerMs = timeOf(service.metadata.creationTimestamp);
    if (serviceTriggerMs !== undefined && isAfter(serviceTriggerMs, previous?.serviceTriggerMs)) {
      earliestChangeMs = earliest(earliestChangeMs, serviceTriggerMs);
    }
    this.#states.set(key, { serviceTriggerMs, podTriggerMs });
    return previous === undefined ? serviceTriggerMs : earliestChangeMs;
  }

  /** Forgets a deleted service. */
  delete(key: string): void {
    this.#states.delete(key);
  }
}
