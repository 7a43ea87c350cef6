// Kubelet admission (upstream lifecycle/predicate.go predicateAdmitHandler + generalFilter):
// before a pod starts, the node must fit it. Pure. Checks, first failure wins:
// 1. restartable init containers (sidecars) → InitContainerRestartPolicyForbidden (this kubelet
//    runs as if SidecarContainers were off);
// 2. resources (scheduler NodeResourcesFit, in its order: pods, cpu, memory, ephemeral-storage,
//    then other resources by name) against allocatable minus the admitted pods' requests →
//    OutOfpods / OutOfcpu / OutOfmemory / OutOfephemeral-storage / OutOf<name>, message
//    `Node didn't have enough resource: cpu, requested: 2000, used: 3500, capacity: 4000`;
// 3. nodeSelector / required node affinity → NodeAffinity;
// 4. an untolerated NoExecute taint → TaintToleration.

import { arrayAt, isObject, objectAt, stringAt } from '../api/schema/json.js';
import { compareGoStrings } from '../api/values/go-format.js';
import { parseQuantity, quantityMilliValue, quantityValue } from '../api/values/quantity.js';
import type { JsonObject, JsonValue } from '../store/types.js';
import { podContainers, podInitContainers } from './pod-view.js';

/** Amounts by resource name: cpu in millicores, everything else in units (bytes, counts). */
export type ResourceAmounts = Map<string, bigint>;

export type AdmissionResult = { admit: true } | { admit: false; reason: string; message: string };

export interface AdmissionNode {
  name: string;
  labels: Readonly<Record<string, string>>;
  allocatable: ResourceAmounts;
  /** node.spec.taints as the API shows them. */
  taints: readonly JsonValue[];
}

const nodeAffinityMessage = "node(s) didn't match Pod's node affinity/selector";
const taintMessage = "node(s) had taints that the pod didn't tolerate";

/** A resource list (`{cpu: "500m", memory: "1Gi"}`) as amounts; unparsable values are skipped. */
export function resourceAmounts(list: JsonObject | undefined): ResourceAmounts {
  const amounts: ResourceAmounts = new Map();
  for (const [name, value] of Object.entries(list ?? {})) {
    const text = typeof value === 'number' ? String(value) : value;
    const quantity = typeof text === 'string' ? parseQuantity(text) : undefined;
    if (quantity === undefined) continue;
    amounts.set(name, name === 'cpu' ? quantityMilliValue(quantity) : quantityValue(quantity));
  }
  return amounts;
}

function addInto(total: ResourceAmounts, add: ResourceAmounts): void {
  for (const [name, value] of add) total.set(name, (total.get(name) ?? 0n) + value);
}

function maxInto(total: ResourceAmounts, other: ResourceAmounts): void {
  for (const [name, value] of other) {
    if (value > (total.get(name) ?? 0n)) total.set(name, value);
  }
}

function containerRequests(container: JsonObject): ResourceAmounts {
  return resourceAmounts(objectAt(objectAt(container, 'resources'), 'requests'));
}

/** Pod requests (component-helpers PodRequests): max(Σ app containers, each init) + overhead. */
export function podRequests(pod: JsonObject): ResourceAmounts {
  const total: ResourceAmounts = new Map();
  for (const container of podContainers(pod)) addInto(total, containerRequests(container.spec));
  for (const init of podInitContainers(pod)) maxInto(total, containerRequests(init.spec));
  addInto(total, resourceAmounts(objectAt(objectAt(pod, 'spec'), 'overhead')));
  return total;
}

function insufficient(name: string, requested: bigint, used: bigint, capacity: bigint) {
  const reasons: Record<string, string> = {
    cpu: 'OutOfcpu',
    memory: 'OutOfmemory',
    'ephemeral-storage': 'OutOfephemeral-storage',
    pods: 'OutOfpods',
  };
  const message =
    `Node didn't have enough resource: ${name}, requested: ${requested}, ` +
    `used: ${used}, capacity: ${capacity}`;
  return { admit: false as const, reason: reasons[name] ?? `OutOf${name}`, message };
}

function isExtendedResource(name: string): boolean {
  return (
    name.includes('/') && !name.startsWith('kubernetes.io/') && !name.includes('.kubernetes.io/')
  );
}

