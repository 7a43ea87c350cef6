// Resource accounting as upstream's scheduler: resource lists → framework Resource, pod requests
// (component-helpers PodRequests, v1.32 with sidecars) and node allocatable.
import { parseQuantity, quantityMilliValue, quantityValue } from '../../api/values/quantity.js';
import type { JsonObject, JsonValue } from '../../store/types.js';
import { arrayAt, isJsonObject, objectAt, objectsAt, stringAt } from './json-fields.js';
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

/** Multiplier of a suffix the fast path takes, or undefined (values stay exact below 2^53). */
function fastSuffixMultiplier(suffix: string): number | undefined {
  switch (suffix) {
    case '':
      return 1;
    case 'k':
      return 1e3;
    case 'M':
      return 1e6;
    case 'G':
      return 1e9;
    case 'T':
      return 1e12;
    case 'Ki':
      return 2 ** 10;
    case 'Mi':
      return 2 ** 20;
    case 'Gi':
      return 2 ** 30;
    case 'Ti':
      return 2 ** 40;
    default:
      return undefined;
  }
}

/** At most this many digits take the fast path: their value is an exact double. */
const fastDigitCountMax = 15;

/**
 * The common quantity forms (`100m`, `4`, `500Mi`, `32Gi`: unsigned digits and a plain suffix)
 * in units (millis when `milli`), computed in exact double arithmetic; undefined for any other
 * form or a result past 2^53, which the exact parser then handles. Same value as the parser's.
 */
export function fastQuantityAmount(text: string, milli: boolean): number | undefined {
  let end = 0;
  while (end < text.length && end <= fastDigitCountMax) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
    end++;
  }
  if (end === 0 || end > fastDigitCountMax) return undefined;
  const digits = Number(text.slice(0, end));
  const suffix = end === text.length ? '' : text.slice(end);
  if (suffix === 'm') {
    if (milli) return digits;
    // Quantity.Value rounds up: whole units plus one for any remainder.
    const remainder = digits % 1000;
    return (digits - remainder) / 1000 + (remainder === 0 ? 0 : 1);
  }
  const multiplier = fastSuffixMultiplier(suffix);
  if (multiplier === undefined) return undefined;
  const amount = digits * multiplier * (milli ? 1000 : 1);
  return Number.isSafeInteger(amount) ? amount : undefined;
}

/** A quantity field as an integer in units (cpu: millicores); undefined when unparsable. */
export function quantityAmount(name: string, value: JsonValue | undefined): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') return undefined;
  const milli = name === 'cpu';
  const fast = fastQuantityAmount(text, milli);
  if (fast !== undefined) return fast;
  const q = parseQuantity(text);
  if (q === undefined) return undefined;
  return Number(milli ? quantityMilliValue(q) : quantityValue(q));
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

export interface PodResourceRequests {
  requests: Resource;
  nonZeroRequests: { milliCpu: number; memory: number };
}

/** One request list's own cpu and memory amounts (undefined when not requested). */
interface OwnRequests {
  cpu: number | undefined;
  memory: number | undefined;
}

/** Adds amount into the framework Resource as resourceFromAmounts files each resource name. */
function addAmountInto(r: Resource, name: string, amount: number): void {
  if (name === 'cpu') r.milliCpu += amount;
  else if (name === 'memory') r.memory += amount;
  else if (name === 'ephemeral-storage') r.ephemeralStorage += amount;
  else if (name === 'pods') r.allowedPodNumber += amount;
  else if (isScalarResourceName(name)) r.scalar.set(name, (r.scalar.get(name) ?? 0) + amount);
}

/** Adds a request list into `r`; `own` receives the list's cpu and memory amounts. */
function addRequestsInto(r: Resource, list: JsonObject | undefined, own: OwnRequests): void {
  own.cpu = undefined;
  own.memory = undefined;
  if (list === undefined) return;
  // for-in over a JSON object: its own keys, in Object.entries order, with no entry arrays.
  for (const name in list) {
    const amount = quantityAmount(name, list[name]);
    if (amount === undefined) continue;
    addAmountInto(r, name, amount);
    if (name === 'cpu') own.cpu = amount;
    else if (name === 'memory') own.memory = amount;
  }
}

/**
 * podResourceRequests for a pod without init containers, in one pass and with no amount map:
 * the app containers' sum plus overhead (the same additions, in the same order, as
 * podRequestAmounts then resourceFromAmounts), and that sum with the scoring defaults.
 */
function appOnlyRequests(spec: JsonObject | undefined): PodResourceRequests {
  const requests = emptyResource();
  const own: OwnRequests = { cpu: undefined, memory: undefined };
  let milliCpu = 0;
  let memory = 0;
  for (const c of arrayAt(spec, 'containers')) {
    if (!isJsonObject(c)) continue;
    addRequestsInto(requests, objectAt(objectAt(c, 'resources'), 'requests'), own);
    milliCpu += own.cpu ?? defaultMilliCpuRequest;
    memory += own.memory ?? defaultMemoryRequest;
  }
  const overhead = spec?.['overhead'];
  if (isJsonObject(overhead)) {
    addRequestsInto(requests, overhead, own);
    milliCpu += own.cpu ?? 0;
    memory += own.memory ?? 0;
  }
  return { requests, nonZeroRequests: { milliCpu, memory } };
}

/** The pod's requests (Filter) and its non-zero cpu/memory requests (scoring). */
export function podResourceRequests(pod: JsonObject): PodResourceRequests {
  const spec = objectAt(pod, 'spec');
  if (arrayAt(spec, 'initContainers').length === 0) return appOnlyRequests(spec);
  const requests = resourceFromAmounts(podRequestAmounts(pod, false));
  const nonZero = podRequestAmounts(pod, true);
  return {
    requests,
    nonZeroRequests: { milliCpu: nonZero.get('cpu') ?? 0, memory: nonZero.get('memory') ?? 0 },
  };
}
