// core/v1 Pod: the declaration, pod-level defaults (requests from limits, QoS class on create),
// create/update rules, field labels and printer columns.

import type { JsonObject, JsonValue } from '../../store/types.js';
import type { FieldError } from '../schema/field-errors.js';
import { forbiddenError, invalidError } from '../schema/field-errors.js';
import { goFieldName } from '../schema/go-value.js';
import { arrayAt, childPath, isObject, objectAt, stringAt, withField } from '../schema/json.js';
import type { DefaultingContext, ObjectSchema, ValidationContext } from '../schema/schema.js';
import { obj, ref } from '../schema/schema.js';
import { semanticEqual } from '../schema/semantic-equal.js';
import { metadataField, typeMetaFields } from './meta.js';
import { podPrinterColumns } from './pod-printer.js';
import { podSpecSchema } from './pod-spec.js';
import { podStatusSchema } from './pod-status.js';
import { computeQosClass } from './qos.js';
import type { ResourceDeclaration } from './resource.js';

export const podSchema: ObjectSchema = obj(
  'Pod',
  'A group of containers scheduled together onto one node.',
  {
    ...typeMetaFields(),
    metadata: metadataField(),
    spec: ref(podSpecSchema, 'Desired state of the pod.', { default: {} }),
    status: ref(podStatusSchema, 'Observed state of the pod; written by the kubelet.'),
  },
  {
    hooks: { defaults: defaultPod, validate: validatePod, validateUpdate: validatePodUpdate },
    root: {
      group: '',
      version: 'v1',
      kind: 'Pod',
      scope: 'Namespaced',
      nameFormat: 'dns1123-subdomain',
    },
  },
);

/** SetDefaults_Pod: requests default to limits for every resource with a limit only. */
function requestsFromLimits(container: JsonValue): JsonValue {
  if (!isObject(container)) return container;
  const resources = objectAt(container, 'resources');
  const limits = objectAt(resources, 'limits');
  if (resources === undefined || limits === undefined) return container;
  const requests = objectAt(resources, 'requests') ?? {};
  const missing = Object.keys(limits).filter((name) => !Object.hasOwn(requests, name));
  if (missing.length === 0 && resources.requests !== undefined) return container;
  const merged: Record<string, JsonValue> = { ...requests };
  for (const name of missing) merged[name] = limits[name] as JsonValue;
  return withField(container, 'resources', withField(resources, 'requests', merged));
}

/** SetDefaults_Pod with hostNetwork: container ports expose the same host port. */
function hostNetworkPorts(container: JsonValue): JsonValue {
  if (!isObject(container) || !Array.isArray(container.ports)) return container;
  const ports = container.ports.map((port: JsonValue) => {
    if (!isObject(port) || (port.hostPort !== undefined && port.hostPort !== 0)) return port;
    return port.containerPort === undefined
      ? port
      : withField(port, 'hostPort', port.containerPort);
  });
  return withField(container, 'ports', ports);
}

function mapContainers(spec: JsonObject, change: (c: JsonValue) => JsonValue): JsonObject {
  let next = spec;
  for (const key of ['containers', 'initContainers']) {
    const list = next[key];
    if (Array.isArray(list)) next = withField(next, key, list.map(change));
  }
  return next;
}

function defaultPodSpec(spec: JsonObject): JsonObject {
  let next = mapContainers(spec, requestsFromLimits);
  if (next.enableServiceLinks === undefined || next.enableServiceLinks === null) {
    next = withField(next, 'enableServiceLinks', true);
  }
  if (next.hostNetwork === true) next = mapContainers(next, hostNetworkPorts);
  return next;
}

function defaultPod(pod: JsonObject, ctx: DefaultingContext): JsonObject {
  const spec = objectAt(pod, 'spec');
  let next = spec === undefined ? pod : withField(pod, 'spec', defaultPodSpec(spec));
  if (ctx.operation === 'create') {
    const status = objectAt(next, 'status') ?? {};
    const phase =
      typeof status.phase === 'string' && status.phase !== '' ? status.phase : 'Pending';
    const qosClass = computeQosClass(next);
    next = withField(next, 'status', { ...status, phase, qosClass });
  }
  return next;
}

function validatePod(pod: JsonObject, ctx: ValidationContext): FieldError[] {
  if (ctx.operation !== 'create') return [];
  const spec = objectAt(pod, 'spec');
  const errors: FieldError[] = [];
  if (arrayAt(spec, 'ephemeralContainers').length > 0) {
    errors.push(forbiddenError('spec.ephemeralContainers', 'cannot be set on create'));
  }
  if ((stringAt(spec, 'nodeName') ?? '') !== '' && arrayAt(spec, 'schedulingGates').length > 0) {
    const detail = 'cannot be set until all schedulingGates have been cleared';
    errors.push(forbiddenError('spec.nodeName', detail));
  }
  return errors;
}

const updatableFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

function sameContainerCount(spec: JsonObject, old: JsonObject): FieldError[] {
  for (const key of ['containers', 'initContainers']) {
    if (arrayAt(spec, key).length !== arrayAt(old, key).length) {
      return [forbiddenError(`spec.${key}`, 'pod updates may not add or remove containers')];
    }
  }
  return [];
}

