// Pure write decision of the Endpoints controller (the second half of v1.32's syncService):
// compare the desired subsets and the service's labels with the cached Endpoints, and when they
// differ build the object to create or update, with labels, annotations and truncation.

import { canonicalStringify } from '../../api/values/canonical-json.js';
import { formatTime } from '../../api/values/time.js';
import type { KubeObject } from '../../client/types.js';
import type {
  EndpointAddress,
  EndpointPort,
  EndpointSubset,
  EndpointTargetRef,
} from './endpoints-repack.js';
import { addressCount } from './endpoints-repack.js';
import { isServiceIpSet } from './endpoints-subsets.js';

/** v1.EndpointsLastChangeTriggerTime. */
export const lastChangeTriggerTimeAnnotation = 'endpoints.kubernetes.io/last-change-trigger-time';
/** v1.EndpointsOverCapacity, set to `truncated` when addresses were cut. */
export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';
/** v1.IsHeadlessService, set (empty value) on the Endpoints of a service without a cluster IP. */
export const headlessServiceLabel = 'service.kubernetes.io/headless';
/** maxCapacity: the most addresses one Endpoints object holds. */
export const endpointsAddressCountMax = 1000;

export type EndpointsWrite =
  | { kind: 'unchanged' }
  | { kind: 'create'; endpoints: KubeObject }
  | { kind: 'update'; endpoints: KubeObject };

export interface EndpointsPlanInput {
  service: KubeObject;
  /** desiredSubsets(...).subsets: repacked and sorted. */
  subsets: readonly EndpointSubset[];
  /** The cached Endpoints of the same name, if any. */
  current: KubeObject | undefined;
  /** From the TriggerTimeTracker; undefined clears the annotation. */
  triggerTimeMs: number | undefined;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(record: Json, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' ? value : undefined;
}

const targetRefFields = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'fieldPath'] as const;

/** A stored targetRef without resourceVersion (semanticIgnoreResourceVersion). */
function readTargetRef(value: unknown): EndpointTargetRef | undefined {
  if (!isRecord(value)) return undefined;
  const ref: EndpointTargetRef = {};
  for (const field of targetRefFields) {
    const text = stringField(value, field);
    if (text !== undefined && text !== '') ref[field] = text;
  }
  return ref;
}

function readAddress(value: unknown): EndpointAddress {
  const record = isRecord(value) ? value : {};
  const address: EndpointAddress = { ip: stringField(record, 'ip') ?? '' };
  const hostname = stringField(record, 'hostname');
  if (hostname !== undefined && hostname !== '') address.hostname = hostname;
  const nodeName = stringField(record, 'nodeName');
  if (nodeName !== undefined) address.nodeName = nodeName;
  const targetRef = readTargetRef(record.targetRef);
  if (targetRef !== undefined) address.targetRef = targetRef;
  return address;
}

function readPort(value: unknown): EndpointPort {
  const record = isRecord(value) ? value : {};
  const port: EndpointPort = { port: typeof record.port === 'number' ? record.port : 0 };
  const name = stringField(record, 'name');
  if (name !== undefined && name !== '') port.name = name;
  const protocol = stringField(record, 'protocol');
  if (protocol !== undefined && protocol !== '') port.protocol = protocol;
  const appProtocol = stringField(record, 'appProtocol');
  if (appProtocol !== undefined) port.appProtocol = appProtocol;
  return port;
}

function listOf<T>(value: unknown, read: (item: unknown) => T): T[] {
  return Array.isArray(value) ? value.map(read) : [];
}

/**
 * A stored `subsets` value in the controller's shape: empty lists dropped, targetRefs without
 * resourceVersion, so that comparing it with desired subsets is apiequality.Semantic's
 * DeepEqual with the ObjectReference resourceVersion ignored.
 */
export function readSubsets(value: unknown): EndpointSubset[] {
  return listOf(value, (item) => {
    const record = isRecord(item) ? item : {};
    const subset: EndpointSubset = {};
    const ready = listOf(record.addresses, readAddress);
    const notReady = listOf(record.notReadyAddresses, readAddress);
    const ports = listOf(record.ports, readPort);
    if (ready.length > 0) subset.addresses = ready;
    if (notReady.length > 0) subset.notReadyAddresses = notReady;
    if (ports.length > 0) subset.ports = ports;
    return subset;
  });
}

/** endpointSubsetsEqualIgnoreResourceVersion; order matters, as in Go. */
export function subsetsEqualIgnoringResourceVersion(
  a: readonly EndpointSubset[],
  b: readonly EndpointSubset[],
): boolean {
  return canonicalStringify(readSubsets(a)) === canonicalStringify(readSubsets(b));
}

function labelsOf(object: KubeObject | undefined): Record<string, string> {
  const labels = object?.metadata.labels;
  return isRecord(labels) ? (labels as Record<string, string>) : {};
}

/** Semantic.DeepEqual on label maps: nil and empty are equal. */
function labelsEqual(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) {
  return canonicalStringify(a) === canonicalStringify(b);
}

function withoutKey(map: Readonly<Record<string, string>>, key: string): Record<string, string> {
  const copy = { ...map };
  delete copy[key];
  return copy;
}

