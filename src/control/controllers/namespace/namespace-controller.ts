// The namespace controller (pkg/controller/namespace): empties terminating namespaces and then
// removes its `kubernetes` token from spec.finalizers, after which the API server removes them.
//
// Shape (STYLE.md 13/14): an Informer on namespaces enqueues the name of every namespace that
// has a deletionTimestamp, `deletionGracePeriodMs` (5 s upstream) after the event, so other API
// servers see the deletion before cleanup starts. Workers take names from a WorkQueue and
// reconcile them; decisions are the pure functions of namespace-plan.ts, this file only calls
// the API. One reconcile:
// 1. re-reads the namespace (live GET, as upstream); gone or not deleting → done;
// 2. writes status.phase Terminating if needed; empty spec.finalizers → done;
// 3. for every namespaced resource type (registry order): for pods, estimates the remaining
//    graceful termination; DELETE on the namespace's collection (propagationPolicy
//    Background); lists what is left;
// 4. optionally writes the NamespaceDeletion*/Namespace*Remaining status conditions;
// 5. failures → error (rate-limited retry, 5 ms doubling to 60 s); content still terminating
//    gracefully → requeue after estimate/2 + 1 s; otherwise PUT .../finalize without the token.
// Pods bound to a node stay (deletionTimestamp set) until their kubelet removes them: the
// controller requeues while their grace period runs, then retries with backoff and reports
// `unexpected items still remain` until they are gone, exactly as upstream.
import type { ResourceType } from '../../api/registry.js';
import { resourceTypes } from '../../api/registry.js';
import { formatTime } from '../../api/values/time.js';
import type { KubeClient } from '../../client/client.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { Informer } from '../../client/informer.js';
import {
  ItemExponentialFailureRateLimiter,
  BucketRateLimiter,
  MaxOfRateLimiter,
} from '../../client/rate-limiters.js';
import type { KubeObject, ResourceDescriptor } from '../../client/types.js';
import { WorkQueue } from '../../client/work-queue.js';
import type { Clock } from '../../ports/clock.js';
import type { Rng } from '../../ports/rng.js';
import { assert, assertNever } from '../../util/assert.js';
import type { NamespaceCondition } from './namespace-conditions.js';
import { nextNamespaceConditions } from './namespace-conditions.js';
import type { ContentObservation, ContentVerdict } from './namespace-plan.js';
import {
  deletedAtMs,
  finalizersWithout,
  judgeContent,
  namespaceFinalizerToken,
  planContentOutcome,
  planNamespaceStep,
  podGraceEstimateSeconds,
  specFinalizers,
} from './namespace-plan.js';

export interface NamespaceControllerOptions {
  client: KubeClient;
  clock: Clock;
  /** Forks `informer`. */
  rng: Rng;
  /** One line per notable event or failure. Default: none. */
  log?: (message: string) => void;
  /** Parallel reconciles (--concurrent-namespace-syncs). Default 10. */
  workerCount?: number;
  /** Delay between a namespace event and its reconcile. Default 5,000 ms. */
  deletionGracePeriodMs?: number;
  /** Informer resync (--namespace-sync-period). Default 300,000 ms. */
  resyncPeriodMs?: number;
  /** Write the deletion status conditions of step 4, as upstream does. Default true. */
  statusConditions?: boolean;
  /** Types to empty. Default: every namespaced type of the registry. */
  resources?: readonly ResourceDescriptor[];
  /** Tries of a write that meets 409 Conflict (upstream retries without bound). Default 10. */
  conflictRetryCountMax?: number;
}

/** What one reconcile asks of the queue: nothing, or another look after a delay. */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

const namespacesResource: ResourceDescriptor = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  namespaced: false,
  kind: 'Namespace',
};
const podsResource = { group: '', version: 'v1', plural: 'pods', namespaced: true };