function checkResources(pod: JsonObject, node: AdmissionNode, others: readonly JsonObject[]) {
  const allowed = node.allocatable.get('pods') ?? 0n;
  if (BigInt(others.length + 1) > allowed) {
    return insufficient('pods', 1n, BigInt(others.length), allowed);
  }
  const request = podRequests(pod);
  const used: ResourceAmounts = new Map();
  for (const other of others) addInto(used, podRequests(other));
  const standard = ['cpu', 'memory', 'ephemeral-storage'];
  const scalar = [...request.keys()].filter((n) => !standard.includes(n) && n !== 'pods');
  scalar.sort(compareGoStrings);
  for (const name of [...standard, ...scalar]) {
    const wanted = request.get(name) ?? 0n;
    if (wanted === 0n) continue;
    if (!node.allocatable.has(name) && isExtendedResource(name)) continue;
    const capacity = node.allocatable.get(name) ?? 0n;
    const inUse = used.get(name) ?? 0n;
    if (wanted > capacity - inUse) return insufficient(name, wanted, inUse, capacity);
  }
  return undefined;
}

function expressionMatches(expression: JsonValue, value: string | undefined): boolean {
  const operator = stringAt(expression, 'operator');
  const values = arrayAt(expression, 'values').filter((v): v is string => typeof v === 'string');
  switch (operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const bound = Number(values[0]);
      const actual = Number(value);
      if (value === undefined || !Number.isInteger(bound) || !/^-?\d+$/.test(value)) return false;
      return operator === 'Gt' ? actual > bound : actual < bound;
    }
    default:
      return false;
  }
}

function termMatches(term: JsonValue, node: AdmissionNode): boolean {
  const expressions = arrayAt(term, 'matchExpressions');
  const fields = arrayAt(term, 'matchFields');
  if (expressions.length === 0 && fields.length === 0) return false;
  const labelsMatch = expressions.every((e) => {
    const key = stringAt(e, 'key') ?? '';
    return expressionMatches(e, Object.hasOwn(node.labels, key) ? node.labels[key] : undefined);
  });
  const fieldsMatch = fields.every((f) => {
    const value = stringAt(f, 'key') === 'metadata.name' ? node.name : undefined;
    return expressionMatches(f, value);
  });
  return labelsMatch && fieldsMatch;
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution, as the scheduler reads them. */
export function matchesNodeAffinity(pod: JsonObject, node: AdmissionNode): boolean {
  const spec = objectAt(pod, 'spec');
  for (const [key, value] of Object.entries(objectAt(spec, 'nodeSelector') ?? {})) {
    if (!Object.hasOwn(node.labels, key) || node.labels[key] !== value) return false;
  }
  const required = objectAt(
    objectAt(objectAt(spec, 'affinity'), 'nodeAffinity'),
    'requiredDuringSchedulingIgnoredDuringExecution',
  );
  if (required === undefined) return true;
  return arrayAt(required, 'nodeSelectorTerms').some((term) => termMatches(term, node));
}

/** Upstream Toleration.ToleratesTaint. */
export function toleratesTaint(toleration: JsonValue, taint: JsonValue): boolean {
  const effect = stringAt(toleration, 'effect') ?? '';
  if (effect !== '' && effect !== stringAt(taint, 'effect')) return false;
  const key = stringAt(toleration, 'key') ?? '';
  if (key !== '' && key !== stringAt(taint, 'key')) return false;
  const operator = stringAt(toleration, 'operator') ?? '';
  if (operator === 'Exists') return true;
  if (operator !== '' && operator !== 'Equal') return false;
  return (stringAt(toleration, 'value') ?? '') === (stringAt(taint, 'value') ?? '');
}

function hasUntoleratedNoExecute(pod: JsonObject, taints: readonly JsonValue[]): boolean {
  const tolerations = arrayAt(objectAt(pod, 'spec'), 'tolerations');
  return taints.some(
    (taint) =>
      isObject(taint) &&
      taint.effect === 'NoExecute' &&
      !tolerations.some((toleration) => toleratesTaint(toleration, taint)),
  );
}

/** Whether the node admits `pod` next to `others` (the admitted, still active pods). */
export function admitPod(
  pod: JsonObject,
  node: AdmissionNode,
  others: readonly JsonObject[],
): AdmissionResult {
  const sidecar = podInitContainers(pod).find((c) => c.restartable);
  if (sidecar !== undefined) {
    const message = `Init container "${sidecar.name}" may not have a non-default restartPolicy`;
    return { admit: false, reason: 'InitContainerRestartPolicyForbidden', message };
  }
  const resources = checkResources(pod, node, others);
  if (resources !== undefined) return resources;
  if (!matchesNodeAffinity(pod, node)) {
    const message = `Predicate NodeAffinity failed: ${nodeAffinityMessage}`;
    return { admit: false, reason: 'NodeAffinity', message };
  }
  if (hasUntoleratedNoExecute(pod, node.taints)) {
    const message = `Predicate TaintToleration failed: ${taintMessage}`;
    return { admit: false, reason: 'TaintToleration', message };
  }
  return { admit: true };
}
