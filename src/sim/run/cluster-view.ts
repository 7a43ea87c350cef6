// The scenario's live view of the cluster, kept from the store's own watch: every commit updates
// each expectation's count in O(expectations), so expectations are checked after every commit
// without listing the cluster. It observes; it never writes.
import { findResourceByKind } from '../../control/api/registry.js';
import { collectionPrefix, objectKey } from '../../control/apiserver/context.js';
import type { KubeObject } from '../../control/client/types.js';
import { canonicalStringify } from '../../control/api/values/canonical-json.js';
import type {
  JsonObject,
  JsonValue,
  StoredObject,
  VersionedStore,
} from '../../control/store/types.js';
import type { StoreWatch, StoreWatchEvent } from '../../control/store/types.js';
import type {
  Expectation,
  NodesSubject,
  MetricSubject,
  ObjectRef,
  PodsSubject,
} from '../scenario/scenario-model.js';
import { selectorFromLabelSelectorString } from './selectors.js';
import {
  countHolds,
  describeCount,
  describeNodeRule,
  describePodSubject,
  nodeSatisfies,
  nodeSelected,
  podMatches,
} from './subject-checks.js';
import type { NodeSubject, PodSubject, SubjectVerdict } from './subject-checks.js';

type Collection = 'pod' | 'node' | 'workload' | 'other' | 'none';

/** One expectation's subject, kept up to date from commits. */
interface Tracker {
  /** Which collection's changes it follows ('other': one object by key). */
  follows: Collection;
  update(prev: KubeObject | undefined, next: KubeObject | undefined, key: string): void;
  verdict(): SubjectVerdict;
}

function optional<T extends Record<string, unknown>>(fields: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T)[]) {
    if (fields[key] !== undefined) out[key] = fields[key];
  }
  return out;
}

function bounds(s: { countMin: number; countMax?: number }) {
  return { countMin: s.countMin, ...(s.countMax === undefined ? {} : { countMax: s.countMax }) };
}

export function podCheckOf(subject: PodsSubject): PodSubject {
  return {
    selector: selectorFromLabelSelectorString(subject.selector ?? ''),
    ...bounds(subject),
    ...optional({
      namespace: subject.namespace,
      phase: subject.phase,
      ready: subject.ready,
      terminating: subject.terminating,
      onNode: subject.onNode,
      notOnNode: subject.notOnNode,
    }),
  };
}

export function nodeCheckOf(subject: NodesSubject): NodeSubject {
  return {
    ...bounds(subject),
    ...optional({
      names: subject.names,
      condition: subject.condition,
      taint: subject.taint,
      unschedulable: subject.unschedulable,
    }),
    ...(subject.selector === undefined
      ? {}
      : { selector: selectorFromLabelSelectorString(subject.selector) }),
  };
}

function podTracker(check: PodSubject): Tracker {
  let matched = 0;
  const what = describePodSubject(check);
  return {
    follows: 'pod',
    update(prev, next) {
      if (prev !== undefined && podMatches(check, prev)) matched -= 1;
      if (next !== undefined && podMatches(check, next)) matched += 1;
    },
    verdict: () => ({
      held: countHolds(check, matched),
      message: `${matched} pod(s) ${what}; expected ${describeCount(check)}`,
    }),
  };
}

function nodeTracker(check: NodeSubject): Tracker {
  let selected = 0;
  let satisfying = 0;
  const count = (node: KubeObject | undefined, sign: number) => {
    if (node === undefined || !nodeSelected(check, node)) return;
    selected += sign;
    if (nodeSatisfies(check, node)) satisfying += sign;
  };
  const hasRule =
    check.count !== undefined || check.countMin !== undefined || check.countMax !== undefined;
  return {
    follows: 'node',
    update(prev, next) {
      count(prev, -1);
      count(next, 1);
    },
    verdict() {
      const held = hasRule
        ? countHolds(check, satisfying)
        : selected > 0 && satisfying === selected;
      const expected = hasRule ? describeCount(check) : `all ${selected}`;
      const message = `${satisfying} of ${selected} selected node(s) ${describeNodeRule(check)}; expected ${expected}`;
      return { held, message };
    },
  };
}

/** Store key of the object a ref names ('' when its kind is not served). */
export function refStoreKey(ref: ObjectRef): string {
  const type = findResourceByKind(ref.apiVersion, ref.kind);
  if (type === undefined) return '';
  return objectKey(type, type.namespaced ? (ref.namespace ?? 'default') : '', ref.name);
}

