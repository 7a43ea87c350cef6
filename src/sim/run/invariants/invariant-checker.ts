// The built-in invariants of `miniku sim run`, checked in-process after every event that can
// break one: each store commit (an unfiltered store watch, delivered before any API server
// watch), each line an API watch stream writes and each answered request (the API server
// observer), each scheduling decision (Scheduler.onDecision) and each container start or stop
// (SimRuntime.observeContainers). Nothing it does changes what the cluster does: it only reads,
// adds no engine events and no microtasks, and never throws into a component (an error of its
// own is a `checker-error` violation).
//
// Per event the work is O(the changed object) (watch streams: a string comparison per line);
// memory is bounded by the cluster's live objects, the store's watch history and the violation
// cap. start() costs one list of the pods and nodes.
import type { ApiResultObserver } from '../../../control/apiserver/api-server.js';
import type { Decision } from '../../../control/scheduler/explain.js';
import type { StoreWatch, StoreWatchEvent, VersionedStore } from '../../../control/store/types.js';
import { assert } from '../../../control/util/assert.js';
import type { SimContainerChange } from '../../sim-runtime.js';
import { AcknowledgedWrites } from './acknowledged-writes.js';
import { BindingDecisions } from './binding-decisions.js';
import { NodeCapacity } from './node-capacity.js';
import { nameOf, namespacedNameOf, storePrefixes } from './object-fields.js';
import { PodPlacement } from './pod-placement.js';
import { StoreCommits } from './store-commits.js';
import { ViolationLog } from './violation-log.js';
import type { InvariantName, InvariantViolation } from './violation-log.js';
import { WatchStreams } from './watch-streams.js';

/** A node runtime the checker can watch (SimRuntime). */
export interface ObservableRuntime {
  observeContainers(observer: (change: SimContainerChange) => void): () => void;
}

/** What the checker reads of a world; a ClusterWorld is one. */
export interface InvariantWorld {
  readonly engine: { nowMs(): number };
  readonly store: VersionedStore;
  setApiServerObserver(observer: ApiResultObserver | undefined): void;
  /** Read again as nodes join (a new node's runtime is watched once its Node is stored). */
  readonly nodes: ReadonlyMap<string, { readonly runtime: ObservableRuntime }>;
  /** Read again after every commit and request, so a restarted scheduler is followed. */
  readonly scheduler: { onDecision: ((decision: Decision) => void) | undefined };
}

export interface InvariantCheckerOptions {
  world: InvariantWorld;
  /** Violations kept with their message; the rest are only counted. Default 100. */
  violationCountMax?: number;
  /** Recent commits always kept for comparisons, whatever the store keeps. Default 1,000. */
  commitLogCountMin?: number;
  /** Scheduler choices awaiting their binding, at most. Default 100,000. */
  pendingBindingCountMax?: number;
  /** Watch streams checked at once, at most. Default 100,000. */
  watchStreamCountMax?: number;
}

/** How much was checked: a run that checked nothing proves nothing. */
export interface InvariantStats {
  commits: number;
  acknowledgedWritesVerified: number;
  /** Answers whose commit had left the recent-commit log. */
  acknowledgedWritesUnverified: number;
  watchLinesChecked: number;
  watchStreamsOpen: number;
  watchStreamsUntracked: number;
  decisions: number;
  bindingsVerified: number;
  /** Bindings with no scheduler decision seen (a user's, or a decision before start). */
  bindingsUnverified: number;
  containerChanges: number;
}

export class InvariantChecker {
  private readonly world: InvariantWorld;
  private readonly log: ViolationLog;
  private readonly prefixes = storePrefixes();
  private readonly commits: StoreCommits;
  private readonly acknowledged: AcknowledgedWrites;
  private readonly streams: WatchStreams;
  private readonly capacity: NodeCapacity;
  private readonly placement: PodPlacement;
  private readonly bindings: BindingDecisions;
  private readonly runtimes = new Map<ObservableRuntime, () => void>();
  private readonly schedulers = new Set<InvariantWorld['scheduler']>();
  private scheduler: InvariantWorld['scheduler'] | undefined;
  private storeWatch: StoreWatch | undefined;
  private state: 'new' | 'running' | 'stopped' = 'new';

  constructor(options: InvariantCheckerOptions) {
    const world = options.world;
    this.world = world;
    this.log = new ViolationLog({
      nowMs: () => world.engine.nowMs(),
      violationCountMax: options.violationCountMax ?? 100,
    });
    const report = this.log.report;
    this.commits = new StoreCommits({
      report,
      oldestRevision: () => world.store.oldestRevision,
      ...(options.commitLogCountMin === undefined
        ? {}
        : { logCountMin: options.commitLogCountMin }),
    });
    this.acknowledged = new AcknowledgedWrites({ report, commits: this.commits });
    this.streams = new WatchStreams({
      report,
      commits: this.commits,
      revision: () => world.store.revision,
      protect: (check) => this.protect(check),
      ...(options.watchStreamCountMax === undefined
        ? {}
        : { streamCountMax: options.watchStreamCountMax }),
    });
    this.capacity = new NodeCapacity({ report });
    this.placement = new PodPlacement({ report });
    this.bindings = new BindingDecisions({
      report,
      ...(options.pendingBindingCountMax === undefined
        ? {}
        : { pendingPodCountMax: options.pendingBindingCountMax }),
    });
  }

