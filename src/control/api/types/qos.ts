// A pod's QoS class (upstream pkg/apis/core/helper/qos ComputePodQOS, v1.32 without pod-level
// resources): BestEffort without any cpu/memory request or limit, Guaranteed when every
// container limits both and the summed requests equal the summed limits, Burstable otherwise.

import type { JsonObject, JsonValue } from '../../store/types.js';
import { arrayAt, isObject, objectAt } from '../schema/json.js';
import type { Quantity } from '../values/quantity.js';
import { compareQuantities, parseQuantity } from '../values/quantity.js';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const qosResources = ['cpu', 'memory'] as const;
type QosResource = (typeof qosResources)[number];
type Totals = Partial<Record<QosResource, Quantity>>;

function add(a: Quantity | undefined, b: Quantity): Quantity {
  if (a === undefined) return b;
  const scale = Math.max(a.scale, b.scale);
  const numerator =
    a.numerator * 10n ** BigInt(scale - a.scale) + b.numerator * 10n ** BigInt(scale - b.scale);
  return { numerator, scale, format: a.format };
}

function positiveQuantity(value: JsonValue | undefined): Quantity | undefined {
  const text = typeof value === 'number' ? JSON.stringify(value) : value;
  if (typeof text !== 'string') return undefined;
  const parsed = parseQuantity(text.trim());
  return parsed !== undefined && parsed.numerator > 0n ? parsed : undefined;
}

/** Adds a container's positive cpu/memory amounts; returns which resources were present. */
function accumulate(totals: Totals, list: JsonObject | undefined): Set<QosResource> {
  const found = new Set<QosResource>();
  for (const name of qosResources) {
    const amount = positiveQuantity(list?.[name]);
    if (amount === undefined) continue;
    found.add(name);
    totals[name] = add(totals[name], amount);
  }
  return found;
}

/** ComputePodQOS over `spec.containers` and `spec.initContainers` (ephemeral ones excluded). */
export function computeQosClass(pod: JsonObject): QosClass {
  const spec = objectAt(pod, 'spec');
  const containers = [...arrayAt(spec, 'containers'), ...arrayAt(spec, 'initContainers')];
  const requests: Totals = {};
  const limits: Totals = {};
  let guaranteed = true;
  for (const container of containers) {
    if (!isObject(container)) continue;
    const resources = objectAt(container, 'resources');
    accumulate(requests, objectAt(resources, 'requests'));
    const limited = accumulate(limits, objectAt(resources, 'limits'));
    if (!limited.has('cpu') || !limited.has('memory')) guaranteed = false;
  }
  const requestNames = qosResources.filter((name) => requests[name] !== undefined);
  const limitNames = qosResources.filter((name) => limits[name] !== undefined);
  if (requestNames.length === 0 && limitNames.length === 0) return 'BestEffort';
  if (guaranteed) {
    guaranteed = requestNames.every((name) => {
      const limit = limits[name];
      return limit !== undefined && compareQuantities(limit, requests[name] as Quantity) === 0;
    });
  }
  return guaranteed && requestNames.length === limitNames.length ? 'Guaranteed' : 'Burstable';
}
