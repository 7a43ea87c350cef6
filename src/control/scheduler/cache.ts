// The scheduler cache: nodes and their pods (bound and assumed) as MutableNodeInfos, and the
// per-cycle Snapshot, refreshed incrementally as upstream's Cache.UpdateSnapshot does.
//
// Callers: informer handlers add/update/remove nodes and assigned pods; the Scheduler assumes a
// pod on its chosen node before binding (so the next cycle sees it), finishes or forgets the
// binding, and takes a snapshot at the start of every cycle. The informer's add of a bound pod
// confirms an assumed one instead of counting it twice. Only nodes changed since the last
// snapshot are cloned; the node order (by name) is rebuilt only when nodes come or go.
import { assert } from '../util/assert.js';
import { MutableNodeInfo } from './framework/node-info.js';
import { NodeTable } from './framework/node-table.js';
import type { NodeInfo, PodInfo, Snapshot } from './framework/types.js';
import type { JsonObject } from '../store/types.js';

interface PodState {
  podInfo: PodInfo;
  nodeName: string;
  assumed: boolean;
  bindingFinished: boolean;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The snapshot nodes that satisfy a predicate, in snapshot order: rebuilt lazily when a node
 * enters or leaves the subset, patched in place when a member is replaced.
 */
class NodeSubset {
  readonly #has: (info: MutableNodeInfo) => boolean;
  readonly #members = new Set<string>();
  #list: MutableNodeInfo[] | undefined;
  readonly #indexByName = new Map<string, number>();

  constructor(has: (info: MutableNodeInfo) => boolean) {
    this.#has = has;
  }

  /** One node replaced (old → info, either absent): keeps the list or drops it. */
  replace(name: string, old: MutableNodeInfo | undefined, info: MutableNodeInfo | undefined) {
    const was = old !== undefined && this.#members.has(name);
    const is = info !== undefined && this.#has(info);
    if (is) this.#members.add(name);
    else this.#members.delete(name);
    if (was !== is) this.#list = undefined;
    else if (is && this.#list !== undefined) {
      this.#list[this.#indexByName.get(name) as number] = info as MutableNodeInfo;
    }
  }

  /** Forces a rebuild (the snapshot's order changed). */
  reset(): void {
    this.#list = undefined;
  }

  list(nodes: readonly MutableNodeInfo[]): readonly NodeInfo[] {
    if (this.#members.size === 0) return [];
    if (this.#list === undefined) {
      this.#list = nodes.filter((n) => this.#members.has(n.name));
      this.#indexByName.clear();
      this.#list.forEach((n, i) => this.#indexByName.set(n.name, i));
    }
    return this.#list;
  }
}

/**
 * A consistent, read-only view for one cycle; the cache refreshes it between cycles. A changed
 * node is replaced in place (its index is kept), so a refresh costs O(changed nodes) unless
 * nodes come or go; image counts and the affinity node lists follow incrementally.
 */
export class CacheSnapshot implements Snapshot {
  readonly #nodes: MutableNodeInfo[] = [];
  readonly #byName = new Map<string, MutableNodeInfo>();
  readonly #indexByName = new Map<string, number>();
  readonly #imageCounts = new Map<string, number>();
  readonly #withAffinity = new NodeSubset((n) => n.podsWithAffinity.length > 0);
  readonly #withRequiredAntiAffinity = new NodeSubset(
    (n) => n.podsWithRequiredAntiAffinity.length > 0,
  );
  /** Row i is #nodes[i]. */
  readonly table = new NodeTable();

  get nodes(): readonly NodeInfo[] {
    return this.#nodes;
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.#byName.get(nodeName);
  }

  imageNodeCount(image: string): number {
    return this.#imageCounts.get(image) ?? 0;
  }

  /** Nodes with at least one pod having affinity terms, in snapshot order. */
  nodesWithAffinityPods(): readonly NodeInfo[] {
    return this.#withAffinity.list(this.#nodes);
  }

  /** Nodes with at least one pod having required anti-affinity, in snapshot order. */
  nodesWithRequiredAntiAffinityPods(): readonly NodeInfo[] {
    return this.#withRequiredAntiAffinity.list(this.#nodes);
  }

