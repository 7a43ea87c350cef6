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

/** A consistent, read-only view for one cycle; the cache refreshes it between cycles. */
export class CacheSnapshot implements Snapshot {
  nodes: readonly NodeInfo[] = [];
  readonly #byName = new Map<string, MutableNodeInfo>();
  #imageCounts: Map<string, number> | undefined;

  get(nodeName: string): NodeInfo | undefined {
    return this.#byName.get(nodeName);
  }

  imageNodeCount(image: string): number {
    if (this.#imageCounts === undefined) {
      const counts = new Map<string, number>();
      for (const node of this.nodes) {
        for (const name of node.imageSizes.keys()) counts.set(name, (counts.get(name) ?? 0) + 1);
      }
      this.#imageCounts = counts;
    }
    return this.#imageCounts.get(image) ?? 0;
  }

  /** Cache-only: replaces or removes one node; `membershipChanged` forces a re-sort. */
  apply(changed: ReadonlyMap<string, MutableNodeInfo | undefined>): void {
    let membershipChanged = false;
    for (const [name, info] of changed) {
      const had = this.#byName.has(name);
      if (info === undefined) this.#byName.delete(name);
      else this.#byName.set(name, info);
      if (had !== (info !== undefined)) membershipChanged = true;
    }
    if (changed.size > 0) this.#imageCounts = undefined;
    if (membershipChanged) {
      const names = [...this.#byName.keys()].sort(byName);
      this.nodes = names.map((n) => this.#byName.get(n) as MutableNodeInfo);
    } else if (changed.size > 0) {
      this.nodes = this.nodes.map((n) => this.#byName.get(n.name) as MutableNodeInfo);
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
