// The garbage collector (pkg/controller/garbagecollector, v1.32): deletes objects whose owners
// are gone, and carries out Foreground and Orphan deletions that the API server marked with the
// `foregroundDeletion` / `orphan` finalizers.
//
// Shape: one Informer per monitored resource (default: every type the API server serves except
// events, which upstream ignores) feeds a DependencyGraph synchronously (dependency-graph.ts);
// the graph's effects go to two rate-limited work queues of uids, each drained by `workerCount`
// workers (--concurrent-gc-syncs, 20) once every informer has listed. Decisions are the pure
// functions of attempt-plan.ts; this file only calls the API.
// attemptToDelete(uid):
// - an item being deleted, not in the foreground: nothing (its deletion event comes later);
// - live GET of the item; not found or another uid → a virtual delete event to the graph;
// - an item deleting its dependents in the foreground: when no dependent with
//   blockOwnerDeletion=true is left, remove `foregroundDeletion` (the API server then removes
//   it); otherwise queue those dependents;
// - otherwise classify each owner reference with a live GET of the owner (absent owners are
//   remembered in an LRU): a solid owner → drop references to gone or waiting owners with a
//   strategic merge patch; no solid owner → DELETE with the uid as precondition, Foreground if
//   an owner waits and the item has dependents, else the policy of the item's own GC finalizer,
//   else Background.
// attemptToOrphan(uid): remove the owner's reference from every dependent, then `orphan`.
// Only `foregroundDeletion` and `orphan` are ever removed; other finalizers are left alone.
// Failures are logged and retried with the queue's backoff (5 ms doubling to 1000 s).
import type { ResourceType } from '../../api/registry.js';
import { findResource, resourceTypes } from '../../api/registry.js';
import type { KubeClient } from '../../client/client.js';
import { isNotFound } from '../../client/errors.js';
import { Informer } from '../../client/informer.js';
import type { KubeObject, ResourceDescriptor } from '../../client/types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import { assert, assertNever } from '../../util/assert.js';
import { AbsentOwnerCache } from './absent-owner-cache.js';
import type { ClassifiedReferences, PropagationPolicy } from './attempt-plan.js';
import { classifyReference, planAttemptToDelete } from './attempt-plan.js';
import type { GraphEvent, GraphNode } from './dependency-graph.js';
import { DependencyGraph } from './dependency-graph.js';
import { ObjectClient, resourceOfKind } from './object-client.js';
import type { ObjectIdentity, OwnerReference } from './references.js';
import {
  deleteOwnerReferencesPatch,
  foregroundFinalizer,
  identityKey,
  identityOfReference,
  orphanFinalizer,
  ownerReferencesOf,
  unblockOwnerReferencesPatch,
} from './references.js';

export interface GarbageCollectorOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks `informers/<plural>[.<group>]` and `retry`. */
  rng: Rng;
  /** One line per deletion, orphaning, finalizer removal and failure. Default: none. */
  log?: (line: string) => void;
  /** Workers per queue (--concurrent-gc-syncs). Default 20. */
  workerCount?: number;
  /** Resources to monitor. Default: every served type that can be listed, watched and
   *  deleted, except events (upstream's ignored resources). */
  resources?: readonly ResourceDescriptor[];
  /** Entries of the absent-owner LRU. Default 500. */
  absentOwnerCacheSizeMax?: number;
  /** Most dependents patched at once when orphaning. Default 50. */
  orphanConcurrencyMax?: number;
}

export interface GarbageCollectorStats {
  deletedCount: number;
  referencesRemovedCount: number;
  finalizersRemovedCount: number;
  errorCount: number;
}

/** Outcomes of attemptToDeleteItem that end the item's retries (beside plain success). */
type AttemptOutcome = 'done' | 'virtualDeleteEnqueued' | 'invalidOwnerScope';

const cacheSyncPollMs = 100;
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function defaultResources(): ResourceType[] {
  return resourceTypes.filter(
    (type) =>
      !(type.plural === 'events' && type.group === '') &&
      ['delete', 'list', 'watch'].every((verb) => type.verbs.includes(verb)),
  );
}

