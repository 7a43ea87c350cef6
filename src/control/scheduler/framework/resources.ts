// Resource accounting as upstream's scheduler: resource lists → framework Resource, pod requests
// (component-helpers PodRequests, v1.32 with sidecars) and node allocatable.
import { parseQuantity, quantityMilliValue, quantityValue } from '../../api/values/quantity.js';
import type { JsonObject, JsonValue } from '../../store/types.js';
import { isJsonObject, objectAt, objectsAt, stringAt } from './json-fields.js';
import type { Resource } from './types.js';

/** schedutil.DefaultMilliCPURequest: a container without a cpu request counts 100m when scoring. */
export const defaultMilliCpuRequest = 100;
/** schedutil.DefaultMemoryRequest: 200 MiB for a container without a memory request. */
export const defaultMemoryRequest = 200 * 1024 * 1024;

/** Requests by resource name; cpu in millicores, everything else in units. */
export type ResourceAmounts = Map<string, number>;

export function emptyResource(): Resource {
  return { milliCpu: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: new Map() };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: new Map(r.scalar) };
}

/** Extended (domain-prefixed), kubernetes.io-prefixed, hugepages and attachable-volume names. */
export function isScalarResourceName(name: string): boolean {
  return (
    name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')
  );
}

/** A quantity field as an integer in units (cpu: millicores); undefined when unparsable. */
export function quantityAmount(name: string, value: JsonValue | undefined): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const q = parseQuantity(text);
  if (q === undefined) return undefined;
  return Number(name === 'cpu' ? quantityMilliValue(q) : quantityValue(q));
}

/** A resource list (`requests`, `allocatable`, `overhead`) as name → amount. */
export function resourceAmountsOf(list: JsonObject | undefined): ResourceAmounts {
  const out: ResourceAmounts = new Map();
  if (list === undefined) return out;
  for (const [name, value] of Object.entries(list)) {
    const amount = quantityAmount(name, value);
    if (amount !== undefined) out.set(name, amount);
  }
  return out;
}

/** framework.NewResource: cpu, memory, ephemeral-storage, pods and scalar resources. */
export function resourceFromAmounts(amounts: ResourceAmounts): Resource {
  const r = emptyResource();
  for (const [name, amount] of amounts) {
    if (name === 'cpu') r.milliCpu += amount;
    else if (name === 'memory') r.memory += amount;
    else if (name === 'ephemeral-storage') r.ephemeralStorage += amount;
    else if (name === 'pods') r.allowedPodNumber += amount;
    else if (isScalarResourceName(name)) r.scalar.set(name, (r.scalar.get(name) ?? 0) + amount);
  }
  return r;
}

/** Adds (sign 1) or subtracts (sign -1) b into a; pod counts are left alone. */
export function addResourceInto(a: Resource, b: Resource, sign: 1 | -1): void {
  a.milliCpu += sign * b.milliCpu;
  a.memory += sign * b.memory;
  a.ephemeralStorage += sign * b.ephemeralStorage;
  for (const [name, amount] of b.scalar) {
    const next = (a.scalar.get(name) ?? 0) + sign * amount;
    if (next === 0 && sign < 0) a.scalar.delete(name);
    else a.scalar.set(name, next);
  }
}

/** The amount of one named resource in r (0 when absent). */
export function resourceAmount(r: Resource, name: string): number {
  switch (name) {
    case 'cpu':
      return r.milliCpu;
    case 'memory':
      return r.memory;
    case 'ephemeral-storage':
      return r.ephemeralStorage;
    case 'pods':
      return r.allowedPodNumber;
    default:
      return r.scalar.get(name) ?? 0;
  }
}

/** Node allocatable: status.allocatable, else status.capacity. */
export function nodeAllocatable(node: JsonObject): Resource {
  const nodeStatus = objectAt(node, 'status');
  const list = objectAt(nodeStatus, 'allocatable') ?? objectAt(nodeStatus, 'capacity');
  return resourceFromAmounts(resourceAmountsOf(list));
}

function addInto(into: ResourceAmounts, from: ResourceAmounts): void {
  for (const [name, amount] of from) into.set(name, (into.get(name) ?? 0) + amount);
}

function maxInto(into: ResourceAmounts, from: ResourceAmounts): void {
  for (const [name, amount] of from) {
    const current = into.get(name);
    if (current === undefined || amount > current) into.set(name, amount);
  }
}

function containerRequests(container: JsonObject, withDefaults: boolean): ResourceAmounts {
  const requests = resourceAmountsOf(objectAt(objectAt(container, 'resources'), 'requests'));
  if (withDefaults) {
    if (!requests.has('cpu')) requests.set('cpu', defaultMilliCpuRequest);
    if (!requests.has('memory')) requests.set('memory', defaultMemoryRequest);
  }
  return requests;
}

/**
 * resourcehelper.PodRequests (v1.32, SidecarContainers on): per resource the max of
 * Σ app containers (+ restartable init containers) and each init container's need (its own
 * request plus the sidecars started before it), plus spec.overhead. `withDefaults` applies the
 * scoring non-zero defaults to containers lacking a cpu or memory request.
 */
export function podRequestAmounts(pod: JsonObject, withDefaults: boolean): ResourceAmounts {
  const spec = objectAt(pod, 'spec');
  const reqs: ResourceAmounts = new Map();
  for (const c of objectsAt(spec, 'containers')) addInto(reqs, containerRequests(c, withDefaults));
  const sidecars: ResourceAmounts = new Map();
  const initMax: ResourceAmounts = new Map();
  for (const c of objectsAt(spec, 'initContainers')) {
    const own = containerRequests(c, withDefaults);
    if (stringAt(c, 'restartPolicy') === 'Always') {
      addInto(reqs, own);
      addInto(sidecars, own);
      maxInto(initMax, sidecars);
    } else {
      addInto(own, sidecars);
      maxInto(initMax, own);
    }
  }
  maxInto(reqs, initMax);
  const overhead = spec?.['overhead'];
  if (isJsonObject(overhead)) addInto(reqs, resourceAmountsOf(overhead));
  return reqs;
}

/** The pod's requests (Filter) and its non-zero cpu/memory requests (scoring). */
export function podResourceRequests(pod: JsonObject): {
  requests: Resource;
  nonZeroRequests: { milliCpu: number; memory: number };
} {
  const requests = resourceFromAmounts(podRequestAmounts(pod, false));
  const nonZero = podRequestAmounts(pod, true);
  return {
    requests,
    nonZeroRequests: { milliCpu: nonZero.get('cpu') ?? 0, memory: nonZero.get('memory') ?? 0 },
  };
}