/** capacityAnnotationSetCorrectly: under capacity and no over-capacity annotation. */
export function capacityAnnotationSetCorrectly(current: KubeObject): boolean {
  if (addressCount(readSubsets(current.subsets)) > endpointsAddressCountMax) return false;
  const annotations = current.metadata.annotations ?? {};
  return !Object.hasOwn(annotations, overCapacityAnnotation);
}

function limitTo(addresses: EndpointAddress[] | undefined, count: number) {
  return addresses === undefined || addresses.length <= count
    ? addresses
    : addresses.slice(0, count);
}

/**
 * truncateEndpoints: undefined when within capacity; otherwise the subsets cut to
 * `endpointsAddressCountMax` addresses, each subset keeping ceil(its share × room) (the last
 * ones possibly fewer). Ready addresses are kept before not-ready ones: when the ready ones alone
 * exceed capacity, every not-ready address goes and the ready ones are cut.
 */
export function truncateSubsets(
  subsets: readonly EndpointSubset[],
  countMax = endpointsAddressCountMax,
): EndpointSubset[] | undefined {
  let totalReady = 0;
  let totalNotReady = 0;
  for (const subset of subsets) {
    totalReady += subset.addresses?.length ?? 0;
    totalNotReady += subset.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= countMax) return undefined;
  const cutReady = totalReady > countMax;
  const room = cutReady ? countMax : countMax - totalReady;
  const total = cutReady ? totalReady : totalNotReady;
  let left = room;
  return subsets.map((subset) => {
    const inSubset = (cutReady ? subset.addresses?.length : subset.notReadyAddresses?.length) ?? 0;
    const share = Math.min(Math.ceil((inSubset / total) * room), left);
    const next: EndpointSubset = { ...subset };
    if (cutReady) {
      next.addresses = limitTo(subset.addresses, share);
      delete next.notReadyAddresses;
      left -= next.addresses?.length ?? 0;
    } else {
      next.notReadyAddresses = limitTo(subset.notReadyAddresses, share);
      left -= next.notReadyAddresses?.length ?? 0;
    }
    if (next.addresses === undefined || next.addresses.length === 0) delete next.addresses;
    if (next.notReadyAddresses?.length === 0) delete next.notReadyAddresses;
    return next;
  });
}

function nextAnnotations(
  current: KubeObject | undefined,
  triggerTimeMs: number | undefined,
  truncated: boolean,
): Record<string, string> {
  const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
  if (triggerTimeMs === undefined) delete annotations[lastChangeTriggerTimeAnnotation];
  else annotations[lastChangeTriggerTimeAnnotation] = formatTime(triggerTimeMs);
  if (truncated) annotations[overCapacityAnnotation] = 'truncated';
  else delete annotations[overCapacityAnnotation];
  return annotations;
}

function nextLabels(service: KubeObject): Record<string, string> {
  const labels = { ...labelsOf(service) };
  if (isServiceIpSet(service)) return withoutKey(labels, headlessServiceLabel);
  labels[headlessServiceLabel] = '';
  return labels;
}

function isEmpty(map: Readonly<Record<string, string>>): boolean {
  return Object.keys(map).length === 0;
}

/** The object to write: the cached one (or a fresh one) with new subsets, labels, annotations. */
function buildEndpoints(input: EndpointsPlanInput): KubeObject {
  const { service, current, triggerTimeMs } = input;
  const truncated = truncateSubsets(input.subsets);
  const subsets = truncated ?? [...input.subsets];
  const labels = nextLabels(service);
  const annotations = nextAnnotations(current, triggerTimeMs, truncated !== undefined);
  const base = current?.metadata ?? { name: service.metadata.name };
  const metadata: KubeObject['metadata'] = { ...base };
  delete metadata.labels;
  delete metadata.annotations;
  if (!isEmpty(labels)) metadata.labels = labels;
  if (!isEmpty(annotations)) metadata.annotations = annotations;
  const endpoints: KubeObject = {
    ...(current ?? {}),
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata,
  };
  delete endpoints.subsets;
  if (subsets.length > 0) endpoints.subsets = subsets;
  return endpoints;
}

/**
 * Whether and what to write. Unchanged when an Endpoints exists whose subsets equal the desired
 * ones (ignoring targetRef resourceVersions), whose labels without the headless label equal
 * the service's, and whose over-capacity annotation is right. The trigger-time annotation alone
 * never causes a write.
 */
export function planEndpointsWrite(input: EndpointsPlanInput): EndpointsWrite {
  const { service, current } = input;
  const exists = current !== undefined && (current.metadata.resourceVersion ?? '') !== '';
  if (
    exists &&
    subsetsEqualIgnoringResourceVersion(readSubsets(current.subsets), input.subsets) &&
    labelsEqual(withoutKey(labelsOf(current), headlessServiceLabel), labelsOf(service)) &&
    capacityAnnotationSetCorrectly(current)
  ) {
    return { kind: 'unchanged' };
  }
  return { kind: exists ? 'update' : 'create', endpoints: buildEndpoints(input) };
}