function valueAt(object: KubeObject, path: readonly (string | number)[]): JsonValue | undefined {
  let current: JsonValue | undefined = object as unknown as JsonValue;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = Array.isArray(current)
      ? current[segment as number]
      : (current as JsonObject)[segment as string];
  }
  return current;
}

function objectTracker(expectation: Expectation & { subject: { kind: 'object' } }): Tracker {
  const subject = expectation.subject;
  const key = refStoreKey(subject.ref);
  const name = `${subject.ref.kind} ${subject.ref.namespace ?? ''}/${subject.ref.name}`;
  let value: JsonValue | undefined;
  return {
    follows: 'other',
    update(_prev, next, changedKey) {
      if (changedKey !== key) return;
      value = next === undefined ? undefined : valueAt(next, subject.pathSegments);
    },
    verdict() {
      const shown = value === undefined ? 'absent' : canonicalStringify(value);
      if (subject.check.kind === 'exists') {
        const held = (value !== undefined) === subject.check.exists;
        return { held, message: `${name} ${subject.path} is ${shown}` };
      }
      const wanted = canonicalStringify(subject.check.equals);
      return {
        held: value !== undefined && shown === wanted,
        message: `${name} ${subject.path} is ${shown}; expected ${wanted}`,
      };
    },
  };
}

/** A counter of the run, read at each check (it follows no commit). */
function metricTracker(subject: MetricSubject, metricValue: (name: string) => number): Tracker {
  const bounds = [
    ...(subject.min === undefined ? [] : [`at least ${subject.min}`]),
    ...(subject.max === undefined ? [] : [`at most ${subject.max}`]),
  ].join(' and ');
  return {
    follows: 'none',
    update: () => undefined,
    verdict() {
      const value = metricValue(subject.name);
      const held =
        (subject.min === undefined || value >= subject.min) &&
        (subject.max === undefined || value <= subject.max);
      return { held, message: `${subject.name} is ${value}; expected ${bounds}` };
    },
  };
}

function trackerOf(expectation: Expectation, metricValue: (name: string) => number): Tracker {
  const subject = expectation.subject;
  if (subject.kind === 'pods') return podTracker(podCheckOf(subject));
  if (subject.kind === 'nodes') return nodeTracker(nodeCheckOf(subject));
  if (subject.kind === 'metric') return metricTracker(subject, metricValue);
  return objectTracker({ ...expectation, subject });
}

/** The node of a bound pod that is neither terminal nor being deleted ('' otherwise). */
function liveNodeOf(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp !== undefined) return '';
  const status = (pod.status ?? {}) as { phase?: string };
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return '';
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  return spec.nodeName ?? '';
}

function podPending(pod: KubeObject): boolean {
  const status = (pod.status ?? {}) as { phase?: string };
  return pod.metadata.deletionTimestamp === undefined && (status.phase ?? 'Pending') === 'Pending';
}

/** A Deployment, or a ReplicaSet no one owns, short of its ready replicas. */
function workloadUnready(object: KubeObject, isReplicaSet: boolean): boolean {
  if (isReplicaSet && (object.metadata.ownerReferences ?? []).length > 0) return false;
  const spec = (object.spec ?? {}) as { replicas?: number };
  const status = (object.status ?? {}) as { readyReplicas?: number };
  return (status.readyReplicas ?? 0) !== (spec.replicas ?? 1);
}

function prefixOf(apiVersion: string, kind: string): string {
  const type = findResourceByKind(apiVersion, kind);
  if (type === undefined) throw new Error(`cluster view: ${kind} is not served`);
  return collectionPrefix(type, '');
}

export interface ClusterViewOptions {
  store: VersionedStore;
  expectations: readonly Expectation[];
  /** Called after each commit that changed something the view follows. */
  onChange?: () => void;
  /** The current value of a run counter, for `metric` expectations. Default: always 0. */
  metricValue?: (name: string) => number;
}

export class ClusterView {
  readonly #store: VersionedStore;
  readonly #trackers: Tracker[];
  readonly #onChange: (() => void) | undefined;
  readonly #prefixes: { pod: string; node: string; deployment: string; replicaSet: string };
  readonly #refKeys: Set<string>;
  #watch: StoreWatch | undefined;
  #pending = 0;
  #unready = 0;
  /** Live pods (bound, not terminal, not being deleted) per node. */
  readonly #livePods = new Map<string, number>();

