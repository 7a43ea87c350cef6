// Pure reads of Services and Pods for the Endpoints controller: which pods a service selects,
// whether a pod is published, its address and its port for each service port (v1.32's
// syncService inner loop, podToEndpointAddressForService, FindPort, ShouldPodBeInEndpoints).

import type { KubeObject } from '../../client/types.js';
import type { EndpointAddress, EndpointPort, EndpointSubset } from './endpoints-repack.js';
import { repackSubsets } from './endpoints-repack.js';

type Json = Record<string, unknown>;

function recordAt(object: unknown, field: string): Json {
  if (typeof object !== 'object' || object === null) return {};
  const value = (object as Json)[field];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function arrayAt(object: unknown, field: string): unknown[] {
  if (typeof object !== 'object' || object === null) return [];
  const value = (object as Json)[field];
  return Array.isArray(value) ? value : [];
}

function stringAt(object: unknown, field: string): string {
  if (typeof object !== 'object' || object === null) return '';
  const value = (object as Json)[field];
  return typeof value === 'string' ? value : '';
}

function stringMap(value: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') out[key] = entry;
  return out;
}

/**
 * spec.selector, or undefined when the service has none. An empty map counts as none: upstream
 * stores objects as protobuf, where an empty map reads back as nil.
 */
export function serviceSelector(service: KubeObject): Record<string, string> | undefined {
  const selector = stringMap(recordAt(service.spec, 'selector'));
  return Object.keys(selector).length === 0 ? undefined : selector;
}

/** labels.SelectorFromSet(selector).Matches(labels): every pair present and equal. */
export function selectorMatches(
  selector: Readonly<Record<string, string>>,
  labels: Readonly<Record<string, string>> | undefined,
): boolean {
  for (const [key, value] of Object.entries(selector)) {
    if (labels === undefined || !Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  return true;
}

/** Why syncService leaves a service alone; undefined when it manages its Endpoints. */
export function serviceSkipReason(service: KubeObject): 'externalName' | 'noSelector' | undefined {
  if (stringAt(service.spec, 'type') === 'ExternalName') return 'externalName';
  return serviceSelector(service) === undefined ? 'noSelector' : undefined;
}

/** helper.IsServiceIPSet: a cluster IP that is neither empty nor "None". */
export function isServiceIpSet(service: KubeObject): boolean {
  const clusterIp = stringAt(service.spec, 'clusterIP');
  return clusterIp !== '' && clusterIp !== 'None';
}

/** podutil.IsPodReady: a Ready condition with status True. */
export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** The Ready condition of the pod's status, if any. */
export function readyCondition(pod: KubeObject): Json | undefined {
  const conditions = arrayAt(pod.status, 'conditions');
  const found = conditions.find((c) => stringAt(c, 'type') === 'Ready');
  return typeof found === 'object' && found !== null ? (found as Json) : undefined;
}

/**
 * status.podIPs, or [status.podIP] when the list is empty: upstream's API server fills podIPs
 * from podIP on every write, miniku's does not, so the controller reads either.
 */
export function podIps(pod: KubeObject): string[] {
  const listed = arrayAt(pod.status, 'podIPs')
    .map((entry) => stringAt(entry, 'ip'))
    .filter((ip) => ip !== '');
  if (listed.length > 0) return listed;
  const primary = stringAt(pod.status, 'podIP');
  return primary === '' ? [] : [primary];
}

function isTerminal(pod: KubeObject): boolean {
  const phase = stringAt(pod.status, 'phase');
  return phase === 'Succeeded' || phase === 'Failed';
}

/** ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless included. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (isTerminal(pod)) return false;
  if (podIps(pod).length === 0) return false;
  const deleting = pod.metadata.deletionTimestamp;
  return includeTerminating || deleting === undefined || deleting === null;
}

function isIpv6(ip: string): boolean {
  return ip.includes(':');
}

/** The IP family the service wants: ipFamilies[0], else guessed from clusterIP or the pod IP. */
function wantsIpv6(service: KubeObject, pod: KubeObject): boolean {
  const families = arrayAt(service.spec, 'ipFamilies');
  if (families.length > 0) return families[0] === 'IPv6';
  if (isServiceIpSet(service)) return isIpv6(stringAt(service.spec, 'clusterIP'));
  return isIpv6(podIps(pod)[0] ?? '');
}

/**
 * podToEndpointAddressForService plus ShouldSetHostname; undefined when the pod has no IP of
 * the service's family. targetRef carries kind, namespace, name and uid (no resourceVersion).
 */
export function podEndpointAddress(
  service: KubeObject,
  pod: KubeObject,
): EndpointAddress | undefined {
  const ipv6 = wantsIpv6(service, pod);
  const ip = podIps(pod).find((candidate) => isIpv6(candidate) === ipv6);
  if (ip === undefined) return undefined;
  const address: EndpointAddress = { ip };
  const hostname = stringAt(pod.spec, 'hostname');
  const sameNamespace = service.metadata.namespace === pod.metadata.namespace;
  const subdomain = stringAt(pod.spec, 'subdomain');
  if (hostname !== '' && subdomain === service.metadata.name && sameNamespace) {
    address.hostname = hostname;
  }
  const nodeName = stringAt(pod.spec, 'nodeName');
  if (nodeName !== '') address.nodeName = nodeName;
  address.targetRef = targetRefOf(pod);
  return address;
}

function targetRefOf(pod: KubeObject): EndpointAddress['targetRef'] {
  const ref: NonNullable<EndpointAddress['targetRef']> = { kind: 'Pod' };
  const { namespace, name, uid } = pod.metadata;
  if (typeof namespace === 'string' && namespace !== '') ref.namespace = namespace;
  if (typeof name === 'string' && name !== '') ref.name = name;
  if (typeof uid === 'string' && uid !== '') ref.uid = uid;
  return ref;
}

function protocolOf(port: unknown): string {
  return stringAt(port, 'protocol') || 'TCP';
}

function portIn(containers: readonly unknown[], name: string, protocol: string) {
  for (const container of containers) {
    for (const port of arrayAt(container, 'ports')) {
      if (stringAt(port, 'name') !== name || protocolOf(port) !== protocol) continue;
      const number = (port as Json).containerPort;
      if (typeof number === 'number') return number;
    }
  }
  return undefined;
}

/**
 * FindPort: a numeric targetPort as is; a named one looked up among the containers' ports, then
 * among sidecars (init containers with restartPolicy Always), matching name and protocol.
 */
export function findPodPort(pod: KubeObject, servicePort: unknown): number | undefined {
  const target = (servicePort as Json | undefined)?.targetPort;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  const protocol = protocolOf(servicePort);
  const found = portIn(arrayAt(pod.spec, 'containers'), target, protocol);
  if (found !== undefined) return found;
  const sidecars = arrayAt(pod.spec, 'initContainers').filter(
    (container) => stringAt(container, 'restartPolicy') === 'Always',
  );
  return portIn(sidecars, target, protocol);
}

/** endpointPortFromServicePort. */
function endpointPort(servicePort: unknown, portNumber: number): EndpointPort {
  const port: EndpointPort = { port: portNumber };
  const name = stringAt(servicePort, 'name');
  if (name !== '') port.name = name;
  const protocol = stringAt(servicePort, 'protocol');
  if (protocol !== '') port.protocol = protocol;
  const appProtocol = (servicePort as Json | undefined)?.appProtocol;
  if (typeof appProtocol === 'string') port.appProtocol = appProtocol;
  return port;
}

export interface DesiredSubsets {
  subsets: EndpointSubset[];
  /** (pod, port) pairs published as ready, and as not ready (upstream's log counters). */
  readyCount: number;
  notReadyCount: number;
}

/**
 * The repacked subsets for `service` over `pods` (the pods its selector matches in its
 * namespace). A pod is published ready when it is Ready or the service publishes not-ready
 * addresses; a service without ports publishes addresses only when it is headless.
 */
export function desiredSubsets(service: KubeObject, pods: readonly KubeObject[]): DesiredSubsets {
  const publishNotReady = recordAt(service, 'spec').publishNotReadyAddresses === true;
  const servicePorts = arrayAt(service.spec, 'ports');
  const headless = stringAt(service.spec, 'clusterIP') === 'None';
  const raw: EndpointSubset[] = [];
  let readyCount = 0;
  let notReadyCount = 0;
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const address = podEndpointAddress(service, pod);
    if (address === undefined) continue;
    const ready = publishNotReady || isPodReady(pod);
    const add = (ports: EndpointPort[]): void => {
      raw.push(ready ? { addresses: [address], ports } : { notReadyAddresses: [address], ports });
      if (ready) readyCount += 1;
      else notReadyCount += 1;
    };
    if (servicePorts.length === 0) {
      if (headless) add([]);
      continue;
    }
    for (const servicePort of servicePorts) {
      const number = findPodPort(pod, servicePort);
      if (number !== undefined) add([endpointPort(servicePort, number)]);
    }
  }
  return { subsets: repackSubsets(raw), readyCount, notReadyCount };
}