function namespacedResources(): ResourceDescriptor[] {
  return resourceTypes.filter((type: ResourceType) => type.namespaced);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** nsControllerRateLimiter: max(5 ms × 2^n up to 60 s, 10 qps burst 100). */
function namespaceRateLimiter(clock: Clock): MaxOfRateLimiter<string> {
  return new MaxOfRateLimiter<string>({
    limiters: [
      new ItemExponentialFailureRateLimiter<string>({ baseDelayMs: 5, maxDelayMs: 60_000 }),
      new BucketRateLimiter<string>({ clock, qps: 10, burst: 100 }),
    ],
  });
}

export class NamespaceController {
  readonly #options: NamespaceControllerOptions;
  readonly #client: KubeClient;
  readonly #informer: Informer;
  readonly #queue: WorkQueue<string>;
  readonly #resources: readonly ResourceDescriptor[];
  #started = false;
  #workers: Promise<void>[] = [];

  constructor(options: NamespaceControllerOptions) {
    this.#options = options;
    this.#client = options.client;
    this.#resources = options.resources ?? namespacedResources();
    this.#informer = new Informer({
      client: options.client,
      resource: namespacesResource,
      clock: options.clock,
      rng: options.rng.fork('informer'),
      resyncPeriodMs: options.resyncPeriodMs ?? 300_000,
    });
    this.#queue = new WorkQueue<string>({
      clock: options.clock,
      name: 'namespace',
      rateLimiter: namespaceRateLimiter(options.clock),
    });
  }

  /** Names waiting in the queue or on its timers (diagnostics and tests). */
  get pendingCount(): number {
    return this.#queue.length + this.#queue.waitingCount;
  }

  start(): void {
    assert(!this.#started, 'namespace controller started twice');
    this.#started = true;
    const enqueue = (namespace: KubeObject): void => this.#enqueue(namespace);
    this.#informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, next) => enqueue(next) });
    this.#informer.start();
    const workers = this.#options.workerCount ?? 10;
    assert(Number.isSafeInteger(workers) && workers > 0, 'workerCount must be a positive integer');
    for (let i = 0; i < workers; i++) this.#workers.push(this.#work());
  }

  stop(): void {
    this.#queue.shutDown();
    this.#informer.stop();
  }

  /** Resolves when every worker has ended (after stop()). */
  async whenStopped(): Promise<void> {
    await Promise.all(this.#workers);
  }

  /** Event handler (hot path): only deleting namespaces are queued, after the grace delay. */
  #enqueue(namespace: KubeObject): void {
    const deletion = namespace.metadata.deletionTimestamp;
    if (deletion === undefined || deletion === '') return;
    const name = namespace.metadata.name;
    assert(typeof name === 'string' && name !== '', 'a namespace has a name');
    this.#queue.addAfter(name, this.#options.deletionGracePeriodMs ?? 5_000);
  }

  async #work(): Promise<void> {
    for (;;) {
      const next = await this.#queue.get();
      if (next.shutDown) return;
      await this.#process(next.key);
    }
  }

  async #process(name: string): Promise<void> {
    try {
      const result = await this.reconcile(name);
      if (result.requeueAfterMs === undefined) this.#queue.forget(name);
      else this.#queue.addAfter(name, result.requeueAfterMs);
    } catch (error) {
      this.#queue.addRateLimited(name);
      this.#options.log?.(`deletion of namespace ${name} failed: ${errorText(error)}`);
    } finally {
      this.#queue.done(name);
    }
  }

  /** One level-triggered pass over namespace `name` (see the file comment). Throws to retry. */
  async reconcile(name: string): Promise<ReconcileResult> {
    if (this.#informer.store.get(name) === undefined) return {};
    let namespace = await this.#getLive(name);
    if (namespace === undefined) return {};
    if (planNamespaceStep(namespace) === 'markTerminating') {
      namespace = await this.#markTerminating(namespace);
      if (namespace === undefined) return {};
    }
    const step = planNamespaceStep(namespace);
    switch (step) {
      case 'ignore':
      case 'finalized':
      case 'markTerminating':
        return {};
      case 'deleteContent':
        return this.#deleteContentAndFinalize(namespace);
      default:
        return assertNever(step, 'unknown namespace step');
    }
  }

  async #deleteContentAndFinalize(namespace: KubeObject): Promise<ReconcileResult> {
    const name = namespace.metadata.name as string;
    const observations = await this.#deleteAllContent(namespace);
    const verdict = judgeContent(name, observations);
    if (this.#options.statusConditions !== false) await this.#writeConditions(namespace, verdict);
    const outcome = planContentOutcome(verdict);
    switch (outcome.kind) {
      case 'retry':
        throw new Error(outcome.message);
      case 'wait':
        this.#options.log?.(`content remains in namespace ${name}: waiting`);
        return { requeueAfterMs: outcome.requeueAfterMs };
      case 'finalize':
        await this.#finalize(namespace);
        return {};
      default:
        return assertNever(outcome, 'unknown content outcome');
    }
  }

  async #getLive(name: string): Promise<KubeObject | undefined> {
    try {
      return await this.#client.get(namespacesResource, '', name);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Runs `write` on the namespace, re-reading it after each 409 Conflict (retryOnConflictError).
   * Resolves undefined when the namespace is gone.
   */
  async #retryOnConflict(
    namespace: KubeObject,
    write: (latest: KubeObject) => Promise<KubeObject>,
  ): Promise<KubeObject | undefined> {
    const triesMax = this.#options.conflictRetryCountMax ?? 10;
    let latest = namespace;
    for (let attempt = 1; ; attempt++) {
      try {
        return await write(latest);
      } catch (error) {
        if (isNotFound(error)) return undefined;
        if (!isConflict(error) || attempt >= triesMax) throw error;
      }
      const fresh = await this.#getLive(latest.metadata.name as string);
      if (fresh === undefined) return undefined;
      if (fresh.metadata.uid !== latest.metadata.uid) {
        throw new Error('namespace uid has changed across retries');
      }
      latest = fresh;
    }
  }

  #markTerminating(namespace: KubeObject): Promise<KubeObject | undefined> {
    return this.#retryOnConflict(namespace, (latest) => {
      if (planNamespaceStep(latest) !== 'markTerminating') return Promise.resolve(latest);
      const status = { ...(latest.status as Record<string, unknown>), phase: 'Terminating' };
      return this.#client.updateStatus(namespacesResource, '', { ...latest, status });
    });
  }

  async #deleteAllContent(namespace: KubeObject): Promise<ContentObservation[]> {
    const observations: ContentObservation[] = [];
    for (const resource of this.#resources) {
      observations.push(await this.#deleteContentOf(namespace, resource));
    }
    return observations;
  }

  async #deleteContentOf(
    namespace: KubeObject,
    resource: ResourceDescriptor,
  ): Promise<ContentObservation> {
    const name = namespace.metadata.name as string;
    const observation: ContentObservation = { resource, estimateSeconds: 0 };
    try {
      if (resource.group === '' && resource.plural === 'pods') {
        const pods = await this.#client.list(podsResource, name);
        const deletedAt = deletedAtMs(namespace) ?? this.#options.clock.nowMs();
        observation.estimateSeconds = podGraceEstimateSeconds(
          pods.items,
          deletedAt,
          this.#options.clock.nowMs(),
        );
      }
      await this.#client.deleteCollection(resource, name, { propagationPolicy: 'Background' });
      const left = await this.#client.list(resource, name);
      observation.remaining = left.items.map((item) => item.metadata.finalizers ?? []);
    } catch (error) {
      observation.error = errorText(error);
    }
    return observation;
  }

  /** Writes the conditions when they changed; failures are only logged (as upstream). */
  async #writeConditions(namespace: KubeObject, verdict: ContentVerdict): Promise<void> {
    const status = (namespace.status ?? {}) as Record<string, unknown>;
    const existing = Array.isArray(status.conditions)
      ? (status.conditions as NamespaceCondition[])
      : [];
    const nowText = formatTime(this.#options.clock.nowMs());
    const next = nextNamespaceConditions(existing, verdict, nowText);
    if (!next.changed) return;
    try {
      const nextStatus = { ...status, conditions: next.conditions };
      await this.#client.updateStatus(namespacesResource, '', { ...namespace, status: nextStatus });
    } catch (error) {
      const name = namespace.metadata.name as string;
      this.#options.log?.(
        `couldn't update status condition for namespace ${name}: ${errorText(error)}`,
      );
    }
  }

  async #finalize(namespace: KubeObject): Promise<void> {
    await this.#retryOnConflict(namespace, (latest) => {
      const finalizers = finalizersWithout(specFinalizers(latest), namespaceFinalizerToken);
      const spec = { ...(latest.spec as Record<string, unknown>), finalizers };
      const body: KubeObject = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: latest.metadata,
        spec,
      };
      return this.#options.client.finalizeNamespace(body);
    });
    this.#options.log?.(`namespace ${namespace.metadata.name as string} finalized`);
  }
}