function resourceTypeOf(descriptor: ResourceDescriptor): ResourceType {
  const type = findResource(descriptor.group, descriptor.version, descriptor.plural);
  assert(type !== undefined, `the API server does not serve ${descriptor.plural}`);
  return type;
}

/** Runs `work` on every item with at most `limit` calls in flight; collects the failures. */
async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<unknown[]> {
  const failures: unknown[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item).catch((error: unknown) => void failures.push(error));
    }
  };
  const lanes: Promise<void>[] = [];
  for (let i = 0; i < Math.min(limit, items.length); i++) lanes.push(lane());
  await Promise.all(lanes);
  return failures;
}

export class GarbageCollector {
  readonly #options: GarbageCollectorOptions;
  readonly #client: KubeClient;
  readonly #clock: Clock;
  readonly #objects: ObjectClient;
  readonly #absent: AbsentOwnerCache;
  readonly #graph: DependencyGraph;
  readonly #informers: Informer[] = [];
  readonly #deleteQueue: WorkQueue<string>;
  readonly #orphanQueue: WorkQueue<string>;
  readonly #stats: GarbageCollectorStats = {
    deletedCount: 0,
    referencesRemovedCount: 0,
    finalizersRemovedCount: 0,
    errorCount: 0,
  };
  #running = false;
  #workers: Promise<void>[] = [];

  constructor(options: GarbageCollectorOptions) {
    this.#options = options;
    this.#client = options.client;
    this.#clock = options.clock;
    this.#objects = new ObjectClient({ ...options, rng: options.rng.fork('retry') });
    this.#absent = new AbsentOwnerCache({ sizeMax: options.absentOwnerCacheSizeMax ?? 500 });
    this.#graph = new DependencyGraph({ absentOwners: this.#absent });
    const queue = (name: string) => new WorkQueue<string>({ clock: options.clock, name });
    this.#deleteQueue = queue('garbage_collector_attempt_to_delete');
    this.#orphanQueue = queue('garbage_collector_attempt_to_orphan');
    const types = (options.resources ?? defaultResources()).map(resourceTypeOf);
    const rng = options.rng.fork('informers');
    for (const type of types) this.#informers.push(this.#monitor(type, rng));
    const workers = options.workerCount ?? 20;
    assert(Number.isSafeInteger(workers) && workers > 0, 'workerCount must be a positive integer');
  }

  /** The graph (read it, never change it): tests and diagnostics. */
  get graph(): DependencyGraph {
    return this.#graph;
  }

  stats(): GarbageCollectorStats {
    return { ...this.#stats };
  }

  /** True once every monitored resource has been listed. */
  hasSynced(): boolean {
    return this.#informers.every((informer) => informer.hasSynced());
  }

  /** Starts the informers, then the workers once they have all listed. */
  start(): void {
    assert(!this.#running, 'garbage collector started twice');
    this.#running = true;
    for (const informer of this.#informers) informer.start();
    const synced = this.#waitForSync();
    const workers = this.#options.workerCount ?? 20;
    for (let i = 0; i < workers; i++) {
      this.#workers.push(this.#work(synced, this.#deleteQueue, (uid) => this.#processDelete(uid)));
      this.#workers.push(this.#work(synced, this.#orphanQueue, (uid) => this.#processOrphan(uid)));
    }
  }

  /** Stops informers and queues; work in flight still finishes. */
  stop(): void {
    this.#running = false;
    for (const informer of this.#informers) informer.stop();
    this.#deleteQueue.shutDown();
    this.#orphanQueue.shutDown();
  }

  /** Resolves when every worker has ended (after stop()). */
  async whenStopped(): Promise<void> {
    await Promise.all(this.#workers);
  }

  #monitor(type: ResourceType, rng: Rng): Informer {
    const informer = new Informer({
      client: this.#client,
      clock: this.#clock,
      resource: type,
      rng: rng.fork(type.group === '' ? type.plural : `${type.plural}.${type.group}`),
    });
    const { apiVersion, kind } = type;
    informer.addEventHandler({
      onAdd: (object) => this.#apply({ type: 'upsert', apiVersion, kind, object }),
      onUpdate: (old, object) => this.#apply({ type: 'upsert', apiVersion, kind, object, old }),
      onDelete: (object) =>
        this.#apply({ type: 'delete', apiVersion, kind, object, virtual: false }),
    });
    return informer;
  }

  /** Applies a graph change and queues what it asks for (hot path: synchronous). */
  #apply(event: GraphEvent): void {
    const effects = this.#graph.apply(event);
    for (const uid of effects.attemptToDelete) this.#deleteQueue.add(uid);
    for (const uid of effects.attemptToDeleteRateLimited) this.#deleteQueue.addRateLimited(uid);
    for (const uid of effects.attemptToOrphan) this.#orphanQueue.add(uid);
  }

  async #waitForSync(): Promise<void> {
    while (this.#running && !this.hasSynced()) await this.#clock.sleep(cacheSyncPollMs);
  }

  async #work(
    synced: Promise<void>,
    queue: WorkQueue<string>,
    process: (uid: string) => Promise<'forget' | 'requeue'>,
  ): Promise<void> {
    await synced;
    for (;;) {
      const next = await queue.get();
      if (next.shutDown) return;
      const action = await process(next.key);
      if (action === 'requeue') queue.addRateLimited(next.key);
      else queue.forget(next.key);
      queue.done(next.key);
    }
  }

  #fail(what: string, error: unknown): 'requeue' {
    this.#stats.errorCount += 1;
    this.#log(`${what}: ${errorText(error)}`);
    return 'requeue';
  }

  async #processDelete(uid: string): Promise<'forget' | 'requeue'> {
    const node = this.#graph.get(uid);
    if (node === undefined) return 'forget';
    try {
      const outcome = await this.#attemptToDeleteItem(node);
      if (outcome !== 'done') return 'forget';
      // A virtual node is retried until an informer shows it or a GET proves it gone.
      return node.virtual && this.#graph.get(uid) === node ? 'requeue' : 'forget';
    } catch (error) {
      return this.#fail(`error syncing item ${identityKey(node.identity)}`, error);
    }
  }

  async #attemptToDeleteItem(node: GraphNode): Promise<AttemptOutcome> {
    if (node.beingDeleted && !node.deletingDependents) return 'done';
    const latest = await this.#objects.get(node.identity);
    if (latest === undefined || latest.metadata.uid !== node.identity.uid) {
      this.#enqueueVirtualDelete(node.identity);
      return 'virtualDeleteEnqueued';
    }
    if (node.deletingDependents) {
      await this.#processDeletingDependents(node);
      return 'done';
    }
    const refs = ownerReferencesOf(latest);
    if (refs.length === 0) return 'done';
    const classes = await this.#classify(node, refs);
    if (classes === 'invalidOwnerScope') return classes;
    const decision = planAttemptToDelete(classes, {
      dependentCount: node.dependents.size,
      dependentDeletingDependents: this.#graph.dependentsOf(node).some((d) => d.deletingDependents),
      latest,
    });
    switch (decision.kind) {
      case 'keep':
        return 'done';
      case 'removeReferences':
        await this.#removeReferences(node.identity, decision.ownerUids);
        return 'done';
      case 'delete':
        if (decision.unblockFirst) await this.#unblock(node);
        await this.#deleteItem(node.identity, decision.policy);
        return 'done';
      default:
        return assertNever(decision, 'unknown attempt decision');
    }
  }

  #enqueueVirtualDelete(identity: ObjectIdentity): void {
    const { apiVersion, kind, name, namespace, uid } = identity;
    const object: KubeObject = { apiVersion, kind, metadata: { name, namespace, uid } };
    this.#apply({ type: 'delete', apiVersion, kind, object, virtual: true });
  }

  async #processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = this.#graph.blockingDependents(node);
    if (blocking.length === 0) {
      await this.#removeFinalizer(node.identity, foregroundFinalizer);
      return;
    }
    for (const dependent of blocking) {
      if (!dependent.deletingDependents) this.#deleteQueue.add(dependent.identity.uid);
    }
  }

  async #classify(
    node: GraphNode,
    refs: readonly OwnerReference[],
  ): Promise<ClassifiedReferences | 'invalidOwnerScope'> {
    const classes: ClassifiedReferences = { solid: [], dangling: [], waiting: [] };
    for (const ref of refs) {
      const owner = await this.#ownerOf(ref, node);
      if (owner === 'invalidOwnerScope') return owner;
      classes[owner === 'absent' ? 'dangling' : classifyReference(ref, owner)].push(ref);
    }
    return classes;
  }

  /** isDangling: the owner's live object, or 'absent' (also remembered in the LRU). */
  async #ownerOf(
    ref: OwnerReference,
    item: GraphNode,
  ): Promise<KubeObject | 'absent' | 'invalidOwnerScope'> {
    const clusterKey = identityOfReference(ref, '');
    const namespacedKey = identityOfReference(ref, item.identity.namespace);
    if (this.#absent.has(clusterKey) || this.#absent.has(namespacedKey)) return 'absent';
    const type = resourceOfKind(ref);
    // A cluster-scoped object cannot be owned by a namespaced one: never retried.
    if (item.identity.namespace === '' && type.namespaced) return 'invalidOwnerScope';
    const key = type.namespaced ? namespacedKey : clusterKey;
    const owner = await this.#objects.get(key);
    if (owner !== undefined && owner.metadata.uid === ref.uid) return owner;
    this.#absent.add(key);
    return 'absent';
  }

  async #unblock(node: GraphNode): Promise<void> {
    const patch = unblockOwnerReferencesPatch(node.identity.uid, node.owners);
    if (patch !== undefined) await this.#objects.patchStrategic(node.identity, patch);
  }

  async #removeReferences(item: ObjectIdentity, ownerUids: readonly string[]): Promise<void> {
    await this.#objects.patchStrategic(item, deleteOwnerReferencesPatch(item.uid, ownerUids));
    this.#stats.referencesRemovedCount += ownerUids.length;
    this.#log(`removed references to ${ownerUids.join(', ')} from ${identityKey(item)}`);
  }

  async #deleteItem(identity: ObjectIdentity, policy: PropagationPolicy): Promise<void> {
    await this.#objects.delete(identity, policy);
    this.#stats.deletedCount += 1;
    this.#log(`deleted ${identityKey(identity)} with propagationPolicy ${policy}`);
  }

  async #removeFinalizer(identity: ObjectIdentity, finalizer: string): Promise<void> {
    if (!(await this.#objects.removeFinalizer(identity, finalizer))) return;
    this.#stats.finalizersRemovedCount += 1;
    this.#log(`removed finalizer ${finalizer} from ${identityKey(identity)}`);
  }

  async #processOrphan(uid: string): Promise<'forget' | 'requeue'> {
    const owner = this.#graph.get(uid);
    if (owner === undefined) return 'forget';
    const dependents = this.#graph.dependentsOf(owner);
    const limit = this.#options.orphanConcurrencyMax ?? 50;
    const failures = await forEachBounded(dependents, limit, async (dependent) => {
      try {
        await this.#removeReferences(dependent.identity, [uid]);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
    if (failures.length > 0) {
      const detail = failures.map(errorText).join('; ');
      return this.#fail(`orphaning dependents of ${identityKey(owner.identity)} failed`, detail);
    }
    try {
      await this.#removeFinalizer(owner.identity, orphanFinalizer);
      return 'forget';
    } catch (error) {
      return this.#fail(
        `removing the orphan finalizer of ${identityKey(owner.identity)} failed`,
        error,
      );
    }
  }

  #log(line: string): void {
    this.#options.log?.(line);
  }
}