  constructor(options: ClusterViewOptions) {
    this.#store = options.store;
    const metricValue = options.metricValue ?? (() => 0);
    this.#trackers = options.expectations.map((e) => trackerOf(e, metricValue));
    this.#onChange = options.onChange;
    this.#prefixes = {
      pod: prefixOf('v1', 'Pod'),
      node: prefixOf('v1', 'Node'),
      deployment: prefixOf('apps/v1', 'Deployment'),
      replicaSet: prefixOf('apps/v1', 'ReplicaSet'),
    };
    this.#refKeys = new Set(
      options.expectations.flatMap((e) =>
        e.subject.kind === 'object' ? [refStoreKey(e.subject.ref)] : [],
      ),
    );
  }

  /** Reads the current state, then follows every later commit. */
  start(): void {
    const listed = this.#store.list('/');
    if (!listed.ok) throw new Error(`cluster view: cannot list the store (${listed.error.code})`);
    for (const object of listed.value.items) this.#apply(keyOfStored(object), undefined, object);
    const watch = this.#store.watch('/', { fromRevision: listed.value.revision }, (event) =>
      this.#onEvent(event),
    );
    if (!watch.ok) throw new Error(`cluster view: cannot watch the store (${watch.error.code})`);
    this.#watch = watch.value;
  }

  stop(): void {
    this.#watch?.cancel();
    this.#watch = undefined;
  }

  /** The verdict of expectation `index` (in the order given) on the current state. */
  verdict(index: number): SubjectVerdict {
    const tracker = this.#trackers[index];
    if (tracker === undefined) throw new Error(`cluster view: no expectation ${index}`);
    return tracker.verdict();
  }

  /** Every workload at its ready replicas and no pod Pending. */
  healthy(): boolean {
    return this.#unready === 0 && this.#pending === 0;
  }

  /** Nodes with live pods bound to them, and how many. */
  livePodsByNode(): ReadonlyMap<string, number> {
    return this.#livePods;
  }

  #countLive(pod: KubeObject | undefined, sign: number): void {
    const node = pod === undefined ? '' : liveNodeOf(pod);
    if (node === '') return;
    const count = (this.#livePods.get(node) ?? 0) + sign;
    if (count === 0) this.#livePods.delete(node);
    else this.#livePods.set(node, count);
  }

  #onEvent(event: StoreWatchEvent): void {
    const next = event.type === 'DELETED' ? undefined : event.object;
    const prev = event.type === 'ADDED' ? undefined : (event.prevObject ?? event.object);
    if (this.#apply(event.key, prev, next)) this.#onChange?.();
  }

  /** Updates every tracker the key concerns; false when the view does not follow it. */
  #apply(key: string, prevStored: StoredObject | undefined, nextStored: StoredObject | undefined) {
    const prev = prevStored as unknown as KubeObject | undefined;
    const next = nextStored as unknown as KubeObject | undefined;
    const p = this.#prefixes;
    let collection: Collection;
    if (key.startsWith(p.pod)) {
      collection = 'pod';
      if (prev !== undefined && podPending(prev)) this.#pending -= 1;
      if (next !== undefined && podPending(next)) this.#pending += 1;
      this.#countLive(prev, -1);
      this.#countLive(next, 1);
    } else if (key.startsWith(p.node)) {
      collection = 'node';
    } else if (key.startsWith(p.deployment) || key.startsWith(p.replicaSet)) {
      collection = 'workload';
      const isRs = key.startsWith(p.replicaSet);
      if (prev !== undefined && workloadUnready(prev, isRs)) this.#unready -= 1;
      if (next !== undefined && workloadUnready(next, isRs)) this.#unready += 1;
    } else collection = 'other';
    const isRef = this.#refKeys.has(key);
    if (collection === 'other' && !isRef) return false;
    for (const tracker of this.#trackers) {
      if (tracker.follows === collection || (isRef && tracker.follows === 'other')) {
        tracker.update(prev, next, key);
      }
    }
    return true;
  }
}

/** The store key of a listed object (the list gives objects, not keys). */
function keyOfStored(object: StoredObject): string {
  const apiVersion = typeof object['apiVersion'] === 'string' ? object['apiVersion'] : '';
  const kind = typeof object['kind'] === 'string' ? object['kind'] : '';
  const type = findResourceByKind(apiVersion, kind);
  const meta = (object['metadata'] ?? {}) as { name?: string; namespace?: string };
  if (type === undefined) return '';
  return objectKey(type, type.namespaced ? (meta.namespace ?? '') : '', meta.name ?? '');
}