  /** Cache-only: replaces or removes the changed nodes; the order is rebuilt on membership. */
  apply(changed: ReadonlyMap<string, MutableNodeInfo | undefined>): void {
    let membershipChanged = false;
    for (const [name, info] of changed) {
      const old = this.#byName.get(name);
      if (old !== undefined) this.#countImages(old, -1);
      if (info === undefined) this.#byName.delete(name);
      else {
        this.#byName.set(name, info);
        this.#countImages(info, 1);
      }
      this.#withAffinity.replace(name, old, info);
      this.#withRequiredAntiAffinity.replace(name, old, info);
      if ((old !== undefined) !== (info !== undefined)) membershipChanged = true;
      else if (info !== undefined) {
        const index = this.#indexByName.get(name) as number;
        this.#nodes[index] = info;
        this.table.set(index, info);
      }
    }
    if (!membershipChanged) return;
    const names = [...this.#byName.keys()].sort(byName);
    this.#nodes.length = 0;
    this.#indexByName.clear();
    for (const n of names) {
      this.#indexByName.set(n, this.#nodes.length);
      this.#nodes.push(this.#byName.get(n) as MutableNodeInfo);
    }
    this.#withAffinity.reset();
    this.#withRequiredAntiAffinity.reset();
    this.table.resize(this.#nodes.length);
    this.#nodes.forEach((info, i) => this.table.set(i, info));
  }

  #countImages(info: MutableNodeInfo, sign: 1 | -1): void {
    for (const image of info.imageSizes.keys()) {
      const count = (this.#imageCounts.get(image) ?? 0) + sign;
      if (count === 0) this.#imageCounts.delete(image);
      else this.#imageCounts.set(image, count);
    }
  }
}

export class SchedulerCache {
  /** Nodes by name; a node object may be absent while pods still name it. */
  readonly #nodes = new Map<string, { info: MutableNodeInfo; hasNode: boolean }>();
  readonly #pods = new Map<string, PodState>();
  /** Nodes changed since the last snapshot update. */
  readonly #dirty = new Set<string>();
  readonly #snapshot = new CacheSnapshot();

  get nodeCount(): number {
    let count = 0;
    for (const entry of this.#nodes.values()) if (entry.hasNode) count += 1;
    return count;
  }

  get podCount(): number {
    return this.#pods.size;
  }

  addNode(node: JsonObject): void {
    const name = nodeNameOf(node);
    const entry = this.#entry(name);
    entry.info.setNode(node);
    entry.hasNode = true;
    this.#dirty.add(name);
  }

  updateNode(node: JsonObject): void {
    this.addNode(node);
  }

  removeNode(name: string): void {
    const entry = this.#nodes.get(name);
    if (entry === undefined) return;
    entry.hasNode = false;
    if (entry.info.pods.length === 0) this.#nodes.delete(name);
    this.#dirty.add(name);
  }

  isAssumed(key: string): boolean {
    return this.#pods.get(key)?.assumed === true;
  }

  /** The node a pod is on (bound or assumed), if the cache knows the pod. */
  nodeOf(key: string): string | undefined {
    return this.#pods.get(key)?.nodeName;
  }

  /** Puts a pod on its chosen node before the binding is confirmed. */
  assumePod(podInfo: PodInfo, nodeName: string): void {
    assert(!this.#pods.has(podInfo.key), `pod ${podInfo.key} is already in the cache`);
    this.#addToNode(podInfo, nodeName);
    this.#pods.set(podInfo.key, { podInfo, nodeName, assumed: true, bindingFinished: false });
  }

  finishBinding(key: string): void {
    const state = this.#pods.get(key);
    if (state?.assumed === true) state.bindingFinished = true;
  }

  /** Undoes assumePod after a failed binding. */
  forgetPod(key: string): void {
    const state = this.#pods.get(key);
    if (state === undefined || !state.assumed) return;
    this.#removeFromNode(key, state.nodeName);
    this.#pods.delete(key);
  }

  /** An assigned pod from the informer: confirms an assumed pod or adds a new one. */
  addPod(podInfo: PodInfo): void {
    const nodeName = podNodeName(podInfo);
    assert(nodeName !== '', `pod ${podInfo.key} has no node`);
    const state = this.#pods.get(podInfo.key);
    if (state !== undefined) this.#removeFromNode(podInfo.key, state.nodeName);
    this.#addToNode(podInfo, nodeName);
    this.#pods.set(podInfo.key, { podInfo, nodeName, assumed: false, bindingFinished: true });
  }

  updatePod(podInfo: PodInfo): void {
    this.addPod(podInfo);
  }

  removePod(key: string): void {
    const state = this.#pods.get(key);
    if (state === undefined) return;
    this.#removeFromNode(key, state.nodeName);
    this.#pods.delete(key);
  }

  /** Brings the snapshot up to date (clones only changed nodes) and returns it. */
  updateSnapshot(): Snapshot {
    const changed = new Map<string, MutableNodeInfo | undefined>();
    for (const name of this.#dirty) {
      const entry = this.#nodes.get(name);
      changed.set(name, entry?.hasNode === true ? entry.info.clone() : undefined);
    }
    this.#dirty.clear();
    this.#snapshot.apply(changed);
    return this.#snapshot;
  }

  #entry(name: string): { info: MutableNodeInfo; hasNode: boolean } {
    let entry = this.#nodes.get(name);
    if (entry === undefined) {
      entry = { info: new MutableNodeInfo(), hasNode: false };
      entry.info.name = name;
      this.#nodes.set(name, entry);
    }
    return entry;
  }

  #addToNode(podInfo: PodInfo, nodeName: string): void {
    this.#entry(nodeName).info.addPod(podInfo);
    this.#dirty.add(nodeName);
  }

  #removeFromNode(key: string, nodeName: string): void {
    const entry = this.#nodes.get(nodeName);
    if (entry === undefined) return;
    entry.info.removePod(key);
    if (!entry.hasNode && entry.info.pods.length === 0) this.#nodes.delete(nodeName);
    this.#dirty.add(nodeName);
  }
}

function nodeNameOf(node: JsonObject): string {
  const meta = node.metadata as { name?: unknown } | undefined;
  const name = meta?.name;
  assert(typeof name === 'string' && name !== '', 'a node needs a name');
  return name;
}

/** spec.nodeName of a pod ('' when unassigned). */
export function podNodeName(podInfo: PodInfo): string {
  const spec = podInfo.pod.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === 'string' ? spec.nodeName : '';
}
