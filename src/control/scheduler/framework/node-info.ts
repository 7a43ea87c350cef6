// MutableNodeInfo: a node with its pods and summed requests, kept up to date incrementally by
// the scheduler cache; snapshots take clone()s, so plugins only ever see frozen copies.
import type { JsonObject } from '../../store/types.js';
import { assert } from '../../util/assert.js';
import { arrayAt, isJsonObject, numberAt, objectAt, stringAt, stringMapAt } from './json-fields.js';
import { hasPodAffinity, hasRequiredAntiAffinity } from './pod-info.js';
import { addResourceInto, cloneResource, emptyResource, nodeAllocatable } from './resources.js';
import type { HostPort, NodeInfo, PodInfo, Resource } from './types.js';

const emptyNode: JsonObject = Object.freeze({});

/** An image reference as the scheduler looks it up: a name without a tag gets `:latest`. */
export function normalizedImageName(name: string): string {
  return name.lastIndexOf(':') <= name.lastIndexOf('/') ? `${name}:latest` : name;
}

/** node.status.images as normalised name → size in bytes. */
export function imageSizesOf(node: JsonObject): Map<string, number> {
  const out = new Map<string, number>();
  for (const image of arrayAt(objectAt(node, 'status'), 'images')) {
    if (!isJsonObject(image)) continue;
    const size = numberAt(image, 'sizeBytes') ?? 0;
    for (const name of arrayAt(image, 'names')) {
      if (typeof name === 'string') out.set(normalizedImageName(name), size);
    }
  }
  return out;
}

/** The key of NodeInfo.labelPairCounts. */
export function labelPairKey(namespace: string, key: string, value: string): string {
  return `${namespace}\u0000${key}\u0000${value}`;
}

function removeByKey(list: PodInfo[], key: string): void {
  const i = list.findIndex((p) => p.key === key);
  if (i < 0) return;
  list[i] = list[list.length - 1] as PodInfo;
  list.pop();
}

export class MutableNodeInfo implements NodeInfo {
  node: JsonObject;
  name: string;
  labels: Readonly<Record<string, string>>;
  /** Replaced, never changed in place: copies share it. */
  allocatable: Resource;
  pods: PodInfo[];
  requested: Resource;
  nonZeroRequested: { milliCpu: number; memory: number };
  usedPorts: HostPort[];
  /** Replaced, never changed in place: copies share it. */
  imageSizes: Map<string, number>;
  podsWithAffinity: PodInfo[];
  podsWithRequiredAntiAffinity: PodInfo[];
  /** Non-terminating pods by `namespace \0 key \0 value` of each of their labels. */
  labelPairCounts: Map<string, number>;
  /** Bumped on every change, so a cache can tell which snapshots are stale. */
  generation: number;
  /** Pod key → index in `pods`; built on first use (copies start without one). */
  #indexByKey: Map<string, number> | undefined;

  /** A node info for `node` (or empty), or (copyOf) a copy: see clone(). */
  constructor(options: { node?: JsonObject; copyOf?: MutableNodeInfo } = {}) {
    const from = options.copyOf;
    this.node = from?.node ?? emptyNode;
    this.name = from?.name ?? '';
    this.labels = from?.labels ?? {};
    this.allocatable = from?.allocatable ?? emptyResource();
    this.pods = from === undefined ? [] : [...from.pods];
    this.requested = from === undefined ? emptyResource() : cloneResource(from.requested);
    this.nonZeroRequested = { ...(from?.nonZeroRequested ?? { milliCpu: 0, memory: 0 }) };
    this.usedPorts = from === undefined ? [] : [...from.usedPorts];
    this.imageSizes = from?.imageSizes ?? new Map();
    this.podsWithAffinity = from === undefined ? [] : [...from.podsWithAffinity];
    this.podsWithRequiredAntiAffinity =
      from === undefined ? [] : [...from.podsWithRequiredAntiAffinity];
    this.labelPairCounts = new Map(from?.labelPairCounts);
    this.generation = from?.generation ?? 0;
    this.#indexByKey = undefined;
    if (from === undefined && options.node !== undefined) this.setNode(options.node);
  }

  setNode(node: JsonObject): void {
    this.node = node;
    this.name = stringAt(objectAt(node, 'metadata'), 'name') ?? '';
    this.labels = stringMapAt(objectAt(node, 'metadata'), 'labels');
    this.allocatable = nodeAllocatable(node);
    this.imageSizes = imageSizesOf(node);
    this.generation += 1;
  }

  hasPod(key: string): boolean {
    return this.#index().has(key);
  }

  addPod(podInfo: PodInfo): void {
    const index = this.#index();
    assert(!index.has(podInfo.key), `pod ${podInfo.key} already on node ${this.name}`);
    index.set(podInfo.key, this.pods.length);
    this.pods.push(podInfo);
    this.#account(podInfo, 1);
    this.#countLabels(podInfo, 1);
    for (const port of podInfo.hostPorts) this.usedPorts.push(port);
    if (hasPodAffinity(podInfo)) this.podsWithAffinity.push(podInfo);
    if (hasRequiredAntiAffinity(podInfo)) this.podsWithRequiredAntiAffinity.push(podInfo);
    this.generation += 1;
  }

  /** Removes the pod with this key; returns false when it was not on the node. */
  removePod(key: string): boolean {
    const byKey = this.#index();
    const index = byKey.get(key);
    if (index === undefined) return false;
    const podInfo = this.pods[index] as PodInfo;
    const last = this.pods.pop() as PodInfo;
    if (last !== podInfo) {
      this.pods[index] = last;
      byKey.set(last.key, index);
    }
    byKey.delete(key);
    this.#account(podInfo, -1);
    this.#countLabels(podInfo, -1);
    if (podInfo.hostPorts.length > 0) this.#removePorts(podInfo.hostPorts);
    removeByKey(this.podsWithAffinity, key);
    removeByKey(this.podsWithRequiredAntiAffinity, key);
    this.generation += 1;
    return true;
  }

  /** A deep-enough copy: lists, maps and sums are fresh; node and pod objects are shared. */
  clone(): MutableNodeInfo {
    return new MutableNodeInfo({ copyOf: this });
  }

  #index(): Map<string, number> {
    if (this.#indexByKey === undefined) {
      this.#indexByKey = new Map();
      for (let i = 0; i < this.pods.length; i++) {
        this.#indexByKey.set((this.pods[i] as PodInfo).key, i);
      }
    }
    return this.#indexByKey;
  }

  #account(podInfo: PodInfo, sign: 1 | -1): void {
    addResourceInto(this.requested, podInfo.requests, sign);
    this.nonZeroRequested.milliCpu += sign * podInfo.nonZeroRequests.milliCpu;
    this.nonZeroRequested.memory += sign * podInfo.nonZeroRequests.memory;
  }

  #countLabels(podInfo: PodInfo, sign: 1 | -1): void {
    if (podInfo.terminating) return;
    for (const key of Object.keys(podInfo.labels)) {
      const pair = labelPairKey(podInfo.namespace, key, podInfo.labels[key] as string);
      const count = (this.labelPairCounts.get(pair) ?? 0) + sign;
      if (count === 0) this.labelPairCounts.delete(pair);
      else this.labelPairCounts.set(pair, count);
    }
  }

  #removePorts(ports: readonly HostPort[]): void {
    for (const port of ports) {
      const i = this.usedPorts.findIndex(
        (p) => p.ip === port.ip && p.protocol === port.protocol && p.port === port.port,
      );
      if (i >= 0) this.usedPorts.splice(i, 1);
    }
  }
}
