// The runtime configs the kubelet hands to the ContainerRuntime for a pod: its sandbox and its
// containers (command, args, env with downward-API field references, limits, and the runtime
// labels that let a restarted kubelet find them again). Pure.

import { arrayAt, isObject, objectAt, stringAt } from '../api/schema/json.js';
import type { ContainerConfig, PodSandboxConfig } from '../ports/container-runtime.js';
import { runtimeLabels } from '../ports/container-runtime.js';
import type { JsonObject, JsonValue } from '../store/types.js';
import { resourceAmounts } from './admission.js';
import type { ContainerView } from './pod-view.js';
import { podName, podNamespace, podUid } from './pod-view.js';

/** A container config that cannot be built (reported as CreateContainerConfigError). */
export class ContainerConfigError extends Error {
  override readonly name = 'ContainerConfigError';
}

function podLabels(pod: JsonObject): Record<string, string> {
  return {
    [runtimeLabels.podName]: podName(pod),
    [runtimeLabels.podNamespace]: podNamespace(pod),
    [runtimeLabels.podUid]: podUid(pod),
  };
}

export function sandboxConfig(pod: JsonObject, attempt: number): PodSandboxConfig {
  const spec = objectAt(pod, 'spec');
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(objectAt(objectAt(pod, 'metadata'), 'labels') ?? {})) {
    if (typeof value === 'string') own[key] = value;
  }
  return {
    name: podName(pod),
    namespace: podNamespace(pod),
    uid: podUid(pod),
    attempt,
    hostname: stringAt(spec, 'hostname') ?? podName(pod),
    labels: { ...own, ...podLabels(pod) },
  };
}

function strings(value: JsonValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A `metadata.labels['key']`-style path's key, or undefined. */
function subscript(path: string, prefix: string): string | undefined {
  if (!path.startsWith(`${prefix}['`) || !path.endsWith("']")) return undefined;
  return path.slice(prefix.length + 2, -2);
}

function fieldRefValue(pod: JsonObject, path: string, context: EnvContext): string | undefined {
  const metadata = objectAt(pod, 'metadata');
  const simple: Record<string, string | undefined> = {
    'metadata.name': podName(pod),
    'metadata.namespace': podNamespace(pod),
    'metadata.uid': podUid(pod),
    'spec.nodeName': stringAt(objectAt(pod, 'spec'), 'nodeName'),
    'spec.serviceAccountName': stringAt(objectAt(pod, 'spec'), 'serviceAccountName'),
    'status.podIP': context.podIp,
    'status.podIPs': context.podIp,
    'status.hostIP': context.hostIp,
    'status.hostIPs': context.hostIp,
  };
  if (Object.hasOwn(simple, path)) return simple[path] ?? '';
  const label = subscript(path, 'metadata.labels');
  if (label !== undefined) return stringAt(objectAt(metadata, 'labels'), label) ?? '';
  const annotation = subscript(path, 'metadata.annotations');
  if (annotation !== undefined)
    return stringAt(objectAt(metadata, 'annotations'), annotation) ?? '';
  return undefined;
}

export interface EnvContext {
  podIp: string;
  hostIp: string;
}

function envValue(pod: JsonObject, entry: JsonObject, context: EnvContext): string {
  const name = stringAt(entry, 'name') ?? '';
  const from = objectAt(entry, 'valueFrom');
  if (from === undefined) return stringAt(entry, 'value') ?? '';
  const path = stringAt(objectAt(from, 'fieldRef'), 'fieldPath');
  const value = path === undefined ? undefined : fieldRefValue(pod, path, context);
  if (value !== undefined) return value;
  const source = Object.keys(from).sort().join(',');
  throw new ContainerConfigError(
    `couldn't resolve env var "${name}": ` +
      `miniku's kubelet resolves only value and fieldRef, not ${source}`,
  );
}

function limitsOf(container: ContainerView) {
  const limits = resourceAmounts(objectAt(objectAt(container.spec, 'resources'), 'limits'));
  return {
    memoryBytes: Number(limits.get('memory') ?? 0n),
    cpuMillis: Number(limits.get('cpu') ?? 0n),
    pidsMax: 0,
  };
}

/** The config of attempt `attempt` of `container`; throws ContainerConfigError on bad env. */
export function containerConfig(
  pod: JsonObject,
  container: ContainerView,
  attempt: number,
  context: EnvContext,
): ContainerConfig {
  const env = arrayAt(container.spec, 'env')
    .filter(isObject)
    .map((entry) => ({
      name: stringAt(entry, 'name') ?? '',
      value: envValue(pod, entry, context),
    }));
  return {
    name: container.name,
    image: container.image,
    command: strings(container.spec.command),
    args: strings(container.spec.args),
    env,
    workingDir: stringAt(container.spec, 'workingDir') ?? '',
    attempt,
    labels: {
      ...podLabels(pod),
      [runtimeLabels.containerName]: container.name,
      [runtimeLabels.attempt]: String(attempt),
    },
    limits: limitsOf(container),
  };
}
