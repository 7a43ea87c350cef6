// Typed reads of the pod JSON the kubelet works from (metadata, spec, containers), with the
// defaults the API server would have applied, so the rest of the kubelet never digs in JSON.

import { arrayAt, isObject, numberAt, objectAt, stringAt } from '../api/schema/json.js';
import { parseTime } from '../api/values/time.js';
import type { JsonObject } from '../store/types.js';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface ContainerView {
  name: string;
  image: string;
  pullPolicy: PullPolicy;
  /** True for an init container with restartPolicy Always (a sidecar). */
  restartable: boolean;
  /** The container's JSON (command, args, env, resources, probes). */
  spec: JsonObject;
}

/** Upstream defaulting: Always for `:latest` or no tag (and no digest), else IfNotPresent. */
export function defaultPullPolicy(image: string): PullPolicy {
  if (image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? '' : image.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function containerView(value: JsonObject): ContainerView {
  const image = stringAt(value, 'image') ?? '';
  const policy = stringAt(value, 'imagePullPolicy');
  const pullPolicy =
    policy === 'Always' || policy === 'IfNotPresent' || policy === 'Never'
      ? policy
      : defaultPullPolicy(image);
  return {
    name: stringAt(value, 'name') ?? '',
    image,
    pullPolicy,
    restartable: stringAt(value, 'restartPolicy') === 'Always',
    spec: value,
  };
}

function containersAt(pod: JsonObject, key: string): ContainerView[] {
  return arrayAt(objectAt(pod, 'spec'), key).filter(isObject).map(containerView);
}

export function podContainers(pod: JsonObject): ContainerView[] {
  return containersAt(pod, 'containers');
}

export function podInitContainers(pod: JsonObject): ContainerView[] {
  return containersAt(pod, 'initContainers');
}

export function podUid(pod: JsonObject): string {
  return stringAt(objectAt(pod, 'metadata'), 'uid') ?? '';
}

export function podName(pod: JsonObject): string {
  return stringAt(objectAt(pod, 'metadata'), 'name') ?? '';
}

export function podNamespace(pod: JsonObject): string {
  return stringAt(objectAt(pod, 'metadata'), 'namespace') ?? '';
}

/** `name_namespace(uid)`, upstream's format.Pod, used in back-off messages. */
export function podDescription(pod: JsonObject): string {
  return `${podName(pod)}_${podNamespace(pod)}(${podUid(pod)})`;
}

export function restartPolicyOf(pod: JsonObject): RestartPolicy {
  const policy = stringAt(objectAt(pod, 'spec'), 'restartPolicy');
  return policy === 'OnFailure' || policy === 'Never' ? policy : 'Always';
}

export function isDeleting(pod: JsonObject): boolean {
  const stamp = stringAt(objectAt(pod, 'metadata'), 'deletionTimestamp');
  return stamp !== undefined && stamp !== '';
}

export function apiPhase(pod: JsonObject): string {
  return stringAt(objectAt(pod, 'status'), 'phase') ?? '';
}

export function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}

export function creationAtMs(pod: JsonObject): number {
  const stamp = stringAt(objectAt(pod, 'metadata'), 'creationTimestamp');
  return (stamp === undefined ? undefined : parseTime(stamp)) ?? 0;
}

/** metadata.deletionGracePeriodSeconds, else spec.terminationGracePeriodSeconds, else 30. */
export function podGraceSeconds(pod: JsonObject): number {
  const deletion = numberAt(objectAt(pod, 'metadata'), 'deletionGracePeriodSeconds');
  if (deletion !== undefined) return deletion;
  return numberAt(objectAt(pod, 'spec'), 'terminationGracePeriodSeconds') ?? 30;
}

export function isHostNetwork(pod: JsonObject): boolean {
  return objectAt(pod, 'spec')?.hostNetwork === true;
}

export function readinessGateTypes(pod: JsonObject): string[] {
  const gates = arrayAt(objectAt(pod, 'spec'), 'readinessGates');
  return gates.map((gate) => stringAt(gate, 'conditionType') ?? '').filter((t) => t !== '');
}