function validateActiveDeadline(spec: JsonObject, old: JsonObject): FieldError[] {
  const path = 'spec.activeDeadlineSeconds';
  const next = spec.activeDeadlineSeconds;
  const before = old.activeDeadlineSeconds;
  if (typeof next === 'number') {
    if (next < 0 || next > 2147483647) {
      return [invalidError(path, next, 'must be between 0 and 2147483647, inclusive')];
    }
    if (typeof before === 'number' && before < next) {
      return [invalidError(path, next, 'must be less than or equal to previous value')];
    }
  } else if (typeof before === 'number') {
    return [invalidError(path, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

function withoutSeconds(toleration: JsonValue): JsonValue {
  return isObject(toleration) ? withField(toleration, 'tolerationSeconds', undefined) : toleration;
}

function validateTolerationsOnlyAdded(spec: JsonObject, old: JsonObject): FieldError[] {
  const schema = podSpecSchema.fields.tolerations;
  const added = arrayAt(spec, 'tolerations').map(withoutSeconds);
  for (const toleration of arrayAt(old, 'tolerations').map(withoutSeconds)) {
    if (schema?.kind !== 'array') break;
    if (!added.some((candidate) => semanticEqual(schema.items, candidate, toleration))) {
      const detail = 'existing toleration can not be modified except its tolerationSeconds';
      return [forbiddenError('spec.tolerations', detail)];
    }
  }
  return [];
}

function validateGatesOnlyRemoved(spec: JsonObject, old: JsonObject): FieldError[] {
  const before = new Set(arrayAt(old, 'schedulingGates').map((g) => stringAt(g, 'name')));
  const errors: FieldError[] = [];
  arrayAt(spec, 'schedulingGates').forEach((gate, i) => {
    const name = stringAt(gate, 'name') ?? '';
    if (before.has(name)) return;
    const detail = `only deletion is allowed, but found new scheduling gate '${name}'`;
    errors.push(forbiddenError(`spec.schedulingGates[${i}].name`, detail));
  });
  return errors;
}

/** The new spec with every field a pod update may change taken from the old spec. */
function mungedSpec(spec: JsonObject, old: JsonObject): JsonObject {
  let next = spec;
  for (const key of ['containers', 'initContainers']) {
    const oldList = arrayAt(old, key);
    const list = arrayAt(next, key).map((c, i) => {
      const before = oldList[i];
      return isObject(c) ? withField(c, 'image', isObject(before) ? before.image : undefined) : c;
    });
    if (Array.isArray(next[key])) next = withField(next, key, list);
  }
  for (const key of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) {
    next = withField(next, key, old[key]);
  }
  const oldGrace = old.terminationGracePeriodSeconds;
  if (typeof oldGrace === 'number' && oldGrace < 0 && next.terminationGracePeriodSeconds === 1) {
    next = withField(next, 'terminationGracePeriodSeconds', oldGrace);
  }
  return next;
}

/** A short rendering of what changed, in place of upstream's (unstable) cmp.Diff text. */
function specDiff(next: JsonObject, old: JsonObject): string {
  const lines = ['  core.PodSpec{'];
  for (const [key, schema] of Object.entries(podSpecSchema.fields)) {
    if (semanticEqual(schema, next[key], old[key])) continue;
    lines.push(`- \t${goFieldName(key, schema)}: ${JSON.stringify(old[key] ?? null)},`);
    lines.push(`+ \t${goFieldName(key, schema)}: ${JSON.stringify(next[key] ?? null)},`);
  }
  lines.push('  }');
  return lines.join('\n');
}

function validatePodUpdate(pod: JsonObject, old: JsonObject, ctx: ValidationContext): FieldError[] {
  if (ctx.path !== '') return [];
  const spec = objectAt(pod, 'spec') ?? {};
  const oldSpec = objectAt(old, 'spec') ?? {};
  const counts = sameContainerCount(spec, oldSpec);
  if (counts.length > 0) return counts;
  const errors = [
    ...validateActiveDeadline(spec, oldSpec),
    ...validateTolerationsOnlyAdded(spec, oldSpec),
    ...validateGatesOnlyRemoved(spec, oldSpec),
  ];
  const munged = mungedSpec(spec, oldSpec);
  if (!semanticEqual(podSpecSchema, munged, oldSpec)) {
    const detail = `pod updates may not change fields other than ${updatableFields.join(',')}\n${specDiff(munged, oldSpec)}`;
    errors.push(forbiddenError(childPath('', 'spec'), detail));
  }
  return errors;
}

const specString = (key: string) => (pod: JsonObject) => stringAt(objectAt(pod, 'spec'), key) ?? '';
const statusString = (key: string) => (pod: JsonObject) =>
  stringAt(objectAt(pod, 'status'), key) ?? '';

/** Field selectors of pods (pod registry ToSelectableFields). */
export const podFieldLabels: Readonly<Record<string, (pod: JsonObject) => string>> = {
  'spec.nodeName': specString('nodeName'),
  'spec.restartPolicy': specString('restartPolicy'),
  'spec.schedulerName': specString('schedulerName'),
  'spec.serviceAccountName': specString('serviceAccountName'),
  'spec.hostNetwork': (pod) => String(objectAt(pod, 'spec')?.hostNetwork === true),
  'status.phase': statusString('phase'),
  'status.podIP': (pod) => stringAt(arrayAt(objectAt(pod, 'status'), 'podIPs')[0], 'ip') ?? '',
  'status.podIPs': (pod) =>
    arrayAt(objectAt(pod, 'status'), 'podIPs')
      .map((ip) => stringAt(ip, 'ip') ?? '')
      .join(','),
  'status.nominatedNodeName': statusString('nominatedNodeName'),
};

export const podResource: ResourceDeclaration = {
  schema: podSchema,
  plural: 'pods',
  singular: 'pod',
  shortNames: ['po'],
  categories: ['all'],
  subresources: ['binding', 'eviction', 'exec', 'log', 'status'],
  statusFields: ['status'],
  fieldLabels: podFieldLabels,
  printerColumns: podPrinterColumns,
  tracksGeneration: false,
};
