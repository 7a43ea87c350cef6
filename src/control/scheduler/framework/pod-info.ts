// PodInfo builder: what plugins need from a pod, computed once per pod event.
import type { JsonObject } from '../../store/types.js';
import {
  arrayAt,
  isJsonObject,
  numberAt,
  objectAt,
  objectsAt,
  stringAt,
  stringMapAt,
} from './json-fields.js';
import { podResourceRequests } from './resources.js';
import type { HostPort, PodInfo } from './types.js';

/** Host ports of app containers with hostPort > 0 (protocol TCP and IP 0.0.0.0 by default). */
export function podHostPorts(pod: JsonObject): HostPort[] {
  const out: HostPort[] = [];
  for (const container of arrayAt(objectAt(pod, 'spec'), 'containers')) {
    if (!isJsonObject(container)) continue;
    for (const port of arrayAt(container, 'ports')) {
      if (!isJsonObject(port)) continue;
      const hostPort = numberAt(port, 'hostPort') ?? 0;
      if (hostPort <= 0) continue;
      out.push({
        ip: stringAt(port, 'hostIP') || '0.0.0.0',
        protocol: stringAt(port, 'protocol') || 'TCP',
        port: hostPort,
      });
    }
  }
  return out;
}

export function podInfoOf(pod: JsonObject): PodInfo {
  const metadata = objectAt(pod, 'metadata');
  const namespace = stringAt(metadata, 'namespace') ?? '';
  const name = stringAt(metadata, 'name') ?? '';
  const { requests, nonZeroRequests } = podResourceRequests(pod);
  return {
    pod,
    key: `${namespace}/${name}`,
    namespace,
    name,
    uid: stringAt(metadata, 'uid') ?? '',
    labels: stringMapAt(metadata, 'labels'),
    priority: numberAt(objectAt(pod, 'spec'), 'priority') ?? 0,
    requests,
    nonZeroRequests,
    hostPorts: podHostPorts(pod),
    terminating: stringAt(metadata, 'deletionTimestamp') !== undefined,
  };
}

/** The pod has pod affinity or anti-affinity terms (upstream podWithAffinity). */
export function hasPodAffinity(podInfo: PodInfo): boolean {
  const affinity = objectAt(objectAt(podInfo.pod, 'spec'), 'affinity');
  return (
    objectAt(affinity, 'podAffinity') !== undefined ||
    objectAt(affinity, 'podAntiAffinity') !== undefined
  );
}

/** The pod has required anti-affinity terms (upstream podWithRequiredAntiAffinity). */
export function hasRequiredAntiAffinity(podInfo: PodInfo): boolean {
  const anti = objectAt(objectAt(objectAt(podInfo.pod, 'spec'), 'affinity'), 'podAntiAffinity');
  return objectsAt(anti, 'requiredDuringSchedulingIgnoredDuringExecution').length > 0;
}
