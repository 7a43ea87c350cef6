// Which services a pod event concerns (k8s.io/endpointslice/util v1.32: podEndpointsChanged,
// GetPodUpdateProjectionKey, GetServicesToUpdate, determineNeededServiceUpdates).
//
// A pod update matters when something an Endpoints shows may have changed: the deletion
// timestamp, readiness or IPs (the pod changed) or the labels, hostname or subdomain (the set of
// services may have changed). A changed pod concerns the union of the services its old and new
// labels select; changed labels alone only the services in exactly one of the two sets. An
// update with the same resourceVersion (a resync) concerns none.

import { compareGoStrings } from '../../api/values/go-format.js';
import type { KubeObject } from '../../client/types.js';
import { canonicalStringify } from '../../api/values/canonical-json.js';
import { isPodReady, podIps } from './endpoints-subsets.js';

/** Keys (`namespace/name`) of the services in `namespace` whose selector matches `labels`. */
export type ServicesSelecting = (
  namespace: string,
  labels: Readonly<Record<string, string>>,
) => ReadonlySet<string>;

export interface PodEndpointsChange {
  podChanged: boolean;
  labelsChanged: boolean;
}

function labelsOf(pod: KubeObject): Readonly<Record<string, string>> {
  return pod.metadata.labels ?? {};
}

function specString(pod: KubeObject, field: string): string {
  const spec = pod.spec;
  if (typeof spec !== 'object' || spec === null) return '';
  const value = (spec as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : '';
}

function hasDeletionTimestamp(pod: KubeObject): boolean {
  const value = pod.metadata.deletionTimestamp;
  return value !== undefined && value !== null;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

/**
 * podEndpointsChanged. Upstream compares the deletionTimestamp pointers, which differ whenever
 * either pod has one; IPs are compared as podIps() reads them.
 */
export function podEndpointsChanged(oldPod: KubeObject, newPod: KubeObject): PodEndpointsChange {
  const labelsChanged =
    canonicalStringify(labelsOf(oldPod)) !== canonicalStringify(labelsOf(newPod)) ||
    specString(oldPod, 'hostname') !== specString(newPod, 'hostname') ||
    specString(oldPod, 'subdomain') !== specString(newPod, 'subdomain');
  const podChanged =
    hasDeletionTimestamp(oldPod) ||
    hasDeletionTimestamp(newPod) ||
    isPodReady(oldPod) !== isPodReady(newPod) ||
    !sameList(podIps(oldPod), podIps(newPod));
  return { podChanged, labelsChanged };
}

function sorted(keys: Iterable<string>): string[] {
  return [...keys].sort(compareGoStrings);
}

/** The services an added or deleted pod concerns, in key order. */
export function servicesForPod(pod: KubeObject, selecting: ServicesSelecting): string[] {
  return sorted(selecting(pod.metadata.namespace ?? '', labelsOf(pod)));
}

/** The services a pod update concerns, in key order (see the file comment). */
export function servicesForPodUpdate(
  oldPod: KubeObject,
  newPod: KubeObject,
  selecting: ServicesSelecting,
): string[] {
  if (oldPod.metadata.resourceVersion === newPod.metadata.resourceVersion) return [];
  const { podChanged, labelsChanged } = podEndpointsChanged(oldPod, newPod);
  if (!podChanged && !labelsChanged) return [];
  const namespace = newPod.metadata.namespace ?? '';
  const current = selecting(namespace, labelsOf(newPod));
  if (!labelsChanged) return sorted(current);
  const previous = selecting(namespace, labelsOf(oldPod));
  const union = new Set([...current, ...previous]);
  if (podChanged) return sorted(union);
  return sorted([...union].filter((key) => current.has(key) !== previous.has(key)));
}
