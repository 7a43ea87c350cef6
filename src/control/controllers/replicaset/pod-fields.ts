// Readers over loosely typed objects (pods, workloads) that the workload controllers decide on.
//
// Objects come from informer caches as parsed JSON: every reader tolerates missing or mistyped
// fields and returns upstream's zero value for them ('' / 0 / undefined), never throws.

import { parseTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';

/** A JSON object field, or {} when absent or not an object. */
export function recordAt(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function stringAt(record: Readonly<Record<string, unknown>>, field: string): string {
  const value = record[field];
  return typeof value === 'string' ? value : '';
}

export function specOf(object: KubeObject): Readonly<Record<string, unknown>> {
  return recordAt(object.spec);
}

export function statusOf(object: KubeObject): Readonly<Record<string, unknown>> {
  return recordAt(object.status);
}

/** metadata.labels as a string map (non-string values dropped); undefined when absent. */
export function labelsOf(object: KubeObject): Readonly<Record<string, string>> | undefined {
  return stringMapOf(object.metadata.labels);
}

/** metadata.annotations as a string map; undefined when absent. */
export function annotationsOf(object: KubeObject): Readonly<Record<string, string>> | undefined {
  return stringMapOf(object.metadata.annotations);
}

/** A JSON object of strings (non-string values dropped); undefined when not an object. */
export function stringMapOf(value: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (typeof entry === 'string') out[key] = entry;
  }
  return out;
}

/** True once metadata.deletionTimestamp is set. */
export function isBeingDeleted(object: KubeObject): boolean {
  const deletion = object.metadata.deletionTimestamp;
  return typeof deletion === 'string' && deletion !== '';
}

/** metav1.Time text → ms; undefined for absent or unparseable text (Go's zero time). */
export function timeMsOf(text: unknown): number | undefined {
  return typeof text === 'string' && text !== '' ? parseTime(text) : undefined;
}

export function creationMsOf(object: KubeObject): number | undefined {
  return timeMsOf(object.metadata.creationTimestamp);
}

export function uidOf(object: KubeObject): string {
  return typeof object.metadata.uid === 'string' ? object.metadata.uid : '';
}

/** `namespace/name` (controller.PodKey; also the informer key of a namespaced object). */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`;
}

/** spec.nodeName; '' while unscheduled. */
export function podNodeName(pod: KubeObject): string {
  return stringAt(specOf(pod), 'nodeName');
}

/** status.phase; '' when the server has not set one yet. */
export function podPhase(pod: KubeObject): string {
  return stringAt(statusOf(pod), 'phase');
}

/** controller.IsPodActive: not Succeeded, not Failed, and not being deleted. */
export function isPodActive(pod: KubeObject): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !isBeingDeleted(pod);
}

function restartCountsOf(statuses: unknown, names?: ReadonlySet<string>): number {
  let countMax = 0;
  if (!Array.isArray(statuses)) return countMax;
  for (const entry of statuses) {
    const status = recordAt(entry);
    if (names !== undefined && !names.has(stringAt(status, 'name'))) continue;
    const count = status.restartCount;
    if (typeof count === 'number' && count > countMax) countMax = count;
  }
  return countMax;
}

/**
 * The highest restartCount among the regular containers, and among the restartable init
 * containers (sidecars: initContainers with restartPolicy Always), as controller_utils'
 * maxContainerRestarts.
 */
export function maxContainerRestarts(pod: KubeObject): { regular: number; sidecar: number } {
  const status = statusOf(pod);
  const sidecars = new Set<string>();
  const initContainers = specOf(pod).initContainers;
  if (Array.isArray(initContainers)) {
    for (const entry of initContainers) {
      const container = recordAt(entry);
      if (container.restartPolicy === 'Always') sidecars.add(stringAt(container, 'name'));
    }
  }
  return {
    regular: restartCountsOf(status.containerStatuses),
    sidecar: restartCountsOf(status.initContainerStatuses, sidecars),
  };
}