  /**
   * Starts checking: takes the store's pods and nodes as they are, then follows every commit,
   * request, decision and container change. Start it before the world starts, so that every
   * watch stream and decision is seen.
   */
  start(): void {
    assert(this.state === 'new', 'an InvariantChecker starts once');
    this.state = 'running';
    const revision = this.loadState();
    const watched = this.world.store.watch('', { fromRevision: revision }, (event) =>
      this.protect(() => this.onCommit(event)),
    );
    assert(watched.ok, 'the invariant checker could not watch the store');
    this.storeWatch = watched.value;
    this.world.setApiServerObserver((request, result) => {
      let checked = result;
      this.protect(() => {
        this.followScheduler();
        if (result.kind === 'unary') this.acknowledged.onResponse(request, result.response);
        else checked = this.streams.wrap(request, result);
      });
      return checked;
    });
    for (const name of this.world.nodes.keys()) this.watchRuntime(name);
    this.followScheduler();
  }

  /** Stops checking (changes still undelivered on open watches count as missed). Idempotent. */
  stop(): void {
    if (this.state !== 'running') return;
    this.state = 'stopped';
    this.protect(() => this.streams.flushAll());
    this.streams.stop();
    this.storeWatch?.cancel();
    this.world.setApiServerObserver(undefined);
    for (const unsubscribe of this.runtimes.values()) unsubscribe();
    this.runtimes.clear();
    for (const scheduler of this.schedulers) {
      if (scheduler.onDecision === this.onDecision) scheduler.onDecision = undefined;
    }
  }

  /** The violations kept, oldest first. */
  violations(): InvariantViolation[] {
    return this.log.violations();
  }

  /** Every violation found, kept or not. */
  violationCount(): number {
    return this.log.totalCount;
  }

  /** Violations per invariant. */
  counts(): Record<InvariantName, number> {
    return this.log.counts();
  }

  stats(): InvariantStats {
    return {
      commits: this.commits.commitsChecked,
      acknowledgedWritesVerified: this.acknowledged.verifiedCount,
      acknowledgedWritesUnverified: this.acknowledged.unverifiedCount,
      watchLinesChecked: this.streams.linesChecked,
      watchStreamsOpen: this.streams.openCount,
      watchStreamsUntracked: this.streams.streamsUntracked,
      decisions: this.bindings.decisionsChecked,
      bindingsVerified: this.bindings.bindingsVerified,
      bindingsUnverified: this.bindings.bindingsUnverified,
      containerChanges: this.placement.containerChangesChecked,
    };
  }

  /** Loads the nodes and pods stored now; returns the revision they were read at. */
  private loadState(): number {
    const store = this.world.store;
    const nodes = store.list(this.prefixes.nodes);
    const pods = store.list(this.prefixes.pods);
    assert(nodes.ok && pods.ok, 'listing the current state cannot fail');
    const cause = 'the checker started';
    for (const node of nodes.value.items) this.capacity.onNode(node, nameOf(node), cause);
    for (const pod of pods.value.items) {
      this.capacity.onPod(namespacedNameOf(pod), pod, cause);
      this.placement.onPod(pod, undefined, cause);
    }
    this.commits.start(pods.value.revision);
    return pods.value.revision;
  }

  private onCommit(event: StoreWatchEvent): void {
    this.followScheduler();
    this.commits.onCommit(event);
    this.streams.onCommit(event);
    const object = event.type === 'DELETED' ? undefined : event.object;
    const cause = `revision ${event.revision}`;
    if (event.key.startsWith(this.prefixes.pods)) {
      this.capacity.onPod(namespacedNameOf(event.object), object, cause);
      this.placement.onPod(object, event.prevObject, cause);
      this.bindings.onPod(object, event.prevObject, cause);
    } else if (event.key.startsWith(this.prefixes.nodes)) {
      const name = nameOf(event.object);
      this.capacity.onNode(object, name, cause);
      if (object !== undefined) this.watchRuntime(name);
    }
  }

  private watchRuntime(nodeName: string): void {
    const runtime = this.world.nodes.get(nodeName)?.runtime;
    if (runtime === undefined || this.runtimes.has(runtime)) return;
    const unsubscribe = runtime.observeContainers((change) =>
      this.protect(() => this.placement.onContainer(nodeName, change.podUid, change.running)),
    );
    this.runtimes.set(runtime, unsubscribe);
  }

  /** The world's scheduler, a new instance after a restart, reports its decisions here. */
  private followScheduler(): void {
    const scheduler = this.world.scheduler;
    if (scheduler === this.scheduler) return;
    this.scheduler = scheduler;
    this.schedulers.add(scheduler);
    scheduler.onDecision = this.onDecision;
  }

  private readonly onDecision = (decision: Decision): void => {
    this.protect(() => this.bindings.onDecision(decision));
  };

  /** Runs a check; an error in it becomes a violation instead of reaching a component. */
  private protect(check: () => void): void {
    try {
      check();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.report('checker-error', `the invariant checker failed: ${message}`);
    }
  }
}
